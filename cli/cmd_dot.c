/* SPDX-License-Identifier: MIT */
/*
 * bpfscope dot FILE[:SECTION]: a picture of a program's CFG, and of what
 * the verifier did with it. Without -o, the graph in the DOT language on
 * stdout (one graph per program); with -o, the format comes from -T or
 * from the file's extension, rendered in-process by libgvc. Exit 0 when
 * the picture was written, 2 on an input or output error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CMD "dot"

struct dot_args {
	char *type, *out, *format;
	int fmt;
};

static int draw(const struct dot_args *a, const struct bpfs_prog *p, const char *label, FILE *out)
{
	struct bpfs_cfg *cfg = NULL;
	struct bpfs_err err;
	int ret = EXIT_OK;

	bpfs_err_clear(&err);
	if (bpfs_insns_validate(p->insns, p->insn_cnt, &err) || bpfs_cfg_build(p->insns, p->insn_cnt, &cfg, &err)) {
		cli_error(CMD, "%s: %s", label, err.msg);
		return EXIT_USAGE;
	}
	{
		struct bpfs_dot_prog dp = {.name = label, .insns = p->insns, .cnt = p->insn_cnt, .cfg = cfg,
					   .funcs = p->funcs, .nfuncs = p->nfuncs};

		if (bpfs_report_dot(&dp, NULL, (enum bpfs_dot_format)a->fmt, out, &err)) {
			cli_error(CMD, "%s: %s", a->out ? a->out : "stdout", err.msg);
			ret = EXIT_USAGE;
		}
	}
	bpfs_cfg_free(cfg);
	return ret;
}

static bool choose_format(struct dot_args *a)
{
	a->fmt = BPFS_DOT_FMT_DOT;
	if (a->format) {
		a->fmt = bpfs_dot_format_parse(a->format);
		if (a->fmt < 0) {
			cli_error(CMD, "-T '%s': not a format (dot, svg, png, pdf or json)", a->format);
			return false;
		}
	} else if (a->out) {
		a->fmt = bpfs_dot_format_from_path(a->out);
		if (a->fmt < 0) {
			cli_error(CMD, "-o %s: the extension names no format (.dot, .svg, .png, .pdf, .json); give -T",
				  a->out);
			return false;
		}
	}
	if (!a->out && a->fmt != BPFS_DOT_FMT_DOT && a->fmt != BPFS_DOT_FMT_SVG && a->fmt != BPFS_DOT_FMT_JSON) {
		cli_error(CMD, "-T %s writes binary data: give -o FILE", a->format);
		return false;
	}
	return true;
}

int cmd_dot(int argc, char **argv)
{
	struct dot_args a = {0};
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Write the picture to FILE (format from its extension)",
		 "FILE"},
		{"format", 'T', 0, G_OPTION_ARG_STRING, &a.format, "dot (default), svg, png, pdf or json", "F"},
		{"type", 't', 0, G_OPTION_ARG_STRING, &a.type,
		 "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's guess",
		 "T"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	struct cli_target t = {0};
	FILE *out = stdout;
	int ret = EXIT_USAGE;

	if (!cli_parse(CMD, "FILE[:SECTION]", "draw the CFG with Graphviz", entries, &argc, &argv))
		goto out;
	if (argc != 2) {
		cli_error(CMD, "expected one FILE[:SECTION] (see bpfscope dot --help)");
		goto out;
	}
	if (!choose_format(&a) || !cli_open(CMD, argv[1], a.type, &t))
		goto out;
	if (a.out && t.nprogs > 1) {
		cli_error(CMD, "%s has %zu programs: name one as FILE:SECTION to write it to %s", t.path, t.nprogs, a.out);
		goto out;
	}
	if (a.out && !(out = fopen(a.out, "wb"))) {
		cli_error(CMD, "cannot write %s: %s", a.out, g_strerror(errno));
		out = stdout;
		goto out;
	}
	ret = EXIT_OK;
	for (size_t i = 0; i < t.nprogs && ret == EXIT_OK; i++) {
		g_autofree char *label = cli_prog_label(t.progs[i]);

		ret = draw(&a, t.progs[i], label, out);
	}
	if (out != stdout && fclose(out) && ret == EXIT_OK) {
		cli_error(CMD, "cannot write %s: %s", a.out, g_strerror(errno));
		ret = EXIT_USAGE;
	}
	out = stdout;
	if (ret != EXIT_OK && a.out)
		remove(a.out); /* no half-written picture */
out:
	if (out != stdout)
		fclose(out);
	if (t.obj)
		cli_target_release(&t);
	g_free(a.type);
	g_free(a.out);
	g_free(a.format);
	return ret;
}
