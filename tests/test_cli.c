/* SPDX-License-Identifier: MIT */
/*
 * End-to-end tests of the bpfscope command line on the bundled examples:
 * exit statuses, the kernel's messages, round trips through asm/disasm, and
 * building a program against the installed library with pkg-config.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <string.h>

#include "testutil.h"

struct cli_case {
	const char *name;
	const char *args;   /* after "bpfscope "; {EX} is the examples folder */
	int status;         /* expected exit status */
	const char *stdout_has; /* substring of stdout, or NULL */
	const char *stderr_has; /* substring of stderr, or NULL */
	bool needs_clang;   /* uses an example compiled from C */
};

static const struct cli_case cases[] = {
	{ "help", "--help", 0, "check", NULL, false },
	{ "unknown-command", "frobnicate", 2, NULL, "unknown command 'frobnicate'", false },
	{ "list-missing-file", "list /nonexistent/x.o", 2, NULL, "/nonexistent/x.o", false },
	{ "list-no-args", "list", 2, NULL, "expected one FILE", false },
	{ "list-elf", "list {EX}/maps_demo.o", 0, "count_proto", NULL, true },
	{ "list-elf-maps", "list {EX}/maps_demo.o", 0, "counts", NULL, true },
	{ "list-legacy-maps", "list {EX}/kprobe_trace.o", 0, "last_seen", NULL, true },
	{ "list-json", "list --json {EX}/xdp_filter.o", 0, "\"prog_type\" : \"xdp\"", NULL, true },
	{ "check-ok-asm", "check {EX}/ipv4_only.s", 0, "ok (7 insns)", NULL, false },
	{ "check-back-edge", "check {EX}/spin.s", 1, "back-edge from insn 2 to 1", NULL, false },
	{ "check-back-edge-allowed", "check --allow-loops {EX}/spin.s", 0, "ok", NULL, false },
	{ "check-unreachable", "check {EX}/dead_code.s", 1, "unreachable insn 2", NULL, false },
	{ "check-elf-loop", "check {EX}/loop.o", 1, "back-edge from insn", NULL, true },
	{ "check-elf-ok", "check {EX}/xdp_filter.o", 0, "xdp/xdp_filter: ok", NULL, true },
	{ "check-section", "check {EX}/maps_demo.o:xdp", 0, "xdp/xdp_bytes: ok", NULL, true },
	{ "check-bad-section", "check {EX}/maps_demo.o:nosuch", 2, NULL, "nosuch", true },
	{ "disasm-kernel", "disasm {EX}/ipv4_only.s", 0, "1: (28) r0 = *(u16 *)skb[12]", NULL, false },
	{ "disasm-kernel-jump", "disasm {EX}/ipv4_only.s", 0, "2: (55) if r0 != 0x800 goto pc+2", NULL, false },
	{ "disasm-conformance", "disasm --conformance {EX}/stack_sum.s", 0, "stxdw [%r10-8], %r1", NULL, false },
	{ "disasm-two-syntaxes", "disasm --llvm --conformance {EX}/spin.s", 2, NULL, "at most one", false },
	{ "cfg", "cfg {EX}/spin.s", 0, "-> block 1 (branch)", NULL, false },
	{ "cfg-subprog", "cfg {EX}/tc_subprog.o", 0, "(call)", NULL, true },
	{ "list-type-override", "list --type sched_cls {EX}/ipv4_only.s", 0, "sched_cls", NULL, false },
	{ "list-type-number", "list --type 6 {EX}/ipv4_only.s", 0, "xdp", NULL, false },
	{ "list-type-unknown", "list --type bogus {EX}/ipv4_only.s", 2, NULL, "unknown program type 'bogus'", false },
	{ "list-section-guess", "list {EX}/tc_subprog.o", 0, "sched_cls", NULL, true },
	{ "asm-bad-input", "asm {SRC}/README.md -o /dev/null", 2, NULL, "line 3: unknown mnemonic", false },
	{ "verify-accept", "verify {EX}/xdp_filter.o", 0, "xdp/xdp_filter: accepted", NULL, true },
	{ "verify-stats", "verify --stats {EX}/xdp_filter.o", 0, "processed ", NULL, true },
	{ "verify-reject", "verify {EX}/missing_null_check.s --map hash:4:8:16", 1,
	  "rejected at insn 7: R0 invalid mem access 'map_value_or_null'", NULL, false },
	{ "verify-log", "verify --log-level 2 {EX}/missing_null_check.s --map hash:4:8:16", 1,
	  "7: R0=map_value_or_null(id=1,map=counts,ks=4,vs=8)", NULL, false },
	{ "verify-undeclared-map", "verify {EX}/missing_null_check.s", 2, NULL, "declare it with --map", false },
	{ "verify-bad-map", "verify {EX}/missing_null_check.s --map hash:4", 2, NULL, "TYPE:KEY:VALUE:MAX", false },
	{ "verify-unknown-map-type", "verify {EX}/missing_null_check.s --map hashy:4:8:1", 2, NULL,
	  "unknown map type 'hashy'", false },
	{ "verify-profile-3.18", "verify --profile 3.18 {EX}/loop.o", 1, "back-edge from insn 12 to 4", NULL, true },
	{ "verify-bounded-loop", "verify {EX}/loop.o", 0, "accepted", NULL, true },
	{ "verify-unknown-profile", "verify --profile 2.6 {EX}/loop.o", 2, NULL, "unknown profile '2.6'", false },
	{ "verify-json", "verify --json {EX}/maps_demo.o:socket", 0, "\"verdict\" : \"accept\"", NULL, true },
	{ "verify-type", "verify --type xdp {EX}/ipv4_only.s", 1, "BPF_LD_[ABS|IND]", NULL, false },
	{ "asm-no-output", "asm {EX}/spin.s", 2, NULL, "-o OUT.bin", false },
	{ "verify-text-not-asm", "verify {SRC}/README.md", 2, NULL,
	  "README.md: not an eBPF program: not an ELF object, not bytecode (it is text), and not assembly (line 3: "
	  "unknown mnemonic", false },
	{ "verify-asm-error", "verify {SRC}/tests/data/corpus-run.csv", 2, NULL, "not an eBPF program", false },
	{ "verify-map-no-entries", "verify {EX}/missing_null_check.s --map hash:4:8:0", 2, NULL,
	  "--map 'hash:4:8:0': map 'counts': max_entries is 0", false },
	{ "verify-map-no-value", "verify {EX}/missing_null_check.s --map hash:4:0:1", 2, NULL, "value_size is 0", false },
	{ "verify-json-array", "verify --json {EX}/maps_demo.o", 0, "\"program\" : \"xdp/xdp_bytes\"", NULL, true },
	{ "verify-json-one-doc", "verify --json {EX}/ipv4_only.s", 0, "[\n  {", NULL, false },
	{ "verify-attached-type", "verify -txdp {EX}/ipv4_only.s", 1, "BPF_LD_[ABS|IND]", NULL, false },
	{ "corpus-attached-jobs", "corpus -j1 -q {EX}", 0, "summary:", NULL, false },
	{ "corpus-reference-csv", "corpus -k {SRC}/tests/data/corpus-run.csv {EX}", 2, NULL,
	  "corpus-run.csv: the header line is comma-separated; reference verdicts are tab-separated", false },
};

static char *expand(const char *args)
{
	const char *ex = g_getenv("BPFS_EXAMPLES_DIR");
	g_autoptr(GString) s = g_string_new(args);

	g_string_replace(s, "{EX}", ex, 0);
	g_string_replace(s, "{SRC}", g_getenv("BPFS_SOURCE_DIR"), 0);
	return g_strdup(s->str);
}

static bool have_clang_examples(void)
{
	g_autofree char *p = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "maps_demo.o", NULL);
	return g_file_test(p, G_FILE_TEST_EXISTS);
}

static void test_case(gconstpointer data)
{
	const struct cli_case *c = data;
	g_autofree char *args = NULL, *cmd = NULL, *out = NULL, *err = NULL;
	int status;

	if (c->needs_clang && !have_clang_examples()) {
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
		return;
	}
	args = expand(c->args);
	cmd = g_strdup_printf("%s %s", tu_cli(), args);
	status = tu_run(cmd, &out, &err);
	if (status != c->status || (c->stdout_has && !strstr(out, c->stdout_has)) ||
	    (c->stderr_has && !strstr(err, c->stderr_has)))
		g_test_message("$ %s\n-- status %d\n-- stdout\n%s-- stderr\n%s", cmd, status, out, err);
	g_assert_cmpint(status, ==, c->status);
	if (c->stdout_has)
		g_assert_nonnull(strstr(out, c->stdout_has));
	if (c->stderr_has)
		g_assert_nonnull(strstr(err, c->stderr_has));
}

/* asm then disasm gives the listing of the source, in every syntax. */
static void test_asm_round_trip(gconstpointer data)
{
	const char *syntax = data;
	g_autofree char *dir = g_dir_make_tmp("bpfs-cli-XXXXXX", NULL);
	g_autofree char *src = g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), "ipv4_only.s", NULL);
	g_autofree char *bin = g_build_filename(dir, "a.bin", NULL);
	g_autofree char *txt = g_build_filename(dir, "a.s", NULL);
	g_autofree char *bin2 = g_build_filename(dir, "b.bin", NULL);
	g_autofree char *cmd = NULL, *listing = NULL, *a = NULL, *b = NULL;
	gsize alen, blen;

	cmd = g_strdup_printf("%s asm %s -o %s", tu_cli(), src, bin);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	g_free(cmd);
	cmd = g_strdup_printf("%s disasm %s %s", tu_cli(), syntax, bin);
	g_assert_cmpint(tu_run(cmd, &listing, NULL), ==, 0);
	g_assert_true(g_file_set_contents(txt, listing, -1, NULL));
	g_free(cmd);
	cmd = g_strdup_printf("%s asm %s -o %s", tu_cli(), txt, bin2);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	g_assert_true(g_file_get_contents(bin, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(bin2, &b, &blen, NULL));
	g_assert_cmpmem(a, alen, b, blen);
	g_assert_cmpuint(alen, ==, 7 * 8);
	g_unlink(bin);
	g_unlink(bin2);
	g_unlink(txt);
	g_rmdir(dir);
}

/* cmake --install, then a program outside the tree builds with pkg-config. */
static void test_install_pkg_config(void)
{
	const char *build = g_getenv("BPFS_BUILD_DIR");
	g_autofree char *prefix = g_dir_make_tmp("bpfs-install-XXXXXX", NULL);
	g_autofree char *src = g_build_filename(prefix, "user.c", NULL);
	g_autofree char *exe = g_build_filename(prefix, "user", NULL);
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL;
	const char *san = g_strcmp0(g_getenv("BPFS_SANITIZE"), "1") ? "" : "-fsanitize=address,undefined";
	static const char user_c[] = "#include <bpfscope/ir.h>\n"
				     "#include <bpfscope/analysis.h>\n"
				     "#include <bpfscope/bpf.h>\n"
				     "#include <stdio.h>\n"
				     "int main(void) {\n"
				     "  struct bpf_insn p[2] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K },\n"
				     "                           { .code = BPF_JMP | BPF_EXIT } };\n"
				     "  struct bpfs_err err;\n"
				     "  int r = bpfs_check_cfg(p, 2, 0, &err);\n"
				     "  int fd = bpfs_create_map(BPF_MAP_TYPE_HASH, 4, 8, 16);\n"
				     "  unsigned k = 7; unsigned long long v = 42, out = 0;\n"
				     "  if (bpfs_update_elem(fd, &k, &v, BPF_ANY) || bpfs_lookup_elem(fd, &k, &out)) r = -1;\n"
				     "  bpfs_close(fd);\n"
				     "  printf(\"check %d value %llu\\n\", r, out);\n"
				     "  return r != 0;\n"
				     "}\n";

	g_autofree char *pkgconfig = g_find_program_in_path("pkg-config");
	g_autofree char *cc = g_find_program_in_path("cc");

	if (!pkgconfig || !cc) {
		g_test_skip("pkg-config or cc is not installed");
		return;
	}
	cmd = g_strdup_printf("cmake --install %s --prefix %s", build, prefix);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_true(g_file_set_contents(src, user_c, -1, NULL));
	g_free(cmd);
	cmd = g_strdup_printf("sh -c 'PKG_CONFIG_PATH=$(dirname $(find %s -name bpfscope.pc)) && export PKG_CONFIG_PATH "
			      "&& cc %s -o %s %s $(pkg-config --cflags --libs bpfscope) && %s'",
			      prefix, san, exe, src, exe);
	g_free(out);
	g_free(err);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "check 0 value 42"));
	g_free(cmd);
	cmd = g_strdup_printf("test -x %s/bin/bpfscope -a -f %s/include/bpfscope/ir.h", prefix, prefix);
	g_assert_cmpint(tu_run(cmd, NULL, NULL), ==, 0);
	g_free(cmd);
	cmd = g_strdup_printf("rm -rf %s", prefix);
	tu_run(cmd, NULL, NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/cli/%s", cases[i].name);
		g_test_add_data_func(path, &cases[i], test_case);
	}
	g_test_add_data_func("/cli/asm-round-trip/kernel", "", test_asm_round_trip);
	g_test_add_data_func("/cli/asm-round-trip/llvm", "--llvm", test_asm_round_trip);
	g_test_add_data_func("/cli/asm-round-trip/conformance", "--conformance", test_asm_round_trip);
	g_test_add_func("/cli/install-pkg-config", test_install_pkg_config);
	return g_test_run();
}
