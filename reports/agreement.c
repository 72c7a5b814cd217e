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

static void by_directory(FILE *out, const struct bpfs_corpus_result *res, const struct bpfs_kernel_verdicts *kv)
{
	GHashTable *dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GPtrArray *order = g_ptr_array_new();

	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		const struct bpfs_kernel_verdict *k = bpfs_kernel_verdicts_find(kv, r->object, r->section, r->function);
		char *dir;
		struct dir_tally *t;

		if (!k || (strcmp(k->verdict, "accept") && strcmp(k->verdict, "reject")))
			continue;
		dir = top_dir(r->object);
		t = g_hash_table_lookup(dirs, dir);
		if (!t) {
			t = g_new0(struct dir_tally, 1);
			g_hash_table_insert(dirs, dir, t);
			g_ptr_array_add(order, dir);
		} else {
			g_free(dir);
		}
		t->compared++;
		t->agree += !strcmp(bpfs_corpus_verdict_name(r->verdict), k->verdict);
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

void bpfs_report_kernel_agreement(FILE *out, const struct bpfs_corpus_result *res,
				  const struct bpfs_kernel_verdicts *kv)
{
	struct bpfs_agreement a;
	bool any = false;

	bpfs_kernel_verdicts_compare(kv, res, &a);
	fprintf(out, "agreement with the reference verdicts: %zu of %zu programs (%.1f%%)\n", a.agree, a.compared,
		a.compared ? 100.0 * (double)a.agree / (double)a.compared : 0.0);
	fprintf(out, "  both rejected: %zu, with the same first error line: %zu\n", a.both_rejected,
		a.same_message);
	if (a.processed_theirs)
		fprintf(out, "  processed insns where both accept: bpfscope %" G_GUINT64_FORMAT
			     ", reference %" G_GUINT64_FORMAT " (%.2fx)\n",
			a.processed_ours, a.processed_theirs, (double)a.processed_ours / (double)a.processed_theirs);
	by_directory(out, res, kv);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		const struct bpfs_kernel_verdict *k = bpfs_kernel_verdicts_find(kv, r->object, r->section, r->function);
		const char *ours = bpfs_corpus_verdict_name(r->verdict);

		if (!k || (strcmp(k->verdict, "accept") && strcmp(k->verdict, "reject")) || !strcmp(ours, k->verdict))
			continue;
		if (!any)
			fprintf(out, "disagreements:\n");
		any = true;
		fprintf(out, "  %s %s/%s: reference %s%s%s%s, bpfscope %s%s%s%s\n", r->object, r->section,
			r->function, k->verdict, *k->error ? " (" : "", k->error, *k->error ? ")" : "", ours,
			r->error && *r->error ? " (" : "", r->error ? r->error : "", r->error && *r->error ? ")" : "");
	}
}
