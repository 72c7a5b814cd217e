/* SPDX-License-Identifier: MIT */
/*
 * Batch verification of a corpus. Objects are loaded first, in file order,
 * on the calling thread (loading is cheap next to verifying); then every
 * program is one task of a GLib thread pool. Each task writes only its own
 * row, so rows need no lock, and the result keeps file and program order
 * whatever the scheduling. Objects stay loaded until every task is done.
 * Sharding drops whole objects before they load, by a hash of the name
 * the rows give them, so the shards of a tree partition its rows.
 */
#include "corpus.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

struct task {
	const struct bpfs_object *obj;
	const struct bpfs_prog *prog;
	struct bpfs_corpus_row *row;
};

struct run {
	const struct bpfs_corpus_opts *opts;
	gint done;
};

const char *bpfs_corpus_verdict_name(enum bpfs_corpus_verdict v)
{
	switch (v) {
	case BPFS_CORPUS_ACCEPT:
		return "accept";
	case BPFS_CORPUS_REJECT:
		return "reject";
	case BPFS_CORPUS_ERROR:
		return "error";
	}
	return "?";
}

static void verify_one(gpointer data, gpointer user)
{
	struct task *t = data;
	struct run *run = user;
	struct bpfs_verifier_opts vo = run->opts->verifier;
	struct bpfs_corpus_row *row = t->row;
	const char *load_err = bpfs_prog_load_error(t->obj, t->prog);
	struct bpfs_verdict v = { 0 };
	gint64 start;

	if (load_err) {
		row->verdict = BPFS_CORPUS_ERROR;
		row->error = g_strdup(load_err);
		goto out;
	}
	/* Assembly input names maps without declaring them: such a program
	 * cannot be loaded. (Zero sizes in ELF map definitions are left to
	 * the verifier: loaders fill some in, as libbpf does for
	 * perf_event_array entries and map-in-map values.) */
	for (size_t i = 0; i < t->obj->map_cnt; i++) {
		if (t->obj->maps[i].type == BPF_MAP_TYPE_UNSPEC) {
			row->verdict = BPFS_CORPUS_ERROR;
			row->error = g_strdup_printf("map '%s' has no map type (declare it)",
						     t->obj->maps[i].name ? t->obj->maps[i].name : "?");
			goto out;
		}
	}
	vo.prog_type = row->prog_type;
	vo.maps = t->obj->maps;
	vo.map_cnt = t->obj->map_cnt;
	vo.license = t->obj->license;
	vo.kern_version = t->obj->kern_version;
	/* the attach type libbpf would load it with */
	int attach = bpfs_attach_type_from_section(t->prog->section, row->prog_type);

	if (attach >= 0) {
		vo.expected_attach_type = (uint32_t)attach;
		vo.attach_type_known = true;
	}
	if (bpfs_section_sleepable(t->prog->section))
		vo.prog_flags |= BPF_F_SLEEPABLE;
	vo.btf = t->obj->btf;
	vo.func_info = t->prog->func_info;
	vo.nfunc_info = t->prog->nfunc_info;
	vo.funcs = t->prog->funcs;
	vo.nfuncs = t->prog->nfuncs;
	vo.line_info = t->prog->line_info;
	vo.nline_info = t->prog->nline_info;
	start = g_get_monotonic_time();
	if (bpfs_verify(t->prog->insns, t->prog->insn_cnt, &vo, &v)) {
		row->verdict = BPFS_CORPUS_ERROR;
		row->error = g_strdup("the verifier could not run (out of memory)");
		goto out;
	}
	row->duration_us = (uint64_t)(g_get_monotonic_time() - start);
	row->verdict = v.accepted ? BPFS_CORPUS_ACCEPT : BPFS_CORPUS_REJECT;
	row->error = g_strdup(v.accepted ? "" : v.msg);
	row->error_insn = v.accepted ? -1 : v.insn;
	row->stats = v.stats;
	bpfs_verdict_release(&v);
out:
	g_free(t);
	g_atomic_int_inc(&run->done);
}

/* Name of file relative to the argument it came from. */
static char *relative_name(const char *file, const char *const *paths, size_t npaths)
{
	for (size_t i = 0; i < npaths; i++) {
		size_t n = strlen(paths[i]);
		while (n > 1 && paths[i][n - 1] == '/')
			n--;
		if (g_file_test(paths[i], G_FILE_TEST_IS_DIR) && !strncmp(file, paths[i], n) && file[n] == '/')
			return g_strdup(file + n + 1);
	}
	return g_strdup(file);
}

static void add_error_row(GArray *rows, const char *object, const char *msg)
{
	struct bpfs_corpus_row row = { 0 };

	row.object = g_strdup(object);
	row.section = g_strdup("");
	row.function = g_strdup("");
	row.verdict = BPFS_CORPUS_ERROR;
	row.error = g_strdup(msg);
	row.error_insn = -1;
	g_array_append_val(rows, row);
}

static uint32_t prog_type(const struct bpfs_corpus_opts *opts, const char *object, const struct bpfs_prog *p)
{
	int t = -1;

	if (opts->prog_type >= 0)
		return (uint32_t)opts->prog_type;
	if (opts->prog_type_fn)
		t = opts->prog_type_fn(object, p, opts->prog_type_data);
	return t >= 0 ? (uint32_t)t : p->type;
}

/* Loads every file. rows and srcs grow together: srcs[i] is the program
 * of rows[i] (obj NULL for an object that did not load). */
struct src {
	const struct bpfs_object *obj;
	const struct bpfs_prog *prog;
};

/* FNV-1a: simple, fixed, and the same on every machine and build. */
unsigned bpfs_corpus_shard_of(const char *object, unsigned nshards)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)object; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return nshards ? (unsigned)(h % nshards) + 1 : 1;
}

int bpfs_corpus_shard_parse(const char *s, unsigned *shard, unsigned *nshards)
{
	char *end;
	guint64 k, n;

	if (!g_ascii_isdigit(*s))
		return -EINVAL;
	k = g_ascii_strtoull(s, &end, 10);
	if (*end != '/' || !g_ascii_isdigit(end[1]))
		return -EINVAL;
	n = g_ascii_strtoull(end + 1, &end, 10);
	if (*end || n < 1 || n > 1000000 || k < 1 || k > n)
		return -EINVAL;
	*shard = (unsigned)k;
	*nshards = (unsigned)n;
	return 0;
}

static bool in_shard(const struct bpfs_corpus_opts *opts, const char *name)
{
	return opts->nshards <= 1 || bpfs_corpus_shard_of(name, opts->nshards) == opts->shard;
}

static void load_all(char **files, size_t nfiles, const char *const *paths, size_t npaths,
		     const struct bpfs_corpus_opts *opts, GArray *rows, GArray *srcs, GPtrArray *objs)
{
	for (size_t f = 0; f < nfiles; f++) {
		g_autofree char *name = relative_name(files[f], paths, npaths);
		struct bpfs_object *obj = NULL;
		struct bpfs_err err;

		if (!in_shard(opts, name))
			continue;
		bpfs_err_clear(&err);
		if (bpfs_object_open(files[f], BPFS_FORMAT_AUTO, &obj, &err)) {
			struct src none = { NULL, NULL };
			add_error_row(rows, name, err.msg);
			g_array_append_val(srcs, none);
			continue;
		}
		g_ptr_array_add(objs, obj);
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfs_prog *p = &obj->progs[i];
			struct bpfs_corpus_row row = { 0 };
			struct src src = { obj, p };

			row.object = g_strdup(name);
			row.section = g_strdup(p->section ? p->section : "");
			row.function = g_strdup(p->name ? p->name : "");
			row.prog_type = prog_type(opts, name, p);
			row.insns = p->main_cnt;
			row.error_insn = -1;
			g_array_append_val(rows, row);
			g_array_append_val(srcs, src);
		}
	}
}

int bpfs_corpus_verify(const char *const *paths, size_t npaths, const struct bpfs_corpus_opts *opts,
		       struct bpfs_corpus_result *out, struct bpfs_err *err)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct bpfs_corpus_row));
	GPtrArray *objs = g_ptr_array_new_with_free_func((GDestroyNotify)bpfs_object_free);
	GArray *srcs = g_array_new(FALSE, TRUE, sizeof(struct src));
	struct run run = { .opts = opts };
	GThreadPool *pool = NULL;
	char **files = NULL;
	size_t nfiles = 0, ntasks = 0;
	int ret;

	ret = bpfs_corpus_find(paths, npaths, &files, &nfiles, err);
	if (ret)
		goto out;
	load_all(files, nfiles, paths, npaths, opts, rows, srcs, objs);
	pool = g_thread_pool_new(verify_one, &run, opts->jobs ? (gint)opts->jobs : (gint)g_get_num_processors(),
				 TRUE, NULL);
	for (size_t i = 0; i < rows->len; i++) {
		const struct src *src = &g_array_index(srcs, struct src, i);
		struct task *t;

		if (!src->obj)
			continue; /* an object that did not load */
		t = g_new(struct task, 1);
		t->obj = src->obj;
		t->prog = src->prog;
		t->row = &g_array_index(rows, struct bpfs_corpus_row, i);
		ntasks++;
		g_thread_pool_push(pool, t, NULL);
	}
	while ((size_t)g_atomic_int_get(&run.done) < ntasks) {
		if (opts->progress)
			opts->progress((size_t)g_atomic_int_get(&run.done), ntasks, opts->progress_data);
		g_usleep(100000);
	}
	g_thread_pool_free(pool, FALSE, TRUE);
	if (opts->progress)
		opts->progress(ntasks, ntasks, opts->progress_data);
	out->nrows = rows->len;
	out->rows = (struct bpfs_corpus_row *)g_array_free(rows, FALSE);
	rows = NULL;
out:
	if (rows)
		g_array_free(rows, TRUE);
	g_array_free(srcs, TRUE);
	g_ptr_array_free(objs, TRUE);
	bpfs_corpus_files_free(files);
	return ret;
}

void bpfs_corpus_result_release(struct bpfs_corpus_result *res)
{
	for (size_t i = 0; i < res->nrows; i++) {
		g_free(res->rows[i].object);
		g_free(res->rows[i].section);
		g_free(res->rows[i].function);
		g_free(res->rows[i].error);
		g_free(res->rows[i].kernel_verdict);
		g_free(res->rows[i].kernel_error);
	}
	g_free(res->rows);
	res->rows = NULL;
	res->nrows = 0;
	res->kernel = false;
	res->no_sections = false;
}
