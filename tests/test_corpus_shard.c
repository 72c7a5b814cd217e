/* SPDX-License-Identifier: MIT */
/*
 * Corpora beyond one machine: --shard K/N splits the objects by a hash of
 * their name, and the shards' tables, merged (--merge) or concatenated,
 * are exactly the rows of a single run. Runs on the bundled examples only.
 * Then the two ways of running shards elsewhere: scripts/corpus-parallel.sh
 * with GNU parallel (here, and through parallel's --sshlogin ':', this
 * machine as a login), and scripts/corpus-slurm.sh as a Slurm array job on
 * a one-node cluster of the test's own; each skips, saying why, where its
 * tool is missing.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "testutil.h"

#define NSHARDS 3

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

/* A row without its time, which no two runs share. */
static char *row_text(const struct bpfs_corpus_row *r)
{
	return g_strdup_printf("%s|%s|%s|%u|%zu|%s|%s|%" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT,
			       r->object, r->section, r->function, r->prog_type, r->insns,
			       bpfs_corpus_verdict_name(r->verdict), r->error, r->stats.processed_insns,
			       r->stats.total_states, r->stats.peak_states);
}

static void assert_same_rows(const struct bpfs_corpus_result *x, const struct bpfs_corpus_result *y)
{
	g_assert_cmpuint(x->nrows, ==, y->nrows);
	for (size_t i = 0; i < x->nrows; i++) {
		g_autofree char *p = row_text(&x->rows[i]), *q = row_text(&y->rows[i]);
		g_assert_cmpstr(p, ==, q);
	}
}

static void verify(const char *dir, unsigned shard, unsigned n, struct bpfs_corpus_result *res)
{
	struct bpfs_corpus_opts o = { .prog_type = -1, .shard = shard, .nshards = n };
	const char *paths[] = { dir };

	o.verifier.insn_limit = 1000000;
	memset(res, 0, sizeof(*res));
	g_assert_cmpint(bpfs_corpus_verify(paths, 1, &o, res, NULL), ==, 0);
}

static void test_parse(void)
{
	static const char *const bad[] = { "", "1", "0/3", "4/3", "1/0", "-1/3", "1/3x", "a/b", "1//3" };
	unsigned k, n;

	g_assert_cmpint(bpfs_corpus_shard_parse("2/5", &k, &n), ==, 0);
	g_assert_cmpuint(k, ==, 2);
	g_assert_cmpuint(n, ==, 5);
	g_assert_cmpint(bpfs_corpus_shard_parse("1/1", &k, &n), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(bpfs_corpus_shard_parse(bad[i], &k, &n), <, 0);
	/* fixed values: any machine, any build splits alike */
	g_assert_cmpuint(bpfs_corpus_shard_of("", 7), ==, (unsigned)(0xcbf29ce484222325ull % 7) + 1);
	for (unsigned s = 1; s <= 16; s++) {
		unsigned v = bpfs_corpus_shard_of("dir/prog.o", s);
		g_assert_cmpuint(v, >=, 1);
		g_assert_cmpuint(v, <=, s);
	}
}

/* The shards partition the rows; merged they are the single run's. */
static void test_partition(void)
{
	const char *ex = examples();
	struct bpfs_corpus_result all, merged = { 0 };
	size_t total = 0;

	if (!ex)
		return;
	verify(ex, 0, 0, &all);
	for (unsigned k = 1; k <= NSHARDS; k++) {
		struct bpfs_corpus_result part;

		verify(ex, k, NSHARDS, &part);
		total += part.nrows;
		for (size_t i = 0; i < part.nrows; i++)
			g_assert_cmpuint(bpfs_corpus_shard_of(part.rows[i].object, NSHARDS), ==, k);
		/* move the rows over */
		merged.rows = g_renew(struct bpfs_corpus_row, merged.rows, merged.nrows + part.nrows);
		memcpy(merged.rows + merged.nrows, part.rows, part.nrows * sizeof(*part.rows));
		merged.nrows += part.nrows;
		g_free(part.rows);
	}
	g_assert_cmpuint(total, ==, all.nrows);
	bpfs_corpus_sort_objects(&merged);
	assert_same_rows(&all, &merged);
	bpfs_corpus_result_release(&all);
	bpfs_corpus_result_release(&merged);
}

static void load(const char *path, struct bpfs_corpus_result *res)
{
	struct bpfs_err err;

	memset(res, 0, sizeof(*res));
	bpfs_err_clear(&err);
	if (bpfs_corpus_csv_load(path, res, &err))
		g_error("%s", err.msg);
}

/* The command: shards to CSV, merged with --merge, and concatenated
 * with one header; both are the single run's rows. */
static void test_cli_merge(void)
{
	const char *ex = examples();
	g_autofree char *dir = NULL, *script = NULL, *p_all = NULL, *p_merged = NULL, *p_cat = NULL;
	struct bpfs_corpus_result all, merged, cat;

	if (!ex)
		return;
	dir = g_dir_make_tmp("bpfs-shard-XXXXXX", NULL);
	script = g_strdup_printf("set -e; cd %s; %s corpus -q -f csv -o all.csv %s >/dev/null; "
				 "for k in 1 2 3; do %s corpus -q --shard $k/3 -f csv -o shard-$k.csv %s >/dev/null; "
				 "done; %s corpus --merge -f csv -o merged.csv shard-3.csv shard-1.csv shard-2.csv "
				 ">/dev/null; "
				 "(head -n 1 shard-1.csv; for k in 1 2 3; do tail -n +2 shard-$k.csv; done) > cat.csv",
				 dir, tu_cli(), ex, tu_cli(), ex, tu_cli());
	g_assert_cmpint(sh(script, NULL, NULL), ==, 0);
	p_all = g_build_filename(dir, "all.csv", NULL);
	p_merged = g_build_filename(dir, "merged.csv", NULL);
	p_cat = g_build_filename(dir, "cat.csv", NULL);
	load(p_all, &all);
	load(p_merged, &merged);
	load(p_cat, &cat);
	g_assert_cmpuint(all.nrows, >=, 10);
	assert_same_rows(&all, &merged);
	/* concatenated: the same rows, in shard order */
	bpfs_corpus_sort_objects(&cat);
	assert_same_rows(&all, &cat);
	bpfs_corpus_result_release(&all);
	bpfs_corpus_result_release(&merged);
	bpfs_corpus_result_release(&cat);
	tu_rm_tree(dir);
}

static void test_cli_errors(void)
{
	g_autofree char *cmd = g_strdup_printf("%s corpus --shard 4/3 .", tu_cli());
	g_autofree char *cmd2 = g_strdup_printf("%s corpus --merge /nonexistent.csv", tu_cli());
	g_autofree char *err = NULL, *err2 = NULL;

	g_assert_cmpint(tu_run(cmd, NULL, &err), ==, 2);
	g_assert_nonnull(strstr(err, "--shard takes K/N"));
	g_assert_cmpint(tu_run(cmd2, NULL, &err2), ==, 2);
	g_assert_nonnull(strstr(err2, "nonexistent.csv"));
}

static char *script_path(const char *name)
{
	return g_build_filename(g_getenv("BPFS_SOURCE_DIR"), "scripts", name, NULL);
}

/* scripts/corpus-parallel.sh gives the single run's rows, with parallel's
 * local job slots and with this machine as an ssh login (':'). */
static void test_gnu_parallel(void)
{
	const char *ex = examples();
	g_autofree char *parallel = g_find_program_in_path("parallel");
	g_autofree char *dir = NULL, *script = NULL, *run = script_path("corpus-parallel.sh");
	g_autofree char *bin_dir = NULL, *err = NULL;
	struct bpfs_corpus_result all, local, login;

	if (!ex)
		return;
	if (!parallel) {
		g_test_skip("GNU parallel is not installed (apt-get install parallel)");
		return;
	}
	dir = g_dir_make_tmp("bpfs-parallel-XXXXXX", NULL);
	bin_dir = g_path_get_dirname(tu_cli());
	script = g_strdup_printf("set -e; cd %s; %s corpus -q -f csv -o all.csv %s >/dev/null; "
				 "%s -n 4 -j 2 -b %s -o local.csv %s 2>/dev/null; "
				 "%s -n 3 -S 2/: -b %s -o login.csv -- --jobs 1 %s 2>/dev/null",
				 dir, tu_cli(), ex, run, tu_cli(), ex, run, tu_cli(), ex);
	g_assert_cmpint(sh(script, NULL, &err), ==, 0);
	{
		g_autofree char *a = g_build_filename(dir, "all.csv", NULL);
		g_autofree char *l = g_build_filename(dir, "local.csv", NULL);
		g_autofree char *s = g_build_filename(dir, "login.csv", NULL);
		load(a, &all);
		load(l, &local);
		load(s, &login);
	}
	assert_same_rows(&all, &local);
	assert_same_rows(&all, &login);
	bpfs_corpus_result_release(&all);
	bpfs_corpus_result_release(&local);
	bpfs_corpus_result_release(&login);
	tu_rm_tree(dir);
}

/* scripts/corpus-slurm.sh submit on a one-node Slurm of the test's own
 * (tests/test_corpus_slurm.sh), waited for with squeue. */
static void test_slurm(void)
{
	const char *ex = examples();
	g_autofree char *dir = NULL, *helper = NULL, *run = script_path("corpus-slurm.sh");
	g_autofree char *script = NULL, *out = NULL, *err = NULL, *conf = NULL, *p_all = NULL, *p_out = NULL;
	g_autofree char *sbatch = g_find_program_in_path("sbatch");
	struct bpfs_corpus_result all, merged;
	int rc;

	if (!ex)
		return;
	if (!sbatch) {
		g_test_skip("Slurm is not installed (apt-get install slurm-wlm)");
		return;
	}
	dir = g_dir_make_tmp("bpfs-slurm-XXXXXX", NULL);
	helper = g_build_filename(g_getenv("BPFS_SOURCE_DIR"), "tests", "test_corpus_slurm.sh", NULL);
	script = g_strdup_printf("%s start %s", helper, dir);
	rc = sh(script, &out, &err);
	if (rc == 77) {
		g_autofree char *why = g_strdup_printf("no one-node Slurm here: %s", g_strstrip(err));
		g_test_skip(why);
		tu_rm_tree(dir);
		return;
	}
	g_assert_cmpint(rc, ==, 0);
	conf = g_strdup(g_strstrip(out));
	g_free(script);
	/* submit, then wait for both jobs to leave the queue (2 minutes at most) */
	script = g_strdup_printf(
		"set -e; export %s; cd %s; %s corpus -q -f csv -o all.csv %s >/dev/null; "
		"%s submit -n 3 -b %s -d %s/work -o %s/merged.csv %s; "
		"for i in $(seq 1 120); do [ -z \"$(squeue -h -o %%i)\" ] && break; sleep 1; done; "
		"[ -z \"$(squeue -h -o %%i)\" ]",
		conf, dir, tu_cli(), ex, run, tu_cli(), dir, dir, ex);
	g_free(out);
	g_free(err);
	out = err = NULL;
	rc = sh(script, &out, &err);
	g_test_message("%s%s", out, err);
	g_free(script);
	script = g_strdup_printf("%s stop %s", helper, dir);
	sh(script, NULL, NULL);
	g_assert_cmpint(rc, ==, 0);
	g_assert_nonnull(strstr(out, "array job "));
	p_all = g_build_filename(dir, "all.csv", NULL);
	p_out = g_build_filename(dir, "merged.csv", NULL);
	g_assert_true(g_file_test(p_out, G_FILE_TEST_EXISTS));
	load(p_all, &all);
	load(p_out, &merged);
	assert_same_rows(&all, &merged);
	bpfs_corpus_result_release(&all);
	bpfs_corpus_result_release(&merged);
	tu_rm_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/corpus/shard/parse", test_parse);
	g_test_add_func("/corpus/shard/partition", test_partition);
	g_test_add_func("/corpus/shard/cli-merge", test_cli_merge);
	g_test_add_func("/corpus/shard/cli-errors", test_cli_errors);
	g_test_add_func("/corpus/shard/gnu-parallel", test_gnu_parallel);
	g_test_add_func("/corpus/shard/slurm", test_slurm);
	return g_test_run();
}
