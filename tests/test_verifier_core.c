/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the verifier's core: tnum operations and scalar range
 * arithmetic checked against brute force on small values (soundness: the
 * abstract result must contain every concrete result), and end-to-end
 * programs accepted or rejected with the expected message, including a
 * check that state pruning saves work on a branchy program.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "analysis.h"
#include "insn_macros.h"
#include "testutil.h"
#include "verifier_int.h"

/* ---------------------------------------------------------------------- */
/* tnums */

/* All tnums of `bits` bits: each bit 0, 1 or unknown. */
static GArray *all_tnums(int bits)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct tnum));
	int n = 1;

	for (int i = 0; i < bits; i++)
		n *= 3;
	for (int k = 0; k < n; k++) {
		struct tnum t = { 0, 0 };
		int c = k;

		for (int i = 0; i < bits; i++, c /= 3) {
			if (c % 3 == 1)
				t.value |= 1ull << i;
			else if (c % 3 == 2)
				t.mask |= 1ull << i;
		}
		g_array_append_val(a, t);
	}
	return a;
}

/* Members of a small tnum */
static int members(struct tnum t, uint64_t *out)
{
	int n = 0;

	for (uint64_t v = 0; v < 64; v++)
		if (tnum_contains(t, v))
			out[n++] = v;
	return n;
}

enum top { T_ADD, T_SUB, T_AND, T_OR, T_XOR, T_MUL };

static uint64_t concrete(enum top op, uint64_t x, uint64_t y)
{
	switch (op) {
	case T_ADD: return x + y;
	case T_SUB: return x - y;
	case T_AND: return x & y;
	case T_OR: return x | y;
	case T_XOR: return x ^ y;
	default: return x * y;
	}
}

static struct tnum abstract(enum top op, struct tnum a, struct tnum b)
{
	switch (op) {
	case T_ADD: return tnum_add(a, b);
	case T_SUB: return tnum_sub(a, b);
	case T_AND: return tnum_and(a, b);
	case T_OR: return tnum_or(a, b);
	case T_XOR: return tnum_xor(a, b);
	default: return tnum_mul(a, b);
	}
}

static void test_tnum_binary(void)
{
	GArray *ts = all_tnums(4);
	uint64_t ma[64], mb[64];

	for (enum top op = T_ADD; op <= T_MUL; op++) {
		for (guint i = 0; i < ts->len; i++) {
			struct tnum a = g_array_index(ts, struct tnum, i);
			int na = members(a, ma);

			for (guint j = 0; j < ts->len; j++) {
				struct tnum b = g_array_index(ts, struct tnum, j);
				struct tnum r = abstract(op, a, b);
				int nb = members(b, mb);

				g_assert_cmpuint(r.value & r.mask, ==, 0);
				for (int x = 0; x < na; x++)
					for (int y = 0; y < nb; y++)
						if (!tnum_contains(r, concrete(op, ma[x], mb[y])))
							g_error("tnum op %d unsound: (%#llx;%#llx) (%#llx;%#llx) x=%llu y=%llu",
								op, (unsigned long long)a.value, (unsigned long long)a.mask,
								(unsigned long long)b.value, (unsigned long long)b.mask,
								(unsigned long long)ma[x], (unsigned long long)mb[y]);
			}
		}
	}
	g_array_free(ts, TRUE);
}

static void test_tnum_shifts(void)
{
	GArray *ts = all_tnums(5);
	uint64_t m[64];

	for (guint i = 0; i < ts->len; i++) {
		struct tnum a = g_array_index(ts, struct tnum, i);
		int n = members(a, m);
		/* the same value sign-extended from bit 4, as a 32-bit number */
		struct tnum s = a;

		if (a.value & 0x10)
			s.value |= 0xffffffe0u;
		if (a.mask & 0x10)
			s.mask |= 0xffffffe0u;
		for (uint8_t k = 0; k < 6; k++) {
			struct tnum l = tnum_lshift(a, k), r = tnum_rshift(a, k), ar = tnum_arshift(s, k, 32);

			for (int x = 0; x < n; x++) {
				uint32_t sx = (uint32_t)m[x] | ((m[x] & 0x10) ? 0xffffffe0u : 0);

				g_assert_true(tnum_contains(l, m[x] << k));
				g_assert_true(tnum_contains(r, m[x] >> k));
				g_assert_true(tnum_contains(ar, (uint32_t)((int32_t)sx >> k)));
			}
		}
	}
	g_array_free(ts, TRUE);
}

static void test_tnum_range_in(void)
{
	for (uint64_t lo = 0; lo < 40; lo++) {
		for (uint64_t hi = lo; hi < 40; hi++) {
			struct tnum t = tnum_range(lo, hi);

			for (uint64_t v = lo; v <= hi; v++)
				g_assert_true(tnum_contains(t, v));
		}
	}
	g_assert_true(tnum_in(tnum_range(0, 15), tnum_const(7)));
	g_assert_false(tnum_in(tnum_const(7), tnum_range(0, 15)));
	g_assert_true(tnum_in(tnum_unknown, TNUM(4, 3)));
	g_assert_true(tnum_is_const(tnum_intersect(TNUM(4, 3), TNUM(5, 0))));
}

/* ---------------------------------------------------------------------- */
/* Scalar ranges */

static bool reg_contains(const struct reg_state *r, uint64_t v)
{
	return tnum_contains(r->var_off, v) && r->smin <= (int64_t)v && (int64_t)v <= r->smax && r->umin <= v &&
	       v <= r->umax && r->s32_min <= (int32_t)v && (int32_t)v <= r->s32_max && r->u32_min <= (uint32_t)v &&
	       (uint32_t)v <= r->u32_max;
}

/* A scalar holding exactly the signed interval [lo, hi] (as far as the
 * domain can say) */
static struct reg_state range_reg(int64_t lo, int64_t hi)
{
	struct reg_state r;

	reg_mark_unknown_scalar(&r);
	r.smin = lo;
	r.smax = hi;
	reg_bounds_sync(&r);
	return r;
}

static uint64_t alu_concrete(uint8_t op, uint64_t x, uint64_t y, bool is32)
{
	if (is32) {
		uint32_t a = (uint32_t)x, b = (uint32_t)y;

		switch (op) {
		case BPF_ADD: return (uint32_t)(a + b);
		case BPF_SUB: return (uint32_t)(a - b);
		case BPF_MUL: return (uint32_t)(a * b);
		case BPF_AND: return a & b;
		case BPF_OR: return a | b;
		case BPF_XOR: return a ^ b;
		case BPF_LSH: return (uint32_t)(a << b);
		case BPF_RSH: return a >> b;
		default: return (uint32_t)((int32_t)a >> b);
		}
	}
	switch (op) {
	case BPF_ADD: return x + y;
	case BPF_SUB: return x - y;
	case BPF_MUL: return x * y;
	case BPF_AND: return x & y;
	case BPF_OR: return x | y;
	case BPF_XOR: return x ^ y;
	case BPF_LSH: return x << y;
	case BPF_RSH: return x >> y;
	default: return (uint64_t)((int64_t)x >> y);
	}
}

static void test_bounds_alu(void)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH, BPF_ARSH };
	GRand *rnd = g_rand_new_with_seed(7);

	for (int iter = 0; iter < 3000; iter++) {
		int64_t alo = g_rand_int_range(rnd, -20, 20), ahi = alo + g_rand_int_range(rnd, 0, 12);
		int64_t blo = g_rand_int_range(rnd, -20, 20), bhi = blo + g_rand_int_range(rnd, 0, 12);
		uint8_t op = ops[iter % G_N_ELEMENTS(ops)];
		bool is32 = (iter / G_N_ELEMENTS(ops)) % 2;

		if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) {
			blo = g_rand_int_range(rnd, 0, 6);
			bhi = blo + g_rand_int_range(rnd, 0, 3);
		}
		struct reg_state a = range_reg(alo, ahi), b = range_reg(blo, bhi), r = a;

		g_assert_cmpint(scalar_alu(&r, &b, op, is32), ==, 0);
		for (int64_t x = alo; x <= ahi; x++) {
			for (int64_t y = blo; y <= bhi; y++) {
				uint64_t v = alu_concrete(op, (uint64_t)x, (uint64_t)y, is32);

				if (!reg_contains(&r, v))
					g_error("alu op %#x%s unsound: [%lld,%lld] op [%lld,%lld]: %lld op %lld = %#llx not in "
						"s[%lld,%lld] u[%llu,%llu] t(%#llx;%#llx)",
						op, is32 ? "/32" : "", (long long)alo, (long long)ahi, (long long)blo,
						(long long)bhi, (long long)x, (long long)y, (unsigned long long)v,
						(long long)r.smin, (long long)r.smax, (unsigned long long)r.umin,
						(unsigned long long)r.umax, (unsigned long long)r.var_off.value,
						(unsigned long long)r.var_off.mask);
			}
		}
	}
	g_rand_free(rnd);
}

/* `r <<= 32; r s>>= 32` sign-extends the low half: bounds survive */
static void test_bounds_lsh32(void)
{
	for (int64_t lo = -6; lo <= 6; lo++) {
		for (int64_t hi = lo; hi <= 6; hi++) {
			struct reg_state r = range_reg(lo, hi), k;

			reg_mark_known(&k, 32);
			g_assert_cmpint(scalar_alu(&r, &k, BPF_LSH, false), ==, 0);
			for (int64_t x = lo; x <= hi; x++)
				g_assert_true(reg_contains(&r, (uint64_t)x << 32));
			g_assert_cmpint(scalar_alu(&r, &k, BPF_ARSH, false), ==, 0);
			for (int64_t x = lo; x <= hi; x++)
				g_assert_true(reg_contains(&r, (uint64_t)x));
			g_assert_cmpint(r.smin, ==, lo);
			g_assert_cmpint(r.smax, ==, hi);
		}
	}
}

static bool jmp_concrete(uint8_t op, uint64_t x, uint64_t y, bool is32)
{
	if (is32) {
		x = (uint32_t)x;
		y = (uint32_t)y;
	}
	int64_t sx = is32 ? (int32_t)x : (int64_t)x, sy = is32 ? (int32_t)y : (int64_t)y;

	switch (op) {
	case BPF_JEQ: return x == y;
	case BPF_JNE: return x != y;
	case BPF_JGT: return x > y;
	case BPF_JGE: return x >= y;
	case BPF_JLT: return x < y;
	case BPF_JLE: return x <= y;
	case BPF_JSGT: return sx > sy;
	case BPF_JSGE: return sx >= sy;
	case BPF_JSLT: return sx < sy;
	case BPF_JSLE: return sx <= sy;
	default: return (x & y) != 0;
	}
}

/* For every jump op and both arms: the narrowed ranges keep every pair of
 * values that takes the arm; a decided outcome holds for every pair. */
static void test_bounds_refine(void)
{
	static const uint8_t ops[] = { BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE,
				       BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET };
	GRand *rnd = g_rand_new_with_seed(11);

	for (int iter = 0; iter < 6000; iter++) {
		int64_t alo = g_rand_int_range(rnd, -12, 12), ahi = alo + g_rand_int_range(rnd, 0, 10);
		int64_t blo = g_rand_int_range(rnd, -12, 12), bhi = blo + g_rand_int_range(rnd, 0, 4);
		uint8_t op = ops[iter % G_N_ELEMENTS(ops)];
		bool is32 = iter % 3 == 0;
		struct reg_state a = range_reg(alo, ahi), b = range_reg(blo, bhi);
		int taken = scalar_branch_taken(&a, &b, op, is32);

		for (int arm = 0; arm < 2; arm++) {
			struct reg_state ra = a, rb = b;
			bool feasible = scalar_refine(&ra, &rb, op, is32, arm);

			for (int64_t x = alo; x <= ahi; x++) {
				for (int64_t y = blo; y <= bhi; y++) {
					bool c = jmp_concrete(op, (uint64_t)x, (uint64_t)y, is32);

					if (taken >= 0)
						g_assert_cmpint(c, ==, taken);
					if (c != (bool)arm)
						continue;
					if (!feasible || !reg_contains(&ra, (uint64_t)x) || !reg_contains(&rb, (uint64_t)y))
						g_error("refine op %#x%s arm %d unsound: a=[%lld,%lld] b=[%lld,%lld] x=%lld y=%lld",
							op, is32 ? "/32" : "", arm, (long long)alo, (long long)ahi,
							(long long)blo, (long long)bhi, (long long)x, (long long)y);
				}
			}
		}
	}
	g_rand_free(rnd);
}

/* ---------------------------------------------------------------------- */
/* End-to-end programs */

enum { M_ARRAY, M_HASH, M_PROGS, M_RINGBUF, M_COUNT };

static const struct bpfs_map_spec test_maps[M_COUNT] = {
	[M_ARRAY] = { .name = "arr", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4, .inner_map = -1 },
	[M_HASH] = { .name = "hash", .type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 8, .max_entries = 16, .inner_map = -1 },
	[M_PROGS] = { .name = "progs", .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4, .inner_map = -1 },
	[M_RINGBUF] = { .name = "rb", .type = BPF_MAP_TYPE_RINGBUF, .key_size = 0, .value_size = 0, .max_entries = 4096, .inner_map = -1 },
};

struct e2e {
	const char *name;
	struct bpf_insn insns[64];
	uint32_t prog_type;
	enum bpfs_profile profile;
	bool unpriv;
	const char *license; /* NULL: "GPL" */
	const char *err;     /* NULL: must be accepted; else a substring of msg or log */
};

#define SKF BPF_PROG_TYPE_SOCKET_FILTER
#define XDP BPF_PROG_TYPE_XDP
#define TC BPF_PROG_TYPE_SCHED_CLS
#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R10 BPF_REG_10
#define RET0 BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN()
/* r2 = fp - 8 holding a zero key; r1 = map */
#define KEY0(MAP) BPF_ST_MEM(BPF_DW, R10, -8, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8), \
	BPF_LD_MAP_FD(R1, MAP)
#define LOOKUP(MAP) KEY0(MAP), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem)
/* r2 = data, r3 = data_end for xdp */
#define XDP_DATA BPF_LDX_MEM(BPF_W, R2, R1, 0), BPF_LDX_MEM(BPF_W, R3, R1, 4)

static const struct e2e cases[] = {
	{ .name = "return zero", .insns = { RET0 } },
	{ .name = "exit without r0", .insns = { BPF_EXIT_INSN() }, .err = "R0 !read_ok" },
	{ .name = "read of an unset register", .insns = { BPF_MOV64_REG(R0, R2), BPF_EXIT_INSN() }, .err = "R2 !read_ok" },
	{ .name = "write to the frame pointer", .insns = { BPF_MOV64_IMM(R10, 0), RET0 }, .err = "frame pointer is read only" },
	{ .name = "stack store and load", .insns = { BPF_ST_MEM(BPF_DW, R10, -8, 3), BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() } },
	{ .name = "uninitialised stack read, modern root", .insns = { BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() } },
	{ .name = "uninitialised stack read, 3.18", .insns = { BPF_LDX_MEM(BPF_DW, R0, R10, -8), BPF_EXIT_INSN() },
	  .profile = BPFS_PROFILE_3_18, .err = "invalid read from stack off -8+0 size 8" },
	{ .name = "stack write below the frame", .insns = { BPF_ST_MEM(BPF_DW, R10, -520, 0), RET0 },
	  .err = "invalid write to stack R10 off=-520 size=8" },
	{ .name = "misaligned stack store", .insns = { BPF_ST_MEM(BPF_DW, R10, -12, 0), RET0 }, .err = "misaligned stack access" },
	{ .name = "lookup result used without null check", .insns = { LOOKUP(M_HASH), BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() },
	  .err = "R0 invalid mem access 'map_value_or_null'" },
	{ .name = "lookup result after null check", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
					      BPF_LDX_MEM(BPF_DW, R0, R0, 0), RET0 } },
	{ .name = "map value read past its end", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
					   BPF_LDX_MEM(BPF_DW, R0, R0, 8), RET0 },
	  .err = "invalid access to map value, value_size=8 off=8 size=8" },
	/* the key is a 4-byte zero: an 8-byte spill of zero is not a 4-byte key to the kernel */
	{ .name = "array lookup with a constant key needs no null check",
	  .insns = { BPF_ST_MEM(BPF_W, R10, -4, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -4),
		     BPF_LD_MAP_FD(R1, M_ARRAY), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), BPF_LDX_MEM(BPF_DW, R0, R0, 0),
		     BPF_EXIT_INSN() } },
	{ .name = "null check resolves copies", .insns = { LOOKUP(M_HASH), BPF_MOV64_REG(R6, R0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
					  BPF_LDX_MEM(BPF_DW, R0, R6, 0), RET0 } },
	{ .name = "map value with an unbounded offset", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 4), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R1, R0),
	    BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN(), RET0 } },
	{ .name = "map value with a bounded variable offset", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 6), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_ALU64_IMM(BPF_AND, R0, 7), BPF_ALU64_REG(BPF_ADD, R6, R0), BPF_LDX_MEM(BPF_B, R0, R6, 0),
	    BPF_EXIT_INSN(), RET0 } },
	{ .name = "map value with a variable offset past the end", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 6), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_ALU64_IMM(BPF_AND, R0, 7), BPF_ALU64_REG(BPF_ADD, R6, R0), BPF_LDX_MEM(BPF_W, R0, R6, 0),
	    BPF_EXIT_INSN(), RET0 },
	  .err = "R6 max value is outside of the allowed memory range" },
	{ .name = "bounds from a comparison on a copy", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 7), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_MOV64_REG(R2, R0), BPF_JMP_IMM(BPF_JGT, R2, 7, 3), BPF_ALU64_REG(BPF_ADD, R6, R0),
	    BPF_LDX_MEM(BPF_B, R0, R6, 0), BPF_EXIT_INSN(), RET0 } },
	{ .name = "scalar dereference", .insns = { BPF_MOV64_IMM(R1, 0), BPF_LDX_MEM(BPF_DW, R0, R1, 0), BPF_EXIT_INSN() },
	  .err = "R1 invalid mem access 'scalar'" },
	{ .name = "skb len read", .insns = { BPF_LDX_MEM(BPF_W, R0, R1, 0), BPF_EXIT_INSN() } },
	{ .name = "skb read past the context", .insns = { BPF_LDX_MEM(BPF_W, R0, R1, 200), BPF_EXIT_INSN() },
	  .err = "invalid bpf_context access off=200 size=4" },
	{ .name = "xdp packet read after a bounds check", .insns = { XDP_DATA, BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 14), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
	    BPF_LDX_MEM(BPF_B, R0, R2, 13), RET0 },
	  .prog_type = XDP },
	{ .name = "xdp packet read past the checked range", .insns = { XDP_DATA, BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 14), BPF_JMP_REG(BPF_JGT, R4, R3, 1),
	    BPF_LDX_MEM(BPF_B, R0, R2, 14), RET0 },
	  .prog_type = XDP, .err = "invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)" },
	{ .name = "packet pointers invalid after adjust_head", .insns = { BPF_MOV64_REG(R6, R1), XDP_DATA, BPF_MOV64_REG(R7, R2), BPF_MOV64_REG(R4, R2), BPF_ALU64_IMM(BPF_ADD, R4, 14),
	    BPF_JMP_REG(BPF_JGT, R4, R3, 4), BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, 0),
	    BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head), BPF_LDX_MEM(BPF_B, R0, R7, 0), RET0 },
	  .prog_type = XDP, .err = "R7 invalid mem access 'scalar'" },
	{ .name = "map pointer arithmetic", .insns = { BPF_LD_MAP_FD(R1, M_HASH), BPF_ALU64_IMM(BPF_ADD, R1, 1), RET0 },
	  .err = "R1 pointer arithmetic on map_ptr prohibited" },
	{ .name = "bitwise operator on a pointer", .insns = { BPF_ALU64_IMM(BPF_AND, R1, 1), RET0 },
	  .err = "R1 bitwise operator &= on pointer prohibited" },
	{ .name = "32-bit pointer arithmetic", .insns = { BPF_ALU32_IMM(BPF_ADD, R1, 1), RET0 },
	  .err = "R1 32-bit pointer arithmetic prohibited" },
	{ .name = "division by a zero immediate", .insns = { BPF_MOV64_IMM(R0, 1), BPF_ALU64_IMM(BPF_DIV, R0, 0), BPF_EXIT_INSN() },
	  .err = "div by zero" },
	{ .name = "unknown helper", .insns = { BPF_EMIT_CALL(100000), RET0 }, .err = "invalid func unknown#100000" },
	{ .name = "helper of another program type", .insns = { BPF_EMIT_CALL(BPF_FUNC_skb_store_bytes), RET0 },
	  .err = "program of this type cannot use helper bpf_skb_store_bytes#9" },
	{ .name = "GPL-only helper without GPL", .insns = { BPF_EMIT_CALL(BPF_FUNC_get_current_task), RET0 },
	  .prog_type = BPF_PROG_TYPE_KPROBE, .license = "Proprietary",
	  .err = "cannot call GPL-restricted function from non-GPL compatible program" },
	{ .name = "map argument of the wrong type", .insns = { BPF_MOV64_REG(R1, R10), BPF_MOV64_REG(R2, R10),
					      BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), RET0 },
	  .err = "R1 type=fp expected=map_ptr" },
	{ .name = "uninitialised key, 3.18", .insns = { BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -8), BPF_LD_MAP_FD(R1, M_HASH),
	    BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), RET0 },
	  .profile = BPFS_PROFILE_3_18, .err = "invalid indirect read from stack R2 off -8+0 size 8" },
	{ .name = "tail call through a hash map", .insns = { BPF_LD_MAP_FD(R2, M_HASH), BPF_MOV64_IMM(R3, 0),
					    BPF_EMIT_CALL(BPF_FUNC_tail_call), RET0 },
	  .err = "expected prog array map for tail call" },
	{ .name = "tail call", .insns = { BPF_LD_MAP_FD(R2, M_PROGS), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_tail_call), RET0 } },
	{ .name = "cgroup_skb return value out of range", .insns = { BPF_MOV64_IMM(R0, 5), BPF_EXIT_INSN() },
	  .prog_type = BPF_PROG_TYPE_CGROUP_SKB,
	  .err = "At program exit the register R0 has smin=5 smax=5 should have been in [0, 3]" }, /* egress allows 3 */
	{ .name = "pointer returned unprivileged", .insns = { BPF_MOV64_REG(R0, R10), BPF_EXIT_INSN() }, .unpriv = true,
	  .err = "R0 leaks addr as return value" },
	{ .name = "unreachable instruction", .insns = { RET0, RET0 }, .err = "unreachable insn 2" },
	{ .name = "back-edge in 3.18", .insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_A(-2), BPF_EXIT_INSN() }, .profile = BPFS_PROFILE_3_18,
	  .err = "back-edge from insn" },
	{ .name = "bounded loop", .insns = { BPF_MOV64_IMM(R0, 0), BPF_ALU64_IMM(BPF_ADD, R0, 1), BPF_JMP_IMM(BPF_JLT, R0, 10, -2),
			    BPF_EXIT_INSN() } },
	{ .name = "loop without progress", .insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, -1), BPF_EXIT_INSN() },
	  .err = "infinite loop detected" },
	{ .name = "bpf-to-bpf call", .insns = { BPF_MOV64_IMM(R1, 2), BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_REG(R0, R1),
			       BPF_EXIT_INSN() } },
	{ .name = "stack pointer returned to the caller", .insns = { BPF_CALL_REL(1), BPF_EXIT_INSN(), BPF_MOV64_REG(R0, R10),
						    BPF_EXIT_INSN() },
	  .err = "cannot return stack pointer to the caller frame" },
	{ .name = "pointer spill and fill keep the type", .insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_LDX_MEM(BPF_DW, R2, R10, -8),
						    BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() } },
	{ .name = "partial overwrite destroys a spill", .insns = { BPF_STX_MEM(BPF_DW, R10, R1, -8), BPF_ST_MEM(BPF_W, R10, -8, 0), BPF_LDX_MEM(BPF_DW, R2, R10, -8),
	    BPF_LDX_MEM(BPF_W, R0, R2, 0), BPF_EXIT_INSN() },
	  .err = "R2 invalid mem access 'scalar'" },
	{ .name = "a spilled constant stays constant", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 5), BPF_ST_MEM(BPF_DW, R10, -16, 4),
	    BPF_LDX_MEM(BPF_DW, R1, R10, -16), BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_LDX_MEM(BPF_W, R0, R0, 0),
	    BPF_EXIT_INSN(), RET0 } },
	{ .name = "dead branch is not walked", .insns = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1),
					 BPF_LDX_MEM(BPF_DW, R0, R0, 0), BPF_EXIT_INSN() } },
	{ .name = "LD_ABS in xdp", .insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() }, .prog_type = XDP,
	  .err = "BPF_LD_[ABS|IND] instructions not allowed for this program type" },
	{ .name = "LD_ABS in a socket filter", .insns = { BPF_MOV64_REG(R6, R1), BPF_LD_ABS(BPF_B, 0), BPF_EXIT_INSN() } },
	{ .name = "ring buffer record without null check", .insns = { BPF_LD_MAP_FD(R1, M_RINGBUF), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
	    BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_ST_MEM(BPF_DW, R0, 0, 0), RET0 },
	  .err = "R0 invalid mem access 'ringbuf_mem_or_null'" },
	{ .name = "ring buffer record submitted",
	  .insns = { BPF_LD_MAP_FD(R1, M_RINGBUF), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
	    BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_JMP_IMM(BPF_JEQ, R0, 0, 6), BPF_ST_MEM(BPF_DW, R0, 0, 0),
	    BPF_MOV64_REG(R1, R0), BPF_MOV64_IMM(R2, 0), BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit), RET0, RET0 } },
	{ .name = "ring buffer record never released",
	  .insns = { BPF_LD_MAP_FD(R1, M_RINGBUF), BPF_MOV64_IMM(R2, 8), BPF_MOV64_IMM(R3, 0),
	    BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), BPF_JMP_IMM(BPF_JEQ, R0, 0, 1), BPF_ST_MEM(BPF_DW, R0, 0, 0), RET0 },
	  .err = "Unreleased reference id=" },
	{ .name = "probe_read_kernel with a size that may be negative", .insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOVSX64_REG(R2, R0, 32), BPF_MOV64_REG(R1, R10),
	    BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R3, 0), BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), RET0 },
	  .prog_type = BPF_PROG_TYPE_KPROBE, .err = "R2 min value is negative" },
	{ .name = "probe_read_kernel into a bounded buffer", .insns = { BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32), BPF_MOV64_REG(R2, R0), BPF_ALU64_IMM(BPF_AND, R2, 7),
	    BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_MOV64_IMM(R3, 0),
	    BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel), RET0 },
	  .prog_type = BPF_PROG_TYPE_KPROBE },
	{ .name = "32-bit bounds from a JMP32", .insns = { LOOKUP(M_HASH), BPF_JMP_IMM(BPF_JEQ, R0, 0, 7), BPF_MOV64_REG(R6, R0), BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_MOV32_REG(R2, R0), BPF_JMP32_IMM(BPF_JGT, R2, 7, 3), BPF_ALU64_REG(BPF_ADD, R6, R2),
	    BPF_LDX_MEM(BPF_B, R0, R6, 0), BPF_EXIT_INSN(), RET0 } },
};

static void run_case(gconstpointer data)
{
	const struct e2e *c = data;
	struct bpfs_verifier_opts o = { 0 };
	struct bpfs_verdict v;
	size_t n = G_N_ELEMENTS(c->insns);

	while (n && !c->insns[n - 1].code && !c->insns[n - 1].imm && !c->insns[n - 1].dst_reg)
		n--;
	/* the second slot of a trailing LD_IMM64 is all zero: keep it */
	if (n >= 1 && bpfs_insn_is_ldimm64(&c->insns[n - 1]))
		n++;
	o.prog_type = c->prog_type ? c->prog_type : SKF;
	o.maps = test_maps;
	o.map_cnt = M_COUNT;
	o.license = c->license ? c->license : "GPL";
	o.log_level = 1;
	o.profile = c->profile;
	o.unpriv = c->unpriv;
	g_assert_cmpint(bpfs_verify(c->insns, n, &o, &v), ==, 0);
	if (!c->err) {
		if (!v.accepted)
			g_error("%s: rejected at insn %d: %s\n%s", c->name, v.insn, v.msg, v.log);
	} else {
		if (v.accepted)
			g_error("%s: accepted, expected \"%s\"\n%s", c->name, c->err, v.log);
		if (!strstr(v.msg, c->err) && !strstr(v.log ? v.log : "", c->err))
			g_error("%s: \"%s\" not in \"%s\"\n%s", c->name, c->err, v.msg, v.log);
		g_assert_cmpint(v.err, <, 0);
	}
	bpfs_verdict_release(&v);
}

/* ---------------------------------------------------------------------- */
/* Pruning and logs */

/* A chain of diamonds: each `if r0 & (1 << i)` sets r3 and r4 (never used) on one side.
 * Without pruning every combination is walked (2^n paths); with it the
 * states at each join subsume each other. Linux 6.18 processes 82 insns
 * for 12 diamonds (8 snapshots), as bpfscope does with the kernel's prune
 * points and snapshot heuristic. */
static size_t build_diamonds(struct bpf_insn *p, int n)
{
	size_t k = 0;

	p[k++] = BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32);
	for (int i = 0; i < n; i++) {
		p[k++] = BPF_JMP_IMM(BPF_JSET, R0, 1 << i, 1);
		p[k++] = BPF_MOV64_IMM(R3, i);
		p[k++] = BPF_MOV64_IMM(R4, i);
	}
	p[k++] = BPF_MOV64_IMM(R0, 0);
	p[k++] = BPF_EXIT_INSN();
	return k;
}

static uint64_t processed(const struct bpf_insn *p, size_t n, bool no_prune)
{
	struct bpfs_verifier_opts o = { .prog_type = SKF, .license = "GPL", .no_prune = no_prune };
	struct bpfs_verdict v;
	uint64_t r;

	g_assert_cmpint(bpfs_verify(p, n, &o, &v), ==, 0);
	g_assert_true(v.accepted);
	r = v.stats.processed_insns;
	bpfs_verdict_release(&v);
	return r;
}

static void test_pruning(void)
{
	struct bpf_insn p[128];
	size_t n = build_diamonds(p, 12);
	uint64_t with = processed(p, n, false), without = processed(p, n, true);

	g_test_message("diamonds: %llu insns processed with pruning, %llu without", (unsigned long long)with,
		       (unsigned long long)without);
	g_assert_cmpuint(with * 200, <, without);
	g_assert_cmpuint(with, <=, 90);
}

static void test_insn_limit(void)
{
	struct bpf_insn p[128];
	size_t n = build_diamonds(p, 12);
	struct bpfs_verifier_opts o = { .prog_type = SKF, .no_prune = true, .insn_limit = 1000 };
	struct bpfs_verdict v;

	g_assert_cmpint(bpfs_verify(p, n, &o, &v), ==, 0);
	g_assert_false(v.accepted);
	g_assert_cmpint(v.err, ==, -E2BIG);
	g_assert_cmpstr(v.msg, ==, "BPF program is too large. Processed 1001 insn");
	bpfs_verdict_release(&v);
}

/* The context accesses an accepted program reports, as the runtime
 * converts them: tc's packet bounds, a field read and a field written;
 * a load through a copy of the context, and one that is not through it */
static void test_ctx_accesses(void)
{
	struct bpf_insn p[] = {
		BPF_MOV64_REG(BPF_REG_6, R1),
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_6, offsetof(struct __sk_buff, data)),
		BPF_LDX_MEM(BPF_W, BPF_REG_3, R1, offsetof(struct __sk_buff, data_end)),
		BPF_LDX_MEM(BPF_W, BPF_REG_4, R1, offsetof(struct __sk_buff, mark)),
		BPF_ST_MEM(BPF_W, R1, offsetof(struct __sk_buff, priority), 1),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0),
		BPF_LDX_MEM(BPF_DW, R0, BPF_REG_10, -8),
		BPF_EXIT_INSN(),
	};
	static const uint8_t want[] = { BPFS_CTX_NONE, BPFS_CTX_PKT, BPFS_CTX_PKT_END, BPFS_CTX_FIELD,
					BPFS_CTX_FIELD, BPFS_CTX_NONE, BPFS_CTX_NONE, BPFS_CTX_NONE };
	struct bpfs_verifier_opts o = { .prog_type = BPF_PROG_TYPE_SCHED_CLS, .want_ctx_accesses = true };
	struct bpfs_verdict v;

	g_assert_cmpint(bpfs_verify(p, G_N_ELEMENTS(p), &o, &v), ==, 0);
	g_assert_true(v.accepted);
	g_assert_nonnull(v.ctx_access);
	for (size_t i = 0; i < G_N_ELEMENTS(p); i++)
		g_assert_cmpuint(v.ctx_access[i], ==, want[i]);
	bpfs_verdict_release(&v);
	o.want_ctx_accesses = false;
	g_assert_cmpint(bpfs_verify(p, G_N_ELEMENTS(p), &o, &v), ==, 0);
	g_assert_null(v.ctx_access);
	bpfs_verdict_release(&v);
}

static void test_log(void)
{
	struct bpf_insn p[] = { BPF_MOV64_IMM(R0, 0), BPF_JMP_IMM(BPF_JGT, R1, 3, 0), BPF_EXIT_INSN() };
	struct bpfs_verifier_opts o = { .prog_type = BPF_PROG_TYPE_KPROBE, .log_level = 2 };
	struct bpfs_verdict v;

	p[1] = BPF_MOV64_IMM(R2, 7);
	g_assert_cmpint(bpfs_verify(p, G_N_ELEMENTS(p), &o, &v), ==, 0);
	g_assert_true(v.accepted);
	g_assert_nonnull(v.log);
	g_assert_nonnull(strstr(v.log, "0: (b7) r0 = 0"));
	g_assert_nonnull(strstr(v.log, "R1=ctx()"));
	g_assert_nonnull(strstr(v.log, "R2=7"));
	g_assert_nonnull(strstr(v.log, "processed 3 insns (limit 1000000)"));
	g_assert_cmpuint(v.stats.processed_insns, ==, 3);
	bpfs_verdict_release(&v);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/verifier/core/tnum/binary", test_tnum_binary);
	g_test_add_func("/verifier/core/tnum/shifts", test_tnum_shifts);
	g_test_add_func("/verifier/core/tnum/range", test_tnum_range_in);
	g_test_add_func("/verifier/core/bounds/alu", test_bounds_alu);
	g_test_add_func("/verifier/core/bounds/lsh32", test_bounds_lsh32);
	g_test_add_func("/verifier/core/bounds/refine", test_bounds_refine);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *path = g_strdup_printf("/verifier/core/e2e/%02zu", i);

		g_test_add_data_func(path, &cases[i], run_case);
		g_free(path);
	}
	g_test_add_func("/verifier/core/pruning", test_pruning);
	g_test_add_func("/verifier/core/insn_limit", test_insn_limit);
	g_test_add_func("/verifier/core/log", test_log);
	g_test_add_func("/verifier/core/ctx_accesses", test_ctx_accesses);
	return g_test_run();
}
