/* SPDX-License-Identifier: MIT */
/* bpfscope disasm FILE[:SECTION]: listings in the kernel's or LLVM's syntax. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_disasm(int argc, char **argv)
{
	gboolean llvm = FALSE, conformance = FALSE;
	g_autofree char *type = NULL;
	GOptionEntry entries[] = {
		{ "type", 't', 0, G_OPTION_ARG_STRING, &type, "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's guess", "T" },
		{ "llvm", 0, 0, G_OPTION_ARG_NONE, &llvm, "LLVM syntax (llvm-objdump -d), which bpfscope asm reads back",
		  NULL },
		{ "conformance", 0, 0, G_OPTION_ARG_NONE, &conformance,
		  "The bpf_conformance assembly dialect (mov %r0, 1)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	enum bpfs_syntax syntax = BPFS_SYNTAX_KERNEL;
	struct cli_target t;
	int ret = EXIT_OK;

	if (!cli_parse("disasm", "FILE[:SECTION]", "disassemble programs", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2 || (llvm && conformance)) {
		cli_error("disasm", "expected one FILE[:SECTION] and at most one of --llvm, --conformance");
		return EXIT_USAGE;
	}
	if (llvm)
		syntax = BPFS_SYNTAX_LLVM;
	else if (conformance)
		syntax = BPFS_SYNTAX_CONFORMANCE;
	if (!cli_open("disasm", argv[1], type, &t))
		return EXIT_USAGE;
	for (size_t i = 0; i < t.nprogs; i++) {
		const struct bpfs_prog *p = t.progs[i];
		char *text = bpfs_disasm_prog(p->insns, p->insn_cnt, syntax);

		if (!text) {
			cli_error("disasm", "out of memory");
			ret = EXIT_USAGE;
			break;
		}
		if (t.nprogs > 1) {
			g_autofree char *label = cli_prog_label(p);
			printf("%s%s:\n", i ? "\n" : "", label);
		}
		fputs(text, stdout);
		free(text);
	}
	cli_target_release(&t);
	return ret;
}
