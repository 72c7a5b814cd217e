/* SPDX-License-Identifier: MIT */
/*
 * bpfscope cross-checker: the verifier's verdict checked against a
 * symbolic execution of the program with the Z3 SMT solver, and the
 * verifier's abstract operators audited against their concrete meaning.
 *
 * Part of the analysis module. Built when Z3 is found (BPFS_HAVE_Z3);
 * without it every entry point returns -ENOTSUP and
 * bpfs_xcheck_available() is false. No Z3 type appears here. Never
 * prints: results come back in the caller's structures, diagnostics of
 * the operator audit through a callback.
 */
#ifndef BPFSCOPE_XCHECK_H
#define BPFSCOPE_XCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfs_xcheck_kind {
	BPFS_XCHECK_CONFIRMED,     /* accepted, and safe on every feasible path for all inputs */
	BPFS_XCHECK_UNSOUND,       /* accepted, but an input reaches an unsafe access */
	BPFS_XCHECK_TRUE_POSITIVE, /* rejected, and an input makes the reported insn unsafe */
	BPFS_XCHECK_FALSE_ALARM,   /* rejected, but the reported insn is safe on every path to it */
	BPFS_XCHECK_UNKNOWN,       /* undecided: reason says why */
};

/* "confirmed", "unsound", "true_positive", "false_alarm", "unknown" */
const char *bpfs_xcheck_kind_name(enum bpfs_xcheck_kind k);

/* One scalar field of the context the path read. */
struct bpfs_witness_field {
	uint32_t off, size;
	uint64_t value;
};

/* A map lookup on the path: the key it was made with and whether it hit
 * (then value is the element's contents as the path needs them). */
struct bpfs_witness_lookup {
	uint32_t insn;
	int32_t map;      /* index into the program's maps */
	bool hit;
	uint8_t *key;     /* key_size bytes */
	uint32_t key_size;
	uint8_t *value;   /* value_size bytes, when hit */
	uint32_t value_size;
};

/* A helper's result the input does not determine (a random number, the
 * time, a status). */
struct bpfs_witness_helper {
	uint32_t insn;
	int32_t helper;
	uint64_t value;
};

/* An input leading to the unsafe access: what BPF_PROG_TEST_RUN takes
 * (packet bytes as data_in, context fields), the map contents and the
 * helper results, taken from the solver's model. */
struct bpfs_witness {
	uint32_t prog_type;
	bool has_packet;
	uint8_t *packet;       /* data_in: from the Ethernet header */
	size_t packet_len;
	struct bpfs_witness_field *ctx;
	size_t nctx;
	struct bpfs_witness_lookup *lookups;
	size_t nlookups;
	struct bpfs_witness_helper *helpers;
	size_t nhelpers;
	uint32_t insn;         /* the unsafe access */
	char what[256];        /* what is unsafe about it */
};

struct bpfs_xcheck_opts {
	const struct bpfs_verifier_opts *verifier; /* the run the verdict came from */
	uint32_t timeout_ms; /* whole program; 0: 10000 */
	uint32_t max_paths;  /* 0: 1000 */
	uint64_t insn_limit; /* symbolically executed insns; 0: 1000000 */
};

struct bpfs_xcheck_result {
	enum bpfs_xcheck_kind kind;
	int insn;             /* the access (unsound, true positive, false alarm), else -1 */
	uint64_t paths;       /* paths explored to their end */
	uint64_t queries;     /* solver checks */
	uint64_t time_ms;
	char reason[512];     /* unknown: why; false alarm: the path and why; else what was found */
	struct bpfs_witness *witness; /* unsound and true positive, else NULL */
};

/* Whether the cross-checker was built (Z3 present). */
bool bpfs_xcheck_available(void);

/* Cross-checks verdict v of the verifier on insns (run with
 * opts->verifier). Returns 0 with out filled, -ENOTSUP without Z3,
 * -ENOMEM, -EINVAL on bad options. */
int bpfs_xcheck(const struct bpf_insn *insns, size_t cnt, const struct bpfs_xcheck_opts *opts,
		const struct bpfs_verdict *v, struct bpfs_xcheck_result *out);
void bpfs_xcheck_result_release(struct bpfs_xcheck_result *r);
void bpfs_witness_free(struct bpfs_witness *w);

/* ---------------------------------------------------------------------- */
/* The operator audit                                                     */

struct bpfs_xcheck_op_stat {
	char name[48];          /* "add64/tnum", "jgt/refine", "sync", ... */
	uint64_t instances;     /* abstract inputs checked (0 for a proof alone) */
	uint64_t counterexamples;
	uint64_t unknown;       /* solver gave up */
	uint64_t time_us;
	int proven;             /* 1: proven sound for all inputs, 0: not attempted, -1: refuted */
};

struct bpfs_xcheck_ops_opts {
	uint32_t samples;       /* abstract inputs per operator; 0: 200 */
	uint64_t seed;
	/* Called for each counterexample, with a line of concrete values */
	void (*report)(const char *line, void *data);
	void *data;
};

/* Audits every transfer function. Returns 0 with *stats (malloc'd,
 * *nstats entries) filled, or a negative errno (-ENOTSUP without Z3). */
int bpfs_xcheck_ops(const struct bpfs_xcheck_ops_opts *o, struct bpfs_xcheck_op_stat **stats, size_t *nstats);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_XCHECK_H */
