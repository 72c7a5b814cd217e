/* SPDX-License-Identifier: MIT */
/*
 * bpfscope analysis: the DAG check (the kernel's check_cfg), and later the
 * path-exploring verifier and the Z3 cross-checker.
 *
 * Depends on ir and maps. Never prints: results and messages come back in
 * the caller's structures.
 */
#ifndef BPFSCOPE_ANALYSIS_H
#define BPFSCOPE_ANALYSIS_H

#include "ir.h"
#include "maps.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfs_check_flags {
	/* Accept back-edges (bounded loops: the verifier's walk terminates
	 * them); every other check still applies. */
	BPFS_CHECK_ALLOW_BACK_EDGES = 1u << 0,
};

/* The kernel's static checks before the walk, in the kernel's order:
 * instruction validity (bpfs_insns_validate), subprogram layout ("jump out
 * of range from insn %d to %d", "last insn is not an exit or jmp"), then
 * the depth-first search of check_cfg ("back-edge from insn %d to %d",
 * "unreachable insn %d", "jump into the middle of ldimm64 insn %d").
 * Returns 0 when the program passes, else a negative errno with err set
 * (err->insn names the instruction). */
int bpfs_check_cfg(const struct bpf_insn *insns, size_t cnt, unsigned flags, struct bpfs_err *err);


/* ---------------------------------------------------------------------- */
/* The verifier                                                           */

enum bpfs_profile {
	/* The running kernel's privileged (root) behaviour: bounded loops,
	 * precision tracking, modern messages. */
	BPFS_PROFILE_MODERN,
	/* The original 2014 verifier (Linux 3.18): DAG only, 32,768 processed
	 * insns, 4,096 insns per program, uninitialised stack rejected. */
	BPFS_PROFILE_3_18,
};

struct bpfs_verifier_opts {
	uint32_t prog_type;                /* enum bpf_prog_type */
	const struct bpfs_map_spec *maps;  /* LD_IMM64 src_reg 1/2: imm indexes this */
	size_t map_cnt;
	const char *license;               /* NULL or "": no license */
	uint32_t kern_version;
	uint32_t prog_flags;               /* BPF_F_STRICT_ALIGNMENT, BPF_F_ANY_ALIGNMENT */
	uint32_t log_level;                /* 0, 1, 2; | 4 adds the stats line */
	uint64_t insn_limit;               /* processed insns; 0: the profile's default */
	bool unpriv;                       /* unprivileged rules */
	bool no_prune;                     /* never prune (for measuring pruning) */
	/* Privileged, but with the unprivileged rules against what makes a
	 * run depend on where memory is or what it held before: leaking
	 * addresses (into r0, memory, helper arguments, comparisons other
	 * than with 0) and reading uninitialised stack. For differential
	 * testing. */
	bool deterministic;
	enum bpfs_profile profile;
};

struct bpfs_verifier_stats {
	uint64_t processed_insns;
	uint64_t total_states;
	uint64_t peak_states;
	uint64_t max_states_per_insn;
	uint64_t mark_read;
	uint64_t duration_ns;
};

struct bpfs_verdict {
	bool accepted;
	int err;        /* 0, or the negative errno the kernel's bpf() would give
			 * (-EACCES, -EINVAL, -E2BIG, ...) */
	int insn;       /* the failing instruction, or -1 */
	char msg[512];  /* the error line, kernel wording */
	char *log;      /* the whole log at the requested level (malloc'd) */
	size_t log_len;
	struct bpfs_verifier_stats stats;
};

/* Verifies a program: the DAG check (or, in the modern profile, the
 * back-edge-allowing check), then the path-exploring walk. Returns 0 when
 * the verifier ran to a verdict, whatever it is, and a negative errno only
 * when it could not run (ENOMEM, bad options). */
int bpfs_verify(const struct bpf_insn *insns, size_t cnt, const struct bpfs_verifier_opts *opts,
		struct bpfs_verdict *out);
void bpfs_verdict_release(struct bpfs_verdict *v);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_ANALYSIS_H */
