/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY: in the kernel, slots hold perf events
 * opened by userspace and bpf_perf_event_output writes into the event's
 * ring buffer, which userspace mmaps. bpfscope has no perf events, so every
 * index has its own output ring, created on first use, that userspace
 * drains with bpfs_map_perf_drain.
 *
 * The syscall side follows the kernel (kernel/bpf/arraymap.c): key and
 * value are 4 bytes, an update must name a perf event descriptor, which
 * no bpfscope descriptor is (EBADF), lookup is not supported (ENOTSUPP,
 * the kernel's internal 524), delete of an empty slot is ENOENT, and
 * get_next_key walks the indexes as for arrays.
 *
 * A ring is a list of records under a mutex, bounded by
 * BPFS_PERF_RING_BYTES; a record that does not fit is counted as lost and
 * the output fails with ENOSPC, as perf_output_begin does.
 */
#include "maps_int.h"

#include <pthread.h>
#include <stdlib.h>

struct perf_rec {
	struct perf_rec *next;
	size_t size;
	uint8_t data[];
};

struct perf_ring {
	pthread_mutex_t lock;
	struct perf_rec *head, **tail;
	size_t bytes;
	uint64_t lost;
};

static inline struct bpfs_fd_array *fd_array_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct bpfs_fd_array, map);
}

static inline struct perf_ring *_Atomic *rings_of(struct bpfs_map *map)
{
	return fd_array_of(map)->rings;
}

static struct bpfs_map *perf_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	struct bpfs_fd_array *fa = bpfs_fd_array_alloc(attr, sizeof(*fa), errp);

	if (!fa)
		return NULL;
	fa->rings = calloc(attr->max_entries, sizeof(struct perf_ring *));
	if (!fa->rings) {
		bpfs_fd_array_free(fa);
		*errp = -ENOMEM;
		return NULL;
	}
	return &fa->map;
}

static void ring_free(struct perf_ring *r)
{
	struct perf_rec *rec = r->head;

	while (rec) {
		struct perf_rec *next = rec->next;

		free(rec);
		rec = next;
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static void perf_free(struct bpfs_map *map)
{
	struct perf_ring *_Atomic *rings = rings_of(map);

	for (uint32_t i = 0; i < map->attr.max_entries; i++) {
		struct perf_ring *r = atomic_load_explicit(&rings[i], memory_order_relaxed);

		if (r)
			ring_free(r);
	}
	free(rings);
	bpfs_fd_array_free(fd_array_of(map));
}

static struct perf_ring *ring_get(struct bpfs_map *map, uint32_t index, bool create)
{
	struct perf_ring *_Atomic *slot = &rings_of(map)[index];
	struct perf_ring *r = atomic_load_explicit(slot, memory_order_acquire), *none = NULL;

	if (r || !create)
		return r;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	r->tail = &r->head;
	if (!atomic_compare_exchange_strong(slot, &none, r)) {
		ring_free(r);
		r = none;
	}
	return r;
}

int bpfs_map_perf_output(struct bpfs_map *map, uint32_t index, const void *data, size_t size)
{
	struct perf_ring *r;
	struct perf_rec *rec;
	int ret = 0;

	if (map->ops != &bpfs_perf_event_array_ops)
		return -EINVAL;
	if (index >= map->attr.max_entries)
		return -E2BIG;
	r = ring_get(map, index, true);
	rec = r ? malloc(sizeof(*rec) + size) : NULL;
	if (!rec)
		return -ENOMEM;
	rec->next = NULL;
	rec->size = size;
	memcpy(rec->data, data, size);
	pthread_mutex_lock(&r->lock);
	if (r->bytes + size > BPFS_PERF_RING_BYTES) {
		r->lost++;
		ret = -ENOSPC;
	} else {
		*r->tail = rec;
		r->tail = &rec->next;
		r->bytes += size;
		rec = NULL;
	}
	pthread_mutex_unlock(&r->lock);
	free(rec);
	return ret;
}

static int drain_one(struct bpfs_map *map, uint32_t index, bpfs_perf_fn fn, void *ctx)
{
	struct perf_ring *r = ring_get(map, index, false);
	struct perf_rec *rec;
	int n = 0;

	if (!r)
		return 0;
	pthread_mutex_lock(&r->lock);
	rec = r->head;
	r->head = NULL;
	r->tail = &r->head;
	r->bytes = 0;
	pthread_mutex_unlock(&r->lock);
	while (rec) {
		struct perf_rec *next = rec->next;

		if (fn)
			fn(ctx, index, rec->data, rec->size);
		free(rec);
		rec = next;
		n++;
	}
	return n;
}

int bpfs_map_perf_drain(struct bpfs_map *map, uint32_t index, bpfs_perf_fn fn, void *ctx)
{
	int n = 0;

	if (map->ops != &bpfs_perf_event_array_ops)
		return -EINVAL;
	if (index != BPFS_PERF_ALL) {
		if (index >= map->attr.max_entries)
			return -E2BIG;
		return drain_one(map, index, fn, ctx);
	}
	for (uint32_t i = 0; i < map->attr.max_entries; i++)
		n += drain_one(map, i, fn, ctx);
	return n;
}

uint64_t bpfs_map_perf_lost(struct bpfs_map *map, uint32_t index)
{
	uint64_t lost = 0;

	if (map->ops != &bpfs_perf_event_array_ops)
		return 0;
	for (uint32_t i = 0; i < map->attr.max_entries; i++) {
		struct perf_ring *r;

		if (index != BPFS_PERF_ALL && i != index)
			continue;
		r = ring_get(map, i, false);
		if (!r)
			continue;
		pthread_mutex_lock(&r->lock);
		lost += r->lost;
		pthread_mutex_unlock(&r->lock);
	}
	return lost;
}

static int perf_lookup(struct bpfs_map *map, const void *key, void *value)
{
	(void)map;
	(void)key;
	(void)value;
	return -ENOTSUPP;
}

const struct bpfs_map_type_ops bpfs_perf_event_array_ops = {
    .alloc_check = bpfs_fd_array_alloc_check,
    .alloc = perf_alloc,
    .free = perf_free,
    .release_uref = bpfs_fd_array_clear,
    .lookup = perf_lookup,
    .update = bpfs_fd_array_update_nofd,
    .delete = bpfs_fd_array_delete,
    .get_next_key = bpfs_array_get_next_key,
};
