/* SPDX-License-Identifier: MIT */
/*
 * The bpf() command layer: bpfs_bpf() checks what the kernel's __sys_bpf
 * (kernel/bpf/syscall.c) checks for every command, then dispatches from a
 * table of commands, each with the end of its last attr field and its
 * handler.
 *
 * Checks shared by every command, in the kernel's order:
 *   - size above a page, or bytes past sizeof(union bpf_attr) that are
 *     not zero: E2BIG (bpf_check_uarg_tail_zero);
 *   - attr is copied into a zeroed union (so a short size is fine);
 *   - unknown command: EINVAL;
 *   - any non-zero byte after the command's last field: EINVAL
 *     (CHECK_ATTR).
 * The map commands then follow map_create, map_lookup_elem,
 * map_update_elem, map_delete_elem and map_get_next_key: descriptor
 * (EBADF, or EINVAL for a program's), access rights of BPF_F_RDONLY and
 * BPF_F_WRONLY maps (EPERM), keys (EFAULT for a NULL key the map needs,
 * EINVAL for a key given to a map without keys), then the map type.
 *
 * "Last field" is the last field of the system's <linux/bpf.h>; a newer
 * kernel's extra fields are bytes bpfscope does not know, so they must be
 * zero (E2BIG past the union, EINVAL inside it).
 */
#include "bpf_int.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE_MAX 4096
#define STACK_BUF 256

_Static_assert(sizeof(union bpf_attr) >= 72, "union bpf_attr smaller than the map commands need");
_Static_assert(offsetof(union bpf_attr, map_fd) == 0 && offsetof(union bpf_attr, key) == 8 &&
		   offsetof(union bpf_attr, value) == 16 && offsetof(union bpf_attr, flags) == 24,
	       "unexpected layout of the BPF_MAP_*_ELEM attrs");
_Static_assert(offsetof(union bpf_attr, map_type) == 0 && offsetof(union bpf_attr, map_flags) == 16 &&
		   offsetof(union bpf_attr, map_name) == 28,
	       "unexpected layout of the BPF_MAP_CREATE attrs");

typedef long (*cmd_fn)(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);

struct cmd_desc {
	size_t last_end; /* offset just past the command's last field */
	cmd_fn fn;
};

static inline void *u64_to_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* ---------------------------------------------------------------------- */
/* Map commands                                                           */

static long map_create(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_map_attr ma = {
	    .type = attr->map_type,
	    .key_size = attr->key_size,
	    .value_size = attr->value_size,
	    .max_entries = attr->max_entries,
	    .flags = attr->map_flags,
	    .numa_node = attr->numa_node,
	    .map_extra = attr->map_extra,
	};
	struct bpfs_map *map;
	long ret;

	(void)uattr;
	(void)size;
	_Static_assert(sizeof(ma.name) == sizeof(attr->map_name), "map name sizes differ");
	memcpy(ma.name, attr->map_name, sizeof(ma.name));
	/* BTF and device offload are not modelled: refuse rather than ignore */
	if (attr->btf_key_type_id || attr->btf_value_type_id || attr->btf_vmlinux_value_type_id)
		return -ENOTSUPP;
	if (attr->map_ifindex)
		return -EINVAL;
	ret = bpfs_map_new(&ma, &map, NULL);
	if (ret)
		return ret;
	ret = bpfs_fd_install(BPFS_OBJ_MAP, map);
	if (ret < 0)
		bpfs_map_put_uref(map);
	return ret;
}

enum access { READ = 1, WRITE = 2 };

/* The map of attr->map_fd, with a reference, checked for access as
 * map_get_sys_perms does. */
static int get_map(union bpf_attr *attr, enum access acc, struct bpfs_map **out)
{
	int ret = bpfs_fd_get((int)attr->map_fd, BPFS_OBJ_MAP, (void **)out);
	uint32_t flags;

	if (ret)
		return ret;
	flags = bpfs_map_attr(*out)->flags;
	if (((acc & READ) && (flags & BPF_F_WRONLY)) || ((acc & WRITE) && (flags & BPF_F_RDONLY))) {
		bpfs_map_put(*out);
		*out = NULL;
		return -EPERM;
	}
	return 0;
}

/* The kernel's __bpf_copy_key: maps without keys take no key pointer. */
static int check_key(const struct bpfs_map *map, uint64_t ukey, bool may_be_null)
{
	if (bpfs_map_attr(map)->key_size == 0)
		return ukey ? -EINVAL : 0;
	if (!ukey && !may_be_null)
		return -EFAULT;
	return 0;
}

/* A value buffer of n bytes: buf if large enough, else malloc'd. */
static void *value_buf(uint8_t *buf, size_t n)
{
	return n <= STACK_BUF ? buf : malloc(n);
}

static void value_buf_free(uint8_t *buf, void *v)
{
	if (v != buf)
		free(v);
}

static long map_lookup(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_map *map = NULL;
	uint8_t buf[STACK_BUF] __attribute__((aligned(8)));
	void *v = NULL;
	uint32_t vsize;
	long ret;

	(void)uattr;
	(void)size;
	if (attr->flags & ~(uint64_t)BPF_F_LOCK)
		return -EINVAL;
	ret = get_map(attr, READ, &map);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (attr->flags & BPF_F_LOCK)
		goto out;
	ret = check_key(map, attr->key, false);
	if (ret)
		goto out;
	vsize = bpfs_map_user_value_size(map);
	v = value_buf(buf, vsize);
	ret = -ENOMEM;
	if (!v)
		goto out;
	if (bpfs_map_attr(map)->type == BPF_MAP_TYPE_BLOOM_FILTER) {
		/* the value is what to look for */
		ret = -EFAULT;
		if (!attr->value)
			goto out;
		memcpy(v, u64_to_ptr(attr->value), vsize);
	}
	ret = bpfs_map_lookup(map, u64_to_ptr(attr->key), v, attr->flags);
	if (ret)
		goto out;
	ret = -EFAULT;
	if (!attr->value)
		goto out;
	memcpy(u64_to_ptr(attr->value), v, vsize);
	ret = 0;
out:
	value_buf_free(buf, v);
	bpfs_map_put(map);
	return ret;
}

/* Resolves a descriptor stored into a fd array. */
static int resolve_fd(void *ctx, struct bpfs_map *map, uint32_t fd, struct bpfs_ref **out)
{
	struct bpfs_loaded_prog *prog;
	int ret;

	(void)ctx;
	/* bpfscope has no perf events, so no descriptor is one */
	if (bpfs_map_attr(map)->type != BPF_MAP_TYPE_PROG_ARRAY)
		return -EBADF;
	ret = bpfs_fd_get_prog((int)fd, &prog);
	if (ret)
		return ret;
	if (prog->type == BPF_PROG_TYPE_EXT || bpfs_map_prog_array_compat(map, prog->type)) {
		bpfs_loaded_prog_put(prog);
		return -EINVAL;
	}
	*out = &prog->ref;
	return 0;
}

static long map_update(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_map *map = NULL;
	uint32_t type;
	long ret;

	(void)uattr;
	(void)size;
	ret = get_map(attr, WRITE, &map);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (attr->flags & BPF_F_LOCK)
		goto out;
	ret = check_key(map, attr->key, false);
	if (ret)
		goto out;
	ret = -EFAULT;
	if (!attr->value)
		goto out;
	type = bpfs_map_attr(map)->type;
	if (type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		ret = bpfs_map_fd_update(map, u64_to_ptr(attr->key), u64_to_ptr(attr->value), attr->flags,
					 resolve_fd, NULL);
	else
		ret = bpfs_map_update(map, u64_to_ptr(attr->key), u64_to_ptr(attr->value), attr->flags);
out:
	bpfs_map_put(map);
	return ret;
}

static long map_delete(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_map *map = NULL;
	long ret;

	(void)uattr;
	(void)size;
	ret = get_map(attr, WRITE, &map);
	if (ret)
		goto out;
	ret = check_key(map, attr->key, false);
	if (ret)
		goto out;
	ret = bpfs_map_delete(map, u64_to_ptr(attr->key));
out:
	bpfs_map_put(map);
	return ret;
}

static long map_get_next_key(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_map *map = NULL;
	uint8_t buf[STACK_BUF] __attribute__((aligned(8)));
	void *next = NULL;
	uint32_t ksize;
	long ret;

	(void)uattr;
	(void)size;
	ret = get_map(attr, READ, &map);
	if (ret)
		goto out;
	ret = check_key(map, attr->key, true);
	if (ret)
		goto out;
	ksize = bpfs_map_attr(map)->key_size;
	next = value_buf(buf, ksize ? ksize : 1);
	ret = -ENOMEM;
	if (!next)
		goto out;
	ret = bpfs_map_get_next_key(map, u64_to_ptr(attr->key), next);
	if (ret)
		goto out;
	ret = -EFAULT;
	if (!attr->next_key)
		goto out;
	memcpy(u64_to_ptr(attr->next_key), next, ksize);
	ret = 0;
out:
	value_buf_free(buf, next);
	bpfs_map_put(map);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Dispatch                                                               */

static const struct cmd_desc cmds[] = {
    [BPF_MAP_CREATE] = {BPFS_OFFSETOFEND(union bpf_attr, map_extra), map_create},
    [BPF_MAP_LOOKUP_ELEM] = {BPFS_OFFSETOFEND(union bpf_attr, flags), map_lookup},
    [BPF_MAP_UPDATE_ELEM] = {BPFS_OFFSETOFEND(union bpf_attr, flags), map_update},
    [BPF_MAP_DELETE_ELEM] = {BPFS_OFFSETOFEND(union bpf_attr, key), map_delete},
    [BPF_MAP_GET_NEXT_KEY] = {BPFS_OFFSETOFEND(union bpf_attr, next_key), map_get_next_key},
    [BPF_PROG_LOAD] = {BPFS_OFFSETOFEND(union bpf_attr, core_relo_rec_size), bpfs_cmd_prog_load},
    [BPF_PROG_TEST_RUN] = {BPFS_OFFSETOFEND(union bpf_attr, test.batch_size), bpfs_cmd_prog_test_run},
};

static bool all_zero(const void *p, size_t n)
{
	static const uint8_t zeroes[PAGE_SIZE_MAX];

	return n == 0 || !memcmp(p, zeroes, n);
}

static long sys_bpf(int cmd, union bpf_attr *uattr, unsigned int size)
{
	union bpf_attr attr;
	const struct cmd_desc *d;

	if (size > PAGE_SIZE_MAX)
		return -E2BIG;
	if (size && !uattr)
		return -EFAULT;
	if (size > sizeof(attr) && !all_zero((uint8_t *)uattr + sizeof(attr), size - sizeof(attr)))
		return -E2BIG;
	if (size > sizeof(attr))
		size = sizeof(attr);
	memset(&attr, 0, sizeof(attr));
	if (size)
		memcpy(&attr, uattr, size);
	if (cmd < 0 || (size_t)cmd >= sizeof(cmds) / sizeof(cmds[0]) || !cmds[cmd].fn) {
		/* commands of the kernel's that bpfscope does not model yet */
		if (cmd >= 0 && cmd <= BPF_PROG_BIND_MAP)
			return -EOPNOTSUPP;
		return -EINVAL;
	}
	d = &cmds[cmd];
	if (!all_zero((uint8_t *)&attr + d->last_end, sizeof(attr) - d->last_end))
		return -EINVAL;
	return d->fn(&attr, uattr, size);
}

long bpfs_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long ret = sys_bpf(cmd, attr, size);

	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
