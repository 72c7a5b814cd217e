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
int bpfs_prog_load(enum bpf_prog_type prog_type, const struct bpf_insn *insns, int insn_cnt, const char *license,
		   char *log_buf, unsigned int log_size);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_BPF_H */
