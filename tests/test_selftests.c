/* SPDX-License-Identifier: MIT */
/*
 * Runs the kernel's own verifier test cases (the development data set's
 * corpus/kernel-selftests/verifier_tests.jsonl, described in the README
 * beside it) through bpfscope's verifier and reports how often bpfscope
 * agrees with the Linux 6.18 kernel's verdict on them (kernel_6_18_result)
 * and, for rejections, with its message (kernel_6_18_error, or the 6.1
 * errstr).
 *
 * This is a measurement, not a gate: disagreement does not fail the test
 * while the verifier is young. It fails only when the data could not be
 * read (fewer than 900 cases parsed) or bpfscope crashed on a case; each
 * case runs in a child process so that such a case is named, and one that
 * takes longer than CASE_TIMEOUT is reported (not failed).
 *
 * BPFS_SELFTESTS_ONLY=<idx> runs only the case with that idx, and prints
 * both verdicts and bpfscope's log.
 *
 * Cases bpfscope cannot express are skipped and counted by reason: no
 * instructions (generated at run time), BTF, kfuncs, map kinds outside the
 * README's table, attach targets (BTF functions), and cases the kernel did
 * not judge. Each case is verified with its expected attach type.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "analysis.h"
#include "testutil.h"

#define CASE_TIMEOUT 30 /* seconds before a case counts as hung */
#define MIN_CASES 900
#define MAX_LISTED 100 /* cases named per category */

#ifndef BPF_F_RDONLY_PROG
#define BPF_F_RDONLY_PROG (1U << 7)
#endif
#ifndef BPF_F_WRONLY_PROG
#define BPF_F_WRONLY_PROG (1U << 8)
#endif

/* The README's map kinds. */
struct fixup_kind {
	const char *name;
	uint32_t type, key_size, value_size, max_entries, flags;
};

static const struct fixup_kind fixup_kinds[] = {
    {"fixup_map_hash_8b", BPF_MAP_TYPE_HASH, 8, 8, 1, 0},
    {"fixup_map_hash_48b", BPF_MAP_TYPE_HASH, 8, 48, 1, 0},
    {"fixup_map_hash_16b", BPF_MAP_TYPE_HASH, 8, 16, 1, 0},
    {"fixup_map_array_48b", BPF_MAP_TYPE_ARRAY, 4, 48, 1, 0},
    {"fixup_map_array_ro", BPF_MAP_TYPE_ARRAY, 4, 48, 1, BPF_F_RDONLY_PROG},
    {"fixup_map_array_wo", BPF_MAP_TYPE_ARRAY, 4, 48, 1, BPF_F_WRONLY_PROG},
    {"fixup_map_array_small", BPF_MAP_TYPE_ARRAY, 4, 1, 1, 0},
    {"fixup_prog1", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0},
    {"fixup_prog2", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8, 0},
    {"fixup_map_event_output", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1, 0},
    {"fixup_map_stacktrace", BPF_MAP_TYPE_STACK_TRACE, 4, 8, 1, 0},
    {"fixup_map_ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0},
};

#define MAX_MAPS G_N_ELEMENTS(fixup_kinds)

/* One case, ready to verify. */
struct scase {
	gint64 idx;
	const char *descr;
	uint32_t prog_type;
	uint32_t prog_flags;
	uint32_t attach_type; /* expected_attach_type */
	struct bpf_insn *insns;
	size_t cnt;
	struct bpfs_map_spec maps[MAX_MAPS];
	size_t map_cnt;
	int kernel_result; /* 1 accept, 2 reject */
	const char *kernel_error;
	const char *errstr;
};

enum outcome {
	AGREE,	      /* verdict and message */
	VERDICT_ONLY, /* same verdict, message differs */
	FALSE_ACCEPT, /* bpfscope accepts what the kernel rejects */
	FALSE_REJECT, /* bpfscope rejects what the kernel accepts */
	VERIFY_ERROR, /* bpfs_verify could not run */
	HANG,	      /* no verdict within CASE_TIMEOUT */
	CRASH,	      /* the child died */
	OUTCOME_COUNT,
};

static const char *const outcome_names[OUTCOME_COUNT] = {
    [AGREE] = "agree (verdict and message)",
    [VERDICT_ONLY] = "same verdict, different message",
    [FALSE_ACCEPT] = "bpfscope accepts, kernel rejects",
    [FALSE_REJECT] = "bpfscope rejects, kernel accepts",
    [VERIFY_ERROR] = "bpfs_verify failed to run",
    [HANG] = "no verdict within the time limit",
    [CRASH] = "crashed",
};

static gint64 member_int(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : 0;
}

static const char *member_str(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : NULL;
}

static const struct fixup_kind *find_kind(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fixup_kinds); i++)
		if (strcmp(fixup_kinds[i].name, name) == 0)
			return &fixup_kinds[i];
	return NULL;
}

/* Little-endian 8-byte instructions, field by field. */
static struct bpf_insn *decode_insns(const char *hex, size_t *cnt)
{
	guint8 *b = NULL;
	gssize n = tu_unhex(hex, &b);
	struct bpf_insn *insns;

	if (n <= 0 || n % 8) {
		g_free(b);
		return NULL;
	}
	*cnt = (size_t)n / 8;
	insns = g_new0(struct bpf_insn, *cnt);
	for (size_t i = 0; i < *cnt; i++) {
		const guint8 *p = b + 8 * i;

		insns[i].code = p[0];
		insns[i].dst_reg = p[1] & 0xf;
		insns[i].src_reg = p[1] >> 4;
		insns[i].off = (int16_t)(p[2] | p[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
					 (uint32_t)p[7] << 24);
	}
	g_free(b);
	return insns;
}

/* Points each fixup's LD_IMM64 at the map of its kind. Returns NULL, or
 * the reason the case cannot be expressed. */
static const char *apply_fixups(JsonObject *fixups, struct scase *c)
{
	GList *names = json_object_get_members(fixups);
	const char *why = NULL;

	for (GList *l = names; l && !why; l = l->next) {
		const struct fixup_kind *k = find_kind(l->data);
		JsonArray *at = json_object_get_array_member(fixups, l->data);
		struct bpfs_map_spec *m;

		if (!k) {
			why = "map kind outside the README's table";
			break;
		}
		m = &c->maps[c->map_cnt];
		m->name = (char *)k->name;
		m->type = k->type;
		m->key_size = k->key_size;
		m->value_size = k->value_size;
		m->max_entries = k->max_entries;
		m->flags = k->flags;
		m->inner_map = -1;
		for (guint i = 0; at && i < json_array_get_length(at); i++) {
			gint64 pos = json_array_get_int_element(at, i);

			if (pos < 0 || (size_t)pos >= c->cnt || !bpfs_insn_is_ldimm64(&c->insns[pos])) {
				why = "fixup does not point at an LD_IMM64";
				break;
			}
			c->insns[pos].imm = (int32_t)c->map_cnt;
		}
		c->map_cnt++;
	}
	g_list_free(names);
	return why;
}

/* Fills c from one JSON line. Returns NULL, or why the case is skipped. */
static const char *prepare(JsonObject *o, struct scase *c)
{
	const char *hex = member_str(o, "insns");
	JsonObject *fixups;

	memset(c, 0, sizeof(*c));
	c->idx = member_int(o, "idx");
	c->descr = member_str(o, "descr");
	c->prog_type = (uint32_t)member_int(o, "prog_type");
	if (!c->prog_type)
		c->prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	c->prog_flags = (uint32_t)member_int(o, "prog_flags");
	c->attach_type = (uint32_t)member_int(o, "expected_attach_type");
	c->kernel_result = (int)member_int(o, "kernel_6_18_result");
	c->kernel_error = member_str(o, "kernel_6_18_error");
	c->errstr = member_str(o, "errstr");

	if (!hex || member_int(o, "fill_helper"))
		return "no instructions (generated at run time)";
	if (member_int(o, "btf_types") || member_int(o, "func_info_cnt"))
		return "needs BTF";
	if (member_int(o, "pseudo_kfunc") || member_int(o, "fixup_kfunc"))
		return "needs kfuncs";
	if (c->kernel_result != 1 && c->kernel_result != 2)
		return "not judged by the kernel";
	if (member_str(o, "kfunc_attach") && *member_str(o, "kfunc_attach"))
		return "needs an attach target";
	c->insns = decode_insns(hex, &c->cnt);
	if (!c->insns)
		return "malformed instructions";
	fixups = json_object_get_object_member(o, "fixups");
	return fixups ? apply_fixups(fixups, c) : NULL;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

static bool has(const struct bpfs_verdict *v, const char *s)
{
	return nonempty(s) && (strstr(v->msg, s) || (v->log && strstr(v->log, s)));
}

static enum outcome judge(const struct scase *c)
{
	struct bpfs_verifier_opts opts;
	struct bpfs_verdict v;
	enum outcome res;

	memset(&opts, 0, sizeof(opts));
	opts.prog_type = c->prog_type;
	opts.maps = c->maps;
	opts.map_cnt = c->map_cnt;
	opts.license = "GPL";
	opts.prog_flags = c->prog_flags;
	opts.expected_attach_type = c->attach_type;
	opts.attach_type_known = true;
	opts.log_level = 1;
	opts.profile = BPFS_PROFILE_MODERN;
	memset(&v, 0, sizeof(v));
	if (bpfs_verify(c->insns, c->cnt, &opts, &v) < 0)
		return VERIFY_ERROR;
	if (g_getenv("BPFS_SELFTESTS_ONLY")) {
		g_test_message("kernel: %s: %s", c->kernel_result == 1 ? "accept" : "reject",
			       nonempty(c->kernel_error) ? c->kernel_error : "");
		g_test_message("bpfscope: %s at insn %d: %s", v.accepted ? "accept" : "reject", v.insn, v.msg);
		g_test_message("%s", v.log ? v.log : "");
	}
	if (v.accepted)
		res = c->kernel_result == 1 ? AGREE : FALSE_ACCEPT;
	else if (c->kernel_result == 1)
		res = FALSE_REJECT;
	else
		res = has(&v, c->kernel_error) || has(&v, c->errstr) ||
			      (!nonempty(c->kernel_error) && !nonempty(c->errstr))
			  ? AGREE
			  : VERDICT_ONLY;
	bpfs_verdict_release(&v);
	return res;
}

/* judge() in a child process. */
static enum outcome judge_isolated(const struct scase *c)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return CRASH;
	if (pid == 0) {
		alarm(CASE_TIMEOUT);
		_exit((int)judge(c));
	}
	if (waitpid(pid, &status, 0) != pid)
		return CRASH;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return HANG;
	if (!WIFEXITED(status) || WEXITSTATUS(status) >= OUTCOME_COUNT)
		return CRASH;
	return (enum outcome)WEXITSTATUS(status);
}

static void test_selftests(void)
{
	char *path = tu_shared_path_or_skip("corpus/kernel-selftests/verifier_tests.jsonl");
	GHashTable *skips = g_hash_table_new(g_str_hash, g_str_equal);
	GString *listed[OUTCOME_COUNT];
	size_t counts[OUTCOME_COUNT] = {0}, parsed = 0, skipped = 0, judged = 0;
	GError *err = NULL;
	gchar *text = NULL, **lines;
	const char *only = g_getenv("BPFS_SELFTESTS_ONLY");
	GHashTableIter it;
	gpointer key, val;

	if (!path) {
		g_hash_table_destroy(skips);
		return;
	}
	if (!g_file_get_contents(path, &text, NULL, &err))
		g_error("%s: %s", path, err->message);
	for (int i = 0; i < OUTCOME_COUNT; i++)
		listed[i] = g_string_new(NULL);

	lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		JsonParser *parser;
		struct scase c;
		const char *why;
		enum outcome o;

		if (!**l)
			continue;
		parser = json_parser_new();
		if (!json_parser_load_from_data(parser, *l, -1, &err) ||
		    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
			g_test_message("%s: line %td: %s", path, l - lines + 1,
				       err ? err->message : "not an object");
			g_clear_error(&err);
			g_object_unref(parser);
			continue;
		}
		parsed++;
		why = prepare(json_node_get_object(json_parser_get_root(parser)), &c);
		if (only && c.idx != g_ascii_strtoll(only, NULL, 10)) {
			g_free(c.insns);
			g_object_unref(parser);
			continue;
		}
		if (why) {
			skipped++;
			g_hash_table_insert(
			    skips, (gpointer)why,
			    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(skips, why)) + 1));
		} else {
			judged++;
			o = judge_isolated(&c);
			counts[o]++;
			if (o != AGREE && counts[o] <= MAX_LISTED)
				g_string_append_printf(listed[o], "  #%" G_GINT64_FORMAT " %s\n", c.idx,
						       c.descr ? c.descr : "");
		}
		g_free(c.insns);
		g_object_unref(parser);
	}

	g_test_message("kernel selftests: %zu parsed, %zu judged, %zu skipped", parsed, judged, skipped);
	g_test_message(
	    "agreement with Linux 6.18: verdict %zu/%zu (%.1f%%), verdict and message %zu/%zu (%.1f%%)",
	    counts[AGREE] + counts[VERDICT_ONLY], judged,
	    judged ? 100.0 * (double)(counts[AGREE] + counts[VERDICT_ONLY]) / (double)judged : 0.0,
	    counts[AGREE], judged, judged ? 100.0 * (double)counts[AGREE] / (double)judged : 0.0);
	for (int i = 0; i < OUTCOME_COUNT; i++) {
		g_test_message("  %-34s %zu", outcome_names[i], counts[i]);
		if (listed[i]->len)
			g_test_message("%s%s", listed[i]->str, counts[i] > MAX_LISTED ? "  ...\n" : "");
	}
	g_hash_table_iter_init(&it, skips);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_test_message("  skipped, %s: %zu", (const char *)key, GPOINTER_TO_SIZE(val));

	if (!only)
		g_assert_cmpuint(parsed, >=, MIN_CASES);
	g_assert_cmpuint(counts[CRASH], ==, 0);

	for (int i = 0; i < OUTCOME_COUNT; i++)
		g_string_free(listed[i], TRUE);
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	g_hash_table_destroy(skips);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/verifier/selftests", test_selftests);
	return g_test_run();
}
