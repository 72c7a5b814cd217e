/* SPDX-License-Identifier: MIT */
/*
 * bpfscope reports: text and Graphviz views of programs and CFGs, LCOV
 * coverage and tables. Writers return newly allocated text or write to a
 * stdio stream the caller owns; they never decide where output goes.
 * Depends on every analysis and execution module, and on corpus.
 */
#ifndef BPFSCOPE_REPORTS_H
#define BPFSCOPE_REPORTS_H

#include <stdio.h>

#include "corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CFG as text: one paragraph a block with its instructions (kernel
 * syntax) and its edges by kind, the subprograms, and the prune points. */
void bpfs_report_cfg_text(FILE *out, const struct bpf_insn *insns, const struct bpfs_cfg *cfg);

enum bpfs_table_format {
	BPFS_TABLE_TEXT, /* aligned columns for people */
	BPFS_TABLE_CSV,  /* RFC 4180, one header line */
	BPFS_TABLE_JSON, /* {"programs": [...], "summary": {...}} */
	/* veristat's CSV (what its -o csv writes and its -C reads): file_name
	 * (the object's base name), prog_name, verdict (success or failure),
	 * duration, total_insns, total_states, peak_states; LF line ends, no
	 * quoting (see bpfs_report_corpus_veristat) */
	BPFS_TABLE_VERISTAT_CSV,
};

/* Parses "table", "csv", "json" or "veristat-csv"; -1 when unknown. */
int bpfs_table_format_parse(const char *s);

/* One row per program with the columns object, section, function,
 * prog_type, insns, verdict, error, processed_insns, total_states,
 * peak_states, max_states_per_insn, duration_us, and after them, when the
 * result has them, kernel_verdict, kernel_error, kernel_processed_insns,
 * kernel_duration_us. TEXT and JSON include the summary; CSV holds the
 * rows only (see bpfs_report_corpus_summary). */
void bpfs_report_corpus(FILE *out, const struct bpfs_corpus_result *res, enum bpfs_table_format fmt);
/* veristat's CSV with the columns named (veristat's stat names, as its
 * -e takes them: file_name, prog_name, verdict, duration, total_insns,
 * total_states, peak_states, max_states_per_insn, mark_read_max_len;
 * NULL-terminated; NULL: the first seven, veristat's default). Unknown
 * names are left out: check them with bpfs_veristat_column_parse. */
void bpfs_report_corpus_veristat(FILE *out, const struct bpfs_corpus_result *res, const char *const *columns);
/* The column's index, or -1 when bpfscope has no such column. */
int bpfs_veristat_column_parse(const char *name);
/* Counts by verdict, then by top-level directory, as text. */
void bpfs_report_corpus_summary(FILE *out, const struct bpfs_corpus_result *res);

/* Two runs compared (bpfs_compare_runs): TEXT a table with A, B and the
 * difference of each statistic and the summary; CSV the columns object,
 * section, function, in (both, a, b), then STAT_a, STAT_b, STAT_diff and,
 * for numbers, STAT_pct for verdict, error, processed_insns,
 * total_states, peak_states, max_states_per_insn, duration_us and, when
 * either run has them, the kernel columns; JSON the same per program
 * with a summary. VERISTAT_CSV writes as CSV. */
void bpfs_report_compare(FILE *out, const struct bpfs_compare *c, enum bpfs_table_format fmt);

/* One static HTML page on a run: the summary by verdict and by
 * directory, a table of every program sortable in the page, and plots
 * drawn by gnuplot (its SVG terminal, run as a subprocess, embedded
 * inline): bpfscope's processed instructions against the kernel's where
 * the run has kernel columns, the distribution of verification times,
 * and the largest changes against an older run. The page needs neither
 * a server nor the network. */
struct bpfs_report_page {
	const char *title;                    /* NULL: "bpfscope corpus report" */
	const char *run_name;                 /* what the run is called on the page (its file) */
	const struct bpfs_corpus_result *old; /* the run compared against, or NULL */
	const char *old_name;
	/* Pictures per program, linked from the table where a file exists:
	 * DIR/OBJECT/FUNCTION.svg, else DIR/FUNCTION.svg. pictures is where
	 * to look, pictures_href how the page refers to that directory. */
	const char *pictures, *pictures_href;
	const char *gnuplot; /* the program to run; NULL: "gnuplot" on PATH */
};
/* Writes the page to out; plots that cannot be drawn (gnuplot missing or
 * failing) are replaced by a note saying so. Returns 0 or a negative
 * errno. */
int bpfs_report_html(FILE *out, const struct bpfs_corpus_result *run, const struct bpfs_report_page *page,
		     struct bpfs_err *err);

/* Agreement of a corpus run with reference verdicts: the totals, a table
 * by top-level directory, and every program where the verdicts differ,
 * with both messages. */
void bpfs_report_kernel_agreement(FILE *out, const struct bpfs_corpus_result *res,
				  const struct bpfs_kernel_verdicts *kv);

/* ---------------------------------------------------------------------- */
/* Pictures (Graphviz)                                                    */

enum bpfs_dot_format {
	BPFS_DOT_FMT_DOT,  /* the graph in the DOT language, not laid out */
	BPFS_DOT_FMT_SVG,
	BPFS_DOT_FMT_PNG,
	BPFS_DOT_FMT_PDF,
	BPFS_DOT_FMT_JSON, /* Graphviz's JSON: nodes, edges, attributes, layout */
};

/* "dot" (or "gv"), "svg", "png", "pdf", "json"; -1 when unknown. */
int bpfs_dot_format_parse(const char *s);
/* The format a file name's extension names, or -1. */
int bpfs_dot_format_from_path(const char *path);

/* The program to draw: its instructions, its CFG, and names. */
struct bpfs_dot_prog {
	const char *name; /* the graph's title, and the main subprogram's cluster */
	const struct bpf_insn *insns;
	size_t cnt;
	const struct bpfs_cfg *cfg;
	const struct bpfs_func *funcs; /* function symbols by start, to name subprograms; may be NULL */
	size_t nfuncs;
	const struct bpfs_line_info *lines; /* source lines (BTF line_info) by insn; may be NULL */
	size_t nlines;
};

/* Views on top of the CFG; all optional (NULL draws the CFG alone). */
struct bpfs_dot_view {
	const struct bpfs_trace_insn *insns; /* per instruction, what the verifier did there, or NULL */
	const uint64_t *exec;                /* per instruction, times it executed, or NULL */
	bool states;    /* rows show visits, prunes and states */
	bool heat;      /* blocks coloured by their share of the hottest one's count */
	bool heat_exec; /* heat from exec instead of the verifier's visits */
	const uint32_t *path; /* the failing path, instructions in order, or NULL */
	bool show_path;       /* mark it (an accepted program: a note that there is none) */
	size_t path_len;
	int64_t fail_insn;    /* the failing instruction, or -1 */
	const char *fail_msg; /* its message */
	const char *label;    /* a line under the title (statistics), or NULL */
};

/* The verifier's search as a graph: a node per checkpoint (stored state)
 * and per leaf where a path ended (pruned, at an exit, failing), edges
 * from each to the checkpoint before it labelled with the branch side,
 * a dashed edge from each pruned leaf to the checkpoint that covered it,
 * the failing leaf red, the statistics line under the title. */
struct bpfs_dot_search {
	const char *name;
	const struct bpfs_trace_record *record;
	const char *stats; /* the statistics line, or NULL */
};
int bpfs_report_dot_search(const struct bpfs_dot_search *s, enum bpfs_dot_format fmt, FILE *out, struct bpfs_err *err);

/* Writes the picture of p (with view v, may be NULL) to out in fmt:
 * DOT as text, the others laid out with dot and rendered by libgvc.
 * Returns 0 or a negative errno (err says why). */
int bpfs_report_dot(const struct bpfs_dot_prog *p, const struct bpfs_dot_view *v, enum bpfs_dot_format fmt,
		    FILE *out, struct bpfs_err *err);

/* ---------------------------------------------------------------------- */
/* Coverage (LCOV tracefiles)                                             */

struct bpfs_cover_branch {
	uint64_t taken, not_taken; /* a conditional jump's two sides */
};

/* One program's counts, to add to a tracefile. */
struct bpfs_cover_prog {
	const char *name;
	const struct bpf_insn *insns;
	size_t cnt;
	const uint64_t *counts;                   /* per instruction */
	const struct bpfs_cover_branch *branches; /* per instruction (conditional jumps), or NULL */
	const struct bpfs_line_info *lines;       /* BTF line_info, or none */
	size_t nlines;
	const struct bpfs_func *funcs; /* function symbols, for FN records */
	size_t nfuncs;
	const char *source_dir; /* where to look for the sources, or NULL */
	const char *listing;    /* without lines: the listing to write and cover against */
};

struct bpfs_lcov;
struct bpfs_lcov *bpfs_lcov_new(void);
void bpfs_lcov_free(struct bpfs_lcov *l);
/* Adds p's counts under test name test ("verifier", "exec"). */
int bpfs_lcov_add(struct bpfs_lcov *l, const char *test, const struct bpfs_cover_prog *p, struct bpfs_err *err);
/* Writes every record: per test name and source file, in the order first added. */
int bpfs_lcov_write(const struct bpfs_lcov *l, FILE *out, struct bpfs_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_REPORTS_H */
