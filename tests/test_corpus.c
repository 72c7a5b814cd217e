/* SPDX-License-Identifier: MIT */
/*
 * Batch verification: the `bpfscope corpus` command on the bundled
 * examples (rows, formats, summary, exit status), and agreement with the
 * running kernel's verdicts on the real-world corpus of the development
 * data set (kernel-verdicts.tsv: one row per program, loaded by the kernel
 * as root with the program type given there).
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "corpus.h"
#include "testutil.h"

/* The issue asks for 95%; this holds what has been reached. Raise it as
 * the verifier improves, never lower it. */
#define MIN_AGREEMENT 0.97

static bool have_examples(void)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "maps_demo.o", NULL);
	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return true;
	g_test_skip("the C examples were not built (clang -target bpf is missing)");
	return false;
}

static void test_cli_csv(void)
{
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL;
	g_auto(GStrv) lines = NULL;

	if (!have_examples())
		return;
	cmd = g_strdup_printf("%s corpus --format csv %s", tu_cli(), g_getenv("BPFS_EXAMPLES_DIR"));
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	lines = g_strsplit(out, "\r\n", -1);
	g_assert_cmpstr(lines[0], ==,
			"object,section,function,prog_type,insns,verdict,error,processed_insns,total_states,"
			"peak_states,max_states_per_insn,duration_us");
	g_assert_nonnull(strstr(out, "xdp_filter.o,xdp,xdp_filter,xdp,"));
	g_assert_nonnull(strstr(out, "maps_demo.o,socket,count_proto,socket_filter,23,accept,"));
	/* The summary goes to stderr beside CSV on stdout; no progress bar
	 * when stderr is not a terminal. */
	g_assert_nonnull(strstr(err, "summary: "));
	g_assert_null(strstr(err, "programs\r"));
}

static void test_cli_json(void)
{
	g_autofree char *cmd = NULL, *out = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonObject *root, *total;
	JsonArray *progs;

	if (!have_examples())
		return;
	cmd = g_strdup_printf("%s corpus -j 1 --format json %s", tu_cli(), g_getenv("BPFS_EXAMPLES_DIR"));
	g_assert_cmpint(tu_run(cmd, &out, NULL), ==, 0);
	g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
	root = json_node_get_object(json_parser_get_root(parser));
	progs = json_object_get_array_member(root, "programs");
	g_assert_cmpuint(json_array_get_length(progs), >=, 6);
	total = json_object_get_object_member(json_object_get_object_member(root, "summary"), "total");
	g_assert_cmpint(json_object_get_int_member(total, "accept") + json_object_get_int_member(total, "reject") +
				json_object_get_int_member(total, "error"),
			==, json_array_get_length(progs));
}

static void test_cli_errors(void)
{
	g_autofree char *cmd = g_strdup_printf("%s corpus /nonexistent", tu_cli());
	g_autofree char *cmd2 = g_strdup_printf("%s corpus --format xml .", tu_cli());
	g_autofree char *err = NULL, *err2 = NULL;

	g_assert_cmpint(tu_run(cmd, NULL, &err), ==, 2);
	g_assert_nonnull(strstr(err, "/nonexistent"));
	g_assert_cmpint(tu_run(cmd2, NULL, &err2), ==, 2);
	g_assert_nonnull(strstr(err2, "unknown format 'xml'"));
}

struct kernel_row {
	char *verdict; /* accept, reject, load_error */
	char *error;
	char *prog_type;
	guint64 processed;
};

static void kernel_row_free(gpointer p)
{
	struct kernel_row *r = p;
	g_free(r->verdict);
	g_free(r->error);
	g_free(r->prog_type);
	g_free(r);
}

/* "object\tsection\tfunction" -> row */
static GHashTable *read_tsv(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kernel_row_free);

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines + 1; *l && **l; l++) {
		g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
		struct kernel_row *r;

		if (g_strv_length(f) < 8)
			continue;
		r = g_new0(struct kernel_row, 1);
		r->verdict = g_strdup(f[3]);
		r->processed = g_ascii_strtoull(f[4], NULL, 10);
		r->error = g_strdup(f[5]);
		r->prog_type = g_strdup(f[7]);
		g_hash_table_insert(t, g_strdup_printf("%s\t%s\t%s", f[0], f[1], f[6]), r);
	}
	return t;
}

static int tsv_type(const char *object, const struct bpfs_prog *p, void *data)
{
	g_autofree char *key = g_strdup_printf("%s\t%s\t%s", object, p->section, p->name);
	struct kernel_row *k = g_hash_table_lookup(data, key);

	return k ? bpfs_prog_type_parse(k->prog_type) : -1;
}

/* Verifies every program of the corpus as the kernel was asked to (the
 * tsv's program type), in parallel, and compares verdicts where the kernel
 * reached one. */
static void test_kernel_agreement(void)
{
	g_autofree char *dir = tu_shared_path_or_skip("corpus/ebpf-samples");
	g_autofree char *tsv = tu_shared_path_or_skip("corpus/kernel-verdicts.tsv");
	g_autoptr(GHashTable) kernel = NULL;
	g_autoptr(GString) report = g_string_new(NULL);
	struct bpfs_corpus_opts opts = { .prog_type = -1, .prog_type_fn = tsv_type };
	struct bpfs_corpus_result res = { 0 };
	const char *paths[1];
	guint compared = 0, agree = 0;

	if (!dir || !tsv)
		return;
	kernel = read_tsv(tsv);
	paths[0] = dir;
	opts.prog_type_data = kernel;
	g_assert_cmpint(bpfs_corpus_verify(paths, 1, &opts, &res, NULL), ==, 0);
	for (size_t i = 0; i < res.nrows; i++) {
		const struct bpfs_corpus_row *r = &res.rows[i];
		g_autofree char *key = g_strdup_printf("%s\t%s\t%s", r->object, r->section, r->function);
		struct kernel_row *k = g_hash_table_lookup(kernel, key);
		const char *ours = bpfs_corpus_verdict_name(r->verdict);

		if (!k || (strcmp(k->verdict, "accept") && strcmp(k->verdict, "reject")))
			continue;
		compared++;
		if (!strcmp(ours, k->verdict))
			agree++;
		else
			g_string_append_printf(report, "%s %s/%s: kernel %s (%s), bpfscope %s (%s)\n", r->object,
					       r->section, r->function, k->verdict, k->error, ours, r->error);
	}
	bpfs_corpus_result_release(&res);
	g_test_message("agreement with the kernel: %u of %u programs (%.1f%%)\n%s", agree, compared,
		       compared ? 100.0 * agree / compared : 0.0, report->str);
	g_assert_cmpuint(compared, >, 500);
	g_assert_cmpfloat((double)agree / compared, >=, MIN_AGREEMENT);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/corpus/cli/csv", test_cli_csv);
	g_test_add_func("/corpus/cli/json", test_cli_json);
	g_test_add_func("/corpus/cli/errors", test_cli_errors);
	g_test_add_func("/corpus/kernel-agreement", test_kernel_agreement);
	return g_test_run();
}
