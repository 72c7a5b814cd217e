/* SPDX-License-Identifier: MIT */
/*
 * Translation of a loaded program to x86-64: one flat switch over the
 * instructions, each compiled to a fixed sequence with the BPF registers
 * in fixed machine registers (jit_int.h), then jumps patched.
 *
 * Layout of the code:
 *   entry      saves the callee-saved registers, takes the run state (r12)
 *              and frame pointer (rbp) from its arguments, zeroes the BPF
 *              registers as the interpreter does, and calls the body;
 *   epilogue   restores and returns r0 (rax);
 *   unwind     resets the native stack to the entry's and returns: how a
 *              violation or an out-of-range LD_ABS ends the run from any
 *              call depth;
 *   body       the instructions, then a stub for falling off the end.
 * Every BPF function, the main one included, is entered by a native call
 * and left by `ret`, so EXIT is one instruction wherever it is and the
 * call depth is the native one, as in the interpreter (which also lets a
 * tail call from a subprogram return to its caller). Inside the body the
 * native stack is 8 mod 16, so helper calls that push r1-r5 (five slots)
 * find it aligned.
 *
 * Jumps: the first pass emits every jump in its near (rel32) form; each
 * later pass picks the short (rel8) form where the previous pass's layout
 * says the displacement fits, until the layout stops changing. Every jump
 * is recorded (where its displacement ends, its target) and patched after
 * the last pass, which also checks each short displacement; should one not
 * fit, or the passes not converge, a final all-near pass is used instead.
 *
 * Constant blinding (opts->harden): an instruction with an immediate is
 * compiled as its register form, the register being r10 (BPF_AUX) loaded
 * with imm ^ key and XORed with key, key random per immediate. Blinded
 * loads have fixed sizes, so the layout does not depend on the keys.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "jit_int.h"

#define MAX_PASSES 16
#define MAX_INSN_BYTES 192 /* more than any instruction's sequence */
#define BYTES_PER_INSN 32  /* first guess of the code size; grown on demand */
/* A local call is refused when this many frames are below the current
 * one: the callee's would be one too many (the interpreter's check). */
#define FRAME_TOP_LIMIT (BPFS_MAX_CALL_FRAMES - 1)

/* Targets of recorded jumps besides instructions (which are >= 0). */
enum {
	LBL_EPILOGUE = -1,
	LBL_UNWIND = -2,
	LBL_UNWIND_ZERO = -3,
	NLABELS = 3,
};

struct jrec {
	uint32_t end;	/* code offset just past the displacement */
	int32_t target; /* instruction index, or LBL_* */
	uint8_t width;	/* 1 or 4 */
};

struct jctx {
	const struct bpf_insn *insns;
	size_t cnt;
	const struct bpfs_image *img;
	struct ebuf b;
	uint32_t *addrs;      /* this pass, cnt + 1 */
	const uint32_t *prev; /* the previous pass's, or NULL: all near */
	uint32_t labels[NLABELS];
	struct jrec *jumps;
	size_t njumps, jcap;
	bool harden;
	uint64_t rnd;
	size_t cur; /* instruction being compiled */
	struct bpfs_err *err;
	int error; /* first negative errno of this pass */
};

/* Rejects what the JIT cannot compile (what: a detail, or NULL). */
static int unsupported(struct jctx *j, const struct bpf_insn *in, const char *what)
{
	if (!j->error)
		j->error = bpfs_err_set(j->err, EOPNOTSUPP, (int)j->cur,
					"JIT: opcode 0x%02x%s%s%s not supported at insn %zu", in->code,
					what ? " (" : "", what ? what : "", what ? ")" : "", j->cur);
	return j->error;
}

static uint64_t next_key(struct jctx *j)
{
	uint64_t z;

	do {
		z = (j->rnd += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
	} while (!(uint32_t)z || !(z >> 32));
	return z;
}

/* ---------------------------------------------------------------------- */
/* Jumps                                                                  */

static int32_t target_prev(const struct jctx *j, int32_t target)
{
	return target >= 0 ? (int32_t)j->prev[target] : (int32_t)j->labels[-target - 1];
}

/* Records a jump whose displacement of `width` bytes ends here. */
static void record(struct jctx *j, int32_t target, uint8_t width)
{
	if (j->njumps == j->jcap) {
		size_t n = j->jcap ? j->jcap * 2 : 64;
		struct jrec *r = realloc(j->jumps, n * sizeof(*r));

		if (!r) {
			if (!j->error)
				j->error = bpfs_err_set(j->err, ENOMEM, -1, "out of memory");
			return;
		}
		j->jumps = r;
		j->jcap = n;
	}
	j->jumps[j->njumps++] = (struct jrec){.end = (uint32_t)j->b.len, .target = target, .width = width};
}

/* jcc (or jmp for cc < 0) to an instruction or label, short when the
 * previous layout says it fits. */
static void emit_jump(struct jctx *j, int cc, int32_t target)
{
	bool near = true;

	if (j->prev) {
		/* where this jump's end was in the previous layout */
		int64_t src = (int64_t)j->prev[j->cur] + ((int64_t)j->b.len - j->addrs[j->cur]) + 2;

		near = !is_imm8(target_prev(j, target) - src);
	}
	if (!near) {
		emit1(&j->b, cc < 0 ? 0xeb : (uint8_t)(0x70 | cc));
		emit1(&j->b, 0);
		record(j, target, 1);
		return;
	}
	if (cc < 0) {
		emit1(&j->b, 0xe9);
	} else {
		emit1(&j->b, 0x0f);
		emit1(&j->b, (uint8_t)(0x80 | cc));
	}
	emit4(&j->b, 0);
	record(j, target, 4);
}

/* call rel32 to an instruction. */
static void emit_call_insn(struct jctx *j, int32_t target)
{
	emit1(&j->b, 0xe8);
	emit4(&j->b, 0);
	record(j, target, 4);
}

/* Fills in every recorded displacement. -ERANGE when a short one does
 * not fit. */
static int patch(struct jctx *j)
{
	for (size_t i = 0; i < j->njumps; i++) {
		const struct jrec *r = &j->jumps[i];
		int64_t tgt = r->target >= 0 ? j->addrs[r->target] : j->labels[-r->target - 1];
		int64_t d = tgt - (int64_t)r->end;

		if (r->width == 1) {
			if (!is_imm8(d))
				return -ERANGE;
			j->b.p[r->end - 1] = (uint8_t)d;
		} else {
			uint32_t v = (uint32_t)(int32_t)d;

			memcpy(&j->b.p[r->end - 4], &v, 4);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Run-state accesses ([r12 + field])                                     */

#define RUN_OFF(f) ((int32_t)offsetof(struct jit_run, f))

/* mov dword [r12 + off], imm32 */
static void emit_run_store32(struct jctx *j, int32_t off, uint32_t imm)
{
	emit_mem(&j->b, 0, false, 0xc7, 0, RUN, off, false);
	emit4(&j->b, imm);
}

/* Stops the run with a violation of `kind` (and bpfs_jit_fault's arg) at
 * the current instruction. */
static void emit_fault_arg(struct jctx *j, enum jit_fault kind, int32_t arg)
{
	struct ebuf *b = &j->b;

	emit_run_store32(j, RUN_OFF(fault_insn), (uint32_t)j->cur);
	emit_mov(b, true, RDI, RUN);
	emit_mov_u32(b, RSI, kind);
	emit_mov_u32(b, RDX, (uint32_t)arg);
	emit_alu_imm(b, 4, true, RSP, -16, false); /* and rsp, -16: we unwind after */
	emit_movabs(b, SCRATCH, (uint64_t)(uintptr_t)bpfs_jit_fault);
	emit_call_reg(b, SCRATCH);
	emit_jump(j, -1, LBL_UNWIND);
}

static void emit_fault(struct jctx *j, enum jit_fault kind)
{
	emit_fault_arg(j, kind, 0);
}

/* The BPF argument registers r1-r5, preserved around calls into C as the
 * interpreter preserves them. Five slots keep the stack aligned. */
static const uint8_t arg_regs[5] = {RDI, RSI, RDX, RCX, R8};

static void push_args(struct ebuf *b)
{
	for (int i = 0; i < 5; i++)
		emit_push(b, arg_regs[i]);
}

static void pop_args(struct ebuf *b)
{
	for (int i = 4; i >= 0; i--)
		emit_pop(b, arg_regs[i]);
}

/* r9 = &run->rc (the helpers' sixth argument); call fn. */
static void emit_helper_call(struct ebuf *b, const void *fn)
{
	emit_mem(b, 0, true, 0x8d, SCRATCH2, RUN, RUN_OFF(rc), false);
	emit_movabs(b, SCRATCH, (uint64_t)(uintptr_t)fn);
	emit_call_reg(b, SCRATCH);
}

/* ---------------------------------------------------------------------- */
/* The entry and the shared stubs                                         */

static const uint8_t saved_regs[6] = {RBP, RBX, R12, R13, R14, R15};

static void emit_prologue(struct jctx *j)
{
	struct ebuf *b = &j->b;
	static const uint8_t zeroed[] = {RAX, RDX, RCX, R8, RBX, R13, R14, R15};

	for (int i = 0; i < 6; i++)
		emit_push(b, saved_regs[i]);
	emit_alu_imm(b, 5, true, RSP, 8, false); /* 16-byte alignment before the call */
	emit_mov(b, true, RUN, RDX);
	emit_mov(b, true, RBP, RCX);
	emit_mem(b, 0, true, 0x89, RSP, RUN, RUN_OFF(saved_rsp), false);
	for (size_t i = 0; i < sizeof(zeroed); i++)
		emit_mov_u32(b, zeroed[i], 0);
	emit_call_insn(j, 0);
	j->labels[-LBL_EPILOGUE - 1] = (uint32_t)b->len;
	emit_alu_imm(b, 0, true, RSP, 8, false);
	for (int i = 5; i >= 0; i--)
		emit_pop(b, saved_regs[i]);
	emit1(b, 0xc3);
	j->labels[-LBL_UNWIND_ZERO - 1] = (uint32_t)b->len;
	emit_mov_u32(b, RAX, 0);
	j->labels[-LBL_UNWIND - 1] = (uint32_t)b->len;
	emit_mem(b, 0, true, 0x8b, RSP, RUN, RUN_OFF(saved_rsp), false);
	/* a short jmp back to the epilogue, resolved here */
	emit1(b, 0xeb);
	emit1(b, (uint8_t)(int8_t)((int32_t)j->labels[-LBL_EPILOGUE - 1] - (int32_t)(b->len + 1)));
}

/* ---------------------------------------------------------------------- */
/* ALU                                                                    */

/* Division and modulo of every kind; the divisor is in r11. x86 divides
 * rdx:rax, which hold BPF r3 and r0: both are parked in r9 and r10 and
 * restored before the result (in r11) lands in dst. Division by zero and,
 * for the signed forms, by -1 (whose INT_MIN case would trap) are
 * branched around the instruction. */
static void emit_div(struct ebuf *b, bool w, bool is_signed, bool mod, unsigned dst)
{
	size_t to_zero, to_neg1 = 0, done[2];

	emit_mov(b, true, SCRATCH2, RAX);
	emit_mov(b, true, R10, RDX);
	if (dst != RAX)
		emit_mov(b, true, RAX, dst);
	emit_rr(b, 0x85, w, SCRATCH, SCRATCH); /* test r11, r11 */
	to_zero = emit_jcc8_fwd(b, CC_E);
	if (is_signed) {
		emit_alu_imm(b, 7, w, SCRATCH, -1, false);
		to_neg1 = emit_jcc8_fwd(b, CC_E);
		if (w)
			emit1(b, 0x48);
		emit1(b, 0x99); /* cqo / cdq */
		emit_unary(b, 7, w, SCRATCH);
	} else {
		emit_mov_u32(b, RDX, 0);
		emit_unary(b, 6, w, SCRATCH);
	}
	emit_mov(b, w, SCRATCH, mod ? RDX : RAX);
	done[0] = emit_jcc8_fwd(b, -1);
	if (is_signed) {
		patch8_here(b, to_neg1);
		if (mod) {
			emit_mov_u32(b, SCRATCH, 0);
		} else {
			emit_mov(b, w, SCRATCH, RAX);
			emit_unary(b, 3, w, SCRATCH);
		}
	}
	done[1] = is_signed ? emit_jcc8_fwd(b, -1) : 0;
	patch8_here(b, to_zero);
	if (mod)
		emit_mov(b, w, SCRATCH, RAX);
	else
		emit_mov_u32(b, SCRATCH, 0);
	patch8_here(b, done[0]);
	if (is_signed)
		patch8_here(b, done[1]);
	emit_mov(b, true, RAX, SCRATCH2);
	emit_mov(b, true, RDX, R10);
	emit_mov(b, w, dst, SCRATCH);
}

/* Shift dst by the register cnt (x86 takes the count in cl, which holds
 * BPF r4: it is parked in r11 unless it is the count itself). The
 * hardware masks the count to 63 or 31, as BPF requires. */
static void emit_shift_reg(struct ebuf *b, unsigned ext, bool w, unsigned dst, unsigned cnt)
{
	if (cnt == RCX) {
		emit_shift_cl(b, ext, w, dst);
		return;
	}
	emit_mov(b, true, SCRATCH, RCX);
	emit_mov(b, true, RCX, cnt);
	if (dst == RCX) {
		emit_shift_cl(b, ext, w, SCRATCH);
		emit_mov(b, true, RCX, SCRATCH);
		return;
	}
	emit_shift_cl(b, ext, w, dst);
	emit_mov(b, true, RCX, SCRATCH);
}

static const uint8_t alu_rr_op[16] = {
    [BPF_ADD >> 4] = 0x01, [BPF_SUB >> 4] = 0x29, [BPF_OR >> 4] = 0x09,
    [BPF_AND >> 4] = 0x21, [BPF_XOR >> 4] = 0x31, [BPF_MOV >> 4] = 0x89,
};
static const uint8_t alu_imm_ext[16] = {
    [BPF_ADD >> 4] = 0, [BPF_SUB >> 4] = 5, [BPF_OR >> 4] = 1, [BPF_AND >> 4] = 4, [BPF_XOR >> 4] = 6,
};
static const uint8_t shift_ext[16] = {[BPF_LSH >> 4] = 4, [BPF_RSH >> 4] = 5, [BPF_ARSH >> 4] = 7};

static int compile_end(struct jctx *j, const struct bpf_insn *in, unsigned d)
{
	struct ebuf *b = &j->b;
	bool swap = BPF_CLASS(in->code) == BPF_ALU64 || BPF_SRC(in->code) == BPF_TO_BE;

	switch (in->imm) {
	case 16:
		if (swap) { /* rol r16, 8 */
			emit1(b, 0x66);
			emit_shift_imm(b, 0, false, d, 8);
		}
		emit_0f_rr(b, 0xb7, false, d, d, false); /* movzx r32, r16 */
		return 0;
	case 32:
	case 64:
		if (!swap) {
			if (in->imm == 32)
				emit_mov(b, false, d, d);
			return 0;
		}
		emit_rex(b, in->imm == 64, 0, d, false);
		emit1(b, 0x0f);
		emit1(b, (uint8_t)(0xc8 | (d & 7))); /* bswap */
		return 0;
	}
	return unsupported(j, in, "byte swap");
}

static int compile_movsx(struct jctx *j, const struct bpf_insn *in, unsigned d, unsigned s, bool w)
{
	struct ebuf *b = &j->b;

	switch (in->off) {
	case 8:
		emit_0f_rr(b, 0xbe, w, d, s, true);
		return 0;
	case 16:
		emit_0f_rr(b, 0xbf, w, d, s, false);
		return 0;
	case 32:
		if (!w)
			break;
		emit_rr(b, 0x63, true, d, s); /* movsxd */
		return 0;
	case 1: /* addr_space_cast (no arenas): to as0 keeps the value, to as1 truncates */
		if (!w)
			break;
		if (in->imm == 1) {
			if (d != s)
				emit_mov(b, true, d, s);
		} else {
			emit_mov(b, false, d, s);
		}
		return 0;
	}
	return unsupported(j, in, "movsx");
}

static int compile_alu(struct jctx *j, const struct bpf_insn *in)
{
	struct ebuf *b = &j->b;
	bool w = BPF_CLASS(in->code) == BPF_ALU64, x = BPF_SRC(in->code) == BPF_X;
	unsigned op = BPF_OP(in->code), d = bpf2x86[in->dst_reg], s = bpf2x86[in->src_reg];
	int32_t imm = in->imm;

	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
		if (x)
			emit_rr(b, alu_rr_op[op >> 4], w, s, d);
		else
			emit_alu_imm(b, alu_imm_ext[op >> 4], w, d, imm, false);
		return 0;
	case BPF_MOV:
		if (x && in->off)
			return compile_movsx(j, in, d, s, w);
		if (x) {
			if (d != s || !w)
				emit_mov(b, w, d, s);
		} else if (w) {
			emit_mov_imm64(b, d, (uint64_t)(int64_t)imm);
		} else {
			emit_mov_u32(b, d, (uint32_t)imm);
		}
		return 0;
	case BPF_MUL:
		if (x) {
			emit_0f_rr(b, 0xaf, w, d, s, false);
		} else {
			emit_rex(b, w, d, d, false);
			emit1(b, is_imm8(imm) ? 0x6b : 0x69);
			emit_modrm_reg(b, d, d);
			emit_bytes(b, (uint32_t)imm, is_imm8(imm) ? 1 : 4);
		}
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (in->off > 1)
			return unsupported(j, in, "division");
		if (x)
			emit_mov(b, w, SCRATCH, s);
		else if (w)
			emit_mov_imm64(b, SCRATCH, (uint64_t)(int64_t)imm);
		else
			emit_mov_u32(b, SCRATCH, (uint32_t)imm);
		emit_div(b, w, in->off == 1, op == BPF_MOD, d);
		return 0;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (x) {
			emit_shift_reg(b, shift_ext[op >> 4], w, d, s);
		} else {
			uint8_t c = (uint8_t)(imm & (w ? 63 : 31));

			if (c)
				emit_shift_imm(b, shift_ext[op >> 4], w, d, c);
			else if (!w)
				emit_mov(b, false, d, d);
		}
		return 0;
	case BPF_NEG:
		emit_unary(b, 3, w, d);
		return 0;
	case BPF_END:
		return compile_end(j, in, d);
	}
	return unsupported(j, in, NULL);
}

/* ---------------------------------------------------------------------- */
/* Jumps and calls                                                        */

static int jcc_of(unsigned op)
{
	switch (op) {
	case BPF_JEQ:
		return CC_E;
	case BPF_JNE:
	case BPF_JSET:
		return CC_NE;
	case BPF_JGT:
		return CC_A;
	case BPF_JGE:
		return CC_AE;
	case BPF_JLT:
		return CC_B;
	case BPF_JLE:
		return CC_BE;
	case BPF_JSGT:
		return CC_G;
	case BPF_JSGE:
		return CC_GE;
	case BPF_JSLT:
		return CC_L;
	case BPF_JSLE:
		return CC_LE;
	}
	return -1;
}

/* A helper call: r1-r5 are already in the argument registers. */
static void compile_call(struct jctx *j, bpfs_helper_fn fn)
{
	struct ebuf *b = &j->b;
	size_t ok;

	push_args(b);
	emit_helper_call(b, (const void *)fn);
	pop_args(b);
	emit_mem(b, 0, false, 0x83, 7, RUN, RUN_OFF(rc.viol), false);
	emit1(b, 0);
	ok = emit_jcc8_fwd(b, CC_E);
	emit_run_store32(j, RUN_OFF(fault_insn), (uint32_t)j->cur);
	emit_jump(j, -1, LBL_UNWIND);
	patch8_here(b, ok);
}

/* bpf_tail_call: the runtime helper looks the target up (and enforces the
 * chain limit); a compiled target is entered at its first instruction
 * with the same frame, registers and call depth, and a fresh may_goto
 * budget. r0-r5 survive a call that falls through. */
static void compile_tail_call(struct jctx *j, bpfs_helper_fn fn)
{
	struct ebuf *b = &j->b;
	size_t none, bad;

	emit_push(b, RAX);
	push_args(b);
	emit_alu_imm(b, 5, true, RSP, 8, false);
	emit_mov_u32(b, RCX, 0);
	emit_mov_u32(b, R8, 0);
	emit_helper_call(b, (const void *)fn);
	emit_alu_imm(b, 0, true, RSP, 8, false);
	pop_args(b);
	emit_pop(b, RAX);
	emit_mem(b, 0, true, 0x8b, SCRATCH, RUN, RUN_OFF(rc.tail_target), false);
	emit_rr(b, 0x85, true, SCRATCH, SCRATCH);
	none = emit_jcc8_fwd(b, CC_E);
	emit_mem(b, 0, false, 0x81, 7, SCRATCH, (int32_t)offsetof(struct bpfs_jit, magic), false);
	emit4(b, JIT_MAGIC);
	bad = emit_jcc8_fwd(b, CC_NE);
	emit_mem(b, 0, true, 0x8b, SCRATCH, SCRATCH, (int32_t)offsetof(struct bpfs_jit, body), false);
	emit_run_store32(j, RUN_OFF(loops), BPFS_MAX_LOOPS);
	emit_jmp_reg(b, SCRATCH);
	patch8_here(b, bad);
	emit_fault(j, JIT_FAULT_TARGET);
	patch8_here(b, none);
}

/* A local call: a new 512-byte frame below the caller's, r6-r9 and the
 * caller's may_goto budget saved on the native stack (five slots plus the
 * return address keep the alignment), at most BPFS_MAX_CALL_FRAMES deep. */
static void compile_local_call(struct jctx *j, int32_t target)
{
	struct ebuf *b = &j->b;
	static const uint8_t callee_saved[4] = {RBX, R13, R14, R15};
	size_t ok;

	emit_mem(b, 0, false, 0x83, 7, RUN, RUN_OFF(depth), false);
	emit1(b, FRAME_TOP_LIMIT);
	ok = emit_jcc8_fwd(b, CC_B);
	emit_fault(j, JIT_FAULT_DEPTH);
	patch8_here(b, ok);
	for (int i = 0; i < 4; i++)
		emit_push(b, callee_saved[i]);
	emit_mem(b, 0, false, 0xff, 6, RUN, RUN_OFF(loops), false); /* push [loops] and [depth] */
	emit_mem(b, 0, false, 0xff, 0, RUN, RUN_OFF(depth), false); /* inc [depth] */
	emit_run_store32(j, RUN_OFF(loops), BPFS_MAX_LOOPS);
	emit_alu_imm(b, 5, true, RBP, BPFS_STACK_SIZE, false);
	emit_call_insn(j, target);
	emit_alu_imm(b, 0, true, RBP, BPFS_STACK_SIZE, false);
	/* pop [loops]: the saved qword also restores depth */
	emit_mem(b, 0, false, 0x8f, 0, RUN, RUN_OFF(loops), false);
	for (int i = 3; i >= 0; i--)
		emit_pop(b, callee_saved[i]);
}

static int compile_jmp(struct jctx *j, const struct bpf_insn *in)
{
	struct ebuf *b = &j->b;
	bool w = BPF_CLASS(in->code) == BPF_JMP, x = BPF_SRC(in->code) == BPF_X;
	unsigned op = BPF_OP(in->code), d = bpf2x86[in->dst_reg], s = bpf2x86[in->src_reg];
	int64_t t;

	switch (op) {
	case BPF_EXIT:
		emit1(b, 0xc3);
		return 0;
	case BPF_CALL: {
		const struct bpfs_helper *h;

		if (x)
			return unsupported(j, in, NULL);
		if (in->src_reg == BPF_PSEUDO_CALL) {
			compile_local_call(j, (int32_t)bpfs_insn_jump_target(j->insns, j->cur));
			return 0;
		}
		h = in->src_reg ? NULL : bpfs_helper_get(in->imm);
		if (!h && !in->src_reg && bpfs_helper_name(in->imm)) {
			/* loaded by the interpreter's loader: a kernel helper
			 * the runtime lacks, which fails the run there */
			emit_fault_arg(j, JIT_FAULT_HELPER, in->imm);
			return 0;
		}
		if (!h)
			return unsupported(j, in, "call");
		if (in->imm == BPF_FUNC_tail_call)
			compile_tail_call(j, h->fn);
		else
			compile_call(j, h->fn);
		return 0;
	}
	}
	t = bpfs_insn_jump_target(j->insns, j->cur);
	if (t < 0 || (size_t)t >= j->cnt)
		return unsupported(j, in, "jump");
	switch (op) {
	case BPF_JA:
		if ((size_t)t != j->cur + 1)
			emit_jump(j, -1, (int32_t)t);
		return 0;
	case BPF_JCOND: /* may_goto */
		emit_mem(b, 0, false, 0x83, 7, RUN, RUN_OFF(loops), false);
		emit1(b, 0);
		emit_jump(j, CC_E, (int32_t)t);
		emit_mem(b, 0, false, 0xff, 1, RUN, RUN_OFF(loops), false); /* dec [loops] */
		return 0;
	}
	if (jcc_of(op) < 0)
		return unsupported(j, in, NULL);
	if (x) {
		emit_rr(b, op == BPF_JSET ? 0x85 : 0x39, w, s, d);
	} else if (op == BPF_JSET) {
		emit_rex(b, w, 0, d, false);
		emit1(b, 0xf7);
		emit_modrm_reg(b, 0, d);
		emit4(b, (uint32_t)in->imm);
	} else if (!in->imm && (op == BPF_JEQ || op == BPF_JNE)) {
		emit_rr(b, 0x85, w, d, d);
	} else {
		emit_alu_imm(b, 7, w, d, in->imm, false);
	}
	emit_jump(j, jcc_of(op), (int32_t)t);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Memory                                                                 */

/* lock-prefixed read-modify-write with the old value wanted (or, and,
 * xor): a cmpxchg loop, which needs rax (BPF r0, parked in r9). */
static void emit_fetch_loop(struct ebuf *b, uint8_t opcode, bool w, unsigned d, unsigned s, int16_t off)
{
	unsigned src = s == RAX ? SCRATCH2 : s;
	size_t loop;

	emit_mem(b, 0, true, 0x8d, SCRATCH, d, off, false); /* lea r11, [dst + off] */
	emit_mov(b, true, SCRATCH2, RAX);
	emit_mem(b, 0, w, 0x8b, RAX, SCRATCH, 0, false);
	loop = b->len;
	emit_mov(b, w, R10, RAX);
	emit_rr(b, opcode, w, src, R10);
	emit_mem(b, 0xf0, w, 0x0fb1, R10, SCRATCH, 0, false); /* lock cmpxchg */
	emit1(b, 0x70 | CC_NE);
	emit1(b, (uint8_t)(int8_t)((int64_t)loop - (int64_t)(b->len + 1)));
	if (s != RAX) {
		emit_mov(b, w, s, RAX);
		emit_mov(b, true, RAX, SCRATCH2);
	}
}

static int compile_atomic(struct jctx *j, const struct bpf_insn *in)
{
	struct ebuf *b = &j->b;
	bool w = BPF_SIZE(in->code) == BPF_DW;
	unsigned d = bpf2x86[in->dst_reg], s = bpf2x86[in->src_reg];
	uint8_t rr_op = 0;

	if (!w && BPF_SIZE(in->code) != BPF_W)
		return unsupported(j, in, "atomic");
	switch (in->imm & ~BPF_FETCH) {
	case BPF_ADD:
		rr_op = 0x01;
		break;
	case BPF_OR:
		rr_op = 0x09;
		break;
	case BPF_AND:
		rr_op = 0x21;
		break;
	case BPF_XOR:
		rr_op = 0x31;
		break;
	}
	if (in->imm == BPF_XCHG) {
		emit_mem(b, 0, w, 0x87, s, d, in->off, false);
	} else if (in->imm == BPF_CMPXCHG) {
		emit_mem(b, 0xf0, w, 0x0fb1, s, d, in->off, false);
		if (!w) /* a successful 32-bit cmpxchg leaves rax's upper half */
			emit_mov(b, false, RAX, RAX);
	} else if (!rr_op) {
		return unsupported(j, in, "atomic");
	} else if (!(in->imm & BPF_FETCH)) {
		emit_mem(b, 0xf0, w, rr_op, s, d, in->off, false);
	} else if (rr_op == 0x01) {
		emit_mem(b, 0xf0, w, 0x0fc1, s, d, in->off, false); /* lock xadd */
	} else {
		emit_fetch_loop(b, rr_op, w, d, s, in->off);
	}
	return 0;
}

static int compile_mem(struct jctx *j, const struct bpf_insn *in)
{
	static const uint16_t ldx_op[4] = {0x8b, 0x0fb7, 0x0fb6, 0x8b}; /* W H B DW */
	static const uint16_t ldsx_op[3] = {0x63, 0x0fbf, 0x0fbe};	/* W H B */
	struct ebuf *b = &j->b;
	unsigned sz = BPF_SIZE(in->code) >> 3, mode = BPF_MODE(in->code);
	unsigned d = bpf2x86[in->dst_reg], s = bpf2x86[in->src_reg];
	bool dw = BPF_SIZE(in->code) == BPF_DW;

	switch (BPF_CLASS(in->code)) {
	case BPF_LDX: {
		const struct bpfs_image_insn *info = bpfs_image_insn(j->img, j->cur);

		if (info->ctx_ptr >= 0) {
			emit_mem(b, 0, true, 0x8b, d, RUN, RUN_OFF(ptrs) + 8 * info->ctx_ptr, false);
			return 0;
		}
		if (mode == BPF_MEM)
			emit_mem(b, 0, dw, ldx_op[sz], d, s, in->off, false);
		else if (mode == BPF_MEMSX && !dw)
			emit_mem(b, 0, true, ldsx_op[sz], d, s, in->off, false);
		else
			return unsupported(j, in, "load");
		return 0;
	}
	case BPF_ST:
		if (mode != BPF_MEM)
			return unsupported(j, in, "store");
		emit_mem(b, sz == (BPF_H >> 3) ? 0x66 : 0, dw, sz == (BPF_B >> 3) ? 0xc6 : 0xc7, 0, d,
			 in->off, false);
		emit_bytes(b, (uint32_t)in->imm, sz == (BPF_B >> 3) ? 1 : sz == (BPF_H >> 3) ? 2 : 4);
		return 0;
	case BPF_STX:
		/* x86-64 orders loads and stores strongly enough (TSO): a
		 * load-acquire is a load, a store-release a store */
		if (mode == BPF_ATOMIC && in->imm == BPF_LOAD_ACQ) {
			emit_mem(b, 0, dw, ldx_op[sz], d, s, in->off, false);
			return 0;
		}
		if (mode == BPF_ATOMIC && in->imm != BPF_STORE_REL)
			return compile_atomic(j, in);
		if (mode != BPF_MEM && mode != BPF_ATOMIC)
			return unsupported(j, in, "store");
		emit_mem(b, sz == (BPF_H >> 3) ? 0x66 : 0, dw, sz == (BPF_B >> 3) ? 0x88 : 0x89, s, d,
			 in->off, sz == (BPF_B >> 3));
		return 0;
	}
	return unsupported(j, in, NULL);
}

/* LD_ABS/LD_IND: the offset (32-bit, src + imm for LD_IND) goes to a C
 * routine that bounds-checks it against the packet; out of range, the run
 * ends with r0 = 0. Only r0 changes. */
static int compile_ldpkt(struct jctx *j, const struct bpf_insn *in, bool blinded)
{
	struct ebuf *b = &j->b;
	unsigned size = BPF_SIZE(in->code) == BPF_B ? 1 : BPF_SIZE(in->code) == BPF_H ? 2 : 4;

	if (BPF_SIZE(in->code) == BPF_DW)
		return unsupported(j, in, "packet load");
	if (BPF_MODE(in->code) == BPF_IND) {
		emit_mov(b, false, SCRATCH, bpf2x86[in->src_reg]);
		if (blinded)
			emit_rr(b, 0x01, false, R10, SCRATCH);
		else
			emit_alu_imm(b, 0, false, SCRATCH, in->imm, false);
	} else if (blinded) {
		emit_mov(b, false, SCRATCH, R10);
	} else {
		emit_mov_u32(b, SCRATCH, (uint32_t)in->imm);
	}
	push_args(b);
	emit_mov(b, true, RDI, RUN);
	emit_mov(b, false, RSI, SCRATCH);
	emit_mov_u32(b, RDX, size);
	emit_movabs(b, SCRATCH, (uint64_t)(uintptr_t)bpfs_jit_load_packet);
	emit_call_reg(b, SCRATCH);
	pop_args(b);
	emit_mem(b, 0, false, 0x80, 7, RUN, RUN_OFF(ld_abs_fault), false);
	emit1(b, 0);
	emit_jump(j, CC_NE, LBL_UNWIND_ZERO);
	return 0;
}

static int compile_lddw(struct jctx *j, const struct bpf_insn *in)
{
	struct ebuf *b = &j->b;
	const struct bpfs_image_insn *info = bpfs_image_insn(j->img, j->cur);
	unsigned d = bpf2x86[in->dst_reg];

	if (info->func_ref)
		return unsupported(j, in, "LD_IMM64 of a function address");
	if (j->harden) {
		uint64_t key = next_key(j);

		emit_movabs(b, d, info->imm64 ^ key);
		emit_movabs(b, R10, key);
		emit_rr(b, 0x31, true, R10, d);
	} else {
		emit_mov_imm64(b, d, info->imm64);
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Blinding                                                               */

/* Does the instruction carry a data immediate that blinding moves into
 * BPF_AUX (turning it into the register form)? */
static bool has_blindable_imm(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return BPF_SRC(in->code) == BPF_K && op != BPF_NEG && op != BPF_END;
	case BPF_JMP:
	case BPF_JMP32:
		return BPF_SRC(in->code) == BPF_K && op != BPF_JA && op != BPF_CALL && op != BPF_EXIT &&
		       op != BPF_JCOND;
	case BPF_ST:
		return BPF_MODE(in->code) == BPF_MEM;
	case BPF_LD:
		return BPF_MODE(in->code) == BPF_ABS || BPF_MODE(in->code) == BPF_IND;
	}
	return false;
}

/* r10 = imm ^ key; r10 ^= key: 64-bit sign-extended, or 32-bit. */
static void emit_blinded_imm(struct jctx *j, int32_t imm, bool w)
{
	uint32_t key = (uint32_t)next_key(j);

	if (w) {
		emit_mov_simm32_fixed(&j->b, true, R10, (int32_t)((uint32_t)imm ^ key));
	} else {
		emit_rex(&j->b, false, 0, R10, false);
		emit1(&j->b, 0xb8 | (R10 & 7));
		emit4(&j->b, (uint32_t)imm ^ key);
	}
	emit_alu_imm(&j->b, 6, w, R10, (int32_t)key, true);
}

/* Rewrites in (a copy) into its register form over BPF_AUX after loading
 * the blinded immediate. */
static void blind(struct jctx *j, struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_JMP:
	case BPF_JMP32:
		emit_blinded_imm(j, in->imm, cls == BPF_ALU64 || cls == BPF_JMP);
		in->code |= BPF_X;
		in->src_reg = BPF_AUX;
		if (BPF_OP(in->code) == BPF_MOV)
			in->off = 0;
		break;
	case BPF_ST:
		emit_blinded_imm(j, in->imm, true);
		in->code = (uint8_t)(BPF_STX | BPF_MEM | BPF_SIZE(in->code));
		in->src_reg = BPF_AUX;
		break;
	case BPF_LD:
		emit_blinded_imm(j, in->imm, false);
		break;
	}
	in->imm = 0;
}

/* ---------------------------------------------------------------------- */
/* Passes                                                                 */

static int compile_insn(struct jctx *j, const struct bpf_insn *orig)
{
	struct bpf_insn in = *orig;
	bool blinded = false;

	if (j->harden && has_blindable_imm(&in)) {
		blind(j, &in);
		blinded = true;
	}
	switch (BPF_CLASS(in.code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return compile_alu(j, &in);
	case BPF_JMP:
	case BPF_JMP32:
		return compile_jmp(j, &in);
	case BPF_LD:
		if (bpfs_insn_is_ldimm64(&in))
			return compile_lddw(j, &in);
		if (BPF_MODE(in.code) == BPF_ABS || BPF_MODE(in.code) == BPF_IND)
			return compile_ldpkt(j, &in, blinded);
		break;
	default:
		return compile_mem(j, &in);
	}
	return unsupported(j, &in, NULL);
}

/* One pass over the whole program into j->b: 0, a negative errno, or 1
 * when the code did not fit the buffer. */
static int emit_all(struct jctx *j)
{
	j->b.len = 0;
	j->b.overflow = false;
	j->njumps = 0;
	j->error = 0;
	j->cur = 0;
	emit_prologue(j);
	for (size_t i = 0; i < j->cnt && !j->error; i++) {
		const struct bpf_insn *in = &j->insns[i];

		j->cur = i;
		j->addrs[i] = (uint32_t)j->b.len;
		compile_insn(j, in);
		assert(j->b.overflow || j->b.len - j->addrs[i] <= MAX_INSN_BYTES);
		if (bpfs_insn_is_ldimm64(in) && i + 1 < j->cnt)
			j->addrs[++i] = (uint32_t)j->b.len;
		if (i + 1 < j->cnt)
			j->addrs[i + 1] = (uint32_t)j->b.len;
	}
	if (j->error)
		return j->error;
	j->cur = j->cnt;
	j->addrs[j->cnt] = (uint32_t)j->b.len;
	emit_fault(j, JIT_FAULT_FALLOFF);
	if (j->error)
		return j->error;
	return j->b.overflow ? 1 : 0;
}

/* One pass, growing the buffer until the code fits. */
static int emit_pass(struct jctx *j)
{
	int ret;

	while ((ret = emit_all(j)) == 1) {
		uint8_t *p = realloc(j->b.p, j->b.cap * 2);

		if (!p)
			return bpfs_err_set(j->err, ENOMEM, -1, "out of memory");
		j->b.p = p;
		j->b.cap *= 2;
	}
	return ret;
}

/* Moves the code into its own mapping, read+execute once written. */
static int install(struct bpfs_jit *jit, const struct ebuf *b, struct bpfs_err *err)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (b->len + (size_t)page - 1) & ~((size_t)page - 1);
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return bpfs_err_set(err, errno, -1, "JIT: cannot map %zu bytes of code", len);
	memcpy(m, b->p, b->len);
	if (mprotect(m, len, PROT_READ | PROT_EXEC)) {
		int e = errno;

		munmap(m, len);
		return bpfs_err_set(err, e, -1, "JIT: cannot make the code executable");
	}
	jit->code = m;
	jit->map_len = len;
	jit->len = b->len;
	return 0;
}

int bpfs_jit_translate(struct bpfs_jit *jit, struct bpfs_err *err)
{
	size_t cnt;
	const struct bpf_insn *insns = bpfs_image_insns(jit->img, &cnt);
	struct jctx j = {.insns = insns, .cnt = cnt, .img = jit->img, .harden = jit->harden, .err = err};
	uint32_t *prev = NULL;
	bool converged = false;
	int ret;

	if (jit->harden && getrandom(&j.rnd, sizeof(j.rnd), 0) != sizeof(j.rnd))
		j.rnd = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&j;
	j.b.cap = cnt * BYTES_PER_INSN + 1024;
	j.b.p = malloc(j.b.cap);
	j.addrs = calloc(cnt + 1, sizeof(*j.addrs));
	prev = calloc(cnt + 1, sizeof(*prev));
	if (!j.b.p || !j.addrs || !prev) {
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
		goto out;
	}
	for (int pass = 0; pass < MAX_PASSES && !converged; pass++) {
		ret = emit_pass(&j);
		if (ret)
			goto out;
		converged = j.prev && !memcmp(prev, j.addrs, (cnt + 1) * sizeof(*prev));
		memcpy(prev, j.addrs, (cnt + 1) * sizeof(*prev));
		j.prev = prev;
	}
	if (!converged || patch(&j)) {
		j.prev = NULL;
		ret = emit_pass(&j);
		if (!ret && patch(&j))
			ret = bpfs_err_set(err, EFAULT, -1, "JIT: a near jump does not fit");
		if (ret)
			goto out;
	}
	ret = install(jit, &j.b, err);
	if (ret)
		goto out;
	jit->body = jit->code + j.addrs[0];
	jit->addrs = j.addrs;
	j.addrs = NULL;
out:
	free(j.b.p);
	free(j.addrs);
	free(j.jumps);
	free(prev);
	return ret;
}
