/* SPDX-License-Identifier: MIT */
/*
 * bpfscope diff FILE|DIR... | --random N: differential testing of the
 * execution engines. Every program the verifier accepts runs on each
 * chosen engine with --inputs generated inputs; one line per divergence
 * (program, input, what differs, both values), then the summary
 * "N programs, M inputs, K divergences". Each divergence is written (not
 * shrunk) to --out DIR as prog.s (LLVM syntax) and packet.bin/packet.hex,
 * with the `bpfscope run` command lines that replay it.
 *
 * Exit status: 0 no divergence, 1 some, 2 usage or input error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CMD "diff"

struct diff_args {
	char *engines, *out;
	gint64 inputs, random, seed;
	unsigned mask;
	size_t progs, runs, divergences, rejected, repro;
};

static bool parse_engines(struct diff_args *a)
{
	g_auto(GStrv) names = g_strsplit(a->engines ? a->engines : "interp,jit", ",", -1);

	a->mask = 0;
	for (guint i = 0; names[i]; i++) {
		int e;

		for (e = 0; e < BPFS_DIFF_NENGINES; e++)
			if (!strcmp(names[i], bpfs_diff_engine_name((enum bpfs_diff_engine)e)))
				break;
		if (e == BPFS_DIFF_NENGINES) {
			cli_error(CMD, "unknown engine '%s' (interp, jit or kernel)", names[i]);
			return false;
		}
		a->mask |= 1u << e;
	}
	if (a->mask & (1u << BPFS_DIFF_KERNEL)) {
		fprintf(stderr, "bpfscope diff: engine kernel is not supported yet: skipped\n");
		a->mask &= ~(1u << BPFS_DIFF_KERNEL);
	}
	if (__builtin_popcount(a->mask) < 2) {
		cli_error(CMD, "--engines needs at least two usable engines");
		return false;
	}
	return true;
}

static void write_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

/* The disassembly with "map[N]" renamed to "mapN" (so that --map-set can
 * name it), and the maps in the order the assembler numbers them. */
static char *repro_text(const struct bpf_insn *insns, size_t cnt, const struct bpfs_diff_prog *p, GString *decl)
{
	g_autofree char *text = bpfs_disasm_prog(insns, cnt, BPFS_SYNTAX_LLVM);
	GString *s = g_string_new(NULL);
	bool seen[64] = {0};

	for (const char *c = text ? text : ""; *c;) {
		unsigned idx;
		int n = 0;

		if (sscanf(c, "map[%u]%n", &idx, &n) == 1 && n > 0 && idx < p->nmaps && idx < 64) {
			const struct bpfs_map_spec *m = &p->maps[idx];

			g_string_append_printf(s, "map%u", idx);
			if (!seen[idx])
				g_string_append_printf(decl, " --map %s:%u:%u:%u", bpfs_map_type_name(m->type),
						       m->key_size, m->value_size, m->max_entries);
			seen[idx] = true;
			c += n;
		} else {
			g_string_append_c(s, *c++);
		}
	}
	return g_string_free(s, FALSE);
}

static void write_repro(struct diff_args *a, const char *label, const struct bpfs_diff_prog *p,
			const struct bpfs_diff_input *in, const struct bpfs_diff_opts *opts)
{
	g_autofree char *dir = g_strdup_printf("%s/%zu", a->out, a->repro++);
	g_autofree char *asm_path = g_build_filename(dir, "prog.s", NULL);
	g_autofree char *pkt_path = g_build_filename(dir, "packet.bin", NULL);
	g_autofree char *hex_path = g_build_filename(dir, "packet.hex", NULL);
	g_autoptr(GString) decl = g_string_new(NULL);
	g_autofree char *text = NULL;
	struct bpfs_diff_input small = {0};
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;
	FILE *f;

	/* Not shrunk yet: the reproducer is the whole program and input. */
	insns = malloc(p->cnt * sizeof(*insns));
	if (!insns) {
		cli_error(CMD, "%s: out of memory", label);
		return;
	}
	memcpy(insns, p->insns, p->cnt * sizeof(*insns));
	cnt = p->cnt;
	small = *in;
	small.pkt = NULL;
	small.ctx_in = NULL;
	if (in->pkt_len && (small.pkt = malloc(in->pkt_len)))
		memcpy(small.pkt, in->pkt, in->pkt_len);
	else
		small.pkt_len = 0;
	if (g_mkdir_with_parents(dir, 0755)) {
		cli_error(CMD, "%s: %s", dir, g_strerror(errno));
		goto out;
	}
	text = repro_text(insns, cnt, p, decl);
	if (!g_file_set_contents(asm_path, text, -1, NULL) ||
	    (small.pkt_len && !g_file_set_contents(pkt_path, (const char *)small.pkt, (gssize)small.pkt_len, NULL))) {
		cli_error(CMD, "%s: cannot write the reproducer", dir);
		goto out;
	}
	f = fopen(hex_path, "w");
	if (f) {
		write_hex(f, small.pkt, small.pkt_len);
		fclose(f);
	}
	printf("  reproducer %s: %zu insns (from %zu), %zu-byte packet\n", dir, cnt, p->cnt, small.pkt_len);
	for (int e = 0; e < BPFS_DIFF_NENGINES; e++) {
		if (!(opts->engines & (1u << e)))
			continue;
		printf("    bpfscope run %s --type %s%s%s%s --engine %s --trace --dump\n", asm_path,
		       bpfs_prog_type_name(p->prog_type), decl->str, small.pkt_len ? " --packet " : "",
		       small.pkt_len ? pkt_path : "", bpfs_diff_engine_name((enum bpfs_diff_engine)e));
	}
	if (p->nmaps)
		printf("    (map contents come from seed 0x%" PRIx64 "; --map-set NAME KEY=VALUE sets them)\n",
		       small.seed);
out:
	free(insns);
	bpfs_diff_input_release(&small);
}

/* Runs one verified program on every input. Returns false on an error
 * that stops the campaign. */
static bool diff_prog(struct diff_args *a, const char *label, const struct bpfs_diff_prog *p)
{
	struct bpfs_diff_opts opts = {.engines = a->mask};
	char msg[512];

	if (!bpfs_diff_verifies(p, msg, sizeof(msg))) {
		a->rejected++;
		return true;
	}
	a->progs++;
	for (gint64 i = 0; i < a->inputs; i++) {
		struct bpfs_diff_input in;
		struct bpfs_diff_result r;
		int ret = bpfs_diff_input_gen(p->prog_type, (uint64_t)a->seed, (unsigned)i, &in);

		if (!ret)
			ret = bpfs_diff_run(p, &in, &opts, &r);
		a->runs++;
		if (ret) {
			cli_error(CMD, "%s: input %" G_GINT64_FORMAT ": %s", label, i, g_strerror(-ret));
			bpfs_diff_input_release(&in);
			return false;
		}
		if (r.diverged) {
			a->divergences++;
			printf("%s: input %" G_GINT64_FORMAT ": %s differs: %s\n", label, i, r.what, r.detail);
			fflush(stdout);
			write_repro(a, label, p, &in, &opts);
		}
		bpfs_diff_input_release(&in);
		if (r.diverged)
			break; /* one reproducer per program is enough */
	}
	return true;
}

static int diff_files(struct diff_args *a, char **paths, int npaths)
{
	struct bpfs_err err = {0};
	char **files = NULL;
	size_t nfiles = 0;
	int ret = EXIT_USAGE;

	if (bpfs_corpus_find((const char *const *)paths, (size_t)npaths, &files, &nfiles, &err)) {
		cli_error(CMD, "%s", err.msg);
		return EXIT_USAGE;
	}
	for (size_t f = 0; f < nfiles; f++) {
		struct bpfs_object *obj;

		if (bpfs_object_open(files[f], BPFS_FORMAT_AUTO, &obj, &err)) {
			cli_error(CMD, "%s", err.msg);
			goto out;
		}
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfs_prog *pr = &obj->progs[i];
			struct bpfs_diff_prog p = {pr->insns, pr->insn_cnt, pr->type, obj->maps, obj->map_cnt};
			g_autofree char *label = g_strdup_printf("%s:%s", files[f], *pr->section ? pr->section : pr->name);
			bool ok;

			if (bpfs_prog_load_error(obj, pr) || pr->type == BPF_PROG_TYPE_UNSPEC) {
				a->rejected++;
				continue;
			}
			ok = diff_prog(a, label, &p);
			if (!ok) {
				bpfs_object_free(obj);
				goto out;
			}
		}
		bpfs_object_free(obj);
	}
	ret = EXIT_OK;
out:
	bpfs_corpus_files_free(files);
	return ret;
}

static int diff_random(struct diff_args *a)
{
	struct bpfs_diff_gen_opts gopts = {.no_prandom = false};
	size_t nmaps;
	const struct bpfs_map_spec *maps = bpfs_diff_gen_maps(&nmaps);

	for (gint64 i = 0; i < a->random; i++) {
		struct bpf_insn *insns;
		size_t cnt;
		uint32_t type;
		g_autofree char *label = g_strdup_printf("random#%" G_GINT64_FORMAT, i);
		struct bpfs_diff_prog p;
		bool ok;

		if (bpfs_diff_gen((uint64_t)a->seed, (unsigned)i, &gopts, &insns, &cnt, &type)) {
			cli_error(CMD, "out of memory");
			return EXIT_USAGE;
		}
		p = (struct bpfs_diff_prog){insns, cnt, type, maps, nmaps};
		ok = diff_prog(a, label, &p);
		free(insns);
		if (!ok)
			return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = {.inputs = 8, .seed = 1};
	GOptionEntry entries[] = {
	    {"engines", 'e', 0, G_OPTION_ARG_STRING, &a.engines,
	     "Engines to compare, comma-separated: interp, jit, kernel (default interp,jit)", "LIST"},
	    {"inputs", 'n', 0, G_OPTION_ARG_INT64, &a.inputs, "Generated inputs per program (default 8)", "N"},
	    {"seed", 's', 0, G_OPTION_ARG_INT64, &a.seed, "Seed of the inputs and random programs (default 1)",
	     "S"},
	    {"random", 'r', 0, G_OPTION_ARG_INT64, &a.random, "Generate N random programs instead of reading files",
	     "N"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Directory for reproducers (default ./diff-out)", "DIR"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	int ret = EXIT_USAGE;

	if (!cli_parse(CMD, "FILE|DIR... | --random N",
		       "run programs on several engines and report where they differ", entries, &argc, &argv))
		goto out;
	if (a.inputs < 1 || a.inputs > 1000000 || a.random < 0 || a.random > UINT32_MAX) {
		cli_error(CMD, "--inputs takes 1 to 1000000, --random 0 to %u", UINT32_MAX);
		goto out;
	}
	if ((argc < 2) == (a.random == 0)) {
		cli_error(CMD, "give either FILE|DIR... or --random N (see bpfscope diff --help)");
		goto out;
	}
	if (!parse_engines(&a))
		goto out;
	if (!a.out)
		a.out = g_strdup("diff-out");
	ret = a.random ? diff_random(&a) : diff_files(&a, argv + 1, argc - 1);
	if (ret != EXIT_OK)
		goto out;
	printf("%zu programs, %zu inputs, %zu divergences", a.progs, a.runs, a.divergences);
	if (a.rejected)
		printf(" (%zu programs skipped: rejected by the verifier or not loadable)", a.rejected);
	putchar('\n');
	ret = a.divergences ? EXIT_VERDICT : EXIT_OK;
out:
	g_free(a.engines);
	g_free(a.out);
	return ret;
}
