/* SPDX-License-Identifier: MIT */
/*
 * LLVM BPF assembly, and the verifier log's variant of it, one line at a
 * time. The grammar is C-like; a line is recognised by how it starts:
 *
 *   if rA OP (rB|imm) goto T     conditional jump (wA: JMP32)
 *   goto T / gotol T / may_goto T
 *   call N | call NAME | call NAME#N | call pc+N | callx rA | exit
 *   lock *(uSZ *)(rA + off) OP= rB        atomic add/and/or/xor
 *   *(uSZ *)(rA + off) = (rB|imm)         store
 *   store_release((uSZ *)(rA + off), rB)
 *   be16 rA                               (old byte-swap form)
 *   rA OP= (rB|imm)                       ALU (wA: 32-bit)
 *   rA = ...                              move, load, negate, swap,
 *                                         sign-extend, atomics with a
 *                                         result, LD_IMM64
 *
 * T is "+N", "-N", "pc+N" or a label. Verifier-log specifics: offsets
 * written "(r10 -8)", helper calls "call bpf_map_lookup_elem#1", and a
 * two-slot LD_IMM64 printed without "ll" ("(18) r1 = 0x0"), recognised
 * from the "(18)" prefix. The encodings follow the kernel's instruction
 * set documentation; LLVM's spelling of each form was checked with
 * llvm-mc -show-encoding and llvm-objdump.
 */
#include "asm_int.h"

#include <errno.h>
#include <string.h>


struct opname {
	const char *s;
	int op;
	int off; /* sdiv/smod: 1 */
};

static const struct opname alu_ops[] = {
    {"s>>=", BPF_ARSH, 0}, {"s/=", BPF_DIV, 1}, {"s%=", BPF_MOD, 1}, {"<<=", BPF_LSH, 0}, {">>=", BPF_RSH, 0},
    {"+=", BPF_ADD, 0},	   {"-=", BPF_SUB, 0},	{"*=", BPF_MUL, 0},  {"/=", BPF_DIV, 0},  {"%=", BPF_MOD, 0},
    {"|=", BPF_OR, 0},	   {"&=", BPF_AND, 0},	{"^=", BPF_XOR, 0},
};

static const struct opname jmp_ops[] = {
    {"s>=", BPF_JSGE, 0}, {"s<=", BPF_JSLE, 0}, {"s>", BPF_JSGT, 0}, {"s<", BPF_JSLT, 0},
    {"==", BPF_JEQ, 0},	  {"!=", BPF_JNE, 0},	{">=", BPF_JGE, 0},  {"<=", BPF_JLE, 0},
    {">", BPF_JGT, 0},	  {"<", BPF_JLT, 0},	{"&", BPF_JSET, 0},
};

static const struct opname *find_op(const char **p, const struct opname *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (asm_lit(p, ops[i].s))
			return &ops[i];
	return NULL;
}

static int finish(struct asm_ctx *c, const char *p)
{
	return asm_at_end(p) ? 0 : asm_fail_parse(c);
}

/* "u8".."u64", "s8".."s32": BPF size, and whether the load sign-extends */
static bool mem_type(const char **p, int *size, bool *sx)
{
	static const struct {
		const char *s;
		int size;
		bool sx;
	} types[] = {
	    {"u8", BPF_B, false}, {"u16", BPF_H, false}, {"u32", BPF_W, false}, {"u64", BPF_DW, false},
	    {"s8", BPF_B, true},  {"s16", BPF_H, true},	 {"s32", BPF_W, true},
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (asm_word(p, types[i].s)) {
			*size = types[i].size;
			*sx = types[i].sx;
			return true;
		}
	}
	return false;
}

/* "(uSZ *)" */
static int cast(struct asm_ctx *c, const char **p, int *size, bool *sx)
{
	if (!asm_lit(p, "(") || !mem_type(p, size, sx) || !asm_lit(p, "*") || !asm_lit(p, ")"))
		return asm_fail_parse(c);
	return 0;
}

/* An offset after a base register: "+ 4", "- 8", "-8", "+0", "+ -8", or
 * nothing. */
static int offset(struct asm_ctx *c, const char **p, int16_t *off)
{
	const char *q = asm_skip_ws(*p), *s = q;
	struct asm_num n;
	bool neg;

	*off = 0;
	if (*q != '+' && *q != '-')
		return 0;
	neg = *q++ == '-';
	if (!asm_number(&q, &n))
		return asm_fail_parse(c);
	n.neg ^= neg;
	n.s = s;
	n.len = (size_t)(q - s);
	*p = q;
	return asm_off16(c, &n, off);
}

/* "rA + off" */
static int base_off(struct asm_ctx *c, const char **p, uint8_t *reg, int16_t *off)
{
	bool w;
	int ret;

	ret = asm_need_reg(c, p, reg, &w);
	return ret ? ret : offset(c, p, off);
}

/* "(rA + off)" */
static int mem(struct asm_ctx *c, const char **p, uint8_t *reg, int16_t *off)
{
	int ret;

	if (!asm_lit(p, "("))
		return asm_fail_parse(c);
	ret = base_off(c, p, reg, off);
	if (ret)
		return ret;
	return asm_lit(p, ")") ? 0 : asm_fail_parse(c);
}

static int width_match(struct asm_ctx *c, bool a, bool b)
{
	if (a != b)
		return asm_fail(c, "register width mismatch in '%.200s'", c->text);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Jumps and calls                                                        */

static int cond_jump(struct asm_ctx *c, const char *p)
{
	const struct opname *op;
	uint8_t dst, src = 0;
	bool w, ws;
	int32_t imm = 0, rel;
	int ret, code;

	ret = asm_need_reg(c, &p, &dst, &w);
	if (ret)
		return ret;
	op = find_op(&p, jmp_ops, sizeof(jmp_ops) / sizeof(jmp_ops[0]));
	if (!op)
		return asm_fail_parse(c);
	code = (w ? BPF_JMP32 : BPF_JMP) | op->op;
	ret = asm_reg(c, &p, &src, &ws);
	if (ret < 0)
		return ret;
	if (ret) {
		code |= BPF_X;
		ret = width_match(c, w, ws);
	} else {
		ret = asm_need_imm32(c, &p, &imm);
	}
	if (ret)
		return ret;
	if (!asm_word(&p, "goto"))
		return asm_fail_parse(c);
	ret = asm_target(c, &p, FIX_JMP_OFF, &rel);
	if (ret)
		return ret;
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)code, dst, src, (int16_t)rel, imm);
}

static int jump(struct asm_ctx *c, const char *p, uint8_t code, enum asm_fix_kind kind)
{
	int32_t rel;
	int ret;

	ret = asm_target(c, &p, kind, &rel);
	if (!ret)
		ret = finish(c, p);
	if (ret)
		return ret;
	if (kind == FIX_JMP_OFF)
		return asm_emit(c, code, 0, 0, (int16_t)rel, 0);
	return asm_emit(c, code, 0, 0, 0, rel);
}

/* "[7]" or "[7][+2]" after "call kfunc": imm, then off (a module BTF fd) */
static int kfunc(struct asm_ctx *c, const char *p)
{
	struct asm_num n;
	int32_t imm;
	int16_t off = 0;
	int ret;

	if (!asm_lit(&p, "["))
		return asm_fail_parse(c);
	ret = asm_need_imm32(c, &p, &imm);
	if (ret)
		return ret;
	if (!asm_lit(&p, "]"))
		return asm_fail_parse(c);
	if (asm_lit(&p, "[")) {
		if (!asm_number(&p, &n))
			return asm_fail_parse(c);
		ret = asm_off16(c, &n, &off);
		if (ret)
			return ret;
		if (!asm_lit(&p, "]"))
			return asm_fail_parse(c);
	}
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, off, imm);
}

static int call(struct asm_ctx *c, const char *p)
{
	const uint8_t code = BPF_JMP | BPF_CALL;
	struct asm_name name;
	struct asm_num n;
	const char *q = asm_skip_ws(p);
	int32_t imm;
	int ret;

	/* "call pc+2", "call -1", "call +3": relative, to a local function */
	if ((q[0] == 'p' && q[1] == 'c' && (q[2] == '+' || q[2] == '-')) || q[0] == '+' || q[0] == '-') {
		ret = asm_target(c, &p, FIX_CALL_LOCAL, &imm);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, code, 0, BPF_PSEUDO_CALL, 0, imm);
	}
	if (asm_number(&p, &n)) {
		ret = asm_imm32(c, &n, &imm);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, code, 0, 0, 0, imm);
	}
	/* "call kernel-function#7" (verifier), "call kfunc[7]", "call kfunc[7][+2]" */
	if (asm_lit(&p, "kernel-function#")) {
		ret = asm_need_imm32(c, &p, &imm);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, code, 0, BPF_PSEUDO_KFUNC_CALL, 0, imm);
	}
	if (asm_word(&p, "kfunc"))
		return kfunc(c, p);
	if (!asm_ident(&p, &name))
		return asm_fail_parse(c);
	/* the verifier log's "bpf_map_lookup_elem#1": the number decides */
	if (*p == '#') {
		p++;
		ret = asm_need_imm32(c, &p, &imm);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, code, 0, 0, 0, imm);
	}
	ret = finish(c, p);
	if (!ret)
		ret = asm_add_fixup(c, FIX_CALL, c->cnt, name);
	return ret ? ret : asm_emit(c, code, 0, 0, 0, 0);
}

static int callx(struct asm_ctx *c, const char *p)
{
	uint8_t reg;
	bool w;
	int ret;

	ret = asm_need_reg(c, &p, &reg, &w);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret : asm_emit(c, BPF_JMP | BPF_CALL | BPF_X, reg, 0, 0, 0);
}

/* ---------------------------------------------------------------------- */
/* Memory                                                                 */

/* "*(uSZ *)(rA + off) = rB|imm"; the leading "*" is consumed */
static int store(struct asm_ctx *c, const char *p)
{
	uint8_t dst, src;
	int16_t off;
	int32_t imm;
	int size, ret;
	bool sx, w;

	ret = cast(c, &p, &size, &sx);
	if (!ret)
		ret = mem(c, &p, &dst, &off);
	if (ret)
		return ret;
	if (sx || !asm_lit(&p, "="))
		return asm_fail_parse(c);
	ret = asm_reg(c, &p, &src, &w);
	if (ret < 0)
		return ret;
	if (ret) {
		ret = finish(c, p);
		return ret ? ret : asm_emit(c, (uint8_t)(BPF_STX | BPF_MEM | size), dst, src, off, 0);
	}
	ret = asm_need_imm32(c, &p, &imm);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)(BPF_ST | BPF_MEM | size), dst, 0, off, imm);
}

/* "lock *(uSZ *)(rA + off) OP= rB" */
static int lock(struct asm_ctx *c, const char *p)
{
	static const struct opname ops[] = {
	    {"+=", BPF_ADD, 0},
	    {"&=", BPF_AND, 0},
	    {"|=", BPF_OR, 0},
	    {"^=", BPF_XOR, 0},
	};
	const struct opname *op;
	uint8_t dst, src;
	int16_t off;
	int size, ret;
	bool sx, w;

	if (!asm_lit(&p, "*"))
		return asm_fail_parse(c);
	ret = cast(c, &p, &size, &sx);
	if (!ret)
		ret = mem(c, &p, &dst, &off);
	if (ret)
		return ret;
	op = find_op(&p, ops, sizeof(ops) / sizeof(ops[0]));
	if (!op || sx)
		return asm_fail_parse(c);
	ret = asm_need_reg(c, &p, &src, &w);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | size), dst, src, off, op->op);
}

/* "r0 = *(u8 *)skb[12]", "r0 = *(u16 *)skb[r1]", "skb[r1 + 4]" */
static int ld_skb(struct asm_ctx *c, const char *p, uint8_t dst, int size)
{
	uint8_t src;
	bool w;
	int32_t imm = 0;
	int ret, mode = BPF_ABS;

	if (dst != 0)
		return asm_fail(c, "packet loads write r0 only");
	if (!asm_lit(&p, "["))
		return asm_fail_parse(c);
	ret = asm_reg(c, &p, &src, &w);
	if (ret < 0)
		return ret;
	if (ret) {
		mode = BPF_IND;
		if (asm_lit(&p, "+"))
			ret = asm_need_imm32(c, &p, &imm);
		else
			ret = 0;
	} else {
		src = 0;
		ret = asm_need_imm32(c, &p, &imm);
	}
	if (ret)
		return ret;
	if (!asm_lit(&p, "]"))
		return asm_fail_parse(c);
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)(BPF_LD | mode | size), 0, src, 0, imm);
}

/* "rA = *(uSZ *)(rB + off)" and the packet loads; p is after the '*' */
static int load(struct asm_ctx *c, const char *p, uint8_t dst)
{
	uint8_t src;
	int16_t off;
	int size, ret;
	bool sx;

	ret = cast(c, &p, &size, &sx);
	if (ret)
		return ret;
	if (asm_word(&p, "skb"))
		return sx ? asm_fail_parse(c) : ld_skb(c, p, dst, size);
	ret = mem(c, &p, &src, &off);
	if (!ret)
		ret = finish(c, p);
	if (ret)
		return ret;
	return asm_emit(c, (uint8_t)(BPF_LDX | (sx ? BPF_MEMSX : BPF_MEM) | size), dst, src, off, 0);
}

/*
 * Address operand of the atomic "calls": "(uSZ *)(rA + off)" (kernel and
 * atomic_fetch_*), or "rA + off" (LLVM's xchg_64 and cmpxchg_64, whose size
 * is in the name: size stays as given then).
 */
static int atomic_addr(struct asm_ctx *c, const char **p, uint8_t *reg, int16_t *off, int *size)
{
	const char *q = *p;
	bool sx;
	int ret;

	if (asm_lit(&q, "(")) {
		*p = q - 1;
		ret = cast(c, p, size, &sx);
		if (!ret)
			ret = mem(c, p, reg, off);
		return ret ? ret : (sx ? asm_fail_parse(c) : 0);
	}
	return base_off(c, p, reg, off);
}

struct atomic_form {
	const char *name;
	int imm;
	int size;  /* from the name, or -1: from the cast */
	int nregs; /* value registers after the address: 0, 1, or 2 (cmpxchg) */
};

static const struct atomic_form atomic_forms[] = {
    {"atomic_fetch_add", BPF_ADD | BPF_FETCH, -1, 1},
    {"atomic_fetch_and", BPF_AND | BPF_FETCH, -1, 1},
    {"atomic_fetch_or", BPF_OR | BPF_FETCH, -1, 1},
    {"atomic_fetch_xor", BPF_XOR | BPF_FETCH, -1, 1},
    {"atomic64_fetch_add", BPF_ADD | BPF_FETCH, -1, 1},
    {"atomic64_fetch_and", BPF_AND | BPF_FETCH, -1, 1},
    {"atomic64_fetch_or", BPF_OR | BPF_FETCH, -1, 1},
    {"atomic64_fetch_xor", BPF_XOR | BPF_FETCH, -1, 1},
    {"xchg_64", BPF_XCHG, BPF_DW, 1},
    {"xchg32_32", BPF_XCHG, BPF_W, 1},
    {"atomic_xchg", BPF_XCHG, -1, 1},
    {"atomic64_xchg", BPF_XCHG, -1, 1},
    {"cmpxchg_64", BPF_CMPXCHG, BPF_DW, 2},
    {"cmpxchg32_32", BPF_CMPXCHG, BPF_W, 2},
    {"atomic_cmpxchg", BPF_CMPXCHG, -1, 2},
    {"atomic64_cmpxchg", BPF_CMPXCHG, -1, 2},
    {"load_acquire", BPF_LOAD_ACQ, -1, 0},
};

/* "rA = NAME(addr, ...)": the fetching atomics and load-acquire */
static int atomic_call(struct asm_ctx *c, const char *p, uint8_t lhs, const struct atomic_form *f)
{
	uint8_t addr, val = 0, old;
	int16_t off;
	int size = f->size, ret;
	bool w;

	if (!asm_lit(&p, "("))
		return asm_fail_parse(c);
	ret = atomic_addr(c, &p, &addr, &off, &size);
	if (ret)
		return ret;
	if (f->nregs == 2) {
		/* cmpxchg compares with r0 and returns the old value in r0 */
		if (!asm_lit(&p, ","))
			return asm_fail_parse(c);
		ret = asm_need_reg(c, &p, &old, &w);
		if (ret)
			return ret;
		if (old != 0 || lhs != 0)
			return asm_fail(c, "cmpxchg uses r0");
	}
	if (f->nregs) {
		if (!asm_lit(&p, ","))
			return asm_fail_parse(c);
		ret = asm_need_reg(c, &p, &val, &w);
		if (ret)
			return ret;
		if (f->nregs == 1 && val != lhs)
			return asm_fail(c, "the result register must be the value register in '%.200s'",
					c->text);
	}
	if (!asm_lit(&p, ")"))
		return asm_fail_parse(c);
	ret = finish(c, p);
	if (ret)
		return ret;
	if (f->imm == BPF_LOAD_ACQ)
		return asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | size), lhs, addr, off, f->imm);
	return asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | size), addr, val, off, f->imm);
}

/* "store_release((uSZ *)(rA + off), rB)" */
static int store_release(struct asm_ctx *c, const char *p)
{
	uint8_t addr, val;
	int16_t off;
	int size = -1, ret;
	bool w;

	if (!asm_lit(&p, "("))
		return asm_fail_parse(c);
	ret = atomic_addr(c, &p, &addr, &off, &size);
	if (ret)
		return ret;
	if (size < 0 || !asm_lit(&p, ","))
		return asm_fail_parse(c);
	ret = asm_need_reg(c, &p, &val, &w);
	if (ret)
		return ret;
	if (!asm_lit(&p, ")"))
		return asm_fail_parse(c);
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | size), addr, val, off, BPF_STORE_REL);
}

/* ---------------------------------------------------------------------- */
/* Register statements                                                    */

struct swap_form {
	const char *name;
	uint8_t code;
	int imm;
};

static const struct swap_form swaps[] = {
    {"be16", BPF_ALU | BPF_END | BPF_TO_BE, 16}, {"be32", BPF_ALU | BPF_END | BPF_TO_BE, 32},
    {"be64", BPF_ALU | BPF_END | BPF_TO_BE, 64}, {"le16", BPF_ALU | BPF_END | BPF_TO_LE, 16},
    {"le32", BPF_ALU | BPF_END | BPF_TO_LE, 32}, {"le64", BPF_ALU | BPF_END | BPF_TO_LE, 64},
    {"bswap16", BPF_ALU64 | BPF_END, 16},	 {"bswap32", BPF_ALU64 | BPF_END, 32},
    {"bswap64", BPF_ALU64 | BPF_END, 64},
};

static const struct swap_form *swap_word(const char **p)
{
	size_t i;

	for (i = 0; i < sizeof(swaps) / sizeof(swaps[0]); i++)
		if (asm_word(p, swaps[i].name))
			return &swaps[i];
	return NULL;
}

/* "be16 r1" (the old form) or the "be16 r1" of "r1 = be16 r1" */
static int swap(struct asm_ctx *c, const char *p, const struct swap_form *f, int dst)
{
	uint8_t reg;
	bool w;
	int ret;

	ret = asm_need_reg(c, &p, &reg, &w);
	if (ret)
		return ret;
	if (dst >= 0 && reg != dst)
		return asm_fail(c, "byte swap must write its operand in '%.200s'", c->text);
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, f->code, reg, 0, 0, f->imm);
}

static int alu(struct asm_ctx *c, const char *p, uint8_t dst, bool w, const struct opname *op)
{
	uint8_t cls = w ? BPF_ALU : BPF_ALU64, src;
	int32_t imm;
	bool ws;
	int ret;

	ret = asm_reg(c, &p, &src, &ws);
	if (ret < 0)
		return ret;
	if (ret) {
		ret = width_match(c, w, ws);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, cls | op->op | BPF_X, dst, src, (int16_t)op->off, 0);
	}
	ret = asm_need_imm32(c, &p, &imm);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret : asm_emit(c, cls | op->op | BPF_K, dst, 0, (int16_t)op->off, imm);
}

/* "rA = (s8)rB" */
static int movsx(struct asm_ctx *c, const char *p, uint8_t dst, bool w)
{
	uint8_t src;
	bool ws;
	int bits, ret;

	if (asm_word(&p, "s8"))
		bits = 8;
	else if (asm_word(&p, "s16"))
		bits = 16;
	else if (asm_word(&p, "s32"))
		bits = 32;
	else
		return asm_fail_parse(c);
	if (!asm_lit(&p, ")"))
		return asm_fail_parse(c);
	ret = asm_need_reg(c, &p, &src, &ws);
	if (!ret)
		ret = width_match(c, w, ws);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret
		   : asm_emit(c, (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X, dst, src, (int16_t)bits, 0);
}

/* "rA = addr_space_cast(rB, 0, 1)": MOV64 with off 1, imm dst_as << 16 | src_as */
static int addr_space_cast(struct asm_ctx *c, const char *p, uint8_t dst)
{
	uint8_t src;
	int32_t to, from;
	bool w;
	int ret;

	if (!asm_lit(&p, "("))
		return asm_fail_parse(c);
	ret = asm_need_reg(c, &p, &src, &w);
	if (ret)
		return ret;
	if (!asm_lit(&p, ","))
		return asm_fail_parse(c);
	ret = asm_need_imm32(c, &p, &to);
	if (ret)
		return ret;
	if (!asm_lit(&p, ","))
		return asm_fail_parse(c);
	ret = asm_need_imm32(c, &p, &from);
	if (ret)
		return ret;
	if ((uint32_t)to > 0xffff || (uint32_t)from > 0xffff)
		return asm_fail(c, "address space out of range in '%.200s'", c->text);
	if (!asm_lit(&p, ")"))
		return asm_fail_parse(c);
	ret = finish(c, p);
	return ret ? ret
		   : asm_emit(c, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 1,
			      (int32_t)((uint32_t)to << 16 | (uint32_t)from));
}

/* "rA = <number>", with "ll" (or after a "(18)" prefix) a two-slot load */
static int mov_imm(struct asm_ctx *c, const char *p, uint8_t dst, bool w, const struct asm_num *n)
{
	uint64_t v;
	int32_t imm;
	int ret;

	if (asm_word(&p, "ll") || c->kernel_op == (BPF_LD | BPF_IMM | BPF_DW)) {
		if (w)
			return asm_fail(c, "64-bit load into a 32-bit register in '%.200s'", c->text);
		ret = asm_imm64(c, n, &v);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit_ldimm64(c, dst, 0, v);
	}
	ret = asm_imm32(c, n, &imm);
	if (!ret)
		ret = finish(c, p);
	return ret ? ret : asm_emit(c, (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

/*
 * LD_IMM64 with a pseudo source, as SYNTAX.md lists them: "map[3]",
 * "map_value[3][+16]", "btf_id[7]", "func[+2]", "map_idx[1]",
 * "map_idx_value[1][+8]", "pseudo7[I][+K]"; a second "[K]" is the second
 * slot's imm. Also the verifier's "map[id:3]" and "map[id:3][0]+16".
 * *done is false when name is none of these.
 */
static int ldimm_src(struct asm_name name)
{
	static const struct {
		const char *name;
		int src;
	} forms[] = {
	    {"map", BPF_PSEUDO_MAP_FD},	     {"map_value", BPF_PSEUDO_MAP_VALUE},
	    {"btf_id", BPF_PSEUDO_BTF_ID},   {"func", BPF_PSEUDO_FUNC},
	    {"map_idx", BPF_PSEUDO_MAP_IDX}, {"map_idx_value", BPF_PSEUDO_MAP_IDX_VALUE},
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (name.len == strlen(forms[i].name) && !memcmp(name.s, forms[i].name, name.len))
			return forms[i].src;
	if (name.len == 7 && !memcmp(name.s, "pseudo", 6) && name.s[6] >= '7' && name.s[6] <= '9')
		return name.s[6] - '0';
	if (name.len == 8 && !memcmp(name.s, "pseudo1", 7) && name.s[7] >= '0' && name.s[7] <= '5')
		return 10 + name.s[7] - '0';
	return -1;
}

int asm_ldimm_pseudo(struct asm_ctx *c, const char **pp, struct asm_name name, uint8_t *src, uint64_t *imm,
		     bool *done)
{
	const char *p = *pp;
	int32_t lo, hi = 0;
	int s = ldimm_src(name), ret;
	bool by_id;

	*done = false;
	if (s < 0 || *asm_skip_ws(p) != '[')
		return 0;
	*done = true;
	asm_lit(&p, "[");
	by_id = s == BPF_PSEUDO_MAP_FD && asm_lit(&p, "id:");
	ret = asm_need_imm32(c, &p, &lo);
	if (ret)
		return ret;
	if (!asm_lit(&p, "]"))
		return asm_fail_parse(c);
	if (by_id && asm_lit(&p, "[0]")) {
		/* the verifier's map value address: "map[id:3][0]+16" */
		s = BPF_PSEUDO_MAP_VALUE;
		ret = asm_need_imm32(c, &p, &hi);
		if (ret)
			return ret;
	} else if (asm_lit(&p, "[")) {
		ret = asm_need_imm32(c, &p, &hi);
		if (ret)
			return ret;
		if (!asm_lit(&p, "]"))
			return asm_fail_parse(c);
	}
	*src = (uint8_t)s;
	*imm = (uint64_t)(uint32_t)hi << 32 | (uint32_t)lo;
	*pp = p;
	return 0;
}

/* "rA = NAME ...": atomics, swaps, casts, pseudo loads, map symbols */
static int assign_word(struct asm_ctx *c, const char *p, uint8_t dst, bool w)
{
	const struct swap_form *sf;
	struct asm_name name;
	const char *q = p;
	uint64_t imm;
	uint8_t src;
	size_t i;
	bool done;
	int ret;

	sf = swap_word(&q);
	if (sf)
		return swap(c, q, sf, dst);
	if (!asm_ident(&q, &name))
		return asm_fail_parse(c);
	for (i = 0; i < sizeof(atomic_forms) / sizeof(atomic_forms[0]); i++)
		if (name.len == strlen(atomic_forms[i].name) &&
		    !memcmp(name.s, atomic_forms[i].name, name.len))
			return atomic_call(c, q, dst, &atomic_forms[i]);
	if (name.len == strlen("addr_space_cast") && !memcmp(name.s, "addr_space_cast", name.len))
		return addr_space_cast(c, q, dst);
	ret = asm_ldimm_pseudo(c, &q, name, &src, &imm, &done);
	if (ret)
		return ret;
	if (done) {
		if (w)
			return asm_fail_parse(c);
		asm_word(&q, "ll");
		ret = finish(c, q);
		return ret ? ret : asm_emit_ldimm64(c, dst, src, imm);
	}
	/* "r1 = my_map ll": a symbol, resolved once every label is known */
	if (!asm_word(&q, "ll") || w)
		return asm_fail_parse(c);
	ret = finish(c, q);
	if (!ret)
		ret = asm_add_fixup(c, FIX_LDIMM_SYM, c->cnt, name);
	return ret ? ret : asm_emit_ldimm64(c, dst, 0, 0);
}

static int assign(struct asm_ctx *c, const char *p, uint8_t dst, bool w)
{
	struct asm_num n;
	uint8_t src;
	bool ws;
	int ret;
	const char *q = asm_skip_ws(p);

	if (q[0] == '-' && (q[1] == 'r' || q[1] == 'w' || q[1] == '%')) {
		q++;
		ret = asm_need_reg(c, &q, &src, &ws);
		if (!ret && (src != dst || ws != w))
			ret = asm_fail(c, "negation must write its operand in '%.200s'", c->text);
		if (!ret)
			ret = finish(c, q);
		return ret ? ret : asm_emit(c, (w ? BPF_ALU : BPF_ALU64) | BPF_NEG, dst, 0, 0, 0);
	}
	if (q[0] == '*' && asm_skip_ws(q + 1)[0] == '(')
		return load(c, q + 1, dst);
	if (q[0] == '(')
		return movsx(c, q + 1, dst, w);
	ret = asm_reg(c, &p, &src, &ws);
	if (ret < 0)
		return ret;
	if (ret) {
		ret = width_match(c, w, ws);
		if (!ret)
			ret = finish(c, p);
		return ret ? ret : asm_emit(c, (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X, dst, src, 0, 0);
	}
	if (asm_number(&p, &n))
		return mov_imm(c, p, dst, w, &n);
	return assign_word(c, p, dst, w);
}

static int reg_stmt(struct asm_ctx *c, const char *p, uint8_t dst, bool w)
{
	const struct opname *op;
	const char *q;

	op = find_op(&p, alu_ops, sizeof(alu_ops) / sizeof(alu_ops[0]));
	if (op)
		return alu(c, p, dst, w, op);
	q = asm_skip_ws(p);
	if (q[0] != '=' || q[1] == '=')
		return asm_fail_parse(c);
	return assign(c, q + 1, dst, w);
}

int asm_llvm_line(struct asm_ctx *c, const char *p)
{
	const struct swap_form *sf;
	uint8_t reg;
	bool w;
	int ret;

	if (asm_word(&p, "if"))
		return cond_jump(c, p);
	if (asm_word(&p, "goto"))
		return jump(c, p, BPF_JMP | BPF_JA, FIX_JMP_OFF);
	if (asm_word(&p, "gotol"))
		return jump(c, p, BPF_JMP32 | BPF_JA, FIX_JMP_IMM);
	if (asm_word(&p, "may_goto"))
		return jump(c, p, BPF_JMP | BPF_JCOND, FIX_JMP_OFF);
	if (asm_word(&p, "call"))
		return call(c, p);
	if (asm_word(&p, "callx"))
		return callx(c, p);
	if (asm_word(&p, "exit")) {
		ret = finish(c, p);
		return ret ? ret : asm_emit(c, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	if (asm_word(&p, "lock"))
		return lock(c, p);
	if (asm_word(&p, "invalid"))
		return asm_invalid(c, p);
	if (asm_word(&p, "store_release"))
		return store_release(c, p);
	if (asm_lit(&p, "*"))
		return store(c, p);
	sf = swap_word(&p);
	if (sf)
		return swap(c, p, sf, -1);
	ret = asm_reg(c, &p, &reg, &w);
	if (ret < 0)
		return ret;
	if (ret)
		return reg_stmt(c, p, reg, w);
	return asm_fail_parse(c);
}

int asm_invalid(struct asm_ctx *c, const char *p)
{
	struct asm_num n;
	int ret;

	if (!asm_word(&p, "insn") || !asm_lit(&p, "code=") || !asm_number(&p, &n))
		return asm_fail_parse(c);
	if (n.neg || n.overflow || n.mag > 0xff)
		return asm_fail_code(c, ERANGE, "opcode %.*s out of range", (int)n.len, n.s);
	ret = finish(c, p);
	return ret ? ret : asm_emit(c, (uint8_t)n.mag, 0, 0, 0, 0);
}
