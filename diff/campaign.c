/* SPDX-License-Identifier: MIT */
/*
 * A differential campaign: programs in, counts and reproducers out. Each
 * program the verifier accepts (and whose results do not depend on where
 * an engine keeps its memory) runs on every engine with the campaign's
 * inputs; the first divergence of a program is shrunk and written out as
 * a reproducer. The skip policy lives here: programs the verifier
 * rejects, programs an engine cannot run, inputs an engine refuses; each
 * skip is counted with its reason.
 *
 * Inputs differ from program to program: the campaign seed is mixed with
 * the program's label, so two programs never share their inputs by
 * accident, and a program's inputs do not depend on its place in the run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "diff_int.h"

struct bpfs_diff_campaign {
	struct bpfs_diff_campaign_opts opts;
	struct bpfs_diff_campaign_stats stats;
	GHashTable *why; /* reason a program was skipped -> count */
	size_t repro;    /* reproducers written */
};

struct bpfs_diff_campaign *bpfs_diff_campaign_new(const struct bpfs_diff_campaign_opts *opts)
{
	struct bpfs_diff_campaign *c = g_new0(struct bpfs_diff_campaign, 1);

	c->opts = *opts;
	if (!c->opts.inputs)
		c->opts.inputs = 8;
	c->why = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return c;
}

void bpfs_diff_campaign_free(struct bpfs_diff_campaign *c)
{
	if (!c)
		return;
	g_hash_table_destroy(c->why);
	g_free(c);
}

const struct bpfs_diff_campaign_stats *bpfs_diff_campaign_stats(const struct bpfs_diff_campaign *c)
{
	return &c->stats;
}

static void count_reason(struct bpfs_diff_campaign *c, const char *what, const char *detail)
{
	char *why = detail && *detail ? g_strdup_printf("%s: %s", what, detail) : g_strdup(what);
	gsize n = GPOINTER_TO_SIZE(g_hash_table_lookup(c->why, why));

	g_hash_table_insert(c->why, why, GSIZE_TO_POINTER(n + 1));
}

void bpfs_diff_campaign_skip(struct bpfs_diff_campaign *c, const char *what, const char *detail)
{
	c->stats.rejected++;
	count_reason(c, what, detail);
}

static gint by_count(gconstpointer x, gconstpointer y, gpointer why)
{
	gsize a = GPOINTER_TO_SIZE(g_hash_table_lookup(why, x)), b = GPOINTER_TO_SIZE(g_hash_table_lookup(why, y));

	return a < b ? 1 : a > b ? -1 : strcmp(x, y);
}

void bpfs_diff_campaign_reasons(const struct bpfs_diff_campaign *c, bpfs_diff_reason_fn fn, void *data)
{
	GList *keys = g_list_sort_with_data(g_hash_table_get_keys(c->why), by_count, c->why);

	for (GList *k = keys; k; k = k->next)
		fn(k->data, GPOINTER_TO_SIZE(g_hash_table_lookup(c->why, k->data)), data);
	g_list_free(keys);
}

static int write_hex(const char *path, const uint8_t *p, size_t n)
{
	GString *s = g_string_sized_new(2 * n + 1);
	bool ok;

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", p[i]);
	g_string_append_c(s, '\n');
	ok = g_file_set_contents(path, s->str, (gssize)s->len, NULL);
	g_string_free(s, TRUE);
	return ok ? 0 : -EIO;
}

/* The shrunk reproducer of a divergence, written under the campaign's
 * directory as prog.s, packet.bin and packet.hex. */
static int write_repro(struct bpfs_diff_campaign *c, const struct bpfs_diff_prog *p, const struct bpfs_diff_input *in,
		       const struct bpfs_diff_result *res, struct bpfs_diff_repro *out)
{
	struct bpfs_diff_opts opts = {.engines = c->opts.engines, .hook = c->opts.hook, .hook_data = c->opts.hook_data};
	g_autofree char *asm_text = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	out->prog_type = p->prog_type;
	out->orig_cnt = p->cnt;
	ret = bpfs_diff_shrink(p, in, &opts, res, c->opts.shrink_runs, &out->insns, &out->cnt, &out->input);
	if (ret)
		return ret;
	out->dir = g_strdup_printf("%s/%zu", c->opts.out_dir, c->repro++);
	out->asm_path = g_build_filename(out->dir, "prog.s", NULL);
	out->packet_path = g_build_filename(out->dir, "packet.bin", NULL);
	if (g_mkdir_with_parents(out->dir, 0755))
		return -errno;
	asm_text = bpfs_diff_repro_asm(p, out->insns, out->cnt, &out->map_args);
	if (!g_file_set_contents(out->asm_path, asm_text, -1, NULL))
		return -EIO;
	if (out->input.pkt_len) {
		g_autofree char *hex = g_build_filename(out->dir, "packet.hex", NULL);

		if (!g_file_set_contents(out->packet_path, (const char *)out->input.pkt, (gssize)out->input.pkt_len,
					 NULL) ||
		    write_hex(hex, out->input.pkt, out->input.pkt_len))
			return -EIO;
	}
	return 0;
}

static void repro_release(struct bpfs_diff_repro *r)
{
	free(r->insns);
	bpfs_diff_input_release(&r->input);
	g_free(r->dir);
	g_free(r->asm_path);
	g_free(r->packet_path);
	g_free(r->map_args);
}

/* Input number i of a program: the campaign's fixed input, or one
 * generated from the seed mixed with the program's label. */
static int make_input(const struct bpfs_diff_campaign *c, const char *label, const struct bpfs_diff_prog *p,
		      unsigned i, struct bpfs_diff_input *in)
{
	const struct bpfs_diff_input *fixed = c->opts.input;

	memset(in, 0, sizeof(*in));
	if (!fixed)
		return bpfs_diff_input_gen(p->prog_type, c->opts.seed ^ g_str_hash(label) * 0x9e3779b97f4a7c15ull, i,
					   in);
	in->seed = fixed->seed;
	in->pkt_len = fixed->pkt_len;
	in->pkt = malloc(fixed->pkt_len ? fixed->pkt_len : 1);
	if (!in->pkt)
		return -ENOMEM;
	if (fixed->pkt_len)
		memcpy(in->pkt, fixed->pkt, fixed->pkt_len);
	return 0;
}

int bpfs_diff_campaign_prog(struct bpfs_diff_campaign *c, const char *label, const struct bpfs_diff_prog *p,
			    struct bpfs_err *err)
{
	struct bpfs_diff_opts opts = {.engines = c->opts.engines, .hook = c->opts.hook, .hook_data = c->opts.hook_data};
	unsigned inputs = c->opts.input ? 1 : c->opts.inputs;
	bool ran = false;
	char msg[512];

	if (!bpfs_diff_verifies(p, msg, sizeof(msg))) {
		c->stats.rejected++;
		count_reason(c, "rejected by the verifier", msg);
		return 0;
	}
	if (!bpfs_diff_deterministic(p, msg, sizeof(msg))) {
		c->stats.unrunnable++;
		count_reason(c, "results depend on the engine's memory (address leak or uninitialised stack)", msg);
		return 0;
	}
	for (unsigned i = 0; i < inputs; i++) {
		struct bpfs_diff_input in;
		struct bpfs_diff_result r;
		int ret = make_input(c, label, p, i, &in);

		if (!ret)
			ret = bpfs_diff_run(p, &in, &opts, &r);
		if (ret == -ERANGE) { /* one engine refuses this input */
			c->stats.skipped_inputs++;
			bpfs_diff_input_release(&in);
			continue;
		}
		if (ret == -EOPNOTSUPP) { /* this program cannot run on one of the engines */
			c->stats.unrunnable++;
			c->stats.progs -= ran;
			count_reason(c, r.skipped, NULL);
			if (c->opts.on_skip)
				c->opts.on_skip(label, r.skipped, c->opts.data);
			bpfs_diff_input_release(&in);
			return 0;
		}
		if (ret) {
			bpfs_diff_input_release(&in);
			return bpfs_err_set(err, -ret, -1, "%s: input %u: %s", label, i, g_strerror(-ret));
		}
		c->stats.progs += !ran;
		ran = true;
		c->stats.runs++;
		if (r.diverged) {
			struct bpfs_diff_repro repro;

			c->stats.divergences++;
			ret = write_repro(c, p, &in, &r, &repro);
			if (c->opts.on_divergence)
				c->opts.on_divergence(label, i, &r, ret ? NULL : &repro, c->opts.data);
			repro_release(&repro);
			bpfs_diff_input_release(&in);
			if (ret)
				return bpfs_err_set(err, -ret, -1, "%s: cannot write the reproducer: %s", label,
						    g_strerror(-ret));
			break; /* one reproducer per program is enough */
		}
		bpfs_diff_input_release(&in);
	}
	return 0;
}

int bpfs_diff_campaign_random(struct bpfs_diff_campaign *c, unsigned count, struct bpfs_err *err)
{
	/* the kernel's random numbers cannot be seeded */
	struct bpfs_diff_gen_opts gopts = {.no_prandom = (c->opts.engines & (1u << BPFS_DIFF_KERNEL)) != 0};
	size_t nmaps;
	const struct bpfs_map_spec *maps = bpfs_diff_gen_maps(&nmaps);

	for (unsigned i = 0; i < count; i++) {
		char label[32];
		struct bpf_insn *insns;
		size_t cnt;
		uint32_t type;
		struct bpfs_diff_prog p;
		int ret;

		if (bpfs_diff_gen(c->opts.seed, i, &gopts, &insns, &cnt, &type))
			return bpfs_err_set(err, ENOMEM, -1, "out of memory");
		snprintf(label, sizeof(label), "random#%u", i);
		p = (struct bpfs_diff_prog){insns, cnt, type, maps, nmaps};
		ret = bpfs_diff_campaign_prog(c, label, &p, err);
		free(insns);
		if (ret)
			return ret;
	}
	return 0;
}
