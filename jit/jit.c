/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 JIT: compiles verified programs over the IR to machine code.
 * Layout assumptions the engine relies on are checked here at build time.
 */
#include "jit.h"

_Static_assert(sizeof(struct bpf_insn) == 8, "eBPF instructions are 8 bytes");
