/* SPDX-License-Identifier: MIT */
/*
 * The Z3 cross-checker: the verifier's verdict on a program checked
 * against a symbolic execution of the program, independent of the
 * verifier's abstract domain.
 *
 * Every feasible path from insn 0 is followed on a symbolic state:
 * registers are 64-bit bit-vectors with a kind (uninitialised, scalar,
 * pointer into a region, or an opaque pointer the model does not follow);
 * the regions (each frame's 512-byte stack, the context, the packet, map
 * values) are Z3 arrays of bytes indexed by 64-bit offsets. The inputs
 * are free: the packet's bytes and its length (within what
 * BPF_PROG_TEST_RUN accepts for the program type), the context's scalar
 * fields, each frame's initial stack, map contents and helper results.
 * The semantics are RFC 9669's: 32-bit ops zero-extend, shift amounts are
 * masked, division by zero gives 0 and modulo by zero leaves the
 * dividend, signed division and modulo truncate, MOVSX and LDSX
 * sign-extend, byte swaps, atomics.
 *
 * At a conditional jump the solver decides which sides are feasible
 * under the path condition; a feasible side is followed depth first with
 * its condition pushed on the solver (push/pop), so each path costs one or
 * two queries a branch. At each memory access the solver is asked whether
 * some input on the path makes it leave its region ("safe" is: the
 * offset and the size fit in the region's bounds, as signed 64-bit
 * offsets from its start; the context's fields are those the program
 * type allows). A register read before it was written is a violation
 * too.
 *
 * Helpers are modelled from their prototypes (helpers.c's table, data
 * not the abstract domain): memory arguments are checked like accesses
 * and written ones get fresh bytes; a map lookup forks into a miss (R0 =
 * 0) and a hit (a fresh value of the map's size; for arrays a hit
 * exactly when the key is below max_entries); a pointer result of another
 * kind is opaque (a NULL and a non-NULL path), and any access through it
 * leaves the path undecided.
 *
 * Results: for an accepted program the first unsafe access found is
 * "unsound", with a witness (the model's inputs); if every path ended
 * safe, "confirmed". For a rejected program, an input making the reported
 * insn unsafe is a "true positive"; when every path was followed and the
 * insn is safe on each, a "false alarm". A path the budget (paths, insns,
 * time) or the model (opaque pointers, kfuncs) cut makes the result
 * "unknown" rather than "confirmed" or "false alarm": both claim all
 * paths.
 *
 * Soundness of "confirmed": every concrete run is a path here with its
 * inputs a model of the path condition; helper results and map contents
 * are over-approximated by fresh values, so the set of runs modelled
 * contains the real ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier_int.h"
#include "xcheck_int.h"

const char *bpfs_xcheck_kind_name(enum bpfs_xcheck_kind k)
{
	static const char *const names[] = {
		[BPFS_XCHECK_CONFIRMED] = "confirmed",
		[BPFS_XCHECK_UNSOUND] = "unsound",
		[BPFS_XCHECK_TRUE_POSITIVE] = "true_positive",
		[BPFS_XCHECK_FALSE_ALARM] = "false_alarm",
		[BPFS_XCHECK_UNKNOWN] = "unknown",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void bpfs_witness_free(struct bpfs_witness *w)
{
	if (!w)
		return;
	free(w->packet);
	free(w->ctx);
	for (size_t i = 0; i < w->nlookups; i++) {
		free(w->lookups[i].key);
		free(w->lookups[i].value);
	}
	free(w->lookups);
	free(w->helpers);
	free(w);
}

void bpfs_xcheck_result_release(struct bpfs_xcheck_result *r)
{
	if (!r)
		return;
	bpfs_witness_free(r->witness);
	r->witness = NULL;
}

#ifndef BPFS_HAVE_Z3

bool bpfs_xcheck_available(void)
{
	return false;
}

int bpfs_xcheck(const struct bpf_insn *insns, size_t cnt, const struct bpfs_xcheck_opts *opts,
		const struct bpfs_verdict *v, struct bpfs_xcheck_result *out)
{
	(void)insns;
	(void)cnt;
	(void)opts;
	(void)v;
	(void)out;
	return -ENOTSUP;
}

#else /* BPFS_HAVE_Z3 */

#include <glib.h>

bool bpfs_xcheck_available(void)
{
	return true;
}

/* ---------------------------------------------------------------------- */
/* Z3 plumbing shared with xcheck_ops.c                                   */

static GHashTable *z3_errors; /* contexts whose last call failed */
static GMutex z3_errors_lock;

static void on_z3_error(Z3_context z, Z3_error_code e)
{
	(void)e;
	g_mutex_lock(&z3_errors_lock);
	if (!z3_errors)
		z3_errors = g_hash_table_new(NULL, NULL);
	g_hash_table_add(z3_errors, z);
	g_mutex_unlock(&z3_errors_lock);
}

Z3_context xz_context_new(void)
{
	Z3_config cfg = Z3_mk_config();
	Z3_context z;

	Z3_set_param_value(cfg, "model", "true");
	z = Z3_mk_context(cfg);
	Z3_del_config(cfg);
	if (z)
		Z3_set_error_handler(z, on_z3_error);
	return z;
}

bool xz_failed(Z3_context z)
{
	bool f;

	g_mutex_lock(&z3_errors_lock);
	f = z3_errors && g_hash_table_contains(z3_errors, z);
	g_mutex_unlock(&z3_errors_lock);
	return f;
}

void xz_clear_error(Z3_context z)
{
	g_mutex_lock(&z3_errors_lock);
	if (z3_errors)
		g_hash_table_remove(z3_errors, z);
	g_mutex_unlock(&z3_errors_lock);
}

uint64_t xz_eval_u64(Z3_context z, Z3_model m, Z3_ast t)
{
	Z3_ast r = NULL;
	uint64_t v = 0;

	if (Z3_model_eval(z, m, t, true, &r) && r && Z3_is_numeral_ast(z, r))
		Z3_get_numeral_uint64(z, r, &v);
	return v;
}

void xz_solver_timeout(Z3_context z, Z3_solver s, unsigned ms)
{
	Z3_params p = Z3_mk_params(z);

	Z3_params_inc_ref(z, p);
	Z3_params_set_uint(z, p, Z3_mk_string_symbol(z, "timeout"), ms ? ms : UINT32_MAX);
	Z3_solver_set_params(z, s, p);
	Z3_params_dec_ref(z, p);
}

Z3_solver xz_solver_new(Z3_context z, const char *logic, unsigned ms)
{
	Z3_solver s = logic ? Z3_mk_solver_for_logic(z, Z3_mk_string_symbol(z, logic)) : Z3_mk_solver(z);

	Z3_solver_inc_ref(z, s);
	xz_solver_timeout(z, s, ms);
	return s;
}

/* ---------------------------------------------------------------------- */
/* Symbolic state                                                         */

enum xkind {
	XK_UNINIT = 0, /* never written */
	XK_SCALAR,     /* v is the value */
	XK_PTR,        /* v is the offset into region (id) */
	XK_OPAQUE,     /* a pointer the model does not follow */
};

enum xregion {
	XR_CTX,
	XR_STACK,    /* id: the frame's memory */
	XR_PKT,      /* offsets from data */
	XR_PKT_END,  /* v is the packet length */
	XR_PKT_META, /* offsets from data (the test run's meta area is empty) */
	XR_MEM,      /* id: a memory of the state (map value, ring buffer record) */
	XR_MAP,      /* id: the map index; not memory */
};

struct xreg {
	uint8_t kind, region;
	int32_t id;
	Z3_ast v;
};

struct xmem {
	Z3_ast bytes;  /* Array (_ BitVec 64) (_ BitVec 8) */
	uint64_t size; /* accessible bytes [0, size); stacks [-512, 0) */
	int32_t map;   /* the map of a map value, else -1 */
	/* The bytes stored at known offsets since it was made (cache[off -
	 * base], NULL: the initial byte of init), while exact (no store at a
	 * variable offset yet): loads at known offsets then skip the chain
	 * of stores in bytes, which grows with every iteration of a loop. */
	Z3_ast init;
	Z3_ast *cache;
	int64_t base;
	bool exact;
};

#define MAX_CACHED 4096

#define NSLOTS (MAX_BPF_STACK / BPF_REG_SIZE)

struct xframe {
	struct xreg r[BPFS_MAX_REG + 1];
	int32_t stack;     /* its memory */
	uint32_t ret_pc;   /* where the caller resumes */
	uint64_t spilled;  /* slots holding a pointer (spill[]) */
	struct xreg spill[NSLOTS];
};

enum xevent_kind {
	XE_CTX,    /* a context field read: off, size, v */
	XE_LOOKUP, /* a map lookup: map, key bytes at (arr, off), hit, value memory */
	XE_HELPER, /* a helper result v */
	XE_GLOBAL, /* a map's value used directly (key 0): its initial bytes arr */
};

struct xevent {
	uint8_t kind;
	bool hit;
	uint32_t insn;
	int32_t id; /* map or helper */
	uint32_t off, size;
	Z3_ast v, arr, key_off;
};

struct xstate {
	struct xframe fr[MAX_CALL_FRAMES];
	uint32_t nfr;
	uint32_t pc;
	GArray *mem;    /* struct xmem */
	GArray *ev;     /* struct xevent */
	int32_t *glob;  /* per map: its direct-value memory, or -1 */
	Z3_ast pkt, plen, ctx;
	bool pkt_valid; /* no packet-changing helper since the pointers were made */
	GString *path;  /* rejected programs: the insns walked, "0-4 7-9" */
	uint32_t seg_start;
	uint32_t pushes; /* solver scopes this path opened (popped when it ends) */
};

enum pkt_kind {
	PK_NONE,
	PK_SKB,    /* the program sees the network header first */
	PK_SKB_L2, /* the Ethernet header first */
	PK_XDP,
};

enum target_kind {
	TGT_NONE,   /* accepted: every access is checked */
	TGT_ACCESS, /* the memory access (or helper memory) at target */
	TGT_READ,   /* the register read at target */
};

struct xc {
	Z3_context z;
	Z3_solver s;
	Z3_sort bv64, bv8, arr;
	const struct bpf_insn *insns;
	size_t cnt;
	const struct bpfs_verifier_opts *vo;
	enum pkt_kind pk;
	uint64_t deadline_us, start_us;
	uint32_t max_paths;
	uint64_t insn_limit, insns_done;
	uint64_t forks;
	unsigned timeout_set; /* the solver's timeout, ms */
	struct bpfs_xcheck_result *out;

	bool rejected;
	enum target_kind tk;
	uint32_t target;
	bool done;      /* a result was found: stop everything */
	bool cut;       /* some path was not followed to its end */
	char why[256];  /* why the first cut happened */
	uint64_t target_reached;
	GString *alarm_path;
	char alarm_what[160];
	Z3_ast pkt0, plen0, ctx0;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void cut_path(struct xc *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cut_path(struct xc *x, const char *fmt, ...)
{
	va_list ap;

	if (!x->cut) {
		va_start(ap, fmt);
		vsnprintf(x->why, sizeof(x->why), fmt, ap);
		va_end(ap);
	}
	x->cut = true;
}

static Z3_ast fresh(struct xc *x, const char *name, Z3_sort s)
{
	return Z3_mk_fresh_const(x->z, name, s);
}

static Z3_ast u64c(struct xc *x, uint64_t v)
{
	return Z3_mk_unsigned_int64(x->z, v, x->bv64);
}

static Z3_ast simp(struct xc *x, Z3_ast t)
{
	return Z3_simplify(x->z, t);
}

static bool numeral(struct xc *x, Z3_ast t, uint64_t *v)
{
	return Z3_is_numeral_ast(x->z, t) && Z3_get_numeral_uint64(x->z, t, v);
}

/* a + b, folded when both are numerals (most addresses are) */
static Z3_ast add64(struct xc *x, Z3_ast a, Z3_ast b)
{
	uint64_t u, v;

	if (numeral(x, a, &u) && numeral(x, b, &v))
		return u64c(x, u + v);
	return Z3_mk_bvadd(x->z, a, b);
}

static Z3_ast sub64(struct xc *x, Z3_ast a, Z3_ast b)
{
	uint64_t u, v;

	if (numeral(x, a, &u) && numeral(x, b, &v))
		return u64c(x, u - v);
	return Z3_mk_bvsub(x->z, a, b);
}

/* t simplified to a numeral: true with *v */
static bool as_const(struct xc *x, Z3_ast t, uint64_t *v)
{
	Z3_ast s;

	if (numeral(x, t, v))
		return true;
	s = simp(x, t);

	return Z3_is_numeral_ast(x->z, s) && Z3_get_numeral_uint64(x->z, s, v);
}

static struct xreg scalar(Z3_ast v)
{
	return (struct xreg){ .kind = XK_SCALAR, .v = v };
}

static struct xreg pointer(uint8_t region, int32_t id, Z3_ast off)
{
	return (struct xreg){ .kind = XK_PTR, .region = region, .id = id, .v = off };
}

static struct xframe *frame(struct xstate *st)
{
	return &st->fr[st->nfr - 1];
}

static struct xmem *mem(struct xstate *st, int32_t id)
{
	return &g_array_index(st->mem, struct xmem, id);
}

static int32_t add_mem(struct xstate *st, Z3_ast bytes, uint64_t size, int32_t map)
{
	struct xmem m = { .bytes = bytes, .size = size, .map = map, .init = bytes };

	if (size <= MAX_CACHED) {
		m.cache = g_new0(Z3_ast, size ? size : 1);
		m.exact = true;
		m.base = map < 0 && size == MAX_BPF_STACK ? -MAX_BPF_STACK : 0;
	}

	g_array_append_val(st->mem, m);
	return (int32_t)st->mem->len - 1;
}

static void add_event(struct xstate *st, const struct xevent *e)
{
	g_array_append_vals(st->ev, e, 1);
}

static struct xstate *state_copy(struct xc *x, const struct xstate *src)
{
	struct xstate *st = g_memdup2(src, sizeof(*src));

	st->pushes = 0;
	st->mem = g_array_copy(src->mem);
	for (guint i = 0; i < st->mem->len; i++) {
		struct xmem *m = &g_array_index(st->mem, struct xmem, i);

		if (m->cache)
			m->cache = g_memdup2(m->cache, sizeof(Z3_ast) * (m->size ? m->size : 1));
	}
	st->ev = g_array_copy(src->ev);
	st->glob = g_memdup2(src->glob, sizeof(int32_t) * (x->vo->map_cnt ? x->vo->map_cnt : 1));
	st->path = src->path ? g_string_new_len(src->path->str, (gssize)src->path->len) : NULL;
	return st;
}

static void state_free(struct xstate *st)
{
	if (!st)
		return;
	for (guint i = 0; i < st->mem->len; i++)
		g_free(g_array_index(st->mem, struct xmem, i).cache);
	g_array_unref(st->mem);
	g_array_unref(st->ev);
	g_free(st->glob);
	if (st->path)
		g_string_free(st->path, TRUE);
	g_free(st);
}

/* The path's walk, for a false alarm's explanation: a non-sequential
 * transfer from st->pc to next closes a segment. */
static void note_jump(struct xstate *st, uint32_t next)
{
	if (!st->path || next == st->pc + 1)
		return;
	if (st->path->len < 2000)
		g_string_append_printf(st->path, "%s%u-%u", st->path->len ? " " : "", st->seg_start, st->pc);
	st->seg_start = next;
}

/* ---------------------------------------------------------------------- */
/* Solving                                                                */

/* Checks the assertions plus extra (may be NULL) under the time left.
 * Leaves the model to the caller through *model (referenced) when sat. */
static Z3_lbool solve(struct xc *x, Z3_ast extra, Z3_model *model)
{
	uint64_t now = now_us();
	Z3_lbool r;

	if (now >= x->deadline_us) {
		cut_path(x, "timeout");
		return Z3_L_UNDEF;
	}
	/* Setting a timeout costs a timer a check: renewed only when the
	 * time left falls under half the last one set, so that a check
	 * overruns the deadline by at most that much */
	if (!x->timeout_set || (x->deadline_us - now) / 1000u < x->timeout_set / 2) {
		x->timeout_set = (unsigned)((x->deadline_us - now) / 1000u) + 1;
		xz_solver_timeout(x->z, x->s, x->timeout_set);
	}
	x->out->queries++;
	Z3_solver_push(x->z, x->s);
	if (extra)
		Z3_solver_assert(x->z, x->s, extra);
	r = Z3_solver_check(x->z, x->s);
	if (r == Z3_L_TRUE && model) {
		*model = Z3_solver_get_model(x->z, x->s);
		Z3_model_inc_ref(x->z, *model);
	}
	Z3_solver_pop(x->z, x->s, 1);
	if (r == Z3_L_UNDEF)
		cut_path(x, now_us() >= x->deadline_us ? "timeout" : "solver gave up: %s",
			 Z3_solver_get_reason_unknown(x->z, x->s));
	return r;
}

static void fill_witness(struct xc *x, const struct xstate *st, Z3_model m, const char *what)
{
	struct bpfs_witness *w = calloc(1, sizeof(*w));
	size_t n = 0;

	if (!w)
		return;
	w->prog_type = x->vo->prog_type;
	w->insn = st->pc;
	snprintf(w->what, sizeof(w->what), "%s", what);
	if (x->pk != PK_NONE) {
		uint64_t len = xz_eval_u64(x->z, m, x->plen0);
		size_t pre = x->pk == PK_SKB ? 14 : 0;

		w->has_packet = true;
		w->packet_len = pre + len;
		w->packet = calloc(1, w->packet_len + 1);
		for (uint64_t i = 0; w->packet && i < len; i++)
			w->packet[pre + i] = (uint8_t)xz_eval_u64(
			    x->z, m, Z3_mk_select(x->z, x->pkt0, u64c(x, i)));
	}
	w->ctx = calloc(st->ev->len + 1, sizeof(*w->ctx));
	w->lookups = calloc(st->ev->len + 1, sizeof(*w->lookups));
	w->helpers = calloc(st->ev->len + 1, sizeof(*w->helpers));
	for (guint i = 0; i < st->ev->len && w->ctx && w->lookups && w->helpers; i++) {
		const struct xevent *e = &g_array_index(st->ev, struct xevent, i);
		const struct bpfs_map_spec *ms = e->id >= 0 && (size_t)e->id < x->vo->map_cnt ? &x->vo->maps[e->id] : NULL;

		switch (e->kind) {
		case XE_CTX:
			w->ctx[w->nctx++] = (struct bpfs_witness_field){ e->off, e->size, xz_eval_u64(x->z, m, e->v) };
			break;
		case XE_HELPER:
			w->helpers[w->nhelpers++] = (struct bpfs_witness_helper){ e->insn, e->id, xz_eval_u64(x->z, m, e->v) };
			break;
		case XE_LOOKUP:
		case XE_GLOBAL: {
			struct bpfs_witness_lookup *l = &w->lookups[w->nlookups++];

			l->insn = e->insn;
			l->map = e->id;
			l->hit = e->kind == XE_GLOBAL || e->hit;
			l->key_size = ms ? ms->key_size : 0;
			l->key = calloc(1, l->key_size + 1);
			for (uint32_t k = 0; e->kind == XE_LOOKUP && l->key && k < l->key_size; k++)
				l->key[k] = (uint8_t)xz_eval_u64(
				    x->z, m,
				    Z3_mk_select(x->z, e->arr, Z3_mk_bvadd(x->z, e->key_off, u64c(x, k))));
			if (l->hit) {
				Z3_ast vb = e->kind == XE_GLOBAL ? e->arr : e->v;

				l->value_size = ms ? ms->value_size : 0;
				l->value = calloc(1, l->value_size + 1);
				for (uint32_t k = 0; l->value && k < l->value_size; k++)
					l->value[k] = (uint8_t)xz_eval_u64(x->z, m,
									   Z3_mk_select(x->z, vb, u64c(x, k)));
			}
			break;
		}
		}
	}
	(void)n;
	bpfs_witness_free(x->out->witness);
	x->out->witness = w;
}

/* An unsafe access (what) is possible at st->pc under model m. Returns
 * true when the result is decided. */
static bool violation(struct xc *x, const struct xstate *st, Z3_model m, const char *what)
{
	if (x->rejected && !(x->tk != TGT_NONE && st->pc == x->target))
		return false;
	x->out->kind = x->rejected ? BPFS_XCHECK_TRUE_POSITIVE : BPFS_XCHECK_UNSOUND;
	x->out->insn = (int)st->pc;
	snprintf(x->out->reason, sizeof(x->out->reason), "%s", what);
	fill_witness(x, st, m, what);
	x->done = true;
	return true;
}

/* Checks that ok holds on every input of the path; else reports what.
 * Returns 0 when safe, 1 when the path must stop (a violation, or the
 * solver could not tell). */
static int check_safe(struct xc *x, struct xstate *st, Z3_ast ok, const char *what)
{
	Z3_ast s = simp(x, ok);
	Z3_model m = NULL;
	Z3_lbool r;

	if (x->rejected && st->pc == x->target)
		x->target_reached++;
	if (Z3_get_bool_value(x->z, s) == Z3_L_TRUE)
		r = Z3_L_FALSE;
	else
		r = solve(x, Z3_mk_not(x->z, s), &m);
	if (r == Z3_L_FALSE) {
		if (x->rejected && st->pc == x->target && !x->alarm_path) {
			x->alarm_path = g_string_new(st->path ? st->path->str : "");
			g_string_append_printf(x->alarm_path, "%s%u-%u", x->alarm_path->len ? " " : "", st->seg_start,
					       st->pc);
			snprintf(x->alarm_what, sizeof(x->alarm_what), "%s", what);
		}
		return 0;
	}
	if (r == Z3_L_TRUE) {
		violation(x, st, m, what);
		Z3_model_dec_ref(x->z, m);
	}
	return 1;
}

/* ---------------------------------------------------------------------- */
/* ALU semantics (RFC 9669)                                               */

static Z3_ast lo32(struct xc *x, Z3_ast v)
{
	return Z3_mk_extract(x->z, 31, 0, v);
}

static Z3_ast zext32(struct xc *x, Z3_ast v32)
{
	return Z3_mk_zero_ext(x->z, 32, v32);
}

static Z3_ast bswap(struct xc *x, Z3_ast v, unsigned bits)
{
	Z3_ast r = Z3_mk_extract(x->z, 7, 0, v);

	for (unsigned i = 8; i < bits; i += 8)
		r = Z3_mk_concat(x->z, r, Z3_mk_extract(x->z, i + 7, i, v));
	return r;
}

/* dst op src at width bits (32 or 64), both of that width; off selects
 * the signed division and modulo (1) and MOVSX's source width. */
static Z3_ast alu_op(struct xc *x, uint8_t op, Z3_ast d, Z3_ast s, unsigned bits, int16_t off)
{
	Z3_context z = x->z;
	Z3_ast zero = xz_u64(z, 0, bits), mask = xz_u64(z, bits - 1, bits);
	Z3_ast s0 = Z3_mk_eq(z, s, zero);

	switch (op) {
	case BPF_ADD: return Z3_mk_bvadd(z, d, s);
	case BPF_SUB: return Z3_mk_bvsub(z, d, s);
	case BPF_MUL: return Z3_mk_bvmul(z, d, s);
	case BPF_DIV: return Z3_mk_ite(z, s0, zero, off == 1 ? Z3_mk_bvsdiv(z, d, s) : Z3_mk_bvudiv(z, d, s));
	case BPF_MOD: return Z3_mk_ite(z, s0, d, off == 1 ? Z3_mk_bvsrem(z, d, s) : Z3_mk_bvurem(z, d, s));
	case BPF_OR: return Z3_mk_bvor(z, d, s);
	case BPF_AND: return Z3_mk_bvand(z, d, s);
	case BPF_XOR: return Z3_mk_bvxor(z, d, s);
	case BPF_LSH: return Z3_mk_bvshl(z, d, Z3_mk_bvand(z, s, mask));
	case BPF_RSH: return Z3_mk_bvlshr(z, d, Z3_mk_bvand(z, s, mask));
	case BPF_ARSH: return Z3_mk_bvashr(z, d, Z3_mk_bvand(z, s, mask));
	case BPF_NEG: return Z3_mk_bvneg(z, d);
	case BPF_MOV:
		if (off == 8 || off == 16 || off == 32)
			return Z3_mk_sign_ext(z, bits - (unsigned)off, Z3_mk_extract(z, (unsigned)off - 1, 0, s));
		return s;
	}
	return NULL;
}

static Z3_ast alu_scalar_term(struct xc *x, const struct bpf_insn *in, Z3_ast d, Z3_ast s)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);

	if (op == BPF_END) {
		unsigned bits = (unsigned)in->imm;
		Z3_ast low = Z3_mk_extract(x->z, bits - 1, 0, d);

		if (!is64 && BPF_SRC(in->code) == BPF_K) /* to little-endian: truncation */
			return bits == 64 ? d : Z3_mk_zero_ext(x->z, 64 - bits, low);
		low = bswap(x, low, bits);
		return bits == 64 ? low : Z3_mk_zero_ext(x->z, 64 - bits, low);
	}
	if (is64)
		return alu_op(x, op, d, s, 64, in->off);
	return zext32(x, alu_op(x, op, lo32(x, d), lo32(x, s), 32, in->off));
}

/* The 64-bit result of a scalar ALU insn (class ALU or ALU64), a
 * numeral when its operands are */
static Z3_ast alu_scalar(struct xc *x, const struct bpf_insn *in, Z3_ast d, Z3_ast s)
{
	Z3_ast r = alu_scalar_term(x, in, d, s);
	uint64_t u;

	if (Z3_is_numeral_ast(x->z, d) && (Z3_is_numeral_ast(x->z, s) || BPF_OP(in->code) == BPF_END ||
					   BPF_OP(in->code) == BPF_NEG) && !numeral(x, r, &u))
		r = simp(x, r);
	return r;
}

static Z3_ast jmp_cond(struct xc *x, uint8_t op, Z3_ast a, Z3_ast b, bool is32, bool ptrs)
{
	Z3_context z = x->z;

	if (is32) {
		a = lo32(x, a);
		b = lo32(x, b);
	}
	if (ptrs) { /* offsets from one base: no wrap, order is signed */
		switch (op) {
		case BPF_JGT: op = BPF_JSGT; break;
		case BPF_JGE: op = BPF_JSGE; break;
		case BPF_JLT: op = BPF_JSLT; break;
		case BPF_JLE: op = BPF_JSLE; break;
		}
	}
	switch (op) {
	case BPF_JEQ: return Z3_mk_eq(z, a, b);
	case BPF_JNE: return Z3_mk_not(z, Z3_mk_eq(z, a, b));
	case BPF_JGT: return Z3_mk_bvugt(z, a, b);
	case BPF_JGE: return Z3_mk_bvuge(z, a, b);
	case BPF_JLT: return Z3_mk_bvult(z, a, b);
	case BPF_JLE: return Z3_mk_bvule(z, a, b);
	case BPF_JSGT: return Z3_mk_bvsgt(z, a, b);
	case BPF_JSGE: return Z3_mk_bvsge(z, a, b);
	case BPF_JSLT: return Z3_mk_bvslt(z, a, b);
	case BPF_JSLE: return Z3_mk_bvsle(z, a, b);
	case BPF_JSET:
		return Z3_mk_not(z, Z3_mk_eq(z, Z3_mk_bvand(z, a, b), xz_u64(z, 0, is32 ? 32 : 64)));
	}
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Memory                                                                 */

static const char *region_name(const struct xreg *r)
{
	if (r->kind == XK_SCALAR)
		return "scalar";
	if (r->kind != XK_PTR)
		return "pointer";
	switch (r->region) {
	case XR_CTX: return "ctx";
	case XR_STACK: return "fp";
	case XR_PKT: return "pkt";
	case XR_PKT_END: return "pkt_end";
	case XR_PKT_META: return "pkt_meta";
	case XR_MEM: return "map_value";
	case XR_MAP: return "map_ptr";
	}
	return "?";
}

/* Where an access goes: the array to read or update and the index of
 * its first byte */
struct xloc {
	Z3_ast *bytes;
	Z3_ast idx;
	int32_t stack; /* the stack memory, else -1 */
	int32_t memid; /* the memory (its cache), else -1 */
};

/* lo <=s idx && size <=u span && idx <=s hi - size, with hi - lo = span
 * and size at most 64 KiB */
static Z3_ast in_bounds(struct xc *x, Z3_ast idx, Z3_ast size, Z3_ast lo, Z3_ast hi)
{
	Z3_context z = x->z;
	Z3_ast c[3] = {
		Z3_mk_bvsge(z, idx, lo),
		Z3_mk_bvule(z, size, u64c(x, 1u << 16)),
		Z3_mk_bvsle(z, idx, Z3_mk_bvsub(z, hi, size)),
	};

	return Z3_mk_and(z, 3, c);
}

/* A register must be initialised where it is read. Returns 0, or 1 when
 * the path stops. */
static int read_reg(struct xc *x, struct xstate *st, uint32_t regno)
{
	char what[64];

	if (frame(st)->r[regno].kind != XK_UNINIT)
		return 0;
	if (x->rejected && st->pc == x->target)
		x->target_reached++;
	snprintf(what, sizeof(what), "R%u read before it is written", regno);
	{
		Z3_model m = NULL;

		if (solve(x, NULL, &m) == Z3_L_TRUE) {
			violation(x, st, m, what);
			Z3_model_dec_ref(x->z, m);
		}
	}
	return 1;
}

/* Checks an access of size bytes (sz) at p + off; fills *loc. Returns 0
 * when safe, 1 when the path stops. Context accesses are not handled
 * here. */
static int check_mem(struct xc *x, struct xstate *st, const struct xreg *p, uint32_t regno, Z3_ast off, Z3_ast sz,
		     bool zero_ok, const char *how, struct xloc *loc)
{
	char what[200];
	Z3_ast idx, lo, hi, ok;

	loc->stack = -1;
	loc->memid = -1;
	if (p->kind == XK_OPAQUE) {
		cut_path(x, "insn %u: access through a pointer the model does not follow", st->pc);
		return 1;
	}
	if (p->kind != XK_PTR || p->region == XR_PKT_END || p->region == XR_MAP || p->region == XR_CTX) {
		snprintf(what, sizeof(what), "%s through R%u, a %s", how, regno, region_name(p));
		check_safe(x, st, Z3_mk_false(x->z), what);
		return 1;
	}
	if (p->region == XR_PKT_META) {
		snprintf(what, sizeof(what), "%s in the empty packet metadata through R%u", how, regno);
		check_safe(x, st, Z3_mk_false(x->z), what);
		return 1;
	}
	idx = add64(x, p->v, off);
	switch (p->region) {
	case XR_STACK:
		lo = u64c(x, (uint64_t)-MAX_BPF_STACK);
		hi = u64c(x, 0);
		loc->bytes = &mem(st, p->id)->bytes;
		loc->stack = p->id;
		loc->memid = p->id;
		snprintf(what, sizeof(what), "%s outside the stack (512 bytes) through R%u", how, regno);
		break;
	case XR_PKT:
		if (!st->pkt_valid) {
			cut_path(x, "insn %u: packet pointer after a packet-changing helper", st->pc);
			return 1;
		}
		lo = u64c(x, 0);
		hi = st->plen;
		loc->bytes = &st->pkt;
		snprintf(what, sizeof(what), "%s past the packet's end through R%u", how, regno);
		break;
	default: /* XR_MEM */
		lo = u64c(x, 0);
		hi = u64c(x, mem(st, p->id)->size);
		loc->bytes = &mem(st, p->id)->bytes;
		loc->memid = p->id;
		snprintf(what, sizeof(what), "%s outside the %" G_GUINT64_FORMAT "-byte %s through R%u", how,
			 mem(st, p->id)->size, mem(st, p->id)->map >= 0 ? "map value" : "memory", regno);
		break;
	}
	loc->idx = idx;
	ok = in_bounds(x, idx, sz, lo, hi);
	if (zero_ok)
		ok = Z3_mk_or(x->z, 2, (Z3_ast[]){ Z3_mk_eq(x->z, sz, u64c(x, 0)), ok });
	return check_safe(x, st, ok, what);
}

static Z3_ast load_bytes(struct xc *x, Z3_ast bytes, Z3_ast idx, unsigned size)
{
	Z3_ast v = NULL;

	for (unsigned i = 0; i < size; i++) {
		Z3_ast b = Z3_mk_select(x->z, bytes, add64(x, idx, u64c(x, i)));

		v = v ? Z3_mk_concat(x->z, b, v) : b;
	}
	return size < 8 ? Z3_mk_zero_ext(x->z, 64 - 8 * size, v) : v;
}

static Z3_ast store_bytes(struct xc *x, Z3_ast bytes, Z3_ast idx, Z3_ast v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		bytes = Z3_mk_store(x->z, bytes, add64(x, idx, u64c(x, i)),
				    Z3_mk_extract(x->z, 8 * i + 7, 8 * i, v));
	return bytes;
}

/* The cached bytes of an access at a known offset of an exact memory */
static Z3_ast *cached(struct xc *x, struct xstate *st, const struct xloc *loc, unsigned size)
{
	struct xmem *m = loc->memid >= 0 ? mem(st, loc->memid) : NULL;
	uint64_t o;
	int64_t i;

	if (!m || !m->exact || !as_const(x, loc->idx, &o))
		return NULL;
	i = (int64_t)o - m->base;
	if (i < 0 || (uint64_t)i + size > m->size)
		return NULL;
	return &m->cache[i];
}

static Z3_ast loc_load(struct xc *x, struct xstate *st, const struct xloc *loc, unsigned size)
{
	Z3_ast *c = cached(x, st, loc, size), v = NULL;

	if (!c)
		return load_bytes(x, *loc->bytes, loc->idx, size);
	for (unsigned i = 0; i < size; i++) {
		Z3_ast b = c[i] ? c[i]
				: Z3_mk_select(x->z, mem(st, loc->memid)->init, add64(x, loc->idx, u64c(x, i)));

		v = v ? Z3_mk_concat(x->z, b, v) : b;
	}
	return size < 8 ? Z3_mk_zero_ext(x->z, 64 - 8 * size, v) : v;
}

static void loc_store(struct xc *x, struct xstate *st, const struct xloc *loc, Z3_ast v, unsigned size)
{
	Z3_ast *c = cached(x, st, loc, size);

	*loc->bytes = store_bytes(x, *loc->bytes, loc->idx, v, size);
	if (c) {
		for (unsigned i = 0; i < size; i++)
			c[i] = simp(x, Z3_mk_extract(x->z, 8 * i + 7, 8 * i, v));
	} else if (loc->memid >= 0) {
		mem(st, loc->memid)->exact = false;
	}
}

/* The frame owning stack memory id */
static struct xframe *stack_frame(struct xstate *st, int32_t id)
{
	for (uint32_t f = 0; f < st->nfr; f++)
		if (st->fr[f].stack == id)
			return &st->fr[f];
	return NULL;
}

/* A store to the stack: the pointer spills it overlaps are gone; an
 * aligned 8-byte store of a pointer at a known place records one. */
static void stack_store(struct xc *x, struct xstate *st, const struct xloc *loc, unsigned size,
			const struct xreg *val)
{
	struct xframe *f = stack_frame(st, loc->stack);
	uint64_t o;

	if (!f)
		return;
	if (!as_const(x, loc->idx, &o)) {
		f->spilled = 0;
		return;
	}
	for (int64_t b = (int64_t)o; b < (int64_t)o + (int64_t)size; b++) {
		int64_t slot = (b + MAX_BPF_STACK) / BPF_REG_SIZE;

		if (slot >= 0 && slot < NSLOTS)
			f->spilled &= ~(1ull << slot);
	}
	if (val && val->kind != XK_SCALAR && size == 8 && (int64_t)o % 8 == 0) {
		int64_t slot = ((int64_t)o + MAX_BPF_STACK) / BPF_REG_SIZE;

		f->spill[slot] = *val;
		f->spilled |= 1ull << slot;
	}
}

/* A load of 8 bytes from a pointer spill, if there is one there */
static bool stack_fill(struct xc *x, struct xstate *st, const struct xloc *loc, unsigned size, struct xreg *out)
{
	struct xframe *f = stack_frame(st, loc->stack);
	uint64_t o;
	int64_t slot;

	if (!f || !f->spilled || !as_const(x, loc->idx, &o))
		return false;
	slot = ((int64_t)o + MAX_BPF_STACK) / BPF_REG_SIZE;
	if ((int64_t)o % 8 || slot < 0 || slot >= NSLOTS || !(f->spilled >> slot & 1))
		return false;
	if (size == 8)
		*out = f->spill[slot];
	else
		*out = scalar(Z3_mk_zero_ext(x->z, 64 - 8 * size,
					     Z3_mk_extract(x->z, 8 * size - 1, 0, fresh(x, "ptrbits", x->bv64))));
	return true;
}

/* The bytes a store of reg writes: a pointer's are unknown */
static Z3_ast value_bits(struct xc *x, const struct xreg *r)
{
	return r->kind == XK_SCALAR ? r->v : fresh(x, "addr", x->bv64);
}

/* ---------------------------------------------------------------------- */
/* The context                                                            */

static bool pkt_has_len_field(const struct xc *x)
{
	return x->pk == PK_SKB || x->pk == PK_SKB_L2;
}

/* Program types whose context holds the traced function's arguments,
 * typed by BTF: any of them may be a kernel pointer, which the model
 * does not follow */
static bool ctx_has_btf_pointers(uint32_t type)
{
	return type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_STRUCT_OPS ||
	       type == BPF_PROG_TYPE_EXT;
}

/* A context access at the constant offset the path forces. Returns 0
 * (the load's result in *out when reading), or 1 when the path stops. */
static int ctx_access(struct xc *x, struct xstate *st, const struct xreg *p, uint32_t regno, int16_t insn_off,
		      unsigned size, bool write, const struct xreg *val, bool sext, struct xreg *out)
{
	Z3_ast off = add64(x, p->v, u64c(x, (uint64_t)(int64_t)insn_off));
	struct ctx_access res = { .reg_type = SCALAR_VALUE };
	char what[160];
	uint64_t c;

	if (!as_const(x, off, &c)) {
		Z3_model m = NULL;

		if (solve(x, NULL, &m) != Z3_L_TRUE)
			return 1;
		c = xz_eval_u64(x->z, m, off);
		Z3_model_dec_ref(x->z, m);
		snprintf(what, sizeof(what), "context access through R%u at a variable offset", regno);
		if (check_safe(x, st, Z3_mk_eq(x->z, off, u64c(x, c)), what))
			return 1;
	}
	snprintf(what, sizeof(what), "context access off=%" G_GINT64_FORMAT " size=%u %s, not a field of the context",
		 (int64_t)c, size, write ? "(write)" : "(read)");
	if ((int64_t)c < 0 || c > 4096 || !ctx_access_ok(x->vo, (int)c, (int)size, write, &res)) {
		check_safe(x, st, Z3_mk_false(x->z), what);
		return 1;
	}
	if (write) {
		st->ctx = store_bytes(x, st->ctx, u64c(x, c), value_bits(x, val), size);
		return 0;
	}
	switch (res.reg_type) {
	case PTR_TO_PACKET:
		*out = pointer(XR_PKT, 0, u64c(x, 0));
		return 0;
	case PTR_TO_PACKET_META:
		*out = pointer(XR_PKT_META, 0, u64c(x, 0));
		return 0;
	case PTR_TO_PACKET_END:
		*out = pointer(XR_PKT_END, 0, st->plen);
		return 0;
	case SCALAR_VALUE:
		break;
	default:
		*out = (struct xreg){ .kind = XK_OPAQUE };
		return 0;
	}
	if (ctx_has_btf_pointers(x->vo->prog_type)) {
		*out = (struct xreg){ .kind = XK_OPAQUE };
		return 0;
	}
	if (c == 0 && size == 4 && pkt_has_len_field(x)) {
		*out = scalar(Z3_mk_zero_ext(x->z, 32, Z3_mk_extract(x->z, 31, 0, st->plen)));
		return 0;
	}
	{
		Z3_ast v = load_bytes(x, st->ctx, u64c(x, c), size);
		struct xevent e = { .kind = XE_CTX, .insn = st->pc, .off = (uint32_t)c, .size = size, .v = v };

		add_event(st, &e);
		if (sext && size < 8)
			v = Z3_mk_sign_ext(x->z, 64 - 8 * size, Z3_mk_extract(x->z, 8 * size - 1, 0, v));
		*out = scalar(v);
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Loads, stores, atomics                                                 */

static unsigned size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	}
	return 8;
}

static int do_load(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	const struct xreg *p = &f->r[in->src_reg];
	unsigned size = size_bytes(in->code);
	bool sext = BPF_MODE(in->code) == BPF_MEMSX;
	struct xreg out = { 0 };
	struct xloc loc;
	Z3_ast v;

	if (read_reg(x, st, in->src_reg))
		return 1;
	if (p->kind == XK_PTR && p->region == XR_CTX) {
		if (ctx_access(x, st, p, in->src_reg, in->off, size, false, NULL, sext, &out))
			return 1;
		f->r[in->dst_reg] = out;
		return 0;
	}
	if (check_mem(x, st, p, in->src_reg, u64c(x, (uint64_t)(int64_t)in->off), u64c(x, size), false, "read", &loc))
		return 1;
	if (loc.stack >= 0 && stack_fill(x, st, &loc, size, &out)) {
		f->r[in->dst_reg] = out;
		return 0;
	}
	v = loc_load(x, st, &loc, size);
	if (sext && size < 8)
		v = Z3_mk_sign_ext(x->z, 64 - 8 * size, Z3_mk_extract(x->z, 8 * size - 1, 0, v));
	f->r[in->dst_reg] = scalar(v);
	return 0;
}

static int do_store(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	const struct xreg *p = &f->r[in->dst_reg];
	unsigned size = size_bytes(in->code);
	struct xreg val;
	struct xloc loc;

	if (read_reg(x, st, in->dst_reg))
		return 1;
	if (BPF_CLASS(in->code) == BPF_STX) {
		if (read_reg(x, st, in->src_reg))
			return 1;
		val = f->r[in->src_reg];
	} else {
		val = scalar(u64c(x, (uint64_t)(int64_t)in->imm));
	}
	if (p->kind == XK_PTR && p->region == XR_CTX)
		return ctx_access(x, st, p, in->dst_reg, in->off, size, true, &val, false, NULL);
	if (check_mem(x, st, p, in->dst_reg, u64c(x, (uint64_t)(int64_t)in->off), u64c(x, size), false, "write", &loc))
		return 1;
	if (loc.stack >= 0)
		stack_store(x, st, &loc, size, &val);
	loc_store(x, st, &loc, value_bits(x, &val), size);
	return 0;
}

static int do_atomic(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	const struct xreg *p = &f->r[in->dst_reg];
	unsigned size = size_bytes(in->code), bits = 8 * size;
	int32_t op = in->imm;
	struct xloc loc;
	Z3_ast old, src, nv;

	if (op == BPF_LOAD_ACQ) {
		struct bpf_insn ld = *in;

		ld.code = (uint8_t)(BPF_LDX | BPF_MEM | BPF_SIZE(in->code));
		return do_load(x, st, &ld);
	}
	if (op == BPF_STORE_REL) {
		struct bpf_insn stx = *in;

		stx.code = (uint8_t)(BPF_STX | BPF_MEM | BPF_SIZE(in->code));
		return do_store(x, st, &stx);
	}
	if (read_reg(x, st, in->dst_reg) || read_reg(x, st, in->src_reg))
		return 1;
	if (op == BPF_CMPXCHG && read_reg(x, st, BPF_REG_0))
		return 1;
	if (p->kind == XK_PTR && p->region == XR_CTX) {
		cut_path(x, "insn %u: atomic on the context", st->pc);
		return 1;
	}
	if (check_mem(x, st, p, in->dst_reg, u64c(x, (uint64_t)(int64_t)in->off), u64c(x, size), false,
		      "atomic access", &loc))
		return 1;
	if (loc.stack >= 0)
		stack_store(x, st, &loc, size, NULL);
	old = loc_load(x, st, &loc, size);
	src = value_bits(x, &f->r[in->src_reg]);
	if (bits == 32) {
		old = lo32(x, old);
		src = lo32(x, src);
	}
	switch (op & ~BPF_FETCH) {
	case BPF_ADD: nv = Z3_mk_bvadd(x->z, old, src); break;
	case BPF_OR: nv = Z3_mk_bvor(x->z, old, src); break;
	case BPF_AND: nv = Z3_mk_bvand(x->z, old, src); break;
	case BPF_XOR: nv = Z3_mk_bvxor(x->z, old, src); break;
	default:
		if (op == BPF_XCHG) {
			nv = src;
		} else if (op == BPF_CMPXCHG) {
			Z3_ast r0 = value_bits(x, &f->r[0]);

			if (bits == 32)
				r0 = lo32(x, r0);
			nv = Z3_mk_ite(x->z, Z3_mk_eq(x->z, old, r0), src, old);
		} else {
			cut_path(x, "insn %u: atomic op %#x", st->pc, (unsigned)op);
			return 1;
		}
	}
	loc_store(x, st, &loc, bits == 32 ? zext32(x, nv) : nv, size);
	if (bits == 32)
		old = zext32(x, old);
	if (op == BPF_CMPXCHG)
		f->r[0] = scalar(old);
	else if (op & BPF_FETCH)
		f->r[in->src_reg] = scalar(old);
	return 0;
}

/* LD_ABS / LD_IND: a big-endian load from the packet; out of range the
 * program exits with 0. Returns 0 to go on, 1 when the path ended. */
static int explore(struct xc *x, struct xstate *st);

static int do_ld_pkt(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	unsigned size = size_bytes(in->code);
	Z3_ast off = u64c(x, (uint64_t)(int64_t)in->imm), ok, v;
	Z3_lbool r;

	if (read_reg(x, st, BPF_REG_6))
		return 1;
	if (BPF_MODE(in->code) == BPF_IND) {
		if (read_reg(x, st, in->src_reg))
			return 1;
		if (f->r[in->src_reg].kind != XK_SCALAR) {
			cut_path(x, "insn %u: LD_IND with a pointer", st->pc);
			return 1;
		}
		off = Z3_mk_sign_ext(x->z, 32, Z3_mk_bvadd(x->z, lo32(x, f->r[in->src_reg].v), lo32(x, off)));
	}
	if (x->pk == PK_NONE) {
		cut_path(x, "insn %u: LD_ABS without a packet", st->pc);
		return 1;
	}
	ok = in_bounds(x, off, u64c(x, size), u64c(x, 0), st->plen);
	r = solve(x, Z3_mk_not(x->z, ok), NULL);
	if (r == Z3_L_UNDEF)
		return 1;
	if (r == Z3_L_TRUE) {
		Z3_lbool r2 = solve(x, ok, NULL);

		if (r2 == Z3_L_UNDEF)
			return 1;
		if (r2 == Z3_L_FALSE)
			return 1;
		Z3_solver_push(x->z, x->s);
		Z3_solver_assert(x->z, x->s, ok);
		{
			struct xstate *c = state_copy(x, st);
			int ret;

			for (int i = 1; i <= 5; i++)
				frame(c)->r[i].kind = XK_UNINIT;
			v = load_bytes(x, c->pkt, off, size);
			frame(c)->r[0] = scalar(size == 8 ? bswap(x, v, 64)
							  : Z3_mk_zero_ext(x->z, 64 - 8 * size,
									   bswap(x, Z3_mk_extract(x->z, 8 * size - 1, 0, v),
										 8 * size)));
			c->pc++;
			ret = explore(x, c);
			state_free(c);
			Z3_solver_pop(x->z, x->s, 1);
			(void)ret;
		}
		return 1;
	}
	for (int i = 1; i <= 5; i++)
		f->r[i].kind = XK_UNINIT;
	v = load_bytes(x, st->pkt, off, size);
	f->r[0] = scalar(size == 8 ? bswap(x, v, 64)
				   : Z3_mk_zero_ext(x->z, 64 - 8 * size,
						    bswap(x, Z3_mk_extract(x->z, 8 * size - 1, 0, v), 8 * size)));
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Branching                                                              */

/* Assumes c on the rest of st's path. Returns 1 when it holds on some
 * input (asserted), 0 when it cannot, -1 when the solver could not tell. */
static int assume(struct xc *x, struct xstate *st, Z3_ast c)
{
	Z3_ast s = simp(x, c);
	Z3_lbool r;

	switch (Z3_get_bool_value(x->z, s)) {
	case Z3_L_TRUE:
		return 1;
	case Z3_L_FALSE:
		return 0;
	default:
		break;
	}
	r = solve(x, s, NULL);
	if (r == Z3_L_UNDEF)
		return -1;
	if (r == Z3_L_FALSE)
		return 0;
	Z3_solver_push(x->z, x->s);
	Z3_solver_assert(x->z, x->s, s);
	st->pushes++;
	return 1;
}

static bool may_fork(struct xc *x)
{
	if (x->forks + 1 >= x->max_paths) {
		cut_path(x, "path budget (%u paths)", x->max_paths);
		return false;
	}
	x->forks++;
	return true;
}

/* Follows a copy of st from pc with c assumed (the other side of a fork).
 * Returns false when the whole run must stop. */
static void fork_to(struct xc *x, struct xstate *st, Z3_ast c, uint32_t pc)
{
	struct xstate *cp;
	int r;

	if (!may_fork(x))
		return;
	cp = state_copy(x, st);
	r = c ? assume(x, cp, c) : 1;
	if (r > 0) {
		note_jump(cp, pc);
		cp->pc = pc;
		explore(x, cp);
	} else {
		Z3_solver_pop(x->z, x->s, cp->pushes);
	}
	state_free(cp);
}

/* A two-way branch on c: taken goes to target. Returns 0 to go on with
 * st (pc set), 1 when the path ended. */
static int branch(struct xc *x, struct xstate *st, Z3_ast c, uint32_t target)
{
	Z3_ast s = simp(x, c), ns;
	Z3_lbool r1, r2;

	switch (Z3_get_bool_value(x->z, s)) {
	case Z3_L_TRUE:
		note_jump(st, target);
		st->pc = target;
		return 0;
	case Z3_L_FALSE:
		st->pc++;
		return 0;
	default:
		break;
	}
	ns = Z3_mk_not(x->z, s);
	r1 = solve(x, s, NULL);
	if (r1 == Z3_L_UNDEF)
		return 1;
	if (r1 == Z3_L_FALSE) {
		st->pc++;
		return 0;
	}
	r2 = solve(x, ns, NULL);
	if (r2 == Z3_L_UNDEF)
		return 1;
	if (r2 == Z3_L_FALSE) {
		note_jump(st, target);
		st->pc = target;
		return 0;
	}
	if (!may_fork(x))
		return 1;
	{
		struct xstate *cp = state_copy(x, st);

		Z3_solver_push(x->z, x->s);
		Z3_solver_assert(x->z, x->s, s);
		cp->pushes = 1;
		note_jump(cp, target);
		cp->pc = target;
		explore(x, cp);
		state_free(cp);
	}
	if (x->done)
		return 1;
	Z3_solver_push(x->z, x->s);
	Z3_solver_assert(x->z, x->s, ns);
	st->pushes++;
	st->pc++;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* ALU and jumps                                                          */

/* Pointers into the same memory compare by offset */
static int base_of(const struct xreg *r)
{
	if (r->kind != XK_PTR)
		return -1;
	switch (r->region) {
	case XR_PKT:
	case XR_PKT_END:
	case XR_PKT_META:
		return 1;
	case XR_CTX:
		return 2;
	case XR_MAP:
		return -1;
	}
	return 16 + r->id; /* stack, memory */
}

static struct xreg src_operand(struct xc *x, struct xframe *f, const struct bpf_insn *in)
{
	if (BPF_SRC(in->code) == BPF_X)
		return f->r[in->src_reg];
	return scalar(u64c(x, (uint64_t)(int64_t)in->imm));
}

static int do_alu(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	struct xreg *d = &f->r[in->dst_reg], s;
	uint8_t op = BPF_OP(in->code);
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;

	if (op != BPF_MOV && read_reg(x, st, in->dst_reg))
		return 1;
	if (op != BPF_END && op != BPF_NEG && BPF_SRC(in->code) == BPF_X && read_reg(x, st, in->src_reg))
		return 1;
	s = src_operand(x, f, in);
	if (op == BPF_END || op == BPF_NEG)
		s = scalar(u64c(x, 0));
	if (op == BPF_MOV && is64 && !in->off) {
		*d = s;
		return 0;
	}
	if (is64 && (op == BPF_ADD || op == BPF_SUB) && d->kind == XK_PTR && s.kind == XK_SCALAR) {
		d->v = op == BPF_ADD ? add64(x, d->v, s.v) : sub64(x, d->v, s.v);
		return 0;
	}
	if (is64 && op == BPF_ADD && d->kind == XK_SCALAR && s.kind == XK_PTR) {
		Z3_ast v = add64(x, d->v, s.v);

		*d = s;
		d->v = v;
		return 0;
	}
	if (is64 && op == BPF_SUB && base_of(d) >= 0 && base_of(d) == base_of(&s)) {
		*d = scalar(Z3_mk_bvsub(x->z, d->v, s.v));
		return 0;
	}
	if ((d->kind != XK_SCALAR && op != BPF_MOV) || s.kind != XK_SCALAR) {
		/* a pointer used as a number: its address is unknown */
		struct xreg dv = d->kind == XK_SCALAR ? *d : scalar(fresh(x, "addr", x->bv64));

		if (s.kind != XK_SCALAR)
			s = scalar(fresh(x, "addr", x->bv64));
		*d = scalar(alu_scalar(x, in, dv.v ? dv.v : u64c(x, 0), s.v));
		return 0;
	}
	*d = scalar(alu_scalar(x, in, d->kind == XK_SCALAR ? d->v : u64c(x, 0), s.v));
	return 0;
}

/* A comparison that involves pointers: its condition, or NULL when the
 * model cannot say (the path is cut). */
static Z3_ast ptr_cond(struct xc *x, struct xstate *st, uint8_t op, const struct xreg *a, const struct xreg *b,
		       bool is32)
{
	const struct xreg *p = a->kind == XK_SCALAR ? b : a, *n = a->kind == XK_SCALAR ? a : b;
	uint64_t c;

	if (a->kind != XK_SCALAR && b->kind != XK_SCALAR) {
		if (!is32 && base_of(a) >= 0 && base_of(a) == base_of(b) && op != BPF_JSET)
			return jmp_cond(x, op, a->v, b->v, false, true);
	} else if ((op == BPF_JEQ || op == BPF_JNE) && as_const(x, is32 ? lo32(x, n->v) : n->v, &c) && !c &&
		   !(p->kind == XK_PTR && p->region == XR_MAP && false)) {
		/* a pointer the model holds is never NULL */
		return op == BPF_JNE ? Z3_mk_true(x->z) : Z3_mk_false(x->z);
	}
	cut_path(x, "insn %u: comparison of %s with %s not modelled", st->pc, region_name(a), region_name(b));
	return NULL;
}

static int do_jmp(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *f = frame(st);
	uint8_t op = BPF_OP(in->code);
	bool is32 = BPF_CLASS(in->code) == BPF_JMP32;
	uint32_t target = (uint32_t)((int64_t)st->pc + 1 + in->off);
	struct xreg a, b;
	Z3_ast c;

	if (op == BPF_JA) {
		target = (uint32_t)((int64_t)st->pc + 1 + (is32 ? in->imm : in->off));
		note_jump(st, target);
		st->pc = target;
		return 0;
	}
	if (op == BPF_JCOND) { /* may_goto: either way */
		fork_to(x, st, NULL, target);
		st->pc++;
		return x->done;
	}
	if (read_reg(x, st, in->dst_reg))
		return 1;
	if (BPF_SRC(in->code) == BPF_X && read_reg(x, st, in->src_reg))
		return 1;
	a = f->r[in->dst_reg];
	b = src_operand(x, f, in);
	if (a.kind == XK_SCALAR && b.kind == XK_SCALAR)
		c = jmp_cond(x, op, a.v, b.v, is32, false);
	else
		c = ptr_cond(x, st, op, &a, &b, is32);
	if (!c)
		return 1;
	return branch(x, st, c, target);
}

/* ---------------------------------------------------------------------- */
/* Calls                                                                  */

static void clobber_args(struct xframe *f)
{
	for (int i = 1; i <= 5; i++)
		f->r[i] = (struct xreg){ .kind = XK_UNINIT };
}

/* After a packet-changing helper: a new packet, old pointers unusable */
static int packet_changed(struct xc *x, struct xstate *st)
{
	Z3_ast len = fresh(x, "pkt_len", x->bv64);

	for (uint32_t i = 0; i < st->nfr; i++) {
		for (int r = 0; r <= BPFS_MAX_REG; r++) {
			struct xreg *g = &st->fr[i].r[r];

			if (g->kind == XK_PTR && base_of(g) == 1)
				g->kind = XK_OPAQUE;
		}
		for (int k = 0; k < NSLOTS; k++)
			if (st->fr[i].spilled >> k & 1 && base_of(&st->fr[i].spill[k]) == 1)
				st->fr[i].spill[k].kind = XK_OPAQUE;
	}
	st->pkt = fresh(x, "pkt", x->arr);
	st->plen = len;
	return assume(x, st, Z3_mk_bvule(x->z, len, u64c(x, 65535)));
}

/* A helper's memory argument in regno, size bytes: checked, and given
 * fresh bytes when the helper writes it */
static int helper_mem(struct xc *x, struct xstate *st, uint32_t regno, Z3_ast size, bool zero_ok, bool write,
		      bool null_ok, struct xloc *loc)
{
	const struct xreg *p = &frame(st)->r[regno];
	uint64_t n;

	loc->bytes = NULL;
	loc->stack = -1;
	loc->memid = -1;
	if (null_ok && p->kind == XK_SCALAR) {
		uint64_t c;

		if (as_const(x, p->v, &c) && !c)
			return 0;
	}
	if (check_mem(x, st, p, regno, u64c(x, 0), size, zero_ok, write ? "helper write" : "helper read", loc))
		return 1;
	if (!write)
		return 0;
	if (loc->stack >= 0)
		stack_store(x, st, loc, as_const(x, size, &n) && n <= 512 ? (unsigned)n : 512, NULL);
	if (as_const(x, size, &n) && n <= 4096) {
		for (uint64_t i = 0; i < n; i++) {
			struct xloc b = *loc;

			b.idx = add64(x, loc->idx, u64c(x, i));
			loc_store(x, st, &b, Z3_mk_zero_ext(x->z, 56, fresh(x, "hbuf", x->bv8)), 1);
		}
	} else {
		*loc->bytes = fresh(x, "hmem", x->arr);
		if (loc->memid >= 0)
			mem(st, loc->memid)->exact = false;
	}
	if (loc->stack >= 0 && !(as_const(x, size, &n) && n <= 512))
		stack_frame(st, loc->stack)->spilled = 0;
	return 0;
}

static bool map_is_array(const struct bpfs_map_spec *m)
{
	return m->type == BPF_MAP_TYPE_ARRAY || m->type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* R0 of a lookup-like helper: a miss path (R0 = 0) and a hit path (a
 * fresh value). key is where the key is, when the helper takes one. */
static int lookup_result(struct xc *x, struct xstate *st, int32_t map, const struct xloc *key, bool may_miss)
{
	const struct bpfs_map_spec *m = &x->vo->maps[map];
	Z3_ast hit_c = NULL;
	struct xevent e = { .kind = XE_LOOKUP, .insn = st->pc, .id = map };

	if (key && key->bytes) {
		e.arr = *key->bytes;
		e.key_off = key->idx;
		if (map_is_array(m) && m->key_size == 4)
			hit_c = Z3_mk_bvult(x->z, loc_load(x, st, key, 4), u64c(x, m->max_entries));
	} else {
		e.arr = Z3_mk_const_array(x->z, x->bv64, xz_u64(x->z, 0, 8));
		e.key_off = u64c(x, 0);
	}
	if (may_miss) {
		struct xstate *cp = state_copy(x, st);
		int r = hit_c ? assume(x, cp, Z3_mk_not(x->z, hit_c)) : 1;

		if (r > 0 && may_fork(x)) {
			clobber_args(frame(cp));
			frame(cp)->r[0] = scalar(u64c(x, 0));
			add_event(cp, &e);
			note_jump(cp, cp->pc + 1);
			cp->pc++;
			explore(x, cp);
		} else {
			Z3_solver_pop(x->z, x->s, cp->pushes);
		}
		state_free(cp);
		if (x->done || r < 0)
			return 1;
	}
	if (hit_c) {
		int r = assume(x, st, hit_c);

		if (r <= 0)
			return 1;
	}
	e.hit = true;
	e.v = fresh(x, "map_value", x->arr);
	clobber_args(frame(st));
	frame(st)->r[0] = pointer(XR_MEM, add_mem(st, e.v, m->value_size, map), u64c(x, 0));
	add_event(st, &e);
	return 0;
}

/* The NULL result of a helper returning a pointer or NULL: followed on a
 * copy of st */
static void null_fork(struct xc *x, struct xstate *st)
{
	struct xstate *cp;

	if (!may_fork(x))
		return;
	cp = state_copy(x, st);
	clobber_args(frame(cp));
	frame(cp)->r[0] = scalar(u64c(x, 0));
	cp->pc++;
	explore(x, cp);
	state_free(cp);
}

/* The 32-bit results of these helpers are zero-extended */
static bool ret_u32(int32_t id)
{
	return id == BPF_FUNC_get_prandom_u32 || id == BPF_FUNC_get_smp_processor_id ||
	       id == BPF_FUNC_get_numa_node_id || id == BPF_FUNC_get_hash_recalc ||
	       id == BPF_FUNC_get_cgroup_classid || id == BPF_FUNC_get_route_realm;
}

static int do_helper(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	const struct helper_proto *fn = helper_proto_for(in->imm, x->vo->prog_type);
	struct xframe *f = frame(st);
	struct xloc key = { 0 }, loc;
	int32_t map = -1;
	Z3_ast ring_size = NULL;
	const char *name = bpfs_helper_name(in->imm);

	if (!fn) {
		cut_path(x, "insn %u: helper %s#%d not modelled", st->pc, name ? name : "?", in->imm);
		return 1;
	}
	for (uint32_t i = 0; i < 5; i++) {
		uint32_t regno = i + 1;
		enum arg_type t = fn->arg[i], next = i < 4 ? fn->arg[i + 1] : ARG_DONTCARE;
		const struct bpfs_map_spec *m = map >= 0 ? &x->vo->maps[map] : NULL;
		Z3_ast size;

		if (t == ARG_DONTCARE)
			continue;
		if (read_reg(x, st, regno))
			return 1;
		switch (t) {
		case ARG_CONST_MAP_PTR:
			if (f->r[regno].kind == XK_PTR && f->r[regno].region == XR_MAP)
				map = f->r[regno].id;
			break;
		case ARG_PTR_TO_MAP_KEY:
		case ARG_PTR_TO_MAP_VALUE:
		case ARG_PTR_TO_MAP_VALUE_OR_NULL:
		case ARG_PTR_TO_UNINIT_MAP_VALUE:
			if (!m) {
				cut_path(x, "insn %u: helper %s without a known map", st->pc, name ? name : "?");
				return 1;
			}
			size = u64c(x, t == ARG_PTR_TO_MAP_KEY ? m->key_size : m->value_size);
			if (helper_mem(x, st, regno, size, false, t == ARG_PTR_TO_UNINIT_MAP_VALUE,
				       t == ARG_PTR_TO_MAP_VALUE_OR_NULL, t == ARG_PTR_TO_MAP_KEY ? &key : &loc))
				return 1;
			break;
		case ARG_PTR_TO_MEM:
		case ARG_PTR_TO_MEM_OR_NULL:
		case ARG_PTR_TO_UNINIT_MEM:
			if (next != ARG_CONST_SIZE && next != ARG_CONST_SIZE_OR_ZERO)
				break;
			if (read_reg(x, st, regno + 1))
				return 1;
			if (f->r[regno + 1].kind != XK_SCALAR) {
				cut_path(x, "insn %u: a pointer as a helper's size", st->pc);
				return 1;
			}
			if (helper_mem(x, st, regno, f->r[regno + 1].v, next == ARG_CONST_SIZE_OR_ZERO,
				       t == ARG_PTR_TO_UNINIT_MEM, t == ARG_PTR_TO_MEM_OR_NULL, &loc))
				return 1;
			break;
		case ARG_PTR_TO_LONG:
			if (helper_mem(x, st, regno, u64c(x, 8), false, true, false, &loc))
				return 1;
			break;
		case ARG_CONST_ALLOC_SIZE:
			ring_size = f->r[regno].kind == XK_SCALAR ? f->r[regno].v : NULL;
			break;
		default:
			break;
		}
	}
	if (fn->pkt_changing && packet_changed(x, st) <= 0)
		return 1;
	switch (fn->ret) {
	case RET_INTEGER: {
		Z3_ast v = ret_u32(in->imm) ? zext32(x, fresh(x, name ? name : "ret", Z3_mk_bv_sort(x->z, 32)))
					    : fresh(x, name ? name : "ret", x->bv64);
		struct xevent e = { .kind = XE_HELPER, .insn = st->pc, .id = in->imm, .v = v };

		add_event(st, &e);
		clobber_args(f);
		f->r[0] = scalar(v);
		return 0;
	}
	case RET_VOID:
		clobber_args(f);
		f->r[0] = (struct xreg){ .kind = XK_UNINIT };
		return 0;
	case RET_PTR_TO_MAP_VALUE_OR_NULL:
	case RET_PTR_TO_MAP_VALUE:
		if (map < 0) {
			cut_path(x, "insn %u: helper %s without a known map", st->pc, name ? name : "?");
			return 1;
		}
		return lookup_result(x, st, map, key.bytes ? &key : NULL, fn->ret == RET_PTR_TO_MAP_VALUE_OR_NULL);
	case RET_PTR_TO_MEM_OR_NULL: {
		uint64_t n;

		if (!ring_size || !as_const(x, ring_size, &n)) {
			cut_path(x, "insn %u: helper %s with a variable size", st->pc, name ? name : "?");
			return 1;
		}
		null_fork(x, st);
		if (x->done)
			return 1;
		clobber_args(f);
		f->r[0] = pointer(XR_MEM, add_mem(st, fresh(x, "mem", x->arr), n, -1), u64c(x, 0));
		return 0;
	}
	default:
		if (fn->ret != RET_PTR_TO_SOCKET) {
			null_fork(x, st);
			if (x->done)
				return 1;
		}
		clobber_args(f);
		f->r[0] = (struct xreg){ .kind = XK_OPAQUE };
		return 0;
	}
}

/* A bpf-to-bpf call: a new frame with the arguments */
static int do_call(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xframe *caller = frame(st), *f;

	if (st->nfr == MAX_CALL_FRAMES) {
		cut_path(x, "insn %u: call chain deeper than %d frames", st->pc, MAX_CALL_FRAMES);
		return 1;
	}
	f = &st->fr[st->nfr++];
	memset(f, 0, sizeof(*f));
	for (int i = 1; i <= 5; i++)
		f->r[i] = caller->r[i];
	f->stack = add_mem(st, fresh(x, "stack", x->arr), MAX_BPF_STACK, -1);
	f->r[BPF_REG_10] = pointer(XR_STACK, f->stack, u64c(x, 0));
	f->ret_pc = st->pc + 1;
	note_jump(st, (uint32_t)((int64_t)st->pc + 1 + in->imm));
	st->pc = (uint32_t)((int64_t)st->pc + 1 + in->imm);
	return 0;
}

/* Returns 0 to go on (pc set), 1 when the path ended */
static int do_exit(struct xc *x, struct xstate *st)
{
	struct xreg r0;
	uint32_t ret;

	if (read_reg(x, st, BPF_REG_0))
		return 1;
	if (st->nfr == 1)
		return 1;
	r0 = frame(st)->r[0];
	ret = frame(st)->ret_pc;
	st->nfr--;
	clobber_args(frame(st));
	frame(st)->r[0] = r0;
	note_jump(st, ret);
	st->pc = ret;
	return 0;
}

/* The memory of map's value used directly (LD_IMM64 of a map value):
 * shared by every such load on the path; a read-only map's contents are
 * known, others are inputs. */
static int32_t global_mem(struct xc *x, struct xstate *st, int32_t map)
{
	const struct bpfs_map_spec *m = &x->vo->maps[map];
	bool ro = (m->flags & BPF_F_RDONLY_PROG) || (m->name && strstr(m->name, "rodata"));
	Z3_ast bytes;

	if (st->glob[map] >= 0)
		return st->glob[map];
	if (ro) {
		bytes = Z3_mk_const_array(x->z, x->bv64, xz_u64(x->z, 0, 8));
		for (size_t i = 0; m->init_data && i < m->init_size && i < m->value_size; i++)
			bytes = Z3_mk_store(x->z, bytes, u64c(x, i), xz_u64(x->z, ((uint8_t *)m->init_data)[i], 8));
	} else {
		struct xevent e = { .kind = XE_GLOBAL, .insn = st->pc, .id = map };

		bytes = fresh(x, "global", x->arr);
		e.arr = bytes;
		add_event(st, &e);
	}
	st->glob[map] = add_mem(st, bytes, m->value_size, map);
	return st->glob[map];
}

static int do_ldimm64(struct xc *x, struct xstate *st, const struct bpf_insn *in)
{
	struct xreg *d = &frame(st)->r[in->dst_reg];
	uint64_t v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;

	switch (in->src_reg) {
	case 0:
		*d = scalar(u64c(x, v));
		break;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_VALUE:
		if (in->imm < 0 || (size_t)in->imm >= x->vo->map_cnt) {
			cut_path(x, "insn %u: map %d unknown", st->pc, in->imm);
			return 1;
		}
		if (in->src_reg == BPF_PSEUDO_MAP_FD)
			*d = (struct xreg){ .kind = XK_PTR, .region = XR_MAP, .id = in->imm, .v = u64c(x, 0) };
		else
			*d = pointer(XR_MEM, global_mem(x, st, in->imm), u64c(x, (uint32_t)in[1].imm));
		break;
	default:
		*d = (struct xreg){ .kind = XK_OPAQUE };
		break;
	}
	st->pc += 2;
	return 0;
}

/* One instruction. Returns 0 to go on (pc set), 1 when the path ended. */
static int step(struct xc *x, struct xstate *st)
{
	const struct bpf_insn *in = &x->insns[st->pc];
	uint8_t cls = BPF_CLASS(in->code);
	int r;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		r = do_alu(x, st, in);
		break;
	case BPF_LDX:
		r = do_load(x, st, in);
		break;
	case BPF_ST:
		r = do_store(x, st, in);
		break;
	case BPF_STX:
		r = BPF_MODE(in->code) == BPF_ATOMIC ? do_atomic(x, st, in) : do_store(x, st, in);
		break;
	case BPF_LD:
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (st->pc + 1 >= x->cnt) {
				cut_path(x, "insn %u: truncated LD_IMM64", st->pc);
				return 1;
			}
			return do_ldimm64(x, st, in);
		}
		r = do_ld_pkt(x, st, in);
		break;
	default: /* JMP, JMP32 */
		switch (BPF_OP(in->code)) {
		case BPF_EXIT:
			return do_exit(x, st);
		case BPF_CALL:
			if (in->src_reg == BPF_PSEUDO_CALL)
				return do_call(x, st, in);
			if (in->src_reg) {
				cut_path(x, "insn %u: kfunc calls are not modelled", st->pc);
				return 1;
			}
			r = do_helper(x, st, in);
			break;
		default:
			return do_jmp(x, st, in);
		}
	}
	if (!r)
		st->pc++;
	return r;
}

/* Follows st to the end of its path and the paths forked from it */
static int explore(struct xc *x, struct xstate *st)
{
	while (!x->done) {
		if (st->pc >= x->cnt) {
			cut_path(x, "insn %u: past the last insn", st->pc);
			break;
		}
		if (++x->insns_done > x->insn_limit) {
			cut_path(x, "instruction budget (%" G_GUINT64_FORMAT " insns)", x->insn_limit);
			x->done = true;
			break;
		}
		if (!(x->insns_done & 1023) && now_us() >= x->deadline_us) {
			cut_path(x, "timeout");
			x->done = true;
			break;
		}
		if (step(x, st))
			break;
	}
	x->out->paths++;
	Z3_solver_pop(x->z, x->s, st->pushes);
	st->pushes = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The run                                                                */

static enum pkt_kind packet_kind(uint32_t type)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
		return PK_SKB;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return PK_SKB_L2;
	case BPF_PROG_TYPE_XDP:
		return PK_XDP;
	}
	return PK_NONE;
}

/* What BPF_PROG_TEST_RUN accepts (bpf/test_run.c): skb types 14 to 3712
 * bytes of data_in, an IPv4 (IPv6) frame at least 34 (54); types that see
 * the network header first get data_in less the Ethernet header; xdp's
 * linear part is at most 3520 bytes. */
static void packet_constraints(struct xc *x)
{
	Z3_context z = x->z;
	Z3_ast l = x->plen0;
	uint64_t lo = 0, hi = 0;

	switch (x->pk) {
	case PK_SKB: lo = 0; hi = 3712 - 14; break;
	case PK_SKB_L2: lo = 14; hi = 3712; break;
	case PK_XDP: lo = 14; hi = 3520; break;
	case PK_NONE: break;
	}
	Z3_solver_assert(z, x->s, Z3_mk_bvuge(z, l, u64c(x, lo)));
	Z3_solver_assert(z, x->s, Z3_mk_bvule(z, l, u64c(x, hi)));
	if (x->pk == PK_SKB_L2) {
		Z3_ast b12 = Z3_mk_select(z, x->pkt0, u64c(x, 12)), b13 = Z3_mk_select(z, x->pkt0, u64c(x, 13));
		Z3_ast v4 = Z3_mk_and(z, 2, (Z3_ast[]){ Z3_mk_eq(z, b12, xz_u64(z, 0x08, 8)), Z3_mk_eq(z, b13, xz_u64(z, 0, 8)) });
		Z3_ast v6 = Z3_mk_and(z, 2, (Z3_ast[]){ Z3_mk_eq(z, b12, xz_u64(z, 0x86, 8)), Z3_mk_eq(z, b13, xz_u64(z, 0xdd, 8)) });

		Z3_solver_assert(z, x->s, Z3_mk_implies(z, v4, Z3_mk_bvuge(z, l, u64c(x, 34))));
		Z3_solver_assert(z, x->s, Z3_mk_implies(z, v6, Z3_mk_bvuge(z, l, u64c(x, 54))));
	}
}

static bool about_memory(const char *msg)
{
	static const char *const pats[] = {
		"min value is negative", "unbounded memory access", "outside of the packet", "!read_ok",
		"invalid zero-sized read", "invalid mem access",
	};

	if (strstr(msg, "misaligned") || strstr(msg, "leaks addr") || strstr(msg, "forbidden"))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(pats); i++)
		if (strstr(msg, pats[i]))
			return true;
	return strstr(msg, "invalid") && (strstr(msg, "access") || strstr(msg, "stack"));
}

/* Which check of the rejected program's insn the verifier's message is
 * about */
static enum target_kind classify(const struct bpf_insn *insns, size_t cnt, const struct bpfs_verdict *v)
{
	const struct bpf_insn *in;
	uint8_t cls;

	if (v->insn < 0 || (size_t)v->insn >= cnt || !about_memory(v->msg))
		return TGT_NONE;
	if (strstr(v->msg, "!read_ok"))
		return TGT_READ;
	in = &insns[v->insn];
	cls = BPF_CLASS(in->code);
	if (cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX ||
	    (cls == BPF_LD && in->code != (BPF_LD | BPF_IMM | BPF_DW)) ||
	    ((cls == BPF_JMP) && BPF_OP(in->code) == BPF_CALL && !in->src_reg))
		return TGT_ACCESS;
	return TGT_NONE;
}

static void finish(struct xc *x, const struct bpfs_verdict *v)
{
	struct bpfs_xcheck_result *o = x->out;

	if (o->kind == BPFS_XCHECK_UNSOUND || o->kind == BPFS_XCHECK_TRUE_POSITIVE)
		return;
	if (x->cut) {
		o->kind = BPFS_XCHECK_UNKNOWN;
		o->insn = -1;
		snprintf(o->reason, sizeof(o->reason), "%s", x->why);
		return;
	}
	if (!x->rejected) {
		o->kind = BPFS_XCHECK_CONFIRMED;
		snprintf(o->reason, sizeof(o->reason), "every access in bounds on all %" G_GUINT64_FORMAT " paths",
			 o->paths);
		return;
	}
	o->kind = BPFS_XCHECK_FALSE_ALARM;
	o->insn = (int)x->target;
	if (!x->target_reached)
		snprintf(o->reason, sizeof(o->reason),
			 "no input reaches insn %u (the verifier: %.300s)", x->target, v->msg);
	else
		snprintf(o->reason, sizeof(o->reason),
			 "on every path to insn %u the access is safe (checked %" G_GUINT64_FORMAT
			 " times) but the verifier says: %.200s; a path: %.180s",
			 x->target, x->target_reached, v->msg, x->alarm_path ? x->alarm_path->str : "?");
}

static struct xstate *initial_state(struct xc *x)
{
	struct xstate *st = g_new0(struct xstate, 1);
	struct xframe *f = &st->fr[0];

	st->nfr = 1;
	st->mem = g_array_new(FALSE, TRUE, sizeof(struct xmem));
	st->ev = g_array_new(FALSE, TRUE, sizeof(struct xevent));
	st->glob = g_new(int32_t, x->vo->map_cnt ? x->vo->map_cnt : 1);
	for (size_t i = 0; i < x->vo->map_cnt; i++)
		st->glob[i] = -1;
	st->pkt = x->pkt0;
	st->plen = x->plen0;
	st->ctx = x->ctx0;
	st->pkt_valid = true;
	if (x->rejected)
		st->path = g_string_new("");
	f->stack = add_mem(st, fresh(x, "stack", x->arr), MAX_BPF_STACK, -1);
	f->r[BPF_REG_1] = pointer(XR_CTX, 0, u64c(x, 0));
	f->r[BPF_REG_10] = pointer(XR_STACK, f->stack, u64c(x, 0));
	return st;
}

int bpfs_xcheck(const struct bpf_insn *insns, size_t cnt, const struct bpfs_xcheck_opts *opts,
		const struct bpfs_verdict *v, struct bpfs_xcheck_result *out)
{
	struct xc x = { 0 };
	struct xstate *st;

	if (!insns || !cnt || !opts || !opts->verifier || !v || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->insn = -1;
	out->kind = BPFS_XCHECK_UNKNOWN;
	x.out = out;
	x.insns = insns;
	x.cnt = cnt;
	x.vo = opts->verifier;
	x.pk = packet_kind(x.vo->prog_type);
	x.start_us = now_us();
	x.deadline_us = x.start_us + 1000ull * (opts->timeout_ms ? opts->timeout_ms : 10000);
	x.max_paths = opts->max_paths ? opts->max_paths : 1000;
	x.insn_limit = opts->insn_limit ? opts->insn_limit : 1000000;
	x.rejected = !v->accepted;
	if (x.rejected) {
		x.tk = classify(insns, cnt, v);
		if (x.tk == TGT_NONE) {
			snprintf(out->reason, sizeof(out->reason), "the rejection is not about memory safety: %.400s",
				 v->msg);
			return 0;
		}
		x.target = (uint32_t)v->insn;
	}
	x.z = xz_context_new();
	if (!x.z)
		return -ENOMEM;
	x.s = xz_solver_new(x.z, NULL, 0);
	x.bv64 = Z3_mk_bv_sort(x.z, 64);
	x.bv8 = Z3_mk_bv_sort(x.z, 8);
	x.arr = Z3_mk_array_sort(x.z, x.bv64, x.bv8);
	x.pkt0 = Z3_mk_const(x.z, Z3_mk_string_symbol(x.z, "pkt"), x.arr);
	x.plen0 = Z3_mk_const(x.z, Z3_mk_string_symbol(x.z, "pkt_len"), x.bv64);
	x.ctx0 = Z3_mk_const(x.z, Z3_mk_string_symbol(x.z, "ctx"), x.arr);
	packet_constraints(&x);
	st = initial_state(&x);
	explore(&x, st);
	state_free(st);
	finish(&x, v);
	if (xz_failed(x.z) && out->kind != BPFS_XCHECK_UNSOUND && out->kind != BPFS_XCHECK_TRUE_POSITIVE) {
		out->kind = BPFS_XCHECK_UNKNOWN;
		snprintf(out->reason, sizeof(out->reason), "the solver reported an error");
	}
	if (x.alarm_path)
		g_string_free(x.alarm_path, TRUE);
	xz_clear_error(x.z);
	Z3_solver_dec_ref(x.z, x.s);
	Z3_del_context(x.z);
	out->time_ms = (now_us() - x.start_us) / 1000u;
	return 0;
}

#endif /* BPFS_HAVE_Z3 */
