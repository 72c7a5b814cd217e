/* SPDX-License-Identifier: MIT */
/*
 * bpfscope dot FILE[:SECTION]: a picture of a program's CFG, and of what
 * the verifier did with it. Without -o, the graph in the DOT language on
 * stdout (one graph per program); with -o, the format comes from -T or
 * from the file's extension, rendered in-process by libgvc. The views
 * --states, --path, --heat (on the CFG) and --search (the verifier's
 * search graph) run the verifier with a trace and draw from it. Exit 0
 * when the picture was written, whatever the verdict; 2 on an input or
 * output error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CMD "dot"

struct dot_args {
	struct cli_verifier_args v;
	struct cli_run_inputs in;
	gboolean run;
	char *out, *format;
	int fmt;
	gboolean states, path, search, heat;
	gint64 max_states;
};

static bool needs_verifier(const struct dot_args *a)
{
	return a->states || a->path || a->search || a->heat;
}

/* Runs the verifier with a recorded trace; the verdict's line for the
 * picture's title. */
static int trace(struct dot_args *a, const struct cli_target *t, const struct bpfs_prog *p,
		 struct bpfs_trace_record *rec, char **title)
{
	struct bpfs_verifier_trace tr = {.event = bpfs_trace_record_event, .data = rec,
					 .want_states = a->states || a->search};
	struct bpfs_verifier_opts o = {0};
	struct bpfs_verdict v;
	const struct bpfs_verifier_stats *st = &v.stats;

	if (!cli_verifier_opts(CMD, &a->v, &o) || !cli_verifier_target(CMD, &a->v, t, &o))
		return EXIT_USAGE;
	if (bpfs_trace_record_init(rec, p->insns, p->insn_cnt, (size_t)a->max_states, tr.want_states)) {
		cli_error(CMD, "out of memory");
		return EXIT_USAGE;
	}
	cli_verifier_prog(&o, p);
	o.trace = &tr;
	if (bpfs_verify(p->insns, p->insn_cnt, &o, &v)) {
		cli_error(CMD, "%s: the verifier could not run", t->path);
		return EXIT_USAGE;
	}
	bpfs_trace_record_finish(rec);
	*title = g_strdup_printf("%s%s%s\nprocessed %" G_GUINT64_FORMAT " insns (limit %" G_GUINT64_FORMAT
				 ") max_states_per_insn %" G_GUINT64_FORMAT " total_states %" G_GUINT64_FORMAT
				 " peak_states %" G_GUINT64_FORMAT,
				 v.accepted ? "accepted" : "rejected: ", v.accepted ? "" : v.msg,
				 a->path && v.accepted ? " (no failing path)" : "", st->processed_insns, o.insn_limit,
				 st->max_states_per_insn, st->total_states, st->peak_states);
	bpfs_verdict_release(&v);
	return EXIT_OK;
}

static int draw(struct dot_args *a, const struct cli_target *t, const struct bpfs_prog *p, const char *label,
		FILE *out)
{
	struct bpfs_trace_record rec = {0};
	g_autofree char *title = NULL;
	g_autofree uint64_t *exec = NULL, *taken = NULL;
	struct bpfs_cfg *cfg = NULL;
	struct bpfs_err err;
	int ret = EXIT_OK;

	bpfs_err_clear(&err);
	if (bpfs_insns_validate(p->insns, p->insn_cnt, &err) || bpfs_cfg_build(p->insns, p->insn_cnt, &cfg, &err)) {
		cli_error(CMD, "%s: %s", label, err.msg);
		return EXIT_USAGE;
	}
	if (needs_verifier(a) && (ret = trace(a, t, p, &rec, &title)) != EXIT_OK)
		goto out;
	if (a->run) {
		exec = g_new0(uint64_t, p->insn_cnt + 1);
		taken = g_new0(uint64_t, p->insn_cnt + 1);
		if (!cli_exec_counts(CMD, &a->v, &a->in, t, p, exec, taken)) {
			ret = EXIT_USAGE;
			goto out;
		}
	}
	if (a->search) {
		struct bpfs_dot_search sr = {.name = label, .record = &rec, .stats = title};

		if (bpfs_report_dot_search(&sr, (enum bpfs_dot_format)a->fmt, out, &err)) {
			cli_error(CMD, "%s: %s", a->out ? a->out : "stdout", err.msg);
			ret = EXIT_USAGE;
		}
	} else {
		struct bpfs_dot_prog dp = {.name = label, .insns = p->insns, .cnt = p->insn_cnt, .cfg = cfg,
					   .funcs = p->funcs, .nfuncs = p->nfuncs, .lines = p->line_info,
					   .nlines = p->nline_info};
		struct bpfs_dot_view view = {
			.insns = rec.insns,
			.states = a->states,
			.heat = a->heat,
			.heat_exec = a->run,
			.exec = exec,
			.show_path = a->path,
			.path = a->path && rec.failed ? rec.fail_path : NULL,
			.path_len = a->path && rec.failed ? rec.fail_path_len : 0,
			.fail_insn = rec.failed ? (int64_t)rec.fail_insn : -1,
			.fail_msg = rec.failed ? rec.fail_msg : NULL,
			.label = title,
		};

		if (bpfs_report_dot(&dp, needs_verifier(a) ? &view : NULL, (enum bpfs_dot_format)a->fmt, out, &err)) {
			cli_error(CMD, "%s: %s", a->out ? a->out : "stdout", err.msg);
			ret = EXIT_USAGE;
		}
	}
out:
	bpfs_trace_record_release(&rec);
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
	struct dot_args a = {.max_states = 4, .in.seed = 1};
	const GOptionEntry own[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Write the picture to FILE (format from its extension)",
		 "FILE"},
		{"format", 'T', 0, G_OPTION_ARG_STRING, &a.format, "dot (default), svg, png, pdf or json", "F"},
		{"states", 0, 0, G_OPTION_ARG_NONE, &a.states,
		 "Each instruction with the verifier's states there, its visits and prunes", NULL},
		{"path", 0, 0, G_OPTION_ARG_NONE, &a.path, "The path the verifier failed on, in red, numbered", NULL},
		{"search", 0, 0, G_OPTION_ARG_NONE, &a.search,
		 "The verifier's search: checkpoints, pruned paths and what covered them", NULL},
		{"heat", 0, 0, G_OPTION_ARG_NONE, &a.heat,
		 "Blocks coloured by the instructions the verifier processed there (with --run: executed there)", NULL},
		{"run", 0, 0, G_OPTION_ARG_NONE, &a.run,
		 "With --heat: run the program on the inputs (--packet, --packet-hex, --inputs) and count", NULL},
		{"max-states", 0, 0, G_OPTION_ARG_INT64, &a.max_states, "Distinct states listed per instruction (default 4)",
		 "N"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(GOptionEntry));
	struct cli_target t = {0};
	FILE *out = stdout;
	int ret = EXIT_USAGE;

	cli_verifier_entries(&a.v, entries);
	cli_run_input_entries(&a.in, entries);
	g_array_append_vals(entries, own, G_N_ELEMENTS(own));
	if (!cli_parse(CMD, "FILE[:SECTION]", "draw the CFG, or the verifier's search, with Graphviz",
		       (GOptionEntry *)(void *)entries->data, &argc, &argv))
		goto out;
	if (a.search && (a.states || a.path || a.heat)) {
		cli_error(CMD, "--search draws the search graph; --states, --path and --heat draw on the CFG");
		goto out;
	}
	if (a.run && !a.heat) {
		cli_error(CMD, "--run counts executions for --heat");
		goto out;
	}
	if (!cli_run_inputs_check(CMD, &a.in, a.run))
		goto out;
	if (a.max_states < 1 || a.max_states > 1000) {
		cli_error(CMD, "--max-states takes 1 to 1000");
		goto out;
	}
	if (argc != 2) {
		cli_error(CMD, "expected one FILE[:SECTION] (see bpfscope dot --help)");
		goto out;
	}
	if (!choose_format(&a) || !cli_open(CMD, argv[1], a.v.type, &t))
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

		ret = draw(&a, &t, t.progs[i], label, out);
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
	cli_verifier_args_release(&a.v);
	cli_run_inputs_release(&a.in);
	g_free(a.out);
	g_free(a.format);
	return ret;
}
