/* SPDX-License-Identifier: MIT */
/*
 * Two runs compared, as a table, CSV or JSON: for every joined program its
 * names, which runs have it, and per statistic the value in A, in B, the
 * difference and the percentage (bpfs_compare_value). Column names are a
 * contract with users' scripts, as the corpus table's are.
 */
#include "reports.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

static bool shown(const struct bpfs_compare *c, enum bpfs_compare_stat s)
{
	return c->kernel || !bpfs_compare_stat_kernel(s);
}

static const char *presence(const struct bpfs_compare_row *r)
{
	return r->a && r->b ? "both" : r->a ? "a" : "b";
}

static const struct bpfs_corpus_row *names(const struct bpfs_compare_row *r)
{
	return r->a ? r->a : r->b;
}

static void csv_field(FILE *out, const char *s)
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
}

/* A number as an integer when it is one (counts, differences), else with
 * two decimals (percentages). */
static void print_num(FILE *out, double v)
{
	if ((v < 0 ? -v : v) < 9e15 && v == (double)(long long)v)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.2f", v);
}

static void csv_value(FILE *out, const struct bpfs_compare_value *v)
{
	if (!v->present)
		return;
	if (v->str)
		csv_field(out, v->str);
	else
		print_num(out, v->num);
}

static void write_csv(FILE *out, const struct bpfs_compare *c)
{
	static const char *const sfx[] = { "_a", "_b", "_diff", "_pct" };

	fputs("object,section,function,in", out);
	for (int s = 0; s < BPFS_CMP_NSTATS; s++) {
		if (!shown(c, (enum bpfs_compare_stat)s))
			continue;
		for (int v = 0; v < (bpfs_compare_stat_numeric((enum bpfs_compare_stat)s) ? 4 : 3); v++)
			fprintf(out, ",%s%s", bpfs_compare_stat_name((enum bpfs_compare_stat)s), sfx[v]);
	}
	fputs("\r\n", out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bpfs_compare_row *r = &c->rows[i];

		csv_field(out, names(r)->object);
		fputc(',', out);
		csv_field(out, names(r)->section);
		fputc(',', out);
		csv_field(out, names(r)->function);
		fprintf(out, ",%s", presence(r));
		for (int s = 0; s < BPFS_CMP_NSTATS; s++) {
			if (!shown(c, (enum bpfs_compare_stat)s))
				continue;
			for (int v = 0; v < (bpfs_compare_stat_numeric((enum bpfs_compare_stat)s) ? 4 : 3); v++) {
				struct bpfs_compare_value val;

				bpfs_compare_value(c, r, (enum bpfs_compare_stat)s, (enum bpfs_compare_variant)v, &val);
				fputc(',', out);
				csv_value(out, &val);
			}
		}
		fputs("\r\n", out);
	}
}

static void write_json(FILE *out, const struct bpfs_compare *c)
{
	static const char *const var[] = { "a", "b", "diff", "pct" };
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "programs");
	json_builder_begin_array(b);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bpfs_compare_row *r = &c->rows[i];

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "object");
		json_builder_add_string_value(b, names(r)->object);
		json_builder_set_member_name(b, "section");
		json_builder_add_string_value(b, names(r)->section);
		json_builder_set_member_name(b, "function");
		json_builder_add_string_value(b, names(r)->function);
		json_builder_set_member_name(b, "in");
		json_builder_add_string_value(b, presence(r));
		for (int s = 0; s < BPFS_CMP_NSTATS; s++) {
			bool num = bpfs_compare_stat_numeric((enum bpfs_compare_stat)s);

			if (!shown(c, (enum bpfs_compare_stat)s))
				continue;
			json_builder_set_member_name(b, bpfs_compare_stat_name((enum bpfs_compare_stat)s));
			json_builder_begin_object(b);
			for (int v = 0; v < (num ? 4 : 3); v++) {
				struct bpfs_compare_value val;

				bpfs_compare_value(c, r, (enum bpfs_compare_stat)s, (enum bpfs_compare_variant)v, &val);
				json_builder_set_member_name(b, var[v]);
				if (!val.present)
					json_builder_add_null_value(b);
				else if (val.str)
					json_builder_add_string_value(b, val.str);
				else if (v == BPFS_CMP_PCT)
					json_builder_add_double_value(b, val.num);
				else
					json_builder_add_int_value(b, (gint64)val.num);
			}
			json_builder_end_object(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "summary");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "both");
	json_builder_add_int_value(b, (gint64)c->both);
	json_builder_set_member_name(b, "only_a");
	json_builder_add_int_value(b, (gint64)c->only_a);
	json_builder_set_member_name(b, "only_b");
	json_builder_add_int_value(b, (gint64)c->only_b);
	json_builder_set_member_name(b, "verdict_changed");
	json_builder_add_int_value(b, (gint64)c->verdict_changed);
	json_builder_set_member_name(b, "shown");
	json_builder_add_int_value(b, (gint64)c->nrows);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, NULL);
	fputs(text, out);
	fputc('\n', out);
}

/* The table for people: A, B and "DIFF (PCT%)" per statistic, as veristat
 * prints them; the long message columns stay in CSV and JSON. */
static char *cell(const struct bpfs_compare *c, const struct bpfs_compare_row *r, enum bpfs_compare_stat s, int v)
{
	struct bpfs_compare_value val, pct;

	bpfs_compare_value(c, r, s, (enum bpfs_compare_variant)v, &val);
	if (!val.present)
		return g_strdup("N/A");
	if (val.str)
		return g_strdup(v == BPFS_CMP_DIFF ? (strcmp(val.str, "match") ? "MISMATCH" : "MATCH") : val.str);
	if (v != BPFS_CMP_DIFF)
		return g_strdup_printf("%.0f", val.num);
	bpfs_compare_value(c, r, s, BPFS_CMP_PCT, &pct);
	return g_strdup_printf("%+.0f (%+.2f%%)", val.num, pct.num);
}

static const enum bpfs_compare_stat table_stats[] = {
	BPFS_CMP_VERDICT,	 BPFS_CMP_PROCESSED,	  BPFS_CMP_STATES,	    BPFS_CMP_PEAK,
	BPFS_CMP_DURATION,	 BPFS_CMP_KERNEL_VERDICT, BPFS_CMP_KERNEL_PROCESSED, BPFS_CMP_KERNEL_DURATION,
};

static const char *const table_heads[] = { "Verdict",	      "Processed insns", "States",
					   "Peak states",     "Duration (us)",	 "Kernel verdict",
					   "Kernel insns",    "Kernel duration (us)" };

static void write_text(FILE *out, const struct bpfs_compare *c)
{
	static const char *const sfx[] = { " (A)", " (B)", " (DIFF)" };
	size_t ncols = 4 + 3 * G_N_ELEMENTS(table_stats);
	GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);
	size_t *width = g_new0(size_t, ncols);
	size_t nrows = c->nrows + 1;

	/* Every cell first, to size the columns. */
	g_ptr_array_add(cells, g_strdup("Object"));
	g_ptr_array_add(cells, g_strdup("Section"));
	g_ptr_array_add(cells, g_strdup("Function"));
	g_ptr_array_add(cells, g_strdup("In"));
	for (size_t s = 0; s < G_N_ELEMENTS(table_stats); s++)
		for (int v = 0; v < 3; v++)
			g_ptr_array_add(cells, shown(c, table_stats[s]) ? g_strconcat(table_heads[s], sfx[v], NULL) : NULL);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bpfs_compare_row *r = &c->rows[i];

		g_ptr_array_add(cells, g_strdup(names(r)->object));
		g_ptr_array_add(cells, g_strdup(names(r)->section));
		g_ptr_array_add(cells, g_strdup(names(r)->function));
		g_ptr_array_add(cells, g_strdup(r->a && r->b ? "both" : r->a ? "A only" : "B only"));
		for (size_t s = 0; s < G_N_ELEMENTS(table_stats); s++)
			for (int v = 0; v < 3; v++)
				g_ptr_array_add(cells, shown(c, table_stats[s]) ? cell(c, r, table_stats[s], v) : NULL);
	}
	for (size_t i = 0; i < cells->len; i++)
		if (cells->pdata[i])
			width[i % ncols] = MAX(width[i % ncols], strlen(cells->pdata[i]));
	for (size_t row = 0; row < nrows; row++) {
		bool first = true;

		for (size_t col = 0; col < ncols; col++) {
			const char *t = cells->pdata[row * ncols + col];

			if (!t)
				continue;
			/* names left-aligned, numbers right-aligned */
			fprintf(out, col < 4 ? "%s%-*s" : "%s%*s", first ? "" : "  ", (int)width[col], t);
			first = false;
		}
		fputc('\n', out);
	}
	fprintf(out, "\n%zu programs in both runs, %zu only in A, %zu only in B; verdict changed: %zu; shown: %zu\n",
		c->both, c->only_a, c->only_b, c->verdict_changed, c->nrows);
	g_free(width);
	g_ptr_array_free(cells, TRUE);
}

void bpfs_report_compare(FILE *out, const struct bpfs_compare *c, enum bpfs_table_format fmt)
{
	switch (fmt) {
	case BPFS_TABLE_TEXT:
		write_text(out, c);
		break;
	case BPFS_TABLE_CSV:
	case BPFS_TABLE_VERISTAT_CSV:
		write_csv(out, c);
		break;
	case BPFS_TABLE_JSON:
		write_json(out, c);
		break;
	}
}
