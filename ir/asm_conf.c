/* SPDX-License-Identifier: MIT */
/*
 * The conformance dialect (bpf_conformance and uBPF ".data" files): a
 * mnemonic, then operands separated by commas.
 *
 *   add %r1, 5 | add32 %r1, %r2 | neg %r1 | be16 %r1 | bswap64 %r1
 *   movsx832 %r1, %r2 (source width 8, 32-bit class; also 1632, 864, ...)
 *   ldxw %r0, [%r1+4] | ldxsb ... | stw [%r1+2], 5 | stxdw [%r10-8], %r0
 *   lddw %r0, 0x1122334455667788 | lddw %r1, map[3]
 *   ldabsh 12 | ldindb %r1, 12
 *   jne %r1, 15, label | jeq32 %r1, %r2, +3 | ja +2 | ja32 label
 *   call 5 | call NAME | call local label | call kfunc 7[, off] | call %r2
 *   lock [fetch] add|and|or|xor|xchg|cmpxchg[32] [%r10-8], %r1
 *   exit
 *
 * Registers are "%rN" or "rN". An ALU or jump mnemonic ending in "32"
 * selects the 32-bit class; "64" is accepted as the default. Immediates
 * are decimal or 0x hex and may be written as the unsigned 32-bit value
 * (0xffffff80). As in the reference assembler, the label "exit" names the
 * first exit instruction unless the text defines it.
 */
#include "asm_int.h"
#include "insn_int.h"

#include <errno.h>
#include <string.h>

enum conf_kind {
	K_ALU,	 /* dst, src|imm */
	K_NEG,	 /* dst */
	K_END,	 /* dst; imm is the width */
	K_MOVSX, /* dst, src; off is the width */
	K_LDDW,	 /* dst, imm64 or pseudo */
	K_LDX,	 /* dst, [src+off] */
	K_ST,	 /* [dst+off], imm */
	K_STX,	 /* [dst+off], src */
	K_JCC,	 /* dst, src|imm, target */
	K_JA,	 /* target (off) */
	K_JA32,	 /* target (imm) */
	K_EXIT,
	K_CALL,
	K_LDABS, /* imm */
	K_LDIND, /* src, imm */
};

struct conf_op {
	enum conf_kind kind;
	uint8_t code;
	int16_t off;
	int32_t imm;
};

struct named {
	const char *name;
	int val;
	int off;
};

static const struct named *find_named(const struct named *t, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(t[i].name) == len && !memcmp(t[i].name, s, len))
			return &t[i];
	return NULL;
}

#define FIND(t, s, len) find_named(t, sizeof(t) / sizeof(t[0]), s, len)

/* What operands an opcode of the table takes; K_NONE for the forms named
 * otherwise here (byte swaps by width, atomics after "lock"). */
enum { K_NONE = -1 };

static int kind_of(uint8_t code)
{
	uint8_t op = BPF_OP(code);

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return op == BPF_END ? K_NONE : op == BPF_NEG ? K_NEG : K_ALU;
	case BPF_LDX:
		return K_LDX;
	case BPF_ST:
		return K_ST;
	case BPF_STX:
		return BPF_MODE(code) == BPF_ATOMIC ? K_NONE : K_STX;
	case BPF_LD:
		return BPF_MODE(code) == BPF_IMM ? K_LDDW : BPF_MODE(code) == BPF_ABS ? K_LDABS : K_LDIND;
	default:
		if (code == (BPF_JMP32 | BPF_JA))
			return K_JA32;
		if (op == BPF_JA || code == (BPF_JMP | BPF_JCOND))
			return K_JA;
		return op == BPF_EXIT ? K_EXIT : op == BPF_CALL ? K_CALL : K_JCC;
	}
}

/* An ALU mnemonic with "s" for the signed division and modulo. */
static bool find_alu(const char *s, size_t len, uint8_t *code, int16_t *off)
{
	*off = 0;
	if (bpfs_opcode_find(s, len, code))
		return true;
	if (len > 1 && s[0] == 's' && bpfs_opcode_find(s + 1, len - 1, code) &&
	    (BPF_CLASS(*code) == BPF_ALU || BPF_CLASS(*code) == BPF_ALU64) &&
	    (BPF_OP(*code) == BPF_DIV || BPF_OP(*code) == BPF_MOD)) {
		*off = 1;
		return true;
	}
	return false;
}

/* "be16", "le32", "swap64", "bswap16" */
static bool lookup_end(const char *s, size_t len, struct conf_op *op)
{
	static const struct named forms[] = {
	    {"be", BPF_ALU | BPF_END | BPF_TO_BE, 0},
	    {"le", BPF_ALU | BPF_END | BPF_TO_LE, 0},
	    {"swap", BPF_ALU64 | BPF_END, 0},
	    {"bswap", BPF_ALU64 | BPF_END, 0},
	};
	size_t i, n;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		n = strlen(forms[i].name);
		if (len != n + 2 || memcmp(s, forms[i].name, n))
			continue;
		if (!memcmp(s + n, "16", 2) || !memcmp(s + n, "32", 2) || !memcmp(s + n, "64", 2)) {
			*op = (struct conf_op){K_END, (uint8_t)forms[i].val, 0,
					       (s[n] - '0') * 10 + s[n + 1] - '0'};
			return true;
		}
	}
	return false;
}

/* "movsx" + source width (8, 16, 32) + class (32, 64) */
static bool lookup_movsx(const char *s, size_t len, struct conf_op *op)
{
	static const struct named forms[] = {
	    {"movsx832", BPF_ALU, 8},	{"movsx1632", BPF_ALU, 16},   {"movsx3232", BPF_ALU, 32},
	    {"movsx864", BPF_ALU64, 8}, {"movsx1664", BPF_ALU64, 16}, {"movsx3264", BPF_ALU64, 32},
	};
	const struct named *f = FIND(forms, s, len);

	if (!f)
		return false;
	*op = (struct conf_op){K_MOVSX, (uint8_t)(f->val | BPF_MOV | BPF_X), (int16_t)f->off, 0};
	return true;
}

/* The mnemonics are the opcode table's (insn.c), plus "sdiv"/"smod", "64"
 * as the default width of ALU operations, byte swaps by width and movsx. */
static bool lookup(const char *s, size_t len, struct conf_op *op)
{
	uint8_t code;
	int16_t off;
	int kind;

	if (lookup_end(s, len, op) || lookup_movsx(s, len, op))
		return true;
	if (!find_alu(s, len, &code, &off) &&
	    !(len > 2 && !memcmp(s + len - 2, "64", 2) && find_alu(s, len - 2, &code, &off) &&
	      BPF_CLASS(code) == BPF_ALU64))
		return false;
	kind = kind_of(code);
	if (kind == K_NONE)
		return false;
	*op = (struct conf_op){(enum conf_kind)kind, code, off, 0};
	return true;
}

bool asm_conf_line_is_conf(const char *p)
{
	struct asm_name name;
	struct conf_op op;
	const char *q = p;

	if (strstr(p, "%r"))
		return true;
	if (!asm_ident(&q, &name))
		return false;
	if (name.len == 4 && !memcmp(name.s, "lock", 4))
		return *asm_skip_ws(q) != '*' && *asm_skip_ws(q) != '\0';
	if (!lookup(name.s, name.len, &op) || strchr(p, '=') || strstr(p, "*("))
		return false;
	if (op.kind == K_CALL)
		return asm_word(&q, "local") || asm_word(&q, "runtime") || asm_word(&q, "helper") ||
		       (asm_word(&q, "kfunc") && *asm_skip_ws(q) != '[');
	/* both dialects: "exit", "call 1", "be16 r1" */
	return op.kind != K_EXIT && op.kind != K_CALL &&
	       !(op.kind == K_END && (name.s[0] == 'l' || name.s[1] == 'e'));
}

/* ---------------------------------------------------------------------- */
/* Operands                                                               */

static int comma(struct asm_ctx *c, const char **p)
{
	if (!asm_lit(p, ","))
		return asm_fail(c, "expected ',' at '%.20s' in '%.200s'", asm_skip_ws(*p), c->text);
	return 0;
}

static int reg(struct asm_ctx *c, const char **p, uint8_t *r)
{
	const char *s = asm_skip_ws(*p);
	bool w;
	int ret;

	ret = asm_need_reg(c, p, r, &w);
	if (!ret && w)
		return asm_fail(c, "unknown register '%.*s'", (int)(*p - s), s);
	return ret;
}

/* "[%r1+4]", "[%r10-8]", "[%r1]" */
static int memop(struct asm_ctx *c, const char **p, uint8_t *r, int16_t *off)
{
	struct asm_num n;
	const char *q, *s;
	bool neg;
	int ret;

	*off = 0;
	if (!asm_lit(p, "["))
		return asm_fail(c, "expected '[' at '%.20s'", asm_skip_ws(*p));
	ret = reg(c, p, r);
	if (ret)
		return ret;
	q = s = asm_skip_ws(*p);
	if (*q == '+' || *q == '-') {
		neg = *q++ == '-';
		if (!asm_number(&q, &n))
			return asm_fail_parse(c);
		n.neg ^= neg;
		n.s = s;
		n.len = (size_t)(q - s);
		ret = asm_off16(c, &n, off);
		if (ret)
			return ret;
		*p = q;
	}
	if (!asm_lit(p, "]"))
		return asm_fail(c, "expected ']' at '%.20s'", asm_skip_ws(*p));
	return 0;
}

/* A register (returns 1 with *r set) or an imm32 (returns 0). */
static int reg_or_imm(struct asm_ctx *c, const char **p, uint8_t *r, int32_t *imm)
{
	bool w;
	int ret;

	ret = asm_reg(c, p, r, &w);
	if (ret > 0 && w)
		return asm_fail(c, "unknown register in '%.200s'", c->text);
	if (ret)
		return ret;
	ret = asm_need_imm32(c, p, imm);
	return ret ? ret : 0;
}

/* ---------------------------------------------------------------------- */
/* Instructions                                                           */

static int lddw(struct asm_ctx *c, const char *p, uint8_t dst)
{
	struct asm_name name;
	struct asm_num n;
	uint64_t imm;
	uint8_t src = 0;
	bool done;
	int ret;

	if (asm_number(&p, &n)) {
		ret = asm_imm64(c, &n, &imm);
	} else if (asm_ident(&p, &name)) {
		ret = asm_ldimm_pseudo(c, &p, name, &src, &imm, &done);
		if (!ret && !done) {
			/* a symbol: a map, or a function when it is a label */
			imm = 0;
			ret = asm_add_fixup(c, FIX_LDIMM_SYM, c->cnt, name);
		}
	} else {
		ret = asm_fail_parse(c);
	}
	if (ret)
		return ret;
	if (!asm_at_end(p))
		return asm_fail_parse(c);
	return asm_emit_ldimm64(c, dst, src, imm);
}

/* call 5 | call NAME | call helper 5 | call local T | call kfunc 7[, off] |
 * call runtime 7 | call %r2 */
static int call(struct asm_ctx *c, const char *p)
{
	const uint8_t code = BPF_JMP | BPF_CALL;
	struct asm_name name;
	struct asm_num n;
	int32_t imm = 0;
	int16_t off = 0;
	uint8_t r;
	bool w;
	int ret;

	ret = asm_reg(c, &p, &r, &w);
	if (ret < 0)
		return ret;
	if (ret)
		return asm_at_end(p) ? asm_emit(c, code | BPF_X, r, 0, 0, 0) : asm_fail_parse(c);
	if (asm_word(&p, "local")) {
		ret = asm_target(c, &p, FIX_CALL_LOCAL, &imm);
		if (ret)
			return ret;
		return asm_at_end(p) ? asm_emit(c, code, 0, BPF_PSEUDO_CALL, 0, imm) : asm_fail_parse(c);
	}
	if (asm_word(&p, "kfunc") || asm_word(&p, "runtime")) {
		ret = asm_need_imm32(c, &p, &imm);
		if (!ret && asm_lit(&p, ",")) {
			if (!asm_number(&p, &n))
				return asm_fail_parse(c);
			ret = asm_off16(c, &n, &off);
		}
		if (ret)
			return ret;
		return asm_at_end(p) ? asm_emit(c, code, 0, BPF_PSEUDO_KFUNC_CALL, off, imm)
				     : asm_fail_parse(c);
	}
	asm_word(&p, "helper");
	if (asm_number(&p, &n)) {
		ret = asm_imm32(c, &n, &imm);
		if (ret)
			return ret;
		return asm_at_end(p) ? asm_emit(c, code, 0, 0, 0, imm) : asm_fail_parse(c);
	}
	if (!asm_ident(&p, &name) || !asm_at_end(p))
		return asm_fail_parse(c);
	ret = asm_add_fixup(c, FIX_CALL, c->cnt, name);
	return ret ? ret : asm_emit(c, code, 0, 0, 0, 0);
}

/* lock acquire[32|16|8] %rD, [%rS+off] (dst = load_acquire(src + off))
 * and lock release[32|16|8] [%rD+off], %rS: the suffix is the size, none
 * for 64 bits. */
static int acq_rel(struct asm_ctx *c, const char *p, const struct asm_name *name)
{
	static const struct named sizes[] = {{"", BPF_DW, 0}, {"32", BPF_W, 0}, {"16", BPF_H, 0}, {"8", BPF_B, 0}};
	bool acq = name->len >= 7 && !memcmp(name->s, "acquire", 7);
	/* both words are 7 letters: the rest is the size */
	const struct named *sz = FIND(sizes, name->s + 7, name->len - 7);
	uint8_t a, b;
	int16_t off;
	int ret;

	if (!sz)
		return asm_fail(c, "unknown atomic operation '%.*s'", (int)name->len, name->s);
	if (acq) {
		ret = reg(c, &p, &a);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = memop(c, &p, &b, &off);
	} else {
		ret = memop(c, &p, &a, &off);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = reg(c, &p, &b);
	}
	if (ret)
		return ret;
	if (!asm_at_end(p))
		return asm_fail_parse(c);
	return asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | sz->val), a, b, off,
			acq ? BPF_LOAD_ACQ : BPF_STORE_REL);
}

/* "32" or "64" at the end: 32-bit class or not; else default 64 */
static void class_suffix(const char *s, size_t *len, bool *is32)
{
	*is32 = false;
	if (*len > 2 && !memcmp(s + *len - 2, "32", 2)) {
		*is32 = true;
		*len -= 2;
	} else if (*len > 2 && !memcmp(s + *len - 2, "64", 2)) {
		*len -= 2;
	}
}

/* lock [fetch] OP[32] [%rD+off], %rS */
static int lock(struct asm_ctx *c, const char *p)
{
	struct asm_name name;
	uint8_t dst, src;
	int16_t off;
	size_t len;
	bool fetch, is32;
	int32_t imm;
	int ret;

	fetch = asm_word(&p, "fetch");
	if (!asm_ident(&p, &name))
		return asm_fail_parse(c);
	if (!fetch && name.len >= 7 && (!memcmp(name.s, "acquire", 7) || !memcmp(name.s, "release", 7)))
		return acq_rel(c, p, &name);
	len = name.len;
	class_suffix(name.s, &len, &is32);
	if (!bpfs_atomic_op_find(name.s, len, &imm))
		return asm_fail(c, "unknown atomic operation '%.*s'", (int)name.len, name.s);
	imm |= fetch ? BPF_FETCH : 0;
	ret = memop(c, &p, &dst, &off);
	if (!ret)
		ret = comma(c, &p);
	if (!ret)
		ret = reg(c, &p, &src);
	if (ret)
		return ret;
	if (!asm_at_end(p))
		return asm_fail_parse(c);
	return asm_emit(c, (uint8_t)(BPF_STX | BPF_ATOMIC | (is32 ? BPF_W : BPF_DW)), dst, src, off, imm);
}

static int operands(struct asm_ctx *c, const char *p, const struct conf_op *op)
{
	uint8_t dst = 0, src = 0;
	int16_t off = op->off;
	int32_t imm = op->imm, rel = 0;
	uint8_t code = op->code;
	int ret = 0;

	switch (op->kind) {
	case K_ALU:
		ret = reg(c, &p, &dst);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = reg_or_imm(c, &p, &src, &imm);
		if (ret > 0)
			code |= BPF_X;
		break;
	case K_NEG:
	case K_END:
		ret = reg(c, &p, &dst);
		break;
	case K_MOVSX:
		ret = reg(c, &p, &dst);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = reg(c, &p, &src);
		break;
	case K_LDDW:
		ret = reg(c, &p, &dst);
		if (!ret)
			ret = comma(c, &p);
		return ret ? ret : lddw(c, p, dst);
	case K_LDX:
		ret = reg(c, &p, &dst);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = memop(c, &p, &src, &off);
		break;
	case K_ST:
		ret = memop(c, &p, &dst, &off);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = asm_need_imm32(c, &p, &imm);
		break;
	case K_STX:
		ret = memop(c, &p, &dst, &off);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = reg(c, &p, &src);
		break;
	case K_JCC:
		ret = reg(c, &p, &dst);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = reg_or_imm(c, &p, &src, &imm);
		if (ret > 0)
			code |= BPF_X;
		if (ret >= 0)
			ret = comma(c, &p);
		if (!ret)
			ret = asm_target(c, &p, FIX_JMP_OFF, &rel);
		off = (int16_t)rel;
		break;
	case K_JA:
		ret = asm_target(c, &p, FIX_JMP_OFF, &rel);
		off = (int16_t)rel;
		break;
	case K_JA32:
		ret = asm_target(c, &p, FIX_JMP_IMM, &imm);
		break;
	case K_EXIT:
		break;
	case K_CALL:
		return call(c, p);
	case K_LDABS:
		ret = asm_need_imm32(c, &p, &imm);
		break;
	case K_LDIND:
		ret = reg(c, &p, &src);
		if (!ret)
			ret = comma(c, &p);
		if (!ret)
			ret = asm_need_imm32(c, &p, &imm);
		break;
	}
	if (ret < 0)
		return ret;
	if (!asm_at_end(p))
		return asm_fail_parse(c);
	return asm_emit(c, code, dst, src, off, imm);
}

int asm_conf_line(struct asm_ctx *c, const char *p)
{
	struct asm_name name;
	struct conf_op op;

	if (!asm_ident(&p, &name))
		return asm_fail_parse(c);
	if (name.len == 4 && !memcmp(name.s, "lock", 4))
		return lock(c, p);
	if (name.len == 7 && !memcmp(name.s, "invalid", 7))
		return asm_invalid(c, p);
	if (!lookup(name.s, name.len, &op))
		return asm_fail(c, "unknown mnemonic '%.*s'", (int)name.len, name.s);
	return operands(c, p, &op);
}
