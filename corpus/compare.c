/* SPDX-License-Identifier: MIT */
/*
 * Two runs compared row by row, in the manner of veristat's comparison
 * mode: rows joined on their names, every statistic with its value in
 * run A, in run B, their difference and the difference in percent of A;
 * sorting, filtering and a top-N on any of those. The conventions are
 * veristat's where it has one: a difference is B - A, a percentage from
 * zero is 0 when nothing changed and +-100 otherwise, and a string's
 * difference is "match" or "mismatch".
 *
 * A column is a name (object, section, function, in) or a statistic
 * with a variant (processed_insns_diff); sort keys and filters both work
 * on columns, so anything that can be shown can be sorted and filtered.
 */
#include "corpus.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	bool numeric, kernel;
} stats[BPFS_CMP_NSTATS] = {
#define X(id, n, num, k) [BPFS_CMP_##id] = { n, num, k },
	BPFS_COMPARE_STATS(X)
#undef X
};

const char *bpfs_compare_stat_name(enum bpfs_compare_stat s)
{
	return s < BPFS_CMP_NSTATS ? stats[s].name : "?";
}

bool bpfs_compare_stat_numeric(enum bpfs_compare_stat s)
{
	return s < BPFS_CMP_NSTATS && stats[s].numeric;
}

bool bpfs_compare_stat_kernel(enum bpfs_compare_stat s)
{
	return s < BPFS_CMP_NSTATS && stats[s].kernel;
}

/* ---------------------------------------------------------------------- */
/* Joining                                                                */

static char *join_key(const struct bpfs_corpus_row *r, bool by_name)
{
	if (by_name) {
		const char *slash = strrchr(r->object, '/');
		return g_strdup_printf("%s\t%s", slash ? slash + 1 : r->object, r->function);
	}
	return g_strdup_printf("%s\t%s\t%s", r->object, r->section, r->function);
}

static void queue_free(gpointer q)
{
	g_queue_free(q);
}

void bpfs_compare_runs(const struct bpfs_corpus_result *a, const struct bpfs_corpus_result *b,
		       struct bpfs_compare *out)
{
	GHashTable *in_b = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, queue_free);
	bool *used = g_new0(bool, b->nrows + 1);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct bpfs_compare_row));

	memset(out, 0, sizeof(*out));
	out->by_name = a->no_sections || b->no_sections;
	out->kernel = a->kernel || b->kernel;
	/* Each key's rows in order, so that duplicate names pair up in turn. */
	for (size_t i = 0; i < b->nrows; i++) {
		char *key = join_key(&b->rows[i], out->by_name);
		GQueue *q = g_hash_table_lookup(in_b, key);

		if (!q) {
			q = g_queue_new();
			g_hash_table_insert(in_b, key, q);
		} else {
			g_free(key);
		}
		g_queue_push_tail(q, GSIZE_TO_POINTER(i));
	}
	for (size_t i = 0; i < a->nrows; i++) {
		g_autofree char *key = join_key(&a->rows[i], out->by_name);
		GQueue *q = g_hash_table_lookup(in_b, key);
		struct bpfs_compare_row r = { .a = &a->rows[i] };

		if (q && !g_queue_is_empty(q)) {
			size_t j = GPOINTER_TO_SIZE(g_queue_pop_head(q));
			r.b = &b->rows[j];
			used[j] = true;
			out->both++;
			out->verdict_changed += r.a->verdict != r.b->verdict;
		} else {
			out->only_a++;
		}
		g_array_append_val(rows, r);
	}
	for (size_t j = 0; j < b->nrows; j++) {
		struct bpfs_compare_row r = { .b = &b->rows[j] };

		if (used[j])
			continue;
		out->only_b++;
		g_array_append_val(rows, r);
	}
	out->nrows = rows->len;
	out->rows = (struct bpfs_compare_row *)g_array_free(rows, FALSE);
	g_free(used);
	g_hash_table_destroy(in_b);
}

void bpfs_compare_release(struct bpfs_compare *c)
{
	g_free(c->rows);
	memset(c, 0, sizeof(*c));
}

/* ---------------------------------------------------------------------- */
/* Values                                                                 */

/* One side's value; absent for kernel columns the side does not have. */
static bool side_value(const struct bpfs_corpus_row *r, enum bpfs_compare_stat s, const char **str, double *num)
{
	*str = NULL;
	*num = 0;
	if (!r || (stats[s].kernel && !r->kernel_verdict))
		return false;
	switch (s) {
	case BPFS_CMP_VERDICT:
		*str = bpfs_corpus_verdict_name(r->verdict);
		break;
	case BPFS_CMP_ERROR:
		*str = r->error ? r->error : "";
		break;
	case BPFS_CMP_PROCESSED:
		*num = (double)r->stats.processed_insns;
		break;
	case BPFS_CMP_STATES:
		*num = (double)r->stats.total_states;
		break;
	case BPFS_CMP_PEAK:
		*num = (double)r->stats.peak_states;
		break;
	case BPFS_CMP_MAX_PER_INSN:
		*num = (double)r->stats.max_states_per_insn;
		break;
	case BPFS_CMP_DURATION:
		*num = (double)r->duration_us;
		break;
	case BPFS_CMP_KERNEL_VERDICT:
		*str = r->kernel_verdict;
		break;
	case BPFS_CMP_KERNEL_ERROR:
		*str = r->kernel_error ? r->kernel_error : "";
		break;
	case BPFS_CMP_KERNEL_PROCESSED:
		*num = (double)r->kernel_processed_insns;
		break;
	case BPFS_CMP_KERNEL_DURATION:
		*num = (double)r->kernel_duration_us;
		break;
	case BPFS_CMP_NSTATS:
		return false;
	}
	return true;
}

void bpfs_compare_value(const struct bpfs_compare *c, const struct bpfs_compare_row *r, enum bpfs_compare_stat s,
			enum bpfs_compare_variant v, struct bpfs_compare_value *out)
{
	const char *sa, *sb;
	double na, nb;
	bool pa = side_value(r->a, s, &sa, &na), pb = side_value(r->b, s, &sb, &nb);

	(void)c;
	memset(out, 0, sizeof(*out));
	switch (v) {
	case BPFS_CMP_A:
		out->present = pa;
		out->str = sa;
		out->num = na;
		return;
	case BPFS_CMP_B:
		out->present = pb;
		out->str = sb;
		out->num = nb;
		return;
	case BPFS_CMP_DIFF:
		out->present = pa && pb;
		if (!stats[s].numeric)
			out->str = out->present && strcmp(sa, sb) ? "mismatch" : "match";
		else
			out->num = nb - na;
		return;
	case BPFS_CMP_PCT:
		out->present = pa && pb && stats[s].numeric;
		if (na == 0)
			out->num = nb == na ? 0.0 : (nb < na ? -100.0 : 100.0);
		else
			out->num = (nb - na) * 100.0 / na;
		return;
	}
}

/* ---------------------------------------------------------------------- */
/* Columns                                                                */

enum col_kind { COL_OBJECT, COL_SECTION, COL_FUNCTION, COL_IN, COL_STAT };

struct column {
	enum col_kind kind;
	enum bpfs_compare_stat stat;
	enum bpfs_compare_variant var;
	bool abs;
};

static const char *const name_cols[] = { "object", "section", "function", "in" };
static const char *const variants[] = { "_a", "_b", "_diff", "_pct" };

/* name (without |...|) into col; false when no such column. */
static bool parse_column(const char *name, struct column *col)
{
	memset(col, 0, sizeof(*col));
	for (size_t i = 0; i < G_N_ELEMENTS(name_cols); i++) {
		if (!strcmp(name, name_cols[i])) {
			col->kind = (enum col_kind)i;
			return true;
		}
	}
	col->kind = COL_STAT;
	for (int s = 0; s < BPFS_CMP_NSTATS; s++) {
		size_t n = strlen(stats[s].name);

		if (strncmp(name, stats[s].name, n))
			continue;
		col->stat = (enum bpfs_compare_stat)s;
		if (!name[n]) {
			col->var = BPFS_CMP_B;
			return true;
		}
		for (size_t v = 0; v < G_N_ELEMENTS(variants); v++) {
			if (!strcmp(name + n, variants[v])) {
				col->var = (enum bpfs_compare_variant)v;
				/* a string has no percentage */
				return stats[s].numeric || col->var != BPFS_CMP_PCT;
			}
		}
	}
	return false;
}

/* "|name|" or "name", surrounding blanks allowed. */
static bool parse_column_ref(const char *text, struct column *col)
{
	g_autofree char *t = g_strstrip(g_strdup(text));
	size_t n = strlen(t);
	bool abs = n >= 2 && t[0] == '|' && t[n - 1] == '|';

	if (abs) {
		t[n - 1] = '\0';
		memmove(t, t + 1, n - 1);
		g_strstrip(t);
	}
	if (!parse_column(t, col))
		return false;
	col->abs = abs;
	return true;
}

static const char *row_name(const struct bpfs_compare_row *r, enum col_kind k)
{
	const struct bpfs_corpus_row *x = r->a ? r->a : r->b;

	switch (k) {
	case COL_OBJECT:
		return x->object;
	case COL_SECTION:
		return x->section;
	case COL_FUNCTION:
		return x->function;
	case COL_IN:
		return r->a && r->b ? "both" : r->a ? "a" : "b";
	case COL_STAT:
		break;
	}
	return "";
}

static void column_value(const struct bpfs_compare *c, const struct bpfs_compare_row *r, const struct column *col,
			 struct bpfs_compare_value *v)
{
	if (col->kind != COL_STAT) {
		memset(v, 0, sizeof(*v));
		v->present = true;
		v->str = row_name(r, col->kind);
		return;
	}
	bpfs_compare_value(c, r, col->stat, col->var, v);
	if (col->abs)
		v->num = v->num < 0 ? -v->num : v->num;
}

/* ---------------------------------------------------------------------- */
/* Sorting                                                                */

struct sort_key {
	struct column col;
	bool asc;
};

struct sort_ctx {
	const struct bpfs_compare *c;
	const struct sort_key *keys;
	size_t nkeys;
};

static int cmp_values(const struct bpfs_compare_value *x, const struct bpfs_compare_value *y)
{
	if (x->str || y->str) {
		/* strings of a string column; a diff's "match" sorts first */
		return strcmp(x->str ? x->str : "", y->str ? y->str : "");
	}
	return x->num < y->num ? -1 : x->num > y->num;
}

static gint cmp_rows(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const struct sort_ctx *ctx = data;
	const struct bpfs_compare_row *ra = pa, *rb = pb;

	for (size_t i = 0; i < ctx->nkeys; i++) {
		struct bpfs_compare_value x, y;
		int d;

		column_value(ctx->c, ra, &ctx->keys[i].col, &x);
		column_value(ctx->c, rb, &ctx->keys[i].col, &y);
		if (x.present != y.present)
			return x.present ? -1 : 1; /* missing values last, either way */
		if (!x.present)
			continue;
		d = cmp_values(&x, &y);
		if (d)
			return ctx->keys[i].asc ? d : -d;
	}
	return 0; /* a stable sort keeps the join's order */
}

static int parse_sort_key(const char *text, struct sort_key *k, struct bpfs_err *err)
{
	g_autofree char *t = g_strstrip(g_strdup(text));
	char *colon = strrchr(t, ':');
	int dir = -1;

	if (colon && (!strcmp(colon, ":asc") || !strcmp(colon, ":desc"))) {
		dir = !strcmp(colon, ":asc");
		*colon = '\0';
	}
	if (!parse_column_ref(t, &k->col))
		return bpfs_err_set(err, EINVAL, -1,
				    "unknown sort key '%s' (object, section, function, in, or a statistic such as "
				    "processed_insns with _a, _b, _diff or _pct; |key| for its absolute value)",
				    t);
	k->asc = dir >= 0 ? dir : k->col.kind != COL_STAT;
	return 0;
}

int bpfs_compare_sort(struct bpfs_compare *c, const char *spec, struct bpfs_err *err)
{
	g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
	size_t n = g_strv_length(parts);
	struct sort_key *keys = g_new0(struct sort_key, n + 1);
	struct sort_ctx ctx = { c, keys, n };
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++)
		ret = parse_sort_key(parts[i], &keys[i], err);
	if (!ret)
		g_qsort_with_data(c->rows, (gint)c->nrows, sizeof(*c->rows), cmp_rows, &ctx);
	g_free(keys);
	return ret;
}

void bpfs_compare_top(struct bpfs_compare *c, size_t n)
{
	if (n < c->nrows)
		c->nrows = n;
}

/* ---------------------------------------------------------------------- */
/* Filters                                                                */

enum op { OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT };
static const char *const op_names[] = { "==", "!=", "<=", ">=", "<", ">" };

struct filter {
	bool glob, negate;
	char *whole, *obj_glob, *func_glob;
	struct column lhs, rhs;
	bool rhs_is_col;
	char *rhs_str;
	double rhs_num;
	bool rhs_numeric;
	enum op op;
};

/* The first operator in s, or NULL. Two-character operators win over
 * their one-character prefixes; "=" alone means "==". */
static const char *find_op(const char *s, enum op *op, size_t *len)
{
	for (const char *p = s; *p; p++) {
		for (size_t i = 0; i < G_N_ELEMENTS(op_names); i++) {
			size_t n = strlen(op_names[i]);
			if (!strncmp(p, op_names[i], n)) {
				*op = (enum op)i;
				*len = n;
				return p;
			}
		}
		if (*p == '=') {
			*op = OP_EQ;
			*len = 1;
			return p;
		}
	}
	return NULL;
}

static char *unquote(const char *s)
{
	g_autofree char *t = g_strstrip(g_strdup(s));
	size_t n = strlen(t);

	if (n >= 2 && (t[0] == '\'' || t[0] == '"') && t[n - 1] == t[0])
		return g_strndup(t + 1, n - 2);
	return g_steal_pointer(&t);
}

static int parse_filter(const char *expr, struct filter *f, struct bpfs_err *err)
{
	size_t oplen;
	const char *p = find_op(expr, &f->op, &oplen);
	char *end;

	if (!p) {
		const char *e = expr, *slash;

		f->glob = true;
		f->negate = *e == '!';
		e += f->negate;
		/* Object names contain slashes: the glob matches an object
		 * whole, or up to its last slash an object and after it a
		 * function. */
		f->whole = g_strdup(e);
		slash = strrchr(e, '/');
		f->obj_glob = slash ? g_strndup(e, (gsize)(slash - e)) : g_strdup(e);
		f->func_glob = slash ? g_strdup(slash + 1) : NULL;
		return 0;
	}
	{
		g_autofree char *lhs = g_strndup(expr, (gsize)(p - expr));
		if (!parse_column_ref(lhs, &f->lhs))
			return bpfs_err_set(err, EINVAL, -1, "filter '%s': unknown column '%s'", expr,
					    g_strstrip(lhs));
	}
	f->rhs_str = unquote(p + oplen);
	f->rhs_is_col = parse_column_ref(f->rhs_str, &f->rhs);
	if (!f->rhs_is_col) {
		f->rhs_num = g_ascii_strtod(f->rhs_str, &end);
		f->rhs_numeric = *f->rhs_str && !*end;
	}
	if (f->lhs.kind == COL_STAT && stats[f->lhs.stat].numeric && !f->rhs_is_col && !f->rhs_numeric)
		return bpfs_err_set(err, EINVAL, -1, "filter '%s': '%s' is not a number", expr, f->rhs_str);
	return 0;
}

static bool test_op(enum op op, int d)
{
	switch (op) {
	case OP_EQ:
		return d == 0;
	case OP_NE:
		return d != 0;
	case OP_LE:
		return d <= 0;
	case OP_GE:
		return d >= 0;
	case OP_LT:
		return d < 0;
	case OP_GT:
		return d > 0;
	}
	return false;
}

static bool glob_match(const char *pattern, const char *s)
{
	return g_pattern_match_simple(pattern, s);
}

/* An object glob matches the name as the rows give it, or its base name
 * (as veristat's globs match file names). */
static bool name_match(const char *pattern, const char *object)
{
	const char *slash = strrchr(object, '/');
	return glob_match(pattern, object) || (slash && glob_match(pattern, slash + 1));
}

static bool matches(const struct bpfs_compare *c, const struct bpfs_compare_row *r, const struct filter *f)
{
	struct bpfs_compare_value x, y;

	if (f->glob) {
		const char *obj = row_name(r, COL_OBJECT);
		bool m = name_match(f->whole, obj) ||
			 (f->func_glob && name_match(f->obj_glob, obj) && glob_match(f->func_glob, row_name(r, COL_FUNCTION)));
		return m != f->negate;
	}
	column_value(c, r, &f->lhs, &x);
	if (f->rhs_is_col) {
		column_value(c, r, &f->rhs, &y);
	} else {
		memset(&y, 0, sizeof(y));
		y.present = true;
		if (x.str || !f->rhs_numeric)
			y.str = f->rhs_str;
		else
			y.num = f->rhs_num;
	}
	/* An absent value (a program in one run only) differs from every
	 * present one and equals another absent one; it is not ordered. */
	if (!x.present || !y.present) {
		if (f->op == OP_EQ)
			return x.present == y.present;
		if (f->op == OP_NE)
			return x.present != y.present;
		return false;
	}
	return test_op(f->op, cmp_values(&x, &y));
}

int bpfs_compare_filter(struct bpfs_compare *c, const char *expr, struct bpfs_err *err)
{
	struct filter f = { 0 };
	size_t kept = 0;
	int ret = parse_filter(expr, &f, err);

	if (!ret) {
		for (size_t i = 0; i < c->nrows; i++)
			if (matches(c, &c->rows[i], &f))
				c->rows[kept++] = c->rows[i];
		c->nrows = kept;
	}
	g_free(f.whole);
	g_free(f.obj_glob);
	g_free(f.func_glob);
	g_free(f.rhs_str);
	return ret;
}
