/* SPDX-License-Identifier: MIT */
/*
 * Disassembly in three syntaxes: the kernel verifier log, LLVM's BPF
 * assembly and the bpf_conformance/uBPF dialect. ir/SYNTAX.md lists every
 * form; the assembler reads the LLVM and conformance text back to the same
 * bytes, so any change here must be made there too.
 *
 * Kernel syntax is what print_bpf_insn() in kernel/bpf/disasm.c writes for
 * an instruction that has not been rewritten by the verifier. LLVM syntax is
 * what llvm-objdump -d prints (LLVM 17+ forms for sdiv/smod, movsx, memsx,
 * bswap, gotol and ST), except where LLVM's text loses bits:
 *
 *   call pc+N                    local call (src_reg 1); LLVM prints "call N"
 *   call kfunc[I] / [I][+O]      kfunc call (src_reg 2), O the BTF fd index
 *   r0 = *(u8 *)skb[r3 + 12]     LD_IND with a non-zero imm
 *   r1 = map[3] ll               LD_IMM64 with src_reg 1 (BPF_PSEUDO_MAP_FD)
 *   r1 = map_value[3][+16] ll    src_reg 2: map 3, offset 16 (second imm)
 *   r1 = btf_id[7] ll            src_reg 3
 *   r1 = func[+4] ll             src_reg 4: insn offset from the next insn
 *   r1 = map_idx[3] ll           src_reg 5
 *   r1 = map_idx_value[3][+16] ll  src_reg 6
 *   r1 = pseudo7[3][+0] ll       any other src_reg
 *
 * map, btf_id, func and map_idx show a second "[+K]" only when the second
 * slot's imm is not zero. The conformance dialect uses the same pseudo forms
 * as the operand of lddw: "lddw %r1, map[3]".
 *
 * Opcodes outside the kernel's table, and atomics with an unknown operation,
 * print as "invalid insn code=0xNN".
 */
#include "insn_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output buffer: appends, truncating silently (the caller sized it). */
struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos = o->pos + (size_t)n < o->len ? o->pos + (size_t)n : o->len - 1;
}

/* ---------------------------------------------------------------------- */
/* Shared pieces                                                          */

static const char *const kernel_alu_ops[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian",
};

static const char *const jmp_ops[16] = {
	"jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=",
};

static const char *size_type(uint8_t code, bool sign)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return sign ? "s8" : "u8";
	case BPF_H:
		return sign ? "s16" : "u16";
	case BPF_W:
		return sign ? "s32" : "u32";
	default:
		return sign ? "s64" : "u64";
	}
}


static bool is_signed_divmod(const struct bpf_insn *insn)
{
	return (BPF_OP(insn->code) == BPF_DIV || BPF_OP(insn->code) == BPF_MOD) && insn->off == 1;
}

static bool is_movsx(const struct bpf_insn *insn)
{
	return BPF_OP(insn->code) == BPF_MOV && BPF_SRC(insn->code) == BPF_X &&
	       (insn->off == 8 || insn->off == 16 || insn->off == 32);
}

static bool is_addr_space_cast(const struct bpf_insn *insn)
{
	return insn->code == (BPF_ALU64 | BPF_MOV | BPF_X) && insn->off == BPFS_ADDR_SPACE_CAST;
}

static bool atomic_known(int32_t imm)
{
	switch (imm) {
	case BPF_ADD:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
	case BPF_LOAD_ACQ:
	case BPF_STORE_REL:
		return true;
	}
	return false;
}

static uint64_t ldimm64_value(const struct bpf_insn *insn)
{
	return ((uint64_t)(uint32_t)insn[1].imm << 32) | (uint32_t)insn[0].imm;
}

/* The pseudo LD_IMM64 operand shared by the LLVM and conformance syntax. */
static void put_pseudo(struct out *o, const struct bpf_insn *insn)
{
	static const char *const names[] = {
		[BPF_PSEUDO_MAP_FD] = "map",          [BPF_PSEUDO_MAP_VALUE] = "map_value",
		[BPF_PSEUDO_BTF_ID] = "btf_id",       [BPF_PSEUDO_FUNC] = "func",
		[BPF_PSEUDO_MAP_IDX] = "map_idx",     [BPF_PSEUDO_MAP_IDX_VALUE] = "map_idx_value",
	};
	uint8_t src = insn->src_reg;
	bool always = src == BPF_PSEUDO_MAP_VALUE || src == BPF_PSEUDO_MAP_IDX_VALUE || src > 6;

	if (src <= 6)
		put(o, "%s", names[src]);
	else
		put(o, "pseudo%u", src);
	if (src == BPF_PSEUDO_FUNC)
		put(o, "[%+d]", insn->imm);
	else
		put(o, "[%d]", insn->imm);
	if (always || insn[1].imm)
		put(o, "[%+d]", insn[1].imm);
}

/* ---------------------------------------------------------------------- */
/* Kernel verifier log                                                    */

static void kernel_alu(struct out *o, const struct bpf_insn *insn)
{
	char r = BPF_CLASS(insn->code) == BPF_ALU ? 'w' : 'r';
	uint8_t op = BPF_OP(insn->code);
	const char *opstr = is_signed_divmod(insn) ? (op == BPF_DIV ? "s/=" : "s%=") : kernel_alu_ops[op >> 4];

	if (op == BPF_END && r == 'r')
		put(o, "r%u = bswap%d r%u", insn->dst_reg, insn->imm, insn->dst_reg);
	else if (op == BPF_END)
		put(o, "r%u = %s%d r%u", insn->dst_reg, BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le",
		    insn->imm, insn->dst_reg);
	else if (op == BPF_NEG)
		put(o, "%c%u = -%c%u", r, insn->dst_reg, r, insn->dst_reg);
	else if (is_addr_space_cast(insn))
		put(o, "r%u = addr_space_cast(r%u, %u, %u)", insn->dst_reg, insn->src_reg,
		    (uint32_t)insn->imm >> 16, (uint16_t)insn->imm);
	else if (BPF_SRC(insn->code) == BPF_X)
		put(o, "%c%u %s %s%c%u", r, insn->dst_reg, opstr,
		    is_movsx(insn) ? (insn->off == 8 ? "(s8)" : insn->off == 16 ? "(s16)" : "(s32)") : "", r,
		    insn->src_reg);
	else
		put(o, "%c%u %s %d", r, insn->dst_reg, opstr, insn->imm);
}

static void kernel_atomic(struct out *o, const struct bpf_insn *insn)
{
	const char *t = size_type(insn->code, false);
	const char *w = BPF_SIZE(insn->code) == BPF_DW ? "64" : "";

	if (insn->imm == BPF_LOAD_ACQ)
		put(o, "r%u = load_acquire((%s *)(r%u %+d))", insn->dst_reg, t, insn->src_reg, insn->off);
	else if (insn->imm == BPF_STORE_REL)
		put(o, "store_release((%s *)(r%u %+d), r%u)", t, insn->dst_reg, insn->off, insn->src_reg);
	else if (insn->imm == BPF_XCHG)
		put(o, "r%u = atomic%s_xchg((%s *)(r%u %+d), r%u)", insn->src_reg, w, t, insn->dst_reg,
		    insn->off, insn->src_reg);
	else if (insn->imm == BPF_CMPXCHG)
		put(o, "r0 = atomic%s_cmpxchg((%s *)(r%u %+d), r0, r%u)", w, t, insn->dst_reg, insn->off,
		    insn->src_reg);
	else if (insn->imm & BPF_FETCH)
		put(o, "r%u = atomic%s_fetch_%s((%s *)(r%u %+d), r%u)", insn->src_reg, w,
		    bpfs_atomic_op_name(insn->imm), t, insn->dst_reg, insn->off, insn->src_reg);
	else
		put(o, "lock *(%s *)(r%u %+d) %s r%u", t, insn->dst_reg, insn->off,
		    kernel_alu_ops[BPF_OP(insn->imm) >> 4], insn->src_reg);
}

static void kernel_call(struct out *o, const struct bpf_insn *insn)
{
	const char *name;

	if (insn->src_reg == BPF_PSEUDO_CALL) {
		put(o, "call pc%+d", insn->imm);
	} else if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		put(o, "call kernel-function#%d", insn->imm);
	} else {
		name = bpfs_helper_name(insn->imm);
		if (name)
			put(o, "call bpf_%s#%d", name, insn->imm);
		else
			put(o, "call unknown#%d", insn->imm);
	}
}

static void kernel_jmp(struct out *o, const struct bpf_insn *insn)
{
	char r = BPF_CLASS(insn->code) == BPF_JMP32 ? 'w' : 'r';
	uint8_t op = BPF_OP(insn->code);

	if (op == BPF_CALL)
		kernel_call(o, insn);
	else if (insn->code == (BPF_JMP | BPF_JA))
		put(o, "goto pc%+d", insn->off);
	else if (insn->code == (BPF_JMP32 | BPF_JA))
		put(o, "gotol pc%+d", insn->imm);
	else if (insn->code == (BPF_JMP | BPF_JCOND))
		put(o, "may_goto pc%+d", insn->off);
	else if (op == BPF_EXIT)
		put(o, "exit");
	else if (BPF_SRC(insn->code) == BPF_X)
		put(o, "if %c%u %s %c%u goto pc%+d", r, insn->dst_reg, jmp_ops[op >> 4], r, insn->src_reg,
		    insn->off);
	else
		put(o, "if %c%u %s 0x%x goto pc%+d", r, insn->dst_reg, jmp_ops[op >> 4], (uint32_t)insn->imm,
		    insn->off);
}

static void disasm_kernel(struct out *o, const struct bpf_insn *insn)
{
	uint8_t code = insn->code;

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		kernel_alu(o, insn);
		break;
	case BPF_LDX:
		put(o, "r%u = *(%s *)(r%u %+d)", insn->dst_reg, size_type(code, BPF_MODE(code) == BPF_MEMSX),
		    insn->src_reg, insn->off);
		break;
	case BPF_ST:
		put(o, "*(%s *)(r%u %+d) = %d", size_type(code, false), insn->dst_reg, insn->off, insn->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(code) == BPF_ATOMIC)
			kernel_atomic(o, insn);
		else
			put(o, "*(%s *)(r%u %+d) = r%u", size_type(code, false), insn->dst_reg, insn->off,
			    insn->src_reg);
		break;
	case BPF_LD:
		if (BPF_MODE(code) == BPF_ABS)
			put(o, "r0 = *(%s *)skb[%d]", size_type(code, false), insn->imm);
		else if (BPF_MODE(code) == BPF_IND)
			put(o, "r0 = *(%s *)skb[r%u + %d]", size_type(code, false), insn->src_reg, insn->imm);
		else
			put(o, "r%u = 0x%" PRIx64, insn->dst_reg, ldimm64_value(insn));
		break;
	default:
		kernel_jmp(o, insn);
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* LLVM                                                                   */

/* "(r10 - 8)" and "(r1 + 0)": LLVM's memory operand. */
static void llvm_addr(struct out *o, uint8_t reg, int16_t off)
{
	if (off < 0)
		put(o, "r%u - %d", reg, -(int)off);
	else
		put(o, "r%u + %d", reg, off);
}

static void llvm_alu(struct out *o, const struct bpf_insn *insn)
{
	char r = BPF_CLASS(insn->code) == BPF_ALU ? 'w' : 'r';
	uint8_t op = BPF_OP(insn->code);
	const char *opstr = is_signed_divmod(insn) ? (op == BPF_DIV ? "s/=" : "s%=") : kernel_alu_ops[op >> 4];

	if (op == BPF_END && r == 'r')
		put(o, "r%u = bswap%d r%u", insn->dst_reg, insn->imm, insn->dst_reg);
	else if (op == BPF_END)
		put(o, "r%u = %s%d r%u", insn->dst_reg, BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le",
		    insn->imm, insn->dst_reg);
	else if (op == BPF_NEG)
		put(o, "%c%u = -%c%u", r, insn->dst_reg, r, insn->dst_reg);
	else if (is_addr_space_cast(insn))
		put(o, "r%u = addr_space_cast(r%u, %u, %u)", insn->dst_reg, insn->src_reg,
		    (uint32_t)insn->imm >> 16, (uint16_t)insn->imm);
	else if (is_movsx(insn))
		put(o, "%c%u = (s%d)%c%u", r, insn->dst_reg, insn->off, r, insn->src_reg);
	else if (BPF_SRC(insn->code) == BPF_X)
		put(o, "%c%u %s %c%u", r, insn->dst_reg, opstr, r, insn->src_reg);
	else
		put(o, "%c%u %s %d", r, insn->dst_reg, opstr, insn->imm);
}

static void llvm_atomic(struct out *o, const struct bpf_insn *insn)
{
	bool dw = BPF_SIZE(insn->code) == BPF_DW;
	char r = dw ? 'r' : 'w';

	if (insn->imm == BPF_LOAD_ACQ) {
		put(o, "%c%u = load_acquire((%s *)(", r, insn->dst_reg, size_type(insn->code, false));
		llvm_addr(o, insn->src_reg, insn->off);
		put(o, "))");
	} else if (insn->imm == BPF_STORE_REL) {
		put(o, "store_release((%s *)(", size_type(insn->code, false));
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, "), %c%u)", r, insn->src_reg);
	} else if (insn->imm == BPF_XCHG) {
		put(o, "%c%u = %s(", r, insn->src_reg, dw ? "xchg_64" : "xchg32_32");
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, ", %c%u)", r, insn->src_reg);
	} else if (insn->imm == BPF_CMPXCHG) {
		put(o, "%c0 = %s(", r, dw ? "cmpxchg_64" : "cmpxchg32_32");
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, ", %c0, %c%u)", r, r, insn->src_reg);
	} else if (insn->imm & BPF_FETCH) {
		put(o, "%c%u = atomic_fetch_%s((%s *)(", r, insn->src_reg, bpfs_atomic_op_name(insn->imm),
		    size_type(insn->code, false));
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, "), %c%u)", r, insn->src_reg);
	} else {
		/* A 32-bit add is LLVM's old XADDW and names the 64-bit register. */
		if (insn->imm == BPF_ADD)
			r = 'r';
		put(o, "lock *(%s *)(", size_type(insn->code, false));
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, ") %s %c%u", kernel_alu_ops[BPF_OP(insn->imm) >> 4], r, insn->src_reg);
	}
}

static void llvm_jmp(struct out *o, const struct bpf_insn *insn)
{
	char r = BPF_CLASS(insn->code) == BPF_JMP32 ? 'w' : 'r';
	uint8_t op = BPF_OP(insn->code);

	if (op == BPF_CALL && insn->src_reg == BPF_PSEUDO_CALL) {
		put(o, "call pc%+d", insn->imm);
	} else if (op == BPF_CALL && insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		put(o, "call kfunc[%d]", insn->imm);
		if (insn->off)
			put(o, "[%+d]", insn->off);
	} else if (op == BPF_CALL) {
		put(o, "call %d", insn->imm);
	} else if (insn->code == (BPF_JMP | BPF_JA)) {
		put(o, "goto %+d", insn->off);
	} else if (insn->code == (BPF_JMP32 | BPF_JA)) {
		put(o, "gotol %+d", insn->imm);
	} else if (insn->code == (BPF_JMP | BPF_JCOND)) {
		put(o, "may_goto %+d", insn->off);
	} else if (op == BPF_EXIT) {
		put(o, "exit");
	} else if (BPF_SRC(insn->code) == BPF_X) {
		put(o, "if %c%u %s %c%u goto %+d", r, insn->dst_reg, jmp_ops[op >> 4], r, insn->src_reg,
		    insn->off);
	} else {
		put(o, "if %c%u %s %d goto %+d", r, insn->dst_reg, jmp_ops[op >> 4], insn->imm, insn->off);
	}
}

static void llvm_ld(struct out *o, const struct bpf_insn *insn)
{
	const char *t = size_type(insn->code, false);

	if (BPF_MODE(insn->code) == BPF_ABS) {
		put(o, "r0 = *(%s *)skb[%d]", t, insn->imm);
	} else if (BPF_MODE(insn->code) == BPF_IND) {
		put(o, "r0 = *(%s *)skb[r%u", t, insn->src_reg);
		if (insn->imm < 0)
			put(o, " - %" PRId64 "]", -(int64_t)insn->imm);
		else if (insn->imm > 0)
			put(o, " + %d]", insn->imm);
		else
			put(o, "]");
	} else if (insn->src_reg) {
		put(o, "r%u = ", insn->dst_reg);
		put_pseudo(o, insn);
		put(o, " ll");
	} else {
		put(o, "r%u = %" PRId64 " ll", insn->dst_reg, (int64_t)ldimm64_value(insn));
	}
}

static void disasm_llvm(struct out *o, const struct bpf_insn *insn)
{
	uint8_t code = insn->code;

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		llvm_alu(o, insn);
		break;
	case BPF_LDX:
		put(o, "r%u = *(%s *)(", insn->dst_reg, size_type(code, BPF_MODE(code) == BPF_MEMSX));
		llvm_addr(o, insn->src_reg, insn->off);
		put(o, ")");
		break;
	case BPF_ST:
		put(o, "*(%s *)(", size_type(code, false));
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, ") = %d", insn->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(code) == BPF_ATOMIC) {
			llvm_atomic(o, insn);
			break;
		}
		put(o, "*(%s *)(", size_type(code, false));
		llvm_addr(o, insn->dst_reg, insn->off);
		put(o, ") = r%u", insn->src_reg);
		break;
	case BPF_LD:
		llvm_ld(o, insn);
		break;
	default:
		llvm_jmp(o, insn);
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Conformance (uBPF) dialect                                             */

static void cf_mem(struct out *o, uint8_t reg, int16_t off)
{
	if (off)
		put(o, "[%%r%u%+d]", reg, off);
	else
		put(o, "[%%r%u]", reg);
}

static void cf_alu(struct out *o, const struct bpf_insn *insn)
{
	const char *w = BPF_CLASS(insn->code) == BPF_ALU ? "32" : "";
	uint8_t op = BPF_OP(insn->code);

	if (op == BPF_END && !*w)
		put(o, "bswap%d %%r%u", insn->imm, insn->dst_reg);
	else if (op == BPF_END)
		put(o, "%s%d %%r%u", BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le", insn->imm, insn->dst_reg);
	else if (op == BPF_NEG)
		put(o, "neg%s %%r%u", w, insn->dst_reg);
	else if (is_addr_space_cast(insn))
		put(o, "addr_space_cast %%r%u, %%r%u, %u, %u", insn->dst_reg, insn->src_reg,
		    (uint32_t)insn->imm >> 16, (uint16_t)insn->imm);
	else if (is_movsx(insn))
		put(o, "movsx%d%s %%r%u, %%r%u", insn->off, *w ? "32" : "64", insn->dst_reg, insn->src_reg);
	else if (BPF_SRC(insn->code) == BPF_X)
		put(o, "%s%s %%r%u, %%r%u", is_signed_divmod(insn) ? "s" : "", bpfs_opcode_mnemonic(insn->code),
		    insn->dst_reg, insn->src_reg);
	else
		put(o, "%s%s %%r%u, %d", is_signed_divmod(insn) ? "s" : "", bpfs_opcode_mnemonic(insn->code),
		    insn->dst_reg, insn->imm);
}

static void cf_atomic(struct out *o, const struct bpf_insn *insn)
{
	static const char *const widths[4] = { [BPF_W >> 3] = "32", [BPF_H >> 3] = "16", [BPF_B >> 3] = "8",
					       [BPF_DW >> 3] = "" };
	const char *w = widths[BPF_SIZE(insn->code) >> 3];

	if (insn->imm == BPF_LOAD_ACQ) {
		put(o, "lock acquire%s %%r%u, ", w, insn->dst_reg);
		cf_mem(o, insn->src_reg, insn->off);
		return;
	}
	if (insn->imm == BPF_STORE_REL)
		put(o, "lock release%s ", w);
	else if (insn->imm == BPF_XCHG)
		put(o, "lock xchg%s ", w);
	else if (insn->imm == BPF_CMPXCHG)
		put(o, "lock cmpxchg%s ", w);
	else
		put(o, "lock %s%s%s ", insn->imm & BPF_FETCH ? "fetch " : "", bpfs_atomic_op_name(insn->imm), w);
	cf_mem(o, insn->dst_reg, insn->off);
	put(o, ", %%r%u", insn->src_reg);
}

static void cf_jmp(struct out *o, const struct bpf_insn *insn)
{
	uint8_t op = BPF_OP(insn->code);

	if (op == BPF_CALL && insn->src_reg == BPF_PSEUDO_CALL) {
		put(o, "call local %+d", insn->imm);
	} else if (op == BPF_CALL && insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		put(o, "call kfunc %d", insn->imm);
		if (insn->off)
			put(o, ", %d", insn->off);
	} else if (op == BPF_CALL) {
		put(o, "call %d", insn->imm);
	} else if (insn->code == (BPF_JMP | BPF_JA)) {
		put(o, "ja %+d", insn->off);
	} else if (insn->code == (BPF_JMP32 | BPF_JA)) {
		put(o, "ja32 %+d", insn->imm);
	} else if (insn->code == (BPF_JMP | BPF_JCOND)) {
		put(o, "may_goto %+d", insn->off);
	} else if (op == BPF_EXIT) {
		put(o, "exit");
	} else if (BPF_SRC(insn->code) == BPF_X) {
		put(o, "%s %%r%u, %%r%u, %+d", bpfs_opcode_mnemonic(insn->code), insn->dst_reg, insn->src_reg,
		    insn->off);
	} else {
		put(o, "%s %%r%u, %d, %+d", bpfs_opcode_mnemonic(insn->code), insn->dst_reg, insn->imm, insn->off);
	}
}

static void disasm_conformance(struct out *o, const struct bpf_insn *insn)
{
	uint8_t code = insn->code;

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		cf_alu(o, insn);
		break;
	case BPF_LDX:
		put(o, "%s %%r%u, ", bpfs_opcode_mnemonic(code), insn->dst_reg);
		cf_mem(o, insn->src_reg, insn->off);
		break;
	case BPF_ST:
		put(o, "%s ", bpfs_opcode_mnemonic(code));
		cf_mem(o, insn->dst_reg, insn->off);
		put(o, ", %d", insn->imm);
		break;
	case BPF_STX:
		if (BPF_MODE(code) == BPF_ATOMIC) {
			cf_atomic(o, insn);
			break;
		}
		put(o, "%s ", bpfs_opcode_mnemonic(code));
		cf_mem(o, insn->dst_reg, insn->off);
		put(o, ", %%r%u", insn->src_reg);
		break;
	case BPF_LD:
		if (BPF_MODE(code) == BPF_ABS) {
			put(o, "%s %d", bpfs_opcode_mnemonic(code), insn->imm);
		} else if (BPF_MODE(code) == BPF_IND) {
			put(o, "%s %%r%u, %d", bpfs_opcode_mnemonic(code), insn->src_reg, insn->imm);
		} else if (insn->src_reg) {
			put(o, "lddw %%r%u, ", insn->dst_reg);
			put_pseudo(o, insn);
		} else {
			put(o, "lddw %%r%u, 0x%" PRIx64, insn->dst_reg, ldimm64_value(insn));
		}
		break;
	default:
		cf_jmp(o, insn);
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */

static bool printable(const struct bpf_insn *insn)
{
	if (!bpfs_opcode_known(insn->code))
		return false;
	if (BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC)
		return atomic_known(insn->imm);
	return true;
}

int bpfs_disasm_insn(const struct bpf_insn *insns, size_t cnt, size_t idx, enum bpfs_syntax syntax,
		     char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len, .pos = 0 };
	const struct bpf_insn *insn;

	if (len)
		buf[0] = '\0';
	if (!insns || idx >= cnt)
		return -EINVAL;
	insn = &insns[idx];
	if (bpfs_insn_is_ldimm64(insn) && idx + 1 >= cnt) {
		put(&o, "invalid insn code=0x%02x", insn->code);
		return -EINVAL;
	}
	if (!printable(insn)) {
		put(&o, "invalid insn code=0x%02x", insn->code);
		return 1;
	}
	switch (syntax) {
	case BPFS_SYNTAX_KERNEL:
		disasm_kernel(&o, insn);
		break;
	case BPFS_SYNTAX_LLVM:
		disasm_llvm(&o, insn);
		break;
	default:
		disasm_conformance(&o, insn);
		break;
	}
	return bpfs_insn_is_ldimm64(insn) ? 2 : 1;
}

char *bpfs_disasm_prog(const struct bpf_insn *insns, size_t cnt, enum bpfs_syntax syntax)
{
	char line[256], *text = NULL;
	size_t size = 0, i = 0;
	FILE *f;
	int n;

	f = open_memstream(&text, &size);
	if (!f)
		return NULL;
	while (i < cnt) {
		n = bpfs_disasm_insn(insns, cnt, i, syntax, line, sizeof(line));
		if (syntax == BPFS_SYNTAX_KERNEL)
			fprintf(f, "%zu: (%02x) %s\n", i, insns[i].code, line);
		else
			fprintf(f, "%s\n", line);
		if (n < 0)
			break;
		i += (size_t)n;
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}
