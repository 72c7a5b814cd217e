/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_BLOOM_FILTER, as the kernel's kernel/bpf/bloom_filter.c
 * behaves: no key (key_size 0), values are pushed (update with a NULL key,
 * BPF_ANY only) and tested (lookup, which reads the value to test: 0 when
 * possibly present, ENOENT when certainly absent); no delete and no
 * get_next_key (EOPNOTSUPP). The number of hash functions is the low 4
 * bits of map_extra, 5 when zero; other bits of map_extra are EINVAL.
 *
 * The bitset is sized as the kernel sizes it (entries x hashes / ln 2,
 * rounded up to a power of two), so false-positive rates are comparable;
 * the hash functions are bpfscope's own, so which values collide differs.
 * Bits are set with atomic or, so pushes and tests run concurrently
 * without locks; a push is visible to tests that start after it returns.
 */
#include "maps_int.h"

#include <stdlib.h>

#define KMALLOC_MAX_SIZE (4u << 20)

struct bloom {
	struct bpfs_map map;
	uint32_t nr_hash;
	uint64_t bit_mask;
	uint64_t seed;
	_Atomic uint64_t *bits;
};

static inline struct bloom *bloom_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct bloom, map);
}

static int bloom_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	const uint32_t mask = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_RDONLY | BPF_F_WRONLY |
			      BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	if (attr->key_size != 0 || attr->value_size == 0 || attr->max_entries == 0 || attr->flags & ~mask ||
	    !map_flags_access_ok(attr->flags) || (attr->map_extra & ~0xfull))
		return bpfs_err_set(
		    err, EINVAL, -1,
		    "bloom filter: key_size must be 0, value_size and max_entries > 0, map_extra < 16");
	if (attr->value_size > KMALLOC_MAX_SIZE)
		return bpfs_err_set(err, E2BIG, -1, "value_size %u too large", attr->value_size);
	return 0;
}

static struct bpfs_map *bloom_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	struct bloom *b = calloc(1, sizeof(*b));
	uint64_t nbits, p = 64;

	if (!b)
		goto nomem;
	bpfs_map_init(&b->map, attr);
	b->nr_hash = attr->map_extra & 0xf ? (uint32_t)(attr->map_extra & 0xf) : 5;
	nbits = (uint64_t)attr->max_entries * b->nr_hash / 5 * 7;
	while (p < nbits && p < (1ull << 31))
		p <<= 1;
	b->bit_mask = p - 1;
	b->seed = (attr->flags & BPF_F_ZERO_SEED) ? 0 : bpfs_hash64(&b, sizeof(b), b->map.id);
	b->bits = calloc(p / 64, sizeof(uint64_t));
	if (!b->bits)
		goto nomem;
	return &b->map;
nomem:
	free(b);
	*errp = -ENOMEM;
	return NULL;
}

static void bloom_free(struct bpfs_map *map)
{
	struct bloom *b = bloom_of(map);

	free(b->bits);
	free(b);
}

static inline uint64_t bit_of(struct bloom *b, const void *value, uint32_t i)
{
	return bpfs_hash64(value, b->map.attr.value_size, b->seed + i) & b->bit_mask;
}

static int bloom_push(struct bpfs_map *map, const void *value, uint64_t flags)
{
	struct bloom *b = bloom_of(map);

	if (flags != BPF_ANY)
		return -EINVAL;
	for (uint32_t i = 0; i < b->nr_hash; i++) {
		uint64_t bit = bit_of(b, value, i);

		atomic_fetch_or_explicit(&b->bits[bit / 64], 1ull << (bit % 64), memory_order_release);
	}
	return 0;
}

static int bloom_peek(struct bpfs_map *map, void *value)
{
	struct bloom *b = bloom_of(map);

	for (uint32_t i = 0; i < b->nr_hash; i++) {
		uint64_t bit = bit_of(b, value, i);

		if (!(atomic_load_explicit(&b->bits[bit / 64], memory_order_acquire) & (1ull << (bit % 64))))
			return -ENOENT;
	}
	return 0;
}

static int bloom_lookup(struct bpfs_map *map, const void *key, void *value)
{
	(void)key;
	return bloom_peek(map, value);
}

static int bloom_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	(void)key;
	return bloom_push(map, value, flags);
}

static int bloom_unsupported(struct bpfs_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -EOPNOTSUPP;
}

static int bloom_get_next_key(struct bpfs_map *map, const void *key, void *next_key)
{
	(void)map;
	(void)key;
	(void)next_key;
	return -EOPNOTSUPP;
}

const struct bpfs_map_type_ops bpfs_bloom_ops = {
    .alloc_check = bloom_alloc_check,
    .alloc = bloom_alloc,
    .free = bloom_free,
    .lookup = bloom_lookup,
    .update = bloom_update,
    .delete = bloom_unsupported,
    .get_next_key = bloom_get_next_key,
    .push = bloom_push,
    .peek = bloom_peek,
};
