/* SPDX-License-Identifier: MIT */
/*
 * bpfscope interpreter: executes verified programs over the IR.
 * Depends on ir, maps and analysis; shares the helper runtime with the
 * other execution engine.
 */
#ifndef BPFSCOPE_INTERP_H
#define BPFSCOPE_INTERP_H

#include "analysis.h"
#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_INTERP_H */
