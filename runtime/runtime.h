/* SPDX-License-Identifier: MIT */
/*
 * bpfscope runtime: what executing a program needs besides the engine
 * itself, shared by the interpreter and the JIT: the helper functions and
 * their table, program contexts built as the kernel's BPF_PROG_TEST_RUN
 * builds them, and the memory regions a program may touch.
 * Depends on ir and maps.
 */
#ifndef BPFSCOPE_RUNTIME_H
#define BPFSCOPE_RUNTIME_H

#include "maps.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_RUNTIME_H */
