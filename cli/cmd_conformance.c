/* SPDX-License-Identifier: MIT */
/*
 * bpfscope conformance DIR [--engine interp|jit|all] [--checked]: runs the
 * .data files of a bpf_conformance suite (each file's program with r1 = a
 * copy of its "-- mem" bytes and r2 their length; r0 must equal
 * "-- result", or the load or run must fail when there is "-- error").
 *
 * Programs pass the DAG check with back-edges allowed, not the verifier:
 * conformance programs exercise the instruction set and are not written to
 * satisfy the verifier.
 *
 * Output: one line per failure ("FILE: expected X, got Y") and per skip
 * (with its reason), then "N passed, M failed, K skipped". Exit 0 when
 * nothing failed, 1 otherwise, 2 on usage errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "interp.h"

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

static int run_engine(const char *dir, GPtrArray *files, bool checked, const char *label)
{
	unsigned pass = 0, fail = 0, skip = 0;

	for (guint i = 0; i < files->len; i++) {
		const char *name = g_ptr_array_index(files, i);
		g_autofree char *path = g_build_filename(dir, name, NULL);
		struct bpfs_conf_result res;

		if (bpfs_conformance_run(path, checked, &res)) {
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
	gboolean checked = FALSE;
	GOptionEntry entries[] = {
	    {"engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "Execution engine: interp (default), jit or all",
	     "E"},
	    {"checked", 0, 0, G_OPTION_ARG_NONE, &checked, "Run the interpreter in checked mode", NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GPtrArray) files = NULL;

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
	if (engine && strcmp(engine, "interp")) {
		cli_error("conformance", "the JIT is not available yet; use --engine interp");
		return EXIT_USAGE;
	}
	files = list_files(argv[1]);
	if (!files)
		return EXIT_USAGE;
	return run_engine(argv[1], files, checked, "");
}
