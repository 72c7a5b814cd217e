/* SPDX-License-Identifier: MIT */
/*
 * Private to the IR module: the opcode table's mnemonics and the field
 * accessors the decoder, validator and disassembler share.
 */
#ifndef BPFSCOPE_INSN_INT_H
#define BPFSCOPE_INSN_INT_H

#include "ir.h"

/* Conformance-dialect mnemonic of a known opcode ("add32", "ldxw",
 * "jne32", "lock" for 64-bit atomics, "lock32", "le", "be", "bswap", ...),
 * or NULL when the opcode is not in the kernel's table. */
const char *bpfs_opcode_mnemonic(uint8_t code);
/* The first opcode (the immediate form, for ALU and jumps) whose mnemonic
 * is the len bytes at name; false when none is. */
bool bpfs_opcode_find(const char *name, size_t len, uint8_t *code);

/* Name of an atomic's operation (imm without BPF_FETCH): "add", "and",
 * "or", "xor", and "xchg", "cmpxchg" for those two; NULL otherwise. The
 * same words name them in every syntax. */
const char *bpfs_atomic_op_name(int32_t imm);
/* The inverse, for the len bytes at name: the imm (without BPF_FETCH). */
bool bpfs_atomic_op_find(const char *name, size_t len, int32_t *imm);

/* Kernel encodings newer than some systems' uapi header. */
#define BPFS_ADDR_SPACE_CAST 1 /* off of ALU64 MOV X: arena pointer cast */

#endif /* BPFSCOPE_INSN_INT_H */
