/* SPDX-License-Identifier: MIT */
/*
 * The DAG check: the static checks the kernel makes before it walks a
 * program's paths. In order:
 *
 *  1. size: 1 to BPFS_MAX_INSNS instructions (the kernel's bpf_prog_load
 *     says -E2BIG to an empty program, without a message, where we say
 *     -EINVAL);
 *  2. subprogram layout (add_subprog_and_kfunc, check_subprogs): local
 *     call and pseudo-func targets inside the program ("call to invalid
 *     destination"), at most BPFS_MAX_SUBPROGS subprograms, every jump
 *     inside its own subprogram ("jump out of range from insn %d to %d"),
 *     and each subprogram's last insn an exit or a goto so that no
 *     subprogram falls into the next ("last insn is not an exit or jmp");
 *  3. the depth-first search of check_cfg over instructions: a back-edge
 *     is a loop ("back-edge from insn %d to %d"), then every instruction
 *     must have been reached ("unreachable insn %d") and no second slot of
 *     an LD_IMM64 may have been ("jump into the middle of ldimm64 insn %d",
 *     naming the first slot).
 *
 *  2b. instruction validity (bpfs_insns_validate), where the kernel's
 *     resolve_pseudo_ldimm64 checks opcodes and LD_IMM64: after the
 *     subprogram layout, so an LD_IMM64 as the last instruction is "last
 *     insn is not an exit or jmp" as in the kernel. Steps 1 and 2 read only
 *     classes and offsets, which any bytes have.
 *
 * The kernel checks registers and reserved fields during the walk, after
 * step 3; we check them in step 2b, so a program with several faults can
 * be reported for a different one than the kernel reports. A program with
 * one fault gets the kernel's message.
 *
 * The DFS is the kernel's (kernel/bpf/verifier.c: check_cfg, visit_insn,
 * push_insn), iterative with an explicit stack. Each instruction's state
 * is 0 (undiscovered), DISCOVERED (on the stack; the low bits record which
 * of its edges have been labelled) or EXPLORED (all its successors done).
 * The top of the stack is visited again after each tree edge, so an edge
 * to a DISCOVERED instruction is an edge to an ancestor on the current
 * path: a back-edge. Edges are tried in the kernel's order (fall-through
 * before branch, and a call's return before its callee), so the pair
 * reported for a back-edge is the pair the kernel reports. LD_IMM64 falls
 * through over its second slot, and a pseudo-func load is visited like a
 * call, so its callback counts as reachable.
 *
 * Back-edges: the original verifier rejected every loop. Since 5.3 a
 * privileged loader (bpf_capable) gets bounded loops: push_insn ignores the
 * back-edge and the path walk proves termination. Flags 0 is the strict
 * check; BPFS_CHECK_ALLOW_BACK_EDGES is the privileged one, and every
 * other check stays.
 *
 * Cost: O(n) time, 6 bytes of scratch per instruction.
 */
#include "analysis.h"

#include <errno.h>
#include <stdlib.h>

#define BPFS_MAX_SUBPROGS 256 /* the kernel's BPF_MAX_SUBPROGS */

/* Instruction states of the DFS, the kernel's encoding. */
enum {
	DISCOVERED = 0x10, /* pushed; low bits: edges labelled so far */
	EXPLORED = 0x20,   /* popped: every successor done */
	FALLTHROUGH = 1,   /* edge kinds; a goto's single edge counts as this */
	BRANCH = 2,
};

/* What visiting an instruction asks of the DFS loop (or a negative errno). */
enum {
	DONE_EXPLORING = 0, /* all successors labelled: pop */
	KEEP_EXPLORING = 1, /* a successor was pushed: visit it first */
};

struct dfs {
	const struct bpf_insn *insns;
	int cnt;
	uint8_t *state;
	int32_t *stack;
	int sp;
	bool loop_ok;
	struct bpfs_err *err;
};

static bool is_pseudo_func(const struct bpf_insn *insn)
{
	return bpfs_insn_is_ldimm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
}

static bool is_local_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

static bool is_jmp_class(uint8_t code)
{
	return BPF_CLASS(code) == BPF_JMP || BPF_CLASS(code) == BPF_JMP32;
}

/* Target of a jump (gotol's offset is in imm). */
static int64_t jump_target(const struct bpf_insn *insns, int i)
{
	if (insns[i].code == (BPF_JMP32 | BPF_JA))
		return (int64_t)i + 1 + insns[i].imm;
	return (int64_t)i + 1 + insns[i].off;
}

/* Target of a local call or a pseudo-func load. */
static int64_t callee_of(const struct bpf_insn *insns, int i)
{
	return (int64_t)i + 1 + insns[i].imm;
}

/* add_subprog_and_kfunc: marks subprogram starts in `start`. */
static int find_subprogs(const struct bpf_insn *insns, int cnt, uint8_t *start, struct bpfs_err *err)
{
	int n = 1;

	start[0] = 1;
	for (int i = 0; i < cnt; i++) {
		int64_t t;

		if (!is_pseudo_func(&insns[i]) && !is_local_call(&insns[i]))
			continue;
		t = callee_of(insns, i);
		if (t < 0 || t >= cnt)
			return bpfs_err_set(err, EINVAL, i, "call to invalid destination");
		if (start[t])
			continue;
		if (n >= BPFS_MAX_SUBPROGS)
			return bpfs_err_set(err, E2BIG, i, "too many subprograms");
		start[t] = 1;
		n++;
	}
	return 0;
}

static int next_start(const uint8_t *start, int cnt, int from)
{
	while (++from < cnt && !start[from])
		;
	return from;
}

/* check_subprogs: jumps stay in their subprogram, none falls off its end. */
static int check_subprogs(const struct bpf_insn *insns, int cnt, const uint8_t *start, struct bpfs_err *err)
{
	int sub_start = 0, sub_end = next_start(start, cnt, 0);

	for (int i = 0; i < cnt; i++) {
		uint8_t code = insns[i].code;

		if (is_jmp_class(code) && BPF_OP(code) != BPF_EXIT && BPF_OP(code) != BPF_CALL) {
			int64_t t = jump_target(insns, i);

			if (t < sub_start || t >= sub_end)
				return bpfs_err_set(err, EINVAL, i, "jump out of range from insn %d to %lld",
						    i, (long long)t);
		}
		if (i != sub_end - 1)
			continue;
		if (code != (BPF_JMP | BPF_EXIT) && code != (BPF_JMP | BPF_JA) &&
		    code != (BPF_JMP32 | BPF_JA))
			return bpfs_err_set(err, EINVAL, i, "last insn is not an exit or jmp");
		sub_start = sub_end;
		sub_end = next_start(start, cnt, sub_start);
	}
	return 0;
}

/* Labels edge e from t to w: t, w and e as in the kernel's pseudo-code. */
static int push_insn(struct dfs *d, int t, int64_t w, int e)
{
	if (e == FALLTHROUGH && d->state[t] >= (DISCOVERED | FALLTHROUGH))
		return DONE_EXPLORING;
	if (e == BRANCH && d->state[t] >= (DISCOVERED | BRANCH))
		return DONE_EXPLORING;
	if (w < 0 || w >= d->cnt)
		return bpfs_err_set(d->err, EINVAL, t, "jump out of range from insn %d to %lld", t,
				    (long long)w);

	if (d->state[w] == 0) {
		/* tree edge: w is visited next, t again after it */
		d->state[t] = DISCOVERED | e;
		d->state[w] = DISCOVERED;
		d->stack[d->sp++] = (int32_t)w;
		return KEEP_EXPLORING;
	}
	if ((d->state[w] & 0xf0) == DISCOVERED) {
		/* w is on the current path: a loop. Bounded loops leave the
		 * edge unlabelled, as the kernel does for bpf_capable. */
		if (d->loop_ok)
			return DONE_EXPLORING;
		return bpfs_err_set(d->err, EINVAL, t, "back-edge from insn %d to %lld", t, (long long)w);
	}
	/* forward or cross edge to a finished instruction */
	d->state[t] = DISCOVERED | e;
	return DONE_EXPLORING;
}

/* A call returns to the next insn (after both slots for a pseudo-func
 * load); a local one also enters its callee. */
static int visit_call(struct dfs *d, int t, int size, bool callee)
{
	int ret = push_insn(d, t, t + size, FALLTHROUGH);

	if (ret || !callee)
		return ret;
	return push_insn(d, t, callee_of(d->insns, t), BRANCH);
}

static int visit_insn(struct dfs *d, int t)
{
	const struct bpf_insn *insn = &d->insns[t];
	int ret;

	if (is_pseudo_func(insn))
		return visit_call(d, t, 2, true);
	if (!is_jmp_class(insn->code))
		return push_insn(d, t, t + (bpfs_insn_is_ldimm64(insn) ? 2 : 1), FALLTHROUGH);

	switch (BPF_OP(insn->code)) {
	case BPF_EXIT:
		return DONE_EXPLORING;
	case BPF_CALL:
		return visit_call(d, t, 1, is_local_call(insn));
	case BPF_JA:
		/* a goto has one edge, labelled as a fall-through */
		return push_insn(d, t, jump_target(d->insns, t), FALLTHROUGH);
	default:
		/* conditional jumps and may_goto: two edges */
		ret = push_insn(d, t, t + 1, FALLTHROUGH);
		if (ret)
			return ret;
		return push_insn(d, t, jump_target(d->insns, t), BRANCH);
	}
}

/* After the walk: everything reached, no LD_IMM64 entered in the middle. */
static int check_reached(struct dfs *d)
{
	for (int i = 0; i < d->cnt; i++) {
		if (d->state[i] != EXPLORED)
			return bpfs_err_set(d->err, EINVAL, i, "unreachable insn %d", i);
		if (!bpfs_insn_is_ldimm64(&d->insns[i]))
			continue;
		if (i + 1 < d->cnt && d->state[i + 1] != 0)
			return bpfs_err_set(d->err, EINVAL, i, "jump into the middle of ldimm64 insn %d", i);
		i++;
	}
	return 0;
}

static int check_dag(struct dfs *d)
{
	int ret;

	d->state[0] = DISCOVERED;
	d->stack[0] = 0;
	d->sp = 1;
	while (d->sp > 0) {
		int t = d->stack[d->sp - 1];

		ret = visit_insn(d, t);
		if (ret < 0)
			return ret;
		if (ret == DONE_EXPLORING) {
			d->state[t] = EXPLORED;
			d->sp--;
		}
	}
	return check_reached(d);
}

int bpfs_check_cfg(const struct bpf_insn *insns, size_t cnt, unsigned flags, struct bpfs_err *err)
{
	struct dfs d = {.insns = insns, .cnt = (int)cnt, .err = err};
	uint8_t *start = NULL;
	int ret;

	bpfs_err_clear(err);
	if (cnt == 0 || cnt > BPFS_MAX_INSNS)
		return bpfs_insns_validate(insns, cnt, err); /* the size error */

	d.loop_ok = flags & BPFS_CHECK_ALLOW_BACK_EDGES;
	start = calloc(cnt, 1);
	d.state = calloc(cnt, 1);
	d.stack = malloc(cnt * sizeof(*d.stack));
	if (!start || !d.state || !d.stack) {
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
		goto out;
	}
	ret = find_subprogs(insns, d.cnt, start, err);
	if (!ret)
		ret = check_subprogs(insns, d.cnt, start, err);
	if (!ret)
		ret = bpfs_insns_validate(insns, cnt, err);
	if (!ret)
		ret = check_dag(&d);
out:
	free(start);
	free(d.state);
	free(d.stack);
	return ret;
}
