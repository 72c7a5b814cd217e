/* SPDX-License-Identifier: MIT */
/*
 * bpfscope x86-64 JIT: compiles verified programs over the IR to machine code.
 * Depends on ir, maps and analysis; shares the helper runtime with the
 * other execution engine.
 */
#ifndef BPFSCOPE_JIT_H
#define BPFSCOPE_JIT_H

#include "analysis.h"
#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_JIT_H */
