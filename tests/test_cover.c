/* SPDX-License-Identifier: MIT */
/*
 * bpfscope cover: LCOV tracefiles of the verifier's exploration, golden
 * (with the source paths made relative to the source tree), the counts
 * that a bounded loop must give, listings for programs without source
 * lines, and genhtml and lcov reading every tracefile without a warning.
 * BPFS_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <string.h>

#include "testutil.h"

struct cover_case {
	const char *golden; /* tests/golden/lcov/<golden>.info */
	const char *args;   /* after "cover"; {EX} the examples folder */
	bool needs_clang;
};

static const struct cover_case cases[] = {
	{"loop", "{EX}/loop.o", true},
	{"xdp_filter", "{EX}/xdp_filter.o", true},
	{"maps_demo", "{EX}/maps_demo.o", true},
	{"stack_sum", "{EX}/stack_sum.s", false},
	{"missing_null_check", "{EX}/missing_null_check.s --map hash:4:8:16", false},
	{"loop_exec", "--run {EX}/loop.o", true},
	{"xdp_filter_both", "--verifier --run --inputs 4 --seed 7 {EX}/xdp_filter.o", true},
	{"ipv4_only_exec", "--run {EX}/ipv4_only.s", false},
};

static char *expand(const char *args)
{
	g_autoptr(GString) s = g_string_new(args);

	g_string_replace(s, "{EX}", g_getenv("BPFS_EXAMPLES_DIR"), 0);
	return g_strdup(s->str);
}

static bool have_clang_examples(void)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "loop.o", NULL);

	return g_file_test(p, G_FILE_TEST_EXISTS);
}

/* SF: paths relative to the source tree or the output folder, so that
 * golden files hold on every checkout. */
static char *normalise(const char *info, const char *dir)
{
	g_autoptr(GString) s = g_string_new(info);
	g_autofree char *src = g_strdup_printf("SF:%s/", g_getenv("BPFS_SOURCE_DIR"));
	g_autofree char *out = g_strdup_printf("SF:%s/", dir);

	g_string_replace(s, src, "SF:", 0);
	g_string_replace(s, out, "SF:", 0);
	return g_strdup(s->str);
}

static bool tool(const char *name)
{
	g_autofree char *p = g_find_program_in_path(name);

	return p != NULL;
}

static void test_golden(gconstpointer data)
{
	const struct cover_case *c = data;
	g_autofree char *dir = g_dir_make_tmp("cover-XXXXXX", NULL), *info = g_build_filename(dir, "out.info", NULL);
	g_autofree char *args = expand(c->args), *cmd = NULL, *out = NULL, *err = NULL, *text = NULL, *got = NULL;
	g_autofree char *want = NULL;
	g_autofree char *golden = g_strdup_printf("%s/tests/golden/lcov/%s.info", g_getenv("BPFS_SOURCE_DIR"), c->golden);

	if (c->needs_clang && !have_clang_examples()) {
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
		tu_rm_tree(dir);
		return;
	}
	cmd = g_strdup_printf("%s cover -o %s %s", tu_cli(), info, args);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_true(g_file_get_contents(info, &text, NULL, NULL));
	got = normalise(text, dir);
	if (g_getenv("BPFS_UPDATE_GOLDEN"))
		g_assert_true(g_file_set_contents(golden, got, -1, NULL));
	g_assert_true(g_file_get_contents(golden, &want, NULL, NULL));
	g_assert_cmpstr(got, ==, want);
	if (tool("genhtml")) {
		g_autofree char *html = g_build_filename(dir, "html", NULL);
		g_autofree char *gcmd = g_strdup_printf("genhtml --branch-coverage --quiet -o %s %s", html, info);
		g_autofree char *gout = NULL, *gerr = NULL;

		g_assert_cmpint(tu_run(gcmd, &gout, &gerr), ==, 0);
		if (strstr(gout, "WARNING") || strstr(gerr, "WARNING") || *gerr)
			g_test_message("genhtml: %s%s", gout, gerr);
		g_assert_null(strstr(gout, "WARNING"));
		g_assert_cmpstr(gerr, ==, "");
	}
	if (tool("lcov")) {
		g_autofree char *lcmd = g_strdup_printf("lcov --rc lcov_branch_coverage=1 --summary %s", info);
		g_autofree char *lout = NULL, *lerr = NULL;

		g_assert_cmpint(tu_run(lcmd, &lout, &lerr), ==, 0);
		g_assert_nonnull(strstr(lout, "lines......:") ? lout : lerr);
	}
	tu_rm_tree(dir);
}

/* The bounded loop of loop.bpf.c runs 16 times; the verifier walks every
 * iteration: the body's lines count 16, the loop's exit test is taken 15
 * times and falls through once. */
static void test_loop_counts(void)
{
	g_autofree char *dir = g_dir_make_tmp("cover-XXXXXX", NULL), *info = g_build_filename(dir, "out.info", NULL);
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL, *text = NULL;
	g_autofree char *src = g_build_filename(g_getenv("BPFS_SOURCE_DIR"), "examples", "c", "loop.bpf.c", NULL);
	g_autofree char *body = NULL;
	int body_line = 0, n = 1;

	if (!have_clang_examples()) {
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
		tu_rm_tree(dir);
		return;
	}
	g_assert_true(g_file_get_contents(src, &body, NULL, NULL));
	for (char *l = body; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL, n++) {
		g_autofree char *line = g_strndup(l, strcspn(l, "\n"));

		if (!strncmp(g_strstrip(line), "sum += p[i];", 12) && !body_line)
			body_line = n;
	}
	g_assert_cmpint(body_line, >, 0);
	cmd = g_strdup_printf("%s cover -o %s %s/loop.o", tu_cli(), info, g_getenv("BPFS_EXAMPLES_DIR"));
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_true(g_file_get_contents(info, &text, NULL, NULL));
	{
		g_autofree char *da = g_strdup_printf("\nDA:%d,16\n", body_line);

		g_assert_nonnull(strstr(text, da));
	}
	g_assert_nonnull(strstr(text, ",0,15\n")); /* the back-edge, taken 15 times */
	tu_rm_tree(dir);
}

/* Executed on the default 64-byte frame, the same loop runs 16 times: the
 * body's lines count 16, the bounds check never breaks out (its taken
 * side 0, its other side 16). */
static void test_loop_exec(void)
{
	g_autofree char *dir = g_dir_make_tmp("cover-XXXXXX", NULL), *info = g_build_filename(dir, "out.info", NULL);
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL, *text = NULL;

	if (!have_clang_examples()) {
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
		tu_rm_tree(dir);
		return;
	}
	cmd = g_strdup_printf("%s cover --run -o %s %s/loop.o", tu_cli(), info, g_getenv("BPFS_EXAMPLES_DIR"));
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_true(g_file_get_contents(info, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "TN:exec\n"));
	g_assert_nonnull(strstr(text, "\nDA:20,16\n"));
	g_assert_nonnull(strstr(text, "\nBRDA:18,8,0,0\nBRDA:18,8,1,16\n"));
	g_assert_nonnull(strstr(text, "\nBRDA:17,12,0,15\nBRDA:17,12,1,1\n"));
	tu_rm_tree(dir);
}

static void test_errors(void)
{
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *cmd = g_strdup_printf("%s cover %s/ipv4_only.s", tu_cli(), g_getenv("BPFS_EXAMPLES_DIR"));
	g_autofree char *cmd2 = g_strdup_printf("%s cover -o /nonexistent/dir/x.info %s/ipv4_only.s", tu_cli(),
						g_getenv("BPFS_EXAMPLES_DIR"));

	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 2);
	g_assert_nonnull(strstr(err, "-o OUT.info"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(tu_run(cmd2, &out, &err), ==, 2);
	g_assert_nonnull(strstr(err, "cannot write"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/cover/golden/%s", cases[i].golden);

		g_test_add_data_func(path, &cases[i], test_golden);
	}
	g_test_add_func("/cover/loop-counts", test_loop_counts);
	g_test_add_func("/cover/loop-exec", test_loop_exec);
	g_test_add_func("/cover/errors", test_errors);
	return g_test_run();
}
