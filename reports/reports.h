/* SPDX-License-Identifier: MIT */
/*
 * bpfscope reports: text and Graphviz views of programs and CFGs, LCOV
 * coverage and tables. Writers return newly allocated text or write to a
 * stdio stream the caller owns; they never decide where output goes.
 * Depends on every analysis and execution module.
 */
#ifndef BPFSCOPE_REPORTS_H
#define BPFSCOPE_REPORTS_H

#include <stdio.h>

#include "interp.h"
#include "jit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CFG as text: one paragraph a block with its instructions (kernel
 * syntax) and its edges by kind, the subprograms, and the prune points. */
void bpfs_report_cfg_text(FILE *out, const struct bpf_insn *insns, const struct bpfs_cfg *cfg);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_REPORTS_H */
