/* SPDX-License-Identifier: MIT */
/*
 * The verifier's case table, in the manner of the kernel's test_verifier:
 * one row per case, with the program, its type and maps, the expected
 * verdict and, for rejections, a substring of the log.
 *
 * Every row's verdict and message are the running kernel's (Linux 6.18),
 * checked by test_verifier_kernel.c, which loads each row with bpf(); the
 * same rows run through bpfscope in test_verifier_table.c. A row whose
 * behaviour bpfscope deliberately does not copy says why in
 * kernel_differs; the kernel oracle then does not hold the row to it.
 * Rows marked unpriv are checked against the kernel only where it allows
 * unprivileged loads (kernel.unprivileged_bpf_disabled = 0); elsewhere
 * their messages rest on the kernel's source, not on a load.
 *
 * Rows are grouped by the check they exercise, in roughly the order the
 * kernel's verifier performs them. Adding a case is adding a row; to run
 * one, use its GTest path: -p /verifier/kernel/<index>-<slug>.
 *
 * Maps: a row lists up to four map kinds; BPF_LD_MAP_FD(r, i) and
 * BPF_LD_MAP_VALUE(r, i, off) refer to the i-th of them. An index past the
 * row's maps is left unpatched (the kernel sees the raw imm as an fd).
 */
#ifndef BPFS_TESTS_VERIFIER_CASES_H
#define BPFS_TESTS_VERIFIER_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "insn_macros.h"

#define VT_MAX_INSNS 80
#define VT_MAX_MAPS 4

enum vt_expect {
	ACCEPT = 1,
	REJECT = 2,
};

/* The maps a row can ask for; the kernel oracle creates them as listed in
 * vt_map_defs. Kind 0 ends a row's list. */
enum vt_map_kind {
	VT_MAP_NONE,
	VT_MAP_HASH_8B,	    /* hash, key 8, value 8 */
	VT_MAP_HASH_48B,    /* hash, key 8, value 48 */
	VT_MAP_HASH_16B,    /* hash, key 8, value 16 */
	VT_MAP_ARRAY_48B,   /* array, key 4, value 48 */
	VT_MAP_ARRAY_SMALL, /* array, key 4, value 1 */
	VT_MAP_PROG_ARRAY,  /* prog_array, key 4, value 4, 4 entries */
	VT_MAP_PERF_EVENT,  /* perf_event_array, key 4, value 4 */
	VT_MAP_STACKTRACE,  /* stack_trace, key 4, value 8 */
	VT_MAP_RINGBUF,	    /* ringbuf, 4096 bytes */
	VT_MAP_KIND_COUNT,
};

struct vt_map_def {
	const char *name;
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
};

static const struct vt_map_def vt_map_defs[VT_MAP_KIND_COUNT] = {
    [VT_MAP_HASH_8B] = {"hash_8b", BPF_MAP_TYPE_HASH, 8, 8, 1},
    [VT_MAP_HASH_48B] = {"hash_48b", BPF_MAP_TYPE_HASH, 8, 48, 1},
    [VT_MAP_HASH_16B] = {"hash_16b", BPF_MAP_TYPE_HASH, 8, 16, 1},
    [VT_MAP_ARRAY_48B] = {"array_48b", BPF_MAP_TYPE_ARRAY, 4, 48, 1},
    [VT_MAP_ARRAY_SMALL] = {"array_small", BPF_MAP_TYPE_ARRAY, 4, 1, 1},
    [VT_MAP_PROG_ARRAY] = {"prog_array", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4},
    [VT_MAP_PERF_EVENT] = {"perf_event", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1},
    [VT_MAP_STACKTRACE] = {"stacktrace", BPF_MAP_TYPE_STACK_TRACE, 4, 8, 1},
    [VT_MAP_RINGBUF] = {"ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096},
};

struct vt_case {
	const char *descr;
	struct bpf_insn insns[VT_MAX_INSNS];
	uint32_t prog_type; /* 0: socket filter */
	enum vt_map_kind maps[VT_MAX_MAPS];
	int expected;		    /* ACCEPT or REJECT */
	const char *errstr;	    /* on REJECT: a substring of the log */
	const char *license;	    /* NULL: "GPL" */
	uint32_t flags;		    /* prog_flags: BPF_F_ANY_ALIGNMENT, ... */
	bool unpriv;		    /* load without privileges */
	const char *kernel_differs; /* why bpfscope deliberately differs, or NULL */
};

/* Instructions in a row: up to the last non-zero slot. */
static inline size_t vt_insn_cnt(const struct vt_case *c)
{
	size_t n = VT_MAX_INSNS;

	while (n > 0) {
		const struct bpf_insn *i = &c->insns[n - 1];
		if (i->code || i->dst_reg || i->src_reg || i->off || i->imm)
			break;
		n--;
	}
	return n;
}

static inline size_t vt_map_cnt(const struct vt_case *c)
{
	size_t n = 0;

	while (n < VT_MAX_MAPS && c->maps[n] != VT_MAP_NONE)
		n++;
	return n;
}

/* The program type to load the row as (0 means socket filter). */
static inline uint32_t vt_prog_type(const struct vt_case *c)
{
	return c->prog_type ? c->prog_type : BPF_PROG_TYPE_SOCKET_FILTER;
}

static inline const char *vt_license(const struct vt_case *c)
{
	return c->license ? c->license : "GPL";
}

/* A row's description as a test path component: "R0 !read_ok, branch"
 * becomes "r0-read-ok-branch". */
static inline void vt_slug(const char *descr, char *buf, size_t len)
{
	size_t n = 0;
	bool dash = false;

	for (const char *p = descr; *p && n + 2 < len; p++) {
		char ch = *p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
			if (dash && n)
				buf[n++] = '-';
			buf[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
			dash = false;
		} else {
			dash = true;
		}
	}
	if (len)
		buf[n < len ? n : len - 1] = '\0';
}

/* Common sequences. */

/* *(u64 *)(fp - 8) = 0; r2 = fp - 8; r1 = map MAPIDX; r0 = lookup(r1, r2):
 * r0 is map_value_or_null. */
#define VT_LOOKUP(MAPIDX)                                                                                    \
	BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0), BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),                         \
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -8), BPF_LD_MAP_FD(BPF_REG_1, MAPIDX),                         \
	    BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem)
/* VT_LOOKUP, then return 0 when r0 is NULL: r0 is map_value. */
#define VT_LOOKUP_CHECKED(MAPIDX) VT_LOOKUP(MAPIDX), BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 1), BPF_EXIT_INSN()
/* r2 = skb->data; r3 = skb->data_end (r1 = ctx, sched_cls) */
#define VT_SKB_DATA                                                                                          \
	BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, data)),                          \
	    BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct __sk_buff, data_end))
/* r2 = xdp->data; r3 = xdp->data_end (r1 = ctx, xdp) */
#define VT_XDP_DATA                                                                                          \
	BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct xdp_md, data)),                             \
	    BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct xdp_md, data_end))
/* r0 = 0; exit */
#define VT_RET0 BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN()

/* r6 = a random u32 (0 .. 2^32-1, zero-extended by the 32-bit move: the
 * helper itself returns an unknown 64-bit value); r0 = value of map 0
 * (null-checked). */
#define VT_U32_AND_VALUE                                                                                     \
	BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV32_REG(BPF_REG_6, BPF_REG_0), VT_LOOKUP_CHECKED(0)
/* r0 = value of map 0 (null-checked); r6 = its first u64 (unknown). */
#define VT_U64_AND_VALUE VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 0)

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R8 BPF_REG_8
#define R9 BPF_REG_9
#define R10 BPF_REG_10

#define SOCKET_FILTER BPF_PROG_TYPE_SOCKET_FILTER
#define KPROBE BPF_PROG_TYPE_KPROBE
#define SCHED_CLS BPF_PROG_TYPE_SCHED_CLS
#define SCHED_ACT BPF_PROG_TYPE_SCHED_ACT
#define XDP BPF_PROG_TYPE_XDP
#define TRACEPOINT BPF_PROG_TYPE_TRACEPOINT
#define CGROUP_SKB BPF_PROG_TYPE_CGROUP_SKB

/* clang-format off */
static const struct vt_case vt_cases[] = {
	/* ---- Instruction validity and reserved fields ---------------------- */
	{
		"unknown opcode in the ALU64 class",
		.insns = { BPF_RAW_INSN(BPF_ALU64 | 0xe0 | BPF_K, R0, 0, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "unknown opcode e7",
	},
	{
		"unknown opcode: BPF_LD with BPF_MEM mode",
		.insns = { BPF_RAW_INSN(BPF_LD | BPF_MEM | BPF_W, R0, 0, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "unknown opcode 60",
	},
	{
		"unknown opcode: LD_ABS of a double word",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_RAW_INSN(BPF_LD | BPF_ABS | BPF_DW, 0, 0, 0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "unknown opcode 38",
	},
	{
		"MOV imm with a source register",
		.insns = { BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_K, R0, R1, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_MOV uses reserved fields",
	},
	{
		"MOV reg with an immediate",
		.insns = { BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, R0, R1, 0, 1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_MOV uses reserved fields",
	},
	{
		"MOVSX with an invalid width",
		.insns = { BPF_MOV64_IMM(R1, 1), BPF_MOVSX64_REG(R0, R1, 7), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_MOV uses reserved fields",
	},
	{
		"ALU add imm with a source register",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_ALU64 | BPF_ADD | BPF_K, R0, R1, 0, 1),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_ALU uses reserved fields",
	},
	{
		"ALU add reg with an immediate",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_ALU64 | BPF_ADD | BPF_X, R0, R0, 0, 1),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_ALU uses reserved fields",
	},
	{
		"ALU add with a non-zero offset",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_ALU64 | BPF_ADD | BPF_K, R0, 0, 1, 1),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_ALU uses reserved fields",
	},
	{
		"DIV with offset 2 (only 0 and 1 exist)",
		.insns = { BPF_MOV64_IMM(R0, 4), BPF_RAW_INSN(BPF_ALU64 | BPF_DIV | BPF_K, R0, 0, 2, 2),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_ALU uses reserved fields",
	},
	{
		"NEG with a source register",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_RAW_INSN(BPF_ALU64 | BPF_NEG | BPF_K, R0, R1, 0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_NEG uses reserved fields",
	},
	{
		"END with width 8",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ENDIAN(BPF_TO_BE, R0, 8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_END uses reserved fields",
	},
	{
		"32-bit shift by 32",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU32_IMM(BPF_LSH, R0, 32), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid shift 32",
	},
	{
		"64-bit arithmetic shift by 64",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU64_IMM(BPF_ARSH, R0, 64), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid shift 64",
	},
	{
		"64-bit shift by 63 is fine",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU64_IMM(BPF_LSH, R0, 63), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"EXIT with a destination register",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_JMP | BPF_EXIT, R1, 0, 0, 0) },
		.expected = REJECT,
		.errstr = "BPF_EXIT uses reserved fields",
	},
	{
		"CALL with a destination register",
		.insns = { BPF_RAW_INSN(BPF_JMP | BPF_CALL, R1, 0, 0, BPF_FUNC_get_prandom_u32),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_CALL uses reserved fields",
	},
	{
		"JA with a register",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_JMP | BPF_JA, R1, 0, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_JA uses reserved fields",
	},
	{
		"conditional jump on imm with a source register",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_JMP | BPF_JEQ | BPF_K, R0, R1, 0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_JMP/JMP32 uses reserved fields",
	},
	{
		"LDX with an immediate",
		.insns = { BPF_RAW_INSN(BPF_LDX | BPF_MEM | BPF_W, R0, R1, 0, 1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_LDX uses reserved fields",
	},
	{
		"ST with a source register",
		.insns = { BPF_RAW_INSN(BPF_ST | BPF_MEM | BPF_DW, R10, R1, -8, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF_ST uses reserved fields",
	},
	{
		"STX with an immediate",
		.insns = { BPF_MOV64_IMM(R1, 0), BPF_RAW_INSN(BPF_STX | BPF_MEM | BPF_DW, R10, R1, -8, 1),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF_STX uses reserved fields",
	},
	{
		"register r11 does not exist",
		.insns = { BPF_MOV64_IMM(11, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "R11 is invalid",
	},
	{
		"LD_IMM64 as the last instruction",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN(),
			   BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, R0, 0, 0, 1) },
		.expected = REJECT,
		.errstr = "last insn is not an exit or jmp",
	},
	{
		"LD_IMM64 second slot with an opcode",
		.insns = { BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, R0, 0, 0, 1),
			   BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_ld_imm64 insn",
	},
	{
		"LD_IMM64 second slot with a register",
		.insns = { BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, R0, 0, 0, 1), BPF_RAW_INSN(0, R1, 0, 0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_ld_imm64 insn",
	},
	{
		"LD_IMM64 with an unknown pseudo source",
		.insns = { BPF_LD_IMM64_RAW(R0, 7, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "unrecognized bpf_ld_imm64 insn",
	},
	{
		"LD_IMM64 map fd with a value offset",
		.insns = { BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, R1, BPF_PSEUDO_MAP_FD, 0, 0),
			   BPF_RAW_INSN(0, 0, 0, 0, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "unrecognized bpf_ld_imm64 insn",
	},
	{
		"LD_IMM64 loads all 64 bits",
		.insns = { BPF_LD_IMM64(R1, 0x123456789abcdefULL), BPF_ALU64_IMM(BPF_RSH, R1, 32),
			   BPF_JMP_IMM(BPF_JEQ, R1, 0x1234567, 2), BPF_LDX_MEM(BPF_DW, R0, R1, 0),
			   BPF_EXIT_INSN(), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"jump into the middle of LD_IMM64",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1), BPF_LD_IMM64(R0, 1),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "jump into the middle of ldimm64 insn 2",
	},
	{
		"jump past the end",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 5), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "jump out of range from insn 1 to 7",
	},
	{
		"jump before the start",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_A(-3), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "jump out of range from insn 1 to -1",
	},
	{
		"last instruction is not an exit",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 0) },
		.expected = REJECT,
		.errstr = "last insn is not an exit or jmp",
	},
	{
		"unreachable instruction",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN(), BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "unreachable insn 2",
	},
	{
		"gotol forwards and backwards",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_GOTOL(2), BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN(), BPF_GOTOL(-3) },
		.expected = ACCEPT,
	},
	{
		"gotol with an offset field",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_JA uses reserved fields",
	},
	{
		"atomic with an unknown operation",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_IMM(R1, 1),
			   BPF_ATOMIC_OP(BPF_DW, BPF_SUB, R10, R1, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF_ATOMIC uses invalid atomic opcode 10",
	},
	{
		"atomic add of a byte",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_IMM(R1, 1),
			   BPF_ATOMIC_OP(BPF_B, BPF_ADD, R10, R1, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid atomic operand size",
	},

	/* ---- Registers ----------------------------------------------------- */
	{
		"minimal program",
		.insns = { VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"R0 not set at exit",
		.insns = { BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 !read_ok",
	},
	{
		"R0 set on one branch only",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, 0), BPF_JMP_IMM(BPF_JEQ, R2, 0, 1), BPF_MOV64_IMM(R0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 !read_ok",
	},
	{
		"read of uninitialised R2",
		.insns = { BPF_MOV64_REG(R0, R2), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R2 !read_ok",
	},
	{
		"32-bit move from uninitialised R3",
		.insns = { BPF_MOV32_REG(R0, R3), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R3 !read_ok",
	},
	{
		"ALU on uninitialised destination",
		.insns = { BPF_ALU64_IMM(BPF_ADD, R4, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "R4 !read_ok",
	},
	{
		"compare with uninitialised source",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_REG(BPF_JEQ, R0, R5, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R5 !read_ok",
	},
	{
		"store of uninitialised register",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R3, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "R3 !read_ok",
	},
	{
		"load through uninitialised base",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R4, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R4 !read_ok",
	},
	{
		"R1 holds the context at entry",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"move to R10",
		.insns = { BPF_MOV64_IMM(R10, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "frame pointer is read only",
	},
	{
		"add to R10",
		.insns = { BPF_ALU64_IMM(BPF_ADD, R10, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "frame pointer is read only",
	},
	{
		"load into R10",
		.insns = { BPF_LDX_MEM(BPF_DW, R10, R1, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "frame pointer is read only",
	},
	{
		"R10 as a source is fine",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_ST_MEM(BPF_DW, R1, 0, 0),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"R1 unreadable after a helper call",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 !read_ok",
	},
	{
		"R5 unreadable after a helper call",
		.insns = { BPF_MOV64_IMM(R5, 1), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R0, R5),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R5 !read_ok",
	},
	{
		"R6 to R9 survive a helper call",
		.insns = { BPF_MOV64_IMM(R6, 1), BPF_MOV64_IMM(R7, 2), BPF_MOV64_IMM(R8, 3), BPF_MOV64_IMM(R9, 4),
			   BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R0, R6),
			   BPF_ALU64_REG(BPF_ADD, R0, R7), BPF_ALU64_REG(BPF_ADD, R0, R8),
			   BPF_ALU64_REG(BPF_ADD, R0, R9), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"context pointer kept in R6 across a call",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
			   BPF_LDX_MEM(BPF_W, R0, R6, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"helper result is a scalar",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_LDX_MEM(BPF_B, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},

	/* ---- Stack --------------------------------------------------------- */
	{
		"stack: store then load a double word",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 7), BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: load the lowest slot",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -512, 7), BPF_LDX_MEM(BPF_DW, R0, R10, -512),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: read of never written bytes (root may)",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: read of never written bytes, unprivileged",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid read from stack off -8+0 size 8",
		.unpriv = true,
	},
	{
		"stack: write at the frame pointer",
		.insns = { BPF_ST_MEM(BPF_DW, R10, 0, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid write to stack R10 off=0 size=8",
	},
	{
		"stack: read above the frame",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R10, 4), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid read from stack R10 off=4 size=4",
	},
	{
		"stack: write below 512 bytes",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -520, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid write to stack R10 off=-520 size=8",
	},
	{
		"stack: write straddling the frame pointer",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -4, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "misaligned stack access",
	},
	{
		"stack: misaligned double word",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -12, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "misaligned stack access off 0+0+-12 size 8",
	},
	{
		"stack: misaligned even with BPF_F_ANY_ALIGNMENT",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -12, 0), VT_RET0 },
		.flags = BPF_F_ANY_ALIGNMENT,
		.expected = REJECT,
		.errstr = "misaligned stack access off 0+0+-12 size 8",
	},
	{
		"stack: misaligned word",
		.insns = { BPF_ST_MEM(BPF_W, R10, -6, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "misaligned stack access",
	},
	{
		"stack: aligned half word",
		.insns = { BPF_ST_MEM(BPF_H, R10, -6, 0), BPF_LDX_MEM(BPF_H, R0, R10, -6), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: variable offset write within bounds",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 7),
			   BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_ALU64_REG(BPF_ADD, R1, R0),
			   BPF_ST_MEM(BPF_B, R1, 0, 1), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"stack: variable offset read within bounds",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -16, 0), BPF_ST_MEM(BPF_DW, R10, -8, 0),
			   BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 7),
			   BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_ALU64_REG(BPF_ADD, R1, R0),
			   BPF_LDX_MEM(BPF_B, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: variable offset write reaching the frame pointer",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 15),
			   BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_ALU64_REG(BPF_ADD, R1, R0),
			   BPF_ST_MEM(BPF_B, R1, 0, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid variable-offset write to stack R1",
	},
	{
		"stack: unbounded variable offset",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R1, R10),
			   BPF_ALU64_REG(BPF_ADD, R1, R0), BPF_ST_MEM(BPF_B, R1, -8, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "math between fp pointer and register with unbounded min value is not allowed",
	},
	{
		"stack: variable offset, unprivileged",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 7),
			   BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_ALU64_REG(BPF_ADD, R1, R0),
			   BPF_ST_MEM(BPF_B, R1, 0, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "variable stack access prohibited for !root",
		.unpriv = true,
	},
	{
		"stack: spill and fill of ctx keeps its type",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_LDX_MEM(BPF_DW, R2, R10, -8),
			   BPF_LDX_MEM(BPF_W, R0, R2, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: spill of a map value pointer keeps its type",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_STX_MEM(BPF_DW, R10, R0, -16), BPF_LDX_MEM(BPF_DW, R3, R10, -16),
			   BPF_LDX_MEM(BPF_DW, R0, R3, 40), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"stack: filled map value pointer keeps its bounds",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_STX_MEM(BPF_DW, R10, R0, -16), BPF_LDX_MEM(BPF_DW, R3, R10, -16),
			   BPF_LDX_MEM(BPF_DW, R0, R3, 41), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=41 size=8",
	},
	{
		"stack: byte store into a spilled pointer destroys it",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_ST_MEM(BPF_B, R10, -8, 0),
			   BPF_LDX_MEM(BPF_DW, R2, R10, -8), BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R2 invalid mem access 'scalar'",
	},
	{
		"stack: word store into the high half of a spilled pointer",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_ST_MEM(BPF_W, R10, -4, 0),
			   BPF_LDX_MEM(BPF_DW, R2, R10, -8), BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R2 invalid mem access 'scalar'",
	},
	{
		"stack: partial fill of a spilled pointer",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_LDX_MEM(BPF_W, R0, R10, -8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid size of register fill",
	},
	{
		"stack: spilled pointer overwritten by a scalar",
		.insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_ST_MEM(BPF_DW, R10, -8, 0),
			   BPF_LDX_MEM(BPF_DW, R2, R10, -8), BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R2 invalid mem access 'scalar'",
	},
	{
		"stack: spilled constant stays constant",
		.insns = { BPF_MOV64_IMM(R1, 42), BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_LDX_MEM(BPF_DW, R2, R10, -8),
			   BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R2, 42, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: stored immediate stays constant",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 42), BPF_LDX_MEM(BPF_DW, R2, R10, -8), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JEQ, R2, 42, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: 32-bit spill of a constant stays constant",
		.insns = { BPF_MOV64_IMM(R1, 42), BPF_STX_MEM(BPF_W, R10, R1, -8), BPF_LDX_MEM(BPF_W, R2, R10, -8),
			   BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R2, 42, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: spilled unknown scalar is not constant",
		.insns = { BPF_LDX_MEM(BPF_W, R1, R1, 0), BPF_STX_MEM(BPF_DW, R10, R1, -8),
			   BPF_LDX_MEM(BPF_DW, R2, R10, -8), BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R2, 42, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"stack: spilled bounds survive a fill",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 7),
			   BPF_STX_MEM(BPF_DW, R10, R0, -24), VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R1, R10, -24),
			   BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_LDX_MEM(BPF_DW, R0, R0, 40), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"stack: pointer to stack returned by root",
		.insns = { BPF_MOV64_REG(R0, R10), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: pointer to stack returned, unprivileged",
		.insns = { BPF_MOV64_REG(R0, R10), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 leaks addr as return value",
		.unpriv = true,
	},
	{
		"stack: sign-extending load of a stored byte",
		.insns = { BPF_ST_MEM(BPF_B, R10, -1, 0x80), BPF_LDX_MEMSX(BPF_B, R1, R10, -1), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JSLE, R1, 127, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: zero-extending load of a stored byte may exceed 127",
		.insns = { BPF_ST_MEM(BPF_B, R10, -1, 0x80), BPF_LDX_MEM(BPF_B, R1, R10, -1), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JSLE, R1, 127, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"stack: atomic add on an initialised slot",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 1), BPF_MOV64_IMM(R1, 2), BPF_STX_XADD(BPF_DW, R10, R1, -8),
			   BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: atomic fetch-add returns into the source",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 1), BPF_MOV64_IMM(R1, 2),
			   BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, R10, R1, -8), BPF_MOV64_REG(R0, R1),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: atomic compare-exchange needs R0",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 1), BPF_MOV64_IMM(R1, 2),
			   BPF_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R10, R1, -8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 !read_ok",
	},
	{
		"stack: atomic exchange of a word",
		.insns = { BPF_ST_MEM(BPF_W, R10, -4, 1), BPF_MOV64_IMM(R1, 2),
			   BPF_ATOMIC_OP(BPF_W, BPF_XCHG, R10, R1, -4), BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack: atomic add with an uninitialised source",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 1), BPF_STX_XADD(BPF_DW, R10, R2, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "R2 !read_ok",
	},

	/* ---- Pointer arithmetic -------------------------------------------- */
	{
		"ctx: load through a moved context pointer",
		.insns = { BPF_ALU64_IMM(BPF_ADD, R1, 4), BPF_LDX_MEM(BPF_W, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "dereference of modified ctx ptr R1 off=4 disallowed",
	},
	{
		"ctx: moved and moved back is fine",
		.insns = { BPF_ALU64_IMM(BPF_ADD, R1, 4), BPF_ALU64_IMM(BPF_SUB, R1, 4), BPF_LDX_MEM(BPF_W, R0, R1, 0),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"ctx: variable offset",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_ALU64_IMM(BPF_AND, R0, 4),
			   BPF_ALU64_REG(BPF_ADD, R6, R0), BPF_LDX_MEM(BPF_W, R0, R6, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "variable ctx access var_off=(0x0; 0x4) disallowed",
	},
	{
		"ctx: multiplication",
		.insns = { BPF_ALU64_IMM(BPF_MUL, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ctx: bitwise and",
		.insns = { BPF_ALU64_IMM(BPF_AND, R1, -8), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator &= on pointer prohibited",
	},
	{
		"ctx: shift",
		.insns = { BPF_ALU64_IMM(BPF_LSH, R1, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with <<= operator prohibited",
	},
	{
		"ctx: 32-bit add",
		.insns = { BPF_ALU32_IMM(BPF_ADD, R1, 4), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 32-bit pointer arithmetic prohibited",
	},
	{
		"pointer plus pointer",
		.insns = { BPF_MOV64_REG(R2, R10), BPF_ALU64_REG(BPF_ADD, R2, R1), VT_RET0 },
		.expected = REJECT,
		.errstr = "R2 pointer += pointer prohibited",
	},
	{
		"scalar minus pointer",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_ALU64_REG(BPF_SUB, R2, R10), VT_RET0 },
		.expected = REJECT,
		.errstr = "R2 tried to subtract pointer from scalar",
	},
	{
		"stack pointer minus stack pointer is a scalar",
		.insns = { BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_MOV64_REG(R0, R10),
			   BPF_ALU64_REG(BPF_SUB, R0, R2), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"stack pointer minus ctx pointer is a scalar for root",
		.insns = { BPF_MOV64_REG(R0, R10), BPF_ALU64_REG(BPF_SUB, R0, R1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"scalar plus stack pointer is a stack pointer",
		.insns = { BPF_MOV64_IMM(R2, -8), BPF_ALU64_REG(BPF_ADD, R2, R10), BPF_ST_MEM(BPF_DW, R2, 0, 0),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"negated pointer is a scalar for root",
		.insns = { BPF_MOV64_REG(R0, R10), BPF_NEG64(R0), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"map pointer plus constant",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic on map_ptr prohibited",
	},
	{
		"map pointer dereference (struct bpf_map fields)",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map value or null plus constant",
		.insns = { VT_LOOKUP(0), BPF_ALU64_IMM(BPF_ADD, R0, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first",
	},
	{
		"map value plus constant, then load",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU64_IMM(BPF_ADD, R0, 16), BPF_LDX_MEM(BPF_DW, R0, R0, 24),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"map value plus constant, load past the end",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU64_IMM(BPF_ADD, R0, 16), BPF_LDX_MEM(BPF_DW, R0, R0, 32),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=48 size=8",
	},
	{
		"map value minus constant",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU64_IMM(BPF_SUB, R0, 8), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=-8 size=8",
	},
	{
		"map value plus unbounded scalar",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},
	{
		"map value plus non-negative scalar without upper bound",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_RSH, R6, 1), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 unbounded memory access, make sure to bounds check any such access",
	},
	{
		"map value bitwise or",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU64_IMM(BPF_OR, R0, 1), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 bitwise operator |= on pointer prohibited",
	},
	{
		"map value 32-bit subtraction is a scalar for root",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU32_IMM(BPF_SUB, R0, 1), BPF_LDX_MEM(BPF_B, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"map value 32-bit addition",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ALU32_IMM(BPF_ADD, R0, 1), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 32-bit pointer arithmetic prohibited",
	},
	{
		"packet end plus constant",
		.insns = { VT_SKB_DATA, BPF_ALU64_IMM(BPF_ADD, R3, 1), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R3 pointer arithmetic on pkt_end prohibited",
	},
	{
		"packet end dereference",
		.insns = { VT_SKB_DATA, BPF_LDX_MEM(BPF_B, R0, R3, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R3 invalid mem access 'pkt_end'",
	},
	{
		"packet pointer plus unbounded scalar",
		.insns = { VT_SKB_DATA, BPF_LDX_MEM(BPF_W, R4, R1, offsetof(struct __sk_buff, mark)),
			   BPF_ALU64_REG(BPF_ADD, R2, R4), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"packet pointer plus 64-bit unknown scalar",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_EMIT_CALL(BPF_FUNC_ktime_get_ns),
			   BPF_LDX_MEM(BPF_W, R2, R6, offsetof(struct __sk_buff, data)), BPF_ALU64_REG(BPF_ADD, R2, R0),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "math between pkt pointer and register with unbounded min value is not allowed",
	},
	{
		"packet pointer minus packet pointer is a scalar",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R0, R3), BPF_ALU64_REG(BPF_SUB, R0, R2), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pointer comparison is fine for root",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_REG(BPF_JGT, R1, R10, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"pointer comparison, unprivileged",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_REG(BPF_JGT, R1, R10, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 pointer comparison prohibited",
		.unpriv = true,
	},

	/* ---- Context: socket filter ---------------------------------------- */
	{
		"skb: read len",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"skb: read mark",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, mark)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"skb: write mark in a socket filter",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, mark)), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=8 size=4",
	},
	{
		"skb: write cb[0] in a socket filter",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, cb[0])),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"skb: write cb[2] and cb[3] as a double word",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_DW, R1, R2, offsetof(struct __sk_buff, cb[2])),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"skb: double word write to cb[3] and past it",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_DW, R1, R2, offsetof(struct __sk_buff, cb[3])),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=60 size=8",
	},
	{
		"skb: store immediate into cb[0]",
		.insns = { BPF_ST_MEM(BPF_W, R1, offsetof(struct __sk_buff, cb[0]), 1), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"skb: atomic add into cb[0]",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_XADD(BPF_W, R1, R2, offsetof(struct __sk_buff, cb[0])),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF_ATOMIC stores into R1 ctx is not allowed",
	},
	{
		"skb: write priority in a socket filter",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, priority)),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=32 size=4",
	},
	{
		"skb: read data in a socket filter",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, data)), VT_RET0 },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=76 size=4",
	},
	{
		"skb: read tc_classid in a socket filter",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, tc_classid)), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=72 size=4",
	},
	{
		"skb: narrow load of the low byte of len",
		.insns = { BPF_LDX_MEM(BPF_B, R0, R1, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"skb: narrow load of the high half of len",
		.insns = { BPF_LDX_MEM(BPF_H, R0, R1, offsetof(struct __sk_buff, len) + 2), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"skb: narrow load of the third byte of mark",
		.insns = { BPF_LDX_MEM(BPF_B, R0, R1, offsetof(struct __sk_buff, mark) + 3), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"skb: double word load of len",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=8",
	},
	{
		"skb: misaligned word load",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, 1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=1 size=4",
	},
	{
		"skb: load past the end of __sk_buff",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, sizeof(struct __sk_buff)), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=192 size=4",
	},
	{
		"skb: negative offset",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, -4), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=-4 size=4",
	},
	{
		"skb: read tstamp in a socket filter",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, offsetof(struct __sk_buff, tstamp)), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=152 size=8",
	},
	{
		"tc: read tstamp",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, offsetof(struct __sk_buff, tstamp)), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"skb: sign-extending load from the context",
		.insns = { BPF_LDX_MEMSX(BPF_W, R0, R1, offsetof(struct __sk_buff, mark)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},

	/* ---- Context: sched_cls and sched_act ------------------------------ */
	{
		"tc: write mark",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, mark)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: write priority",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, priority)),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: write tc_index",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, tc_index)),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: write tc_classid",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, tc_classid)),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: write len",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, len)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=4",
	},
	{
		"tc: write data",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, data)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=76 size=4",
	},
	{
		"tc: narrow write of mark",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_B, R1, R2, offsetof(struct __sk_buff, mark)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=8 size=1",
	},
	{
		"tc: read data and data_end",
		.insns = { VT_SKB_DATA, VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: narrow read of data",
		.insns = { BPF_LDX_MEM(BPF_H, R2, R1, offsetof(struct __sk_buff, data)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=76 size=2",
	},
	{
		"tc: read family",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, family)), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=88 size=4",
	},
	{
		"tc: write tstamp",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_DW, R1, R2, offsetof(struct __sk_buff, tstamp)),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: store immediate into mark",
		.insns = { BPF_ST_MEM(BPF_W, R1, offsetof(struct __sk_buff, mark), 1), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: read the socket pointer",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, offsetof(struct __sk_buff, sk)), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"tc: socket pointer needs a null check",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, offsetof(struct __sk_buff, sk)), BPF_LDX_MEM(BPF_W, R0, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R2 invalid mem access 'sock_common_or_null'",
	},
	{
		"act: write mark",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, mark)), VT_RET0 },
		.prog_type = SCHED_ACT,
		.expected = ACCEPT,
	},
	{
		"act: write len",
		.insns = { BPF_MOV64_IMM(R2, 1), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct __sk_buff, len)), VT_RET0 },
		.prog_type = SCHED_ACT,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=4",
	},

	/* ---- Context: xdp -------------------------------------------------- */
	{
		"xdp: read data and data_end",
		.insns = { VT_XDP_DATA, VT_RET0 },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"xdp: read ingress_ifindex and rx_queue_index",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, ingress_ifindex)),
			   BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct xdp_md, rx_queue_index)), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"xdp: read egress_ifindex without devmap attach",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct xdp_md, egress_ifindex)), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=20 size=4",
	},
	{
		"xdp: write data",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_STX_MEM(BPF_W, R1, R2, offsetof(struct xdp_md, data)), VT_RET0 },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=4",
	},
	{
		"xdp: read past the end of xdp_md",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, sizeof(struct xdp_md)), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=24 size=4",
	},
	{
		"xdp: narrow read of data",
		.insns = { BPF_LDX_MEM(BPF_B, R2, R1, offsetof(struct xdp_md, data)), VT_RET0 },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=1",
	},
	{
		"xdp: double word read of data",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, offsetof(struct xdp_md, data)), VT_RET0 },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=8",
	},

	/* ---- Context: kprobe ----------------------------------------------- */
	{
		"kprobe: read the first register",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"kprobe: read the last register of pt_regs",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 160), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"kprobe: read past pt_regs",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 168), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=168 size=8",
	},
	{
		"kprobe: narrow read",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, 4), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"kprobe: misaligned read",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 4), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=4 size=8",
	},
	{
		"kprobe: write to pt_regs",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_STX_MEM(BPF_DW, R1, R2, 0), VT_RET0 },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=0 size=8",
	},

	/* ---- Context: tracepoint ------------------------------------------- */
	{
		"tracepoint: read after the common header",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 8), BPF_EXIT_INSN() },
		.prog_type = TRACEPOINT,
		.expected = ACCEPT,
	},
	{
		"tracepoint: read in the first eight bytes",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, 4), BPF_EXIT_INSN() },
		.prog_type = TRACEPOINT,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=4 size=4",
	},
	{
		"tracepoint: narrow read",
		.insns = { BPF_LDX_MEM(BPF_H, R0, R1, 10), BPF_EXIT_INSN() },
		.prog_type = TRACEPOINT,
		.expected = ACCEPT,
	},
	{
		"tracepoint: misaligned read",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, 10), BPF_EXIT_INSN() },
		.prog_type = TRACEPOINT,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=10 size=4",
	},
	{
		"tracepoint: far read",
		.insns = { BPF_LDX_MEM(BPF_DW, R0, R1, 4096), BPF_EXIT_INSN() },
		.prog_type = TRACEPOINT,
		.expected = ACCEPT,
	},
	{
		"tracepoint: write",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_STX_MEM(BPF_DW, R1, R2, 8), VT_RET0 },
		.prog_type = TRACEPOINT,
		.expected = REJECT,
		.errstr = "invalid bpf_context access off=8 size=8",
	},

	/* ---- Map values ---------------------------------------------------- */
	{
		"map: lookup, null check, read the first double word",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"map: read the last double word",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 40), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"map: double word read one byte too far",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 41), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=41 size=8",
	},
	{
		"map: read the last byte",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_B, R0, R0, 47), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"map: read the byte after the value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_B, R0, R0, 48), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=48 size=1",
	},
	{
		"map: read the byte before the value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_B, R0, R0, -1), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=-1 size=1",
	},
	{
		"map: write the last word",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ST_MEM(BPF_W, R0, 44, 1), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: write a word across the end",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ST_MEM(BPF_W, R0, 45, 1), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=45 size=4",
	},
	{
		"map: misaligned read is fine on this architecture",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 3), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: misaligned read with BPF_F_STRICT_ALIGNMENT",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 3), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.flags = BPF_F_STRICT_ALIGNMENT,
		.expected = REJECT,
		.errstr = "misaligned value access off 0+0+3 size 8",
	},
	{
		"map: 8-byte value, read past it",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_W, R0, R0, 8), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=8 off=8 size=4",
	},
	{
		"map: 1-byte value, read a byte",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_SMALL },
		.expected = ACCEPT,
	},
	{
		"map: 1-byte value, read a half word",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_H, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_SMALL },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=1 off=0 size=2",
	},
	{
		"map: second of two maps",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8),
			   BPF_LD_MAP_FD(R1, 1), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
			   BPF_JMP_IMM(BPF_JEQ, R0, 0, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 8), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B, VT_MAP_HASH_16B },
		.expected = ACCEPT,
	},
	{
		"map: missing null check",
		.insns = { VT_LOOKUP(0), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: write through a value not checked for null",
		.insns = { VT_LOOKUP(0), BPF_ST_MEM(BPF_DW, R0, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: null check with the branch on non-null",
		.insns = { VT_LOOKUP(0), BPF_JMP_IMM(BPF_JNE, R0, 0, 1), BPF_EXIT_INSN(), BPF_ST_MEM(BPF_DW, R0, 0, 1),
			   VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map: null check on a copy covers the original",
		.insns = { VT_LOOKUP(0), BPF_MOV64_REG(R1, R0), BPF_JMP_IMM(BPF_JEQ, R1, 0, 2),
			   BPF_ST_MEM(BPF_DW, R0, 0, 1), BPF_ST_MEM(BPF_DW, R1, 0, 2), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map: copy made before the check is covered too",
		.insns = { VT_LOOKUP(0), BPF_MOV64_REG(R6, R0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
			   BPF_ST_MEM(BPF_DW, R6, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map: two lookups, check of one does not cover the other",
		.insns = { VT_LOOKUP(0), BPF_MOV64_REG(R6, R0), VT_LOOKUP(0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
			   BPF_ST_MEM(BPF_DW, R6, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R6 invalid mem access 'map_value_or_null'",
	},
	{
		"map: access on the null branch",
		.insns = { VT_LOOKUP(0), BPF_JMP_IMM(BPF_JNE, R0, 0, 1), BPF_ST_MEM(BPF_DW, R0, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"map: comparison with a register holding zero is not a null check",
		.insns = { VT_LOOKUP(0), BPF_MOV64_IMM(R1, 0), BPF_JMP_REG(BPF_JEQ, R0, R1, 1),
			   BPF_ST_MEM(BPF_DW, R0, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: comparison with one is not a null check",
		.insns = { VT_LOOKUP(0), BPF_JMP_IMM(BPF_JEQ, R0, 1, 1), BPF_ST_MEM(BPF_DW, R0, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: array lookup with constant in-range key needs no null check",
		.insns = { BPF_ST_MEM(BPF_W, R10, -4, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -4),
			   BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: array lookup with constant out-of-range key",
		.insns = { BPF_ST_MEM(BPF_W, R10, -4, 1), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -4),
			   BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: array lookup with unknown key",
		.insns = { BPF_LDX_MEM(BPF_W, R3, R1, 0), BPF_STX_MEM(BPF_W, R10, R3, -4), BPF_MOV64_REG(R2, R10),
			   BPF_ALU64_IMM(BPF_ADD, R2, -4), BPF_LD_MAP_FD(R1, 0),
			   BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: hash lookup with constant key needs a null check",
		.insns = { VT_LOOKUP(0), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"map: variable offset masked to 31, double word at 8",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 31), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 8), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: variable offset masked to 31, double word at 16",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 31), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 16), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=47 size=8",
	},
	{
		"map: variable offset masked to 63",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 63), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"map: variable offset bounded by a branch",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 40, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: variable offset bounded by a branch, one too many",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 41, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"map: signed upper bound only",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JSGT, R6, 40, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},
	{
		"map: bounded offset that may be negative",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 15), BPF_ALU64_IMM(BPF_SUB, R6, 8),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 min value is negative, either use unsigned index or do a if (index >=0) check.",
	},
	{
		"map: offset that may be negative, fixed offset does not help (wrapped unsigned range)",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 15), BPF_ALU64_IMM(BPF_SUB, R6, 8),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 8), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 unbounded memory access, make sure to bounds check any such access",
	},
	{
		"map: signed bounds on both sides",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JSGT, R6, 40, 4), BPF_JMP_IMM(BPF_JSLT, R6, 0, 3),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: negative constant offset register",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_IMM(R1, -8), BPF_ALU64_REG(BPF_ADD, R0, R1),
			   BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=-8 size=8",
	},
	{
		"map: variable offset with a negative fixed offset",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, -1), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 min value is outside of the allowed memory range",
	},
	{
		"map: store a pointer into a value (root)",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_STX_MEM(BPF_DW, R0, R10, 0), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map: store a pointer into a value, unprivileged",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_STX_MEM(BPF_DW, R0, R10, 0), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R10 leaks addr into map",
		.unpriv = true,
	},
	{
		"map: atomic add into a value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_IMM(R1, 1), BPF_STX_XADD(BPF_DW, R0, R1, 0), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"map: atomic add past the value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_IMM(R1, 1), BPF_STX_XADD(BPF_DW, R0, R1, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=8 off=8 size=8",
	},
	{
		"map: direct value address of an array",
		.insns = { BPF_LD_MAP_VALUE(R1, 0, 8), BPF_LDX_MEM(BPF_DW, R0, R1, 32), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: direct value address, access past the value",
		.insns = { BPF_LD_MAP_VALUE(R1, 0, 8), BPF_LDX_MEM(BPF_DW, R0, R1, 33), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=41 size=8",
	},
	{
		"map: direct value address out of the value",
		.insns = { BPF_LD_MAP_VALUE(R1, 0, 48), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value pointer, value_size=48 off=48",
	},
	{
		"map: direct value address of a hash map",
		.insns = { BPF_LD_MAP_VALUE(R1, 0, 0), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "no direct value access support for this map type",
	},

	/* ---- Packet access ------------------------------------------------- */
	{
		"pkt: read after data + 8 > data_end exits",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read one byte past the checked range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 1), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=1 size=8, R2(id=0,off=1,r=8)",
	},
	{
		"pkt: read the last checked byte",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_B, R5, R2, 7), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read the first unchecked byte",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_B, R5, R2, 8), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=8 size=1, R2(id=0,off=8,r=8)",
	},
	{
		"pkt: read without a check",
		.insns = { VT_SKB_DATA, BPF_LDX_MEM(BPF_B, R0, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: read before data",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_B, R5, R2, -1), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=-1 size=1, R2(id=0,off=-1,r=8)",
	},
	{
		"pkt: data + 8 >= data_end exits",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGE, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: data_end < data + 8 exits",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JLT, R3, R4, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: data_end <= data + 8 exits",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JLE, R3, R4, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read on the taken side of data_end > data + 8",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R3, R4, 1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read on the taken side of data + 8 < data_end",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JLT, R4, R3, 1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read on the taken side of data_end >= data + 8",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGE, R3, R4, 1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read on the taken side of data + 8 <= data_end",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JLE, R4, R3, 1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: read on the wrong side of the check",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: equality with data_end gives no range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JNE, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: signed comparison with data_end gives no range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JSGT, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: 32-bit comparison with data_end",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP32_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: a copy made before the check shares the range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R6, R2), BPF_MOV64_REG(R4, R2),
			   BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_DW, R5, R6, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: moved pointer reads inside the range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 2), BPF_ALU64_IMM(BPF_ADD, R2, 4), BPF_LDX_MEM(BPF_W, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: moved pointer reads past the range",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 2), BPF_ALU64_IMM(BPF_ADD, R2, 4), BPF_LDX_MEM(BPF_DW, R5, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=4 size=8, R2(id=0,off=4,r=8)",
	},
	{
		"pkt: variable offset from a packet byte, checked again",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 1),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 6), BPF_LDX_MEM(BPF_B, R5, R2, 0), BPF_ALU64_REG(BPF_ADD, R2, R5),
			   BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: variable offset from a packet byte, not checked again",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 3), BPF_LDX_MEM(BPF_B, R5, R2, 0), BPF_ALU64_REG(BPF_ADD, R2, R5),
			   BPF_LDX_MEM(BPF_B, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=1, R2(id=1,off=0,r=0)",
	},
	{
		"pkt: write after a check in tc",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_ST_MEM(BPF_DW, R2, 0, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: write past the check in tc",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_ST_MEM(BPF_W, R2, 6, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=6 size=4, R2(id=0,off=6,r=8)",
	},
	{
		"pkt: tc data_meta checked against data",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, data_meta)),
			   BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct __sk_buff, data)), BPF_MOV64_IMM(R0, 0),
			   BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: xdp read after a check",
		.insns = { VT_XDP_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 14),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_H, R5, R2, 12), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"pkt: xdp read one past the check",
		.insns = { VT_XDP_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 14),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_H, R5, R2, 13), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=13 size=2, R2(id=0,off=13,r=14)",
	},
	{
		"pkt: xdp read without a check",
		.insns = { VT_XDP_DATA, BPF_LDX_MEM(BPF_B, R0, R2, 0), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: xdp write after a check",
		.insns = { VT_XDP_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JLT, R3, R4, 1), BPF_ST_MEM(BPF_DW, R2, 0, 0), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"pkt: xdp data_meta checked against data",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data_meta)),
			   BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data)), BPF_MOV64_IMM(R0, 0),
			   BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"pkt: xdp data_meta checked against data_end",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data_meta)),
			   BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data_end)), BPF_MOV64_IMM(R0, 0),
			   BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=0)",
	},
	{
		"pkt: xdp data_meta read without a check",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data_meta)), BPF_LDX_MEM(BPF_B, R0, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)",
	},

	/* ---- Helper calls -------------------------------------------------- */
	{
		"helper: probe_read_kernel into the stack",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 8),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"helper: probe_read_kernel with a 64-bit unknown size",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, 0), BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "R2 min value is negative, either use unsigned or 'var &= const'",
	},
	{
		"helper: probe_read_kernel with a non-negative unbounded size",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, 0), BPF_ALU64_IMM(BPF_RSH, R2, 1), BPF_MOV64_REG(R1, R10),
			   BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
			   BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "R2 unbounded memory access, use 'var &= const' or 'if (var < const)'",
	},
	{
		"helper: probe_read_kernel with a negative size",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, -1),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "R2 min value is negative, either use unsigned or 'var &= const'",
	},
	{
		"helper: probe_read_kernel with size zero",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 0),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"helper: probe_read_kernel larger than the buffer",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 16),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "invalid write to stack R1 off=-8 size=16",
	},
	{
		"helper: probe_read_kernel with a masked size",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, 0), BPF_ALU64_IMM(BPF_AND, R2, 7), BPF_MOV64_REG(R1, R10),
			   BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
			   BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"helper: probe_read_kernel with a size masked too wide",
		.insns = { BPF_LDX_MEM(BPF_DW, R2, R1, 0), BPF_ALU64_IMM(BPF_AND, R2, 15), BPF_MOV64_REG(R1, R10),
			   BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
			   BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "invalid write to stack R1 off=-8 size=15",
	},
	{
		"helper: probe_read_kernel into a scalar",
		.insns = { BPF_MOV64_IMM(R1, 0), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "R1 type=scalar expected=",
	},
	{
		"helper: probe_read_kernel into a map value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_MOV64_IMM(R2, 48), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"helper: probe_read_kernel past a map value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_MOV64_IMM(R2, 49), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=0 size=49",
	},
	{
		"helper: get_current_comm",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_MOV64_IMM(R2, 16),
			   BPF_EMIT_CALL(BPF_FUNC_get_current_comm), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"helper: get_current_comm with size zero",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_MOV64_IMM(R2, 0),
			   BPF_EMIT_CALL(BPF_FUNC_get_current_comm), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "R2 invalid zero-sized read",
	},
	{
		"helper: GPL-only helper from a non-GPL program",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 8),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.license = "MIT",
		.expected = REJECT,
		.errstr = "cannot call GPL-restricted function from non-GPL compatible program",
	},
	{
		"helper: GPL-only helper from a dual-licensed program",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 8),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.license = "Dual MIT/GPL",
		.expected = ACCEPT,
	},
	{
		"helper: GPL-only helper with an empty license",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R2, 8),
			   BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.license = "",
		.expected = REJECT,
		.errstr = "cannot call GPL-restricted function from non-GPL compatible program",
	},
	{
		"helper: non-GPL helper from a non-GPL program",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_EXIT_INSN() },
		.license = "BSD",
		.expected = ACCEPT,
	},
	{
		"helper: skb_store_bytes in a socket filter",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8),
			   BPF_ST_MEM(BPF_DW, R3, 0, 0), BPF_MOV64_IMM(R4, 8), BPF_MOV64_IMM(R5, 0),
			   BPF_EMIT_CALL(BPF_FUNC_skb_store_bytes), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "program of this type cannot use helper bpf_skb_store_bytes#9",
	},
	{
		"helper: skb_store_bytes in tc",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8),
			   BPF_ST_MEM(BPF_DW, R3, 0, 0), BPF_MOV64_IMM(R4, 8), BPF_MOV64_IMM(R5, 0),
			   BPF_EMIT_CALL(BPF_FUNC_skb_store_bytes), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"helper: skb_load_bytes in xdp",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8),
			   BPF_MOV64_IMM(R4, 8), BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "program of this type cannot use helper bpf_skb_load_bytes#26",
	},
	{
		"helper: skb_load_bytes in a socket filter",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8),
			   BPF_MOV64_IMM(R4, 8), BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"helper: skb_load_bytes with size zero",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8),
			   BPF_MOV64_IMM(R4, 0), BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R4 invalid zero-sized read",
	},
	{
		"helper: skb_load_bytes with a stack pointer for ctx",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_MOV64_IMM(R2, 0), BPF_MOV64_REG(R3, R10),
			   BPF_ALU64_IMM(BPF_ADD, R3, -8), BPF_MOV64_IMM(R4, 8), BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 type=fp expected=ctx",
	},
	{
		"helper: unknown helper id",
		.insns = { BPF_EMIT_CALL(100000), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid func unknown#100000",
	},
	{
		"helper: negative helper id",
		.insns = { BPF_EMIT_CALL(-1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid func unknown#-1",
	},
	{
		"helper: helper id zero (unspec)",
		.insns = { BPF_EMIT_CALL(0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "program of this type cannot use helper bpf_unspec#0",
	},
	{
		"helper: lookup with a stack pointer as the map",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8),
			   BPF_MOV64_REG(R1, R10), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 type=fp expected=map_ptr",
	},
	{
		"helper: lookup with a null key",
		.insns = { BPF_MOV64_IMM(R2, 0), BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R2 type=scalar expected=fp",
	},
	{
		"helper: lookup with the context as the key",
		.insns = { BPF_MOV64_REG(R2, R1), BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
			   VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R2 type=ctx expected=fp",
	},
	{
		"helper: lookup with a key shorter than key_size",
		.insns = { BPF_ST_MEM(BPF_W, R10, -4, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -4),
			   BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "invalid read from stack R2 off=-4 size=8",
	},
	{
		"helper: lookup with an uninitialised key (root may)",
		.insns = { BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_LD_MAP_FD(R1, 0),
			   BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"helper: lookup with an uninitialised key, unprivileged",
		.insns = { BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_LD_MAP_FD(R1, 0),
			   BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "invalid indirect read from stack R2 off -8+0 size 8",
		.unpriv = true,
	},
	{
		"helper: lookup keyed by a map value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R2, R0), BPF_LD_MAP_FD(R1, 0),
			   BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"helper: update with a value shorter than value_size",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_ST_MEM(BPF_DW, R10, -16, 0), BPF_MOV64_REG(R2, R10),
			   BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -16),
			   BPF_MOV64_IMM(R4, 0), BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_update_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_48B },
		.expected = REJECT,
		.errstr = "invalid read from stack R3 off=-16 size=48",
	},
	{
		"helper: update with a full value",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_ST_MEM(BPF_DW, R10, -16, 0), BPF_MOV64_REG(R2, R10),
			   BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -16),
			   BPF_MOV64_IMM(R4, 0), BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_update_elem), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"helper: update returns a scalar",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8),
			   BPF_MOV64_REG(R3, R2), BPF_MOV64_IMM(R4, 0), BPF_LD_MAP_FD(R1, 0),
			   BPF_EMIT_CALL(BPF_FUNC_map_update_elem), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"helper: delete",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8),
			   BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_delete_elem), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"helper: lookup in a prog_array",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8),
			   BPF_LD_MAP_FD(R1, 0), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = REJECT,
		.errstr = "cannot pass map_type 3 into func bpf_map_lookup_elem#1",
	},
	{
		"helper: tail call through a prog_array",
		.insns = { BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = ACCEPT,
	},
	{
		"helper: tail call through a hash map",
		.insns = { BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "expected prog array map for tail call",
	},
	{
		"helper: tail call with an uninitialised index",
		.insns = { BPF_LD_MAP_FD(R2, 0), BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = REJECT,
		.errstr = "R3 !read_ok",
	},
	{
		"helper: tail call without the context",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = REJECT,
		.errstr = "R1 type=fp expected=ctx",
	},
	{
		"helper: tail call index from the packet",
		.insns = { BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct __sk_buff, len)), BPF_LD_MAP_FD(R2, 0),
			   BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = ACCEPT,
	},
	{
		"helper: perf_event_output from a kprobe",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_LD_MAP_FD(R2, 0), BPF_LD_IMM64(R3, BPF_F_CURRENT_CPU),
			   BPF_MOV64_REG(R4, R10), BPF_ALU64_IMM(BPF_ADD, R4, -8), BPF_MOV64_IMM(R5, 8),
			   BPF_EMIT_CALL(BPF_FUNC_perf_event_output), VT_RET0 },
		.prog_type = KPROBE,
		.maps = { VT_MAP_PERF_EVENT },
		.expected = ACCEPT,
	},
	{
		"helper: perf_event_output into a hash map",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_LD_MAP_FD(R2, 0), BPF_LD_IMM64(R3, BPF_F_CURRENT_CPU),
			   BPF_MOV64_REG(R4, R10), BPF_ALU64_IMM(BPF_ADD, R4, -8), BPF_MOV64_IMM(R5, 8),
			   BPF_EMIT_CALL(BPF_FUNC_perf_event_output), VT_RET0 },
		.prog_type = KPROBE,
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "cannot pass map_type 1 into func bpf_perf_event_output#25",
	},
	{
		"helper: get_stackid from a kprobe",
		.insns = { BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_get_stackid),
			   BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.maps = { VT_MAP_STACKTRACE },
		.expected = ACCEPT,
	},
	{
		"helper: get_stackid with an array map",
		.insns = { BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_get_stackid),
			   BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "cannot pass map_type 2 into func bpf_get_stackid#27",
	},
	{
		"helper: ringbuf_output",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_LD_MAP_FD(R1, 0), BPF_MOV64_REG(R2, R10),
			   BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_MOV64_IMM(R3, 8), BPF_MOV64_IMM(R4, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_output), VT_RET0 },
		.maps = { VT_MAP_RINGBUF },
		.expected = ACCEPT,
	},
	{
		"helper: ringbuf reserve, write, submit",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_JMP_IMM(BPF_JEQ, R0, 0, 4),
			   BPF_ST_MEM(BPF_DW, R0, 0, 1), BPF_MOV64_REG(R1, R0), BPF_MOV64_IMM(R2, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit), VT_RET0 },
		.maps = { VT_MAP_RINGBUF },
		.expected = ACCEPT,
	},
	{
		"helper: ringbuf reservation never released",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), VT_RET0 },
		.maps = { VT_MAP_RINGBUF },
		.expected = REJECT,
		.errstr = "Unreleased reference id=",
	},
	{
		"helper: ringbuf reservation used without a null check",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_ST_MEM(BPF_DW, R0, 0, 1), BPF_MOV64_REG(R1, R0),
			   BPF_MOV64_IMM(R2, 0), BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit), VT_RET0 },
		.maps = { VT_MAP_RINGBUF },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'ringbuf_mem_or_null'",
	},
	{
		"helper: ringbuf reservation written past its size",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_JMP_IMM(BPF_JEQ, R0, 0, 4),
			   BPF_ST_MEM(BPF_B, R0, 8, 1), BPF_MOV64_REG(R1, R0), BPF_MOV64_IMM(R2, 0),
			   BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit), VT_RET0 },
		.maps = { VT_MAP_RINGBUF },
		.expected = REJECT,
		.errstr = "invalid access to memory, mem_size=8 off=8 size=1",
	},

	/* ---- Exit and return values ---------------------------------------- */
	{
		"exit: any scalar from a socket filter",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"exit: cgroup_skb returns 1",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = ACCEPT,
	},
	{
		"exit: cgroup_skb returns 2",
		.insns = { BPF_MOV64_IMM(R0, 2), BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = REJECT,
		.errstr = "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]",
	},
	{
		"exit: cgroup_skb returns an unknown value",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, len)), BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = REJECT,
		.errstr = "should have been in [0, 1]",
	},
	{
		"exit: cgroup_skb returns a masked value",
		.insns = { BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, len)), BPF_ALU64_IMM(BPF_AND, R0, 1),
			   BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = ACCEPT,
	},
	{
		"exit: cgroup_skb returns a pointer",
		.insns = { BPF_MOV64_REG(R0, R10), BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = REJECT,
		.errstr = "R0 is not a known value (fp)",
	},
	{
		"exit: cgroup_skb 32-bit return of 1 with junk above",
		.insns = { BPF_LD_IMM64(R0, 0x100000001ULL), BPF_EXIT_INSN() },
		.prog_type = CGROUP_SKB,
		.expected = REJECT,
		.errstr = "should have been in [0, 1]",
	},
	{
		"exit: cgroup_sock returns 1",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() },
		.prog_type = BPF_PROG_TYPE_CGROUP_SOCK,
		.expected = ACCEPT,
	},
	{
		"exit: cgroup_sock returns -1",
		.insns = { BPF_MOV64_IMM(R0, -1), BPF_EXIT_INSN() },
		.prog_type = BPF_PROG_TYPE_CGROUP_SOCK,
		.expected = REJECT,
		.errstr = "At program exit the register R0 has smin=-1 smax=-1 should have been in [0, 1]",
	},
	{
		"exit: tc may return -1",
		.insns = { BPF_MOV64_IMM(R0, -1), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"exit: xdp may return any code",
		.insns = { BPF_MOV64_IMM(R0, 100), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"exit: kprobe returns a pointer (root)",
		.insns = { BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"exit: pointer from a socket filter, unprivileged",
		.insns = { BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 leaks addr as return value",
		.unpriv = true,
	},

	/* ---- Legacy packet loads ------------------------------------------- */
	{
		"ld_abs: byte load in a socket filter",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"ld_abs: word load in tc",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_W, 12), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"ld_ind: half word load in tc act",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R7, 2), BPF_LD_IND(BPF_H, R7, 12), BPF_EXIT_INSN() },
		.prog_type = SCHED_ACT,
		.expected = ACCEPT,
	},
	{
		"ld_abs: clobbers R1",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 !read_ok",
	},
	{
		"ld_abs: clobbers R5",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R5, 1), BPF_LD_ABS(BPF_B, 0), BPF_MOV64_REG(R0, R5),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R5 !read_ok",
	},
	{
		"ld_abs: keeps R7",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R7, 1), BPF_LD_ABS(BPF_B, 0), BPF_MOV64_REG(R0, R7),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"ld_abs: R6 not set",
		.insns = { BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R6 !read_ok",
	},
	{
		"ld_abs: R6 is not the context",
		.insns = { BPF_MOV64_REG(R6, R10), BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "at the time of BPF_LD_ABS|IND R6 != pointer to skb",
	},
	{
		"ld_ind: uninitialised index",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_IND(BPF_B, R7, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R7 !read_ok",
	},
	{
		"ld_abs: with a destination register",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_RAW_INSN(BPF_LD | BPF_ABS | BPF_B, R1, 0, 0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "BPF_LD_[ABS|IND] uses reserved fields",
	},
	{
		"ld_abs: not allowed in xdp",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "BPF_LD_[ABS|IND] instructions not allowed for this program type",
	},
	{
		"ld_abs: not allowed in a kprobe",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_W, 0), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = REJECT,
		.errstr = "BPF_LD_[ABS|IND] instructions not allowed for this program type",
	},
	{
		"ld_abs: result is a scalar",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"ld_abs: in a program with a subprogram (allowed with the JIT)",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_CALL_REL(1), BPF_EXIT_INSN(), VT_RET0 },
		.expected = ACCEPT,
	},

	/* ---- Division ------------------------------------------------------ */
	{
		"div: by immediate zero",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU64_IMM(BPF_DIV, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "div by zero",
	},
	{
		"div: 32-bit modulo by immediate zero",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU32_IMM(BPF_MOD, R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "div by zero",
	},
	{
		"div: signed division by immediate zero",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_SDIV64_IMM(R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "div by zero",
	},
	{
		"div: by a register holding zero (result 0 at run time)",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_MOV64_IMM(R1, 0), BPF_ALU64_REG(BPF_DIV, R0, R1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"div: modulo by a register holding zero",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_MOV64_IMM(R1, 0), BPF_ALU32_REG(BPF_MOD, R0, R1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"div: signed by minus one",
		.insns = { BPF_LD_IMM64(R0, 0x8000000000000000ULL), BPF_SDIV64_IMM(R0, -1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"div: signed modulo by a register",
		.insns = { BPF_MOV64_IMM(R0, -7), BPF_MOV64_IMM(R1, 2), BPF_SMOD64_REG(R0, R1), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"div: by an uninitialised register",
		.insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU64_REG(BPF_DIV, R0, R2), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R2 !read_ok",
	},
	{
		"div: the result of a division is not bounded",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 255), BPF_ALU64_IMM(BPF_DIV, R6, 8),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},

	/* ---- Branches with a known outcome --------------------------------- */
	{
		"branch: constant equal skips an invalid load",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 0), BPF_JMP_IMM(BPF_JEQ, R1, 0, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: constant greater-than skips an invalid load",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 5), BPF_JMP_IMM(BPF_JGT, R1, 4, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: constant not greater runs the invalid load",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 4), BPF_JMP_IMM(BPF_JGT, R1, 4, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"branch: minus one is signed-negative",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, -1), BPF_JMP_IMM(BPF_JSLT, R1, 0, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: minus one is not unsigned-below zero",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, -1), BPF_JMP_IMM(BPF_JLT, R1, 0, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"branch: known bit set",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 4), BPF_JMP_IMM(BPF_JSET, R1, 4, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: 32-bit compare sees only the low half",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_LD_IMM64(R1, 0x100000001ULL), BPF_JMP32_IMM(BPF_JEQ, R1, 1, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: 64-bit compare sees the high half",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_LD_IMM64(R1, 0x100000001ULL), BPF_JMP_IMM(BPF_JEQ, R1, 1, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"branch: registers known equal",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 7), BPF_MOV64_IMM(R2, 7),
			   BPF_JMP_REG(BPF_JEQ, R1, R2, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: unknown outcome explores both sides",
		.insns = { BPF_LDX_MEM(BPF_W, R1, R1, 0), BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R1, 0, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"branch: masked value cannot exceed the mask",
		.insns = { BPF_LDX_MEM(BPF_W, R1, R1, 0), BPF_ALU64_IMM(BPF_AND, R1, 0xf), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JLE, R1, 15, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: byte swap of a constant",
		.insns = { BPF_MOV64_IMM(R1, 0x12), BPF_TO_BE_INSN(R1, 16), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JEQ, R1, 0x1200, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: unconditional byte swap of a constant",
		.insns = { BPF_MOV64_IMM(R1, 0x12), BPF_BSWAP(R1, 32), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JEQ, R1, 0x12000000, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: sign-extending move of a constant",
		.insns = { BPF_MOV64_IMM(R1, 0xff), BPF_MOVSX64_REG(R2, R1, 8), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JEQ, R2, -1, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"branch: 32-bit sign-extending move zero-extends",
		.insns = { BPF_MOV64_IMM(R1, 0xff), BPF_MOVSX32_REG(R2, R1, 8), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JEQ, R2, 0xffffffff, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"branch: 32-bit move zero-extends",
		.insns = { BPF_MOV64_IMM(R1, -1), BPF_MOV32_REG(R2, R1), BPF_MOV64_IMM(R0, 0),
			   BPF_JMP_IMM(BPF_JGT, R2, 0xffff, 1), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},

	/* ---- Bounds from branches: r6 indexes a 48-byte value ------------- */
	{
		"bounds: r > 47 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r > 48 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 48, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: r >= 48 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGE, R6, 48, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r >= 49 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGE, R6, 49, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: r != 47 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JNE, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r != 48 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JNE, R6, 48, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=48 size=1",
	},
	{
		"bounds: r s> 47 exits (u32 source)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r s>= 48 exits (u32 source)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSGE, R6, 48, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r & ~47 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSET, R6, -48, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r & ~63 exits",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSET, R6, -64, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: w > 47 exits (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP32_IMM(BPF_JGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: w s> 47 exits (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP32_IMM(BPF_JSGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 unbounded memory access, make sure to bounds check any such access",
	},
	{
		"bounds: r > r7 (47) exits",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 47), BPF_JMP_REG(BPF_JGT, R6, R7, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r7 (48) <= r exits",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 48), BPF_JMP_REG(BPF_JLE, R7, R6, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r7 (47) < r exits",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 47), BPF_JMP_REG(BPF_JLT, R7, R6, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: w > w7 (47) exits (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 47), BPF_JMP32_REG(BPF_JGT, R6, R7, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: 64-bit r > 47 exits",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: 64-bit w > 47 exits (jmp32)",
		.insns = { VT_U64_AND_VALUE, BPF_JMP32_IMM(BPF_JGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},
	{
		"bounds: 64-bit r s> 47 exits",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JSGT, R6, 47, 3), BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},
	{
		"bounds: r < 48 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r < 49 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JLT, R6, 49, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: r <= 47 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JLE, R6, 47, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r <= 48 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JLE, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: r == 47 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JEQ, R6, 47, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r == 48 reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JEQ, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=48 size=1",
	},
	{
		"bounds: r s< 48 reaches the access (u32 source)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r s<= 47 reaches the access (u32 source)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JSLE, R6, 47, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: w < 48 reaches the access (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP32_IMM(BPF_JLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: w <= 48 reaches the access (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP32_IMM(BPF_JLE, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"bounds: w s< 48 reaches the access (jmp32)",
		.insns = { VT_U32_AND_VALUE, BPF_JMP32_IMM(BPF_JSLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 unbounded memory access, make sure to bounds check any such access",
	},
	{
		"bounds: r == r7 (47) reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 47), BPF_JMP_REG(BPF_JEQ, R6, R7, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r7 (48) > r reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 48), BPF_JMP_REG(BPF_JGT, R7, R6, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r7 (47) >= r reaches the access",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 47), BPF_JMP_REG(BPF_JGE, R7, R6, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: r7 (48) s> r reaches the access (u32 source)",
		.insns = { VT_U32_AND_VALUE, BPF_MOV64_IMM(R7, 48), BPF_JMP_REG(BPF_JSGT, R7, R6, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: 64-bit r < 48 reaches the access",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"bounds: 64-bit r s< 48 reaches the access",
		.insns = { VT_U64_AND_VALUE, BPF_JMP_IMM(BPF_JSLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},
	{
		"bounds: 64-bit w < 48 reaches the access (jmp32)",
		.insns = { VT_U64_AND_VALUE, BPF_JMP32_IMM(BPF_JLT, R6, 48, 2), VT_RET0, BPF_ALU64_REG(BPF_ADD, R0, R6),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and register with unbounded min value is not allowed",
	},

	/* ---- State pruning ------------------------------------------------- */
	{
		"prune: offsets 0 and 41 meet before an 8-byte load",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 10, 2), BPF_MOV64_IMM(R2, 0), BPF_JMP_A(1),
			   BPF_MOV64_IMM(R2, 41), BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=41 size=8",
	},
	{
		"prune: offsets 0 and 40 meet before an 8-byte load",
		.insns = { VT_U32_AND_VALUE, BPF_JMP_IMM(BPF_JGT, R6, 10, 2), BPF_MOV64_IMM(R2, 0), BPF_JMP_A(1),
			   BPF_MOV64_IMM(R2, 40), BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"prune: spilled pointer on one path, scalar on the other",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
			   BPF_JMP_IMM(BPF_JGT, R0, 10, 2), BPF_STX_MEM(BPF_DW, R10, R6, -16), BPF_JMP_A(1),
			   BPF_ST_MEM(BPF_DW, R10, -16, 0), BPF_LDX_MEM(BPF_DW, R1, R10, -16),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R1 invalid mem access 'scalar'",
	},
	{
		"prune: spilled pointer on both paths",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
			   BPF_JMP_IMM(BPF_JGT, R0, 10, 2), BPF_STX_MEM(BPF_DW, R10, R6, -16), BPF_JMP_A(1),
			   BPF_STX_MEM(BPF_DW, R10, R6, -16), BPF_LDX_MEM(BPF_DW, R1, R10, -16),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"prune: masks 7 and 15 meet before the access",
		.insns = { VT_U64_AND_VALUE, BPF_LDX_MEM(BPF_DW, R7, R0, 8), BPF_JMP_IMM(BPF_JEQ, R7, 0, 2),
			   BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_JMP_A(1), BPF_ALU64_IMM(BPF_AND, R6, 15),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_DW, R0, R0, 32), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},
	{
		"prune: masks 7 and 3 meet before the access",
		.insns = { VT_U64_AND_VALUE, BPF_LDX_MEM(BPF_DW, R7, R0, 8), BPF_JMP_IMM(BPF_JEQ, R7, 0, 2),
			   BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_JMP_A(1), BPF_ALU64_IMM(BPF_AND, R6, 3),
			   BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_LDX_MEM(BPF_DW, R0, R0, 32), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"prune: packet ranges 8 and 4 meet before an 8-byte read",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_LDX_MEM(BPF_W, R5, R1, offsetof(struct __sk_buff, mark)),
			   BPF_MOV64_REG(R4, R2), BPF_JMP_IMM(BPF_JEQ, R5, 0, 3), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 4), BPF_JMP_A(2), BPF_ALU64_IMM(BPF_ADD, R4, 4),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_DW, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=8, R2(id=0,off=0,r=4)",
	},
	{
		"prune: packet ranges 8 and 4 meet before a 4-byte read",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_LDX_MEM(BPF_W, R5, R1, offsetof(struct __sk_buff, mark)),
			   BPF_MOV64_REG(R4, R2), BPF_JMP_IMM(BPF_JEQ, R5, 0, 3), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 4), BPF_JMP_A(2), BPF_ALU64_IMM(BPF_ADD, R4, 4),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_W, R5, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"prune: null-checked on one path only",
		.insns = { VT_LOOKUP(0), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
			   BPF_JMP_IMM(BPF_JGT, R0, 10, 2), BPF_JMP_IMM(BPF_JEQ, R6, 0, 2), BPF_JMP_A(0),
			   BPF_ST_MEM(BPF_DW, R6, 0, 1), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R6 invalid mem access 'map_value_or_null'",
	},
	{
		"prune: a constant on one path and an unknown on the other",
		.insns = { BPF_LDX_MEM(BPF_W, R6, R1, offsetof(struct __sk_buff, mark)), VT_LOOKUP_CHECKED(0),
			   BPF_MOV64_IMM(R2, 4), BPF_JMP_IMM(BPF_JEQ, R6, 0, 1), BPF_MOV64_REG(R2, R6),
			   BPF_ALU64_IMM(BPF_AND, R2, 63), BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_LDX_MEM(BPF_B, R0, R0, 0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 max value is outside of the allowed memory range",
	},

	/* ---- Loops and program size ---------------------------------------- */
	{
		"loop: bounded by a constant",
		.insns = { BPF_MOV64_IMM(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1), BPF_JMP_IMM(BPF_JLT, R1, 10, -2),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"loop: bounded, counting down with a 32-bit test",
		.insns = { BPF_MOV64_IMM(R1, 16), BPF_ALU64_IMM(BPF_SUB, R1, 1), BPF_JMP32_IMM(BPF_JNE, R1, 0, -2),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"loop: bounded, unprivileged",
		.insns = { BPF_MOV64_IMM(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1), BPF_JMP_IMM(BPF_JLT, R1, 10, -2),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "back-edge from insn 2 to 1",
		.unpriv = true,
	},
	{
		"loop: a jump to itself that is always taken",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, -1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "infinite loop detected at insn 1",
	},
	{
		"loop: body that makes no progress",
		.insns = { BPF_LDX_MEM(BPF_W, R1, R1, 0), BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R2, 0),
			   BPF_ALU64_IMM(BPF_ADD, R2, 0), BPF_JMP_IMM(BPF_JLT, R1, 10, -2), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "infinite loop detected at insn 4",
	},
	{
		"loop: too many iterations to walk",
		.insns = { BPF_MOV64_IMM(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1), BPF_JMP_IMM(BPF_JLT, R1, 1000000, -2),
			   VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF program is too large. Processed 1000001 insn",
	},
	{
		"loop: indexes a map value while in range",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_IMM(R1, 0), BPF_MOV64_REG(R2, R0),
			   BPF_ALU64_REG(BPF_ADD, R2, R1), BPF_ST_MEM(BPF_B, R2, 0, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1),
			   BPF_JMP_IMM(BPF_JLT, R1, 48, -5), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"loop: indexes a map value one step too far",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_IMM(R1, 0), BPF_MOV64_REG(R2, R0),
			   BPF_ALU64_REG(BPF_ADD, R2, R1), BPF_ST_MEM(BPF_B, R2, 0, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1),
			   BPF_JMP_IMM(BPF_JLE, R1, 48, -5), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=48 size=1",
	},
	{
		"loop: bpf_loop callback without BTF",
		.insns = { BPF_MOV64_IMM(R1, 10), BPF_LD_FUNC(R2, 5), BPF_MOV64_IMM(R3, 0), BPF_MOV64_IMM(R4, 0),
			   BPF_EMIT_CALL(BPF_FUNC_loop), BPF_EXIT_INSN(), BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "missing btf func_info",
	},

	/* ---- BPF-to-BPF calls ---------------------------------------------- */
	{
		"call: argument in R1, result in R0",
		.insns = { BPF_MOV64_IMM(R1, 1), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_REG(R0, R1),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"call: callee reads an argument never set",
		.insns = { BPF_MOV64_IMM(R1, 1), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_REG(R0, R3),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R3 !read_ok",
	},
	{
		"call: callee reads a callee-saved register",
		.insns = { BPF_MOV64_IMM(R6, 1), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_REG(R0, R6),
			   BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R6 !read_ok",
	},
	{
		"call: callee exits without R0",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_IMM(R1, 0), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R0 !read_ok",
	},
	{
		"call: caller's R1 is clobbered",
		.insns = { BPF_MOV64_IMM(R1, 1), BPF_CALL_REL(2), BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN(), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 !read_ok",
	},
	{
		"call: caller's R6 survives",
		.insns = { BPF_MOV64_IMM(R6, 5), BPF_CALL_REL(2), BPF_MOV64_REG(R0, R6), BPF_EXIT_INSN(), BPF_MOV64_IMM(R6, 1),
			   VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"call: callee reads the caller's stack",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 5), BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8),
			   BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"call: callee reads above the caller's frame",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 5), BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8),
			   BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_DW, R0, R1, 8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "invalid read from stack R1 off=0 size=8",
	},
	{
		"call: callee writes the caller's stack, caller reads back a constant",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_CALL_REL(5),
			   BPF_LDX_MEM(BPF_DW, R1, R10, -8), BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R1, 3, 1),
			   BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN(), BPF_ST_MEM(BPF_DW, R1, 0, 3), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"call: callee returns a pointer to its own stack",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R0, R10),
			   BPF_ALU64_IMM(BPF_ADD, R0, -8), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "cannot return stack pointer to the caller",
	},
	{
		"call: callee's result is a scalar",
		.insns = { BPF_CALL_REL(2), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_RET0 },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'scalar'",
	},
	{
		"call: callee returns a map value the caller null-checks",
		.insns = { BPF_CALL_REL(3), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
			   BPF_EXIT_INSN(), VT_LOOKUP(0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"call: callee returns a map value the caller does not check",
		.insns = { BPF_CALL_REL(2), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN(), VT_LOOKUP(0),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 invalid mem access 'map_value_or_null'",
	},
	{
		"call: the context passed to a callee",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, len)),
			   BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"call: eight frames deep",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1),
			   BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(),
			   BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"call: nine frames deep",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1),
			   BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(),
			   BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(1),
			   BPF_EXIT_INSN(), VT_RET0 },
		.expected = REJECT,
		.errstr = "the call stack of 9 frames is too deep",
	},
	{
		"call: recursion",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_CALL_REL(-1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "the call stack of 9 frames is too deep",
	},
	{
		"call: combined stack over 512 bytes",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -512, 0), BPF_CALL_REL(1), BPF_EXIT_INSN(),
			   BPF_ST_MEM(BPF_DW, R10, -64, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "combined stack size of 2 calls is 576. Too large",
	},
	{
		"call: combined stack of exactly 512 bytes",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -448, 0), BPF_CALL_REL(1), BPF_EXIT_INSN(),
			   BPF_ST_MEM(BPF_DW, R10, -64, 0), VT_RET0 },
		.expected = ACCEPT,
	},
	{
		"call: target past the end",
		.insns = { BPF_CALL_REL(100), VT_RET0 },
		.expected = REJECT,
		.errstr = "call to invalid destination",
	},
	{
		"call: main function falls into the subprogram",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_CALL_REL(1), BPF_MOV64_IMM(R1, 1), VT_RET0 },
		.expected = REJECT,
		.errstr = "last insn is not an exit or jmp",
	},
	{
		"call: jump from main into the subprogram",
		.insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 2), BPF_CALL_REL(1), BPF_EXIT_INSN(),
			   BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "jump out of range from insn 1 to 4",
	},
	{
		"call: local call with a destination register",
		.insns = { BPF_RAW_INSN(BPF_JMP | BPF_CALL, R1, BPF_PSEUDO_CALL, 0, 1), BPF_EXIT_INSN(), VT_RET0 },
		.expected = REJECT,
		.errstr = "BPF_CALL uses reserved fields",
	},
	{
		"call: tail call from a subprogram without BTF",
		.insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_LD_MAP_FD(R2, 0), BPF_MOV64_IMM(R3, 0),
			   BPF_EMIT_CALL(BPF_FUNC_tail_call), VT_RET0 },
		.maps = { VT_MAP_PROG_ARRAY },
		.expected = REJECT,
		.errstr = "tail_call is not allowed in subprogs without BTF",
	},

	/* ---- Pointer operations, by pointer type and operator -------------- */
	{
		"ptr op: stack *= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_MUL, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ptr op: stack /= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_DIV, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with /= operator prohibited",
	},
	{
		"ptr op: stack %= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_MOD, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with %= operator prohibited",
	},
	{
		"ptr op: stack |= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_OR, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator |= on pointer prohibited",
	},
	{
		"ptr op: stack &= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_AND, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator &= on pointer prohibited",
	},
	{
		"ptr op: stack ^= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_XOR, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator ^= on pointer prohibited",
	},
	{
		"ptr op: stack <<= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_LSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with <<= operator prohibited",
	},
	{
		"ptr op: stack >>= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_RSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with >>= operator prohibited",
	},
	{
		"ptr op: stack s>>= 2",
		.insns = { BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ARSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with s>>= operator prohibited",
	},
	{
		"ptr op: ctx *= 2",
		.insns = { BPF_ALU64_IMM(BPF_MUL, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ptr op: ctx /= 2",
		.insns = { BPF_ALU64_IMM(BPF_DIV, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with /= operator prohibited",
	},
	{
		"ptr op: ctx %= 2",
		.insns = { BPF_ALU64_IMM(BPF_MOD, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with %= operator prohibited",
	},
	{
		"ptr op: ctx |= 2",
		.insns = { BPF_ALU64_IMM(BPF_OR, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator |= on pointer prohibited",
	},
	{
		"ptr op: ctx &= 2",
		.insns = { BPF_ALU64_IMM(BPF_AND, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator &= on pointer prohibited",
	},
	{
		"ptr op: ctx ^= 2",
		.insns = { BPF_ALU64_IMM(BPF_XOR, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 bitwise operator ^= on pointer prohibited",
	},
	{
		"ptr op: ctx <<= 2",
		.insns = { BPF_ALU64_IMM(BPF_LSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with <<= operator prohibited",
	},
	{
		"ptr op: ctx >>= 2",
		.insns = { BPF_ALU64_IMM(BPF_RSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with >>= operator prohibited",
	},
	{
		"ptr op: ctx s>>= 2",
		.insns = { BPF_ALU64_IMM(BPF_ARSH, R1, 2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with s>>= operator prohibited",
	},
	{
		"ptr op: map value *= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_MUL, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ptr op: map value /= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_DIV, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with /= operator prohibited",
	},
	{
		"ptr op: map value %= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_MOD, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with %= operator prohibited",
	},
	{
		"ptr op: map value |= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_OR, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 bitwise operator |= on pointer prohibited",
	},
	{
		"ptr op: map value &= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_AND, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 bitwise operator &= on pointer prohibited",
	},
	{
		"ptr op: map value ^= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_XOR, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 bitwise operator ^= on pointer prohibited",
	},
	{
		"ptr op: map value <<= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_LSH, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with <<= operator prohibited",
	},
	{
		"ptr op: map value >>= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_RSH, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with >>= operator prohibited",
	},
	{
		"ptr op: map value s>>= 2",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_ARSH, R1, 2), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with s>>= operator prohibited",
	},
	{
		"ptr op: packet *= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_MUL, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ptr op: packet /= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_DIV, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with /= operator prohibited",
	},
	{
		"ptr op: packet %= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_MOD, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with %= operator prohibited",
	},
	{
		"ptr op: packet |= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_OR, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 bitwise operator |= on pointer prohibited",
	},
	{
		"ptr op: packet &= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_AND, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 bitwise operator &= on pointer prohibited",
	},
	{
		"ptr op: packet ^= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_XOR, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 bitwise operator ^= on pointer prohibited",
	},
	{
		"ptr op: packet <<= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_LSH, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with <<= operator prohibited",
	},
	{
		"ptr op: packet >>= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_RSH, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with >>= operator prohibited",
	},
	{
		"ptr op: packet s>>= 2",
		.insns = { VT_SKB_DATA, BPF_MOV64_REG(R1, R2), BPF_ALU64_IMM(BPF_ARSH, R1, 2), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with s>>= operator prohibited",
	},
	{
		"ptr op: stack -= unknown scalar",
		.insns = { BPF_LDX_MEM(BPF_W, R2, R1, 0), BPF_MOV64_REG(R1, R10), BPF_ALU64_REG(BPF_SUB, R1, R2),
			   BPF_ST_MEM(BPF_B, R1, -1, 0), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 subtraction from stack pointer prohibited",
	},
	{
		"ptr op: stack += register holding a constant",
		.insns = { BPF_MOV64_IMM(R2, -16), BPF_MOV64_REG(R1, R10), BPF_ALU64_REG(BPF_ADD, R1, R2),
			   BPF_ST_MEM(BPF_DW, R1, 0, 0), BPF_LDX_MEM(BPF_DW, R0, R10, -16), BPF_EXIT_INSN() },
		.expected = ACCEPT,
	},
	{
		"ptr op: stack *= register",
		.insns = { BPF_MOV64_IMM(R2, 2), BPF_MOV64_REG(R1, R10), BPF_ALU64_REG(BPF_MUL, R1, R2), VT_RET0 },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic with *= operator prohibited",
	},
	{
		"ptr op: packet end minus packet is a scalar",
		.insns = { VT_SKB_DATA, BPF_ALU64_REG(BPF_SUB, R3, R2), BPF_MOV64_REG(R0, R3), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"ptr op: packet end -= 1",
		.insns = { VT_SKB_DATA, BPF_ALU64_IMM(BPF_SUB, R3, 1), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R3 pointer arithmetic on pkt_end prohibited",
	},
	{
		"ptr op: packet end &= mask",
		.insns = { VT_SKB_DATA, BPF_ALU64_IMM(BPF_AND, R3, 1), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R3 pointer arithmetic on pkt_end prohibited",
	},
	{
		"ptr op: map pointer += 0",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 0), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = ACCEPT,
	},
	{
		"ptr op: map pointer -= 8",
		.insns = { BPF_LD_MAP_FD(R1, 0), BPF_ALU64_IMM(BPF_SUB, R1, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R1 pointer arithmetic on map_ptr prohibited",
	},
	{
		"ptr op: map value or null -= 8",
		.insns = { VT_LOOKUP(0), BPF_ALU64_IMM(BPF_SUB, R0, 8), VT_RET0 },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first",
	},
	{
		"ptr op: map value plus masked register",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 15), BPF_MOV64_REG(R1, R0),
			   BPF_ALU64_REG(BPF_ADD, R1, R6), BPF_LDX_MEM(BPF_DW, R0, R1, 32), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R1 max value is outside of the allowed memory range",
	},
	{
		"ptr op: register plus map value (scalar on the left)",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_ALU64_REG(BPF_ADD, R6, R0),
			   BPF_LDX_MEM(BPF_DW, R0, R6, 40), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R6 max value is outside of the allowed memory range",
	},
	{
		"ptr op: register plus map value within bounds",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_ALU64_REG(BPF_ADD, R6, R0),
			   BPF_LDX_MEM(BPF_DW, R0, R6, 32), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"ptr op: map value minus a bounded register",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 7), BPF_ALU64_IMM(BPF_ADD, R0, 8),
			   BPF_ALU64_REG(BPF_SUB, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 unbounded memory access, make sure to bounds check any such access",
	},
	{
		"ptr op: map value minus a bounded register, below the value",
		.insns = { VT_U64_AND_VALUE, BPF_ALU64_IMM(BPF_AND, R6, 15), BPF_ALU64_IMM(BPF_ADD, R0, 8),
			   BPF_ALU64_REG(BPF_SUB, R0, R6), BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "R0 min value is negative, either use unsigned index or do a if (index >=0) check.",
	},
	{
		"ptr op: packet pointer plus a 16-bit field (too far to track a range)",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_LDX_MEM(BPF_H, R4, R1, offsetof(struct __sk_buff, len)),
			   BPF_ALU64_REG(BPF_ADD, R2, R4), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 4),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=0 size=4, R2(id=1,off=0,r=0)",
	},
	{
		"ptr op: packet pointer plus an 8-bit field",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_LDX_MEM(BPF_B, R4, R1, offsetof(struct __sk_buff, len)),
			   BPF_ALU64_REG(BPF_ADD, R2, R4), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 4),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"ptr op: packet pointer moved forward and back",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_ALU64_IMM(BPF_ADD, R2, 8), BPF_ALU64_IMM(BPF_SUB, R2, 4),
			   BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 4), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
			   BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"ptr op: packet pointer before data",
		.insns = { VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_ALU64_IMM(BPF_SUB, R2, 4), BPF_MOV64_REG(R4, R2),
			   BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_W, R0, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "invalid access to packet, off=-4 size=4, R2(id=0,off=-4,r=4)",
	},

	/* ---- Helpers that change the packet -------------------------------- */
	{
		"pkt: pointers are invalid after skb_pull_data",
		.insns = { BPF_MOV64_REG(R6, R1), VT_SKB_DATA, BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 5), BPF_MOV64_REG(R7, R2), BPF_MOV64_REG(R1, R6),
			   BPF_MOV64_IMM(R2, 8), BPF_EMIT_CALL(BPF_FUNC_skb_pull_data), BPF_LDX_MEM(BPF_B, R0, R7, 0),
			   VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "R7 invalid mem access 'scalar'",
	},
	{
		"pkt: reloaded after skb_pull_data and checked again",
		.insns = { BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R2, 8), BPF_EMIT_CALL(BPF_FUNC_skb_pull_data),
			   BPF_MOV64_REG(R1, R6), VT_SKB_DATA, BPF_MOV64_IMM(R0, 0), BPF_MOV64_REG(R4, R2),
			   BPF_ALU64_IMM(BPF_ADD, R4, 8), BPF_JMP_REG(BPF_JGT, R4, R3, 1), BPF_LDX_MEM(BPF_B, R0, R2, 0),
			   BPF_EXIT_INSN() },
		.prog_type = SCHED_CLS,
		.expected = ACCEPT,
	},
	{
		"pkt: pointers are invalid after xdp_adjust_head",
		.insns = { BPF_MOV64_REG(R6, R1), VT_XDP_DATA, BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 8),
			   BPF_JMP_REG(BPF_JGT, R4, R3, 5), BPF_MOV64_REG(R7, R2), BPF_MOV64_REG(R1, R6),
			   BPF_MOV64_IMM(R2, 4), BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head), BPF_LDX_MEM(BPF_B, R0, R7, 0),
			   VT_RET0 },
		.prog_type = XDP,
		.expected = REJECT,
		.errstr = "R7 invalid mem access 'scalar'",
	},
	{
		"helper: xdp_adjust_head in tc",
		.insns = { BPF_MOV64_IMM(R2, 4), BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head), VT_RET0 },
		.prog_type = SCHED_CLS,
		.expected = REJECT,
		.errstr = "program of this type cannot use helper bpf_xdp_adjust_head#44",
	},
	{
		"helper: get_current_pid_tgid in a kprobe",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_current_pid_tgid), BPF_EXIT_INSN() },
		.prog_type = KPROBE,
		.expected = ACCEPT,
	},
	{
		"helper: get_current_pid_tgid in xdp (a base helper)",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_get_current_pid_tgid), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"helper: ktime_get_ns anywhere",
		.insns = { BPF_EMIT_CALL(BPF_FUNC_ktime_get_ns), BPF_EXIT_INSN() },
		.prog_type = XDP,
		.expected = ACCEPT,
	},
	{
		"helper: trace_printk from a non-GPL kprobe",
		.insns = { BPF_ST_MEM(BPF_DW, R10, -8, 0x6968), BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8),
			   BPF_MOV64_IMM(R2, 8), BPF_EMIT_CALL(BPF_FUNC_trace_printk), VT_RET0 },
		.prog_type = KPROBE,
		.license = "Proprietary",
		.expected = REJECT,
		.errstr = "cannot call GPL-restricted function from non-GPL compatible program",
	},
	{
		"helper: map_lookup_elem returns map_value_or_null, R1 clobbered",
		.insns = { VT_LOOKUP(0), BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_8B },
		.expected = REJECT,
		.errstr = "R1 !read_ok",
	},
	{
		"helper: skb_load_bytes into a map value",
		.insns = { BPF_MOV64_REG(R6, R1), VT_LOOKUP_CHECKED(0), BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, 0),
			   BPF_MOV64_REG(R3, R0), BPF_MOV64_IMM(R4, 48), BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
			   BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_48B },
		.expected = ACCEPT,
	},
	{
		"helper: skb_load_bytes into the context",
		.insns = { BPF_MOV64_REG(R3, R1), BPF_MOV64_IMM(R2, 0), BPF_MOV64_IMM(R4, 4),
			   BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes), BPF_EXIT_INSN() },
		.expected = REJECT,
		.errstr = "R3 type=ctx expected=fp",
	},

	/* ---- Map value edges by access size -------------------------------- */
	{
		"map: half word at the last two bytes",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_H, R0, R0, 46), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: half word across the end",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_H, R0, R0, 47), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=47 size=2",
	},
	{
		"map: word read at the last four bytes",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_W, R0, R0, 44), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = ACCEPT,
	},
	{
		"map: double word write before the value",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_ST_MEM(BPF_DW, R0, -8, 0), VT_RET0 },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=48 off=-8 size=8",
	},
	{
		"map: 16-byte value, last double word",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 8), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_16B },
		.expected = ACCEPT,
	},
	{
		"map: 16-byte value, past the end",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LDX_MEM(BPF_DW, R0, R0, 9), BPF_EXIT_INSN() },
		.maps = { VT_MAP_HASH_16B },
		.expected = REJECT,
		.errstr = "invalid access to map value, value_size=16 off=9 size=8",
	},
	{
		"map: huge constant offset",
		.insns = { VT_LOOKUP_CHECKED(0), BPF_LD_IMM64(R1, 1ULL << 40), BPF_ALU64_REG(BPF_ADD, R0, R1),
			   BPF_LDX_MEM(BPF_B, R0, R0, 0), BPF_EXIT_INSN() },
		.maps = { VT_MAP_ARRAY_48B },
		.expected = REJECT,
		.errstr = "math between map_value pointer and 1099511627776 is not allowed",
	},
};
/* clang-format on */

#undef R0
#undef R1
#undef R2
#undef R3
#undef R4
#undef R5
#undef R6
#undef R7
#undef R8
#undef R9
#undef R10
#undef SOCKET_FILTER
#undef KPROBE
#undef SCHED_CLS
#undef SCHED_ACT
#undef XDP
#undef TRACEPOINT
#undef CGROUP_SKB

#endif /* BPFS_TESTS_VERIFIER_CASES_H */
