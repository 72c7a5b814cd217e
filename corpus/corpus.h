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


#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_CORPUS_H */
