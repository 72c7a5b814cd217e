/* SPDX-License-Identifier: MIT */
/*
 * Random programs for differential testing, valid by construction.
 *
 * The invariant that makes them pass the verifier: at every block
 * boundary, r0-r5 and r7-r9 hold scalars, r6 holds the context pointer,
 * and the stack bytes [r10 - 64, r10) are initialised. Every block keeps
 * it: ALU blocks only compute on scalars; blocks that call a helper or a
 * subprogram set r1-r5 again after the call; blocks that hold pointers
 * (map values, packet) turn them back into scalars before they end. Since
 * the invariant holds at block boundaries, a forward jump over any number
 * of whole blocks is safe. Shift amounts are masked so that no shift is
 * out of range; division and modulo by registers that may be zero are
 * kept (the ISA defines them).
 *
 * Stack layout: [-64, 0) scratch slots, [-72, -64) map key, [-88, -72)
 * map value for updates, [-96, -88) trace_printk format.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

#define MAX_INSNS 256

struct gen {
	struct bpf_insn *insns;
	size_t cnt, cap;
	uint64_t rs;
	uint32_t type;
	const struct bpfs_diff_gen_opts *opts;
	bool has_sub;
	size_t sub_calls[16];
	size_t nsub_calls;
};

static const struct bpfs_map_spec gen_maps[] = {
	{.name = "hmap", .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 16, .max_entries = 8, .inner_map = -1},
	{.name = "amap", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16, .max_entries = 4, .inner_map = -1},
	{.name = "jmp", .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4, .inner_map = -1},
};

#define JMP_MAP 2

const struct bpfs_map_spec *bpfs_diff_gen_maps(size_t *nmaps)
{
	*nmaps = sizeof(gen_maps) / sizeof(gen_maps[0]);
	return gen_maps;
}

static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rs += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static void emit(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (g->cnt >= g->cap)
		return;
	g->insns[g->cnt++] = (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

static void emit_ld64(struct gen *g, uint8_t dst, uint8_t src, uint64_t v)
{
	if (g->cnt + 2 > g->cap)
		return;
	emit(g, BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, (int32_t)(uint32_t)v);
	emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

/* r0-r5, r7-r9: the registers that hold scalars between blocks. */
static uint8_t scalar_reg(struct gen *g)
{
	static const uint8_t regs[] = {0, 1, 2, 3, 4, 5, 7, 8, 9};

	return regs[pick(g, sizeof(regs))];
}

static int32_t rand_imm(struct gen *g)
{
	switch (pick(g, 6)) {
	case 0:
		return 0;
	case 1:
		return (int32_t)pick(g, 64) - 32;
	case 2:
		return INT32_MIN + (int32_t)pick(g, 2);
	case 3:
		return -1;
	default:
		return (int32_t)rnd(g);
	}
}

static void set_scalar(struct gen *g, uint8_t r)
{
	if (pick(g, 4) == 0)
		emit_ld64(g, r, 0, rnd(g));
	else
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, rand_imm(g));
}

/* After a call: r1-r5 are scratch again. */
static void reset_args(struct gen *g)
{
	for (uint8_t r = 1; r <= 5; r++)
		set_scalar(g, r);
}

/* ---------------------------------------------------------------------- */
/* Blocks                                                                 */

static void gen_alu(struct gen *g)
{
	static const uint8_t ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH,
				      BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_END};
	uint8_t op = ops[pick(g, sizeof(ops))], cls = pick(g, 2) ? BPF_ALU64 : BPF_ALU;
	uint8_t dst = scalar_reg(g), src = scalar_reg(g), width = cls == BPF_ALU64 ? 64 : 32;
	bool x = pick(g, 2);
	int16_t off = 0;

	switch (op) {
	case BPF_NEG:
		emit(g, cls | op | BPF_K, dst, 0, 0, 0);
		return;
	case BPF_END: {
		static const int32_t w[] = {16, 32, 64};

		if (cls == BPF_ALU64) /* bswap */
			emit(g, BPF_ALU64 | BPF_END | BPF_TO_LE, dst, 0, 0, w[pick(g, 3)]);
		else
			emit(g, BPF_ALU | BPF_END | (pick(g, 2) ? BPF_TO_BE : BPF_TO_LE), dst, 0, 0, w[pick(g, 3)]);
		return;
	}
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		if (!x) {
			emit(g, cls | op | BPF_K, dst, 0, 0, (int32_t)pick(g, width));
			return;
		}
		emit(g, cls | BPF_AND | BPF_K, src, 0, 0, width - 1);
		break;
	case BPF_DIV:
	case BPF_MOD:
		off = (int16_t)pick(g, 2); /* sdiv, smod */
		break;
	case BPF_MOV:
		if (x && pick(g, 2)) { /* movsx */
			static const int16_t s64[] = {8, 16, 32}, s32[] = {8, 16};

			off = cls == BPF_ALU64 ? s64[pick(g, 3)] : s32[pick(g, 2)];
		}
		break;
	}
	if (x) {
		emit(g, cls | op | BPF_X, dst, src, off, 0);
	} else {
		int32_t imm = rand_imm(g);

		if ((op == BPF_DIV || op == BPF_MOD) && !imm)
			imm = 3; /* the verifier rejects a constant zero divisor */
		emit(g, cls | op | BPF_K, dst, 0, off, imm);
	}
}

/* An atomic read-modify-write of the word or double word at dst + off:
 * add, or, and, xor (each with or without fetch), xchg, and cmpxchg when
 * r0 is a scalar (it holds the expected value and gets the old one). */
static void gen_atomic(struct gen *g, uint8_t dst, int16_t off, bool dw, uint8_t src, bool r0_scalar)
{
	static const int32_t ops[] = {BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_XCHG, BPF_CMPXCHG};
	int32_t op = ops[pick(g, r0_scalar ? 6 : 5)];

	if (op != BPF_XCHG && op != BPF_CMPXCHG && pick(g, 2))
		op |= BPF_FETCH;
	emit(g, BPF_STX | BPF_ATOMIC | (dw ? BPF_DW : BPF_W), dst, src, off, op);
}

/* dst = load_acquire(base + off) or store_release(base + off, reg), any
 * size: reg must be free to overwrite. */
static void gen_acq_rel(struct gen *g, uint8_t size, uint8_t base, int16_t off, uint8_t reg)
{
	if (pick(g, 2))
		emit(g, BPF_STX | BPF_ATOMIC | size, reg, base, off, BPF_LOAD_ACQ);
	else
		emit(g, BPF_STX | BPF_ATOMIC | size, base, reg, off, BPF_STORE_REL);
}

static void gen_stack(struct gen *g)
{
	static const uint8_t sizes[] = {BPF_B, BPF_H, BPF_W, BPF_DW};
	static const int bytes[] = {1, 2, 4, 8};
	unsigned s = pick(g, 4);
	int16_t off = (int16_t)(-64 + (int)pick(g, (unsigned)(64 / bytes[s])) * bytes[s]);

	switch (pick(g, 5)) {
	case 4:
		gen_acq_rel(g, sizes[s], BPF_REG_10, off, scalar_reg(g));
		break;
	case 3:
		if (bytes[s] >= 4) {
			gen_atomic(g, BPF_REG_10, off, bytes[s] == 8, scalar_reg(g), true);
			break;
		}
		/* fall through */
	case 0:
		emit(g, BPF_STX | BPF_MEM | sizes[s], BPF_REG_10, scalar_reg(g), off, 0);
		break;
	case 1:
		emit(g, BPF_ST | BPF_MEM | sizes[s], BPF_REG_10, 0, off, rand_imm(g));
		break;
	default:
		emit(g, BPF_LDX | BPF_MEM | sizes[s], scalar_reg(g), BPF_REG_10, off, 0);
		break;
	}
}

/* r1 = map, r2 = &key (key = r7 & 7). */
static void map_args(struct gen *g, int map)
{
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_7, 0, 0);
	emit(g, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, 7);
	emit(g, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, BPF_REG_1, -72, 0);
	emit_ld64(g, BPF_REG_1, BPF_PSEUDO_MAP_FD, (uint32_t)map);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -72);
}

/* Lookup with a NULL check; loads and stores inside the 16-byte value. */
static void gen_map_lookup(struct gen *g)
{
	static const uint8_t sizes[] = {BPF_B, BPF_H, BPF_W, BPF_DW};
	static const int bytes[] = {1, 2, 4, 8};
	static const uint8_t keep[] = {7, 8, 9};
	size_t jmp;

	map_args(g, (int)pick(g, 2));
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	jmp = g->cnt;
	emit(g, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0);
	for (unsigned n = 1 + pick(g, 3); n; n--) {
		unsigned s = pick(g, 4);
		int16_t off = (int16_t)((int)pick(g, (unsigned)(16 / bytes[s])) * bytes[s]);

		unsigned how = pick(g, 4);

		if (how == 3)
			gen_acq_rel(g, sizes[s], BPF_REG_0, off, keep[pick(g, 3)]);
		else if (how == 2 && bytes[s] >= 4)
			gen_atomic(g, BPF_REG_0, off, bytes[s] == 8, keep[pick(g, 3)], false);
		else if (how)
			emit(g, BPF_LDX | BPF_MEM | sizes[s], keep[pick(g, 3)], BPF_REG_0, off, 0);
		else
			emit(g, BPF_STX | BPF_MEM | sizes[s], BPF_REG_0, keep[pick(g, 3)], off, 0);
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, keep[pick(g, 3)], 0, 0);
	if (jmp < g->cap)
		g->insns[jmp].off = (int16_t)(g->cnt - jmp - 1);
	reset_args(g);
}

static void gen_map_update(struct gen *g)
{
	int map = (int)pick(g, 2);

	emit(g, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, scalar_reg(g), -88, 0);
	emit(g, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, scalar_reg(g), -80, 0);
	map_args(g, map);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -88);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	if (map == 0 && pick(g, 3) == 0) {
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_delete_elem);
	} else {
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem);
	}
	reset_args(g);
}

/* Helpers that move or reshape the packet: bpf_xdp_adjust_head, _meta
 * and _tail for XDP, bpf_skb_change_type and bpf_skb_pull_data for
 * sched_cls; the argument from a scalar register, masked to a range that
 * both succeeds and fails. */
static bool gen_pkt_helper(struct gen *g)
{
	static const struct {
		int32_t id, mask, bias;
	} xdp[] = {{BPF_FUNC_xdp_adjust_head, 511, -256},
		   {BPF_FUNC_xdp_adjust_meta, 255, -255},
		   {BPF_FUNC_xdp_adjust_tail, 4095, -2048}},
	  tc[] = {{BPF_FUNC_skb_change_type, 7, 0}, {BPF_FUNC_skb_pull_data, 2047, 0}};
	unsigned n = g->type == BPF_PROG_TYPE_XDP ? 3 : g->type == BPF_PROG_TYPE_SCHED_CLS ? 2 : 0, k;

	if (!n)
		return false;
	k = pick(g, n);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, scalar_reg(g), 0, 0);
	emit(g, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, n == 3 ? xdp[k].mask : tc[k].mask);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, n == 3 ? xdp[k].bias : tc[k].bias);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, n == 3 ? xdp[k].id : tc[k].id);
	reset_args(g);
	return true;
}

static void gen_helper(struct gen *g)
{
	if (pick(g, 3) == 0 && gen_pkt_helper(g))
		return;
	if (!g->opts->no_prandom && pick(g, 2)) {
		emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_prandom_u32);
		reset_args(g);
		return;
	}
	/* "v=%llx\n" and its NUL: eight bytes; the value first, while every
	 * argument register still holds a scalar (a pointer's printed
	 * address would differ between engines). */
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, scalar_reg(g), 0, 0);
	emit_ld64(g, BPF_REG_1, 0, 0x000a786c6c253d76ull);
	emit(g, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_1, -96, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, -96);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 8);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_trace_printk);
	reset_args(g);
}

/* Direct packet access behind a bounds check (sched_cls, xdp); a plain
 * context load for socket filters. */
static void gen_packet(struct gen *g)
{
	static const uint8_t sizes[] = {BPF_B, BPF_H, BPF_W, BPF_DW};
	static const int bytes[] = {1, 2, 4, 8};
	int16_t d_off, e_off;
	int32_t len = 1 + (int32_t)pick(g, 40);
	size_t jmp;

	if (g->type == BPF_PROG_TYPE_SOCKET_FILTER) {
		static const int16_t fields[] = {
		    offsetof(struct __sk_buff, len),	  offsetof(struct __sk_buff, protocol),
		    offsetof(struct __sk_buff, mark),	  offsetof(struct __sk_buff, ifindex),
		    offsetof(struct __sk_buff, priority), offsetof(struct __sk_buff, cb[0]),
		    offsetof(struct __sk_buff, cb[4]),
		};

		emit(g, BPF_LDX | BPF_MEM | BPF_W, scalar_reg(g), BPF_REG_6, fields[pick(g, 7)], 0);
		return;
	}
	if (g->type == BPF_PROG_TYPE_XDP) {
		d_off = offsetof(struct xdp_md, data);
		e_off = offsetof(struct xdp_md, data_end);
	} else {
		d_off = offsetof(struct __sk_buff, data);
		e_off = offsetof(struct __sk_buff, data_end);
	}
	emit(g, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_6, d_off, 0);
	emit(g, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_6, e_off, 0);
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_2, 0, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_4, 0, 0, len);
	jmp = g->cnt;
	emit(g, BPF_JMP | BPF_JGT | BPF_X, BPF_REG_4, BPF_REG_3, 0, 0);
	for (unsigned n = 1 + pick(g, 3); n; n--) {
		unsigned s = pick(g, 4);
		int16_t off;

		while (bytes[s] > len)
			s--;
		off = (int16_t)pick(g, (unsigned)(len - bytes[s] + 1));
		if (pick(g, 2))
			emit(g, BPF_LDX | BPF_MEM | sizes[s], (uint8_t)(7 + pick(g, 3)), BPF_REG_2, off, 0);
		else
			emit(g, BPF_STX | BPF_MEM | sizes[s], BPF_REG_2, (uint8_t)(7 + pick(g, 3)), off, 0);
	}
	if (jmp < g->cap)
		g->insns[jmp].off = (int16_t)(g->cnt - jmp - 1);
	for (uint8_t r = 2; r <= 4; r++)
		set_scalar(g, r);
}

/* bpf_tail_call(ctx, jmp, index): slot 0 holds the program itself (the
 * differential tester's convention), slots 1-3 are empty, 4 and up are out
 * of range; a call that falls through leaves r0 undefined, so it is set
 * again. */
static void gen_tail_call(struct gen *g)
{
	static const int32_t idx[] = {0, 0, 0, 1, 3, 4, -1};

	if (pick(g, 3)) {
		emit(g, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, idx[pick(g, sizeof(idx) / sizeof(idx[0]))]);
	} else {
		emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, scalar_reg(g), 0, 0);
		emit(g, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_3, 0, 0, 7);
	}
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit_ld64(g, BPF_REG_2, BPF_PSEUDO_MAP_FD, JMP_MAP);
	emit(g, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call);
	set_scalar(g, BPF_REG_0);
	reset_args(g);
}

/* Writes to the __sk_buff fields a test run hands back: cb[] for socket
 * filters, also mark and priority for sched_cls; a read of one of them
 * too. XDP programs compute instead. */
static void gen_ctx(struct gen *g)
{
	static const int16_t fields[] = {
	    offsetof(struct __sk_buff, cb[0]), offsetof(struct __sk_buff, cb[1]), offsetof(struct __sk_buff, cb[2]),
	    offsetof(struct __sk_buff, cb[3]), offsetof(struct __sk_buff, cb[4]), offsetof(struct __sk_buff, mark),
	    offsetof(struct __sk_buff, priority),
	};
	unsigned n = g->type == BPF_PROG_TYPE_SCHED_CLS ? 7 : 5;
	int16_t off = fields[pick(g, n)];

	if (g->type == BPF_PROG_TYPE_XDP) {
		gen_alu(g);
		return;
	}
	if (pick(g, 2))
		emit(g, BPF_STX | BPF_MEM | BPF_W, BPF_REG_6, scalar_reg(g), off, 0);
	else
		emit(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_6, 0, off, rand_imm(g));
	emit(g, BPF_LDX | BPF_MEM | BPF_W, scalar_reg(g), BPF_REG_6, fields[pick(g, n)], 0);
}

/* A call of the subprogram: r0 = sub(r1). */
static void gen_local_call(struct gen *g)
{
	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, scalar_reg(g), 0, 0);
	if (g->nsub_calls < sizeof(g->sub_calls) / sizeof(g->sub_calls[0]) && g->cnt < g->cap) {
		g->sub_calls[g->nsub_calls++] = g->cnt;
		emit(g, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
		g->has_sub = true;
	}
	reset_args(g);
}

static void gen_block(struct gen *g, int depth);

/* A forward conditional jump over one to three blocks (never an
 * unconditional one: the blocks it skips would be unreachable). */
static void gen_branch(struct gen *g, int depth)
{
	static const uint8_t ops[] = {BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
				      BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE};
	uint8_t op = ops[pick(g, sizeof(ops))], cls = pick(g, 2) ? BPF_JMP : BPF_JMP32;
	size_t jmp = g->cnt;

	if (pick(g, 2))
		emit(g, cls | op | BPF_X, scalar_reg(g), scalar_reg(g), 0, 0);
	else
		emit(g, cls | op | BPF_K, scalar_reg(g), 0, 0, rand_imm(g));
	for (unsigned n = 1 + pick(g, 3); n; n--)
		gen_block(g, depth + 1);
	if (jmp < g->cap)
		g->insns[jmp].off = (int16_t)(g->cnt - jmp - 1);
}

static void gen_block(struct gen *g, int depth)
{
	unsigned k = pick(g, 22);

	if (g->cnt + 40 > g->cap)
		return;
	if (k < 8)
		gen_alu(g);
	else if (k < 11)
		gen_stack(g);
	else if (k < 13 && depth < 3)
		gen_branch(g, depth);
	else if (k < 14)
		gen_map_lookup(g);
	else if (k < 15)
		gen_map_update(g);
	else if (k < 16)
		gen_helper(g);
	else if (k < 18)
		gen_packet(g);
	else if (k < 19)
		gen_local_call(g);
	else if (k < 20)
		gen_tail_call(g);
	else if (k < 21)
		gen_ctx(g);
	else
		gen_alu(g);
}

/* The subprogram: r0 = f(r1) with a branch, on its own frame. */
static void gen_sub(struct gen *g)
{
	size_t start = g->cnt, jmp;

	emit(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_1, 0, 0);
	emit(g, BPF_ALU64 | BPF_MUL | BPF_K, BPF_REG_0, 0, 0, rand_imm(g));
	emit(g, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_0, -8, 0);
	jmp = g->cnt;
	emit(g, BPF_JMP | BPF_JSGT | BPF_K, BPF_REG_1, 0, 1, rand_imm(g));
	emit(g, BPF_ALU | BPF_XOR | BPF_K, BPF_REG_0, 0, 0, rand_imm(g));
	emit(g, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_10, -8, 0);
	emit(g, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_0, BPF_REG_1, 0, 0);
	emit(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	(void)jmp;
	for (size_t i = 0; i < g->nsub_calls; i++)
		g->insns[g->sub_calls[i]].imm = (int32_t)(start - g->sub_calls[i] - 1);
}

int bpfs_diff_gen(uint64_t seed, unsigned idx, const struct bpfs_diff_gen_opts *opts, struct bpf_insn **insns,
		  size_t *cnt, uint32_t *prog_type)
{
	static const uint32_t types[] = {BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_XDP};
	static const struct bpfs_diff_gen_opts defaults;
	struct gen g = {.cap = MAX_INSNS, .opts = opts ? opts : &defaults};
	unsigned nblocks;

	g.rs = seed ^ ((uint64_t)idx * 0xa0761d6478bd642full);
	rnd(&g);
	g.insns = calloc(MAX_INSNS, sizeof(*g.insns));
	if (!g.insns)
		return -ENOMEM;
	g.type = types[pick(&g, 3)];
	emit(&g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0);
	for (uint8_t r = 0; r <= 9; r++)
		if (r != 1 && r != 6)
			set_scalar(&g, r);
	set_scalar(&g, BPF_REG_1);
	for (int16_t off = -64; off < 0; off += 8)
		emit(&g, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, scalar_reg(&g), off, 0);
	nblocks = 4 + pick(&g, 20);
	for (unsigned i = 0; i < nblocks; i++)
		gen_block(&g, 0);
	emit(&g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (g.has_sub)
		gen_sub(&g);
	*insns = g.insns;
	*cnt = g.cnt;
	*prog_type = g.type;
	return 0;
}
