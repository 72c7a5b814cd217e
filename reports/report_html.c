/* SPDX-License-Identifier: MIT */
/*
 * A corpus run as one static HTML page: summary, plots, and a sortable
 * table of every program. Everything the page needs is inside it (style,
 * the small sorting script, the plots as inline SVG), so it opens from a
 * file without a server or the network.
 *
 * The plots are gnuplot's: each is a gnuplot script with its data inline
 * (a here-document), run as a subprocess with the SVG terminal. gnuplot
 * names the elements of every picture alike (gnuplot_canvas, gpPt0, ...),
 * so each picture's ids and references to them get a prefix of their own
 * before the picture goes inline. Where gnuplot is missing or fails, the
 * page says what the plots need instead.
 */
#include "reports.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct page {
	GString *html;
	const struct bpfs_corpus_result *run;
	const struct bpfs_report_page *opts;
	struct bpfs_compare cmp; /* old (A) against run (B), when opts->old */
	bool have_cmp;
	int nplots;
	char *plot_error; /* why plots could not be drawn, once known */
};

/* ---------------------------------------------------------------------- */
/* HTML text                                                              */

static void esc(GString *s, const char *t)
{
	g_autofree char *e = g_markup_escape_text(t ? t : "", -1);
	g_string_append(s, e);
}

static const char *verdict_class(const char *v)
{
	if (!strcmp(v, "accept"))
		return "acc";
	if (!strcmp(v, "reject"))
		return "rej";
	return v && *v ? "err" : "none";
}

static void badge(GString *s, const char *v)
{
	g_string_append_printf(s, "<span class=\"v %s\">", verdict_class(v));
	esc(s, *v ? v : "none");
	g_string_append(s, "</span>");
}

/* ---------------------------------------------------------------------- */
/* gnuplot                                                                */

/* Gives every id of the picture, and every reference to one, prefix. */
static char *prefix_ids(const char *svg, const char *prefix)
{
	static const char *const marks[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	GString *out = g_string_new(NULL);
	const char *p = strstr(svg, "<svg");

	for (p = p ? p : svg; *p;) {
		size_t i;

		for (i = 0; i < G_N_ELEMENTS(marks); i++)
			if (!strncmp(p, marks[i], strlen(marks[i])))
				break;
		if (i < G_N_ELEMENTS(marks)) {
			g_string_append(out, marks[i]);
			g_string_append(out, prefix);
			p += strlen(marks[i]);
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

/* Runs gnuplot on script; the SVG it wrote, or NULL with *why set. */
static char *run_gnuplot(const char *gnuplot, const char *script, char **why)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree char *path = NULL, *out = NULL, *errout = NULL;
	const char *prog = gnuplot ? gnuplot : "gnuplot";
	g_autofree char *found = g_find_program_in_path(prog);
	int fd, status = 0;

	if (!found) {
		*why = g_strdup_printf("The plots need gnuplot, which was not found (%s); on Debian: "
				       "apt-get install gnuplot-nox.",
				       prog);
		return NULL;
	}
	fd = g_file_open_tmp("bpfscope-plot-XXXXXX.gp", &path, &gerr);
	if (fd < 0) {
		*why = g_strdup_printf("The plots could not be drawn: %s.", gerr->message);
		return NULL;
	}
	close(fd);
	if (!g_file_set_contents(path, script, -1, &gerr)) {
		*why = g_strdup_printf("The plots could not be drawn: %s.", gerr->message);
		g_unlink(path);
		return NULL;
	}
	const char *argv[] = { found, path, NULL };
	bool ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &errout, &status, &gerr);
	g_unlink(path);
	if (!ok || !g_spawn_check_wait_status(status, NULL) || !out || !strstr(out, "<svg")) {
		*why = g_strdup_printf("The plots need gnuplot, which failed here: %s",
				       gerr ? gerr->message : errout && *errout ? errout : "no picture written");
		return NULL;
	}
	return g_steal_pointer(&out);
}

static const char *plot_head =
	"set terminal svg size 680,420 font 'DejaVu Sans,11' background rgb 'white'\n"
	"set border lc rgb '#555555'\n"
	"set grid lc rgb '#dddddd' lt 1\n"
	"set key top left box opaque\n";

/* Draws script's picture into the page under a caption, or the note why
 * it cannot be drawn. */
static void add_plot(struct page *pg, const char *caption, const char *script)
{
	g_autofree char *svg = NULL, *why = NULL, *prefix = NULL, *fixed = NULL;

	g_string_append(pg->html, "<figure class=\"plot\">\n");
	if (!pg->plot_error)
		svg = run_gnuplot(pg->opts->gnuplot, script, &why);
	if (svg) {
		prefix = g_strdup_printf("p%d-", ++pg->nplots);
		fixed = prefix_ids(svg, prefix);
		g_string_append(pg->html, fixed);
	} else {
		if (!pg->plot_error)
			pg->plot_error = g_steal_pointer(&why);
		g_string_append(pg->html, "<p class=\"note\">");
		esc(pg->html, pg->plot_error);
		g_string_append(pg->html, "</p>");
	}
	g_string_append(pg->html, "<figcaption>");
	esc(pg->html, caption);
	g_string_append(pg->html, "</figcaption></figure>\n");
}

/* A name as a gnuplot string in double quotes. */
static void gp_string(GString *s, const char *t, size_t max)
{
	size_t n = strlen(t);

	g_string_append_c(s, '"');
	if (n > max) {
		g_string_append(s, "...");
		t += n - (max - 3);
	}
	for (; *t; t++)
		g_string_append_c(s, *t == '"' || *t == '\\' || *t == '\n' ? '_' : *t);
	g_string_append_c(s, '"');
}

/* ---------------------------------------------------------------------- */
/* The plots                                                              */

static bool judged(const char *v)
{
	return v && (!strcmp(v, "accept") || !strcmp(v, "reject"));
}

/* bpfscope's processed instructions against the kernel's, log-log. */
static void plot_kernel(struct page *pg)
{
	const struct bpfs_corpus_result *r = pg->run;
	GString *s = g_string_new(plot_head);
	size_t same = 0, differ = 0;

	g_string_append(s, "$same << EOD\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct bpfs_corpus_row *x = &r->rows[i];
		if (judged(x->kernel_verdict) && !strcmp(x->kernel_verdict, bpfs_corpus_verdict_name(x->verdict)) &&
		    x->kernel_processed_insns && x->stats.processed_insns) {
			g_string_append_printf(s, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
					       x->kernel_processed_insns, x->stats.processed_insns);
			same++;
		}
	}
	g_string_append(s, "EOD\n$differ << EOD\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct bpfs_corpus_row *x = &r->rows[i];
		if (judged(x->kernel_verdict) && strcmp(x->kernel_verdict, bpfs_corpus_verdict_name(x->verdict)) &&
		    x->kernel_processed_insns && x->stats.processed_insns) {
			g_string_append_printf(s, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
					       x->kernel_processed_insns, x->stats.processed_insns);
			differ++;
		}
	}
	g_string_append(s, "EOD\n");
	if (!same && !differ) {
		g_string_free(s, TRUE);
		g_string_append(pg->html, "<p class=\"note\">No program has processed instructions on both sides "
					  "(the kernel's and bpfscope's) to plot.</p>\n");
		return;
	}
	g_string_append(s, "set logscale xy\nset format x '10^{%T}'\nset format y '10^{%T}'\n"
			   "set xlabel 'kernel: processed instructions'\nset ylabel 'bpfscope: processed instructions'\n"
			   "set size ratio -1\n");
	g_string_append(s, "plot ");
	if (same)
		g_string_append_printf(s, "$same using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'same verdict (%zu)', ",
				       same);
	if (differ)
		g_string_append_printf(s, "$differ using 1:2 with points pt 5 ps 0.7 lc rgb '#d62728' title 'verdicts differ (%zu)', ",
				       differ);
	g_string_append(s, "x with lines dt 2 lc rgb '#888888' title 'equal'\n");
	add_plot(pg, "Processed instructions per program: bpfscope against the kernel (log axes)", s->str);
	g_string_free(s, TRUE);
}

#define BINS_PER_DECADE 4

/* floor(log10(us) * BINS_PER_DECADE), without libm: each bin's upper
 * bound is the last one times the BINS_PER_DECADE-th root of 10. */
static int time_bin(uint64_t us)
{
	const double step = 1.7782794100389228; /* 10^(1/4) */
	double bound = step;
	int bin = 0;

	_Static_assert(BINS_PER_DECADE == 4, "step is the 4th root of 10");
	while ((double)us >= bound && bin < 80) {
		bound *= step;
		bin++;
	}
	return bin;
}

/* One histogram series of verification times into s as $name. */
static int add_times(GString *s, const char *name, const uint64_t *t, size_t n, int *maxbin)
{
	g_autofree guint *count = NULL;
	int top = 0, shown = 0;

	for (size_t i = 0; i < n; i++)
		top = MAX(top, time_bin(t[i]));
	count = g_new0(guint, (gsize)top + 1);
	for (size_t i = 0; i < n; i++)
		count[time_bin(t[i])]++;
	g_string_append_printf(s, "$%s << EOD\n", name);
	for (int b = 0; b <= top; b++) {
		g_string_append_printf(s, "%g %u\n", (double)b / BINS_PER_DECADE, count[b]);
		shown += count[b] > 0;
	}
	g_string_append(s, "EOD\n");
	*maxbin = MAX(*maxbin, top);
	return shown;
}

static void plot_times(struct page *pg)
{
	const struct bpfs_corpus_result *r = pg->run, *old = pg->opts->old;
	GString *s = g_string_new(plot_head);
	GArray *ours = g_array_new(FALSE, FALSE, sizeof(uint64_t)), *kern = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GArray *before = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	int maxbin = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		if (r->rows[i].verdict != BPFS_CORPUS_ERROR)
			g_array_append_val(ours, r->rows[i].duration_us);
		if (judged(r->rows[i].kernel_verdict) && r->rows[i].kernel_duration_us)
			g_array_append_val(kern, r->rows[i].kernel_duration_us);
	}
	for (size_t i = 0; old && i < old->nrows; i++)
		if (old->rows[i].verdict != BPFS_CORPUS_ERROR)
			g_array_append_val(before, old->rows[i].duration_us);
	if (!ours->len) {
		g_string_append(pg->html, "<p class=\"note\">No program was verified: no times to plot.</p>\n");
		goto out;
	}
	add_times(s, "ours", (uint64_t *)ours->data, ours->len, &maxbin);
	if (kern->len)
		add_times(s, "kern", (uint64_t *)kern->data, kern->len, &maxbin);
	if (before->len)
		add_times(s, "before", (uint64_t *)before->data, before->len, &maxbin);
	g_string_append_printf(s,
			       "set xlabel 'verification time (microseconds, log scale)'\nset ylabel 'programs'\n"
			       "set xrange [-0.25:%g]\nset yrange [0:*]\nset xtics 1\nset mxtics %d\n"
			       "set format x '10^{%%g}'\nset style fill solid 0.55 border -1\nset boxwidth %g absolute\n"
			       "set key top right\n",
			       (double)(maxbin + 1) / BINS_PER_DECADE + 0.25, BINS_PER_DECADE, 0.9 / BINS_PER_DECADE);
	g_string_append_printf(s, "plot $ours using ($1+%g):2 with boxes lc rgb '#1f77b4' title 'bpfscope (%u)'",
			       0.5 / BINS_PER_DECADE, ours->len);
	if (before->len)
		g_string_append_printf(s, ", $before using ($1+%g):2 with steps lw 2 lc rgb '#ff7f0e' title '%s (%u)'",
				       0.0, "compared run", before->len);
	if (kern->len)
		g_string_append_printf(s, ", $kern using ($1+%g):2 with steps lw 2 lc rgb '#2ca02c' title 'kernel (%u)'",
				       0.0, kern->len);
	g_string_append_c(s, '\n');
	add_plot(pg, "Distribution of verification times", s->str);
out:
	g_string_free(s, TRUE);
	g_array_free(ours, TRUE);
	g_array_free(kern, TRUE);
	g_array_free(before, TRUE);
}

#define TOP_CHANGES 20

/* The largest changes of processed instructions against the older run,
 * in percent, as horizontal bars. */
static void plot_changes(struct page *pg)
{
	struct bpfs_compare c = pg->cmp; /* a copy of the rows, to sort */
	struct bpfs_err err;
	GString *s;
	size_t n = 0;

	c.rows = g_memdup2(pg->cmp.rows, pg->cmp.nrows * sizeof(*c.rows));
	bpfs_compare_filter(&c, "processed_insns_diff!=0", &err);
	bpfs_compare_sort(&c, "|processed_insns_pct|,|processed_insns_diff|", &err);
	bpfs_compare_top(&c, TOP_CHANGES);
	if (!c.nrows) {
		g_string_append(pg->html, "<p class=\"note\">No program's processed instructions changed against the "
					  "compared run.</p>\n");
		g_free(c.rows);
		return;
	}
	s = g_string_new(plot_head);
	g_string_append(s, "$d << EOD\n");
	for (size_t i = c.nrows; i-- > 0;) { /* the largest on top */
		struct bpfs_compare_value pct, a, b;
		g_autofree char *label = g_strdup_printf("%s/%s", c.rows[i].b->object, c.rows[i].b->function);

		bpfs_compare_value(&c, &c.rows[i], BPFS_CMP_PROCESSED, BPFS_CMP_PCT, &pct);
		bpfs_compare_value(&c, &c.rows[i], BPFS_CMP_PROCESSED, BPFS_CMP_A, &a);
		bpfs_compare_value(&c, &c.rows[i], BPFS_CMP_PROCESSED, BPFS_CMP_B, &b);
		gp_string(s, label, 44);
		g_string_append_printf(s, " %zu %.2f %.0f %.0f\n", n++, pct.num, a.num, b.num);
	}
	g_string_append(s, "EOD\n");
	g_string_append_printf(s,
			       "set terminal svg size 680,%zu noenhanced font 'DejaVu Sans,11' background rgb 'white'\n"
			       "set lmargin 36\nset key off\nset grid noytics\nset ytics scale 0 font ',10'\n"
			       "set yrange [-1:%zu]\nset xlabel 'processed instructions: change in percent of the "
			       "compared run'\nset style fill solid 0.75 border -1\nset xzeroaxis lt -1\n"
			       "plot $d using (0):2:(0):3:($2-0.38):($2+0.38):($3 > 0 ? 0xd62728 : 0x2ca02c):ytic(1) "
			       "with boxxyerror lc rgb variable\n",
			       (size_t)150 + 24 * MAX(n, (size_t)4), MAX(n, (size_t)4));
	add_plot(pg, "Largest changes of processed instructions against the compared run (red: more, green: fewer)",
		 s->str);
	g_string_free(s, TRUE);
	g_free(c.rows);
}

/* ---------------------------------------------------------------------- */
/* Summary                                                                */

static char *top_dir(const char *object)
{
	const char *slash = strchr(object, '/');
	return slash ? g_strndup(object, (gsize)(slash - object)) : g_strdup(".");
}

struct tally {
	guint n[3], agree, compared;
};

static void summary(struct page *pg)
{
	const struct bpfs_corpus_result *r = pg->run;
	GHashTable *dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GPtrArray *order = g_ptr_array_new();
	struct tally all = { 0 };
	GString *h = pg->html;

	for (size_t i = 0; i < r->nrows; i++) {
		const struct bpfs_corpus_row *x = &r->rows[i];
		char *d = top_dir(x->object);
		struct tally *t = g_hash_table_lookup(dirs, d);
		bool cmp = r->kernel && judged(x->kernel_verdict);
		bool agree = cmp && !strcmp(x->kernel_verdict, bpfs_corpus_verdict_name(x->verdict));

		if (!t) {
			t = g_new0(struct tally, 1);
			g_hash_table_insert(dirs, d, t);
			g_ptr_array_add(order, d);
		} else {
			g_free(d);
		}
		t->n[x->verdict]++;
		all.n[x->verdict]++;
		t->compared += cmp;
		all.compared += cmp;
		t->agree += agree;
		all.agree += agree;
	}
	g_string_append_printf(h,
			       "<div class=\"cards\"><div class=\"card\"><b>%zu</b>programs</div>"
			       "<div class=\"card acc\"><b>%u</b>accepted</div><div class=\"card rej\"><b>%u</b>rejected</div>"
			       "<div class=\"card err\"><b>%u</b>could not load</div>",
			       r->nrows, all.n[0], all.n[1], all.n[2]);
	if (r->kernel && all.compared)
		g_string_append_printf(h, "<div class=\"card\"><b>%.1f%%</b>agree with the kernel (%u of %u)</div>",
				       100.0 * all.agree / all.compared, all.agree, all.compared);
	if (pg->have_cmp)
		g_string_append_printf(h, "<div class=\"card\"><b>%zu</b>verdicts changed against the compared run</div>",
				       pg->cmp.verdict_changed);
	g_string_append(h, "</div>\n<h2>By directory</h2>\n<table class=\"dirs\"><thead><tr><th>Directory</th>"
			   "<th>Programs</th><th>Accept</th><th>Reject</th><th>Error</th>");
	if (r->kernel)
		g_string_append(h, "<th>Agree with the kernel</th>");
	g_string_append(h, "</tr></thead><tbody>\n");
	for (guint i = 0; i < order->len; i++) {
		const struct tally *t = g_hash_table_lookup(dirs, order->pdata[i]);

		g_string_append(h, "<tr><td>");
		esc(h, order->pdata[i]);
		g_string_append_printf(h, "</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td>", t->n[0] + t->n[1] + t->n[2],
				       t->n[0], t->n[1], t->n[2]);
		if (r->kernel)
			g_string_append_printf(h, "<td>%u of %u</td>", t->agree, t->compared);
		g_string_append(h, "</tr>\n");
	}
	g_string_append(h, "</tbody></table>\n");
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(dirs);
}

/* ---------------------------------------------------------------------- */
/* The table of programs                                                  */

/* The picture of a program, as the page links it, or NULL. */
static char *picture(const struct bpfs_report_page *o, const struct bpfs_corpus_row *x)
{
	const char *name = *x->function ? x->function : x->section;
	g_autofree char *rel1 = g_strdup_printf("%s/%s.svg", x->object, name);
	g_autofree char *rel2 = g_strdup_printf("%s.svg", name);
	const char *rels[] = { rel1, rel2 };

	if (!o->pictures || !*name)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(rels); i++) {
		g_autofree char *path = g_build_filename(o->pictures, rels[i], NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			g_autofree char *uri = g_uri_escape_string(rels[i], "/", TRUE);
			const char *href = o->pictures_href ? o->pictures_href : o->pictures;
			return g_strdup_printf("%s%s%s", href, g_str_has_suffix(href, "/") ? "" : "/", uri);
		}
	}
	return NULL;
}

static void num_cell(GString *h, bool present, double v, const char *cls)
{
	if (!present) {
		g_string_append(h, "<td data-v=\"-1e300\" class=\"num na\">&ndash;</td>");
		return;
	}
	g_string_append_printf(h, "<td data-v=\"%.17g\" class=\"num%s%s\">%.0f</td>", v, cls ? " " : "",
			       cls ? cls : "", v);
}

static const struct bpfs_compare_row *old_row(const struct page *pg, GHashTable *by_row, const struct bpfs_corpus_row *x)
{
	return pg->have_cmp ? g_hash_table_lookup(by_row, x) : NULL;
}

static void table(struct page *pg)
{
	const struct bpfs_corpus_result *r = pg->run;
	GString *h = pg->html;
	GHashTable *by_row = g_hash_table_new(g_direct_hash, g_direct_equal);
	bool pictures = pg->opts->pictures != NULL;

	for (size_t i = 0; pg->have_cmp && i < pg->cmp.nrows; i++)
		if (pg->cmp.rows[i].b)
			g_hash_table_insert(by_row, (gpointer)pg->cmp.rows[i].b, &pg->cmp.rows[i]);
	g_string_append(h, "<h2>Programs</h2>\n<p><input id=\"filter\" type=\"search\" placeholder=\"Filter rows "
			   "(any text: a name, a verdict, a message)\"> <span id=\"shown\"></span> "
			   "<span class=\"hint\">Click a column's title to sort by it.</span></p>\n"
			   "<div class=\"scroll\"><table id=\"progs\"><thead><tr><th>Object</th><th>Section</th>"
			   "<th>Function</th><th>Type</th><th class=\"num\">Insns</th><th>Verdict</th>"
			   "<th class=\"num\">Processed</th><th class=\"num\">States</th><th class=\"num\">Peak</th>"
			   "<th class=\"num\">Time&nbsp;&micro;s</th>");
	if (r->kernel)
		g_string_append(h, "<th>Kernel</th><th class=\"num\">Kernel insns</th>"
				   "<th class=\"num\">Kernel&nbsp;&micro;s</th>");
	if (pg->have_cmp)
		g_string_append(h, "<th>Before</th><th class=\"num\">Insns before</th><th class=\"num\">"
				   "Change&nbsp;%</th>");
	g_string_append(h, "<th>Message</th>");
	if (pictures)
		g_string_append(h, "<th>CFG</th>");
	g_string_append(h, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct bpfs_corpus_row *x = &r->rows[i];
		const struct bpfs_compare_row *c = old_row(pg, by_row, x);
		const char *type = bpfs_prog_type_name(x->prog_type);

		g_string_append(h, "<tr><td>");
		esc(h, x->object);
		g_string_append(h, "</td><td>");
		esc(h, x->section);
		g_string_append(h, "</td><td>");
		esc(h, x->function);
		g_string_append(h, "</td><td>");
		esc(h, type ? type : "unknown");
		g_string_append(h, "</td>");
		num_cell(h, true, (double)x->insns, NULL);
		g_string_append(h, "<td>");
		badge(h, bpfs_corpus_verdict_name(x->verdict));
		g_string_append(h, "</td>");
		num_cell(h, true, (double)x->stats.processed_insns, NULL);
		num_cell(h, true, (double)x->stats.total_states, NULL);
		num_cell(h, true, (double)x->stats.peak_states, NULL);
		num_cell(h, true, (double)x->duration_us, NULL);
		if (r->kernel) {
			bool k = judged(x->kernel_verdict);
			bool differ = k && strcmp(x->kernel_verdict, bpfs_corpus_verdict_name(x->verdict));

			g_string_append(h, differ ? "<td class=\"differ\">" : "<td>");
			badge(h, x->kernel_verdict ? x->kernel_verdict : "");
			g_string_append(h, "</td>");
			num_cell(h, k && x->kernel_processed_insns, (double)x->kernel_processed_insns, NULL);
			num_cell(h, k && x->kernel_duration_us, (double)x->kernel_duration_us, NULL);
		}
		if (pg->have_cmp) {
			struct bpfs_compare_value pct;

			g_string_append(h, c && c->a && c->a->verdict != x->verdict ? "<td class=\"differ\">" : "<td>");
			if (c && c->a)
				badge(h, bpfs_corpus_verdict_name(c->a->verdict));
			else
				g_string_append(h, "<span class=\"v none\">new</span>");
			g_string_append(h, "</td>");
			num_cell(h, c && c->a, c && c->a ? (double)c->a->stats.processed_insns : 0, NULL);
			if (c && c->a) {
				bpfs_compare_value(&pg->cmp, c, BPFS_CMP_PROCESSED, BPFS_CMP_PCT, &pct);
				g_string_append_printf(h, "<td data-v=\"%.17g\" class=\"num%s\">%+.1f</td>", pct.num,
						       pct.num > 0 ? " up" : pct.num < 0 ? " down" : "", pct.num);
			} else {
				num_cell(h, false, 0, NULL);
			}
		}
		g_string_append(h, "<td class=\"msg\">");
		esc(h, x->error);
		if (r->kernel && x->kernel_error && *x->kernel_error && strcmp(x->kernel_error, x->error ? x->error : "")) {
			g_string_append(h, "<br><span class=\"kmsg\">kernel: ");
			esc(h, x->kernel_error);
			g_string_append(h, "</span>");
		}
		g_string_append(h, "</td>");
		if (pictures) {
			g_autofree char *href = picture(pg->opts, x);
			g_string_append(h, "<td>");
			if (href) {
				g_string_append(h, "<a href=\"");
				esc(h, href);
				g_string_append(h, "\">CFG</a>");
			}
			g_string_append(h, "</td>");
		}
		g_string_append(h, "</tr>\n");
	}
	g_string_append(h, "</tbody></table></div>\n");
	g_hash_table_destroy(by_row);
}

/* ---------------------------------------------------------------------- */
/* The page                                                               */

static const char *style =
	"body{font:14px/1.45 'DejaVu Sans',system-ui,sans-serif;color:#222;margin:0;background:#f5f6f8}\n"
	"header{background:#1d2b3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}\n"
	"header p{margin:4px 0 0;color:#c9d3de}main{padding:12px 28px 40px}\n"
	"h2{font-size:17px;margin:26px 0 10px;border-bottom:1px solid #d6dae0;padding-bottom:4px}\n"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:14px}\n"
	".card{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:10px 16px;min-width:120px}\n"
	".card b{display:block;font-size:24px}.card.acc b{color:#217a3c}.card.rej b{color:#b3261e}"
	".card.err b{color:#8a5a00}\n"
	"table{border-collapse:collapse;background:#fff}th,td{border:1px solid #e0e3e8;padding:3px 6px;"
	"vertical-align:top}\n"
	"th{background:#eef1f5;text-align:left;white-space:nowrap}#progs th{cursor:pointer;position:sticky;top:0}\n"
	"#progs th.sorted-asc::after{content:' \\25B2'}#progs th.sorted-desc::after{content:' \\25BC'}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums}.na{color:#aaa}\n"
	"td.msg{min-width:260px;max-width:420px;font-family:'DejaVu Sans Mono',monospace;font-size:11px;color:#444}\n"
	".kmsg{color:#7a4d00}.differ{background:#fdecea}.up{color:#b3261e}.down{color:#217a3c}\n"
	".v{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff}\n"
	".v.acc{background:#2e8b4f}.v.rej{background:#c0392b}.v.err{background:#b7791f}.v.none{background:#999}\n"
	".plots{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}figure.plot{margin:0;background:#fff;border:1px solid #d6dae0;"
	"border-radius:6px;padding:8px}\n"
	"figure.plot svg{max-width:100%;height:auto;display:block}figcaption{color:#555;font-size:13px;"
	"padding:4px 6px}\n"
	".note{background:#fff8e1;border:1px solid #f0d98c;border-radius:4px;padding:8px 12px;max-width:680px}\n"
	".scroll{overflow:auto;max-height:80vh;border:1px solid #d6dae0}#filter{width:340px;padding:4px 8px}\n"
	".hint{color:#777;font-size:12px}\n";

/* Sorting by a column (numbers by their data-v, text by its words) and
 * filtering by text; nothing else runs in the page. */
static const char *script =
	"(function(){\n"
	"var t=document.getElementById('progs');if(!t)return;var tb=t.tBodies[0];\n"
	"var ths=t.tHead.rows[0].cells;\n"
	"function key(td,num){return num?parseFloat(td.getAttribute('data-v')):td.textContent.toLowerCase();}\n"
	"Array.prototype.forEach.call(ths,function(th,i){th.addEventListener('click',function(){\n"
	" var num=th.classList.contains('num');var asc=!th.classList.contains('sorted-asc');\n"
	" Array.prototype.forEach.call(ths,function(h){h.classList.remove('sorted-asc','sorted-desc');});\n"
	" th.classList.add(asc?'sorted-asc':'sorted-desc');\n"
	" var rows=Array.prototype.slice.call(tb.rows);\n"
	" rows.sort(function(a,b){var x=key(a.cells[i],num),y=key(b.cells[i],num);\n"
	"  return (x<y?-1:x>y?1:0)*(asc?1:-1);});\n"
	" rows.forEach(function(r){tb.appendChild(r);});});});\n"
	"var f=document.getElementById('filter'),shown=document.getElementById('shown');\n"
	"function apply(){var q=f.value.toLowerCase(),n=0;Array.prototype.forEach.call(tb.rows,function(r){\n"
	" var ok=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=ok?'':'none';n+=ok;});\n"
	" shown.textContent=n+' of '+tb.rows.length+' programs';}\n"
	"f.addEventListener('input',apply);apply();\n"
	"})();\n";

int bpfs_report_html(FILE *out, const struct bpfs_corpus_result *run, const struct bpfs_report_page *opts,
		     struct bpfs_err *err)
{
	struct page pg = { .html = g_string_new(NULL), .run = run, .opts = opts };
	const char *title = opts->title ? opts->title : "bpfscope corpus report";
	int ret = 0;

	if (opts->old) {
		bpfs_compare_runs(opts->old, run, &pg.cmp);
		pg.have_cmp = true;
	}
	g_string_append(pg.html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	esc(pg.html, title);
	g_string_append_printf(pg.html, "</title>\n<style>\n%s</style>\n</head><body>\n<header><h1>", style);
	esc(pg.html, title);
	g_string_append(pg.html, "</h1><p>");
	esc(pg.html, opts->run_name ? opts->run_name : "");
	if (opts->old) {
		g_string_append(pg.html, " compared with ");
		esc(pg.html, opts->old_name ? opts->old_name : "an older run");
	}
	g_string_append(pg.html, "</p></header>\n<main>\n<h2>Summary</h2>\n");
	summary(&pg);
	g_string_append(pg.html, "<h2>Plots</h2>\n<div class=\"plots\">\n");
	if (run->kernel)
		plot_kernel(&pg);
	plot_times(&pg);
	if (pg.have_cmp)
		plot_changes(&pg);
	g_string_append(pg.html, "</div>\n");
	table(&pg);
	g_string_append_printf(pg.html, "</main>\n<script>\n%s</script>\n</body></html>\n", script);
	if (fwrite(pg.html->str, 1, pg.html->len, out) != pg.html->len || fflush(out))
		ret = bpfs_err_set(err, EIO, -1, "cannot write the page: %s", g_strerror(errno));
	if (pg.have_cmp)
		bpfs_compare_release(&pg.cmp);
	g_free(pg.plot_error);
	g_string_free(pg.html, TRUE);
	return ret;
}
