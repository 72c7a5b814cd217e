/* SPDX-License-Identifier: MIT */
/*
 * bpfscope corpus DIR|FILE...: verifies every program of every object in
 * parallel and writes one row per program, then a summary. --shard K/N
 * verifies one part of the objects, --merge FILE... puts shard tables
 * (CSV) back together as one run, --compare A.csv B.csv compares two runs
 * as veristat -C does. Exit 0 when the run completed (whatever the
 * verdicts), 2 on a usage or input error.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "cli.h"

#define CMD "corpus"

struct corpus_args {
	char *format, *output, *type, *reference, *shard, *sort;
	char **filters;
	char *veristat_columns;
	char *btf, *kconfig, *kernel_version; /* the target kernel */
	int jobs, top;
	gboolean quiet, compare, merge;
	int fmt;
};

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

static FILE *open_output(const struct corpus_args *a)
{
	FILE *out;

	if (!a->output)
		return stdout;
	out = fopen(a->output, "w");
	if (!out)
		cli_error(CMD, "cannot write %s: %s", a->output, g_strerror(errno));
	return out;
}

/* The rows, then the summary where a person reads it: beside CSV, which
 * stays machine-readable. */
static int write_rows(const struct corpus_args *a, const struct bpfs_corpus_result *res,
		      const struct bpfs_kernel_verdicts *kv)
{
	FILE *out = open_output(a);
	bool csv = a->fmt == BPFS_TABLE_CSV || a->fmt == BPFS_TABLE_VERISTAT_CSV;

	if (!out)
		return EXIT_USAGE;
	if (a->veristat_columns) {
		g_auto(GStrv) cols = g_strsplit(a->veristat_columns, ",", -1);
		bpfs_report_corpus_veristat(out, res, (const char *const *)cols);
	} else {
		bpfs_report_corpus(out, res, (enum bpfs_table_format)a->fmt);
	}
	if (csv)
		bpfs_report_corpus_summary(a->output ? stdout : stderr, res);
	else if (a->output)
		bpfs_report_corpus_summary(stdout, res);
	if (kv) {
		FILE *side = a->fmt == BPFS_TABLE_TEXT || a->output ? stdout : stderr;
		fputc('\n', side);
		bpfs_report_kernel_agreement(side, res, kv);
	}
	if (a->output)
		fclose(out);
	return EXIT_OK;
}

static int load_tables(char **files, int n, struct bpfs_corpus_result *res)
{
	for (int i = 0; i < n; i++) {
		struct bpfs_err err;

		bpfs_err_clear(&err);
		if (bpfs_corpus_csv_load(files[i], res, &err)) {
			cli_error(CMD, "%s", err.msg);
			return -1;
		}
	}
	return 0;
}

static int run_merge(struct corpus_args *a, int argc, char **argv)
{
	struct bpfs_corpus_result res = { 0 };
	int ret;

	if (argc < 2) {
		cli_error(CMD, "--merge expects the shards' CSV files");
		return EXIT_USAGE;
	}
	if (load_tables(argv + 1, argc - 1, &res)) {
		bpfs_corpus_result_release(&res);
		return EXIT_USAGE;
	}
	bpfs_corpus_sort_objects(&res);
	ret = write_rows(a, &res, NULL);
	bpfs_corpus_result_release(&res);
	return ret;
}

static int run_compare(struct corpus_args *a, int argc, char **argv)
{
	struct bpfs_corpus_result ra = { 0 }, rb = { 0 };
	struct bpfs_compare c = { 0 };
	struct bpfs_err err;
	int ret = EXIT_USAGE;
	FILE *out;

	if (argc != 3) {
		cli_error(CMD, "--compare expects two CSV files, A (the baseline) and B");
		return EXIT_USAGE;
	}
	if (load_tables(argv + 1, 1, &ra) || load_tables(argv + 2, 1, &rb))
		goto out;
	bpfs_compare_runs(&ra, &rb, &c);
	bpfs_err_clear(&err);
	for (char **f = a->filters; f && *f; f++) {
		if (bpfs_compare_filter(&c, *f, &err)) {
			cli_error(CMD, "%s", err.msg);
			goto out;
		}
	}
	if (a->sort && bpfs_compare_sort(&c, a->sort, &err)) {
		cli_error(CMD, "%s", err.msg);
		goto out;
	}
	if (a->top > 0)
		bpfs_compare_top(&c, (size_t)a->top);
	out = open_output(a);
	if (!out)
		goto out;
	bpfs_report_compare(out, &c, (enum bpfs_table_format)a->fmt);
	if (a->output)
		fclose(out);
	ret = EXIT_OK;
out:
	bpfs_compare_release(&c);
	bpfs_corpus_result_release(&ra);
	bpfs_corpus_result_release(&rb);
	return ret;
}

static int run_verify(struct corpus_args *a, int argc, char **argv)
{
	struct bpfs_kernel_verdicts *kv = NULL;
	struct bpfs_corpus_opts opts = { 0 };
	struct bpfs_corpus_result res = { 0 };
	struct bpfs_err err;
	int ret;

	if (argc < 2) {
		cli_error(CMD, "expected at least one DIR or FILE (see bpfscope corpus --help)");
		return EXIT_USAGE;
	}
	opts.prog_type = -1;
	if (a->type && (opts.prog_type = bpfs_prog_type_parse(a->type)) < 0) {
		cli_error(CMD, "unknown program type '%s'", a->type);
		return EXIT_USAGE;
	}
	if (a->shard && bpfs_corpus_shard_parse(a->shard, &opts.shard, &opts.nshards)) {
		cli_error(CMD, "--shard takes K/N with 1 <= K <= N, not '%s'", a->shard);
		return EXIT_USAGE;
	}
	if (a->reference) {
		bpfs_err_clear(&err);
		if (bpfs_kernel_verdicts_load(a->reference, &kv, &err)) {
			cli_error(CMD, "%s", err.msg);
			return EXIT_USAGE;
		}
		opts.prog_type_fn = bpfs_kernel_verdicts_type;
		opts.prog_type_data = kv;
	}
	if (!cli_target_default(CMD, a->btf, a->kconfig, a->kernel_version)) {
		bpfs_kernel_verdicts_free(kv);
		return EXIT_USAGE;
	}
	opts.jobs = (unsigned)a->jobs;
	opts.verifier.insn_limit = 1000000;
	if (!a->quiet && isatty(STDERR_FILENO))
		opts.progress = progress_bar;
	bpfs_err_clear(&err);
	if (bpfs_corpus_verify((const char *const *)argv + 1, (size_t)argc - 1, &opts, &res, &err)) {
		cli_error(CMD, "%s", err.msg);
		bpfs_kernel_verdicts_free(kv);
		return EXIT_USAGE;
	}
	if (kv)
		bpfs_corpus_add_kernel(&res, kv);
	ret = write_rows(a, &res, kv);
	bpfs_kernel_verdicts_free(kv);
	bpfs_corpus_result_release(&res);
	return ret;
}

static void args_release(struct corpus_args *a)
{
	g_free(a->format);
	g_free(a->output);
	g_free(a->type);
	g_free(a->reference);
	g_free(a->shard);
	g_free(a->sort);
	g_free(a->veristat_columns);
	g_free(a->btf);
	g_free(a->kconfig);
	g_free(a->kernel_version);
	g_strfreev(a->filters);
}

int cmd_corpus(int argc, char **argv)
{
	struct corpus_args a = { .fmt = BPFS_TABLE_TEXT };
	GOptionEntry entries[] = {
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &a.jobs, "Worker threads (default: one per core)", "N" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &a.format,
		  "table (default), csv, json, or veristat-csv (what veristat -o csv writes and veristat -C reads)",
		  "F" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output, "Write the rows to FILE", "FILE" },
		{ "type", 't', 0, G_OPTION_ARG_STRING, &a.type, "Verify every program as this type", "T" },
		{ "veristat-columns", 0, 0, G_OPTION_ARG_STRING, &a.veristat_columns,
		  "With --format veristat-csv: these columns (veristat -e's names; default file_name,prog_name,"
		  "verdict,duration,total_insns,total_states,peak_states)",
		  "LIST" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "No progress bar", NULL },
		{ "kernel-verdicts", 'k', 0, G_OPTION_ARG_FILENAME, &a.reference,
		  "Compare with reference verdicts (TSV with object, section, function, kernel_verdict, "
		  "processed_insns, error_first_line, prog_type); programs are verified as the type given there, "
		  "and the rows get the kernel columns",
		  "TSV" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &a.shard,
		  "Verify only shard K of N (objects split by a hash of their name); the shards' rows together "
		  "are the rows of one run",
		  "K/N" },
		{ "merge", 0, 0, G_OPTION_ARG_NONE, &a.merge,
		  "The arguments are CSV tables (shards of one run): write them as one run", NULL },
		{ "compare", 'C', 0, G_OPTION_ARG_NONE, &a.compare,
		  "The arguments are two CSV tables, A and B (bpfscope's or veristat's): compare them per program",
		  NULL },
		{ "sort", 's', 0, G_OPTION_ARG_STRING, &a.sort,
		  "With --compare: sort by KEY[,KEY...], e.g. '|processed_insns_diff|', 'duration_us_pct:asc'",
		  "SPEC" },
		{ "top", 'n', 0, G_OPTION_ARG_INT, &a.top, "With --compare: only the first N rows", "N" },
		{ "filter", 'F', 0, G_OPTION_ARG_STRING_ARRAY, &a.filters,
		  "With --compare: keep the rows where EXPR holds, e.g. 'verdict_a!=verdict_b', "
		  "'processed_insns_pct>10', 'dir/*.o/prog*', '!*.s' (repeat: all must hold)",
		  "EXPR" },
		{ "btf", 0, 0, G_OPTION_ARG_FILENAME, &a.btf,
		  "The target kernel's BTF for CO-RE and ksyms (default /sys/kernel/btf/vmlinux; \"\" for none)", "FILE" },
		{ "kconfig", 0, 0, G_OPTION_ARG_FILENAME, &a.kconfig,
		  "The target kernel's configuration for .kconfig externs (default /boot/config-$(uname -r) or "
		  "/proc/config.gz)",
		  "FILE" },
		{ "kernel-version", 0, 0, G_OPTION_ARG_STRING, &a.kernel_version,
		  "The target kernel's version for LINUX_KERNEL_VERSION (default the running kernel's)", "X.Y.Z" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	int ret = EXIT_USAGE;

	if (!cli_parse(CMD, "DIR|FILE... | --merge CSV... | --compare A.csv B.csv",
		       "verify every program of a corpus in parallel", entries, &argc, &argv))
		goto out;
	if (a.format && (a.fmt = bpfs_table_format_parse(a.format)) < 0) {
		cli_error(CMD, "unknown format '%s' (table, csv, json or veristat-csv)", a.format);
		goto out;
	}
	if (a.jobs < 0 || a.jobs > 1024) {
		cli_error(CMD, "--jobs takes a number from 1 to 1024");
		goto out;
	}
	if (a.compare && a.merge) {
		cli_error(CMD, "--compare and --merge exclude each other");
		goto out;
	}
	if (!a.compare && (a.sort || a.filters || a.top)) {
		cli_error(CMD, "--sort, --top and --filter go with --compare");
		goto out;
	}
	if (a.veristat_columns) {
		g_auto(GStrv) cols = g_strsplit(a.veristat_columns, ",", -1);

		for (char **c = cols; *c; c++) {
			if (bpfs_veristat_column_parse(*c) < 0) {
				cli_error(CMD, "--veristat-columns: bpfscope has no column '%s' (it has file_name, "
					       "prog_name, verdict, duration, total_insns, total_states, peak_states, "
					       "max_states_per_insn, mark_read_max_len)",
					  *c);
				goto out;
			}
		}
		if (a.fmt != BPFS_TABLE_VERISTAT_CSV) {
			cli_error(CMD, "--veristat-columns goes with --format veristat-csv");
			goto out;
		}
	}
	if (a.top < 0) {
		cli_error(CMD, "--top takes a positive number");
		goto out;
	}
	if (a.compare)
		ret = run_compare(&a, argc, argv);
	else if (a.merge)
		ret = run_merge(&a, argc, argv);
	else
		ret = run_verify(&a, argc, argv);
out:
	args_release(&a);
	return ret;
}
