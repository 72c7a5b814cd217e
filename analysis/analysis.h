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

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_ANALYSIS_H */
