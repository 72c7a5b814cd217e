/* SPDX-License-Identifier: MIT */
/*
 * Instruction facts: which opcodes exist, the static per-instruction checks
 * the kernel makes before and while walking a program, jump targets, and the
 * name tables for helpers, program types and map types.
 *
 * The opcode table follows the kernel's instruction table
 * (bpf_opcode_in_insntable() in kernel/bpf/core.c). The checks follow the
 * order of kernel/bpf/verifier.c: one pass over the whole program as
 * resolve_pseudo_ldimm64() does it (LDX reserved fields, LD_IMM64 shape,
 * unknown opcodes), then a per-instruction pass in address order with the
 * checks do_check() makes for each class (reserved fields, then register
 * numbers, source before destination). Messages use the kernel's words.
 *
 * Not checked here, because they need the path or the program's context:
 * division by a zero immediate and oversized shifts ("div by zero",
 * "invalid shift"), writes to r10, jump ranges (the CFG builder), helper
 * and kfunc availability, BTF for BTF_ID/FUNC pseudo loads.
 *
 * Section names follow libbpf's section_defs[] (tools/lib/bpf/libbpf.c):
 * a definition ending in '/' matches as a prefix, one ending in '+' matches
 * exactly or followed by '/', any other exactly. Objects written for libbpf
 * before 1.0 relied on plain prefix matches of some definitions ("xdp_prog",
 * "socket1", "cgroup/sock1"); when nothing matches strictly, those legacy
 * prefixes are tried in a second pass.
 */
#include "insn_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------- */
/* The instruction table                                                  */

/* Every opcode the kernel accepts, with its conformance-dialect mnemonic.
 * K and X forms of an operation share the mnemonic. */
#define BPFS_OPCODES(X) \
	/* ALU (32-bit): op | K/X source; NEG takes no source; END is le/be */ \
	X(0x04, "add32") \
	X(0x0c, "add32") \
	X(0x14, "sub32") \
	X(0x1c, "sub32") \
	X(0x24, "mul32") \
	X(0x2c, "mul32") \
	X(0x34, "div32") \
	X(0x3c, "div32") \
	X(0x44, "or32") \
	X(0x4c, "or32") \
	X(0x54, "and32") \
	X(0x5c, "and32") \
	X(0x64, "lsh32") \
	X(0x6c, "lsh32") \
	X(0x74, "rsh32") \
	X(0x7c, "rsh32") \
	X(0x84, "neg32") \
	X(0x94, "mod32") \
	X(0x9c, "mod32") \
	X(0xa4, "xor32") \
	X(0xac, "xor32") \
	X(0xb4, "mov32") \
	X(0xbc, "mov32") \
	X(0xc4, "arsh32") \
	X(0xcc, "arsh32") \
	X(0xd4, "le") \
	X(0xdc, "be") \
	/* ALU64: same ops; ALU64 END is the unconditional byte swap */ \
	X(0x07, "add") \
	X(0x0f, "add") \
	X(0x17, "sub") \
	X(0x1f, "sub") \
	X(0x27, "mul") \
	X(0x2f, "mul") \
	X(0x37, "div") \
	X(0x3f, "div") \
	X(0x47, "or") \
	X(0x4f, "or") \
	X(0x57, "and") \
	X(0x5f, "and") \
	X(0x67, "lsh") \
	X(0x6f, "lsh") \
	X(0x77, "rsh") \
	X(0x7f, "rsh") \
	X(0x87, "neg") \
	X(0x97, "mod") \
	X(0x9f, "mod") \
	X(0xa7, "xor") \
	X(0xaf, "xor") \
	X(0xb7, "mov") \
	X(0xbf, "mov") \
	X(0xc7, "arsh") \
	X(0xcf, "arsh") \
	X(0xd7, "bswap") \
	/* JMP: ja, conditional jumps K/X, call, exit */ \
	X(0x05, "ja") \
	X(0x15, "jeq") \
	X(0x1d, "jeq") \
	X(0x25, "jgt") \
	X(0x2d, "jgt") \
	X(0x35, "jge") \
	X(0x3d, "jge") \
	X(0x45, "jset") \
	X(0x4d, "jset") \
	X(0x55, "jne") \
	X(0x5d, "jne") \
	X(0x65, "jsgt") \
	X(0x6d, "jsgt") \
	X(0x75, "jsge") \
	X(0x7d, "jsge") \
	X(0xa5, "jlt") \
	X(0xad, "jlt") \
	X(0xb5, "jle") \
	X(0xbd, "jle") \
	X(0xc5, "jslt") \
	X(0xcd, "jslt") \
	X(0xd5, "jsle") \
	X(0xdd, "jsle") \
	X(0x85, "call") \
	X(0x95, "exit") \
	X(0xe5, "may_goto") /* BPF_JCOND: bounded loop escape (6.9+) */ \
	/* JMP32: conditional jumps on the low 32 bits, and ja32 (gotol) */ \
	X(0x16, "jeq32") \
	X(0x1e, "jeq32") \
	X(0x26, "jgt32") \
	X(0x2e, "jgt32") \
	X(0x36, "jge32") \
	X(0x3e, "jge32") \
	X(0x46, "jset32") \
	X(0x4e, "jset32") \
	X(0x56, "jne32") \
	X(0x5e, "jne32") \
	X(0x66, "jsgt32") \
	X(0x6e, "jsgt32") \
	X(0x76, "jsge32") \
	X(0x7e, "jsge32") \
	X(0xa6, "jlt32") \
	X(0xae, "jlt32") \
	X(0xb6, "jle32") \
	X(0xbe, "jle32") \
	X(0xc6, "jslt32") \
	X(0xce, "jslt32") \
	X(0xd6, "jsle32") \
	X(0xde, "jsle32") \
	X(0x06, "ja32") \
	/* LD: 64-bit immediate (two slots), and the legacy packet loads */ \
	X(0x18, "lddw") \
	X(0x30, "ldabsb") \
	X(0x28, "ldabsh") \
	X(0x20, "ldabsw") \
	X(0x50, "ldindb") \
	X(0x48, "ldindh") \
	X(0x40, "ldindw") \
	/* LDX: loads, and sign-extending loads (MEMSX) */ \
	X(0x71, "ldxb") \
	X(0x69, "ldxh") \
	X(0x61, "ldxw") \
	X(0x79, "ldxdw") \
	X(0x91, "ldxsb") \
	X(0x89, "ldxsh") \
	X(0x81, "ldxsw") \
	/* ST: store of an immediate */ \
	X(0x72, "stb") \
	X(0x6a, "sth") \
	X(0x62, "stw") \
	X(0x7a, "stdw") \
	/* STX: store of a register, and atomic read-modify-write (imm selects the op) */ \
	X(0x73, "stxb") \
	X(0x6b, "stxh") \
	X(0x63, "stxw") \
	X(0x7b, "stxdw") \
	X(0xc3, "lock32") \
	X(0xdb, "lock") \
	/* 8- and 16-bit atomics exist for load-acquire/store-release only */ \
	X(0xd3, "lock8") \
	X(0xcb, "lock16")

#define OPCODE_NAME(code, name) [code] = name,
static const char *const opcode_names[256] = { BPFS_OPCODES(OPCODE_NAME) };
#undef OPCODE_NAME

bool bpfs_opcode_known(uint8_t code)
{
	return opcode_names[code] != NULL;
}

const char *bpfs_opcode_mnemonic(uint8_t code)
{
	return opcode_names[code];
}

static const struct {
	int32_t imm;
	const char *name;
} atomic_ops[] = {
	{BPF_ADD, "add"}, {BPF_AND, "and"}, {BPF_OR, "or"}, {BPF_XOR, "xor"}, {BPF_XCHG, "xchg"}, {BPF_CMPXCHG, "cmpxchg"},
};

const char *bpfs_atomic_op_name(int32_t imm)
{
	imm &= ~BPF_FETCH;
	if (imm == (BPF_XCHG & ~BPF_FETCH) || imm == (BPF_CMPXCHG & ~BPF_FETCH))
		imm |= BPF_FETCH;
	for (size_t i = 0; i < sizeof(atomic_ops) / sizeof(atomic_ops[0]); i++)
		if (atomic_ops[i].imm == imm)
			return atomic_ops[i].name;
	return NULL;
}

bool bpfs_atomic_op_find(const char *name, size_t len, int32_t *imm)
{
	for (size_t i = 0; i < sizeof(atomic_ops) / sizeof(atomic_ops[0]); i++)
		if (strlen(atomic_ops[i].name) == len && !memcmp(atomic_ops[i].name, name, len)) {
			*imm = atomic_ops[i].imm;
			return true;
		}
	return false;
}

bool bpfs_opcode_find(const char *name, size_t len, uint8_t *code)
{
	for (unsigned c = 0; c < 256; c++) {
		const char *n = opcode_names[c];

		if (n && strlen(n) == len && !memcmp(n, name, len)) {
			*code = (uint8_t)c;
			return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------------- */
/* Static checks                                                          */

static int reject(struct bpfs_err *err, size_t i, const char *msg)
{
	return bpfs_err_set(err, EINVAL, (int)i, "%s", msg);
}

/* check_reg_arg(): only r0..r10 exist. */
static int check_reg(unsigned int regno, size_t i, struct bpfs_err *err)
{
	if (regno > BPFS_MAX_REG)
		return bpfs_err_set(err, EINVAL, (int)i, "R%u is invalid", regno);
	return 0;
}

static int check_regs(const struct bpf_insn *insn, bool src, bool dst, size_t i, struct bpfs_err *err)
{
	int ret = 0;

	if (src)
		ret = check_reg(insn->src_reg, i, err);
	if (!ret && dst)
		ret = check_reg(insn->dst_reg, i, err);
	return ret;
}

/* LD_IMM64 as resolve_pseudo_ldimm64() sees it: a second slot that is all
 * zero but its imm, no offset in the first, and a known pseudo source. */
static int check_ldimm64_shape(const struct bpf_insn *insns, size_t cnt, size_t i, struct bpfs_err *err)
{
	const struct bpf_insn *insn = &insns[i];

	if (i == cnt - 1 || insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off)
		return reject(err, i, "invalid bpf_ld_imm64 insn");
	if (insn->off)
		return reject(err, i, "BPF_LD_IMM64 uses reserved fields");
	switch (insn->src_reg) {
	case 0:
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
	case BPF_PSEUDO_BTF_ID: /* needs BTF: left to the loader */
	case BPF_PSEUDO_FUNC:
		return 0;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		if (insn[1].imm == 0)
			return 0;
		break;
	}
	return reject(err, i, "unrecognized bpf_ld_imm64 insn");
}

/* The whole-program pass the kernel makes before walking. */
static int check_pass_whole(const struct bpf_insn *insns, size_t cnt, struct bpfs_err *err)
{
	size_t i;
	int ret;

	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *insn = &insns[i];

		if (BPF_CLASS(insn->code) == BPF_LDX &&
		    ((BPF_MODE(insn->code) != BPF_MEM && BPF_MODE(insn->code) != BPF_MEMSX) || insn->imm))
			return reject(err, i, "BPF_LDX uses reserved fields");
		if (bpfs_insn_is_ldimm64(insn)) {
			ret = check_ldimm64_shape(insns, cnt, i, err);
			if (ret)
				return ret;
			i++;
			continue;
		}
		if (!bpfs_opcode_known(insn->code))
			return bpfs_err_set(err, EINVAL, (int)i, "unknown opcode %02x", insn->code);
	}
	return 0;
}

static int check_alu(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	uint8_t op = BPF_OP(insn->code);
	bool x = BPF_SRC(insn->code) == BPF_X;
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	int off = insn->off;

	if (op == BPF_NEG) {
		if (x || insn->src_reg || off || insn->imm)
			return reject(err, i, "BPF_NEG uses reserved fields");
		return check_regs(insn, false, true, i, err);
	}
	if (op == BPF_END) {
		if (insn->src_reg || off || (insn->imm != 16 && insn->imm != 32 && insn->imm != 64) ||
		    (alu64 && x))
			return reject(err, i, "BPF_END uses reserved fields");
		return check_regs(insn, false, true, i, err);
	}
	if (op == BPF_MOV) {
		if (!x) {
			if (insn->src_reg || off)
				return reject(err, i, "BPF_MOV uses reserved fields");
			return check_regs(insn, false, true, i, err);
		}
		if (alu64 && off == BPFS_ADDR_SPACE_CAST) {
			if (insn->imm != 1 && insn->imm != 1 << 16)
				return reject(err, i, "addr_space_cast insn can only convert between address space 1 and 0");
		} else if ((off != 0 && off != 8 && off != 16 && !(alu64 && off == 32)) || insn->imm) {
			return reject(err, i, "BPF_MOV uses reserved fields");
		}
		return check_regs(insn, true, true, i, err);
	}
	/* Other operations; off 1 selects the signed division and modulo. */
	if ((x ? insn->imm != 0 : insn->src_reg != 0) || (off != 0 && off != 1) ||
	    (off == 1 && op != BPF_DIV && op != BPF_MOD))
		return reject(err, i, "BPF_ALU uses reserved fields");
	return check_regs(insn, x, true, i, err);
}

static int check_atomic(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	switch (insn->imm) {
	case BPF_ADD:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND:
	case BPF_AND | BPF_FETCH:
	case BPF_OR:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		break;
	case BPF_LOAD_ACQ:
	case BPF_STORE_REL:
		/* every size: plain loads and stores with ordering */
		return check_regs(insn, true, true, i, err);
	default:
		return bpfs_err_set(err, EINVAL, (int)i, "BPF_ATOMIC uses invalid atomic opcode %02x", insn->imm);
	}
	if (BPF_SIZE(insn->code) != BPF_W && BPF_SIZE(insn->code) != BPF_DW)
		return reject(err, i, "invalid atomic operand size");
	return check_regs(insn, true, true, i, err);
}

static int check_store(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	if (BPF_CLASS(insn->code) == BPF_ST) {
		if (BPF_MODE(insn->code) != BPF_MEM || insn->src_reg)
			return reject(err, i, "BPF_ST uses reserved fields");
		return check_regs(insn, false, true, i, err);
	}
	if (BPF_MODE(insn->code) == BPF_ATOMIC)
		return check_atomic(insn, i, err);
	if (BPF_MODE(insn->code) != BPF_MEM || insn->imm)
		return reject(err, i, "BPF_STX uses reserved fields");
	return check_regs(insn, true, true, i, err);
}

static int check_ld(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	uint8_t mode = BPF_MODE(insn->code);

	if (mode == BPF_ABS || mode == BPF_IND) {
		if (insn->dst_reg || insn->off || BPF_SIZE(insn->code) == BPF_DW ||
		    (mode == BPF_ABS && insn->src_reg))
			return reject(err, i, "BPF_LD_[ABS|IND] uses reserved fields");
		return check_regs(insn, mode == BPF_IND, false, i, err);
	}
	if (mode != BPF_IMM)
		return reject(err, i, "invalid BPF_LD mode");
	if (BPF_SIZE(insn->code) != BPF_DW)
		return reject(err, i, "invalid BPF_LD_IMM insn");
	return check_regs(insn, false, true, i, err);
}

static int check_jmp(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	uint8_t op = BPF_OP(insn->code);
	bool x = BPF_SRC(insn->code) == BPF_X;
	bool jmp32 = BPF_CLASS(insn->code) == BPF_JMP32;

	switch (op) {
	case BPF_CALL:
		if (x || (insn->src_reg != BPF_PSEUDO_KFUNC_CALL && insn->off) ||
		    (insn->src_reg != 0 && insn->src_reg != BPF_PSEUDO_CALL &&
		     insn->src_reg != BPF_PSEUDO_KFUNC_CALL) ||
		    insn->dst_reg || jmp32)
			return reject(err, i, "BPF_CALL uses reserved fields");
		return 0;
	case BPF_JA:
		if (x || insn->src_reg || insn->dst_reg || (!jmp32 && insn->imm) || (jmp32 && insn->off))
			return reject(err, i, "BPF_JA uses reserved fields");
		return 0;
	case BPF_JCOND:
		/* may_goto is the only conditional pseudo-jump: src_reg 0. */
		if (insn->src_reg || insn->dst_reg || insn->imm)
			return bpfs_err_set(err, EINVAL, (int)i, "invalid may_goto imm %d", insn->imm);
		return 0;
	case BPF_EXIT:
		if (x || insn->imm || insn->src_reg || insn->dst_reg || jmp32)
			return reject(err, i, "BPF_EXIT uses reserved fields");
		return 0;
	}
	if (x ? insn->imm != 0 : insn->src_reg != 0)
		return reject(err, i, "BPF_JMP/JMP32 uses reserved fields");
	return check_regs(insn, x, true, i, err);
}

static int check_insn(const struct bpf_insn *insn, size_t i, struct bpfs_err *err)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return check_alu(insn, i, err);
	case BPF_LDX:
		return check_regs(insn, true, true, i, err);
	case BPF_ST:
	case BPF_STX:
		return check_store(insn, i, err);
	case BPF_LD:
		return check_ld(insn, i, err);
	default:
		return check_jmp(insn, i, err);
	}
}

int bpfs_insns_validate(const struct bpf_insn *insns, size_t cnt, struct bpfs_err *err)
{
	size_t i;
	int ret;

	if (cnt == 0)
		return bpfs_err_set(err, EINVAL, -1, "empty program");
	if (cnt > BPFS_MAX_INSNS)
		return bpfs_err_set(err, E2BIG, -1, "BPF program is too large (%zu insns, limit %u)", cnt,
				    BPFS_MAX_INSNS);
	ret = check_pass_whole(insns, cnt, err);
	if (ret)
		return ret;
	for (i = 0; i < cnt; i++) {
		ret = check_insn(&insns[i], i, err);
		if (ret)
			return ret;
		if (bpfs_insn_is_ldimm64(&insns[i]))
			i++;
	}
	return 0;
}

int64_t bpfs_insn_jump_target(const struct bpf_insn *insns, size_t i)
{
	const struct bpf_insn *insn = &insns[i];
	int64_t next = (int64_t)i + 1;

	if (insn->code == (BPF_JMP32 | BPF_JA) || insn->code == (BPF_JMP | BPF_CALL) ||
	    (bpfs_insn_is_ldimm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC))
		return next + insn->imm;
	return next + insn->off;
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

/* Built from the uapi header's helper list (it puts the commas); newer
 * headers pass the id too. */
#ifdef ___BPF_FUNC_MAPPER
#define HELPER_NAME(name, id, ...) [id] = #name
static const char *const helper_names[] = { ___BPF_FUNC_MAPPER(HELPER_NAME) };
#else
#define HELPER_NAME(name) #name
static const char *const helper_names[] = { __BPF_FUNC_MAPPER(HELPER_NAME) };
#endif
#undef HELPER_NAME

#define HELPER_CNT (sizeof(helper_names) / sizeof(helper_names[0]))

/* Helpers newer than some systems' header, by their kernel ids. */
static const struct {
	int32_t id;
	const char *name;
} late_helpers[] = {
	{ 210, "cgrp_storage_get" },
	{ 211, "cgrp_storage_delete" },
};

const char *bpfs_helper_name(int32_t id)
{
	size_t i;

	if (id < 0)
		return NULL;
	if ((size_t)id < HELPER_CNT)
		return helper_names[id];
	for (i = 0; i < sizeof(late_helpers) / sizeof(late_helpers[0]); i++)
		if (late_helpers[i].id == id)
			return late_helpers[i].name;
	return NULL;
}

int32_t bpfs_helper_id(const char *name)
{
	size_t i;

	if (!name)
		return -1;
	if (!strncmp(name, "bpf_", 4))
		name += 4;
	for (i = 0; i < HELPER_CNT; i++)
		if (helper_names[i] && !strcmp(helper_names[i], name))
			return (int32_t)i;
	for (i = 0; i < sizeof(late_helpers) / sizeof(late_helpers[0]); i++)
		if (!strcmp(late_helpers[i].name, name))
			return late_helpers[i].id;
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Program and map types                                                  */

/* enum bpf_prog_type, by number so that types newer than the system's
 * header still have their names. */
static const char *const prog_type_names[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp",
	"perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops",
	"sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint", "cgroup_sock_addr", "lwt_seg6local",
	"lirc_mode2", "sk_reuseport", "flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable",
	"cgroup_sockopt", "tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter",
};

/* enum bpf_map_type, likewise. */
static const char *const map_type_names[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array",
	"stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps",
	"hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage",
	"reuseport_sockarray", "percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter", "user_ringbuf",
	"cgrp_storage", "arena",
};

#define ARRAY_CNT(a) (sizeof(a) / sizeof((a)[0]))

/* A name ("xdp", "XDP", "BPF_PROG_TYPE_XDP") or a number. */
static int parse_type(const char *s, const char *const *names, size_t cnt, const char *prefix)
{
	size_t plen = strlen(prefix), i;
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	if (isdigit((unsigned char)*s)) {
		errno = 0;
		v = strtol(s, &end, 0);
		if (errno || *end || v < 0 || v > 0xffff)
			return -1;
		return (int)v;
	}
	if (!strncasecmp(s, prefix, plen))
		s += plen;
	for (i = 0; i < cnt; i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	return -1;
}

const char *bpfs_prog_type_name(uint32_t type)
{
	return type < ARRAY_CNT(prog_type_names) ? prog_type_names[type] : NULL;
}

int bpfs_prog_type_parse(const char *s)
{
	return parse_type(s, prog_type_names, ARRAY_CNT(prog_type_names), "BPF_PROG_TYPE_");
}

const char *bpfs_map_type_name(uint32_t type)
{
	return type < ARRAY_CNT(map_type_names) ? map_type_names[type] : NULL;
}

int bpfs_map_type_parse(const char *s)
{
	return parse_type(s, map_type_names, ARRAY_CNT(map_type_names), "BPF_MAP_TYPE_");
}

/* ---------------------------------------------------------------------- */
/* Section names                                                          */

enum { SEC_STRICT = 0, SEC_LEGACY = 1 }; /* LEGACY: also a plain prefix */

#define T(x) BPF_PROG_TYPE_##x
#define BPF_PROG_TYPE_NETFILTER_NUM 32 /* newer than some headers */

/* libbpf's section_defs[], in its order (first match wins). */
static const struct sec_def {
	const char *sec;
	uint32_t type;
	int flags;
} section_defs[] = {
	{ "socket", T(SOCKET_FILTER), SEC_LEGACY },
	{ "sk_reuseport/migrate", T(SK_REUSEPORT), SEC_LEGACY },
	{ "sk_reuseport", T(SK_REUSEPORT), SEC_LEGACY },
	{ "kprobe+", T(KPROBE), SEC_STRICT },
	{ "uprobe+", T(KPROBE), SEC_STRICT },
	{ "uprobe.s+", T(KPROBE), SEC_STRICT },
	{ "kretprobe+", T(KPROBE), SEC_STRICT },
	{ "uretprobe+", T(KPROBE), SEC_STRICT },
	{ "uretprobe.s+", T(KPROBE), SEC_STRICT },
	{ "kprobe.multi+", T(KPROBE), SEC_STRICT },
	{ "kretprobe.multi+", T(KPROBE), SEC_STRICT },
	{ "kprobe.session+", T(KPROBE), SEC_STRICT },
	{ "uprobe.multi+", T(KPROBE), SEC_STRICT },
	{ "uretprobe.multi+", T(KPROBE), SEC_STRICT },
	{ "uprobe.multi.s+", T(KPROBE), SEC_STRICT },
	{ "uretprobe.multi.s+", T(KPROBE), SEC_STRICT },
	{ "ksyscall+", T(KPROBE), SEC_STRICT },
	{ "kretsyscall+", T(KPROBE), SEC_STRICT },
	{ "usdt+", T(KPROBE), SEC_STRICT },
	{ "usdt.s+", T(KPROBE), SEC_STRICT },
	{ "tc/ingress", T(SCHED_CLS), SEC_STRICT },
	{ "tc/egress", T(SCHED_CLS), SEC_STRICT },
	{ "tcx/ingress", T(SCHED_CLS), SEC_STRICT },
	{ "tcx/egress", T(SCHED_CLS), SEC_STRICT },
	{ "tc", T(SCHED_CLS), SEC_LEGACY },
	{ "classifier", T(SCHED_CLS), SEC_LEGACY },
	{ "action", T(SCHED_ACT), SEC_LEGACY },
	{ "netkit/primary", T(SCHED_CLS), SEC_STRICT },
	{ "netkit/peer", T(SCHED_CLS), SEC_STRICT },
	{ "tracepoint+", T(TRACEPOINT), SEC_STRICT },
	{ "tp+", T(TRACEPOINT), SEC_STRICT },
	{ "raw_tracepoint+", T(RAW_TRACEPOINT), SEC_STRICT },
	{ "raw_tp+", T(RAW_TRACEPOINT), SEC_STRICT },
	{ "raw_tracepoint.w+", T(RAW_TRACEPOINT_WRITABLE), SEC_STRICT },
	{ "raw_tp.w+", T(RAW_TRACEPOINT_WRITABLE), SEC_STRICT },
	{ "tp_btf+", T(TRACING), SEC_STRICT },
	{ "fentry+", T(TRACING), SEC_STRICT },
	{ "fmod_ret+", T(TRACING), SEC_STRICT },
	{ "fexit+", T(TRACING), SEC_STRICT },
	{ "fentry.s+", T(TRACING), SEC_STRICT },
	{ "fmod_ret.s+", T(TRACING), SEC_STRICT },
	{ "fexit.s+", T(TRACING), SEC_STRICT },
	{ "freplace+", T(EXT), SEC_STRICT },
	{ "lsm+", T(LSM), SEC_STRICT },
	{ "lsm.s+", T(LSM), SEC_STRICT },
	{ "lsm_cgroup+", T(LSM), SEC_STRICT },
	{ "iter+", T(TRACING), SEC_STRICT },
	{ "iter.s+", T(TRACING), SEC_STRICT },
	{ "syscall", T(SYSCALL), SEC_STRICT },
	{ "xdp.frags/devmap", T(XDP), SEC_STRICT },
	{ "xdp/devmap", T(XDP), SEC_STRICT },
	{ "xdp_devmap/", T(XDP), SEC_STRICT }, /* pre-1.0 spelling */
	{ "xdp.frags/cpumap", T(XDP), SEC_STRICT },
	{ "xdp/cpumap", T(XDP), SEC_STRICT },
	{ "xdp_cpumap/", T(XDP), SEC_STRICT }, /* pre-1.0 spelling */
	{ "xdp.frags", T(XDP), SEC_STRICT },
	{ "xdp", T(XDP), SEC_LEGACY },
	{ "perf_event", T(PERF_EVENT), SEC_LEGACY },
	{ "lwt_in", T(LWT_IN), SEC_LEGACY },
	{ "lwt_out", T(LWT_OUT), SEC_LEGACY },
	{ "lwt_xmit", T(LWT_XMIT), SEC_LEGACY },
	{ "lwt_seg6local", T(LWT_SEG6LOCAL), SEC_LEGACY },
	{ "sockops", T(SOCK_OPS), SEC_LEGACY },
	{ "sk_skb/stream_parser", T(SK_SKB), SEC_LEGACY },
	{ "sk_skb/stream_verdict", T(SK_SKB), SEC_LEGACY },
	{ "sk_skb/verdict", T(SK_SKB), SEC_STRICT },
	{ "sk_skb", T(SK_SKB), SEC_LEGACY },
	{ "sk_msg", T(SK_MSG), SEC_LEGACY },
	{ "lirc_mode2", T(LIRC_MODE2), SEC_LEGACY },
	{ "flow_dissector", T(FLOW_DISSECTOR), SEC_LEGACY },
	{ "cgroup_skb/ingress", T(CGROUP_SKB), SEC_LEGACY },
	{ "cgroup_skb/egress", T(CGROUP_SKB), SEC_LEGACY },
	{ "cgroup/skb", T(CGROUP_SKB), SEC_LEGACY },
	{ "cgroup/sock_create", T(CGROUP_SOCK), SEC_LEGACY },
	{ "cgroup/sock_release", T(CGROUP_SOCK), SEC_LEGACY },
	{ "cgroup/sock", T(CGROUP_SOCK), SEC_LEGACY },
	{ "cgroup/post_bind4", T(CGROUP_SOCK), SEC_LEGACY },
	{ "cgroup/post_bind6", T(CGROUP_SOCK), SEC_LEGACY },
	{ "cgroup/bind4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/bind6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/connect4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/connect6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/connect_unix", T(CGROUP_SOCK_ADDR), SEC_STRICT },
	{ "cgroup/sendmsg4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/sendmsg6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/sendmsg_unix", T(CGROUP_SOCK_ADDR), SEC_STRICT },
	{ "cgroup/recvmsg4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/recvmsg6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/recvmsg_unix", T(CGROUP_SOCK_ADDR), SEC_STRICT },
	{ "cgroup/getpeername4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/getpeername6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/getpeername_unix", T(CGROUP_SOCK_ADDR), SEC_STRICT },
	{ "cgroup/getsockname4", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/getsockname6", T(CGROUP_SOCK_ADDR), SEC_LEGACY },
	{ "cgroup/getsockname_unix", T(CGROUP_SOCK_ADDR), SEC_STRICT },
	{ "cgroup/sysctl", T(CGROUP_SYSCTL), SEC_LEGACY },
	{ "cgroup/getsockopt", T(CGROUP_SOCKOPT), SEC_LEGACY },
	{ "cgroup/setsockopt", T(CGROUP_SOCKOPT), SEC_LEGACY },
	{ "cgroup/dev", T(CGROUP_DEVICE), SEC_LEGACY },
	{ "struct_ops+", T(STRUCT_OPS), SEC_STRICT },
	{ "struct_ops.s+", T(STRUCT_OPS), SEC_STRICT },
	{ "sk_lookup", T(SK_LOOKUP), SEC_LEGACY },
	{ "netfilter", BPF_PROG_TYPE_NETFILTER_NUM, SEC_STRICT },
};
#undef T

static bool sec_matches(const struct sec_def *def, const char *name, bool legacy)
{
	size_t len = strlen(def->sec);

	if (legacy)
		return (def->flags & SEC_LEGACY) && !strncmp(name, def->sec, len);
	if (def->sec[len - 1] == '/')
		return !strncmp(name, def->sec, len);
	if (def->sec[len - 1] == '+') {
		len--;
		return !strncmp(name, def->sec, len) && (name[len] == '\0' || name[len] == '/');
	}
	return !strcmp(name, def->sec);
}

uint32_t bpfs_prog_type_from_section(const char *section)
{
	int pass;
	size_t i;

	if (!section)
		return BPF_PROG_TYPE_UNSPEC;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < ARRAY_CNT(section_defs); i++)
			if (sec_matches(&section_defs[i], section, pass == 1))
				return section_defs[i].type;
	return BPF_PROG_TYPE_UNSPEC;
}

/* The attach types libbpf gives programs of these sections (its
 * section_defs[] again, the entries with a non-zero attach type); every
 * other section it knows gets 0. Numbers the older
 * headers lack: the unix socket hooks (49-53), tcx (46, 47), netkit (54,
 * 55), netfilter (45), the multi-probes (42, 48, 56). */
#define A_TCX_INGRESS 46
#define A_TCX_EGRESS 47
#define A_UPROBE_MULTI 48
#define A_UNIX(n) (49 + (n)) /* connect, sendmsg, recvmsg, getpeername, getsockname */
#define A_NETKIT_PRIMARY 54
#define A_NETKIT_PEER 55
#define A_KPROBE_SESSION 56
#define A_NETFILTER 45

static const struct attach_def {
	const char *sec;
	uint32_t attach;
} attach_defs[] = {
	{ "sk_reuseport/migrate", BPF_SK_REUSEPORT_SELECT_OR_MIGRATE },
	{ "sk_reuseport", BPF_SK_REUSEPORT_SELECT },
	{ "kprobe.multi+", BPF_TRACE_KPROBE_MULTI },
	{ "kretprobe.multi+", BPF_TRACE_KPROBE_MULTI },
	{ "kprobe.session+", A_KPROBE_SESSION },
	{ "uprobe.multi+", A_UPROBE_MULTI },
	{ "uretprobe.multi+", A_UPROBE_MULTI },
	{ "uprobe.multi.s+", A_UPROBE_MULTI },
	{ "uretprobe.multi.s+", A_UPROBE_MULTI },
	{ "tc/ingress", A_TCX_INGRESS },
	{ "tc/egress", A_TCX_EGRESS },
	{ "tcx/ingress", A_TCX_INGRESS },
	{ "tcx/egress", A_TCX_EGRESS },
	{ "netkit/primary", A_NETKIT_PRIMARY },
	{ "netkit/peer", A_NETKIT_PEER },
	{ "tp_btf+", BPF_TRACE_RAW_TP },
	{ "fentry+", BPF_TRACE_FENTRY },
	{ "fmod_ret+", BPF_MODIFY_RETURN },
	{ "fexit+", BPF_TRACE_FEXIT },
	{ "fentry.s+", BPF_TRACE_FENTRY },
	{ "fmod_ret.s+", BPF_MODIFY_RETURN },
	{ "fexit.s+", BPF_TRACE_FEXIT },
	{ "lsm+", BPF_LSM_MAC },
	{ "lsm.s+", BPF_LSM_MAC },
	{ "lsm_cgroup+", BPF_LSM_CGROUP },
	{ "iter+", BPF_TRACE_ITER },
	{ "iter.s+", BPF_TRACE_ITER },
	{ "xdp.frags/devmap", BPF_XDP_DEVMAP },
	{ "xdp/devmap", BPF_XDP_DEVMAP },
	{ "xdp_devmap/", BPF_XDP_DEVMAP },
	{ "xdp.frags/cpumap", BPF_XDP_CPUMAP },
	{ "xdp/cpumap", BPF_XDP_CPUMAP },
	{ "xdp_cpumap/", BPF_XDP_CPUMAP },
	{ "xdp.frags", BPF_XDP },
	{ "xdp", BPF_XDP },
	{ "sockops", BPF_CGROUP_SOCK_OPS },
	{ "sk_skb/stream_parser", BPF_SK_SKB_STREAM_PARSER },
	{ "sk_skb/stream_verdict", BPF_SK_SKB_STREAM_VERDICT },
	{ "sk_skb/verdict", BPF_SK_SKB_VERDICT },
	{ "sk_msg", BPF_SK_MSG_VERDICT },
	{ "lirc_mode2", BPF_LIRC_MODE2 },
	{ "flow_dissector", BPF_FLOW_DISSECTOR },
	{ "cgroup_skb/ingress", BPF_CGROUP_INET_INGRESS },
	{ "cgroup_skb/egress", BPF_CGROUP_INET_EGRESS },
	{ "cgroup/sock_create", BPF_CGROUP_INET_SOCK_CREATE },
	{ "cgroup/sock_release", BPF_CGROUP_INET_SOCK_RELEASE },
	{ "cgroup/sock", BPF_CGROUP_INET_SOCK_CREATE },
	{ "cgroup/post_bind4", BPF_CGROUP_INET4_POST_BIND },
	{ "cgroup/post_bind6", BPF_CGROUP_INET6_POST_BIND },
	{ "cgroup/bind4", BPF_CGROUP_INET4_BIND },
	{ "cgroup/bind6", BPF_CGROUP_INET6_BIND },
	{ "cgroup/connect4", BPF_CGROUP_INET4_CONNECT },
	{ "cgroup/connect6", BPF_CGROUP_INET6_CONNECT },
	{ "cgroup/connect_unix", A_UNIX(0) },
	{ "cgroup/sendmsg4", BPF_CGROUP_UDP4_SENDMSG },
	{ "cgroup/sendmsg6", BPF_CGROUP_UDP6_SENDMSG },
	{ "cgroup/sendmsg_unix", A_UNIX(1) },
	{ "cgroup/recvmsg4", BPF_CGROUP_UDP4_RECVMSG },
	{ "cgroup/recvmsg6", BPF_CGROUP_UDP6_RECVMSG },
	{ "cgroup/recvmsg_unix", A_UNIX(2) },
	{ "cgroup/getpeername4", BPF_CGROUP_INET4_GETPEERNAME },
	{ "cgroup/getpeername6", BPF_CGROUP_INET6_GETPEERNAME },
	{ "cgroup/getpeername_unix", A_UNIX(3) },
	{ "cgroup/getsockname4", BPF_CGROUP_INET4_GETSOCKNAME },
	{ "cgroup/getsockname6", BPF_CGROUP_INET6_GETSOCKNAME },
	{ "cgroup/getsockname_unix", A_UNIX(4) },
	{ "cgroup/sysctl", BPF_CGROUP_SYSCTL },
	{ "cgroup/getsockopt", BPF_CGROUP_GETSOCKOPT },
	{ "cgroup/setsockopt", BPF_CGROUP_SETSOCKOPT },
	{ "cgroup/dev", BPF_CGROUP_DEVICE },
	{ "sk_lookup", BPF_SK_LOOKUP },
	{ "netfilter", A_NETFILTER },
};

bool bpfs_section_sleepable(const char *section)
{
	int pass;
	size_t i;

	if (!section)
		return false;
	if (*section == '?')
		section++;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < ARRAY_CNT(section_defs); i++)
			if (sec_matches(&section_defs[i], section, pass == 1))
				return strstr(section_defs[i].sec, ".s+") || !strcmp(section_defs[i].sec, "syscall");
	return false;
}

int bpfs_attach_type_from_section(const char *section, uint32_t prog_type)
{
	int pass;
	size_t i, j;

	if (!section)
		return -1;
	if (*section == '?') /* libbpf's mark for programs not loaded by default */
		section++;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < ARRAY_CNT(section_defs); i++) {
			if (!sec_matches(&section_defs[i], section, pass == 1))
				continue;
			if (section_defs[i].type != prog_type)
				return -1;
			for (j = 0; j < ARRAY_CNT(attach_defs); j++)
				if (!strcmp(attach_defs[j].sec, section_defs[i].sec))
					return (int)attach_defs[j].attach;
			return 0;
		}
	return -1;
}
