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
/* Coverage: later checked runs add, for every instruction of the program
 * (one slot per instruction, as loaded), the times it executed to counts
 * and, for jumps, the times they went to their target to taken (may be
 * NULL). Both must outlive the runs; NULL counts stops counting. Fast and
 * JIT runs do not count: set checked mode too. */
int bpfs_prog_set_insn_counts(int prog_fd, uint64_t *counts, uint64_t *taken);
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

/* Sets what bpf_ktime_get_ns (and the other clocks) return in later runs:
 * clock(priv), or CLOCK_MONOTONIC when clock is NULL (the default). */
int bpfs_prog_set_clock(int prog_fd, uint64_t (*clock)(void *priv), void *priv);

/* ---------------------------------------------------------------------- */
/* Backends: which bpf() a loader drives                                  */

/* A bpf() to drive: bpfscope's own (bpfs_bpf, bpfs_close) or the running
 * kernel's through the syscall (close(2)). bpfscope says whether the
 * extensions above apply to its descriptors. */
struct bpfs_backend {
	const char *name; /* "bpfscope", "kernel" */
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	int (*close)(int fd);
	bool bpfscope;
};

extern const struct bpfs_backend bpfs_backend_bpfscope;
extern const struct bpfs_backend bpfs_backend_kernel;

/* ---------------------------------------------------------------------- */
/* The object loader (loader.c)                                           */

/*
 * An object's maps and one program, loaded the way libbpf's load pipeline
 * does it, over either backend:
 *
 *   1. bpfs_loader_new: each map declaration completed as loaders do
 *      (bpfs_loader_norm_spec) and created with BPF_MAP_CREATE, its name
 *      cut to what the kernel accepts ([A-Za-z0-9_.], other characters
 *      become '_', 15 at most); an internal map (.data, .rodata, .bss)
 *      gets its image as the value of key 0, zero-padded when the image is
 *      shorter than the value. Map-in-map declarations are refused
 *      (EOPNOTSUPP): no inner map is set up.
 *   2. bpfs_loader_update: fills maps (BPF_MAP_UPDATE_ELEM).
 *   3. bpfs_loader_load: LD_IMM64 map references (src_reg BPF_PSEUDO_MAP_FD
 *      or _VALUE, imm the map's index in the declarations) patched into
 *      descriptors (an index out of range is EINVAL, naming the
 *      instruction), then BPF_PROG_LOAD.
 *   4. bpfs_loader_test_run: BPF_PROG_TEST_RUN.
 *   5. bpfs_loader_walk_map: the maps' contents read back (GET_NEXT_KEY,
 *      LOOKUP_ELEM).
 *
 * Functions return 0 or a negative errno; err (may be NULL) says why. The
 * loader never prints.
 */
struct bpfs_loader;

/* A map declaration as a loader completes it before creating the map: fd
 * arrays get 4-byte keys and values when they declare none, a
 * perf_event_array with no max_entries one slot per possible CPU (64). */
void bpfs_loader_norm_spec(const struct bpfs_map_spec *in, struct bpfs_map_spec *out);

/* Creates the maps of specs[0..nmaps) on be. specs must outlive the
 * loader. */
int bpfs_loader_new(const struct bpfs_backend *be, const struct bpfs_map_spec *specs, size_t nmaps,
		    struct bpfs_loader **out, struct bpfs_err *err);
/* Closes the program and the maps. */
void bpfs_loader_free(struct bpfs_loader *l);

const struct bpfs_backend *bpfs_loader_backend(const struct bpfs_loader *l);
size_t bpfs_loader_map_count(const struct bpfs_loader *l);
/* Map i's declaration as created (completed), and its descriptor. */
const struct bpfs_map_spec *bpfs_loader_map_spec(const struct bpfs_loader *l, size_t i);
int bpfs_loader_map_fd(const struct bpfs_loader *l, size_t i);
/* The index of the first map named name, or -ENOENT. */
int bpfs_loader_find_map(const struct bpfs_loader *l, const char *name);
/* BPF_MAP_UPDATE_ELEM on map i. */
int bpfs_loader_update(struct bpfs_loader *l, size_t i, const void *key, const void *value, uint64_t flags);

struct bpfs_loader_prog_opts {
	uint32_t prog_type;
	const char *license; /* NULL: "" */
	uint32_t kern_version;
	uint32_t prog_flags; /* BPF_F_* of BPF_PROG_LOAD */
	/* bpfscope backend only: bpfs_prog_load_unverified */
	bool unverified;
	/* the verifier's log: log_size bytes at log (NULL: none) */
	char *log;
	uint32_t log_size;
	uint32_t log_level;
};

/* Patches and loads insns (step 3). On success the loader keeps the
 * program's descriptor (bpfs_loader_prog_fd); a refused load returns the
 * errno of BPF_PROG_LOAD, the log in opts->log. A loader holds one
 * program: loading another closes the first. */
int bpfs_loader_load(struct bpfs_loader *l, const struct bpf_insn *insns, size_t cnt,
		     const struct bpfs_loader_prog_opts *opts, struct bpfs_err *err);
/* The loaded program's descriptor, or -1. */
int bpfs_loader_prog_fd(const struct bpfs_loader *l);
/* Puts the loaded program into slot 0 of every prog_array that has one,
 * so that its tail calls recurse up to the chain limit. */
int bpfs_loader_self_tail_calls(struct bpfs_loader *l, struct bpfs_err *err);

/* One BPF_PROG_TEST_RUN of the loaded program. The caller's buffers:
 * data_out (data_size_out bytes, the packet after the run) and ctx_out
 * (ctx_size_out); after a successful run data_size_out and ctx_size_out
 * hold the sizes the command reported, retval and duration its results. */
struct bpfs_loader_run {
	const void *data_in;
	uint32_t data_size_in;
	const void *ctx_in;
	uint32_t ctx_size_in;
	void *data_out;
	uint32_t data_size_out;
	void *ctx_out;
	uint32_t ctx_size_out;
	uint32_t repeat;
	uint32_t retval, duration; /* results */
};
int bpfs_loader_test_run(struct bpfs_loader *l, struct bpfs_loader_run *run);

/* Calls fn on every element of map i, in GET_NEXT_KEY order, with the
 * value as a lookup from userspace copies it (bpfscope: a per-CPU map's
 * value for each CPU; a prog_array's slot as its 4 bytes); an element that
 * disappears during the walk is skipped. fn returns non-zero to stop.
 * Returns 0, -EOPNOTSUPP for a per-CPU map on the kernel backend, or the
 * errno of a failed step. */
typedef int (*bpfs_loader_elem_fn)(void *data, const void *key, size_t key_size, const void *value,
				   size_t value_size);
int bpfs_loader_walk_map(const struct bpfs_loader *l, size_t i, bpfs_loader_elem_fn fn, void *data);

/* ---------------------------------------------------------------------- */
/* Packet input (packet.c)                                                */

/* The packet a test run gets when none is given: 64 bytes, Ethernet
 * 02:00:00:00:00:01 -> 02:00:00:00:00:02, IPv4 10.0.0.1 -> 10.0.0.2 with its
 * header checksum, UDP 1234 -> 53, a zero payload. */
#define BPFS_PACKET_DEFAULT_LEN 64
void bpfs_packet_default(uint8_t out[BPFS_PACKET_DEFAULT_LEN]);

/* A packet from a file: the first record of a pcap file (either byte
 * order, microsecond or nanosecond variant, Ethernet link type only), or
 * else the file's bytes as they are. *data is malloc'd. Errors: the file
 * cannot be read (err->msg says why, naming it), or EINVAL for a pcap
 * file that holds no usable packet ("PATH: pcap ..."). */
int bpfs_packet_read_file(const char *path, uint8_t **data, size_t *len, struct bpfs_err *err);

/* A packet from hex digits (spaces, ':' and newlines between them are
 * ignored). *data is malloc'd. EINVAL for a character that is not a hex
 * digit or an odd number of digits. */
int bpfs_packet_parse_hex(const char *hex, uint8_t **data, size_t *len, struct bpfs_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_BPF_H */
