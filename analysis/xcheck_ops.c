/* SPDX-License-Identifier: MIT */
/*
 * The operator audit: every abstract transfer function of the verifier
 * (bounds.c, tnum.c) checked against the concrete operation with Z3.
 *
 * For a sampled abstract input (a scalar register: tnum and the four
 * intervals, biased to edge cases: constants at the limits, ranges
 * crossing zero and the 32-bit and sign boundaries, sparse and dense
 * tnums), the verifier's own function computes the output; Z3 is asked
 * for concrete members of the inputs whose concrete result (RFC 9669
 * semantics, as in xcheck.c) lies outside it. Each such model is a
 * counterexample, reported with its concrete values. The operators:
 * scalar_alu for each op at 64 and 32 bits (tnum and ranges at once,
 * the output's every fact checked), scalar_refine and
 * scalar_branch_taken for every conditional jump at both widths (a
 * refined arm must keep every pair satisfying it; an arm declared
 * infeasible or a branch declared decided must be), reg_bounds_sync (it
 * only intersects with facts that hold), and the sign extensions and
 * truncations of MOVSX, LDSX and narrow loads.
 *
 * Where the tnum operation is a straight-line formula (add, sub, and,
 * or, xor, the shifts by any amount) it is restated in Z3 and proven for
 * all 64-bit inputs; the restatement is first compared with the C
 * function on the sampled tnums, so that the proof is about the code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "verifier_int.h"
#include "xcheck_int.h"

#ifndef BPFS_HAVE_Z3

int bpfs_xcheck_ops(const struct bpfs_xcheck_ops_opts *o, struct bpfs_xcheck_op_stat **stats, size_t *nstats)
{
	(void)o;
	(void)stats;
	(void)nstats;
	return -ENOTSUP;
}

#else

#define QUERY_MS 2000u  /* per sampled instance */
#define PROOF_MS 60000u /* per proof */

struct audit {
	Z3_context z;
	Z3_solver s;
	Z3_sort bv64;
	Z3_ast x, y, k; /* the concrete members, and a shift amount */
	uint64_t rng;
	const struct bpfs_xcheck_ops_opts *o;
	struct bpfs_xcheck_op_stat *st;
	size_t n, cap;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* splitmix64 */
static uint64_t rnd(struct audit *a)
{
	uint64_t z = (a->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static struct bpfs_xcheck_op_stat *new_stat(struct audit *a, const char *name)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		struct bpfs_xcheck_op_stat *p = realloc(a->st, cap * sizeof(*p));

		if (!p)
			return NULL;
		a->st = p;
		a->cap = cap;
	}
	memset(&a->st[a->n], 0, sizeof(a->st[a->n]));
	snprintf(a->st[a->n].name, sizeof(a->st[a->n].name), "%s", name);
	return &a->st[a->n++];
}

static Z3_ast c64(struct audit *a, uint64_t v)
{
	return xz_u64(a->z, v, 64);
}

static Z3_ast c32(struct audit *a, uint64_t v)
{
	return xz_u64(a->z, v & 0xffffffffu, 32);
}

static Z3_ast and_n(struct audit *a, Z3_ast *c, unsigned n)
{
	return Z3_mk_and(a->z, n, c);
}

/* x is a member of r: all five facts */
static Z3_ast member(struct audit *a, Z3_ast x, const struct reg_state *r)
{
	Z3_context z = a->z;
	Z3_ast lo = Z3_mk_extract(z, 31, 0, x);
	Z3_ast c[9] = {
		Z3_mk_eq(z, Z3_mk_bvand(z, x, c64(a, ~r->var_off.mask)), c64(a, r->var_off.value)),
		Z3_mk_bvsge(z, x, c64(a, (uint64_t)r->smin)),
		Z3_mk_bvsle(z, x, c64(a, (uint64_t)r->smax)),
		Z3_mk_bvuge(z, x, c64(a, r->umin)),
		Z3_mk_bvule(z, x, c64(a, r->umax)),
		Z3_mk_bvsge(z, lo, c32(a, (uint32_t)r->s32_min)),
		Z3_mk_bvsle(z, lo, c32(a, (uint32_t)r->s32_max)),
		Z3_mk_bvuge(z, lo, c32(a, r->u32_min)),
		Z3_mk_bvule(z, lo, c32(a, r->u32_max)),
	};

	return and_n(a, c, 9);
}

/* Checks that no model of pre violates post; a model is a
 * counterexample, described by what and the values of x, y. */
static void audit_query(struct audit *a, struct bpfs_xcheck_op_stat *st, Z3_ast pre, Z3_ast bad, const char *what,
			Z3_ast result)
{
	Z3_lbool r;

	Z3_solver_push(a->z, a->s);
	Z3_solver_assert(a->z, a->s, pre);
	Z3_solver_assert(a->z, a->s, bad);
	r = Z3_solver_check(a->z, a->s);
	if (r == Z3_L_UNDEF) {
		st->unknown++;
	} else if (r == Z3_L_TRUE) {
		Z3_model m = Z3_solver_get_model(a->z, a->s);
		char line[1400];

		Z3_model_inc_ref(a->z, m);
		st->counterexamples++;
		int n = snprintf(line, sizeof(line), "%s: %s: x=%#llx y=%#llx", st->name, what,
				 (unsigned long long)xz_eval_u64(a->z, m, a->x),
				 (unsigned long long)xz_eval_u64(a->z, m, a->y));

		if (result && n > 0 && (size_t)n < sizeof(line))
			snprintf(line + n, sizeof(line) - (size_t)n, " result=%#llx",
				 (unsigned long long)xz_eval_u64(a->z, m, result));
		if (a->o->report)
			a->o->report(line, a->o->data);
		Z3_model_dec_ref(a->z, m);
	}
	Z3_solver_pop(a->z, a->s, 1);
}

/* ---------------------------------------------------------------------- */
/* Sampling abstract values                                               */

static uint64_t edge(struct audit *a)
{
	static const uint64_t vals[] = {
		0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull, 0x1ffffffffull,
		0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
		~0ull, ~1ull, ~0x7full, ~0xffffffffull, 0xffffffff80000000ull, 0xffffffff7fffffffull,
	};
	uint64_t r = rnd(a);

	switch (r % 6) {
	case 0:
	case 1:
		return vals[(r >> 8) % (sizeof(vals) / sizeof(vals[0]))];
	case 2:
		return (r >> 8) % 80;
	case 3:
		return (uint64_t)-(int64_t)((r >> 8) % 80);
	case 4:
		return (uint32_t)rnd(a);
	default:
		return rnd(a);
	}
}

static uint64_t sparse_mask(struct audit *a)
{
	switch (rnd(a) % 4) {
	case 0: return rnd(a) & rnd(a) & rnd(a);
	case 1: return ((uint64_t)1 << (rnd(a) % 64)) - 1;
	case 2: return rnd(a) & 0xffffffffu;
	default: return rnd(a);
	}
}

/* A consistent scalar register of one of several shapes */
static void sample_reg(struct audit *a, struct reg_state *r)
{
	for (int tries = 0; tries < 64; tries++) {
		uint64_t lo = edge(a), hi = edge(a), t;

		reg_mark_unknown_scalar(r);
		switch (rnd(a) % 7) {
		case 0:
			reg_mark_known(r, lo);
			return;
		case 1:
			if (lo > hi)
				t = lo, lo = hi, hi = t;
			r->umin = lo;
			r->umax = hi;
			break;
		case 2:
			if ((int64_t)lo > (int64_t)hi)
				t = lo, lo = hi, hi = t;
			r->smin = (int64_t)lo;
			r->smax = (int64_t)hi;
			break;
		case 3: {
			uint64_t m = sparse_mask(a);

			r->var_off = TNUM(lo & ~m, m);
			break;
		}
		case 4:
			if ((uint32_t)lo > (uint32_t)hi)
				t = lo, lo = hi, hi = t;
			r->u32_min = (uint32_t)lo;
			r->u32_max = (uint32_t)hi;
			break;
		case 5:
			if ((int32_t)lo > (int32_t)hi)
				t = lo, lo = hi, hi = t;
			r->s32_min = (int32_t)lo;
			r->s32_max = (int32_t)hi;
			break;
		default: {
			uint64_t m = sparse_mask(a);

			if (lo > hi)
				t = lo, lo = hi, hi = t;
			r->umin = lo;
			r->umax = hi;
			r->var_off = TNUM(lo & ~m, m);
			break;
		}
		}
		reg_bounds_sync(r);
		if (!reg_bounds_empty(r))
			return;
	}
	reg_mark_unknown_scalar(r);
}

static void reg_text(const struct reg_state *r, char *buf, size_t len)
{
	char t[64];

	tnum_snprint(t, sizeof(t), r->var_off);
	snprintf(buf, len, "{var_off=%s s=[%lld,%lld] u=[%#llx,%#llx] s32=[%d,%d] u32=[%#x,%#x]}", t,
		 (long long)r->smin, (long long)r->smax, (unsigned long long)r->umin, (unsigned long long)r->umax,
		 r->s32_min, r->s32_max, r->u32_min, r->u32_max);
}

/* ---------------------------------------------------------------------- */
/* Concrete semantics                                                     */

static Z3_ast concrete_alu(struct audit *a, uint8_t op, Z3_ast x, Z3_ast y, bool is32)
{
	Z3_context z = a->z;
	unsigned bits = is32 ? 32 : 64;
	Z3_ast d = is32 ? Z3_mk_extract(z, 31, 0, x) : x, s = is32 ? Z3_mk_extract(z, 31, 0, y) : y;
	Z3_ast zero = xz_u64(z, 0, bits), mask = xz_u64(z, bits - 1, bits), r = NULL;

	switch (op) {
	case BPF_ADD: r = Z3_mk_bvadd(z, d, s); break;
	case BPF_SUB: r = Z3_mk_bvsub(z, d, s); break;
	case BPF_MUL: r = Z3_mk_bvmul(z, d, s); break;
	case BPF_DIV: r = Z3_mk_ite(z, Z3_mk_eq(z, s, zero), zero, Z3_mk_bvudiv(z, d, s)); break;
	case BPF_MOD: r = Z3_mk_ite(z, Z3_mk_eq(z, s, zero), d, Z3_mk_bvurem(z, d, s)); break;
	case BPF_AND: r = Z3_mk_bvand(z, d, s); break;
	case BPF_OR: r = Z3_mk_bvor(z, d, s); break;
	case BPF_XOR: r = Z3_mk_bvxor(z, d, s); break;
	case BPF_LSH: r = Z3_mk_bvshl(z, d, Z3_mk_bvand(z, s, mask)); break;
	case BPF_RSH: r = Z3_mk_bvlshr(z, d, Z3_mk_bvand(z, s, mask)); break;
	case BPF_ARSH: r = Z3_mk_bvashr(z, d, Z3_mk_bvand(z, s, mask)); break;
	}
	return is32 ? Z3_mk_zero_ext(z, 32, r) : r;
}

static Z3_ast concrete_cond(struct audit *a, uint8_t op, Z3_ast x, Z3_ast y, bool is32)
{
	Z3_context z = a->z;

	if (is32) {
		x = Z3_mk_extract(z, 31, 0, x);
		y = Z3_mk_extract(z, 31, 0, y);
	}
	switch (op) {
	case BPF_JEQ: return Z3_mk_eq(z, x, y);
	case BPF_JNE: return Z3_mk_not(z, Z3_mk_eq(z, x, y));
	case BPF_JGT: return Z3_mk_bvugt(z, x, y);
	case BPF_JGE: return Z3_mk_bvuge(z, x, y);
	case BPF_JLT: return Z3_mk_bvult(z, x, y);
	case BPF_JLE: return Z3_mk_bvule(z, x, y);
	case BPF_JSGT: return Z3_mk_bvsgt(z, x, y);
	case BPF_JSGE: return Z3_mk_bvsge(z, x, y);
	case BPF_JSLT: return Z3_mk_bvslt(z, x, y);
	case BPF_JSLE: return Z3_mk_bvsle(z, x, y);
	default: /* BPF_JSET */
		return Z3_mk_not(z, Z3_mk_eq(z, Z3_mk_bvand(z, x, y), xz_u64(z, 0, is32 ? 32 : 64)));
	}
}

/* ---------------------------------------------------------------------- */
/* The audits                                                             */

static const struct {
	uint8_t op;
	const char *name;
} alu_ops[] = {
	{ BPF_ADD, "add" }, { BPF_SUB, "sub" }, { BPF_MUL, "mul" }, { BPF_DIV, "div" },
	{ BPF_MOD, "mod" }, { BPF_AND, "and" }, { BPF_OR, "or" },   { BPF_XOR, "xor" },
	{ BPF_LSH, "lsh" }, { BPF_RSH, "rsh" }, { BPF_ARSH, "arsh" },
}, jmp_ops[] = {
	{ BPF_JEQ, "jeq" },   { BPF_JNE, "jne" },   { BPF_JGT, "jgt" },   { BPF_JGE, "jge" },
	{ BPF_JLT, "jlt" },   { BPF_JLE, "jle" },   { BPF_JSGT, "jsgt" }, { BPF_JSGE, "jsge" },
	{ BPF_JSLT, "jslt" }, { BPF_JSLE, "jsle" }, { BPF_JSET, "jset" },
};

static void audit_alu(struct audit *a, uint8_t op, const char *name, bool is32)
{
	char sname[48];
	struct bpfs_xcheck_op_stat *st;
	uint64_t t0 = now_us();

	snprintf(sname, sizeof(sname), "%s%s", name, is32 ? "32" : "64");
	st = new_stat(a, sname);
	if (!st)
		return;
	for (uint32_t i = 0; i < a->o->samples; i++) {
		struct reg_state d, s, out;
		char what[700], td[200], ts[200], to[200];
		Z3_ast pre, res;

		sample_reg(a, &d);
		sample_reg(a, &s);
		out = d;
		if (scalar_alu(&out, &s, op, is32))
			continue;
		st->instances++;
		pre = Z3_mk_and(a->z, 2, (Z3_ast[]){ member(a, a->x, &d), member(a, a->y, &s) });
		res = concrete_alu(a, op, a->x, a->y, is32);
		reg_text(&d, td, sizeof(td));
		reg_text(&s, ts, sizeof(ts));
		reg_text(&out, to, sizeof(to));
		snprintf(what, sizeof(what), "dst %s src %s gave %s", td, ts, to);
		audit_query(a, st, pre, Z3_mk_not(a->z, member(a, res, &out)), what, res);
	}
	st->time_us = now_us() - t0;
}

static void audit_jmp(struct audit *a, uint8_t op, const char *name, bool is32)
{
	char sname[48];
	struct bpfs_xcheck_op_stat *st;
	uint64_t t0 = now_us();

	snprintf(sname, sizeof(sname), "%s%s", name, is32 ? "32" : "64");
	st = new_stat(a, sname);
	if (!st)
		return;
	for (uint32_t i = 0; i < a->o->samples; i++) {
		struct reg_state x, y;
		char what[1100], tx[200], ty[200], t1[200], t2[200];
		Z3_ast pre, cond;
		int taken;

		sample_reg(a, &x);
		if (rnd(a) % 3)
			sample_reg(a, &y);
		else
			reg_mark_known(&y, edge(a)); /* BPF_K */
		st->instances++;
		pre = Z3_mk_and(a->z, 2, (Z3_ast[]){ member(a, a->x, &x), member(a, a->y, &y) });
		cond = concrete_cond(a, op, a->x, a->y, is32);
		reg_text(&x, tx, sizeof(tx));
		reg_text(&y, ty, sizeof(ty));
		taken = scalar_branch_taken(&x, &y, op, is32);
		if (taken >= 0) {
			snprintf(what, sizeof(what), "branch_taken(%s, %s) = %d", tx, ty, taken);
			audit_query(a, st, pre, taken ? Z3_mk_not(a->z, cond) : cond, what, NULL);
		}
		for (int side = 0; side < 2; side++) {
			struct reg_state rx = x, ry = y;
			bool feasible = scalar_refine(&rx, &ry, op, is32, side);
			Z3_ast arm = side ? cond : Z3_mk_not(a->z, cond);

			if (!feasible) {
				snprintf(what, sizeof(what), "refine(%s, %s, %s) says infeasible", tx, ty,
					 side ? "taken" : "not taken");
				audit_query(a, st, pre, arm, what, NULL);
				continue;
			}
			reg_text(&rx, t1, sizeof(t1));
			reg_text(&ry, t2, sizeof(t2));
			snprintf(what, sizeof(what), "refine(%s, %s, %s) gave %s, %s", tx, ty, side ? "taken" : "not taken",
				 t1, t2);
			audit_query(a, st, Z3_mk_and(a->z, 2, (Z3_ast[]){ pre, arm }),
				    Z3_mk_not(a->z, Z3_mk_and(a->z, 2,
							      (Z3_ast[]){ member(a, a->x, &rx), member(a, a->y, &ry) })),
				    what, NULL);
		}
	}
	st->time_us = now_us() - t0;
}

/* reg_bounds_sync on facts sampled independently of each other */
static void audit_sync(struct audit *a)
{
	struct bpfs_xcheck_op_stat *st = new_stat(a, "bounds_sync");
	uint64_t t0 = now_us();

	if (!st)
		return;
	for (uint32_t i = 0; i < a->o->samples; i++) {
		struct reg_state r, s;
		char what[600], tr[200], ts[200];
		uint64_t lo = edge(a), hi = edge(a), m = sparse_mask(a);

		reg_mark_unknown_scalar(&r);
		if (rnd(a) & 1)
			r.var_off = TNUM(edge(a) & ~m, m);
		if (rnd(a) & 1)
			r.umin = lo < hi ? lo : hi, r.umax = lo < hi ? hi : lo;
		if (rnd(a) & 1) {
			int64_t p = (int64_t)edge(a), q = (int64_t)edge(a);

			r.smin = p < q ? p : q;
			r.smax = p < q ? q : p;
		}
		if (rnd(a) & 1) {
			uint32_t p = (uint32_t)edge(a), q = (uint32_t)edge(a);

			r.u32_min = p < q ? p : q;
			r.u32_max = p < q ? q : p;
		}
		if (rnd(a) & 1) {
			int32_t p = (int32_t)edge(a), q = (int32_t)edge(a);

			r.s32_min = p < q ? p : q;
			r.s32_max = p < q ? q : p;
		}
		if (r.var_off.value & r.var_off.mask)
			continue;
		s = r;
		reg_bounds_sync(&s);
		st->instances++;
		reg_text(&r, tr, sizeof(tr));
		reg_text(&s, ts, sizeof(ts));
		snprintf(what, sizeof(what), "sync(%s) gave %s", tr, ts);
		audit_query(a, st, member(a, a->x, &r), Z3_mk_not(a->z, member(a, a->x, &s)), what, NULL);
	}
	st->time_us = now_us() - t0;
}

/* MOVSX/LDSX (sign extension of size bytes, to 64 bits or for is32 to 32
 * then zero-extended) and narrow loads (truncation) */
static void audit_ext(struct audit *a, int size, bool sext, bool is32)
{
	char sname[48];
	struct bpfs_xcheck_op_stat *st;
	uint64_t t0 = now_us();
	unsigned bits = 8 * (unsigned)size;

	snprintf(sname, sizeof(sname), "%s%d%s", sext ? "sext" : "trunc", bits, sext ? (is32 ? "_32" : "_64") : "");
	st = new_stat(a, sname);
	if (!st)
		return;
	for (uint32_t i = 0; i < a->o->samples; i++) {
		struct reg_state r, out;
		char what[600], tr[200], to[200];
		Z3_ast low = Z3_mk_extract(a->z, bits - 1, 0, a->x), res;

		sample_reg(a, &r);
		out = r;
		if (sext) {
			scalar_sext(&out, size, is32);
			res = is32 ? Z3_mk_zero_ext(a->z, 32, Z3_mk_sign_ext(a->z, 32 - bits, low))
				   : Z3_mk_sign_ext(a->z, 64 - bits, low);
		} else {
			scalar_trunc(&out, size);
			res = Z3_mk_zero_ext(a->z, 64 - bits, low);
		}
		st->instances++;
		reg_text(&r, tr, sizeof(tr));
		reg_text(&out, to, sizeof(to));
		snprintf(what, sizeof(what), "%s(%s) gave %s", sname, tr, to);
		audit_query(a, st, member(a, a->x, &r), Z3_mk_not(a->z, member(a, res, &out)), what, res);
	}
	st->time_us = now_us() - t0;
}

/* ---------------------------------------------------------------------- */
/* Proofs for all inputs                                                  */

enum top { T_ADD, T_SUB, T_AND, T_OR, T_XOR, T_LSH, T_RSH, T_ARSH64, T_ARSH32 };

struct ztnum {
	Z3_ast v, m;
};

/* tnum.c's formulas restated (a: the first operand; b or the shift k) */
static struct ztnum z_tnum(struct audit *a, enum top op, struct ztnum x, struct ztnum y, Z3_ast k)
{
	Z3_context z = a->z;
	Z3_ast t1, t2, chi, mu;

	switch (op) {
	case T_ADD: {
		Z3_ast sm = Z3_mk_bvadd(z, x.m, y.m), sv = Z3_mk_bvadd(z, x.v, y.v);

		t1 = Z3_mk_bvadd(z, sm, sv);
		chi = Z3_mk_bvxor(z, t1, sv);
		mu = Z3_mk_bvor(z, chi, Z3_mk_bvor(z, x.m, y.m));
		return (struct ztnum){ Z3_mk_bvand(z, sv, Z3_mk_bvnot(z, mu)), mu };
	}
	case T_SUB: {
		Z3_ast dv = Z3_mk_bvsub(z, x.v, y.v);

		t1 = Z3_mk_bvadd(z, dv, x.m);
		t2 = Z3_mk_bvsub(z, dv, y.m);
		chi = Z3_mk_bvxor(z, t1, t2);
		mu = Z3_mk_bvor(z, chi, Z3_mk_bvor(z, x.m, y.m));
		return (struct ztnum){ Z3_mk_bvand(z, dv, Z3_mk_bvnot(z, mu)), mu };
	}
	case T_AND: {
		Z3_ast al = Z3_mk_bvor(z, x.v, x.m), be = Z3_mk_bvor(z, y.v, y.m), v = Z3_mk_bvand(z, x.v, y.v);

		return (struct ztnum){ v, Z3_mk_bvand(z, Z3_mk_bvand(z, al, be), Z3_mk_bvnot(z, v)) };
	}
	case T_OR: {
		Z3_ast v = Z3_mk_bvor(z, x.v, y.v), m = Z3_mk_bvor(z, x.m, y.m);

		return (struct ztnum){ v, Z3_mk_bvand(z, m, Z3_mk_bvnot(z, v)) };
	}
	case T_XOR: {
		Z3_ast v = Z3_mk_bvxor(z, x.v, y.v), m = Z3_mk_bvor(z, x.m, y.m);

		return (struct ztnum){ Z3_mk_bvand(z, v, Z3_mk_bvnot(z, m)), m };
	}
	case T_LSH:
		return (struct ztnum){ Z3_mk_bvshl(z, x.v, k), Z3_mk_bvshl(z, x.m, k) };
	case T_RSH:
		return (struct ztnum){ Z3_mk_bvlshr(z, x.v, k), Z3_mk_bvlshr(z, x.m, k) };
	case T_ARSH64:
		return (struct ztnum){ Z3_mk_bvashr(z, x.v, k), Z3_mk_bvashr(z, x.m, k) };
	case T_ARSH32: {
		Z3_ast k32 = Z3_mk_extract(z, 31, 0, k);

		return (struct ztnum){
			Z3_mk_zero_ext(z, 32, Z3_mk_bvashr(z, Z3_mk_extract(z, 31, 0, x.v), k32)),
			Z3_mk_zero_ext(z, 32, Z3_mk_bvashr(z, Z3_mk_extract(z, 31, 0, x.m), k32)),
		};
	}
	}
	return x;
}

static struct tnum c_tnum(enum top op, struct tnum x, struct tnum y, uint8_t k)
{
	switch (op) {
	case T_ADD: return tnum_add(x, y);
	case T_SUB: return tnum_sub(x, y);
	case T_AND: return tnum_and(x, y);
	case T_OR: return tnum_or(x, y);
	case T_XOR: return tnum_xor(x, y);
	case T_LSH: return tnum_lshift(x, k);
	case T_RSH: return tnum_rshift(x, k);
	case T_ARSH64: return tnum_arshift(x, k, 64);
	case T_ARSH32: return tnum_arshift(x, k, 32);
	}
	return x;
}

static Z3_ast z_concrete(struct audit *a, enum top op, Z3_ast x, Z3_ast y, Z3_ast k)
{
	Z3_context z = a->z;

	switch (op) {
	case T_ADD: return Z3_mk_bvadd(z, x, y);
	case T_SUB: return Z3_mk_bvsub(z, x, y);
	case T_AND: return Z3_mk_bvand(z, x, y);
	case T_OR: return Z3_mk_bvor(z, x, y);
	case T_XOR: return Z3_mk_bvxor(z, x, y);
	case T_LSH: return Z3_mk_bvshl(z, x, k);
	case T_RSH: return Z3_mk_bvlshr(z, x, k);
	case T_ARSH64: return Z3_mk_bvashr(z, x, k);
	case T_ARSH32:
		return Z3_mk_zero_ext(z, 32, Z3_mk_bvashr(z, Z3_mk_extract(z, 31, 0, x), Z3_mk_extract(z, 31, 0, k)));
	}
	return x;
}

/* The restatement agrees with the C function on sampled tnums */
static bool restatement_matches(struct audit *a, enum top op, struct bpfs_xcheck_op_stat *st)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint64_t m1 = sparse_mask(a), m2 = sparse_mask(a);
		struct tnum x = TNUM(edge(a) & ~m1, m1), y = TNUM(edge(a) & ~m2, m2), r;
		uint8_t k = (uint8_t)(rnd(a) % (op == T_ARSH32 ? 32 : 64));
		struct ztnum zr;
		uint64_t v = 0, m = 0;

		r = c_tnum(op, x, y, k);
		zr = z_tnum(a, op, (struct ztnum){ c64(a, x.value), c64(a, x.mask) },
			    (struct ztnum){ c64(a, y.value), c64(a, y.mask) }, c64(a, k));
		Z3_get_numeral_uint64(a->z, Z3_simplify(a->z, zr.v), &v);
		Z3_get_numeral_uint64(a->z, Z3_simplify(a->z, zr.m), &m);
		if (v != r.value || m != r.mask) {
			char line[300];

			snprintf(line, sizeof(line),
				 "%s: the Z3 statement differs from tnum.c on (%#llx;%#llx), (%#llx;%#llx) k=%u", st->name,
				 (unsigned long long)x.value, (unsigned long long)x.mask, (unsigned long long)y.value,
				 (unsigned long long)y.mask, k);
			if (a->o->report)
				a->o->report(line, a->o->data);
			return false;
		}
	}
	return true;
}

static void prove_tnum(struct audit *a, enum top op, const char *name)
{
	struct bpfs_xcheck_op_stat *st = new_stat(a, name);
	Z3_context z = a->z;
	Z3_ast av = Z3_mk_const(z, Z3_mk_string_symbol(z, "av"), a->bv64);
	Z3_ast am = Z3_mk_const(z, Z3_mk_string_symbol(z, "am"), a->bv64);
	Z3_ast bv = Z3_mk_const(z, Z3_mk_string_symbol(z, "bv"), a->bv64);
	Z3_ast bm = Z3_mk_const(z, Z3_mk_string_symbol(z, "bm"), a->bv64);
	Z3_ast zero = c64(a, 0), pre, bad;
	struct ztnum r;
	uint64_t t0 = now_us();
	Z3_lbool res;

	if (!st)
		return;
	if (!restatement_matches(a, op, st)) {
		st->counterexamples++;
		st->proven = -1;
		return;
	}
	r = z_tnum(a, op, (struct ztnum){ av, am }, (struct ztnum){ bv, bm }, a->k);
	{
		Z3_ast c[6] = {
			Z3_mk_eq(z, Z3_mk_bvand(z, av, am), zero),
			Z3_mk_eq(z, Z3_mk_bvand(z, bv, bm), zero),
			Z3_mk_eq(z, Z3_mk_bvand(z, a->x, Z3_mk_bvnot(z, am)), av),
			Z3_mk_eq(z, Z3_mk_bvand(z, a->y, Z3_mk_bvnot(z, bm)), bv),
			Z3_mk_bvult(z, a->k, c64(a, op == T_ARSH32 ? 32 : 64)),
			Z3_mk_true(z),
		};

		pre = and_n(a, c, 6);
	}
	bad = Z3_mk_not(z, Z3_mk_eq(z, Z3_mk_bvand(z, z_concrete(a, op, a->x, a->y, a->k), Z3_mk_bvnot(z, r.m)), r.v));
	xz_solver_timeout(z, a->s, PROOF_MS);
	Z3_solver_push(z, a->s);
	Z3_solver_assert(z, a->s, pre);
	Z3_solver_assert(z, a->s, bad);
	res = Z3_solver_check(z, a->s);
	if (res == Z3_L_FALSE) {
		st->proven = 1;
	} else if (res == Z3_L_TRUE) {
		Z3_model m = Z3_solver_get_model(z, a->s);
		char line[400];

		Z3_model_inc_ref(z, m);
		st->proven = -1;
		st->counterexamples++;
		snprintf(line, sizeof(line), "%s: a=(%#llx;%#llx) b=(%#llx;%#llx) k=%llu: x=%#llx y=%#llx outside the result",
			 name, (unsigned long long)xz_eval_u64(z, m, av), (unsigned long long)xz_eval_u64(z, m, am),
			 (unsigned long long)xz_eval_u64(z, m, bv), (unsigned long long)xz_eval_u64(z, m, bm),
			 (unsigned long long)xz_eval_u64(z, m, a->k), (unsigned long long)xz_eval_u64(z, m, a->x),
			 (unsigned long long)xz_eval_u64(z, m, a->y));
		if (a->o->report)
			a->o->report(line, a->o->data);
		Z3_model_dec_ref(z, m);
	} else {
		st->unknown++;
	}
	Z3_solver_pop(z, a->s, 1);
	xz_solver_timeout(z, a->s, QUERY_MS);
	st->time_us = now_us() - t0;
}

int bpfs_xcheck_ops(const struct bpfs_xcheck_ops_opts *o, struct bpfs_xcheck_op_stat **stats, size_t *nstats)
{
	struct bpfs_xcheck_ops_opts def = { 0 };
	struct audit a = { 0 };
	static const struct {
		enum top op;
		const char *name;
	} proofs[] = {
		{ T_ADD, "tnum_add/proof" }, { T_SUB, "tnum_sub/proof" }, { T_AND, "tnum_and/proof" },
		{ T_OR, "tnum_or/proof" },   { T_XOR, "tnum_xor/proof" }, { T_LSH, "tnum_lshift/proof" },
		{ T_RSH, "tnum_rshift/proof" }, { T_ARSH64, "tnum_arshift64/proof" },
		{ T_ARSH32, "tnum_arshift32/proof" },
	};

	if (!stats || !nstats)
		return -EINVAL;
	if (!o)
		o = &def;
	def = *o;
	if (!def.samples)
		def.samples = 200;
	a.o = &def;
	a.rng = def.seed;
	a.z = xz_context_new();
	if (!a.z)
		return -ENOMEM;
	a.s = xz_solver_new(a.z, "QF_BV", QUERY_MS);
	a.bv64 = Z3_mk_bv_sort(a.z, 64);
	a.x = Z3_mk_const(a.z, Z3_mk_string_symbol(a.z, "x"), a.bv64);
	a.y = Z3_mk_const(a.z, Z3_mk_string_symbol(a.z, "y"), a.bv64);
	a.k = Z3_mk_const(a.z, Z3_mk_string_symbol(a.z, "k"), a.bv64);
	for (size_t i = 0; i < G_N_ELEMENTS(proofs); i++)
		prove_tnum(&a, proofs[i].op, proofs[i].name);
	for (int w = 0; w < 2; w++)
		for (size_t i = 0; i < G_N_ELEMENTS(alu_ops); i++)
			audit_alu(&a, alu_ops[i].op, alu_ops[i].name, w);
	for (int w = 0; w < 2; w++)
		for (size_t i = 0; i < G_N_ELEMENTS(jmp_ops); i++)
			audit_jmp(&a, jmp_ops[i].op, jmp_ops[i].name, w);
	audit_sync(&a);
	audit_ext(&a, 1, true, false);
	audit_ext(&a, 2, true, false);
	audit_ext(&a, 4, true, false);
	audit_ext(&a, 1, true, true);
	audit_ext(&a, 2, true, true);
	audit_ext(&a, 1, false, false);
	audit_ext(&a, 2, false, false);
	audit_ext(&a, 4, false, false);
	Z3_solver_dec_ref(a.z, a.s);
	xz_clear_error(a.z);
	Z3_del_context(a.z);
	*stats = a.st;
	*nstats = a.n;
	return 0;
}

#endif /* BPFS_HAVE_Z3 */
