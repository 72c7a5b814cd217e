/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_LPM_TRIE with the behaviour of the kernel's
 * kernel/bpf/lpm_trie.c: keys are {u32 prefixlen; u8 data[]} with data in
 * network order (bit 0 is the top bit of data[0]); lookup finds the
 * longest stored prefix that covers the key's first prefixlen bits;
 * update and delete act on the exact prefix; get_next_key walks the
 * kernel's trie in post-order (children before their parent, the 0 side
 * before the 1 side), starting over from the first key when the key is
 * missing or invalid.
 *
 * Representation: instead of the kernel's binary trie, a vector of
 * elements kept sorted in that post-order, which is a total order:
 * compare the prefixes up to the shorter one; at the first differing bit
 * the 0 side comes first; a prefix of the other comes after it. Equal
 * under this order means the same prefix, so an exact prefix is found by
 * binary search, and get_next_key is the next element of the vector, with
 * the kernel's order by construction. Lookup tries the prefix lengths in
 * use from the key's down (a count per length says which are) with one
 * binary search each: O(lengths x log n), at most 33 searches for IPv4.
 * Updates and deletes move pointers in the vector, O(n), fine for the
 * sizes LPM maps have in tests and analysis.
 *
 * Stored data keeps the bits past prefixlen as given (the kernel copies
 * the whole key too, and get_next_key returns them).
 *
 * Concurrency: a rwlock; elements are separately allocated and freed
 * through bpfs_call_rcu, so a program's value pointer outlives a
 * concurrent replace or delete until its reader section ends.
 */
#include "maps_int.h"

#include <pthread.h>
#include <stdlib.h>

#define LPM_DATA_SIZE_MAX 256
#define LPM_KEY_SIZE_MIN 5
#define KMALLOC_MAX_SIZE (4u << 20)
#define LPM_VAL_SIZE_MAX (KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - 24u) /* 24: the kernel's node header */

struct lpm_elem {
	struct bpfs_rcu_head rcu;
	uint32_t prefixlen;
	_Alignas(8) uint8_t data[]; /* key data (data_size bytes), padded to 8, then the value */
};

struct lpm {
	struct bpfs_map map;
	pthread_rwlock_t lock;
	uint32_t data_size, max_prefixlen, value_off;
	struct lpm_elem **v; /* sorted in post-order */
	uint32_t n;
	uint32_t *len_count; /* elements per prefix length, max_prefixlen + 1 */
};

static inline struct lpm *lpm_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct lpm, map);
}

static int lpm_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	const uint32_t mask = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
			      BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	if (attr->max_entries == 0 || !(attr->flags & BPF_F_NO_PREALLOC) || attr->flags & ~mask ||
	    !map_flags_access_ok(attr->flags) || attr->key_size < LPM_KEY_SIZE_MIN ||
	    attr->key_size > 4 + LPM_DATA_SIZE_MAX || attr->value_size < 1 ||
	    attr->value_size > LPM_VAL_SIZE_MAX)
		return bpfs_err_set(
		    err, EINVAL, -1,
		    "lpm_trie: needs BPF_F_NO_PREALLOC, key_size 5..260, value_size and max_entries > 0");
	return 0;
}

static struct bpfs_map *lpm_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	struct lpm *t = calloc(1, sizeof(*t));

	if (!t) {
		*errp = -ENOMEM;
		return NULL;
	}
	bpfs_map_init(&t->map, attr);
	pthread_rwlock_init(&t->lock, NULL);
	t->data_size = attr->key_size - 4;
	t->max_prefixlen = t->data_size * 8;
	t->value_off = round_up8(t->data_size);
	t->len_count = calloc(t->max_prefixlen + 1, sizeof(*t->len_count));
	if (!t->len_count) {
		pthread_rwlock_destroy(&t->lock);
		free(t);
		*errp = -ENOMEM;
		return NULL;
	}
	return &t->map;
}

static void lpm_free(struct bpfs_map *map)
{
	struct lpm *t = lpm_of(map);

	for (uint32_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->len_count);
	pthread_rwlock_destroy(&t->lock);
	free(t);
}

static inline unsigned bit_at(const uint8_t *data, uint32_t i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/* Number of leading bits a and b share, up to limit. */
static uint32_t common_bits(const uint8_t *a, const uint8_t *b, uint32_t limit)
{
	uint32_t i = 0;

	for (; i + 8 <= limit && a[i / 8] == b[i / 8]; i += 8)
		;
	for (; i < limit && bit_at(a, i) == bit_at(b, i); i++)
		;
	return i;
}

/* The kernel trie's post-order, as described at the top. */
static int postorder_cmp(uint32_t alen, const uint8_t *a, uint32_t blen, const uint8_t *b)
{
	uint32_t m = alen < blen ? alen : blen;
	uint32_t c = common_bits(a, b, m);

	if (c < m)
		return bit_at(a, c) ? 1 : -1;
	if (alen == blen)
		return 0;
	return alen > blen ? -1 : 1;
}

static inline void key_parts(const void *key, uint32_t *prefixlen, const uint8_t **data)
{
	memcpy(prefixlen, key, 4);
	*data = (const uint8_t *)key + 4;
}

/* Index of the first element not before (prefixlen, data); *exact when it
 * is that prefix. Called with the lock held. */
static uint32_t lpm_search(struct lpm *t, uint32_t prefixlen, const uint8_t *data, bool *exact)
{
	uint32_t lo = 0, hi = t->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (postorder_cmp(t->v[mid]->prefixlen, t->v[mid]->data, prefixlen, data) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*exact = lo < t->n && postorder_cmp(t->v[lo]->prefixlen, t->v[lo]->data, prefixlen, data) == 0;
	return lo;
}

static struct lpm_elem *longest_match(struct lpm *t, const void *key)
{
	const uint8_t *data;
	uint32_t prefixlen;

	key_parts(key, &prefixlen, &data);
	if (prefixlen > t->max_prefixlen)
		return NULL;
	for (uint32_t len = prefixlen + 1; len-- > 0;) {
		bool exact;
		uint32_t at;

		if (!t->len_count[len])
			continue;
		/* the order looks at the first len bits of data only */
		at = lpm_search(t, len, data, &exact);
		if (exact)
			return t->v[at];
	}
	return NULL;
}

static void *lpm_lookup_elem(struct bpfs_map *map, const void *key)
{
	struct lpm *t = lpm_of(map);
	struct lpm_elem *e;

	pthread_rwlock_rdlock(&t->lock);
	e = longest_match(t, key);
	pthread_rwlock_unlock(&t->lock);
	return e ? e->data + t->value_off : NULL;
}

static int lpm_lookup(struct bpfs_map *map, const void *key, void *value)
{
	struct lpm *t = lpm_of(map);
	struct lpm_elem *e;

	pthread_rwlock_rdlock(&t->lock);
	e = longest_match(t, key);
	if (e)
		memcpy(value, e->data + t->value_off, map->attr.value_size);
	pthread_rwlock_unlock(&t->lock);
	return e ? 0 : -ENOENT;
}

static void elem_free_rcu(struct bpfs_rcu_head *head)
{
	free(BPFS_CONTAINER_OF(head, struct lpm_elem, rcu));
}

static int lpm_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	struct lpm *t = lpm_of(map);
	struct lpm_elem *e, *old = NULL;
	const uint8_t *data;
	uint32_t prefixlen, at;
	bool exact;
	int ret = 0;

	if (flags > BPF_EXIST)
		return -EINVAL;
	key_parts(key, &prefixlen, &data);
	if (prefixlen > t->max_prefixlen)
		return -EINVAL;
	e = malloc(sizeof(*e) + t->value_off + map->attr.value_size);
	if (!e)
		return -ENOMEM;
	e->prefixlen = prefixlen;
	memset(e->data, 0, t->value_off);
	memcpy(e->data, data, t->data_size);
	memcpy(e->data + t->value_off, value, map->attr.value_size);

	pthread_rwlock_wrlock(&t->lock);
	at = lpm_search(t, prefixlen, data, &exact);
	if (exact) {
		if (flags == BPF_NOEXIST) {
			ret = -EEXIST;
			goto unlock;
		}
		old = t->v[at];
		t->v[at] = e;
		e = NULL;
		goto unlock;
	}
	if (flags == BPF_EXIST) {
		ret = -ENOENT;
		goto unlock;
	}
	if (t->n >= map->attr.max_entries) {
		ret = -ENOSPC;
		goto unlock;
	}
	if (t->n == 0 || (t->n & (t->n - 1)) == 0) {
		struct lpm_elem **v = realloc(t->v, (t->n ? 2 * (size_t)t->n : 4) * sizeof(*v));

		if (!v) {
			ret = -ENOMEM;
			goto unlock;
		}
		t->v = v;
	}
	memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof(*t->v));
	t->v[at] = e;
	t->n++;
	t->len_count[prefixlen]++;
	e = NULL;
unlock:
	pthread_rwlock_unlock(&t->lock);
	free(e);
	if (old)
		bpfs_call_rcu(&old->rcu, elem_free_rcu);
	return ret;
}

static int lpm_delete(struct bpfs_map *map, const void *key)
{
	struct lpm *t = lpm_of(map);
	struct lpm_elem *old = NULL;
	const uint8_t *data;
	uint32_t prefixlen, at;
	bool exact;

	key_parts(key, &prefixlen, &data);
	if (prefixlen > t->max_prefixlen)
		return -EINVAL;
	pthread_rwlock_wrlock(&t->lock);
	at = lpm_search(t, prefixlen, data, &exact);
	if (exact) {
		old = t->v[at];
		memmove(&t->v[at], &t->v[at + 1], (t->n - at - 1) * sizeof(*t->v));
		t->n--;
		t->len_count[prefixlen]--;
	}
	pthread_rwlock_unlock(&t->lock);
	if (!old)
		return -ENOENT;
	bpfs_call_rcu(&old->rcu, elem_free_rcu);
	return 0;
}

static int lpm_get_next_key(struct bpfs_map *map, const void *key, void *next_key)
{
	struct lpm *t = lpm_of(map);
	uint32_t at = 0, prefixlen = 0;
	const uint8_t *data;
	bool exact = false;
	int ret = 0;

	pthread_rwlock_rdlock(&t->lock);
	if (key) {
		key_parts(key, &prefixlen, &data);
		if (prefixlen <= t->max_prefixlen)
			at = lpm_search(t, prefixlen, data, &exact);
		at = exact ? at + 1 : 0;
	}
	if (t->n == 0 || at >= t->n) {
		ret = -ENOENT;
	} else {
		memcpy(next_key, &t->v[at]->prefixlen, 4);
		memcpy((uint8_t *)next_key + 4, t->v[at]->data, t->data_size);
	}
	pthread_rwlock_unlock(&t->lock);
	return ret;
}

const struct bpfs_map_type_ops bpfs_lpm_trie_ops = {
    .alloc_check = lpm_alloc_check,
    .alloc = lpm_alloc,
    .free = lpm_free,
    .lookup = lpm_lookup,
    .update = lpm_update,
    .delete = lpm_delete,
    .get_next_key = lpm_get_next_key,
    .lookup_elem = lpm_lookup_elem,
};
