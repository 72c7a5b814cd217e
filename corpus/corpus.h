/* SPDX-License-Identifier: MIT */
/*
 * bpfscope corpus: finding the program objects of a directory tree,
 * verifying them in batch on a thread pool, and comparing the verdicts
 * with a reference run's (the kernel's).
 * Depends on ir, maps and analysis.
 */
#ifndef BPFSCOPE_CORPUS_H
#define BPFSCOPE_CORPUS_H

#include "analysis.h"

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
	/* The reference run's (the kernel's) view of the same program, when
	 * the result has kernel columns (bpfs_corpus_result.kernel):
	 * kernel_verdict is "accept", "reject", "load_error", or "" where the
	 * reference has no row for the program. NULL otherwise. */
	char *kernel_verdict, *kernel_error;
	uint64_t kernel_processed_insns, kernel_duration_us;
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
	/* With nshards > 1, only the objects of shard number shard (1 to
	 * nshards) are verified: bpfs_corpus_shard_of() of their name. */
	unsigned shard, nshards;
};

/* The shard (1 to nshards) an object belongs to: a 64-bit FNV-1a hash of
 * its name as the rows give it (relative to the directory argument), so
 * any machine that sees the same tree splits it the same way. */
unsigned bpfs_corpus_shard_of(const char *object, unsigned nshards);
/* Parses "K/N" (1 <= K <= N); returns 0 or -EINVAL. */
int bpfs_corpus_shard_parse(const char *s, unsigned *shard, unsigned *nshards);

struct bpfs_corpus_result {
	struct bpfs_corpus_row *rows; /* in file order, then program order */
	size_t nrows;
	bool kernel;      /* rows carry the kernel columns */
	bool no_sections; /* read from a table that names no sections (veristat's CSV) */
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
/* Fills every row's kernel columns from the reference (rows it has no
 * entry for get kernel_verdict ""), and sets res->kernel. */
void bpfs_corpus_add_kernel(struct bpfs_corpus_result *res, const struct bpfs_kernel_verdicts *kv);

/* ---------------------------------------------------------------------- */
/* Runs read back: CSV tables, merging shards                             */

/* Reads a run's CSV: bpfscope's (columns found by name in the header;
 * object, function and verdict at least; kernel columns when present) or
 * veristat's (file_name, prog_name, verdict success/failure, duration,
 * total_insns, ...; no sections: res->no_sections). Lines equal to the
 * header line are skipped, so concatenated tables read as one. "-" reads
 * standard input. Appends to res; returns 0 or a negative errno. */
int bpfs_corpus_csv_load(const char *path, struct bpfs_corpus_result *res, struct bpfs_err *err);
/* Puts rows in the order one run over a single directory gives them:
 * sorted by object name, each object's programs in the order they came
 * (a stable sort). */
void bpfs_corpus_sort_objects(struct bpfs_corpus_result *res);

/* ---------------------------------------------------------------------- */
/* Two runs compared, as veristat -C compares two                         */

/* The statistics compared, each with the variants _a, _b, _diff and, for
 * numbers, _pct. Strings' _diff is "match" or "mismatch". */
#define BPFS_COMPARE_STATS(X)                                  \
	X(VERDICT, "verdict", false, false)                     \
	X(ERROR, "error", false, false)                         \
	X(PROCESSED, "processed_insns", true, false)            \
	X(STATES, "total_states", true, false)                  \
	X(PEAK, "peak_states", true, false)                     \
	X(MAX_PER_INSN, "max_states_per_insn", true, false)     \
	X(DURATION, "duration_us", true, false)                 \
	X(KERNEL_VERDICT, "kernel_verdict", false, true)        \
	X(KERNEL_ERROR, "kernel_error", false, true)            \
	X(KERNEL_PROCESSED, "kernel_processed_insns", true, true) \
	X(KERNEL_DURATION, "kernel_duration_us", true, true)

enum bpfs_compare_stat {
#define X(id, name, num, kernel) BPFS_CMP_##id,
	BPFS_COMPARE_STATS(X)
#undef X
	BPFS_CMP_NSTATS
};

enum bpfs_compare_variant { BPFS_CMP_A, BPFS_CMP_B, BPFS_CMP_DIFF, BPFS_CMP_PCT };

const char *bpfs_compare_stat_name(enum bpfs_compare_stat s);
bool bpfs_compare_stat_numeric(enum bpfs_compare_stat s);
bool bpfs_compare_stat_kernel(enum bpfs_compare_stat s);

struct bpfs_compare_row {
	const struct bpfs_corpus_row *a, *b; /* NULL: not in that run */
};

struct bpfs_compare {
	struct bpfs_compare_row *rows; /* joined rows, in A's order then B's extra rows */
	size_t nrows;
	bool kernel;  /* either run has kernel columns */
	bool by_name; /* joined on file base name and function (a run names no sections) */
	size_t both, only_a, only_b, verdict_changed; /* over every joined row, before filters */
};

/* Joins the rows of a and b on object, section and function (on the
 * object's base name and the function when either run names no sections,
 * as veristat keys its rows). The result points into a and b. */
void bpfs_compare_runs(const struct bpfs_corpus_result *a, const struct bpfs_corpus_result *b,
		       struct bpfs_compare *out);
void bpfs_compare_release(struct bpfs_compare *c);

/* One value of a joined row: a string or a number, or absent (a side
 * missing, or a side without kernel columns). */
struct bpfs_compare_value {
	bool present;
	const char *str; /* NULL for numbers */
	double num;
};
void bpfs_compare_value(const struct bpfs_compare *c, const struct bpfs_compare_row *r, enum bpfs_compare_stat s,
			enum bpfs_compare_variant v, struct bpfs_compare_value *out);

/* Sorts by a comma-separated list of keys: a column (object, section,
 * function, in, or STAT_a, STAT_b, STAT_diff, STAT_pct; a bare STAT is
 * STAT_b), '|COLUMN|' for its absolute value, ':asc' or ':desc' after it
 * (default: names ascending, statistics descending). Rows missing the
 * value sort last. Returns 0, or -EINVAL with err naming the bad key. */
int bpfs_compare_sort(struct bpfs_compare *c, const char *spec, struct bpfs_err *err);
/* Keeps the rows that match expr: 'COLUMN OP VALUE' or 'COLUMN OP COLUMN'
 * with OP one of == != < <= > >= (a column may be written |COLUMN|; a
 * value is a number or a word, quotes optional), or a glob on names:
 * 'OBJECT_GLOB[/FUNCTION_GLOB]', '!' in front to drop the rows that match.
 * Returns 0, or -EINVAL with err saying what is wrong. */
int bpfs_compare_filter(struct bpfs_compare *c, const char *expr, struct bpfs_err *err);
/* Keeps the first n rows. */
void bpfs_compare_top(struct bpfs_compare *c, size_t n);


#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_CORPUS_H */
