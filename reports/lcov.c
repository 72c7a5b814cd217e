/* SPDX-License-Identifier: MIT */
/*
 * Coverage as LCOV tracefiles (the format geninfo(1) documents), so that
 * genhtml renders it on the program's C source: per test name ("verifier":
 * how often the verifier processed each instruction; "exec": how often it
 * ran) and per source file, the functions (FN/FNDA), the lines (DA: the
 * largest count of a line's instructions) and both sides of every
 * conditional jump (BRDA, "-" where the jump itself was never reached).
 *
 * Lines come from BTF line_info. A program without it (raw bytecode,
 * assembly, objects built without -g) is covered against a listing of
 * its instructions, one a line in the disasm syntax, written beside the
 * tracefile. Counts of several programs, runs and inputs add up.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "reports.h"

struct lcov_branch {
	uint32_t line, block, branch;
	bool reached;
	uint64_t taken;
};

struct lcov_func {
	char *name;
	uint32_t line;
	uint64_t count;
};

struct lcov_file {
	GHashTable *lines;   /* line -> count + 1 (0: absent) */
	GHashTable *funcs;   /* name -> struct lcov_func */
	GHashTable *branches; /* "line:block:branch" -> struct lcov_branch */
};

struct bpfs_lcov {
	GHashTable *tests; /* test name -> (path -> struct lcov_file) */
	GPtrArray *order;  /* "test\tpath", first seen first */
};

static void file_free(gpointer p)
{
	struct lcov_file *f = p;

	g_hash_table_destroy(f->lines);
	g_hash_table_destroy(f->funcs);
	g_hash_table_destroy(f->branches);
	g_free(f);
}

static void func_free(gpointer p)
{
	struct lcov_func *f = p;

	g_free(f->name);
	g_free(f);
}

struct bpfs_lcov *bpfs_lcov_new(void)
{
	struct bpfs_lcov *l = g_new0(struct bpfs_lcov, 1);

	l->tests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_destroy);
	l->order = g_ptr_array_new_with_free_func(g_free);
	return l;
}

void bpfs_lcov_free(struct bpfs_lcov *l)
{
	if (!l)
		return;
	g_hash_table_destroy(l->tests);
	g_ptr_array_free(l->order, TRUE);
	g_free(l);
}

static struct lcov_file *get_file(struct bpfs_lcov *l, const char *test, const char *path)
{
	GHashTable *files = g_hash_table_lookup(l->tests, test);
	struct lcov_file *f;

	if (!files) {
		files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, file_free);
		g_hash_table_insert(l->tests, g_strdup(test), files);
	}
	f = g_hash_table_lookup(files, path);
	if (!f) {
		f = g_new0(struct lcov_file, 1);
		f->lines = g_hash_table_new(g_direct_hash, g_direct_equal);
		f->funcs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, func_free);
		f->branches = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert(files, g_strdup(path), f);
		g_ptr_array_add(l->order, g_strdup_printf("%s\t%s", test, path));
	}
	return f;
}

static void add_line(struct lcov_file *f, uint32_t line, uint64_t count)
{
	gpointer key = GUINT_TO_POINTER(line);
	uint64_t now = (uint64_t)GPOINTER_TO_SIZE(g_hash_table_lookup(f->lines, key));

	g_hash_table_insert(f->lines, key, GSIZE_TO_POINTER((gsize)(now ? now + count : count + 1)));
}

static void add_func(struct lcov_file *f, const char *name, uint32_t line, uint64_t count)
{
	struct lcov_func *fn = g_hash_table_lookup(f->funcs, name);

	if (!fn) {
		fn = g_new0(struct lcov_func, 1);
		fn->name = g_strdup(name);
		fn->line = line;
		g_hash_table_insert(f->funcs, g_strdup(name), fn);
	}
	fn->count += count;
}

static void add_branch(struct lcov_file *f, uint32_t line, uint32_t block, uint32_t branch, bool reached,
		       uint64_t taken)
{
	char *key = g_strdup_printf("%u:%u:%u", line, block, branch);
	struct lcov_branch *b = g_hash_table_lookup(f->branches, key);

	if (!b) {
		b = g_new0(struct lcov_branch, 1);
		*b = (struct lcov_branch){line, block, branch, false, 0};
		g_hash_table_insert(f->branches, key, b);
	} else {
		g_free(key);
	}
	b->reached |= reached;
	b->taken += taken;
}

static void line_max(GHashTable *maxes, const char *path, uint32_t line, uint64_t count)
{
	char *key = g_strdup_printf("%s\t%u", path, line);
	gsize now = GPOINTER_TO_SIZE(g_hash_table_lookup(maxes, key));

	if (!now || count + 1 > now)
		g_hash_table_replace(maxes, key, GSIZE_TO_POINTER((gsize)count + 1));
	else
		g_free(key);
}

/* The source file a line record names, as an absolute path: as recorded
 * when it exists, else under source_dir (the path as recorded, then its
 * base name). */
static char *source_path(const char *file, const char *source_dir)
{
	const char *base = strrchr(file, '/');
	char *cands[3] = {NULL, NULL, NULL};
	char *found = NULL;

	cands[0] = g_path_is_absolute(file) ? g_strdup(file) : g_canonicalize_filename(file, NULL);
	if (source_dir) {
		cands[1] = g_canonicalize_filename(file, source_dir);
		cands[2] = g_build_filename(source_dir, base ? base + 1 : file, NULL);
	}
	for (int i = source_dir ? 1 : 0; i < 3 && !found; i++)
		if (cands[i] && g_file_test(cands[i], G_FILE_TEST_IS_REGULAR))
			found = g_canonicalize_filename(cands[i], NULL);
	if (!found && g_file_test(cands[0], G_FILE_TEST_IS_REGULAR))
		found = g_strdup(cands[0]);
	if (!found)
		found = g_strdup(source_dir ? cands[1] : cands[0]);
	for (int i = 0; i < 3; i++)
		g_free(cands[i]);
	return found;
}

static bool is_cond_jump(const struct bpf_insn *j)
{
	uint8_t cls = BPF_CLASS(j->code), op = BPF_OP(j->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA && op != BPF_CALL && op != BPF_EXIT;
}

/* The line record covering insn i (the last at or before it), or NULL. */
static const struct bpfs_line_info *line_of(const struct bpfs_cover_prog *p, uint32_t i)
{
	const struct bpfs_line_info *found = NULL;
	size_t lo = 0, hi = p->nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->lines[mid].insn <= i) {
			found = &p->lines[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return found;
}

/* The listing a program without source lines is covered against: line
 * i + 1 is instruction i (LD_IMM64's second slot a line of its own, so
 * that line numbers stay instruction indexes). */
static int write_listing(const struct bpfs_cover_prog *p, struct bpfs_err *err)
{
	GString *s = g_string_new(NULL);
	bool ok;

	for (size_t i = 0; i < p->cnt; i++) {
		char text[256];

		if (bpfs_disasm_insn(p->insns, p->cnt, i, BPFS_SYNTAX_KERNEL, text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "(invalid)");
		g_string_append_printf(s, "%zu: (%02x) %s\n", i, p->insns[i].code, text);
		if (bpfs_insn_is_ldimm64(&p->insns[i]) && i + 1 < p->cnt) {
			g_string_append_printf(s, "%zu: (the second slot of %zu)\n", i + 1, i);
			i++;
		}
	}
	ok = g_file_set_contents(p->listing, s->str, (gssize)s->len, NULL);
	g_string_free(s, TRUE);
	return ok ? 0 : bpfs_err_set(err, EIO, -1, "cannot write %s", p->listing);
}

/* The function whose code holds insn i: its name and first instruction. */
static const struct bpfs_func *func_of(const struct bpfs_cover_prog *p, uint32_t i)
{
	const struct bpfs_func *best = NULL;

	for (size_t k = 0; k < p->nfuncs; k++)
		if (p->funcs[k].start <= i && (!best || p->funcs[k].start > best->start))
			best = &p->funcs[k];
	return best;
}

int bpfs_lcov_add(struct bpfs_lcov *l, const char *test, const struct bpfs_cover_prog *p, struct bpfs_err *err)
{
	g_autofree char *listing_abs = NULL;
	GHashTable *paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* "path\tline" -> the largest count of the line's instructions, + 1 */
	GHashTable *maxes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTableIter it;
	gpointer k, v;
	int ret = 0;

	if (!p->nlines) {
		if (!p->listing)
			return bpfs_err_set(err, EINVAL, -1, "%s: no source lines and no listing to cover against",
					    p->name);
		ret = write_listing(p, err);
		if (ret)
			goto out;
		listing_abs = g_canonicalize_filename(p->listing, NULL);
	}
	for (uint32_t i = 0; i < p->cnt; i++) {
		const struct bpfs_line_info *li = p->nlines ? line_of(p, i) : NULL;
		const char *path;
		uint32_t line;
		struct lcov_file *f;
		const struct bpfs_func *fn;

		if (p->nlines && (!li || !li->line))
			continue; /* code the compiler made up */
		if (li) {
			path = g_hash_table_lookup(paths, li->file);
			if (!path) {
				path = source_path(li->file, p->source_dir);
				g_hash_table_insert(paths, g_strdup(li->file), (gpointer)path);
			}
			line = li->line;
		} else {
			path = listing_abs;
			line = i + 1;
		}
		f = get_file(l, test, path);
		line_max(maxes, path, line, p->counts[i]);
		fn = func_of(p, i);
		if (fn && fn->start == i)
			add_func(f, fn->name, line, p->counts[i]);
		if (is_cond_jump(&p->insns[i]) && p->branches) {
			bool reached = p->counts[i] > 0;

			add_branch(f, line, i, 0, reached, p->branches[i].taken);
			add_branch(f, line, i, 1, reached, p->branches[i].not_taken);
		}
		if (bpfs_insn_is_ldimm64(&p->insns[i]) && !li) {
			line_max(maxes, path, line + 1, p->counts[i]);
			i++;
		}
	}
	g_hash_table_iter_init(&it, maxes);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *tab = strrchr(k, '\t');
		g_autofree char *path = g_strndup(k, (gsize)(tab - (const char *)k));

		add_line(get_file(l, test, path), (uint32_t)strtoul(tab + 1, NULL, 10), (uint64_t)GPOINTER_TO_SIZE(v) - 1);
	}
out:
	g_hash_table_destroy(maxes);
	g_hash_table_destroy(paths);
	return ret;
}

static gint cmp_u32(gconstpointer a, gconstpointer b)
{
	uint32_t x = GPOINTER_TO_UINT(*(gconstpointer *)a), y = GPOINTER_TO_UINT(*(gconstpointer *)b);

	return x < y ? -1 : x > y;
}

static gint cmp_branch(gconstpointer a, gconstpointer b)
{
	const struct lcov_branch *x = *(const struct lcov_branch *const *)a, *y = *(const struct lcov_branch *const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->branch < y->branch ? -1 : x->branch > y->branch;
}

static gint cmp_func(gconstpointer a, gconstpointer b)
{
	const struct lcov_func *x = *(const struct lcov_func *const *)a, *y = *(const struct lcov_func *const *)b;

	return x->line != y->line ? (x->line < y->line ? -1 : 1) : strcmp(x->name, y->name);
}

static GPtrArray *values_sorted(GHashTable *h, GCompareFunc cmp)
{
	GPtrArray *a = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	g_ptr_array_sort(a, cmp);
	return a;
}

static void write_file(FILE *out, const char *test, const char *path, const struct lcov_file *f)
{
	GPtrArray *funcs = values_sorted(f->funcs, cmp_func), *branches = values_sorted(f->branches, cmp_branch);
	GPtrArray *lines = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;
	size_t fnh = 0, lh = 0, brh = 0;

	fprintf(out, "TN:%s\nSF:%s\n", test, path);
	for (guint i = 0; i < funcs->len; i++) {
		const struct lcov_func *fn = funcs->pdata[i];

		fprintf(out, "FN:%u,%s\n", fn->line, fn->name);
	}
	for (guint i = 0; i < funcs->len; i++) {
		const struct lcov_func *fn = funcs->pdata[i];

		fprintf(out, "FNDA:%" PRIu64 ",%s\n", fn->count, fn->name);
		fnh += fn->count > 0;
	}
	fprintf(out, "FNF:%u\nFNH:%zu\n", funcs->len, fnh);
	g_hash_table_iter_init(&it, f->lines);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(lines, k);
	g_ptr_array_sort(lines, cmp_u32);
	for (guint i = 0; i < branches->len; i++) {
		const struct lcov_branch *b = branches->pdata[i];

		if (b->reached)
			fprintf(out, "BRDA:%u,%u,%u,%" PRIu64 "\n", b->line, b->block, b->branch, b->taken);
		else
			fprintf(out, "BRDA:%u,%u,%u,-\n", b->line, b->block, b->branch);
		brh += b->reached && b->taken;
	}
	fprintf(out, "BRF:%u\nBRH:%zu\n", branches->len, brh);
	for (guint i = 0; i < lines->len; i++) {
		uint32_t line = GPOINTER_TO_UINT(lines->pdata[i]);
		uint64_t c = (uint64_t)GPOINTER_TO_SIZE(g_hash_table_lookup(f->lines, lines->pdata[i])) - 1;

		fprintf(out, "DA:%u,%" PRIu64 "\n", line, c);
		lh += c > 0;
	}
	fprintf(out, "LF:%u\nLH:%zu\nend_of_record\n", lines->len, lh);
	g_ptr_array_free(funcs, TRUE);
	g_ptr_array_free(branches, TRUE);
	g_ptr_array_free(lines, TRUE);
}

int bpfs_lcov_write(const struct bpfs_lcov *l, FILE *out, struct bpfs_err *err)
{
	for (guint i = 0; i < l->order->len; i++) {
		g_auto(GStrv) tp = g_strsplit(l->order->pdata[i], "\t", 2);
		GHashTable *files = g_hash_table_lookup(l->tests, tp[0]);

		write_file(out, tp[0], tp[1], g_hash_table_lookup(files, tp[1]));
	}
	if (fflush(out) || ferror(out))
		return bpfs_err_set(err, EIO, -1, "cannot write the tracefile: %s", g_strerror(errno));
	return 0;
}
