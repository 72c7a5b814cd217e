/* SPDX-License-Identifier: MIT */
/*
 * Differential testing: `bpfscope diff` on the bundled examples and on a
 * bounded random campaign finds no divergence between the interpreter and
 * the JIT; the generator's programs pass the verifier; a made-up
 * divergence injected through the outcome hook is reported; the CLI's usage
 * errors exit 2.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "insn_macros.h"
#include "testutil.h"

static void test_cli_examples(void)
{
	g_autofree char *out = NULL, *err = NULL, *dir = g_dir_make_tmp("diff-XXXXXX", NULL);
	g_autofree char *cmd = g_strdup_printf("%s diff --engines interp,jit --inputs 4 --out %s %s", tu_cli(), dir,
					       g_getenv("BPFS_EXAMPLES_DIR"));
	int status = tu_run(cmd, &out, &err);

	if (status)
		g_printerr("%s%s", out, err);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, " 0 divergences"));
	g_rmdir(dir); /* empty: reproducers are written for divergences only */
}

static void test_cli_random(void)
{
	g_autofree char *out = NULL, *err = NULL, *dir = g_dir_make_tmp("diff-XXXXXX", NULL);
	g_autofree char *cmd = g_strdup_printf("%s diff --random 300 --seed 4242 --inputs 4 --out %s", tu_cli(), dir);
	int status = tu_run(cmd, &out, &err);

	if (status)
		g_printerr("%s%s", out, err);
	g_assert_cmpint(status, ==, 0);
	/* every input ran on both engines, but those BPF_PROG_TEST_RUN
	 * refuses (IP frames shorter than their header), as the kernel's */
	g_assert_nonnull(strstr(out, "300 programs, 1112 inputs, 0 divergences (88 inputs skipped: an engine refuses them)"));
	g_rmdir(dir);
}

static void test_cli_usage(void)
{
	g_autofree char *cmd1 = g_strdup_printf("%s diff", tu_cli());
	g_autofree char *cmd2 = g_strdup_printf("%s diff --random 3 --engines interp,nope", tu_cli());
	g_autofree char *cmd3 = g_strdup_printf("%s diff --random 3 --engines interp", tu_cli());

	g_assert_cmpint(tu_run(cmd1, NULL, NULL), ==, 2);
	g_assert_cmpint(tu_run(cmd2, NULL, NULL), ==, 2);
	g_assert_cmpint(tu_run(cmd3, NULL, NULL), ==, 2);
}

/* Every generated program verifies, also under the rules against
 * leaking addresses (the construction's invariant). */
static void test_gen_verifies(void)
{
	size_t nmaps, rejected = 0;
	const struct bpfs_map_spec *maps = bpfs_diff_gen_maps(&nmaps);

	for (unsigned i = 0; i < 200; i++) {
		struct bpf_insn *insns;
		size_t cnt;
		uint32_t type;
		char msg[512];

		g_assert_cmpint(bpfs_diff_gen(99, i, NULL, &insns, &cnt, &type), ==, 0);
		{
			struct bpfs_diff_prog p = {insns, cnt, type, maps, nmaps};

			if (!bpfs_diff_verifies(&p, msg, sizeof(msg))) {
				g_test_message("program %u rejected: %s", i, msg);
				rejected++;
			} else if (!bpfs_diff_deterministic(&p, msg, sizeof(msg))) {
				/* its results would depend on the engines' memory */
				g_test_message("program %u not deterministic: %s", i, msg);
				rejected++;
			}
		}
		free(insns);
	}
	g_assert_cmpuint(rejected, <=, 2);
}

/* Pretends the JIT gets r0 wrong. */
static void fake_bug(enum bpfs_diff_engine e, const struct bpfs_diff_prog *prog, struct bpfs_diff_outcome *o,
		     void *data)
{
	(void)prog;
	(void)data;
	if (e == BPFS_DIFF_JIT)
		o->r0 ^= 1;
}

/* The comparison reports a made-up divergence, and none without it. */
static void test_hook(void)
{
	struct bpfs_diff_opts opts = {.engines = (1u << BPFS_DIFF_INTERP) | (1u << BPFS_DIFF_JIT), .hook = fake_bug};
	const struct bpfs_map_spec *maps;
	struct bpfs_diff_input in;
	struct bpfs_diff_result r;
	struct bpf_insn *insns;
	size_t cnt, nmaps;
	uint32_t type;

	maps = bpfs_diff_gen_maps(&nmaps);
	g_assert_cmpint(bpfs_diff_gen(7, 3, NULL, &insns, &cnt, &type), ==, 0);
	{
		struct bpfs_diff_prog p = {insns, cnt, type, maps, nmaps};

		g_assert_true(bpfs_diff_verifies(&p, NULL, 0));
		g_assert_cmpint(bpfs_diff_input_gen(type, 1, 0, &in), ==, 0);
		g_assert_cmpint(bpfs_diff_run(&p, &in, &opts, &r), ==, 0);
		g_assert_true(r.diverged);
		g_assert_cmpstr(r.what, ==, "r0");
		opts.hook = NULL;
		g_assert_cmpint(bpfs_diff_run(&p, &in, &opts, &r), ==, 0);
		g_assert_false(r.diverged);
	}
	free(insns);
	bpfs_diff_input_release(&in);
}

/* The engines to compare: the kernel too where bpf() runs programs. */
static const char *engines(bool *with_kernel)
{
	char why[256];

	*with_kernel = bpfs_diff_kernel_available(why, sizeof(why));
	if (!*with_kernel)
		g_test_message("kernel engine left out: %s", why);
	return *with_kernel ? "interp,jit,kernel" : "interp,jit";
}

/* Every reproducer of tests/diff (each names its arguments on a "# diff:"
 * line) agrees on every engine. */
static void test_reproducers(void)
{
	g_autofree char *dir = g_build_filename(g_getenv("BPFS_SOURCE_DIR"), "tests", "diff", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	bool with_kernel;
	const char *eng = engines(&with_kernel);
	unsigned n = 0;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *text = NULL, *out = NULL, *err = NULL, *cmd = NULL;
		g_autofree char *tmp = g_dir_make_tmp("diff-XXXXXX", NULL);
		const char *args;
		char *eol;
		int status;

		if (!g_str_has_suffix(name, ".s"))
			continue;
		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		args = strstr(text, "# diff: ");
		g_assert_nonnull(args);
		args += strlen("# diff: ");
		eol = strchr(args, '\n');
		g_assert_nonnull(eol);
		*eol = 0;
		cmd = g_strdup_printf("%s diff %s %s --engines %s --inputs 16 --out %s", tu_cli(), path, args, eng, tmp);
		status = tu_run(cmd, &out, &err);
		if (with_kernel && strstr(err, "build does not offer helper")) {
			/* This kernel's build refuses the program (a helper its
			 * configuration leaves out, say): compare with the
			 * kernel that runs here, and run the engines alone. */
			g_test_message("%s: compared on interp,jit only: %s%s", name, out, err);
			g_free(cmd);
			g_free(out);
			g_free(err);
			tu_rm_tree(tmp);
			g_mkdir(tmp, 0700);
			cmd = g_strdup_printf("%s diff %s %s --engines interp,jit --inputs 16 --out %s", tu_cli(), path,
					      args, tmp);
			status = tu_run(cmd, &out, &err);
		}
		if (status)
			g_printerr("%s\n%s%s", cmd, out, err);
		g_assert_cmpint(status, ==, 0);
		/* the program ran (was not skipped) and agreed */
		g_assert_true(g_str_has_prefix(out, "1 programs, ") || strstr(out, "\n1 programs, "));
		g_assert_nonnull(strstr(out, " 0 divergences"));
		g_assert_null(strstr(out, "programs skipped"));
		g_rmdir(tmp);
		n++;
	}
	g_assert_cmpuint(n, >=, 3);
}

/* A bounded campaign against the running kernel. */
static void test_kernel_random(void)
{
	g_autofree char *out = NULL, *err = NULL, *dir = g_dir_make_tmp("diff-XXXXXX", NULL);
	g_autofree char *cmd = NULL;
	bool with_kernel;
	int status;

	engines(&with_kernel);
	if (!with_kernel) {
		g_test_skip("the kernel's bpf() cannot load and run programs here (not root, or no BPF)");
		g_rmdir(dir);
		return;
	}
	cmd = g_strdup_printf("%s diff --random 300 --seed 99 --inputs 4 --engines interp,jit,kernel --out %s", tu_cli(),
			      dir);
	status = tu_run(cmd, &out, &err);
	if (status)
		g_printerr("%s%s", out, err);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, " 0 divergences"));
	{
		/* Every program ran, or was skipped with a reason (on a kernel
		 * whose build leaves out a helper the generator uses): most ran. */
		const char *sk = strstr(out, "programs skipped"), *line = strstr(out, " programs, ");
		unsigned ran, skipped = 0;

		g_assert_nonnull(line);
		while (line > out && line[-1] != '\n')
			line--;
		ran = (unsigned)strtoul(line, NULL, 10);

		while (sk && sk > out && sk[-1] != '(')
			sk--;
		if (sk && strstr(out, "programs skipped"))
			skipped = (unsigned)strtoul(sk, NULL, 10);
		g_assert_cmpuint(ran + skipped, ==, 300);
		g_assert_cmpuint(ran, >=, 270);
	}
	tu_rm_tree(dir);
}

/* Pretends the JIT gets 64-bit multiplication wrong: only programs that
 * multiply diverge, so a shrunk reproducer must keep a multiplication. */
static void fake_mul_bug(enum bpfs_diff_engine e, const struct bpfs_diff_prog *prog, struct bpfs_diff_outcome *o,
			 void *data)
{
	(void)data;
	if (e != BPFS_DIFF_JIT)
		return;
	for (size_t i = 0; i < prog->cnt; i++)
		if (prog->insns[i].code == (BPF_ALU64 | BPF_MUL | BPF_K) ||
		    prog->insns[i].code == (BPF_ALU64 | BPF_MUL | BPF_X))
			o->r0 ^= 1;
}

static void test_shrink(void)
{
	struct bpfs_diff_opts opts = {.engines = (1u << BPFS_DIFF_INTERP) | (1u << BPFS_DIFF_JIT),
				      .hook = fake_mul_bug};
	size_t nmaps, tried = 0, shrunk = 0;
	const struct bpfs_map_spec *maps = bpfs_diff_gen_maps(&nmaps);

	for (unsigned i = 0; i < 40 && shrunk < 5; i++) {
		struct bpfs_diff_input in, small;
		struct bpfs_diff_result r, r2;
		struct bpf_insn *insns, *min;
		size_t cnt, min_cnt;
		uint32_t type;
		bool has_mul = false;

		g_assert_cmpint(bpfs_diff_gen(5, i, NULL, &insns, &cnt, &type), ==, 0);
		{
			struct bpfs_diff_prog p = {insns, cnt, type, maps, nmaps};

			g_assert_cmpint(bpfs_diff_input_gen(type, 1, 0, &in), ==, 0);
			if (!bpfs_diff_verifies(&p, NULL, 0) || bpfs_diff_run(&p, &in, &opts, &r) || !r.diverged) {
				free(insns);
				bpfs_diff_input_release(&in);
				continue;
			}
			tried++;
			g_assert_cmpint(bpfs_diff_shrink(&p, &in, &opts, &r, 3000, &min, &min_cnt, &small), ==, 0);
		}
		{
			struct bpfs_diff_prog q = {min, min_cnt, type, maps, nmaps};

			/* still verifies, still diverges the same way, and small */
			g_assert_true(bpfs_diff_verifies(&q, NULL, 0));
			g_assert_cmpint(bpfs_diff_run(&q, &small, &opts, &r2), ==, 0);
			g_assert_true(r2.diverged);
			g_assert_cmpstr(r2.what, ==, r.what);
			for (size_t k = 0; k < min_cnt; k++)
				has_mul = has_mul || BPF_OP(min[k].code) == BPF_MUL;
			if (!has_mul) {
				char *t = bpfs_disasm_prog(min, min_cnt, BPFS_SYNTAX_LLVM);
				g_printerr("%s", t);
				free(t);
			}
			g_assert_true(has_mul);
			g_assert_cmpuint(min_cnt, <=, 8);
			g_assert_cmpuint(min_cnt, <, cnt);
			g_assert_cmpuint(small.pkt_len, <=, in.pkt_len);
			g_test_message("program %u: %zu insns shrunk to %zu, packet %zu to %zu bytes", i, cnt, min_cnt,
				       in.pkt_len, small.pkt_len);
			shrunk++;
		}
		free(min);
		free(insns);
		bpfs_diff_input_release(&small);
		bpfs_diff_input_release(&in);
	}
	g_assert_cmpuint(tried, >=, 1);
	g_assert_cmpuint(shrunk, ==, tried < 5 ? tried : 5);
}

/* The rules against results that depend on the engine's memory: a
 * pointer leaked in r0 or read back through the bytes left of a spilled
 * pointer is refused; overwriting part of a spilled pointer, comparing a
 * pointer with 0 and the distance between two packet pointers are not. */
static void test_deterministic(void)
{
	static const struct bpf_insn leak[] = {BPF_MOV64_REG(BPF_REG_0, BPF_REG_10), BPF_EXIT_INSN()};
	static const struct bpf_insn overwrite[] = {
	    BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 7),
	    BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, -8), BPF_EXIT_INSN()};
	static const struct bpf_insn read_back[] = {
	    BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 7),
	    BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, -4), BPF_EXIT_INSN()};
	static const struct bpf_insn pkt_len[] = {
	    BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct xdp_md, data)),
	    BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct xdp_md, data_end)),
	    BPF_MOV64_REG(BPF_REG_0, BPF_REG_3), BPF_ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_2),
	    BPF_JMP_IMM(BPF_JNE, BPF_REG_1, 0, 0), BPF_EXIT_INSN()};
	struct bpfs_diff_prog p = {leak, G_N_ELEMENTS(leak), BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0};
	char msg[256];

	g_assert_true(bpfs_diff_verifies(&p, NULL, 0));
	g_assert_false(bpfs_diff_deterministic(&p, msg, sizeof(msg)));
	g_assert_nonnull(strstr(msg, "R0 leaks addr as return value"));
	p = (struct bpfs_diff_prog){overwrite, G_N_ELEMENTS(overwrite), BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0};
	g_assert_true(bpfs_diff_deterministic(&p, msg, sizeof(msg)));
	p = (struct bpfs_diff_prog){read_back, G_N_ELEMENTS(read_back), BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0};
	g_assert_true(bpfs_diff_verifies(&p, NULL, 0));
	g_assert_false(bpfs_diff_deterministic(&p, msg, sizeof(msg)));
	g_assert_nonnull(strstr(msg, "invalid read from stack"));
	p = (struct bpfs_diff_prog){pkt_len, G_N_ELEMENTS(pkt_len), BPF_PROG_TYPE_XDP, NULL, 0};
	g_assert_true(bpfs_diff_deterministic(&p, msg, sizeof(msg)));
}

struct seen {
	unsigned divergences, with_repro;
	bool files_exist;
};

static void on_divergence(const char *label, unsigned input, const struct bpfs_diff_result *r,
			  const struct bpfs_diff_repro *x, void *data)
{
	struct seen *s = data;

	(void)input;
	g_assert_true(g_str_has_prefix(label, "random#"));
	g_assert_cmpstr(r->what, ==, "r0");
	s->divergences++;
	if (!x)
		return;
	s->with_repro++;
	s->files_exist = g_file_test(x->asm_path, G_FILE_TEST_EXISTS) &&
			 (!x->input.pkt_len || g_file_test(x->packet_path, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(x->cnt, <=, x->orig_cnt);
}

/* A campaign reports each diverging program once, with a reproducer
 * written to disk, and counts what it ran. */
static void test_campaign(void)
{
	g_autofree char *dir = g_dir_make_tmp("diff-XXXXXX", NULL);
	struct seen seen = {0};
	struct bpfs_diff_campaign_opts co = {
		.engines = (1u << BPFS_DIFF_INTERP) | (1u << BPFS_DIFF_JIT),
		.inputs = 2,
		.seed = 5,
		.shrink_runs = 200,
		.out_dir = dir,
		.on_divergence = on_divergence,
		.data = &seen,
		.hook = fake_mul_bug,
	};
	struct bpfs_diff_campaign *c = bpfs_diff_campaign_new(&co);
	const struct bpfs_diff_campaign_stats *st;

	g_assert_cmpint(bpfs_diff_campaign_random(c, 30, NULL), ==, 0);
	st = bpfs_diff_campaign_stats(c);
	g_assert_cmpuint(st->progs + st->rejected + st->unrunnable, ==, 30);
	g_assert_cmpuint(st->divergences, >, 0);
	g_assert_cmpuint(st->divergences, ==, seen.divergences);
	g_assert_cmpuint(seen.with_repro, ==, seen.divergences);
	g_assert_true(seen.files_exist);
	g_assert_cmpuint(st->runs, <=, 2 * st->progs);
	bpfs_diff_campaign_free(c);
	tu_rm_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/diff/cli/examples", test_cli_examples);
	g_test_add_func("/diff/cli/random", test_cli_random);
	g_test_add_func("/diff/cli/usage", test_cli_usage);
	g_test_add_func("/diff/gen/verifies", test_gen_verifies);
	g_test_add_func("/diff/hook", test_hook);
	g_test_add_func("/diff/shrink", test_shrink);
	g_test_add_func("/diff/campaign", test_campaign);
	g_test_add_func("/diff/deterministic", test_deterministic);
	g_test_add_func("/diff/reproducers", test_reproducers);
	g_test_add_func("/diff/kernel/random", test_kernel_random);
	return g_test_run();
}
