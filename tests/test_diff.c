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

#include "corpus.h"
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
	g_assert_nonnull(strstr(out, "300 programs, 1200 inputs, 0 divergences"));
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

/* Every generated program verifies (the construction's invariant). */
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/diff/cli/examples", test_cli_examples);
	g_test_add_func("/diff/cli/random", test_cli_random);
	g_test_add_func("/diff/cli/usage", test_cli_usage);
	g_test_add_func("/diff/gen/verifies", test_gen_verifies);
	g_test_add_func("/diff/hook", test_hook);
	return g_test_run();
}
