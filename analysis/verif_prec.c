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
 * (regsafe in verifier.c).
 *
 * When a decision reads a scalar, mark_chain_precision walks the current
 * path backwards, instruction by instruction (the path since each snapshot
 * is its segment: seg_len insns ending at last_insn, jumps in hist),
 * tracking the set of registers and stack slots the value was computed
 * from (r1 = r2 moves the need to r2; r1 += r2 adds r2; a fill from fp-8
 * moves it to slot fp-8; a constant ends it), and marks that set precise
 * in every snapshot it crosses. Snapshots are ancestors of the path, so
 * every path from a snapshot reports its needs to it before the snapshot
 * is complete and used for pruning.
 *
 * Where the walk cannot follow (calls between frames, stack accessed
 * through a register other than r10, atomics), it falls back to marking
 * every scalar of every snapshot on the path precise: less pruning, never
 * unsound. The unprivileged and 3.18 profiles treat every scalar as
 * precise and never call this; neither does a walk without pruning.
 *
 * Source: the kernel's mark_chain_precision / backtrack_insn
 * (kernel/bpf/verifier.c), simplified to the current frame.
 */
#include <errno.h>

#include "verifier_int.h"

struct bt {
	uint16_t regs;
	uint64_t slots; /* stack slot spi of the current frame */
	uint32_t frame;
};

enum { BT_OK = 0, BT_FALLBACK = 1 };

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

void mark_all_scalars_precise(struct venv *env)
{
	mark_state_all(&env->cur);
	for (struct explored *e = env->cur.parent; e; e = e->st.parent)
		mark_state_all(&e->st);
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
	return bt->regs & (1u << r);
}

static void bt_set(struct bt *bt, uint32_t r)
{
	bt->regs |= (uint16_t)(1u << r);
}

static void bt_clear(struct bt *bt, uint32_t r)
{
	bt->regs &= (uint16_t)~(1u << r);
}

static int fp_spi(const struct bpf_insn *insn)
{
	int off = insn->off;

	if (off >= 0 || off < -MAX_BPF_STACK)
		return -1;
	return (-off - 1) / BPF_REG_SIZE;
}

/* The stack slot insn i accessed through base register `base`: >= 0, or
 * -1 when it is not a stack access, -2 when it cannot be told. */
static int stack_spi(struct venv *env, uint32_t i, const struct bpf_insn *insn, uint32_t base)
{
	if (base == BPF_REG_10) {
		int spi = fp_spi(insn);

		return spi < 0 ? -2 : spi;
	}
	if (!(env->insn_aux[i] & INSN_AUX_STACK_VIA_REG))
		return -1;
	return env->insn_spi[i] >= 0 ? env->insn_spi[i] : -2;
}

/* Before insn i executed, which values did the tracked ones come from? */
static int backtrack_insn(struct venv *env, uint32_t i, struct bt *bt)
{
	const struct bpf_insn *insn = &env->insns[i];
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	uint32_t d = insn->dst_reg, s = insn->src_reg;
	int spi;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (!bt_reg(bt, d))
			return BT_OK;
		if (op == BPF_MOV) {
			bt_clear(bt, d);
			if (BPF_SRC(insn->code) == BPF_X)
				bt_set(bt, s);
		} else if (BPF_SRC(insn->code) == BPF_X && op != BPF_NEG && op != BPF_END) {
			bt_set(bt, s);
		}
		return BT_OK;
	case BPF_LDX:
		if (!bt_reg(bt, d))
			return BT_OK;
		bt_clear(bt, d);
		spi = stack_spi(env, i, insn, s);
		if (spi == -2)
			return BT_FALLBACK;
		if (spi >= 0)
			bt->slots |= 1ull << spi;
		return BT_OK;
	case BPF_STX:
	case BPF_ST:
		if (cls == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC && insn->imm == BPF_LOAD_ACQ) {
			/* a load into d from memory through s: followed no further */
			return bt_reg(bt, d) ? BT_FALLBACK : BT_OK;
		}
		spi = stack_spi(env, i, insn, d);
		if (cls == BPF_STX && BPF_MODE(insn->code) == BPF_ATOMIC && insn->imm != BPF_STORE_REL) {
			if (bt->slots && spi != -1)
				return BT_FALLBACK;
			/* a fetched value comes from memory */
			if (insn->imm == BPF_CMPXCHG)
				bt_clear(bt, BPF_REG_0);
			else if (insn->imm & BPF_FETCH)
				bt_clear(bt, s);
			return BT_OK;
		}
		if (spi == -2 && bt->slots)
			return BT_FALLBACK;
		if (spi < 0 || !(bt->slots & (1ull << spi)))
			return BT_OK;
		/* through another register the insn may have written elsewhere
		 * on this path: keep looking for the slot's older value too */
		if (d == BPF_REG_10)
			bt->slots &= ~(1ull << spi);
		if (cls == BPF_STX)
			bt_set(bt, s);
		return BT_OK;
	case BPF_LD:
		if (BPF_MODE(insn->code) == BPF_IMM) {
			bt_clear(bt, d);
			return BT_OK;
		}
		bt_clear(bt, BPF_REG_0);
		return BT_OK;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL) {
			if (insn->src_reg == BPF_PSEUDO_CALL)
				return BT_FALLBACK;
			bt_clear(bt, BPF_REG_0);
			return BT_OK;
		}
		if (op == BPF_EXIT)
			return BT_FALLBACK;
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
	struct func_state *f = st->frame[bt->frame];

	for (uint32_t r = 0; r <= BPFS_MAX_REG; r++) {
		struct reg_state *reg;

		if (!bt_reg(bt, r))
			continue;
		reg = &f->regs[r];
		if (reg->type != SCALAR_VALUE || reg->precise)
			bt_clear(bt, r);
		reg->precise = reg->type == SCALAR_VALUE;
	}
	for (uint32_t spi = 0; spi < 64; spi++) {
		struct reg_state *reg;

		if (!(bt->slots & (1ull << spi)))
			continue;
		if (spi >= f->nslots || f->stack[spi].type[0] != STACK_SPILL ||
		    f->stack[spi].spilled.type != SCALAR_VALUE) {
			bt->slots &= ~(1ull << spi);
			continue;
		}
		reg = &f->stack[spi].spilled;
		if (reg->precise)
			bt->slots &= ~(1ull << spi);
		reg->precise = true;
	}
}

static int backtrack(struct venv *env, struct bt *bt)
{
	struct vstate *st = &env->cur;
	struct func_state *f = st->frame[bt->frame];
	uint32_t pos = env->insn_idx, hi = st->nhist, left = st->seg_len;
	struct explored *e;

	/* the current state's own registers */
	for (uint32_t r = 0; r <= BPFS_MAX_REG; r++)
		if (bt_reg(bt, r) && f->regs[r].type == SCALAR_VALUE)
			f->regs[r].precise = true;
	for (uint32_t spi = 0; spi < 64 && spi < f->nslots; spi++)
		if ((bt->slots & (1ull << spi)) && f->stack[spi].type[0] == STACK_SPILL)
			f->stack[spi].spilled.precise = true;
	for (;;) {
		while (left && (bt->regs || bt->slots)) {
			pos = prev_insn(env, st, &hi, pos);
			if (backtrack_insn(env, pos, bt) == BT_FALLBACK) {
				mark_all_scalars_precise(env);
				return 0;
			}
			left--;
		}
		if (!(bt->regs || bt->slots) || !st->parent)
			return 0;
		/* the segment began at the snapshot: mark it, go on in its own */
		e = st->parent;
		st = &e->st;
		if (st->curframe != bt->frame) {
			mark_all_scalars_precise(env);
			return 0;
		}
		mark_in_state(st, bt);
		pos = e->insn;
		hi = st->nhist;
		left = st->seg_len;
	}
}

int mark_chain_precision(struct venv *env, uint32_t regno)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!env->bpf_capable || env->legacy || env->opts->no_prune)
		return 0;
	if (cur_regs(env)[regno].type != SCALAR_VALUE)
		return 0;
	bt_set(&bt, regno);
	return backtrack(env, &bt);
}

int mark_slot_precision(struct venv *env, uint32_t frameno, uint32_t spi)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!env->bpf_capable || env->legacy || env->opts->no_prune)
		return 0;
	if (frameno != env->cur.curframe || spi >= 64) {
		mark_all_scalars_precise(env);
		return 0;
	}
	bt.slots = 1ull << spi;
	return backtrack(env, &bt);
}

int propagate_precision(struct venv *env, const struct vstate *old)
{
	struct bt bt = { .frame = env->cur.curframe };

	if (!env->bpf_capable || env->legacy || env->opts->no_prune)
		return 0;
	for (uint32_t i = 0; i <= old->curframe; i++) {
		const struct func_state *f = old->frame[i];
		bool any = false;

		for (uint32_t r = 0; r <= BPFS_MAX_REG; r++) {
			if (f->regs[r].type == SCALAR_VALUE && f->regs[r].precise) {
				any = true;
				if (i == bt.frame)
					bt_set(&bt, r);
			}
		}
		for (uint32_t spi = 0; spi < f->nslots; spi++) {
			if (f->stack[spi].type[0] == STACK_SPILL && f->stack[spi].spilled.type == SCALAR_VALUE &&
			    f->stack[spi].spilled.precise) {
				any = true;
				if (i == bt.frame && spi < 64)
					bt.slots |= 1ull << spi;
				else if (i == bt.frame)
					i = old->curframe + 1; /* out of range: fall back */
			}
		}
		if (any && i != bt.frame) {
			mark_all_scalars_precise(env);
			return 0;
		}
	}
	if (!bt.regs && !bt.slots)
		return 0;
	return backtrack(env, &bt);
}
