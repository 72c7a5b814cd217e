/* SPDX-License-Identifier: MIT */
/*
 * Private to the differential tester (diff.c, run.c, diff_kernel.c,
 * shrink.c, campaign.c):
 * what every engine shares so that their runs start from the same state
 * and their outcomes print the same way.
 */
#ifndef BPFSCOPE_DIFF_INT_H
#define BPFSCOPE_DIFF_INT_H

#include "diff.h"

/* splitmix64 step: small, fast, and every seed is a good one. */
uint64_t diff_rand(uint64_t *s);

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

/* A growing string. */
struct diff_buf {
	char *s;
	size_t len, cap;
};
void diff_buf_add(struct diff_buf *b, const char *str);

/* Appends " key=value" for every element of map i, sorted by key text. */
struct bpfs_loader;
void diff_dump_map(const struct bpfs_loader *l, size_t i, struct diff_buf *b);

/* bpfs_diff_verifies, optionally refusing programs whose outcome could
 * depend on addresses or stale stack bytes (deterministic): shrinking
 * must not turn a real divergence into "the engines' stacks differ". */
bool diff_verifies(const struct bpfs_diff_prog *prog, bool deterministic, char *msg, size_t msg_len);

/* An skb context's compared fields as text (g_malloc'd), NULL for other
 * program types. */
char *diff_skb_fields(uint32_t prog_type, const void *ctx);

/* Runs prog on engine e (run.c) with in: maps created and filled from
 * in->seed, slot 0 of every prog_array holding the program itself, one
 * BPF_PROG_TEST_RUN. Fills o (o->trace stays NULL for the kernel, whose
 * trace_printk output is not captured; its r0 is the low 32 bits).
 * Returns 0, -EOPNOTSUPP when the engine cannot run this program or
 * -ERANGE when it refuses this input, with the reason in why. A program
 * the engine's verifier rejects is an outcome (o->load_error), not an
 * error. engines is the set compared (what maps are dumped). */
int diff_run_engine(enum bpfs_diff_engine e, const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in,
		    unsigned engines, struct bpfs_diff_outcome *o, char *why, size_t why_len);

/* The kernel engine's conditions (diff_kernel.c): 0 when it can run prog
 * on in, else -EOPNOTSUPP (the program) or -ERANGE (the input) with why. */
int diff_kernel_can_run(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in, char *why,
			size_t why_len);
/* The last line of a verifier log that is neither empty nor statistics,
 * and the helper a kernel's build leaves out when that is why it refused
 * the program (NULL otherwise); both g_malloc'd. */
char *diff_last_line(const char *log);
char *diff_missing_helper(const char *log);

#endif /* BPFSCOPE_DIFF_INT_H */
