/* SPDX-License-Identifier: MIT */
/*
 * Private to the assembler (asm.c, asm_lex.c, asm_llvm.c, asm_conf.c).
 *
 * asm.c splits the text into lines, strips listing prefixes and comments,
 * collects labels and directives, and hands each instruction line to one of
 * two dialect parsers: asm_llvm.c (LLVM and verifier-log syntax, which share
 * one grammar) or asm_conf.c (the conformance dialect). A parser appends
 * instructions with asm_emit() and records a fixup for every symbolic
 * operand (label, helper or map name); asm.c resolves the fixups once the
 * whole text has been read, so forward references need no second pass.
 */
#ifndef BPFSCOPE_ASM_INT_H
#define BPFSCOPE_ASM_INT_H

#include "ir.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name in the working copy of the text; not NUL-terminated. */
struct asm_name {
	const char *s;
	size_t len;
};

enum asm_fix_kind {
	FIX_JMP_OFF,	/* label -> off = target - (i + 1), must fit s16 */
	FIX_JMP_IMM,	/* label -> imm (gotol, ja32) */
	FIX_CALL,	/* label -> local call; else a helper name */
	FIX_CALL_LOCAL, /* label -> local call only */
	FIX_LDIMM_SYM,	/* label -> BPF_PSEUDO_FUNC; else a map name */
};

struct asm_fixup {
	enum asm_fix_kind kind;
	size_t insn;
	struct asm_name name;
	int line;
};

struct asm_sym {
	struct asm_name name;
	int64_t value; /* insn index for labels, map index for maps */
	int line;
};

/* Open-addressing hash table of names; slots[i] indexes syms or is -1. */
struct asm_symtab {
	struct asm_sym *syms;
	size_t cnt, cap;
	int64_t *slots;
	size_t nslots;
};

struct asm_ctx {
	struct bpfs_err *err;
	int line;	   /* 1-based number of the line being read */
	const char *text;  /* that line's instruction text, for messages */
	int kernel_op;	   /* opcode of a "N: (xx)" prefix, or -1 */
	size_t kernel_idx; /* and its N */
	int raw_len;	   /* bytes of an objdump prefix (0, 8 or 16) */
	uint8_t raw[16];
	bool conformance;

	struct bpf_insn *insns;
	size_t cnt, cap;
	struct asm_fixup *fix;
	size_t nfix, capfix;
	struct asm_symtab labels;
	struct asm_symtab maps;
	char **map_names;
	size_t map_cnt;
	int64_t first_exit; /* conformance: "exit" names the first exit */
};

/* Errors: "line N: <message>"; return -EINVAL (or the given code). */
int asm_fail(struct asm_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int asm_fail_code(struct asm_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "line N: cannot parse '<line>'" */
int asm_fail_parse(struct asm_ctx *c);

/* Appends one instruction; returns 0, -ENOMEM or -E2BIG. */
int asm_emit(struct asm_ctx *c, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm);
/* Appends the two slots of LD_IMM64. */
int asm_emit_ldimm64(struct asm_ctx *c, uint8_t dst, uint8_t src, uint64_t imm);
/* Records a fixup against the last emitted instruction (or its first slot
 * for LD_IMM64). */
int asm_add_fixup(struct asm_ctx *c, enum asm_fix_kind kind, size_t insn, struct asm_name name);

/* ---------------------------------------------------------------------- */
/* Lexing (asm_lex.c). A cursor is a pointer into a NUL-terminated line.   */

/* A number as written: magnitude and sign, and where it was written. */
struct asm_num {
	uint64_t mag;
	bool neg;
	bool overflow; /* more than 64 bits of magnitude */
	const char *s; /* source text, for messages */
	size_t len;
};

static inline bool asm_is_ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '.' || ch == '$';
}

static inline bool asm_is_ident_char(char ch)
{
	return asm_is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

const char *asm_skip_ws(const char *p);
/* Matches a literal (after blanks); advances *p past it on success. */
bool asm_lit(const char **p, const char *lit);
/* Matches a whole word: the literal not followed by an identifier char. */
bool asm_word(const char **p, const char *word);
/* True when only blanks are left. */
bool asm_at_end(const char *p);
/* An identifier; false (and *p unchanged) when there is none. */
bool asm_ident(const char **p, struct asm_name *out);
/* A number with an optional sign: decimal or 0x hex. False when there is
 * no number here (*p unchanged). */
bool asm_number(const char **p, struct asm_num *n);

/* Registers: "r0".."r10", "w0".."w10", with an optional '%'. Returns 1 and
 * fills reg and is32, 0 when there is no register here (*p unchanged), or
 * a negative errno after reporting "unknown register". */
int asm_reg(struct asm_ctx *c, const char **p, uint8_t *reg, bool *is32);
/* Same, but a register is required ("expected a register"). */
int asm_need_reg(struct asm_ctx *c, const char **p, uint8_t *reg, bool *is32);

/* Range checks; each reports "<what> <text> out of range". */
int asm_imm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out);
int asm_off16(struct asm_ctx *c, const struct asm_num *n, int16_t *out);
int asm_imm64(struct asm_ctx *c, const struct asm_num *n, uint64_t *out);
/* A number that must be there, as imm32. */
int asm_need_imm32(struct asm_ctx *c, const char **p, int32_t *out);

/* Jump targets: "+3", "-2", "3", "pc+3", or a label (fixup kind given).
 * A label records a fixup against the next instruction and sets *rel to
 * 0. FIX_JMP_OFF offsets must fit 16 bits, the others 32. An objdump
 * annotation " <LBB0_2>" after the target is skipped. */
int asm_target(struct asm_ctx *c, const char **p, enum asm_fix_kind kind, int32_t *rel);

/* ---------------------------------------------------------------------- */
/* Dialects                                                               */

/* The pseudo LD_IMM64 operands of SYNTAX.md ("map[3]", "map_value[3][+16]",
 * ...), shared by both dialects. Sets *done when name is one of them and
 * fills src and the 64-bit imm (second slot's imm in the high half). */
int asm_ldimm_pseudo(struct asm_ctx *c, const char **p, struct asm_name name, uint8_t *src, uint64_t *imm,
		     bool *done);
/* "insn code=0xNN" after "invalid": what the disassembler prints for an
 * unknown opcode; emits that opcode with every other field zero. */
int asm_invalid(struct asm_ctx *c, const char *p);

/* Parses one instruction line (labels and prefixes already removed). */
int asm_llvm_line(struct asm_ctx *c, const char *p);
int asm_conf_line(struct asm_ctx *c, const char *p);
/* True when the line's first word is a mnemonic only the conformance
 * dialect has. */
bool asm_conf_line_is_conf(const char *p);

#endif /* BPFSCOPE_ASM_INT_H */
