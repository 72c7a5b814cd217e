/* SPDX-License-Identifier: MIT */
/*
 * bpfscope report: the HTML page on a corpus run of the bundled examples,
 * with kernel columns (a reference made from the run itself, so that the
 * test needs no kernel) and an older run to compare against. The page is
 * checked as text (every program, the plots, nothing from the network),
 * without gnuplot (the page says the plots need it), with pictures, and
 * in a real browser: headless Chromium loads it and takes a screenshot.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "testutil.h"

static const char *examples(void)
{
	const char *ex = g_getenv("BPFS_EXAMPLES_DIR");
	g_autofree char *p = g_build_filename(ex, "maps_demo.o", NULL);

	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return ex;
	g_test_skip("the C examples were not built (clang -target bpf is missing)");
	return NULL;
}

static int sh(const char *script, char **out, char **err)
{
	g_autofree char *q = g_shell_quote(script);
	g_autofree char *cmd = g_strdup_printf("/bin/sh -c %s", q);
	return tu_run(cmd, out, err);
}

/* In dir: old.csv and run.csv (xdp_filter's verdict turned, loop.o's
 * processed instructions doubled, so that there are changes to show),
 * and kernel.tsv from the run, one disagreement and one program the
 * kernel did not see. */
static void make_runs(const char *dir, const char *ex)
{
	g_autofree char *script = g_strdup_printf(
		"set -e; cd %s; %s corpus -q -f csv -o run.csv %s >/dev/null; "
		"awk -F, 'BEGIN{OFS=\",\"} NR>1 && $1==\"loop.o\" {$8=$8*2} "
		"NR>1 && $1==\"xdp_filter.o\" {$6=\"reject\"} {print}' run.csv > old.csv; "
		"printf 'object\\tsection\\tfunction\\tkernel_verdict\\tprocessed_insns\\terror_first_line\\t"
		"prog_type\\tverif_time_usec_median3\\n' > kernel.tsv; "
		"awk -F, 'NR>1 && $6!=\"error\" && $1!=\"stack_sum.s\" {v=$6; if ($1==\"ipv4_only.s\") v=\"reject\"; "
		"printf \"%%s\\t%%s\\t%%s\\t%%s\\t%%d\\t%%s\\t%%s\\t%%d\\n\", $1, $2, $3, v, $8*1.5+1, "
		"(v==\"reject\" ? \"invalid access\" : \"\"), $4, $12*3+10}' run.csv >> kernel.tsv",
		dir, tu_cli(), ex);
	g_assert_cmpint(sh(script, NULL, NULL), ==, 0);
}

static char *page(const char *dir, const char *options)
{
	g_autofree char *script = g_strdup_printf("cd %s && %s report run.csv %s -o report.html", dir, tu_cli(),
						  options);
	g_autofree char *path = g_build_filename(dir, "report.html", NULL);
	g_autofree char *err = NULL;
	char *html = NULL;

	if (sh(script, NULL, &err) != 0)
		g_error("bpfscope report failed: %s", err);
	g_assert_true(g_file_get_contents(path, &html, NULL, NULL));
	return html;
}

static guint count(const char *s, const char *what)
{
	guint n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static bool have_gnuplot(void)
{
	g_autofree char *g = g_find_program_in_path("gnuplot");
	return g != NULL;
}

static void test_page(void)
{
	const char *ex = examples();
	g_autofree char *dir = NULL, *html = NULL;

	if (!ex)
		return;
	dir = g_dir_make_tmp("bpfs-report-XXXXXX", NULL);
	make_runs(dir, ex);
	html = page(dir, "--compare old.csv --kernel-verdicts kernel.tsv --title 'Examples'");
	g_assert_true(g_str_has_prefix(html, "<!DOCTYPE html>"));
	g_assert_nonnull(strstr(html, "<title>Examples</title>"));
	/* every program, with its verdicts, the kernel's and the old run's */
	g_assert_cmpuint(count(html, "<tr><td>"), ==, 11 + 1); /* programs and the one directory */
	g_assert_nonnull(strstr(html, "<td>xdp_filter</td>"));
	g_assert_nonnull(strstr(html, "<th>Kernel</th>"));
	g_assert_nonnull(strstr(html, "<th>Before</th>"));
	g_assert_nonnull(strstr(html, "kernel: invalid access"));
	g_assert_nonnull(strstr(html, "agree with the kernel"));
	g_assert_nonnull(strstr(html, "verdicts changed against the compared run"));
	g_assert_nonnull(strstr(html, "class=\"num down\">-50.0</td>")); /* loop.o: half of before */
	/* the sorting script, inline; nothing from the network */
	g_assert_nonnull(strstr(html, "<script>"));
	g_assert_null(strstr(html, "<script src"));
	g_assert_null(strstr(html, "<link"));
	g_assert_null(strstr(html, "src=\"http"));
	if (!have_gnuplot()) {
		g_assert_nonnull(strstr(html, "The plots need gnuplot"));
		g_test_skip("gnuplot is not installed (apt-get install gnuplot-nox): the plots were not checked");
	} else {
		/* three plots, inline SVG from gnuplot, each with ids of its own */
		g_assert_cmpuint(count(html, "<svg"), ==, 3);
		g_assert_cmpuint(count(html, "<desc>Produced by GNUPLOT"), ==, 3);
		g_assert_cmpuint(count(html, "id=\"p1-gnuplot_canvas\""), ==, 1);
		g_assert_cmpuint(count(html, "id=\"p3-gnuplot_canvas\""), ==, 1);
		g_assert_null(strstr(html, "id=\"gnuplot_canvas\""));
		g_assert_null(strstr(html, "<?xml"));
		g_assert_nonnull(strstr(html, "verdicts differ (1)"));
		g_assert_nonnull(strstr(html, "loop.o/sum_bytes"));
	}
	tu_rm_tree(dir);
}

static void test_no_gnuplot(void)
{
	const char *ex = examples();
	g_autofree char *dir = NULL, *html = NULL;

	if (!ex)
		return;
	dir = g_dir_make_tmp("bpfs-report-XXXXXX", NULL);
	make_runs(dir, ex);
	html = page(dir, "--gnuplot /nonexistent/gnuplot");
	g_assert_nonnull(strstr(html, "The plots need gnuplot, which was not found"));
	g_assert_null(strstr(html, "<svg"));
	/* without kernel columns or an older run: no such columns */
	g_assert_null(strstr(html, "<th>Kernel</th>"));
	g_assert_null(strstr(html, "<th>Before</th>"));
	g_assert_nonnull(strstr(html, "<td>xdp_filter</td>"));
	tu_rm_tree(dir);
}

static void test_pictures(void)
{
	const char *ex = examples();
	g_autofree char *dir = NULL, *html = NULL, *script = NULL;

	if (!ex)
		return;
	dir = g_dir_make_tmp("bpfs-report-XXXXXX", NULL);
	make_runs(dir, ex);
	/* pictures as bpfscope dot names them when asked to (-o FILE.svg) */
	script = g_strdup_printf("set -e; cd %s; mkdir -p pics/loop.o; "
				 "printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>' > pics/xdp_filter.svg; "
				 "cp pics/xdp_filter.svg pics/loop.o/sum_bytes.svg",
				 dir);
	g_assert_cmpint(sh(script, NULL, NULL), ==, 0);
	html = page(dir, "--pictures pics");
	g_assert_nonnull(strstr(html, "<a href=\"pics/xdp_filter.svg\">CFG</a>"));
	g_assert_nonnull(strstr(html, "<a href=\"pics/loop.o/sum_bytes.svg\">CFG</a>"));
	g_assert_cmpuint(count(html, ">CFG</a>"), ==, 2);
	tu_rm_tree(dir);
}

static char *chromium(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *p = g_find_program_in_path(names[i]);
		if (p)
			return p;
	}
	return NULL;
}

static guint32 be32(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* Headless Chromium renders the page to a PNG; the picture has the size
 * asked for and enough in it to be a page, not a blank. The screenshot
 * stays in the build folder (report-screenshot.png) to look at. */
static void test_browser(void)
{
	const char *ex = examples();
	g_autofree char *browser = chromium(), *dir = NULL, *html = NULL, *script = NULL, *png = NULL;
	g_autofree char *shot = NULL, *err = NULL, *profile = NULL;
	gsize len = 0;

	if (!ex)
		return;
	if (!browser) {
		g_test_skip("Chromium is not installed (apt-get install chromium)");
		return;
	}
	dir = g_dir_make_tmp("bpfs-report-XXXXXX", NULL);
	make_runs(dir, ex);
	html = page(dir, "--compare old.csv --kernel-verdicts kernel.tsv --title 'bpfscope: bundled examples'");
	shot = g_build_filename(g_getenv("BPFS_BUILD_DIR"), "report-screenshot.png", NULL);
	profile = g_build_filename(dir, "profile", NULL);
	g_unlink(shot);
	script = g_strdup_printf("cd %s && timeout 120 %s --headless --no-sandbox --disable-gpu --no-first-run "
				 "--user-data-dir=%s --hide-scrollbars --window-size=1600,2400 --screenshot=%s "
				 "file://%s/report.html",
				 dir, browser, profile, shot, dir);
	if (sh(script, NULL, &err) != 0 || !g_file_test(shot, G_FILE_TEST_EXISTS)) {
		g_autofree char *why = g_strdup_printf("Chromium could not take a screenshot here: %.300s", err);
		g_test_skip(why);
		tu_rm_tree(dir);
		return;
	}
	g_assert_true(g_file_get_contents(shot, &png, &len, NULL));
	g_assert_cmpuint(len, >, 40000);
	g_assert_true(!memcmp(png, "\x89PNG\r\n\x1a\n", 8));
	g_assert_true(!memcmp(png + 12, "IHDR", 4));
	g_assert_cmpuint(be32((guint8 *)png + 16), ==, 1600);
	g_assert_cmpuint(be32((guint8 *)png + 20), ==, 2400);
	g_test_message("screenshot: %s (%zu bytes)", shot, len);
	tu_rm_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/page", test_page);
	g_test_add_func("/report/no-gnuplot", test_no_gnuplot);
	g_test_add_func("/report/pictures", test_pictures);
	g_test_add_func("/report/browser", test_browser);
	return g_test_run();
}
