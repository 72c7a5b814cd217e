/* SPDX-License-Identifier: MIT */
/*
 * bpfscope corpus: finding the program objects of a directory tree and
 * running analyses over them in batch.
 * Depends on ir, maps, analysis, interp and jit.
 */
#ifndef BPFSCOPE_CORPUS_H
#define BPFSCOPE_CORPUS_H

#include "interp.h"
#include "jit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Collects the files under each path (a file is taken as it is; a directory
 * is walked recursively, hidden entries skipped) that look like programs:
 * ELF objects, .bin, .s/.asm and .data files. Paths are returned sorted,
 * in a NULL-terminated malloc'd array of malloc'd strings (free with
 * bpfs_corpus_files_free). Returns 0 or a negative errno. */
int bpfs_corpus_find(const char *const *paths, size_t npaths, char ***files, size_t *nfiles, struct bpfs_err *err);
void bpfs_corpus_files_free(char **files);

/* Batch verification: every program of every object, on a thread pool. */

enum bpfs_corpus_verdict {
	BPFS_CORPUS_ACCEPT, /* the verifier accepted the program */
	BPFS_CORPUS_REJECT, /* the verifier rejected it */
	BPFS_CORPUS_ERROR,  /* the object or program could not be loaded */
};

struct bpfs_corpus_row {
	char *object;   /* path relative to the directory given, or as given */
	char *section;  /* "" when the object could not be read */
	char *function;
	uint32_t prog_type;
	size_t insns;   /* the program's own instructions */
	enum bpfs_corpus_verdict verdict;
	char *error;    /* the verifier's or the loader's message, "" if none */
	int error_insn; /* -1 when none */
	struct bpfs_verifier_stats stats;
	uint64_t duration_us;
};

struct bpfs_corpus_opts {
	unsigned jobs; /* worker threads; 0: one per core */
	/* Template for every program; prog_type, maps, license and
	 * kern_version come from each object. */
	struct bpfs_verifier_opts verifier;
	int prog_type; /* >= 0 overrides every program's type */
	/* When set, gives each program's type (object as in the rows); a
	 * negative return keeps the section's guess. Called on the calling
	 * thread while objects load. */
	int (*prog_type_fn)(const char *object, const struct bpfs_prog *prog, void *data);
	void *prog_type_data;
	/* Called from the calling thread about ten times a second while the
	 * workers run, and once at the end. */
	void (*progress)(size_t done, size_t total, void *data);
	void *progress_data;
};

struct bpfs_corpus_result {
	struct bpfs_corpus_row *rows; /* in file order, then program order */
	size_t nrows;
};

/* Finds the objects under paths (bpfs_corpus_find), loads each, and
 * verifies every program. An object that cannot be loaded gives one error
 * row. Returns 0, or a negative errno when a path does not exist or memory
 * runs out. */
int bpfs_corpus_verify(const char *const *paths, size_t npaths, const struct bpfs_corpus_opts *opts,
		       struct bpfs_corpus_result *out, struct bpfs_err *err);
void bpfs_corpus_result_release(struct bpfs_corpus_result *res);
const char *bpfs_corpus_verdict_name(enum bpfs_corpus_verdict v);

/* A reference run's verdicts per program, read from a TSV file with a
 * header line naming at least the columns object, section, function,
 * kernel_verdict (accept, reject or load_error), processed_insns,
 * error_first_line and prog_type, as the development data set's
 * kernel-verdicts.tsv records the running kernel's. */
struct bpfs_kernel_verdicts;

struct bpfs_kernel_verdict {
	const char *object, *section, *function; /* function "" when the reference names none */
	const char *verdict;   /* "accept", "reject", "load_error" */
	const char *error;     /* first error line, "" if none */
	const char *prog_type; /* the type the program was loaded as */
	uint64_t processed_insns;
	uint64_t verif_time_us; /* 0 when the file has no such column */
};

int bpfs_kernel_verdicts_load(const char *path, struct bpfs_kernel_verdicts **out, struct bpfs_err *err);
void bpfs_kernel_verdicts_free(struct bpfs_kernel_verdicts *kv);
/* The row of (object, section, function), or NULL; a row that names no
 * function stands for every program of its section. */
const struct bpfs_kernel_verdict *bpfs_kernel_verdicts_find(const struct bpfs_kernel_verdicts *kv,
							    const char *object, const char *section,
							    const char *function);
/* A prog_type_fn for struct bpfs_corpus_opts (data: the verdicts): the
 * type each program was loaded as in the reference run. */
int bpfs_kernel_verdicts_type(const char *object, const struct bpfs_prog *prog, void *data);

/* How far a corpus result agrees with the reference: every reference row
 * where the kernel reached a verdict (accept or reject) is compared, with
 * the program of the same object, section and function (or, where the
 * row names no function, the one program of its section). A row that
 * matches no program counts as compared and unmatched, never dropped. */
struct bpfs_agreement_row {
	const struct bpfs_kernel_verdict *reference;
	const struct bpfs_corpus_row *ours; /* NULL: unmatched */
};

struct bpfs_agreement {
	size_t compared, agree;
	size_t unmatched;    /* reference rows that match no program */
	size_t same_message; /* both rejected with the same first error line */
	size_t both_rejected;
	uint64_t processed_ours, processed_theirs; /* over programs both accepted */
	struct bpfs_agreement_row *rows; /* the compared rows, in the reference's order */
	size_t nrows;
};
void bpfs_kernel_verdicts_compare(const struct bpfs_kernel_verdicts *kv, const struct bpfs_corpus_result *res,
				  struct bpfs_agreement *out);
void bpfs_agreement_release(struct bpfs_agreement *a);


/* ---------------------------------------------------------------------- */
/* Differential testing: interpreter, JIT and the running kernel           */

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

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_CORPUS_H */
