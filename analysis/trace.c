/* SPDX-License-Identifier: MIT */
/*
 * A recorded verifier trace (struct bpfs_trace_record): the events of
 * struct bpfs_verifier_trace summed up as what pictures and coverage
 * need. Per instruction, how often the walk processed it, how many paths
 * were pruned there and the distinct states it saw there; the search
 * graph (checkpoints, and the leaves where paths ended: pruned, at an
 * exit, or failing); and the path the walk was on when it failed.
 *
 * The failing path is rebuilt from path segments: every processed
 * instruction is appended to the current segment; a resumed branch starts
 * a new segment whose parent is the segment (and its length) the branch
 * was pushed from. Walking the parents from the last segment gives the
 * path from insn 0. Memory is one u32 per processed instruction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "analysis.h"

struct seg {
	size_t parent;     /* segment index + 1, 0 for the first */
	size_t parent_len; /* how much of the parent precedes this one */
	size_t start, len; /* in flat */
};

struct pushed {
	size_t seg, len;  /* where it was pushed from */
	const char *side; /* the pushed side */
	uint64_t parent;  /* the checkpoint before it */
};

struct priv {
	GArray *flat;	  /* uint32_t: every processed insn, by segment */
	GArray *segs;	  /* struct seg */
	size_t cur;	  /* the current segment */
	GHashTable *pushed; /* node id -> struct pushed */
	GHashTable *depth;  /* checkpoint id -> its depth + 1 */
	GArray *nodes;	    /* struct bpfs_trace_node */
	const char *side;   /* the last branch side on the current path since its checkpoint */
};

int bpfs_trace_record_init(struct bpfs_trace_record *r, const struct bpf_insn *insns, size_t insn_cnt,
			   size_t max_states, bool want_states)
{
	struct priv *p;
	struct seg first = {0};

	memset(r, 0, sizeof(*r));
	r->prog = insns;
	r->cnt = insn_cnt;
	r->max_states = max_states;
	r->want_states = want_states;
	r->insns = calloc(insn_cnt ? insn_cnt : 1, sizeof(*r->insns));
	p = calloc(1, sizeof(*p));
	if (!r->insns || !p) {
		free(r->insns);
		free(p);
		r->insns = NULL;
		return -ENOMEM;
	}
	p->flat = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	p->segs = g_array_new(FALSE, FALSE, sizeof(struct seg));
	g_array_append_val(p->segs, first);
	p->pushed = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	p->depth = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	p->nodes = g_array_new(FALSE, TRUE, sizeof(struct bpfs_trace_node));
	r->priv = p;
	return 0;
}

static void add_state(struct bpfs_trace_record *r, uint32_t insn, const char *state)
{
	struct bpfs_trace_insn *t = &r->insns[insn];

	if (!state)
		return;
	for (size_t i = 0; i < t->nstates; i++)
		if (!strcmp(t->states[i], state))
			return;
	if (t->nstates >= r->max_states) {
		t->more_states++;
		return;
	}
	t->states = g_renew(char *, t->states, t->nstates + 1);
	t->states[t->nstates++] = g_strdup(state);
}

static uint32_t depth_of(struct priv *p, uint64_t id)
{
	gint64 key = (gint64)id;

	return id ? GPOINTER_TO_UINT(g_hash_table_lookup(p->depth, &key)) : 0;
}

static void add_node(struct bpfs_trace_record *r, enum bpfs_trace_node_kind kind, const struct bpfs_trace_event *ev)
{
	struct priv *p = r->priv;
	struct bpfs_trace_node n = {
		.kind = kind,
		.id = kind == BPFS_NODE_STORED ? ev->node : 0,
		.parent = ev->parent,
		.covered = ev->covered,
		.insn = ev->insn,
		.frame = ev->frame,
		.depth = depth_of(p, ev->parent),
		.side = p->side,
		.state = kind == BPFS_NODE_STORED && ev->state ? g_strdup(ev->state) : NULL,
	};

	g_array_append_val(p->nodes, n);
	if (kind == BPFS_NODE_STORED) {
		gint64 *key = g_new(gint64, 1);

		*key = (gint64)ev->node;
		g_hash_table_insert(p->depth, key, GUINT_TO_POINTER(n.depth + 1));
	}
	p->side = NULL;
}

static struct seg *cur_seg(struct priv *p)
{
	return &g_array_index(p->segs, struct seg, p->cur);
}

/* The instruction the current path processed last: the end of the
 * current segment, or where its parent left off. */
static bool last_insn(struct priv *p, uint32_t *insn)
{
	const struct seg *s = cur_seg(p);
	size_t len = s->len;

	while (!len && s->parent) {
		len = s->parent_len;
		s = &g_array_index(p->segs, struct seg, s->parent - 1);
		if (len > s->len)
			len = s->len;
	}
	if (!len)
		return false;
	*insn = g_array_index(p->flat, uint32_t, s->start + len - 1);
	return true;
}

/* Arriving at insn after a conditional jump: which side the walk took. */
static void count_side(struct bpfs_trace_record *r, uint32_t insn)
{
	uint32_t prev;
	const struct bpf_insn *j;

	if (!r->prog || !last_insn(r->priv, &prev) || prev >= r->cnt)
		return;
	j = &r->prog[prev];
	if ((BPF_CLASS(j->code) != BPF_JMP && BPF_CLASS(j->code) != BPF_JMP32) || BPF_OP(j->code) == BPF_JA ||
	    BPF_OP(j->code) == BPF_CALL || BPF_OP(j->code) == BPF_EXIT)
		return;
	if (insn == prev + 1)
		r->insns[prev].not_taken++;
	else
		r->insns[prev].taken++;
}

void bpfs_trace_record_event(const struct bpfs_trace_event *ev, void *record)
{
	struct bpfs_trace_record *r = record;
	struct priv *p = r->priv;
	gint64 key = (gint64)ev->node;

	if (!p || ev->insn >= r->cnt)
		return;
	switch (ev->kind) {
	case BPFS_TRACE_INSN:
		count_side(r, ev->insn);
		r->insns[ev->insn].visits++;
		add_state(r, ev->insn, ev->state);
		g_array_append_val(p->flat, ev->insn);
		cur_seg(p)->len++;
		break;
	case BPFS_TRACE_BRANCH: {
		struct pushed *b = g_new(struct pushed, 1);
		gint64 *k = g_new(gint64, 1);

		/* pushed while its instruction is processed, whose INSN event
		 * comes next: the branch continues after it */
		*b = (struct pushed){p->cur, cur_seg(p)->len + 1, ev->side, ev->parent};
		*k = key;
		g_hash_table_insert(p->pushed, k, b);
		if (ev->side && !strcmp(ev->side, "taken"))
			p->side = "not taken";
		else
			p->side = ev->side;
		break;
	}
	case BPFS_TRACE_RESUME: {
		struct pushed *b = g_hash_table_lookup(p->pushed, &key);
		struct seg s = {0};

		if (!b)
			break;
		s.parent = b->seg + 1;
		s.parent_len = b->len;
		s.start = p->flat->len;
		g_array_append_val(p->segs, s);
		p->cur = p->segs->len - 1;
		p->side = b->side;
		g_hash_table_remove(p->pushed, &key);
		break;
	}
	case BPFS_TRACE_STORE:
		add_node(r, BPFS_NODE_STORED, ev);
		break;
	case BPFS_TRACE_PRUNE:
		count_side(r, ev->insn);
		r->insns[ev->insn].pruned++;
		add_node(r, BPFS_NODE_PRUNED, ev);
		break;
	case BPFS_TRACE_EXIT:
		add_node(r, BPFS_NODE_EXIT, ev);
		break;
	case BPFS_TRACE_FAIL:
		add_node(r, BPFS_NODE_FAILED, ev);
		r->failed = true;
		r->fail_insn = ev->insn;
		g_free(r->fail_msg);
		r->fail_msg = g_strdup(ev->msg ? ev->msg : "");
		break;
	}
}

/* The path from insn 0 to the end of the current segment. */
static void build_path(struct bpfs_trace_record *r)
{
	struct priv *p = r->priv;
	GArray *rev = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	size_t s = p->cur + 1, len = cur_seg(p)->len;

	while (s) {
		const struct seg *sg = &g_array_index(p->segs, struct seg, s - 1);

		for (size_t i = MIN(len, sg->len); i > 0; i--)
			g_array_append_val(rev, g_array_index(p->flat, uint32_t, sg->start + i - 1));
		len = sg->parent_len;
		s = sg->parent;
	}
	r->fail_path_len = rev->len;
	r->fail_path = malloc((rev->len ? rev->len : 1) * sizeof(uint32_t));
	for (guint i = 0; r->fail_path && i < rev->len; i++)
		r->fail_path[i] = g_array_index(rev, uint32_t, rev->len - 1 - i);
	if (!r->fail_path)
		r->fail_path_len = 0;
	g_array_free(rev, TRUE);
}

void bpfs_trace_record_finish(struct bpfs_trace_record *r)
{
	struct priv *p = r->priv;

	if (!p)
		return;
	if (r->failed && !r->fail_path)
		build_path(r);
	r->nnodes = p->nodes->len;
	r->nodes = (struct bpfs_trace_node *)(void *)p->nodes->data;
}

void bpfs_trace_record_release(struct bpfs_trace_record *r)
{
	struct priv *p = r->priv;

	for (size_t i = 0; r->insns && i < r->cnt; i++) {
		for (size_t k = 0; k < r->insns[i].nstates; k++)
			g_free(r->insns[i].states[k]);
		g_free(r->insns[i].states);
	}
	free(r->insns);
	if (p) {
		for (guint i = 0; i < p->nodes->len; i++)
			g_free(g_array_index(p->nodes, struct bpfs_trace_node, i).state);
		g_array_free(p->nodes, TRUE);
		g_array_free(p->flat, TRUE);
		g_array_free(p->segs, TRUE);
		g_hash_table_destroy(p->pushed);
		g_hash_table_destroy(p->depth);
		free(p);
	}
	g_free(r->fail_msg);
	free(r->fail_path);
	memset(r, 0, sizeof(*r));
}
