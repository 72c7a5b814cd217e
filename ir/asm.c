/* SPDX-License-Identifier: MIT */
/*
 * Assembler driver: text in, instructions out.
 *
 * The text is copied once and cut into NUL-terminated lines in place; every
 * name the assembler keeps (labels, map names, fixup targets) points into
 * that copy. Then:
 *
 *   1. Each line loses its comment ("#" at the start or after a blank,
 *      ";", "//") and its listing prefix: llvm-objdump's "  12:\tb7 00 ..\t"
 *      (address and raw bytes) or the verifier log's "12: (b7) ".
 *   2. The dialect is chosen once for the whole text (see pick_dialect()).
 *   3. Lines are read in order. "name:" defines a label at the current
 *      instruction index; directives switch sections or emit data; every
 *      other line in a code section is one instruction, parsed by the
 *      dialect's parser, which records a fixup for each symbolic operand.
 *   4. Fixups are resolved: labels first, then helper names (calls) or map
 *      names (LD_IMM64, indexed in order of first use).
 *
 * Invariants: loops are bounded by the text length; numbers are checked
 * before they are narrowed; at most BPFS_MAX_INSNS instructions are made.
 */
#include "asm_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Errors                                                                 */

static int vfail(struct asm_ctx *c, int code, const char *fmt, va_list ap)
{
	char msg[sizeof(c->err->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (c->line > 0)
		return bpfs_err_set(c->err, code, -1, "line %d: %s", c->line, msg);
	return bpfs_err_set(c->err, code, -1, "%s", msg);
}

int asm_fail(struct asm_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(c, EINVAL, fmt, ap);
	va_end(ap);
	return ret;
}

int asm_fail_code(struct asm_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(c, code, fmt, ap);
	va_end(ap);
	return ret;
}

int asm_fail_parse(struct asm_ctx *c)
{
	return asm_fail(c, "cannot parse '%.200s'", c->text ? c->text : "");
}

/* ---------------------------------------------------------------------- */
/* Symbol tables                                                          */

static uint64_t name_hash(struct asm_name n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n.len; i++)
		h = (h ^ (uint8_t)n.s[i]) * 1099511628211ull;
	return h;
}

static bool name_eq(struct asm_name a, struct asm_name b)
{
	return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

static bool name_is(struct asm_name a, const char *s)
{
	return a.len == strlen(s) && !memcmp(a.s, s, a.len);
}

/* Index of the slot holding name, or of the empty slot where it belongs. */
static size_t symtab_slot(const struct asm_symtab *t, struct asm_name name)
{
	size_t mask = t->nslots - 1, i = name_hash(name) & mask;

	while (t->slots[i] >= 0 && !name_eq(t->syms[t->slots[i]].name, name))
		i = (i + 1) & mask;
	return i;
}

static struct asm_sym *symtab_find(const struct asm_symtab *t, struct asm_name name)
{
	size_t i;

	if (!t->nslots)
		return NULL;
	i = symtab_slot(t, name);
	return t->slots[i] >= 0 ? &t->syms[t->slots[i]] : NULL;
}

static int symtab_grow(struct asm_symtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 64, i;
	int64_t *slots = malloc(n * sizeof(*slots));
	struct asm_symtab nt;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		slots[i] = -1;
	nt = *t;
	nt.slots = slots;
	nt.nslots = n;
	for (i = 0; i < t->cnt; i++)
		slots[symtab_slot(&nt, t->syms[i].name)] = (int64_t)i;
	free(t->slots);
	*t = nt;
	return 0;
}

/* Adds name (which must not be present); returns its entry or NULL. */
static struct asm_sym *symtab_add(struct asm_symtab *t, struct asm_name name, int64_t value, int line)
{
	struct asm_sym *s;

	if ((t->cnt + 1) * 2 > t->nslots && symtab_grow(t))
		return NULL;
	if (t->cnt == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;

		s = realloc(t->syms, cap * sizeof(*s));
		if (!s)
			return NULL;
		t->syms = s;
		t->cap = cap;
	}
	s = &t->syms[t->cnt];
	s->name = name;
	s->value = value;
	s->line = line;
	t->slots[symtab_slot(t, name)] = (int64_t)t->cnt++;
	return s;
}

static void symtab_free(struct asm_symtab *t)
{
	free(t->syms);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ---------------------------------------------------------------------- */
/* Output                                                                 */

int asm_emit(struct asm_ctx *c, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn *insn;

	if (c->cnt >= BPFS_MAX_INSNS)
		return asm_fail_code(c, E2BIG, "more than %u instructions", BPFS_MAX_INSNS);
	if (c->cnt == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		insn = realloc(c->insns, cap * sizeof(*insn));
		if (!insn)
			return asm_fail_code(c, ENOMEM, "out of memory");
		c->insns = insn;
		c->cap = cap;
	}
	insn = &c->insns[c->cnt++];
	memset(insn, 0, sizeof(*insn));
	insn->code = code;
	insn->dst_reg = dst & 0xf;
	insn->src_reg = src & 0xf;
	insn->off = off;
	insn->imm = imm;
	return 0;
}

int asm_emit_ldimm64(struct asm_ctx *c, uint8_t dst, uint8_t src, uint64_t imm)
{
	int ret;

	ret = asm_emit(c, BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, (int32_t)(uint32_t)imm);
	if (ret)
		return ret;
	return asm_emit(c, 0, 0, 0, 0, (int32_t)(uint32_t)(imm >> 32));
}

int asm_add_fixup(struct asm_ctx *c, enum asm_fix_kind kind, size_t insn, struct asm_name name)
{
	struct asm_fixup *f;

	if (c->nfix == c->capfix) {
		size_t cap = c->capfix ? c->capfix * 2 : 32;

		f = realloc(c->fix, cap * sizeof(*f));
		if (!f)
			return asm_fail_code(c, ENOMEM, "out of memory");
		c->fix = f;
		c->capfix = cap;
	}
	f = &c->fix[c->nfix++];
	f->kind = kind;
	f->insn = insn;
	f->name = name;
	f->line = c->line;
	return 0;
}

/* 8 little-endian bytes as one instruction */
static int emit_bytes(struct asm_ctx *c, const uint8_t *b)
{
	uint32_t imm = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;

	return asm_emit(c, b[0], b[1] & 0xf, b[1] >> 4, (int16_t)(uint16_t)(b[2] | b[3] << 8), (int32_t)imm);
}

/* ---------------------------------------------------------------------- */
/* Lines, comments and listing prefixes                                   */

struct line {
	char *s; /* NUL-terminated, comment removed, not trimmed */
	int no;
};

static void strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if (*p == ';' || (p[0] == '/' && p[1] == '/') ||
		    (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))) {
			*p = '\0';
			return;
		}
	}
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int split_lines(char *text, struct line **out, size_t *cnt)
{
	size_t n = 1, i = 0;
	struct line *lines;
	char *p;

	for (p = text; *p; p++)
		n += *p == '\n';
	lines = calloc(n, sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	p = text;
	while (p) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		lines[i].s = p;
		lines[i].no = (int)(i < INT32_MAX ? i + 1 : INT32_MAX);
		strip_comment(p);
		rtrim(p);
		i++;
		p = nl ? nl + 1 : NULL;
	}
	*out = lines;
	*cnt = i;
	return 0;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static uint8_t hex_byte(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 2; i++) {
		char ch = p[i];

		v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
	}
	return (uint8_t)v;
}

/*
 * After "N:", either the verifier log's "(b7) " or llvm-objdump's raw bytes
 * ("b7 00 00 00 2a 00 00 00\t"). Bytes are kept: they disambiguate what
 * objdump's text loses (a local call prints as "call 5").
 */
static const char *strip_after_addr(struct asm_ctx *c, const char *p)
{
	const char *q = asm_skip_ws(p);
	int n = 0;

	if (q[0] == '(' && is_hex(q[1]) && is_hex(q[2]) && q[3] == ')') {
		c->kernel_op = hex_byte(q + 1);
		return q + 4;
	}
	while (n < 16 && is_hex(q[0]) && is_hex(q[1]) && (q[2] == ' ' || q[2] == '\t' || q[2] == '\0')) {
		c->raw[n++] = hex_byte(q);
		q = asm_skip_ws(q + 2);
	}
	if (n == 8 || n == 16) {
		c->raw_len = n;
		return q;
	}
	return p;
}

/* Removes "N:" listing prefixes; returns where the rest starts. */
static const char *strip_prefix(struct asm_ctx *c, const char *p)
{
	const char *q = asm_skip_ws(p);

	c->kernel_op = -1;
	c->kernel_idx = 0;
	c->raw_len = 0;
	if (*q < '0' || *q > '9')
		return p;
	while (*q >= '0' && *q <= '9') {
		if (c->kernel_idx <= BPFS_MAX_INSNS)
			c->kernel_idx = c->kernel_idx * 10 + (size_t)(*q - '0');
		q++;
	}
	if (*q != ':')
		return p;
	return strip_after_addr(c, q + 1);
}

/* Lines of a listing or a verifier log that are not instructions. */
static bool is_noise(const char *p)
{
	static const char *const starts[] = {
	    "Disassembly of section",
	    "processed ",
	    "from ",
	    "verification time",
	    "stack depth",
	    "func#",
	    "last_idx ",
	    "regs=",
	    "parent ",
	};
	size_t i;

	p = asm_skip_ws(p);
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (!strncmp(p, starts[i], strlen(starts[i])))
			return true;
	/* "prog.o:	file format elf64-bpf" */
	if (strstr(p, "file format "))
		return true;
	/* register state after a prefix: "R1=ctx() R10=fp0" */
	if (p[0] == 'R' && p[1] >= '0' && p[1] <= '9' && strchr(p, '='))
		return true;
	return false;
}

/* "0000000000000058 <name>:" heads a function or block in objdump output */
static bool objdump_symbol(const char *p, struct asm_name *name)
{
	const char *q = asm_skip_ws(p), *s;
	int n = 0;

	while (is_hex(*q))
		q++, n++;
	if (n < 8 || (*q != ' ' && *q != '\t'))
		return false;
	q = asm_skip_ws(q);
	if (*q != '<')
		return false;
	s = ++q;
	while (*q && *q != '>')
		q++;
	if (q[0] != '>' || q[1] != ':' || !asm_at_end(q + 2) || q == s)
		return false;
	name->s = s;
	name->len = (size_t)(q - s);
	return true;
}

/* ---------------------------------------------------------------------- */
/* Labels, sections and data directives                                   */

struct state {
	bool in_data;	 /* inside a data section: its lines are skipped */
	uint8_t pend[8]; /* bytes of a data directive not yet a whole insn */
	int npend;
};

static int define_label(struct asm_ctx *c, struct asm_name name)
{
	struct asm_sym *s = symtab_find(&c->labels, name);

	if (s)
		return asm_fail(c, "duplicate label '%.*s' (first defined on line %d)", (int)name.len, name.s,
				s->line);
	if (!symtab_add(&c->labels, name, (int64_t)c->cnt, c->line))
		return asm_fail_code(c, ENOMEM, "out of memory");
	return 0;
}

static bool section_is_data(const char *name, size_t len)
{
	static const char *const data[] = {
	    ".data",   ".bss",	    ".rodata",	 ".maps",   ".BTF",	".debug",
	    ".llvm",   ".note",	    ".eh_frame", ".rel",    ".comment", ".symtab",
	    ".strtab", ".shstrtab", "license",	 "version", "maps",
	};
	size_t i;

	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		size_t n = strlen(data[i]);

		if (len >= n && !memcmp(name, data[i], n) &&
		    (len == n || name[n] == '.' || name[n] == '/' || data[i][0] == '.'))
			return true;
	}
	return false;
}

static void set_section(struct state *st, const char *p)
{
	const char *q = asm_skip_ws(p), *s = q;

	if (*q == '"')
		s = ++q;
	while (*q && *q != ',' && *q != '"' && *q != ' ' && *q != '\t')
		q++;
	st->in_data = section_is_data(s, (size_t)(q - s));
}

static int data_value(struct asm_ctx *c, struct state *st, const char **p, int width)
{
	struct asm_num n;
	uint64_t v;
	int i;

	if (!asm_number(p, &n))
		return asm_fail(c, "expected a number at '%.20s'", asm_skip_ws(*p));
	if (n.overflow || (width < 8 && (n.neg ? n.mag > (1ull << (width * 8 - 1)) : n.mag >> (width * 8))))
		return asm_fail_code(c, ERANGE, "value %.*s out of range", (int)n.len, n.s);
	if (width == 8 && n.neg && n.mag > 0x8000000000000000ull)
		return asm_fail_code(c, ERANGE, "value %.*s out of range", (int)n.len, n.s);
	v = n.neg ? 0 - n.mag : n.mag;
	for (i = 0; i < width; i++) {
		int ret;

		st->pend[st->npend++] = (uint8_t)(v >> (8 * i));
		if (st->npend < 8)
			continue;
		st->npend = 0;
		ret = emit_bytes(c, st->pend);
		if (ret)
			return ret;
	}
	return 0;
}

static int data_directive(struct asm_ctx *c, struct state *st, const char *p, int width)
{
	int ret;

	do {
		ret = data_value(c, st, &p, width);
		if (ret)
			return ret;
	} while (asm_lit(&p, ","));
	if (!asm_at_end(p))
		return asm_fail_parse(c);
	return 0;
}

/* Data must come in whole instructions before anything else happens. */
static int check_partial(struct asm_ctx *c, struct state *st)
{
	if (st->npend)
		return asm_fail(c, "data is not a multiple of 8 bytes (%d left over)", st->npend);
	return 0;
}

static int directive(struct asm_ctx *c, struct state *st, const char *p)
{
	static const struct {
		const char *name;
		int width;
	} data[] = {
	    {".byte", 1}, {".short", 2}, {".hword", 2}, {".half", 2}, {".2byte", 2}, {".long", 4},
	    {".word", 4}, {".int", 4},	 {".4byte", 4}, {".quad", 8}, {".8byte", 8}, {".dword", 8},
	};
	size_t i;

	if (asm_word(&p, ".text")) {
		st->in_data = false;
		return 0;
	}
	if (asm_word(&p, ".data") || asm_word(&p, ".bss") || asm_word(&p, ".rodata")) {
		st->in_data = true;
		return 0;
	}
	if (asm_word(&p, ".section") || asm_word(&p, ".pushsection")) {
		set_section(st, p);
		return 0;
	}
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		if (!asm_word(&p, data[i].name))
			continue;
		if (st->in_data)
			return 0;
		return data_directive(c, st, p, data[i].width);
	}
	/* .globl, .p2align, .file, .type, .size, .addrsig, ... */
	return 0;
}

/* ---------------------------------------------------------------------- */
/* One line                                                               */

/*
 * Where llvm-objdump's text is known to lose a field, its raw bytes supply
 * it: it prints "<unknown>" for what it cannot decode (see instruction()),
 * a local call as "call N" (the bytes say src_reg 1), and LLVM 14 prints a
 * 32-bit atomic_fetch_add as "lock *(u32 *)(r5 + 0) += r0" (the bytes have
 * the fetch bit). Otherwise the text decides.
 */
static void reconcile_raw(struct asm_ctx *c, size_t first, bool symbolic)
{
	struct bpf_insn *insn;
	uint8_t raw_dst = c->raw[1] & 0xf, raw_src = c->raw[1] >> 4;
	int16_t raw_off = (int16_t)(uint16_t)(c->raw[2] | c->raw[3] << 8);
	uint32_t raw_imm = (uint32_t)c->raw[4] | (uint32_t)c->raw[5] << 8 | (uint32_t)c->raw[6] << 16 |
			   (uint32_t)c->raw[7] << 24;

	if (!c->raw_len || c->cnt != first + 1 || symbolic)
		return;
	insn = &c->insns[first];
	if (c->raw[0] != insn->code)
		return;
	if (insn->code == (BPF_JMP | BPF_CALL))
		insn->src_reg = raw_src;
	if (BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC &&
	    insn->dst_reg == raw_dst && insn->src_reg == raw_src && insn->off == raw_off)
		insn->imm = (int32_t)raw_imm;
}

static int instruction(struct asm_ctx *c, struct state *st, const char *p)
{
	size_t first = c->cnt, nfix = c->nfix;
	int ret;

	ret = check_partial(c, st);
	if (ret)
		return ret;
	if (c->raw_len && asm_lit(&p, "<unknown>")) {
		ret = emit_bytes(c, c->raw);
		if (!ret && c->raw_len == 16)
			ret = emit_bytes(c, c->raw + 8);
		return ret;
	}
	ret = c->conformance ? asm_conf_line(c, p) : asm_llvm_line(c, p);
	if (ret)
		return ret;
	reconcile_raw(c, first, c->nfix != nfix);
	return 0;
}

/* Labels at the start of a line ("LBB0_2:", "func1:"); returns the rest. */
static int labels(struct asm_ctx *c, struct state *st, const char **pp)
{
	struct asm_name name;
	const char *p = *pp, *q;
	int ret;

	for (;;) {
		q = p;
		if (!asm_ident(&q, &name) || *q != ':')
			break;
		p = q + 1;
		if (st->in_data)
			continue;
		ret = check_partial(c, st);
		if (!ret)
			ret = define_label(c, name);
		if (ret)
			return ret;
	}
	*pp = p;
	return 0;
}

/*
 * "0000000000000008:  R_BPF_64_64	my_map" (llvm-objdump -r) after an
 * LD_IMM64 names the map it loads, as "r1 = my_map ll" would. Other
 * relocations add nothing the instruction does not already say.
 */
static int relocation(struct asm_ctx *c, const char *p)
{
	struct asm_name type, sym;
	struct bpf_insn *insn;

	if (!asm_ident(&p, &type) || !asm_ident(&p, &sym))
		return 0;
	if (!name_is(type, "R_BPF_64_64") || c->cnt < 2)
		return 0;
	insn = &c->insns[c->cnt - 2];
	if (!bpfs_insn_is_ldimm64(insn) || insn->src_reg || insn->imm || c->insns[c->cnt - 1].imm)
		return 0;
	return asm_add_fixup(c, FIX_LDIMM_SYM, c->cnt - 2, sym);
}

static int one_line(struct asm_ctx *c, struct state *st, const char *s)
{
	struct asm_name name;
	const char *p;
	int ret;

	c->text = asm_skip_ws(s);
	if (asm_at_end(s) || is_noise(s))
		return 0;
	if (objdump_symbol(s, &name)) {
		ret = check_partial(c, st);
		return ret ? ret : define_label(c, name);
	}
	p = strip_prefix(c, s);
	if (c->kernel_op < 0 && !c->raw_len && p != s && is_noise(p))
		return 0;
	if (c->kernel_op < 0 && !c->raw_len && p != s && !strncmp(asm_skip_ws(p), "R_BPF_", 6))
		return relocation(c, asm_skip_ws(p));
	ret = labels(c, st, &p);
	if (ret)
		return ret;
	p = asm_skip_ws(p);
	c->text = p;
	if (*p == '\0')
		return 0;
	if (*p == '.' && asm_is_ident_start(p[1]))
		return directive(c, st, p);
	if (st->in_data)
		return 0;
	/* A verifier log shows an instruction again when another path reaches
	 * it, and skips what no path reaches (which cannot be rebuilt). */
	if (c->kernel_op >= 0 && c->kernel_idx < c->cnt)
		return 0;
	if (c->kernel_op >= 0 && c->kernel_idx > c->cnt)
		return asm_fail(c, "instruction %zu follows instruction %zu: the listing has a gap",
				c->kernel_idx, c->cnt ? c->cnt - 1 : 0);
	return instruction(c, st, p);
}

/* ---------------------------------------------------------------------- */
/* Dialect                                                                */

/*
 * The text is in the conformance dialect when any instruction line starts
 * (after labels) with a mnemonic that only that dialect has ("mov",
 * "add32", "ldxw", "jne", "lddw", "ja", "lock fetch", ...) and has no '='
 * and no "*(", or uses a '%'-prefixed register. Otherwise it is LLVM
 * syntax, which also reads the verifier log: the two differ only in forms
 * that cannot be confused ("goto pc+1" vs "goto +1"). Lines both dialects
 * share ("exit", "call 1") decide nothing.
 */
static bool pick_dialect(const struct line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = lines[i].s, *q;
		struct asm_name name;

		p = asm_skip_ws(p);
		for (;;) {
			q = p;
			if (!asm_ident(&q, &name) || *q != ':')
				break;
			p = q + 1;
		}
		if (asm_conf_line_is_conf(p))
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------- */
/* Fixups                                                                 */

static int add_map(struct asm_ctx *c, struct asm_name name, int64_t *idx)
{
	struct asm_sym *s = symtab_find(&c->maps, name);
	char **names, *copy;

	if (s) {
		*idx = s->value;
		return 0;
	}
	names = realloc(c->map_names, (c->map_cnt + 1) * sizeof(*names));
	if (!names)
		return -ENOMEM;
	c->map_names = names;
	copy = strndup(name.s, name.len);
	if (!copy)
		return -ENOMEM;
	if (!symtab_add(&c->maps, name, (int64_t)c->map_cnt, c->line)) {
		free(copy);
		return -ENOMEM;
	}
	names[c->map_cnt] = copy;
	*idx = (int64_t)c->map_cnt++;
	return 0;
}

static int32_t helper_by_name(struct asm_name name)
{
	char buf[128];

	if (name.len >= sizeof(buf))
		return -1;
	memcpy(buf, name.s, name.len);
	buf[name.len] = '\0';
	return bpfs_helper_id(buf);
}

static int resolve_one(struct asm_ctx *c, const struct asm_fixup *f)
{
	struct bpf_insn *insn = &c->insns[f->insn];
	struct asm_sym *label = symtab_find(&c->labels, f->name);
	int64_t target = label ? label->value : -1, rel, idx;
	int32_t id;

	c->line = f->line;
	if (!label && c->conformance && c->first_exit >= 0 && name_is(f->name, "exit"))
		target = c->first_exit;
	rel = target - (int64_t)f->insn - 1;
	if (target >= 0 && (f->kind == FIX_JMP_OFF ? rel < INT16_MIN || rel > INT16_MAX : rel < INT32_MIN))
		return asm_fail_code(c, ERANGE, "jump to '%.*s' out of range", (int)f->name.len, f->name.s);

	switch (f->kind) {
	case FIX_JMP_OFF:
	case FIX_JMP_IMM:
	case FIX_CALL_LOCAL:
		if (target < 0)
			return asm_fail(c, "undefined label '%.*s'", (int)f->name.len, f->name.s);
		if (f->kind == FIX_JMP_OFF)
			insn->off = (int16_t)rel;
		else
			insn->imm = (int32_t)rel;
		if (f->kind == FIX_CALL_LOCAL)
			insn->src_reg = BPF_PSEUDO_CALL;
		return 0;
	case FIX_CALL:
		if (target >= 0) {
			insn->src_reg = BPF_PSEUDO_CALL;
			insn->imm = (int32_t)rel;
			return 0;
		}
		id = helper_by_name(f->name);
		if (id < 0)
			return asm_fail(c, "undefined label or unknown helper '%.*s'", (int)f->name.len,
					f->name.s);
		insn->src_reg = 0;
		insn->imm = id;
		return 0;
	case FIX_LDIMM_SYM:
		if (target >= 0) {
			insn->src_reg = BPF_PSEUDO_FUNC;
			insn->imm = (int32_t)rel;
			return 0;
		}
		if (add_map(c, f->name, &idx))
			return asm_fail_code(c, ENOMEM, "out of memory");
		insn->src_reg = BPF_PSEUDO_MAP_FD;
		insn->imm = (int32_t)idx;
		return 0;
	}
	return asm_fail(c, "internal error: fixup kind %d", (int)f->kind);
}

static int resolve(struct asm_ctx *c)
{
	size_t i;
	int ret;

	for (i = 0; i < c->nfix; i++) {
		ret = resolve_one(c, &c->fix[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */

static void first_exit(struct asm_ctx *c)
{
	size_t i;

	c->first_exit = -1;
	for (i = 0; i < c->cnt; i++) {
		if (c->insns[i].code == (BPF_JMP | BPF_EXIT)) {
			c->first_exit = (int64_t)i;
			return;
		}
		if (bpfs_insn_is_ldimm64(&c->insns[i]))
			i++;
	}
}

static int assemble(struct asm_ctx *c, char *text)
{
	struct state st = {0};
	struct line *lines = NULL;
	size_t n = 0, i;
	int ret;

	ret = split_lines(text, &lines, &n);
	if (ret)
		return asm_fail_code(c, ENOMEM, "out of memory");
	c->conformance = pick_dialect(lines, n);
	for (i = 0; i < n; i++) {
		c->line = lines[i].no;
		ret = one_line(c, &st, lines[i].s);
		if (ret)
			goto out;
	}
	ret = check_partial(c, &st);
	if (ret)
		goto out;
	c->line = 0;
	c->text = NULL;
	if (!c->cnt) {
		ret = asm_fail(c, "no instructions");
		goto out;
	}
	first_exit(c);
	ret = resolve(c);
out:
	free(lines);
	return ret;
}

static void ctx_free(struct asm_ctx *c)
{
	size_t i;

	free(c->insns);
	free(c->fix);
	symtab_free(&c->labels);
	symtab_free(&c->maps);
	for (i = 0; i < c->map_cnt; i++)
		free(c->map_names[i]);
	free(c->map_names);
}

int bpfs_asm(const char *text, struct bpfs_asm_result *out, struct bpfs_err *err)
{
	struct asm_ctx c = {.err = err, .kernel_op = -1, .first_exit = -1};
	char *copy = NULL;
	struct bpf_insn *insns;
	int ret;

	bpfs_err_clear(err);
	if (out)
		memset(out, 0, sizeof(*out));
	if (!text || !out)
		return bpfs_err_set(err, EINVAL, -1, "no text to assemble");
	copy = strdup(text);
	if (!copy)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	ret = assemble(&c, copy);
	if (ret)
		goto out;
	insns = realloc(c.insns, c.cnt * sizeof(*insns));
	if (insns)
		c.insns = insns;
	out->insns = c.insns;
	out->cnt = c.cnt;
	out->map_names = c.map_names;
	out->map_cnt = c.map_cnt;
	c.insns = NULL;
	c.map_names = NULL;
	c.map_cnt = 0;
out:
	ctx_free(&c);
	free(copy);
	return ret;
}

void bpfs_asm_result_release(struct bpfs_asm_result *res)
{
	size_t i;

	if (!res)
		return;
	free(res->insns);
	for (i = 0; i < res->map_cnt; i++)
		free(res->map_names[i]);
	free(res->map_names);
	memset(res, 0, sizeof(*res));
}
