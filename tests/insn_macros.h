/* SPDX-License-Identifier: MIT */
/*
 * Instruction-building macros for tests: each expands to one struct
 * bpf_insn initialiser (two for BPF_LD_IMM64 and BPF_LD_MAP_FD, which take
 * two slots), in the naming of the kernel's tools/include/linux/filter.h so
 * a reader of kernel test cases finds their way. None of these names is
 * defined by <linux/bpf.h>.
 *
 * Naming: ALU64 ops on the full register are BPF_ALU64_*, 32-bit ops are
 * BPF_ALU32_*; _IMM takes an immediate (BPF_K), _REG a source register
 * (BPF_X). Jumps take an op (BPF_JEQ, ...) and a relative offset in
 * instructions from the next one. Sizes are BPF_B, BPF_H, BPF_W, BPF_DW.
 *
 * Map references: BPF_LD_MAP_FD(dst, idx) and BPF_LD_MAP_VALUE(dst, idx, off)
 * carry in imm an index into the case's map array; runners replace it with
 * whatever their loader needs (a file descriptor for the kernel).
 */
#ifndef BPFS_TESTS_INSN_MACROS_H
#define BPFS_TESTS_INSN_MACROS_H

#include <linux/bpf.h>

/* Encodings newer than some systems' uapi headers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ 0x100
#endif
#ifndef BPF_STORE_REL
#define BPF_STORE_REL 0x110
#endif

#define BPF_REG_FP BPF_REG_10

/* The most general form: every field given. */
#define BPF_RAW_INSN(CODE, DST, SRC, OFF, IMM)                                                               \
	((struct bpf_insn){.code = (CODE), .dst_reg = (DST), .src_reg = (SRC), .off = (OFF), .imm = (IMM)})

/* ---- ALU ---------------------------------------------------------------- */

#define BPF_ALU64_REG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
#define BPF_ALU32_REG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
#define BPF_ALU64_IMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)
#define BPF_ALU32_IMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)

/* Signed division and modulo: BPF_DIV/BPF_MOD with off = 1. */
#define BPF_ALU64_SREG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, 1, 0)
#define BPF_ALU32_SREG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, 1, 0)
#define BPF_ALU64_SIMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, 1, IMM)
#define BPF_ALU32_SIMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, 1, IMM)
#define BPF_SDIV64_REG(DST, SRC) BPF_ALU64_SREG(BPF_DIV, DST, SRC)
#define BPF_SDIV64_IMM(DST, IMM) BPF_ALU64_SIMM(BPF_DIV, DST, IMM)
#define BPF_SMOD64_REG(DST, SRC) BPF_ALU64_SREG(BPF_MOD, DST, SRC)
#define BPF_SMOD64_IMM(DST, IMM) BPF_ALU64_SIMM(BPF_MOD, DST, IMM)
#define BPF_SDIV32_REG(DST, SRC) BPF_ALU32_SREG(BPF_DIV, DST, SRC)
#define BPF_SDIV32_IMM(DST, IMM) BPF_ALU32_SIMM(BPF_DIV, DST, IMM)
#define BPF_SMOD32_REG(DST, SRC) BPF_ALU32_SREG(BPF_MOD, DST, SRC)
#define BPF_SMOD32_IMM(DST, IMM) BPF_ALU32_SIMM(BPF_MOD, DST, IMM)

/* Negation (BPF_NEG takes no source). */
#define BPF_NEG64(DST) BPF_RAW_INSN(BPF_ALU64 | BPF_NEG | BPF_K, DST, 0, 0, 0)
#define BPF_NEG32(DST) BPF_RAW_INSN(BPF_ALU | BPF_NEG | BPF_K, DST, 0, 0, 0)

/* Moves. */
#define BPF_MOV64_REG(DST, SRC) BPF_ALU64_REG(BPF_MOV, DST, SRC)
#define BPF_MOV32_REG(DST, SRC) BPF_ALU32_REG(BPF_MOV, DST, SRC)
#define BPF_MOV64_IMM(DST, IMM) BPF_ALU64_IMM(BPF_MOV, DST, IMM)
#define BPF_MOV32_IMM(DST, IMM) BPF_ALU32_IMM(BPF_MOV, DST, IMM)
/* Sign-extending moves (MOVSX): off is the source width, 8, 16 or 32. */
#define BPF_MOVSX64_REG(DST, SRC, BITS) BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, DST, SRC, BITS, 0)
#define BPF_MOVSX32_REG(DST, SRC, BITS) BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_X, DST, SRC, BITS, 0)

/* Byte swaps: BPF_ALU | BPF_END with BPF_TO_LE/BPF_TO_BE converts to that
 * order (imm = 16, 32 or 64); BPF_ALU64 | BPF_END swaps unconditionally. */
#define BPF_ENDIAN(TYPE, DST, LEN) BPF_RAW_INSN(BPF_ALU | BPF_END | (TYPE), DST, 0, 0, LEN)
#define BPF_TO_LE_INSN(DST, LEN) BPF_ENDIAN(BPF_TO_LE, DST, LEN)
#define BPF_TO_BE_INSN(DST, LEN) BPF_ENDIAN(BPF_TO_BE, DST, LEN)
#define BPF_BSWAP(DST, LEN) BPF_RAW_INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, DST, 0, 0, LEN)

/* ---- 64-bit immediates and maps ---------------------------------------- */

#define BPF_LD_IMM64_RAW(DST, SRC, IMM)                                                                      \
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, SRC, 0, (__s32)(__u32)(IMM)),                           \
	    BPF_RAW_INSN(0, 0, 0, 0, (__s32)(__u32)((__u64)(IMM) >> 32))
#define BPF_LD_IMM64(DST, IMM) BPF_LD_IMM64_RAW(DST, 0, IMM)
/* r = map (by index into the case's maps) */
#define BPF_LD_MAP_FD(DST, MAPIDX) BPF_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, MAPIDX)
/* r = &map value + OFF (array maps; the offset goes in the second slot) */
#define BPF_LD_MAP_VALUE(DST, MAPIDX, OFF)                                                                   \
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, BPF_PSEUDO_MAP_VALUE, 0, MAPIDX),                       \
	    BPF_RAW_INSN(0, 0, 0, 0, OFF)
/* r = address of the subprogram at pc + 1 + OFF (callbacks) */
#define BPF_LD_FUNC(DST, OFF)                                                                                \
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, BPF_PSEUDO_FUNC, 0, OFF), BPF_RAW_INSN(0, 0, 0, 0, 0)

/* ---- Legacy packet loads ------------------------------------------------ */

/* r0 = ntoh(*(SIZE *)(skb->data + IMM)) (needs r6 = ctx) */
#define BPF_LD_ABS(SIZE, IMM) BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_ABS, 0, 0, 0, IMM)
/* r0 = ntoh(*(SIZE *)(skb->data + SRC + IMM)) */
#define BPF_LD_IND(SIZE, SRC, IMM) BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_IND, 0, SRC, 0, IMM)

/* ---- Memory ------------------------------------------------------------- */

/* DST = *(SIZE *)(SRC + OFF) */
#define BPF_LDX_MEM(SIZE, DST, SRC, OFF) BPF_RAW_INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
/* DST = *(signed SIZE *)(SRC + OFF), sign-extended (SIZE: B, H, W) */
#define BPF_LDX_MEMSX(SIZE, DST, SRC, OFF)                                                                   \
	BPF_RAW_INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEMSX, DST, SRC, OFF, 0)
/* *(SIZE *)(DST + OFF) = SRC */
#define BPF_STX_MEM(SIZE, DST, SRC, OFF) BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
/* *(SIZE *)(DST + OFF) = IMM */
#define BPF_ST_MEM(SIZE, DST, OFF, IMM) BPF_RAW_INSN(BPF_ST | BPF_SIZE(SIZE) | BPF_MEM, DST, 0, OFF, IMM)

/* Atomics: OP is BPF_ADD, BPF_AND, BPF_OR, BPF_XOR (| BPF_FETCH), BPF_XCHG,
 * BPF_CMPXCHG (compares with r0), BPF_LOAD_ACQ, BPF_STORE_REL. SIZE is BPF_W
 * or BPF_DW. */
#define BPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)                                                               \
	BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, DST, SRC, OFF, OP)
#define BPF_STX_XADD(SIZE, DST, SRC, OFF) BPF_ATOMIC_OP(SIZE, BPF_ADD, DST, SRC, OFF)

/* ---- Jumps -------------------------------------------------------------- */

/* if (DST op SRC) goto pc + OFF */
#define BPF_JMP_REG(OP, DST, SRC, OFF) BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_JMP32_REG(OP, DST, SRC, OFF) BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
/* if (DST op IMM) goto pc + OFF */
#define BPF_JMP_IMM(OP, DST, IMM, OFF) BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_JMP32_IMM(OP, DST, IMM, OFF) BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
/* goto pc + OFF */
#define BPF_JMP_A(OFF) BPF_RAW_INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
/* gotol pc + IMM (32-bit displacement) */
#define BPF_JMP32_A(IMM) BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, IMM)
#define BPF_GOTOL(IMM) BPF_JMP32_A(IMM)

/* may_goto pc + OFF (a bounded-loop escape the kernel counts down) */
#define BPF_MAY_GOTO(OFF) BPF_RAW_INSN(BPF_JMP | BPF_JCOND, 0, 0, OFF, 0)

/* ---- Calls and exit ----------------------------------------------------- */

/* call helper FUNC (BPF_FUNC_xxx) */
#define BPF_EMIT_CALL(FUNC) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, FUNC)
#define BPF_CALL_HELPER(FUNC) BPF_EMIT_CALL(FUNC)
/* call the subprogram at pc + 1 + OFF */
#define BPF_CALL_REL(OFF) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, OFF)
#define BPF_CALL_LOCAL(OFF) BPF_CALL_REL(OFF)
/* call a kernel function by BTF id */
#define BPF_CALL_KFUNC(OFF, IMM) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, OFF, IMM)

#define BPF_EXIT_INSN() BPF_RAW_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif /* BPFS_TESTS_INSN_MACROS_H */
