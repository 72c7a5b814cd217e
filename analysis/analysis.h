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

/* What the verifier does, as it does it: a callback per event, in the
 * order of the walk, for pictures, coverage and tests (nothing parses the
 * log). With no trace set the walk does none of this work.
 *
 * The walk's checkpoints are the states it stores at prune points (ids
 * from 1, STORE); every path segment has the last checkpoint on it as its
 * parent (0 before the first). A conditional jump whose both sides are
 * feasible pushes the taken side (BRANCH, with the pushed state's id) and
 * goes on along the other; RESUME says the walk continues from a pushed
 * state. A path ends at an exit, when it is pruned (PRUNE, with the
 * stored state that covers it), or with the error (FAIL). */
enum bpfs_trace_kind {
	BPFS_TRACE_INSN,   /* insn is being processed (state: the registers it changed or read, after it) */
	BPFS_TRACE_BRANCH, /* a state was pushed (node), to resume at insn; side "taken" or "fork" */
	BPFS_TRACE_RESUME, /* the walk resumes pushed state node at insn */
	BPFS_TRACE_STORE,  /* a checkpoint: state node stored at insn (state: its registers) */
	BPFS_TRACE_PRUNE,  /* the path was cut at insn: covered is the checkpoint that subsumes it */
	BPFS_TRACE_EXIT,   /* the path ended at the program's exit insn */
	BPFS_TRACE_FAIL,   /* the walk stopped at insn with msg */
};

struct bpfs_trace_event {
	enum bpfs_trace_kind kind;
	uint32_t insn;
	uint32_t frame;     /* the call depth (0 in the main program) */
	uint64_t node;      /* BRANCH, RESUME, STORE: the state's id */
	uint64_t parent;    /* the last checkpoint on the current path, 0 if none */
	uint64_t covered;   /* PRUNE */
	const char *side;   /* BRANCH */
	const char *state;  /* INSN and STORE when want_states, in the kernel's log notation; else NULL */
	const char *msg;    /* FAIL */
};

struct bpfs_verifier_trace {
	void (*event)(const struct bpfs_trace_event *ev, void *data);
	void *data;
	bool want_states; /* format states for INSN and STORE (costly) */
};

struct bpfs_verifier_opts {
	uint32_t prog_type;                /* enum bpf_prog_type */
	const struct bpfs_map_spec *maps;  /* LD_IMM64 src_reg 1/2: imm indexes this */
	size_t map_cnt;
	const char *license;               /* NULL or "": no license */
	uint32_t kern_version;
	/* The kernel's expected_attach_type (enum bpf_attach_type), when
	 * attach_type_known: some program types' context fields and return
	 * values depend on it. Unknown, a context access is allowed when some
	 * attach type of the program type allows it. */
	uint32_t expected_attach_type;
	bool attach_type_known;
	/* Fill bpfs_verdict.ctx_access for an accepted program */
	bool want_ctx_accesses;
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
	const struct bpfs_verifier_trace *trace; /* NULL: none */
	/* The program's BTF and func_info (an ELF object's): global
	 * functions are verified on their own against their prototype. */
	const struct bpfs_btf *btf;
	const struct bpfs_func_info *func_info;
	size_t nfunc_info;
	const struct bpfs_func *funcs; /* the program's function symbols: hidden ones are static */
	size_t nfuncs;
	/* Source lines (BTF line_info, by insn): the log prints each line
	 * above the instructions it covers, as the kernel does. */
	const struct bpfs_line_info *line_info;
	size_t nline_info;
};

struct bpfs_verifier_stats {
	uint64_t processed_insns;
	uint64_t total_states;
	uint64_t peak_states;
	uint64_t max_states_per_insn;
	uint64_t mark_read;
	uint64_t duration_ns;
};

/* What an instruction of an accepted program does through the context
 * pointer, as the verifier typed it: the input of the kernel's
 * convert_ctx_accesses, which turns loads of the uapi's 32-bit packet
 * fields into loads of real pointers. */
enum bpfs_ctx_access {
	BPFS_CTX_NONE = 0,   /* not an access through the context pointer */
	BPFS_CTX_FIELD,      /* a field of the uapi layout, read or written as it is */
	BPFS_CTX_PKT,        /* a load of the packet's start (data, optval) */
	BPFS_CTX_PKT_END,    /* a load of the packet's end */
	BPFS_CTX_PKT_META,   /* a load of the metadata's start (data_meta) */
	BPFS_CTX_POINTER,    /* a load of another pointer: a socket, flow keys, a buffer, a kernel struct */
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
	/* per instruction, an enum bpfs_ctx_access: when the options asked and
	 * the program was accepted, else NULL (malloc'd) */
	uint8_t *ctx_access;
};

/* Verifies a program: the DAG check (or, in the modern profile, the
 * back-edge-allowing check), then the path-exploring walk. Returns 0 when
 * the verifier ran to a verdict, whatever it is, and a negative errno only
 * when it could not run (ENOMEM, bad options). */
int bpfs_verify(const struct bpf_insn *insns, size_t cnt, const struct bpfs_verifier_opts *opts,
		struct bpfs_verdict *out);
void bpfs_verdict_release(struct bpfs_verdict *v);

/* A recorded trace: what the callbacks above saw, summed up per
 * instruction, as a search graph, and as the failing path. Feed
 * bpfs_trace_record_event to the verifier as the trace callback (data:
 * the record). */
struct bpfs_trace_insn {
	uint64_t visits; /* times processed */
	uint64_t pruned; /* paths cut here */
	uint64_t taken, not_taken; /* a conditional jump: times the walk went on to its target, to the next insn */
	char **states;   /* distinct states seen here, up to max_states */
	size_t nstates;
	size_t more_states; /* distinct states beyond those */
};

enum bpfs_trace_node_kind {
	BPFS_NODE_STORED, /* a checkpoint */
	BPFS_NODE_PRUNED, /* a path cut by a checkpoint (covered) */
	BPFS_NODE_EXIT,   /* a path that reached an exit */
	BPFS_NODE_FAILED, /* where the walk stopped with the error */
};

struct bpfs_trace_node {
	enum bpfs_trace_node_kind kind;
	uint64_t id;      /* STORED: the verifier's id; others: numbered after */
	uint64_t parent;  /* the checkpoint before it on its path, 0 for the root */
	uint64_t covered; /* PRUNED: the checkpoint that covered it */
	uint32_t insn, depth; /* depth: checkpoints from the root */
	uint32_t frame;
	const char *side; /* the last branch side taken since the parent: "taken", "not taken", "fork", or NULL */
	char *state;      /* its registers (want_states), or NULL */
};

struct bpfs_trace_record {
	const struct bpf_insn *prog; /* the program's instructions */
	size_t cnt;                  /* how many */
	size_t max_states;
	bool want_states;
	struct bpfs_trace_insn *insns;
	struct bpfs_trace_node *nodes; /* in the order they were reached */
	size_t nnodes;
	bool failed;
	uint32_t fail_insn;
	char *fail_msg;
	uint32_t *fail_path; /* the instructions of the path the walk failed on, in order */
	size_t fail_path_len;
	void *priv;
};

int bpfs_trace_record_init(struct bpfs_trace_record *r, const struct bpf_insn *insns, size_t insn_cnt,
			   size_t max_states, bool want_states);
void bpfs_trace_record_event(const struct bpfs_trace_event *ev, void *record);
/* Call after bpfs_verify: works out the failing path. */
void bpfs_trace_record_finish(struct bpfs_trace_record *r);
void bpfs_trace_record_release(struct bpfs_trace_record *r);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_ANALYSIS_H */
