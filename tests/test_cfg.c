/* SPDX-License-Identifier: MIT */
/*
 * The control-flow graph (bpfs_cfg_build) on hand-made programs: blocks,
 * edges and their kinds, pred/succ lists, subprograms, reverse post-order
 * and prune points; the errors; and a 100,000-instruction program to show
 * the build is linear and not recursive. Every graph also goes through
 * check_invariants, which checks what holds for any CFG.
 */
#include <linux/bpf.h>
#include <string.h>

#include "analysis.h"
#include "testutil.h"

/* clang-format off */
#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define MOV_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define GOTOL(i) INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, i)
#define JGT_IMM(d, i, o) INSN(BPF_JMP | BPF_JGT | BPF_K, d, 0, o, i)
#define JLT_IMM(d, i, o) INSN(BPF_JMP | BPF_JLT | BPF_K, d, 0, o, i)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_LOCAL(o) INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define LD_IMM64(d, v) INSN(BPF_LD | BPF_DW | BPF_IMM, d, 0, 0, v), INSN(0, 0, 0, 0, 0)
#define LD_FUNC(d, o) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_FUNC, 0, o), INSN(0, 0, 0, 0, 0)
#define RAND CALL(BPF_FUNC_get_prandom_u32)

#define BUILD(cfg, ...)                                                                      \
	do {                                                                                 \
		static const struct bpf_insn prog_[] = { __VA_ARGS__ };                      \
		cfg = build_ok(prog_, G_N_ELEMENTS(prog_));                                  \
	} while (0)

/* clang-format on */
enum { FT = BPFS_EDGE_FALLTHROUGH, BR = BPFS_EDGE_BRANCH, CA = BPFS_EDGE_CALL, EX = BPFS_EDGE_EXIT };

/* What holds for every CFG: blocks tile the program in address order, the
 * insn map agrees with them, each edge is in its ends' lists, rpo is a
 * permutation of the real blocks starting with block 0. */
static void check_invariants(const struct bpfs_cfg *cfg)
{
	uint32_t nreal = cfg->exit_block, next = 0;
	uint8_t *seen = g_malloc0(nreal);

	g_assert_cmpuint(cfg->nblocks, ==, nreal + 1);
	for (uint32_t b = 0; b < nreal; b++) {
		const struct bpfs_block *blk = &cfg->blocks[b];

		g_assert_cmpuint(blk->first, ==, next);
		g_assert_cmpuint(blk->last, >=, blk->first);
		for (uint32_t i = blk->first; i <= blk->last; i++)
			g_assert_cmpuint(cfg->insn_block[i], ==, b);
		g_assert_cmpuint(blk->subprog, <, cfg->nsubprogs);
		g_assert_cmpuint(cfg->subprogs[blk->subprog].start, <=, blk->first);
		g_assert_cmpuint(cfg->subprogs[blk->subprog].end, >, blk->last);
		for (uint32_t s = 0; s < blk->nsucc; s++)
			g_assert_cmpuint(cfg->edges[blk->succ[s]].from, ==, b);
		for (uint32_t p = 0; p < blk->npred; p++)
			g_assert_cmpuint(cfg->edges[blk->pred[p]].to, ==, b);
		next = blk->last + 1;
	}
	g_assert_cmpuint(next, ==, cfg->insn_cnt);
	for (uint32_t p = 0; p < cfg->blocks[cfg->exit_block].npred; p++)
		g_assert_cmpint(cfg->edges[cfg->blocks[cfg->exit_block].pred[p]].kind, ==, EX);
	g_assert_cmpuint(cfg->blocks[cfg->exit_block].nsucc, ==, 0);
	for (uint32_t s = 0; s < cfg->nsubprogs; s++) {
		g_assert_cmpuint(cfg->blocks[cfg->subprogs[s].entry_block].first, ==, cfg->subprogs[s].start);
		if (s)
			g_assert_cmpuint(cfg->subprogs[s - 1].end, ==, cfg->subprogs[s].start);
	}
	g_assert_cmpuint(cfg->subprogs[0].start, ==, 0);
	g_assert_cmpuint(cfg->subprogs[cfg->nsubprogs - 1].end, ==, cfg->insn_cnt);
	g_assert_cmpuint(cfg->rpo[0], ==, 0);
	g_assert_cmpuint(cfg->nrpo_reachable, >=, 1);
	for (uint32_t i = 0; i < nreal; i++) {
		g_assert_cmpuint(cfg->rpo[i], <, nreal);
		g_assert_false(seen[cfg->rpo[i]]);
		seen[cfg->rpo[i]] = 1;
		if (i > cfg->nrpo_reachable)
			g_assert_cmpuint(cfg->rpo[i], >, cfg->rpo[i - 1]);
	}
	g_free(seen);
}

static struct bpfs_cfg *build_ok(const struct bpf_insn *insns, size_t cnt)
{
	struct bpfs_cfg *cfg = NULL;
	struct bpfs_err err = {.insn = -1};
	int ret = bpfs_cfg_build(insns, cnt, &cfg, &err);

	if (ret)
		g_test_message("bpfs_cfg_build: %s (insn %d)", err.msg, err.insn);
	g_assert_cmpint(ret, ==, 0);
	g_assert_nonnull(cfg);
	g_assert_cmpuint(cfg->insn_cnt, ==, cnt);
	check_invariants(cfg);
	return cfg;
}

static void assert_block(const struct bpfs_cfg *cfg, uint32_t b, uint32_t first, uint32_t last,
			 uint32_t subprog)
{
	g_assert_cmpuint(b, <, cfg->exit_block);
	g_assert_cmpuint(cfg->blocks[b].first, ==, first);
	g_assert_cmpuint(cfg->blocks[b].last, ==, last);
	g_assert_cmpuint(cfg->blocks[b].subprog, ==, subprog);
}

/* Succ number s of block b goes to `to`, of kind `kind`. */
static void assert_succ(const struct bpfs_cfg *cfg, uint32_t b, uint32_t s, uint32_t to, int kind)
{
	const struct bpfs_edge *e;

	g_assert_cmpuint(s, <, cfg->blocks[b].nsucc);
	e = &cfg->edges[cfg->blocks[b].succ[s]];
	g_assert_cmpuint(e->from, ==, b);
	g_assert_cmpuint(e->to, ==, to);
	g_assert_cmpint(e->kind, ==, kind);
}

static void assert_rpo(const struct bpfs_cfg *cfg, const uint32_t *want, uint32_t n, uint32_t reachable)
{
	g_assert_cmpuint(cfg->exit_block, ==, n);
	g_assert_cmpuint(cfg->nrpo_reachable, ==, reachable);
	for (uint32_t i = 0; i < n; i++)
		g_assert_cmpuint(cfg->rpo[i], ==, want[i]);
}

static void assert_prune(const struct bpfs_cfg *cfg, const char *want)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < cfg->insn_cnt; i++)
		if (cfg->prune_point[i])
			g_string_append_printf(s, "%s%zu", s->len ? "," : "", i);
	g_assert_cmpstr(s->str, ==, want);
	g_string_free(s, TRUE);
}

static void test_diamond(void)
{
	struct bpfs_cfg *cfg;
	static const uint32_t rpo[] = {0, 2, 1, 3};

	BUILD(cfg, RAND, JGT_IMM(0, 5, 2), MOV_IMM(0, 1), JA(1), MOV_IMM(0, 2), EXIT);
	g_assert_cmpuint(cfg->nblocks, ==, 5);
	assert_block(cfg, 0, 0, 1, 0);
	assert_block(cfg, 1, 2, 3, 0);
	assert_block(cfg, 2, 4, 4, 0);
	assert_block(cfg, 3, 5, 5, 0);
	g_assert_cmpuint(cfg->nedges, ==, 5);
	g_assert_cmpuint(cfg->blocks[0].nsucc, ==, 2);
	assert_succ(cfg, 0, 0, 1, FT);
	assert_succ(cfg, 0, 1, 2, BR);
	assert_succ(cfg, 1, 0, 3, BR);
	assert_succ(cfg, 2, 0, 3, FT);
	assert_succ(cfg, 3, 0, cfg->exit_block, EX);
	g_assert_cmpuint(cfg->blocks[3].npred, ==, 2);
	g_assert_cmpuint(cfg->blocks[0].npred, ==, 0);
	g_assert_cmpuint(cfg->blocks[cfg->exit_block].npred, ==, 1);
	g_assert_cmpuint(cfg->nsubprogs, ==, 1);
	assert_rpo(cfg, rpo, 4, 4);
	/* after the helper call, the jump, both its successors, the goto's target */
	assert_prune(cfg, "1,2,4,5");
	bpfs_cfg_free(cfg);
}

static void test_loop(void)
{
	static const struct bpf_insn prog[] = {MOV_IMM(0, 0), ADD_IMM(0, 1), JLT_IMM(0, 10, -2), EXIT};
	static const uint32_t rpo[] = {0, 1, 2};
	struct bpfs_cfg *cfg = build_ok(prog, G_N_ELEMENTS(prog));
	struct bpfs_err err;

	assert_block(cfg, 0, 0, 0, 0);
	assert_block(cfg, 1, 1, 2, 0);
	assert_block(cfg, 2, 3, 3, 0);
	assert_succ(cfg, 1, 0, 2, FT);
	assert_succ(cfg, 1, 1, 1, BR);
	g_assert_cmpuint(cfg->blocks[1].npred, ==, 2);
	assert_rpo(cfg, rpo, 3, 3);
	assert_prune(cfg, "1,2,3");
	bpfs_cfg_free(cfg);

	/* The graph has the loop; the DAG check decides whether it may. */
	g_assert_cmpint(bpfs_check_cfg(prog, G_N_ELEMENTS(prog), 0, &err), ==, -EINVAL);
	g_assert_cmpstr(err.msg, ==, "back-edge from insn 2 to 1");
	g_assert_cmpint(bpfs_check_cfg(prog, G_N_ELEMENTS(prog), BPFS_CHECK_ALLOW_BACK_EDGES, &err), ==, 0);
}

static void test_local_call(void)
{
	struct bpfs_cfg *cfg;
	static const uint32_t rpo[] = {0, 2, 1};

	BUILD(cfg, CALL_LOCAL(2), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT);
	assert_block(cfg, 0, 0, 0, 0);
	assert_block(cfg, 1, 1, 2, 0);
	assert_block(cfg, 2, 3, 4, 1);
	g_assert_cmpuint(cfg->nsubprogs, ==, 2);
	g_assert_cmpuint(cfg->subprogs[0].start, ==, 0);
	g_assert_cmpuint(cfg->subprogs[0].end, ==, 3);
	g_assert_cmpuint(cfg->subprogs[0].entry_block, ==, 0);
	g_assert_cmpuint(cfg->subprogs[1].start, ==, 3);
	g_assert_cmpuint(cfg->subprogs[1].end, ==, 5);
	g_assert_cmpuint(cfg->subprogs[1].entry_block, ==, 2);
	g_assert_cmpuint(cfg->blocks[0].nsucc, ==, 2);
	assert_succ(cfg, 0, 0, 1, FT);
	assert_succ(cfg, 0, 1, 2, CA);
	assert_succ(cfg, 1, 0, cfg->exit_block, EX);
	assert_succ(cfg, 2, 0, cfg->exit_block, EX);
	g_assert_cmpuint(cfg->blocks[cfg->exit_block].npred, ==, 2);
	assert_rpo(cfg, rpo, 3, 3);
	assert_prune(cfg, "0,1,3");
	bpfs_cfg_free(cfg);
}

/* Subprogram starts come sorted by address whatever the call order. */
static void test_subprogs_sorted(void)
{
	struct bpfs_cfg *cfg;

	BUILD(cfg, CALL_LOCAL(5), CALL_LOCAL(2), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT, MOV_IMM(0, 2),
	      EXIT);
	g_assert_cmpuint(cfg->nsubprogs, ==, 3);
	g_assert_cmpuint(cfg->subprogs[1].start, ==, 4);
	g_assert_cmpuint(cfg->subprogs[2].start, ==, 6);
	g_assert_cmpuint(cfg->subprogs[1].end, ==, 6);
	assert_succ(cfg, 0, 1, cfg->subprogs[2].entry_block, CA);
	assert_succ(cfg, 1, 1, cfg->subprogs[1].entry_block, CA);
	bpfs_cfg_free(cfg);
}

static void test_ldimm64(void)
{
	struct bpfs_cfg *cfg;

	/* inside a block */
	BUILD(cfg, MOV_IMM(1, 0), LD_IMM64(0, 7), ADD_IMM(0, 1), EXIT);
	g_assert_cmpuint(cfg->exit_block, ==, 1);
	assert_block(cfg, 0, 0, 4, 0);
	g_assert_cmpuint(cfg->insn_block[2], ==, 0);
	g_assert_cmpuint(cfg->nedges, ==, 1);
	assert_prune(cfg, "");
	bpfs_cfg_free(cfg);

	/* ending a block: its second slot is the block's last insn */
	BUILD(cfg, RAND, JGT_IMM(0, 5, 2), LD_IMM64(0, 7), EXIT);
	assert_block(cfg, 1, 2, 3, 0);
	g_assert_cmpuint(cfg->insn_block[3], ==, 1);
	assert_succ(cfg, 1, 0, 2, FT);
	bpfs_cfg_free(cfg);

	/* a pseudo-func load reaches its callback like a call */
	BUILD(cfg, LD_FUNC(2, 3), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 0), EXIT);
	assert_block(cfg, 0, 0, 1, 0);
	assert_block(cfg, 1, 2, 3, 0);
	assert_block(cfg, 2, 4, 5, 1);
	assert_succ(cfg, 0, 0, 1, FT);
	assert_succ(cfg, 0, 1, 2, CA);
	g_assert_cmpuint(cfg->nrpo_reachable, ==, 3);
	assert_prune(cfg, "0,2,4");
	bpfs_cfg_free(cfg);
}

static void test_exit_in_middle(void)
{
	struct bpfs_cfg *cfg;
	static const uint32_t rpo[] = {0, 1};

	BUILD(cfg, MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT);
	assert_block(cfg, 0, 0, 1, 0);
	assert_block(cfg, 1, 2, 3, 0);
	assert_succ(cfg, 0, 0, cfg->exit_block, EX);
	assert_succ(cfg, 1, 0, cfg->exit_block, EX);
	g_assert_cmpuint(cfg->blocks[1].npred, ==, 0);
	assert_rpo(cfg, rpo, 2, 1);
	bpfs_cfg_free(cfg);

	/* unreachable blocks follow in address order */
	BUILD(cfg, MOV_IMM(0, 0), JA(3), JA(1), EXIT, EXIT, EXIT);
	g_assert_cmpuint(cfg->nrpo_reachable, ==, 2);
	g_assert_cmpuint(cfg->rpo[0], ==, 0);
	g_assert_cmpuint(cfg->rpo[1], ==, cfg->insn_block[5]);
	g_assert_cmpuint(cfg->rpo[2], ==, cfg->insn_block[2]);
	g_assert_cmpuint(cfg->rpo[3], ==, cfg->insn_block[3]);
	g_assert_cmpuint(cfg->rpo[4], ==, cfg->insn_block[4]);
	bpfs_cfg_free(cfg);
}

/* Helper and tail calls do not end a block; gotol's offset is in imm. */
static void test_calls_and_gotol(void)
{
	struct bpfs_cfg *cfg;

	BUILD(cfg, RAND, CALL(BPF_FUNC_tail_call), MOV_IMM(0, 0), GOTOL(1), EXIT, EXIT);
	assert_block(cfg, 0, 0, 3, 0);
	assert_succ(cfg, 0, 0, cfg->insn_block[5], BR);
	g_assert_cmpuint(cfg->blocks[0].nsucc, ==, 1);
	assert_prune(cfg, "1,2,4,5");
	bpfs_cfg_free(cfg);
}

static void build_fails(const struct bpf_insn *insns, size_t cnt, int ret, const char *msg, int insn)
{
	struct bpfs_cfg *cfg = (struct bpfs_cfg *)&cnt;
	struct bpfs_err err;

	g_assert_cmpint(bpfs_cfg_build(insns, cnt, &cfg, &err), ==, ret);
	g_assert_null(cfg);
	g_assert_cmpstr(err.msg, ==, msg);
	g_assert_cmpint(err.insn, ==, insn);
}

#define FAILS(ret, msg, insn, ...)                                                                           \
	do {                                                                                                 \
		static const struct bpf_insn prog_[] = {__VA_ARGS__};                                        \
		build_fails(prog_, G_N_ELEMENTS(prog_), ret, msg, insn);                                     \
	} while (0)

static void test_errors(void)
{
	FAILS(-EINVAL, "jump out of range from insn 1 to 12", 1, MOV_IMM(0, 0), JGT_IMM(0, 5, 10), EXIT);
	FAILS(-EINVAL, "jump out of range from insn 1 to -3", 1, MOV_IMM(0, 0), JA(-5), EXIT);
	FAILS(-EINVAL, "jump out of range from insn 0 to 100001", 0, GOTOL(100000), EXIT);
	FAILS(-EINVAL, "call to invalid destination", 0, CALL_LOCAL(5), EXIT);
	FAILS(-EINVAL, "call to invalid destination", 0, LD_FUNC(1, -2), EXIT);
	FAILS(-EINVAL, "last insn is not an exit or jmp", 0, MOV_IMM(0, 0));
	FAILS(-EINVAL, "last insn is not an exit or jmp", 1, MOV_IMM(0, 0), JGT_IMM(0, 0, -2));
	FAILS(-EINVAL, "last insn is not an exit or jmp", 0, CALL_LOCAL(-1));
	FAILS(-EINVAL, "jump into the middle of ldimm64 insn 2", 2, RAND, JGT_IMM(0, 0, 1), LD_IMM64(0, 1),
	      EXIT);
	FAILS(-EINVAL, "invalid bpf_ld_imm64 insn", 1, MOV_IMM(0, 0),
	      INSN(BPF_LD | BPF_DW | BPF_IMM, 0, 0, 0, 0));
	build_fails(NULL, 0, -EINVAL, "empty program", -1);
}

/* 100,000 instructions: a branchy part and a long chain of gotos, whose
 * DFS would be 50,000 frames deep if it recursed. Rpo must order every
 * edge of this DAG forwards. */
static void test_large(void)
{
	size_t n = 100000, half = n / 2, i = 0;
	struct bpf_insn *p = g_new0(struct bpf_insn, n);
	struct bpfs_cfg *cfg;
	uint32_t *pos;

	p[i++] = (struct bpf_insn)RAND;
	while (i < half) {
		p[i] = (struct bpf_insn)JGT_IMM(0, (int32_t)i, (int16_t)(1 + i % 7));
		p[i + 1] = (struct bpf_insn)ADD_IMM(0, 1);
		p[i + 2] = (struct bpf_insn)MOV_IMM(1, 2);
		i += 3;
	}
	for (; i + 1 < n; i++)
		p[i] = (struct bpf_insn)JA(0);
	p[n - 1] = (struct bpf_insn)EXIT;

	cfg = build_ok(p, n);
	g_assert_cmpuint(cfg->nrpo_reachable, ==, cfg->exit_block);
	g_assert_cmpuint(cfg->exit_block, >, n / 2);
	pos = g_new(uint32_t, cfg->exit_block);
	for (uint32_t k = 0; k < cfg->exit_block; k++)
		pos[cfg->rpo[k]] = k;
	for (uint32_t e = 0; e < cfg->nedges; e++)
		if (cfg->edges[e].to != cfg->exit_block)
			g_assert_cmpuint(pos[cfg->edges[e].from], <, pos[cfg->edges[e].to]);
	g_free(pos);
	bpfs_cfg_free(cfg);
	g_free(p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cfg/diamond", test_diamond);
	g_test_add_func("/cfg/loop", test_loop);
	g_test_add_func("/cfg/local_call", test_local_call);
	g_test_add_func("/cfg/subprogs_sorted", test_subprogs_sorted);
	g_test_add_func("/cfg/ldimm64", test_ldimm64);
	g_test_add_func("/cfg/exit_in_middle", test_exit_in_middle);
	g_test_add_func("/cfg/calls_and_gotol", test_calls_and_gotol);
	g_test_add_func("/cfg/errors", test_errors);
	g_test_add_func("/cfg/large", test_large);
	return g_test_run();
}
