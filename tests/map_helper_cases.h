/* SPDX-License-Identifier: MIT */
/*
 * The map helper table run by test_map_helpers.c: one row per (map type and
 * shape, helper, flags, state), with what the running kernel (Linux 6.18)
 * returns. See test_map_helpers.c for what the program does with a row.
 *
 * A row's map is filled from userspace before the run (fill: keys and
 * values, per-CPU maps get the value on every CPU; a bloom filter gets the
 * values pushed). The program then performs op on key with value and
 * flags, and, with probe, looks key up again. want states:
 *   load_err  errno of BPF_PROG_LOAD (the verifier refuses the call), or 0;
 *   msg       then the verifier's message (its last line);
 *   ret       the helper's return value (lookup: 1 found, 0 NULL);
 *   found     probe: 1 when the key had a value after the op;
 *   seen      the first 8 bytes of the value found (lookup or probe);
 *   nkeys     keys in the map afterwards (hash types and LPM tries).
 *
 * Keys are given as a u64 whose first key_size bytes in memory are the key:
 * a u32 index or hash key is the number itself; LPM keys are built with
 * LPM(prefixlen, a, b, c, d) for the prefix a.b.c.d/prefixlen.
 *
 * States used throughout: empty; key 1 present (value 0x101); full (keys
 * 1-4, values 0x101-0x104, max_entries 4). Values written by the program
 * are 0xaa.
 */
#ifndef BPFS_MAP_HELPER_CASES_H
#define BPFS_MAP_HELPER_CASES_H

#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define MH_MAX_FILL 8

enum mh_op {
	MH_LOOKUP,
	MH_UPDATE,
	MH_DELETE,
	MH_PUSH,
	MH_PEEK,
	MH_POP,
	MH_LOOKUP_PERCPU, /* bpf_map_lookup_percpu_elem, the CPU in flags */
};

struct mh_map {
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t map_extra;
};

struct mh_kv {
	uint64_t key, value;
};

struct mh_state {
	unsigned n;
	struct mh_kv fill[MH_MAX_FILL];
};

struct mh_want {
	int load_err;
	const char *msg; /* with load_err: the verifier's message */
	int64_t ret;
	int found;
	uint64_t seen;
	int nkeys;
};

struct mh_case {
	const char *name;
	const struct mh_map *map;
	const struct mh_state *state; /* NULL: empty */
	enum mh_op op;
	uint64_t key, value, flags;
	bool probe;
	/* touch_key is looked up before the op: by the program (touch; for
	 * LRU maps a use), or from userspace after the fill (touch_sys, which
	 * the kernel does not count as a use) */
	bool touch, touch_sys;
	uint64_t touch_key;
	struct mh_want want;
	/* Why bpfscope's verifier may refuse the program when the kernel
	 * loads it (its bpfscope columns then skip), or NULL. */
	const char *gap;
	/* The number of possible CPUs want holds for (LRU eviction batches
	 * and per-CPU LRU shares depend on it), 0 when any; on other machines
	 * the row skips. */
	unsigned cpus_min, cpus_max;
};

/* ---- Maps ---------------------------------------------------------------- */

static const struct mh_map m_hash = {BPF_MAP_TYPE_HASH, 4, 8, 4, 0, 0};
static const struct mh_map m_hash_noprealloc = {BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_NO_PREALLOC, 0};
static const struct mh_map m_percpu_hash = {BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, 0, 0};
static const struct mh_map m_lru_hash = {BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0, 0};
static const struct mh_map m_lru_percpu_hash = {BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4, 0, 0};
static const struct mh_map m_lru_hash_nocommon = {BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, 0};
static const struct mh_map m_lru_percpu_hash_nocommon = {BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 4,
							 BPF_F_NO_COMMON_LRU,	       0};
static const struct mh_map m_lru_hash8 = {BPF_MAP_TYPE_LRU_HASH, 4, 8, 8, 0, 0};
static const struct mh_map m_lru_percpu_hash8 = {BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 8, 0, 0};
static const struct mh_map m_array = {BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0};
static const struct mh_map m_percpu_array = {BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0, 0};
static const struct mh_map m_prog_array = {BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, 0};
static const struct mh_map m_perf_array = {BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0, 0};
static const struct mh_map m_bloom = {BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 4, 0, 0};
static const struct mh_map m_lpm = {BPF_MAP_TYPE_LPM_TRIE, 8, 8, 4, BPF_F_NO_PREALLOC, 0};

#define M_HASH (&m_hash)
#define M_HASH_NOPREALLOC (&m_hash_noprealloc)
#define M_PERCPU_HASH (&m_percpu_hash)
#define M_LRU_HASH (&m_lru_hash)
#define M_LRU_PERCPU_HASH (&m_lru_percpu_hash)
#define M_LRU_HASH_NOCOMMON (&m_lru_hash_nocommon)
#define M_LRU_PERCPU_HASH_NOCOMMON (&m_lru_percpu_hash_nocommon)
#define M_LRU_HASH8 (&m_lru_hash8)
#define M_LRU_PERCPU_HASH8 (&m_lru_percpu_hash8)
#define M_ARRAY (&m_array)
#define M_PERCPU_ARRAY (&m_percpu_array)
#define M_PROG_ARRAY (&m_prog_array)
#define M_PERF_ARRAY (&m_perf_array)
#define M_BLOOM (&m_bloom)
#define M_LPM (&m_lpm)

/* ---- States -------------------------------------------------------------- */

static const struct mh_state s_empty = {0, {{0, 0}}};
static const struct mh_state s_one = {1, {{1, 0x101}}};
static const struct mh_state s_two = {2, {{1, 0x101}, {2, 0x102}}};
static const struct mh_state s_eight = {
    8, {{1, 0x101}, {2, 0x102}, {3, 0x103}, {4, 0x104}, {5, 0x105}, {6, 0x106}, {7, 0x107}, {8, 0x108}}};
static const struct mh_state s_full = {4, {{1, 0x101}, {2, 0x102}, {3, 0x103}, {4, 0x104}}};

#define LPM(len, a, b, c, d)                                                                                 \
	((uint64_t)(len) | (uint64_t)(a) << 32 | (uint64_t)(b) << 40 | (uint64_t)(c) << 48 |                 \
	 (uint64_t)(d) << 56)
/* 10.0.0.0/8 and 10.1.0.0/16 */
static const struct mh_state s_lpm_two = {2, {{LPM(8, 10, 0, 0, 0), 0x108}, {LPM(16, 10, 1, 0, 0), 0x110}}};
/* and 10.1.2.0/24, 10.1.2.3/32 */
static const struct mh_state s_lpm_full = {4,
					   {
					       {LPM(8, 10, 0, 0, 0), 0x108},
					       {LPM(16, 10, 1, 0, 0), 0x110},
					       {LPM(24, 10, 1, 2, 0), 0x118},
					       {LPM(32, 10, 1, 2, 3), 0x120},
					   }};
/* a bloom filter with 0x101 pushed */
static const struct mh_state s_bloom_one = {1, {{0, 0x101}}};

#define S_EMPTY (&s_empty)
#define S_ONE (&s_one)
#define S_TWO (&s_two)
#define S_FULL (&s_full)
#define S_EIGHT (&s_eight)
#define S_LPM_TWO (&s_lpm_two)
#define S_LPM_FULL (&s_lpm_full)
#define S_BLOOM_ONE (&s_bloom_one)

/* ---- Rows ---------------------------------------------------------------- */

/* A lookup: found (1/0) and the value seen. */
#define LOOKUP_ON(lo_, hi_, name_, map_, state_, key_, ret_, seen_, nkeys_)                                  \
	{                                                                                                    \
		.name = name_, .map = map_, .state = state_, .op = MH_LOOKUP, .key = key_,                   \
		.want = {0, NULL, ret_, 0, seen_, nkeys_}, .cpus_min = lo_, .cpus_max = hi_                  \
	}
#define LOOKUP(...) LOOKUP_ON(0, 0, __VA_ARGS__)
/* An update or delete followed by a lookup of the same key, for a number
 * of CPUs from lo_ to hi_. */
#define OP_ON(lo_, hi_, name_, map_, state_, op_, key_, flags_, ret_, found_, seen_, nkeys_)                 \
	{                                                                                                    \
		.name = name_, .cpus_min = lo_, .cpus_max = hi_, .map = map_, .state = state_, .op = op_,    \
		.key = key_, .value = 0xaa, .flags = flags_, .probe = true, .want = {                        \
			0,                                                                                   \
			NULL,                                                                                \
			ret_,                                                                                \
			found_,                                                                              \
			seen_,                                                                               \
			nkeys_                                                                               \
		}                                                                                            \
	}
#define OP(...) OP_ON(0, 0, __VA_ARGS__)
#define UPDATE(name_, map_, state_, key_, flags_, ret_, found_, seen_, nkeys_)                               \
	OP(name_, map_, state_, MH_UPDATE, key_, flags_, ret_, found_, seen_, nkeys_)
#define DELETE(name_, map_, state_, key_, ret_, found_, seen_, nkeys_)                                       \
	OP(name_, map_, state_, MH_DELETE, key_, 0, ret_, found_, seen_, nkeys_)
/* Updates and deletes whose outcome holds for 2 or more CPUs, or exactly 2. */
#define UPDATE_2UP(name_, map_, state_, key_, flags_, ret_, found_, seen_, nkeys_)                           \
	OP_ON(2, 0, name_, map_, state_, MH_UPDATE, key_, flags_, ret_, found_, seen_, nkeys_)
#define UPDATE_2(name_, map_, state_, key_, flags_, ret_, found_, seen_, nkeys_)                             \
	OP_ON(2, 2, name_, map_, state_, MH_UPDATE, key_, flags_, ret_, found_, seen_, nkeys_)
#define DELETE_2(name_, map_, state_, key_, ret_, found_, seen_, nkeys_)                                     \
	OP_ON(2, 2, name_, map_, state_, MH_DELETE, key_, 0, ret_, found_, seen_, nkeys_)
/* A program the verifier refuses (errno err_, message msg_). */
#define REFUSED(name_, map_, op_, err_, msg_, gap_)                                                          \
	{                                                                                                    \
		.name = name_, .map = map_, .op = op_, .key = 1, .value = 0xaa,                              \
		.want = {err_, msg_, 0, 0, 0, 0}, .gap = gap_                                                \
	}
/* bloom filter push and peek: no lookup after. */
#define BLOOM(name_, state_, op_, value_, flags_, ret_, gap_)                                                \
	{                                                                                                    \
		.name = name_, .map = M_BLOOM, .state = state_, .op = op_, .value = value_, .flags = flags_, \
		.want = {0, NULL, ret_, 0, 0, 0}, .gap = gap_                                                \
	}

/*
 * The rows every hash type shares. The full-map rows differ between the
 * plain and the LRU types, see HASH_FULL_ROWS and LRU_FULL_ROWS.
 */
#define HASH_ROWS(P, M)                                                                                      \
	LOOKUP(P " lookup empty", M, S_EMPTY, 1, 0, 0, 0),                                                   \
	    LOOKUP(P " lookup present", M, S_ONE, 1, 1, 0x101, 1),                                           \
	    LOOKUP(P " lookup other key", M, S_ONE, 2, 0, 0, 1),                                             \
	    UPDATE(P " update ANY empty", M, S_EMPTY, 1, BPF_ANY, 0, 1, 0xaa, 1),                            \
	    UPDATE(P " update ANY present", M, S_ONE, 1, BPF_ANY, 0, 1, 0xaa, 1),                            \
	    UPDATE(P " update NOEXIST empty", M, S_EMPTY, 1, BPF_NOEXIST, 0, 1, 0xaa, 1),                    \
	    UPDATE(P " update NOEXIST present", M, S_ONE, 1, BPF_NOEXIST, -EEXIST, 1, 0x101, 1),             \
	    UPDATE(P " update EXIST empty", M, S_EMPTY, 1, BPF_EXIST, -ENOENT, 0, 0, 0),                     \
	    UPDATE(P " update EXIST present", M, S_ONE, 1, BPF_EXIST, 0, 1, 0xaa, 1),                        \
	    UPDATE(P " update F_LOCK empty", M, S_EMPTY, 1, BPF_F_LOCK, -EINVAL, 0, 0, 0),                   \
	    UPDATE(P " update F_LOCK present", M, S_ONE, 1, BPF_F_LOCK, -EINVAL, 1, 0x101, 1),               \
	    UPDATE(P " update F_LOCK-NOEXIST empty", M, S_EMPTY, 1, BPF_F_LOCK | BPF_NOEXIST, -EINVAL, 0, 0, \
		   0),                                                                                       \
	    UPDATE(P " update F_LOCK-EXIST present", M, S_ONE, 1, BPF_F_LOCK | BPF_EXIST, -EINVAL, 1, 0x101, \
		   1),                                                                                       \
	    UPDATE(P " update flags 3 present", M, S_ONE, 1, 3, -EINVAL, 1, 0x101, 1),                       \
	    UPDATE(P " update flags 8 empty", M, S_EMPTY, 1, 8, -EINVAL, 0, 0, 0),                           \
	    UPDATE(P " update flags 1-32 empty", M, S_EMPTY, 1, 1ull << 32, -EINVAL, 0, 0, 0),               \
	    DELETE(P " delete empty", M, S_EMPTY, 1, -ENOENT, 0, 0, 0),                                      \
	    DELETE(P " delete present", M, S_ONE, 1, 0, 0, 0, 0),                                            \
	    DELETE(P " delete other key", M, S_ONE, 2, -ENOENT, 0, 0, 1),                                    \
	    DELETE(P " delete full present", M, S_FULL, 3, 0, 0, 0, 3),                                      \
	    UPDATE(P " update F_LOCK full new", M, S_FULL, 5, BPF_F_LOCK, -EINVAL, 0, 0, 4),                 \
	    UPDATE(P " update flags 3 full new", M, S_FULL, 5, 3, -EINVAL, 0, 0, 4)

/* A full plain hash map: no room for a new key (E2BIG), existing keys are
 * replaced in place of themselves. */
#define HASH_FULL_ROWS(P, M)                                                                                 \
	UPDATE(P " update ANY full new", M, S_FULL, 5, BPF_ANY, -E2BIG, 0, 0, 4),                            \
	    UPDATE(P " update NOEXIST full new", M, S_FULL, 5, BPF_NOEXIST, -E2BIG, 0, 0, 4),                \
	    UPDATE(P " update EXIST full new", M, S_FULL, 5, BPF_EXIST, -ENOENT, 0, 0, 4),                   \
	    UPDATE(P " update ANY full present", M, S_FULL, 1, BPF_ANY, 0, 1, 0xaa, 4),                      \
	    UPDATE(P " update EXIST full present", M, S_FULL, 4, BPF_EXIST, 0, 1, 0xaa, 4),                  \
	    UPDATE(P " update NOEXIST full present", M, S_FULL, 1, BPF_NOEXIST, -EEXIST, 1, 0x101, 4)

/*
 * A full LRU map: every update with valid flags takes a free element first,
 * which in a full map evicts the least recently used key (key 1, the
 * oldest here) before the flags are compared with what is in the map. So
 * an update of key 1 with BPF_NOEXIST succeeds (key 1 was just evicted),
 * and an update that then fails or replaces another key leaves 3 keys.
 * The per-CPU LRU map takes no element for BPF_EXIST: EXIST_N is its
 * count after an EXIST update (3 for lru_hash, 4 for lru_percpu_hash).
 * With one CPU an eviction frees 2 places, hence 2 or more CPUs.
 */
#define LRU_FULL_ROWS(P, M, EXIST_N)                                                                         \
	UPDATE_2UP(P " update ANY full new", M, S_FULL, 5, BPF_ANY, 0, 1, 0xaa, 4),                          \
	    UPDATE_2UP(P " update NOEXIST full new", M, S_FULL, 5, BPF_NOEXIST, 0, 1, 0xaa, 4),              \
	    UPDATE_2UP(P " update ANY full present", M, S_FULL, 1, BPF_ANY, 0, 1, 0xaa, 4),                  \
	    UPDATE_2UP(P " update ANY full present newest", M, S_FULL, 4, BPF_ANY, 0, 1, 0xaa, 3),           \
	    UPDATE_2UP(P " update EXIST full present", M, S_FULL, 4, BPF_EXIST, 0, 1, 0xaa, EXIST_N),        \
	    UPDATE_2UP(P " update EXIST full new", M, S_FULL, 5, BPF_EXIST, -ENOENT, 0, 0, EXIST_N),         \
	    UPDATE_2UP(P " update NOEXIST full present", M, S_FULL, 1, BPF_NOEXIST, 0, 1, 0xaa, 4),          \
	    UPDATE_2UP(P " update NOEXIST full present newest", M, S_FULL, 4, BPF_NOEXIST, -EEXIST, 1,       \
		       0x104, 3)

/* The rows both array types share; index 4 is out of range. */
#define ARRAY_ROWS(P, M)                                                                                     \
	LOOKUP(P " lookup set", M, S_ONE, 1, 1, 0x101, 0), LOOKUP(P " lookup zero", M, S_ONE, 0, 1, 0, 0),   \
	    LOOKUP(P " lookup out of range", M, S_ONE, 4, 0, 0, 0),                                          \
	    LOOKUP(P " lookup index u32 max", M, S_ONE, 0xffffffffu, 0, 0, 0),                               \
	    UPDATE_2UP(P " update ANY", M, S_ONE, 1, BPF_ANY, 0, 1, 0xaa, 0),                                \
	    UPDATE_2UP(P " update EXIST", M, S_ONE, 1, BPF_EXIST, 0, 1, 0xaa, 0),                            \
	    UPDATE_2UP(P " update NOEXIST", M, S_ONE, 1, BPF_NOEXIST, -EEXIST, 1, 0x101, 0),                 \
	    UPDATE_2UP(P " update ANY out of range", M, S_ONE, 4, BPF_ANY, -E2BIG, 0, 0, 0),                 \
	    UPDATE_2UP(P " update NOEXIST out of range", M, S_ONE, 4, BPF_NOEXIST, -E2BIG, 0, 0, 0),         \
	    UPDATE_2UP(P " update EXIST out of range", M, S_ONE, 4, BPF_EXIST, -E2BIG, 0, 0, 0),             \
	    UPDATE_2UP(P " update F_LOCK", M, S_ONE, 1, BPF_F_LOCK, -EINVAL, 1, 0x101, 0),                   \
	    UPDATE_2UP(P " update F_LOCK-NOEXIST", M, S_ONE, 1, BPF_F_LOCK | BPF_NOEXIST, -EEXIST, 1, 0x101, \
		       0),                                                                                   \
	    UPDATE_2UP(P " update F_LOCK-EXIST", M, S_ONE, 1, BPF_F_LOCK | BPF_EXIST, -EINVAL, 1, 0x101, 0), \
	    UPDATE_2UP(P " update F_LOCK out of range", M, S_ONE, 4, BPF_F_LOCK, -E2BIG, 0, 0, 0),           \
	    UPDATE_2UP(P " update flags 3", M, S_ONE, 1, 3, -EINVAL, 1, 0x101, 0),                           \
	    UPDATE_2UP(P " update flags 8 out of range", M, S_ONE, 4, 8, -EINVAL, 0, 0, 0),                  \
	    UPDATE_2UP(P " update flags 1-32", M, S_ONE, 1, 1ull << 32, -EINVAL, 1, 0x101, 0),               \
	    DELETE(P " delete", M, S_ONE, 1, -EINVAL, 1, 0x101, 0),                                          \
	    DELETE(P " delete out of range", M, S_ONE, 4, -EINVAL, 0, 0, 0)

/* bpf_map_lookup_percpu_elem of key on CPU cpu_. */
#define LOOKUP_PERCPU(lo_, name_, map_, state_, key_, cpu_, ret_, seen_, nkeys_)                             \
	{                                                                                                    \
		.name = name_, .map = map_, .state = state_, .op = MH_LOOKUP_PERCPU, .key = key_,            \
		.flags = cpu_, .want = {0, NULL, ret_, 0, seen_, nkeys_}, .gap = GAP_PERCPU, .cpus_min = lo_ \
	}

/* An update after the program looked up touch_ (which an LRU map counts as
 * a use), for 2 CPUs or more (lo_ 2) or exactly 2 (hi_ 2). */
#define UPDATE_TOUCH(lo_, hi_, name_, map_, state_, touch_, key_, flags_, ret_, found_, seen_, nkeys_)       \
	{                                                                                                    \
		.name = name_, .cpus_min = lo_, .cpus_max = hi_, .map = map_, .state = state_,              \
		.op = MH_UPDATE, .key = key_, .value = 0xaa, .flags = flags_, .probe = true, .touch = true,  \
		.touch_key = touch_, .want = {0, NULL, ret_, found_, seen_, nkeys_}                          \
	}

#define GAP_PERCPU "bpfscope's runtime has no bpf_map_lookup_percpu_elem"
#define GAP_PUSH_PEEK "bpfscope's runtime has no bpf_map_push_elem/peek_elem/pop_elem"

static const struct mh_case mh_cases[] = {
    HASH_ROWS("hash", M_HASH),
    HASH_FULL_ROWS("hash", M_HASH),
    HASH_ROWS("hash no_prealloc", M_HASH_NOPREALLOC),
    HASH_FULL_ROWS("hash no_prealloc", M_HASH_NOPREALLOC),
    HASH_ROWS("percpu_hash", M_PERCPU_HASH),
    HASH_FULL_ROWS("percpu_hash", M_PERCPU_HASH),
    HASH_ROWS("lru_hash", M_LRU_HASH),
    LRU_FULL_ROWS("lru_hash", M_LRU_HASH, 3),
    HASH_ROWS("lru_percpu_hash", M_LRU_PERCPU_HASH),
    LRU_FULL_ROWS("lru_percpu_hash", M_LRU_PERCPU_HASH, 4),

    /* one eviction frees max_entries / CPUs / 2 places (2 here, with 2 CPUs) */
    UPDATE_2("lru_hash 8 update ANY full new", M_LRU_HASH8, S_EIGHT, 9, BPF_ANY, 0, 1, 0xaa, 7),
    UPDATE_2("lru_hash 8 update EXIST full present", M_LRU_HASH8, S_EIGHT, 8, BPF_EXIST, 0, 1, 0xaa, 6),
    UPDATE_2("lru_hash 8 update ANY full present oldest", M_LRU_HASH8, S_EIGHT, 1, BPF_ANY, 0, 1, 0xaa, 7),
    UPDATE_2("lru_percpu_hash 8 update ANY full new", M_LRU_PERCPU_HASH8, S_EIGHT, 9, BPF_ANY, 0, 1, 0xaa, 7),
    UPDATE_2("lru_percpu_hash 8 update EXIST full present", M_LRU_PERCPU_HASH8, S_EIGHT, 8, BPF_EXIST, 0, 1,
	     0xaa, 8),

    /* BPF_F_NO_COMMON_LRU: each CPU has max_entries / CPUs places (2 here)
     * and an eviction frees up to 4 of its own; the fill and the program
     * run on one CPU, so the fill of 4 keys evicts keys 1 and 2 */
    UPDATE_2("lru_hash no_common_lru update ANY empty", M_LRU_HASH_NOCOMMON, S_EMPTY, 1, BPF_ANY, 0, 1, 0xaa,
	     1),
    UPDATE_2("lru_hash no_common_lru update ANY one new", M_LRU_HASH_NOCOMMON, S_ONE, 5, BPF_ANY, 0, 1, 0xaa,
	     2),
    UPDATE_2("lru_hash no_common_lru update ANY two new", M_LRU_HASH_NOCOMMON, S_TWO, 5, BPF_ANY, 0, 1, 0xaa,
	     1),
    UPDATE_2("lru_hash no_common_lru update ANY full new", M_LRU_HASH_NOCOMMON, S_FULL, 5, BPF_ANY, 0, 1,
	     0xaa, 1),
    UPDATE_2("lru_hash no_common_lru update EXIST two", M_LRU_HASH_NOCOMMON, S_TWO, 2, BPF_EXIST, -ENOENT, 0,
	     0, 0),
    UPDATE_2("lru_hash no_common_lru update EXIST full", M_LRU_HASH_NOCOMMON, S_FULL, 4, BPF_EXIST, -ENOENT,
	     0, 0, 0),
    DELETE_2("lru_hash no_common_lru delete full", M_LRU_HASH_NOCOMMON, S_FULL, 4, 0, 0, 0, 1),
    LOOKUP_ON(2, 2, "lru_hash no_common_lru lookup full evicted", M_LRU_HASH_NOCOMMON, S_FULL, 1, 0, 0, 2),
    UPDATE_2("lru_percpu_hash no_common_lru update ANY two new", M_LRU_PERCPU_HASH_NOCOMMON, S_TWO, 5,
	     BPF_ANY, 0, 1, 0xaa, 1),
    UPDATE_2("lru_percpu_hash no_common_lru update EXIST two", M_LRU_PERCPU_HASH_NOCOMMON, S_TWO, 2,
	     BPF_EXIST, 0, 1, 0xaa, 2),
    UPDATE_2("lru_percpu_hash no_common_lru update NOEXIST two", M_LRU_PERCPU_HASH_NOCOMMON, S_TWO, 2,
	     BPF_NOEXIST, 0, 1, 0xaa, 1),

    /* a key looked up is not the next victim */
    UPDATE_TOUCH(2, 0, "lru_hash touched 1 update NOEXIST full 1", M_LRU_HASH, S_FULL, 1, 1, BPF_NOEXIST, -EEXIST, 1,
		 0x101, 3),
    UPDATE_TOUCH(2, 0, "lru_hash touched 1 update ANY full new", M_LRU_HASH, S_FULL, 1, 5, BPF_ANY, 0, 1, 0xaa, 4),
    UPDATE_TOUCH(2, 0, "lru_hash touched 2 update NOEXIST full 1", M_LRU_HASH, S_FULL, 2, 1, BPF_NOEXIST, 0, 1, 0xaa,
		 4),
    UPDATE_TOUCH(2, 0, "lru_percpu_hash touched 1 update NOEXIST full 1", M_LRU_PERCPU_HASH, S_FULL, 1, 1,
		 BPF_NOEXIST, -EEXIST, 1, 0x101, 3),
    UPDATE_TOUCH(2, 2, "lru_hash no_common_lru touched 1 update NOEXIST two 1", M_LRU_HASH_NOCOMMON, S_TWO, 1, 1,
		 BPF_NOEXIST, -EEXIST, 1, 0x101, 1),
    UPDATE_TOUCH(2, 2, "lru_hash 8 touched 1 update ANY full new", M_LRU_HASH8, S_EIGHT, 1, 9, BPF_ANY, 0, 1, 0xaa,
		 7),
    {.name = "lru_hash looked up from userspace 1 update NOEXIST full 1",
     .cpus_min = 2,
     .map = M_LRU_HASH,
     .state = S_FULL,
     .op = MH_UPDATE,
     .key = 1,
     .value = 0xaa,
     .flags = BPF_NOEXIST,
     .probe = true,
     .touch_sys = true,
     .touch_key = 1,
     .want = {0, NULL, 0, 1, 0xaa, 4}},
    {.name = "lru_percpu_hash looked up from userspace 1 update NOEXIST full 1",
     .cpus_min = 2,
     .map = M_LRU_PERCPU_HASH,
     .state = S_FULL,
     .op = MH_UPDATE,
     .key = 1,
     .value = 0xaa,
     .flags = BPF_NOEXIST,
     .probe = true,
     .touch_sys = true,
     .touch_key = 1,
     .want = {0, NULL, 0, 1, 0xaa, 4}},
    UPDATE_TOUCH(2, 2, "lru_hash 8 touched 1 update NOEXIST full 1", M_LRU_HASH8, S_EIGHT, 1, 1, BPF_NOEXIST, -EEXIST,
		 1, 0x101, 6),

    LOOKUP_PERCPU(0, "percpu_hash lookup_percpu cpu 0", M_PERCPU_HASH, S_ONE, 1, 0, 1, 0x101, 1),
    LOOKUP_PERCPU(2, "percpu_hash lookup_percpu cpu 1", M_PERCPU_HASH, S_ONE, 1, 1, 1, 0x101, 1),
    LOOKUP_PERCPU(0, "percpu_hash lookup_percpu cpu 65535", M_PERCPU_HASH, S_ONE, 1, 0xffff, 0, 0, 1),
    LOOKUP_PERCPU(0, "percpu_hash lookup_percpu absent", M_PERCPU_HASH, S_ONE, 2, 0, 0, 0, 1),
    LOOKUP_PERCPU(0, "lru_percpu_hash lookup_percpu cpu 0", M_LRU_PERCPU_HASH, S_ONE, 1, 0, 1, 0x101, 1),
    LOOKUP_PERCPU(0, "percpu_array lookup_percpu cpu 0", M_PERCPU_ARRAY, S_ONE, 1, 0, 1, 0x101, 0),
    LOOKUP_PERCPU(0, "percpu_array lookup_percpu out of range", M_PERCPU_ARRAY, S_ONE, 4, 0, 0, 0, 0),
    LOOKUP_PERCPU(0, "percpu_array lookup_percpu cpu 65535", M_PERCPU_ARRAY, S_ONE, 1, 0xffff, 0, 0, 0),
    REFUSED("hash lookup_percpu", M_HASH, MH_LOOKUP_PERCPU, EINVAL,
	    "cannot pass map_type 1 into func bpf_map_lookup_percpu_elem#195", GAP_PERCPU),
    REFUSED("array lookup_percpu", M_ARRAY, MH_LOOKUP_PERCPU, EINVAL,
	    "cannot pass map_type 2 into func bpf_map_lookup_percpu_elem#195", GAP_PERCPU),

    ARRAY_ROWS("array", M_ARRAY),
    ARRAY_ROWS("percpu_array", M_PERCPU_ARRAY),

    LOOKUP("lpm lookup empty", M_LPM, S_EMPTY, LPM(32, 10, 1, 2, 3), 0, 0, 0),
    LOOKUP("lpm lookup longest", M_LPM, S_LPM_TWO, LPM(32, 10, 1, 2, 3), 1, 0x110, 2),
    LOOKUP("lpm lookup shorter match", M_LPM, S_LPM_TWO, LPM(32, 10, 2, 0, 0), 1, 0x108, 2),
    LOOKUP("lpm lookup no match", M_LPM, S_LPM_TWO, LPM(32, 11, 0, 0, 0), 0, 0, 2),
    LOOKUP("lpm lookup short key", M_LPM, S_LPM_TWO, LPM(12, 10, 1, 2, 3), 1, 0x108, 2),
    LOOKUP("lpm lookup prefix 0", M_LPM, S_LPM_TWO, LPM(0, 10, 1, 2, 3), 0, 0, 2),
    LOOKUP("lpm lookup prefix 33", M_LPM, S_LPM_TWO, LPM(33, 10, 1, 2, 3), 0, 0, 2),
    UPDATE("lpm update ANY new", M_LPM, S_LPM_TWO, LPM(24, 10, 1, 2, 0), BPF_ANY, 0, 1, 0xaa, 3),
    UPDATE("lpm update NOEXIST present", M_LPM, S_LPM_TWO, LPM(8, 10, 0, 0, 0), BPF_NOEXIST, -EEXIST, 1,
	   0x108, 2),
    UPDATE("lpm update NOEXIST trailing bits", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 2, 3), BPF_NOEXIST, -EEXIST,
	   1, 0x110, 2),
    UPDATE("lpm update EXIST absent", M_LPM, S_LPM_TWO, LPM(24, 10, 1, 2, 0), BPF_EXIST, -ENOENT, 1, 0x110,
	   2),
    UPDATE("lpm update EXIST present", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 0, 0), BPF_EXIST, 0, 1, 0xaa, 2),
    UPDATE("lpm update prefix 0", M_LPM, S_LPM_TWO, LPM(0, 0, 0, 0, 0), BPF_ANY, 0, 1, 0xaa, 3),
    UPDATE("lpm update prefix 33", M_LPM, S_LPM_TWO, LPM(33, 10, 1, 2, 3), BPF_ANY, -EINVAL, 0, 0, 2),
    UPDATE("lpm update F_LOCK present", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 0, 0), BPF_F_LOCK, -EINVAL, 1, 0x110,
	   2),
    UPDATE("lpm update flags 3", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 0, 0), 3, -EINVAL, 1, 0x110, 2),
    UPDATE("lpm update flags 1-32", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 0, 0), 1ull << 32, -EINVAL, 1, 0x110, 2),
    UPDATE("lpm update ANY full new", M_LPM, S_LPM_FULL, LPM(16, 192, 168, 0, 0), BPF_ANY, -ENOSPC, 0, 0, 4),
    UPDATE("lpm update NOEXIST full new", M_LPM, S_LPM_FULL, LPM(16, 192, 168, 0, 0), BPF_NOEXIST, -ENOSPC, 0,
	   0, 4),
    UPDATE("lpm update EXIST full new", M_LPM, S_LPM_FULL, LPM(16, 192, 168, 0, 0), BPF_EXIST, -ENOENT, 0, 0,
	   4),
    UPDATE("lpm update ANY full present", M_LPM, S_LPM_FULL, LPM(16, 10, 1, 0, 0), BPF_ANY, 0, 1, 0xaa, 4),
    DELETE("lpm delete present", M_LPM, S_LPM_TWO, LPM(16, 10, 1, 0, 0), 0, 1, 0x108, 1),
    DELETE("lpm delete absent", M_LPM, S_LPM_TWO, LPM(24, 10, 1, 2, 0), -ENOENT, 1, 0x110, 2),
    DELETE("lpm delete empty", M_LPM, S_EMPTY, LPM(24, 10, 1, 2, 0), -ENOENT, 0, 0, 0),
    DELETE("lpm delete prefix 33", M_LPM, S_LPM_TWO, LPM(33, 10, 1, 2, 3), -EINVAL, 0, 0, 2),

    BLOOM("bloom push ANY", S_EMPTY, MH_PUSH, 0xaa, BPF_ANY, 0, GAP_PUSH_PEEK),
    BLOOM("bloom push ANY present", S_BLOOM_ONE, MH_PUSH, 0x101, BPF_ANY, 0, GAP_PUSH_PEEK),
    BLOOM("bloom push NOEXIST", S_EMPTY, MH_PUSH, 0xaa, BPF_NOEXIST, -EINVAL, GAP_PUSH_PEEK),
    BLOOM("bloom push EXIST", S_BLOOM_ONE, MH_PUSH, 0x101, BPF_EXIST, -EINVAL, GAP_PUSH_PEEK),
    BLOOM("bloom push F_LOCK", S_EMPTY, MH_PUSH, 0xaa, BPF_F_LOCK, -EINVAL, GAP_PUSH_PEEK),
    BLOOM("bloom push flags 1-32", S_EMPTY, MH_PUSH, 0xaa, 1ull << 32, -EINVAL, GAP_PUSH_PEEK),
    BLOOM("bloom peek empty", S_EMPTY, MH_PEEK, 0x101, 0, -ENOENT, GAP_PUSH_PEEK),
    BLOOM("bloom peek present", S_BLOOM_ONE, MH_PEEK, 0x101, 0, 0, GAP_PUSH_PEEK),
    BLOOM("bloom peek absent", S_BLOOM_ONE, MH_PEEK, 0xaa, 0, -ENOENT, GAP_PUSH_PEEK),
    REFUSED("bloom pop", M_BLOOM, MH_POP, EINVAL, "cannot pass map_type 30 into func bpf_map_pop_elem#88",
	    GAP_PUSH_PEEK),
    /* the key argument of a map without keys is a zero-sized read */
    REFUSED("bloom lookup", M_BLOOM, MH_LOOKUP, EACCES, "invalid zero-sized read", NULL),
    REFUSED("bloom update", M_BLOOM, MH_UPDATE, EACCES, "invalid zero-sized read", NULL),
    REFUSED("bloom delete", M_BLOOM, MH_DELETE, EACCES, "invalid zero-sized read", NULL),

    REFUSED("prog_array lookup", M_PROG_ARRAY, MH_LOOKUP, EINVAL,
	    "cannot pass map_type 3 into func bpf_map_lookup_elem#1", NULL),
    REFUSED("prog_array update", M_PROG_ARRAY, MH_UPDATE, EINVAL,
	    "cannot pass map_type 3 into func bpf_map_update_elem#2", NULL),
    REFUSED("prog_array delete", M_PROG_ARRAY, MH_DELETE, EINVAL,
	    "cannot pass map_type 3 into func bpf_map_delete_elem#3", NULL),
    REFUSED("perf_event_array lookup", M_PERF_ARRAY, MH_LOOKUP, EINVAL,
	    "cannot pass map_type 4 into func bpf_map_lookup_elem#1", NULL),
    REFUSED("perf_event_array update", M_PERF_ARRAY, MH_UPDATE, EINVAL,
	    "cannot pass map_type 4 into func bpf_map_update_elem#2", NULL),
    REFUSED("perf_event_array delete", M_PERF_ARRAY, MH_DELETE, EINVAL,
	    "cannot pass map_type 4 into func bpf_map_delete_elem#3", NULL),
    REFUSED("hash push", M_HASH, MH_PUSH, EINVAL, "cannot pass map_type 1 into func bpf_map_push_elem#87",
	    GAP_PUSH_PEEK),
    REFUSED("array peek", M_ARRAY, MH_PEEK, EINVAL, "cannot pass map_type 2 into func bpf_map_peek_elem#89",
	    GAP_PUSH_PEEK),
};

#endif /* BPFS_MAP_HELPER_CASES_H */
