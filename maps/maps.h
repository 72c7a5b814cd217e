/* SPDX-License-Identifier: MIT */
/*
 * bpfscope maps: the map object model shared by the verifier (types and
 * sizes), the bpf() command layer and execution: live maps of the kernel's
 * types with the kernel's semantics (flags, errno values, iteration order
 * where the kernel defines one).
 *
 * Two sides, as in the kernel:
 *   - the syscall side (bpfs_map_lookup/update/delete/get_next_key) copies
 *     keys and values in and out, and sees per-CPU values as one buffer of
 *     round_up(value_size, 8) * bpfs_map_ncpus() bytes;
 *   - the program side (bpfs_map_lookup_elem and friends, used by the
 *     helper runtime) returns pointers into the map. Such a pointer stays
 *     valid until the end of the enclosing reader section
 *     (bpfs_rcu_read_lock/unlock), even if the element is replaced or
 *     deleted meanwhile: run every program inside one.
 *
 * Maps are reference counted. References come in two kinds, as in the
 * kernel: plain references keep the object alive (programs hold these);
 * user references additionally stand for a descriptor, and when the last
 * one goes a prog_array drops its programs (which breaks the cycle of a
 * program tail-calling through a map that holds it).
 *
 * Depends on ir only.
 */
#ifndef BPFSCOPE_MAPS_H
#define BPFSCOPE_MAPS_H

#include "ir.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks a map declaration the way the kernel's map_create does for the
 * attributes every map type shares (EINVAL for zero sizes or entries, an
 * unknown type). Returns 0 or a negative errno with err set. */
int bpfs_map_spec_check(const struct bpfs_map_spec *spec, struct bpfs_err *err);

/* ---------------------------------------------------------------------- */
/* Reference-counted handles                                              */

/* Embedded in objects that maps hold on behalf of other modules (the
 * programs of a prog_array). refcnt is only touched by bpfs_ref_get/put;
 * release runs when it drops to zero. id is what the syscall side reports
 * for the object (a prog_array lookup returns the program's id). */
struct bpfs_ref {
	int refcnt;
	uint32_t id;
	void (*release)(struct bpfs_ref *ref);
};

void bpfs_ref_init(struct bpfs_ref *ref, uint32_t id, void (*release)(struct bpfs_ref *ref));
void bpfs_ref_get(struct bpfs_ref *ref);
void bpfs_ref_put(struct bpfs_ref *ref);

/* ---------------------------------------------------------------------- */
/* Reader sections and deferred freeing                                   */

/* A reader section: while one is open anywhere, nothing removed from a
 * map before it opened is freed. Sections nest and may be opened on any
 * thread; unlock with the token lock returned. Cheap (one uncontended
 * atomic increment). */
unsigned bpfs_rcu_read_lock(void);
void bpfs_rcu_read_unlock(unsigned token);

/* Frees everything removed so far, waiting for open reader sections to
 * close. Never call it from inside a reader section. */
void bpfs_rcu_barrier(void);

/* ---------------------------------------------------------------------- */
/* Maps                                                                   */

struct bpfs_map;

/* What BPF_MAP_CREATE takes. */
struct bpfs_map_attr {
	uint32_t type; /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;	    /* BPF_F_* */
	uint32_t numa_node; /* with BPF_F_NUMA_NODE */
	uint64_t map_extra; /* bloom filter: number of hashes in bits 0-3 */
	char name[16];	    /* BPF_OBJ_NAME_LEN, NUL-terminated */
};

/* Creates a map with the kernel's checks (EINVAL, E2BIG, ENOMEM as
 * map_create and the type's alloc_check return them). The new map holds
 * one reference and one user reference. */
int bpfs_map_new(const struct bpfs_map_attr *attr, struct bpfs_map **out, struct bpfs_err *err);
/* From an object's declaration; internal maps (.data, .rodata) get their
 * initial contents. */
int bpfs_map_new_from_spec(const struct bpfs_map_spec *spec, struct bpfs_map **out, struct bpfs_err *err);

struct bpfs_map *bpfs_map_get(struct bpfs_map *map);
void bpfs_map_put(struct bpfs_map *map);
/* User references (descriptors). A new map has one; the last
 * bpfs_map_put_uref also drops the plain reference that came with it. */
struct bpfs_map *bpfs_map_get_uref(struct bpfs_map *map);
void bpfs_map_put_uref(struct bpfs_map *map);

const struct bpfs_map_attr *bpfs_map_attr(const struct bpfs_map *map);
uint32_t bpfs_map_id(const struct bpfs_map *map);
/* Size of a value on the syscall side: value_size, or for per-CPU maps
 * round_up(value_size, 8) * bpfs_map_ncpus(). */
uint32_t bpfs_map_user_value_size(const struct bpfs_map *map);
/* Number of CPUs per-CPU maps hold a value for: the system's possible
 * CPUs, as the kernel counts them, so buffers sized for the kernel fit. */
unsigned bpfs_map_ncpus(void);

/* Syscall side. key is NULL for types without keys (bloom filter);
 * get_next_key's key may be NULL (start from the first). Return 0 or a
 * negative errno, the kernel's for the same request. Lookup of a
 * prog_array returns the program's id (a u32); lookup of a bloom filter
 * reads value as the value to test. */
int bpfs_map_lookup(struct bpfs_map *map, const void *key, void *value, uint64_t flags);
int bpfs_map_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags);
int bpfs_map_delete(struct bpfs_map *map, const void *key);
int bpfs_map_get_next_key(struct bpfs_map *map, const void *key, void *next_key);

/* Program side; call inside a reader section. lookup_elem returns a
 * pointer to the value (this CPU's for per-CPU maps), or NULL. update
 * takes one value (this CPU's for per-CPU maps). */
void *bpfs_map_lookup_elem(struct bpfs_map *map, const void *key);
int bpfs_map_update_elem(struct bpfs_map *map, const void *key, const void *value, uint64_t flags);
int bpfs_map_delete_elem(struct bpfs_map *map, const void *key);
/* bpf_map_push_elem and bpf_map_peek_elem (bloom filter). */
int bpfs_map_push_elem(struct bpfs_map *map, const void *value, uint64_t flags);
int bpfs_map_peek_elem(struct bpfs_map *map, void *value);

/* The CPU the calling thread's program-side accesses act on (per-CPU maps,
 * BPF_F_CURRENT_CPU); 0 unless set. */
void bpfs_map_set_cpu(unsigned cpu);
unsigned bpfs_map_cpu(void);

/* ---------------------------------------------------------------------- */
/* prog_array: the tail-call jump table                                   */

/* Turns a descriptor written into a fd array into the object to store,
 * with a reference the map takes over, or fails with a negative errno
 * (EBADF, EINVAL). Supplied by the descriptor layer. */
typedef int (*bpfs_map_fd_resolve_fn)(void *ctx, struct bpfs_map *map, uint32_t fd, struct bpfs_ref **out);

/* Syscall-side update of a fd array (prog_array, perf_event_array):
 * value is a u32 descriptor. Checks flags and the index as the kernel
 * does, then resolves the descriptor. */
int bpfs_map_fd_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags,
		       bpfs_map_fd_resolve_fn resolve, void *ctx);
/* The program at index, for a tail call: no reference is taken, the
 * pointer is valid until the end of the reader section. NULL when the
 * index is out of range or empty. */
struct bpfs_ref *bpfs_map_prog_array_get(struct bpfs_map *map, uint32_t index);
/* The kernel's rule that all programs of one prog_array share a program
 * type: the first caller sets it; returns 0 or -EINVAL. */
int bpfs_map_prog_array_compat(struct bpfs_map *map, uint32_t prog_type);

/* ---------------------------------------------------------------------- */
/* perf_event_array: output rings                                         */

#define BPFS_PERF_ALL UINT32_MAX
/* Bytes a ring holds before bpfs_map_perf_output fails with ENOSPC and
 * counts the record as lost. */
#define BPFS_PERF_RING_BYTES (1u << 20)

/* Appends a record to the ring of index (a CPU, or any index chosen with
 * BPF_F_INDEX_MASK). Returns 0, -E2BIG (index out of range), -EINVAL
 * (not a perf_event_array) or -ENOSPC (ring full; the record is lost). */
int bpfs_map_perf_output(struct bpfs_map *map, uint32_t index, const void *data, size_t size);

typedef void (*bpfs_perf_fn)(void *ctx, uint32_t index, const void *data, size_t size);
/* Hands the records of index's ring (of every ring with BPFS_PERF_ALL,
 * in index order) to fn, oldest first, and removes them. Returns the
 * number of records or a negative errno. */
int bpfs_map_perf_drain(struct bpfs_map *map, uint32_t index, bpfs_perf_fn fn, void *ctx);
/* Records lost at index (all rings with BPFS_PERF_ALL). */
uint64_t bpfs_map_perf_lost(struct bpfs_map *map, uint32_t index);

/* ---------------------------------------------------------------------- */

/* The fast 64-bit hash the hash maps use, exposed for benchmarks. */
uint64_t bpfs_hash64(const void *data, size_t len, uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_MAPS_H */
