/* SPDX-License-Identifier: MIT */
/*
 * Disassembly: a table of encodings and their text in each syntax, every
 * known opcode in every syntax, program listings, and two comparisons with
 * the real tools when they are present: llvm-objdump's text for objects
 * built by clang and llvm-mc, and the kernel verifier's log (as root).
 */
#include "ir.h"
#include "testutil.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

struct disasm_case {
	struct bpf_insn insns[2];
	const char *kernel, *llvm, *conf;
};

static const struct disasm_case cases[] = {
	{ { I(0xb7, 0, 0, 0, 0) }, "r0 = 0", "r0 = 0", "mov %r0, 0" },
	{ { I(0xb7, 1, 0, 0, -1) }, "r1 = -1", "r1 = -1", "mov %r1, -1" },
	{ { I(0xb4, 0, 0, 0, 42) }, "w0 = 42", "w0 = 42", "mov32 %r0, 42" },
	{ { I(0xbf, 1, 10, 0, 0) }, "r1 = r10", "r1 = r10", "mov %r1, %r10" },
	{ { I(0xbc, 1, 2, 0, 0) }, "w1 = w2", "w1 = w2", "mov32 %r1, %r2" },
	{ { I(0x07, 1, 0, 0, -8) }, "r1 += -8", "r1 += -8", "add %r1, -8" },
	{ { I(0x04, 0, 0, 0, 1) }, "w0 += 1", "w0 += 1", "add32 %r0, 1" },
	{ { I(0x1f, 1, 2, 0, 0) }, "r1 -= r2", "r1 -= r2", "sub %r1, %r2" },
	{ { I(0x24, 1, 0, 0, 3) }, "w1 *= 3", "w1 *= 3", "mul32 %r1, 3" },
	{ { I(0x37, 1, 0, 0, 3) }, "r1 /= 3", "r1 /= 3", "div %r1, 3" },
	{ { I(0x3f, 1, 2, 1, 0) }, "r1 s/= r2", "r1 s/= r2", "sdiv %r1, %r2" },
	{ { I(0x94, 1, 0, 1, -3) }, "w1 s%= -3", "w1 s%= -3", "smod32 %r1, -3" },
	{ { I(0x9f, 1, 2, 0, 0) }, "r1 %= r2", "r1 %= r2", "mod %r1, %r2" },
	{ { I(0x47, 1, 0, 0, 8) }, "r1 |= 8", "r1 |= 8", "or %r1, 8" },
	{ { I(0x5c, 1, 2, 0, 0) }, "w1 &= w2", "w1 &= w2", "and32 %r1, %r2" },
	{ { I(0x67, 1, 0, 0, 32) }, "r1 <<= 32", "r1 <<= 32", "lsh %r1, 32" },
	{ { I(0x7c, 1, 2, 0, 0) }, "w1 >>= w2", "w1 >>= w2", "rsh32 %r1, %r2" },
	{ { I(0xa7, 1, 0, 0, -1) }, "r1 ^= -1", "r1 ^= -1", "xor %r1, -1" },
	{ { I(0xc7, 1, 0, 0, 3) }, "r1 s>>= 3", "r1 s>>= 3", "arsh %r1, 3" },
	{ { I(0xcc, 1, 2, 0, 0) }, "w1 s>>= w2", "w1 s>>= w2", "arsh32 %r1, %r2" },
	{ { I(0x87, 1, 0, 0, 0) }, "r1 = -r1", "r1 = -r1", "neg %r1" },
	{ { I(0x84, 1, 0, 0, 0) }, "w1 = -w1", "w1 = -w1", "neg32 %r1" },
	{ { I(0xbf, 1, 2, 8, 0) }, "r1 = (s8)r2", "r1 = (s8)r2", "movsx864 %r1, %r2" },
	{ { I(0xbf, 1, 2, 32, 0) }, "r1 = (s32)r2", "r1 = (s32)r2", "movsx3264 %r1, %r2" },
	{ { I(0xbc, 1, 2, 8, 0) }, "w1 = (s8)w2", "w1 = (s8)w2", "movsx832 %r1, %r2" },
	{ { I(0xbc, 1, 2, 16, 0) }, "w1 = (s16)w2", "w1 = (s16)w2", "movsx1632 %r1, %r2" },
	{ { I(0xd4, 1, 0, 0, 16) }, "r1 = le16 r1", "r1 = le16 r1", "le16 %r1" },
	{ { I(0xdc, 1, 0, 0, 32) }, "r1 = be32 r1", "r1 = be32 r1", "be32 %r1" },
	{ { I(0xd7, 1, 0, 0, 16) }, "r1 = bswap16 r1", "r1 = bswap16 r1", "bswap16 %r1" },
	{ { I(0xd7, 1, 0, 0, 64) }, "r1 = bswap64 r1", "r1 = bswap64 r1", "bswap64 %r1" },
	{ { I(0xbf, 1, 2, 1, 1) }, "r1 = addr_space_cast(r2, 0, 1)", "r1 = addr_space_cast(r2, 0, 1)",
	  "addr_space_cast %r1, %r2, 0, 1" },
	{ { I(0x61, 0, 1, 4, 0) }, "r0 = *(u32 *)(r1 +4)", "r0 = *(u32 *)(r1 + 4)", "ldxw %r0, [%r1+4]" },
	{ { I(0x79, 1, 10, -8, 0) }, "r1 = *(u64 *)(r10 -8)", "r1 = *(u64 *)(r10 - 8)",
	  "ldxdw %r1, [%r10-8]" },
	{ { I(0x71, 1, 2, 0, 0) }, "r1 = *(u8 *)(r2 +0)", "r1 = *(u8 *)(r2 + 0)", "ldxb %r1, [%r2]" },
	{ { I(0x69, 1, 2, 2, 0) }, "r1 = *(u16 *)(r2 +2)", "r1 = *(u16 *)(r2 + 2)", "ldxh %r1, [%r2+2]" },
	{ { I(0x91, 0, 10, -1, 0) }, "r0 = *(s8 *)(r10 -1)", "r0 = *(s8 *)(r10 - 1)", "ldxsb %r0, [%r10-1]" },
	{ { I(0x89, 0, 10, -2, 0) }, "r0 = *(s16 *)(r10 -2)", "r0 = *(s16 *)(r10 - 2)", "ldxsh %r0, [%r10-2]" },
	{ { I(0x81, 0, 10, -4, 0) }, "r0 = *(s32 *)(r10 -4)", "r0 = *(s32 *)(r10 - 4)", "ldxsw %r0, [%r10-4]" },
	{ { I(0x7a, 10, 0, -8, 0) }, "*(u64 *)(r10 -8) = 0", "*(u64 *)(r10 - 8) = 0", "stdw [%r10-8], 0" },
	{ { I(0x62, 10, 0, -4, -7) }, "*(u32 *)(r10 -4) = -7", "*(u32 *)(r10 - 4) = -7", "stw [%r10-4], -7" },
	{ { I(0x72, 1, 0, 3, 255) }, "*(u8 *)(r1 +3) = 255", "*(u8 *)(r1 + 3) = 255", "stb [%r1+3], 255" },
	{ { I(0x6a, 1, 0, 0, 1) }, "*(u16 *)(r1 +0) = 1", "*(u16 *)(r1 + 0) = 1", "sth [%r1], 1" },
	{ { I(0x7b, 10, 1, -8, 0) }, "*(u64 *)(r10 -8) = r1", "*(u64 *)(r10 - 8) = r1", "stxdw [%r10-8], %r1" },
	{ { I(0x63, 10, 0, -4, 0) }, "*(u32 *)(r10 -4) = r0", "*(u32 *)(r10 - 4) = r0", "stxw [%r10-4], %r0" },
	{ { I(0x73, 1, 2, 0, 0) }, "*(u8 *)(r1 +0) = r2", "*(u8 *)(r1 + 0) = r2", "stxb [%r1], %r2" },
	{ { I(0x6b, 1, 2, 6, 0) }, "*(u16 *)(r1 +6) = r2", "*(u16 *)(r1 + 6) = r2", "stxh [%r1+6], %r2" },
	{ { I(0xdb, 10, 1, -8, 0x00) }, "lock *(u64 *)(r10 -8) += r1", "lock *(u64 *)(r10 - 8) += r1",
	  "lock add [%r10-8], %r1" },
	{ { I(0xc3, 10, 1, -8, 0x00) }, "lock *(u32 *)(r10 -8) += r1", "lock *(u32 *)(r10 - 8) += r1",
	  "lock add32 [%r10-8], %r1" },
	{ { I(0xdb, 1, 2, 0, 0x50) }, "lock *(u64 *)(r1 +0) &= r2", "lock *(u64 *)(r1 + 0) &= r2",
	  "lock and [%r1], %r2" },
	{ { I(0xc3, 1, 2, 0, 0x40) }, "lock *(u32 *)(r1 +0) |= r2", "lock *(u32 *)(r1 + 0) |= w2",
	  "lock or32 [%r1], %r2" },
	{ { I(0xdb, 1, 2, 0, 0xa0) }, "lock *(u64 *)(r1 +0) ^= r2", "lock *(u64 *)(r1 + 0) ^= r2",
	  "lock xor [%r1], %r2" },
	{ { I(0xdb, 1, 0, 0, 0x01) }, "r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)",
	  "r0 = atomic_fetch_add((u64 *)(r1 + 0), r0)", "lock fetch add [%r1], %r0" },
	{ { I(0xc3, 10, 3, -4, 0x51) }, "r3 = atomic_fetch_and((u32 *)(r10 -4), r3)",
	  "w3 = atomic_fetch_and((u32 *)(r10 - 4), w3)", "lock fetch and32 [%r10-4], %r3" },
	{ { I(0xdb, 1, 2, -8, 0xe1) }, "r2 = atomic64_xchg((u64 *)(r1 -8), r2)", "r2 = xchg_64(r1 - 8, r2)",
	  "lock xchg [%r1-8], %r2" },
	{ { I(0xc3, 1, 2, -8, 0xe1) }, "r2 = atomic_xchg((u32 *)(r1 -8), r2)", "w2 = xchg32_32(r1 - 8, w2)",
	  "lock xchg32 [%r1-8], %r2" },
	{ { I(0xdb, 1, 2, -8, 0xf1) }, "r0 = atomic64_cmpxchg((u64 *)(r1 -8), r0, r2)",
	  "r0 = cmpxchg_64(r1 - 8, r0, r2)", "lock cmpxchg [%r1-8], %r2" },
	{ { I(0xc3, 1, 2, -8, 0xf1) }, "r0 = atomic_cmpxchg((u32 *)(r1 -8), r0, r2)",
	  "w0 = cmpxchg32_32(r1 - 8, w0, w2)", "lock cmpxchg32 [%r1-8], %r2" },
	{ { I(0xdb, 0, 1, 8, 0x100) }, "r0 = load_acquire((u64 *)(r1 +8))", "r0 = load_acquire((u64 *)(r1 + 8))",
	  "lock acquire %r0, [%r1+8]" },
	{ { I(0xd3, 2, 10, -8, 0x100) }, "r2 = load_acquire((u8 *)(r10 -8))", "w2 = load_acquire((u8 *)(r10 - 8))",
	  "lock acquire8 %r2, [%r10-8]" },
	{ { I(0xc3, 1, 2, 0, 0x110) }, "store_release((u32 *)(r1 +0), r2)", "store_release((u32 *)(r1 + 0), w2)",
	  "lock release32 [%r1], %r2" },
	{ { I(0xcb, 10, 3, -6, 0x110) }, "store_release((u16 *)(r10 -6), r3)",
	  "store_release((u16 *)(r10 - 6), w3)", "lock release16 [%r10-6], %r3" },
	{ { I(0x30, 0, 0, 0, 12) }, "r0 = *(u8 *)skb[12]", "r0 = *(u8 *)skb[12]", "ldabsb 12" },
	{ { I(0x28, 0, 0, 0, 12) }, "r0 = *(u16 *)skb[12]", "r0 = *(u16 *)skb[12]", "ldabsh 12" },
	{ { I(0x20, 0, 0, 0, -2) }, "r0 = *(u32 *)skb[-2]", "r0 = *(u32 *)skb[-2]", "ldabsw -2" },
	{ { I(0x50, 0, 3, 0, 0) }, "r0 = *(u8 *)skb[r3 + 0]", "r0 = *(u8 *)skb[r3]", "ldindb %r3, 0" },
	{ { I(0x48, 0, 3, 0, 14) }, "r0 = *(u16 *)skb[r3 + 14]", "r0 = *(u16 *)skb[r3 + 14]", "ldindh %r3, 14" },
	{ { I(0x40, 0, 3, 0, -4) }, "r0 = *(u32 *)skb[r3 + -4]", "r0 = *(u32 *)skb[r3 - 4]", "ldindw %r3, -4" },
	{ { I(0x18, 1, 0, 0, 0x1234), I(0, 0, 0, 0, 0) }, "r1 = 0x1234", "r1 = 4660 ll", "lddw %r1, 0x1234" },
	{ { I(0x18, 0, 0, 0, (int32_t)0x9abcdef0), I(0, 0, 0, 0, 0x12345678) }, "r0 = 0x123456789abcdef0",
	  "r0 = 1311768467463790320 ll", "lddw %r0, 0x123456789abcdef0" },
	{ { I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1) }, "r1 = 0xffffffffffffffff", "r1 = -1 ll",
	  "lddw %r1, 0xffffffffffffffff" },
	{ { I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0) }, "r1 = 0x3", "r1 = map[3] ll", "lddw %r1, map[3]" },
	{ { I(0x18, 2, 2, 0, 3), I(0, 0, 0, 0, 16) }, "r2 = 0x1000000003", "r2 = map_value[3][+16] ll",
	  "lddw %r2, map_value[3][+16]" },
	{ { I(0x18, 2, 2, 0, 0), I(0, 0, 0, 0, 0) }, "r2 = 0x0", "r2 = map_value[0][+0] ll",
	  "lddw %r2, map_value[0][+0]" },
	{ { I(0x18, 1, 3, 0, 7), I(0, 0, 0, 0, 0) }, "r1 = 0x7", "r1 = btf_id[7] ll", "lddw %r1, btf_id[7]" },
	{ { I(0x18, 1, 4, 0, 4), I(0, 0, 0, 0, 0) }, "r1 = 0x4", "r1 = func[+4] ll", "lddw %r1, func[+4]" },
	{ { I(0x18, 1, 4, 0, -6), I(0, 0, 0, 0, 0) }, "r1 = 0xfffffffa", "r1 = func[-6] ll",
	  "lddw %r1, func[-6]" },
	{ { I(0x18, 1, 5, 0, 3), I(0, 0, 0, 0, 0) }, "r1 = 0x3", "r1 = map_idx[3] ll", "lddw %r1, map_idx[3]" },
	{ { I(0x18, 1, 6, 0, 3), I(0, 0, 0, 0, -8) }, "r1 = 0xfffffff800000003", "r1 = map_idx_value[3][-8] ll",
	  "lddw %r1, map_idx_value[3][-8]" },
	{ { I(0x18, 1, 9, 0, 3), I(0, 0, 0, 0, 0) }, "r1 = 0x3", "r1 = pseudo9[3][+0] ll",
	  "lddw %r1, pseudo9[3][+0]" },
	{ { I(0x05, 0, 0, -3, 0) }, "goto pc-3", "goto -3", "ja -3" },
	{ { I(0x05, 0, 0, 0, 0) }, "goto pc+0", "goto +0", "ja +0" },
	{ { I(0x06, 0, 0, 0, 5) }, "gotol pc+5", "gotol +5", "ja32 +5" },
	{ { I(0xe5, 0, 0, 3, 0) }, "may_goto pc+3", "may_goto +3", "may_goto +3" },
	{ { I(0x15, 0, 0, 1, 0) }, "if r0 == 0x0 goto pc+1", "if r0 == 0 goto +1", "jeq %r0, 0, +1" },
	{ { I(0x25, 1, 0, 3, 5) }, "if r1 > 0x5 goto pc+3", "if r1 > 5 goto +3", "jgt %r1, 5, +3" },
	{ { I(0x55, 1, 0, -2, -1) }, "if r1 != 0xffffffff goto pc-2", "if r1 != -1 goto -2", "jne %r1, -1, -2" },
	{ { I(0x5d, 1, 2, 4, 0) }, "if r1 != r2 goto pc+4", "if r1 != r2 goto +4", "jne %r1, %r2, +4" },
	{ { I(0x16, 1, 0, 1, 7) }, "if w1 == 0x7 goto pc+1", "if w1 == 7 goto +1", "jeq32 %r1, 7, +1" },
	{ { I(0x3e, 1, 2, 1, 0) }, "if w1 >= w2 goto pc+1", "if w1 >= w2 goto +1", "jge32 %r1, %r2, +1" },
	{ { I(0x45, 1, 0, 1, 1) }, "if r1 & 0x1 goto pc+1", "if r1 & 1 goto +1", "jset %r1, 1, +1" },
	{ { I(0x65, 1, 0, 1, 1) }, "if r1 s> 0x1 goto pc+1", "if r1 s> 1 goto +1", "jsgt %r1, 1, +1" },
	{ { I(0x75, 1, 0, 1, 1) }, "if r1 s>= 0x1 goto pc+1", "if r1 s>= 1 goto +1", "jsge %r1, 1, +1" },
	{ { I(0xa5, 1, 0, 1, 1) }, "if r1 < 0x1 goto pc+1", "if r1 < 1 goto +1", "jlt %r1, 1, +1" },
	{ { I(0xbd, 1, 2, 1, 0) }, "if r1 <= r2 goto pc+1", "if r1 <= r2 goto +1", "jle %r1, %r2, +1" },
	{ { I(0xc6, 1, 0, 1, 1) }, "if w1 s< 0x1 goto pc+1", "if w1 s< 1 goto +1", "jslt32 %r1, 1, +1" },
	{ { I(0xde, 1, 2, 1, 0) }, "if w1 s<= w2 goto pc+1", "if w1 s<= w2 goto +1", "jsle32 %r1, %r2, +1" },
	{ { I(0x85, 0, 0, 0, 1) }, "call bpf_map_lookup_elem#1", "call 1", "call 1" },
	{ { I(0x85, 0, 0, 0, 5) }, "call bpf_ktime_get_ns#5", "call 5", "call 5" },
	{ { I(0x85, 0, 0, 0, 99999) }, "call unknown#99999", "call 99999", "call 99999" },
	{ { I(0x85, 0, 1, 0, 3) }, "call pc+3", "call pc+3", "call local +3" },
	{ { I(0x85, 0, 1, 0, -7) }, "call pc-7", "call pc-7", "call local -7" },
	{ { I(0x85, 0, 2, 0, 1234) }, "call kernel-function#1234", "call kfunc[1234]", "call kfunc 1234" },
	{ { I(0x85, 0, 2, 2, 1234) }, "call kernel-function#1234", "call kfunc[1234][+2]", "call kfunc 1234, 2" },
	{ { I(0x95, 0, 0, 0, 0) }, "exit", "exit", "exit" },
	{ { I(0x8c, 0, 0, 0, 0) }, "invalid insn code=0x8c", "invalid insn code=0x8c", "invalid insn code=0x8c" },
	{ { I(0x00, 0, 0, 0, 0) }, "invalid insn code=0x00", "invalid insn code=0x00", "invalid insn code=0x00" },
	{ { I(0xdb, 10, 1, -8, 0x10) }, "invalid insn code=0xdb", "invalid insn code=0xdb",
	  "invalid insn code=0xdb" },
};

static void check_one(const struct disasm_case *c, enum bpfs_syntax syntax, const char *want)
{
	char buf[256];
	size_t cnt = bpfs_insn_is_ldimm64(&c->insns[0]) ? 2 : 1;
	int n = bpfs_disasm_insn(c->insns, cnt, 0, syntax, buf, sizeof(buf));

	g_assert_cmpint(n, ==, (int)cnt);
	g_assert_cmpstr(buf, ==, want);
}

static void test_case(gconstpointer data)
{
	const struct disasm_case *c = data;

	check_one(c, BPFS_SYNTAX_KERNEL, c->kernel);
	check_one(c, BPFS_SYNTAX_LLVM, c->llvm);
	check_one(c, BPFS_SYNTAX_CONFORMANCE, c->conf);
}

/* Every opcode of the table, with plausible fields, prints a real form. */
static void test_all_opcodes(void)
{
	static const enum bpfs_syntax syntaxes[] = { BPFS_SYNTAX_KERNEL, BPFS_SYNTAX_LLVM,
						     BPFS_SYNTAX_CONFORMANCE };
	struct bpf_insn p[2] = { { 0 } };
	char buf[256];
	size_t s;
	int code, n;

	for (code = 0; code < 256; code++) {
		memset(p, 0, sizeof(p));
		p[0].code = (uint8_t)code;
		p[0].dst_reg = 1;
		p[0].src_reg = 2;
		if (BPF_OP(code) == BPF_END && (BPF_CLASS(code) == BPF_ALU || BPF_CLASS(code) == BPF_ALU64))
			p[0].imm = 32;
		for (s = 0; s < G_N_ELEMENTS(syntaxes); s++) {
			n = bpfs_disasm_insn(p, 2, 0, syntaxes[s], buf, sizeof(buf));
			g_assert_cmpint(n, ==, code == 0x18 ? 2 : 1);
			g_assert_cmpuint(strlen(buf), >, 0);
			if (bpfs_opcode_known((uint8_t)code))
				g_assert_null(strstr(buf, "invalid"));
			else
				g_assert_true(g_str_has_prefix(buf, "invalid insn code=0x"));
			/* a tiny buffer truncates, never overflows */
			n = bpfs_disasm_insn(p, 2, 0, syntaxes[s], buf, 4);
			g_assert_cmpuint(strlen(buf), <=, 3);
		}
	}
}

static void test_bad_args(void)
{
	struct bpf_insn p[1] = { I(0x18, 1, 0, 0, 0) };
	char buf[64];

	g_assert_cmpint(bpfs_disasm_insn(p, 1, 1, BPFS_SYNTAX_LLVM, buf, sizeof(buf)), ==, -EINVAL);
	g_assert_cmpint(bpfs_disasm_insn(p, 1, 0, BPFS_SYNTAX_LLVM, buf, sizeof(buf)), ==, -EINVAL);
	g_assert_cmpstr(buf, ==, "invalid insn code=0x18");
}

static void test_listing(void)
{
	static const struct bpf_insn p[] = {
		I(0x18, 1, 0, 0, 7), I(0, 0, 0, 0, 0), I(0xb7, 0, 0, 0, 0), I(0x15, 1, 0, 1, 0), I(0x95, 0, 0, 0, 0),
		I(0x95, 0, 0, 0, 0),
	};
	char *s;

	s = bpfs_disasm_prog(p, G_N_ELEMENTS(p), BPFS_SYNTAX_KERNEL);
	g_assert_cmpstr(s, ==,
			"0: (18) r1 = 0x7\n2: (b7) r0 = 0\n3: (15) if r1 == 0x0 goto pc+1\n4: (95) exit\n"
			"5: (95) exit\n");
	free(s);
	s = bpfs_disasm_prog(p, G_N_ELEMENTS(p), BPFS_SYNTAX_LLVM);
	g_assert_cmpstr(s, ==, "r1 = 7 ll\nr0 = 0\nif r1 == 0 goto +1\nexit\nexit\n");
	free(s);
	s = bpfs_disasm_prog(p, G_N_ELEMENTS(p), BPFS_SYNTAX_CONFORMANCE);
	g_assert_cmpstr(s, ==, "lddw %r1, 0x7\nmov %r0, 0\njeq %r1, 0, +1\nexit\nexit\n");
	free(s);
	/* a cut LD_IMM64 ends the listing with an invalid line */
	s = bpfs_disasm_prog(p + 2, 4, BPFS_SYNTAX_KERNEL);
	free(s);
	s = bpfs_disasm_prog(p, 1, BPFS_SYNTAX_KERNEL);
	g_assert_cmpstr(s, ==, "0: (18) invalid insn code=0x18\n");
	free(s);
	s = bpfs_disasm_prog(p, 0, BPFS_SYNTAX_LLVM);
	g_assert_cmpstr(s, ==, "");
	free(s);
}

/* ---------------------------------------------------------------------- */
/* Against llvm-objdump                                                   */

static bool have_tool(const char *name)
{
	char *p = g_find_program_in_path(name);

	g_free(p);
	return p != NULL;
}

/* Encodings whose LLVM text is ours on purpose (see ir/SYNTAX.md):
 * llvm-objdump's own text would lose bits of them. */
static bool deliberate(const struct bpf_insn *insn)
{
	if (bpfs_insn_is_ldimm64(insn) || insn->code == (BPF_JMP | BPF_CALL))
		return insn->src_reg != 0;
	if (BPF_CLASS(insn->code) == BPF_LD && BPF_MODE(insn->code) == BPF_IND)
		return insn->imm != 0;
	/* v4 forms (sdiv, smod, movsx): LLVM before 17 ignores off */
	if ((BPF_CLASS(insn->code) == BPF_ALU || BPF_CLASS(insn->code) == BPF_ALU64) && insn->off)
		return true;
	/* load-acquire and store-release: LLVM before 20 reads them as
	 * atomic adds */
	if (BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC &&
	    (insn->imm == BPF_LOAD_ACQ || insn->imm == BPF_STORE_REL))
		return true;
	return insn->code == (BPF_STX | BPF_ATOMIC | BPF_W) && insn->imm != BPF_ADD;
}

/* Compares every line of `llvm-objdump -d` on obj with our LLVM text for
 * the bytes that line shows. Returns the number of lines compared. */
static int compare_objdump(const char *obj)
{
	char *cmd = g_strdup_printf("llvm-objdump -d --no-print-imm-hex %s", obj), *out = NULL, **lines;
	int i, compared = 0;

	if (tu_run(cmd, &out, NULL) != 0) {
		/* older llvm-objdump has no --no-print-imm-hex; it prints decimal */
		g_free(out);
		g_free(cmd);
		cmd = g_strdup_printf("llvm-objdump -d %s", obj);
		g_assert_cmpint(tu_run(cmd, &out, NULL), ==, 0);
	}
	lines = g_strsplit(out, "\n", -1);
	for (i = 0; lines[i]; i++) {
		char **f = g_strsplit(lines[i], "\t", 3);
		struct bpf_insn insn[2];
		guint8 *bytes = NULL;
		char *hex, *text, *lt, buf[256];
		gssize n;

		if (g_strv_length(f) == 3 && g_str_has_suffix(g_strstrip(f[0]), ":")) {
			hex = g_strdelimit(g_strdup(f[1]), " ", ' ');
			{
				char **parts = g_strsplit(hex, " ", -1);
				char *joined = g_strjoinv("", parts);

				g_strfreev(parts);
				g_free(hex);
				hex = joined;
			}
			n = tu_unhex(hex, &bytes);
			g_assert_true(n == 8 || n == 16);
			memset(insn, 0, sizeof(insn));
			memcpy(insn, bytes, (size_t)n);
			text = g_strstrip(g_strdup(f[2]));
			/* the target comment: "goto +3 <prog+0x48>" */
			lt = g_strrstr(text, " <");
			if (lt && g_str_has_suffix(text, ">") && !strchr(lt + 2, ' '))
				*lt = '\0';
			if (strcmp(text, "<unknown>") != 0 && !deliberate(insn)) {
				g_assert_cmpint(bpfs_disasm_insn(insn, (size_t)n / 8, 0, BPFS_SYNTAX_LLVM, buf,
								 sizeof(buf)), ==, (int)n / 8);
				if (strcmp(buf, text))
					g_error("%s: llvm-objdump says '%s', we say '%s' (%s)", obj, text, buf, hex);
				compared++;
			}
			g_free(text);
			g_free(hex);
			g_free(bytes);
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(out);
	g_free(cmd);
	return compared;
}

static const char llvm_src_c[] =
	"typedef unsigned long long u64; typedef unsigned int u32;\n"
	"typedef signed char s8; typedef short s16; typedef unsigned char u8;\n"
	"static long (*ktime)(void) = (void *)5;\n"
	"static long (*trace)(const char *, u32, ...) = (void *)6;\n"
	"struct ctx { u32 a, b; u64 c; u8 d[16]; };\n"
	"__attribute__((section(\"socket\"), used))\n"
	"int prog(struct ctx *c)\n"
	"{\n"
	"	volatile u64 v = c->c;\n"
	"	u64 t = ktime();\n"
	"	u32 x = c->a * 3 + c->b;\n"
	"	long s = (long)(s8)c->d[1] + (s16)c->d[2];\n"
	"	__sync_fetch_and_add(&v, 5);\n"
	"	__sync_fetch_and_add(&c->c, t);\n"
	"	if (x > 100 && s < -5)\n"
	"		return x >> 3;\n"
	"	if ((long)t < 0 || c->b == 7)\n"
	"		x ^= c->d[3] << 4;\n"
	"	t = __builtin_bswap64(t) | __builtin_bswap32(x);\n"
	"	c->d[5] = (u8)t;\n"
	"	if (x % 7 == 3) trace(\"x\", 2, x);\n"
	"	return (int)(t / 3 + x / c->a - (t >> 33) + 0x123456789abcULL);\n"
	"}\n";

static const char llvm_src_s[] =
	"r0 = 0\n r1 = -1\n w2 = 7\n r3 = r1\n w4 = w2\n r1 += -8\n w1 -= w2\n r1 *= 3\n r1 /= r2\n"
	" r1 |= 8\n r1 &= r2\n w1 <<= 3\n r1 >>= r2\n r1 s>>= 3\n w1 s>>= w2\n w1 ^= -1\n"
	" r1 = -r1\n w1 = -w1\n r1 = be16 r1\n r1 = le64 r1\n r1 = be32 r1\n"
	" r0 = *(u8 *)(r1 + 0)\n r0 = *(u16 *)(r1 - 2)\n r0 = *(u32 *)(r10 - 32768)\n r0 = *(u64 *)(r1 + 32767)\n"
	" *(u8 *)(r10 - 1) = r2\n *(u16 *)(r10 - 2) = r2\n *(u32 *)(r10 - 4) = r2\n *(u64 *)(r10 - 8) = r2\n"
	" lock *(u64 *)(r10 - 8) += r1\n lock *(u32 *)(r10 - 8) += r1\n"
	" lock *(u64 *)(r2 + 8) &= r1\n lock *(u64 *)(r2 + 8) |= r1\n lock *(u64 *)(r2 + 8) ^= r1\n"
	" r0 = *(u8 *)skb[12]\n r0 = *(u16 *)skb[-2]\n r0 = *(u32 *)skb[r3]\n"
	" r1 = 0 ll\n r1 = -1 ll\n r2 = 1311768467463790320 ll\n r3 = 2147483648 ll\n"
	" if r1 == 5 goto +1\n if r1 != r2 goto -2\n if r1 > -1 goto +0\n if r1 s< r2 goto +3\n"
	" if w1 == 5 goto +1\n if w1 s>= w2 goto -4\n if w1 <= 2147483647 goto +0\n"
	" goto +2\n goto -5\n call 1\n call 130\n exit\n";

static void test_llvm_objdump(void)
{
	char *dir, *src, *obj, *cmd;
	int compared;

	if (!have_tool("llvm-objdump") || !have_tool("clang") || !have_tool("llvm-mc")) {
		g_test_skip("clang, llvm-mc or llvm-objdump is not installed");
		return;
	}
	dir = g_dir_make_tmp("bpfs-disasm-XXXXXX", NULL);
	g_assert_nonnull(dir);

	src = g_build_filename(dir, "p.c", NULL);
	obj = g_build_filename(dir, "p.o", NULL);
	g_assert_true(g_file_set_contents(src, llvm_src_c, -1, NULL));
	cmd = g_strdup_printf("clang -target bpf -O2 -c %s -o %s", src, obj);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	compared = compare_objdump(obj);
	g_assert_cmpint(compared, >, 20);
	g_unlink(obj);
	g_unlink(src);
	g_free(cmd);
	g_free(src);
	g_free(obj);

	src = g_build_filename(dir, "p.s", NULL);
	obj = g_build_filename(dir, "ps.o", NULL);
	g_assert_true(g_file_set_contents(src, llvm_src_s, -1, NULL));
	cmd = g_strdup_printf("llvm-mc -triple bpfel -filetype=obj %s -o %s", src, obj);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	compared = compare_objdump(obj);
	g_assert_cmpint(compared, >=, 50);
	g_unlink(obj);
	g_unlink(src);
	g_free(cmd);
	g_free(src);
	g_free(obj);

	/* every row of the table, as raw bytes */
	src = g_build_filename(dir, "cases.s", NULL);
	obj = g_build_filename(dir, "cases.o", NULL);
	{
		GString *s = g_string_new(".text\n");
		size_t i, j, n;

		for (i = 0; i < G_N_ELEMENTS(cases); i++) {
			const guint8 *b = (const guint8 *)cases[i].insns;

			n = bpfs_insn_is_ldimm64(&cases[i].insns[0]) ? 16 : 8;
			g_string_append(s, ".byte ");
			for (j = 0; j < n; j++)
				g_string_append_printf(s, "%s0x%02x", j ? "," : "", b[j]);
			g_string_append(s, "\n");
		}
		g_assert_true(g_file_set_contents(src, s->str, -1, NULL));
		g_string_free(s, TRUE);
	}
	cmd = g_strdup_printf("llvm-mc -triple bpfel -filetype=obj %s -o %s", src, obj);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	compared = compare_objdump(obj);
	g_assert_cmpint(compared, >=, 50);
	g_unlink(obj);
	g_unlink(src);
	g_free(cmd);
	g_free(src);
	g_free(obj);
	g_rmdir(dir);
	g_free(dir);
}

/* ---------------------------------------------------------------------- */
/* Against the kernel's verifier log                                      */

/* Straight-line and branching code the verifier accepts as a socket
 * filter, covering each instruction class. */
static const struct bpf_insn kernel_prog[] = {
	I(0xbf, 6, 1, 0, 0),            /* r6 = r1 */
	I(0xb7, 0, 0, 0, 0),            /* r0 = 0 */
	I(0x7a, 10, 0, -8, 0),          /* *(u64 *)(r10 -8) = 0 */
	I(0x7a, 10, 0, -16, 7),         /* *(u64 *)(r10 -16) = 7 */
	I(0x85, 0, 0, 0, 5),            /* call bpf_ktime_get_ns#5 */
	I(0xbf, 1, 0, 0, 0),            /* r1 = r0 */
	I(0x57, 1, 0, 0, 0xff),         /* r1 &= 255 */
	I(0x07, 1, 0, 0, -8),           /* r1 += -8 */
	I(0xb4, 2, 0, 0, 3),            /* w2 = 3 */
	I(0x0c, 2, 2, 0, 0),            /* w2 += w2 */
	I(0x84, 2, 0, 0, 0),            /* w2 = -w2 */
	I(0x87, 1, 0, 0, 0),            /* r1 = -r1 */
	I(0xdc, 2, 0, 0, 16),           /* r2 = be16 r2 */
	I(0xd4, 2, 0, 0, 32),           /* r2 = le32 r2 */
	I(0xd7, 1, 0, 0, 64),           /* r1 = bswap64 r1 */
	I(0xbf, 3, 1, 8, 0),            /* r3 = (s8)r1 */
	I(0xbc, 4, 2, 16, 0),           /* w4 = (s16)w2 */
	I(0x37, 3, 0, 1, 3),            /* r3 s/= 3 */
	I(0x9c, 4, 2, 1, 0),            /* w4 s%= w2 */
	I(0xc7, 3, 0, 0, 2),            /* r3 s>>= 2 */
	I(0x7b, 10, 3, -24, 0),         /* *(u64 *)(r10 -24) = r3 */
	I(0x79, 5, 10, -24, 0),         /* r5 = *(u64 *)(r10 -24) */
	I(0x91, 5, 10, -24, 0),         /* r5 = *(s8 *)(r10 -24) */
	I(0x63, 10, 4, -4, 0),          /* *(u32 *)(r10 -4) = r4 */
	I(0xb7, 7, 0, 0, 1),            /* r7 = 1 */
	I(0xdb, 10, 7, -16, 0x00),      /* lock *(u64 *)(r10 -16) += r7 */
	I(0xdb, 10, 7, -16, 0x01),      /* r7 = atomic64_fetch_add(...) */
	I(0xc3, 10, 4, -4, 0xe1),       /* r4 = atomic_xchg(...) */
	I(0xb7, 0, 0, 0, 0),            /* r0 = 0 */
	I(0xdb, 10, 7, -16, 0xf1),      /* r0 = atomic64_cmpxchg(...) */
	I(0xcb, 10, 7, -16, 0x110),     /* store_release((u16 *)...) */
	I(0xd3, 5, 10, -16, 0x100),     /* r5 = load_acquire((u8 *)...) */
	I(0x18, 8, 0, 0, 0x5678), I(0, 0, 0, 0, 0x1234), /* r8 = 0x123400005678 */
	I(0x30, 0, 0, 0, 12),           /* r0 = *(u8 *)skb[12] */
	I(0x55, 7, 0, 2, 3),            /* if r7 != 0x3 goto pc+2 */
	I(0x1e, 8, 7, 1, 0),            /* if w8 == w7 goto pc+1 */
	I(0x05, 0, 0, 0, 0),            /* goto pc+0 */
	I(0x06, 0, 0, 0, 0),            /* gotol pc+0 */
	I(0xe5, 0, 0, 0, 0),            /* may_goto pc+0 */
	I(0xa6, 8, 0, 1, -1),           /* if w8 < 0xffffffff goto pc+1 */
	I(0xb4, 0, 0, 0, 1),            /* w0 = 1 */
	I(0xb7, 0, 0, 0, 0),            /* r0 = 0 */
	I(0x95, 0, 0, 0, 0),            /* exit */
};

#ifndef BPF_PROG_LOAD
#define BPF_PROG_LOAD 5
#endif

static void test_kernel_log(void)
{
	union bpf_attr attr;
	size_t log_size = 1 << 20, cnt = G_N_ELEMENTS(kernel_prog);
	char *log, **lines, buf[256];
	int fd, i, compared = 0;

	if (geteuid() != 0) {
		g_test_skip("loading a program into the kernel needs root");
		return;
	}
	log = g_malloc0(log_size);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)kernel_prog;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = (uint32_t)log_size;
	attr.log_level = 2;
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0 && log[0] == '\0') {
		g_test_skip_printf("bpf(BPF_PROG_LOAD) is not available: %s", g_strerror(errno));
		g_free(log);
		return;
	}
	if (fd < 0)
		g_error("the kernel rejected the test program: %s\n%s", g_strerror(errno), log);
	close(fd);

	lines = g_strsplit(log, "\n", -1);
	for (i = 0; lines[i]; i++) {
		unsigned int idx, code;
		int pos = 0;
		char *text, *semi;

		if (sscanf(lines[i], "%u: (%2x) %n", &idx, &code, &pos) != 2 || pos == 0 || idx >= cnt)
			continue;
		text = g_strdup(lines[i] + pos);
		semi = strstr(text, " ;");
		if (semi)
			*semi = '\0';
		g_strchomp(text);
		g_assert_cmpuint(code, ==, kernel_prog[idx].code);
		g_assert_cmpint(bpfs_disasm_insn(kernel_prog, cnt, idx, BPFS_SYNTAX_KERNEL, buf, sizeof(buf)), >, 0);
		/* the verifier prints LD_IMM64 after its own rewriting */
		if (!bpfs_insn_is_ldimm64(&kernel_prog[idx]) && strcmp(text, buf))
			g_error("insn %u: the kernel says '%s', we say '%s'", idx, text, buf);
		compared++;
		g_free(text);
	}
	g_assert_cmpint(compared, >=, (int)cnt - 1);
	g_strfreev(lines);
	g_free(log);
}

int main(int argc, char **argv)
{
	size_t i;

	g_test_init(&argc, &argv, NULL);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *name = g_strdup_printf("/disasm/case/%02zu_%02x", i, cases[i].insns[0].code);

		g_test_add_data_func(name, &cases[i], test_case);
		g_free(name);
	}
	g_test_add_func("/disasm/all_opcodes", test_all_opcodes);
	g_test_add_func("/disasm/bad_args", test_bad_args);
	g_test_add_func("/disasm/listing", test_listing);
	g_test_add_func("/disasm/llvm_objdump", test_llvm_objdump);
	g_test_add_func("/disasm/kernel_log", test_kernel_log);
	return g_test_run();
}
