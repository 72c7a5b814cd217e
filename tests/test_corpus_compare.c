/* SPDX-License-Identifier: MIT */
/*
 * Two corpus runs compared (bpfscope corpus --compare, in the manner of
 * veristat -C): the join, the _a/_b/_diff/_pct values, sorting, filters
 * and top-N on rows built in memory; CSV written and read back (quoting,
 * kernel columns, veristat's format); the command on the bundled
 * examples; and veristat's own -C reading a bpfscope table beside a
 * veristat one, with veristat built from Debian's linux-source package
 * where that works.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "testutil.h"

/* A row of a made-up run. */
static void add(GArray *rows, const char *object, const char *section, const char *function,
		enum bpfs_corpus_verdict v, uint64_t processed, uint64_t us, const char *error)
{
	struct bpfs_corpus_row r = { 0 };

	r.object = g_strdup(object);
	r.section = g_strdup(section);
	r.function = g_strdup(function);
	r.verdict = v;
	r.error = g_strdup(error);
	r.error_insn = -1;
	r.stats.processed_insns = processed;
	r.stats.total_states = processed / 10;
	r.stats.peak_states = processed / 20;
	r.duration_us = us;
	g_array_append_val(rows, r);
}

static struct bpfs_corpus_result take(GArray *rows)
{
	struct bpfs_corpus_result res = { 0 };

	res.nrows = rows->len;
	res.rows = (struct bpfs_corpus_row *)g_array_free(rows, FALSE);
	return res;
}

/* A: four programs; B: one gone, one new, one rejected now, one slower. */
static void make_runs(struct bpfs_corpus_result *a, struct bpfs_corpus_result *b)
{
	GArray *ra = g_array_new(FALSE, TRUE, sizeof(struct bpfs_corpus_row));
	GArray *rb = g_array_new(FALSE, TRUE, sizeof(struct bpfs_corpus_row));

	add(ra, "net/xdp.o", "xdp", "xdp_main", BPFS_CORPUS_ACCEPT, 100, 10, "");
	add(ra, "net/xdp.o", "tc", "tc_main", BPFS_CORPUS_ACCEPT, 200, 20, "");
	add(ra, "trace/kp.o", "kprobe/x", "kp", BPFS_CORPUS_ACCEPT, 0, 5, "");
	add(ra, "old.o", "socket", "gone", BPFS_CORPUS_REJECT, 50, 1, "R1 invalid mem access 'scalar'");
	add(rb, "net/xdp.o", "xdp", "xdp_main", BPFS_CORPUS_REJECT, 150, 10,
	    "R2 min value is outside of the allowed memory range");
	add(rb, "net/xdp.o", "tc", "tc_main", BPFS_CORPUS_ACCEPT, 100, 60, "");
	add(rb, "trace/kp.o", "kprobe/x", "kp", BPFS_CORPUS_ACCEPT, 7, 5, "");
	add(rb, "new.o", "xdp", "fresh", BPFS_CORPUS_ACCEPT, 9, 2, "");
	*a = take(ra);
	*b = take(rb);
}

static double num(const struct bpfs_compare *c, size_t row, enum bpfs_compare_stat s, enum bpfs_compare_variant v)
{
	struct bpfs_compare_value val;

	bpfs_compare_value(c, &c->rows[row], s, v, &val);
	g_assert_true(val.present);
	return val.num;
}

static void test_join(void)
{
	struct bpfs_corpus_result a, b;
	struct bpfs_compare c;
	struct bpfs_compare_value v;

	make_runs(&a, &b);
	bpfs_compare_runs(&a, &b, &c);
	g_assert_cmpuint(c.nrows, ==, 5);
	g_assert_cmpuint(c.both, ==, 3);
	g_assert_cmpuint(c.only_a, ==, 1);
	g_assert_cmpuint(c.only_b, ==, 1);
	g_assert_cmpuint(c.verdict_changed, ==, 1);
	g_assert_false(c.kernel);
	/* A's order, then B's new rows */
	g_assert_cmpstr(c.rows[3].a->function, ==, "gone");
	g_assert_null(c.rows[3].b);
	g_assert_cmpstr(c.rows[4].b->function, ==, "fresh");
	g_assert_null(c.rows[4].a);
	/* B - A, in percent of A; from zero: +100 */
	g_assert_cmpfloat(num(&c, 0, BPFS_CMP_PROCESSED, BPFS_CMP_DIFF), ==, 50);
	g_assert_cmpfloat(num(&c, 0, BPFS_CMP_PROCESSED, BPFS_CMP_PCT), ==, 50);
	g_assert_cmpfloat(num(&c, 1, BPFS_CMP_PROCESSED, BPFS_CMP_PCT), ==, -50);
	g_assert_cmpfloat(num(&c, 1, BPFS_CMP_DURATION, BPFS_CMP_DIFF), ==, 40);
	g_assert_cmpfloat(num(&c, 2, BPFS_CMP_PROCESSED, BPFS_CMP_PCT), ==, 100);
	bpfs_compare_value(&c, &c.rows[0], BPFS_CMP_VERDICT, BPFS_CMP_DIFF, &v);
	g_assert_cmpstr(v.str, ==, "mismatch");
	bpfs_compare_value(&c, &c.rows[1], BPFS_CMP_VERDICT, BPFS_CMP_DIFF, &v);
	g_assert_cmpstr(v.str, ==, "match");
	/* a side that is missing has no value, and no difference */
	bpfs_compare_value(&c, &c.rows[3], BPFS_CMP_PROCESSED, BPFS_CMP_B, &v);
	g_assert_false(v.present);
	bpfs_compare_value(&c, &c.rows[3], BPFS_CMP_PROCESSED, BPFS_CMP_DIFF, &v);
	g_assert_false(v.present);
	/* no kernel columns in either run */
	bpfs_compare_value(&c, &c.rows[0], BPFS_CMP_KERNEL_PROCESSED, BPFS_CMP_A, &v);
	g_assert_false(v.present);
	bpfs_compare_release(&c);
	bpfs_corpus_result_release(&a);
	bpfs_corpus_result_release(&b);
}

/* Filters, sort keys and top-N: each case filters (or not), sorts, and
 * names the functions left, in order. */
static const struct {
	const char *filters[3];
	const char *sort;
	size_t top;
	const char *expect; /* functions, comma-separated */
} select_cases[] = {
	{ { "verdict_a!=verdict_b" }, NULL, 0, "xdp_main,gone,fresh" },
	{ { "in==both", "verdict_a!=verdict_b" }, NULL, 0, "xdp_main" },
	{ { "in!=both" }, NULL, 0, "gone,fresh" },
	{ { "processed_insns_pct>=50" }, NULL, 0, "xdp_main,kp" },
	{ { "|processed_insns_pct| == 50" }, NULL, 0, "xdp_main,tc_main" },
	{ { "duration_us_diff > 0" }, NULL, 0, "tc_main" },
	{ { "verdict_b=reject" }, NULL, 0, "xdp_main" },
	{ { "verdict_b == 'reject'" }, NULL, 0, "xdp_main" },
	{ { "net/*" }, NULL, 0, "xdp_main,tc_main" },
	{ { "xdp.o/tc*" }, NULL, 0, "tc_main" },
	{ { "!net/*" }, NULL, 0, "kp,gone,fresh" },
	{ { "trace/*.o/k*" }, NULL, 0, "kp" },
	{ { "kp.o" }, NULL, 0, "kp" },
	{ { "net/xdp.o/*_main" }, NULL, 0, "xdp_main,tc_main" },
	{ { NULL }, "processed_insns_diff", 0, "xdp_main,kp,tc_main,gone,fresh" },
	{ { NULL }, "|processed_insns_diff|", 0, "tc_main,xdp_main,kp,gone,fresh" },
	{ { NULL }, "processed_insns_diff:asc", 0, "tc_main,kp,xdp_main,gone,fresh" },
	{ { NULL }, "function", 0, "fresh,gone,kp,tc_main,xdp_main" },
	{ { NULL }, "object:desc,function", 0, "kp,gone,fresh,tc_main,xdp_main" },
	{ { NULL }, "processed_insns", 2, "xdp_main,tc_main" },
	{ { NULL }, "processed_insns_a", 0, "tc_main,xdp_main,gone,kp,fresh" },
	{ { "in==both" }, "|duration_us_pct|", 1, "tc_main" },
};

static void test_select(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(select_cases); i++) {
		struct bpfs_corpus_result a, b;
		struct bpfs_compare c;
		struct bpfs_err err;
		GString *got = g_string_new(NULL);

		make_runs(&a, &b);
		bpfs_compare_runs(&a, &b, &c);
		for (size_t f = 0; f < G_N_ELEMENTS(select_cases[i].filters) && select_cases[i].filters[f]; f++)
			g_assert_cmpint(bpfs_compare_filter(&c, select_cases[i].filters[f], &err), ==, 0);
		if (select_cases[i].sort)
			g_assert_cmpint(bpfs_compare_sort(&c, select_cases[i].sort, &err), ==, 0);
		if (select_cases[i].top)
			bpfs_compare_top(&c, select_cases[i].top);
		for (size_t r = 0; r < c.nrows; r++)
			g_string_append_printf(got, "%s%s", r ? "," : "",
					       (c.rows[r].a ? c.rows[r].a : c.rows[r].b)->function);
		g_test_message("case %zu: filter %s, sort %s", i, select_cases[i].filters[0] ? select_cases[i].filters[0] : "-",
			       select_cases[i].sort ? select_cases[i].sort : "-");
		g_assert_cmpstr(got->str, ==, select_cases[i].expect);
		g_string_free(got, TRUE);
		bpfs_compare_release(&c);
		bpfs_corpus_result_release(&a);
		bpfs_corpus_result_release(&b);
	}
}

static void test_select_errors(void)
{
	static const char *const bad_filters[] = { "nosuch==1", "processed_insns_a>many", "verdict_pct>1" };
	static const char *const bad_sorts[] = { "nosuch", "verdict_pct", "processed_insns_a:up" };
	struct bpfs_corpus_result a, b;
	struct bpfs_compare c;
	struct bpfs_err err;

	make_runs(&a, &b);
	bpfs_compare_runs(&a, &b, &c);
	for (size_t i = 0; i < G_N_ELEMENTS(bad_filters); i++) {
		bpfs_err_clear(&err);
		g_assert_cmpint(bpfs_compare_filter(&c, bad_filters[i], &err), <, 0);
		g_assert_cmpstr(err.msg, !=, "");
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad_sorts); i++) {
		bpfs_err_clear(&err);
		g_assert_cmpint(bpfs_compare_sort(&c, bad_sorts[i], &err), <, 0);
		g_assert_nonnull(strstr(err.msg, "unknown sort key"));
	}
	g_assert_cmpuint(c.nrows, ==, 5);
	bpfs_compare_release(&c);
	bpfs_corpus_result_release(&a);
	bpfs_corpus_result_release(&b);
}

static char *write_table(const struct bpfs_corpus_result *res, enum bpfs_table_format fmt, const char *dir,
			 const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	FILE *f = fopen(path, "w");

	g_assert_nonnull(f);
	bpfs_report_corpus(f, res, fmt);
	fclose(f);
	return path;
}

static void assert_same_rows(const struct bpfs_corpus_result *x, const struct bpfs_corpus_result *y, bool kernel)
{
	g_assert_cmpuint(x->nrows, ==, y->nrows);
	for (size_t i = 0; i < x->nrows; i++) {
		const struct bpfs_corpus_row *p = &x->rows[i], *q = &y->rows[i];

		g_assert_cmpstr(p->object, ==, q->object);
		g_assert_cmpstr(p->section, ==, q->section);
		g_assert_cmpstr(p->function, ==, q->function);
		g_assert_cmpint(p->verdict, ==, q->verdict);
		g_assert_cmpstr(p->error, ==, q->error);
		g_assert_cmpuint(p->stats.processed_insns, ==, q->stats.processed_insns);
		g_assert_cmpuint(p->stats.total_states, ==, q->stats.total_states);
		g_assert_cmpuint(p->stats.peak_states, ==, q->stats.peak_states);
		g_assert_cmpuint(p->duration_us, ==, q->duration_us);
		if (kernel) {
			g_assert_cmpstr(p->kernel_verdict, ==, q->kernel_verdict);
			g_assert_cmpstr(p->kernel_error, ==, q->kernel_error);
			g_assert_cmpuint(p->kernel_processed_insns, ==, q->kernel_processed_insns);
		}
	}
}

/* CSV out and back in: messages with commas, quotes and line breaks, and
 * the kernel columns. */
static void test_csv_roundtrip(void)
{
	g_autofree char *dir = g_dir_make_tmp("bpfs-compare-XXXXXX", NULL);
	g_autofree char *path = NULL, *path2 = NULL;
	struct bpfs_corpus_result a, b, back = { 0 }, back2 = { 0 };
	struct bpfs_err err;

	make_runs(&a, &b);
	g_free(a.rows[3].error);
	a.rows[3].error = g_strdup("R1 \"invalid\", mem access\r\nsecond line");
	for (size_t i = 0; i < a.nrows; i++) {
		a.rows[i].kernel_verdict = g_strdup(i == 2 ? "" : "accept");
		a.rows[i].kernel_error = g_strdup(i == 1 ? "a, \"quoted\" message" : "");
		a.rows[i].kernel_processed_insns = 10 * i;
	}
	a.kernel = true;
	path = write_table(&a, BPFS_TABLE_CSV, dir, "a.csv");
	g_assert_cmpint(bpfs_corpus_csv_load(path, &back, &err), ==, 0);
	g_assert_true(back.kernel);
	g_assert_false(back.no_sections);
	assert_same_rows(&a, &back, true);
	/* Concatenated tables read as one: repeated headers are skipped. */
	{
		g_autofree char *text = NULL, *twice = NULL;
		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		twice = g_strconcat(text, text, NULL);
		path2 = g_build_filename(dir, "twice.csv", NULL);
		g_assert_true(g_file_set_contents(path2, twice, -1, NULL));
		g_assert_cmpint(bpfs_corpus_csv_load(path2, &back2, &err), ==, 0);
		g_assert_cmpuint(back2.nrows, ==, 2 * a.nrows);
	}
	bpfs_corpus_result_release(&a);
	bpfs_corpus_result_release(&b);
	bpfs_corpus_result_release(&back);
	bpfs_corpus_result_release(&back2);
	tu_rm_tree(dir);
}

/* veristat's CSV: names only (base name, program), success/failure. A
 * comparison with it joins on those. */
static void test_veristat_csv(void)
{
	g_autofree char *dir = g_dir_make_tmp("bpfs-compare-XXXXXX", NULL);
	g_autofree char *path = NULL, *text = NULL;
	struct bpfs_corpus_result a, b, v = { 0 };
	struct bpfs_compare c;
	struct bpfs_err err;

	make_runs(&a, &b);
	path = write_table(&b, BPFS_TABLE_VERISTAT_CSV, dir, "v.csv");
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(
		text, "file_name,prog_name,verdict,duration,total_insns,total_states,peak_states\n"
		      "xdp.o,xdp_main,failure,10,150,15,7\nxdp.o,tc_main,success,60,100,10,5\n"));
	g_assert_null(strchr(text, '\r'));
	g_assert_cmpint(bpfs_corpus_csv_load(path, &v, &err), ==, 0);
	g_assert_true(v.no_sections);
	g_assert_cmpuint(v.nrows, ==, 4);
	g_assert_cmpstr(v.rows[0].object, ==, "xdp.o");
	g_assert_cmpstr(v.rows[0].function, ==, "xdp_main");
	g_assert_cmpint(v.rows[0].verdict, ==, BPFS_CORPUS_REJECT);
	g_assert_cmpuint(v.rows[1].stats.processed_insns, ==, 100);
	bpfs_compare_runs(&a, &v, &c);
	g_assert_true(c.by_name);
	g_assert_cmpuint(c.both, ==, 3);
	g_assert_cmpuint(c.only_a, ==, 1);
	g_assert_cmpuint(c.only_b, ==, 1);
	g_assert_cmpuint(c.verdict_changed, ==, 1);
	bpfs_compare_release(&c);
	bpfs_corpus_result_release(&a);
	bpfs_corpus_result_release(&b);
	bpfs_corpus_result_release(&v);
	tu_rm_tree(dir);
}

static bool have_examples(void)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "maps_demo.o", NULL);
	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return true;
	g_test_skip("the C examples were not built (clang -target bpf is missing)");
	return false;
}

static int sh(const char *script, char **out, char **err)
{
	g_autofree char *q = g_shell_quote(script);
	g_autofree char *cmd = g_strdup_printf("/bin/sh -c %s", q);
	return tu_run(cmd, out, err);
}

/* The command on two runs of the bundled examples, B with one verdict
 * turned and one program left out. */
static void test_cli(void)
{
	g_autofree char *dir = NULL, *script = NULL, *out = NULL, *err = NULL, *csv = NULL, *json = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_auto(GStrv) lines = NULL;
	JsonObject *summary;

	if (!have_examples())
		return;
	dir = g_dir_make_tmp("bpfs-compare-XXXXXX", NULL);
	script = g_strdup_printf("cd %s && %s corpus -q -f csv -o a.csv %s >/dev/null && "
				 "sed -e '/^xdp_filter.o,/s/,accept,/,reject,/' -e '/^loop.o,/d' a.csv > b.csv",
				 dir, tu_cli(), g_getenv("BPFS_EXAMPLES_DIR"));
	g_assert_cmpint(sh(script, NULL, NULL), ==, 0);
	g_free(script);
	script = g_strdup_printf("cd %s && %s corpus --compare a.csv b.csv", dir, tu_cli());
	g_assert_cmpint(sh(script, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "Verdict (A)"));
	g_assert_nonnull(strstr(out, "MISMATCH"));
	g_assert_nonnull(strstr(out, "A only"));
	g_assert_nonnull(strstr(out, "verdict changed: 1"));
	g_free(script);
	script = g_strdup_printf("cd %s && %s corpus -C a.csv b.csv --filter 'verdict_a!=verdict_b' -f csv", dir,
				 tu_cli());
	g_assert_cmpint(sh(script, &csv, NULL), ==, 0);
	lines = g_strsplit(csv, "\r\n", -1);
	g_assert_true(g_str_has_prefix(lines[0], "object,section,function,in,verdict_a,verdict_b,verdict_diff,error_a,"
						 "error_b,error_diff,processed_insns_a,processed_insns_b,"
						 "processed_insns_diff,processed_insns_pct,"));
	g_assert_true(g_str_has_prefix(lines[1], "loop.o,tc,sum_bytes,a,accept,,,"));
	g_assert_true(g_str_has_prefix(lines[2], "xdp_filter.o,xdp,xdp_filter,both,accept,reject,mismatch,"));
	g_assert_cmpstr(lines[3], ==, "");
	g_free(script);
	script = g_strdup_printf("cd %s && %s corpus -C a.csv b.csv -s '|processed_insns_a|' -n 3 -f json", dir,
				 tu_cli());
	g_assert_cmpint(sh(script, &json, NULL), ==, 0);
	g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
	summary = json_object_get_object_member(json_node_get_object(json_parser_get_root(parser)), "summary");
	g_assert_cmpint(json_object_get_int_member(summary, "only_a"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(summary, "shown"), ==, 3);
	g_assert_cmpint(json_array_get_length(json_object_get_array_member(
				json_node_get_object(json_parser_get_root(parser)), "programs")),
			==, 3);
	/* the largest first: spin.s runs to the instruction limit */
	g_assert_nonnull(strstr(json, "\"spin.s\""));
	g_free(script);
	g_free(err);
	err = NULL;
	script = g_strdup_printf("cd %s && %s corpus -C a.csv b.csv --sort nosuch", dir, tu_cli());
	g_assert_cmpint(sh(script, NULL, &err), ==, 2);
	g_assert_nonnull(strstr(err, "unknown sort key 'nosuch'"));
	g_free(script);
	g_free(err);
	err = NULL;
	script = g_strdup_printf("cd %s && %s corpus -C a.csv", dir, tu_cli());
	g_assert_cmpint(sh(script, NULL, &err), ==, 2);
	g_assert_nonnull(strstr(err, "two CSV files"));
	tu_rm_tree(dir);
}

/* veristat from Debian's linux-source (tools/testing/selftests/bpf/
 * veristat.c), built against the system's libbpf, once per build folder. */
static char *veristat(void)
{
	const char *tarball = "/usr/src/linux-source-6.1.tar.xz";
	g_autofree char *dir = g_build_filename(g_getenv("BPFS_BUILD_DIR"), "veristat-6.1", NULL);
	char *bin = g_build_filename(dir, "veristat", NULL);
	g_autofree char *script = NULL, *err = NULL;

	if (g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE))
		return bin;
	if (!g_file_test(tarball, G_FILE_TEST_EXISTS)) {
		g_test_skip("veristat is built from Debian's linux-source-6.1 package, which is not installed "
			    "(apt-get install linux-source-6.1)");
		g_free(bin);
		return NULL;
	}
	script = g_strdup_printf(
		"set -e; mkdir -p %s; cd %s; "
		"tar -xJf %s linux-source-6.1/tools/testing/selftests/bpf/veristat.c "
		"--wildcards 'linux-source-6.1/tools/include/*'; "
		"cc -O1 -o veristat.tmp linux-source-6.1/tools/testing/selftests/bpf/veristat.c "
		"-Ilinux-source-6.1/tools/include $(pkg-config --cflags --libs libbpf libelf) -lz; "
		"mv veristat.tmp veristat",
		dir, dir, tarball);
	if (sh(script, NULL, &err) != 0) {
		g_autofree char *why = g_strdup_printf("veristat could not be built from %s: %.300s", tarball, err);
		g_test_skip(why);
		g_free(bin);
		return NULL;
	}
	return bin;
}

/* veristat -C reads a bpfscope table (veristat-csv) beside a veristat one
 * and joins every program. veristat's own run needs the kernel's bpf();
 * without it, a table in veristat's format is made by hand. */
static void test_veristat_reads_ours(void)
{
	g_autofree char *bin = NULL, *dir = NULL, *script = NULL, *out = NULL, *err = NULL;
	g_autofree char *ex = NULL;

	if (!have_examples())
		return;
	if (!(bin = veristat()))
		return;
	dir = g_dir_make_tmp("bpfs-veristat-XXXXXX", NULL);
	ex = g_strdup(g_getenv("BPFS_EXAMPLES_DIR"));
	script = g_strdup_printf(
		"cd %s && %s corpus -q -f veristat-csv -o ours.csv %s/xdp_filter.o %s/loop.o %s/maps_demo.o "
		">/dev/null && "
		"(%s -o csv %s/xdp_filter.o %s/loop.o %s/maps_demo.o > theirs.csv 2>/dev/null && "
		" [ $(wc -l < theirs.csv) -eq 5 ] || "
		" printf 'file_name,prog_name,verdict,duration,total_insns,total_states,peak_states\\n"
		"xdp_filter.o,xdp_filter,success,40,41,3,3\\nloop.o,sum_bytes,success,90,167,5,5\\n"
		"maps_demo.o,count_proto,success,30,21,1,1\\nmaps_demo.o,xdp_bytes,success,20,16,1,1\\n' > theirs.csv) && "
		"%s -C theirs.csv ours.csv -o csv",
		dir, tu_cli(), ex, ex, ex, bin, ex, ex, ex, bin);
	g_assert_cmpint(sh(script, &out, &err), ==, 0);
	g_test_message("%s", out);
	/* veristat's comparison CSV: one row per program, both sides found */
	g_assert_true(g_str_has_prefix(out, "file_name,prog_name,verdict_base,verdict_comp,verdict_diff,"));
	g_assert_nonnull(strstr(out, "loop.o,sum_bytes,success,success,MATCH,"));
	g_assert_nonnull(strstr(out, "xdp_filter.o,xdp_filter,success,success,MATCH,"));
	g_assert_nonnull(strstr(out, "maps_demo.o,count_proto,success,success,MATCH,"));
	g_assert_nonnull(strstr(out, "maps_demo.o,xdp_bytes,success,success,MATCH,"));
	/* processed instructions: bpfscope's equal the kernel's on these */
	g_assert_nonnull(strstr(out, ",167,167,+0 (+0.00%),"));
	tu_rm_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/corpus/compare/join", test_join);
	g_test_add_func("/corpus/compare/select", test_select);
	g_test_add_func("/corpus/compare/select-errors", test_select_errors);
	g_test_add_func("/corpus/compare/csv-roundtrip", test_csv_roundtrip);
	g_test_add_func("/corpus/compare/veristat-csv", test_veristat_csv);
	g_test_add_func("/corpus/compare/cli", test_cli);
	g_test_add_func("/corpus/compare/veristat", test_veristat_reads_ours);
	return g_test_run();
}
