/* SPDX-License-Identifier: MIT */
/*
 * bpfscope report RUN.csv [--compare OLD.csv] -o report.html: one static
 * HTML page on a corpus run (summary, plots drawn by gnuplot, a sortable
 * table of every program). Exit 0 when the page was written, 2 on a usage
 * or input error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CMD "report"

/* How the page at output refers to dir: relative when dir is under the
 * page's directory, else a file: URI. */
static char *href_for(const char *dir, const char *output)
{
	g_autofree char *page_dir = g_path_get_dirname(output);
	g_autofree char *abs_page = g_canonicalize_filename(page_dir, NULL);
	g_autofree char *abs_dir = g_canonicalize_filename(dir, NULL);
	size_t n = strlen(abs_page);

	if (!strcmp(abs_dir, abs_page))
		return g_strdup(".");
	if (!strncmp(abs_dir, abs_page, n) && (abs_dir[n] == '/' || n == 1))
		return g_strdup(abs_dir + n + (n > 1));
	return g_filename_to_uri(abs_dir, NULL, NULL);
}

static bool load(const char *path, struct bpfs_corpus_result *res)
{
	struct bpfs_err err;

	bpfs_err_clear(&err);
	if (bpfs_corpus_csv_load(path, res, &err)) {
		cli_error(CMD, "%s", err.msg);
		return false;
	}
	return true;
}

int cmd_report(int argc, char **argv)
{
	g_autofree char *output = NULL, *old = NULL, *pictures = NULL, *title = NULL, *gnuplot = NULL;
	g_autofree char *reference = NULL, *href = NULL;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the page to FILE (default: report.html)",
		  "FILE" },
		{ "compare", 'C', 0, G_OPTION_ARG_FILENAME, &old, "Compare with an older run's CSV", "OLD.csv" },
		{ "kernel-verdicts", 'k', 0, G_OPTION_ARG_FILENAME, &reference,
		  "Reference verdicts (TSV) for the kernel columns, where the run's CSV has none", "TSV" },
		{ "pictures", 'p', 0, G_OPTION_ARG_FILENAME, &pictures,
		  "Link each program to DIR/OBJECT/FUNCTION.svg or DIR/FUNCTION.svg where it exists (bpfscope dot)",
		  "DIR" },
		{ "title", 0, 0, G_OPTION_ARG_STRING, &title, "The page's title", "TEXT" },
		{ "gnuplot", 0, 0, G_OPTION_ARG_FILENAME, &gnuplot, "The gnuplot program (default: gnuplot on PATH)",
		  "PROG" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct bpfs_corpus_result run = { 0 }, before = { 0 };
	struct bpfs_report_page page = { 0 };
	struct bpfs_kernel_verdicts *kv = NULL;
	struct bpfs_err err;
	int ret = EXIT_USAGE;
	FILE *out = NULL;

	if (!cli_parse(CMD, "RUN.csv", "an HTML page on a corpus run: summary, plots, every program", entries, &argc,
		       &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		cli_error(CMD, "expected one CSV file, a run of bpfscope corpus --format csv");
		return EXIT_USAGE;
	}
	if (!output)
		output = g_strdup("report.html");
	if (!load(argv[1], &run) || (old && !load(old, &before)))
		goto out;
	if (reference && !run.kernel) {
		bpfs_err_clear(&err);
		if (bpfs_kernel_verdicts_load(reference, &kv, &err)) {
			cli_error(CMD, "%s", err.msg);
			goto out;
		}
		bpfs_corpus_add_kernel(&run, kv);
	}
	if (pictures && !g_file_test(pictures, G_FILE_TEST_IS_DIR)) {
		cli_error(CMD, "--pictures %s: no such directory", pictures);
		goto out;
	}
	if (pictures)
		href = href_for(pictures, output);
	page.title = title;
	page.run_name = argv[1];
	page.old = old ? &before : NULL;
	page.old_name = old;
	page.pictures = pictures;
	page.pictures_href = href;
	page.gnuplot = gnuplot;
	if (!(out = fopen(output, "w"))) {
		cli_error(CMD, "cannot write %s: %s", output, g_strerror(errno));
		goto out;
	}
	bpfs_err_clear(&err);
	if (bpfs_report_html(out, &run, &page, &err)) {
		cli_error(CMD, "%s", err.msg);
		goto out;
	}
	ret = EXIT_OK;
out:
	if (out && fclose(out) && ret == EXIT_OK) {
		cli_error(CMD, "cannot write %s: %s", output, g_strerror(errno));
		ret = EXIT_USAGE;
	}
	bpfs_kernel_verdicts_free(kv);
	bpfs_corpus_result_release(&run);
	bpfs_corpus_result_release(&before);
	return ret;
}
