/* SPDX-License-Identifier: MIT */
/* bpfscope cfg FILE[:SECTION]: basic blocks and edges as text. */
#include <stdio.h>

#include "cli.h"

int cmd_cfg(int argc, char **argv)
{
	g_autofree char *type = NULL;
	GOptionEntry entries[] = {
		{ "type", 't', 0, G_OPTION_ARG_STRING, &type, "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's guess", "T" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct cli_target t;
	int ret = EXIT_OK;

	if (!cli_parse("cfg", "FILE[:SECTION]", "print the control-flow graph", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		cli_error("cfg", "expected one FILE[:SECTION] (see bpfscope cfg --help)");
		return EXIT_USAGE;
	}
	if (!cli_open("cfg", argv[1], type, &t))
		return EXIT_USAGE;
	for (size_t i = 0; i < t.nprogs; i++) {
		const struct bpfs_prog *p = t.progs[i];
		g_autofree char *label = cli_prog_label(p);
		struct bpfs_cfg *cfg = NULL;
		struct bpfs_err err;

		bpfs_err_clear(&err);
		if (bpfs_insns_validate(p->insns, p->insn_cnt, &err) || bpfs_cfg_build(p->insns, p->insn_cnt, &cfg, &err)) {
			cli_error("cfg", "%s: %s: %s", t.path, label, err.msg);
			ret = EXIT_USAGE;
			continue;
		}
		if (t.nprogs > 1)
			printf("%s%s:\n", i ? "\n" : "", label);
		bpfs_report_cfg_text(stdout, p->insns, cfg);
		bpfs_cfg_free(cfg);
	}
	cli_target_release(&t);
	return ret;
}
