/* SPDX-License-Identifier: MIT */
/*
 * Internals of the maps module: the map object every type embeds, the
 * per-type operations table, deferred freeing and small shared helpers.
 * Never included from another module.
 */
#ifndef BPFSCOPE_MAPS_INT_H
#define BPFSCOPE_MAPS_INT_H

#include "maps.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's internal "not supported", leaked to userspace by bpf() */
#endif

#define BPFS_CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline uint32_t round_up8(uint32_t x)
{
	return (x + 7u) & ~7u;
}

/* A multiply-and-fold hash in the family of wyhash: each 8-byte word is
 * mixed into the state with a 64x64->128 multiply whose halves are xored,
 * which avalanches well and costs a few cycles per word. Inline so that
 * the common 4- and 8-byte keys compile to a couple of multiplies. */
#define BPFS_K0 0xa0761d6478bd642full
#define BPFS_K1 0xe7037ed1a0b428dbull
#define BPFS_K2 0x8ebc6af09c88c6e3ull

static inline uint64_t bpfs_mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t bpfs_rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t bpfs_hash_inline(const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ BPFS_K0 ^ (len * BPFS_K1);
	size_t n = len;

	if (len == 4) {
		uint32_t w;

		memcpy(&w, p, 4);
		return bpfs_mum(bpfs_mum(w ^ BPFS_K1, h ^ BPFS_K2) ^ BPFS_K0, BPFS_K2);
	}
	for (; n >= 16; p += 16, n -= 16)
		h = bpfs_mum(bpfs_rd64(p) ^ BPFS_K1, bpfs_rd64(p + 8) ^ h);
	if (n >= 8) {
		h = bpfs_mum(bpfs_rd64(p) ^ BPFS_K2, h ^ BPFS_K1);
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t t = 0;

		memcpy(&t, p, n);
		h = bpfs_mum(t ^ BPFS_K1, h ^ BPFS_K2);
	}
	return bpfs_mum(h ^ BPFS_K0, BPFS_K2);
}

/* Key equality with the common sizes unrolled. */
static inline bool bpfs_key_eq(const void *a, const void *b, uint32_t size)
{
	switch (size) {
	case 4:
		return !memcmp(a, b, 4);
	case 8:
		return !memcmp(a, b, 8);
	case 16:
		return !memcmp(a, b, 16);
	default:
		return !memcmp(a, b, size);
	}
}

/* Deferred freeing (rcu.c): func(head) runs once every reader section open
 * at the time of the call has closed. */
struct bpfs_rcu_head {
	struct bpfs_rcu_head *next;
	void (*func)(struct bpfs_rcu_head *head);
};

void bpfs_call_rcu(struct bpfs_rcu_head *head, void (*func)(struct bpfs_rcu_head *head));
/* Dropping a reference once the current readers are done, in two steps
 * so that the only step that can fail (allocation, NULL) comes before the
 * caller changes anything. commit with ref NULL just frees. */
void *bpfs_deferred_put_prepare(void);
void bpfs_deferred_put_commit(void *prepared, struct bpfs_ref *ref);

struct bpfs_map;

/*
 * One per map type. alloc_check sees the attributes before anything is
 * allocated (the kernel's map_alloc_check); alloc returns the map with
 * struct bpfs_map embedded. NULL operations fail as the kernel's missing
 * ones do (see map.c).
 */
struct bpfs_map_type_ops {
	int (*alloc_check)(const struct bpfs_map_attr *attr, struct bpfs_err *err);
	struct bpfs_map *(*alloc)(const struct bpfs_map_attr *attr, int *errp);
	void (*free)(struct bpfs_map *map); /* no reader can see the map any more */
	void (*release_uref)(struct bpfs_map *map);
	/* elements live as long as the map: syscall-side accesses need no
	 * reader section */
	bool in_place;

	/* syscall side */
	int (*lookup)(struct bpfs_map *map, const void *key, void *value);
	int (*update)(struct bpfs_map *map, const void *key, const void *value, uint64_t flags);
	int (*delete)(struct bpfs_map *map, const void *key);
	int (*get_next_key)(struct bpfs_map *map, const void *key, void *next_key);

	/* program side */
	void *(*lookup_elem)(struct bpfs_map *map, const void *key);
	int (*update_elem)(struct bpfs_map *map, const void *key, const void *value, uint64_t flags);
	int (*push)(struct bpfs_map *map, const void *value, uint64_t flags);
	int (*peek)(struct bpfs_map *map, void *value);
};

/* The head of the kernel's struct bpf_map (Linux 6.18, x86-64) up to and
 * including its name: what a program reads through a map pointer, which
 * the verifier allows for these members. It comes first in struct
 * bpfs_map, so the map pointer a program holds points at it. */
#define BPFS_MAP_KVIEW_SIZE 152

struct bpfs_map {
	uint8_t kview[BPFS_MAP_KVIEW_SIZE] __attribute__((aligned(8)));
	const struct bpfs_map_type_ops *ops;
	struct bpfs_map_attr attr;
	uint32_t id;
	int refcnt;  /* atomic builtins */
	int usercnt; /* atomic builtins */
	bool percpu;
	uint32_t user_value_size;
	struct bpfs_rcu_head rcu;
};

extern const struct bpfs_map_type_ops bpfs_htab_ops;
extern const struct bpfs_map_type_ops bpfs_percpu_htab_ops;
extern const struct bpfs_map_type_ops bpfs_lru_htab_ops;
extern const struct bpfs_map_type_ops bpfs_lru_percpu_htab_ops;
extern const struct bpfs_map_type_ops bpfs_array_ops;
extern const struct bpfs_map_type_ops bpfs_percpu_array_ops;
extern const struct bpfs_map_type_ops bpfs_prog_array_ops;
extern const struct bpfs_map_type_ops bpfs_perf_event_array_ops;
extern const struct bpfs_map_type_ops bpfs_bloom_ops;
extern const struct bpfs_map_type_ops bpfs_lpm_trie_ops;

/* prog_array and perf_event_array: slots holding references. */
struct bpfs_fd_array {
	struct bpfs_map map;
	_Atomic uint32_t owner_type; /* prog_array: program type + 1, 0 while unset */
	struct bpfs_ref *_Atomic *slots;
	void *rings; /* perf_event_array: struct perf_ring *_Atomic[max_entries] */
};

int bpfs_fd_array_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err);
struct bpfs_fd_array *bpfs_fd_array_alloc(const struct bpfs_map_attr *attr, size_t size, int *errp);
void bpfs_fd_array_clear(struct bpfs_map *map);
void bpfs_fd_array_free(struct bpfs_fd_array *fa);
int bpfs_fd_array_update_nofd(struct bpfs_map *map, const void *key, const void *value, uint64_t flags);
int bpfs_fd_array_delete(struct bpfs_map *map, const void *key);
int bpfs_array_alloc_check(const struct bpfs_map_attr *attr, struct bpfs_err *err);
int bpfs_array_get_next_key(struct bpfs_map *map, const void *key, void *next_key);

/* Fills the fields of struct bpfs_map common to every type. */
void bpfs_map_init(struct bpfs_map *map, const struct bpfs_map_attr *attr);

/* The kernel's bpf_map_flags_access_ok: not both read-only and write-only
 * on either side. */
static inline bool map_flags_access_ok(uint32_t flags)
{
	return (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) != (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

/* Update flags of the element commands: BPF_ANY, BPF_NOEXIST or
 * BPF_EXIST. BPF_F_LOCK needs a bpf_spin_lock in the value and so a BTF
 * description bpfscope's maps never have: EINVAL, which is what the
 * kernel's hash types return for it (the syscall side refuses it before
 * the type sees it; a program's bpf_map_update_elem passes it through).
 * Arrays check it later, after the index (array.c). */
static inline int check_update_flags(uint64_t flags)
{
	return flags > BPF_EXIST ? -EINVAL : 0;
}

#endif /* BPFSCOPE_MAPS_INT_H */
