/* SPDX-License-Identifier: MIT */
/*
 * The map case table, shared by test_maps.c (bpfscope's bpf()) and
 * test_maps_kernel.c (the running kernel's bpf(), which must agree row for
 * row: the rows state the kernel's behaviour).
 *
 * A row creates one map and runs steps on it through a bpf() function.
 * Each step is one command with an expected errno (0 for success) and,
 * when given, the expected output (looked-up value, next key). A step may
 * alter the attr as the caller would (attr size, one byte set to 1 at an
 * offset, a bad descriptor) to reach the checks every command shares.
 *
 * mc_run runs a row and returns a trace (one line per step: command,
 * result, errno, output) so that two implementations can be compared line
 * by line, and a description of the first place the row's expectations
 * were not met (NULL when all were).
 *
 * Per-CPU maps: a step's value is one CPU's value (value_size bytes); the
 * runner gives CPU i that value with its first byte plus i, and expects
 * the same back.
 */
#ifndef BPFS_MAP_CASES_H
#define BPFS_MAP_CASES_H

#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define MC_MAX_STEPS 24
#define MC_MAX_KEYS 8

enum mc_op {
	MC_END = 0,
	MC_LOOKUP,
	MC_UPDATE,
	MC_DELETE,
	MC_NEXT, /* get_next_key */
	MC_ITER, /* walk all keys with get_next_key from NULL */
	MC_CMD,	 /* bare command number bpf_cmd with a zeroed attr */
};

enum mc_fd {
	MC_FD_MAP = 0, /* the row's map */
	MC_FD_BAD,     /* a descriptor that is not open (-1) */
};

struct mc_create {
	uint32_t type, key_size, value_size, max_entries, flags, numa_node;
	uint64_t map_extra;
	const char *name;
	unsigned size; /* attr size, 0 for sizeof(union bpf_attr) */
	int poke;      /* > 0: byte poke - 1 of the attr buffer set to 1 */
	int err;       /* expected errno of the creation */
};

struct mc_step {
	enum mc_op op;
	const void *key;    /* NULL passes a NULL key */
	const void *value;  /* input value (update, bloom lookup) */
	bool null_value;    /* pass NULL where the output or input value goes */
	bool value_self_fd; /* update value is the row's own map descriptor */
	uint64_t flags;
	int err;	 /* expected errno, 0 for success */
	const void *out; /* expected value / next key, NULL: not compared */
	enum mc_fd fd;
	unsigned size; /* attr size, 0 for sizeof(union bpf_attr) */
	int poke;
	int bpf_cmd; /* MC_CMD */
	/* MC_ITER: the keys expected, in order when ordered, else as a set */
	const void *keys[MC_MAX_KEYS];
	unsigned nkeys;
	bool ordered;
};

struct mc_case {
	const char *descr;
	struct mc_create create;
	struct mc_step steps[MC_MAX_STEPS];
};

#define U32(x) ((const uint32_t[]){x})
#define U64(x) ((const uint64_t[]){x})
/* An LPM key for IPv4: prefix length, then four address bytes. */
#define LPM4(len, a, b, c, d) ((const uint8_t[]){len, 0, 0, 0, a, b, c, d})

#define HASH48(n)                                                                                            \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = n                  \
	}
#define ARRAY48(n)                                                                                           \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = n                 \
	}
#define PROGARR(n)                                                                                           \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = n            \
	}
#define PERFARR(n)                                                                                           \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_PERF_EVENT_ARRAY, .key_size = 4, .value_size = 4, .max_entries = n      \
	}
#define BLOOM8(n)                                                                                            \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_BLOOM_FILTER, .key_size = 0, .value_size = 8, .max_entries = n          \
	}
#define LPM4MAP(n)                                                                                           \
	{                                                                                                    \
		.type = BPF_MAP_TYPE_LPM_TRIE, .key_size = 8, .value_size = 8, .max_entries = n,             \
		.flags = BPF_F_NO_PREALLOC                                                                   \
	}

#define CREATE_ERR(t, k, v, m, f, e)                                                                         \
	{                                                                                                    \
		.type = t, .key_size = k, .value_size = v, .max_entries = m, .flags = f, .err = e            \
	}

/* Rows list a step's leading fields by position ({ op, key, value }) and
 * the rest by name; the remaining fields are zero on purpose. */
/* clang-format off */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct mc_case mc_cases[] = {
	/* ---- creation: checks every type shares, then each type's ---- */
	{ "create/hash", HASH48(16), { { 0 } } },
	{ "create/hash-key0", CREATE_ERR(BPF_MAP_TYPE_HASH, 0, 8, 16, 0, EINVAL), { { 0 } } },
	{ "create/hash-value0", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 0, 16, 0, EINVAL), { { 0 } } },
	{ "create/hash-entries0", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 0, 0, EINVAL), { { 0 } } },
	{ "create/hash-key-value-4M-48", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, (4u << 20) - 52, 1, 0, E2BIG), { { 0 } } },
	{ "create/hash-key-value-4M-49", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, (4u << 20) - 53, 1, 0, 0), { { 0 } } },
	{ "create/hash-key-4M", CREATE_ERR(BPF_MAP_TYPE_HASH, 4u << 20, 8, 1, 0, E2BIG), { { 0 } } },
	{ "create/hash-key-64K", CREATE_ERR(BPF_MAP_TYPE_HASH, 65536, 8, 1, 0, 0), { { 0 } } },
	{ "create/hash-2^28-entries", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 1u << 28, BPF_F_NO_PREALLOC, E2BIG),
	  { { 0 } } },
	{ "create/hash-2^31+1-entries", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, (1u << 31) + 1, BPF_F_NO_PREALLOC, E2BIG),
	  { { 0 } } },
	{ "create/hash-zero-seed", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_ZERO_SEED, 0), { { 0 } } },
	{ "create/hash-clone", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_CLONE, EINVAL), { { 0 } } },
	{ "create/hash-no-prealloc", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_NO_PREALLOC, 0), { { 0 } } },
	{ "create/hash-mmapable", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_MMAPABLE, EINVAL), { { 0 } } },
	{ "create/hash-no-common-lru", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_NO_COMMON_LRU, EINVAL),
	  { { 0 } } },
	{ "create/hash-rdonly-wronly",
	  CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_RDONLY | BPF_F_WRONLY, EINVAL), { { 0 } } },
	{ "create/hash-rdonly-wronly-prog",
	  CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG, EINVAL), { { 0 } } },
	{ "create/hash-unknown-flag", CREATE_ERR(BPF_MAP_TYPE_HASH, 4, 8, 16, 1u << 20, EINVAL), { { 0 } } },
	{ "create/hash-map-extra",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .map_extra = 1,
	    .err = EINVAL },
	  { { 0 } } },
	{ "create/hash-numa0",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .flags = BPF_F_NUMA_NODE },
	  { { 0 } } },
	{ "create/hash-numa-offline",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4,
	    .flags = BPF_F_NUMA_NODE, .numa_node = 999, .err = EINVAL },
	  { { 0 } } },
	{ "create/hash-name",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .name = "my_map.1" },
	  { { 0 } } },
	{ "create/hash-bad-name",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .name = "my-map",
	    .err = EINVAL },
	  { { 0 } } },
	{ "create/unspec", CREATE_ERR(BPF_MAP_TYPE_UNSPEC, 4, 8, 16, 0, EINVAL), { { 0 } } },
	{ "create/unknown-type", CREATE_ERR(100000, 4, 8, 16, 0, EINVAL), { { 0 } } },
	{ "create/array", ARRAY48(16), { { 0 } } },
	{ "create/array-key8", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 8, 8, 16, 0, EINVAL), { { 0 } } },
	{ "create/array-value0", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 0, 16, 0, EINVAL), { { 0 } } },
	{ "create/array-entries0", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0, EINVAL), { { 0 } } },
	{ "create/array-no-prealloc", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_NO_PREALLOC, EINVAL),
	  { { 0 } } },
	{ "create/array-mmapable", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 8, 16, BPF_F_MMAPABLE, 0), { { 0 } } },
	{ "create/array-value-4M", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 4u << 20, 1, 0, 0), { { 0 } } },
	{ "create/array-value-4M+1", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, (4u << 20) + 1, 1, 0, 0), { { 0 } } },
	{ "create/array-value-2G", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 1u << 31, 1, 0, E2BIG), { { 0 } } },
	{ "create/array-inner-map", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_INNER_MAP, 0), { { 0 } } },
	{ "create/array-preserve-elems", CREATE_ERR(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_PRESERVE_ELEMS, EINVAL),
	  { { 0 } } },
	{ "create/array-map-extra",
	  { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4, .map_extra = 5,
	    .err = EINVAL },
	  { { 0 } } },
	{ "create/percpu-array", CREATE_ERR(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0, 0), { { 0 } } },
	{ "create/percpu-array-mmapable", CREATE_ERR(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, BPF_F_MMAPABLE, EINVAL),
	  { { 0 } } },
	{ "create/percpu-array-value-32K+1", CREATE_ERR(BPF_MAP_TYPE_PERCPU_ARRAY, 4, (32u << 10) + 1, 4, 0, E2BIG),
	  { { 0 } } },
	{ "create/percpu-hash", CREATE_ERR(BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 4, 0, 0), { { 0 } } },
	{ "create/prog-array", PROGARR(4), { { 0 } } },
	{ "create/prog-array-value8", CREATE_ERR(BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0, EINVAL), { { 0 } } },
	{ "create/prog-array-key8", CREATE_ERR(BPF_MAP_TYPE_PROG_ARRAY, 8, 4, 4, 0, EINVAL), { { 0 } } },
	{ "create/prog-array-rdonly-prog", CREATE_ERR(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, EINVAL),
	  { { 0 } } },
	{ "create/perf-event-array", PERFARR(4), { { 0 } } },
	{ "create/perf-event-array-preserve", CREATE_ERR(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, BPF_F_PRESERVE_ELEMS, 0),
	  { { 0 } } },
	{ "create/prog-array-mmapable", CREATE_ERR(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_MMAPABLE, EINVAL),
	  { { 0 } } },
	{ "create/perf-event-array-value8", CREATE_ERR(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 8, 4, 0, EINVAL),
	  { { 0 } } },
	{ "create/bloom", BLOOM8(100), { { 0 } } },
	{ "create/bloom-key4", CREATE_ERR(BPF_MAP_TYPE_BLOOM_FILTER, 4, 8, 100, 0, EINVAL), { { 0 } } },
	{ "create/bloom-value0", CREATE_ERR(BPF_MAP_TYPE_BLOOM_FILTER, 0, 0, 100, 0, EINVAL), { { 0 } } },
	{ "create/bloom-entries0", CREATE_ERR(BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 0, 0, EINVAL), { { 0 } } },
	{ "create/bloom-no-prealloc", CREATE_ERR(BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 10, BPF_F_NO_PREALLOC, EINVAL),
	  { { 0 } } },
	{ "create/bloom-extra15",
	  { .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 8, .max_entries = 100, .map_extra = 15 }, { { 0 } } },
	{ "create/bloom-extra16",
	  { .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 8, .max_entries = 100, .map_extra = 16,
	    .err = EINVAL },
	  { { 0 } } },
	{ "create/lpm", LPM4MAP(16), { { 0 } } },
	{ "create/lpm-prealloc", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 8, 8, 16, 0, EINVAL), { { 0 } } },
	{ "create/lpm-key4", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 4, 8, 16, BPF_F_NO_PREALLOC, EINVAL), { { 0 } } },
	{ "create/lpm-key5", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 5, 8, 16, BPF_F_NO_PREALLOC, 0), { { 0 } } },
	{ "create/lpm-key260", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 260, 8, 16, BPF_F_NO_PREALLOC, 0), { { 0 } } },
	{ "create/lpm-key261", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 261, 8, 16, BPF_F_NO_PREALLOC, EINVAL),
	  { { 0 } } },
	{ "create/lpm-value-max", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 8, (4u << 20) - 256 - 24, 1, BPF_F_NO_PREALLOC, 0),
	  { { 0 } } },
	{ "create/lpm-value-max+1",
	  CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 8, (4u << 20) - 256 - 23, 1, BPF_F_NO_PREALLOC, EINVAL), { { 0 } } },
	{ "create/lpm-value0", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 8, 0, 16, BPF_F_NO_PREALLOC, EINVAL), { { 0 } } },
	{ "create/lpm-entries0", CREATE_ERR(BPF_MAP_TYPE_LPM_TRIE, 8, 8, 0, BPF_F_NO_PREALLOC, EINVAL), { { 0 } } },

	/* ---- attr checks shared by every command ---- */
	{ "attr/create-size1", { .type = BPF_MAP_TYPE_HASH, .size = 1, .err = EINVAL }, { { 0 } } },
	{ "attr/create-junk-in-union", { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
	  .max_entries = 4, .poke = 141, .err = EINVAL }, { { 0 } } },
	{ "attr/create-short-size",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .size = 20 }, { { 0 } } },
	{ "attr/create-junk-past-union",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .size = 1024,
	    .poke = 1000, .err = E2BIG },
	  { { 0 } } },
	{ "attr/create-zeros-past-union",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .size = 1024 },
	  { { 0 } } },
	{ "attr/create-size-above-page",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .size = 4097,
	    .err = E2BIG },
	  { { 0 } } },
	{ "attr/lookup-junk-after-flags",
	  HASH48(4),
	  { { MC_UPDATE, U32(1), U64(7) },
	    { MC_LOOKUP, U32(1), .poke = 33, .err = EINVAL },
	    { MC_LOOKUP, U32(1), .out = U64(7) } } },
	{ "attr/lookup-junk-past-union",
	  HASH48(4), { { MC_LOOKUP, U32(1), .size = 512, .poke = 300, .err = E2BIG } } },
	{ "attr/lookup-zeros-past-union",
	  HASH48(4), { { MC_UPDATE, U32(1), U64(7) }, { MC_LOOKUP, U32(1), .size = 512, .out = U64(7) } } },
	{ "attr/delete-flags", HASH48(4),
	  { { MC_UPDATE, U32(1), U64(7) }, { MC_DELETE, U32(1), .flags = 1, .err = EINVAL },
	    { MC_DELETE, U32(1) } } },
	{ "attr/next-key-flags", HASH48(4),
	  { { MC_UPDATE, U32(1), U64(7) }, { MC_NEXT, NULL, .flags = 1, .err = EINVAL } } },
	{ "attr/unknown-command", HASH48(4), { { MC_CMD, .bpf_cmd = 10000, .err = EINVAL } } },
	{ "attr/negative-command", HASH48(4), { { MC_CMD, .bpf_cmd = -1, .err = EINVAL } } },
	{ "attr/bad-fd", HASH48(4),
	  { { MC_LOOKUP, U32(1), .fd = MC_FD_BAD, .err = EBADF },
	    { MC_UPDATE, U32(1), U64(1), .fd = MC_FD_BAD, .err = EBADF },
	    { MC_DELETE, U32(1), .fd = MC_FD_BAD, .err = EBADF },
	    { MC_NEXT, NULL, .fd = MC_FD_BAD, .err = EBADF } } },
	{ "attr/lookup-flags", HASH48(4),
	  { { MC_UPDATE, U32(1), U64(7) },
	    { MC_LOOKUP, U32(1), .flags = BPF_F_LOCK, .err = EINVAL },
	    { MC_LOOKUP, U32(1), .flags = 1, .err = EINVAL },
	    { MC_LOOKUP, U32(1), .flags = 1ull << 40, .err = EINVAL } } },
	{ "attr/bad-flags-before-bad-fd", HASH48(4),
	  { { MC_LOOKUP, U32(1), .flags = 1, .fd = MC_FD_BAD, .err = EINVAL } } },
	{ "attr/null-key", HASH48(4),
	  { { MC_UPDATE, NULL, U64(1), .err = EFAULT },
	    { MC_LOOKUP, NULL, .err = EFAULT },
	    { MC_DELETE, NULL, .err = EFAULT } } },
	{ "attr/null-value", HASH48(4),
	  { { MC_UPDATE, U32(1), .null_value = true, .err = EFAULT },
	    { MC_LOOKUP, U32(1), .null_value = true, .err = ENOENT },
	    { MC_UPDATE, U32(1), U64(3) },
	    { MC_LOOKUP, U32(1), .null_value = true, .err = EFAULT },
	    { MC_NEXT, NULL, .null_value = true, .err = EFAULT } } },

	/* ---- hash ---- */
	{ "hash/update-lookup", HASH48(4),
	  { { MC_LOOKUP, U32(1), .err = ENOENT },
	    { MC_UPDATE, U32(1), U64(0x1122334455667788ull) },
	    { MC_LOOKUP, U32(1), .out = U64(0x1122334455667788ull) },
	    { MC_LOOKUP, U32(2), .err = ENOENT },
	    { MC_UPDATE, U32(1), U64(9) },
	    { MC_LOOKUP, U32(1), .out = U64(9) } } },
	{ "hash/flags", HASH48(4),
	  { { MC_UPDATE, U32(1), U64(1), .flags = BPF_EXIST, .err = ENOENT },
	    { MC_UPDATE, U32(1), U64(1), .flags = BPF_NOEXIST },
	    { MC_UPDATE, U32(1), U64(2), .flags = BPF_NOEXIST, .err = EEXIST },
	    { MC_LOOKUP, U32(1), .out = U64(1) },
	    { MC_UPDATE, U32(1), U64(3), .flags = BPF_EXIST },
	    { MC_LOOKUP, U32(1), .out = U64(3) },
	    { MC_UPDATE, U32(1), U64(4), .flags = 3, .err = EINVAL },
	    { MC_UPDATE, U32(1), U64(4), .flags = 8, .err = EINVAL },
	    { MC_UPDATE, U32(1), U64(4), .flags = BPF_F_LOCK, .err = EINVAL },
	    { MC_UPDATE, U32(1), U64(4), .flags = 1ull << 33, .err = EINVAL },
	    { MC_LOOKUP, U32(1), .out = U64(3) } } },
	{ "hash/full", HASH48(2),
	  { { MC_UPDATE, U32(1), U64(1) },
	    { MC_UPDATE, U32(2), U64(2) },
	    { MC_UPDATE, U32(3), U64(3), .err = E2BIG },
	    { MC_UPDATE, U32(3), U64(3), .flags = BPF_NOEXIST, .err = E2BIG },
	    { MC_UPDATE, U32(2), U64(22) },
	    { MC_UPDATE, U32(2), U64(23), .flags = BPF_EXIST },
	    { MC_LOOKUP, U32(2), .out = U64(23) },
	    { MC_DELETE, U32(1) },
	    { MC_UPDATE, U32(3), U64(3) },
	    { MC_LOOKUP, U32(3), .out = U64(3) },
	    { MC_LOOKUP, U32(1), .err = ENOENT } } },
	{ "hash/no-prealloc-full",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 1,
	    .flags = BPF_F_NO_PREALLOC },
	  { { MC_UPDATE, U32(1), U64(1) },
	    { MC_UPDATE, U32(2), U64(2), .err = E2BIG },
	    { MC_UPDATE, U32(1), U64(5) },
	    { MC_LOOKUP, U32(1), .out = U64(5) } } },
	{ "hash/delete", HASH48(4),
	  { { MC_DELETE, U32(1), .err = ENOENT },
	    { MC_UPDATE, U32(1), U64(1) },
	    { MC_DELETE, U32(1) },
	    { MC_DELETE, U32(1), .err = ENOENT },
	    { MC_LOOKUP, U32(1), .err = ENOENT } } },
	{ "hash/get-next-key", HASH48(8),
	  { { MC_NEXT, NULL, .err = ENOENT },
	    { MC_NEXT, U32(5), .err = ENOENT },
	    { MC_UPDATE, U32(5), U64(5) },
	    { MC_NEXT, NULL, .out = U32(5) },
	    { MC_NEXT, U32(6), .out = U32(5) },
	    { MC_NEXT, U32(5), .err = ENOENT },
	    { MC_UPDATE, U32(6), U64(6) },
	    { MC_UPDATE, U32(7), U64(7) },
	    { MC_UPDATE, U32(1000), U64(1000) },
	    { MC_ITER, .keys = { U32(5), U32(6), U32(7), U32(1000) }, .nkeys = 4 },
	    { MC_DELETE, U32(6) },
	    { MC_ITER, .keys = { U32(5), U32(7), U32(1000) }, .nkeys = 3 } } },
	{ "hash/next-after-deleted", HASH48(8),
	  { { MC_UPDATE, U32(1), U64(1) },
	    { MC_UPDATE, U32(2), U64(2) },
	    { MC_UPDATE, U32(3), U64(3) },
	    { MC_DELETE, U32(2) },
	    { MC_ITER, .keys = { U32(1), U32(3) }, .nkeys = 2 },
	    { MC_DELETE, U32(1) },
	    { MC_NEXT, U32(1), .out = U32(3) },
	    { MC_NEXT, U32(3), .err = ENOENT } } },
	{ "hash/key-16",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 16, .value_size = 4, .max_entries = 2 },
	  { { MC_UPDATE, "0123456789abcdef", U32(1) },
	    { MC_UPDATE, "0123456789abcdeg", U32(2) },
	    { MC_LOOKUP, "0123456789abcdef", .out = U32(1) },
	    { MC_LOOKUP, "0123456789abcdeg", .out = U32(2) },
	    { MC_LOOKUP, "1123456789abcdef", .err = ENOENT } } },
	{ "percpu-hash/flags",
	  { .type = BPF_MAP_TYPE_PERCPU_HASH, .key_size = 4, .value_size = 12, .max_entries = 2 },
	  { { MC_UPDATE, U32(1), "abcdefghijkl", .flags = BPF_EXIST, .err = ENOENT },
	    { MC_UPDATE, U32(1), "abcdefghijkl", .flags = BPF_NOEXIST },
	    { MC_UPDATE, U32(1), "abcdefghijkl", .flags = BPF_NOEXIST, .err = EEXIST },
	    { MC_UPDATE, U32(1), "abcdefghijkl", .flags = BPF_F_LOCK, .err = EINVAL },
	    { MC_LOOKUP, U32(1), .out = "abcdefghijkl" },
	    { MC_NEXT, NULL, .out = U32(1) } } },
	{ "hash/odd-sizes",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 3, .value_size = 5, .max_entries = 4 },
	  { { MC_UPDATE, "abc", "12345" },
	    { MC_LOOKUP, "abc", .out = "12345" },
	    { MC_LOOKUP, "abd", .err = ENOENT },
	    { MC_NEXT, NULL, .out = "abc" } } },
	{ "hash/rdonly",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .flags = BPF_F_RDONLY },
	  { { MC_UPDATE, U32(1), U64(1), .err = EPERM },
	    { MC_DELETE, U32(1), .err = EPERM },
	    { MC_LOOKUP, U32(1), .err = ENOENT },
	    { MC_NEXT, NULL, .err = ENOENT } } },
	{ "hash/wronly",
	  { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 4, .flags = BPF_F_WRONLY },
	  { { MC_UPDATE, U32(1), U64(1) },
	    { MC_LOOKUP, U32(1), .err = EPERM },
	    { MC_NEXT, NULL, .err = EPERM },
	    { MC_DELETE, U32(1) } } },
	{ "percpu-hash/values",
	  { .type = BPF_MAP_TYPE_PERCPU_HASH, .key_size = 4, .value_size = 4, .max_entries = 2 },
	  { { MC_UPDATE, U32(1), U32(10) },
	    { MC_LOOKUP, U32(1), .out = U32(10) },
	    { MC_UPDATE, U32(2), U32(20) },
	    { MC_UPDATE, U32(3), U32(30), .err = E2BIG },
	    { MC_DELETE, U32(1) },
	    { MC_LOOKUP, U32(1), .err = ENOENT } } },

	{ "lru/create-no-prealloc",
	  CREATE_ERR(BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC, ENOTSUPP), { { 0 } } },
	{ "lru/create-no-common-lru", CREATE_ERR(BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, 0),
	  { { 0 } } },
	{ "lru/create-no-common-lru-numa",
	  CREATE_ERR(BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE, EINVAL), { { 0 } } },
	{ "lru/create-key0", CREATE_ERR(BPF_MAP_TYPE_LRU_HASH, 0, 8, 4, 0, EINVAL), { { 0 } } },
	{ "lru/evicts-oldest", { .type = BPF_MAP_TYPE_LRU_HASH, .key_size = 4, .value_size = 8, .max_entries = 4 },
	  { { MC_UPDATE, U32(0), U64(0) },
	    { MC_UPDATE, U32(1), U64(1) },
	    { MC_UPDATE, U32(2), U64(2) },
	    { MC_UPDATE, U32(3), U64(3) },
	    { MC_UPDATE, U32(4), U64(4) },
	    { MC_UPDATE, U32(5), U64(5) },
	    { MC_LOOKUP, U32(5), .out = U64(5) },
	    { MC_LOOKUP, U32(0), .err = ENOENT },
	    { MC_UPDATE, U32(0), U64(0), .flags = BPF_EXIST, .err = ENOENT },
	    { MC_UPDATE, U32(5), U64(55), .flags = BPF_NOEXIST, .err = EEXIST },
	    { MC_UPDATE, U32(5), U64(55), .flags = 4, .err = EINVAL },
	    { MC_DELETE, U32(5) },
	    { MC_DELETE, U32(5), .err = ENOENT } } },
	{ "lru-percpu/values",
	  { .type = BPF_MAP_TYPE_LRU_PERCPU_HASH, .key_size = 4, .value_size = 4, .max_entries = 2 },
	  { { MC_UPDATE, U32(1), U32(10) },
	    { MC_LOOKUP, U32(1), .out = U32(10) },
	    { MC_UPDATE, U32(2), U32(20) },
	    { MC_LOOKUP, U32(2), .out = U32(20) } } },

	/* ---- array ---- */
	{ "array/zeroed", ARRAY48(4),
	  { { MC_LOOKUP, U32(0), .out = U64(0) }, { MC_LOOKUP, U32(3), .out = U64(0) } } },
	{ "array/update-lookup", ARRAY48(4),
	  { { MC_UPDATE, U32(2), U64(42) },
	    { MC_LOOKUP, U32(2), .out = U64(42) },
	    { MC_LOOKUP, U32(1), .out = U64(0) },
	    { MC_UPDATE, U32(4), U64(1), .err = E2BIG },
	    { MC_LOOKUP, U32(4), .err = ENOENT },
	    { MC_LOOKUP, U32(0xffffffff), .err = ENOENT } } },
	{ "array/flags", ARRAY48(4),
	  { { MC_UPDATE, U32(0), U64(1), .flags = BPF_NOEXIST, .err = EEXIST },
	    { MC_UPDATE, U32(0), U64(1), .flags = BPF_EXIST },
	    { MC_UPDATE, U32(0), U64(2), .flags = BPF_ANY },
	    { MC_UPDATE, U32(0), U64(3), .flags = 3, .err = EINVAL },
	    { MC_UPDATE, U32(0), U64(3), .flags = 4, .err = EINVAL },
	    { MC_UPDATE, U32(0), U64(3), .flags = BPF_F_LOCK, .err = EINVAL },
	    { MC_UPDATE, U32(9), U64(3), .flags = 3, .err = EINVAL },
	    { MC_UPDATE, U32(9), U64(3), .flags = BPF_NOEXIST, .err = E2BIG },
	    { MC_LOOKUP, U32(0), .out = U64(2) } } },
	{ "array/delete", ARRAY48(4),
	  { { MC_DELETE, U32(0), .err = EINVAL }, { MC_DELETE, U32(10), .err = EINVAL } } },
	{ "array/get-next-key", ARRAY48(3),
	  { { MC_NEXT, NULL, .out = U32(0) },
	    { MC_NEXT, U32(0), .out = U32(1) },
	    { MC_NEXT, U32(1), .out = U32(2) },
	    { MC_NEXT, U32(2), .err = ENOENT },
	    { MC_NEXT, U32(3), .out = U32(0) },
	    { MC_NEXT, U32(0xffffffff), .out = U32(0) },
	    { MC_ITER, .keys = { U32(0), U32(1), U32(2) }, .nkeys = 3, .ordered = true } } },
	{ "array/odd-value",
	  { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 5, .max_entries = 2 },
	  { { MC_UPDATE, U32(1), "hello" }, { MC_LOOKUP, U32(1), .out = "hello" },
	    { MC_LOOKUP, U32(0), .out = "\0\0\0\0\0" } } },
	{ "percpu-array/values",
	  { .type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 2 },
	  { { MC_LOOKUP, U32(0), .out = "\0\0\0\0" },
	    { MC_UPDATE, U32(1), U32(7) },
	    { MC_LOOKUP, U32(1), .out = U32(7) },
	    { MC_UPDATE, U32(2), U32(7), .err = E2BIG },
	    { MC_DELETE, U32(1), .err = EINVAL } } },

	/* ---- prog_array ---- */
	{ "prog-array/empty", PROGARR(4),
	  { { MC_LOOKUP, U32(0), .err = ENOENT },
	    { MC_LOOKUP, U32(4), .err = ENOENT },
	    { MC_DELETE, U32(0), .err = ENOENT },
	    { MC_DELETE, U32(4), .err = E2BIG },
	    { MC_NEXT, NULL, .out = U32(0) },
	    { MC_NEXT, U32(3), .err = ENOENT } } },
	{ "prog-array/update", PROGARR(4),
	  { { MC_UPDATE, U32(0), U32(0xffffffff), .err = EBADF },
	    { MC_UPDATE, U32(0), .value_self_fd = true, .err = EINVAL },
	    { MC_UPDATE, U32(4), U32(0xffffffff), .err = E2BIG },
	    { MC_UPDATE, U32(0), U32(0xffffffff), .flags = BPF_NOEXIST, .err = EINVAL },
	    { MC_UPDATE, U32(0), U32(0xffffffff), .flags = BPF_EXIST, .err = EINVAL },
	    { MC_UPDATE, U32(9), U32(0xffffffff), .flags = BPF_EXIST, .err = EINVAL } } },

	/* ---- perf_event_array ---- */
	{ "perf-event-array/ops", PERFARR(4),
	  { { MC_LOOKUP, U32(0), .err = ENOTSUPP },
	    { MC_LOOKUP, U32(9), .err = ENOTSUPP },
	    { MC_UPDATE, U32(0), U32(0xffffffff), .err = EBADF },
	    { MC_UPDATE, U32(0), .value_self_fd = true, .err = EBADF },
	    { MC_UPDATE, U32(4), U32(0xffffffff), .err = E2BIG },
	    { MC_UPDATE, U32(0), U32(0xffffffff), .flags = BPF_EXIST, .err = EINVAL },
	    { MC_DELETE, U32(0), .err = ENOENT },
	    { MC_DELETE, U32(4), .err = E2BIG },
	    { MC_NEXT, U32(1), .out = U32(2) } } },

	/* ---- bloom filter ---- */
	{ "bloom/push-peek", BLOOM8(100),
	  { { MC_LOOKUP, NULL, U64(1), .err = ENOENT },
	    { MC_UPDATE, NULL, U64(1) },
	    { MC_UPDATE, NULL, U64(2) },
	    { MC_LOOKUP, NULL, U64(1) },
	    { MC_LOOKUP, NULL, U64(2) },
	    { MC_LOOKUP, NULL, U64(0x5555aaaa5555aaaaull), .err = ENOENT },
	    { MC_UPDATE, NULL, U64(1) } } },
	{ "bloom/refused", BLOOM8(100),
	  { { MC_UPDATE, NULL, U64(1), .flags = BPF_NOEXIST, .err = EINVAL },
	    { MC_UPDATE, NULL, U64(1), .flags = BPF_EXIST, .err = EINVAL },
	    { MC_UPDATE, U32(0), U64(1), .err = EINVAL },
	    { MC_LOOKUP, U32(0), U64(1), .err = EINVAL },
	    { MC_UPDATE, NULL, .null_value = true, .err = EFAULT },
	    { MC_LOOKUP, NULL, .null_value = true, .err = EFAULT },
	    { MC_DELETE, NULL, .err = EOPNOTSUPP },
	    { MC_NEXT, NULL, .err = EOPNOTSUPP },
	    { MC_NEXT, U32(0), .err = EINVAL } } },
	{ "bloom/one-hash",
	  { .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 4, .max_entries = 1000, .map_extra = 1 },
	  { { MC_UPDATE, NULL, U32(7) }, { MC_LOOKUP, NULL, U32(7) }, { MC_LOOKUP, NULL, U32(8), .err = ENOENT } } },

	/* ---- LPM trie ---- */
	{ "lpm/longest-match", LPM4MAP(16),
	  { { MC_LOOKUP, LPM4(32, 10, 1, 2, 3), .err = ENOENT },
	    { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(8) },
	    { MC_UPDATE, LPM4(16, 10, 1, 0, 0), U64(16) },
	    { MC_LOOKUP, LPM4(32, 10, 1, 2, 3), .out = U64(16) },
	    { MC_LOOKUP, LPM4(32, 10, 2, 0, 0), .out = U64(8) },
	    { MC_LOOKUP, LPM4(32, 11, 1, 2, 3), .err = ENOENT },
	    { MC_LOOKUP, LPM4(12, 10, 1, 2, 3), .out = U64(8) },
	    { MC_LOOKUP, LPM4(16, 10, 1, 2, 3), .out = U64(16) },
	    { MC_LOOKUP, LPM4(7, 10, 1, 2, 3), .err = ENOENT },
	    { MC_UPDATE, LPM4(0, 0, 0, 0, 0), U64(0) },
	    { MC_LOOKUP, LPM4(32, 11, 1, 2, 3), .out = U64(0) },
	    { MC_LOOKUP, LPM4(33, 10, 1, 2, 3), .err = ENOENT } } },
	{ "lpm/exact-update-delete", LPM4MAP(16),
	  { { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(1) },
	    { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(2), .flags = BPF_NOEXIST, .err = EEXIST },
	    { MC_UPDATE, LPM4(8, 10, 9, 9, 9), U64(3), .flags = BPF_EXIST },
	    { MC_LOOKUP, LPM4(32, 10, 0, 0, 1), .out = U64(3) },
	    { MC_UPDATE, LPM4(9, 10, 0, 0, 0), U64(4), .flags = BPF_EXIST, .err = ENOENT },
	    { MC_UPDATE, LPM4(33, 10, 0, 0, 0), U64(4), .err = EINVAL },
	    { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(4), .flags = 3, .err = EINVAL },
	    { MC_DELETE, LPM4(9, 10, 0, 0, 0), .err = ENOENT },
	    { MC_DELETE, LPM4(33, 10, 0, 0, 0), .err = EINVAL },
	    { MC_DELETE, LPM4(8, 10, 1, 2, 3) },
	    { MC_LOOKUP, LPM4(32, 10, 0, 0, 1), .err = ENOENT },
	    { MC_DELETE, LPM4(8, 10, 0, 0, 0), .err = ENOENT } } },
	{ "lpm/full", LPM4MAP(2),
	  { { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(1) },
	    { MC_UPDATE, LPM4(16, 10, 1, 0, 0), U64(2) },
	    { MC_UPDATE, LPM4(24, 10, 1, 1, 0), U64(3), .err = ENOSPC },
	    { MC_UPDATE, LPM4(16, 10, 1, 0, 0), U64(4) },
	    { MC_LOOKUP, LPM4(32, 10, 1, 1, 1), .out = U64(4) },
	    { MC_DELETE, LPM4(8, 10, 0, 0, 0) },
	    { MC_UPDATE, LPM4(24, 10, 1, 1, 0), U64(3) } } },
	{ "lpm/get-next-key-postorder", LPM4MAP(16),
	  { { MC_NEXT, NULL, .err = ENOENT },
	    { MC_UPDATE, LPM4(16, 192, 168, 0, 0), U64(1) },
	    { MC_UPDATE, LPM4(8, 10, 0, 0, 0), U64(2) },
	    { MC_UPDATE, LPM4(0, 0, 0, 0, 0), U64(3) },
	    { MC_UPDATE, LPM4(24, 192, 168, 1, 0), U64(4) },
	    { MC_UPDATE, LPM4(16, 10, 1, 0, 0), U64(5) },
	    { MC_UPDATE, LPM4(9, 10, 128, 0, 0), U64(6) },
	    { MC_ITER,
	      .keys = { LPM4(16, 10, 1, 0, 0), LPM4(9, 10, 128, 0, 0), LPM4(8, 10, 0, 0, 0),
			LPM4(24, 192, 168, 1, 0), LPM4(16, 192, 168, 0, 0), LPM4(0, 0, 0, 0, 0) },
	      .nkeys = 6,
	      .ordered = true },
	    { MC_NEXT, LPM4(8, 10, 0, 0, 0), .out = LPM4(24, 192, 168, 1, 0) },
	    { MC_NEXT, LPM4(7, 10, 0, 0, 0), .out = LPM4(16, 10, 1, 0, 0) },
	    { MC_NEXT, LPM4(33, 10, 0, 0, 0), .out = LPM4(16, 10, 1, 0, 0) },
	    { MC_NEXT, LPM4(0, 0, 0, 0, 0), .err = ENOENT },
	    { MC_DELETE, LPM4(8, 10, 0, 0, 0) },
	    { MC_ITER,
	      .keys = { LPM4(16, 10, 1, 0, 0), LPM4(9, 10, 128, 0, 0), LPM4(24, 192, 168, 1, 0),
			LPM4(16, 192, 168, 0, 0), LPM4(0, 0, 0, 0, 0) },
	      .nkeys = 5,
	      .ordered = true } } },
	{ "lpm/byte-keys",
	  { .type = BPF_MAP_TYPE_LPM_TRIE, .key_size = 5, .value_size = 1, .max_entries = 8,
	    .flags = BPF_F_NO_PREALLOC },
	  { { MC_UPDATE, ((const uint8_t[]){ 1, 0, 0, 0, 0x80 }), "a" },
	    { MC_UPDATE, ((const uint8_t[]){ 1, 0, 0, 0, 0x00 }), "b" },
	    { MC_UPDATE, ((const uint8_t[]){ 3, 0, 0, 0, 0xa0 }), "c" },
	    { MC_UPDATE, ((const uint8_t[]){ 9, 0, 0, 0, 0xa0 }), "x", .err = EINVAL },
	    { MC_LOOKUP, ((const uint8_t[]){ 8, 0, 0, 0, 0xa5 }), .out = "c" },
	    { MC_LOOKUP, ((const uint8_t[]){ 8, 0, 0, 0, 0xc5 }), .out = "a" },
	    { MC_LOOKUP, ((const uint8_t[]){ 8, 0, 0, 0, 0x45 }), .out = "b" },
	    { MC_LOOKUP, ((const uint8_t[]){ 0, 0, 0, 0, 0x45 }), .err = ENOENT },
	    { MC_ITER,
	      .keys = { ((const uint8_t[]){ 1, 0, 0, 0, 0x00 }), ((const uint8_t[]){ 3, 0, 0, 0, 0xa0 }),
			((const uint8_t[]){ 1, 0, 0, 0, 0x80 }) },
	      .nkeys = 3,
	      .ordered = true } } },
	{ "lpm/ipv6",
	  { .type = BPF_MAP_TYPE_LPM_TRIE, .key_size = 20, .value_size = 4, .max_entries = 8,
	    .flags = BPF_F_NO_PREALLOC },
	  { { MC_UPDATE, ((const uint8_t[20]){ 32, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8 }), U32(32) },
	    { MC_UPDATE, ((const uint8_t[20]){ 64, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 }), U32(64) },
	    { MC_UPDATE, ((const uint8_t[20]){ 128, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9 }),
	      U32(128) },
	    { MC_UPDATE, ((const uint8_t[20]){ 129, 0, 0, 0 }), U32(1), .err = EINVAL },
	    { MC_LOOKUP, ((const uint8_t[20]){ 128, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9 }),
	      .out = U32(128) },
	    { MC_LOOKUP, ((const uint8_t[20]){ 128, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8 }),
	      .out = U32(64) },
	    { MC_LOOKUP, ((const uint8_t[20]){ 128, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2 }), .out = U32(32) },
	    { MC_LOOKUP, ((const uint8_t[20]){ 128, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb9 }), .err = ENOENT } } },
	{ "lpm/next-key-keeps-host-bits", LPM4MAP(4),
	  { { MC_UPDATE, LPM4(8, 10, 1, 2, 3), U64(1) },
	    { MC_NEXT, NULL, .out = LPM4(8, 10, 1, 2, 3) },
	    { MC_LOOKUP, LPM4(32, 10, 200, 0, 0), .out = U64(1) } } },
};
#pragma GCC diagnostic pop
/* clang-format on */

#define MC_NCASES (sizeof(mc_cases) / sizeof(mc_cases[0]))

/* ---------------------------------------------------------------------- */
/* Runner                                                                 */

typedef long (*mc_bpf_fn)(int cmd, union bpf_attr *attr, unsigned int size);
typedef int (*mc_close_fn)(int fd);

struct mc_env {
	mc_bpf_fn bpf;
	mc_close_fn close;
	unsigned ncpus;
};

#define MC_BUF 8192

static inline uint64_t mc_ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline const char *mc_op_name(enum mc_op op)
{
	static const char *const names[] = {"end", "lookup", "update", "delete", "next", "iter", "cmd"};

	return names[op];
}

static inline void mc_hex(GString *s, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", ((const uint8_t *)p)[i]);
}

/* Expands one CPU's value into the syscall side's per-CPU layout; CPU i's
 * first byte is v's plus i, unless v is all zeroes. */
static inline void mc_expand(const struct mc_case *c, const struct mc_env *env, const void *v, uint8_t *out)
{
	uint32_t vs = c->create.value_size, stride = (vs + 7) & ~7u;
	bool percpu =
	    c->create.type == BPF_MAP_TYPE_PERCPU_ARRAY || c->create.type == BPF_MAP_TYPE_PERCPU_HASH ||
		      c->create.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	bool zero = true;

	if (!percpu) {
		memcpy(out, v, vs);
		return;
	}
	for (uint32_t i = 0; i < vs; i++)
		zero = zero && ((const uint8_t *)v)[i] == 0;
	memset(out, 0, (size_t)stride * env->ncpus);
	for (unsigned i = 0; i < env->ncpus; i++) {
		memcpy(out + (size_t)i * stride, v, vs);
		if (!zero)
			out[(size_t)i * stride] += (uint8_t)i;
	}
}

static inline uint32_t mc_user_value_size(const struct mc_case *c, const struct mc_env *env)
{
	bool percpu =
	    c->create.type == BPF_MAP_TYPE_PERCPU_ARRAY || c->create.type == BPF_MAP_TYPE_PERCPU_HASH ||
		      c->create.type == BPF_MAP_TYPE_LRU_PERCPU_HASH;

	return percpu ? ((c->create.value_size + 7) & ~7u) * env->ncpus : c->create.value_size;
}

static int mc_cmp_key(const void *a, const void *b, void *ksize)
{
	return memcmp(*(uint8_t *const *)a, *(uint8_t *const *)b, GPOINTER_TO_UINT(ksize));
}

/* Walks the keys from NULL; the trace gets them in order (ordered) or
 * sorted; *fail is set when they differ from the step's. */
static inline void mc_iter(const struct mc_case *c, const struct mc_env *env, int fd, const struct mc_step *s,
			   GString *trace, char **fail)
{
	uint32_t ks = c->create.key_size;
	GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
	uint8_t cur[512], next[512];
	union bpf_attr attr;
	bool first = true;
	unsigned guard = 0;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)fd;
		attr.key = first ? 0 : mc_ptr(cur);
		attr.next_key = mc_ptr(next);
		if (env->bpf(BPF_MAP_GET_NEXT_KEY, &attr, sizeof(attr)) != 0 || ++guard > 100)
			break;
		g_ptr_array_add(keys, g_memdup2(next, ks));
		memcpy(cur, next, ks);
		first = false;
	}
	if (!s->ordered)
		g_ptr_array_sort_with_data(keys, mc_cmp_key, GUINT_TO_POINTER(ks));
	g_string_append_printf(trace, "iter %u:", keys->len);
	for (unsigned i = 0; i < keys->len; i++) {
		g_string_append_c(trace, ' ');
		mc_hex(trace, keys->pdata[i], ks);
	}
	g_string_append_c(trace, '\n');
	if (!*fail && keys->len != s->nkeys)
		*fail = g_strdup_printf("iteration found %u keys, expected %u", keys->len, s->nkeys);
	for (unsigned i = 0; !*fail && i < s->nkeys; i++) {
		bool found = false;

		if (s->ordered)
			found = !memcmp(keys->pdata[i], s->keys[i], ks);
		for (unsigned j = 0; !s->ordered && j < keys->len; j++)
			found = found || !memcmp(keys->pdata[j], s->keys[i], ks);
		if (!found)
			*fail = g_strdup_printf("iteration: expected key %u %s", i,
						s->ordered ? "at its place" : "");
	}
	g_ptr_array_unref(keys);
}

static inline long mc_create(const struct mc_case *c, const struct mc_env *env, int *err)
{
	const struct mc_create *m = &c->create;
	uint8_t *buf = g_malloc0(MC_BUF);
	union bpf_attr *attr = (union bpf_attr *)buf;
	long fd;

	attr->map_type = m->type;
	attr->key_size = m->key_size;
	attr->value_size = m->value_size;
	attr->max_entries = m->max_entries;
	attr->map_flags = m->flags;
	attr->numa_node = m->numa_node;
	attr->map_extra = m->map_extra;
	if (m->name)
		g_strlcpy(attr->map_name, m->name, sizeof(attr->map_name));
	if (m->poke > 0)
		buf[m->poke - 1] = 1;
	errno = 0;
	fd = env->bpf(BPF_MAP_CREATE, attr, m->size ? m->size : sizeof(*attr));
	*err = fd < 0 ? errno : 0;
	g_free(buf);
	return fd;
}

/* Runs one step; returns the errno (0 on success) and fills out. */
static inline int mc_step_run(const struct mc_case *c, const struct mc_env *env, int fd,
			      const struct mc_step *s, uint8_t *out)
{
	uint8_t *buf = g_malloc0(MC_BUF);
	union bpf_attr *attr = (union bpf_attr *)buf;
	uint8_t in[4096];
	uint32_t self = (uint32_t)fd;
	int cmd = 0, err = 0;

	attr->map_fd = s->fd == MC_FD_BAD ? 0xffffffffu : (uint32_t)fd;
	attr->key = mc_ptr(s->key);
	attr->flags = s->flags;
	switch (s->op) {
	case MC_LOOKUP:
		cmd = BPF_MAP_LOOKUP_ELEM;
		if (s->value)
			mc_expand(c, env, s->value, out); /* bloom: the value to test */
		attr->value = s->null_value ? 0 : mc_ptr(out);
		break;
	case MC_UPDATE:
		cmd = BPF_MAP_UPDATE_ELEM;
		if (s->value_self_fd)
			attr->value = mc_ptr(&self);
		else if (s->value && !s->null_value) {
			mc_expand(c, env, s->value, in);
			attr->value = mc_ptr(in);
		}
		break;
	case MC_DELETE:
		cmd = BPF_MAP_DELETE_ELEM;
		break;
	case MC_NEXT:
		cmd = BPF_MAP_GET_NEXT_KEY;
		attr->next_key = s->null_value ? 0 : mc_ptr(out);
		break;
	case MC_CMD:
		cmd = s->bpf_cmd;
		memset(attr, 0, sizeof(*attr));
		break;
	default:
		break;
	}
	if (s->poke > 0)
		buf[s->poke - 1] = 1;
	errno = 0;
	if (env->bpf(cmd, attr, s->size ? s->size : sizeof(*attr)) < 0)
		err = errno;
	g_free(buf);
	return err;
}

/* Runs row c; returns its trace, and in *fail (g_free) the first unmet
 * expectation or NULL. */
static inline char *mc_run(const struct mc_env *env, const struct mc_case *c, char **fail)
{
	GString *trace = g_string_new(NULL);
	int err;
	long fd = mc_create(c, env, &err);

	*fail = NULL;
	g_string_append_printf(trace, "create %s\n", err ? g_strerror(err) : "ok");
	if (err != c->create.err)
		*fail = g_strdup_printf("create: errno %d (%s), expected %d (%s)", err, g_strerror(err),
					c->create.err, g_strerror(c->create.err));
	if (fd < 0)
		return g_string_free(trace, FALSE);
	for (int i = 0; i < MC_MAX_STEPS && c->steps[i].op != MC_END; i++) {
		const struct mc_step *s = &c->steps[i];
		uint8_t out[4096];
		size_t n = s->op == MC_NEXT ? c->create.key_size : mc_user_value_size(c, env);

		if (s->op == MC_ITER) {
			mc_iter(c, env, (int)fd, s, trace, fail);
			continue;
		}
		memset(out, 0xa5, sizeof(out));
		err = mc_step_run(c, env, (int)fd, s, out);
		g_string_append_printf(trace, "%d %s: %s", i, mc_op_name(s->op),
				       err ? g_strerror(err) : "ok");
		if (!err && (s->op == MC_LOOKUP || s->op == MC_NEXT) && !s->null_value &&
		    c->create.type != BPF_MAP_TYPE_BLOOM_FILTER) {
			g_string_append_c(trace, ' ');
			mc_hex(trace, out, n);
		}
		g_string_append_c(trace, '\n');
		if (!*fail && err != s->err)
			*fail = g_strdup_printf("step %d (%s): errno %d (%s), expected %d (%s)", i,
						mc_op_name(s->op), err, g_strerror(err), s->err,
						g_strerror(s->err));
		if (!*fail && !err && s->out) {
			uint8_t want[4096];

			if (s->op == MC_NEXT)
				memcpy(want, s->out, n);
			else
				mc_expand(c, env, s->out, want);
			if (memcmp(out, want, n))
				*fail = g_strdup_printf("step %d (%s): output differs", i, mc_op_name(s->op));
		}
	}
	env->close((int)fd);
	return g_string_free(trace, FALSE);
}

/* "create/hash" -> "/maps/<prefix>/NNN-create-hash" style path. */
static inline char *mc_path(const char *prefix, size_t i)
{
	char *slug = g_strdup(mc_cases[i].descr), *path;

	g_strdelimit(slug, "/", '-');
	path = g_strdup_printf("%s/%03zu-%s", prefix, i, slug);
	g_free(slug);
	return path;
}

#endif /* BPFS_MAP_CASES_H */
