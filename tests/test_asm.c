/* SPDX-License-Identifier: MIT */
/*
 * The assembler: one table per dialect (text -> expected instructions),
 * error messages, round trips through the disassembler in all three
 * syntaxes for every opcode, agreement with llvm-mc, the conformance data
 * set, and robustness against mangled input. Every table row is its own
 * test case, e.g. -p /asm/llvm/ldx-u32.
 */
#include "ir.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define I(c, d, s, o, i)                                                                                     \
	{                                                                                                    \
		.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)                          \
	}
#define MAX_ROW 8

struct asm_case {
	const char *name;
	const char *text;
	int cnt;
	struct bpf_insn insns[MAX_ROW];
};

static char *insns_str(const struct bpf_insn *insns, size_t cnt)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < cnt; i++)
		g_string_append_printf(s, "{%02x %u %u %d %d} ", insns[i].code, insns[i].dst_reg,
				       insns[i].src_reg, insns[i].off, insns[i].imm);
	return g_string_free(s, FALSE);
}

static void assert_insns(const struct bpf_insn *got, size_t got_cnt, const struct bpf_insn *want,
			 size_t want_cnt, const char *text)
{
	if (got_cnt != want_cnt || memcmp(got, want, want_cnt * sizeof(*want))) {
		char *a = insns_str(got, got_cnt), *b = insns_str(want, want_cnt);

		g_test_message("text:\n%s\ngot:  %s\nwant: %s", text, a, b);
		g_free(a);
		g_free(b);
		g_test_fail();
	}
}

static void run_case(gconstpointer data)
{
	const struct asm_case *tc = data;
	struct bpfs_asm_result res;
	struct bpfs_err err;
	int ret;

	ret = bpfs_asm(tc->text, &res, &err);
	if (ret) {
		g_test_message("'%s': %s", tc->text, err.msg);
		g_test_fail();
		return;
	}
	assert_insns(res.insns, res.cnt, tc->insns, (size_t)tc->cnt, tc->text);
	bpfs_asm_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* LLVM syntax                                                            */

static const struct asm_case llvm_cases[] = {
    {"mov-imm", "r0 = 42", 1, {I(0xb7, 0, 0, 0, 42)}},
    {"mov-neg", "r0 = -1", 1, {I(0xb7, 0, 0, 0, -1)}},
    {"mov-u32", "r0 = 0xffffffff", 1, {I(0xb7, 0, 0, 0, -1)}},
    {"mov32-add", "w0 += 1", 1, {I(0x04, 0, 0, 0, 1)}},
    {"mov-reg", "r1 = r10", 1, {I(0xbf, 1, 10, 0, 0)}},
    {"add-neg", "r1 += -8", 1, {I(0x07, 1, 0, 0, -8)}},
    {"arsh", "r0 s>>= 3", 1, {I(0xc7, 0, 0, 0, 3)}},
    {"arsh32-reg", "w0 s>>= w1", 1, {I(0xcc, 0, 1, 0, 0)}},
    {"lsh", "r0 <<= 32", 1, {I(0x67, 0, 0, 0, 32)}},
    {"all-ops",
     "r1 -= r2\nr1 *= 3\nr1 /= r2\nr1 |= 1",
     4,
     {I(0x1f, 1, 2, 0, 0), I(0x27, 1, 0, 0, 3), I(0x3f, 1, 2, 0, 0), I(0x47, 1, 0, 0, 1)}},
    {"more-ops",
     "r1 &= r2\nr1 >>= 3\nr1 %= r2\nr1 ^= 7",
     4,
     {I(0x5f, 1, 2, 0, 0), I(0x77, 1, 0, 0, 3), I(0x9f, 1, 2, 0, 0), I(0xa7, 1, 0, 0, 7)}},
    {"neg", "r0 = -r0\nw3 = -w3", 2, {I(0x87, 0, 0, 0, 0), I(0x84, 3, 0, 0, 0)}},
    {"ldx-u32", "r0 = *(u32 *)(r1 + 4)", 1, {I(0x61, 0, 1, 4, 0)}},
    {"ldx-w", "w0 = *(u8 *)(r1 - 1)", 1, {I(0x71, 0, 1, -1, 0)}},
    {"stx-u64", "*(u64 *)(r10 - 8) = r1", 1, {I(0x7b, 10, 1, -8, 0)}},
    {"st-u32", "*(u32 *)(r10 - 8) = 5", 1, {I(0x62, 10, 0, -8, 5)}},
    {"jgt-imm", "if r1 > 5 goto +3", 1, {I(0x25, 1, 0, 3, 5)}},
    {"jslt32-reg", "if w1 s< w2 goto -2", 1, {I(0xce, 1, 2, -2, 0)}},
    {"jset", "if r1 & 2 goto +0", 1, {I(0x45, 1, 0, 0, 2)}},
    {"goto", "goto +1", 1, {I(0x05, 0, 0, 1, 0)}},
    {"labels",
     "LBB0_1:\n\tr0 = 0\n\tif r0 == 0 goto LBB0_2\n\tgoto LBB0_1\nLBB0_2:\n\texit",
     4,
     {I(0xb7, 0, 0, 0, 0), I(0x15, 0, 0, 1, 0), I(0x05, 0, 0, -3, 0), I(0x95, 0, 0, 0, 0)}},
    {"ldimm64", "r1 = 0x1122334455667788 ll", 2, {I(0x18, 1, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344)}},
    {"ldimm64-dec", "r1 = -1 ll", 2, {I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1)}},
    {"map-sym",
     "r1 = my_map ll\nr2 = other ll\nr3 = my_map ll",
     6,
     {I(0x18, 1, 1, 0, 0), I(0, 0, 0, 0, 0), I(0x18, 2, 1, 0, 1), I(0, 0, 0, 0, 0), I(0x18, 3, 1, 0, 0),
      I(0, 0, 0, 0, 0)}},
    {"call-helper", "call 1", 1, {I(0x85, 0, 0, 0, 1)}},
    {"call-name",
     "call bpf_map_lookup_elem\ncall map_update_elem",
     2,
     {I(0x85, 0, 0, 0, 1), I(0x85, 0, 0, 0, 2)}},
    {"call-local",
     "call f\nexit\nf:\nexit",
     3,
     {I(0x85, 0, 1, 0, 1), I(0x95, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)}},
    {"call-rel", "call -1\ncall pc+2", 2, {I(0x85, 0, 1, 0, -1), I(0x85, 0, 1, 0, 2)}},
    {"callx", "callx r3", 1, {I(0x8d, 3, 0, 0, 0)}},
    {"kfunc", "call kfunc[7]\ncall kfunc[7][+2]", 2, {I(0x85, 0, 2, 0, 7), I(0x85, 0, 2, 2, 7)}},
    {"exit", "exit", 1, {I(0x95, 0, 0, 0, 0)}},
    {"lock-add", "lock *(u64 *)(r10 - 8) += r1", 1, {I(0xdb, 10, 1, -8, 0)}},
    {"lock-32",
     "lock *(u32 *)(r10 - 8) += w1\nlock *(u32 *)(r1 + 0) &= w2",
     2,
     {I(0xc3, 10, 1, -8, 0), I(0xc3, 1, 2, 0, 0x50)}},
    {"lock-ops",
     "lock *(u64 *)(r1 + 0) |= r2\nlock *(u64 *)(r1 + 0) ^= r2",
     2,
     {I(0xdb, 1, 2, 0, 0x40), I(0xdb, 1, 2, 0, 0xa0)}},
    {"fetch-add", "r0 = atomic_fetch_add((u64 *)(r1 + 0), r0)", 1, {I(0xdb, 1, 0, 0, 0x01)}},
    {"fetch-32", "w2 = atomic_fetch_and((u32 *)(r1 + 0), w2)", 1, {I(0xc3, 1, 2, 0, 0x51)}},
    {"fetch-or-xor",
     "r1 = atomic_fetch_or((u64 *)(r4 + 0), r1)\nr1 = atomic_fetch_xor((u64 *)(r4 + 0), r1)",
     2,
     {I(0xdb, 4, 1, 0, 0x41), I(0xdb, 4, 1, 0, 0xa1)}},
    {"xchg",
     "r0 = xchg_64(r1 + 0, r0)\nw6 = xchg32_32(r5 + 8, w6)",
     2,
     {I(0xdb, 1, 0, 0, 0xe1), I(0xc3, 5, 6, 8, 0xe1)}},
    {"cmpxchg",
     "r0 = cmpxchg_64(r1 + 0, r0, r2)\nw0 = cmpxchg32_32(r5 + 0, w0, w6)",
     2,
     {I(0xdb, 1, 2, 0, 0xf1), I(0xc3, 5, 6, 0, 0xf1)}},
    {"swap",
     "r1 = be16 r1\nr1 = le64 r1\nr1 = bswap16 r1\nbe32 r2",
     4,
     {I(0xdc, 1, 0, 0, 16), I(0xd4, 1, 0, 0, 64), I(0xd7, 1, 0, 0, 16), I(0xdc, 2, 0, 0, 32)}},
    {"ld-abs", "r0 = *(u8 *)skb[12]", 1, {I(0x30, 0, 0, 0, 12)}},
    {"ld-ind",
     "r0 = *(u16 *)skb[r1]\nr0 = *(u32 *)skb[r1 + 12]",
     2,
     {I(0x48, 0, 1, 0, 0), I(0x40, 0, 1, 0, 12)}},
    {"sdiv", "r1 s/= r2\nw1 s%= 3", 2, {I(0x3f, 1, 2, 1, 0), I(0x94, 1, 0, 1, 3)}},
    {"movsx",
     "r1 = (s8)r2\nw1 = (s16)w2\nr1 = (s32)r2",
     3,
     {I(0xbf, 1, 2, 8, 0), I(0xbc, 1, 2, 16, 0), I(0xbf, 1, 2, 32, 0)}},
    {"memsx", "r1 = *(s8 *)(r2 + 0)\nr1 = *(s32 *)(r2 - 4)", 2, {I(0x91, 1, 2, 0, 0), I(0x81, 1, 2, -4, 0)}},
    {"gotol", "gotol +70000\ngotol -1", 2, {I(0x06, 0, 0, 0, 70000), I(0x06, 0, 0, 0, -1)}},
    {"gotol-label",
     "gotol L\nexit\nL: exit",
     3,
     {I(0x06, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)}},
    {"pseudo-ldimm",
     "r1 = map[3] ll\nr2 = map_value[3][+16] ll",
     4,
     {I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0), I(0x18, 2, 2, 0, 3), I(0, 0, 0, 0, 16)}},
    {"pseudo-func",
     "r2 = f ll\nexit\nf: exit",
     4,
     {I(0x18, 2, 4, 0, 2), I(0, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)}},
    {"data", ".byte 0xb7, 0x01, 0, 0\n.long 42\n.quad 0x95", 2, {I(0xb7, 1, 0, 0, 42), I(0x95, 0, 0, 0, 0)}},
    {"comments",
     "# leading\n  r0 = 1 # trailing\n; semicolon\nr0 = 2 // slashes\n\n",
     2,
     {I(0xb7, 0, 0, 0, 1), I(0xb7, 0, 0, 0, 2)}},
    {"directives",
     "\t.text\n\t.file \"a.c\"\n\t.globl f\n\t.p2align 3\n\t.type f,@function\nf:\n\tr0 = 0\n\texit\n"
     ".Lfunc_end0:\n\t.size f, .Lfunc_end0-f\n\t.section .bss,\"aw\",@nobits\nx:\n\t.quad 0\n",
     2,
     {I(0xb7, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)}},
    {"objdump",
     "\nb.o:\tfile format elf64-bpf\n\nDisassembly of section .text:\n\n0000000000000000 <f>:\n"
     "       0:\tb7 00 00 00 2a 00 00 00\tr0 = 42\n"
     "       1:\t18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11\tr1 = 1234605616436508552 ll\n"
     "       3:\t85 10 00 00 01 00 00 00\tcall 1\n"
     "       4:\t05 00 01 00 00 00 00 00\tgoto +1 <LBB0_2>\n"
     "       5:\tc3 65 00 00 e1 00 00 00\t<unknown>\n"
     "       6:\t95 00 00 00 00 00 00 00\texit\n",
     7,
     {I(0xb7, 0, 0, 0, 42), I(0x18, 1, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344), I(0x85, 0, 1, 0, 1),
      I(0x05, 0, 0, 1, 0), I(0xc3, 5, 6, 0, 0xe1), I(0x95, 0, 0, 0, 0)}},
    {"objdump-reloc",
     "      18:\t18 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr5 = 0 ll\n"
     "\t\t0000000000000090:  R_BPF_64_64\ty\n"
     "      21:\tc3 05 00 00 01 00 00 00\tlock *(u32 *)(r5 + 0) += r0\n",
     3,
     {I(0x18, 5, 1, 0, 0), I(0, 0, 0, 0, 0), I(0xc3, 5, 0, 0, 0x01)}},
    {"load-acquire",
     "r0 = load_acquire((u64 *)(r1 + 8))\nstore_release((u32 *)(r1 + 0), w2)",
     2,
     {I(0xdb, 0, 1, 8, 0x100), I(0xc3, 1, 2, 0, 0x110)}},
    {"may-goto", "may_goto +2", 1, {I(0xe5, 0, 0, 2, 0)}},
    {"addr-space-cast", "r1 = addr_space_cast(r2, 0, 1)", 1, {I(0xbf, 1, 2, 1, 1)}},
};

/* ---------------------------------------------------------------------- */
/* Verifier log syntax                                                    */

static const struct asm_case kernel_cases[] = {
    {"prefixed", "0: (b7) r0 = 42\n1: (95) exit", 2, {I(0xb7, 0, 0, 0, 42), I(0x95, 0, 0, 0, 0)}},
    {"goto-pc", "goto pc+1\nif r1 > 0x5 goto pc-2", 2, {I(0x05, 0, 0, 1, 0), I(0x25, 1, 0, -2, 5)}},
    {"st-offset",
     "*(u64 *)(r10 -8) = 0\nr0 = *(u32 *)(r1 +4)",
     2,
     {I(0x7a, 10, 0, -8, 0), I(0x61, 0, 1, 4, 0)}},
    {"call-hash",
     "call bpf_map_lookup_elem#1\ncall unknown#999\ncall pc+3\ncall kernel-function#12",
     4,
     {I(0x85, 0, 0, 0, 1), I(0x85, 0, 0, 0, 999), I(0x85, 0, 1, 0, 3), I(0x85, 0, 2, 0, 12)}},
    {"ldimm64",
     "0: (18) r1 = 0x0\n2: (18) r2 = 0x1122334455667788\n4: (95) exit",
     5,
     {I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0), I(0x18, 2, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344),
      I(0x95, 0, 0, 0, 0)}},
    {"atomics",
     "r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)\nr0 = atomic_cmpxchg((u32 *)(r2 +0), r0, r3)\n"
     "r4 = atomic64_xchg((u64 *)(r10 -16), r4)",
     3,
     {I(0xdb, 10, 1, -8, 0x01), I(0xc3, 2, 3, 0, 0xf1), I(0xdb, 10, 4, -16, 0xe1)}},
    {"jmp-u32-imm", "if w1 == 0xffffffff goto pc+0", 1, {I(0x16, 1, 0, 0, -1)}},
    {"verifier-log",
     "func#0 @0\n0: R1=ctx() R10=fp0\n0: (b7) r0 = 0                        ; R0_w=0\n"
     "1: (15) if r1 == 0x0 goto pc+1\n2: (b7) r0 = 1\n3: (95) exit\nfrom 1 to 3: R0=0\n3: (95) exit\n"
     "processed 5 insns (limit 1000000) max_states_per_insn 0 total_states 0\n",
     4,
     {I(0xb7, 0, 0, 0, 0), I(0x15, 1, 0, 1, 0), I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0)}},
};

/* ---------------------------------------------------------------------- */
/* Conformance dialect                                                    */

static const struct asm_case conf_cases[] = {
    {"mov",
     "mov %r0, 1\nmov32 %r1, -3\nmov r2, r3",
     3,
     {I(0xb7, 0, 0, 0, 1), I(0xb4, 1, 0, 0, -3), I(0xbf, 2, 3, 0, 0)}},
    {"alu",
     "add32 %r0, -3\nsub %r1, %r2\narsh32 %r1, 3\nneg %r3",
     4,
     {I(0x04, 0, 0, 0, -3), I(0x1f, 1, 2, 0, 0), I(0xc4, 1, 0, 0, 3), I(0x87, 3, 0, 0, 0)}},
    {"signed", "sdiv %r1, %r2\nsmod32 %r1, 3", 2, {I(0x3f, 1, 2, 1, 0), I(0x94, 1, 0, 1, 3)}},
    {"mem",
     "ldxw %r0, [%r1+4]\nstxdw [%r10-8], %r0\nstw [%r1+2], 0x11223344\nldxsb %r0, [%r10]",
     4,
     {I(0x61, 0, 1, 4, 0), I(0x7b, 10, 0, -8, 0), I(0x62, 1, 0, 2, 0x11223344), I(0x91, 0, 10, 0, 0)}},
    {"jumps",
     "jne %r1, 15, L\nja +2\njsgt32 %r1, %r2, -1\nL: exit",
     4,
     {I(0x55, 1, 0, 2, 15), I(0x05, 0, 0, 2, 0), I(0x6e, 1, 2, -1, 0), I(0x95, 0, 0, 0, 0)}},
    {"exit-label",
     "jeq %r1, 0, exit\nmov %r0, 1\nexit",
     3,
     {I(0x15, 1, 0, 1, 0), I(0xb7, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0)}},
    {"lddw",
     "lddw %r0, 0x1122334455667788\nlddw %r1, map[3]",
     4,
     {I(0x18, 0, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344), I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0)}},
    {"lock",
     "lock add [%r10-8], %r1\nlock fetch xor32 [%r10-4], %r3\nlock xchg [%r1], %r2\nlock cmpxchg32 [%r1+8], "
     "%r2",
     4,
     {I(0xdb, 10, 1, -8, 0), I(0xc3, 10, 3, -4, 0xa1), I(0xdb, 1, 2, 0, 0xe1), I(0xc3, 1, 2, 8, 0xf1)}},
    {"calls",
     "call 1\ncall local f\ncall %r2\nf: call kfunc 7, 2",
     4,
     {I(0x85, 0, 0, 0, 1), I(0x85, 0, 1, 0, 1), I(0x8d, 2, 0, 0, 0), I(0x85, 0, 2, 2, 7)}},
    {"swaps",
     "be16 %r1\nle32 %r1\nswap64 %r1\nbswap16 %r2",
     4,
     {I(0xdc, 1, 0, 0, 16), I(0xd4, 1, 0, 0, 32), I(0xd7, 1, 0, 0, 64), I(0xd7, 2, 0, 0, 16)}},
    {"movsx", "movsx832 %r2, %r1\nmovsx3264 %r0, %r9", 2, {I(0xbc, 2, 1, 8, 0), I(0xbf, 0, 9, 32, 0)}},
    {"ja32", "ja32 L\nL: exit", 2, {I(0x06, 0, 0, 0, 0), I(0x95, 0, 0, 0, 0)}},
    {"ld-abs-ind", "ldabsh 12\nldindb %r1, 4", 2, {I(0x28, 0, 0, 0, 12), I(0x50, 0, 1, 0, 4)}},
    {"imm-u32", "jne %r6, 0xffffff80, +0", 1, {I(0x55, 6, 0, 0, -128)}},
};

/* ---------------------------------------------------------------------- */
/* Errors                                                                 */

struct err_case {
	const char *name;
	const char *text;
	const char *msg; /* expected substring */
};

static const struct err_case err_cases[] = {
    {"bad-reg", "r0 = 1\n\n\n\n\n\nr11 = 1", "line 7: unknown register 'r11'"},
    {"undef-label", "r0 = 0\nexit\ngoto foo", "line 3: undefined label 'foo'"},
    {"imm-range", "r0 = 1\nr0 = 0x1ffffffff", "line 2: immediate 0x1ffffffff out of range"},
    {"imm-neg-range", "r0 = -2147483649", "immediate -2147483649 out of range"},
    {"parse", "exit\nexit\nexit\nexit\nexit\nexit\nexit\nexit\nr0 =+ 1", "line 9: cannot parse 'r0 =+ 1'"},
    {"off-range", "r0 = *(u32 *)(r1 + 40000)", "offset + 40000 out of range"},
    {"jmp-range", "goto +32768", "offset +32768 out of range"},
    {"huge", "r0 = 99999999999999999999999 ll", "out of range"},
    {"dup-label", "a:\nexit\na:\nexit", "line 3: duplicate label 'a' (first defined on line 1)"},
    {"unknown-call", "call no_such_helper", "unknown helper 'no_such_helper'"},
    {"empty", "# nothing\n", "no instructions"},
    {"partial-data", ".byte 1, 2, 3", "not a multiple of 8 bytes"},
    {"conf-mnemonic", "mov %r0, 1\nfrob %r0", "line 2: unknown mnemonic 'frob'"},
    {"conf-reg", "mov %r0, 1\nadd %r12, 1", "line 2: unknown register '%r12'"},
    {"width", "w1 += r2", "register width mismatch"},
    {"cmpxchg-r0", "r1 = cmpxchg_64(r1 + 0, r1, r2)", "cmpxchg uses r0"},
    {"log-gap", "0: (b7) r0 = 0\n2: (95) exit", "line 2: instruction 2 follows instruction 0"},
};

static void run_err_case(gconstpointer data)
{
	const struct err_case *tc = data;
	struct bpfs_asm_result res;
	struct bpfs_err err;
	int ret;

	ret = bpfs_asm(tc->text, &res, &err);
	if (!ret) {
		g_test_message("'%s' assembled", tc->text);
		g_test_fail();
		bpfs_asm_result_release(&res);
		return;
	}
	g_assert_cmpint(ret, <, 0);
	g_assert_null(res.insns);
	if (!strstr(err.msg, tc->msg)) {
		g_test_message("message '%s' lacks '%s'", err.msg, tc->msg);
		g_test_fail();
	}
}

/* ---------------------------------------------------------------------- */
/* Round trips through the disassembler                                   */

struct rt_case {
	char *name;
	size_t cnt;
	struct bpf_insn insns[2];
	bool no_kernel; /* the verifier's text loses a field */
};

static GPtrArray *rt_cases;

static void rt_add(const char *name, struct bpf_insn a, bool no_kernel)
{
	struct rt_case *c = g_new0(struct rt_case, 1);

	c->name = g_strdup(name);
	c->cnt = 1;
	c->insns[0] = a;
	c->no_kernel = no_kernel;
	g_ptr_array_add(rt_cases, c);
}

static void rt_add2(const char *name, struct bpf_insn a, struct bpf_insn b, bool no_kernel)
{
	rt_add(name, a, no_kernel);
	((struct rt_case *)rt_cases->pdata[rt_cases->len - 1])->insns[1] = b;
	((struct rt_case *)rt_cases->pdata[rt_cases->len - 1])->cnt = 2;
}

static void rt_build(void)
{
	static const struct {
		const char *n;
		int op;
	} alu[] = {{"add", BPF_ADD}, {"sub", BPF_SUB}, {"mul", BPF_MUL}, {"div", BPF_DIV},
		   {"or", BPF_OR},   {"and", BPF_AND}, {"lsh", BPF_LSH}, {"rsh", BPF_RSH},
		   {"mod", BPF_MOD}, {"xor", BPF_XOR}, {"mov", BPF_MOV}, {"arsh", BPF_ARSH}},
	  jmp[] = {{"jeq", BPF_JEQ}, {"jgt", BPF_JGT},	 {"jge", BPF_JGE},   {"jset", BPF_JSET},
		   {"jne", BPF_JNE}, {"jsgt", BPF_JSGT}, {"jsge", BPF_JSGE}, {"jlt", BPF_JLT},
		   {"jle", BPF_JLE}, {"jslt", BPF_JSLT}, {"jsle", BPF_JSLE}},
	  sizes[] = {{"b", BPF_B}, {"h", BPF_H}, {"w", BPF_W}, {"dw", BPF_DW}},
	  atom[] = {{"add", BPF_ADD},
		    {"and", BPF_AND},
		    {"or", BPF_OR},
		    {"xor", BPF_XOR},
		    {"fadd", BPF_ADD | BPF_FETCH},
		    {"fand", BPF_AND | BPF_FETCH},
		    {"for", BPF_OR | BPF_FETCH},
		    {"fxor", BPF_XOR | BPF_FETCH},
		    {"xchg", BPF_XCHG},
		    {"cmpxchg", BPF_CMPXCHG}};
	char name[64];
	size_t i, k;

	rt_cases = g_ptr_array_new();
	for (k = 0; k < 2; k++) {
		int cls = k ? BPF_ALU64 : BPF_ALU;
		const char *cn = k ? "alu64" : "alu32";

		for (i = 0; i < G_N_ELEMENTS(alu); i++) {
			g_snprintf(name, sizeof(name), "%s-%s-k", cn, alu[i].n);
			rt_add(name, (struct bpf_insn)I(cls | alu[i].op | BPF_K, 3, 0, 0, -7), false);
			g_snprintf(name, sizeof(name), "%s-%s-x", cn, alu[i].n);
			rt_add(name, (struct bpf_insn)I(cls | alu[i].op | BPF_X, 3, 9, 0, 0), false);
		}
		g_snprintf(name, sizeof(name), "%s-neg", cn);
		rt_add(name, (struct bpf_insn)I(cls | BPF_NEG, 4, 0, 0, 0), false);
		g_snprintf(name, sizeof(name), "%s-sdiv-k", cn);
		rt_add(name, (struct bpf_insn)I(cls | BPF_DIV | BPF_K, 1, 0, 1, 0x7fffffff), false);
		g_snprintf(name, sizeof(name), "%s-smod-x", cn);
		rt_add(name, (struct bpf_insn)I(cls | BPF_MOD | BPF_X, 1, 2, 1, 0), false);
		g_snprintf(name, sizeof(name), "%s-mov-min", cn);
		rt_add(name, (struct bpf_insn)I(cls | BPF_MOV | BPF_K, 0, 0, 0, INT32_MIN), false);
		for (i = 8; i <= 32; i *= 2) {
			if (!k && i == 32)
				continue;
			g_snprintf(name, sizeof(name), "%s-movsx%zu", cn, i);
			rt_add(name, (struct bpf_insn)I(cls | BPF_MOV | BPF_X, 1, 2, (int16_t)i, 0), false);
		}
		for (i = 16; i <= 64; i *= 2) {
			g_snprintf(name, sizeof(name), "%s-%s%zu", cn, k ? "bswap" : "le", i);
			rt_add(name, (struct bpf_insn)I(cls | BPF_END | BPF_TO_LE, 5, 0, 0, (int32_t)i),
			       false);
			if (k)
				continue;
			g_snprintf(name, sizeof(name), "%s-be%zu", cn, i);
			rt_add(name, (struct bpf_insn)I(cls | BPF_END | BPF_TO_BE, 5, 0, 0, (int32_t)i),
			       false);
		}
	}
	for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
		int sz = sizes[i].op;

		g_snprintf(name, sizeof(name), "ldx-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_LDX | BPF_MEM | sz, 1, 2, -32768, 0), false);
		g_snprintf(name, sizeof(name), "st-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_ST | BPF_MEM | sz, 10, 0, -8, -5), false);
		g_snprintf(name, sizeof(name), "stx-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_STX | BPF_MEM | sz, 10, 1, 32767, 0), false);
		if (sz == BPF_DW)
			continue;
		g_snprintf(name, sizeof(name), "ldxsx-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_LDX | BPF_MEMSX | sz, 1, 2, 16, 0), false);
		g_snprintf(name, sizeof(name), "ldabs-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_LD | BPF_ABS | sz, 0, 0, 0, 12), false);
		g_snprintf(name, sizeof(name), "ldind-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_LD | BPF_IND | sz, 0, 3, 0, 12), false);
		g_snprintf(name, sizeof(name), "ldind0-%s", sizes[i].n);
		rt_add(name, (struct bpf_insn)I(BPF_LD | BPF_IND | sz, 0, 3, 0, 0), false);
	}
	for (k = 0; k < 2; k++) {
		for (i = 0; i < G_N_ELEMENTS(atom); i++) {
			int cmpx = atom[i].op == BPF_CMPXCHG;

			g_snprintf(name, sizeof(name), "atomic%s-%s", k ? "64" : "32", atom[i].n);
			rt_add(name,
			       (struct bpf_insn)I(BPF_STX | BPF_ATOMIC | (k ? BPF_DW : BPF_W), 1,
						  cmpx ? 2 : 0, -8, atom[i].op),
			       false);
		}
	}
	for (i = 0; i < 4; i++) {
		static const uint8_t szs[] = {BPF_B, BPF_H, BPF_W, BPF_DW};

		g_snprintf(name, sizeof(name), "load-acquire-%zu", i);
		rt_add(name, (struct bpf_insn)I(BPF_STX | BPF_ATOMIC | szs[i], 3, 1, -8, BPF_LOAD_ACQ), false);
		g_snprintf(name, sizeof(name), "store-release-%zu", i);
		rt_add(name, (struct bpf_insn)I(BPF_STX | BPF_ATOMIC | szs[i], 1, 3, 16, BPF_STORE_REL), false);
	}
	for (i = 0; i <= 7; i++) {
		g_snprintf(name, sizeof(name), "ldimm64-src%zu", i);
		rt_add2(name, (struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 1, (uint8_t)i, 0, i == 4 ? 1 : 3),
			(struct bpf_insn)I(0, 0, 0, 0, i ? 16 : 0x11223344), i != 0);
	}
	rt_add2("ldimm64-neg", (struct bpf_insn)I(BPF_LD | BPF_IMM | BPF_DW, 9, 0, 0, -1),
		(struct bpf_insn)I(0, 0, 0, 0, -1), false);
	for (k = 0; k < 2; k++) {
		int cls = k ? BPF_JMP : BPF_JMP32;
		const char *cn = k ? "jmp" : "jmp32";

		for (i = 0; i < G_N_ELEMENTS(jmp); i++) {
			g_snprintf(name, sizeof(name), "%s-%s-k", cn, jmp[i].n);
			rt_add(name, (struct bpf_insn)I(cls | jmp[i].op | BPF_K, 1, 0, -3, -100), false);
			g_snprintf(name, sizeof(name), "%s-%s-x", cn, jmp[i].n);
			rt_add(name, (struct bpf_insn)I(cls | jmp[i].op | BPF_X, 1, 10, 7, 0), false);
		}
	}
	rt_add("ja", (struct bpf_insn)I(BPF_JMP | BPF_JA, 0, 0, -1, 0), false);
	rt_add("gotol", (struct bpf_insn)I(BPF_JMP32 | BPF_JA, 0, 0, 0, 100000), false);
	rt_add("may_goto", (struct bpf_insn)I(BPF_JMP | BPF_JCOND, 0, 0, 3, 0), false);
	rt_add("call-helper", (struct bpf_insn)I(BPF_JMP | BPF_CALL, 0, 0, 0, 1), false);
	rt_add("call-local", (struct bpf_insn)I(BPF_JMP | BPF_CALL, 0, 1, 0, -1), false);
	rt_add("call-kfunc", (struct bpf_insn)I(BPF_JMP | BPF_CALL, 0, 2, 0, 1234), false);
	rt_add("call-kfunc-off", (struct bpf_insn)I(BPF_JMP | BPF_CALL, 0, 2, 3, 1234), true);
	rt_add("exit", (struct bpf_insn)I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0), false);
}

struct rt_run {
	const struct rt_case *rc;
	enum bpfs_syntax syntax;
};

static struct rt_run *rt_runs; /* every row in every syntax, alive for the run */

static void run_rt(gconstpointer data)
{
	const struct rt_run *r = data;
	struct bpfs_asm_result res;
	struct bpfs_err err;
	char *text;

	if (r->syntax == BPFS_SYNTAX_KERNEL && r->rc->no_kernel) {
		g_test_skip("the verifier's text for this instruction loses a field");
		return;
	}
	text = bpfs_disasm_prog(r->rc->insns, r->rc->cnt, r->syntax);
	g_assert_nonnull(text);
	if (bpfs_asm(text, &res, &err)) {
		g_test_message("'%s': %s", text, err.msg);
		g_test_fail();
	} else {
		assert_insns(res.insns, res.cnt, r->rc->insns, r->rc->cnt, text);
		bpfs_asm_result_release(&res);
	}
	free(text);
}

/* ---------------------------------------------------------------------- */
/* llvm-mc                                                                */

static const char *const mc_lines[] = {
    "r0 = 42",
    "r0 = -1",
    "w0 += 1",
    "r1 = r10",
    "r1 += -8",
    "r0 = *(u32 *)(r1 + 4)",
    "*(u64 *)(r10 - 8) = r1",
    "*(u8 *)(r1 + 3) = r2",
    "if r1 > 5 goto +3",
    "if w1 s< w2 goto -2",
    "if r1 s>= 7 goto -1",
    "if r3 != r4 goto +0",
    "goto +1",
    "r1 = 0x1122334455667788 ll",
    "r1 = -2 ll",
    "call 1",
    "exit",
    "lock *(u64 *)(r10 - 8) += r1",
    "lock *(u32 *)(r10 - 8) += w1",
    "lock *(u64 *)(r1 + 0) &= r2",
    "lock *(u64 *)(r1 + 0) |= r2",
    "lock *(u64 *)(r1 + 0) ^= r2",
    "r1 = be16 r1",
    "r1 = le64 r1",
    "r0 = *(u8 *)skb[12]",
    "r0 = *(u16 *)skb[r1]",
    "r0 = -r0",
    "w0 = -w0",
    "r0 <<= 3",
    "r0 s>>= 3",
    "w0 s>>= w1",
    "w1 = w2",
    "w1 *= 7",
    "r2 %= r3",
    "r2 ^= -1",
    "w3 /= w4",
    "r5 >>= r6",
    "r9 = *(u64 *)(r10 - 512)",
    "*(u16 *)(r10 - 2) = w3",
    "w0 = *(u16 *)(r1 + 2)",
};

static void run_mc(gconstpointer data)
{
	const char *line = data;
	struct bpfs_asm_result res;
	struct bpfs_err err;
	char *path, *tmp = NULL, *cmd, *out = NULL, *enc, *end;
	GByteArray *bytes;
	GError *gerr = NULL;
	int fd;

	path = g_find_program_in_path("llvm-mc");
	if (!path) {
		g_test_skip("llvm-mc is not installed");
		return;
	}
	fd = g_file_open_tmp("asm-XXXXXX.s", &tmp, &gerr);
	g_assert_no_error(gerr);
	g_assert_cmpint(write(fd, line, strlen(line)), ==, (gssize)strlen(line));
	g_assert_cmpint(write(fd, "\n", 1), ==, 1);
	close(fd);
	cmd = g_strdup_printf("%s -triple bpf -show-encoding %s", path, tmp);
	if (tu_run(cmd, &out, NULL) != 0 || !(enc = strstr(out, "encoding: ["))) {
		g_test_skip_printf("this llvm-mc does not accept '%s'", line);
		goto out;
	}
	bytes = g_byte_array_new();
	for (enc += strlen("encoding: ["); *enc && *enc != ']';) {
		guint8 b = (guint8)strtoul(enc, &end, 16);

		g_assert_true(end != enc);
		g_byte_array_append(bytes, &b, 1);
		enc = end + (*end == ',');
	}
	g_assert_cmpint(bpfs_asm(line, &res, &err), ==, 0);
	if (bytes->len != res.cnt * 8 || memcmp(bytes->data, res.insns, bytes->len)) {
		char *a = insns_str(res.insns, res.cnt),
		     *b = insns_str((struct bpf_insn *)bytes->data, bytes->len / 8);

		g_test_message("'%s': ours %s, llvm-mc %s", line, a, b);
		g_free(a);
		g_free(b);
		g_test_fail();
	}
	bpfs_asm_result_release(&res);
	g_byte_array_free(bytes, TRUE);
out:
	unlink(tmp);
	g_free(tmp);
	g_free(cmd);
	g_free(out);
	g_free(path);
}

/* ---------------------------------------------------------------------- */
/* The conformance data set                                               */

/* The text of section "-- name" of a .data file, or NULL. */
static char *data_section(const char *file, const char *name)
{
	GString *s = NULL;
	char **lines = g_strsplit(file, "\n", -1), **l;
	char *want = g_strdup_printf("-- %s", name);

	for (l = lines; *l; l++) {
		if (!strncmp(*l, "-- ", 3)) {
			if (s)
				break;
			if (!strcmp(g_strstrip(*l), want))
				s = g_string_new(NULL);
			continue;
		}
		if (s)
			g_string_append_printf(s, "%s\n", *l);
	}
	g_strfreev(lines);
	g_free(want);
	return s ? g_string_free(s, FALSE) : NULL;
}

static void run_conformance(gconstpointer data)
{
	const char *base = data;
	char *rel = g_build_filename("conformance", base, NULL);
	char *path = tu_shared_path_or_skip(rel), *file = NULL, *text, *raw;
	struct bpfs_asm_result res;
	struct bpfs_err err;
	size_t i;

	g_free(rel);
	if (!path)
		return;
	g_assert_true(g_file_get_contents(path, &file, NULL, NULL));
	text = data_section(file, "asm");
	g_assert_nonnull(text);
	if (bpfs_asm(text, &res, &err)) {
		g_test_message("%s: %s", base, err.msg);
		g_test_fail();
		goto out;
	}
	raw = data_section(file, "raw");
	if (raw) {
		char **words = g_strsplit_set(raw, " \t\n", -1), **w;

		for (i = 0, w = words; *w; w++) {
			guint64 v, got;

			if (!**w)
				continue;
			v = g_ascii_strtoull(*w, NULL, 16);
			g_assert_cmpuint(i, <, res.cnt);
			memcpy(&got, &res.insns[i++], 8);
			g_assert_cmphex(GUINT64_FROM_LE(got), ==, v);
		}
		g_assert_cmpuint(i, ==, res.cnt);
		g_strfreev(words);
		g_free(raw);
	}
	bpfs_asm_result_release(&res);
out:
	g_free(text);
	g_free(file);
	g_free(path);
}

static GPtrArray *conf_names; /* file names, alive for the run */

static void add_conformance(void)
{
	const char *shared = tu_shared_dir();
	char *dir = shared ? g_build_filename(shared, "conformance", NULL) : NULL;
	GDir *d = dir ? g_dir_open(dir, 0, NULL) : NULL;
	GPtrArray *names = g_ptr_array_new();
	const char *n;
	guint i;

	if (!d) {
		/* registers one case that skips with a message */
		g_test_add_data_func("/asm/conformance/all", "none.data", run_conformance);
		g_free(dir);
		g_ptr_array_free(names, TRUE);
		return;
	}
	while ((n = g_dir_read_name(d)))
		if (g_str_has_suffix(n, ".data"))
			g_ptr_array_add(names, g_strdup(n));
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (i = 0; i < names->len; i++) {
		char *tp = g_strdup_printf("/asm/conformance/%s", (char *)names->pdata[i]);

		g_test_add_data_func(tp, names->pdata[i], run_conformance);
		g_free(tp);
	}
	g_dir_close(d);
	g_free(dir);
	conf_names = names;
}

/* ---------------------------------------------------------------------- */
/* Robustness: mangled versions of every table's text must not crash      */

static void run_mangle(void)
{
	static const char junk[] = "r w%0123456789x:;#/*()[]+-=<>sl,.\n\t llgotoifcallexit lock ";
	GRand *rnd = g_rand_new_with_seed(1234);
	const struct asm_case *tabs[] = {llvm_cases, kernel_cases, conf_cases};
	const size_t lens[] = {G_N_ELEMENTS(llvm_cases), G_N_ELEMENTS(kernel_cases),
			       G_N_ELEMENTS(conf_cases)};
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		int t = g_rand_int_range(rnd, 0, 3);
		const char *src = tabs[t][g_rand_int_range(rnd, 0, (gint32)lens[t])].text;
		GString *s = g_string_new(src);
		struct bpfs_asm_result res;
		struct bpfs_err err;
		int k, edits = g_rand_int_range(rnd, 1, 6);

		for (k = 0; k < edits && s->len; k++) {
			guint pos = (guint)g_rand_int_range(rnd, 0, (gint32)s->len);

			switch (g_rand_int_range(rnd, 0, 4)) {
			case 0:
				g_string_erase(s, pos, 1);
				break;
			case 1:
				g_string_insert_c(s, pos, junk[g_rand_int_range(rnd, 0, sizeof(junk) - 1)]);
				break;
			case 2:
				s->str[pos] = junk[g_rand_int_range(rnd, 0, sizeof(junk) - 1)];
				break;
			default:
				g_string_insert(s, pos, "99999999999999999999999999");
				break;
			}
		}
		if (!bpfs_asm(s->str, &res, &err))
			bpfs_asm_result_release(&res);
		else
			g_assert_cmpuint(strlen(err.msg), >, 0);
		g_string_free(s, TRUE);
	}
	g_rand_free(rnd);
}

static void run_big(void)
{
	GString *s = g_string_new(NULL);
	struct bpfs_asm_result res;
	struct bpfs_err err;
	int i;

	for (i = 0; i < 100000; i++)
		g_string_append_printf(s, "L%d: if r1 > %d goto L%d\n", i, i,
				       (i / 1000) * 1000 + (i * 7919) % 1000);
	g_string_append(s, "exit\n");
	g_assert_cmpint(bpfs_asm(s->str, &res, &err), ==, 0);
	g_assert_cmpuint(res.cnt, ==, 100001);
	bpfs_asm_result_release(&res);
	g_string_free(s, TRUE);
}

static void run_map_names(void)
{
	struct bpfs_asm_result res;
	struct bpfs_err err;

	g_assert_cmpint(bpfs_asm("r1 = b ll\nr2 = a ll\nr3 = b ll\nexit", &res, &err), ==, 0);
	g_assert_cmpuint(res.map_cnt, ==, 2);
	g_assert_cmpstr(res.map_names[0], ==, "b");
	g_assert_cmpstr(res.map_names[1], ==, "a");
	g_assert_cmpint(res.insns[4].imm, ==, 0);
	bpfs_asm_result_release(&res);
	g_assert_cmpint(bpfs_asm(NULL, &res, &err), <, 0);
}

static void add_table(const char *prefix, const struct asm_case *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = g_strdup_printf("%s/%s", prefix, t[i].name);

		g_test_add_data_func(p, &t[i], run_case);
		g_free(p);
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *n;
		enum bpfs_syntax s;
	} syn[] = {{"llvm", BPFS_SYNTAX_LLVM},
		   {"conformance", BPFS_SYNTAX_CONFORMANCE},
		   {"kernel", BPFS_SYNTAX_KERNEL}};
	struct rt_run *runs;
	size_t i, k, n = 0;

	g_test_init(&argc, &argv, NULL);
	add_table("/asm/llvm", llvm_cases, G_N_ELEMENTS(llvm_cases));
	add_table("/asm/kernel", kernel_cases, G_N_ELEMENTS(kernel_cases));
	add_table("/asm/conf", conf_cases, G_N_ELEMENTS(conf_cases));
	for (i = 0; i < G_N_ELEMENTS(err_cases); i++) {
		char *p = g_strdup_printf("/asm/error/%s", err_cases[i].name);

		g_test_add_data_func(p, &err_cases[i], run_err_case);
		g_free(p);
	}
	rt_build();
	runs = g_new0(struct rt_run, G_N_ELEMENTS(syn) * rt_cases->len);
	for (k = 0; k < G_N_ELEMENTS(syn); k++) {
		for (i = 0; i < rt_cases->len; i++) {
			struct rt_run *r = &runs[n++];
			const struct rt_case *rc = rt_cases->pdata[i];
			char *p = g_strdup_printf("/asm/roundtrip/%s/%s", syn[k].n, rc->name);

			r->rc = rc;
			r->syntax = syn[k].s;
			g_test_add_data_func(p, r, run_rt);
			g_free(p);
		}
	}
	for (i = 0; i < G_N_ELEMENTS(mc_lines); i++) {
		char *p = g_strdup_printf("/asm/llvm-mc/%zu", i);

		g_test_add_data_func(p, mc_lines[i], run_mc);
		g_free(p);
	}
	rt_runs = runs;
	add_conformance();
	g_test_add_func("/asm/mangle", run_mangle);
	g_test_add_func("/asm/big", run_big);
	g_test_add_func("/asm/map-names", run_map_names);
	return g_test_run();
}
