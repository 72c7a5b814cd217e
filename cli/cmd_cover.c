/* SPDX-License-Identifier: MIT */
/*
 * bpfscope cover FILE[:SECTION]... -o OUT.info: coverage as an LCOV
 * tracefile. --verifier (the default): how many times the verifier
 * processed each instruction (test name "verifier"), with both sides of
 * every conditional jump it explored. --run: how many times each
 * instruction executed on the inputs (test name "exec"), counted by the
 * checked interpreter. Lines come from the objects' BTF
 * line_info; programs without it are covered against a listing written
 * beside the tracefile. Exit 0 when the tracefile was written, 2 on an
 * input or output error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CMD "cover"

struct cover_args {
	struct cli_verifier_args v;
	struct cli_run_inputs in;
	char *out, *source_dir;
	gboolean verifier, run;
};

/* Beside the tracefile: OUT's folder, the object's name and the section. */
static char *listing_path(const char *out, const char *path, const struct bpfs_prog *p)
{
	g_autofree char *dir = g_path_get_dirname(out), *base = g_path_get_basename(path);
	g_autofree char *sec = g_strdup(p->section && *p->section ? p->section : "");
	g_autofree char *name = NULL;

	for (char *c = sec; *c; c++)
		if (*c == '/')
			*c = '_';
	name = *sec ? g_strdup_printf("%s.%s.lst", base, sec) : g_strdup_printf("%s.lst", base);
	return g_build_filename(dir, name, NULL);
}

static int add_counts(struct cover_args *a, const struct cli_target *t, const struct bpfs_prog *p,
		      struct bpfs_lcov *lcov, const char *test, const uint64_t *counts,
		      const struct bpfs_cover_branch *br)
{
	g_autofree char *label = cli_prog_label(p);
	g_autofree char *listing = listing_path(a->out, t->path, p);
	struct bpfs_cover_prog cp = {
		.name = label, .insns = p->insns, .cnt = p->insn_cnt, .counts = counts, .branches = br,
		.lines = p->line_info, .nlines = p->nline_info, .funcs = p->funcs, .nfuncs = p->nfuncs,
		.source_dir = a->source_dir, .listing = listing,
	};
	struct bpfs_err err;

	bpfs_err_clear(&err);
	if (bpfs_lcov_add(lcov, test, &cp, &err)) {
		cli_error(CMD, "%s: %s", label, err.msg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Execution counts: the program loaded as `run` loads it, then test-run
 * checked on every input, the interpreter counting each instruction. */
static int cover_run(struct cover_args *a, const struct cli_target *t, const struct bpfs_prog *p,
		     struct bpfs_lcov *lcov)
{
	g_autofree uint64_t *counts = g_new0(uint64_t, p->insn_cnt + 1);
	g_autofree uint64_t *taken = g_new0(uint64_t, p->insn_cnt + 1);
	g_autofree struct bpfs_cover_branch *br = g_new0(struct bpfs_cover_branch, p->insn_cnt + 1);

	if (!cli_exec_counts(CMD, &a->v, &a->in, t, p, counts, taken))
		return EXIT_USAGE;
	for (size_t i = 0; i < p->insn_cnt; i++)
		br[i] = (struct bpfs_cover_branch){taken[i], counts[i] - taken[i]};
	return add_counts(a, t, p, lcov, "exec", counts, br);
}

static int cover_verifier(struct cover_args *a, const struct cli_target *t, const struct bpfs_prog *p,
			  struct bpfs_lcov *lcov)
{
	struct bpfs_trace_record rec;
	struct bpfs_verifier_trace tr = {.event = bpfs_trace_record_event, .data = &rec};
	struct bpfs_verifier_opts o = {0};
	g_autofree char *label = cli_prog_label(p);
	g_autofree uint64_t *counts = NULL;
	g_autofree struct bpfs_cover_branch *br = NULL;
	struct bpfs_verdict v;
	int ret = EXIT_OK;

	if (!cli_verifier_opts(CMD, &a->v, &o) || !cli_verifier_target(CMD, &a->v, t, &o))
		return EXIT_USAGE;
	if (bpfs_trace_record_init(&rec, p->insns, p->insn_cnt, 1, false)) {
		cli_error(CMD, "out of memory");
		return EXIT_USAGE;
	}
	cli_verifier_prog(&o, p);
	o.trace = &tr;
	if (bpfs_verify(p->insns, p->insn_cnt, &o, &v)) {
		cli_error(CMD, "%s: %s: the verifier could not run", t->path, label);
		bpfs_trace_record_release(&rec);
		return EXIT_USAGE;
	}
	bpfs_trace_record_finish(&rec);
	counts = g_new0(uint64_t, p->insn_cnt + 1);
	br = g_new0(struct bpfs_cover_branch, p->insn_cnt + 1);
	for (size_t i = 0; i < p->insn_cnt; i++) {
		counts[i] = rec.insns[i].visits;
		br[i] = (struct bpfs_cover_branch){rec.insns[i].taken, rec.insns[i].not_taken};
	}
	ret = add_counts(a, t, p, lcov, "verifier", counts, br);
	if (!v.accepted)
		fprintf(stderr, "%s: %s: rejected at insn %d: %s (covered up to there)\n", t->path, label, v.insn, v.msg);
	bpfs_verdict_release(&v);
	bpfs_trace_record_release(&rec);
	return ret;
}

int cmd_cover(int argc, char **argv)
{
	struct cover_args a = {.in.seed = 1};
	const GOptionEntry own[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Write the LCOV tracefile to FILE (required)", "FILE"},
		{"verifier", 0, 0, G_OPTION_ARG_NONE, &a.verifier,
		 "Count how often the verifier processed each instruction (the default)", NULL},
		{"run", 0, 0, G_OPTION_ARG_NONE, &a.run,
		 "Count how often each instruction executed on the inputs (test name exec)", NULL},
		{"source-dir", 0, 0, G_OPTION_ARG_FILENAME, &a.source_dir,
		 "Find the source files the objects name under DIR", "DIR"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(GOptionEntry));
	struct bpfs_lcov *lcov = NULL;
	FILE *out = NULL;
	struct bpfs_err err;
	int ret = EXIT_USAGE;

	cli_verifier_entries(&a.v, entries);
	cli_run_input_entries(&a.in, entries);
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	if (!cli_parse(CMD, "FILE[:SECTION]... -o OUT.info", "coverage of the verifier's exploration, as LCOV",
		       (GOptionEntry *)(void *)entries->data, &argc, &argv))
		goto out;
	if (argc < 2 || !a.out) {
		cli_error(CMD, "expected FILE[:SECTION]... and -o OUT.info (see bpfscope cover --help)");
		goto out;
	}
	if (!cli_run_inputs_check(CMD, &a.in, a.run))
		goto out;
	if (!a.run)
		a.verifier = TRUE;
	if (a.source_dir && !g_file_test(a.source_dir, G_FILE_TEST_IS_DIR)) {
		cli_error(CMD, "--source-dir %s: not a directory", a.source_dir);
		goto out;
	}
	lcov = bpfs_lcov_new();
	ret = EXIT_OK;
	for (int i = 1; i < argc && ret == EXIT_OK; i++) {
		struct cli_target t;

		if (!cli_open(CMD, argv[i], a.v.type, &t)) {
			ret = EXIT_USAGE;
			break;
		}
		for (size_t k = 0; k < t.nprogs && ret == EXIT_OK; k++) {
			if (a.verifier)
				ret = cover_verifier(&a, &t, t.progs[k], lcov);
			if (a.run && ret == EXIT_OK)
				ret = cover_run(&a, &t, t.progs[k], lcov);
		}
		cli_target_release(&t);
		/* each object's --map declarations are its own */
		if (a.v.decls) {
			cli_map_decls_release(a.v.decls);
			g_array_set_size(a.v.decls, 0);
		}
	}
	if (ret != EXIT_OK)
		goto out;
	out = fopen(a.out, "w");
	if (!out) {
		cli_error(CMD, "cannot write %s: %s", a.out, g_strerror(errno));
		ret = EXIT_USAGE;
		goto out;
	}
	bpfs_err_clear(&err);
	if (bpfs_lcov_write(lcov, out, &err) || fclose(out)) {
		cli_error(CMD, "%s: %s", a.out, err.msg[0] ? err.msg : g_strerror(errno));
		ret = EXIT_USAGE;
	}
	out = NULL;
out:
	if (out)
		fclose(out);
	bpfs_lcov_free(lcov);
	cli_verifier_args_release(&a.v);
	g_free(a.out);
	g_free(a.source_dir);
	cli_run_inputs_release(&a.in);
	return ret;
}
