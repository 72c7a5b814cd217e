/* SPDX-License-Identifier: MIT */
/*
 * Verifier speed on a corpus: the wall time to verify every program with
 * one job and with one job per core, beside the kernel's total
 * verification time for the same programs (the verif_time_usec_median3
 * column of kernel-verdicts.tsv, measured on the running kernel with
 * BPF_LOG_STATS), printed as ratios against the kernel, the baseline. Also
 * the processed-insn totals with and without state pruning, beside the
 * kernel's.
 *
 * Usage: bench_verifier [CORPUS_DIR [KERNEL_VERDICTS_TSV]]
 * Defaults come from BPFS_SHARED_DIR (corpus/ebpf-samples and
 * corpus/kernel-verdicts.tsv).
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "corpus.h"

/* The kernel's totals over the programs it accepted or rejected. */
struct kernel_totals {
	guint64 usec, processed;
	guint n;
};

static void kernel_totals(const struct bpfs_kernel_verdicts *kv, const struct bpfs_corpus_result *res,
			  struct kernel_totals *k)
{
	memset(k, 0, sizeof(*k));
	for (size_t i = 0; kv && i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		const struct bpfs_kernel_verdict *v = bpfs_kernel_verdicts_find(kv, r->object, r->section, r->function);

		if (!v || (strcmp(v->verdict, "accept") && strcmp(v->verdict, "reject")))
			continue;
		k->usec += v->verif_time_us;
		k->processed += v->processed_insns;
		k->n++;
	}
}

struct run {
	double seconds;
	guint64 processed, cpu_usec;
	size_t nrows;
};

static void run_corpus(const char *dir, struct bpfs_kernel_verdicts *kv, unsigned jobs, bool no_prune,
		       struct run *r, struct kernel_totals *k)
{
	struct bpfs_corpus_opts opts = { .jobs = jobs, .prog_type = -1 };
	struct bpfs_corpus_result res = { 0 };
	const char *paths[] = { dir };
	gint64 t0;

	if (kv) {
		opts.prog_type_fn = bpfs_kernel_verdicts_type;
		opts.prog_type_data = kv;
	}
	opts.verifier.no_prune = no_prune;
	memset(r, 0, sizeof(*r));
	t0 = g_get_monotonic_time();
	if (bpfs_corpus_verify(paths, 1, &opts, &res, NULL)) {
		fprintf(stderr, "bench_verifier: cannot read %s\n", dir);
		return;
	}
	r->seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
	for (size_t i = 0; i < res.nrows; i++) {
		r->processed += res.rows[i].stats.processed_insns;
		r->cpu_usec += res.rows[i].duration_us;
	}
	r->nrows = res.nrows;
	if (k)
		kernel_totals(kv, &res, k);
	bpfs_corpus_result_release(&res);
}

int main(int argc, char **argv)
{
	const char *shared = g_getenv("BPFS_SHARED_DIR");
	g_autofree char *dir = NULL, *tsv = NULL;
	struct kernel_totals k;
	struct bpfs_kernel_verdicts *kv = NULL;
	struct run one, all, noprune;
	unsigned ncpu = g_get_num_processors();
	double kernel_s;
	char label[64];

	dir = argc > 1 ? g_strdup(argv[1]) : shared ? g_build_filename(shared, "corpus/ebpf-samples", NULL) : NULL;
	tsv = argc > 2 ? g_strdup(argv[2])
		       : shared ? g_build_filename(shared, "corpus/kernel-verdicts.tsv", NULL) : NULL;
	if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		fprintf(stderr, "usage: bench_verifier CORPUS_DIR [KERNEL_VERDICTS_TSV] (or set BPFS_SHARED_DIR)\n");
		return 2;
	}
	if (!tsv || bpfs_kernel_verdicts_load(tsv, &kv, NULL))
		fprintf(stderr, "bench_verifier: no kernel verdicts (%s): the kernel column is left out\n",
			tsv ? tsv : "none given");
	run_corpus(dir, kv, 1, false, &one, &k);
	run_corpus(dir, kv, ncpu, false, &all, NULL);
	run_corpus(dir, kv, ncpu, true, &noprune, NULL);
	kernel_s = (double)k.usec / 1e6;

	printf("verifying %zu programs of %s (baseline: the running kernel's verifier, %u programs)\n", one.nrows, dir,
	       k.n);
	printf("  %-36s %10s %14s %10s\n", "", "wall s", "processed", "vs kernel");
	if (k.n)
		printf("  %-36s %10.3f %14" G_GUINT64_FORMAT " %10s\n", "kernel (sum of verification times)",
		       kernel_s, k.processed, "1.00x");
	printf("  %-36s %10.3f %14" G_GUINT64_FORMAT " %9.2fx\n", "bpfscope, 1 job", one.seconds, one.processed,
	       kernel_s > 0 ? one.seconds / kernel_s : 0.0);
	snprintf(label, sizeof(label), "bpfscope, %u jobs", ncpu);
	printf("  %-36s %10.3f %14" G_GUINT64_FORMAT " %9.2fx\n", label, all.seconds, all.processed,
	       kernel_s > 0 ? all.seconds / kernel_s : 0.0);
	printf("  %-36s %10.3f %14" G_GUINT64_FORMAT " %9.2fx\n", "bpfscope, no pruning", noprune.seconds,
	       noprune.processed, kernel_s > 0 ? noprune.seconds / kernel_s : 0.0);
	printf("processed insns: pruning saves %.1fx; bpfscope/kernel %.2f\n",
	       one.processed ? (double)noprune.processed / (double)one.processed : 0.0,
	       k.processed ? (double)one.processed / (double)k.processed : 0.0);
	bpfs_kernel_verdicts_free(kv);
	return 0;
}
