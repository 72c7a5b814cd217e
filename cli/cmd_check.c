/* SPDX-License-Identifier: MIT */
/*
 * bpfscope check FILE[:SECTION]...: instruction validity and the DAG check,
 * with the kernel's messages. One line a program; exit 1 when any program
 * fails, 2 when a file cannot be loaded.
 */
#include <stdio.h>

#include "cli.h"

static int check_target(const struct cli_target *t, unsigned flags)
{
	int ret = EXIT_OK;

	if (!t->nprogs) {
		printf("%s: no programs\n", t->path);
		return EXIT_OK;
	}
	for (size_t i = 0; i < t->nprogs; i++) {
		const struct bpfs_prog *p = t->progs[i];
		g_autofree char *label = cli_prog_label(p);
		/* Programs of ELF objects are named; others are the file. */
		g_autofree char *where = p->section && *p->section ? g_strdup_printf("%s: %s", t->path, label)
								   : g_strdup(t->path);
		struct bpfs_err err;

		bpfs_err_clear(&err);
		if (bpfs_check_cfg(p->insns, p->insn_cnt, flags, &err)) {
			printf("%s: %s\n", where, err.msg);
			ret = EXIT_VERDICT;
		} else {
			printf("%s: ok (%zu insns)\n", where, p->insn_cnt);
		}
	}
	return ret;
}

int cmd_check(int argc, char **argv)
{
	gboolean loops = FALSE;
	g_autofree char *type = NULL;
	GOptionEntry entries[] = {
		{ "type", 't', 0, G_OPTION_ARG_STRING, &type, "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's guess", "T" },
		{ "allow-loops", 0, 0, G_OPTION_ARG_NONE, &loops,
		  "Accept back-edges (bounded loops, as the modern verifier does for root)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	int ret = EXIT_OK;

	if (!cli_parse("check", "FILE[:SECTION]...", "check instruction validity and that the CFG is a DAG", entries,
		       &argc, &argv))
		return EXIT_USAGE;
	if (argc < 2) {
		cli_error("check", "expected at least one FILE[:SECTION] (see bpfscope check --help)");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		struct cli_target t;
		int r;

		if (!cli_open("check", argv[i], type, &t)) {
			ret = EXIT_USAGE;
			continue;
		}
		r = check_target(&t, loops ? BPFS_CHECK_ALLOW_BACK_EDGES : 0);
		if (r > ret)
			ret = r;
		cli_target_release(&t);
	}
	return ret;
}
