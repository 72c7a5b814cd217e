/* SPDX-License-Identifier: MIT */
/*
 * bpfscope diff FILE|DIR... | --random N: differential testing of the
 * execution engines. Every program the verifier accepts runs on each
 * chosen engine with --inputs generated inputs; one line per divergence
 * (program, input, what differs, both values), then the summary
 * "N programs, M inputs, K divergences". Each divergence is shrunk
 * (bpfs_diff_shrink, at most --shrink-runs runs) and written to --out DIR
 * as prog.s (LLVM syntax) and packet.bin/packet.hex, with the command
 * lines that replay it: `bpfscope run` per bpfscope engine, and
 * `bpfscope diff` on the reproducer with the engines compared.
 *
 * Exit status: 0 no divergence, 1 some, 2 usage or input error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "cli.h"

#define CMD "diff"

struct diff_args {
	char *engines, *out, *type, *packet, *packet_hex, *reference;
	struct bpfs_kernel_verdicts *kv;
	GBytes *pkt;
	char *input_seed;
	char **maps;
	int type_num;
	gint64 inputs, random, seed, shrink_runs;
	unsigned mask;
	size_t unloadable, skips_shown;
	struct bpfs_diff_campaign *c;
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
		char why[256];

		if (!bpfs_diff_kernel_available(why, sizeof(why))) {
			fprintf(stderr, "bpfscope diff: engine kernel is not available (%s): skipped\n", why);
			a->mask &= ~(1u << BPFS_DIFF_KERNEL);
		}
	}
	if (__builtin_popcount(a->mask) < 2) {
		cli_error(CMD, "--engines needs at least two usable engines");
		return false;
	}
	return true;
}

/* A divergence, its reproducer and the command lines that replay it. */
static void print_divergence(const char *label, unsigned input, const struct bpfs_diff_result *r,
			     const struct bpfs_diff_repro *x, void *data)
{
	const struct diff_args *a = data;
	const char *type;
	size_t pkt;

	printf("%s: input %u: %s differs: %s\n", label, input, r->what, r->detail);
	if (!x)
		return;
	type = bpfs_prog_type_name(x->prog_type);
	pkt = x->input.pkt_len;
	printf("  reproducer %s: %zu insns (from %zu), %zu-byte packet\n", x->dir, x->cnt, x->orig_cnt, pkt);
	for (int e = 0; e < BPFS_DIFF_NENGINES; e++) {
		if (!(a->mask & (1u << e)) || e == BPFS_DIFF_KERNEL)
			continue;
		printf("    bpfscope run %s --type %s%s%s%s --engine %s --trace --dump\n", x->asm_path, type, x->map_args,
		       pkt ? " --packet " : "", pkt ? x->packet_path : "", bpfs_diff_engine_name((enum bpfs_diff_engine)e));
	}
	printf("    bpfscope diff %s --type %s%s%s%s --input-seed 0x%" PRIx64 " --engines %s\n", x->asm_path, type,
	       x->map_args, pkt ? " --packet " : "", pkt ? x->packet_path : "", x->input.seed,
	       a->engines ? a->engines : "interp,jit");
	if (*x->map_args)
		printf("    (map contents come from seed 0x%" PRIx64 "; --map-set NAME KEY=VALUE sets them)\n",
		       x->input.seed);
	fflush(stdout);
}

/* The first few programs an engine cannot run, with the reason (all of
 * them are counted in the summary). */
static void print_skip(const char *label, const char *why, void *data)
{
	struct diff_args *a = data;

	if (a->skips_shown++ < 5)
		fprintf(stderr, "%s: skipped: %s\n", label, why);
}

/* path relative to the directory argument it was found under (the key
 * of a kernel-verdicts file), else path itself */
static const char *relative(const char *path, char **args, int nargs)
{
	for (int i = 0; i < nargs; i++) {
		size_t n = strlen(args[i]);

		while (n > 1 && args[i][n - 1] == '/')
			n--;
		if (!strncmp(path, args[i], n) && path[n] == '/')
			return path + n + 1;
	}
	return path;
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
			cli_error(CMD, "%s", err.msg); /* the others still run */
			a->unloadable++;
			continue;
		}
		g_autoptr(GArray) decl = g_array_new(FALSE, TRUE, sizeof(struct bpfs_map_spec));
		struct cli_target t = {.path = files[f], .obj = obj};
		const struct bpfs_map_spec *maps = obj->maps;
		size_t nmaps = obj->map_cnt;

		if (obj->format != BPFS_FORMAT_ELF) { /* raw and assembly: --type, --map */
			if (!cli_map_decls(CMD, &t, a->maps, decl)) { /* said why */
				for (size_t i = 0; i < obj->prog_cnt; i++)
					bpfs_diff_campaign_skip(a->c, "not loadable", "maps not declared");
				a->unloadable++;
				cli_map_decls_release(decl);
				bpfs_object_free(obj);
				continue;
			}
			maps = (const struct bpfs_map_spec *)decl->data;
			nmaps = decl->len;
		}
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfs_prog *pr = &obj->progs[i];
			uint32_t type = pr->type;

			if (a->kv && type == BPF_PROG_TYPE_UNSPEC) {
				int t = bpfs_kernel_verdicts_type(relative(files[f], paths, npaths), pr, a->kv);

				type = t > 0 ? (uint32_t)t : type;
			}
			if (a->type && (obj->format != BPFS_FORMAT_ELF || type == BPF_PROG_TYPE_UNSPEC))
				type = (uint32_t)a->type_num;
			struct bpfs_diff_prog p = {pr->insns, pr->insn_cnt, type, maps, nmaps};
			g_autofree char *label = g_strdup_printf("%s:%s", files[f], *pr->section ? pr->section : pr->name);

			if (bpfs_prog_load_error(obj, pr) || type == BPF_PROG_TYPE_UNSPEC) {
				const char *e = bpfs_prog_load_error(obj, pr);

				bpfs_diff_campaign_skip(a->c, e ? "not loadable" : "program type unknown (give --type)", e);
				continue;
			}
			if (bpfs_diff_campaign_prog(a->c, label, &p, &err)) {
				cli_error(CMD, "%s", err.msg);
				cli_map_decls_release(decl);
				bpfs_object_free(obj);
				goto out;
			}
		}
		cli_map_decls_release(decl);
		bpfs_object_free(obj);
	}
	ret = EXIT_OK;
out:
	bpfs_corpus_files_free(files);
	return ret;
}

static void print_reason(const char *why, size_t count, void *data)
{
	unsigned *n = data;

	if ((*n)++ < 10)
		fprintf(stderr, "  %zu skipped: %s\n", count, why);
}

static void print_summary(const struct diff_args *a)
{
	const struct bpfs_diff_campaign_stats *st = bpfs_diff_campaign_stats(a->c);
	unsigned n = 0;

	printf("%zu programs, %zu inputs, %zu divergences", st->progs, st->runs, st->divergences);
	if (st->rejected)
		printf(" (%zu programs skipped: rejected by the verifier or not loadable)", st->rejected);
	if (st->unrunnable)
		printf(" (%zu programs skipped: an engine cannot run them)", st->unrunnable);
	bpfs_diff_campaign_reasons(a->c, print_reason, &n);
	if (st->skipped_inputs)
		printf(" (%zu inputs skipped: an engine refuses them)", st->skipped_inputs);
	putchar('\n');
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = {.inputs = 8, .seed = 1, .shrink_runs = 2000};
	GOptionEntry entries[] = {
	    {"engines", 'e', 0, G_OPTION_ARG_STRING, &a.engines,
	     "Engines to compare, comma-separated: interp, jit, kernel (default interp,jit)", "LIST"},
	    {"inputs", 'n', 0, G_OPTION_ARG_INT64, &a.inputs, "Generated inputs per program (default 8)", "N"},
	    {"seed", 's', 0, G_OPTION_ARG_INT64, &a.seed,
	     "Seed of the inputs (mixed with each program's name) and of random programs (default 1)", "S"},
	    {"random", 'r', 0, G_OPTION_ARG_INT64, &a.random, "Generate N random programs instead of reading files",
	     "N"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Directory for reproducers (default ./diff-out)", "DIR"},
	    {"packet", 'p', 0, G_OPTION_ARG_FILENAME, &a.packet,
	     "Run on this packet only (raw bytes, or the first of a pcap file), instead of generated inputs", "FILE"},
	    {"packet-hex", 'x', 0, G_OPTION_ARG_STRING, &a.packet_hex, "As --packet, given as hex digits", "HEX"},
	    {"input-seed", 0, 0, G_OPTION_ARG_STRING, &a.input_seed,
	     "With --packet: the seed that fills the maps (a reproducer's)", "S"},
	    {"shrink-runs", 0, 0, G_OPTION_ARG_INT64, &a.shrink_runs,
	     "Runs spent shrinking each divergence (default 2000; 0 keeps it whole)", "N"},
	    {"type", 't', 0, G_OPTION_ARG_STRING, &a.type,
	     "Program type of raw and assembly input, and of ELF programs whose section names no type "
	     "(socket_filter, sched_cls, xdp, ...)",
	     "T"},
	    {"kernel-verdicts", 'k', 0, G_OPTION_ARG_FILENAME, &a.reference,
	     "Take the type of ELF programs whose section names none from a reference run (as bpfscope corpus -k)",
	     "TSV"},
	    {"map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a.maps,
	     "Declare map N (in order, from 0) for raw and assembly input", "TYPE:KEY:VALUE:MAX[:FLAGS]"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	int ret = EXIT_USAGE;

	if (!cli_parse(CMD, "FILE|DIR... | --random N",
		       "run programs on several engines and report where they differ", entries, &argc, &argv))
		goto out;
	if (a.inputs < 1 || a.inputs > 1000000 || a.random < 0 || a.random > UINT32_MAX || a.shrink_runs < 0 ||
	    a.shrink_runs > 10000000) {
		cli_error(CMD, "--inputs takes 1 to 1000000, --random 0 to %u, --shrink-runs 0 to 10000000",
			  UINT32_MAX);
		goto out;
	}
	if ((argc < 2) == (a.random == 0)) {
		cli_error(CMD, "give either FILE|DIR... or --random N (see bpfscope diff --help)");
		goto out;
	}
	if (a.type && (a.type_num = bpfs_prog_type_parse(a.type)) < 0) {
		cli_error(CMD, "unknown program type '%s'", a.type);
		goto out;
	}
	if (a.input_seed) {
		char *end;

		errno = 0;
		g_ascii_strtoull(a.input_seed, &end, 0);
		if (!*a.input_seed || *end || errno || *a.input_seed == '-') {
			cli_error(CMD, "--input-seed '%s' is not a number", a.input_seed);
			goto out;
		}
	}
	if (a.packet && a.packet_hex) {
		cli_error(CMD, "--packet and --packet-hex exclude each other");
		goto out;
	}
	if (a.packet || a.packet_hex) {
		struct bpfs_err err;
		uint8_t *data;
		size_t len;
		int ret = a.packet ? bpfs_packet_read_file(a.packet, &data, &len, &err)
				   : bpfs_packet_parse_hex(a.packet_hex, &data, &len, &err);

		if (ret) {
			if (a.packet)
				cli_error(CMD, "%s", err.msg);
			else
				cli_error(CMD, "--packet-hex: %s", err.msg);
			goto out;
		}
		a.pkt = g_bytes_new(data, len);
		free(data);
		a.inputs = 1;
	}
	if (a.reference) {
		struct bpfs_err err = {0};

		if (bpfs_kernel_verdicts_load(a.reference, &a.kv, &err)) {
			cli_error(CMD, "%s", err.msg);
			goto out;
		}
	}
	if (a.random && (a.type || a.maps)) {
		cli_error(CMD, "--type and --map are for FILE arguments, not --random");
		goto out;
	}
	if (!parse_engines(&a))
		goto out;
	if (!a.out)
		a.out = g_strdup("diff-out");
	{
		struct bpfs_diff_input fixed = {0};
		struct bpfs_diff_campaign_opts co = {
			.engines = a.mask,
			.inputs = (unsigned)a.inputs,
			.seed = (uint64_t)a.seed,
			.shrink_runs = (unsigned)a.shrink_runs,
			.out_dir = a.out,
			.on_divergence = print_divergence,
			.on_skip = print_skip,
			.data = &a,
		};
		struct bpfs_err err = {0};

		if (a.pkt) {
			gsize n = 0;

			fixed.pkt = (uint8_t *)g_bytes_get_data(a.pkt, &n);
			fixed.pkt_len = n;
			fixed.seed = a.input_seed ? g_ascii_strtoull(a.input_seed, NULL, 0) : 0;
			co.input = &fixed;
		}
		a.c = bpfs_diff_campaign_new(&co);
		if (a.random) {
			ret = bpfs_diff_campaign_random(a.c, (unsigned)a.random, &err) ? EXIT_USAGE : EXIT_OK;
			if (ret)
				cli_error(CMD, "%s", err.msg);
		} else {
			ret = diff_files(&a, argv + 1, argc - 1);
		}
	}
	if (ret != EXIT_OK)
		goto out;
	if (!bpfs_diff_campaign_stats(a.c)->progs && a.unloadable) { /* nothing ran: no object loaded, or no --map */
		ret = EXIT_USAGE;
		goto out;
	}
	print_summary(&a);
	ret = bpfs_diff_campaign_stats(a.c)->divergences ? EXIT_VERDICT : EXIT_OK;
out:
	bpfs_diff_campaign_free(a.c);
	g_free(a.engines);
	g_free(a.out);
	g_free(a.type);
	g_free(a.reference);
	if (a.kv)
		bpfs_kernel_verdicts_free(a.kv);
	g_free(a.packet);
	g_free(a.packet_hex);
	g_free(a.input_seed);
	if (a.pkt)
		g_bytes_unref(a.pkt);
	g_strfreev(a.maps);
	return ret;
}
