/* SPDX-License-Identifier: MIT */
/*
 * Corpus results as a table, CSV or JSON, and their summary by verdict and
 * by directory. Column names are a contract with users' scripts.
 */
#include "reports.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

int bpfs_table_format_parse(const char *s)
{
	if (!strcmp(s, "table"))
		return BPFS_TABLE_TEXT;
	if (!strcmp(s, "csv"))
		return BPFS_TABLE_CSV;
	if (!strcmp(s, "json"))
		return BPFS_TABLE_JSON;
	if (!strcmp(s, "veristat-csv"))
		return BPFS_TABLE_VERISTAT_CSV;
	return -1;
}

static const char *type_name(uint32_t t)
{
	const char *n = bpfs_prog_type_name(t);
	return n ? n : "unknown";
}

static void csv_field(FILE *out, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static void write_csv(FILE *out, const struct bpfs_corpus_result *res)
{
	fputs("object,section,function,prog_type,insns,verdict,error,processed_insns,total_states,peak_states,"
	      "max_states_per_insn,duration_us",
	      out);
	fputs(res->kernel ? ",kernel_verdict,kernel_error,kernel_processed_insns,kernel_duration_us\r\n" : "\r\n", out);
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		csv_field(out, r->object, false);
		csv_field(out, r->section, false);
		csv_field(out, r->function, false);
		csv_field(out, type_name(r->prog_type), false);
		fprintf(out, "%zu,", r->insns);
		csv_field(out, bpfs_corpus_verdict_name(r->verdict), false);
		csv_field(out, r->error ? r->error : "", false);
		fprintf(out, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
			     ",%" G_GUINT64_FORMAT,
			r->stats.processed_insns, r->stats.total_states, r->stats.peak_states,
			r->stats.max_states_per_insn, r->duration_us);
		if (!res->kernel) {
			fputs("\r\n", out);
			continue;
		}
		fputc(',', out);
		csv_field(out, str_or_empty(r->kernel_verdict), false);
		csv_field(out, str_or_empty(r->kernel_error), false);
		fprintf(out, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "\r\n", r->kernel_processed_insns,
			r->kernel_duration_us);
	}
}

/* A name veristat's reader takes: it splits lines on commas and skips
 * empty fields, and knows no quoting. */
static void veristat_name(FILE *out, const char *s)
{
	if (!*s)
		s = "-";
	for (; *s; s++)
		fputc(*s == ',' || *s == '\n' || *s == '\r' ? '_' : *s, out);
}

/* veristat's statistics that a bpfscope row fills, by veristat's names
 * (the first spelling of each, which its CSV header uses). */
enum vcol { V_FILE, V_PROG, V_VERDICT, V_DURATION, V_INSNS, V_STATES, V_PEAK, V_MAX, V_MARK_READ, NVCOLS };

static const char *const vcol_names[NVCOLS] = {
	"file_name",   "prog_name",   "verdict", "duration", "total_insns", "total_states",
	"peak_states", "max_states_per_insn", "mark_read_max_len",
};

static const char *const veristat_default[] = {
	"file_name", "prog_name", "verdict", "duration", "total_insns", "total_states", "peak_states", NULL,
};

int bpfs_veristat_column_parse(const char *name)
{
	for (int i = 0; i < NVCOLS; i++)
		if (!strcmp(name, vcol_names[i]))
			return i;
	return -1;
}

static void veristat_value(FILE *out, const struct bpfs_corpus_row *r, enum vcol c)
{
	const char *slash = strrchr(r->object, '/');

	switch (c) {
	case V_FILE:
		veristat_name(out, slash ? slash + 1 : r->object);
		return;
	case V_PROG:
		veristat_name(out, *r->function ? r->function : r->section);
		return;
	case V_VERDICT:
		fputs(r->verdict == BPFS_CORPUS_ACCEPT ? "success" : "failure", out);
		return;
	case V_DURATION:
		fprintf(out, "%" G_GUINT64_FORMAT, r->duration_us);
		return;
	case V_INSNS:
		fprintf(out, "%" G_GUINT64_FORMAT, r->stats.processed_insns);
		return;
	case V_STATES:
		fprintf(out, "%" G_GUINT64_FORMAT, r->stats.total_states);
		return;
	case V_PEAK:
		fprintf(out, "%" G_GUINT64_FORMAT, r->stats.peak_states);
		return;
	case V_MAX:
		fprintf(out, "%" G_GUINT64_FORMAT, r->stats.max_states_per_insn);
		return;
	case V_MARK_READ:
		fprintf(out, "%" G_GUINT64_FORMAT, r->stats.mark_read);
		return;
	case NVCOLS:
		return;
	}
}

/* veristat's own CSV, as its `-o csv` writes it, so that `veristat -C`
 * compares a bpfscope run with a veristat run. veristat compares only
 * tables with the same columns in the same order: the default is what
 * veristat prints by default (and what `-o csv` writes up to Linux 6.1);
 * other veristats take `-e` with the same names. The key is veristat's:
 * the object's base name and the program's name. */
void bpfs_report_corpus_veristat(FILE *out, const struct bpfs_corpus_result *res, const char *const *columns)
{
	int cols[NVCOLS];
	size_t n = 0;

	for (const char *const *c = columns ? columns : veristat_default; *c && n < NVCOLS; c++) {
		int id = bpfs_veristat_column_parse(*c);
		if (id >= 0)
			cols[n++] = id;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", vcol_names[cols[i]]);
	fputc('\n', out);
	for (size_t r = 0; r < res->nrows; r++) {
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			veristat_value(out, &res->rows[r], (enum vcol)cols[i]);
		}
		fputc('\n', out);
	}
}

/* Counts per verdict for one group of rows. */
struct tally {
	guint n[3];
};

static char *top_dir(const char *object)
{
	const char *slash = strchr(object, '/');
	return slash ? g_strndup(object, (gsize)(slash - object)) : g_strdup(".");
}

/* Directory name -> tally, with directories in first-seen order. */
static GPtrArray *tally_dirs(const struct bpfs_corpus_result *res, GHashTable **by_dir, struct tally *all)
{
	GPtrArray *order = g_ptr_array_new();

	*by_dir = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	memset(all, 0, sizeof(*all));
	for (size_t i = 0; i < res->nrows; i++) {
		char *dir = top_dir(res->rows[i].object);
		struct tally *t = g_hash_table_lookup(*by_dir, dir);

		if (!t) {
			t = g_new0(struct tally, 1);
			g_hash_table_insert(*by_dir, dir, t);
			g_ptr_array_add(order, dir);
		} else {
			g_free(dir);
		}
		t->n[res->rows[i].verdict]++;
		all->n[res->rows[i].verdict]++;
	}
	return order;
}

void bpfs_report_corpus_summary(FILE *out, const struct bpfs_corpus_result *res)
{
	GHashTable *by_dir;
	struct tally all;
	GPtrArray *order = tally_dirs(res, &by_dir, &all);

	fprintf(out, "summary: %zu programs: %u accept, %u reject, %u error\n", res->nrows, all.n[0], all.n[1],
		all.n[2]);
	fprintf(out, "  %-32s %7s %7s %7s\n", "DIRECTORY", "ACCEPT", "REJECT", "ERROR");
	for (guint i = 0; i < order->len; i++) {
		const struct tally *t = g_hash_table_lookup(by_dir, order->pdata[i]);
		fprintf(out, "  %-32s %7u %7u %7u\n", (const char *)order->pdata[i], t->n[0], t->n[1], t->n[2]);
	}
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(by_dir);
}

static void write_text(FILE *out, const struct bpfs_corpus_result *res)
{
	fprintf(out, "%-40s %-28s %-24s %-14s %6s %-7s %9s %7s %6s %6s %9s  %s\n", "OBJECT", "SECTION", "FUNCTION",
		"TYPE", "INSNS", "VERDICT", "PROCESSED", "STATES", "PEAK", "MAX/I", "TIME_US", "ERROR");
	for (size_t i = 0; i < res->nrows; i++) {
		const struct bpfs_corpus_row *r = &res->rows[i];
		fprintf(out,
			"%-40s %-28s %-24s %-14s %6zu %-7s %9" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT
			" %6" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT "  %s\n",
			r->object, r->section, r->function, type_name(r->prog_type), r->insns,
			bpfs_corpus_verdict_name(r->verdict), r->stats.processed_insns, r->stats.total_states,
			r->stats.peak_states, r->stats.max_states_per_insn, r->duration_us, r->error ? r->error : "");
	}
	fputc('\n', out);
	bpfs_report_corpus_summary(out, res);
}

static void json_row(JsonBuilder *b, const struct bpfs_corpus_row *r, bool kernel)
{
	json_builder_begin_object(b);
#define STR(k, v)                                  \
	do {                                       \
		json_builder_set_member_name(b, k); \
		json_builder_add_string_value(b, v); \
	} while (0)
#define INT(k, v)                                          \
	do {                                               \
		json_builder_set_member_name(b, k);         \
		json_builder_add_int_value(b, (gint64)(v)); \
	} while (0)
	STR("object", r->object);
	STR("section", r->section);
	STR("function", r->function);
	STR("prog_type", type_name(r->prog_type));
	INT("insns", r->insns);
	STR("verdict", bpfs_corpus_verdict_name(r->verdict));
	STR("error", r->error ? r->error : "");
	INT("error_insn", r->error_insn);
	INT("processed_insns", r->stats.processed_insns);
	INT("total_states", r->stats.total_states);
	INT("peak_states", r->stats.peak_states);
	INT("max_states_per_insn", r->stats.max_states_per_insn);
	INT("duration_us", r->duration_us);
	if (kernel) {
		STR("kernel_verdict", str_or_empty(r->kernel_verdict));
		STR("kernel_error", str_or_empty(r->kernel_error));
		INT("kernel_processed_insns", r->kernel_processed_insns);
		INT("kernel_duration_us", r->kernel_duration_us);
	}
	json_builder_end_object(b);
}

static void json_tally(JsonBuilder *b, const struct tally *t)
{
	json_builder_begin_object(b);
	INT("accept", t->n[0]);
	INT("reject", t->n[1]);
	INT("error", t->n[2]);
	json_builder_end_object(b);
}
#undef STR
#undef INT

static void write_json(FILE *out, const struct bpfs_corpus_result *res)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;
	GHashTable *by_dir;
	struct tally all;
	GPtrArray *order = tally_dirs(res, &by_dir, &all);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "programs");
	json_builder_begin_array(b);
	for (size_t i = 0; i < res->nrows; i++)
		json_row(b, &res->rows[i], res->kernel);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "summary");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "total");
	json_tally(b, &all);
	json_builder_set_member_name(b, "by_directory");
	json_builder_begin_object(b);
	for (guint i = 0; i < order->len; i++) {
		json_builder_set_member_name(b, order->pdata[i]);
		json_tally(b, g_hash_table_lookup(by_dir, order->pdata[i]));
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, NULL);
	fputs(text, out);
	fputc('\n', out);
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(by_dir);
}

void bpfs_report_corpus(FILE *out, const struct bpfs_corpus_result *res, enum bpfs_table_format fmt)
{
	switch (fmt) {
	case BPFS_TABLE_TEXT:
		write_text(out, res);
		break;
	case BPFS_TABLE_CSV:
		write_csv(out, res);
		break;
	case BPFS_TABLE_JSON:
		write_json(out, res);
		break;
	case BPFS_TABLE_VERISTAT_CSV:
		bpfs_report_corpus_veristat(out, res, NULL);
		break;
	}
}
