/* SPDX-License-Identifier: MIT */
/*
 * A corpus run against reference verdicts (the running kernel's), as text:
 * what a researcher needs to see where and why bpfscope differs.
 */
#include "reports.h"

#include <glib.h>
#include <string.h>

struct dir_tally {
	guint compared, agree;
};

static char *top_dir(const char *object)
{
	const char *slash = strchr(object, '/');
	return slash ? g_strndup(object, (gsize)(slash - object)) : g_strdup(".");
}

static bool agrees(const struct bpfs_agreement_row *a)
{
	return a->ours && !strcmp(bpfs_corpus_verdict_name(a->ours->verdict), a->reference->verdict);
}

static void by_directory(FILE *out, const struct bpfs_agreement *a)
{
	GHashTable *dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GPtrArray *order = g_ptr_array_new();

	for (size_t i = 0; i < a->nrows; i++) {
		char *dir = top_dir(a->rows[i].reference->object);
		struct dir_tally *t = g_hash_table_lookup(dirs, dir);

		if (!t) {
			t = g_new0(struct dir_tally, 1);
			g_hash_table_insert(dirs, dir, t);
			g_ptr_array_add(order, dir);
		} else {
			g_free(dir);
		}
		t->compared++;
		t->agree += agrees(&a->rows[i]);
	}
	fprintf(out, "  %-24s %9s %7s %8s\n", "DIRECTORY", "COMPARED", "AGREE", "PERCENT");
	for (guint i = 0; i < order->len; i++) {
		const struct dir_tally *t = g_hash_table_lookup(dirs, order->pdata[i]);
		fprintf(out, "  %-24s %9u %7u %7.1f%%\n", (const char *)order->pdata[i], t->compared, t->agree,
			t->compared ? 100.0 * t->agree / t->compared : 0.0);
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(dirs);
}

static void print_error(FILE *out, const char *e)
{
	if (e && *e)
		fprintf(out, " (%s)", e);
}

void bpfs_report_kernel_agreement(FILE *out, const struct bpfs_corpus_result *res,
				  const struct bpfs_kernel_verdicts *kv)
{
	struct bpfs_agreement a;
	bool any = false;

	bpfs_kernel_verdicts_compare(kv, res, &a);
	fprintf(out, "agreement with the reference verdicts: %zu of %zu programs (%.1f%%)\n", a.agree, a.compared,
		a.compared ? 100.0 * (double)a.agree / (double)a.compared : 0.0);
	if (a.unmatched)
		fprintf(out, "  reference rows that match no program: %zu (counted as disagreements)\n", a.unmatched);
	fprintf(out, "  both rejected: %zu, with the same first error line: %zu\n", a.both_rejected,
		a.same_message);
	if (a.processed_theirs)
		fprintf(out, "  processed insns where both accept: bpfscope %" G_GUINT64_FORMAT
			     ", reference %" G_GUINT64_FORMAT " (%.2fx)\n",
			a.processed_ours, a.processed_theirs, (double)a.processed_ours / (double)a.processed_theirs);
	by_directory(out, &a);
	for (size_t i = 0; i < a.nrows; i++) {
		const struct bpfs_kernel_verdict *k = a.rows[i].reference;
		const struct bpfs_corpus_row *r = a.rows[i].ours;

		if (agrees(&a.rows[i]))
			continue;
		if (!any)
			fprintf(out, "disagreements:\n");
		any = true;
		fprintf(out, "  %s %s/%s: reference %s", k->object, k->section, *k->function ? k->function : "(no function)",
			k->verdict);
		print_error(out, k->error);
		if (r) {
			fprintf(out, ", bpfscope %s", bpfs_corpus_verdict_name(r->verdict));
			print_error(out, r->error);
		} else {
			fprintf(out, ", bpfscope has no such program");
		}
		fputc('\n', out);
	}
	bpfs_agreement_release(&a);
}
