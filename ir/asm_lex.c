/* SPDX-License-Identifier: MIT */
/*
 * Lexing for the assembler: blanks, literals, words, identifiers, numbers,
 * registers and jump targets, each read from a cursor into one
 * NUL-terminated line. Nothing here allocates; numbers are accumulated
 * with an overflow check, so any input is safe.
 */
#include "asm_int.h"

#include <errno.h>
#include <string.h>

const char *asm_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
		p++;
	return p;
}

bool asm_lit(const char **p, const char *lit)
{
	const char *q = asm_skip_ws(*p);
	size_t n = strlen(lit);

	if (strncmp(q, lit, n))
		return false;
	*p = q + n;
	return true;
}

bool asm_word(const char **p, const char *word)
{
	const char *q = asm_skip_ws(*p);
	size_t n = strlen(word);

	if (strncmp(q, word, n) || asm_is_ident_char(q[n]))
		return false;
	*p = q + n;
	return true;
}

bool asm_at_end(const char *p)
{
	return *asm_skip_ws(p) == '\0';
}

bool asm_ident(const char **p, struct asm_name *out)
{
	const char *q = asm_skip_ws(*p), *s = q;

	if (!asm_is_ident_start(*q))
		return false;
	while (asm_is_ident_char(*q))
		q++;
	out->s = s;
	out->len = (size_t)(q - s);
	*p = q;
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool asm_number(const char **p, struct asm_num *n)
{
	const char *q = asm_skip_ws(*p), *s = q;
	unsigned base = 10;
	int d;

	memset(n, 0, sizeof(*n));
	if (*q == '-' || *q == '+') {
		n->neg = *q == '-';
		q++;
	}
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X') && hexval(q[2]) >= 0) {
		base = 16;
		q += 2;
	} else if (*q < '0' || *q > '9') {
		return false;
	}
	while ((d = hexval(*q)) >= 0 && (unsigned)d < base) {
		if (n->mag > (UINT64_MAX - (unsigned)d) / base)
			n->overflow = true;
		n->mag = n->mag * base + (unsigned)d;
		q++;
	}
	/* "12abc" is not a number followed by a word */
	if (asm_is_ident_char(*q))
		return false;
	n->s = s;
	n->len = (size_t)(q - s);
	*p = q;
	return true;
}

int asm_reg(struct asm_ctx *c, const char **p, uint8_t *reg, bool *is32)
{
	const char *q = asm_skip_ws(*p), *s = q;
	unsigned v = 0;
	int digits = 0;

	if (*q == '%')
		q++;
	if (*q != 'r' && *q != 'w')
		return 0;
	*is32 = *q == 'w';
	q++;
	while (*q >= '0' && *q <= '9') {
		if (digits < 6)
			v = v * 10 + (unsigned)(*q - '0');
		digits++;
		q++;
	}
	if (!digits || asm_is_ident_char(*q))
		return 0;
	if (v > BPFS_MAX_REG || digits > 2)
		return asm_fail(c, "unknown register '%.*s'", (int)(q - s), s);
	*reg = (uint8_t)v;
	*p = q;
	return 1;
}

int asm_need_reg(struct asm_ctx *c, const char **p, uint8_t *reg, bool *is32)
{
	int ret = asm_reg(c, p, reg, is32);
	const char *q;

	if (ret)
		return ret < 0 ? ret : 0;
	q = asm_skip_ws(*p);
	if (*q == '\0')
		return asm_fail(c, "expected a register at end of '%s'", c->text);
	return asm_fail(c, "expected a register at '%.20s'", q);
}

static int out_of_range(struct asm_ctx *c, const char *what, const struct asm_num *n)
{
	return asm_fail_code(c, ERANGE, "%s %.*s out of range", what, (int)n->len, n->s);
}

int asm_imm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out)
{
	if (n->overflow || (n->neg ? n->mag > 0x80000000ull : n->mag > 0xffffffffull))
		return out_of_range(c, "immediate", n);
	*out = n->neg ? (int32_t)(uint32_t)(0u - (uint32_t)n->mag) : (int32_t)(uint32_t)n->mag;
	return 0;
}

int asm_off16(struct asm_ctx *c, const struct asm_num *n, int16_t *out)
{
	if (n->overflow || (n->neg ? n->mag > 0x8000u : n->mag > 0x7fffu))
		return out_of_range(c, "offset", n);
	*out = n->neg ? (int16_t)(uint16_t)(0u - (uint16_t)n->mag) : (int16_t)n->mag;
	return 0;
}

int asm_imm64(struct asm_ctx *c, const struct asm_num *n, uint64_t *out)
{
	if (n->overflow || (n->neg && n->mag > 0x8000000000000000ull))
		return out_of_range(c, "immediate", n);
	*out = n->neg ? 0 - n->mag : n->mag;
	return 0;
}

int asm_need_imm32(struct asm_ctx *c, const char **p, int32_t *out)
{
	struct asm_num n;

	if (!asm_number(p, &n))
		return asm_fail(c, "expected a number at '%.20s'", asm_skip_ws(*p));
	return asm_imm32(c, &n, out);
}

/* " <LBB0_2>" or " <f+0x10>" that llvm-objdump appends to jump targets */
static void skip_annotation(const char **p)
{
	const char *q = asm_skip_ws(*p);

	if (*q != '<')
		return;
	while (*q && *q != '>')
		q++;
	if (*q == '>')
		*p = q + 1;
}

int asm_target(struct asm_ctx *c, const char **p, enum asm_fix_kind kind, int32_t *rel)
{
	struct asm_num n;
	struct asm_name name;
	const char *q = *p;
	int16_t off;
	int ret;

	*rel = 0;
	/* "pc+3" is the verifier log's form */
	q = asm_skip_ws(*p);
	if (!(q[0] == 'p' && q[1] == 'c' && (q[2] == '+' || q[2] == '-')))
		q = *p;
	else
		q += 2;
	if (asm_number(&q, &n)) {
		if (kind == FIX_JMP_OFF) {
			ret = asm_off16(c, &n, &off);
			*rel = off;
		} else {
			ret = asm_imm32(c, &n, rel);
		}
		if (ret)
			return ret;
		skip_annotation(&q);
		*p = q;
		return 0;
	}
	if (!asm_ident(&q, &name))
		return asm_fail(c, "expected a jump target at '%.20s'", asm_skip_ws(*p));
	ret = asm_add_fixup(c, kind, c->cnt, name);
	if (ret)
		return ret;
	skip_annotation(&q);
	*p = q;
	return 0;
}
