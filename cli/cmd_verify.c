/* SPDX-License-Identifier: MIT */
/*
 * bpfscope verify FILE[:SECTION]: the verifier on one object's programs.
 * Exit 0 when every program is accepted, 1 when one is rejected, 2 on an
 * input error. For raw and assembly input, --map declares the maps that
 * LD_IMM64 map references (src_reg 1, imm = index) point to.
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct verify_args {
	struct cli_verifier_args v;
	int log_level;
	gboolean stats, json, xcheck;
	struct cli_xcheck_args x;
};

/* One program's result as a JSON object, added to the array b holds. A
 * program that could not be verified has the verdict "error". */
static void add_json(JsonBuilder *b, const char *path, const char *label, const struct bpfs_prog *p,
		     const struct bpfs_verdict *v, const char *load_err)
{
	const struct bpfs_verifier_stats *s = &v->stats;
	const char *tname = bpfs_prog_type_name(p->type);

	json_builder_begin_object(b);
#define STR(k, val)                                  \
	do {                                         \
		json_builder_set_member_name(b, k);   \
		json_builder_add_string_value(b, val); \
	} while (0)
#define INT(k, val)                                          \
	do {                                                 \
		json_builder_set_member_name(b, k);           \
		json_builder_add_int_value(b, (gint64)(val)); \
	} while (0)
	STR("object", path);
	STR("program", label);
	STR("prog_type", tname ? tname : "unknown");
	STR("verdict", load_err ? "error" : v->accepted ? "accept" : "reject");
	INT("errno", -v->err);
	INT("insn", v->insn);
	STR("error", load_err ? load_err : v->accepted ? "" : v->msg);
	INT("processed_insns", s->processed_insns);
	INT("total_states", s->total_states);
	INT("peak_states", s->peak_states);
	INT("max_states_per_insn", s->max_states_per_insn);
	INT("mark_read", s->mark_read);
	INT("duration_ns", s->duration_ns);
	STR("log", v->log ? v->log : "");
#undef STR
#undef INT
	json_builder_end_object(b);
}

static void print_json(JsonBuilder *b)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree char *text = NULL;

	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, NULL);
	puts(text);
}

static void print_text(const char *where, const struct bpfs_verdict *v, const struct bpfs_verifier_opts *o,
		       bool stats)
{
	if (o->log_level && v->log && v->log_len)
		fputs(v->log, stdout);
	if (v->accepted)
		printf("%s: accepted\n", where);
	else if (v->insn >= 0)
		printf("%s: rejected at insn %d: %s\n", where, v->insn, v->msg);
	else
		printf("%s: rejected: %s\n", where, v->msg);
	if (stats)
		printf("processed %" G_GUINT64_FORMAT " insns (limit %" G_GUINT64_FORMAT
		       ") max_states_per_insn %" G_GUINT64_FORMAT " total_states %" G_GUINT64_FORMAT
		       " peak_states %" G_GUINT64_FORMAT " mark_read %" G_GUINT64_FORMAT "\n",
		       v->stats.processed_insns, o->insn_limit, v->stats.max_states_per_insn, v->stats.total_states,
		       v->stats.peak_states, v->stats.mark_read);
}

static int verify_target(const struct cli_target *t, struct verify_args *a, struct bpfs_verifier_opts *o)
{
	g_autoptr(JsonBuilder) json = a->json ? json_builder_new() : NULL;
	int ret = EXIT_OK;

	if (!cli_verifier_target("verify", &a->v, t, o))
		return EXIT_USAGE;
	if (json)
		json_builder_begin_array(json);
	for (size_t i = 0; i < t->nprogs; i++) {
		const struct bpfs_prog *p = t->progs[i];
		g_autofree char *label = cli_prog_label(p);
		g_autofree char *where = p->section && *p->section ? g_strdup_printf("%s: %s", t->path, label)
								   : g_strdup(t->path);
		const char *load_err = bpfs_prog_load_error(t->obj, p);
		struct bpfs_verdict v = { 0 };

		if (load_err) {
			cli_error("verify", "%s: %s", where, load_err);
			if (json)
				add_json(json, t->path, label, p, &v, load_err);
			ret = EXIT_USAGE;
			continue;
		}
		cli_verifier_prog(o, p);
		if (bpfs_verify(p->insns, p->insn_cnt, o, &v)) {
			cli_error("verify", "%s: the verifier could not run", where);
			ret = EXIT_USAGE;
			continue;
		}
		if (json)
			add_json(json, t->path, label, p, &v, NULL);
		else
			print_text(where, &v, o, a->stats);
		if (!v.accepted && ret == EXIT_OK)
			ret = EXIT_VERDICT;
		if (a->xcheck) {
			int r = cli_xcheck_prog(&a->x, t->path, p, o, &v, NULL);

			ret = r > ret ? r : ret;
		}
		bpfs_verdict_release(&v);
	}
	if (json) {
		json_builder_end_array(json);
		print_json(json);
	}
	return ret;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { .log_level = 0 };
	const GOptionEntry own[] = {
		{ "log-level", 'l', 0, G_OPTION_ARG_INT, &a.log_level,
		  "0 none, 1 the failing path, 2 every insn with its state (as the kernel)", "N" },
		{ "stats", 0, 0, G_OPTION_ARG_NONE, &a.stats, "Print the kernel's statistics line", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &a.json, "Print one JSON array with an object per program", NULL },
		{ "xcheck", 0, 0, G_OPTION_ARG_NONE, &a.xcheck,
		  "Then cross-check the verdict with Z3 (as bpfscope xcheck)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(GOptionEntry));
	struct bpfs_verifier_opts o = { 0 };
	struct cli_target t;
	int ret;

	cli_verifier_entries(&a.v, entries);
	cli_xcheck_entries(&a.x, entries);
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	if (!cli_parse("verify", "FILE[:SECTION]", "run the verifier", (GOptionEntry *)(void *)entries->data, &argc,
		       &argv)) {
		ret = EXIT_USAGE;
		goto out;
	}
	ret = EXIT_USAGE;
	if (argc != 2) {
		cli_error("verify", "expected one FILE[:SECTION] (see bpfscope verify --help)");
		goto out;
	}
	if (a.log_level < 0 || a.log_level > 2) {
		cli_error("verify", "--log-level takes 0, 1 or 2");
		goto out;
	}
	if (a.xcheck && (a.json || !cli_xcheck_check_args("verify", &a.x))) {
		if (a.json)
			cli_error("verify", "--xcheck prints text: for JSON use bpfscope xcheck --json");
		goto out;
	}
	if (!cli_verifier_opts("verify", &a.v, &o))
		goto out;
	o.log_level = (uint32_t)a.log_level;
	if (!cli_open("verify", argv[1], a.v.type, &t))
		goto out;
	ret = verify_target(&t, &a, &o);
	cli_target_release(&t);
out:
	cli_verifier_args_release(&a.v);
	g_free(a.x.witness_dir);
	return ret;
}
