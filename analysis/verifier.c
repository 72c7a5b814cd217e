/* SPDX-License-Identifier: MIT */
/*
 * The path-exploring verifier (the second pass of the Linux eBPF
 * verifier, kernel/bpf/verifier.c, reimplemented).
 *
 * First bpfs_check_cfg proves the control flow acceptable (a DAG in the
 * 3.18 profile; back-edges allowed in the modern one). Then do_check walks
 * every feasible path from insn 0 on an abstract state: per call frame,
 * eleven registers (enum reg_type: scalars with tnum + ranges, and typed
 * pointers with fixed and variable offsets) and a byte-typed stack. Each
 * instruction is checked and simulated (verif_alu.c, verif_mem.c,
 * verif_call.c). At a conditional jump whose outcome is not known the
 * state is copied, both copies are narrowed to their arm, and the taken
 * arm is pushed on a stack of pending branches; the walk continues on the
 * fall-through and, when a path ends (exit, or pruned), pops the next.
 *
 * Example: for
 *     0: r0 = 0
 *     1: if r1 > 10 goto +1
 *     2: r0 = 1
 *     3: exit
 * the walk visits 0,1,2,3 with r1 in [0, 10], then pops the pending state
 * at 3 with r1 in [11, U64_MAX]. Say the first path left a snapshot at
 * insn 3 (a jump target, hence a prune point) with r0 = 1. The second has
 * r0 = 0: the exit reads r0 (it is live) but no check depends on its
 * value (it is not precise), so the second path is pruned at 3. For a
 * program type whose return value must lie in a range, the exit marks r0
 * precise in the snapshot and 3 is walked again.
 *
 * Pruning (verif_prune.c): at prune points (the kernel's: conditional
 * jumps and their targets, goto targets, the insn after a call; the 3.18
 * profile uses cfg->prune_point and conditional jumps) the current state
 * is compared with the states that earlier, completed walks left there;
 * if one of them subsumes the current one, the current path is cut. What
 * a state must agree on is narrowed by liveness marks (which registers
 * and slots later paths read) and precision marks (which scalars a check
 * depended on, verif_prec.c), as in the kernel. The argument for why this
 * is sound sits next to states_equal(). Snapshots are taken at prune
 * points when enough jumps and insns passed since the last one, and
 * snapshots that keep failing to match are dropped (kernel heuristics);
 * without precision tracking (unprivileged, 3.18) scalars compare by
 * range.
 *
 * Loops (modern profile): a state at a prune point equal to one of its own
 * ancestors (an explored state whose walk is still in progress) repeats
 * forever: "infinite loop detected at insn %d". Other loops terminate
 * because each iteration changes the state or reaches the processed-insn
 * limit.
 *
 * Invariants: env->cur always owns its frames; explored states and
 * pending states own theirs; the first error message is kept in
 * env->errmsg and becomes the verdict's message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier_int.h"

#define BPF_COMPLEXITY_LIMIT_JMP_SEQ 8192
#define LEGACY_INSN_LIMIT 32768
#define LEGACY_MAX_INSNS 4096

/* ---------------------------------------------------------------------- */
/* Errors */

void verr_line(struct venv *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_vprintf(&env->log, fmt, ap);
	va_end(ap);
	vlog_printf(&env->log, "\n");
}

int verr(struct venv *env, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!env->has_err) {
		va_list aq;

		va_copy(aq, ap);
		vsnprintf(env->errmsg, sizeof(env->errmsg), fmt, aq);
		va_end(aq);
		env->has_err = true;
		env->err_insn = (int)env->insn_idx;
	}
	vlog_vprintf(&env->log, fmt, ap);
	va_end(ap);
	vlog_printf(&env->log, "\n");
	return -code;
}

int check_reg_read(struct venv *env, uint32_t regno)
{
	if (cur_regs(env)[regno].type == NOT_INIT)
		return verr(env, EACCES, "R%u !read_ok", regno);
	return 0;
}

int check_reg_write(struct venv *env, uint32_t regno)
{
	if (regno == BPF_REG_10)
		return verr(env, EACCES, "frame pointer is read only");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The trace (struct bpfs_verifier_trace) */

void vtrace(struct venv *env, struct bpfs_trace_event *ev)
{
	ev->frame = env->cur.curframe;
	ev->parent = env->cur.parent ? env->cur.parent->trace_id : 0;
	env->trace->event(ev, env->trace->data);
}

void vtrace_regs(struct venv *env, const struct vstate *st, uint16_t mask, char *buf, size_t len)
{
	const struct reg_state *regs = st->frame[st->curframe]->regs;
	size_t pos = 0;

	buf[0] = '\0';
	for (uint32_t r = 0; r <= BPF_REG_10 && pos + 1 < len; r++) {
		char one[256];

		if (!(mask & (1u << r)) || regs[r].type == NOT_INIT)
			continue;
		reg_snprint(one, sizeof(one), &regs[r], env->maps, env->map_cnt);
		pos += (size_t)snprintf(buf + pos, len - pos, "%sR%u=%s", pos ? " " : "", r, one);
	}
	if (pos >= len)
		buf[len - 1] = '\0';
}

/* An instruction processed: the registers it read or changed, after it. */
static void trace_insn(struct venv *env, uint32_t idx, const struct reg_state *before, uint32_t frame_before)
{
	struct bpfs_trace_event ev = {.kind = BPFS_TRACE_INSN, .insn = idx};
	char state[1024];

	if (env->trace->want_states && env->cur.frame[env->cur.curframe]) {
		const struct bpf_insn *in = &env->insns[idx];
		const struct reg_state *after = cur_regs(env);
		uint16_t mask = (uint16_t)(1u << in->dst_reg);

		if (BPF_CLASS(in->code) == BPF_LDX || BPF_CLASS(in->code) == BPF_STX ||
		    ((BPF_CLASS(in->code) == BPF_ALU || BPF_CLASS(in->code) == BPF_ALU64 ||
		      BPF_CLASS(in->code) == BPF_JMP || BPF_CLASS(in->code) == BPF_JMP32) &&
		     BPF_SRC(in->code) == BPF_X))
			mask |= (uint16_t)(1u << in->src_reg);
		for (uint32_t r = 0; r <= BPF_REG_10; r++)
			if (env->cur.curframe != frame_before || memcmp(&before[r], &after[r], sizeof(before[r])))
				mask |= (uint16_t)(1u << r);
		vtrace_regs(env, &env->cur, mask, state, sizeof(state));
		ev.state = state;
	}
	vtrace(env, &ev);
}

/* ---------------------------------------------------------------------- */
/* States */

int frame_grow_stack(struct func_state *f, uint32_t nslots)
{
	struct stack_slot *s;

	if (nslots <= f->nslots)
		return 0;
	s = realloc(f->stack, nslots * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + f->nslots, 0, (nslots - f->nslots) * sizeof(*s));
	for (uint32_t i = f->nslots; i < nslots; i++)
		reg_mark_not_init(&s[i].spilled);
	f->stack = s;
	f->nslots = nslots;
	return 0;
}

static void free_frames(struct vstate *st)
{
	for (uint32_t i = 0; i < MAX_CALL_FRAMES; i++) {
		if (!st->frame[i])
			continue;
		free(st->frame[i]->stack);
		free(st->frame[i]);
		st->frame[i] = NULL;
	}
}

void vstate_free(struct vstate *st)
{
	free_frames(st);
	free(st->hist);
	free(st->refs);
	st->hist = NULL;
	st->refs = NULL;
	st->nhist = st->caphist = st->nrefs = 0;
}

int push_hist(struct vstate *st, uint32_t idx, uint32_t prev)
{
	if (st->nhist == st->caphist) {
		uint32_t cap = st->caphist ? st->caphist * 2 : 8;
		struct hist_ent *h = realloc(st->hist, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		st->hist = h;
		st->caphist = cap;
	}
	st->hist[st->nhist].idx = idx;
	st->hist[st->nhist].prev = prev;
	st->hist[st->nhist].flags = 0;
	st->nhist++;
	return 0;
}

int vstate_copy(struct vstate *dst, const struct vstate *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->curframe = src->curframe;
	dst->parent = src->parent;
	dst->seg_len = src->seg_len;
	if (src->nhist) {
		dst->hist = malloc(src->nhist * sizeof(*dst->hist));
		if (!dst->hist)
			return -ENOMEM;
		memcpy(dst->hist, src->hist, src->nhist * sizeof(*dst->hist));
		dst->nhist = dst->caphist = src->nhist;
	}
	if (src->nrefs) {
		dst->refs = malloc(src->nrefs * sizeof(*dst->refs));
		if (!dst->refs)
			goto nomem;
		memcpy(dst->refs, src->refs, src->nrefs * sizeof(*dst->refs));
		dst->nrefs = src->nrefs;
	}
	for (uint32_t i = 0; i <= src->curframe; i++) {
		const struct func_state *sf = src->frame[i];
		struct func_state *df = malloc(sizeof(*df));

		if (!df)
			goto nomem;
		*df = *sf;
		df->stack = NULL;
		dst->frame[i] = df;
		if (sf->nslots) {
			df->stack = malloc(sf->nslots * sizeof(*df->stack));
			if (!df->stack)
				goto nomem;
			memcpy(df->stack, sf->stack, sf->nslots * sizeof(*df->stack));
		}
	}
	return 0;
nomem:
	vstate_free(dst);
	return -ENOMEM;
}

/* Calls fn on every register and spilled register of every frame */
static void for_each_reg(struct vstate *st, void (*fn)(struct reg_state *r, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct func_state *f = st->frame[i];

		for (int r = 0; r <= BPFS_MAX_REG; r++)
			fn(&f->regs[r], arg);
		for (uint32_t s = 0; s < f->nslots; s++)
			if (f->stack[s].type[0] == STACK_SPILL)
				fn(&f->stack[s].spilled, arg);
	}
}

static void pkt_to_unknown(struct reg_state *r, void *arg)
{
	struct venv *env = arg;

	if (r->type == PTR_TO_PACKET || r->type == PTR_TO_PACKET_META || r->type == PTR_TO_PACKET_END) {
		if (env->allow_ptr_leaks)
			reg_mark_unknown_scalar(r);
		else
			reg_mark_not_init(r);
	}
}

void mark_pkt_pointers_unknown(struct venv *env)
{
	for_each_reg(&env->cur, pkt_to_unknown, env);
}

int acquire_reference(struct venv *env, uint32_t id)
{
	struct vstate *st = &env->cur;
	struct ref_ent *r = realloc(st->refs, (st->nrefs + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	st->refs = r;
	r[st->nrefs].id = id;
	r[st->nrefs].insn = env->insn_idx;
	st->nrefs++;
	return 0;
}

static bool drop_ref(struct vstate *st, uint32_t id)
{
	for (uint32_t i = 0; i < st->nrefs; i++) {
		if (st->refs[i].id != id)
			continue;
		memmove(&st->refs[i], &st->refs[i + 1], (st->nrefs - i - 1) * sizeof(*st->refs));
		st->nrefs--;
		return true;
	}
	return false;
}

struct ref_mark {
	uint32_t id;
	bool allow_ptr_leaks;
};

/* A released object's pointers become numbers for root (whose programs
 * may hold addresses as numbers), unreadable otherwise: the kernel's
 * mark_reg_invalid */
static void invalidate_ref(struct reg_state *r, void *arg)
{
	const struct ref_mark *rm = arg;

	if (r->ref_obj_id != rm->id)
		return;
	if (rm->allow_ptr_leaks)
		reg_mark_unknown_scalar(r);
	else
		reg_mark_not_init(r);
}

int check_reference_leak(struct venv *env, const char *what)
{
	int err;

	if (!env->cur.nrefs)
		return 0;
	err = verr(env, EINVAL, "Unreleased reference id=%u alloc_insn=%u", env->cur.refs[0].id, env->cur.refs[0].insn);
	for (uint32_t i = 1; i < env->cur.nrefs; i++)
		verr_line(env, "Unreleased reference id=%u alloc_insn=%u", env->cur.refs[i].id, env->cur.refs[i].insn);
	verr_line(env, "%s would lead to reference leak", what);
	return err;
}

int release_reference(struct venv *env, uint32_t ref_obj_id)
{
	struct ref_mark rm = { .id = ref_obj_id, .allow_ptr_leaks = env->allow_ptr_leaks };

	if (!ref_obj_id || !drop_ref(&env->cur, ref_obj_id))
		return -ENOENT;
	for_each_reg(&env->cur, invalidate_ref, &rm);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Pending branches and explored states */

/* A pending state at insn_idx; a jump there (jump) is recorded on its
 * path for backtracking, a state forked in the middle of an insn is not */
static int push_state(struct venv *env, const struct vstate *st, uint32_t insn_idx, uint32_t prev_idx, bool jump)
{
	struct pending *p;
	int err;

	if (env->nstack >= BPF_COMPLEXITY_LIMIT_JMP_SEQ)
		return verr(env, E2BIG, "The sequence of %zu jumps is too complex.", env->nstack);
	if (env->nstack == env->capstack) {
		size_t cap = env->capstack ? env->capstack * 2 : 64;
		struct pending *ns = realloc(env->stack, cap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		env->stack = ns;
		env->capstack = cap;
	}
	p = &env->stack[env->nstack];
	err = vstate_copy(&p->st, st);
	if (!err && jump) {
		/* the jump was executed on the pending path too, but the
		 * copy was taken before the walk counted it */
		p->st.seg_len++;
		err = push_hist(&p->st, insn_idx, prev_idx);
	}
	if (err) {
		vstate_free(&p->st);
		return err;
	}
	p->insn_idx = insn_idx;
	p->prev_insn_idx = prev_idx;
	p->trace_id = 0;
	env->nstack++;
	if (p->st.parent)
		p->st.parent->branches++;
	if (env->trace) {
		struct bpfs_trace_event ev = {.kind = BPFS_TRACE_BRANCH, .insn = insn_idx, .side = jump ? "taken" : "fork"};

		p->trace_id = ev.node = ++env->trace_ids;
		vtrace(env, &ev);
	}
	return 0;
}

static int push_stack(struct venv *env, const struct vstate *st, uint32_t insn_idx, uint32_t prev_idx)
{
	return push_state(env, st, insn_idx, prev_idx, true);
}

static void mark_known32(struct reg_state *r, uint32_t v)
{
	r->var_off = tnum_with_subreg(r->var_off, tnum_const(v));
	r->s32_min = r->s32_max = (int32_t)v;
	r->u32_min = r->u32_max = v;
	reg_bounds_sync(r);
}

int fork_sign_mask(struct venv *env, uint32_t regno)
{
	struct reg_state *dst = &cur_regs(env)[regno];
	struct vstate other;
	bool alu32;
	int err;

	if (dst->type != SCALAR_VALUE)
		return 0;
	if (dst->smin == -1 && dst->smax == 0)
		alu32 = false;
	else if (dst->s32_min == -1 && dst->s32_max == 0)
		alu32 = true;
	else
		return 0;
	err = vstate_copy(&other, &env->cur);
	if (err)
		return err;
	dst = &other.frame[other.curframe]->regs[regno];
	dst->id = 0;
	if (alu32)
		mark_known32(dst, 0);
	else
		reg_mark_known(dst, 0);
	err = push_state(env, &other, env->insn_idx, env->insn_idx, false);
	vstate_free(&other);
	if (err)
		return err;
	dst = &cur_regs(env)[regno];
	dst->id = 0;
	if (alu32)
		mark_known32(dst, UINT32_MAX);
	else
		reg_mark_known(dst, UINT64_MAX);
	return 0;
}

/* Takes the newest pending branch into env->cur; false when none. */
static bool pop_stack(struct venv *env)
{
	struct pending *p;

	if (!env->nstack)
		return false;
	p = &env->stack[--env->nstack];
	vstate_free(&env->cur);
	env->cur = p->st;
	env->insn_idx = p->insn_idx;
	env->prev_insn_idx = p->prev_insn_idx;
	if (env->trace) {
		struct bpfs_trace_event ev = {.kind = BPFS_TRACE_RESUME, .insn = p->insn_idx, .node = p->trace_id};

		vtrace(env, &ev);
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Conditional jumps */

struct null_mark {
	uint32_t id;
	bool is_null;
};

static void mark_null_one(struct reg_state *r, void *arg)
{
	const struct null_mark *nm = arg;

	if (!type_may_be_null(r->type) || r->id != nm->id)
		return;
	if (nm->is_null) {
		reg_mark_known(r, 0);
		return;
	}
	switch (r->type) {
	case PTR_TO_MAP_VALUE_OR_NULL: r->type = PTR_TO_MAP_VALUE; break;
	case PTR_TO_MEM_OR_NULL: r->type = PTR_TO_MEM; break;
	case PTR_TO_BUF_OR_NULL: r->type = PTR_TO_BUF; break;
	case PTR_TO_SOCK_COMMON_OR_NULL: r->type = PTR_TO_SOCK_COMMON; break;
	case CONST_PTR_TO_MAP_OR_NULL: r->type = CONST_PTR_TO_MAP; break;
	case PTR_TO_TCP_SOCK_OR_NULL: r->type = PTR_TO_TCP_SOCK; break;
	case PTR_TO_BTF_ID_OR_NULL: r->type = PTR_TO_BTF_ID; break;
	default: r->type = PTR_TO_SOCKET; break;
	}
	r->id = 0;
}

/* The NULL arm of a check drops the reference a NULL pointer never held;
 * only for the acquired pointer itself: a pointer derived from it (the
 * socket bpf_sk_fullsock() returns) may be NULL while the reference is
 * still held. */
static void mark_ptr_or_null_regs(struct vstate *st, const struct reg_state *p, bool is_null)
{
	struct null_mark nm = { .id = p->id, .is_null = is_null };

	if (is_null && p->ref_obj_id && p->ref_obj_id == p->id)
		drop_ref(st, p->ref_obj_id);
	for_each_reg(st, mark_null_one, &nm);
}

struct pkt_mark {
	enum reg_type type;
	uint32_t id;
	int32_t range;
};

static void mark_pkt_one(struct reg_state *r, void *arg)
{
	const struct pkt_mark *pm = arg;

	if (r->type == pm->type && r->id == pm->id && r->range < pm->range)
		r->range = pm->range;
}

/* `ptr` (data or data_meta, or any copy with its id) is known to lie at or
 * below the end (strictly below when strict): bytes [base, base +
 * ptr->off) are in the packet, one more when strict. */
static void find_good_pkt_pointers(struct vstate *st, const struct reg_state *ptr, bool strict)
{
	struct pkt_mark pm = { .type = ptr->type, .id = ptr->id, .range = ptr->off + (strict ? 1 : 0) };

	if (ptr->off <= 0 || ptr->umax > 0xffff || ptr->umax + (uint64_t)ptr->off > 0xffff)
		return;
	if (!tnum_equals_const(ptr->var_off, 0) && ptr->id == 0)
		return;
	for_each_reg(st, mark_pkt_one, &pm);
}

/* Packet comparisons: which arm learns `a <= end` (or `a < end`: *strict).
 * a is data/meta, b is its end (pkt_end for data, data for meta). Returns
 * 1 when the taken arm learns it, 0 the fall-through arm, -1 neither. */
static int pkt_cmp_arm(uint8_t op, bool a_left, bool *strict)
{
	if (!a_left) {
		switch (op) {
		case BPF_JGT: op = BPF_JLT; break;
		case BPF_JGE: op = BPF_JLE; break;
		case BPF_JLT: op = BPF_JGT; break;
		case BPF_JLE: op = BPF_JGE; break;
		default: return -1;
		}
	}
	*strict = op == BPF_JGE || op == BPF_JLT;
	switch (op) {
	case BPF_JGT: return 0; /* a > end: fall-through has a <= end */
	case BPF_JGE: return 0; /* a >= end: fall-through has a < end */
	case BPF_JLT: return 1;
	case BPF_JLE: return 1;
	default: return -1;
	}
}

/* b bounds a: pkt_end for packet pointers; for data_meta pointers, the
 * packet start itself (data with no offset: data + x bounds nothing) */
static bool is_end_of(const struct reg_state *a, const struct reg_state *b)
{
	return (a->type == PTR_TO_PACKET && b->type == PTR_TO_PACKET_END) ||
	       (a->type == PTR_TO_PACKET_META && b->type == PTR_TO_PACKET && !b->id && !b->off &&
		tnum_equals_const(b->var_off, 0));
}

/* The arm where data pointer `regno` lies past the end: only that register
 * learns it, not its copies (unlike find_good_pkt_pointers), and only a
 * data pointer (not data_meta) */
static void mark_pkt_end(struct vstate *st, uint32_t regno, int32_t range)
{
	struct reg_state *r = &st->frame[st->curframe]->regs[regno];

	if (r->type == PTR_TO_PACKET)
		r->range = range;
}

static void try_match_pkt_pointers(const struct bpf_insn *insn, const struct reg_state *d, const struct reg_state *s,
				   struct vstate *taken, struct vstate *fall)
{
	uint8_t op = BPF_OP(insn->code);
	bool strict = false;
	int arm;

	if (BPF_SRC(insn->code) != BPF_X || BPF_CLASS(insn->code) == BPF_JMP32)
		return;
	if (is_end_of(d, s)) {
		arm = pkt_cmp_arm(op, true, &strict);
		if (arm < 0)
			return;
		find_good_pkt_pointers(arm ? taken : fall, d, strict);
		/* the other arm has d > end, or d >= end when this one has d < end */
		if (s->type == PTR_TO_PACKET_END)
			mark_pkt_end(arm ? fall : taken, insn->dst_reg, strict ? AT_PKT_END : BEYOND_PKT_END);
	} else if (is_end_of(s, d)) {
		arm = pkt_cmp_arm(op, false, &strict);
		if (arm < 0)
			return;
		find_good_pkt_pointers(arm ? taken : fall, s, strict);
		if (d->type == PTR_TO_PACKET_END)
			mark_pkt_end(arm ? fall : taken, insn->src_reg, strict ? AT_PKT_END : BEYOND_PKT_END);
	}
}

/* A data pointer known past the end decides a new comparison with the
 * end: 1 taken, 0 not, -1 unknown (the kernel's is_pkt_ptr_branch_taken) */
static int pkt_ptr_branch_taken(const struct reg_state *d, const struct reg_state *s, uint8_t op)
{
	const struct reg_state *pkt;

	if (s->type == PTR_TO_PACKET_END) {
		pkt = d;
	} else if (d->type == PTR_TO_PACKET_END) {
		pkt = s;
		switch (op) {
		case BPF_JGT: op = BPF_JLT; break;
		case BPF_JGE: op = BPF_JLE; break;
		case BPF_JLT: op = BPF_JGT; break;
		case BPF_JLE: op = BPF_JGE; break;
		default: break;
		}
	} else {
		return -1;
	}
	if (pkt->range >= 0)
		return -1;
	switch (op) {
	case BPF_JGT: /* pkt > end */
	case BPF_JLE: /* pkt <= end */
		if (pkt->range == BEYOND_PKT_END)
			return op == BPF_JGT;
		return -1;
	case BPF_JGE: /* pkt >= end */
	case BPF_JLT: /* pkt < end */
		return op == BPF_JGE;
	default:
		return -1;
	}
}

static void copy_linked(struct reg_state *r, void *arg)
{
	const struct reg_state *known = arg;

	if (r->type == SCALAR_VALUE && r->id == known->id) {
		bool precise = r->precise;

		*r = *known;
		r->precise = precise;
	}
}

static void sync_linked_scalars(struct vstate *st, const struct reg_state *r)
{
	struct reg_state known = *r;

	if (r->type != SCALAR_VALUE || !r->id)
		return;
	for_each_reg(st, copy_linked, &known);
}

/* Pointer types the kernel trusts to be non-NULL in comparisons with 0
 * (not ctx, stack or packet pointers: it does not decide those) */
static bool reg_not_null(const struct reg_state *r)
{
	switch (r->type) {
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case CONST_PTR_TO_MAP:
	case PTR_TO_MEM:
	case PTR_TO_BUF:
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON:
	case PTR_TO_TCP_SOCK:
		return true;
	default:
		return false;
	}
}

/* Outcome of the jump when known: 1 taken, 0 not, -1 unknown */
static int branch_taken(const struct reg_state *d, const struct reg_state *s, uint8_t op, bool is32)
{
	if (d->type == SCALAR_VALUE && s->type == SCALAR_VALUE)
		return scalar_branch_taken(d, s, op, is32);
	if (!is32 && (reg_is_pkt(d) || d->type == PTR_TO_PACKET_END) && (reg_is_pkt(s) || s->type == PTR_TO_PACKET_END))
		return pkt_ptr_branch_taken(d, s, op);
	if (!is32 && (op == BPF_JEQ || op == BPF_JNE)) {
		const struct reg_state *p = d->type == SCALAR_VALUE ? s : d, *z = d->type == SCALAR_VALUE ? d : s;

		if (z->type == SCALAR_VALUE && tnum_equals_const(z->var_off, 0) && reg_not_null(p) &&
		    tnum_equals_const(p->var_off, 0) && p->off == 0)
			return op == BPF_JNE;
	}
	return -1;
}

/* Narrows the scalars of one arm; false when the arm is infeasible */
static bool refine_arm(struct vstate *st, const struct bpf_insn *insn, bool taken)
{
	struct func_state *f = st->frame[st->curframe];
	struct reg_state *d = &f->regs[insn->dst_reg], *s, imm;
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32;

	if (BPF_SRC(insn->code) == BPF_X) {
		s = &f->regs[insn->src_reg];
	} else {
		reg_mark_known(&imm, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
		s = &imm;
	}
	if (d->type != SCALAR_VALUE || s->type != SCALAR_VALUE)
		return true;
	if (d == s)
		return true;
	if (!scalar_refine(d, s, BPF_OP(insn->code), is32, taken))
		return false;
	sync_linked_scalars(st, d);
	if (s != &imm)
		sync_linked_scalars(st, s);
	return true;
}

static void null_check_arms(const struct bpf_insn *insn, const struct reg_state *d, const struct reg_state *s,
			    struct vstate *taken, struct vstate *fall)
{
	uint8_t op = BPF_OP(insn->code);
	const struct reg_state *p = NULL;

	if (BPF_CLASS(insn->code) == BPF_JMP32 || BPF_SRC(insn->code) != BPF_K || (op != BPF_JEQ && op != BPF_JNE))
		return;
	if (type_may_be_null(d->type) && s->type == SCALAR_VALUE && tnum_equals_const(s->var_off, 0))
		p = d;
	else if (type_may_be_null(s->type) && d->type == SCALAR_VALUE && tnum_equals_const(d->var_off, 0))
		p = s;
	if (!p || !p->id)
		return;
	mark_ptr_or_null_regs(taken, p, op == BPF_JEQ);
	mark_ptr_or_null_regs(fall, p, op == BPF_JNE);
}

/* The outcome of the jump is decided by the operands' ranges: the
 * scalars among them must be compared by range when pruning */
static int mark_cond_precision(struct venv *env, const struct bpf_insn *insn)
{
	int err;

	err = mark_chain_precision(env, insn->dst_reg);
	if (!err && BPF_SRC(insn->code) == BPF_X)
		err = mark_chain_precision(env, insn->src_reg);
	return err;
}

static int check_cond_jmp_op(struct venv *env, const struct bpf_insn *insn, uint32_t *next_idx)
{
	struct reg_state *regs = cur_regs(env), d, s;
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32;
	uint8_t op = BPF_OP(insn->code);
	uint32_t target = env->insn_idx + (uint32_t)insn->off + 1;
	struct vstate other;
	bool taken_ok, fall_ok;
	int pred, err;

	if (op == BPF_JCOND) {
		/* may_goto: both ways */
		err = push_stack(env, &env->cur, target, env->insn_idx);
		*next_idx = env->insn_idx + 1;
		return err;
	}
	err = check_reg_read(env, insn->dst_reg);
	if (err)
		return err;
	d = regs[insn->dst_reg];
	if (BPF_SRC(insn->code) == BPF_X) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
		s = regs[insn->src_reg];
	} else {
		reg_mark_known(&s, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
	}
	if (!env->allow_ptr_leaks && (reg_is_pointer(&d) || reg_is_pointer(&s)) &&
	    !(type_may_be_null(d.type) && s.type == SCALAR_VALUE) && !is_end_of(&d, &s) && !is_end_of(&s, &d) &&
	    !(env->opts->deterministic && !env->opts->unpriv && reg_is_pointer(&d) && s.type == SCALAR_VALUE &&
	      tnum_is_const(s.var_off) && s.var_off.value == 0))
		return verr(env, EACCES, "R%d pointer comparison prohibited", reg_is_pointer(&d) ? insn->dst_reg : insn->src_reg);

	pred = branch_taken(&d, &s, op, is32);
	if (pred >= 0) {
		err = mark_cond_precision(env, insn);
		if (err)
			return err;
	}
	if (pred == 1) {
		*next_idx = target;
		return 0;
	}
	if (pred == 0) {
		*next_idx = env->insn_idx + 1;
		return 0;
	}

	err = vstate_copy(&other, &env->cur);
	if (err)
		return err;
	taken_ok = refine_arm(&other, insn, true);
	fall_ok = refine_arm(&env->cur, insn, false);
	null_check_arms(insn, &d, &s, &other, &env->cur);
	try_match_pkt_pointers(insn, &d, &s, &other, &env->cur);

	/* one arm infeasible: the ranges decided the outcome */
	if (!(taken_ok && fall_ok))
		err = mark_cond_precision(env, insn);
	if (err) {
		vstate_free(&other);
		return err;
	}
	if (taken_ok && fall_ok) {
		err = push_stack(env, &other, target, env->insn_idx);
		*next_idx = env->insn_idx + 1;
	} else if (taken_ok) {
		/* only the jump is possible: continue on it */
		struct vstate tmp = env->cur;

		env->cur = other;
		other = tmp;
		*next_idx = target;
	} else {
		*next_idx = env->insn_idx + 1;
	}
	vstate_free(&other);
	return err;
}

/* ---------------------------------------------------------------------- */
/* Other instruction classes */

static int check_ld_imm(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *dst = &cur_regs(env)[insn->dst_reg];
	int err;

	err = check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	if (insn->src_reg == 0) {
		reg_mark_known(dst, (uint64_t)(uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32));
		return 0;
	}
	if (insn->src_reg == BPF_PSEUDO_FUNC)
		return verr(env, EINVAL, "missing btf func_info");
	if (insn->src_reg != BPF_PSEUDO_MAP_FD && insn->src_reg != BPF_PSEUDO_MAP_VALUE)
		return verr(env, EINVAL, "unsupported ld_imm64 src_reg %d", insn->src_reg);
	if (insn->imm < 0 || (size_t)insn->imm >= env->map_cnt)
		return verr(env, EBADF, "fd %d is not pointing to valid bpf_map", insn->imm);
	reg_mark_not_init(dst);
	reg_mark_var_known(dst, 0);
	dst->map = insn->imm;
	if (insn->src_reg == BPF_PSEUDO_MAP_FD) {
		dst->type = CONST_PTR_TO_MAP;
		return 0;
	}
	if ((uint32_t)insn[1].imm >= BPF_MAX_VAR_OFF)
		return verr(env, EINVAL, "direct value offset of %u is not allowed", (uint32_t)insn[1].imm);
	if (env->maps[insn->imm].type != BPF_MAP_TYPE_ARRAY)
		return verr(env, EINVAL, "no direct value access support for this map type");
	if ((uint32_t)insn[1].imm >= env->maps[insn->imm].value_size)
		return verr(env, EACCES, "invalid access to map value pointer, value_size=%u off=%u",
			    env->maps[insn->imm].value_size, (uint32_t)insn[1].imm);
	dst->type = PTR_TO_MAP_VALUE;
	dst->off = insn[1].imm;
	return 0;
}

static int check_ld_abs(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env);
	int err;

	if (!prog_may_ld_abs(env->opts->prog_type))
		return verr(env, EINVAL, "BPF_LD_[ABS|IND] instructions not allowed for this program type");
	err = check_reg_read(env, BPF_REG_6);
	if (err)
		return err;
	/* the load may end the program, which would then leak what it holds */
	err = check_reference_leak(env, "BPF_LD_[ABS|IND]");
	if (err)
		return err;
	if (regs[BPF_REG_6].type != PTR_TO_CTX)
		return verr(env, EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	if (BPF_MODE(insn->code) == BPF_IND) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
	}
	/* the skb is the context itself, not a place inside it */
	err = check_ptr_off_reg(env, BPF_REG_6, &regs[BPF_REG_6]);
	if (err)
		return err;
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		reg_mark_not_init(&regs[i]);
	/* Any number, as the kernel has it (mark_reg_unknown): the value
	 * loaded is zero-extended from its size, but the kernel does not use
	 * that, so a program relying on it is one the kernel refuses */
	reg_mark_unknown_scalar(&regs[BPF_REG_0]);
	return 0;
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

/* The kernel rewrites context and socket accesses per insn, so one insn
 * may not use such a pointer and another kind on different paths */
static bool ptr_type_rewritten(enum reg_type t)
{
	return t == PTR_TO_CTX || type_is_sk_pointer(t) || t == PTR_TO_BTF_ID;
}

/* Checked after the access itself, as the kernel does (save_aux_ptr_type),
 * so that an access invalid on its own reports that first; t is the base
 * register's type before the access */
static int check_same_ptr_type(struct venv *env, enum reg_type t)
{
	uint8_t *prev = &env->insn_ptr_type[env->insn_idx];

	if (*prev == NOT_INIT) {
		*prev = (uint8_t)t;
		return 0;
	}
	if (*prev != t && (ptr_type_rewritten(t) || ptr_type_rewritten((enum reg_type)*prev)))
		return verr(env, EINVAL, "same insn cannot be used with different pointers");
	return 0;
}

static int check_ldx(struct venv *env, const struct bpf_insn *insn)
{
	enum reg_type src_type;
	int err;

	err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	src_type = cur_regs(env)[insn->src_reg].type;
	err = check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	env->sign_ext_once = BPF_MODE(insn->code) == BPF_MEMSX;
	err = check_mem_access(env, insn->src_reg, insn->off, size_bytes(insn->code), false, NULL, insn->dst_reg,
			       false);
	env->sign_ext_once = false;
	if (!err)
		err = check_same_ptr_type(env, src_type);
	if (err)
		return err;
	/* the load zero-extended its bytes; sign-extending those is the
	 * same as sign-extending the value loaded */
	if (BPF_MODE(insn->code) == BPF_MEMSX && cur_regs(env)[insn->dst_reg].type == SCALAR_VALUE)
		scalar_sext(&cur_regs(env)[insn->dst_reg], size_bytes(insn->code), false);
	return 0;
}

/* The kernel's atomic_ptr_type_ok: atomics (load-acquire and
 * store-release included) work on memory the program owns, not on the
 * context, packets or sockets, whose accesses are rewritten. */
static bool atomic_ptr_ok(enum reg_type t)
{
	switch (t) {
	case PTR_TO_CTX:
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
	case PTR_TO_PACKET_END:
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON:
		return false;
	default:
		return true;
	}
}

/* dst = load_acquire((size *)(src + off)): a load, aligned whatever the
 * load flags say, from memory atomics may touch. */
static int check_load_acquire(struct venv *env, const struct bpf_insn *insn)
{
	enum reg_type t = cur_regs(env)[insn->src_reg].type;
	int err;

	env->strict_align_once = true;
	err = check_ldx(env, insn);
	env->strict_align_once = false;
	if (err)
		return err;
	if (!atomic_ptr_ok(t))
		return verr(env, EACCES, "BPF_ATOMIC loads from R%d %s is not allowed", insn->src_reg, reg_type_str(t));
	return 0;
}

static int check_store_reg(struct venv *env, const struct bpf_insn *insn);

/* store_release((size *)(dst + off), src): a store, likewise. */
static int check_store_release(struct venv *env, const struct bpf_insn *insn)
{
	int err;

	env->strict_align_once = true;
	err = check_store_reg(env, insn);
	env->strict_align_once = false;
	if (err)
		return err;
	if (!atomic_ptr_ok(cur_regs(env)[insn->dst_reg].type))
		return verr(env, EACCES, "BPF_ATOMIC stores into R%d %s is not allowed", insn->dst_reg,
			    reg_type_str(cur_regs(env)[insn->dst_reg].type));
	return 0;
}

static int check_atomic(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env);
	int size = size_bytes(insn->code), load_reg, err;
	enum reg_type t;

	if (insn->imm == BPF_LOAD_ACQ)
		return check_load_acquire(env, insn);
	if (insn->imm == BPF_STORE_REL)
		return check_store_release(env, insn);
	if (size != 4 && size != 8)
		return verr(env, EINVAL, "invalid atomic operand size");
	err = check_reg_read(env, insn->src_reg);
	if (!err)
		err = check_reg_read(env, insn->dst_reg);
	if (err)
		return err;
	if (insn->imm == BPF_CMPXCHG) {
		err = check_reg_read(env, BPF_REG_0);
		if (err)
			return err;
	}
	if (reg_is_pointer(&regs[insn->src_reg]) && !env->allow_ptr_leaks)
		return verr(env, EACCES, "R%d leaks addr into mem", insn->src_reg);
	t = regs[insn->dst_reg].type;
	if (t == PTR_TO_CTX || reg_is_pkt(&regs[insn->dst_reg]) || type_is_sk_pointer(t))
		return verr(env, EACCES, "BPF_ATOMIC stores into R%d %s is not allowed", insn->dst_reg, reg_type_str(t));
	/* read, into the register that receives the old value if any, then
	 * write an unknown value */
	load_reg = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : (insn->imm & BPF_FETCH) ? insn->src_reg : -1;
	/* aligned whatever the load flags say: a locked instruction across
	 * a cache line is not atomic, and on some machines faults */
	env->strict_align_once = true;
	err = check_mem_access(env, insn->dst_reg, insn->off, size, false, NULL, -1, false);
	if (!err && load_reg >= 0)
		err = check_mem_access(env, insn->dst_reg, insn->off, size, false, NULL, load_reg, false);
	if (!err)
		err = check_mem_access(env, insn->dst_reg, insn->off, size, true, NULL, -1, false);
	env->strict_align_once = false;
	return err;
}

/* *(size *)(dst + off) = src; the pointer kind is compared with what the
 * insn saw before once the access itself checked out */
static int check_store_reg(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env);
	enum reg_type dst_type;
	int err;

	err = check_reg_read(env, insn->dst_reg);
	if (!err)
		err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	dst_type = regs[insn->dst_reg].type;
	err = check_mem_access(env, insn->dst_reg, insn->off, size_bytes(insn->code), true, &regs[insn->src_reg],
			       insn->src_reg, false);
	return err ? err : check_same_ptr_type(env, dst_type);
}

static int check_stx_st(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state imm;
	enum reg_type dst_type;
	int err;

	if (BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC)
		return check_atomic(env, insn);
	if (BPF_CLASS(insn->code) == BPF_STX)
		return check_store_reg(env, insn);
	err = check_reg_read(env, insn->dst_reg);
	if (err)
		return err;
	dst_type = cur_regs(env)[insn->dst_reg].type;
	reg_mark_known(&imm, (uint64_t)(int64_t)insn->imm);
	err = check_mem_access(env, insn->dst_reg, insn->off, size_bytes(insn->code), true, &imm, -1, true);
	return err ? err : check_same_ptr_type(env, dst_type);
}

static int check_exit(struct venv *env, bool *path_done, uint32_t *next_idx)
{
	struct reg_state *r0 = &cur_regs(env)[BPF_REG_0];
	int32_t lo, hi;
	int err;

	/* a subprogram may return nothing: its caller must not read R0 then */
	if (env->cur.curframe) {
		*path_done = false;
		return prepare_func_exit(env, next_idx);
	}
	err = check_reg_read(env, BPF_REG_0);
	if (err)
		return err;
	*path_done = true;
	err = check_reference_leak(env, "BPF_EXIT instruction in main prog");
	if (err)
		return err;
	if (env->cur_global) { /* a global function: any scalar, for its callers */
		if (r0->type != SCALAR_VALUE)
			return verr(env, EINVAL, "At subprogram exit the register R0 is not a scalar value (%s)",
				    reg_type_str(r0->type));
		return 0;
	}
	if (reg_is_pointer(r0) && !env->allow_ptr_leaks)
		return verr(env, EACCES, "R0 leaks addr as return value");
	if (!prog_retval_range(env->opts, &lo, &hi))
		return 0;
	if (r0->type != SCALAR_VALUE)
		return verr(env, EINVAL, "At program exit the register R0 is not a known value (%s)",
			    reg_type_str(r0->type));
	err = mark_chain_precision(env, BPF_REG_0);
	if (err)
		return err;
	if (r0->smin < lo || r0->smax > hi) {
		char buf[128] = "";
		size_t n = 0;

		if (r0->smin > INT64_MIN)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " smin=%lld", (long long)r0->smin);
		if (r0->smax < INT64_MAX && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " smax=%lld", (long long)r0->smax);
		if (!n)
			snprintf(buf, sizeof(buf), " unknown scalar value");
		return verr(env, EINVAL, "At program exit the register R0 has%s should have been in [%d, %d]", buf, lo, hi);
	}
	return 0;
}

static int check_call(struct venv *env, const struct bpf_insn *insn, uint32_t *next_idx)
{
	if (insn->src_reg == BPF_PSEUDO_CALL) {
		if (env->legacy)
			return verr(env, EINVAL, "BPF_CALL uses reserved fields");
		return check_func_call(env, insn, next_idx);
	}
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return verr(env, EINVAL, "calling kernel functions is not supported");
	*next_idx = env->insn_idx + 1;
	return check_helper_call(env, insn);
}

/* The source line covering insn idx (the last record at or before it),
 * as the kernel's verbose_linfo prints it: "; text @ file:line", the text
 * without its indentation and the file without its directories, once per
 * record. */
static void log_line(struct venv *env, uint32_t idx)
{
	const struct bpfs_line_info *l = env->opts->line_info, *found = NULL;
	size_t lo = 0, hi = env->opts->nline_info;
	const char *text, *file;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l[mid].insn <= idx) {
			found = &l[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (!found || found == env->prev_line)
		return;
	env->prev_line = found;
	text = found->src;
	while (*text == ' ' || *text == '\t')
		text++;
	file = strrchr(found->file, '/');
	vlog_printf(&env->log, "; %s @ %s:%u\n", text, file ? file + 1 : found->file, found->line);
}

static void log_insn(struct venv *env, uint32_t idx)
{
	char text[160];

	if (!env->log.level)
		return;
	if (env->opts->nline_info)
		log_line(env, idx);
	if (bpfs_disasm_insn(env->insns, env->cnt, idx, BPFS_SYNTAX_KERNEL, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "?");
	vlog_printf(&env->log, "%u: (%02x) %s\n", idx, env->insns[idx].code, text);
}

/* One instruction: sets *next_idx, or *path_done when the path ends */
static int do_insn(struct venv *env, uint32_t *next_idx, bool *path_done)
{
	const struct bpf_insn *insn = &env->insns[env->insn_idx];
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	*next_idx = env->insn_idx + 1;
	*path_done = false;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return check_alu_op(env, insn);
	case BPF_LDX:
		return check_ldx(env, insn);
	case BPF_STX:
	case BPF_ST:
		return check_stx_st(env, insn);
	case BPF_LD:
		if (BPF_MODE(insn->code) == BPF_IMM) {
			*next_idx = env->insn_idx + 2;
			return check_ld_imm(env, insn);
		}
		return check_ld_abs(env, insn);
	case BPF_JMP:
	case BPF_JMP32:
		if (env->legacy && cls == BPF_JMP32)
			return verr(env, EINVAL, "unknown opcode %02x", insn->code);
		switch (op) {
		case BPF_CALL:
			return check_call(env, insn, next_idx);
		case BPF_EXIT:
			return check_exit(env, path_done, next_idx);
		case BPF_JA:
			*next_idx = (uint32_t)bpfs_insn_jump_target(env->insns, env->insn_idx);
			return 0;
		default:
			return check_cond_jmp_op(env, insn, next_idx);
		}
	default:
		return verr(env, EINVAL, "unknown opcode %02x", insn->code);
	}
}

/* Conditional jumps are prune points too, as in the kernel */
static bool is_cond_jmp(const struct bpf_insn *insn)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA && op != BPF_CALL && op != BPF_EXIT;
}

/* The 3.18 profile keeps the union of the generations' points (ir/cfg.c)
 * and conditional jumps; the modern one the kernel's own set */
static bool is_prune_point(struct venv *env, uint32_t idx)
{
	if (env->legacy)
		return env->cfg->prune_point[idx] || is_cond_jmp(&env->insns[idx]);
	return env->prune_point[idx];
}

int do_check(struct venv *env)
{
	bool no_prune = env->opts->no_prune;
	uint32_t next_idx;
	bool path_done;
	int err;

	for (;;) {
		uint32_t idx = env->insn_idx;

		if (idx >= env->cnt)
			return verr(env, EFAULT, "invalid insn idx %u insn_cnt %zu", idx, env->cnt);
		if (++env->insn_processed > env->insn_limit)
			return verr(env, E2BIG, env->legacy ? "BPF program is too large. Proccessed %llu insn"
							    : "BPF program is too large. Processed %llu insn",
				    (unsigned long long)env->insn_processed);
		path_done = false;
		if (is_prune_point(env, idx) && !no_prune) {
			err = is_state_visited(env, idx);
			if (err < 0)
				return err;
			if (err == 1) {
				if (env->log.level)
					vlog_printf(&env->log, "%u: safe\n", idx);
				if (env->trace) {
					struct bpfs_trace_event ev = {.kind = BPFS_TRACE_PRUNE, .insn = idx,
								      .covered = env->trace_covered};

					vtrace(env, &ev);
				}
				path_done = true;
			}
		}
		if (!path_done) {
			uint32_t frame_before = env->cur.curframe;
			struct reg_state before[BPFS_MAX_REG + 1];

			if (env->trace && env->trace->want_states)
				memcpy(before, cur_regs(env), sizeof(before));

			/* counted after the prune point, as the kernel does: a
			 * jump's own visit does not make it a snapshot site */
			if (BPF_CLASS(env->insns[idx].code) == BPF_JMP || BPF_CLASS(env->insns[idx].code) == BPF_JMP32)
				env->jmps_processed++;

			log_insn(env, idx);
			mark_insn_reads(env, &env->insns[idx]);
			err = do_insn(env, &next_idx, &path_done);
			if (env->trace) {
				trace_insn(env, idx, before, frame_before);
				if (!err && path_done) {
					struct bpfs_trace_event ev = {.kind = BPFS_TRACE_EXIT, .insn = idx};

					vtrace(env, &ev);
				}
			}
			if (!err && !path_done)
				mark_insn_writes(env, &env->insns[idx], frame_before);
			if (env->log.level >= 2 || (err && env->log.level)) {
				vlog_printf(&env->log, "%u: ", idx);
				vlog_state(&env->log, &env->cur, env->maps, env->map_cnt);
			}
			if (err)
				return err;
		}
		if (!path_done) {
			env->cur.seg_len++;
			if (next_idx != idx + 1 && !(bpfs_insn_is_ldimm64(&env->insns[idx]) && next_idx == idx + 2)) {
				err = push_hist(&env->cur, next_idx, idx);
				if (err)
					return err;
			}
			env->prev_insn_idx = idx;
			env->insn_idx = next_idx;
			continue;
		}
		update_branch_counts(env, env->cur.parent);
		if (!pop_stack(env))
			return 0;
		if (env->log.level) {
			vlog_printf(&env->log, "from %u to %u: ", env->prev_insn_idx, env->insn_idx);
			vlog_state(&env->log, &env->cur, env->maps, env->map_cnt);
		}
	}
}

/* Deepest combined stack along any chain of calls from subprog s */
static uint32_t chain_depth(struct venv *env, uint32_t s, uint32_t level, uint32_t *frames)
{
	uint32_t n = env->cfg->nsubprogs, own = env->stack_depth[s], best = 0, best_frames = 0;

	own = ((own ? own : 1) + 31) / 32 * 32;
	if (level < MAX_CALL_FRAMES) {
		for (uint32_t c = 0; c < n; c++) {
			uint32_t f = 0, d;

			/* a global function's stack is a root of its own (checked
			 * from it); its frames still count (chain_frames) */
			if (!env->calls[s * n + c] || subprog_is_global(env, c))
				continue;
			d = chain_depth(env, c, level + 1, &f);
			if (d > best) {
				best = d;
				best_frames = f;
			}
		}
	}
	*frames = best_frames + 1;
	return own + best;
}

/* Frames of the longest chain of calls from subprog s, counted up to one
 * past the limit: a recursive call makes the chain endless, and the
 * kernel, which follows calls without looking at their conditions,
 * refuses it however it is bounded */
static uint32_t chain_frames(struct venv *env, uint32_t s, uint32_t level)
{
	uint32_t n = env->cfg->nsubprogs, best = 0;

	if (level >= MAX_CALL_FRAMES)
		return 1;
	for (uint32_t c = 0; c < n && level + 1 + best <= MAX_CALL_FRAMES; c++) {
		uint32_t f;

		if (!env->calls[s * n + c])
			continue;
		f = chain_frames(env, c, level + 1);
		if (f > best)
			best = f;
	}
	return best + 1;
}

static int check_max_stack_depth(struct venv *env)
{
	uint32_t frames, d;

	if (!env->cfg->nsubprogs)
		return 0;
	/* the main program and each global function are roots of their own */
	for (uint32_t s = 0; s < env->cfg->nsubprogs; s++) {
		if (s && !(subprog_is_global(env, s) && env->sub[s].verified))
			continue;
		d = chain_depth(env, s, 0, &frames);
		if (frames > 1 && d > MAX_BPF_STACK)
			return verr(env, EACCES, "combined stack size of %u calls is %u. Too large", frames, d);
	}
	if (chain_frames(env, 0, 0) > MAX_CALL_FRAMES)
		return verr(env, E2BIG, "the call stack of %d frames is too deep !", MAX_CALL_FRAMES);
	return 0;
}

/* After the walk the kernel rewrites context and socket field loads; one
 * it has no rewrite for fails the program then */
static int check_rewrites(struct venv *env)
{
	for (size_t i = 0; i < env->cnt; i++) {
		if (!(env->insn_aux[i] & INSN_AUX_NO_REWRITE))
			continue;
		env->insn_idx = (uint32_t)i;
		return verr(env, EFAULT, "verifier bug: error during ctx access conversion (0)");
	}
	return 0;
}

static int init_state(struct venv *env)
{
	struct func_state *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	for (int i = 0; i <= BPFS_MAX_REG; i++)
		reg_mark_not_init(&f->regs[i]);
	f->regs[BPF_REG_1].type = PTR_TO_CTX;
	reg_mark_var_known(&f->regs[BPF_REG_1], 0);
	f->regs[BPF_REG_10].type = PTR_TO_STACK;
	reg_mark_var_known(&f->regs[BPF_REG_10], 0);
	f->callsite = -1;
	env->cur.frame[0] = f;
	env->cur.curframe = 0;
	env->cur.parent = NULL;
	return 0;
}

static bool license_is_gpl(const char *l)
{
	static const char *const ok[] = { "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
					  "Dual MIT/GPL", "Dual MPL/GPL" };

	if (!l)
		return false;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return true;
	return false;
}

static void env_release(struct venv *env)
{
	vstate_free(&env->cur);
	for (size_t i = 0; i < env->nstack; i++)
		vstate_free(&env->stack[i].st);
	free(env->stack);
	if (env->explored) {
		for (size_t i = 0; i < env->cnt; i++) {
			struct explored *e = env->explored[i], *n;

			for (; e; e = n) {
				n = e->next;
				free_explored(e);
			}
		}
	}
	while (env->graveyard) {
		struct explored *e = env->graveyard;

		env->graveyard = e->gnext;
		free_explored(e);
	}
	free(env->explored);
	free(env->insn_aux);
	free(env->insn_ptr_type);
	free(env->calls);
	free(env->states_per_insn);
	free(env->live_regs);
	free(env->prune_point);
	free(env->stack_depth);
	free(env->sub);
	bpfs_cfg_free(env->cfg);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int env_init(struct venv *env, const struct bpf_insn *insns, size_t cnt, const struct bpfs_verifier_opts *opts)
{
	struct bpfs_err e;
	int err;

	env->insns = insns;
	env->cnt = cnt;
	env->opts = opts;
	env->maps = opts->maps;
	env->map_cnt = opts->map_cnt;
	env->log.level = opts->log_level;
	env->legacy = opts->profile == BPFS_PROFILE_3_18;
	env->allow_ptr_leaks = !opts->unpriv && !opts->deterministic;
	env->allow_uninit_stack = !opts->unpriv && !env->legacy && !opts->deterministic;
	env->bpf_capable = !opts->unpriv;
	env->gpl = license_is_gpl(opts->license);
	env->insn_limit = opts->insn_limit ? opts->insn_limit : env->legacy ? LEGACY_INSN_LIMIT : 1000000;
	env->err_insn = -1;
	env->trace = opts->trace && opts->trace->event ? opts->trace : NULL;

	err = bpfs_cfg_build(insns, cnt, &env->cfg, &e);
	if (err)
		return verr(env, -err, "%s", e.msg);
	env->explored = calloc(cnt, sizeof(*env->explored));
	env->states_per_insn = calloc(cnt, sizeof(*env->states_per_insn));
	env->stack_depth = calloc(env->cfg->nsubprogs ? env->cfg->nsubprogs : 1, sizeof(*env->stack_depth));
	env->calls = calloc((size_t)env->cfg->nsubprogs * env->cfg->nsubprogs + 1, 1);
	env->insn_aux = calloc(cnt ? cnt : 1, 1);
	env->insn_ptr_type = calloc(cnt ? cnt : 1, 1);
	if (!env->insn_aux || !env->insn_ptr_type || !env->explored || !env->states_per_insn || !env->stack_depth || !env->calls)
		return -ENOMEM;
	err = compute_liveness(env);
	if (!err)
		err = compute_prune_points(env);
	if (!err)
		err = global_funcs_init(env);
	if (err)
		return err;
	return init_state(env);
}

static int verify(struct venv *env, const struct bpf_insn *insns, size_t cnt, const struct bpfs_verifier_opts *opts)
{
	unsigned flags = opts->profile == BPFS_PROFILE_MODERN && !opts->unpriv ? BPFS_CHECK_ALLOW_BACK_EDGES : 0;
	struct bpfs_err e;
	int err;

	if (opts->profile == BPFS_PROFILE_3_18 && cnt > LEGACY_MAX_INSNS)
		return verr(env, E2BIG, "BPF program is too large (%zu insns, limit %d)", cnt, LEGACY_MAX_INSNS);
	bpfs_err_clear(&e);
	err = bpfs_check_cfg(insns, cnt, flags, &e);
	if (err) {
		env->insn_idx = e.insn >= 0 ? (uint32_t)e.insn : 0;
		err = verr(env, -err, "%s", e.msg);
		env->err_insn = e.insn;
		return err;
	}
	err = env_init(env, insns, cnt, opts);
	if (err)
		return err;
	err = do_check(env);
	if (!err)
		err = verify_global_funcs(env);
	if (err)
		return err;
	err = check_max_stack_depth(env);
	if (err)
		return err;
	return check_rewrites(env);
}

int bpfs_verify(const struct bpf_insn *insns, size_t cnt, const struct bpfs_verifier_opts *opts,
		struct bpfs_verdict *out)
{
	struct venv env;
	uint64_t t0 = now_ns();
	int err;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->insn = -1;
	if (!opts || (!insns && cnt))
		return -EINVAL;
	memset(&env, 0, sizeof(env));
	err = verify(&env, insns, cnt, opts);
	if (err == -ENOMEM || env.log.oom) {
		env_release(&env);
		free(env.log.buf);
		return -ENOMEM;
	}
	out->accepted = !err;
	out->err = err;
	if (err) {
		out->insn = env.err_insn;
		snprintf(out->msg, sizeof(out->msg), "%s", env.errmsg);
		if (opts->trace && opts->trace->event) {
			struct bpfs_trace_event ev = {.kind = BPFS_TRACE_FAIL,
						      .insn = env.err_insn >= 0 ? (uint32_t)env.err_insn : 0,
						      .msg = env.errmsg};

			env.trace = opts->trace;
			vtrace(&env, &ev);
		}
	}
	out->stats.processed_insns = env.insn_processed;
	out->stats.total_states = env.total_states;
	out->stats.peak_states = env.peak_states;
	out->stats.max_states_per_insn = env.max_states_per_insn;
	out->stats.mark_read = env.mark_read_cnt;
	if (!err && opts->want_ctx_accesses && ctx_export_accesses(&env, out)) {
		env_release(&env);
		free(env.log.buf);
		return -ENOMEM;
	}
	if (env.log.level)
		vlog_printf(&env.log,
			    "processed %llu insns (limit %llu) max_states_per_insn %llu total_states %llu peak_states %llu mark_read %llu\n",
			    (unsigned long long)env.insn_processed, (unsigned long long)env.insn_limit,
			    (unsigned long long)env.max_states_per_insn, (unsigned long long)env.total_states,
			    (unsigned long long)env.peak_states, (unsigned long long)env.mark_read_cnt);
	env_release(&env);
	if (env.log.oom) {
		free(env.log.buf);
		return -ENOMEM;
	}
	out->log = env.log.buf;
	out->log_len = env.log.len;
	out->stats.duration_ns = now_ns() - t0;
	return 0;
}

void bpfs_verdict_release(struct bpfs_verdict *v)
{
	if (!v)
		return;
	free(v->log);
	v->log = NULL;
	v->log_len = 0;
	free(v->ctx_access);
	v->ctx_access = NULL;
}
