/* SPDX-License-Identifier: MIT */
/*
 * Scalar range arithmetic: every scalar register carries a tnum and four
 * intervals (signed and unsigned, 64-bit and for the low 32 bits). ALU ops
 * compute new intervals, conditional jumps narrow them on each arm, and
 * reg_bounds_sync() makes the five facts agree with each other.
 *
 * Invariant (soundness): every concrete value the register can hold on
 * the path lies in var_off and in all four intervals. Every function here
 * only ever widens a result it cannot compute exactly, and narrows only by
 * intersecting with facts that hold.
 *
 * 32-bit operations are computed on a "view" of the low half (its tnum and
 * its 32-bit intervals held in 64-bit variables), with overflow checked
 * against the 32-bit limits, then zero-extended; 64-bit ones on the full
 * register. The rules follow the Linux verifier's adjust_scalar_min_max_vals,
 * reg_set_min_max and is_branch_taken (kernel/bpf/verifier.c), written
 * anew in that shape.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "verifier_int.h"

#define U32_MAXV 0xffffffffull

static inline uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static inline uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }

void reg_mark_not_init(struct reg_state *r)
{
	memset(r, 0, sizeof(*r));
	r->type = NOT_INIT;
	r->map = -1;
}

void reg_mark_var_unbounded(struct reg_state *r)
{
	r->var_off = tnum_unknown;
	r->smin = INT64_MIN;
	r->smax = INT64_MAX;
	r->umin = 0;
	r->umax = UINT64_MAX;
	r->s32_min = INT32_MIN;
	r->s32_max = INT32_MAX;
	r->u32_min = 0;
	r->u32_max = UINT32_MAX;
}

void reg_mark_var_known(struct reg_state *r, uint64_t v)
{
	r->var_off = tnum_const(v);
	r->smin = r->smax = (int64_t)v;
	r->umin = r->umax = v;
	r->s32_min = r->s32_max = (int32_t)v;
	r->u32_min = r->u32_max = (uint32_t)v;
}

void reg_mark_unknown_scalar(struct reg_state *r)
{
	reg_mark_not_init(r);
	r->type = SCALAR_VALUE;
	reg_mark_var_unbounded(r);
}

void reg_mark_known(struct reg_state *r, uint64_t v)
{
	reg_mark_not_init(r);
	r->type = SCALAR_VALUE;
	reg_mark_var_known(r, v);
}

bool reg_is_const(const struct reg_state *r, bool is32)
{
	return is32 ? tnum_is_const(tnum_subreg(r->var_off)) : tnum_is_const(r->var_off);
}

uint64_t reg_const(const struct reg_state *r, bool is32)
{
	return is32 ? (uint32_t)r->var_off.value : r->var_off.value;
}

/* ---------------------------------------------------------------------- */
/* Keeping the facts in agreement */

static void update_bounds_from_tnum(struct reg_state *r)
{
	struct tnum t = r->var_off, t32 = tnum_subreg(r->var_off);

	r->smin = smax64(r->smin, (int64_t)(t.value | (t.mask & (1ull << 63))));
	r->smax = smin64(r->smax, (int64_t)(t.value | (t.mask & ~(1ull << 63))));
	r->umin = umax64(r->umin, t.value);
	r->umax = umin64(r->umax, t.value | t.mask);
	r->s32_min = (int32_t)smax64(r->s32_min, (int32_t)(uint32_t)(t32.value | (t32.mask & 0x80000000u)));
	r->s32_max = (int32_t)smin64(r->s32_max, (int32_t)(uint32_t)(t32.value | (t32.mask & 0x7fffffffu)));
	r->u32_min = (uint32_t)umax64(r->u32_min, t32.value);
	r->u32_max = (uint32_t)umin64(r->u32_max, t32.value | t32.mask);
}

/* Signed and unsigned ranges of one width describe the same set: when the
 * set does not cross the sign boundary in one order, it does not in the
 * other, and each bounds the other. */
static void deduce64(struct reg_state *r)
{
	if (r->smin >= 0 || r->smax < 0) {
		r->umin = umax64(r->umin, (uint64_t)r->smin);
		r->umax = umin64(r->umax, (uint64_t)r->smax);
		r->smin = (int64_t)r->umin;
		r->smax = (int64_t)r->umax;
	} else if ((int64_t)r->umin <= (int64_t)r->umax) {
		r->smin = smax64(r->smin, (int64_t)r->umin);
		r->smax = smin64(r->smax, (int64_t)r->umax);
	}
}

static void deduce32(struct reg_state *r)
{
	if (r->s32_min >= 0 || r->s32_max < 0) {
		r->u32_min = (uint32_t)umax64(r->u32_min, (uint32_t)r->s32_min);
		r->u32_max = (uint32_t)umin64(r->u32_max, (uint32_t)r->s32_max);
		r->s32_min = (int32_t)r->u32_min;
		r->s32_max = (int32_t)r->u32_max;
	} else if ((int32_t)r->u32_min <= (int32_t)r->u32_max) {
		r->s32_min = (int32_t)smax64(r->s32_min, (int32_t)r->u32_min);
		r->s32_max = (int32_t)smin64(r->s32_max, (int32_t)r->u32_max);
	}
}

/* The low half of a 64-bit range whose values share their upper half is
 * the range of low halves; and conversely. */
static void cross_widths(struct reg_state *r)
{
	if ((r->umin >> 32) == (r->umax >> 32)) {
		uint64_t hi = r->umin & ~U32_MAXV;

		r->u32_min = (uint32_t)umax64(r->u32_min, (uint32_t)r->umin);
		r->u32_max = (uint32_t)umin64(r->u32_max, (uint32_t)r->umax);
		if ((int32_t)(uint32_t)r->umin <= (int32_t)(uint32_t)r->umax) {
			r->s32_min = (int32_t)smax64(r->s32_min, (int32_t)(uint32_t)r->umin);
			r->s32_max = (int32_t)smin64(r->s32_max, (int32_t)(uint32_t)r->umax);
		}
		r->umin = umax64(r->umin, hi | r->u32_min);
		r->umax = umin64(r->umax, hi | r->u32_max);
	}
	/* a 64-bit value within the s32 range is its own low half */
	if (r->smin >= INT32_MIN && r->smax <= INT32_MAX) {
		r->s32_min = (int32_t)smax64(r->s32_min, r->smin);
		r->s32_max = (int32_t)smin64(r->s32_max, r->smax);
	}
	if ((r->smin >> 32) == (r->smax >> 32)) {
		if ((int32_t)(uint32_t)r->smin <= (int32_t)(uint32_t)r->smax) {
			r->s32_min = (int32_t)smax64(r->s32_min, (int32_t)(uint32_t)r->smin);
			r->s32_max = (int32_t)smin64(r->s32_max, (int32_t)(uint32_t)r->smax);
		}
		if ((uint32_t)r->smin <= (uint32_t)r->smax) {
			r->u32_min = (uint32_t)umax64(r->u32_min, (uint32_t)r->smin);
			r->u32_max = (uint32_t)umin64(r->u32_max, (uint32_t)r->smax);
		}
	}
}

static void bound_offset(struct reg_state *r)
{
	struct tnum t64 = tnum_intersect(r->var_off, tnum_range(r->umin, r->umax));
	struct tnum t32 = tnum_intersect(tnum_subreg(r->var_off), tnum_range(r->u32_min, r->u32_max));

	r->var_off = tnum_or(tnum_clear_subreg(t64), t32);
}

void reg_bounds_sync(struct reg_state *r)
{
	for (int i = 0; i < 2; i++) {
		update_bounds_from_tnum(r);
		cross_widths(r);
		deduce32(r);
		deduce64(r);
		cross_widths(r);
		bound_offset(r);
		update_bounds_from_tnum(r);
	}
}

bool reg_bounds_empty(const struct reg_state *r)
{
	return r->smin > r->smax || r->umin > r->umax || r->s32_min > r->s32_max || r->u32_min > r->u32_max ||
	       (r->var_off.value & r->var_off.mask) || r->umin > (r->var_off.value | r->var_off.mask) ||
	       r->umax < r->var_off.value;
}

void reg_zext32(struct reg_state *r)
{
	r->var_off = tnum_subreg(r->var_off);
	r->umin = r->u32_min;
	r->umax = r->u32_max;
	r->smin = r->u32_min;
	r->smax = r->u32_max;
	reg_bounds_sync(r);
}

/* ---------------------------------------------------------------------- */
/* A width view: one width's tnum and intervals */

struct view {
	struct tnum t;
	int64_t smin, smax;
	uint64_t umin, umax;
	bool is32;
};

static int64_t vsmin(bool is32) { return is32 ? INT32_MIN : INT64_MIN; }
static int64_t vsmax(bool is32) { return is32 ? INT32_MAX : INT64_MAX; }
static uint64_t vumax(bool is32) { return is32 ? U32_MAXV : UINT64_MAX; }

static struct view view_get(const struct reg_state *r, bool is32)
{
	struct view v = { .is32 = is32 };

	if (is32) {
		v.t = tnum_subreg(r->var_off);
		v.smin = r->s32_min;
		v.smax = r->s32_max;
		v.umin = r->u32_min;
		v.umax = r->u32_max;
	} else {
		v.t = r->var_off;
		v.smin = r->smin;
		v.smax = r->smax;
		v.umin = r->umin;
		v.umax = r->umax;
	}
	return v;
}

static void view_unbound_s(struct view *v)
{
	v->smin = vsmin(v->is32);
	v->smax = vsmax(v->is32);
}

static void view_unbound_u(struct view *v)
{
	v->umin = 0;
	v->umax = vumax(v->is32);
}

static void view_unknown(struct view *v)
{
	v->t = v->is32 ? TNUM(0, U32_MAXV) : tnum_unknown;
	view_unbound_s(v);
	view_unbound_u(v);
}

/* The result of an ALU op: replaces the register's facts. */
static void view_put_result(struct reg_state *r, const struct view *v)
{
	if (v->is32) {
		r->var_off = tnum_subreg(v->t);
		r->s32_min = (int32_t)v->smin;
		r->s32_max = (int32_t)v->smax;
		r->u32_min = (uint32_t)v->umin;
		r->u32_max = (uint32_t)v->umax;
		r->umin = r->smin = 0;
		r->umax = r->smax = U32_MAXV;
		reg_zext32(r);
		return;
	}
	r->var_off = v->t;
	r->smin = v->smin;
	r->smax = v->smax;
	r->umin = v->umin;
	r->umax = v->umax;
	r->s32_min = INT32_MIN;
	r->s32_max = INT32_MAX;
	r->u32_min = 0;
	r->u32_max = UINT32_MAX;
	reg_bounds_sync(r);
}

/* A refinement of the same value: intersects with what is known. */
static void view_put_refined(struct reg_state *r, const struct view *v)
{
	if (v->is32) {
		r->var_off = tnum_with_subreg(r->var_off, v->t);
		r->s32_min = (int32_t)v->smin;
		r->s32_max = (int32_t)v->smax;
		r->u32_min = (uint32_t)v->umin;
		r->u32_max = (uint32_t)v->umax;
	} else {
		r->var_off = v->t;
		r->smin = v->smin;
		r->smax = v->smax;
		r->umin = v->umin;
		r->umax = v->umax;
	}
	if (!reg_bounds_empty(r))
		reg_bounds_sync(r);
}

static bool s_ovf(int64_t x, bool is32)
{
	return is32 && (x < INT32_MIN || x > INT32_MAX);
}

static bool sadd(int64_t a, int64_t b, int64_t *res, bool is32)
{
	if (__builtin_add_overflow(a, b, res))
		return true;
	return s_ovf(*res, is32);
}

static bool ssub(int64_t a, int64_t b, int64_t *res, bool is32)
{
	if (__builtin_sub_overflow(a, b, res))
		return true;
	return s_ovf(*res, is32);
}

static bool uadd(uint64_t a, uint64_t b, uint64_t *res, bool is32)
{
	if (__builtin_add_overflow(a, b, res))
		return true;
	return is32 && *res > U32_MAXV;
}

static void alu_add(struct view *d, const struct view *s)
{
	int64_t lo, hi;
	uint64_t ulo, uhi;

	if (sadd(d->smin, s->smin, &lo, d->is32) || sadd(d->smax, s->smax, &hi, d->is32)) {
		view_unbound_s(d);
	} else {
		d->smin = lo;
		d->smax = hi;
	}
	if (uadd(d->umin, s->umin, &ulo, d->is32) || uadd(d->umax, s->umax, &uhi, d->is32)) {
		view_unbound_u(d);
	} else {
		d->umin = ulo;
		d->umax = uhi;
	}
	d->t = tnum_add(d->t, s->t);
}

static void alu_sub(struct view *d, const struct view *s)
{
	int64_t lo, hi;

	if (ssub(d->smin, s->smax, &lo, d->is32) || ssub(d->smax, s->smin, &hi, d->is32)) {
		view_unbound_s(d);
	} else {
		d->smin = lo;
		d->smax = hi;
	}
	if (d->umin < s->umax) {
		view_unbound_u(d);
	} else {
		d->umin -= s->umax;
		d->umax -= s->umin;
	}
	d->t = tnum_sub(d->t, s->t);
}

static void alu_mul(struct view *d, const struct view *s)
{
	uint64_t lim = d->is32 ? 0xffff : U32_MAXV;

	d->t = tnum_mul(d->t, s->t);
	if (d->umax > lim || s->umax > lim) {
		view_unbound_u(d);
	} else {
		d->umin *= s->umin;
		d->umax *= s->umax;
	}
	view_unbound_s(d);
}

/* Signed ranges of and/or/xor: exact only when both sides are
 * non-negative, where signed order equals unsigned order. */
static void bitwise_signed(struct view *d, const struct view *s, int64_t old_dmin)
{
	if (old_dmin >= 0 && s->smin >= 0 && d->umax <= (uint64_t)vsmax(d->is32)) {
		d->smin = (int64_t)d->umin;
		d->smax = (int64_t)d->umax;
	} else {
		view_unbound_s(d);
	}
}

static void alu_and(struct view *d, const struct view *s)
{
	int64_t old = d->smin;

	d->t = tnum_and(d->t, s->t);
	d->umin = d->t.value;
	d->umax = umin64(d->umax, s->umax);
	bitwise_signed(d, s, old);
}

static void alu_or(struct view *d, const struct view *s)
{
	int64_t old = d->smin;

	d->t = tnum_or(d->t, s->t);
	d->umin = umax64(d->umin, s->umin);
	d->umax = d->t.value | d->t.mask;
	bitwise_signed(d, s, old);
}

static void alu_xor(struct view *d, const struct view *s)
{
	int64_t old = d->smin;

	d->t = tnum_xor(d->t, s->t);
	d->umin = d->t.value;
	d->umax = d->t.value | d->t.mask;
	bitwise_signed(d, s, old);
}

static struct tnum view_trunc(struct tnum t, bool is32)
{
	return is32 ? tnum_subreg(t) : t;
}

static void alu_lsh(struct view *d, const struct view *s)
{
	unsigned bits = d->is32 ? 32 : 64;

	if (s->umax >= bits) {
		view_unknown(d);
		return;
	}
	if (s->umin == s->umax) {
		unsigned sh = (unsigned)s->umin;

		if (sh && (d->umax >> (bits - sh))) {
			view_unbound_u(d);
		} else {
			d->umin <<= sh;
			d->umax <<= sh;
		}
		d->t = view_trunc(tnum_lshift(d->t, (uint8_t)sh), d->is32);
	} else {
		view_unbound_u(d);
		d->t = view_trunc(tnum_lshift(d->is32 ? TNUM(0, U32_MAXV) : tnum_unknown, (uint8_t)s->umin),
				  d->is32);
	}
	view_unbound_s(d);
}

static void alu_rsh(struct view *d, const struct view *s)
{
	unsigned bits = d->is32 ? 32 : 64;

	if (s->umax >= bits) {
		view_unknown(d);
		return;
	}
	d->umin >>= s->umax;
	d->umax >>= s->umin;
	if (s->umin == s->umax)
		d->t = tnum_rshift(d->t, (uint8_t)s->umin);
	else
		d->t = tnum_rshift(d->is32 ? TNUM(0, U32_MAXV) : tnum_unknown, (uint8_t)s->umin);
	view_unbound_s(d);
}

static void alu_arsh(struct view *d, const struct view *s)
{
	unsigned bits = d->is32 ? 32 : 64;

	if (s->umin != s->umax || s->umax >= bits) {
		view_unknown(d);
		return;
	}
	d->smin >>= s->umin;
	d->smax >>= s->umin;
	d->t = view_trunc(tnum_arshift(d->t, (uint8_t)s->umin, (uint8_t)bits), d->is32);
	view_unbound_u(d);
}

int scalar_alu(struct reg_state *dst, const struct reg_state *src, uint8_t op, bool is32)
{
	struct view d = view_get(dst, is32), s = view_get(src, is32);

	switch (op) {
	case BPF_ADD: alu_add(&d, &s); break;
	case BPF_SUB: alu_sub(&d, &s); break;
	case BPF_MUL: alu_mul(&d, &s); break;
	case BPF_AND: alu_and(&d, &s); break;
	case BPF_OR: alu_or(&d, &s); break;
	case BPF_XOR: alu_xor(&d, &s); break;
	case BPF_LSH:
		alu_lsh(&d, &s);
		/* x << 32 is the low half, as a signed number, times 2^32: the
		 * common `<<= 32; s>>= 32` sign extension keeps its bounds */
		if (!is32 && s.umin == 32 && s.umax == 32) {
			d.smin = (int64_t)dst->s32_min * ((int64_t)1 << 32);
			d.smax = (int64_t)dst->s32_max * ((int64_t)1 << 32);
		}
		break;
	case BPF_RSH: alu_rsh(&d, &s); break;
	case BPF_ARSH: alu_arsh(&d, &s); break;
	case BPF_DIV:
	case BPF_MOD:
		view_unknown(&d);
		break;
	default:
		return -EINVAL;
	}
	dst->id = 0;
	dst->precise = false; /* a new value: its sources are not marked yet */
	view_put_result(dst, &d);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Conditional jumps */

/* Relations after normalising the op and the arm */
enum rel { R_EQ, R_NE, R_ULT, R_ULE, R_SLT, R_SLE, R_SET, R_NSET };

/* Maps (op, taken) to a relation `a rel b`, swapping a and b for the
 * greater-than forms. Returns false for ops that are not comparisons. */
static bool op_to_rel(uint8_t op, bool taken, enum rel *rel, bool *swap)
{
	*swap = false;
	if (!taken) {
		switch (op) {
		case BPF_JEQ: op = BPF_JNE; break;
		case BPF_JNE: op = BPF_JEQ; break;
		case BPF_JGT: op = BPF_JLE; break;
		case BPF_JGE: op = BPF_JLT; break;
		case BPF_JLT: op = BPF_JGE; break;
		case BPF_JLE: op = BPF_JGT; break;
		case BPF_JSGT: op = BPF_JSLE; break;
		case BPF_JSGE: op = BPF_JSLT; break;
		case BPF_JSLT: op = BPF_JSGE; break;
		case BPF_JSLE: op = BPF_JSGT; break;
		case BPF_JSET: *rel = R_NSET; return true;
		default: return false;
		}
	}
	switch (op) {
	case BPF_JEQ: *rel = R_EQ; break;
	case BPF_JNE: *rel = R_NE; break;
	case BPF_JLT: *rel = R_ULT; break;
	case BPF_JLE: *rel = R_ULE; break;
	case BPF_JGT: *rel = R_ULT; *swap = true; break;
	case BPF_JGE: *rel = R_ULE; *swap = true; break;
	case BPF_JSLT: *rel = R_SLT; break;
	case BPF_JSLE: *rel = R_SLE; break;
	case BPF_JSGT: *rel = R_SLT; *swap = true; break;
	case BPF_JSGE: *rel = R_SLE; *swap = true; break;
	case BPF_JSET: *rel = R_SET; break;
	default: return false;
	}
	return true;
}

static bool tnums_disjoint(struct tnum a, struct tnum b)
{
	return ((a.value ^ b.value) & ~(a.mask | b.mask)) != 0;
}

static int rel_holds(const struct view *a, const struct view *b, enum rel rel)
{
	switch (rel) {
	case R_EQ:
		if (tnum_is_const(a->t) && tnum_is_const(b->t))
			return a->t.value == b->t.value;
		if (a->umin > b->umax || a->umax < b->umin || a->smin > b->smax || a->smax < b->smin ||
		    tnums_disjoint(a->t, b->t))
			return 0;
		return -1;
	case R_NE: {
		int r = rel_holds(a, b, R_EQ);

		return r < 0 ? r : !r;
	}
	case R_ULT:
		if (a->umax < b->umin)
			return 1;
		if (a->umin >= b->umax)
			return 0;
		return -1;
	case R_ULE:
		if (a->umax <= b->umin)
			return 1;
		if (a->umin > b->umax)
			return 0;
		return -1;
	case R_SLT:
		if (a->smax < b->smin)
			return 1;
		if (a->smin >= b->smax)
			return 0;
		return -1;
	case R_SLE:
		if (a->smax <= b->smin)
			return 1;
		if (a->smin > b->smax)
			return 0;
		return -1;
	case R_SET:
		if (a->t.value & b->t.value)
			return 1;
		if (!((a->t.value | a->t.mask) & (b->t.value | b->t.mask)))
			return 0;
		return -1;
	case R_NSET: {
		int r = rel_holds(a, b, R_SET);

		return r < 0 ? r : !r;
	}
	}
	return -1;
}

int scalar_branch_taken(const struct reg_state *a, const struct reg_state *b, uint8_t op, bool is32)
{
	struct view va = view_get(a, is32), vb = view_get(b, is32);
	enum rel rel;
	bool swap;

	if (!op_to_rel(op, true, &rel, &swap))
		return -1;
	return swap ? rel_holds(&vb, &va, rel) : rel_holds(&va, &vb, rel);
}

static void refine_ne_const(struct view *a, uint64_t c)
{
	if (a->umin == c && a->umin < a->umax)
		a->umin++;
	else if (a->umax == c && a->umin < a->umax)
		a->umax--;
	if (a->smin == (int64_t)c && a->smin < a->smax)
		a->smin++;
	else if (a->smax == (int64_t)c && a->smin < a->smax)
		a->smax--;
}

/* Narrows a and b to the pairs satisfying `a rel b`. Returns false when
 * there is none. */
static bool refine_views(struct view *a, struct view *b, enum rel rel)
{
	switch (rel) {
	case R_EQ:
		if (tnums_disjoint(a->t, b->t))
			return false;
		a->t = b->t = tnum_intersect(a->t, b->t);
		a->umin = b->umin = umax64(a->umin, b->umin);
		a->umax = b->umax = umin64(a->umax, b->umax);
		a->smin = b->smin = smax64(a->smin, b->smin);
		a->smax = b->smax = smin64(a->smax, b->smax);
		break;
	case R_NE:
		if (tnum_is_const(a->t) && tnum_is_const(b->t) && a->t.value == b->t.value)
			return false;
		if (tnum_is_const(b->t))
			refine_ne_const(a, b->t.value);
		else if (tnum_is_const(a->t))
			refine_ne_const(b, a->t.value);
		break;
	case R_ULT:
		if (b->umax == 0 || a->umin == vumax(a->is32))
			return false;
		a->umax = umin64(a->umax, b->umax - 1);
		b->umin = umax64(b->umin, a->umin + 1);
		break;
	case R_ULE:
		a->umax = umin64(a->umax, b->umax);
		b->umin = umax64(b->umin, a->umin);
		break;
	case R_SLT:
		if (b->smax == vsmin(a->is32) || a->smin == vsmax(a->is32))
			return false;
		a->smax = smin64(a->smax, b->smax - 1);
		b->smin = smax64(b->smin, a->smin + 1);
		break;
	case R_SLE:
		a->smax = smin64(a->smax, b->smax);
		b->smin = smax64(b->smin, a->smin);
		break;
	case R_SET:
		if (a->umin == 0 && a->umax > 0)
			a->umin = 1;
		if (tnum_is_const(b->t)) {
			uint64_t c = b->t.value;

			if (!((a->t.value | a->t.mask) & c))
				return false;
			if (c && !(c & (c - 1))) {
				a->t.value |= c;
				a->t.mask &= ~c;
			}
		}
		break;
	case R_NSET:
		if (tnum_is_const(b->t)) {
			uint64_t c = b->t.value;

			if (a->t.value & c)
				return false;
			a->t.mask &= ~c;
		}
		break;
	}
	return a->umin <= a->umax && a->smin <= a->smax && b->umin <= b->umax && b->smin <= b->smax;
}

bool scalar_refine(struct reg_state *a, struct reg_state *b, uint8_t op, bool is32, bool taken)
{
	struct view va = view_get(a, is32), vb = view_get(b, is32);
	enum rel rel;
	bool swap, ok;

	if (!op_to_rel(op, taken, &rel, &swap))
		return true;
	ok = swap ? refine_views(&vb, &va, rel) : refine_views(&va, &vb, rel);
	if (!ok)
		return false;
	view_put_refined(a, &va);
	view_put_refined(b, &vb);
	return !reg_bounds_empty(a) && !reg_bounds_empty(b);
}

/* ---------------------------------------------------------------------- */
/* Sign extension of the low size bytes (MOVSX, LDSX): the kernel's
 * coerce_reg_to_size_sx and coerce_subreg_to_size_sx. When every value
 * shares the bits above size, the low parts form one interval, and if
 * that interval does not cross the sign bit of size it maps to one
 * interval after sign extension; otherwise the result is anything of
 * size's signed range. */

static int64_t sext_bits(uint64_t v, int bits)
{
	uint64_t m = (uint64_t)1 << (bits - 1);

	v &= bits == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

void scalar_sext(struct reg_state *r, int size, bool is32)
{
	int bits = size * 8;
	int64_t lim_lo = -((int64_t)1 << (bits - 1)), lim_hi = ((int64_t)1 << (bits - 1)) - 1;
	int64_t a, b, mn, mx;
	bool same_top;

	if (is32 ? tnum_is_const(tnum_subreg(r->var_off)) : tnum_is_const(r->var_off)) {
		int64_t v = sext_bits(r->var_off.value, bits);

		reg_mark_var_known(r, is32 ? (uint32_t)v : (uint64_t)v);
		return;
	}
	if (is32) {
		same_top = ((uint32_t)r->s32_max >> bits) == ((uint32_t)r->s32_min >> bits);
		a = sext_bits((uint32_t)r->s32_min, bits);
		b = sext_bits((uint32_t)r->s32_max, bits);
	} else {
		same_top = ((uint64_t)r->smax >> bits) == ((uint64_t)r->smin >> bits);
		a = sext_bits((uint64_t)r->smin, bits);
		b = sext_bits((uint64_t)r->smax, bits);
	}
	mn = a < b ? a : b;
	mx = a < b ? b : a;
	if (!same_top || (mn >= 0) != (mx >= 0)) {
		mn = lim_lo;
		mx = lim_hi;
		r->var_off = tnum_unknown;
		r->umin = 0;
		r->umax = UINT64_MAX;
		r->u32_min = 0;
		r->u32_max = UINT32_MAX;
	} else {
		r->var_off = tnum_range((uint64_t)mn, (uint64_t)mx);
		r->umin = (uint64_t)mn;
		r->umax = (uint64_t)mx;
		r->u32_min = (uint32_t)mn;
		r->u32_max = (uint32_t)mx;
	}
	r->s32_min = (int32_t)mn;
	r->s32_max = (int32_t)mx;
	r->smin = mn;
	r->smax = mx;
	if (is32) {
		r->var_off = tnum_subreg(r->var_off);
		reg_zext32(r);
		return;
	}
	reg_bounds_sync(r);
}

/* ---------------------------------------------------------------------- */
/* The low size bytes of a scalar, zero-extended (the kernel's
 * coerce_reg_to_size): its unsigned range survives when all its values
 * share the bits above size, as a value filled from a narrower spill
 * does; the 32-bit range survives a 4-byte load. */
void scalar_trunc(struct reg_state *r, int size)
{
	uint64_t mask;

	mask = ((uint64_t)1 << (size * 8)) - 1;
	r->var_off = tnum_cast(r->var_off, (uint8_t)size);
	if ((r->umin & ~mask) == (r->umax & ~mask)) {
		r->umin &= mask;
		r->umax &= mask;
	} else {
		r->umin = 0;
		r->umax = mask;
	}
	r->smin = (int64_t)r->umin;
	r->smax = (int64_t)r->umax;
	if (size < 4) {
		r->s32_min = INT32_MIN;
		r->s32_max = INT32_MAX;
		r->u32_min = 0;
		r->u32_max = UINT32_MAX;
	}
	r->id = 0;
	reg_bounds_sync(r);
}
