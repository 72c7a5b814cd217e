/* SPDX-License-Identifier: MIT */
/*
 * The CFG as text, for `bpfscope cfg`: each block with its instructions in
 * the kernel's syntax and its outgoing edges by kind, then the subprograms
 * and the prune points. Blocks appear in address order.
 */
#include "reports.h"

static const char *edge_kind_name(enum bpfs_edge_kind k)
{
	switch (k) {
	case BPFS_EDGE_FALLTHROUGH:
		return "fallthrough";
	case BPFS_EDGE_BRANCH:
		return "branch";
	case BPFS_EDGE_CALL:
		return "call";
	case BPFS_EDGE_EXIT:
		return "exit";
	}
	return "?";
}

static void print_block(FILE *out, const struct bpf_insn *insns, const struct bpfs_cfg *cfg, uint32_t b)
{
	const struct bpfs_block *blk = &cfg->blocks[b];
	char text[256];

	fprintf(out, "block %u: insns %u-%u, subprog %u, %u pred\n", b, blk->first, blk->last, blk->subprog,
		blk->npred);
	for (uint32_t i = blk->first; i <= blk->last;) {
		int n = bpfs_disasm_insn(insns, cfg->insn_cnt, i, BPFS_SYNTAX_KERNEL, text, sizeof(text));
		if (n <= 0)
			break;
		fprintf(out, "  %u: (%02x) %s\n", i, insns[i].code, text);
		i += (uint32_t)n;
	}
	for (uint32_t e = 0; e < blk->nsucc; e++) {
		const struct bpfs_edge *edge = &cfg->edges[blk->succ[e]];
		if (edge->to == cfg->exit_block)
			fprintf(out, "  -> exit (%s)\n", edge_kind_name(edge->kind));
		else
			fprintf(out, "  -> block %u (%s)\n", edge->to, edge_kind_name(edge->kind));
	}
}

void bpfs_report_cfg_text(FILE *out, const struct bpf_insn *insns, const struct bpfs_cfg *cfg)
{
	bool first = true;

	for (uint32_t b = 0; b < cfg->exit_block; b++)
		print_block(out, insns, cfg, b);
	fprintf(out, "subprograms:");
	for (uint32_t s = 0; s < cfg->nsubprogs; s++)
		fprintf(out, " %u:[%u,%u)", s, cfg->subprogs[s].start, cfg->subprogs[s].end);
	fprintf(out, "\nprune points:");
	for (size_t i = 0; i < cfg->insn_cnt; i++) {
		if (!cfg->prune_point[i])
			continue;
		fprintf(out, "%s%zu", first ? " " : ",", i);
		first = false;
	}
	fprintf(out, "%s\n", first ? " none" : "");
}
