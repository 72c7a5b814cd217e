/* SPDX-License-Identifier: MIT */
/*
 * bpfscope conformance DIR [--engine interp|jit|all] [--checked] [--harden]: runs the
 * .data files of a bpf_conformance suite (each file's program with r1 = a
 * copy of its "-- mem" bytes and r2 their length; r0 must equal
 * "-- result", or the load or run must fail when there is "-- error").
 *
 * Programs pass the DAG check with back-edges allowed, not the verifier:
 * conformance programs exercise the instruction set and are not written to
 * satisfy the verifier.
 *
 * Output: one line per failure ("FILE: expected X, got Y") and per skip
 * (with its reason), then "N passed, M failed, K skipped". With --engine
 * all, each engine runs the whole suite and its lines carry the engine's
 * name ("jit: FILE: ..."); both must pass. --checked applies to the
 * interpreter (the JIT has no checked mode), --harden to the JIT
 * (constant blinding). Exit 0 when nothing failed, 1 otherwise, 2 on
 * usage errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "interp.h"
#include "jit.h"

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .data files of dir, sorted; NULL (after printing why) on error. */
static GPtrArray *list_files(const char *dir)
{
	g_autoptr(GError) gerr = NULL;
	GDir *d = g_dir_open(dir, 0, &gerr);
	GPtrArray *files;
	const char *name;

	if (!d) {
		cli_error("conformance", "%s", gerr->message);
		return NULL;
	}
	files = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".data"))
			g_ptr_array_add(files, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(files, cmp_names);
	return files;
}

static int run_engine(const char *dir, GPtrArray *files, const struct bpfs_engine_ops *engine, const char *label)
{
	unsigned pass = 0, fail = 0, skip = 0;

	for (guint i = 0; i < files->len; i++) {
		const char *name = g_ptr_array_index(files, i);
		g_autofree char *path = g_build_filename(dir, name, NULL);
		struct bpfs_conf_result res;

		int ret = bpfs_conformance_run_on(path, engine, &res);

		if (ret) {
			printf("%s%s: %s\n", label, name, res.got);
			fail++;
			continue;
		}
		switch (res.outcome) {
		case BPFS_CONF_PASS:
			pass++;
			break;
		case BPFS_CONF_FAIL:
			printf("%s%s: expected %s, got %s\n", label, name, res.expected, res.got);
			fail++;
			break;
		case BPFS_CONF_SKIP:
			printf("%s%s: skipped: %s\n", label, name, res.got);
			skip++;
			break;
		}
	}
	printf("%s%u passed, %u failed, %u skipped\n", label, pass, fail, skip);
	return fail ? EXIT_VERDICT : EXIT_OK;
}

int cmd_conformance(int argc, char **argv)
{
	g_autofree char *engine = NULL;
	gboolean checked = FALSE, harden = FALSE;
	GOptionEntry entries[] = {
	    {"engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "Execution engine: interp (default), jit or all",
	     "E"},
	    {"checked", 0, 0, G_OPTION_ARG_NONE, &checked, "Run the interpreter in checked mode", NULL},
	    {"harden", 0, 0, G_OPTION_ARG_NONE, &harden, "Compile with constant blinding (JIT)", NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GPtrArray) files = NULL;
	const struct bpfs_engine_ops *interp, *jit;
	int ret, ret2;

	if (!cli_parse("conformance", "DIR", "run a bpf_conformance suite of .data files", entries, &argc,
		       &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		cli_error("conformance", "expected one DIR (see bpfscope conformance --help)");
		return EXIT_USAGE;
	}
	if (engine && strcmp(engine, "interp") && strcmp(engine, "jit") && strcmp(engine, "all")) {
		cli_error("conformance", "unknown engine '%s': expected interp, jit or all", engine);
		return EXIT_USAGE;
	}
	files = list_files(argv[1]);
	if (!files)
		return EXIT_USAGE;
	/* --checked applies to the interpreter, --harden to the JIT */
	interp = checked ? &bpfs_engine_interp_checked : &bpfs_engine_interp;
	jit = harden ? &bpfs_engine_jit_hardened : &bpfs_engine_jit;
	if (!engine || !strcmp(engine, "interp"))
		return run_engine(argv[1], files, interp, "");
	if (!strcmp(engine, "jit"))
		return run_engine(argv[1], files, jit, "");
	ret = run_engine(argv[1], files, interp, "interp: ");
	ret2 = run_engine(argv[1], files, jit, "jit: ");
	return ret != EXIT_OK ? ret : ret2;
}
