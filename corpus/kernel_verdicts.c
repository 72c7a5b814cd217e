/* SPDX-License-Identifier: MIT */
/*
 * Reference verdicts (what the running kernel said about each program of a
 * corpus) and the comparison of a corpus run with them. Columns are found
 * by name in the header line, so extra or reordered columns do no harm.
 */
#include "corpus.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

struct row {
	struct bpfs_kernel_verdict v;
	char *storage[3];
};

struct bpfs_kernel_verdicts {
	GHashTable *rows; /* "object\tsection\tfunction" -> struct row */
};

static void row_free(gpointer p)
{
	struct row *r = p;

	for (size_t i = 0; i < G_N_ELEMENTS(r->storage); i++)
		g_free(r->storage[i]);
	g_free(r);
}

static int column(char **header, const char *name)
{
	for (int i = 0; header[i]; i++)
		if (!strcmp(g_strstrip(header[i]), name))
			return i;
	return -1;
}

enum { C_OBJECT, C_SECTION, C_FUNCTION, C_VERDICT, C_PROCESSED, C_ERROR, C_TYPE, C_TIME, NCOLS };

static const char *const col_names[NCOLS] = {
	"object", "section", "function", "kernel_verdict", "processed_insns", "error_first_line", "prog_type",
	"verif_time_usec_median3",
};

static void add_row(struct bpfs_kernel_verdicts *kv, char **f, guint nf, const int *col)
{
	struct row *r;

	for (int c = 0; c < C_TIME; c++)
		if ((guint)col[c] >= nf)
			return; /* a short line */
	r = g_new0(struct row, 1);
	r->storage[0] = g_strdup(f[col[C_VERDICT]]);
	r->storage[1] = g_strdup(f[col[C_ERROR]]);
	r->storage[2] = g_strdup(f[col[C_TYPE]]);
	r->v.verdict = r->storage[0];
	r->v.error = r->storage[1];
	r->v.prog_type = r->storage[2];
	r->v.processed_insns = g_ascii_strtoull(f[col[C_PROCESSED]], NULL, 10);
	if (col[C_TIME] >= 0 && (guint)col[C_TIME] < nf)
		r->v.verif_time_us = g_ascii_strtoull(f[col[C_TIME]], NULL, 10);
	g_hash_table_replace(kv->rows,
			     g_strdup_printf("%s\t%s\t%s", f[col[C_OBJECT]], f[col[C_SECTION]], f[col[C_FUNCTION]]),
			     r);
}

int bpfs_kernel_verdicts_load(const char *path, struct bpfs_kernel_verdicts **out, struct bpfs_err *err)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	g_auto(GStrv) lines = NULL, header = NULL;
	struct bpfs_kernel_verdicts *kv;
	int col[NCOLS];

	if (!g_file_get_contents(path, &text, NULL, &gerr))
		return bpfs_err_set(err, ENOENT, -1, "%s", gerr->message);
	lines = g_strsplit(text, "\n", -1);
	header = g_strsplit(lines[0] ? lines[0] : "", "\t", -1);
	for (int c = 0; c < NCOLS; c++) {
		col[c] = column(header, col_names[c]);
		if (col[c] < 0 && c != C_TIME)
			return bpfs_err_set(err, EINVAL, -1, "%s: no column '%s' in the header line", path,
					    col_names[c]);
	}
	kv = g_new0(struct bpfs_kernel_verdicts, 1);
	kv->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, row_free);
	for (char **l = lines + 1; *l; l++) {
		g_auto(GStrv) f = NULL;

		if (!**l)
			continue;
		f = g_strsplit(*l, "\t", -1);
		add_row(kv, f, g_strv_length(f), col);
	}
	*out = kv;
	return 0;
}

void bpfs_kernel_verdicts_free(struct bpfs_kernel_verdicts *kv)
{
	if (!kv)
		return;
	g_hash_table_destroy(kv->rows);
	g_free(kv);
}

const struct bpfs_kernel_verdict *bpfs_kernel_verdicts_find(const struct bpfs_kernel_verdicts *kv,
							    const char *object, const char *section,
							    const char *function)
{
	g_autofree char *key = g_strdup_printf("%s\t%s\t%s", object, section, function);
	struct row *r = g_hash_table_lookup(kv->rows, key);

	return r ? &r->v : NULL;
}

int bpfs_kernel_verdicts_type(const char *object, const struct bpfs_prog *prog, void *data)
{
	const struct bpfs_kernel_verdict *v = bpfs_kernel_verdicts_find(data, object, prog->section, prog->name);

	return v ? bpfs_prog_type_parse(v->prog_type) : -1;
}

void bpfs_kernel_verdicts_compare(const struct bpfs_kernel_verdicts *kv, const struct bpfs_corpus_result *res,
				  struct bpfs_agreement *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		const struct bpfs_kernel_verdict *k = bpfs_kernel_verdicts_find(kv, r->object, r->section, r->function);
		const char *ours = bpfs_corpus_verdict_name(r->verdict);

		if (!k || (strcmp(k->verdict, "accept") && strcmp(k->verdict, "reject")))
			continue;
		out->compared++;
		if (strcmp(ours, k->verdict))
			continue;
		out->agree++;
		if (r->verdict == BPFS_CORPUS_REJECT) {
			out->both_rejected++;
			if (r->error && !strcmp(r->error, k->error))
				out->same_message++;
		} else {
			out->processed_ours += r->stats.processed_insns;
			out->processed_theirs += k->processed_insns;
		}
	}
}
