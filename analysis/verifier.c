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
 * Pruning: at prune points (cfg->prune_point) the current state is
 * compared with the states that earlier, completed walks left there; if
 * one of them subsumes the current one, the current path is cut. What a
 * state must agree on is narrowed by liveness marks (which registers and
 * slots later paths read) and precision marks (which scalars a check
 * depended on, verif_prec.c), as in the kernel. The argument for why this
 * is sound sits next to states_equal() below. Snapshots are taken at
 * prune points when enough jumps and insns passed since the last one, and
 * snapshots that keep failing to match are dropped (kernel heuristics);
 * without precision tracking (unprivileged, 3.18) scalars compare by range.
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

static void free_state(struct vstate *st)
{
	free_frames(st);
	free(st->hist);
	free(st->refs);
	st->hist = NULL;
	st->refs = NULL;
	st->nhist = st->caphist = st->nrefs = 0;
}

static int push_hist(struct vstate *st, uint32_t idx, uint32_t prev)
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
	st->nhist++;
	return 0;
}

static int copy_state(struct vstate *dst, const struct vstate *src)
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
	free_state(dst);
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

static void invalidate_ref(struct reg_state *r, void *arg)
{
	const uint32_t *id = arg;

	if (r->ref_obj_id == *id)
		reg_mark_not_init(r);
}

int release_reference(struct venv *env, uint32_t ref_obj_id)
{
	if (!ref_obj_id || !drop_ref(&env->cur, ref_obj_id))
		return -ENOENT;
	for_each_reg(&env->cur, invalidate_ref, &ref_obj_id);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Liveness marks (the kernel's mark_reg_read): a read of a value not
 * written since the last snapshot marks the snapshots back to the one
 * whose segment wrote it. Pruning then ignores what no path read. */

static void insn_use_def(const struct bpf_insn *insn, uint16_t *use, uint16_t *def);

static struct reg_state *locate(struct vstate *st, uint32_t f, int regno)
{
	struct func_state *fs;
	uint32_t spi;

	if (f > st->curframe)
		return NULL;
	fs = st->frame[f];
	if (regno >= 0)
		return &fs->regs[regno];
	spi = (uint32_t)(-1 - regno);
	return spi < fs->nslots ? &fs->stack[spi].spilled : NULL;
}

void mark_read(struct venv *env, uint32_t f, int regno)
{
	struct reg_state *r = locate(&env->cur, f, regno);

	if (!r || (r->live & LIVE_WRITTEN))
		return;
	for (struct explored *e = env->cur.parent; e; e = e->st.parent) {
		struct reg_state *p = locate(&e->st, f, regno);

		if (!p || (p->live & LIVE_READ))
			break;
		p->live |= LIVE_READ;
		env->mark_read_cnt++;
		if (p->live & LIVE_WRITTEN)
			break;
	}
}

void mark_slot_written(struct func_state *f, uint32_t spi)
{
	if (spi < f->nslots)
		f->stack[spi].spilled.live |= LIVE_WRITTEN;
}

static void clear_live(struct vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct func_state *f = st->frame[i];

		for (int r = 0; r <= BPFS_MAX_REG; r++)
			f->regs[r].live = 0;
		for (uint32_t s = 0; s < f->nslots; s++)
			f->stack[s].spilled.live = 0;
	}
}

/* After pruning against old: what old's paths read, the current path
 * reads too */
static void propagate_liveness(struct venv *env, const struct vstate *old)
{
	for (uint32_t i = 0; i <= old->curframe; i++) {
		const struct func_state *f = old->frame[i];

		for (int r = 0; r <= BPFS_MAX_REG; r++)
			if (f->regs[r].live & LIVE_READ)
				mark_read(env, i, r);
		for (uint32_t s = 0; s < f->nslots; s++)
			if (f->stack[s].spilled.live & LIVE_READ)
				mark_read(env, i, -1 - (int)s);
	}
}

/* Registers an insn reads, and marks them */
static void mark_insn_reads(struct venv *env, const struct bpf_insn *insn)
{
	uint16_t use, def;

	insn_use_def(insn, &use, &def);
	if ((BPF_CLASS(insn->code) == BPF_JMP || BPF_CLASS(insn->code) == BPF_JMP32) && BPF_OP(insn->code) == BPF_CALL &&
	    insn->src_reg == 0) {
		const struct helper_proto *fn = helper_proto(insn->imm);

		use = 0;
		for (int i = 0; fn && i < 5; i++)
			if (fn->arg[i] != ARG_DONTCARE)
				use |= (uint16_t)(1u << (i + 1));
	}
	for (int r = 0; r < BPF_REG_10; r++)
		if (use & (1u << r))
			mark_read(env, env->cur.curframe, r);
}

/* Registers an insn wrote, in the frame now current */
static void mark_insn_writes(struct venv *env, const struct bpf_insn *insn, uint32_t frame_before)
{
	struct vstate *st = &env->cur;
	uint16_t use, def;

	insn_use_def(insn, &use, &def);
	if (st->curframe > frame_before) {
		/* a call: the callee's frame is new, the caller's R0-R5 changed */
		for (int r = 0; r <= BPFS_MAX_REG; r++)
			st->frame[st->curframe]->regs[r].live |= LIVE_WRITTEN;
		def = 0x3f;
		for (int r = 0; r <= BPF_REG_5; r++)
			st->frame[frame_before]->regs[r].live |= LIVE_WRITTEN;
		return;
	}
	if (st->curframe < frame_before) {
		cur_frame(env)->regs[BPF_REG_0].live |= LIVE_WRITTEN;
		return;
	}
	for (int r = 0; r <= BPFS_MAX_REG; r++)
		if (def & (1u << r))
			cur_frame(env)->regs[r].live |= LIVE_WRITTEN;
}

/* ---------------------------------------------------------------------- */
/* Pending branches and explored states */

static int push_stack(struct venv *env, const struct vstate *st, uint32_t insn_idx, uint32_t prev_idx)
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
	err = copy_state(&p->st, st);
	if (!err)
		err = push_hist(&p->st, insn_idx, prev_idx);
	if (err) {
		free_state(&p->st);
		return err;
	}
	p->insn_idx = insn_idx;
	p->prev_insn_idx = prev_idx;
	env->nstack++;
	if (p->st.parent)
		p->st.parent->branches++;
	return 0;
}

/* Takes the newest pending branch into env->cur; false when none. */
static bool pop_stack(struct venv *env)
{
	struct pending *p;

	if (!env->nstack)
		return false;
	p = &env->stack[--env->nstack];
	free_state(&env->cur);
	env->cur = p->st;
	env->insn_idx = p->insn_idx;
	env->prev_insn_idx = p->prev_insn_idx;
	return true;
}

static void free_explored(struct explored *e)
{
	free_state(&e->st);
	free(e);
}

static void graveyard_del(struct venv *env, struct explored *e)
{
	if (e->gprev)
		e->gprev->gnext = e->gnext;
	else
		env->graveyard = e->gnext;
	if (e->gnext)
		e->gnext->gprev = e->gprev;
}

/* A path ended: its ancestors have one walk fewer in progress. Evicted
 * ancestors whose walks are all done are freed. */
static void update_branch_counts(struct venv *env, struct explored *e)
{
	while (e) {
		struct explored *parent = e->st.parent;

		if (e->branches)
			e->branches--;
		if (e->branches)
			break;
		if (e->evicted) {
			graveyard_del(env, e);
			free_explored(e);
		}
		e = parent;
	}
}

/* ---------------------------------------------------------------------- */
/* Static liveness: per insn, the registers some path reads before
 * writing. Backward may-analysis to a fixed point over the CFG; calls are
 * treated as reading R1-R5 and writing R0-R5 (the callee is analysed on
 * its own), exits as reading R0. */

static void insn_use_def(const struct bpf_insn *insn, uint16_t *use, uint16_t *def)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	uint16_t dst = (uint16_t)(1u << insn->dst_reg), src = (uint16_t)(1u << insn->src_reg);

	*use = 0;
	*def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_MOV) {
			*use = BPF_SRC(insn->code) == BPF_X ? src : 0;
		} else {
			*use = dst | (BPF_SRC(insn->code) == BPF_X && op != BPF_END && op != BPF_NEG ? src : 0);
		}
		*def = dst;
		break;
	case BPF_LDX:
		*use = src;
		*def = dst;
		break;
	case BPF_ST:
		*use = dst;
		break;
	case BPF_STX:
		*use = dst | src;
		if (BPF_MODE(insn->code) == BPF_ATOMIC) {
			if (insn->imm == BPF_CMPXCHG) {
				*use |= 1;
				*def = 1;
			} else if (insn->imm & BPF_FETCH) {
				*def = src;
			}
		}
		break;
	case BPF_LD:
		if (BPF_MODE(insn->code) == BPF_IMM) {
			*def = dst;
		} else {
			*use = (uint16_t)(1u << BPF_REG_6) | (BPF_MODE(insn->code) == BPF_IND ? src : 0);
			*def = 0x3f;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL) {
			*use = 0x3e;
			*def = 0x3f;
		} else if (op == BPF_EXIT) {
			*use = 1;
		} else if (op != BPF_JA && op != BPF_JCOND) {
			*use = dst | (BPF_SRC(insn->code) == BPF_X ? src : 0);
		}
		break;
	}
}

static int compute_liveness(struct venv *env)
{
	const struct bpf_insn *insns = env->insns;
	size_t n = env->cnt;
	bool changed = true;

	env->live_regs = calloc(n ? n : 1, sizeof(*env->live_regs));
	if (!env->live_regs)
		return -ENOMEM;
	while (changed) {
		changed = false;
		for (size_t k = n; k-- > 0;) {
			const struct bpf_insn *insn = &insns[k];
			uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
			uint16_t use, def, out = 0, in;
			size_t next = k + (bpfs_insn_is_ldimm64(insn) ? 2 : 1);

			if (k && bpfs_insn_is_ldimm64(&insns[k - 1]))
				continue; /* second slot */
			insn_use_def(insn, &use, &def);
			if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_EXIT) {
				out = 0;
			} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL) {
				int64_t t = bpfs_insn_jump_target(insns, k);

				if (t >= 0 && (size_t)t < n)
					out |= env->live_regs[t];
				if (op != BPF_JA && next < n)
					out |= env->live_regs[next];
			} else if (next < n) {
				out = env->live_regs[next];
			}
			in = (uint16_t)(use | (out & ~def));
			if (in != env->live_regs[k]) {
				env->live_regs[k] = in;
				changed = true;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* State equivalence for pruning.
 *
 * Claim: if an explored state OLD at insn i was verified safe (every path
 * from it reached exit without error) and the current state CUR at i is
 * "within" OLD, every path from CUR is safe too, so CUR need not be
 * walked.
 *
 * "Within" means every concrete machine state CUR describes behaves, as
 * far as any check on the rest of the program can observe, like one OLD
 * describes:
 * - registers and stack slots that no path from OLD read are ignored:
 *   the liveness marks (LIVE_READ, set by mark_read when a later path
 *   reads a value it did not write itself, and by propagate_liveness when
 *   a path is pruned) cover every path from OLD because OLD is complete.
 *   Registers dead at i by the static liveness above are ignored too (no
 *   path reads them before writing them). Example: r3 = ctx in OLD and
 *   r3 = 5 in CUR where every path overwrites r3 first: both continue
 *   identically.
 * - a register NOT_INIT in OLD matches anything: OLD was safe, so no path
 *   from OLD read it.
 * - scalars: when precision is tracked (root, modern profile), a scalar
 *   OLD does not mark precise matches any scalar: no check on a path from
 *   OLD depended on its range (verif_prec.c marks every scalar a check
 *   used, and everything it was computed from). Otherwise CUR's tnum and
 *   all four ranges must lie within OLD's (range_within + tnum_in).
 *   Example: OLD r1 in [0, 10] precise covers CUR r1 = 4; the converse
 *   does not hold. A pointer in CUR never matches a scalar in OLD.
 * - pointers: same type, same map, same fixed offset; the variable offset
 *   of CUR within OLD's (every address CUR may hold was checked for OLD);
 *   packet pointers need CUR's proven range >= OLD's (more proven bytes
 *   can only allow more accesses); stack pointers must be equal.
 * - ids (NULL-check groups, packet groups, linked scalars, references)
 *   must map one to one from OLD to CUR: a NULL check in the future
 *   resolves exactly the registers sharing the id, so CUR must group
 *   registers the way OLD did. Example: OLD r1, r2 both map_value_or_null
 *   id=1 and CUR r1 id=3, r2 id=4: after `if r1 != 0` OLD knows r2 is
 *   non-NULL, CUR does not; the mapping 1->3 then 1->4 fails, so no
 *   pruning.
 * - stack bytes of read slots: STACK_INVALID in OLD matches anything a
 *   later read could not turn into a pointer (OLD never read it when
 *   uninitialised reads are rejected; when allowed, such a read gives an
 *   unknown scalar, which a number in CUR refines); MISC in OLD matches
 *   MISC/ZERO/spilled scalars; ZERO needs ZERO; a spilled register needs a
 *   spill of the same size whose register is within OLD's.
 * - call frames: same depth and same call sites; caller frames compare
 *   the callee-saved registers live at the return site.
 * - acquired references: the same number, ids mapped as above.
 *
 * Explored states whose walk is still in progress (branches > 0) are
 * never used: they may be ancestors of CUR, and "OLD is safe" is not yet
 * known for them; their marks are not complete either. */

struct idmap {
	uint32_t old_id[64], cur_id[64];
	uint32_t n;
	uint32_t tmp_gen;
	bool imprecise_ok; /* precision is tracked: imprecise scalars match any */
};

static bool check_ids(struct idmap *m, uint32_t old_id, uint32_t cur_id)
{
	if (!old_id && !cur_id)
		return true;
	if (!old_id || !cur_id)
		return false;
	for (uint32_t i = 0; i < m->n; i++) {
		if (m->old_id[i] == old_id)
			return m->cur_id[i] == cur_id;
		if (m->cur_id[i] == cur_id)
			return false;
	}
	if (m->n == 64)
		return false;
	m->old_id[m->n] = old_id;
	m->cur_id[m->n] = cur_id;
	m->n++;
	return true;
}

/* Scalar links: an unlinked OLD register constrains nothing; a linked
 * one needs CUR's registers to be linked the same way. */
static bool check_scalar_ids(struct idmap *m, uint32_t old_id, uint32_t cur_id)
{
	if (!old_id)
		return true;
	if (!cur_id)
		cur_id = ++m->tmp_gen;
	return check_ids(m, old_id, cur_id);
}

static bool range_within(const struct reg_state *o, const struct reg_state *c)
{
	return o->umin <= c->umin && o->umax >= c->umax && o->smin <= c->smin && o->smax >= c->smax &&
	       o->u32_min <= c->u32_min && o->u32_max >= c->u32_max && o->s32_min <= c->s32_min &&
	       o->s32_max >= c->s32_max;
}

static bool var_within(const struct reg_state *o, const struct reg_state *c)
{
	return range_within(o, c) && tnum_in(o->var_off, c->var_off);
}

static bool var_exact(const struct reg_state *o, const struct reg_state *c)
{
	return o->umin == c->umin && o->umax == c->umax && o->smin == c->smin && o->smax == c->smax &&
	       o->u32_min == c->u32_min && o->u32_max == c->u32_max && o->s32_min == c->s32_min &&
	       o->s32_max == c->s32_max && o->var_off.value == c->var_off.value && o->var_off.mask == c->var_off.mask;
}

static bool regsafe(const struct reg_state *o, const struct reg_state *c, struct idmap *m, bool exact)
{
	if (o->type == NOT_INIT)
		return !exact || c->type == NOT_INIT;
	if (c->type != o->type)
		return false;
	switch (o->type) {
	case SCALAR_VALUE:
		if (exact)
			return var_exact(o, c) && check_scalar_ids(m, o->id, c->id);
		if (!o->precise && m->imprecise_ok)
			return true;
		return var_within(o, c) && check_scalar_ids(m, o->id, c->id);
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (o->off != c->off || (exact ? o->range != c->range : o->range > c->range))
			return false;
		return (exact ? var_exact(o, c) : var_within(o, c)) && check_ids(m, o->id, c->id);
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case PTR_TO_MEM:
		if (o->off != c->off || o->map != c->map || o->mem_size != c->mem_size)
			return false;
		return exact ? var_exact(o, c) : var_within(o, c);
	case PTR_TO_MAP_VALUE_OR_NULL:
	case PTR_TO_MEM_OR_NULL:
	case PTR_TO_SOCKET_OR_NULL:
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON_OR_NULL:
	case PTR_TO_SOCK_COMMON:
	case CONST_PTR_TO_MAP_OR_NULL:
		if (o->off != c->off || o->map != c->map || o->mem_size != c->mem_size)
			return false;
		return (exact ? var_exact(o, c) : var_within(o, c)) && check_ids(m, o->id, c->id);
	case PTR_TO_STACK:
		return o->off == c->off && o->frameno == c->frameno && var_exact(o, c);
	default:
		return o->off == c->off && o->map == c->map && var_exact(o, c);
	}
}

static bool stack_byte_safe(struct venv *env, uint8_t ot, uint8_t ct, const struct stack_slot *cs, bool exact)
{
	bool c_spill_ptr = ct == STACK_SPILL && reg_is_pointer(&cs->spilled);

	if (exact)
		return ot == ct;
	switch (ot) {
	case STACK_INVALID:
		return !env->allow_uninit_stack || !c_spill_ptr;
	case STACK_MISC:
		return ct == STACK_MISC || ct == STACK_ZERO || (ct == STACK_SPILL && !c_spill_ptr) ||
		       (env->allow_uninit_stack && ct == STACK_INVALID);
	case STACK_ZERO:
		return ct == STACK_ZERO;
	default:
		return ct == STACK_SPILL;
	}
}

static bool stacksafe(struct venv *env, const struct func_state *o, const struct func_state *c, struct idmap *m,
		      bool exact)
{
	static const struct stack_slot empty;
	uint32_t n = o->nslots > c->nslots ? o->nslots : c->nslots;

	for (uint32_t s = 0; s < n; s++) {
		const struct stack_slot *os = s < o->nslots ? &o->stack[s] : &empty;
		const struct stack_slot *cs = s < c->nslots ? &c->stack[s] : &empty;
		bool o_spill = os->type[0] == STACK_SPILL;
		bool c_spill = cs->type[0] == STACK_SPILL;

		/* no path from old read the slot */
		if (!exact && s < o->nslots && !(os->spilled.live & LIVE_READ))
			continue;

		if (o_spill) {
			if (c_spill && !memcmp(os->type, cs->type, BPF_REG_SIZE)) {
				if (!regsafe(&os->spilled, &cs->spilled, m, exact))
					return false;
				continue;
			}
			/* an unknown spilled scalar reads like plain bytes */
			if (exact || os->spilled.type != SCALAR_VALUE ||
			    ((!tnum_is_unknown(os->spilled.var_off) || os->spilled.id) &&
			     !(m->imprecise_ok && !os->spilled.precise)))
				return false;
			for (int i = 0; i < BPF_REG_SIZE; i++)
				if (cs->type[i] != STACK_MISC && cs->type[i] != STACK_ZERO)
					return false;
			continue;
		}
		if (c_spill && reg_is_pointer(&cs->spilled) && env->allow_uninit_stack)
			return false;
		for (int i = 0; i < BPF_REG_SIZE; i++)
			if (!stack_byte_safe(env, os->type[i], cs->type[i], cs, exact))
				return false;
	}
	return true;
}

static bool func_states_equal(struct venv *env, const struct func_state *o, const struct func_state *c,
			      uint16_t live, struct idmap *m, bool exact)
{
	for (int r = 0; r < BPF_REG_10; r++) {
		if (!(live & (1u << r)) || (!exact && !(o->regs[r].live & LIVE_READ)))
			continue;
		if (!regsafe(&o->regs[r], &c->regs[r], m, exact))
			return false;
	}
	return stacksafe(env, o, c, m, exact);
}

static bool states_equal(struct venv *env, const struct vstate *o, const struct vstate *c, uint32_t idx, bool exact)
{
	struct idmap m = { .n = 0, .tmp_gen = 0x80000000u, .imprecise_ok = env->bpf_capable && !env->legacy };

	if (o->curframe != c->curframe || o->nrefs != c->nrefs)
		return false;
	for (uint32_t i = 0; i <= o->curframe; i++)
		if (o->frame[i]->callsite != c->frame[i]->callsite)
			return false;
	for (uint32_t i = 0; i < o->nrefs; i++)
		if (!check_ids(&m, o->refs[i].id, c->refs[i].id))
			return false;
	for (uint32_t i = 0; i <= o->curframe; i++) {
		uint16_t live;

		if (i == o->curframe)
			live = env->live_regs[idx];
		else
			live = env->live_regs[c->frame[i + 1]->callsite + 1] & 0x3c0; /* r6-r9 */
		if (!func_states_equal(env, o->frame[i], c->frame[i], live, &m, exact))
			return false;
	}
	return true;
}

/* Explored states that keep failing to prune are dropped from their
 * list (the kernel's miss counting): this keeps the per-insn lists short
 * in long loops. Dropping a state only loses pruning, never soundness. */
static void evict(struct venv *env, struct explored **pprev, struct explored *e)
{
	*pprev = e->next;
	if (!e->branches) {
		free_explored(e);
		return;
	}
	e->evicted = true;
	e->gprev = NULL;
	e->gnext = env->graveyard;
	if (env->graveyard)
		env->graveyard->gprev = e;
	env->graveyard = e;
}

/* Returns 1 to prune, 0 to go on, or an error. A snapshot of the current
 * state is added when enough jumps and insns passed since the last one
 * (the kernel's heuristic, which bounds the number of states). */
static int is_state_visited(struct venv *env, uint32_t idx)
{
	bool add = env->jmps_processed - env->prev_jmps_processed >= 2 &&
		   env->insn_processed - env->prev_insn_processed >= 8;
	struct explored *e, **pprev = &env->explored[idx];
	int err;

	while ((e = *pprev)) {
		if (e->branches) {
			if (!env->legacy && states_equal(env, &e->st, &env->cur, idx, true))
				return verr(env, EINVAL, "infinite loop detected at insn %u", idx);
		} else if (states_equal(env, &e->st, &env->cur, idx, false)) {
			e->hit_cnt++;
			propagate_liveness(env, &e->st);
			err = propagate_precision(env, &e->st);
			return err ? err : 1;
		}
		if (add)
			e->miss_cnt++;
		if (e->miss_cnt > e->hit_cnt * 3 + 3) {
			evict(env, pprev, e);
			continue;
		}
		pprev = &e->next;
	}
	if (!add)
		return 0;
	env->prev_jmps_processed = env->jmps_processed;
	env->prev_insn_processed = env->insn_processed;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	err = copy_state(&e->st, &env->cur);
	if (err) {
		free(e);
		return err;
	}
	e->branches = 1;
	e->insn = idx;
	e->st.parent = env->cur.parent;
	env->cur.parent = e;
	env->cur.nhist = 0;
	env->cur.seg_len = 0;
	clear_live(&env->cur);
	e->next = env->explored[idx];
	env->explored[idx] = e;
	env->total_states++;
	if (++env->states_per_insn[idx] > env->max_states_per_insn)
		env->max_states_per_insn = env->states_per_insn[idx];
	return 0;
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
	case PTR_TO_SOCK_COMMON_OR_NULL: r->type = PTR_TO_SOCK_COMMON; break;
	case CONST_PTR_TO_MAP_OR_NULL: r->type = CONST_PTR_TO_MAP; break;
	default: r->type = PTR_TO_SOCKET; break;
	}
	r->id = 0;
}

/* The NULL arm of a check drops the reference a NULL pointer never held */
static void mark_ptr_or_null_regs(struct vstate *st, const struct reg_state *p, bool is_null)
{
	struct null_mark nm = { .id = p->id, .is_null = is_null };

	if (is_null && p->ref_obj_id)
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
 * below the end: bytes [base, base + ptr->off) are in the packet. */
static void find_good_pkt_pointers(struct vstate *st, const struct reg_state *ptr)
{
	struct pkt_mark pm = { .type = ptr->type, .id = ptr->id, .range = ptr->off };

	if (ptr->off <= 0 || ptr->umax > 0xffff || ptr->umax + (uint64_t)ptr->off > 0xffff)
		return;
	if (!tnum_equals_const(ptr->var_off, 0) && ptr->id == 0)
		return;
	for_each_reg(st, mark_pkt_one, &pm);
}

/* Packet comparisons: which arm learns `a <= end`. a is data/meta, b is
 * its end (pkt_end for data, data for meta). Returns 1 when the taken arm
 * learns it, 0 the fall-through arm, -1 neither. */
static int pkt_cmp_arm(uint8_t op, bool a_left)
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
	switch (op) {
	case BPF_JGT: return 0; /* a > end: fall-through has a <= end */
	case BPF_JGE: return 0; /* a >= end: fall-through has a < end */
	case BPF_JLT: return 1;
	case BPF_JLE: return 1;
	default: return -1;
	}
}

static bool is_end_of(const struct reg_state *a, const struct reg_state *b)
{
	return (a->type == PTR_TO_PACKET && b->type == PTR_TO_PACKET_END) ||
	       (a->type == PTR_TO_PACKET_META && b->type == PTR_TO_PACKET);
}

static void try_match_pkt_pointers(const struct bpf_insn *insn, const struct reg_state *d, const struct reg_state *s,
				   struct vstate *taken, struct vstate *fall)
{
	uint8_t op = BPF_OP(insn->code);
	int arm;

	if (BPF_SRC(insn->code) != BPF_X || BPF_CLASS(insn->code) == BPF_JMP32)
		return;
	if (is_end_of(d, s)) {
		arm = pkt_cmp_arm(op, true);
		if (arm >= 0)
			find_good_pkt_pointers(arm ? taken : fall, d);
	} else if (is_end_of(s, d)) {
		arm = pkt_cmp_arm(op, false);
		if (arm >= 0)
			find_good_pkt_pointers(arm ? taken : fall, s);
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
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON:
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
	    !(type_may_be_null(d.type) && s.type == SCALAR_VALUE) && !is_end_of(&d, &s) && !is_end_of(&s, &d))
		return verr(env, EACCES, "R%d pointer comparison prohibited", reg_is_pointer(&d) ? insn->dst_reg : insn->src_reg);

	pred = branch_taken(&d, &s, op, is32);
	if (pred >= 0 && d.type == SCALAR_VALUE && s.type == SCALAR_VALUE) {
		err = mark_chain_precision(env, insn->dst_reg);
		if (!err && BPF_SRC(insn->code) == BPF_X)
			err = mark_chain_precision(env, insn->src_reg);
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

	err = copy_state(&other, &env->cur);
	if (err)
		return err;
	taken_ok = refine_arm(&other, insn, true);
	fall_ok = refine_arm(&env->cur, insn, false);
	null_check_arms(insn, &d, &s, &other, &env->cur);
	try_match_pkt_pointers(insn, &d, &s, &other, &env->cur);

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
	free_state(&other);
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
	if (regs[BPF_REG_6].type != PTR_TO_CTX)
		return verr(env, EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
	if (BPF_MODE(insn->code) == BPF_IND) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
	}
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		reg_mark_not_init(&regs[i]);
	reg_mark_unknown_scalar(&regs[BPF_REG_0]);
	if (BPF_SIZE(insn->code) != BPF_DW) {
		int sz = BPF_SIZE(insn->code) == BPF_B ? 1 : BPF_SIZE(insn->code) == BPF_H ? 2 : 4;

		regs[0].var_off = tnum_cast(tnum_unknown, (uint8_t)sz);
		reg_bounds_sync(&regs[0]);
	}
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

static int check_ldx(struct venv *env, const struct bpf_insn *insn)
{
	int err;

	err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	err = check_reg_write(env, insn->dst_reg);
	if (err)
		return err;
	err = check_mem_access(env, insn->src_reg, insn->off, size_bytes(insn->code), false, NULL, insn->dst_reg,
			       false);
	if (err)
		return err;
	if (BPF_MODE(insn->code) == BPF_MEMSX) {
		struct reg_state *dst = &cur_regs(env)[insn->dst_reg];

		if (dst->type == SCALAR_VALUE && !tnum_is_const(dst->var_off)) {
			int bits = size_bytes(insn->code) * 8;

			reg_mark_unknown_scalar(dst);
			dst->smin = -((int64_t)1 << (bits - 1));
			dst->smax = ((int64_t)1 << (bits - 1)) - 1;
			reg_bounds_sync(dst);
		} else if (dst->type == SCALAR_VALUE) {
			int bits = size_bytes(insn->code) * 8;
			uint64_t v = dst->var_off.value;
			int64_t sv = bits == 8 ? (int8_t)v : bits == 16 ? (int16_t)v : (int32_t)v;

			reg_mark_known(dst, (uint64_t)sv);
		}
	}
	return 0;
}

static int check_atomic(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env);
	int size = size_bytes(insn->code), err;
	enum reg_type t;

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
	if (t == PTR_TO_CTX || t == PTR_TO_PACKET || t == PTR_TO_PACKET_META || t == PTR_TO_SOCKET)
		return verr(env, EACCES, "BPF_ATOMIC stores into R%d %s is not allowed", insn->dst_reg, reg_type_str(t));
	err = check_mem_access(env, insn->dst_reg, insn->off, size, false, NULL, -1, false);
	if (err)
		return err;
	err = check_mem_access(env, insn->dst_reg, insn->off, size, true, NULL, -1, false);
	if (err)
		return err;
	if (insn->imm == BPF_CMPXCHG)
		reg_mark_unknown_scalar(&regs[BPF_REG_0]);
	else if (insn->imm & BPF_FETCH)
		reg_mark_unknown_scalar(&regs[insn->src_reg]);
	if (size == 4 && (insn->imm == BPF_CMPXCHG || (insn->imm & BPF_FETCH)))
		reg_zext32(&regs[insn->imm == BPF_CMPXCHG ? BPF_REG_0 : insn->src_reg]);
	return 0;
}

static int check_stx_st(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env), imm;
	int err;

	if (BPF_CLASS(insn->code) == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC)
		return check_atomic(env, insn);
	err = check_reg_read(env, insn->dst_reg);
	if (err)
		return err;
	if (BPF_CLASS(insn->code) == BPF_STX) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
		return check_mem_access(env, insn->dst_reg, insn->off, size_bytes(insn->code), true,
					&regs[insn->src_reg], insn->src_reg, false);
	}
	reg_mark_known(&imm, (uint64_t)(int64_t)insn->imm);
	return check_mem_access(env, insn->dst_reg, insn->off, size_bytes(insn->code), true, &imm, -1, true);
}

static int check_exit(struct venv *env, bool *path_done, uint32_t *next_idx)
{
	struct reg_state *r0 = &cur_regs(env)[BPF_REG_0];
	int32_t lo, hi;
	int err;

	err = check_reg_read(env, BPF_REG_0);
	if (err)
		return err;
	if (env->cur.curframe) {
		*path_done = false;
		return prepare_func_exit(env, next_idx);
	}
	*path_done = true;
	if (env->cur.nrefs)
		return verr(env, EINVAL, "Unreleased reference id=%u alloc_insn=%u", env->cur.refs[0].id,
			    env->cur.refs[0].insn);
	if (reg_is_pointer(r0) && !env->allow_ptr_leaks)
		return verr(env, EACCES, "R0 leaks addr as return value");
	if (!prog_retval_range(env->opts->prog_type, &lo, &hi))
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

static void log_insn(struct venv *env, uint32_t idx)
{
	char text[160];

	if (!env->log.level)
		return;
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

static int do_check(struct venv *env)
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
		if (BPF_CLASS(env->insns[idx].code) == BPF_JMP || BPF_CLASS(env->insns[idx].code) == BPF_JMP32)
			env->jmps_processed++;
		if ((env->cfg->prune_point[idx] || is_cond_jmp(&env->insns[idx])) && !no_prune) {
			err = is_state_visited(env, idx);
			if (err < 0)
				return err;
			if (err == 1) {
				if (env->log.level)
					vlog_printf(&env->log, "%u: safe\n", idx);
				path_done = true;
			}
		}
		if (!path_done) {
			uint32_t frame_before = env->cur.curframe;

			log_insn(env, idx);
			mark_insn_reads(env, &env->insns[idx]);
			err = do_insn(env, &next_idx, &path_done);
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

			if (!env->calls[s * n + c])
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

static int check_max_stack_depth(struct venv *env)
{
	uint32_t frames, d;

	if (!env->cfg->nsubprogs)
		return 0;
	d = chain_depth(env, 0, 0, &frames);
	if (frames > 1 && d > MAX_BPF_STACK)
		return verr(env, EACCES, "combined stack size of %u calls is %u. Too large", frames, d);
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
	free_state(&env->cur);
	for (size_t i = 0; i < env->nstack; i++)
		free_state(&env->stack[i].st);
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
	free(env->insn_spi);
	free(env->calls);
	free(env->states_per_insn);
	free(env->live_regs);
	free(env->stack_depth);
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
	env->allow_ptr_leaks = !opts->unpriv;
	env->allow_uninit_stack = !opts->unpriv && !env->legacy;
	env->bpf_capable = !opts->unpriv;
	env->gpl = license_is_gpl(opts->license);
	env->prog_group = prog_type_group(opts->prog_type);
	env->insn_limit = opts->insn_limit ? opts->insn_limit : env->legacy ? LEGACY_INSN_LIMIT : 1000000;
	env->err_insn = -1;

	err = bpfs_cfg_build(insns, cnt, &env->cfg, &e);
	if (err)
		return verr(env, -err, "%s", e.msg);
	env->explored = calloc(cnt, sizeof(*env->explored));
	env->states_per_insn = calloc(cnt, sizeof(*env->states_per_insn));
	env->stack_depth = calloc(env->cfg->nsubprogs ? env->cfg->nsubprogs : 1, sizeof(*env->stack_depth));
	env->calls = calloc((size_t)env->cfg->nsubprogs * env->cfg->nsubprogs + 1, 1);
	env->insn_aux = calloc(cnt ? cnt : 1, 1);
	env->insn_spi = calloc(cnt ? cnt : 1, sizeof(*env->insn_spi));
	if (!env->insn_aux || !env->insn_spi || !env->explored || !env->states_per_insn || !env->stack_depth || !env->calls)
		return -ENOMEM;
	err = compute_liveness(env);
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
	if (err)
		return err;
	return check_max_stack_depth(env);
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
	}
	out->stats.processed_insns = env.insn_processed;
	out->stats.total_states = env.total_states;
	out->stats.peak_states = env.total_states;
	out->stats.max_states_per_insn = env.max_states_per_insn;
	out->stats.mark_read = env.mark_read_cnt;
	if (env.log.level)
		vlog_printf(&env.log,
			    "processed %llu insns (limit %llu) max_states_per_insn %llu total_states %llu peak_states %llu mark_read %llu\n",
			    (unsigned long long)env.insn_processed, (unsigned long long)env.insn_limit,
			    (unsigned long long)env.max_states_per_insn, (unsigned long long)env.total_states,
			    (unsigned long long)env.total_states, (unsigned long long)env.mark_read_cnt);
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
}
