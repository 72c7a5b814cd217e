/* SPDX-License-Identifier: MIT */
/*
 * bpfscope's bpf(): the kernel's multiplexed command interface, in
 * userspace, with the kernel's command numbers and attr layout from the
 * system's <linux/bpf.h>, so code written for the kernel's bpf() compiles
 * against it unchanged. Errors are -1 with errno set, as libc reports the
 * kernel's.
 *
 * Descriptors are bpfscope's own, not the process's: they are ints from
 * BPFS_FD_BASE up, far above any real file descriptor (Linux caps those
 * at fs.nr_open, 2^20 by default), so passing one to close(2) or to the
 * kernel fails cleanly instead of hitting an unrelated file. The lowest
 * free one is reused, as POSIX does for files. Close them with bpfs_close.
 *
 * Depends on maps (and on the execution engines for programs).
 */
#ifndef BPFSCOPE_BPF_H
#define BPFSCOPE_BPF_H

#include "maps.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BPFS_FD_BASE (1 << 24)

/* The command interface: cmd is a BPF_* command, attr points to size bytes
 * of union bpf_attr (size may differ from sizeof(union bpf_attr) as with
 * the kernel: bytes past what bpfscope knows must be zero, E2BIG
 * otherwise). Returns a descriptor or 0, or -1 with errno set. */
long bpfs_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* Drops a descriptor: 0, or -1 with errno EBADF. The object lives on while
 * something else (a program using a map) holds it. */
int bpfs_close(int fd);

/* The map behind a descriptor, with a reference the caller drops with
 * bpfs_map_put: 0, -EBADF, or -EINVAL when fd is not a map. */
int bpfs_fd_to_map(int fd, struct bpfs_map **out);

/* The original mini library of the kernel's samples/bpf/libbpf.c (2014),
 * returning what bpf() returns. */
int bpfs_create_map(enum bpf_map_type map_type, int key_size, int value_size, int max_entries);
int bpfs_update_elem(int fd, void *key, void *value, unsigned long long flags);
int bpfs_lookup_elem(int fd, void *key, void *value);
int bpfs_delete_elem(int fd, void *key);
int bpfs_get_next_key(int fd, void *key, void *next_key);
/* log_buf may be NULL (no log). */
int bpfs_prog_load(enum bpf_prog_type prog_type, const struct bpf_insn *insns, int insn_cnt,
		   const char *license, char *log_buf, unsigned int log_size);

/* ---------------------------------------------------------------------- */
/* bpfscope extensions (not in the kernel's interface)                    */

/* BPF_PROG_LOAD without the verifier: the program only passes the
 * interpreter's load-time checks (valid instructions, jumps in range, no
 * unreachable code; loops allowed). For running programs the verifier
 * would reject; run them checked. Same attr and results as
 * bpfs_bpf(BPF_PROG_LOAD, ...). */
long bpfs_prog_load_unverified(union bpf_attr *attr, unsigned int size);

/* Differences of BPF_PROG_TEST_RUN from the kernel's:
 *   - kprobe, tracepoint and perf_event programs run too (the kernel says
 *     ENOTSUPP), on a context from ctx_in (zeroes when none);
 *   - xdp ctx_in and BPF_F_TEST_XDP_LIVE_FRAMES are not modelled:
 *     EOPNOTSUPP;
 *   - a run that a violation stopped (checked mode, too-deep calls,
 *     helper misuse) fails with EFAULT; bpfs_prog_last_report says why;
 *   - a run that reached a call of a helper the kernel has but bpfscope's
 *     runtime does not implement (the verifier accepts those, and
 *     BPF_PROG_LOAD loads them) fails with EOPNOTSUPP; the report of
 *     bpfs_prog_last_report has viol BPFS_VIOL_UNSUPPORTED, the
 *     instruction, and a message naming the helper.
 * The functions below return 0 or a negative errno (EBADF, or EINVAL when
 * fd is not a program). */

enum bpfs_engine {
	BPFS_ENGINE_INTERP,
	BPFS_ENGINE_JIT,
};

struct bpfs_run_report;
struct bpfs_task;

/* The engine later test runs of the program use. The JIT compiles the
 * program on first use; EOPNOTSUPP for a program loaded unverified (those
 * run checked, on the interpreter). Checked runs always use the
 * interpreter. */
int bpfs_prog_set_engine(int prog_fd, enum bpfs_engine engine);
/* Checked mode: every memory access is checked and the first violation
 * stops the run (see interp.h). */
int bpfs_prog_set_checked(int prog_fd, bool checked);
/* The report of the program's last test run (-ENOENT before the first). */
int bpfs_prog_last_report(int prog_fd, struct bpfs_run_report *report);
/* The instruction budget of each checked run (BPFS_VIOL_INSN_LIMIT when
 * it runs out; 0: none). Fast runs are not counted. */
#define BPFS_CHECKED_INSN_LIMIT (16u * 1024 * 1024)
int bpfs_prog_set_insn_limit(int prog_fd, uint64_t limit);
/* bpf_get_prandom_u32's seed for later runs (each run starts from it). */
int bpfs_prog_set_seed(int prog_fd, uint64_t seed);
/* The task later runs happen in: what bpf_get_current_pid_tgid,
 * _uid_gid, _comm, bpf_get_smp_processor_id and bpf_get_cgroup_classid
 * return (default: pid and tgid 1000, uid and gid 0, comm "bpfscope",
 * CPU 0). */
int bpfs_prog_set_task(int prog_fd, const struct bpfs_task *task);
#define BPFS_PROG_TRACE_SIZE (64u * 1024)

/* Takes the bpf_trace_printk output of the program's runs so far: copies
 * up to size - 1 bytes, NUL-terminated, into buf (when size > 0), sets
 * *len to the whole output's length and empties the buffer. *truncated
 * (may be NULL) says whether output was dropped because the buffer of
 * BPFS_PROG_TRACE_SIZE bytes was full. */
int bpfs_prog_read_trace(int prog_fd, char *buf, size_t size, size_t *len, bool *truncated);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_BPF_H */
