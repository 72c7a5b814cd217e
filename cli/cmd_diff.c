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
	size_t progs, runs, divergences, rejected, repro, unrunnable, skipped_inputs, unloadable;
	GHashTable *why; /* reason a program was skipped -> count */
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

static void write_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

static void write_repro(struct diff_args *a, const char *label, const struct bpfs_diff_prog *p,
			const struct bpfs_diff_input *in, const struct bpfs_diff_opts *opts,
			const struct bpfs_diff_result *res)
{
	g_autofree char *dir = g_strdup_printf("%s/%zu", a->out, a->repro++);
	g_autofree char *asm_path = g_build_filename(dir, "prog.s", NULL);
	g_autofree char *pkt_path = g_build_filename(dir, "packet.bin", NULL);
	g_autofree char *hex_path = g_build_filename(dir, "packet.hex", NULL);
	g_autofree char *text = NULL, *decl = NULL;
	struct bpfs_diff_input small = {0};
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;
	FILE *f;

	if (bpfs_diff_shrink(p, in, opts, res, (unsigned)a->shrink_runs, &insns, &cnt, &small)) {
		cli_error(CMD, "%s: out of memory", label);
		return;
	}
	if (g_mkdir_with_parents(dir, 0755)) {
		cli_error(CMD, "%s: %s", dir, g_strerror(errno));
		goto out;
	}
	text = bpfs_diff_repro_asm(p, insns, cnt, &decl);
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
		if (!(opts->engines & (1u << e)) || e == BPFS_DIFF_KERNEL)
			continue;
		printf("    bpfscope run %s --type %s%s%s%s --engine %s --trace --dump\n", asm_path,
		       bpfs_prog_type_name(p->prog_type), decl, small.pkt_len ? " --packet " : "",
		       small.pkt_len ? pkt_path : "", bpfs_diff_engine_name((enum bpfs_diff_engine)e));
	}
	printf("    bpfscope diff %s --type %s%s%s%s --input-seed 0x%" PRIx64 " --engines %s\n", asm_path,
	       bpfs_prog_type_name(p->prog_type), decl, small.pkt_len ? " --packet " : "",
	       small.pkt_len ? pkt_path : "", small.seed, a->engines ? a->engines : "interp,jit");
	if (p->nmaps)
		printf("    (map contents come from seed 0x%" PRIx64 "; --map-set NAME KEY=VALUE sets them)\n",
		       small.seed);
out:
	free(insns);
	bpfs_diff_input_release(&small);
}

/* The input --packet and --input-seed give (a reproducer's). */
static int given_input(const struct diff_args *a, struct bpfs_diff_input *in)
{
	gsize n = 0;
	const void *d = a->pkt ? g_bytes_get_data(a->pkt, &n) : NULL;

	memset(in, 0, sizeof(*in));
	if (!a->pkt)
		return 0;
	in->seed = a->input_seed ? g_ascii_strtoull(a->input_seed, NULL, 0) : 0;
	in->pkt_len = n;
	in->pkt = malloc(n ? n : 1);
	if (!in->pkt)
		return -ENOMEM;
	if (n)
		memcpy(in->pkt, d, n);
	return 0;
}

/* Counts why a program was left out ("what: detail"). */
static void count_reason(struct diff_args *a, const char *what, const char *detail)
{
	char *why = detail ? g_strdup_printf("%s: %s", what, detail) : g_strdup(what);
	gsize n = GPOINTER_TO_SIZE(g_hash_table_lookup(a->why, why));

	g_hash_table_insert(a->why, why, GSIZE_TO_POINTER(n + 1));
}

/* Runs one verified program on every input. Returns false on an error
 * that stops the campaign. */
static bool diff_prog(struct diff_args *a, const char *label, const struct bpfs_diff_prog *p)
{
	struct bpfs_diff_opts opts = {.engines = a->mask};
	char msg[512];

	if (!bpfs_diff_verifies(p, msg, sizeof(msg))) {
		a->rejected++;
		count_reason(a, "rejected by the verifier", msg);
		return true;
	}
	if (!bpfs_diff_deterministic(p, msg, sizeof(msg))) {
		a->unrunnable++;
		count_reason(a, "results depend on the engine's memory (address leak or uninitialised stack)", msg);
		return true;
	}
	a->progs++;
	for (gint64 i = 0; i < a->inputs; i++) {
		struct bpfs_diff_input in;
		struct bpfs_diff_result r;
		int ret = given_input(a, &in);

		if (!a->pkt)
			ret = bpfs_diff_input_gen(p->prog_type, (uint64_t)a->seed ^ g_str_hash(label) * 0x9e3779b97f4a7c15ull,
						  (unsigned)i, &in);

		if (!ret)
			ret = bpfs_diff_run(p, &in, &opts, &r);
		if (ret == -ERANGE) { /* one engine refuses this input */
			a->skipped_inputs++;
			bpfs_diff_input_release(&in);
			continue;
		}
		if (ret == -EOPNOTSUPP) {
			/* this program cannot run on one of the engines */
			if (a->unrunnable++ < 5)
				fprintf(stderr, "%s: skipped: %s\n", label, r.skipped);
			count_reason(a, r.skipped, NULL);
			a->progs--;
			bpfs_diff_input_release(&in);
			return true;
		}
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
			write_repro(a, label, p, &in, &opts, &r);
		}
		bpfs_diff_input_release(&in);
		if (r.diverged)
			break; /* one reproducer per program is enough */
	}
	return true;
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
				a->rejected += obj->prog_cnt;
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
			bool ok;

			if (bpfs_prog_load_error(obj, pr) || type == BPF_PROG_TYPE_UNSPEC) {
				const char *e = bpfs_prog_load_error(obj, pr);

				a->rejected++;
				count_reason(a, e ? "not loadable" : "program type unknown (give --type)", e);
				continue;
			}
			ok = diff_prog(a, label, &p);
			if (!ok) {
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

static int diff_random(struct diff_args *a)
{
	/* the kernel's random numbers cannot be seeded */
	struct bpfs_diff_gen_opts gopts = {.no_prandom = (a->mask & (1u << BPFS_DIFF_KERNEL)) != 0};
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

static gint by_count(gconstpointer x, gconstpointer y, gpointer why)
{
	gsize a = GPOINTER_TO_SIZE(g_hash_table_lookup(why, x)), b = GPOINTER_TO_SIZE(g_hash_table_lookup(why, y));

	return a < b ? 1 : a > b ? -1 : strcmp(x, y);
}

/* Why programs were skipped, most frequent first (stderr). */
static void print_reasons(struct diff_args *a)
{
	GList *keys = g_list_sort_with_data(g_hash_table_get_keys(a->why), by_count, a->why);
	unsigned n = 0;

	for (GList *k = keys; k && n < 10; k = k->next, n++)
		fprintf(stderr, "  %zu skipped: %s\n", GPOINTER_TO_SIZE(g_hash_table_lookup(a->why, k->data)),
			(const char *)k->data);
	g_list_free(keys);
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = {.inputs = 8, .seed = 1, .shrink_runs = 2000};
	g_autoptr(GHashTable) why = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
	     "Run on this packet only (raw bytes), instead of generated inputs", "FILE"},
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
	if (a.packet) {
		g_autoptr(GError) gerr = NULL;
		char *data;
		gsize len;

		if (!g_file_get_contents(a.packet, &data, &len, &gerr)) {
			cli_error(CMD, "%s", gerr->message);
			goto out;
		}
		a.pkt = g_bytes_new_take(data, len);
		a.inputs = 1;
	}
	if (a.packet_hex) {
		size_t n = strlen(a.packet_hex);
		guint8 *data = g_malloc(n / 2 + 1);

		for (size_t i = 0; i < n; i++) {
			if (!g_ascii_isxdigit(a.packet_hex[i]) || n % 2) {
				cli_error(CMD, "--packet-hex: %s", n % 2 ? "odd number of hex digits" : "not a hex digit");
				g_free(data);
				goto out;
			}
			if (i % 2)
				data[i / 2] = (guint8)(g_ascii_xdigit_value(a.packet_hex[i - 1]) << 4 |
						       g_ascii_xdigit_value(a.packet_hex[i]));
		}
		a.pkt = g_bytes_new_take(data, n / 2);
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
	a.why = why;
	ret = a.random ? diff_random(&a) : diff_files(&a, argv + 1, argc - 1);
	if (ret != EXIT_OK)
		goto out;
	if (!a.progs && a.unloadable) { /* nothing ran: no object loaded, or no --map */
		ret = EXIT_USAGE;
		goto out;
	}
	printf("%zu programs, %zu inputs, %zu divergences", a.progs, a.runs, a.divergences);
	if (a.rejected)
		printf(" (%zu programs skipped: rejected by the verifier or not loadable)", a.rejected);
	if (a.unrunnable)
		printf(" (%zu programs skipped: an engine cannot run them)", a.unrunnable);
	print_reasons(&a);
	if (a.skipped_inputs)
		printf(" (%zu inputs skipped: an engine refuses them)", a.skipped_inputs);
	putchar('\n');
	ret = a.divergences ? EXIT_VERDICT : EXIT_OK;
out:
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
