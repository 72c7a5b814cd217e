/* SPDX-License-Identifier: MIT */
/*
 * bpfscope: entry point. Finds the subcommand in the table and hands it the
 * rest of the command line.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd commands[] = {
	{ "list", "FILE", "programs and maps of an object", cmd_list },
	{ "disasm", "FILE[:SECTION]", "disassemble in the kernel's (or LLVM's) syntax", cmd_disasm },
	{ "asm", "IN -o OUT.bin", "assemble LLVM or conformance assembly into bytecode", cmd_asm },
	{ "cfg", "FILE[:SECTION]", "basic blocks and edges of the control-flow graph", cmd_cfg },
	{ "dot", "FILE[:SECTION]", "a picture of the CFG (Graphviz: DOT, SVG, PNG, PDF, JSON)", cmd_dot },
	{ "cover", "FILE[:SECTION]...", "coverage of the verifier's exploration as an LCOV tracefile", cmd_cover },
	{ "check", "FILE[:SECTION]...", "instruction validity and the DAG check", cmd_check },
	{ "conformance", "DIR", "run a bpf_conformance suite on the interpreter, the JIT or both", cmd_conformance },
	{ "verify", "FILE[:SECTION]", "the verifier, with the kernel's verdicts and messages", cmd_verify },
	{ "corpus", "DIR|FILE...", "verify every program of a corpus in parallel", cmd_corpus },
	{ "report", "RUN.csv", "an HTML page on a corpus run: summary, plots, every program", cmd_report },
	{ "jit", "FILE[:SECTION]", "the x86-64 code the JIT generates, per instruction", cmd_jit },
	{ "run", "FILE[:SECTION]", "run a program on a packet with BPF_PROG_TEST_RUN", cmd_run },
	{ "diff", "FILE|DIR...", "differential testing: interpreter, JIT and kernel on the same inputs", cmd_diff },
	{ "core", "FILE[:SECTION]", "CO-RE relocations and externs against a target kernel (--btf)", cmd_core },
	{ "xcheck", "FILE[:SECTION]...", "cross-check the verifier with the Z3 solver", cmd_xcheck },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: bpfscope COMMAND [OPTIONS] ARGS\n\n"
		     "Static analysis of eBPF programs (ELF objects, raw bytecode, assembly).\n\nCommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-12s %-20s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	fprintf(out, "\nbpfscope COMMAND --help shows a command's options.\n"
		     "Exit status: 0 success or accepted, 1 rejected, 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("bpfscope 0.1.0\n");
		return EXIT_OK;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "bpfscope: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
