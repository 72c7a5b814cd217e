/* SPDX-License-Identifier: MIT */
/*
 * Private to the differential tester (diff.c, diff_kernel.c, shrink.c):
 * what every engine shares so that their runs start from the same state
 * and their outcomes print the same way.
 */
#ifndef BPFSCOPE_DIFF_INT_H
#define BPFSCOPE_DIFF_INT_H

#include "diff.h"

/* splitmix64 step: small, fast, and every seed is a good one. */
uint64_t diff_rand(uint64_t *s);

/* A map declaration as a loader completes it before creating the map:
 * fd arrays get 4-byte keys and values when they declare none, a
 * perf_event_array with no max_entries one slot per CPU. */
void diff_norm_spec(const struct bpfs_map_spec *in, struct bpfs_map_spec *out);

/* A helper the program calls whose result no two runs share (random
 * numbers, clocks, the CPU or task the kernel's run happens on), or NULL:
 * such programs are not compared with the kernel. */
const char *diff_nondeterministic_call(const struct bpfs_diff_prog *prog);

/* Whether a map gets generated elements before the run. */
bool diff_fillable(const struct bpfs_map_spec *s);
/* Whether a map's contents are compared after the run. */
bool diff_dumpable(const struct bpfs_map_spec *s, unsigned engines);

/* The elements a map is filled with, from the stream *rs: put() is called
 * for each (key_size and value_size bytes). */
typedef void (*diff_put_fn)(void *c, const void *key, const void *value);
void diff_fill_pairs(const struct bpfs_map_spec *s, uint64_t *rs, diff_put_fn put, void *c);

/* Walking a map: next_key(NULL) gives the first key; both return 0 or a
 * negative errno (-ENOENT at the end). */
struct diff_map_walk {
	int (*next_key)(void *c, const void *key, void *next);
	int (*lookup)(void *c, const void *key, void *value);
	void *c;
	uint32_t key_size, value_size;
};

/* A growing string. */
struct diff_buf {
	char *s;
	size_t len, cap;
};
void diff_buf_add(struct diff_buf *b, const char *str);

/* Appends " key=value" for every element of a map, sorted by key text. */
void diff_dump_map(const struct diff_map_walk *w, struct diff_buf *b);

/* bpfs_diff_verifies, optionally refusing programs whose outcome could
 * depend on addresses or stale stack bytes (deterministic): shrinking
 * must not turn a real divergence into "the engines' stacks differ". */
bool diff_verifies(const struct bpfs_diff_prog *prog, bool deterministic, char *msg, size_t msg_len);

/* An skb context's compared fields as text (g_malloc'd), NULL for other
 * program types. */
char *diff_skb_fields(uint32_t prog_type, const void *ctx);

/* Runs prog on the running kernel: maps created and filled as the other
 * engines' are, prog_array slot 0 holding the program itself, the input
 * through BPF_PROG_TEST_RUN. Fills o (o->trace stays NULL: the kernel's
 * trace_printk output is not captured; r0 is the low 32 bits). Returns 0,
 * -EOPNOTSUPP when the kernel cannot run this program (no bpf(), a map or
 * program type test_run does not support) or -ERANGE when it refuses this
 * input, with the reason in why. A program the kernel's
 * verifier rejects is an outcome (o->load_error), not an error. */
int diff_run_kernel(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in, unsigned engines,
		    struct bpfs_diff_outcome *o, char *why, size_t why_len);

#endif /* BPFSCOPE_DIFF_INT_H */
