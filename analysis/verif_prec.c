/* SPDX-License-Identifier: MIT */
/*
 * Precision tracking: which scalars must be compared by range when
 * pruning.
 *
 * A scalar is "precise" in a snapshot when some safety decision on a path
 * from that snapshot depended on its exact range: an offset added to a
 * pointer, a helper's size argument, a branch whose outcome the ranges
 * decided, a return value with a required range, a constant map key. For
 * every other scalar the walk from the snapshot was safe whatever its value
 * (no decision looked at it), so pruning may accept any scalar there
 * (regsafe in verif_prune.c).
 *
 * When a decision reads a scalar, mark_chain_precision walks the current
 * path backwards, instruction by instruction (the path since each snapshot
 * is its segment: seg_len insns ending at last_insn, jumps and stack
 * accesses in hist), tracking per call frame the set of registers and
 * stack slots the value was computed from (r1 = r2 moves the need to r2;
 * r1 += r2 adds r2; a fill from a slot moves it to the slot, a spill back
 * to the register; a constant ends it; a subprogram's exit, walked
 * backwards, enters the callee with r0, and its call returns to the caller
 * with r1-r5), and marks that set precise in every snapshot it crosses.
 * Snapshots are ancestors of the path, so every path from a snapshot
 * reports its needs to it before the snapshot is complete and used for
 * pruning.
 *
 * Invariant: a scalar is precise in a snapshot only if the walk that
 * marked it went on to the snapshot's ancestors with it (or everything
 * was marked, below). So the walk may stop at a register already marked.
 * This is why the current state itself is never marked, and why it
 * forgets all its marks when a snapshot is taken of it
 * (mark_all_scalars_imprecise): marks copied into a new snapshot would not
 * have been propagated from there.
 *
 * Where the walk cannot follow (a stack slot reached through an access the
 * path did not record, a register needed from before the program's
 * start), it falls back to marking every scalar of every snapshot on the
 * path precise: less pruning, never unsound. The unprivileged and 3.18
 * profiles treat every scalar as precise and never call this; neither
 * does a walk without pruning.
 *
 * Source: the kernel's mark_chain_precision, backtrack_insn,
 * propagate_precision and the jump history (kernel/bpf/verifier.c),
 * reimplemented.
 */
#include <errno.h>

#include "verifier_int.h"

struct bt {
	uint16_t regs[MAX_CALL_FRAMES];
	uint64_t slots[MAX_CALL_FRAMES]; /* stack slot spi of each frame */
	uint32_t frame;                  /* the frame of the insn walked */
};

enum { BT_OK = 0, BT_FALLBACK = 1 };

#define ARG_REGS 0x3eu /* r1-r5 */

static void mark_state_all(struct vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct func_state *f = st->frame[i];

		for (int r = 0; r <= BPFS_MAX_REG; r++)
			if (f->regs[r].type == SCALAR_VALUE)
				f->regs[r].precise = true;
		for (uint32_t s = 0; s < f->nslots; s++)
			if (f->stack[s].type[0] == STACK_SPILL && f->stack[s].spilled.type == SCALAR_VALUE)
				f->stack[s].spilled.precise = true;
	}
}

/* The snapshots of the current path; the current state's marks do not
 * matter (see the invariant above) */
void mark_all_scalars_precise(struct venv *env)
{
	for (struct explored *e = env->cur.parent; e; e = e->st.parent)
		mark_state_all(&e->st);
}

void mark_all_scalars_imprecise(struct vstate *st)
{
	for (uint32_t i = 0; i <= st->curframe; i++) {
		struct func_state *f = st->frame[i];

		for (int r = 0; r <= BPFS_MAX_REG; r++)
			f->regs[r].precise = false;
		for (uint32_t s = 0; s < f->nslots; s++)
			f->stack[s].spilled.precise = false;
	}
}

/* The entry of the insn being checked: the one of the jump into it, when
 * it was reached by a jump since the segment began, else a new one */
int note_stack_access(struct venv *env, uint32_t frameno, uint32_t spi)
{
	struct vstate *st = &env->cur;
	uint32_t flags = HIST_STACK | (frameno & HIST_FRAME_MASK) << HIST_FRAME_SHIFT | (spi & HIST_SPI_MASK);
	int err;

	if (env->legacy || !env->bpf_capable || env->opts->no_prune || spi > HIST_SPI_MASK)
		return 0;
	if (!(st->nhist && st->hist[st->nhist - 1].idx == env->insn_idx)) {
		err = push_hist(st, env->insn_idx, env->prev_insn_idx);
		if (err)
			return err;
	}
	st->hist[st->nhist - 1].flags = flags;
	return 0;
}

int record_stack_access(struct venv *env, const struct reg_state *ptr, int off, int size, bool is_write,
			const struct reg_state *val, int stored_regno)
{
	const struct reg_state *stored = stored_regno >= 0 ? &cur_regs(env)[stored_regno] : NULL;
	const struct func_state *f = env->cur.frame[ptr->frameno];
	uint32_t spi;
	int64_t o;
	int err;

	if (!tnum_is_const(ptr->var_off)) {
		/* zero bytes stay zero only if the value is zero */
		if (stored && stored->type == SCALAR_VALUE && tnum_equals_const(stored->var_off, 0))
			return mark_chain_precision(env, (uint32_t)stored_regno);
		return 0;
	}
	o = (int64_t)off + (int64_t)ptr->var_off.value;
	/* a register known to be zero stored other than as a spill becomes
	 * zero bytes, which later states compare exactly; earlier ones see
	 * only the register, so its value must count (the kernel marks it
	 * precise too) */
	if (stored && stored->type == SCALAR_VALUE && tnum_equals_const(stored->var_off, 0) && (o % BPF_REG_SIZE)) {
		err = mark_chain_precision(env, (uint32_t)stored_regno);
		if (err)
			return err;
	}
	if (size <= 0 || o < -MAX_BPF_STACK || o + size > 0 || (o % BPF_REG_SIZE) ||
	    (o + MAX_BPF_STACK) % BPF_REG_SIZE + size > BPF_REG_SIZE)
		return 0;
	spi = (uint32_t)((-o - 1) / BPF_REG_SIZE);
	/* only spills and fills move a value the state keeps (the kernel
	 * records just these too): a store of a register or of an immediate
	 * other than zero, a load from a spill */
	if (is_write && (!val || (!stored && val->type == SCALAR_VALUE && tnum_equals_const(val->var_off, 0))))
		return 0;
	if (!is_write && (spi >= f->nslots || f->stack[spi].type[0] != STACK_SPILL))
		return 0;
	return note_stack_access(env, ptr->frameno, spi);
}

/* Previous insn of pos on the path: the source of a recorded jump into
 * pos, else the insn before it (the first slot of an LD_IMM64). */
static uint32_t prev_insn(struct venv *env, const struct vstate *st, uint32_t *hi, uint32_t pos)
{
	if (*hi && st->hist[*hi - 1].idx == pos)
		return st->hist[--(*hi)].prev;
	if (pos >= 2 && bpfs_insn_is_ldimm64(&env->insns[pos - 2]) && env->insns[pos - 1].code == 0)
		return pos - 2;
	return pos - 1;
}

static bool bt_reg(const struct bt *bt, uint32_t r)
{
	return bt->regs[bt->frame] & (1u << r);
}

static void bt_set(struct bt *bt, uint32_t r)
{
	bt->regs[bt->frame] |= (uint16_t)(1u << r);
}

static void bt_clear(struct bt *bt, uint32_t r)
{
	bt->regs[bt->frame] &= (uint16_t)~(1u << r);
}

static bool bt_empty(const struct bt *bt)
{
	for (uint32_t f = 0; f <= bt->frame; f++)
		if (bt->regs[f] || bt->slots[f])
			return false;
	return true;
}

/* A call, walked backwards: from the callee's first insn back to the
 * caller. Only arguments can be needed from the caller; the callee's
 * stack was empty at its entry. */
static int bt_leave_callee(struct bt *bt)
{
	uint16_t args = bt->regs[bt->frame] & ARG_REGS;

	if (!bt->frame || (bt->regs[bt->frame] & ~ARG_REGS) || bt->slots[bt->frame])
		return BT_FALLBACK;
	bt->regs[bt->frame] = 0;
	bt->frame--;
	bt->regs[bt->frame] |= args;
	return BT_OK;
}

/* A subprogram's exit, walked backwards: into the callee, with r0. The
 * caller's r1-r5 were clobbered by the call, so cannot be needed. */
static int bt_enter_callee(struct bt *bt)
{
	bool r0 = bt_reg(bt, BPF_REG_0);

	if (bt->frame + 1 >= MAX_CALL_FRAMES || (bt->regs[bt->frame] & ARG_REGS))
		return BT_FALLBACK;
	bt_clear(bt, BPF_REG_0);
	bt->frame++;
	bt->regs[bt->frame] = r0 ? 1 : 0;
	bt->slots[bt->frame] = 0;
	return BT_OK;
}

/* Before insn i executed (flags: its stack access, if recorded), which
 * values did the tracked ones come from? */
static int backtrack_insn(struct venv *env, uint32_t i, uint32_t flags, struct bt *bt)
{
	const struct bpf_insn *insn = &env->insns[i];
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	uint32_t d = insn->dst_reg, s = insn->src_reg;
	uint32_t fr = flags >> HIST_FRAME_SHIFT & HIST_FRAME_MASK, spi = flags & HIST_SPI_MASK;
	bool stack = flags & HIST_STACK;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (!bt_reg(bt, d))
			return BT_OK;
		if (op == BPF_MOV) {
			bt_clear(bt, d);
			if (BPF_SRC(insn->code) == BPF_X && s != BPF_REG_10)
				bt_set(bt, s);
		} else if (BPF_SRC(insn->code) == BPF_X && op != BPF_NEG && op != BPF_END && s != BPF_REG_10) {
			bt_set(bt, s);
		}
		return BT_OK;
	case BPF_LDX:
		if (!bt_reg(bt, d))
			return BT_OK;
		bt_clear(bt, d);
		/* only a fill from the stack keeps a value the state tracked;
		 * other memory gives numbers no snapshot constrains */
		if (stack)
			bt->slots[fr] |= 1ull << spi;
		return BT_OK;
	case BPF_STX:
	case BPF_ST:
		if (BPF_MODE(insn->code) == BPF_ATOMIC && insn->imm == BPF_LOAD_ACQ) {
			/* dst = *(src + off), as BPF_LDX */
			if (!bt_reg(bt, d))
				return BT_OK;
			bt_clear(bt, d);
			if (stack)
				bt->slots[fr] |= 1ull << spi;
			return BT_OK;
		}
		/* a store-release is a store */
		if (BPF_MODE(insn->code) == BPF_ATOMIC && insn->imm != BPF_STORE_REL) {
			uint32_t load = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : s;

			/* a fetched value came from memory; a stack slot it
			 * changed is no spill any more */
			if ((insn->imm & BPF_FETCH) && bt_reg(bt, load)) {
				bt_clear(bt, load);
				if (stack)
					bt->slots[fr] |= 1ull << spi;
			}
			return BT_OK;
		}
		if (!stack || !(bt->slots[fr] & (1ull << spi)))
			return BT_OK;
		bt->slots[fr] &= ~(1ull << spi);
		if (cls == BPF_STX)
			bt_set(bt, s);
		return BT_OK;
	case BPF_LD:
		/* LD_IMM64 gives a constant; LD_ABS/IND a packet number in r0
		 * and r1-r5 clobbered */
		if (BPF_MODE(insn->code) == BPF_IMM)
			bt_clear(bt, d);
		else
			bt_clear(bt, BPF_REG_0);
		return BT_OK;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL) {
			if (insn->src_reg == BPF_PSEUDO_CALL)
				return bt_leave_callee(bt);
			bt_clear(bt, BPF_REG_0);
			return BT_OK;
		}
		if (op == BPF_EXIT)
			return bt_enter_callee(bt);
		if (op == BPF_JA || op == BPF_JCOND || BPF_SRC(insn->code) != BPF_X)
			return BT_OK;
		if (bt_reg(bt, d) || bt_reg(bt, s)) {
			bt_set(bt, d);
			bt_set(bt, s);
		}
		return BT_OK;
	}
	return BT_OK;
}

/* Marks the tracked set in snapshot st; drops what st already had marked
 * (its ancestors were marked then) and what is not a scalar there. */
static void mark_in_state(struct vstate *st, struct bt *bt)
{
	for (uint32_t fr = 0; fr <= bt->frame; fr++) {
		struct func_state *f = st->frame[fr];

		for (uint32_t r = 0; r <= BPFS_MAX_REG; r++) {
			struct reg_state *reg = &f->regs[r];

			if (!(bt->regs[fr] & (1u << r)))
				continue;
			if (reg->type != SCALAR_VALUE || reg->precise)
				bt->regs[fr] &= (uint16_t)~(1u << r);
			reg->precise = reg->type == SCALAR_VALUE;
		}
		for (uint32_t spi = 0; spi < 64; spi++) {
			struct reg_state *reg;

			if (!(bt->slots[fr] & (1ull << spi)))
				continue;
			if (spi >= f->nslots || f->stack[spi].type[0] != STACK_SPILL ||
			    f->stack[spi].spilled.type != SCALAR_VALUE) {
				bt->slots[fr] &= ~(1ull << spi);
				continue;
			}
			reg = &f->stack[spi].spilled;
			if (reg->precise)
				bt->slots[fr] &= ~(1ull << spi);
			reg->precise = true;
		}
	}
}

static int backtrack(struct venv *env, struct bt *bt)
{
	struct vstate *st = &env->cur;
	uint32_t pos = env->insn_idx, hi = st->nhist, left = st->seg_len;
	struct explored *e;

	for (;;) {
		while (left && !bt_empty(bt)) {
			uint32_t flags;

			pos = prev_insn(env, st, &hi, pos);
			flags = hi && st->hist[hi - 1].idx == pos ? st->hist[hi - 1].flags : 0;
			if (backtrack_insn(env, pos, flags, bt) == BT_FALLBACK) {
				mark_all_scalars_precise(env);
				return 0;
			}
			left--;
		}
		if (bt_empty(bt))
			return 0;
		if (!st->parent)
			break;
		/* the segment began at the snapshot: mark it, go on in its own */
		e = st->parent;
		st = &e->st;
		if (st->curframe != bt->frame)
			break;
		mark_in_state(st, bt);
		pos = e->insn;
		hi = st->nhist;
		left = st->seg_len;
	}
	/* needed from before the program's start, or lost track */
	mark_all_scalars_precise(env);
	return 0;
}

static bool tracking(const struct venv *env)
{
	return env->bpf_capable && !env->legacy && !env->opts->no_prune;
}

int mark_chain_precision(struct venv *env, uint32_t regno)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!tracking(env) || cur_regs(env)[regno].type != SCALAR_VALUE)
		return 0;
	bt_set(&bt, regno);
	return backtrack(env, &bt);
}

int mark_slot_precision(struct venv *env, uint32_t frameno, uint32_t spi)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!tracking(env))
		return 0;
	if (frameno > env->cur.curframe || spi >= 64) {
		mark_all_scalars_precise(env);
		return 0;
	}
	bt.slots[frameno] = 1ull << spi;
	return backtrack(env, &bt);
}

int propagate_precision(struct venv *env, const struct vstate *old)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!tracking(env))
		return 0;
	for (uint32_t i = 0; i <= old->curframe && i <= bt.frame; i++) {
		const struct func_state *f = old->frame[i];

		for (uint32_t r = 0; r <= BPFS_MAX_REG; r++)
			if (f->regs[r].type == SCALAR_VALUE && f->regs[r].precise)
				bt.regs[i] |= (uint16_t)(1u << r);
		for (uint32_t spi = 0; spi < f->nslots; spi++) {
			if (f->stack[spi].type[0] != STACK_SPILL || f->stack[spi].spilled.type != SCALAR_VALUE ||
			    !f->stack[spi].spilled.precise)
				continue;
			if (spi >= 64) {
				mark_all_scalars_precise(env);
				return 0;
			}
			bt.slots[i] |= 1ull << spi;
		}
	}
	if (bt_empty(&bt))
		return 0;
	return backtrack(env, &bt);
}
