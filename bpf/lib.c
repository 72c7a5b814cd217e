/* SPDX-License-Identifier: MIT */
/*
 * The 2014 mini library of the kernel's samples/bpf (libbpf.c before
 * tools/lib/bpf existed), over bpfs_bpf(): each wrapper fills the attr
 * fields of one command and returns what bpf() returns.
 */
#include "bpf_int.h"

#include <string.h>

static inline uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

int bpfs_create_map(enum bpf_map_type map_type, int key_size, int value_size, int max_entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	attr.key_size = (uint32_t)key_size;
	attr.value_size = (uint32_t)value_size;
	attr.max_entries = (uint32_t)max_entries;
	return (int)bpfs_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

static int elem_cmd(int cmd, int fd, const void *key, const void *value, unsigned long long flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return (int)bpfs_bpf(cmd, &attr, sizeof(attr));
}

int bpfs_update_elem(int fd, void *key, void *value, unsigned long long flags)
{
	return elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int bpfs_lookup_elem(int fd, void *key, void *value)
{
	return elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpfs_delete_elem(int fd, void *key)
{
	return elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpfs_get_next_key(int fd, void *key, void *next_key)
{
	return elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

int bpfs_prog_load(enum bpf_prog_type prog_type, const struct bpf_insn *insns, int insn_cnt,
		   const char *license, char *log_buf, unsigned int log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog_type;
	attr.insns = ptr_to_u64(insns);
	attr.insn_cnt = (uint32_t)insn_cnt;
	attr.license = ptr_to_u64(license);
	attr.log_buf = ptr_to_u64(log_buf);
	attr.log_size = log_buf ? log_size : 0;
	attr.log_level = log_buf && log_size ? 1 : 0;
	return (int)bpfs_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}
