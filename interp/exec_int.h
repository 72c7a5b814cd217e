/* SPDX-License-Identifier: MIT */
/*
 * The dispatch loop, included twice by exec.c: once with CHECKED 0 (fast
 * mode) and once with CHECKED 1 (every memory access checked, instructions
 * counted). EXEC_NAME is the function's name.
 *
 * Direct threading: each decoded instruction holds the address of its
 * operation's label, and every operation ends by jumping to the next
 * instruction's label (NEXT) or to a precomputed target (JUMP). The loop
 * has no bounds checks: decoding proved every target in range, and the
 * FALLOFF sentinel ends the array.
 *
 * Semantics, per RFC 9669 and the kernel's interpreter (___bpf_prog_run):
 *   - 32-bit operations zero-extend their result into the 64-bit register;
 *   - shift counts are masked to the operand width (& 31, & 63);
 *   - unsigned division by zero gives 0; modulo by zero leaves the
 *     destination unchanged (truncated to 32 bits for 32-bit operations);
 *   - signed division (off 1): by zero gives 0, INT_MIN / -1 gives
 *     INT_MIN; signed modulo by zero leaves dst, INT_MIN % -1 gives 0, as
 *     the kernel's do_misc_fixups patches them; the remainder has the sign
 *     of the dividend (C's truncating %);
 *   - 64-bit immediates are the 32-bit imm sign-extended, also for
 *     unsigned division and unsigned comparisons;
 *   - byte swaps: to_le on this little-endian host only truncates
 *     (le16 keeps the low 16 bits), to_be and bswap swap;
 *   - atomics are sequentially consistent; fetch forms and xchg put the
 *     old value in src, cmpxchg compares with r0 and puts the old value in
 *     r0; 32-bit forms zero-extend what they return;
 *   - may_goto jumps when the frame's budget (BPF_MAX_LOOPS, set at
 *     program and function entry) is exhausted, else decrements it;
 *   - LD_ABS/LD_IND read big-endian from the packet; out of range, the
 *     program ends with r0 = 0.
 */

#if CHECKED
#define COUNT()                                                          \
	do {                                                             \
		if (__builtin_expect(++ex->count > ex->limit, 0))        \
			goto insn_limit;                                 \
		if (ex->counts && ex->cur == ex->main)                   \
			ex->counts[pc - ex->cur->code]++;                \
	} while (0)
#define CHECK_MEM(a, n, w)                                                  \
	do {                                                                \
		if (!check_mem(ex, (uintptr_t)(a), (n), (w), reg[10]))      \
			goto mem_fault;                                     \
	} while (0)
#define CHECK_ALIGN(a, n)                                                   \
	do {                                                                \
		if ((uintptr_t)(a) & ((n) - 1)) {                           \
			misaligned(ex, (uintptr_t)(a), (n));                \
			goto mem_fault;                                     \
		}                                                           \
	} while (0)
#else
#define COUNT() ((void)0)
#define CHECK_MEM(a, n, w) ((void)0)
#define CHECK_ALIGN(a, n) ((void)0)
#endif

#define DST reg[pc->dst]
#define SRC reg[pc->src]
#define IMM64 ((uint64_t)(int64_t)pc->imm)
#define IMM32 ((uint32_t)pc->imm)
#define DISPATCH()               \
	do {                     \
		COUNT();         \
		goto *pc->op;    \
	} while (0)
#define NEXT()           \
	do {             \
		pc++;    \
		DISPATCH(); \
	} while (0)
#if CHECKED
#define COUNT_TAKEN()                                                    \
	do {                                                             \
		if (ex->taken && ex->cur == ex->main)                    \
			ex->taken[pc - ex->cur->code]++;                 \
	} while (0)
#else
#define COUNT_TAKEN() ((void)0)
#endif
#define JUMP()                   \
	do {                     \
		COUNT_TAKEN();   \
		pc = pc->k.tgt;  \
		DISPATCH();      \
	} while (0)

/* ALU: a and b are the operands at the operation's width. */
#define ALU(n, e64, e32)                                                   \
	L_A64_##n##_K : {                                                  \
		uint64_t a = DST, b = IMM64;                               \
		DST = (e64);                                               \
		NEXT();                                                    \
	}                                                                  \
	L_A64_##n##_X : {                                                  \
		uint64_t a = DST, b = SRC;                                 \
		DST = (e64);                                               \
		NEXT();                                                    \
	}                                                                  \
	L_A32_##n##_K : {                                                  \
		uint32_t a = (uint32_t)DST, b = IMM32;                     \
		DST = (uint32_t)(e32);                                     \
		NEXT();                                                    \
	}                                                                  \
	L_A32_##n##_X : {                                                  \
		uint32_t a = (uint32_t)DST, b = (uint32_t)SRC;             \
		DST = (uint32_t)(e32);                                     \
		NEXT();                                                    \
	}

/* Conditional jumps: T64/T32 give signedness. */
#define JCC(n, T64, T32, cmp)                                              \
	L_J64_##n##_K : if ((T64)DST cmp (T64)IMM64) JUMP();               \
	NEXT();                                                            \
	L_J64_##n##_X : if ((T64)DST cmp (T64)SRC) JUMP();                 \
	NEXT();                                                            \
	L_J32_##n##_K : if ((T32)(uint32_t)DST cmp (T32)IMM32) JUMP();     \
	NEXT();                                                            \
	L_J32_##n##_X : if ((T32)(uint32_t)DST cmp (T32)(uint32_t)SRC) JUMP(); \
	NEXT();

#define LDX(n, T, ld)                                      \
	L_##n : {                                          \
		uint64_t a = SRC + (int64_t)pc->off;       \
		CHECK_MEM(a, sizeof(T), false);            \
		DST = (ld);                                \
		NEXT();                                    \
	}
#define STORE(n, T, v)                                     \
	L_##n : {                                          \
		uint64_t a = DST + (int64_t)pc->off;       \
		T val = (T)(v);                            \
		CHECK_MEM(a, sizeof(T), true);             \
		memcpy((void *)(uintptr_t)a, &val, sizeof(T)); \
		NEXT();                                    \
	}

/* Atomic read-modify-write; fetch forms return the old value in src. */
#define ATOMIC(n, fn)                                                        \
	L_A##n##_W : {                                                       \
		uint64_t a = DST + (int64_t)pc->off;                         \
		CHECK_MEM(a, 4, true);                                       \
		CHECK_ALIGN(a, 4);                                           \
		fn((uint32_t *)(uintptr_t)a, (uint32_t)SRC, __ATOMIC_SEQ_CST); \
		NEXT();                                                      \
	}                                                                    \
	L_A##n##_DW : {                                                      \
		uint64_t a = DST + (int64_t)pc->off;                         \
		CHECK_MEM(a, 8, true);                                       \
		CHECK_ALIGN(a, 8);                                           \
		fn((uint64_t *)(uintptr_t)a, SRC, __ATOMIC_SEQ_CST);         \
		NEXT();                                                      \
	}                                                                    \
	L_AF##n##_W : {                                                      \
		uint64_t a = DST + (int64_t)pc->off;                         \
		CHECK_MEM(a, 4, true);                                       \
		CHECK_ALIGN(a, 4);                                           \
		SRC = fn((uint32_t *)(uintptr_t)a, (uint32_t)SRC, __ATOMIC_SEQ_CST); \
		NEXT();                                                      \
	}                                                                    \
	L_AF##n##_DW : {                                                     \
		uint64_t a = DST + (int64_t)pc->off;                         \
		CHECK_MEM(a, 8, true);                                       \
		CHECK_ALIGN(a, 8);                                           \
		SRC = fn((uint64_t *)(uintptr_t)a, SRC, __ATOMIC_SEQ_CST);   \
		NEXT();                                                      \
	}

#define LDPKT(n, sz, base)                                                   \
	L_##n : {                                                            \
		int32_t o = (int32_t)((uint32_t)(base) + (uint32_t)pc->imm); \
		if (!load_packet(ex, o, sz, &reg[0]))                        \
			goto ld_abs_out;                                     \
		NEXT();                                                      \
	}

int EXEC_NAME(struct exec *ex, const void *const **table)
{
#define BPFS_OP_LABEL(n) [OP_##n] = &&L_##n,
	static const void *const labels[OP_COUNT] = { BPFS_OPS(BPFS_OP_LABEL) };
#undef BPFS_OP_LABEL
	const struct dinsn *pc;
	uint64_t reg[BPFS_MAX_REG + 1];
	uint32_t loops = BPFS_MAX_LOOPS;
	unsigned depth = 0;

	if (table) {
		*table = labels;
		return 0;
	}
	memset(reg, 0, sizeof(reg));
	reg[1] = (uintptr_t)ex->ctx->ctx;
	reg[2] = ex->ctx->ctx_len;
	reg[10] = (uintptr_t)ex->stack + BPFS_STACK_TOTAL;
	pc = ex->cur->code;
	DISPATCH();

	ALU(ADD, a + b, a + b)
	ALU(SUB, a - b, a - b)
	ALU(MUL, a * b, a * b)
	ALU(DIV, b ? a / b : 0, b ? a / b : 0)
	ALU(MOD, b ? a % b : a, b ? a % b : a)
	ALU(SDIV, sdiv64(a, b), sdiv32(a, b))
	ALU(SMOD, smod64(a, b), smod32(a, b))
	ALU(OR, a | b, a | b)
	ALU(AND, a & b, a & b)
	ALU(XOR, a ^ b, a ^ b)
	ALU(LSH, a << (b & 63), a << (b & 31))
	ALU(RSH, a >> (b & 63), a >> (b & 31))
	ALU(ARSH, (uint64_t)((int64_t)a >> (b & 63)), (uint32_t)((int32_t)a >> (b & 31)))
	ALU(MOV, ((void)a, b), ((void)a, b))

L_A64_NEG:
	DST = 0 - DST;
	NEXT();
L_A32_NEG:
	DST = (uint32_t)(0 - (uint32_t)DST);
	NEXT();
L_A64_MOVSX8:
	DST = (uint64_t)(int64_t)(int8_t)SRC;
	NEXT();
L_A64_MOVSX16:
	DST = (uint64_t)(int64_t)(int16_t)SRC;
	NEXT();
L_A64_MOVSX32:
	DST = (uint64_t)(int64_t)(int32_t)SRC;
	NEXT();
L_A32_MOVSX8:
	DST = (uint32_t)(int32_t)(int8_t)SRC;
	NEXT();
L_A32_MOVSX16:
	DST = (uint32_t)(int32_t)(int16_t)SRC;
	NEXT();
L_AS_CAST_TO_AS1:
	DST = (uint32_t)SRC;
	NEXT();
L_LE16:
	DST = (uint16_t)DST;
	NEXT();
L_LE32:
	DST = (uint32_t)DST;
	NEXT();
L_LE64:
	NEXT();
L_BE16:
L_BSWAP16:
	DST = __builtin_bswap16((uint16_t)DST);
	NEXT();
L_BE32:
L_BSWAP32:
	DST = __builtin_bswap32((uint32_t)DST);
	NEXT();
L_BE64:
L_BSWAP64:
	DST = __builtin_bswap64(DST);
	NEXT();

	JCC(JEQ, uint64_t, uint32_t, ==)
	JCC(JNE, uint64_t, uint32_t, !=)
	JCC(JGT, uint64_t, uint32_t, >)
	JCC(JGE, uint64_t, uint32_t, >=)
	JCC(JLT, uint64_t, uint32_t, <)
	JCC(JLE, uint64_t, uint32_t, <=)
	JCC(JSGT, int64_t, int32_t, >)
	JCC(JSGE, int64_t, int32_t, >=)
	JCC(JSLT, int64_t, int32_t, <)
	JCC(JSLE, int64_t, int32_t, <=)
	JCC(JSET, uint64_t, uint32_t, &)

L_JA:
	JUMP();
L_MAY_GOTO:
	if (!loops)
		JUMP();
	loops--;
	NEXT();

L_CALL:
	reg[0] = pc->k.fn(reg[1], reg[2], reg[3], reg[4], reg[5], &ex->rc);
	if (__builtin_expect(ex->rc.viol != BPFS_VIOL_NONE, 0))
		goto fault;
	NEXT();

L_CALL_MISSING:
	bpfs_helper_missing(&ex->rc, pc->imm);
	goto fault;

L_CALL_LOCAL:
	if (__builtin_expect(depth + 1 >= BPFS_MAX_CALL_FRAMES, 0)) {
		bpfs_run_violation(&ex->rc, BPFS_VIOL_CALL_DEPTH, 0, 0, "the call stack of %u frames is too deep",
				   depth + 2);
		goto fault;
	}
	ex->frames[depth] = (struct frame){
		.ret = pc + 1, .vm = ex->cur, .saved = { reg[6], reg[7], reg[8], reg[9] }, .loops = loops
	};
	depth++;
	reg[10] -= BPFS_STACK_SIZE;
#if CHECKED
	memset((void *)(uintptr_t)(reg[10] - BPFS_STACK_SIZE), 0, BPFS_STACK_SIZE);
#endif
	loops = BPFS_MAX_LOOPS;
	JUMP();

L_TAIL_CALL:
	ex->rc.tail_target = NULL;
	pc->k.fn(reg[1], reg[2], reg[3], 0, 0, &ex->rc);
	if (ex->rc.tail_target) {
		const struct bpfs_vm *next = ex->rc.tail_target;

		if (next->checked != CHECKED) {
			bpfs_run_violation(&ex->rc, BPFS_VIOL_BAD_CALL, 0, 0,
					   "tail call to a program loaded in the other mode");
			goto fault;
		}
		ex->cur = next;
		loops = BPFS_MAX_LOOPS;
		pc = next->code;
		DISPATCH();
	}
	NEXT();

L_EXIT:
	if (!depth) {
		ex->r0 = reg[0];
		return 0;
	}
	depth--;
	reg[6] = ex->frames[depth].saved[0];
	reg[7] = ex->frames[depth].saved[1];
	reg[8] = ex->frames[depth].saved[2];
	reg[9] = ex->frames[depth].saved[3];
	reg[10] += BPFS_STACK_SIZE;
	loops = ex->frames[depth].loops;
	ex->cur = ex->frames[depth].vm;
	pc = ex->frames[depth].ret;
	DISPATCH();

	LDX(LDX_B, uint8_t, ld8(a))
	LDX(LDX_H, uint16_t, ld16(a))
	LDX(LDX_W, uint32_t, ld32(a))
	LDX(LDX_DW, uint64_t, ld64(a))
	LDX(LDXS_B, int8_t, (uint64_t)(int64_t)(int8_t)ld8(a))
	LDX(LDXS_H, int16_t, (uint64_t)(int64_t)(int16_t)ld16(a))
	LDX(LDXS_W, int32_t, (uint64_t)(int64_t)(int32_t)ld32(a))
L_LDX_CTXPTR:
#if CHECKED
	CHECK_MEM(SRC + (int64_t)pc->off, 4, false);
#endif
	DST = ex->ctx->ptrs[pc->imm];
	NEXT();

	STORE(ST_B, uint8_t, pc->imm)
	STORE(ST_H, uint16_t, pc->imm)
	STORE(ST_W, uint32_t, pc->imm)
	STORE(ST_DW, uint64_t, IMM64)
	STORE(STX_B, uint8_t, SRC)
	STORE(STX_H, uint16_t, SRC)
	STORE(STX_W, uint32_t, SRC)
	STORE(STX_DW, uint64_t, SRC)

	ATOMIC(ADD, __atomic_fetch_add)
	ATOMIC(OR, __atomic_fetch_or)
	ATOMIC(AND, __atomic_fetch_and)
	ATOMIC(XOR, __atomic_fetch_xor)
L_AXCHG_W : {
	uint64_t a = DST + (int64_t)pc->off;
	CHECK_MEM(a, 4, true);
	CHECK_ALIGN(a, 4);
	SRC = __atomic_exchange_n((uint32_t *)(uintptr_t)a, (uint32_t)SRC, __ATOMIC_SEQ_CST);
	NEXT();
}
L_AXCHG_DW : {
	uint64_t a = DST + (int64_t)pc->off;
	CHECK_MEM(a, 8, true);
	CHECK_ALIGN(a, 8);
	SRC = __atomic_exchange_n((uint64_t *)(uintptr_t)a, SRC, __ATOMIC_SEQ_CST);
	NEXT();
}
L_ACMPXCHG_W : {
	uint64_t a = DST + (int64_t)pc->off;
	uint32_t old = (uint32_t)reg[0];
	CHECK_MEM(a, 4, true);
	CHECK_ALIGN(a, 4);
	__atomic_compare_exchange_n((uint32_t *)(uintptr_t)a, &old, (uint32_t)SRC, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	reg[0] = old;
	NEXT();
}
L_ACMPXCHG_DW : {
	uint64_t a = DST + (int64_t)pc->off;
	uint64_t old = reg[0];
	CHECK_MEM(a, 8, true);
	CHECK_ALIGN(a, 8);
	__atomic_compare_exchange_n((uint64_t *)(uintptr_t)a, &old, SRC, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	reg[0] = old;
	NEXT();
}

L_LDDW:
	DST = pc->k.u64;
	pc += 2;
	DISPATCH();
	LDPKT(LDABS_B, 1, 0)
	LDPKT(LDABS_H, 2, 0)
	LDPKT(LDABS_W, 4, 0)
	LDPKT(LDIND_B, 1, SRC)
	LDPKT(LDIND_H, 2, SRC)
	LDPKT(LDIND_W, 4, SRC)

L_FALLOFF:
	bpfs_run_violation(&ex->rc, BPFS_VIOL_BAD_CALL, 0, 0, "fell off the end of the program");
	goto fault;

ld_abs_out:
	ex->ld_abs_fault = true;
	ex->r0 = 0;
	return 0;
#if CHECKED
insn_limit:
	bpfs_run_violation(&ex->rc, BPFS_VIOL_INSN_LIMIT, 0, 0, "instruction limit of %llu reached",
			   (unsigned long long)ex->limit);
	goto fault;
mem_fault:
	goto fault;
#endif
fault:
	ex->fault_pc = pc;
	return -EFAULT;
}

#undef COUNT
#undef COUNT_TAKEN
#undef CHECK_MEM
#undef CHECK_ALIGN
#undef DST
#undef SRC
#undef IMM64
#undef IMM32
#undef DISPATCH
#undef NEXT
#undef JUMP
#undef ALU
#undef JCC
#undef LDX
#undef STORE
#undef ATOMIC
#undef LDPKT
