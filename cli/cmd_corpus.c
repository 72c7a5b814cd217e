/* SPDX-License-Identifier: MIT */
/*
 * bpfscope corpus DIR|FILE...: verifies every program of every object in
 * parallel and writes one row per program, then a summary. Exit 0 when the
 * run completed (whatever the verdicts), 2 on a usage or input error.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "cli.h"

static void progress_bar(size_t done, size_t total, void *data)
{
	const int width = 40;
	int filled = total ? (int)(done * (size_t)width / total) : width;

	(void)data;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu programs", filled, "########################################",
		width - filled, "", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cmd_corpus(int argc, char **argv)
{
	g_autofree char *format = NULL, *output = NULL, *type = NULL, *reference = NULL;
	struct bpfs_kernel_verdicts *kv = NULL;
	int jobs = 0;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Worker threads (default: one per core)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "table (default), csv or json", "F" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the rows to FILE", "FILE" },
		{ "type", 't', 0, G_OPTION_ARG_STRING, &type, "Verify every program as this type", "T" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
		{ "kernel-verdicts", 'k', 0, G_OPTION_ARG_FILENAME, &reference,
		  "Compare with reference verdicts (TSV with object, section, function, kernel_verdict, "
		  "processed_insns, error_first_line, prog_type); programs are verified as the type given there",
		  "TSV" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct bpfs_corpus_opts opts = { 0 };
	struct bpfs_corpus_result res = { 0 };
	struct bpfs_err err;
	int fmt = BPFS_TABLE_TEXT;
	FILE *out = stdout;

	if (!cli_parse("corpus", "DIR|FILE...", "verify every program of a corpus in parallel", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc < 2) {
		cli_error("corpus", "expected at least one DIR or FILE (see bpfscope corpus --help)");
		return EXIT_USAGE;
	}
	if (format && (fmt = bpfs_table_format_parse(format)) < 0) {
		cli_error("corpus", "unknown format '%s' (table, csv or json)", format);
		return EXIT_USAGE;
	}
	if (jobs < 0 || jobs > 1024) {
		cli_error("corpus", "--jobs takes a number from 1 to 1024");
		return EXIT_USAGE;
	}
	opts.prog_type = -1;
	if (type && (opts.prog_type = bpfs_prog_type_parse(type)) < 0) {
		cli_error("corpus", "unknown program type '%s'", type);
		return EXIT_USAGE;
	}
	if (reference) {
		bpfs_err_clear(&err);
		if (bpfs_kernel_verdicts_load(reference, &kv, &err)) {
			cli_error("corpus", "%s", err.msg);
			return EXIT_USAGE;
		}
		opts.prog_type_fn = bpfs_kernel_verdicts_type;
		opts.prog_type_data = kv;
	}
	opts.jobs = (unsigned)jobs;
	opts.verifier.insn_limit = 1000000;
	if (!quiet && isatty(STDERR_FILENO))
		opts.progress = progress_bar;
	bpfs_err_clear(&err);
	if (bpfs_corpus_verify((const char *const *)argv + 1, (size_t)argc - 1, &opts, &res, &err)) {
		cli_error("corpus", "%s", err.msg);
		bpfs_kernel_verdicts_free(kv);
		return EXIT_USAGE;
	}
	if (output && !(out = fopen(output, "w"))) {
		cli_error("corpus", "cannot write %s: %s", output, g_strerror(errno));
		bpfs_corpus_result_release(&res);
		bpfs_kernel_verdicts_free(kv);
		return EXIT_USAGE;
	}
	bpfs_report_corpus(out, &res, (enum bpfs_table_format)fmt);
	/* CSV stays machine-readable: its summary goes beside it. */
	if (fmt == BPFS_TABLE_CSV)
		bpfs_report_corpus_summary(output ? stdout : stderr, &res);
	else if (output)
		bpfs_report_corpus_summary(stdout, &res);
	if (kv) {
		/* Beside the rows, where a person reads it. */
		FILE *side = fmt == BPFS_TABLE_TEXT || output ? stdout : stderr;
		fputc('\n', side);
		bpfs_report_kernel_agreement(side, &res, kv);
		bpfs_kernel_verdicts_free(kv);
	}
	if (output)
		fclose(out);
	bpfs_corpus_result_release(&res);
	return EXIT_OK;
}
