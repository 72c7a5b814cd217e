/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the interpreter: the decoded instruction, the
 * table of internal operations, the program handle and one run's state.
 */
#ifndef BPFS_INTERP_INT_H
#define BPFS_INTERP_INT_H

#include "interp.h"

/* clang-format off */
#define ALU_SET(X, n) X(A64_##n##_K) X(A64_##n##_X) X(A32_##n##_K) X(A32_##n##_X)
#define JMP_SET(X, n) X(J64_##n##_K) X(J64_##n##_X) X(J32_##n##_K) X(J32_##n##_X)
#define SIZES(X, n) X(n##_B) X(n##_H) X(n##_W) X(n##_DW)
#define WD(X, n) X(n##_W) X(n##_DW)

/* Every internal operation: one label in the dispatch loop each. */
#define BPFS_OPS(X)                                                          \
	ALU_SET(X, ADD) ALU_SET(X, SUB) ALU_SET(X, MUL) ALU_SET(X, DIV)      \
	ALU_SET(X, SDIV) ALU_SET(X, MOD) ALU_SET(X, SMOD) ALU_SET(X, OR)     \
	ALU_SET(X, AND) ALU_SET(X, XOR) ALU_SET(X, LSH) ALU_SET(X, RSH)      \
	ALU_SET(X, ARSH) ALU_SET(X, MOV)                                     \
	X(A64_NEG) X(A32_NEG) X(A64_MOVSX8) X(A64_MOVSX16) X(A64_MOVSX32)    \
	X(A32_MOVSX8) X(A32_MOVSX16) X(AS_CAST_TO_AS1)                       \
	X(LE16) X(LE32) X(LE64) X(BE16) X(BE32) X(BE64)                      \
	X(BSWAP16) X(BSWAP32) X(BSWAP64)                                     \
	JMP_SET(X, JEQ) JMP_SET(X, JNE) JMP_SET(X, JGT) JMP_SET(X, JGE)      \
	JMP_SET(X, JLT) JMP_SET(X, JLE) JMP_SET(X, JSGT) JMP_SET(X, JSGE)    \
	JMP_SET(X, JSLT) JMP_SET(X, JSLE) JMP_SET(X, JSET)                   \
	X(JA) X(MAY_GOTO) X(CALL) X(CALL_MISSING) X(CALL_LOCAL) X(TAIL_CALL)  \
	X(EXIT)                                                              \
	SIZES(X, LDX) X(LDXS_B) X(LDXS_H) X(LDXS_W) X(LDX_CTXPTR)            \
	SIZES(X, ST) SIZES(X, STX)                                           \
	WD(X, AADD) WD(X, AOR) WD(X, AAND) WD(X, AXOR)                       \
	WD(X, AFADD) WD(X, AFOR) WD(X, AFAND) WD(X, AFXOR)                   \
	WD(X, AXCHG) WD(X, ACMPXCHG)                                         \
	X(LDDW) X(LDABS_B) X(LDABS_H) X(LDABS_W)                             \
	X(LDIND_B) X(LDIND_H) X(LDIND_W) X(FALLOFF)
/* clang-format on */

#define BPFS_OP_ENUM(n) OP_##n,
enum bpfs_op { BPFS_OPS(BPFS_OP_ENUM) OP_COUNT };
#undef BPFS_OP_ENUM

/*
 * A decoded instruction, one per original slot (LD_IMM64's second slot
 * gets a copy of the first), plus a FALLOFF sentinel at the end. `op` is
 * the address of the operation's label in the dispatch loop of the vm's
 * mode. `k` holds what decoding could compute: jump targets, the helper,
 * LD_IMM64's value.
 */
struct dinsn {
	const void *op;
	union {
		uint64_t u64;
		const struct dinsn *tgt;
		bpfs_helper_fn fn;
	} k;
	int16_t off;
	uint8_t dst, src;
	int32_t imm;
};
_Static_assert(sizeof(struct dinsn) == 24, "decoded instructions stay small");

struct bpfs_vm {
	struct dinsn *code; /* cnt + 1 entries */
	uint16_t *opi;      /* enum bpfs_op of each, for tests and dumps */
	size_t cnt;
	bool checked;
	const struct bpfs_image *img; /* what it was decoded from */
	struct bpfs_image *own_img;   /* the same, when the vm owns it */
};

/* One call frame's saved state. */
struct frame {
	const struct dinsn *ret;
	const struct bpfs_vm *vm;
	uint64_t saved[4]; /* r6-r9 */
	uint32_t loops;    /* caller's may_goto budget */
};

/* One run. */
struct exec {
	struct bpfs_run_ctx rc;
	struct bpfs_ctx *ctx;
	const struct bpfs_vm *cur;     /* program running (tail calls change it) */
	const struct dinsn *fault_pc;  /* where a violation happened */
	uint64_t r0;
	uint64_t count, limit;
	uint64_t *counts, *taken;      /* per instruction of main, or NULL */
	const struct bpfs_vm *main;    /* the program the run started with */
	uint8_t *stack;                /* BPFS_MAX_CALL_FRAMES frames */
	struct frame frames[BPFS_MAX_CALL_FRAMES];
	bool ld_abs_fault;
};

#define BPFS_STACK_TOTAL (BPFS_STACK_SIZE * BPFS_MAX_CALL_FRAMES)

/* The two dispatch loops. With table set, only stores the label table
 * (indexed by enum bpfs_op) there. Return 0 on exit, -EFAULT on a
 * violation (recorded in ex->rc). */
int bpfs_exec_fast(struct exec *ex, const void *const **table);
int bpfs_exec_checked(struct exec *ex, const void *const **table);

#endif
