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
	char *object, *section, *function;
	char *storage[3];
};

struct bpfs_kernel_verdicts {
	GPtrArray *order; /* struct row, in file order (owns them) */
	GHashTable *rows; /* "object\tsection\tfunction" -> struct row */
};

static void row_free(gpointer p)
{
	struct row *r = p;

	for (size_t i = 0; i < G_N_ELEMENTS(r->storage); i++)
		g_free(r->storage[i]);
	g_free(r->object);
	g_free(r->section);
	g_free(r->function);
	g_free(r);
}

static char *row_key(const char *object, const char *section, const char *function)
{
	return g_strdup_printf("%s\t%s\t%s", object, section, function);
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
	r->object = g_strdup(f[col[C_OBJECT]]);
	r->section = g_strdup(f[col[C_SECTION]]);
	r->function = g_strdup(f[col[C_FUNCTION]]);
	r->storage[0] = g_strdup(f[col[C_VERDICT]]);
	r->storage[1] = g_strdup(f[col[C_ERROR]]);
	r->storage[2] = g_strdup(f[col[C_TYPE]]);
	r->v.object = r->object;
	r->v.section = r->section;
	r->v.function = r->function;
	r->v.verdict = r->storage[0];
	r->v.error = r->storage[1];
	r->v.prog_type = r->storage[2];
	r->v.processed_insns = g_ascii_strtoull(f[col[C_PROCESSED]], NULL, 10);
	if (col[C_TIME] >= 0 && (guint)col[C_TIME] < nf)
		r->v.verif_time_us = g_ascii_strtoull(f[col[C_TIME]], NULL, 10);
	g_ptr_array_add(kv->order, r);
	g_hash_table_replace(kv->rows, row_key(r->object, r->section, r->function), r);
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
	if (lines[0] && !strchr(lines[0], '\t') && strchr(lines[0], ','))
		return bpfs_err_set(err, EINVAL, -1,
				    "%s: the header line is comma-separated; reference verdicts are "
				    "tab-separated (TSV), with the columns %s, %s, %s, %s, %s, %s and %s",
				    path, col_names[0], col_names[1], col_names[2], col_names[3], col_names[4],
				    col_names[5], col_names[6]);
	header = g_strsplit(lines[0] ? lines[0] : "", "\t", -1);
	for (int c = 0; c < NCOLS; c++) {
		col[c] = column(header, col_names[c]);
		if (col[c] < 0 && c != C_TIME)
			return bpfs_err_set(err, EINVAL, -1, "%s: no column '%s' in the header line", path,
					    col_names[c]);
	}
	kv = g_new0(struct bpfs_kernel_verdicts, 1);
	kv->order = g_ptr_array_new_with_free_func(row_free);
	kv->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
	g_ptr_array_free(kv->order, TRUE);
	g_free(kv);
}

static struct row *lookup(const struct bpfs_kernel_verdicts *kv, const char *object, const char *section,
			  const char *function)
{
	g_autofree char *key = row_key(object, section, function);

	return g_hash_table_lookup(kv->rows, key);
}

/* A reference row that names no function (the loader that made it knew
 * none: an object without symbols) stands for its section. */
const struct bpfs_kernel_verdict *bpfs_kernel_verdicts_find(const struct bpfs_kernel_verdicts *kv,
							    const char *object, const char *section,
							    const char *function)
{
	struct row *r = lookup(kv, object, section, function);

	if (!r && *function)
		r = lookup(kv, object, section, "");
	return r ? &r->v : NULL;
}

int bpfs_kernel_verdicts_type(const char *object, const struct bpfs_prog *prog, void *data)
{
	const struct bpfs_kernel_verdict *v = bpfs_kernel_verdicts_find(data, object, prog->section, prog->name);

	return v ? bpfs_prog_type_parse(v->prog_type) : -1;
}

static bool judged(const struct bpfs_kernel_verdict *k)
{
	return !strcmp(k->verdict, "accept") || !strcmp(k->verdict, "reject");
}

/* Our rows by "object\tsection\tfunction", and by "object\tsection" the
 * one program of a section (NULL where a section has several). */
static void index_rows(const struct bpfs_corpus_result *res, GHashTable *exact, GHashTable *by_section)
{
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		char *sec = g_strdup_printf("%s\t%s", r->object, r->section);

		g_hash_table_insert(exact, row_key(r->object, r->section, r->function), (gpointer)r);
		if (g_hash_table_contains(by_section, sec)) {
			g_hash_table_replace(by_section, sec, NULL);
		} else {
			g_hash_table_insert(by_section, sec, (gpointer)r);
		}
	}
}

void bpfs_kernel_verdicts_compare(const struct bpfs_kernel_verdicts *kv, const struct bpfs_corpus_result *res,
				  struct bpfs_agreement *out)
{
	GHashTable *exact = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *by_section = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	memset(out, 0, sizeof(*out));
	index_rows(res, exact, by_section);
	out->rows = g_new0(struct bpfs_agreement_row, kv->order->len + 1);
	for (guint i = 0; i < kv->order->len; i++) {
		const struct row *kr = kv->order->pdata[i];
		const struct bpfs_kernel_verdict *k = &kr->v;
		const struct bpfs_corpus_row *r;
		g_autofree char *key = row_key(kr->object, kr->section, kr->function);
		g_autofree char *sec = g_strdup_printf("%s\t%s", kr->object, kr->section);

		if (!judged(k))
			continue;
		r = g_hash_table_lookup(exact, key);
		if (!r && !*kr->function)
			r = g_hash_table_lookup(by_section, sec);
		out->rows[out->nrows].reference = k;
		out->rows[out->nrows++].ours = r;
		out->compared++;
		if (!r) {
			out->unmatched++;
			continue;
		}
		if (strcmp(bpfs_corpus_verdict_name(r->verdict), k->verdict))
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
	g_hash_table_destroy(exact);
	g_hash_table_destroy(by_section);
}

void bpfs_agreement_release(struct bpfs_agreement *a)
{
	g_free(a->rows);
	a->rows = NULL;
	a->nrows = 0;
}

void bpfs_corpus_add_kernel(struct bpfs_corpus_result *res, const struct bpfs_kernel_verdicts *kv)
{
	for (size_t i = 0; i < res->nrows; i++) {
		struct bpfs_corpus_row *r = &res->rows[i];
		const struct bpfs_kernel_verdict *k = bpfs_kernel_verdicts_find(kv, r->object, r->section, r->function);

		g_free(r->kernel_verdict);
		g_free(r->kernel_error);
		r->kernel_verdict = g_strdup(k ? k->verdict : "");
		r->kernel_error = g_strdup(k ? k->error : "");
		r->kernel_processed_insns = k ? k->processed_insns : 0;
		r->kernel_duration_us = k ? k->verif_time_us : 0;
	}
	res->kernel = true;
}
