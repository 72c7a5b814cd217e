/* SPDX-License-Identifier: MIT */
/*
 * bpfscope diff: differential testing. Runs one program on several
 * engines (bpfscope's interpreter and JIT, and the running kernel through
 * the real bpf()) with the same generated inputs and maps, compares what
 * each run leaves (r0, the packet, the maps, the trace), shrinks a
 * divergence to a small reproducer, and generates random programs the
 * verifier accepts by construction. Every engine is a backend of the
 * object loader (bpf.h) and, on bpfscope's, an execution engine.
 * Depends on ir, maps, analysis, runtime, interp, jit and bpf.
 */
#ifndef BPFSCOPE_DIFF_H
#define BPFSCOPE_DIFF_H

#include "interp.h"
#include "jit.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfs_diff_engine {
	BPFS_DIFF_INTERP,
	BPFS_DIFF_JIT,
	BPFS_DIFF_KERNEL,
	BPFS_DIFF_NENGINES,
};

const char *bpfs_diff_engine_name(enum bpfs_diff_engine e);

/* A program to compare, with the maps its LD_IMM64 references index. */
struct bpfs_diff_prog {
	const struct bpf_insn *insns;
	size_t cnt;
	uint32_t prog_type;
	const struct bpfs_map_spec *maps;
	size_t nmaps;
};

/* One generated input: a packet (packet program types; for skb types
 * half the time also a struct __sk_buff with mark, priority and cb set) or
 * context bytes (others), and the seed that fills the maps and seeds the
 * run's random numbers. */
struct bpfs_diff_input {
	uint8_t *pkt; /* malloc'd, NULL for none */
	size_t pkt_len;
	uint8_t *ctx_in; /* malloc'd, NULL for none */
	size_t ctx_in_len;
	uint64_t seed;
};

/* Everything a run is compared on. */
struct bpfs_diff_outcome {
	int status; /* 0, or the engine's negative errno (load or run) */
	uint64_t r0;
	uint8_t *pkt; /* the packet after the run (malloc'd) */
	size_t pkt_len;
	char *trace; /* trace_printk output (malloc'd); NULL: not captured */
	char *maps;  /* every map's elements, "name key=value ..." (malloc'd) */
	/* skb programs: the __sk_buff fields test_run hands back (mark,
	 * priority, cb), "mark=.. priority=.. cb=.."; NULL for other types */
	char *ctx;
	/* The engine refused the program at load time (the kernel's verifier
	 * rejected what bpfscope's accepted): the last line of its log. */
	char *load_error;
};

/* Called on each engine's outcome before the comparison: a seam for
 * checking the comparison on made-up divergences. */
typedef void (*bpfs_diff_hook_fn)(enum bpfs_diff_engine e, const struct bpfs_diff_prog *prog,
				  struct bpfs_diff_outcome *o, void *data);

struct bpfs_diff_opts {
	unsigned engines; /* bit (1u << enum bpfs_diff_engine) per engine */
	bpfs_diff_hook_fn hook;
	void *hook_data;
};

/* A difference between the first engine and another one. */
struct bpfs_diff_result {
	bool diverged;
	enum bpfs_diff_engine a, b;
	char what[16];	 /* "verdict", "status", "r0", "packet", "ctx", "trace", "maps" */
	char detail[512]; /* both values */
	/* Set when bpfs_diff_run returns -EOPNOTSUPP: which engine could not
	 * run the program, and why. */
	char skipped[256];
};

/* Fills in input number idx for prog_type from seed (deterministic). */
int bpfs_diff_input_gen(uint32_t prog_type, uint64_t seed, unsigned idx, struct bpfs_diff_input *in);
void bpfs_diff_input_release(struct bpfs_diff_input *in);

/* Runs prog on every engine of opts with in (maps created and filled
 * identically for each; slot 0 of every prog_array holds the program
 * itself, so tail calls recurse up to the chain limit) and compares the
 * outcomes. The program must have passed bpfscope's verifier. Returns 0
 * (the verdict in *res) or a negative errno: -EOPNOTSUPP when an engine
 * cannot run this program (res->skipped says which and why: no bpf(), a
 * program type BPF_PROG_TEST_RUN does not run, map-in-map), -ERANGE when
 * it refuses this input (the kernel's test_run and short IP frames).
 * Against the kernel only the low 32 bits of r0 are compared (test_run's
 * retval is a u32). */
int bpfs_diff_run(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in,
		  const struct bpfs_diff_opts *opts, struct bpfs_diff_result *res);

/* Whether the verifier accepts prog (verdict message in msg). */
bool bpfs_diff_verifies(const struct bpfs_diff_prog *prog, char *msg, size_t msg_len);
/* Whether it also accepts it with the rules against leaking addresses and
 * reading uninitialised stack: if not, its results depend on where each
 * engine keeps its memory and what it held, and cannot be compared. */
bool bpfs_diff_deterministic(const struct bpfs_diff_prog *prog, char *msg, size_t msg_len);

/* A reproducer's assembly (LLVM syntax, g_malloc'd) for insns, a variant
 * of prog: the maps it references renumbered from 0 in order of first
 * use, and in *map_args (g_malloc'd) the " --map TYPE:KEY:VALUE:MAX[:FLAGS]"
 * arguments that declare them in that order, as loaders complete them. */
char *bpfs_diff_repro_asm(const struct bpfs_diff_prog *prog, const struct bpf_insn *insns, size_t cnt,
			  char **map_args);

/* Whether the running kernel's bpf() loads and test-runs programs here;
 * why gets the reason when it does not. */
bool bpfs_diff_kernel_available(char *why, size_t why_len);

/* Shrinks a divergence: the smallest program (instructions replaced by
 * no-ops, then removed, jumps re-targeted) and input (packet shortened and
 * zeroed) found that still passes the verifier and still diverges the same
 * way (same engines, same `what`), within max_runs runs of bpfs_diff_run.
 * *insns is malloc'd, *small owns its buffers. Returns 0 or -ENOMEM. */
int bpfs_diff_shrink(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in,
		     const struct bpfs_diff_opts *opts, const struct bpfs_diff_result *res, unsigned max_runs,
		     struct bpf_insn **insns, size_t *cnt, struct bpfs_diff_input *small);

/* Random programs the verifier accepts by construction (of types
 * socket_filter, sched_cls or xdp), over the maps bpfs_diff_gen_maps
 * declares: a hash and an array map. no_prandom leaves out
 * bpf_get_prandom_u32 (for runs against the kernel). */
struct bpfs_diff_gen_opts {
	bool no_prandom;
};

const struct bpfs_map_spec *bpfs_diff_gen_maps(size_t *nmaps);
/* Generates program number idx of the campaign seeded with seed. *insns
 * is malloc'd. Returns 0 or -ENOMEM. */
int bpfs_diff_gen(uint64_t seed, unsigned idx, const struct bpfs_diff_gen_opts *opts, struct bpf_insn **insns,
		  size_t *cnt, uint32_t *prog_type);

/* A campaign: many programs, each run on every engine with its inputs,
 * the first divergence of each shrunk into a reproducer written under
 * out_dir (DIR/N/prog.s in LLVM syntax, packet.bin, packet.hex). The
 * library never prints: divergences and skips reach the callbacks. */
struct bpfs_diff_repro {
	char *dir, *asm_path, *packet_path; /* packet_path exists when input.pkt_len > 0 */
	char *map_args;			    /* " --map ..." declaring the reproducer's maps */
	struct bpf_insn *insns;		    /* the shrunk program */
	size_t cnt, orig_cnt;		    /* its length, and the original's */
	uint32_t prog_type;
	struct bpfs_diff_input input; /* the shrunk input */
};

struct bpfs_diff_campaign_stats {
	size_t progs;          /* programs that ran on every engine */
	size_t runs;           /* inputs run */
	size_t divergences;    /* programs that diverged */
	size_t rejected;       /* programs the verifier rejected, or not loadable */
	size_t unrunnable;     /* programs an engine cannot run, or whose results depend on memory layout */
	size_t skipped_inputs; /* inputs an engine refuses */
};

struct bpfs_diff_campaign_opts {
	unsigned engines;   /* bit (1u << enum bpfs_diff_engine) per engine */
	unsigned inputs;    /* generated inputs per program (0: 8) */
	uint64_t seed;      /* of the inputs, and of bpfs_diff_campaign_random's programs */
	const struct bpfs_diff_input *input; /* run on this input only, instead of generated ones */
	unsigned shrink_runs; /* runs spent shrinking each divergence */
	const char *out_dir;  /* where reproducers go */
	/* input is the index of the input that diverged; repro is NULL when
	 * the reproducer could not be written (the campaign then stops) */
	void (*on_divergence)(const char *label, unsigned input, const struct bpfs_diff_result *r,
			      const struct bpfs_diff_repro *repro, void *data);
	/* a program an engine cannot run */
	void (*on_skip)(const char *label, const char *why, void *data);
	void *data;
	bpfs_diff_hook_fn hook; /* as in struct bpfs_diff_opts */
	void *hook_data;
};

struct bpfs_diff_campaign;
struct bpfs_diff_campaign *bpfs_diff_campaign_new(const struct bpfs_diff_campaign_opts *opts);
void bpfs_diff_campaign_free(struct bpfs_diff_campaign *c);
/* Runs one program (label names it in reports and seeds its inputs).
 * Programs that cannot be compared are counted and skipped; returns 0, or
 * a negative errno on an error that should stop the campaign. */
int bpfs_diff_campaign_prog(struct bpfs_diff_campaign *c, const char *label, const struct bpfs_diff_prog *p,
			    struct bpfs_err *err);
/* Runs count generated programs, "random#0", "random#1", ... */
int bpfs_diff_campaign_random(struct bpfs_diff_campaign *c, unsigned count, struct bpfs_err *err);
/* Counts a program left out before it reached the campaign (not
 * loadable, no type): among the rejected, with the reason "what: detail". */
void bpfs_diff_campaign_skip(struct bpfs_diff_campaign *c, const char *what, const char *detail);
const struct bpfs_diff_campaign_stats *bpfs_diff_campaign_stats(const struct bpfs_diff_campaign *c);
/* Every reason programs were skipped with its count, most frequent first. */
typedef void (*bpfs_diff_reason_fn)(const char *why, size_t count, void *data);
void bpfs_diff_campaign_reasons(const struct bpfs_diff_campaign *c, bpfs_diff_reason_fn fn, void *data);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_DIFF_H */
