/* SPDX-License-Identifier: MIT */
/*
 * Control-flow graph of a BPF program: basic blocks, typed edges,
 * subprograms, reverse post-order and the verifier's prune points.
 *
 * Requires a program that passed bpfs_insns_validate (opcodes known,
 * LD_IMM64 complete), though nothing here reads past the array on a
 * program that did not. It is descriptive: loops, unreachable code and
 * jumps between subprograms are represented, not rejected (that is the
 * DAG check's job, analysis/dagcheck.c). It rejects only what has no
 * graph: a jump or call target outside the program, a jump into the
 * second slot of an LD_IMM64, and a last instruction that falls off the
 * end.
 *
 * Algorithm, in linear passes over arrays (no hashing, no recursion:
 * programs reach 1,000,000 instructions):
 *  1. scan: mark leaders (insn 0, jump targets, the insn after a jump,
 *     an exit or a local call, subprogram starts), subprogram starts
 *     (insn 0 and the targets of local calls and of LD_IMM64 with
 *     src_reg BPF_PSEUDO_FUNC, as the kernel's add_subprog_and_kfunc
 *     finds them; sorted by address because they are marks on the
 *     instruction array) and prune points;
 *  2. number blocks in address order and fill the insn -> block map;
 *  3. edges from each block's last instruction, then pred/succ lists
 *     carved out of one array by counting (CSR layout);
 *  4. reverse post-order by an iterative DFS with an explicit stack of
 *     (block, next successor) pairs; unreachable blocks follow.
 *
 * Block ends: exit, goto/gotol, conditional jumps (may_goto included),
 * local calls and LD_IMM64 pseudo-func loads end a block. Helper and
 * kfunc calls, tail calls included, do not: control comes back to the
 * next instruction (a tail call that succeeds never returns, one that
 * fails falls through, and the fall-through is the only edge we can
 * draw). A pseudo-func load gets a CALL edge to the callback's entry and
 * a fall-through, as the kernel's visit_func_call_insn treats it: the
 * callback is reachable through the load.
 *
 * Prune points follow the kernel's check_cfg (visit_insn, push_insn,
 * mark_prune_point; in 3.18-5.x init_explored_state): the target of
 * every jump, both the conditional jump and its fall-through successor,
 * the insn after a goto, every call's next insn, local call sites and
 * pseudo-func loads and their callees' entries. The set is the union over
 * kernel generations: a prune point is only where the verifier may
 * compare states, so extra points cost time, never soundness.
 */
#include "ir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	M_LEADER = 1 << 0,  /* first insn of a block */
	M_SUBPROG = 1 << 1, /* first insn of a subprogram */
	M_MIDDLE = 1 << 2,  /* second slot of an LD_IMM64 */
};

/* The public struct plus the array the pred/succ lists live in. */
struct cfg_priv {
	struct bpfs_cfg cfg;
	uint32_t *adj;
};

/* Scratch state of one build. */
struct builder {
	const struct bpf_insn *insns;
	size_t cnt;
	uint8_t *mark;
	struct bpfs_cfg *cfg;
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

static bool is_jmp_class(const struct bpf_insn *insn)
{
	return BPF_CLASS(insn->code) == BPF_JMP || BPF_CLASS(insn->code) == BPF_JMP32;
}

/* A jump with a target: goto, gotol, conditional jumps, may_goto. */
static bool is_jump(const struct bpf_insn *insn)
{
	return is_jmp_class(insn) && BPF_OP(insn->code) != BPF_CALL && BPF_OP(insn->code) != BPF_EXIT;
}

static bool is_exit(const struct bpf_insn *insn)
{
	return is_jmp_class(insn) && BPF_OP(insn->code) == BPF_EXIT;
}

static bool is_goto(const struct bpf_insn *insn)
{
	return is_jmp_class(insn) && BPF_OP(insn->code) == BPF_JA;
}

/* Target of a jump, local call or pseudo-func load at index i. */
static int64_t target_of(const struct bpf_insn *insns, size_t i)
{
	const struct bpf_insn *insn = &insns[i];

	if (insn->code == (BPF_JMP32 | BPF_JA) || is_local_call(insn) || is_pseudo_func(insn))
		return (int64_t)i + 1 + insn->imm;
	return (int64_t)i + 1 + insn->off;
}

static void mark_prune(struct builder *b, int64_t idx)
{
	if (idx >= 0 && (size_t)idx < b->cnt)
		b->cfg->prune_point[idx] = 1;
}

static void mark_leader(struct builder *b, int64_t idx)
{
	if (idx >= 0 && (size_t)idx < b->cnt)
		b->mark[idx] |= M_LEADER;
}

/* A local call or a pseudo-func load at i: its target starts a subprogram. */
static int scan_callee(struct builder *b, size_t i)
{
	int64_t t = target_of(b->insns, i);

	if (t < 0 || (size_t)t >= b->cnt)
		return bpfs_err_set(b->err, EINVAL, (int)i, "call to invalid destination");
	b->mark[t] |= M_LEADER | M_SUBPROG;
	mark_prune(b, (int64_t)i);
	mark_prune(b, t);
	return 0;
}

static int scan_jump(struct builder *b, size_t i)
{
	const struct bpf_insn *insn = &b->insns[i];
	int64_t t = target_of(b->insns, i);

	if (t < 0 || (size_t)t >= b->cnt)
		return bpfs_err_set(b->err, EINVAL, (int)i, "jump out of range from insn %zu to %lld", i,
				    (long long)t);
	mark_leader(b, t);
	mark_leader(b, (int64_t)i + 1);
	mark_prune(b, t);
	mark_prune(b, (int64_t)i + 1);
	if (!is_goto(insn))
		mark_prune(b, (int64_t)i);
	return 0;
}

/* Pass 1: leaders, subprogram starts, LD_IMM64 second slots, prune points. */
static int scan(struct builder *b)
{
	int ret;

	b->mark[0] |= M_LEADER | M_SUBPROG;
	for (size_t i = 0; i < b->cnt; i++) {
		const struct bpf_insn *insn = &b->insns[i];

		ret = 0;
		if (bpfs_insn_is_ldimm64(insn)) {
			if (i + 1 >= b->cnt)
				return bpfs_err_set(b->err, EINVAL, (int)i, "invalid bpf_ld_imm64 insn");
			b->mark[i + 1] |= M_MIDDLE;
			if (is_pseudo_func(insn)) {
				ret = scan_callee(b, i);
				mark_leader(b, (int64_t)i + 2);
				mark_prune(b, (int64_t)i + 2);
			}
			i++;
		} else if (is_exit(insn)) {
			mark_leader(b, (int64_t)i + 1);
		} else if (is_jmp_class(insn) && BPF_OP(insn->code) == BPF_CALL) {
			mark_prune(b, (int64_t)i + 1);
			if (is_local_call(insn)) {
				ret = scan_callee(b, i);
				mark_leader(b, (int64_t)i + 1);
			}
		} else if (is_jump(insn)) {
			ret = scan_jump(b, i);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Pass 2: blocks in address order, the insn -> block map, subprograms. */
static int make_blocks(struct builder *b)
{
	struct bpfs_cfg *cfg = b->cfg;
	uint32_t nblk = 0, nsub = 0, blk = 0, sub = 0;

	for (size_t i = 0; i < b->cnt; i++) {
		if ((b->mark[i] & (M_LEADER | M_MIDDLE)) == (M_LEADER | M_MIDDLE))
			return bpfs_err_set(b->err, EINVAL, (int)i - 1,
					    "jump into the middle of ldimm64 insn %zu", i - 1);
		nblk += !!(b->mark[i] & M_LEADER);
		nsub += !!(b->mark[i] & M_SUBPROG);
	}
	cfg->nblocks = nblk + 1;
	cfg->exit_block = nblk;
	cfg->nsubprogs = nsub;
	cfg->blocks = calloc(cfg->nblocks, sizeof(*cfg->blocks));
	cfg->subprogs = calloc(nsub, sizeof(*cfg->subprogs));
	if (!cfg->blocks || !cfg->subprogs)
		return bpfs_err_set(b->err, ENOMEM, -1, "out of memory");

	for (size_t i = 0; i < b->cnt; i++) {
		if ((b->mark[i] & M_LEADER) && i) {
			cfg->blocks[blk].last = (uint32_t)i - 1;
			blk++;
		}
		if (b->mark[i] & M_SUBPROG) {
			if (sub)
				cfg->subprogs[sub - 1].end = (uint32_t)i;
			cfg->subprogs[sub].start = (uint32_t)i;
			cfg->subprogs[sub].entry_block = blk;
			sub++;
		}
		if (b->mark[i] & M_LEADER) {
			cfg->blocks[blk].first = (uint32_t)i;
			cfg->blocks[blk].subprog = sub - 1;
		}
		cfg->insn_block[i] = blk;
	}
	cfg->blocks[blk].last = (uint32_t)b->cnt - 1;
	cfg->subprogs[sub - 1].end = (uint32_t)b->cnt;
	/* The virtual exit block holds no instruction: first = last = insn_cnt. */
	cfg->blocks[nblk].first = cfg->blocks[nblk].last = (uint32_t)b->cnt;
	cfg->blocks[nblk].subprog = UINT32_MAX;
	return 0;
}

static void add_edge(struct bpfs_cfg *cfg, uint32_t from, uint32_t to, enum bpfs_edge_kind kind)
{
	struct bpfs_edge *e = &cfg->edges[cfg->nedges++];

	e->from = from;
	e->to = to;
	e->kind = kind;
}

/* Fall-through from the block ending at insn `last` to insn `next`. */
static int add_fallthrough(struct builder *b, uint32_t from, size_t last, size_t next)
{
	if (next >= b->cnt)
		return bpfs_err_set(b->err, EINVAL, (int)last, "last insn is not an exit or jmp");
	add_edge(b->cfg, from, b->cfg->insn_block[next], BPFS_EDGE_FALLTHROUGH);
	return 0;
}

/* The outgoing edges of one block, from its last instruction. The kernel's
 * order: the fall-through (or a goto's single edge) first. */
static int block_edges(struct builder *b, uint32_t blk)
{
	struct bpfs_cfg *cfg = b->cfg;
	size_t last = cfg->blocks[blk].last, t = last;
	const struct bpf_insn *insn;
	int ret;

	if (b->mark[t] & M_MIDDLE)
		t--;
	insn = &b->insns[t];
	if (is_pseudo_func(insn) || is_local_call(insn)) {
		ret = add_fallthrough(b, blk, last, last + 1);
		if (!ret)
			add_edge(cfg, blk, cfg->insn_block[target_of(b->insns, t)], BPFS_EDGE_CALL);
		return ret;
	}
	if (is_exit(insn)) {
		add_edge(cfg, blk, cfg->exit_block, BPFS_EDGE_EXIT);
		return 0;
	}
	if (is_goto(insn)) {
		add_edge(cfg, blk, cfg->insn_block[target_of(b->insns, t)], BPFS_EDGE_BRANCH);
		return 0;
	}
	ret = add_fallthrough(b, blk, last, last + 1);
	if (!ret && is_jump(insn))
		add_edge(cfg, blk, cfg->insn_block[target_of(b->insns, t)], BPFS_EDGE_BRANCH);
	return ret;
}

/* Pass 3: edges, then pred/succ lists by counting into one array. */
static int make_edges(struct builder *b, uint32_t **adj)
{
	struct bpfs_cfg *cfg = b->cfg;
	uint32_t nreal = cfg->exit_block, *pos;
	int ret;

	/* At most two edges leave a block. */
	cfg->edges = malloc(2 * (size_t)nreal * sizeof(*cfg->edges));
	if (!cfg->edges)
		return bpfs_err_set(b->err, ENOMEM, -1, "out of memory");
	for (uint32_t blk = 0; blk < nreal; blk++) {
		ret = block_edges(b, blk);
		if (ret)
			return ret;
	}

	*adj = malloc(2 * (size_t)cfg->nedges * sizeof(**adj) + 1);
	if (!*adj)
		return bpfs_err_set(b->err, ENOMEM, -1, "out of memory");
	for (uint32_t e = 0; e < cfg->nedges; e++) {
		cfg->blocks[cfg->edges[e].from].nsucc++;
		cfg->blocks[cfg->edges[e].to].npred++;
	}
	pos = *adj;
	for (uint32_t blk = 0; blk < cfg->nblocks; blk++) {
		cfg->blocks[blk].succ = pos;
		pos += cfg->blocks[blk].nsucc;
		cfg->blocks[blk].pred = pos;
		pos += cfg->blocks[blk].npred;
		cfg->blocks[blk].nsucc = cfg->blocks[blk].npred = 0;
	}
	for (uint32_t e = 0; e < cfg->nedges; e++) {
		struct bpfs_block *from = &cfg->blocks[cfg->edges[e].from];
		struct bpfs_block *to = &cfg->blocks[cfg->edges[e].to];

		from->succ[from->nsucc++] = e;
		to->pred[to->npred++] = e;
	}
	return 0;
}

/* Pass 4: reverse post-order from block 0, iteratively. Post-order numbers
 * are written from the back of rpo, so the array ends up reversed. */
static int make_rpo(struct builder *b)
{
	struct bpfs_cfg *cfg = b->cfg;
	uint32_t nreal = cfg->exit_block, sp = 0, n = 0, fill;
	uint32_t *stack = NULL, *next = NULL;
	uint8_t *seen = NULL;
	int ret = 0;

	cfg->rpo = malloc(nreal * sizeof(*cfg->rpo));
	stack = malloc(nreal * sizeof(*stack));
	next = calloc(nreal, sizeof(*next));
	seen = calloc(nreal, 1);
	if (!cfg->rpo || !stack || !next || !seen) {
		ret = bpfs_err_set(b->err, ENOMEM, -1, "out of memory");
		goto out;
	}

	/* First count the reachable blocks so their post-order can be written
	 * backwards into rpo[0, n). */
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp) {
		uint32_t blk = stack[--sp];

		n++;
		for (uint32_t s = 0; s < cfg->blocks[blk].nsucc; s++) {
			uint32_t to = cfg->edges[cfg->blocks[blk].succ[s]].to;

			if (to != cfg->exit_block && !seen[to]) {
				seen[to] = 1;
				stack[sp++] = to;
			}
		}
	}
	cfg->nrpo_reachable = n;

	memset(seen, 0, nreal);
	fill = n;
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp) {
		uint32_t blk = stack[sp - 1], to;
		struct bpfs_block *bb = &cfg->blocks[blk];

		if (next[blk] == bb->nsucc) {
			cfg->rpo[--fill] = blk;
			sp--;
			continue;
		}
		to = cfg->edges[bb->succ[next[blk]++]].to;

		if (to != cfg->exit_block && !seen[to]) {
			seen[to] = 1;
			stack[sp++] = to;
		}
	}
	for (uint32_t blk = 0; blk < nreal; blk++)
		if (!seen[blk])
			cfg->rpo[n++] = blk;
out:
	free(stack);
	free(next);
	free(seen);
	return ret;
}

void bpfs_cfg_free(struct bpfs_cfg *cfg)
{
	struct cfg_priv *p = (struct cfg_priv *)cfg;

	if (!cfg)
		return;
	free(cfg->blocks);
	free(cfg->edges);
	free(cfg->subprogs);
	free(cfg->insn_block);
	free(cfg->rpo);
	free(cfg->prune_point);
	free(p->adj);
	free(p);
}

int bpfs_cfg_build(const struct bpf_insn *insns, size_t cnt, struct bpfs_cfg **out, struct bpfs_err *err)
{
	struct builder b = {.insns = insns, .cnt = cnt, .err = err};
	struct cfg_priv *p = NULL;
	int ret;

	*out = NULL;
	if (!cnt)
		return bpfs_err_set(err, EINVAL, -1, "empty program");
	if (cnt > BPFS_MAX_INSNS)
		return bpfs_err_set(err, E2BIG, -1, "BPF program is too large (%zu insns, limit %u)", cnt,
				    BPFS_MAX_INSNS);

	p = calloc(1, sizeof(*p));
	b.mark = calloc(cnt, 1);
	if (!p || !b.mark) {
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
		goto out;
	}
	b.cfg = &p->cfg;
	b.cfg->insn_cnt = cnt;
	b.cfg->insn_block = malloc(cnt * sizeof(*b.cfg->insn_block));
	b.cfg->prune_point = calloc(cnt, 1);
	if (!b.cfg->insn_block || !b.cfg->prune_point) {
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
		goto out;
	}

	ret = scan(&b);
	if (!ret)
		ret = make_blocks(&b);
	if (!ret)
		ret = make_edges(&b, &p->adj);
	if (!ret)
		ret = make_rpo(&b);
out:
	free(b.mark);
	if (ret) {
		bpfs_cfg_free(p ? &p->cfg : NULL);
		return ret;
	}
	*out = &p->cfg;
	return 0;
}
