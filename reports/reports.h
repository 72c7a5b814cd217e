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
};

/* Parses "table", "csv" or "json"; -1 when unknown. */
int bpfs_table_format_parse(const char *s);

/* One row per program with the columns object, section, function,
 * prog_type, insns, verdict, error, processed_insns, total_states,
 * peak_states, max_states_per_insn, duration_us. TEXT and JSON include the
 * summary; CSV holds the rows only (see bpfs_report_corpus_summary). */
void bpfs_report_corpus(FILE *out, const struct bpfs_corpus_result *res, enum bpfs_table_format fmt);
/* Counts by verdict, then by top-level directory, as text. */
void bpfs_report_corpus_summary(FILE *out, const struct bpfs_corpus_result *res);

/* Agreement of a corpus run with reference verdicts: the totals, a table
 * by top-level directory, and every program where the verdicts differ,
 * with both messages. */
void bpfs_report_kernel_agreement(FILE *out, const struct bpfs_corpus_result *res,
				  const struct bpfs_kernel_verdicts *kv);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_REPORTS_H */
