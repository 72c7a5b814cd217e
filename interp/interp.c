/* SPDX-License-Identifier: MIT */
/*
 * The interpreter: executes verified programs over the IR.
 * Layout assumptions the engine relies on are checked here at build time.
 */
#include "interp.h"

_Static_assert(sizeof(struct bpf_insn) == 8, "eBPF instructions are 8 bytes");
