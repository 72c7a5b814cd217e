/* SPDX-License-Identifier: MIT */
/*
 * Runs read back from their CSV tables, so that runs made elsewhere (other
 * shards, other machines, other versions, veristat) can be merged,
 * compared and reported on. The reader takes RFC 4180 (quoted fields with
 * commas, quotes and line breaks; CRLF or LF) and finds columns by name,
 * so extra or reordered columns do no harm.
 */
#include "corpus.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits text into records of fields (GPtrArray of GStrv). */
static GPtrArray *parse_csv(const char *s)
{
	GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GPtrArray *fields = g_ptr_array_new();
	GString *field = g_string_new(NULL);
	bool quoted = false, any = false;

	for (;; s++) {
		if (quoted) {
			if (!*s)
				break; /* unterminated: keep what was read */
			if (*s == '"' && s[1] == '"') {
				g_string_append_c(field, '"');
				s++;
			} else if (*s == '"') {
				quoted = false;
			} else {
				g_string_append_c(field, *s);
			}
			continue;
		}
		if (*s == '"') {
			quoted = any = true;
		} else if (*s == ',') {
			g_ptr_array_add(fields, g_string_free(field, FALSE));
			field = g_string_new(NULL);
			any = true;
		} else if (*s == '\r' && s[1] == '\n') {
			continue;
		} else if (*s == '\n' || !*s) {
			if (any || field->len) {
				g_ptr_array_add(fields, g_string_free(field, FALSE));
				field = g_string_new(NULL);
				g_ptr_array_add(fields, NULL);
				g_ptr_array_add(records, g_ptr_array_free(fields, FALSE));
				fields = g_ptr_array_new();
			}
			any = false;
			if (!*s)
				break;
		} else {
			g_string_append_c(field, *s);
			any = true;
		}
	}
	if (any || field->len) {
		g_ptr_array_add(fields, g_string_free(field, FALSE));
		field = NULL;
		g_ptr_array_add(fields, NULL);
		g_ptr_array_add(records, g_ptr_array_free(fields, FALSE));
		fields = NULL;
	}
	if (field)
		g_string_free(field, TRUE);
	if (fields)
		g_ptr_array_free(fields, TRUE);
	return records;
}

/* The columns a row can be filled from; bpfscope's names first, then
 * veristat's for the same thing. */
enum col {
	C_OBJECT, C_SECTION, C_FUNCTION, C_TYPE, C_INSNS, C_VERDICT, C_ERROR, C_PROCESSED, C_STATES, C_PEAK,
	C_MAX, C_MARK_READ, C_DURATION, C_K_VERDICT, C_K_ERROR, C_K_PROCESSED, C_K_DURATION, NCOLS
};

static const char *const bpfs_names[NCOLS] = {
	"object", "section", "function", "prog_type", "insns", "verdict", "error", "processed_insns",
	"total_states", "peak_states", "max_states_per_insn", "mark_read", "duration_us", "kernel_verdict",
	"kernel_error", "kernel_processed_insns", "kernel_duration_us",
};

/* veristat's CSV column names (its stat names' first spelling). */
static const char *const veristat_names[NCOLS] = {
	[C_OBJECT] = "file_name", [C_FUNCTION] = "prog_name", [C_TYPE] = "prog_type", [C_INSNS] = "prog_size",
	[C_VERDICT] = "verdict", [C_PROCESSED] = "total_insns", [C_STATES] = "total_states",
	[C_PEAK] = "peak_states", [C_MAX] = "max_states_per_insn", [C_MARK_READ] = "mark_read_max_len",
	[C_DURATION] = "duration",
};

static int find_col(char **header, const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; header[i]; i++)
		if (!strcmp(header[i], name))
			return i;
	return -1;
}

static const char *field(char **rec, guint n, const int *col, enum col c)
{
	return col[c] >= 0 && (guint)col[c] < n ? rec[col[c]] : NULL;
}

static uint64_t number(char **rec, guint n, const int *col, enum col c)
{
	const char *f = field(rec, n, col, c);
	return f ? g_ascii_strtoull(f, NULL, 10) : 0;
}

static int parse_verdict(const char *s, enum bpfs_corpus_verdict *v)
{
	if (!strcmp(s, "accept") || !strcmp(s, "success"))
		*v = BPFS_CORPUS_ACCEPT;
	else if (!strcmp(s, "reject") || !strcmp(s, "failure"))
		*v = BPFS_CORPUS_REJECT;
	else if (!strcmp(s, "error"))
		*v = BPFS_CORPUS_ERROR;
	else
		return -EINVAL;
	return 0;
}

static int add_row(GArray *rows, char **rec, const int *col, bool kernel, const char *path, guint line,
		   struct bpfs_err *err)
{
	guint n = g_strv_length(rec);
	struct bpfs_corpus_row r = { 0 };
	const char *type = field(rec, n, col, C_TYPE), *verdict = field(rec, n, col, C_VERDICT);
	int t;

	if (!field(rec, n, col, C_OBJECT) || !field(rec, n, col, C_FUNCTION) || !verdict)
		return bpfs_err_set(err, EINVAL, -1, "%s: line %u: too few fields", path, line);
	if (parse_verdict(verdict, &r.verdict))
		return bpfs_err_set(err, EINVAL, -1, "%s: line %u: unknown verdict '%s'", path, line, verdict);
	r.object = g_strdup(field(rec, n, col, C_OBJECT));
	r.section = g_strdup(field(rec, n, col, C_SECTION) ? field(rec, n, col, C_SECTION) : "");
	r.function = g_strdup(field(rec, n, col, C_FUNCTION));
	r.prog_type = type && (t = bpfs_prog_type_parse(type)) >= 0 ? (uint32_t)t : 0;
	r.insns = (size_t)number(rec, n, col, C_INSNS);
	r.error = g_strdup(field(rec, n, col, C_ERROR) ? field(rec, n, col, C_ERROR) : "");
	r.error_insn = -1;
	r.stats.processed_insns = number(rec, n, col, C_PROCESSED);
	r.stats.total_states = number(rec, n, col, C_STATES);
	r.stats.peak_states = number(rec, n, col, C_PEAK);
	r.stats.max_states_per_insn = number(rec, n, col, C_MAX);
	r.stats.mark_read = number(rec, n, col, C_MARK_READ);
	r.duration_us = number(rec, n, col, C_DURATION);
	if (kernel) {
		const char *kv = field(rec, n, col, C_K_VERDICT), *ke = field(rec, n, col, C_K_ERROR);
		r.kernel_verdict = g_strdup(kv ? kv : "");
		r.kernel_error = g_strdup(ke ? ke : "");
		r.kernel_processed_insns = number(rec, n, col, C_K_PROCESSED);
		r.kernel_duration_us = number(rec, n, col, C_K_DURATION);
	}
	g_array_append_val(rows, r);
	return 0;
}

static bool same_record(char **a, char **b)
{
	for (; *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return false;
	return !*a && !*b;
}

static char *read_all(const char *path, struct bpfs_err *err)
{
	g_autoptr(GError) gerr = NULL;
	char *text = NULL;

	if (strcmp(path, "-")) {
		if (!g_file_get_contents(path, &text, NULL, &gerr))
			bpfs_err_set(err, ENOENT, -1, "%s", gerr->message);
		return text;
	}
	GString *s = g_string_new(NULL);
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		g_string_append_len(s, buf, (gssize)n);
	return g_string_free(s, FALSE);
}

static void append_rows(struct bpfs_corpus_result *res, GArray *rows, bool kernel, bool veristat)
{
	size_t old = res->nrows;

	res->rows = g_renew(struct bpfs_corpus_row, res->rows, old + rows->len);
	memcpy(res->rows + old, rows->data, rows->len * sizeof(struct bpfs_corpus_row));
	res->nrows += rows->len;
	res->kernel = res->kernel || kernel;
	res->no_sections = res->no_sections || veristat;
}

int bpfs_corpus_csv_load(const char *path, struct bpfs_corpus_result *res, struct bpfs_err *err)
{
	g_autofree char *text = read_all(path, err);
	GPtrArray *recs;
	GArray *rows;
	char **header;
	int col[NCOLS], ret = 0;
	bool veristat, kernel;

	if (!text)
		return -ENOENT;
	recs = parse_csv(text);
	if (!recs->len) {
		g_ptr_array_free(recs, TRUE);
		return bpfs_err_set(err, EINVAL, -1, "%s: empty, not a table of programs", path);
	}
	header = recs->pdata[0];
	veristat = find_col(header, "object") < 0 && find_col(header, "file_name") >= 0;
	for (int c = 0; c < NCOLS; c++)
		col[c] = find_col(header, veristat ? veristat_names[c] : bpfs_names[c]);
	if (col[C_OBJECT] < 0 || col[C_FUNCTION] < 0 || col[C_VERDICT] < 0) {
		g_ptr_array_free(recs, TRUE);
		return bpfs_err_set(err, EINVAL, -1,
				    "%s: the header names no columns object, function and verdict (bpfscope's CSV) "
				    "nor file_name, prog_name and verdict (veristat's)",
				    path);
	}
	kernel = col[C_K_VERDICT] >= 0;
	rows = g_array_new(FALSE, TRUE, sizeof(struct bpfs_corpus_row));
	for (guint i = 1; i < recs->len && !ret; i++)
		if (!same_record(recs->pdata[i], header))
			ret = add_row(rows, recs->pdata[i], col, kernel, path, i + 1, err);
	if (ret) {
		struct bpfs_corpus_result tmp = { .rows = (struct bpfs_corpus_row *)rows->data, .nrows = rows->len };
		g_array_free(rows, FALSE);
		bpfs_corpus_result_release(&tmp);
	} else {
		append_rows(res, rows, kernel, veristat);
		g_array_free(rows, TRUE);
	}
	g_ptr_array_free(recs, TRUE);
	return ret;
}

static gint cmp_object(gconstpointer a, gconstpointer b, gpointer data)
{
	(void)data;
	const struct bpfs_corpus_row *x = a, *y = b;
	return strcmp(x->object, y->object);
}

void bpfs_corpus_sort_objects(struct bpfs_corpus_result *res)
{
	/* g_qsort_with_data is a stable merge sort; qsort need not be. */
	g_qsort_with_data(res->rows, (gint)res->nrows, sizeof(*res->rows), cmp_object, NULL);
}
