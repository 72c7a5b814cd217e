/* SPDX-License-Identifier: MIT */
/*
 * State pruning: which snapshots the walk keeps, when the current state
 * is subsumed by one of them, and the two liveness analyses that say
 * what a state must agree on.
 *
 * - Static liveness (compute_liveness): per insn, the registers some CFG
 *   path reads before writing them. A backward may-analysis to a fixed
 *   point, computed once before the walk.
 * - Liveness marks (mark_read, the kernel's mark_reg_read): per snapshot,
 *   the registers and stack slots some walked path from it read before
 *   writing them. Complete once the snapshot's walks are all done.
 * - is_state_visited: at a prune point, prunes against complete
 *   snapshots that subsume the current state (states_equal, with the
 *   soundness argument beside it), detects loops against snapshots still
 *   in progress, and takes a new snapshot when enough work passed since
 *   the last (the kernel's heuristic); snapshots that keep failing to
 *   match are dropped.
 *
 * Invariants: a snapshot's `branches` counts the walks in progress below
 * it; it is freed only when dropped and no walk is in progress below it,
 * or when the run ends. Source: is_state_visited, states_equal, regsafe,
 * stacksafe, mark_reg_read, propagate_liveness of the Linux kernel's
 * kernel/bpf/verifier.c, reimplemented.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

/* ---------------------------------------------------------------------- */
/* Static liveness: per insn, the registers some path reads before
 * writing. Backward may-analysis to a fixed point over the CFG; a helper
 * call reads the arguments of its prototype (as the kernel's
 * compute_live_registers), a subprogram call R1-R5 (the callee is
 * analysed on its own); calls write R0-R5, exits read R0. */

/* The argument registers a helper reads: those its prototype names (all
 * five when the helper is unknown, or for a call of a subprogram) */
static uint16_t call_uses(const struct bpf_insn *insn)
{
	const struct helper_proto *fn = insn->src_reg == 0 ? helper_proto(insn->imm) : NULL;
	uint16_t use = 0;

	if (!fn)
		return 0x3e;
	for (int i = 0; i < 5; i++)
		if (fn->arg[i] != ARG_DONTCARE)
			use |= (uint16_t)(1u << (i + 1));
	return use;
}

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
		if (BPF_MODE(insn->code) == BPF_ATOMIC && insn->imm == BPF_LOAD_ACQ) {
			*use = src; /* dst = *(src + off) */
			*def = dst;
		} else if (BPF_MODE(insn->code) == BPF_ATOMIC) {
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
			*use = call_uses(insn);
			*def = 0x3f;
		} else if (op == BPF_EXIT) {
			*use = 1;
		} else if (op != BPF_JA && op != BPF_JCOND) {
			*use = dst | (BPF_SRC(insn->code) == BPF_X ? src : 0);
		}
		break;
	}
}

int compute_liveness(struct venv *env)
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
/* Prune points of the modern profile, by the kernel's rules (check_cfg:
 * visit_insn, visit_func_call_insn, push_insn): a conditional jump and its
 * target, a goto's target, the insn after any call, a local call (or a
 * pseudo-func load) and its callee's entry. The fall-through of a
 * conditional jump and the insn after a goto are not, unless some jump
 * targets them. Where snapshots can be taken decides which later paths
 * meet them, so matching the kernel's set matters for the work done, not
 * for soundness (a prune point only says where states may be compared). */

static void mark_point(uint8_t *pp, size_t n, int64_t idx)
{
	if (idx >= 0 && (size_t)idx < n)
		pp[idx] = 1;
}

int compute_prune_points(struct venv *env)
{
	const struct bpf_insn *insns = env->insns;
	size_t n = env->cnt;

	env->prune_point = calloc(n ? n : 1, 1);
	if (!env->prune_point)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct bpf_insn *insn = &insns[k];
		uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);

		if (bpfs_insn_is_ldimm64(insn)) {
			if (insn->src_reg == BPF_PSEUDO_FUNC) {
				mark_point(env->prune_point, n, (int64_t)k);
				mark_point(env->prune_point, n, (int64_t)k + 2);
				mark_point(env->prune_point, n, (int64_t)k + 1 + insn->imm);
			}
			k++;
			continue;
		}
		if (cls != BPF_JMP && cls != BPF_JMP32)
			continue;
		switch (op) {
		case BPF_EXIT:
			break;
		case BPF_CALL:
			mark_point(env->prune_point, n, (int64_t)k + 1);
			if (insn->src_reg == BPF_PSEUDO_CALL) {
				mark_point(env->prune_point, n, (int64_t)k);
				mark_point(env->prune_point, n, bpfs_insn_jump_target(insns, k));
			}
			break;
		case BPF_JA:
			mark_point(env->prune_point, n, bpfs_insn_jump_target(insns, k));
			break;
		default:
			mark_point(env->prune_point, n, (int64_t)k);
			mark_point(env->prune_point, n, bpfs_insn_jump_target(insns, k));
			break;
		}
	}
	return 0;
}


/* ---------------------------------------------------------------------- */
/* Liveness marks (the kernel's mark_reg_read): a read of a value not
 * written since the last snapshot marks the snapshots back to the one
 * whose segment wrote it. Pruning then ignores what no path read. */

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
void mark_insn_reads(struct venv *env, const struct bpf_insn *insn)
{
	uint16_t use, def;

	insn_use_def(insn, &use, &def);
	for (int r = 0; r < BPF_REG_10; r++)
		if (use & (1u << r))
			mark_read(env, env->cur.curframe, r);
}

/* Registers an insn wrote, in the frame now current */
void mark_insn_writes(struct venv *env, const struct bpf_insn *insn, uint32_t frame_before)
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
/* Snapshots */

void free_explored(struct explored *e)
{
	vstate_free(&e->st);
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
void update_branch_counts(struct venv *env, struct explored *e)
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
			env->cur_states--;
		}
		e = parent;
	}
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
 *   An imprecise scalar that shares its id with a precise one (a copy of
 *   it, in a register or spilled) is the exception: a jump on the copy
 *   narrows the precise one too, which the backtracking does not see (it
 *   follows values, not ids), so CUR must link the two the same way (ids
 *   below). Example: OLD r7 = r6 (linked), r6 precise, r7 not; then
 *   `if r7 > 40 goto out; r0 += r6` is safe for OLD because the jump
 *   bounded r6. CUR with an unlinked r7 of the same range would not get
 *   r6 bounded, so it must not be pruned.
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
 *   MISC/ZERO/spilled scalars; ZERO needs ZERO (OLD may have read a known
 *   zero from them: that is why storing a register that is zero as plain
 *   bytes marks it precise, verif_prec.c); a spilled pointer, or a
 *   spilled scalar OLD needs the range of, needs a spill over the same
 *   bytes whose register is within OLD's.
 * - a spilled scalar OLD does not need the range of (imprecise and not
 *   linked to a precise one, or unknown anyway) compares as MISC bytes of
 *   its size: whatever a read of it gave OLD (the register on a fill of
 *   the spill's size, a truncation of it on a narrower fill from its
 *   start, an unknown number otherwise), some number was fine, and the
 *   bytes CUR may hold there (written numbers, zeros, a spilled scalar of
 *   any size, or with uninitialised reads allowed nothing) each read as a
 *   number. Example: OLD spilled an 8-byte r2 nothing checked at fp-16,
 *   CUR a 4-byte one there with the upper half never written: pruned.
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
	uint32_t prec_id[32]; /* ids of OLD's precise scalars */
	uint32_t nprec;
	bool prec_overflow;   /* more than fit: every id counts */
};

static void note_prec_id(struct idmap *m, const struct reg_state *r)
{
	if (r->type != SCALAR_VALUE || !r->precise || !r->id)
		return;
	for (uint32_t i = 0; i < m->nprec; i++)
		if (m->prec_id[i] == r->id)
			return;
	if (m->nprec == 32)
		m->prec_overflow = true;
	else
		m->prec_id[m->nprec++] = r->id;
}

static void collect_prec_ids(struct idmap *m, const struct vstate *o)
{
	for (uint32_t i = 0; i <= o->curframe; i++) {
		const struct func_state *f = o->frame[i];

		for (int r = 0; r < BPF_REG_10; r++)
			note_prec_id(m, &f->regs[r]);
		for (uint32_t spi = 0; spi < f->nslots; spi++)
			if (f->stack[spi].type[0] == STACK_SPILL)
				note_prec_id(m, &f->stack[spi].spilled);
	}
}

/* An imprecise scalar sharing its id with a precise one: a jump on it
 * narrows the precise one too */
static bool linked_to_precise(const struct idmap *m, uint32_t id)
{
	if (!id)
		return false;
	if (m->prec_overflow)
		return true;
	for (uint32_t i = 0; i < m->nprec; i++)
		if (m->prec_id[i] == id)
			return true;
	return false;
}

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
			return !linked_to_precise(m, o->id) || check_scalar_ids(m, o->id, c->id);
		return var_within(o, c) && check_scalar_ids(m, o->id, c->id);
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (o->off != c->off || (exact ? o->range != c->range : o->range > c->range))
			return false;
		/* a pointer past the end decided comparisons the other did not */
		if ((o->range < 0 || c->range < 0) && o->range != c->range)
			return false;
		return (exact ? var_exact(o, c) : var_within(o, c)) && check_ids(m, o->id, c->id);
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case PTR_TO_MEM:
	case PTR_TO_BUF:
		if (o->off != c->off || o->map != c->map || o->mem_size != c->mem_size)
			return false;
		return exact ? var_exact(o, c) : var_within(o, c);
	case PTR_TO_MAP_VALUE_OR_NULL:
	case PTR_TO_MEM_OR_NULL:
	case PTR_TO_BUF_OR_NULL:
	case PTR_TO_SOCKET_OR_NULL:
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON_OR_NULL:
	case PTR_TO_SOCK_COMMON:
	case PTR_TO_TCP_SOCK_OR_NULL:
	case PTR_TO_TCP_SOCK:
	case PTR_TO_BTF_ID_OR_NULL:
	case PTR_TO_BTF_ID:
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

/* An old spilled scalar that no check needed the range of (and that no
 * precise scalar is linked to), or that is unknown and unlinked anyway:
 * what a read of it gave (its register on a fill, an unknown number on a
 * partial read) any number would have done, so its bytes compare as
 * plain written bytes. */
static bool spill_reads_as_bytes(const struct idmap *m, const struct reg_state *o, bool exact)
{
	if (exact || o->type != SCALAR_VALUE)
		return false;
	if (m->imprecise_ok && !o->precise)
		return !linked_to_precise(m, o->id);
	return tnum_is_unknown(o->var_off) && !o->id && o->smin == INT64_MIN && o->smax == INT64_MAX &&
	       !o->umin && o->umax == UINT64_MAX && o->s32_min == INT32_MIN && o->s32_max == INT32_MAX &&
	       !o->u32_min && o->u32_max == UINT32_MAX;
}

/* Both spills cover the same bytes of the slot */
static bool same_spill_bytes(const struct stack_slot *os, const struct stack_slot *cs)
{
	for (int i = 0; i < BPF_REG_SIZE; i++)
		if ((os->type[i] == STACK_SPILL) != (cs->type[i] == STACK_SPILL))
			return false;
	return true;
}

/* The slot's bytes one by one; with spill_as_misc, OLD's spill bytes
 * count as written numbers, else they were compared as a register. */
static bool bytes_safe(struct venv *env, const struct stack_slot *os, const struct stack_slot *cs, bool exact,
		       bool spill_as_misc)
{
	for (int i = 0; i < BPF_REG_SIZE; i++) {
		uint8_t ot = os->type[i];

		if (ot == STACK_SPILL) {
			if (!spill_as_misc)
				continue;
			ot = STACK_MISC;
		}
		if (!stack_byte_safe(env, ot, cs->type[i], cs, exact))
			return false;
	}
	return true;
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
			if (spill_reads_as_bytes(m, &os->spilled, exact)) {
				if (!bytes_safe(env, os, cs, exact, true))
					return false;
				continue;
			}
			if (!c_spill || !same_spill_bytes(os, cs) || !regsafe(&os->spilled, &cs->spilled, m, exact) ||
			    !bytes_safe(env, os, cs, exact, false))
				return false;
			continue;
		}
		if (c_spill && reg_is_pointer(&cs->spilled) && env->allow_uninit_stack)
			return false;
		if (!bytes_safe(env, os, cs, exact, false))
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
	if (m.imprecise_ok && !exact)
		collect_prec_ids(&m, o);
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
		env->cur_states--;
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
 * state is added when enough jumps and insns passed since the last one,
 * less often inside a loop, and always when the path's record grew long
 * (the kernel's heuristics, which bound the number of states). */
int is_state_visited(struct venv *env, uint32_t idx)
{
	bool force = !env->legacy && env->cur.nhist > 40;
	bool add = force || (env->jmps_processed - env->prev_jmps_processed >= 2 &&
			     env->insn_processed - env->prev_insn_processed >= 8);
	struct explored *e, **pprev = &env->explored[idx];
	int err;

	while ((e = *pprev)) {
		if (e->branches) {
			if (!env->legacy && states_equal(env, &e->st, &env->cur, idx, true))
				return verr(env, EINVAL, "infinite loop detected at insn %u", idx);
			/* looping: iterations differ, few of their states help */
			if (!env->legacy && !force && env->jmps_processed - env->prev_jmps_processed < 20 &&
			    env->insn_processed - env->prev_insn_processed < 100)
				add = false;
		} else if (states_equal(env, &e->st, &env->cur, idx, false)) {
			env->trace_covered = e->trace_id;
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
	if (env->bpf_capable)
		mark_all_scalars_imprecise(&env->cur);
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	err = vstate_copy(&e->st, &env->cur);
	if (err) {
		free(e);
		return err;
	}
	e->branches = 1;
	e->insn = idx;
	if (env->trace) {
		struct bpfs_trace_event ev = {.kind = BPFS_TRACE_STORE, .insn = idx};
		char state[1024];

		if (env->trace->want_states) {
			vtrace_regs(env, &env->cur, 0xffff, state, sizeof(state));
			ev.state = state;
		}
		e->trace_id = ev.node = ++env->trace_ids;
		vtrace(env, &ev); /* before the link: its parent is the previous checkpoint */
	}
	e->st.parent = env->cur.parent;
	env->cur.parent = e;
	env->cur.nhist = 0;
	env->cur.seg_len = 0;
	clear_live(&env->cur);
	e->next = env->explored[idx];
	env->explored[idx] = e;
	env->total_states++;
	if (++env->cur_states > env->peak_states)
		env->peak_states = env->cur_states;
	if (++env->states_per_insn[idx] > env->max_states_per_insn)
		env->max_states_per_insn = env->states_per_insn[idx];
	return 0;
}

