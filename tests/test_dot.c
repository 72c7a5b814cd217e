/* SPDX-License-Identifier: MIT */
/*
 * bpfscope dot: golden DOT files for the bundled examples in every view,
 * each read back with cgraph to check that its nodes carry every
 * instruction exactly once (with the text `disasm` prints) and that its
 * edges are the CFG's; rendered formats checked by their headers; errors
 * exit 2 with a message.
 *
 * Golden files live in tests/golden/dot/; BPFS_UPDATE_GOLDEN=1 rewrites
 * them from the current output (then review the diff).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <graphviz/cgraph.h>
#include <stdbool.h>
#include <string.h>

#include "corpus.h"
#include "reports.h"
#include "testutil.h"

struct dot_case {
	const char *golden; /* tests/golden/dot/<golden>.dot */
	const char *file;   /* in the examples folder */
	const char *section;
	const char *args;   /* view options */
	bool needs_clang;
};

static const struct dot_case cases[] = {
	{"ipv4_only", "ipv4_only.s", NULL, "", false},
	{"dead_code", "dead_code.s", NULL, "", false},
	{"spin", "spin.s", NULL, "", false},
	{"stack_sum", "stack_sum.s", NULL, "", false},
	{"loop", "loop.o", NULL, "", true},
	{"tc_subprog", "tc_subprog.o", NULL, "", true},
	{"xdp_filter", "xdp_filter.o", NULL, "", true},
	{"kprobe_trace", "kprobe_trace.o", NULL, "", true},
	{"maps_demo_socket", "maps_demo.o", "socket", "", true},
	{"maps_demo_xdp", "maps_demo.o", "xdp", "", true},
	{"states_xdp_filter", "xdp_filter.o", NULL, "--states", true},
	{"states_stack_sum", "stack_sum.s", NULL, "--states", false},
	{"states_loop_max2", "loop.o", NULL, "--states --max-states 2", true},
	{"path_missing_null_check", "missing_null_check.s", NULL, "--path --map hash:4:8:16", false},
	{"path_accepted", "ipv4_only.s", NULL, "--path", false},
	{"path_unreachable", "dead_code.s", NULL, "--path", false},
	{"heat_loop", "loop.o", NULL, "--heat", true},
	{"heat_spin", "spin.s", NULL, "--heat --insn-limit 1000", false},
	{"heat_exec_loop", "loop.o", NULL, "--heat --run", true},
	{"heat_exec_ipv4_only", "ipv4_only.s", NULL, "--heat --run --inputs 3", false},
	{"search_loop", "loop.o", NULL, "--search", true},
	{"search_xdp_filter", "xdp_filter.o", NULL, "--search", true},
	{"search_missing_null_check", "missing_null_check.s", NULL, "--search --map hash:4:8:16", false},
};

static bool have(const struct dot_case *c)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), c->file, NULL);

	return g_file_test(p, G_FILE_TEST_EXISTS);
}

static char *target(const struct dot_case *c)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), c->file, NULL);

	return c->section ? g_strdup_printf("%s:%s", p, c->section) : g_strdup(p);
}

/* The text between the tags: "&lt;" and friends decoded. */
static char *unescape(const char *s, size_t n)
{
	GString *o = g_string_new(NULL);
	static const char *const ents[][2] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""}};

	for (size_t i = 0; i < n;) {
		bool done = false;

		for (size_t k = 0; k < G_N_ELEMENTS(ents) && !done; k++) {
			size_t l = strlen(ents[k][0]);

			if (i + l <= n && !strncmp(s + i, ents[k][0], l)) {
				g_string_append(o, ents[k][1]);
				i += l;
				done = true;
			}
		}
		if (!done)
			g_string_append_c(o, s[i++]);
	}
	return g_string_free(o, FALSE);
}

/* Every instruction row of every node: index -> its text, each once. */
static void check_rows(Agraph_t *g, const struct bpfs_prog *p, GHashTable *block_of_node)
{
	g_autoptr(GRegex) re = g_regex_new("<TD ALIGN=\"RIGHT\"[^>]*>(?:&#8226; )?(\\d+)</TD><TD ALIGN=\"LEFT\"[^>]*>"
					    "([^<]*)</TD>",
					    0, 0, NULL);
	g_autofree bool *seen = g_new0(bool, p->insn_cnt);
	size_t rows = 0, expected = 0;

	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *label = agget(n, "label");
		g_autoptr(GMatchInfo) mi = NULL;

		if (!label || strncmp(agnameof(n), "b", 1))
			continue;
		g_hash_table_insert(block_of_node, agnameof(n), GUINT_TO_POINTER(atoi(agnameof(n) + 1)));
		g_regex_match(re, label, 0, &mi);
		while (g_match_info_matches(mi)) {
			g_autofree char *idx = g_match_info_fetch(mi, 1);
			gint s, e;
			guint i = (guint)atoi(idx);
			char text[256], want[300];
			g_autofree char *got = NULL;

			g_assert_true(g_match_info_fetch_pos(mi, 2, &s, &e));
			got = unescape(label + s, (size_t)(e - s));
			g_assert_cmpuint(i, <, p->insn_cnt);
			g_assert_false(seen[i]);
			seen[i] = true;
			rows++;
			g_assert_cmpint(bpfs_disasm_insn(p->insns, p->insn_cnt, i, BPFS_SYNTAX_KERNEL, text, sizeof(text)),
					>, 0);
			snprintf(want, sizeof(want), "(%02x) %s", p->insns[i].code, text);
			g_assert_cmpstr(got, ==, want);
			g_match_info_next(mi, NULL);
		}
	}
	for (size_t i = 0; i < p->insn_cnt; i++) {
		expected++;
		if (bpfs_insn_is_ldimm64(&p->insns[i]))
			i++;
	}
	g_assert_cmpuint(rows, ==, expected);
}

/* The graph's block-to-block and block-to-exit edges are the CFG's. */
static void check_edges(Agraph_t *g, const struct bpfs_cfg *cfg, GHashTable *block_of_node)
{
	g_autoptr(GHashTable) want = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t got = 0;

	for (uint32_t e = 0; e < cfg->nedges; e++) {
		const struct bpfs_edge *ed = &cfg->edges[e];
		char *key = ed->to == cfg->exit_block
				? g_strdup_printf("b%u->exit_%u", ed->from, cfg->blocks[ed->from].subprog)
				: g_strdup_printf("b%u->b%u", ed->from, ed->to);
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(want, key));

		g_hash_table_replace(want, key, GUINT_TO_POINTER(n + 1));
	}
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
			const char *kind = agget(e, "kind");
			g_autofree char *key = NULL;
			guint left;

			g_assert_nonnull(kind);
			if (!strcmp(kind, "entry") || !strcmp(kind, "tail_call"))
				continue;
			g_assert_true(g_hash_table_contains(block_of_node, agnameof(agtail(e))));
			key = g_strdup_printf("%s->%s", agnameof(agtail(e)), agnameof(aghead(e)));
			left = GPOINTER_TO_UINT(g_hash_table_lookup(want, key));
			if (!left)
				g_test_message("edge %s is not in the CFG", key);
			g_assert_cmpuint(left, >, 0);
			g_hash_table_replace(want, g_strdup(key), GUINT_TO_POINTER(left - 1));
			got++;
		}
	}
	g_assert_cmpuint(got, ==, cfg->nedges);
}

/* A search graph: one root, every other node with exactly one edge from
 * its parent; pruned leaves point at a stored checkpoint; at most one
 * failing leaf, red. */
static void check_search(const char *dot)
{
	Agraph_t *g = agmemread(dot);
	size_t failed = 0;

	g_assert_nonnull(g);
	g_assert_nonnull(agnode(g, "root", 0));
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
		const char *kind = agget(n, "kind");
		size_t parents = 0, covered = 0;

		for (Agedge_t *e = agfstin(g, n); e; e = agnxtin(g, e))
			parents += !strcmp(agget(e, "kind"), "child");
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
			if (!strcmp(agget(e, "kind"), "covered_by")) {
				covered++;
				g_assert_cmpstr(agget(aghead(e), "kind"), ==, "stored");
			}
		if (!strcmp(agnameof(n), "root")) {
			g_assert_cmpuint(parents, ==, 0);
			continue;
		}
		g_assert_cmpuint(parents, ==, 1);
		g_assert_cmpuint(covered, ==, !strcmp(kind, "pruned") ? 1 : 0);
		if (!strcmp(kind, "failed")) {
			failed++;
			g_assert_cmpstr(agget(n, "color"), ==, "red");
		}
	}
	g_assert_cmpuint(failed, <=, 1);
	agclose(g);
}

static void read_back(const char *dot, const struct dot_case *c)
{
	g_autofree char *spec = target(c);
	g_autoptr(GHashTable) blocks = g_hash_table_new(g_str_hash, g_str_equal);
	struct bpfs_object *obj = NULL;
	struct bpfs_cfg *cfg = NULL;
	const struct bpfs_prog *p;
	struct bpfs_err err;
	Agraph_t *g = agmemread(dot);
	g_autofree char *path = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), c->file, NULL);

	g_assert_nonnull(g);
	g_assert_cmpint(bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err), ==, 0);
	p = c->section ? bpfs_object_find_prog(obj, c->section, &err) : &obj->progs[0];
	g_assert_nonnull(p);
	g_assert_cmpint(bpfs_cfg_build(p->insns, p->insn_cnt, &cfg, &err), ==, 0);
	check_rows(g, p, blocks);
	check_edges(g, cfg, blocks);
	bpfs_cfg_free(cfg);
	bpfs_object_free(obj);
	agclose(g);
}

static void test_golden(gconstpointer data)
{
	const struct dot_case *c = data;
	g_autofree char *spec = NULL, *cmd = NULL, *out = NULL, *err = NULL, *want = NULL;
	g_autofree char *golden = g_strdup_printf("%s/tests/golden/dot/%s.dot", g_getenv("BPFS_SOURCE_DIR"), c->golden);

	if (c->needs_clang && !have(c)) {
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
		return;
	}
	spec = target(c);
	cmd = g_strdup_printf("%s dot %s %s", tu_cli(), c->args, spec);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_cmpstr(err, ==, "");
	if (g_getenv("BPFS_UPDATE_GOLDEN"))
		g_assert_true(g_file_set_contents(golden, out, -1, NULL));
	g_assert_true(g_file_get_contents(golden, &want, NULL, NULL));
	g_assert_cmpstr(out, ==, want);
	if (strstr(c->args, "--search"))
		check_search(out);
	else
		read_back(out, c);
}

struct render_case {
	const char *ext;
	const char *magic;
	size_t magic_len;
};

static const struct render_case renders[] = {
	{"svg", "<?xml", 5}, {"png", "\x89PNG\r\n\x1a\n", 8}, {"pdf", "%PDF-", 5}, {"json", "{", 1}, {"dot", "digraph", 7},
};

/* Every format, from the extension and from -T, by its header and size. */
static void test_render(gconstpointer data)
{
	const struct render_case *r = data;
	g_autofree char *dir = g_dir_make_tmp("dot-XXXXXX", NULL);
	g_autofree char *file = g_strdup_printf("%s/cfg.%s", dir, r->ext);
	g_autofree char *other = g_strdup_printf("%s/cfg.out", dir);
	g_autofree char *src = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "ipv4_only.s", NULL);
	const char *outs[] = {file, other};

	for (int k = 0; k < 2; k++) {
		g_autofree char *cmd = k ? g_strdup_printf("%s dot -T %s -o %s %s", tu_cli(), r->ext, other, src)
					 : g_strdup_printf("%s dot -o %s %s", tu_cli(), file, src);
		g_autofree char *out = NULL, *err = NULL, *data = NULL;
		gsize len;

		g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
		g_assert_true(g_file_get_contents(outs[k], &data, &len, NULL));
		g_assert_cmpuint(len, >, 200);
		g_assert_cmpint(memcmp(data, r->magic, r->magic_len), ==, 0);
		g_unlink(outs[k]);
	}
	g_rmdir(dir);
}

struct err_case {
	const char *name, *args, *stderr_has;
};

static const struct err_case errors[] = {
	{"no-file", "dot /nonexistent.s", "/nonexistent.s"},
	{"bad-format", "dot -T gif {EX}/ipv4_only.s", "-T 'gif': not a format"},
	{"bad-extension", "dot -o /tmp/x.gif {EX}/ipv4_only.s", "the extension names no format"},
	{"binary-to-stdout", "dot -T png {EX}/ipv4_only.s", "give -o FILE"},
	{"unwritable", "dot -o /nonexistent/dir/x.svg {EX}/ipv4_only.s", "cannot write /nonexistent/dir/x.svg"},
	{"not-a-program", "dot {SRC}/README.md", "not an eBPF program"},
	{"bad-insn", "dot {SRC}/tests/data/bad-opcode.bin", "unknown opcode"},
	{"no-args", "dot", "expected one FILE"},
};

static void test_error(gconstpointer data)
{
	const struct err_case *c = data;
	g_autoptr(GString) args = g_string_new(c->args);
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL;

	g_string_replace(args, "{EX}", g_getenv("BPFS_EXAMPLES_DIR"), 0);
	g_string_replace(args, "{SRC}", g_getenv("BPFS_SOURCE_DIR"), 0);
	cmd = g_strdup_printf("%s %s", tu_cli(), args->str);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 2);
	if (!strstr(err, c->stderr_has))
		g_test_message("stderr: %s", err);
	g_assert_nonnull(strstr(err, c->stderr_has));
	g_assert_cmpstr(out, ==, "");
}

struct slowest {
	gint64 us;
	char *what;
};

/* Every view of one program, from one traced verification, into /dev/null. */
static void draw_all(const struct bpfs_object *obj, const struct bpfs_prog *p, const char *label, FILE *sink,
		     struct slowest *slow)
{
	struct bpfs_trace_record rec;
	struct bpfs_verifier_trace tr = {.event = bpfs_trace_record_event, .data = &rec, .want_states = true};
	struct bpfs_verifier_opts o = {.prog_type = p->type, .maps = obj->maps, .map_cnt = obj->map_cnt,
				       .license = obj->license, .kern_version = obj->kern_version, .trace = &tr};
	struct bpfs_cfg *cfg = NULL;
	struct bpfs_verdict v;
	struct bpfs_err err;
	gint64 t0 = g_get_monotonic_time();

	if (bpfs_insns_validate(p->insns, p->insn_cnt, &err) || bpfs_cfg_build(p->insns, p->insn_cnt, &cfg, &err))
		return; /* does not load: nothing to draw */
	g_assert_cmpint(bpfs_trace_record_init(&rec, p->insns, p->insn_cnt, 4, true), ==, 0);
	g_assert_cmpint(bpfs_verify(p->insns, p->insn_cnt, &o, &v), ==, 0);
	bpfs_trace_record_finish(&rec);
	{
		struct bpfs_dot_prog dp = {label, p->insns, p->insn_cnt, cfg, p->funcs, p->nfuncs, p->line_info,
					   p->nline_info};
		struct bpfs_dot_view states = {.insns = rec.insns, .states = true, .fail_insn = -1};
		struct bpfs_dot_view heat = {.insns = rec.insns, .heat = true, .fail_insn = -1};
		struct bpfs_dot_view path = {.insns = rec.insns, .show_path = true, .path = rec.fail_path,
					     .path_len = rec.fail_path_len, .fail_insn = rec.failed ? (int64_t)rec.fail_insn : -1,
					     .fail_msg = rec.fail_msg};
		struct bpfs_dot_search search = {label, &rec, NULL};

		g_assert_cmpint(bpfs_report_dot(&dp, NULL, BPFS_DOT_FMT_DOT, sink, &err), ==, 0);
		g_assert_cmpint(bpfs_report_dot(&dp, &states, BPFS_DOT_FMT_DOT, sink, &err), ==, 0);
		g_assert_cmpint(bpfs_report_dot(&dp, &heat, BPFS_DOT_FMT_DOT, sink, &err), ==, 0);
		g_assert_cmpint(bpfs_report_dot(&dp, &path, BPFS_DOT_FMT_DOT, sink, &err), ==, 0);
		g_assert_cmpint(bpfs_report_dot_search(&search, BPFS_DOT_FMT_DOT, sink, &err), ==, 0);
	}
	if (g_get_monotonic_time() - t0 > slow->us) {
		slow->us = g_get_monotonic_time() - t0;
		g_free(slow->what);
		slow->what = g_strdup_printf("%s (%zu insns, %" G_GUINT64_FORMAT " processed)", label, p->insn_cnt,
					     v.stats.processed_insns);
	}
	bpfs_verdict_release(&v);
	bpfs_trace_record_release(&rec);
	bpfs_cfg_free(cfg);
}

/* Every program of the corpora that loads draws in every view. */
static void test_corpus(gconstpointer data)
{
	g_autofree char *dir = tu_shared_path_or_skip(data);
	struct slowest slow = {0};
	char **files = NULL;
	size_t nfiles = 0, progs = 0;
	FILE *sink;

	if (!dir)
		return;
	sink = fopen("/dev/null", "w");
	g_assert_nonnull(sink);
	g_assert_cmpint(bpfs_corpus_find((const char *const *)&dir, 1, &files, &nfiles, NULL), ==, 0);
	for (size_t f = 0; f < nfiles; f++) {
		struct bpfs_object *obj;

		if (bpfs_object_open(files[f], BPFS_FORMAT_AUTO, &obj, NULL))
			continue;
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			g_autofree char *label = g_strdup_printf("%s:%s", files[f] + strlen(dir) + 1, obj->progs[i].section);

			if (bpfs_prog_load_error(obj, &obj->progs[i]))
				continue;
			draw_all(obj, &obj->progs[i], label, sink, &slow);
			progs++;
		}
		bpfs_object_free(obj);
	}
	fclose(sink);
	bpfs_corpus_files_free(files);
	g_assert_cmpuint(progs, >, 100);
	g_test_message("%zu programs drawn in 5 views; slowest: %s, %.3f s", progs, slow.what ? slow.what : "-",
		       (double)slow.us / 1e6);
	g_free(slow.what);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/dot/golden/%s", cases[i].golden);

		g_test_add_data_func(path, &cases[i], test_golden);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(renders); i++) {
		g_autofree char *path = g_strdup_printf("/dot/render/%s", renders[i].ext);

		g_test_add_data_func(path, &renders[i], test_render);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(errors); i++) {
		g_autofree char *path = g_strdup_printf("/dot/error/%s", errors[i].name);

		g_test_add_data_func(path, &errors[i], test_error);
	}
	g_test_add_data_func("/dot/corpus/ebpf-samples", "corpus/ebpf-samples", test_corpus);
	g_test_add_data_func("/dot/corpus/modern", "corpus/modern/objects", test_corpus);
	return g_test_run();
}
