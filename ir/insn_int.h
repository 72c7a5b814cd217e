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

/* Kernel encodings newer than some systems' uapi header. */
#define BPFS_ADDR_SPACE_CAST 1 /* off of ALU64 MOV X: arena pointer cast */

#endif /* BPFSCOPE_INSN_INT_H */
