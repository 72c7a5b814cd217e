/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_PERCPU_HASH and their LRU variants, with
 * the semantics of the kernel's kernel/bpf/hashtab.c (checks, flags, errno
 * values, iteration by bucket), implemented independently.
 *
 * Layout: a power-of-two array of bucket heads, each a singly linked list
 * of separately allocated elements {hash, key, value}. Writers (update,
 * delete) serialise per bucket on a striped spinlock; readers take no lock.
 *
 * Concurrency, and why a reader never sees a torn value: an element is
 * never modified after it is published (with a release store) -- replacing
 * a value allocates a new element, links it in place of the old one and
 * hands the old one to bpfs_call_rcu, so a reader that found the old
 * element keeps reading a complete old value, and the memory stays valid
 * until its reader section ends (this is what the kernel's RCU gives a
 * program holding a pointer from bpf_map_lookup_elem). An unlinked element
 * keeps its next pointer, so a reader standing on it walks on into the
 * live list. The one exception is per-CPU values written by a program
 * through bpf_map_update_elem on an existing element: as in the kernel,
 * that CPU's slot is overwritten in place.
 *
 * The element count is an atomic counter; inserting a new key into a full
 * map fails with E2BIG, replacing an existing key never does.
 *
 * LRU maps never refuse a new key for lack of room: they evict the least
 * recently used element first. Each element carries the map's clock (a
 * counter advanced by every insertion) as of its last insertion or
 * lookup; eviction takes the oldest element of every bucket in small maps,
 * of a window of buckets from a rotating cursor in large ones (an
 * approximation, as the kernel's own LRU is). As in the kernel, an LRU
 * update takes its place in the map (evicting when the map is full)
 * before it looks at the key or the flags, so in a full map it evicts even
 * when it then fails (BPF_EXIST on a missing key), replaces a key, or finds
 * that the victim was its own key (BPF_NOEXIST then succeeds); the per-CPU
 * LRU map takes no place for BPF_EXIST. The eviction runs with no bucket
 * lock held, so two threads never wait on each other's bucket.
 *
 * Like the kernel's, an LRU map that runs out of room evicts a batch of
 * elements at once and keeps the spare places for the insertions that
 * follow: max_entries / CPUs / 2 of them (1 to 128) with the common LRU
 * list, 4 with BPF_F_NO_COMMON_LRU. With BPF_F_NO_COMMON_LRU the places
 * are split evenly between the CPUs (max_entries rounded up to a multiple
 * of the CPU count, as the kernel rounds it): an element belongs to the
 * CPU that inserted it (bpfs_map_cpu()), and an insertion evicts only
 * elements of its own CPU, even while other CPUs have room.
 */
#include "maps_int.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_LOCKS 256
/* The kernel refuses elements whose key and value reach KMALLOC_MAX_SIZE
 * less its element header (48 bytes on x86-64), and bucket arrays larger
 * than U32_MAX bytes of 16-byte buckets. */
#define KMALLOC_MAX_SIZE (4u << 20)
#define HTAB_ELEM_OVERHEAD 48u
#define MAX_BUCKETS (UINT32_MAX / 16u)

struct htab_elem {
	struct bpfs_rcu_head rcu;
	struct htab_elem *_Atomic next;
	uint64_t hash;
	/* LRU: the map's clock at the last insertion or use, shifted left by
	 * one; bit 0 is set by a use (the kernel's reference bit) */
	_Atomic uint64_t used;
	_Alignas(8) uint8_t data[]; /* key, padded to 8, then the value */
};

struct htab_lock {
	pthread_spinlock_t l;
} __attribute__((aligned(64)));

struct htab {
	struct bpfs_map map;
	struct htab_elem *_Atomic *buckets;
	uint32_t mask; /* n_buckets - 1 */
	struct htab_lock *locks;
	uint32_t lock_mask;
	_Atomic uint32_t count;
	uint32_t key_size;
	uint32_t value_off;  /* round_up8(key_size) */
	uint32_t value_len;  /* bytes of value stored: value_size, or round8 * ncpus */
	uint32_t cpu_stride; /* per-CPU: round_up8(value_size) */
	uint64_t seed;
	bool lru;
	_Atomic uint64_t clock;	 /* LRU: advanced by every insertion */
	_Atomic uint32_t cursor; /* LRU: where the next eviction looks */
	uint32_t lru_batch;	 /* LRU: elements one eviction frees */
	/* BPF_F_NO_COMMON_LRU: places taken per CPU (NULL otherwise: count
	 * is the one pool), each CPU's share, and where an element records
	 * its CPU (after the value) */
	_Atomic uint32_t *pool_count;
	uint32_t pool_cap;
	uint32_t owner_off;
	size_t elem_size; /* bytes allocated per element */
};

#define LRU_WINDOW 64	       /* buckets an eviction looks at in large maps */
#define LRU_TRIES 64	       /* evictions an insertion attempts before ENOMEM */
#define LRU_BATCH_MAX 128      /* the kernel's LOCAL_FREE_TARGET */
#define LRU_PERCPU_BATCH 4     /* the kernel's PERCPU_FREE_TARGET */

static inline struct htab *htab_of(struct bpfs_map *map)
{
	return BPFS_CONTAINER_OF(map, struct htab, map);
}

static inline void *elem_value(const struct htab *h, struct htab_elem *e)
{
	return e->data + h->value_off;
}

/* The places an element takes: its CPU's with BPF_F_NO_COMMON_LRU. */
static inline _Atomic uint32_t *pool_of(struct htab *h, unsigned cpu)
{
	return h->pool_count ? &h->pool_count[cpu] : &h->count;
}

static inline unsigned elem_owner(const struct htab *h, const struct htab_elem *e)
{
	uint32_t cpu = 0;

	if (h->pool_count)
		memcpy(&cpu, e->data + h->owner_off, 4);
	return cpu;
}

static uint32_t roundup_pow2(uint32_t x)
{
	uint32_t p = 1;

	while (p < x && p < (1u << 31))
		p <<= 1;
	return p;
}

static int htab_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err)
{
	const uint32_t mask = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_RDONLY |
			      BPF_F_WRONLY | BPF_F_ZERO_SEED | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

	bool lru = attr->type == BPF_MAP_TYPE_LRU_HASH || attr->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;

	if (attr->flags & ~mask || !map_flags_access_ok(attr->flags))
		return bpfs_err_set(err, EINVAL, -1, "invalid flags 0x%x", attr->flags);
	if (!lru && (attr->flags & BPF_F_NO_COMMON_LRU))
		return bpfs_err_set(err, EINVAL, -1, "BPF_F_NO_COMMON_LRU is for LRU maps");
	if (lru && (attr->flags & BPF_F_NO_PREALLOC))
		return bpfs_err_set(err, ENOTSUPP, -1, "LRU maps are always preallocated");
	if ((attr->flags & BPF_F_NO_COMMON_LRU) && (attr->flags & BPF_F_NUMA_NODE))
		return bpfs_err_set(err, EINVAL, -1, "BPF_F_NO_COMMON_LRU with BPF_F_NUMA_NODE");
	if (attr->max_entries == 0 || attr->key_size == 0 || attr->value_size == 0)
		return bpfs_err_set(err, EINVAL, -1, "key_size, value_size and max_entries must be > 0");
	if ((uint64_t)attr->key_size + attr->value_size >= KMALLOC_MAX_SIZE - HTAB_ELEM_OVERHEAD)
		return bpfs_err_set(err, E2BIG, -1, "key_size + value_size too large");
	if (attr->max_entries > (1u << 31) || roundup_pow2(attr->max_entries) > MAX_BUCKETS)
		return bpfs_err_set(err, E2BIG, -1, "max_entries %u too large", attr->max_entries);
	if ((attr->type == BPF_MAP_TYPE_PERCPU_HASH || attr->type == BPF_MAP_TYPE_LRU_PERCPU_HASH) &&
	    round_up8(attr->value_size) > (32u << 10))
		return bpfs_err_set(err, E2BIG, -1, "per-CPU value_size %u too large", attr->value_size);
	return 0;
}

/* The kernel's max_entries of a BPF_F_NO_COMMON_LRU map: a multiple of
 * the CPU count, rounded up unless that overflows. */
static uint32_t percpu_lru_entries(uint32_t max_entries)
{
	uint32_t n = bpfs_map_ncpus();
	uint64_t up = ((uint64_t)max_entries + n - 1) / n * n;

	return up <= UINT32_MAX ? (uint32_t)up : max_entries / n * n;
}

static struct bpfs_map *htab_alloc_common(const struct bpfs_map_attr *in, int *errp, bool percpu)
{
	struct htab *h = calloc(1, sizeof(*h));
	struct bpfs_map_attr a = *in, *attr = &a;
	bool lru = attr->type == BPF_MAP_TYPE_LRU_HASH || attr->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool percpu_lru = lru && (attr->flags & BPF_F_NO_COMMON_LRU);
	uint32_t n_buckets, nlocks, ncpus = bpfs_map_ncpus();

	if (!h)
		goto nomem;
	if (percpu_lru)
		a.max_entries = percpu_lru_entries(a.max_entries);
	n_buckets = roundup_pow2(attr->max_entries);
	h->map.percpu = percpu;
	bpfs_map_init(&h->map, attr);
	h->buckets = calloc(n_buckets, sizeof(*h->buckets));
	if (!h->buckets)
		goto nomem;
	h->mask = n_buckets - 1;
	nlocks = n_buckets < MAX_LOCKS ? n_buckets : MAX_LOCKS;
	h->locks = aligned_alloc(64, nlocks * sizeof(*h->locks));
	if (!h->locks)
		goto nomem;
	for (uint32_t i = 0; i < nlocks; i++)
		pthread_spin_init(&h->locks[i].l, PTHREAD_PROCESS_PRIVATE);
	h->lock_mask = nlocks - 1;
	h->key_size = attr->key_size;
	h->value_off = round_up8(attr->key_size);
	h->cpu_stride = round_up8(attr->value_size);
	h->value_len = percpu ? h->cpu_stride * bpfs_map_ncpus() : attr->value_size;
	h->seed = (attr->flags & BPF_F_ZERO_SEED) ? 0 : bpfs_hash64(&h, sizeof(h), h->map.id);
	h->lru = lru;
	h->lru_batch = attr->max_entries / ncpus / 2;
	h->lru_batch = h->lru_batch < 1 ? 1 : h->lru_batch > LRU_BATCH_MAX ? LRU_BATCH_MAX : h->lru_batch;
	h->elem_size = sizeof(struct htab_elem) + h->value_off + h->value_len;
	if (percpu_lru) {
		h->lru_batch = LRU_PERCPU_BATCH;
		h->pool_cap = attr->max_entries / ncpus;
		h->owner_off = h->value_off + round_up8(h->value_len);
		h->elem_size = sizeof(struct htab_elem) + h->owner_off + 4;
		h->pool_count = calloc(ncpus, sizeof(*h->pool_count));
		if (!h->pool_count)
			goto nomem;
	}
	return &h->map;
nomem:
	if (h) {
		free(h->locks);
		free(h->buckets);
		free(h);
	}
	*errp = -ENOMEM;
	return NULL;
}

static struct bpfs_map *htab_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	return htab_alloc_common(attr, errp, false);
}

static struct bpfs_map *percpu_htab_alloc(const struct bpfs_map_attr *attr, int *errp)
{
	return htab_alloc_common(attr, errp, true);
}

static void elem_free_rcu(struct bpfs_rcu_head *head)
{
	free(BPFS_CONTAINER_OF(head, struct htab_elem, rcu));
}

static void htab_free(struct bpfs_map *map)
{
	struct htab *h = htab_of(map);

	for (uint32_t i = 0; i <= h->mask; i++) {
		struct htab_elem *e = atomic_load_explicit(&h->buckets[i], memory_order_relaxed);

		while (e) {
			struct htab_elem *next = atomic_load_explicit(&e->next, memory_order_relaxed);

			free(e);
			e = next;
		}
	}
	for (uint32_t i = 0; i <= h->lock_mask; i++)
		pthread_spin_destroy(&h->locks[i].l);
	free(h->locks);
	free(h->buckets);
	free(h->pool_count);
	free(h);
}

static inline uint64_t key_hash(const struct htab *h, const void *key)
{
	return bpfs_hash_inline(key, h->key_size, h->seed);
}

/* Lock-free search of one bucket; the caller is in a reader section or
 * holds the bucket's lock. */
static struct htab_elem *bucket_find(const struct htab *h, struct htab_elem *_Atomic *head, uint64_t hash,
				     const void *key)
{
	struct htab_elem *e = atomic_load_explicit(head, memory_order_acquire);

	for (; e; e = atomic_load_explicit(&e->next, memory_order_acquire))
		if (e->hash == hash && bpfs_key_eq(e->data, key, h->key_size))
			return e;
	return NULL;
}

static struct htab_elem *htab_find(const struct htab *h, const void *key)
{
	uint64_t hash = key_hash(h, key);

	return bucket_find(h, &h->buckets[hash & h->mask], hash, key);
}

/* Marks e as used now, for LRU maps. */
static inline void touch(struct htab *h, struct htab_elem *e)
{
	if (h->lru)
		atomic_store_explicit(&e->used, atomic_load_explicit(&h->clock, memory_order_relaxed) << 1 | 1,
				      memory_order_relaxed);
}

static void *htab_lookup_elem(struct bpfs_map *map, const void *key)
{
	struct htab *h = htab_of(map);
	struct htab_elem *e = htab_find(h, key);

	if (!e)
		return NULL;
	touch(h, e);
	if (map->percpu)
		return (uint8_t *)elem_value(h, e) + (size_t)bpfs_map_cpu() * h->cpu_stride;
	return elem_value(h, e);
}

static int htab_lookup(struct bpfs_map *map, const void *key, void *value)
{
	struct htab *h = htab_of(map);
	struct htab_elem *e = htab_find(h, key);

	if (!e)
		return -ENOENT;
	/* not a use: the kernel's syscall lookups leave the LRU order alone */
	memcpy(value, elem_value(h, e), h->value_len);
	return 0;
}

static inline struct htab_lock *bucket_lock(const struct htab *h, uint64_t hash)
{
	return &h->locks[hash & h->mask & h->lock_mask];
}

/* Finds key under the bucket lock; *linkp is the pointer that points at
 * the element found (or at the list's end). */
static struct htab_elem *find_link(const struct htab *h, struct htab_elem *_Atomic *head, uint64_t hash,
				   const void *key, struct htab_elem *_Atomic **linkp)
{
	struct htab_elem *_Atomic *link = head;
	struct htab_elem *e;

	while ((e = atomic_load_explicit(link, memory_order_relaxed))) {
		if (e->hash == hash && bpfs_key_eq(e->data, key, h->key_size))
			break;
		link = &e->next;
	}
	*linkp = link;
	return e;
}

static int unlink_elem(struct htab *h, struct htab_elem *victim, bool uncount);

/* The least recently used element of a window of buckets, of pool's CPU
 * with BPF_F_NO_COMMON_LRU, and with unused only one not used since its
 * insertion; NULL when there is none. Called in a reader section. */
static struct htab_elem *lru_victim(struct htab *h, unsigned pool, bool unused)
{
	uint32_t nb = h->mask + 1, n = nb <= 4 * LRU_WINDOW ? nb : LRU_WINDOW;
	uint32_t start = n == nb ? 0 : atomic_fetch_add(&h->cursor, n);
	struct htab_elem *victim = NULL;
	uint64_t oldest = UINT64_MAX;

	for (uint32_t i = 0; i < n; i++) {
		struct htab_elem *e = atomic_load_explicit(&h->buckets[(start + i) & h->mask], memory_order_acquire);

		for (; e; e = atomic_load_explicit(&e->next, memory_order_acquire)) {
			uint64_t used = atomic_load_explicit(&e->used, memory_order_relaxed);

			if (used < oldest && (!h->pool_count || elem_owner(h, e) == pool) && !(unused && (used & 1))) {
				oldest = used;
				victim = e;
			}
		}
	}
	return victim;
}

/* Evicts up to lru_batch of the least recently used elements of pool and
 * hands the place of the first to the caller (no other insertion can take
 * it); the others become free places. Like the kernel's shrinking of its
 * inactive list, which spares the elements used since they were put there,
 * the batch after the first takes only elements never used since their
 * insertion. 0, or -ENOENT when there was nothing to evict. Called with no
 * bucket lock held. */
static __attribute__((noinline, cold)) int lru_evict(struct htab *h, unsigned pool)
{
	unsigned rcu = bpfs_rcu_read_lock(); /* candidates stay allocated */
	uint32_t evicted = 0;

	/* another eviction may take the same victim first: look again */
	for (int attempt = 0; attempt < LRU_TRIES && evicted < h->lru_batch; attempt++) {
		struct htab_elem *victim = lru_victim(h, pool, evicted > 0);

		if (!victim)
			break;
		if (unlink_elem(h, victim, evicted > 0) == 0)
			evicted++;
	}
	bpfs_rcu_read_unlock(rcu);
	return evicted ? 0 : -ENOENT;
}

/* An LRU update's place for e, taken before the bucket is locked: a free
 * one, or the place of an evicted element, in the pool of the calling CPU,
 * which e then belongs to. 0 or -ENOMEM. */
static __attribute__((noinline)) int lru_reserve(struct htab *h, struct htab_elem *e)
{
	unsigned pool = h->pool_count ? bpfs_map_cpu() : 0;
	_Atomic uint32_t *count = pool_of(h, pool);
	uint32_t cap = h->pool_count ? h->pool_cap : h->map.attr.max_entries;

	if (h->pool_count)
		memcpy(e->data + h->owner_off, &pool, 4);
	for (int tries = 0; tries < LRU_TRIES; tries++) {
		if (atomic_fetch_add(count, 1) < cap)
			return 0;
		atomic_fetch_sub(count, 1);
		if (lru_evict(h, pool) == 0)
			return 0;
	}
	return -ENOMEM;
}

/*
 * The one update path. cpu < 0: value is the whole (syscall-side) value;
 * else one CPU's value, as a program's bpf_map_update_elem gives it.
 */
static int htab_update_common(struct bpfs_map *map, const void *key, const void *value, uint64_t flags,
			      int cpu)
{
	struct htab *h = htab_of(map);
	uint64_t hash;
	struct htab_elem *_Atomic *head, *_Atomic *link;
	struct htab_elem *old, *e;
	struct htab_lock *lk;
	int ret = check_update_flags(flags);
	/* holds a place in the count taken for this insertion */
	bool reserved = false;

	if (ret)
		return ret;
	hash = key_hash(h, key);
	head = &h->buckets[hash & h->mask];
	e = malloc(h->elem_size);
	if (!e)
		return -ENOMEM;
	e->hash = hash;
	atomic_init(&e->used, (atomic_fetch_add_explicit(&h->clock, 1, memory_order_relaxed) + 1) << 1);
	memcpy(e->data, key, h->key_size);
	if (cpu < 0)
		memcpy(elem_value(h, e), value, h->value_len);
	if (__builtin_expect(h->lru, 0) && !(map->percpu && flags == BPF_EXIST)) {
		ret = lru_reserve(h, e);
		if (ret) {
			free(e);
			return ret;
		}
		reserved = true;
	}
	lk = bucket_lock(h, hash);
	pthread_spin_lock(&lk->l);
	old = find_link(h, head, hash, key, &link);
	if (old && flags == BPF_NOEXIST) {
		ret = -EEXIST;
		goto unlock;
	}
	if (!old && flags == BPF_EXIST) {
		ret = -ENOENT;
		goto unlock;
	}
	if (cpu >= 0 && old && map->percpu) {
		/* in place, as the kernel does for an existing per-CPU element */
		memcpy((uint8_t *)elem_value(h, old) + (size_t)cpu * h->cpu_stride, value,
		       map->attr.value_size);
		touch(h, old);
		goto unlock;
	}
	if (cpu >= 0) {
		memset(elem_value(h, e), 0, h->value_len);
		memcpy((uint8_t *)elem_value(h, e) + (size_t)(map->percpu ? cpu : 0) * h->cpu_stride, value,
		       map->attr.value_size);
	}
	if (!old && !reserved) {
		if (atomic_fetch_add(&h->count, 1) >= map->attr.max_entries) {
			atomic_fetch_sub(&h->count, 1);
			ret = -E2BIG;
			goto unlock;
		}
	} else if (old && h->lru) {
		/* replacing: the old element's place becomes free; without a
		 * place of its own (per-CPU LRU, BPF_EXIST) the kernel updates
		 * the old element, so e takes over its place and CPU */
		if (reserved)
			atomic_fetch_sub(pool_of(h, elem_owner(h, old)), 1);
		else if (h->pool_count)
			memcpy(e->data + h->owner_off, old->data + h->owner_off, 4);
	}
	reserved = false;
	atomic_store_explicit(&e->next, old ? atomic_load_explicit(&old->next, memory_order_relaxed) : NULL,
			      memory_order_relaxed);
	atomic_store_explicit(link, e, memory_order_release);
	e = NULL;
unlock:
	pthread_spin_unlock(&lk->l);
	if (reserved) /* e was not linked: give its place back */
		atomic_fetch_sub(pool_of(h, elem_owner(h, e)), 1);
	if (e) {
		free(e);
		return ret;
	}
	if (old)
		bpfs_call_rcu(&old->rcu, elem_free_rcu);
	return ret;
}

static int htab_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	return htab_update_common(map, key, value, flags, -1);
}

static int htab_update_elem(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	return htab_update_common(map, key, value, flags, map->percpu ? (int)bpfs_map_cpu() : 0);
}

/* Unlinks victim if it is still in its bucket: 0 or -ENOENT. uncount:
 * also give its place in the count back. */
static int unlink_elem(struct htab *h, struct htab_elem *victim, bool uncount)
{
	struct htab_elem *_Atomic *link = &h->buckets[victim->hash & h->mask];
	struct htab_lock *lk = bucket_lock(h, victim->hash);
	struct htab_elem *e;

	pthread_spin_lock(&lk->l);
	while ((e = atomic_load_explicit(link, memory_order_relaxed)) && e != victim)
		link = &e->next;
	if (e) {
		atomic_store_explicit(link, atomic_load_explicit(&e->next, memory_order_relaxed),
				      memory_order_release);
		if (uncount)
			atomic_fetch_sub(pool_of(h, elem_owner(h, e)), 1);
	}
	pthread_spin_unlock(&lk->l);
	if (!e)
		return -ENOENT;
	bpfs_call_rcu(&e->rcu, elem_free_rcu);
	return 0;
}

static int htab_delete(struct bpfs_map *map, const void *key)
{
	struct htab *h = htab_of(map);
	uint64_t hash = key_hash(h, key);
	struct htab_elem *_Atomic *link;
	struct htab_elem *e;
	struct htab_lock *lk = bucket_lock(h, hash);

	pthread_spin_lock(&lk->l);
	e = find_link(h, &h->buckets[hash & h->mask], hash, key, &link);
	if (e) {
		atomic_store_explicit(link, atomic_load_explicit(&e->next, memory_order_relaxed),
				      memory_order_release);
		atomic_fetch_sub(pool_of(h, elem_owner(h, e)), 1);
	}
	pthread_spin_unlock(&lk->l);
	if (!e)
		return -ENOENT;
	bpfs_call_rcu(&e->rcu, elem_free_rcu);
	return 0;
}

/* The kernel's order: the rest of key's bucket, then the following
 * buckets; a missing (or no) key starts from the first bucket. */
static int htab_get_next_key(struct bpfs_map *map, const void *key, void *next_key)
{
	struct htab *h = htab_of(map);
	struct htab_elem *e = NULL;
	uint32_t i = 0;

	if (key) {
		uint64_t hash = key_hash(h, key);

		e = bucket_find(h, &h->buckets[hash & h->mask], hash, key);
		if (e) {
			e = atomic_load_explicit(&e->next, memory_order_acquire);
			i = (uint32_t)(hash & h->mask) + 1;
		}
	}
	for (; !e && i <= h->mask; i++)
		e = atomic_load_explicit(&h->buckets[i], memory_order_acquire);
	if (!e)
		return -ENOENT;
	memcpy(next_key, e->data, h->key_size);
	return 0;
}

/* The four hash types share every operation but allocation: LRU
 * behaviour and per-CPU values are decided from the map's attributes. */
#define HTAB_OPS(alloc_fn)                                                                                   \
	{                                                                                                    \
		.alloc_check = htab_alloc_check, .alloc = alloc_fn, .free = htab_free, .lookup = htab_lookup, \
		.update = htab_update, .delete = htab_delete, .get_next_key = htab_get_next_key,             \
		.lookup_elem = htab_lookup_elem, .update_elem = htab_update_elem,                            \
	}

const struct bpfs_map_type_ops bpfs_htab_ops = HTAB_OPS(htab_alloc);
const struct bpfs_map_type_ops bpfs_lru_htab_ops = HTAB_OPS(htab_alloc);
const struct bpfs_map_type_ops bpfs_percpu_htab_ops = HTAB_OPS(percpu_htab_alloc);
const struct bpfs_map_type_ops bpfs_lru_percpu_htab_ops = HTAB_OPS(percpu_htab_alloc);
