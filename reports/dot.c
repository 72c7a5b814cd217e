/* SPDX-License-Identifier: MIT */
/*
 * Pictures of a program: its CFG as a Graphviz graph, built with libcgraph
 * and rendered in-process with libgvc (never by running `dot`). The only
 * file that includes Graphviz's headers.
 *
 * The graph: one cluster per subprogram with an ENTRY and an EXIT node;
 * one node per basic block, an HTML table with a row per instruction (its
 * index and the text `bpfscope disasm` prints; LD_IMM64 is one row);
 * edges by kind (fallthrough, jump taken and not taken, call, tail call,
 * exit), back-edges dashed and left out of the ranking
 * (constraint=false); unreachable blocks grey; prune points marked with a
 * bullet. Views add to the rows what the verifier did there
 * (struct bpfs_dot_view): states, visit counts, the failing path, heat.
 *
 * Output is deterministic: nodes and edges are created in address order
 * and every attribute is set explicitly, so the same input gives the same
 * bytes (golden files).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "reports.h"

static const char *const format_names[] = {
	[BPFS_DOT_FMT_DOT] = "dot", [BPFS_DOT_FMT_SVG] = "svg",	  [BPFS_DOT_FMT_PNG] = "png",
	[BPFS_DOT_FMT_PDF] = "pdf", [BPFS_DOT_FMT_JSON] = "json",
};

int bpfs_dot_format_parse(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(format_names); i++)
		if (!g_ascii_strcasecmp(s, format_names[i]) || (i == BPFS_DOT_FMT_DOT && !g_ascii_strcasecmp(s, "gv")))
			return (int)i;
	return -1;
}

int bpfs_dot_format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && !strchr(dot, '/') ? bpfs_dot_format_parse(dot + 1) : -1;
}

/* ---------------------------------------------------------------------- */
/* Building the graph                                                     */

struct builder {
	Agraph_t *g;
	const struct bpfs_dot_prog *p;
	const struct bpfs_dot_view *v;
	Agraph_t **clusters; /* per subprogram */
	Agnode_t **blocks;   /* per real block */
	Agnode_t **entry, **exit; /* per subprogram */
	Agnode_t *tail_call;
	bool *reachable; /* per block */
	uint32_t *on_path; /* per block: the step the failing path entered it, 0 if never */
	uint32_t *path_step; /* per edge index + 1: its step on the failing path, 0 if none */
	uint64_t max_heat;
	size_t next_line; /* the first source line not drawn yet */
	const struct bpfs_line_info *last_line; /* the last drawn in the current block */
};

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

static void set_html(Agraph_t *g, void *obj, const char *name, const char *html)
{
	char *h = agstrdup_html(g, (char *)html);
	Agsym_t *sym = agattr(g, AGTYPE(obj), (char *)name, "");

	agxset(obj, sym, h);
	agstrfree(g, h);
}

static void escape(GString *s, const char *text)
{
	for (const char *c = text; *c; c++) {
		switch (*c) {
		case '&':
			g_string_append(s, "&amp;");
			break;
		case '<':
			g_string_append(s, "&lt;");
			break;
		case '>':
			g_string_append(s, "&gt;");
			break;
		case '"':
			g_string_append(s, "&quot;");
			break;
		default:
			g_string_append_c(s, *c);
		}
	}
}

static bool is_tail_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0 && in->imm == BPF_FUNC_tail_call;
}

/* Blocks reachable from block 0, and the failing path's blocks and edges
 * numbered by the step at which the path first entered them. */
static void mark_blocks(struct builder *b)
{
	const struct bpfs_cfg *cfg = b->p->cfg;
	uint32_t step = 0;

	for (uint32_t i = 0; i < cfg->nrpo_reachable; i++)
		b->reachable[cfg->rpo[i]] = true;
	if (!b->v || !b->v->path || !b->v->path_len)
		return;
	for (size_t i = 0; i < b->v->path_len; i++) {
		uint32_t insn = b->v->path[i], from, to;
		const struct bpfs_block *blk;

		if (insn >= cfg->insn_cnt)
			continue;
		if (i == 0 && !b->on_path[cfg->insn_block[insn]])
			b->on_path[cfg->insn_block[insn]] = ++step;
		if (i + 1 >= b->v->path_len || b->v->path[i + 1] >= cfg->insn_cnt)
			continue;
		from = cfg->insn_block[insn];
		to = cfg->insn_block[b->v->path[i + 1]];
		if (from == to && b->v->path[i + 1] > insn)
			continue; /* within a block */
		blk = &cfg->blocks[from];
		step++;
		for (uint32_t e = 0; e < blk->nsucc; e++)
			if (cfg->edges[blk->succ[e]].to == to && !b->path_step[blk->succ[e]])
				b->path_step[blk->succ[e]] = step;
		if (!b->on_path[to])
			b->on_path[to] = step;
	}
}

/* A colour from white to red for a share of the hottest block's count. */
static void heat_colour(char *buf, size_t len, uint64_t n, uint64_t max)
{
	unsigned level = max ? (unsigned)(n * 200 / max) : 0;

	snprintf(buf, len, "#ff%02x%02x", 255 - level, 255 - level);
}

static uint64_t block_heat(const struct builder *b, const struct bpfs_block *blk)
{
	uint64_t n = 0;

	for (uint32_t i = blk->first; i <= blk->last; i++)
		n += b->v->heat_exec ? (b->v->exec ? b->v->exec[i] : 0) : (b->v->insns ? b->v->insns[i].visits : 0);
	return n;
}

/* The source line that starts at insn i, as the kernel's log prints it:
 * "; text @ file:line", the text without its indentation. */
static void source_row(struct builder *b, GString *s, uint32_t i)
{
	const struct bpfs_dot_prog *p = b->p;
	const char *file, *text;
	char where[300];

	while (b->next_line < p->nlines && p->lines[b->next_line].insn < i)
		b->next_line++;
	if (b->next_line >= p->nlines || p->lines[b->next_line].insn != i)
		return;
	if (b->last_line && b->last_line->line == p->lines[b->next_line].line &&
	    !strcmp(b->last_line->file, p->lines[b->next_line].file))
		return; /* the block already shows it just above */
	b->last_line = &p->lines[b->next_line];
	file = strrchr(p->lines[b->next_line].file, '/');
	file = file ? file + 1 : p->lines[b->next_line].file;
	text = p->lines[b->next_line].src;
	while (*text == ' ' || *text == '\t')
		text++;
	snprintf(where, sizeof(where), " @ %s:%u", file, p->lines[b->next_line].line);
	g_string_append_printf(s, "<TR><TD></TD><TD ALIGN=\"LEFT\" COLSPAN=\"%d\"><FONT COLOR=\"grey30\"><I>; ",
			       b->v && b->v->states ? 3 : 1);
	escape(s, text);
	escape(s, where);
	g_string_append(s, "</I></FONT></TD></TR>");
}

static void insn_row(struct builder *b, GString *s, uint32_t i, bool grey)
{
	const struct bpfs_dot_prog *p = b->p;
	const struct bpfs_dot_view *v = b->v;
	char text[256], row[272];

	source_row(b, s, i);
	bpfs_disasm_insn(p->insns, p->cnt, i, BPFS_SYNTAX_KERNEL, text, sizeof(text));
	snprintf(row, sizeof(row), "(%02x) %s", p->insns[i].code, text);
	g_string_append_printf(s, "<TR><TD ALIGN=\"RIGHT\"%s>%s%u</TD><TD ALIGN=\"LEFT\"%s>",
			       grey ? " BGCOLOR=\"#eeeeee\"" : "", p->cfg->prune_point[i] ? "&#8226; " : "", i,
			       grey ? " BGCOLOR=\"#eeeeee\"" : "");
	escape(s, row);
	g_string_append(s, "</TD>");
	if (v && v->states) {
		const struct bpfs_trace_insn *d = &v->insns[i];

		g_string_append_printf(s, "<TD ALIGN=\"RIGHT\">%" PRIu64 "%s", d->visits, d->visits == 1 ? " visit" : " visits");
		if (d->pruned)
			g_string_append_printf(s, ", %" PRIu64 " pruned", d->pruned);
		g_string_append(s, "</TD><TD ALIGN=\"LEFT\">");
		for (size_t k = 0; k < d->nstates; k++) {
			if (k)
				g_string_append(s, "<BR ALIGN=\"LEFT\"/>");
			escape(s, d->states[k]);
		}
		if (d->more_states)
			g_string_append_printf(s, "<BR ALIGN=\"LEFT\"/>(%zu visits with other states)", d->more_states);
		g_string_append(s, "</TD>");
	}
	g_string_append(s, "</TR>");
	if (v && v->fail_insn == (int64_t)i && v->fail_msg) {
		g_string_append_printf(s, "<TR><TD></TD><TD ALIGN=\"LEFT\" COLSPAN=\"%d\"><FONT COLOR=\"red\">",
				       v->states ? 3 : 1);
		escape(s, v->fail_msg);
		g_string_append(s, "</FONT></TD></TR>");
	}
}

static void add_block(struct builder *b, uint32_t bi)
{
	const struct bpfs_cfg *cfg = b->p->cfg;
	const struct bpfs_block *blk = &cfg->blocks[bi];
	bool grey = !b->reachable[bi] || (b->v && b->v->states && !b->v->insns[blk->first].visits);
	GString *s = g_string_new("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">");
	char name[32];
	Agnode_t *n;

	snprintf(name, sizeof(name), "b%u", bi);
	b->last_line = NULL;
	n = agnode(b->clusters[blk->subprog], name, 1);
	b->blocks[bi] = n;
	for (uint32_t i = blk->first; i <= blk->last;) {
		insn_row(b, s, i, grey);
		i += bpfs_insn_is_ldimm64(&b->p->insns[i]) ? 2 : 1;
	}
	g_string_append(s, "</TABLE>");
	set_html(b->g, n, "label", s->str);
	g_string_free(s, TRUE);
	if (b->v && b->v->path && b->on_path[bi]) {
		char step[16];

		snprintf(step, sizeof(step), "#%u", b->on_path[bi]);
		set(n, "color", "red");
		set(n, "penwidth", "2");
		set(n, "xlabel", step);
		set(n, "fontcolor", "black");
	} else if (b->v && b->v->heat) {
		char colour[16];

		char count[32];

		heat_colour(colour, sizeof(colour), block_heat(b, blk), b->max_heat);
		snprintf(count, sizeof(count), "%" PRIu64, block_heat(b, blk));
		set(n, "style", "filled");
		set(n, "fillcolor", colour);
		set(n, "xlabel", count);
	} else if (grey) {
		set(n, "color", "grey");
		set(n, "fontcolor", "grey40");
	}
}

static const char *cond_label(const struct bpfs_dot_prog *p, const struct bpfs_block *blk, enum bpfs_edge_kind k)
{
	const struct bpf_insn *last = &p->insns[blk->last];
	uint8_t cls = BPF_CLASS(last->code), op = BPF_OP(last->code);
	bool cond = (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA && op != BPF_CALL && op != BPF_EXIT;

	if (last->code == (BPF_JMP | BPF_JCOND))
		cond = true; /* may_goto: taken when the budget runs out */
	if (!cond)
		return NULL;
	return k == BPFS_EDGE_BRANCH ? "taken" : "not taken";
}

static void add_edge(struct builder *b, uint32_t ei)
{
	const struct bpfs_cfg *cfg = b->p->cfg;
	const struct bpfs_edge *e = &cfg->edges[ei];
	const struct bpfs_block *from = &cfg->blocks[e->from];
	Agnode_t *src = b->blocks[e->from], *dst;
	const char *label = NULL;
	char step[48];
	Agedge_t *ed;

	if (e->to == cfg->exit_block) {
		dst = b->exit[from->subprog];
	} else {
		dst = b->blocks[e->to];
	}
	ed = agedge(b->g, src, dst, NULL, 1);
	switch (e->kind) {
	case BPFS_EDGE_FALLTHROUGH:
	case BPFS_EDGE_BRANCH:
		label = cond_label(b->p, from, e->kind);
		set(ed, "kind", e->kind == BPFS_EDGE_BRANCH ? (label ? "taken" : "jump") : (label ? "not_taken" : "fallthrough"));
		if (e->kind == BPFS_EDGE_BRANCH && cfg->blocks[e->to].first <= from->last) {
			set(ed, "style", "dashed");
			set(ed, "constraint", "false");
			set(ed, "kind", "back");
		}
		break;
	case BPFS_EDGE_CALL:
		label = "call";
		set(ed, "kind", "call");
		set(ed, "style", "bold");
		set(ed, "color", "blue");
		set(ed, "constraint", "false");
		break;
	case BPFS_EDGE_EXIT:
		set(ed, "kind", "exit");
		break;
	}
	if (b->path_step[ei]) {
		snprintf(step, sizeof(step), "%s%s#%u", label ? label : "", label ? " " : "", b->path_step[ei]);
		set(ed, "label", step);
		set(ed, "color", "red");
		set(ed, "penwidth", "2");
	} else if (label) {
		set(ed, "label", label);
	}
}

/* Calls to bpf_tail_call leave the program for another: one shared node. */
static void add_tail_calls(struct builder *b)
{
	const struct bpfs_cfg *cfg = b->p->cfg;

	for (uint32_t i = 0; i < cfg->insn_cnt; i++) {
		Agedge_t *ed;

		if (!is_tail_call(&b->p->insns[i]))
			continue;
		if (!b->tail_call) {
			b->tail_call = agnode(b->g, "tail_call", 1);
			set(b->tail_call, "label", "TAIL CALL");
			set(b->tail_call, "shape", "box");
			set(b->tail_call, "style", "dashed");
		}
		ed = agedge(b->g, b->blocks[cfg->insn_block[i]], b->tail_call, NULL, 1);
		set(ed, "kind", "tail_call");
		set(ed, "label", "tail call");
		set(ed, "style", "dashed");
		set(ed, "constraint", "false");
	}
}

static void add_subprog(struct builder *b, uint32_t s)
{
	const struct bpfs_cfg *cfg = b->p->cfg;
	const char *name = NULL;
	char cname[32], label[160], nname[32];
	Agraph_t *c;

	for (size_t i = 0; i < b->p->nfuncs && !name; i++)
		if (b->p->funcs[i].start == cfg->subprogs[s].start && *b->p->funcs[i].name)
			name = b->p->funcs[i].name;
	snprintf(cname, sizeof(cname), "cluster_%u", s);
	c = agsubg(b->g, cname, 1);
	b->clusters[s] = c;
	if (s == 0)
		snprintf(label, sizeof(label), "%s", b->p->name ? b->p->name : "main");
	else if (name)
		snprintf(label, sizeof(label), "%s (insn %u)", name, cfg->subprogs[s].start);
	else
		snprintf(label, sizeof(label), "subprog %u (insn %u)", s, cfg->subprogs[s].start);
	set(c, "label", label);
	set(c, "style", "rounded");
	snprintf(nname, sizeof(nname), "entry_%u", s);
	b->entry[s] = agnode(c, nname, 1);
	set(b->entry[s], "label", "ENTRY");
	set(b->entry[s], "shape", "Mdiamond");
	snprintf(nname, sizeof(nname), "exit_%u", s);
	b->exit[s] = agnode(c, nname, 1);
	set(b->exit[s], "label", "EXIT");
	set(b->exit[s], "shape", "Msquare");
}

static Agraph_t *build(const struct bpfs_dot_prog *p, const struct bpfs_dot_view *v)
{
	const struct bpfs_cfg *cfg = p->cfg;
	uint32_t nb = cfg->exit_block;
	struct builder b = {.p = p, .v = v};
	Agdesc_t dir = Agdirected;
	char label[512];

	b.g = agopen((char *)(p->name ? p->name : "prog"), dir, NULL);
	b.clusters = g_new0(Agraph_t *, cfg->nsubprogs);
	b.entry = g_new0(Agnode_t *, cfg->nsubprogs);
	b.exit = g_new0(Agnode_t *, cfg->nsubprogs);
	b.blocks = g_new0(Agnode_t *, nb + 1);
	b.reachable = g_new0(bool, nb + 1);
	b.on_path = g_new0(uint32_t, nb + 1);
	b.path_step = g_new0(uint32_t, cfg->nedges + 1);
	agattr(b.g, AGRAPH, "fontname", "monospace");
	agattr(b.g, AGNODE, "fontname", "monospace");
	agattr(b.g, AGNODE, "fontsize", "10");
	agattr(b.g, AGNODE, "shape", "box");
	agattr(b.g, AGEDGE, "fontname", "monospace");
	agattr(b.g, AGEDGE, "fontsize", "9");
	if (v && v->label)
		snprintf(label, sizeof(label), "%s\n%s", p->name ? p->name : "", v->label);
	else
		snprintf(label, sizeof(label), "%s", p->name ? p->name : "");
	set(b.g, "label", label);
	set(b.g, "labelloc", "t");
	mark_blocks(&b);
	if (v && v->heat)
		for (uint32_t i = 0; i < nb; i++)
			b.max_heat = MAX(b.max_heat, block_heat(&b, &cfg->blocks[i]));
	for (uint32_t s = 0; s < cfg->nsubprogs; s++)
		add_subprog(&b, s);
	for (uint32_t i = 0; i < nb; i++)
		add_block(&b, i);
	for (uint32_t s = 0; s < cfg->nsubprogs; s++) {
		Agedge_t *e = agedge(b.g, b.entry[s], b.blocks[cfg->subprogs[s].entry_block], NULL, 1);

		set(e, "kind", "entry");
	}
	for (uint32_t i = 0; i < cfg->nedges; i++)
		add_edge(&b, i);
	add_tail_calls(&b);
	g_free(b.clusters);
	g_free(b.entry);
	g_free(b.exit);
	g_free(b.blocks);
	g_free(b.reachable);
	g_free(b.on_path);
	g_free(b.path_step);
	return b.g;
}

/* ---------------------------------------------------------------------- */
/* The verifier's search                                                  */

static const char *const node_kind_names[] = {
	[BPFS_NODE_STORED] = "stored", [BPFS_NODE_PRUNED] = "pruned",
	[BPFS_NODE_EXIT] = "exit",     [BPFS_NODE_FAILED] = "failed",
};

static void node_name(char *buf, size_t len, const struct bpfs_trace_node *n, size_t i)
{
	if (n->kind == BPFS_NODE_STORED)
		snprintf(buf, len, "s%" PRIu64, n->id);
	else
		snprintf(buf, len, "l%zu", i);
}

/* A state summary short enough for a node: its first registers. */
static void summary(GString *s, const char *state)
{
	size_t n = strlen(state);

	if (n <= 96) {
		g_string_append(s, state);
		return;
	}
	g_string_append_len(s, state, 93);
	g_string_append(s, "...");
}

static Agraph_t *build_search(const struct bpfs_dot_search *sr)
{
	const struct bpfs_trace_record *r = sr->record;
	Agraph_t *g = agopen((char *)(sr->name ? sr->name : "search"), Agdirected, NULL);
	Agnode_t *root = agnode(g, "root", 1), **nodes = g_new0(Agnode_t *, r->nnodes + 1);
	g_autoptr(GHashTable) by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	char label[1024], name[32];

	agattr(g, AGRAPH, "fontname", "monospace");
	agattr(g, AGNODE, "fontname", "monospace");
	agattr(g, AGNODE, "fontsize", "10");
	agattr(g, AGNODE, "shape", "box");
	agattr(g, AGEDGE, "fontname", "monospace");
	agattr(g, AGEDGE, "fontsize", "9");
	snprintf(label, sizeof(label), "%s: the verifier's search\n%s", sr->name ? sr->name : "", sr->stats ? sr->stats : "");
	set(g, "label", label);
	set(g, "labelloc", "t");
	set(root, "label", "insn 0");
	set(root, "shape", "Mdiamond");
	for (size_t i = 0; i < r->nnodes; i++) {
		const struct bpfs_trace_node *n = &r->nodes[i];
		GString *l = g_string_new(NULL);

		node_name(name, sizeof(name), n, i);
		nodes[i] = agnode(g, name, 1);
		g_string_append_printf(l, "%s at insn %u, depth %u", node_kind_names[n->kind], n->insn, n->depth);
		if (n->frame)
			g_string_append_printf(l, ", frame %u", n->frame);
		if (n->state && *n->state) {
			g_string_append_c(l, '\n');
			summary(l, n->state);
		}
		if (n->kind == BPFS_NODE_FAILED && r->fail_msg) {
			g_string_append_c(l, '\n');
			g_string_append(l, r->fail_msg);
		}
		set(nodes[i], "label", l->str);
		set(nodes[i], "kind", node_kind_names[n->kind]);
		g_string_free(l, TRUE);
		if (n->kind == BPFS_NODE_FAILED) {
			set(nodes[i], "color", "red");
			set(nodes[i], "fontcolor", "red");
			set(nodes[i], "penwidth", "2");
		} else if (n->kind == BPFS_NODE_PRUNED) {
			set(nodes[i], "style", "dashed");
		} else if (n->kind == BPFS_NODE_EXIT) {
			set(nodes[i], "peripheries", "2");
		}
		if (n->kind == BPFS_NODE_STORED)
			g_hash_table_insert(by_id, (gpointer)&n->id, nodes[i]);
	}
	for (size_t i = 0; i < r->nnodes; i++) {
		const struct bpfs_trace_node *n = &r->nodes[i];
		gint64 parent = (gint64)n->parent, covered = (gint64)n->covered;
		Agnode_t *from = n->parent ? g_hash_table_lookup(by_id, &parent) : root;
		Agedge_t *e;

		if (!from)
			from = root;
		e = agedge(g, from, nodes[i], NULL, 1);
		set(e, "kind", "child");
		if (n->side)
			set(e, "label", n->side);
		if (n->kind == BPFS_NODE_FAILED) {
			set(e, "color", "red");
			set(e, "penwidth", "2");
		}
		if (n->kind == BPFS_NODE_PRUNED && n->covered && g_hash_table_lookup(by_id, &covered)) {
			e = agedge(g, nodes[i], g_hash_table_lookup(by_id, &covered), NULL, 1);
			set(e, "kind", "covered_by");
			set(e, "style", "dashed");
			set(e, "constraint", "false");
			set(e, "label", "covered by");
		}
	}
	g_free(nodes);
	return g;
}

/* ---------------------------------------------------------------------- */
/* Writing it out                                                         */

static int write_dot(Agraph_t *g, FILE *out, struct bpfs_err *err)
{
	if (agwrite(g, out) != 0 || fflush(out) || ferror(out))
		return bpfs_err_set(err, EIO, -1, "cannot write the graph: %s", g_strerror(errno));
	return 0;
}

static int render(Agraph_t *g, enum bpfs_dot_format fmt, FILE *out, struct bpfs_err *err)
{
	GVC_t *gvc = gvContext();
	char *data = NULL;
	unsigned len = 0;
	int ret = 0;

	if (!gvc)
		return bpfs_err_set(err, ENOMEM, -1, "Graphviz: cannot create a context");
	if (gvLayout(gvc, g, "dot") != 0) {
		ret = bpfs_err_set(err, EINVAL, -1, "Graphviz: the dot layout failed");
		goto out;
	}
	if (gvRenderData(gvc, g, format_names[fmt], &data, &len) != 0 || !data) {
		ret = bpfs_err_set(err, EINVAL, -1, "Graphviz: cannot render %s (is its plugin installed?)",
				   format_names[fmt]);
		gvFreeLayout(gvc, g);
		goto out;
	}
	if (fwrite(data, 1, len, out) != len || fflush(out) || ferror(out))
		ret = bpfs_err_set(err, EIO, -1, "cannot write the picture: %s", g_strerror(errno));
	gvFreeRenderData(data);
	gvFreeLayout(gvc, g);
out:
	gvFreeContext(gvc);
	return ret;
}

static int output(Agraph_t *g, enum bpfs_dot_format fmt, FILE *out, struct bpfs_err *err)
{
	int ret;

	if (!g)
		return bpfs_err_set(err, ENOMEM, -1, "Graphviz: cannot create the graph");
	ret = fmt == BPFS_DOT_FMT_DOT ? write_dot(g, out, err) : render(g, fmt, out, err);
	agclose(g);
	return ret;
}

int bpfs_report_dot(const struct bpfs_dot_prog *p, const struct bpfs_dot_view *v, enum bpfs_dot_format fmt,
		    FILE *out, struct bpfs_err *err)
{
	if ((unsigned)fmt >= G_N_ELEMENTS(format_names))
		return bpfs_err_set(err, EINVAL, -1, "unknown picture format %d", (int)fmt);
	return output(build(p, v), fmt, out, err);
}

int bpfs_report_dot_search(const struct bpfs_dot_search *s, enum bpfs_dot_format fmt, FILE *out, struct bpfs_err *err)
{
	if ((unsigned)fmt >= G_N_ELEMENTS(format_names))
		return bpfs_err_set(err, EINVAL, -1, "unknown picture format %d", (int)fmt);
	return output(build_search(s), fmt, out, err);
}
