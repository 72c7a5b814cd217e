/* SPDX-License-Identifier: MIT */
/*
 * The interpreter against conformance .data files: every file of the
 * bpf_conformance suite in the development data set (/conformance/<file>,
 * skipped when the data set is absent), our own ISA cases under
 * tests/isa (/isa/<file>, always run), each file its own GTest case, in
 * both the fast and the checked mode; and the output format of
 * `bpfscope conformance`.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "interp.h"
#include "testutil.h"

/* Files whose skip is expected, with the reason the runner must give. */
static const char *const expected_skips[] = {"callx.data"};

static bool skip_expected(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);

	for (size_t i = 0; i < G_N_ELEMENTS(expected_skips); i++)
		if (!strcmp(base, expected_skips[i]))
			return true;
	return false;
}

static void run_file(gconstpointer data)
{
	const char *path = data;

	for (int checked = 0; checked <= 1; checked++) {
		struct bpfs_conf_result res;
		int ret = bpfs_conformance_run(path, checked, &res);

		g_assert_cmpint(ret, ==, 0);
		if (res.outcome == BPFS_CONF_SKIP) {
			g_assert_true(skip_expected(path));
			g_assert_cmpstr(res.got, !=, "");
			g_test_skip(res.got);
			return;
		}
		if (res.outcome != BPFS_CONF_PASS)
			g_test_message("%s (%s): expected %s, got %s", path, checked ? "checked" : "fast",
				       res.expected, res.got);
		g_assert_cmpint(res.outcome, ==, BPFS_CONF_PASS);
	}
}

/* Adds /prefix/<file> for each .data file of dir. Returns how many. */
static unsigned add_dir(const char *prefix, const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!d)
		return 0;
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".data"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		g_autofree char *tp = g_strdup_printf("/%s/%s", prefix, n);

		/* Leaked on purpose: the test data lives as long as the run. */
		g_test_add_data_func(tp, g_build_filename(dir, n, NULL), run_file);
	}
	return names->len;
}

static void test_suite_absent(void)
{
	g_free(tu_shared_path_or_skip("conformance"));
}

/* `bpfscope conformance DIR`: one line per failure or skip, then the
 * summary, exit 0; on our ISA cases all pass. */
static void test_cli_output(void)
{
	const char *src = g_getenv("BPFS_SOURCE_DIR");
	g_autofree char *dir = g_build_filename(src, "tests", "isa", NULL);
	g_autofree char *cmd = g_strdup_printf("%s conformance %s", tu_cli(), dir);
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *want = NULL;
	unsigned n = 0;
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)))
		n += g_str_has_suffix(name, ".data");
	g_dir_close(d);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	want = g_strdup_printf("%u passed, 0 failed, 0 skipped\n", n);
	g_assert_cmpstr(out, ==, want);
}

/* A failing file prints "FILE: expected X, got Y" and exits 1. */
static void test_cli_failure(void)
{
	g_autofree char *dir = g_dir_make_tmp("bpfs-conf-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "wrong.data", NULL);
	g_autofree char *cmd = g_strdup_printf("%s conformance %s", tu_cli(), dir);
	g_autofree char *out = NULL, *err = NULL;

	g_assert_true(g_file_set_contents(file, "-- asm\nmov %r0, 3\nexit\n-- result\n0x4\n", -1, NULL));
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 1);
	g_assert_cmpstr(out, ==, "wrong.data: expected 0x4, got 0x3\n0 passed, 1 failed, 0 skipped\n");
	g_remove(file);
	g_rmdir(dir);
}

static void test_cli_usage(void)
{
	g_autofree char *cmd = g_strdup_printf("%s conformance", tu_cli());
	g_autofree char *cmd2 = g_strdup_printf("%s conformance --engine nope .", tu_cli());
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 2);
	g_assert_cmpint(tu_run(cmd2, &out2, &err2), ==, 2);
	g_assert_nonnull(strstr(err2, "unknown engine 'nope'"));
}

int main(int argc, char **argv)
{
	const char *src = g_getenv("BPFS_SOURCE_DIR");
	const char *shared = tu_shared_dir();
	g_autofree char *isa = NULL, *suite = NULL;

	g_test_init(&argc, &argv, NULL);
	if (src) {
		isa = g_build_filename(src, "tests", "isa", NULL);
		add_dir("isa", isa);
	}
	if (shared)
		suite = g_build_filename(shared, "conformance", NULL);
	if (!suite || !add_dir("conformance", suite))
		g_test_add_func("/conformance/suite-absent", test_suite_absent);
	g_test_add_func("/cli/output", test_cli_output);
	g_test_add_func("/cli/failure", test_cli_failure);
	g_test_add_func("/cli/usage", test_cli_usage);
	return g_test_run();
}
