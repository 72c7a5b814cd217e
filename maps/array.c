/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY, with the semantics of
 * the kernel's kernel/bpf/arraymap.c: u32 keys, zeroed at creation,
 * elements never deleted (EINVAL), an index out of range gives E2BIG on
 * update and ENOENT on lookup, BPF_NOEXIST always EEXIST, and
 * get_next_key goes 0, 1, ... max_entries - 1 (an out-of-range key
 * restarts at 0).
 *
 * Values live in place, elem_size = round_up(value_size, 8) apart (times
 * the CPU count for per-CPU arrays). Programs get pointers into them, as in
 * the kernel. Syscall-side copies and program-side updates of one element
 * serialise on a striped spinlock, so those never see half of another's write;
 * a program writing through its pointer is not serialised, exactly as in
 * the kernel.
 */
#include "maps_int.h"

#include <pthread.h>
#include <stdlib.h>

#define NLOCKS 64
#define PCPU_MIN_UNIT_SIZE (32u << 10)

struct array {
	struct bpfs_map map;
	uint32_t stride;   /* round_up8(value_size) */
	uint32_t elem_len; /* bytes per index */
	struct {
		pthread_spinlock_t l;
	} __attribute__((aligned(64))) locks[NLOCKS];
	uint8_t *values;
};

static inline struct array *array_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct array, map);
}

static int array_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	const uint32_t mask = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_RDONLY | BPF_F_WRONLY |
			      BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP;
	bool percpu = attr->type == BPF_MAP_TYPE_PERCPU_ARRAY;

	if (attr->max_entries == 0 || attr->key_size != 4 || attr->value_size == 0 || attr->flags & ~mask ||
	    !map_flags_access_ok(attr->flags) || (percpu && (attr->flags & BPF_F_NUMA_NODE)))
		return bpfs_err_set(err, EINVAL, -1,
				    "array: key_size must be 4, value_size and max_entries > 0");
	if (attr->type != BPF_MAP_TYPE_ARRAY && attr->flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP))
		return bpfs_err_set(err, EINVAL, -1, "BPF_F_MMAPABLE and BPF_F_INNER_MAP are for arrays");
	if (attr->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY && attr->flags & BPF_F_PRESERVE_ELEMS)
		return bpfs_err_set(err, EINVAL, -1, "BPF_F_PRESERVE_ELEMS is for perf_event_array");
	if (percpu && attr->value_size > PCPU_MIN_UNIT_SIZE)
		return bpfs_err_set(err, E2BIG, -1, "per-CPU value_size %u too large", attr->value_size);
	if (attr->value_size > INT32_MAX)
		return bpfs_err_set(err, E2BIG, -1, "value_size %u too large", attr->value_size);
	return 0;
}

static struct bpfs_map *array_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	struct array *a = calloc(1, sizeof(*a));
	uint64_t bytes;

	if (!a)
		goto nomem;
	a->map.percpu = attr->type == BPF_MAP_TYPE_PERCPU_ARRAY;
	bpfs_map_init(&a->map, attr);
	a->stride = round_up8(attr->value_size);
	a->elem_len = a->map.percpu ? a->stride * bpfs_map_ncpus() : a->stride;
	bytes = (uint64_t)a->elem_len * attr->max_entries;
	if (bytes > SIZE_MAX / 2)
		goto nomem;
	a->values = calloc(1, bytes);
	if (!a->values)
		goto nomem;
	for (int i = 0; i < NLOCKS; i++)
		pthread_spin_init(&a->locks[i].l, PTHREAD_PROCESS_PRIVATE);
	return &a->map;
nomem:
	free(a);
	*errp = -ENOMEM;
	return NULL;
}

static void array_free(struct bpfs_map *map)
{
	struct array *a = array_of(map);

	for (int i = 0; i < NLOCKS; i++)
		pthread_spin_destroy(&a->locks[i].l);
	free(a->values);
	free(a);
}

static inline uint8_t *elem_at(struct array *a, uint32_t index)
{
	return a->values + (size_t)index * a->elem_len;
}

static void *array_lookup_elem(struct bpfs_map *map, const void *key)
{
	struct array *a = array_of(map);
	uint32_t index;

	memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		return NULL;
	return elem_at(a, index) + (map->percpu ? (size_t)bpfs_map_cpu() * a->stride : 0);
}

static int array_lookup(struct bpfs_map *map, const void *key, void *value)
{
	struct array *a = array_of(map);
	uint32_t index, len = map->percpu ? a->elem_len : map->attr.value_size;
	pthread_spinlock_t *lk;

	memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		return -ENOENT;
	lk = &a->locks[index % NLOCKS].l;
	pthread_spin_lock(lk);
	memcpy(value, elem_at(a, index), len);
	pthread_spin_unlock(lk);
	return 0;
}

/* cpu < 0: the syscall side's whole value; else that CPU's slot. */
static int array_update_common(struct bpfs_map *map, const void *key, const void *value, uint64_t flags,
			       int cpu)
{
	struct array *a = array_of(map);
	uint32_t index;
	uint8_t *dst;
	size_t len = map->attr.value_size;
	pthread_spinlock_t *lk;

	/* the kernel's order: unknown flags, the index, BPF_NOEXIST, then
	 * BPF_F_LOCK (no value has a spin lock) */
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;
	memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		return -E2BIG;
	if (flags & BPF_NOEXIST)
		return -EEXIST; /* all elements always exist */
	if (flags & BPF_F_LOCK)
		return -EINVAL;
	dst = elem_at(a, index);
	if (map->percpu && cpu < 0)
		len = a->elem_len;
	else if (map->percpu)
		dst += (size_t)cpu * a->stride;
	lk = &a->locks[index % NLOCKS].l;
	pthread_spin_lock(lk);
	memcpy(dst, value, len);
	pthread_spin_unlock(lk);
	return 0;
}

static int array_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	return array_update_common(map, key, value, flags, -1);
}

static int array_update_elem(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	return array_update_common(map, key, value, flags, (int)bpfs_map_cpu());
}

static int array_delete(struct bpfs_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -EINVAL;
}

int bpfs_array_get_next_key(struct bpfs_map *map, const void *key, void *next_key)
{
	uint32_t index = UINT32_MAX, next;

	if (key)
		memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		next = 0;
	else if (index == map->attr.max_entries - 1)
		return -ENOENT;
	else
		next = index + 1;
	memcpy(next_key, &next, 4);
	return 0;
}

int bpfs_array_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	return array_alloc_check(attr, err);
}

const struct bpfs_map_type_ops bpfs_array_ops = {
    .alloc_check = array_alloc_check,
    .alloc = array_alloc,
    .free = array_free,
    .in_place = true,
    .lookup = array_lookup,
    .update = array_update,
    .delete = array_delete,
    .get_next_key = bpfs_array_get_next_key,
    .lookup_elem = array_lookup_elem,
    .update_elem = array_update_elem,
};

const struct bpfs_map_type_ops bpfs_percpu_array_ops = {
    .alloc_check = array_alloc_check,
    .alloc = array_alloc,
    .free = array_free,
    .in_place = true,
    .lookup = array_lookup,
    .update = array_update,
    .delete = array_delete,
    .get_next_key = bpfs_array_get_next_key,
    .lookup_elem = array_lookup_elem,
    .update_elem = array_update_elem,
};
