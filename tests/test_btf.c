/* SPDX-License-Identifier: MIT */
/*
 * BTF read through libbpf: an object's .BTF.ext records reach its
 * programs at their own instruction indexes, and the verifier uses the
 * func_info: global functions verified on their own against their
 * prototype (the kernel's messages), hidden ones as static; malformed BTF
 * and .BTF.ext give an error, never a crash.
 */
#include <glib.h>
#include <string.h>

#include "analysis.h"
#include "testutil.h"

static struct bpfs_object *open_or_skip(const char *name)
{
	const char *dir = g_getenv("BPFS_TEST_BPF_DIR");
	g_autofree char *path = dir ? g_build_filename(dir, name, NULL) : NULL;
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;

	if (!path || !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_test_skip("the test BPF programs were not built (clang -target bpf is missing)");
		return NULL;
	}
	g_assert_cmpint(bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err), ==, 0);
	return obj;
}

static void verify(const struct bpfs_object *obj, const struct bpfs_prog *p, struct bpfs_verdict *v)
{
	struct bpfs_verifier_opts o = {
		.prog_type = p->type, .maps = obj->maps, .map_cnt = obj->map_cnt, .license = obj->license,
		.log_level = 1, .btf = obj->btf, .func_info = p->func_info, .nfunc_info = p->nfunc_info,
		.funcs = p->funcs, .nfuncs = p->nfuncs, .line_info = p->line_info, .nline_info = p->nline_info,
	};

	g_assert_cmpint(bpfs_verify(p->insns, p->insn_cnt, &o, v), ==, 0);
}

static void test_ext_records(void)
{
	struct bpfs_object *obj = open_or_skip("global_funcs.o");
	struct bpfs_err err;
	const struct bpfs_prog *p;

	if (!obj)
		return;
	g_assert_nonnull(obj->btf);
	g_assert_null(obj->btf_error);
	p = bpfs_object_find_prog(obj, "tc/good", &err);
	g_assert_nonnull(p);
	/* the program and the four functions it places, each with its FUNC */
	g_assert_cmpuint(p->nfunc_info, ==, 4);
	g_assert_cmpuint(p->func_info[0].insn, ==, 0);
	g_assert_cmpstr(bpfs_btf_func_name(obj->btf, p->func_info[0].type_id), ==, "good");
	for (size_t i = 1; i < p->nfunc_info; i++) {
		g_assert_cmpuint(p->func_info[i].insn, >, p->func_info[i - 1].insn);
		g_assert_cmpuint(p->func_info[i].insn, <, p->insn_cnt);
	}
	/* lines in order, inside the program, naming the source (clang
	 * records line 0 for code it made up) */
	g_assert_cmpuint(p->nline_info, >, 5);
	for (size_t i = 0; i < p->nline_info; i++) {
		g_assert_cmpuint(p->line_info[i].insn, <, p->insn_cnt);
		if (i)
			g_assert_cmpuint(p->line_info[i].insn, >=, p->line_info[i - 1].insn);
		g_assert_nonnull(strstr(p->line_info[i].file, "global_funcs.bpf.c"));
		if (p->line_info[i].line)
			g_assert_nonnull(strstr(p->line_info[i].src, ";") ? "" : p->line_info[i].src);
	}
	g_assert_cmpuint(p->line_info[0].line, ==, 36); /* int good(struct __sk_buff *skb) */
	bpfs_object_free(obj);
}

static void test_global_funcs(void)
{
	struct bpfs_object *obj = open_or_skip("global_funcs.o");
	struct bpfs_verdict v;
	struct bpfs_err err;

	if (!obj)
		return;
	verify(obj, bpfs_object_find_prog(obj, "tc/good", &err), &v);
	if (!v.accepted)
		g_test_message("%s", v.log);
	g_assert_true(v.accepted);
	g_assert_nonnull(strstr(v.log, "('sum_checked') is global and assumed valid."));
	g_assert_nonnull(strstr(v.log, "('sum_checked') is safe for any args that match its prototype"));
	g_assert_nonnull(strstr(v.log, "('skb_len') is safe for any args that match its prototype"));
	g_assert_null(strstr(v.log, "('hidden_deref')")); /* static: walked at its call */
	/* source lines above the instructions, as the kernel's log prints them */
	g_assert_nonnull(strstr(v.log, "; int good(struct __sk_buff *skb) @ global_funcs.bpf.c:36\n0: "));
	bpfs_verdict_release(&v);

	verify(obj, bpfs_object_find_prog(obj, "tc/bad", &err), &v);
	g_assert_false(v.accepted);
	g_assert_cmpstr(v.msg, ==, "R1 invalid mem access 'mem_or_null'");
	g_assert_nonnull(strstr(v.log, "('sum_unchecked') is global and assumed valid."));
	bpfs_verdict_release(&v);
	bpfs_object_free(obj);
}

/* Without func_info the same calls are walked as static ones. */
static void test_without_btf(void)
{
	struct bpfs_object *obj = open_or_skip("global_funcs.o");
	struct bpfs_verifier_opts o = {0};
	struct bpfs_verdict v;
	struct bpfs_err err;
	const struct bpfs_prog *p;

	if (!obj)
		return;
	p = bpfs_object_find_prog(obj, "tc/bad", &err);
	o.prog_type = p->type;
	o.license = obj->license;
	g_assert_cmpint(bpfs_verify(p->insns, p->insn_cnt, &o, &v), ==, 0);
	g_assert_true(v.accepted); /* the caller passes a stack pointer */
	bpfs_verdict_release(&v);
	bpfs_object_free(obj);
}

struct bad_btf {
	const char *name;
	const char *hex; /* .BTF bytes */
	const char *ext_hex;
	const char *msg;
};

static const struct bad_btf bad[] = {
	{"short", "9feb0100", NULL, "section '.BTF': too small"},
	{"bad-magic", "00000100180000000000000000000000000000000100000000", NULL, "section '.BTF':"},
	/* a valid empty BTF (one empty string), then broken .BTF.ext */
	{"ext-short", "9feb010018000000000000000000000000000000010000000000", "9feb", "section '.BTF.ext': too small"},
	{"ext-magic", "9feb010018000000000000000000000000000000010000000000",
	 "0000010018000000000000000000000000000000000000000000", "section '.BTF.ext': bad magic"},
	{"ext-oob", "9feb010018000000000000000000000000000000010000000000",
	 "9feb0100180000000000000010000000000000000000000000", "are out of bounds"},
};

static void test_malformed(gconstpointer data)
{
	const struct bad_btf *c = data;
	g_autofree guint8 *btf = NULL, *ext = NULL;
	gssize n = tu_unhex(c->hex, &btf), m = c->ext_hex ? tu_unhex(c->ext_hex, &ext) : 0;
	struct bpfs_btf *b = NULL;
	struct bpfs_err err;
	int ret;

	g_assert_cmpint(n, >, 0);
	ret = bpfs_btf_parse(btf, (size_t)n, ext, (size_t)m, &b, &err);
	if (ret == 0)
		g_test_message("parsed %s", c->name);
	g_assert_cmpint(ret, <, 0);
	g_assert_null(b);
	g_assert_nonnull(strstr(err.msg, c->msg));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/btf/ext-records", test_ext_records);
	g_test_add_func("/btf/global-funcs", test_global_funcs);
	g_test_add_func("/btf/without-btf", test_without_btf);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *path = g_strdup_printf("/btf/malformed/%s", bad[i].name);

		g_test_add_data_func(path, &bad[i], test_malformed);
	}
	return g_test_run();
}
