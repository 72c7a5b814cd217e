/* SPDX-License-Identifier: MIT */
/*
 * Arrays of object references (the kernel's "fd arrays",
 * kernel/bpf/arraymap.c), and BPF_MAP_TYPE_PROG_ARRAY, the tail-call jump
 * table, built on them.
 *
 * From the syscall side a value is a u32 descriptor; the descriptor layer
 * resolves it into a counted reference (struct bpfs_ref) that the slot then
 * owns. Updates take only BPF_ANY (EINVAL otherwise), an index out of range
 * is E2BIG on update and delete, an empty slot ENOENT on lookup and delete.
 * A prog_array lookup returns the program's id, and all programs of one
 * prog_array must share a program type.
 *
 * Slots are swapped atomically; the reference a slot drops is put only
 * after current readers are done, so a tail call that read the slot keeps
 * a live program. When the last user reference of a prog_array goes, its
 * slots are cleared (a program in the array may hold the map itself, and
 * this breaks that cycle), as the kernel does.
 */
#include "maps_int.h"

#include <stdlib.h>

static inline struct bpfs_fd_array *fd_array_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct bpfs_fd_array, map);
}

int bpfs_fd_array_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	if (attr->value_size != sizeof(uint32_t))
		return bpfs_err_set(err, EINVAL, -1, "value_size must be 4 (a descriptor)");
	if (attr->flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return bpfs_err_set(err, EINVAL, -1, "invalid flags 0x%x", attr->flags);
	return bpfs_array_alloc_check(attr, err);
}

struct bpfs_fd_array *bpfs_fd_array_alloc(const struct bpfs_map_attr *attr, size_t size, int *errp)
{
	struct bpfs_fd_array *fa = calloc(1, size);

	if (!fa)
		goto nomem;
	bpfs_map_init(&fa->map, attr);
	fa->slots = calloc(attr->max_entries, sizeof(*fa->slots));
	if (!fa->slots)
		goto nomem;
	return fa;
nomem:
	free(fa);
	*errp = -ENOMEM;
	return NULL;
}

void bpfs_fd_array_free(struct bpfs_fd_array *fa)
{
	for (uint32_t i = 0; i < fa->map.attr.max_entries; i++)
		bpfs_ref_put(atomic_load_explicit(&fa->slots[i], memory_order_relaxed));
	free(fa->slots);
	free(fa);
}

static struct bpfs_map *prog_array_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	struct bpfs_fd_array *fa = bpfs_fd_array_alloc(attr, sizeof(*fa), errp);

	return fa ? &fa->map : NULL;
}

static void prog_array_free(struct bpfs_map *map)
{
	bpfs_fd_array_free(fd_array_of(map));
}

/* Stores ref (may be NULL) at index; returns the previous occupant through
 * a deferred put. prepared comes from bpfs_deferred_put_prepare. */
static struct bpfs_ref *slot_swap(struct bpfs_fd_array *fa, uint32_t index, struct bpfs_ref *ref)
{
	return atomic_exchange(&fa->slots[index], ref);
}

static int check_fd_update(struct bpfs_map *map, const void *key, uint64_t flags, uint32_t *index)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	memcpy(index, key, 4);
	if (*index >= map->attr.max_entries)
		return -E2BIG;
	return 0;
}

int bpfs_map_fd_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags,
		       bpfs_map_fd_resolve_fn resolve, void *ctx)
{
	struct bpfs_fd_array *fa;
	struct bpfs_ref *ref = NULL;
	uint32_t index, fd;
	void *prepared = NULL;
	int ret;

	if (map->ops != &bpfs_prog_array_ops && map->ops != &bpfs_perf_event_array_ops)
		return -EINVAL;
	fa = fd_array_of(map);
	ret = check_fd_update(map, key, flags, &index);
	if (ret)
		goto out;
	memcpy(&fd, value, 4);
	ret = resolve ? resolve(ctx, map, fd, &ref) : -EBADF;
	if (ret)
		goto out;
	prepared = bpfs_deferred_put_prepare();
	if (!prepared) {
		ret = -ENOMEM;
		goto out;
	}
	bpfs_deferred_put_commit(prepared, slot_swap(fa, index, ref));
	ref = NULL;
out:
	if (ref)
		bpfs_ref_put(ref);
	return ret;
}

int bpfs_fd_array_update_nofd(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	return bpfs_map_fd_update(map, key, value, flags, NULL, NULL);
}

int bpfs_fd_array_delete(struct bpfs_map *map, const void *key)
{
	struct bpfs_fd_array *fa = fd_array_of(map);
	void *prepared;
	struct bpfs_ref *old;
	uint32_t index;

	memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		return -E2BIG;
	if (!atomic_load(&fa->slots[index]))
		return -ENOENT;
	prepared = bpfs_deferred_put_prepare();
	if (!prepared)
		return -ENOMEM;
	old = slot_swap(fa, index, NULL);
	bpfs_deferred_put_commit(prepared, old);
	return old ? 0 : -ENOENT;
}

void bpfs_fd_array_clear(struct bpfs_map *map)
{
	struct bpfs_fd_array *fa = fd_array_of(map);

	for (uint32_t i = 0; i < map->attr.max_entries; i++) {
		void *prepared;

		if (!atomic_load(&fa->slots[i]))
			continue;
		prepared = bpfs_deferred_put_prepare();
		if (prepared)
			bpfs_deferred_put_commit(prepared, slot_swap(fa, i, NULL));
		/* else the reference stays until the map is freed */
	}
}

static int prog_array_lookup(struct bpfs_map *map, const void *key, void *value)
{
	struct bpfs_fd_array *fa = fd_array_of(map);
	struct bpfs_ref *ref;
	uint32_t index;

	memcpy(&index, key, 4);
	if (index >= map->attr.max_entries)
		return -ENOENT;
	ref = atomic_load_explicit(&fa->slots[index], memory_order_acquire);
	if (!ref)
		return -ENOENT;
	memcpy(value, &ref->id, 4);
	return 0;
}

struct bpfs_ref *bpfs_map_prog_array_get(struct bpfs_map *map, uint32_t index)
{
	if (map->ops != &bpfs_prog_array_ops || index >= map->attr.max_entries)
		return NULL;
	return atomic_load_explicit(&fd_array_of(map)->slots[index], memory_order_acquire);
}

int bpfs_map_prog_array_compat(struct bpfs_map *map, uint32_t prog_type)
{
	struct bpfs_fd_array *fa;
	uint32_t want = prog_type + 1, cur = 0;

	if (map->ops != &bpfs_prog_array_ops)
		return 0;
	fa = fd_array_of(map);
	if (atomic_compare_exchange_strong(&fa->owner_type, &cur, want))
		return 0;
	return cur == want ? 0 : -EINVAL;
}

const struct bpfs_map_type_ops bpfs_prog_array_ops = {
    .alloc_check = bpfs_fd_array_alloc_check,
    .alloc = prog_array_alloc,
    .free = prog_array_free,
    .release_uref = bpfs_fd_array_clear,
    .lookup = prog_array_lookup,
    .update = bpfs_fd_array_update_nofd,
    .delete = bpfs_fd_array_delete,
    .get_next_key = bpfs_array_get_next_key,
};
