/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the JIT: the compiled program, one run's state
 * as the generated code sees it, the code buffer and the x86-64 emitter.
 *
 * The emitter is a set of small inline helpers, one machine instruction
 * form each. They write into a bounded buffer: running out of room sets
 * `overflow` instead of writing past the end (so an emitter bug cannot
 * corrupt memory), and the compiler redoes the pass in a bigger buffer.
 */
#ifndef BPFS_JIT_INT_H
#define BPFS_JIT_INT_H

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "jit.h"

/* x86-64 register numbers (ModRM/REX encoding). */
enum x86_reg {
	RAX,
	RCX,
	RDX,
	RBX,
	RSP,
	RBP,
	RSI,
	RDI,
	R8,
	R9,
	R10,
	R11,
	R12,
	R13,
	R14,
	R15,
};

/* BPF registers live in fixed machine registers (the kernel's choice:
 * r1-r5 are the System V argument registers, so helper calls need no
 * moves; r6-r9 and r10 are callee-saved, so they survive helper calls).
 * BPF_AUX is the blinding register; r9 carries the run context into
 * helpers, r11 is scratch, r12 holds the run state for the whole run. */
#define BPF_AUX 11
#define SCRATCH R11
#define SCRATCH2 R9
#define RUN R12
static const uint8_t bpf2x86[12] = {RAX, RDI, RSI, RDX, RCX, R8, RBX, R13, R14, R15, RBP, R10};

#define JIT_MAGIC 0x4a495421u /* "JIT!": tail-call targets are checked for it */

/* One run's state. The generated code keeps its address in r12 and
 * reaches every field at a fixed offset, the small hot ones first so
 * that their displacements fit a byte. */
struct jit_run {
	uint32_t loops;	    /* may_goto budget of the current frame */
	uint32_t depth;	    /* local-call frames below the current one */
	int32_t fault_insn; /* instruction of a violation */
	uint8_t ld_abs_fault;
	uint64_t saved_rsp;		/* native stack at entry, to unwind from any depth */
	uint64_t ptrs[BPFS_CTX_NPTRS];	/* converted context loads read these */
	struct bpfs_run_ctx rc;		/* what helpers get as their sixth argument */
};

_Static_assert(offsetof(struct jit_run, depth) == offsetof(struct jit_run, loops) + 4,
	       "a local call saves loops and depth as one qword");

struct bpfs_jit {
	uint32_t magic;	     /* JIT_MAGIC */
	const uint8_t *body; /* first instruction: where tail calls enter */
	uint8_t *code;	     /* the mapping: entry, stubs, then the body */
	size_t len, map_len;
	size_t cnt;
	uint32_t *addrs;    /* code offset of each instruction, cnt + 1 */
	const struct bpfs_image *img; /* what it was compiled from */
	struct bpfs_image *own_img;   /* the same, when the jit owns it */
	bool harden;
};

/* Signature of the generated entry point. */
typedef uint64_t (*jit_entry_fn)(uint64_t r1, uint64_t r2, struct jit_run *run, uint64_t fp);

/* Run-time support the generated code calls (jit.c). */
uint64_t bpfs_jit_load_packet(struct jit_run *run, int32_t off, uint32_t size);
/* arg: the helper's id for JIT_FAULT_HELPER, else unused */
void bpfs_jit_fault(struct jit_run *run, uint32_t kind, int32_t arg);

enum jit_fault {
	JIT_FAULT_DEPTH,   /* too many call frames */
	JIT_FAULT_TARGET,  /* tail call to something that is not compiled code */
	JIT_FAULT_FALLOFF, /* ran past the last instruction */
	JIT_FAULT_HELPER,  /* a kernel helper the runtime does not implement */
};

/* Compiles the program (compile.c). */
int bpfs_jit_translate(struct bpfs_jit *jit, struct bpfs_err *err);

/* ---------------------------------------------------------------------- */
/* The code buffer                                                        */

struct ebuf {
	uint8_t *p;
	size_t len, cap;
	bool overflow;
};

/* Appends n bytes of v (little-endian). */
static inline void emit_bytes(struct ebuf *b, uint64_t v, unsigned n)
{
	assert(n <= 8);
	if (b->len + n > b->cap) {
		b->overflow = true;
		return;
	}
	for (unsigned i = 0; i < n; i++)
		b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

static inline void emit1(struct ebuf *b, uint8_t v)
{
	emit_bytes(b, v, 1);
}

static inline void emit4(struct ebuf *b, uint32_t v)
{
	emit_bytes(b, v, 4);
}

static inline bool is_imm8(int64_t v)
{
	return v >= -128 && v <= 127;
}

static inline bool is_simm32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* ---------------------------------------------------------------------- */
/* Prefixes and operands                                                  */

/* REX prefix for a reg,rm pair: W for 64-bit operands; `byte` forces one
 * so that registers 4-7 name spl/bpl/sil/dil rather than ah/ch/dh/bh. */
static inline void emit_rex(struct ebuf *b, bool w, unsigned reg, unsigned rm, bool byte)
{
	uint8_t rex = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);

	assert(reg < 16 && rm < 16);
	if (rex != 0x40 || (byte && ((reg & 7) >= 4 || (rm & 7) >= 4)))
		emit1(b, rex);
}

/* ModRM for a register operand. */
static inline void emit_modrm_reg(struct ebuf *b, unsigned reg, unsigned rm)
{
	emit1(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* ModRM (and SIB, displacement) for [base + disp]: rsp and r12 as base
 * need a SIB byte; rbp and r13 have no displacement-less form. */
static inline void emit_modrm_mem(struct ebuf *b, unsigned reg, unsigned base, int32_t disp)
{
	uint8_t mod = disp == 0 && (base & 7) != RBP ? 0x00 : is_imm8(disp) ? 0x40 : 0x80;

	emit1(b, (uint8_t)(mod | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == RSP)
		emit1(b, 0x24);
	if (mod == 0x40)
		emit1(b, (uint8_t)disp);
	else if (mod == 0x80)
		emit4(b, (uint32_t)disp);
}

/* op reg, rm with a one-byte opcode: add/sub/and/or/xor/cmp/test/mov. */
static inline void emit_rr(struct ebuf *b, uint8_t opcode, bool w, unsigned reg, unsigned rm)
{
	emit_rex(b, w, reg, rm, false);
	emit1(b, opcode);
	emit_modrm_reg(b, reg, rm);
}

/* Two-byte opcode 0F xx with a register operand (movzx, imul, bswap...). */
static inline void emit_0f_rr(struct ebuf *b, uint8_t opcode, bool w, unsigned reg, unsigned rm, bool byte)
{
	emit_rex(b, w, reg, rm, byte);
	emit1(b, 0x0f);
	emit1(b, opcode);
	emit_modrm_reg(b, reg, rm);
}

/* An instruction with a memory operand: optional 66 or F0 prefix, REX,
 * one or two opcode bytes (0x0fxx), then [base + disp]. */
static inline void emit_mem(struct ebuf *b, uint8_t prefix, bool w, uint16_t opcode, unsigned reg,
			    unsigned base, int32_t disp, bool byte)
{
	if (prefix)
		emit1(b, prefix);
	emit_rex(b, w, reg, base, byte);
	if (opcode > 0xff)
		emit1(b, (uint8_t)(opcode >> 8));
	emit1(b, (uint8_t)opcode);
	emit_modrm_mem(b, reg, base, disp);
}

/* ---------------------------------------------------------------------- */
/* Moves and arithmetic                                                   */

/* mov dst, src (64-bit, or 32-bit zero-extending). */
static inline void emit_mov(struct ebuf *b, bool w, unsigned dst, unsigned src)
{
	emit_rr(b, 0x89, w, src, dst);
}

/* dst = imm, zero-extended from 32 bits: xor for 0, else mov r32, imm32. */
static inline void emit_mov_u32(struct ebuf *b, unsigned dst, uint32_t imm)
{
	if (!imm) {
		emit_rr(b, 0x31, false, dst, dst);
		return;
	}
	emit_rex(b, false, 0, dst, false);
	emit1(b, (uint8_t)(0xb8 | (dst & 7)));
	emit4(b, imm);
}

/* dst = v in the shortest form: mov r32 (zero-extends), mov r64, simm32
 * (sign-extends), or movabs. */
static inline void emit_mov_imm64(struct ebuf *b, unsigned dst, uint64_t v)
{
	if (v <= UINT32_MAX) {
		emit_mov_u32(b, dst, (uint32_t)v);
	} else if (is_simm32((int64_t)v)) {
		emit_rex(b, true, 0, dst, false);
		emit1(b, 0xc7);
		emit_modrm_reg(b, 0, dst);
		emit4(b, (uint32_t)v);
	} else {
		emit_rex(b, true, 0, dst, false);
		emit1(b, (uint8_t)(0xb8 | (dst & 7)));
		emit_bytes(b, v, 8);
	}
}

/* Fixed-size forms, for blinded constants (their length must not depend
 * on the random key): mov r64, simm32 and movabs. */
static inline void emit_mov_simm32_fixed(struct ebuf *b, bool w, unsigned dst, int32_t imm)
{
	emit_rex(b, w, 0, dst, false);
	emit1(b, 0xc7);
	emit_modrm_reg(b, 0, dst);
	emit4(b, (uint32_t)imm);
}

static inline void emit_movabs(struct ebuf *b, unsigned dst, uint64_t v)
{
	emit_rex(b, true, 0, dst, false);
	emit1(b, (uint8_t)(0xb8 | (dst & 7)));
	emit_bytes(b, v, 8);
}

/* Group-1 operation with an immediate (ext: 0 add, 1 or, 4 and, 5 sub,
 * 6 xor, 7 cmp): the imm8 form when the value fits, else imm32 (both
 * sign-extended to the operand width). `fixed` always uses imm32. */
static inline void emit_alu_imm(struct ebuf *b, unsigned ext, bool w, unsigned dst, int32_t imm, bool fixed)
{
	emit_rex(b, w, 0, dst, false);
	if (is_imm8(imm) && !fixed) {
		emit1(b, 0x83);
		emit_modrm_reg(b, ext, dst);
		emit1(b, (uint8_t)imm);
	} else {
		emit1(b, 0x81);
		emit_modrm_reg(b, ext, dst);
		emit4(b, (uint32_t)imm);
	}
}

/* Group-2 shift by an immediate (ext: 4 shl, 5 shr, 7 sar). */
static inline void emit_shift_imm(struct ebuf *b, unsigned ext, bool w, unsigned dst, uint8_t count)
{
	emit_rex(b, w, 0, dst, false);
	emit1(b, 0xc1);
	emit_modrm_reg(b, ext, dst);
	emit1(b, count);
}

/* Group-2 shift by cl. */
static inline void emit_shift_cl(struct ebuf *b, unsigned ext, bool w, unsigned dst)
{
	emit_rex(b, w, 0, dst, false);
	emit1(b, 0xd3);
	emit_modrm_reg(b, ext, dst);
}

/* Group-3 unary operation (ext: 3 neg, 6 div, 7 idiv). */
static inline void emit_unary(struct ebuf *b, unsigned ext, bool w, unsigned rm)
{
	emit_rex(b, w, 0, rm, false);
	emit1(b, 0xf7);
	emit_modrm_reg(b, ext, rm);
}

/* push/pop of a 64-bit register. */
static inline void emit_push(struct ebuf *b, unsigned r)
{
	emit_rex(b, false, 0, r, false);
	emit1(b, (uint8_t)(0x50 | (r & 7)));
}

static inline void emit_pop(struct ebuf *b, unsigned r)
{
	emit_rex(b, false, 0, r, false);
	emit1(b, (uint8_t)(0x58 | (r & 7)));
}

/* call through a register (helpers live anywhere in the address space). */
static inline void emit_call_reg(struct ebuf *b, unsigned r)
{
	emit_rex(b, false, 0, r, false);
	emit1(b, 0xff);
	emit_modrm_reg(b, 2, r);
}

/* jmp through a register. */
static inline void emit_jmp_reg(struct ebuf *b, unsigned r)
{
	emit_rex(b, false, 0, r, false);
	emit1(b, 0xff);
	emit_modrm_reg(b, 4, r);
}

/* x86 condition codes (the low nibble of Jcc). */
enum cc {
	CC_E = 0x4,
	CC_NE = 0x5,
	CC_B = 0x2,
	CC_AE = 0x3,
	CC_BE = 0x6,
	CC_A = 0x7,
	CC_L = 0xc,
	CC_GE = 0xd,
	CC_LE = 0xe,
	CC_G = 0xf,
};

/* A short jump inside one instruction's sequence: emits jcc rel8 (or jmp
 * rel8 for cc < 0) with a zero displacement and returns where to patch. */
static inline size_t emit_jcc8_fwd(struct ebuf *b, int cc)
{
	emit1(b, cc < 0 ? 0xeb : (uint8_t)(0x70 | cc));
	emit1(b, 0);
	return b->len;
}

/* Points the short jump ending at `end` at the current position. */
static inline void patch8_here(struct ebuf *b, size_t end)
{
	size_t d = b->len - end;

	assert(d <= 127);
	if (!b->overflow)
		b->p[end - 1] = (uint8_t)d;
}

#endif
