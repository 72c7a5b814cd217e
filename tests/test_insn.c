/* SPDX-License-Identifier: MIT */
/*
 * Instruction table, static validity checks (one row a case, each its own
 * GTest case), helper names, program and map type names, and libbpf's
 * section-name guesses, including the corpus' recorded program types.
 */
#include "ir.h"
#include "testutil.h"

#include <errno.h>
#include <string.h>

#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define EXIT I(0x95, 0, 0, 0, 0)
#define MOV0 I(0xb7, 0, 0, 0, 0)

struct validity_case {
	const char *name;
	struct bpf_insn insns[4];
	size_t cnt;
	int ret;         /* 0 or a negative errno */
	int insn;        /* expected err.insn when rejected */
	const char *msg; /* expected message when rejected */
};

static const struct validity_case validity_cases[] = {
	{ "ok/minimal", { MOV0, EXIT }, 2, 0, 0, NULL },
	{ "ok/ldimm64", { I(0x18, 1, 0, 0, 5), I(0, 0, 0, 0, 7), MOV0, EXIT }, 4, 0, 0, NULL },
	{ "ok/ldimm64_map_value", { I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 16), MOV0, EXIT }, 4, 0, 0, NULL },
	{ "ok/sdiv", { I(0x3f, 0, 1, 1, 0), EXIT }, 2, 0, 0, NULL },
	{ "ok/smod32_imm", { I(0x94, 0, 0, 1, 3), EXIT }, 2, 0, 0, NULL },
	{ "ok/movsx64_32", { I(0xbf, 0, 1, 32, 0), EXIT }, 2, 0, 0, NULL },
	{ "ok/movsx32_16", { I(0xbc, 0, 1, 16, 0), EXIT }, 2, 0, 0, NULL },
	{ "ok/bswap64", { I(0xd7, 0, 0, 0, 64), EXIT }, 2, 0, 0, NULL },
	{ "ok/be16", { I(0xdc, 0, 0, 0, 16), EXIT }, 2, 0, 0, NULL },
	{ "ok/memsx", { I(0x91, 0, 10, -1, 0), EXIT }, 2, 0, 0, NULL },
	{ "ok/atomic_cmpxchg", { I(0xdb, 10, 1, -8, 0xf1), EXIT }, 2, 0, 0, NULL },
	{ "ok/gotol", { I(0x06, 0, 0, 0, 0), EXIT }, 2, 0, 0, NULL },
	{ "ok/kfunc_call_off", { I(0x85, 0, 2, 1, 77), EXIT }, 2, 0, 0, NULL },
	{ "ok/ld_ind", { I(0x40, 0, 3, 0, 12), EXIT }, 2, 0, 0, NULL },

	{ "size/empty", { EXIT }, 0, -EINVAL, -1, "empty program" },

	{ "opcode/unknown", { MOV0, I(0x8c, 0, 0, 0, 0), EXIT }, 3, -EINVAL, 1, "unknown opcode 8c" },
	{ "opcode/alu64_to_be", { I(0xdf, 0, 0, 0, 16), EXIT }, 2, -EINVAL, 0, "unknown opcode df" },
	{ "opcode/callx", { I(0x8d, 0, 2, 0, 0), EXIT }, 2, -EINVAL, 0, "unknown opcode 8d" },
	{ "opcode/ld_abs_dw", { I(0x38, 0, 0, 0, 0), EXIT }, 2, -EINVAL, 0, "unknown opcode 38" },
	{ "opcode/memsx_dw", { I(0x99, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0, "unknown opcode 99" },
	{ "opcode/atomic_b", { I(0xd3, 10, 1, -8, 0), EXIT }, 2, -EINVAL, 0, "invalid atomic operand size" },
	{ "ok/load_acquire_b", { I(0xd3, 0, 10, -8, 0x100), EXIT }, 2, 0, 0, NULL },
	{ "ok/store_release_h", { I(0xcb, 10, 1, -8, 0x110), EXIT }, 2, 0, 0, NULL },
	{ "opcode/load_acquire_bad_imm", { I(0xd3, 0, 10, -8, 0x101), EXIT }, 2, -EINVAL, 0,
	  "BPF_ATOMIC uses invalid atomic opcode 101" },
	{ "opcode/zero", { I(0x00, 0, 0, 0, 0), EXIT }, 2, -EINVAL, 0, "unknown opcode 00" },
	/* The whole-program pass runs before the per-instruction one. */
	{ "opcode/before_reserved", { I(0x07, 0, 1, 0, 0), I(0xff, 0, 0, 0, 0) }, 2, -EINVAL, 1,
	  "unknown opcode ff" },

	{ "ldx/reserved_imm", { I(0x61, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_LDX uses reserved fields" },
	{ "ldx/reserved_mode", { I(0x21 | 0x18, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0,
	  "BPF_LDX uses reserved fields" },
	{ "ldimm64/last", { MOV0, I(0x18, 0, 0, 0, 0) }, 2, -EINVAL, 1, "invalid bpf_ld_imm64 insn" },
	{ "ldimm64/second_code", { I(0x18, 0, 0, 0, 0), I(0x07, 0, 0, 0, 0), EXIT }, 3, -EINVAL, 0,
	  "invalid bpf_ld_imm64 insn" },
	{ "ldimm64/second_off", { I(0x18, 0, 0, 0, 0), I(0, 0, 0, 1, 0), EXIT }, 3, -EINVAL, 0,
	  "invalid bpf_ld_imm64 insn" },
	{ "ldimm64/second_reg", { I(0x18, 0, 0, 0, 0), I(0, 1, 0, 0, 0), EXIT }, 3, -EINVAL, 0,
	  "invalid bpf_ld_imm64 insn" },
	{ "ldimm64/src7", { I(0x18, 1, 7, 0, 0), I(0, 0, 0, 0, 0), EXIT }, 3, -EINVAL, 0,
	  "unrecognized bpf_ld_imm64 insn" },
	{ "ldimm64/map_fd_hi", { I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 1), EXIT }, 3, -EINVAL, 0,
	  "unrecognized bpf_ld_imm64 insn" },
	{ "ldimm64/map_idx_hi", { I(0x18, 1, 5, 0, 3), I(0, 0, 0, 0, 1), EXIT }, 3, -EINVAL, 0,
	  "unrecognized bpf_ld_imm64 insn" },
	{ "ldimm64/dst_r11", { I(0x18, 11, 0, 0, 0), I(0, 0, 0, 0, 0), EXIT }, 3, -EINVAL, 0, "R11 is invalid" },

	{ "alu/reserved_x_imm", { I(0x0f, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_ALU uses reserved fields" },
	{ "alu/reserved_k_src", { I(0x07, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_ALU uses reserved fields" },
	{ "alu/reserved_off", { I(0x07, 0, 0, 2, 1), EXIT }, 2, -EINVAL, 0, "BPF_ALU uses reserved fields" },
	{ "alu/signed_add", { I(0x07, 0, 0, 1, 1), EXIT }, 2, -EINVAL, 0, "BPF_ALU uses reserved fields" },
	{ "alu/sdiv_off2", { I(0x3f, 0, 1, 2, 0), EXIT }, 2, -EINVAL, 0, "BPF_ALU uses reserved fields" },
	{ "alu/src_r11", { I(0x0f, 0, 11, 0, 0), EXIT }, 2, -EINVAL, 0, "R11 is invalid" },
	{ "alu/dst_r12", { I(0x07, 12, 0, 0, 0), EXIT }, 2, -EINVAL, 0, "R12 is invalid" },
	{ "alu/src_before_dst", { I(0x0f, 12, 11, 0, 0), EXIT }, 2, -EINVAL, 0, "R11 is invalid" },
	{ "mov/k_src", { I(0xb7, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0, "BPF_MOV uses reserved fields" },
	{ "mov/k_off", { I(0xb7, 0, 0, 8, 0), EXIT }, 2, -EINVAL, 0, "BPF_MOV uses reserved fields" },
	{ "mov/x_imm", { I(0xbf, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_MOV uses reserved fields" },
	{ "mov/movsx32_32", { I(0xbc, 0, 1, 32, 0), EXIT }, 2, -EINVAL, 0, "BPF_MOV uses reserved fields" },
	{ "mov/movsx_off4", { I(0xbf, 0, 1, 4, 0), EXIT }, 2, -EINVAL, 0, "BPF_MOV uses reserved fields" },
	{ "mov/addr_space_cast", { I(0xbf, 0, 1, 1, 2), EXIT }, 2, -EINVAL, 0,
	  "addr_space_cast insn can only convert between address space 1 and 0" },
	{ "neg/imm", { I(0x87, 0, 0, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_NEG uses reserved fields" },
	{ "neg/src", { I(0x84, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0, "BPF_NEG uses reserved fields" },
	{ "end/imm", { I(0xd4, 0, 0, 0, 8), EXIT }, 2, -EINVAL, 0, "BPF_END uses reserved fields" },
	{ "end/off", { I(0xdc, 0, 0, 1, 16), EXIT }, 2, -EINVAL, 0, "BPF_END uses reserved fields" },
	{ "end/bswap_src", { I(0xd7, 0, 1, 0, 16), EXIT }, 2, -EINVAL, 0, "BPF_END uses reserved fields" },

	{ "st/src", { I(0x62, 10, 1, -4, 0), EXIT }, 2, -EINVAL, 0, "BPF_ST uses reserved fields" },
	{ "st/dst_r11", { I(0x7a, 11, 0, -8, 0), EXIT }, 2, -EINVAL, 0, "R11 is invalid" },
	{ "stx/imm", { I(0x7b, 10, 1, -8, 1), EXIT }, 2, -EINVAL, 0, "BPF_STX uses reserved fields" },
	{ "atomic/op", { I(0xdb, 10, 1, -8, 0x10), EXIT }, 2, -EINVAL, 0,
	  "BPF_ATOMIC uses invalid atomic opcode 10" },
	{ "atomic/fetch_sub", { I(0xc3, 10, 1, -8, 0x11), EXIT }, 2, -EINVAL, 0,
	  "BPF_ATOMIC uses invalid atomic opcode 11" },
	{ "ld_abs/dst", { I(0x30, 1, 0, 0, 0), EXIT }, 2, -EINVAL, 0, "BPF_LD_[ABS|IND] uses reserved fields" },
	{ "ld_abs/src", { I(0x30, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0, "BPF_LD_[ABS|IND] uses reserved fields" },
	{ "ld_ind/off", { I(0x50, 0, 1, 1, 0), EXIT }, 2, -EINVAL, 0, "BPF_LD_[ABS|IND] uses reserved fields" },
	{ "ld_ind/src_r11", { I(0x50, 0, 11, 0, 0), EXIT }, 2, -EINVAL, 0, "R11 is invalid" },

	{ "call/src3", { I(0x85, 0, 3, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_CALL uses reserved fields" },
	{ "call/dst", { I(0x85, 1, 0, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_CALL uses reserved fields" },
	{ "call/off", { I(0x85, 0, 0, 1, 1), EXIT }, 2, -EINVAL, 0, "BPF_CALL uses reserved fields" },
	{ "ja/imm", { I(0x05, 0, 0, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_JA uses reserved fields" },
	{ "ja/src", { I(0x05, 0, 1, 0, 0), EXIT }, 2, -EINVAL, 0, "BPF_JA uses reserved fields" },
	{ "gotol/off", { I(0x06, 0, 0, 1, 0), EXIT }, 2, -EINVAL, 0, "BPF_JA uses reserved fields" },
	{ "exit/imm", { MOV0, I(0x95, 0, 0, 0, 1) }, 2, -EINVAL, 1, "BPF_EXIT uses reserved fields" },
	{ "exit/dst", { MOV0, I(0x95, 1, 0, 0, 0) }, 2, -EINVAL, 1, "BPF_EXIT uses reserved fields" },
	{ "jmp/x_imm", { I(0x1d, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_JMP/JMP32 uses reserved fields" },
	{ "jmp32/k_src", { I(0x16, 0, 1, 0, 1), EXIT }, 2, -EINVAL, 0, "BPF_JMP/JMP32 uses reserved fields" },
	{ "jmp/dst_r11", { I(0x15, 11, 0, 0, 1), EXIT }, 2, -EINVAL, 0, "R11 is invalid" },
	{ "jmp/src_r15", { I(0x1d, 0, 15, 0, 0), EXIT }, 2, -EINVAL, 0, "R15 is invalid" },
};

static void test_validity(gconstpointer data)
{
	const struct validity_case *c = data;
	struct bpfs_err err;
	int ret;

	bpfs_err_clear(&err);
	ret = bpfs_insns_validate(c->insns, c->cnt, &err);
	g_assert_cmpint(ret, ==, c->ret);
	if (c->msg) {
		g_assert_cmpstr(err.msg, ==, c->msg);
		g_assert_cmpint(err.insn, ==, c->insn);
	}
}

static void test_too_large(void)
{
	size_t cnt = BPFS_MAX_INSNS + 1;
	struct bpf_insn *insns = g_new0(struct bpf_insn, cnt);
	struct bpfs_err err;

	g_assert_cmpint(bpfs_insns_validate(insns, cnt, &err), ==, -E2BIG);
	g_assert_cmpstr(err.msg, ==, "BPF program is too large (1000001 insns, limit 1000000)");
	g_assert_cmpint(err.insn, ==, -1);
	g_assert_cmpint(bpfs_insns_validate(insns, cnt, NULL), ==, -E2BIG);
	g_free(insns);
}

static void test_opcode_table(void)
{
	static const uint8_t known[] = { 0x04, 0x0c, 0x07, 0x0f, 0x84, 0x87, 0xd4, 0xdc, 0xd7, 0xbf, 0xcc,
					 0x05, 0x06, 0x15, 0x1d, 0x16, 0x1e, 0xd5, 0xde, 0x85, 0x95, 0x18,
					 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x61, 0x69, 0x71, 0x79, 0x81,
					 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb,
					 0xe5, 0xd3, 0xcb };
	static const uint8_t unknown[] = { 0x00, 0x8c, 0x8f, 0xdf, 0x0d, 0x0e, 0x8d, 0x95 | 0x08, 0x96, 0x86,
					   0xe6, 0x38, 0x58, 0x99, 0xe3, 0x01, 0xe4, 0xf7 };
	size_t i, n = 0;

	for (i = 0; i < sizeof(known); i++)
		g_assert_true(bpfs_opcode_known(known[i]));
	for (i = 0; i < sizeof(unknown); i++)
		g_assert_false(bpfs_opcode_known(unknown[i]));
	for (i = 0; i < 256; i++)
		n += bpfs_opcode_known((uint8_t)i);
	/* 53 ALU, 49 JMP (may_goto included), 7 LD, 7 LDX, 4 ST, 8 STX */
	g_assert_cmpuint(n, ==, 128);
}

static void test_jump_target(void)
{
	static const struct bpf_insn p[] = {
		I(0x15, 1, 0, 2, 0), I(0x05, 0, 0, -2, 0), I(0x06, 0, 0, 0, -3), I(0x85, 0, 1, 0, 4),
		I(0x18, 1, 4, 0, 1), I(0, 0, 0, 0, 0), EXIT,
	};

	g_assert_cmpint(bpfs_insn_jump_target(p, 0), ==, 3);
	g_assert_cmpint(bpfs_insn_jump_target(p, 1), ==, 0);
	g_assert_cmpint(bpfs_insn_jump_target(p, 2), ==, 0);
	g_assert_cmpint(bpfs_insn_jump_target(p, 3), ==, 8);
	g_assert_cmpint(bpfs_insn_jump_target(p, 4), ==, 6);
}

static void test_helpers(void)
{
	g_assert_cmpstr(bpfs_helper_name(1), ==, "map_lookup_elem");
	g_assert_cmpstr(bpfs_helper_name(2), ==, "map_update_elem");
	g_assert_cmpstr(bpfs_helper_name(12), ==, "tail_call");
	g_assert_cmpstr(bpfs_helper_name(14), ==, "get_current_pid_tgid");
	g_assert_cmpstr(bpfs_helper_name(130), ==, "ringbuf_output");
	g_assert_null(bpfs_helper_name(-1));
	g_assert_null(bpfs_helper_name(100000));
	g_assert_cmpint(bpfs_helper_id("map_lookup_elem"), ==, 1);
	g_assert_cmpint(bpfs_helper_id("bpf_map_lookup_elem"), ==, 1);
	g_assert_cmpint(bpfs_helper_id("bpf_tail_call"), ==, 12);
	g_assert_cmpint(bpfs_helper_id("bpf_trace_printk"), ==, 6);
	g_assert_cmpint(bpfs_helper_id("no_such_helper"), ==, -1);
	g_assert_cmpint(bpfs_helper_id(NULL), ==, -1);
	for (int32_t id = 1; id < 200; id++) {
		const char *n = bpfs_helper_name(id);

		g_assert_nonnull(n);
		g_assert_cmpint(bpfs_helper_id(n), ==, id);
	}
}

static void test_prog_types(void)
{
	static const struct {
		uint32_t type;
		const char *name;
	} t[] = {
		{ BPF_PROG_TYPE_UNSPEC, "unspec" },       { BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter" },
		{ BPF_PROG_TYPE_KPROBE, "kprobe" },       { BPF_PROG_TYPE_SCHED_CLS, "sched_cls" },
		{ BPF_PROG_TYPE_SCHED_ACT, "sched_act" }, { BPF_PROG_TYPE_TRACEPOINT, "tracepoint" },
		{ BPF_PROG_TYPE_XDP, "xdp" },             { BPF_PROG_TYPE_PERF_EVENT, "perf_event" },
		{ BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb" }, { BPF_PROG_TYPE_SOCK_OPS, "sock_ops" },
		{ BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint" },
		{ BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "cgroup_sock_addr" }, { BPF_PROG_TYPE_TRACING, "tracing" },
		{ BPF_PROG_TYPE_SYSCALL, "syscall" },     { 32, "netfilter" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_assert_cmpstr(bpfs_prog_type_name(t[i].type), ==, t[i].name);
		g_assert_cmpint(bpfs_prog_type_parse(t[i].name), ==, (int)t[i].type);
	}
	g_assert_null(bpfs_prog_type_name(1000));
	g_assert_cmpint(bpfs_prog_type_parse("6"), ==, BPF_PROG_TYPE_XDP);
	g_assert_cmpint(bpfs_prog_type_parse("0x3"), ==, BPF_PROG_TYPE_SCHED_CLS);
	g_assert_cmpint(bpfs_prog_type_parse("BPF_PROG_TYPE_XDP"), ==, BPF_PROG_TYPE_XDP);
	g_assert_cmpint(bpfs_prog_type_parse("XDP"), ==, BPF_PROG_TYPE_XDP);
	g_assert_cmpint(bpfs_prog_type_parse("nonsense"), ==, -1);
	g_assert_cmpint(bpfs_prog_type_parse("3x"), ==, -1);
	g_assert_cmpint(bpfs_prog_type_parse(""), ==, -1);
	g_assert_cmpint(bpfs_prog_type_parse(NULL), ==, -1);
}

static void test_map_types(void)
{
	static const char *const names[] = {
		"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array",
		"stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps",
		"hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage",
		"reuseport_sockarray", "percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
		"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter", "user_ringbuf",
		"cgrp_storage", "arena",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		g_assert_cmpstr(bpfs_map_type_name((uint32_t)i), ==, names[i]);
		g_assert_cmpint(bpfs_map_type_parse(names[i]), ==, (int)i);
	}
	g_assert_cmpint(BPF_MAP_TYPE_RINGBUF, ==, bpfs_map_type_parse("ringbuf"));
	g_assert_cmpint(bpfs_map_type_parse("BPF_MAP_TYPE_HASH"), ==, BPF_MAP_TYPE_HASH);
	g_assert_cmpint(bpfs_map_type_parse("27"), ==, BPF_MAP_TYPE_RINGBUF);
	g_assert_null(bpfs_map_type_name(G_N_ELEMENTS(names)));
	g_assert_cmpint(bpfs_map_type_parse("hashmap"), ==, -1);
}

static void test_sections(void)
{
	static const struct {
		const char *sec;
		const char *type;
	} t[] = {
		{ "socket", "socket_filter" },        { "socket1", "socket_filter" },
		{ "socket/0", "socket_filter" },      { "kprobe/sys_write", "kprobe" },
		{ "kprobe", "kprobe" },               { "kretprobe/foo", "kprobe" },
		{ "uprobe/bin:func", "kprobe" },      { "uretprobe/bash_readline", "kprobe" },
		{ "ksyscall/write", "kprobe" },       { "usdt/a:b:c", "kprobe" },
		{ "kprobe.multi/tcp_*", "kprobe" },   { "kprobex", "unspec" },
		{ "classifier", "sched_cls" },        { "tc", "sched_cls" },
		{ "tc/tail", "sched_cls" },           { "tcx/ingress", "sched_cls" },
		{ "tc/ingress", "sched_cls" },        { "action", "sched_act" },
		{ "tracepoint/syscalls/sys_enter_open", "tracepoint" },
		{ "tp/sched/sched_switch", "tracepoint" },
		{ "raw_tracepoint/sys_enter", "raw_tracepoint" },
		{ "raw_tp/sys_enter", "raw_tracepoint" },
		{ "raw_tp.w/foo", "raw_tracepoint_writable" },
		{ "tp_btf/sched_switch", "tracing" }, { "fentry/tcp_close", "tracing" },
		{ "fexit/tcp_close", "tracing" },     { "fmod_ret/foo", "tracing" },
		{ "iter/task", "tracing" },           { "freplace/foo", "ext" },
		{ "lsm/file_open", "lsm" },           { "lsm.s/file_open", "lsm" },
		{ "lsm_cgroup/socket_bind", "lsm" },  { "syscall", "syscall" },
		{ "xdp", "xdp" },                     { "xdp_prog", "xdp" },
		{ "xdp.frags", "xdp" },               { "xdp/devmap", "xdp" },
		{ "xdp/cpumap", "xdp" },              { "perf_event", "perf_event" },
		{ "lwt_in", "lwt_in" },               { "lwt_out", "lwt_out" },
		{ "lwt_xmit", "lwt_xmit" },           { "lwt_seg6local", "lwt_seg6local" },
		{ "sockops", "sock_ops" },            { "sk_skb/stream_parser", "sk_skb" },
		{ "sk_skb", "sk_skb" },               { "sk_msg", "sk_msg" },
		{ "lirc_mode2", "lirc_mode2" },       { "flow_dissector", "flow_dissector" },
		{ "cgroup_skb/ingress", "cgroup_skb" }, { "cgroup_skb/egress", "cgroup_skb" },
		{ "cgroup/skb", "cgroup_skb" },       { "cgroup/sock", "cgroup_sock" },
		{ "cgroup/sock1", "cgroup_sock" },    { "cgroup/sock_release", "cgroup_sock" },
		{ "cgroup/post_bind4", "cgroup_sock" }, { "cgroup/connect4", "cgroup_sock_addr" },
		{ "cgroup/recvmsg6", "cgroup_sock_addr" }, { "cgroup/sysctl", "cgroup_sysctl" },
		{ "cgroup/getsockopt", "cgroup_sockopt" }, { "cgroup/dev", "cgroup_device" },
		{ "struct_ops/foo", "struct_ops" },   { "sk_lookup", "sk_lookup" },
		{ "sk_reuseport", "sk_reuseport" },   { "netfilter", "netfilter" },
		{ ".text", "unspec" },                { "license", "unspec" },
		{ "2/1", "unspec" },                  { "from-netdev", "unspec" },
		{ "", "unspec" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		const char *got = bpfs_prog_type_name(bpfs_prog_type_from_section(t[i].sec));

		if (g_strcmp0(got, t[i].type))
			g_error("section '%s': expected %s, got %s", t[i].sec, t[i].type, got);
	}
	g_assert_cmpuint(bpfs_prog_type_from_section(NULL), ==, BPF_PROG_TYPE_UNSPEC);
}

/* Rows the corpus loaded through libbpf record libbpf's choice; where we
 * guess a type at all, it must be the same one. */
static void test_sections_corpus(void)
{
	char *path = tu_shared_path_or_skip("corpus/kernel-verdicts.tsv");
	char *text = NULL, **lines;
	int sec_col = -1, type_col = -1, loader_col = -1, checked = 0, i, j;

	if (!path)
		return;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] && *lines[i]; i++) {
		char **f = g_strsplit(lines[i], "\t", -1);
		uint32_t guess;

		if (i == 0) {
			for (j = 0; f[j]; j++) {
				if (!strcmp(f[j], "section"))
					sec_col = j;
				else if (!strcmp(f[j], "prog_type"))
					type_col = j;
				else if (!strcmp(f[j], "loader"))
					loader_col = j;
			}
			g_assert_true(sec_col >= 0 && type_col >= 0 && loader_col >= 0);
		} else if ((int)g_strv_length(f) > MAX(MAX(sec_col, type_col), loader_col) &&
			   g_str_has_prefix(f[loader_col], "libbpf")) {
			guess = bpfs_prog_type_from_section(f[sec_col]);
			if (guess != BPF_PROG_TYPE_UNSPEC) {
				if (g_strcmp0(bpfs_prog_type_name(guess), f[type_col]))
					g_error("corpus line %d: section '%s' is %s, we guess %s", i + 1,
						f[sec_col], f[type_col], bpfs_prog_type_name(guess));
				checked++;
			}
		}
		g_strfreev(f);
	}
	g_assert_cmpint(checked, >, 20);
	g_strfreev(lines);
	g_free(text);
	g_free(path);
}

int main(int argc, char **argv)
{
	size_t i;

	g_test_init(&argc, &argv, NULL);
	for (i = 0; i < G_N_ELEMENTS(validity_cases); i++) {
		char *name = g_strdup_printf("/insn/validate/%s", validity_cases[i].name);

		g_test_add_data_func(name, &validity_cases[i], test_validity);
		g_free(name);
	}
	g_test_add_func("/insn/validate/too_large", test_too_large);
	g_test_add_func("/insn/opcode_table", test_opcode_table);
	g_test_add_func("/insn/jump_target", test_jump_target);
	g_test_add_func("/insn/helpers", test_helpers);
	g_test_add_func("/insn/prog_types", test_prog_types);
	g_test_add_func("/insn/map_types", test_map_types);
	g_test_add_func("/insn/sections", test_sections);
	g_test_add_func("/insn/sections_corpus", test_sections_corpus);
	return g_test_run();
}
