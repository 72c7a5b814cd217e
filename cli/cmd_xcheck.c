/* SPDX-License-Identifier: MIT */
/*
 * bpfscope xcheck FILE[:SECTION]...: the verifier's verdict on each
 * program cross-checked by symbolic execution with Z3 (analysis/xcheck.c),
 * one result a program: confirmed, unsound at insn I (witness written),
 * true positive at insn I (witness written), false alarm at insn I (the
 * path and why), or unknown (the reason). Exit 0 when every result agrees
 * with the verifier (confirmed, true positive, unknown), 1 when one is
 * unsound or a false alarm, 2 on an input error or without Z3.
 *
 * bpfscope xcheck --ops: the audit of the verifier's abstract operators.
 *
 * Witnesses are JSON files (see write_witness) that `bpfscope run
 * --witness W.json` turns back into its inputs (cli_witness_load): the
 * packet, the context fields BPF_PROG_TEST_RUN lets a caller set, and the
 * map elements the lookups on the path hit.
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xcheck.h"

#define CMD "xcheck"

/* ---------------------------------------------------------------------- */
/* Witness files                                                          */

static char *hexstr(const uint8_t *p, size_t n)
{
	GString *s = g_string_sized_new(2 * n + 1);

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", p[i]);
	return g_string_free(s, FALSE);
}

static JsonNode *witness_json(const struct bpfs_witness *w, const char *object, const char *label,
			      const struct bpfs_verifier_opts *o)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	const char *tname = bpfs_prog_type_name(w->prog_type);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "object");
	json_builder_add_string_value(b, object);
	json_builder_set_member_name(b, "program");
	json_builder_add_string_value(b, label);
	json_builder_set_member_name(b, "prog_type");
	json_builder_add_string_value(b, tname ? tname : "unknown");
	json_builder_set_member_name(b, "insn");
	json_builder_add_int_value(b, w->insn);
	json_builder_set_member_name(b, "violation");
	json_builder_add_string_value(b, w->what);
	json_builder_set_member_name(b, "packet");
	if (w->has_packet) {
		g_autofree char *h = hexstr(w->packet, w->packet_len);

		json_builder_add_string_value(b, h);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "ctx");
	json_builder_begin_array(b);
	for (size_t i = 0; i < w->nctx; i++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "off");
		json_builder_add_int_value(b, w->ctx[i].off);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, w->ctx[i].size);
		json_builder_set_member_name(b, "value");
		json_builder_add_int_value(b, (gint64)w->ctx[i].value);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "maps");
	json_builder_begin_array(b);
	for (size_t i = 0; i < w->nlookups; i++) {
		const struct bpfs_witness_lookup *l = &w->lookups[i];
		const char *name = l->map >= 0 && (size_t)l->map < o->map_cnt && o->maps[l->map].name
					   ? o->maps[l->map].name
					   : "?";
		g_autofree char *k = hexstr(l->key, l->key_size);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "map");
		json_builder_add_string_value(b, name);
		json_builder_set_member_name(b, "insn");
		json_builder_add_int_value(b, l->insn);
		json_builder_set_member_name(b, "hit");
		json_builder_add_boolean_value(b, l->hit);
		json_builder_set_member_name(b, "key");
		json_builder_add_string_value(b, k);
		json_builder_set_member_name(b, "value");
		if (l->hit) {
			g_autofree char *v = hexstr(l->value, l->value_size);

			json_builder_add_string_value(b, v);
		} else {
			json_builder_add_null_value(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "helpers");
	json_builder_begin_array(b);
	for (size_t i = 0; i < w->nhelpers; i++) {
		const char *hn = bpfs_helper_name(w->helpers[i].helper);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "insn");
		json_builder_add_int_value(b, w->helpers[i].insn);
		json_builder_set_member_name(b, "helper");
		json_builder_add_string_value(b, hn ? hn : "?");
		json_builder_set_member_name(b, "value");
		json_builder_add_int_value(b, (gint64)w->helpers[i].value);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* DIR/<object base name>-<program>.witness.json */
static char *witness_path(const char *dir, const char *object, const char *label)
{
	g_autofree char *base = g_path_get_basename(object);
	g_autofree char *name = strcmp(base, label) ? g_strdup_printf("%s-%s.witness.json", base, label)
						    : g_strdup_printf("%s.witness.json", base);

	for (char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || *p == ' ')
			*p = '_';
	return g_build_filename(dir, name, NULL);
}

static char *write_witness(const char *dir, const struct bpfs_witness *w, const char *object, const char *label,
			   const struct bpfs_verifier_opts *o)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = witness_json(w, object, label, o);
	g_autoptr(GError) gerr = NULL;
	char *path = witness_path(dir, object, label);

	if (g_mkdir_with_parents(dir, 0755)) {
		cli_error(CMD, "--witness-dir %s: %s", dir, g_strerror(errno));
		g_free(path);
		return NULL;
	}
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	if (!json_generator_to_file(gen, path, &gerr)) {
		cli_error(CMD, "%s: %s", path, gerr->message);
		g_free(path);
		return NULL;
	}
	return path;
}

void cli_witness_release(struct cli_witness *w)
{
	g_free(w->packet_hex);
	if (w->ctx)
		g_bytes_unref(w->ctx);
	if (w->sets)
		g_ptr_array_unref(w->sets);
	memset(w, 0, sizeof(*w));
}

#define SKB_FIELD(f) offsetof(struct __sk_buff, f), sizeof(((struct __sk_buff *)0)->f)

/* Whether BPF_PROG_TEST_RUN lets a caller set this __sk_buff field */
static bool skb_settable(uint32_t off, uint32_t size)
{
	static const struct {
		size_t off, size;
	} f[] = {
		{ SKB_FIELD(mark) },	   { SKB_FIELD(priority) }, { SKB_FIELD(cb) },
		{ SKB_FIELD(tstamp) },	   { SKB_FIELD(wire_len) }, { SKB_FIELD(gso_segs) },
		{ SKB_FIELD(gso_size) },   { SKB_FIELD(hwtstamp) },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(f); i++)
		if (off >= f[i].off && off + size <= f[i].off + f[i].size)
			return true;
	return false;
}

static bool skb_type(uint32_t t)
{
	switch (t) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return true;
	}
	return false;
}

/* The context input: __sk_buff with the settable fields the witness
 * gives, or for other types the raw bytes; NULL when nothing is set. */
static GBytes *witness_ctx(JsonArray *fields, uint32_t type)
{
	size_t cap = skb_type(type) ? sizeof(struct __sk_buff) : 0, len = 0;
	uint8_t *buf;

	if (!fields || !json_array_get_length(fields) || type == BPF_PROG_TYPE_XDP)
		return NULL;
	for (guint i = 0; !cap && i < json_array_get_length(fields); i++) {
		JsonObject *f = json_array_get_object_element(fields, i);
		size_t end = (size_t)json_object_get_int_member(f, "off") + (size_t)json_object_get_int_member(f, "size");

		len = end > len ? end : len;
	}
	if (!cap)
		cap = len;
	buf = g_malloc0(cap ? cap : 1);
	len = 0;
	for (guint i = 0; i < json_array_get_length(fields); i++) {
		JsonObject *f = json_array_get_object_element(fields, i);
		uint32_t off = (uint32_t)json_object_get_int_member(f, "off");
		uint32_t size = (uint32_t)json_object_get_int_member(f, "size");
		uint64_t v = (uint64_t)json_object_get_int_member(f, "value");

		if (off + size > cap || size > 8 || (skb_type(type) && !skb_settable(off, size)))
			continue;
		for (uint32_t k = 0; k < size; k++)
			buf[off + k] = (uint8_t)(v >> (8 * k));
		len = cap;
	}
	if (!len) {
		g_free(buf);
		return NULL;
	}
	return g_bytes_new_take(buf, cap);
}

bool cli_witness_load(const char *cmd, const char *path, uint32_t prog_type, struct cli_witness *w)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) gerr = NULL;
	JsonObject *root;
	JsonArray *maps;

	memset(w, 0, sizeof(*w));
	if (!json_parser_load_from_file(parser, path, &gerr)) {
		cli_error(cmd, "--witness %s: %s", path, gerr->message);
		return false;
	}
	if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		cli_error(cmd, "--witness %s: not a witness (a JSON object)", path);
		return false;
	}
	root = json_node_get_object(json_parser_get_root(parser));
	if (json_object_has_member(root, "packet") && !json_object_get_null_member(root, "packet"))
		w->packet_hex = g_strdup(json_object_get_string_member(root, "packet"));
	if (json_object_has_member(root, "ctx"))
		w->ctx = witness_ctx(json_object_get_array_member(root, "ctx"), prog_type);
	w->sets = g_ptr_array_new_with_free_func(g_free);
	maps = json_object_has_member(root, "maps") ? json_object_get_array_member(root, "maps") : NULL;
	for (guint i = 0; maps && i < json_array_get_length(maps); i++) {
		JsonObject *m = json_array_get_object_element(maps, i);

		if (!json_object_get_boolean_member(m, "hit"))
			continue;
		g_ptr_array_add(w->sets, g_strdup(json_object_get_string_member(m, "map")));
		g_ptr_array_add(w->sets, g_strdup_printf("0x%s=0x%s", json_object_get_string_member(m, "key"),
							 json_object_get_string_member(m, "value")));
	}
	if (json_object_has_member(root, "helpers"))
		w->nhelpers = json_array_get_length(json_object_get_array_member(root, "helpers"));
	w->insn = json_object_has_member(root, "insn") ? (int)json_object_get_int_member(root, "insn") : -1;
	return true;
}

bool cli_witness_inputs(const char *cmd, const char *path, uint32_t prog_type, char **packet_hex, GBytes **ctx,
			GPtrArray *sets, struct cli_witness *w)
{
	if (*packet_hex || *ctx) {
		cli_error(cmd, "--witness gives the packet and the context: not with --packet-hex or --ctx");
		return false;
	}
	if (!cli_witness_load(cmd, path, prog_type, w))
		return false;
	if (w->packet_hex)
		*packet_hex = g_strdup(w->packet_hex);
	if (w->ctx)
		*ctx = g_bytes_ref(w->ctx);
	for (guint i = 0; i < w->sets->len; i++)
		g_ptr_array_add(sets, w->sets->pdata[i]);
	if (w->nhelpers)
		fprintf(stderr, "bpfscope %s: --witness: %zu helper result%s of the witness not forced: the runtime "
				"draws its own\n",
			cmd, w->nhelpers, w->nhelpers == 1 ? "" : "s");
	return true;
}

/* ---------------------------------------------------------------------- */
/* Cross-checking programs                                                */

static void add_json(JsonBuilder *b, const char *object, const char *label, const struct bpfs_verdict *v,
		     const struct bpfs_xcheck_result *r, const char *witness)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "object");
	json_builder_add_string_value(b, object);
	json_builder_set_member_name(b, "program");
	json_builder_add_string_value(b, label);
	json_builder_set_member_name(b, "verdict");
	json_builder_add_string_value(b, v->accepted ? "accept" : "reject");
	json_builder_set_member_name(b, "xcheck");
	json_builder_add_string_value(b, bpfs_xcheck_kind_name(r->kind));
	json_builder_set_member_name(b, "insn");
	if (r->insn >= 0)
		json_builder_add_int_value(b, r->insn);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "paths");
	json_builder_add_int_value(b, (gint64)r->paths);
	json_builder_set_member_name(b, "queries");
	json_builder_add_int_value(b, (gint64)r->queries);
	json_builder_set_member_name(b, "time_ms");
	json_builder_add_int_value(b, (gint64)r->time_ms);
	json_builder_set_member_name(b, "witness");
	if (witness)
		json_builder_add_string_value(b, witness);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "reason");
	json_builder_add_string_value(b, r->reason);
	json_builder_end_object(b);
}

static void print_text(const char *where, const struct bpfs_xcheck_result *r, const char *witness)
{
	const char *k = bpfs_xcheck_kind_name(r->kind);

	switch (r->kind) {
	case BPFS_XCHECK_CONFIRMED:
		printf("%s: confirmed (%" G_GUINT64_FORMAT " paths, %" G_GUINT64_FORMAT " queries, %" G_GUINT64_FORMAT
		       " ms)\n",
		       where, r->paths, r->queries, r->time_ms);
		return;
	case BPFS_XCHECK_UNSOUND:
	case BPFS_XCHECK_TRUE_POSITIVE:
		printf("%s: %s at insn %d: %s (%" G_GUINT64_FORMAT " paths, %" G_GUINT64_FORMAT
		       " queries, %" G_GUINT64_FORMAT " ms)%s%s\n",
		       where, r->kind == BPFS_XCHECK_UNSOUND ? "unsound" : "true positive", r->insn, r->reason, r->paths,
		       r->queries, r->time_ms, witness ? "; witness: " : "", witness ? witness : "");
		return;
	case BPFS_XCHECK_FALSE_ALARM:
		printf("%s: false alarm at insn %d: %s (%" G_GUINT64_FORMAT " paths, %" G_GUINT64_FORMAT
		       " queries, %" G_GUINT64_FORMAT " ms)\n",
		       where, r->insn, r->reason, r->paths, r->queries, r->time_ms);
		return;
	default:
		printf("%s: %s: %s (%" G_GUINT64_FORMAT " paths, %" G_GUINT64_FORMAT " queries, %" G_GUINT64_FORMAT
		       " ms)\n",
		       where, k, r->reason, r->paths, r->queries, r->time_ms);
	}
}

int cli_xcheck_prog(const struct cli_xcheck_args *a, const char *object, const struct bpfs_prog *p,
		    const struct bpfs_verifier_opts *o, const struct bpfs_verdict *v, void *json_builder)
{
	g_autofree char *label = cli_prog_label(p);
	g_autofree char *where = p->section && *p->section ? g_strdup_printf("%s: %s", object, label)
							   : g_strdup(object);
	g_autofree char *wpath = NULL;
	struct bpfs_xcheck_opts xo = {
		.verifier = o,
		.timeout_ms = (uint32_t)a->timeout_ms,
		.max_paths = (uint32_t)a->max_paths,
	};
	struct bpfs_xcheck_result r;
	int ret;

	ret = bpfs_xcheck(p->insns, p->insn_cnt, &xo, v, &r);
	if (ret) {
		cli_error(CMD, "%s: the cross-checker could not run: %s", where, g_strerror(-ret));
		return EXIT_USAGE;
	}
	if (r.witness)
		wpath = write_witness(a->witness_dir ? a->witness_dir : ".", r.witness, object, label, o);
	if (json_builder)
		add_json(json_builder, object, label, v, &r, wpath);
	else
		print_text(where, &r, wpath);
	ret = r.kind == BPFS_XCHECK_UNSOUND || r.kind == BPFS_XCHECK_FALSE_ALARM ? EXIT_VERDICT : EXIT_OK;
	bpfs_xcheck_result_release(&r);
	return ret;
}

void cli_xcheck_entries(struct cli_xcheck_args *a, GArray *entries)
{
	const GOptionEntry own[] = {
		{ "witness-dir", 0, 0, G_OPTION_ARG_FILENAME, &a->witness_dir,
		  "Write witnesses (JSON) into DIR (default: the current directory)", "DIR" },
		{ "timeout-ms", 0, 0, G_OPTION_ARG_INT, &a->timeout_ms, "Time per program (default 10000)", "N" },
		{ "max-paths", 0, 0, G_OPTION_ARG_INT, &a->max_paths, "Paths per program (default 1000)", "N" },
	};

	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
}

bool cli_xcheck_check_args(const char *cmd, const struct cli_xcheck_args *a)
{
	if (a->timeout_ms < 0 || a->max_paths < 0) {
		cli_error(cmd, "--timeout-ms and --max-paths take positive numbers");
		return false;
	}
	if (!bpfs_xcheck_available()) {
		cli_error(cmd, "bpfscope was built without Z3: the cross-checker is not available");
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* The operator audit                                                     */

static void print_cex(const char *line, void *data)
{
	(void)data;
	printf("counterexample: %s\n", line);
}

static int run_ops(gint64 samples, const char *seed_s)
{
	struct bpfs_xcheck_ops_opts o = { .samples = (uint32_t)samples, .report = print_cex };
	struct bpfs_xcheck_op_stat *st = NULL;
	uint64_t total = 0, inst = 0, unk = 0;
	size_t n = 0;
	int ret;

	if (samples < 0 || samples > 10000000) {
		cli_error(CMD, "--samples takes a count from 1 to 10000000");
		return EXIT_USAGE;
	}
	if (seed_s) {
		char *end;

		o.seed = g_ascii_strtoull(seed_s, &end, 0);
		if (!*seed_s || *end) {
			cli_error(CMD, "--seed '%s' is not a number", seed_s);
			return EXIT_USAGE;
		}
	} else {
		o.seed = 1;
	}
	ret = bpfs_xcheck_ops(&o, &st, &n);
	if (ret) {
		cli_error(CMD, "the operator audit could not run: %s", g_strerror(-ret));
		return EXIT_USAGE;
	}
	printf("%-22s %10s %10s %8s %8s  %s\n", "OPERATOR", "INSTANCES", "TIME_MS", "CEX", "UNKNOWN", "PROOF");
	for (size_t i = 0; i < n; i++) {
		printf("%-22s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
		       "  %s\n",
		       st[i].name, st[i].instances, st[i].time_us / 1000, st[i].counterexamples, st[i].unknown,
		       st[i].proven > 0 ? "sound for all 64-bit inputs" : st[i].proven < 0 ? "REFUTED" : "-");
		total += st[i].counterexamples;
		inst += st[i].instances;
		unk += st[i].unknown;
	}
	printf("%zu operators, %" G_GUINT64_FORMAT " instances, %" G_GUINT64_FORMAT " counterexamples, %" G_GUINT64_FORMAT
	       " undecided\n",
	       n, inst, total, unk);
	free(st);
	return total ? EXIT_VERDICT : EXIT_OK;
}

/* ---------------------------------------------------------------------- */

struct xcheck_main_args {
	struct cli_verifier_args v;
	struct cli_xcheck_args x;
	gboolean json, ops;
	gint64 samples;
	char *seed, *kernel_verdicts;
};

/* The program's type in the verdict table, whose objects are named from
 * the corpus's root: the path as given, else its shorter suffixes */
static int kernel_type(struct bpfs_kernel_verdicts *kv, const char *path, const struct bpfs_prog *p)
{
	for (const char *s = path; s; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL) {
		int type = bpfs_kernel_verdicts_type(s, p, kv);

		if (type >= 0)
			return type;
	}
	return -1;
}

static int xcheck_target(const char *spec, struct xcheck_main_args *a, struct bpfs_verifier_opts *o,
			 struct bpfs_kernel_verdicts *kv, JsonBuilder *json)
{
	struct cli_target t;
	int ret = EXIT_OK;

	if (!cli_open(CMD, spec, a->v.type, &t))
		return EXIT_USAGE;
	if (!cli_verifier_target(CMD, &a->v, &t, o)) {
		cli_target_release(&t);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < t.nprogs; i++) {
		struct bpfs_prog *p = t.progs[i];
		const char *load_err = bpfs_prog_load_error(t.obj, p);
		struct bpfs_verdict v = { 0 };
		int r;

		if (load_err) {
			cli_error(CMD, "%s: %s", t.path, load_err);
			ret = EXIT_USAGE;
			continue;
		}
		if (kv && !a->v.type) {
			int type = kernel_type(kv, t.path, p);

			if (type >= 0)
				p->type = (uint32_t)type;
		}
		cli_verifier_prog(o, p);
		if (bpfs_verify(p->insns, p->insn_cnt, o, &v)) {
			cli_error(CMD, "%s: the verifier could not run", t.path);
			ret = EXIT_USAGE;
			continue;
		}
		r = cli_xcheck_prog(&a->x, t.path, p, o, &v, json);
		bpfs_verdict_release(&v);
		if (r > ret)
			ret = r;
	}
	cli_target_release(&t);
	if (a->v.decls) { /* the next FILE declares its own */
		cli_map_decls_release(a->v.decls);
		g_array_free(a->v.decls, TRUE);
		a->v.decls = NULL;
	}
	return ret;
}

int cmd_xcheck(int argc, char **argv)
{
	struct xcheck_main_args a = { 0 };
	const GOptionEntry own[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &a.json, "Print one JSON array with an object per program", NULL },
		{ "kernel-verdicts", 'k', 0, G_OPTION_ARG_FILENAME, &a.kernel_verdicts,
		  "Take each program's type from a verdict table (as bpfscope corpus does)", "TSV" },
		{ "ops", 0, 0, G_OPTION_ARG_NONE, &a.ops, "Audit the verifier's abstract operators instead", NULL },
		{ "samples", 0, 0, G_OPTION_ARG_INT64, &a.samples, "--ops: abstract inputs per operator (default 200)",
		  "N" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "--ops: seed of the samples", "S" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(GOptionEntry));
	g_autoptr(JsonBuilder) json = NULL;
	struct bpfs_kernel_verdicts *kv = NULL;
	struct bpfs_verifier_opts o = { 0 };
	int ret = EXIT_USAGE;

	cli_verifier_entries(&a.v, entries);
	cli_xcheck_entries(&a.x, entries);
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	if (!cli_parse(CMD, "FILE[:SECTION]... | --ops",
		       "cross-check the verifier's verdicts with the Z3 solver, or audit its abstract operators",
		       (GOptionEntry *)(void *)entries->data, &argc, &argv))
		goto out;
	if (!cli_xcheck_check_args(CMD, &a.x))
		goto out;
	if (a.ops) {
		ret = argc == 1 ? run_ops(a.samples, a.seed) : EXIT_USAGE;
		if (argc != 1)
			cli_error(CMD, "--ops takes no FILE");
		goto out;
	}
	if (argc < 2) {
		cli_error(CMD, "expected at least one FILE[:SECTION] (see bpfscope xcheck --help)");
		goto out;
	}
	if (!cli_verifier_opts(CMD, &a.v, &o))
		goto out;
	if (a.kernel_verdicts) {
		struct bpfs_err err;

		bpfs_err_clear(&err);
		if (bpfs_kernel_verdicts_load(a.kernel_verdicts, &kv, &err)) {
			cli_error(CMD, "%s", err.msg);
			goto out;
		}
	}
	if (!o.insn_limit)
		o.insn_limit = 1000000;
	if (a.json) {
		json = json_builder_new();
		json_builder_begin_array(json);
	}
	ret = EXIT_OK;
	for (int i = 1; i < argc; i++) {
		int r = xcheck_target(argv[i], &a, &o, kv, json);

		if (r > ret)
			ret = r;
	}
	if (json) {
		g_autoptr(JsonGenerator) gen = json_generator_new();
		g_autoptr(JsonNode) root = NULL;
		g_autofree char *text = NULL;

		json_builder_end_array(json);
		root = json_builder_get_root(json);
		json_generator_set_root(gen, root);
		json_generator_set_pretty(gen, TRUE);
		text = json_generator_to_data(gen, NULL);
		puts(text);
	}
out:
	bpfs_kernel_verdicts_free(kv);
	cli_verifier_args_release(&a.v);
	g_free(a.x.witness_dir);
	g_free(a.seed);
	g_free(a.kernel_verdicts);
	return ret;
}
