/* SPDX-License-Identifier: MIT */
/*
 * The Z3 cross-checker: one small program for each result, cross-checked
 * through `bpfscope xcheck --json`, and every witness replayed with
 * `bpfscope run --witness W --checked`, which must stop at the same insn
 * with an out-of-bounds access; an unsound verdict (what a verifier bug
 * gives) through the library with a forged acceptance; the operator audit
 * on a small sample. Skips when bpfscope was built without Z3.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "testutil.h"
#include "xcheck.h"

struct xcase {
	const char *name;
	const char *args; /* xcheck options before the file */
	const char *expect; /* the "xcheck" field */
	int insn;           /* -1: none */
	int status;         /* exit status of xcheck */
	const char *reason_has;
	const char *src;
};

/* An off-by-one bound on an index into a 16-byte map value (4 u32):
 * skb->mark == 4 reads past the end. */
#define OFF_BY_ONE                                  \
	"	r6 = *(u32 *)(r1 + 8)\n"                   \
	"	r1 = 0\n"                                  \
	"	*(u32 *)(r10 - 4) = r1\n"                  \
	"	r2 = r10\n"                                \
	"	r2 += -4\n"                                \
	"	r1 = vals ll\n"                            \
	"	call bpf_map_lookup_elem\n"                \
	"	if r0 == 0 goto out\n"                     \
	"	if r6 > 4 goto out\n"                      \
	"	r6 <<= 2\n"                                \
	"	r0 += r6\n"                                \
	"	r0 = *(u32 *)(r0 + 0)\n"                   \
	"	exit\n"                                    \
	"out:\n"                                       \
	"	r0 = 0\n"                                  \
	"	exit\n"

static const struct xcase cases[] = {
	{ "true-positive-map-off-by-one", "--map array:4:16:1", "true_positive", 12, 0, "16-byte map value",
	  OFF_BY_ONE },
	/* The packet's first byte is an offset used without a check */
	{ "true-positive-packet-offset", "--type xdp", "true_positive", 7, 0, "past the packet's end",
	  "	r2 = *(u32 *)(r1 + 0)\n"
	  "	r3 = *(u32 *)(r1 + 4)\n"
	  "	r4 = r2\n"
	  "	r4 += 14\n"
	  "	if r4 > r3 goto out\n"
	  "	r5 = *(u8 *)(r2 + 0)\n"
	  "	r2 += r5\n"
	  "	r0 = *(u8 *)(r2 + 0)\n"
	  "	exit\n"
	  "out:\n"
	  "	r0 = 0\n"
	  "	exit\n" },
	/* b + (1 - b) is 1 whatever b is, but its interval is [0, 2]: the
	 * verifier sees fp-16 + [0, 16] and rejects the 8-byte read */
	{ "false-alarm-loose-sum", "", "false_alarm", 13, 1, "the access is safe",
	  "	r6 = *(u32 *)(r1 + 8)\n"
	  "	r7 = r6\n"
	  "	r7 &= 1\n"
	  "	r8 = 1\n"
	  "	r8 -= r7\n"
	  "	r7 += r8\n"
	  "	r7 <<= 3\n"
	  "	r1 = 0\n"
	  "	*(u64 *)(r10 - 16) = r1\n"
	  "	*(u64 *)(r10 - 8) = r1\n"
	  "	r2 = r10\n"
	  "	r2 += -16\n"
	  "	r2 += r7\n"
	  "	r0 = *(u64 *)(r2 + 0)\n"
	  "	exit\n" },
	/* A bounded loop filling 64 bytes of stack */
	{ "confirmed-bounded-loop", "", "confirmed", -1, 0, "in bounds",
	  "	r1 = 0\n"
	  "loop:\n"
	  "	r2 = r10\n"
	  "	r2 += -64\n"
	  "	r3 = r1\n"
	  "	r3 <<= 3\n"
	  "	r2 += r3\n"
	  "	*(u64 *)(r2 + 0) = r1\n"
	  "	r1 += 1\n"
	  "	if r1 < 8 goto loop\n"
	  "	r0 = *(u64 *)(r10 - 8)\n"
	  "	exit\n" },
	/* A checked lookup and a packet access behind its bounds check */
	{ "confirmed-checked-accesses", "--type xdp --map hash:4:8:16", "confirmed", -1, 0, "in bounds",
	  "	r6 = r1\n"
	  "	r1 = 0\n"
	  "	*(u32 *)(r10 - 4) = r1\n"
	  "	r2 = r10\n"
	  "	r2 += -4\n"
	  "	r1 = counts ll\n"
	  "	call bpf_map_lookup_elem\n"
	  "	if r0 == 0 goto out\n"
	  "	r1 = *(u64 *)(r0 + 0)\n"
	  "	r1 += 1\n"
	  "	*(u64 *)(r0 + 0) = r1\n"
	  "	r2 = *(u32 *)(r6 + 0)\n"
	  "	r3 = *(u32 *)(r6 + 4)\n"
	  "	r4 = r2\n"
	  "	r4 += 20\n"
	  "	if r4 > r3 goto out\n"
	  "	r0 = *(u32 *)(r2 + 16)\n"
	  "	exit\n"
	  "out:\n"
	  "	r0 = 2\n"
	  "	exit\n" },
	/* A loop bounded by an input: more paths than the budget */
	{ "unknown-path-budget", "--max-paths 8", "unknown", -1, 0, "path budget",
	  "	r6 = *(u32 *)(r1 + 8)\n"
	  "	r6 &= 0xff\n"
	  "	r0 = 0\n"
	  "loop:\n"
	  "	if r0 >= r6 goto out\n"
	  "	r0 += 1\n"
	  "	goto loop\n"
	  "out:\n"
	  "	exit\n" },
	/* Rejected for a reason that is not memory safety */
	{ "unknown-not-memory", "", "unknown", -1, 0, "not about memory safety",
	  "	r0 = 0\n"
	  "	r0 /= 0\n"
	  "	r1 = r10\n"
	  "	r0 = r1\n"
	  "	exit\n" },
};

static gboolean have_z3(void)
{
	if (!bpfs_xcheck_available()) {
		g_test_skip("bpfscope was built without Z3: the cross-checker is not available");
		return FALSE;
	}
	return TRUE;
}

static char *write_prog(const char *dir, const char *name, const char *src)
{
	char *path = g_strdup_printf("%s/%s.s", dir, name);

	g_assert_true(g_file_set_contents(path, src, -1, NULL));
	return path;
}

/* The first object of a JSON array printed on stdout */
static JsonObject *first_object(JsonParser *p, const char *text)
{
	JsonNode *root;

	g_assert_true(json_parser_load_from_data(p, text, -1, NULL));
	root = json_parser_get_root(p);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(root));
	g_assert_cmpuint(json_array_get_length(json_node_get_array(root)), ==, 1);
	return json_array_get_object_element(json_node_get_array(root), 0);
}

/* run --witness --checked stops at insn with an out-of-bounds access */
static void replay(const char *args, const char *file, const char *witness, int insn, bool no_verify)
{
	g_autofree char *cmd = g_strdup_printf("%s run %s %s --witness %s%s --checked --json", tu_cli(), args, file,
					       witness, no_verify ? " --no-verify" : "");
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o, *v;
	int st = tu_run(cmd, &out, &err);

	if (st != 1)
		g_printerr("%s\nstdout: %s\nstderr: %s\n", cmd, out, err);
	g_assert_cmpint(st, ==, 1);
	g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
	o = json_node_get_object(json_parser_get_root(p));
	g_assert_false(json_object_get_null_member(o, "violation"));
	v = json_object_get_object_member(o, "violation");
	g_assert_cmpint(json_object_get_int_member(v, "insn"), ==, insn);
	g_assert_cmpstr(json_object_get_string_member(v, "kind"), ==, "invalid memory access");
}

static void test_case(gconstpointer data)
{
	const struct xcase *c = data;
	g_autofree char *dir = NULL, *file = NULL, *cmd = NULL, *out = NULL, *err = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o;
	int st;

	if (!have_z3())
		return;
	dir = g_dir_make_tmp("xcheck-XXXXXX", NULL);
	file = write_prog(dir, c->name, c->src);
	cmd = g_strdup_printf("%s xcheck --json --witness-dir %s/w %s %s", tu_cli(), dir, c->args, file);
	st = tu_run(cmd, &out, &err);
	if (st != c->status)
		g_printerr("%s\nstdout: %s\nstderr: %s\n", cmd, out, err);
	g_assert_cmpint(st, ==, c->status);
	o = first_object(p, out);
	g_assert_cmpstr(json_object_get_string_member(o, "xcheck"), ==, c->expect);
	if (c->insn >= 0)
		g_assert_cmpint(json_object_get_int_member(o, "insn"), ==, c->insn);
	else
		g_assert_true(json_object_get_null_member(o, "insn"));
	g_assert_nonnull(strstr(json_object_get_string_member(o, "reason"), c->reason_has));
	g_assert_cmpint(json_object_get_int_member(o, "queries"), >=, 0);
	if (!strcmp(c->expect, "true_positive") || !strcmp(c->expect, "unsound")) {
		const char *w = json_object_get_string_member(o, "witness");

		g_assert_nonnull(w);
		g_assert_true(g_file_test(w, G_FILE_TEST_EXISTS));
		/* the verifier rejected it: run it unverified */
		replay(c->args, file, w, c->insn, true);
	} else {
		g_assert_true(json_object_get_null_member(o, "witness"));
	}
	tu_rm_tree(dir);
}

/* What a verifier bug looks like: the off-by-one program "accepted".
 * The witness (mark = 4, key 0 hit) replayed through run's --ctx and
 * --map-set. */
static void test_unsound(void)
{
	g_autofree char *dir = NULL, *file = NULL;
	struct bpfs_object *obj = NULL;
	struct bpfs_err e;
	struct bpfs_map_spec map = { .name = (char *)"vals", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
				     .value_size = 16, .max_entries = 1, .inner_map = -1 };
	struct bpfs_verifier_opts vo = { .prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .maps = &map, .map_cnt = 1 };
	struct bpfs_xcheck_opts xo = { .verifier = &vo };
	struct bpfs_verdict forged = { .accepted = true, .insn = -1 };
	struct bpfs_xcheck_result r;
	const struct bpfs_witness *w;
	uint8_t skb[sizeof(struct __sk_buff)] = { 0 };
	g_autofree char *ctxf = NULL, *hexval = NULL, *cmd = NULL, *out = NULL, *err = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	GString *hv;
	bool mark_seen = false;

	if (!have_z3())
		return;
	dir = g_dir_make_tmp("xcheck-XXXXXX", NULL);
	file = write_prog(dir, "unsound", OFF_BY_ONE);
	g_assert_cmpint(bpfs_object_open(file, BPFS_FORMAT_AUTO, &obj, &e), ==, 0);
	g_assert_cmpint(bpfs_xcheck(obj->progs[0].insns, obj->progs[0].insn_cnt, &xo, &forged, &r), ==, 0);
	g_assert_cmpstr(bpfs_xcheck_kind_name(r.kind), ==, "unsound");
	g_assert_cmpint(r.insn, ==, 12);
	w = r.witness;
	g_assert_nonnull(w);
	g_assert_cmpuint(w->insn, ==, 12);
	g_assert_true(w->has_packet);
	for (size_t i = 0; i < w->nctx; i++) {
		if (w->ctx[i].off == offsetof(struct __sk_buff, mark)) {
			g_assert_cmpuint(w->ctx[i].value, ==, 4);
			mark_seen = true;
			memcpy(skb + w->ctx[i].off, &w->ctx[i].value, 4);
		}
	}
	g_assert_true(mark_seen);
	g_assert_cmpuint(w->nlookups, ==, 1);
	g_assert_true(w->lookups[0].hit);
	hv = g_string_new(NULL);
	for (uint32_t i = 0; i < w->lookups[0].value_size; i++)
		g_string_append_printf(hv, "%02x", w->lookups[0].value[i]);
	hexval = g_string_free(hv, FALSE);
	ctxf = g_strdup_printf("%s/ctx.bin", dir);
	g_assert_true(g_file_set_contents(ctxf, (const char *)skb, sizeof(skb), NULL));
	cmd = g_strdup_printf("%s run --map array:4:16:1 %s --ctx %s --map-set vals 0=0x%s --no-verify --checked --json",
			      tu_cli(), file, ctxf, hexval);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 1);
	g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(
			    json_node_get_object(json_parser_get_root(p)), "violation"), "insn"), ==, 12);
	bpfs_xcheck_result_release(&r);
	bpfs_object_free(obj);
	tu_rm_tree(dir);
}

/* The operator audit on a small sample finds nothing and proves the
 * straight-line tnum operations */
static void test_ops(void)
{
	struct bpfs_xcheck_ops_opts o = { .samples = 10, .seed = 7 };
	struct bpfs_xcheck_op_stat *st = NULL;
	size_t n = 0, proven = 0;

	if (!have_z3())
		return;
	g_assert_cmpint(bpfs_xcheck_ops(&o, &st, &n), ==, 0);
	g_assert_cmpuint(n, >, 50);
	for (size_t i = 0; i < n; i++) {
		g_assert_cmpuint(st[i].counterexamples, ==, 0);
		g_assert_cmpint(st[i].proven, >=, 0);
		proven += st[i].proven > 0;
	}
	g_assert_cmpuint(proven, ==, 9);
	free(st);
}

/* verify --xcheck prints the verdict, then the cross-check */
static void test_verify_flag(void)
{
	g_autofree char *dir = NULL, *file = NULL, *cmd = NULL, *out = NULL, *err = NULL;

	if (!have_z3())
		return;
	dir = g_dir_make_tmp("xcheck-XXXXXX", NULL);
	file = write_prog(dir, "offbyone", OFF_BY_ONE);
	cmd = g_strdup_printf("%s verify --xcheck --witness-dir %s/w --map array:4:16:1 %s", tu_cli(), dir, file);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 1);
	g_assert_nonnull(strstr(out, "rejected at insn 12"));
	g_assert_nonnull(strstr(out, "true positive at insn 12"));
	tu_rm_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/xcheck/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_case);
	}
	g_test_add_func("/xcheck/unsound-forged-acceptance", test_unsound);
	g_test_add_func("/xcheck/verify-flag", test_verify_flag);
	g_test_add_func("/xcheck/ops", test_ops);
	return g_test_run();
}
