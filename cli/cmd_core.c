/* SPDX-License-Identifier: MIT */
/*
 * bpfscope core FILE[:SECTION]: every CO-RE relocation of the programs and
 * what the target kernel (--btf, --kconfig) makes of it, in the words of
 * libbpf's debug output, then the extern symbols and how they resolved.
 * Exit 0 when every program loads as libbpf would load it, 1 when one is
 * refused, 2 on a usage or input error.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

#define CMD "core"

static const char *status_name(enum bpfs_core_status s)
{
	switch (s) {
	case BPFS_CORE_PATCHED:
		return "patched";
	case BPFS_CORE_POISONED:
		return "poisoned";
	case BPFS_CORE_FAILED:
		return "failed";
	default:
		return "not applied";
	}
}

static const char *extern_kind(enum bpfs_extern_kind k)
{
	switch (k) {
	case BPFS_EXTERN_KCONFIG:
		return "kconfig";
	case BPFS_EXTERN_KSYM:
		return "ksym";
	case BPFS_EXTERN_KFUNC:
		return "kfunc";
	default:
		return "extern";
	}
}

static void print_relo(size_t i, const struct bpfs_core_relo *r)
{
	printf("  relo #%zu: insn %u: %s\n", i, r->insn,
	       r->local[0] ? r->local : bpfs_core_kind_name(r->kind));
	if (r->kind != BPF_CORE_TYPE_ID_LOCAL && r->status != BPFS_CORE_UNAPPLIED && r->local[0])
		printf("    candidates %u, matching %u%s%s\n", r->ncands, r->nmatch, r->target[0] ? ": " : "",
		       r->target);
	printf("    %s%s%s\n", status_name(r->status), r->note[0] ? ": " : "", r->note);
}

static bool print_prog(const struct cli_target *t, const struct bpfs_prog *p)
{
	g_autofree char *label = cli_prog_label(p);
	const char *err = bpfs_prog_load_error(t->obj, p);

	printf("%s: %zu CO-RE relocation%s, %zu extern reference%s\n", label, p->ncore_relos,
	       p->ncore_relos == 1 ? "" : "s", p->nexterns, p->nexterns == 1 ? "" : "s");
	for (size_t i = 0; i < p->ncore_relos; i++)
		print_relo(i, &p->core_relos[i]);
	for (size_t i = 0; i < p->nexterns; i++) {
		const struct bpfs_extern_use *u = &p->externs[i];

		printf("  extern '%s'%s (%s): insn %u: %s%s%s\n", u->name, u->weak ? " weak" : "", extern_kind(u->kind),
		       u->insn, u->resolved ? "resolved" : "unresolved", u->note[0] ? ": " : "", u->note);
	}
	if (err)
		printf("  load error: %s\n", err);
	return err == NULL;
}

int cmd_core(int argc, char **argv)
{
	struct cli_verifier_args v = { 0 };
	g_autoptr(GArray) entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	struct cli_target t;
	const struct bpfs_target *k;
	int ret = EXIT_OK;

	cli_verifier_entries(&v, entries);
	if (!cli_parse(CMD, "FILE[:SECTION]", "CO-RE relocations and externs as libbpf applies them to a target kernel",
		       (GOptionEntry *)(void *)entries->data, &argc, &argv)) {
		cli_verifier_args_release(&v);
		return EXIT_USAGE;
	}
	if (argc != 2) {
		cli_error(CMD, "expected one FILE[:SECTION] (see bpfscope core --help)");
		cli_verifier_args_release(&v);
		return EXIT_USAGE;
	}
	k = cli_target_kernel(CMD, v.btf, v.kconfig, v.kernel_version);
	if (!k || !cli_open(CMD, argv[1], v.type, &t)) {
		cli_verifier_args_release(&v);
		return EXIT_USAGE;
	}
	printf("target: %s\n", bpfs_target_describe(k));
	for (size_t i = 0; i < t.nprogs; i++)
		if (!print_prog(&t, t.progs[i]))
			ret = EXIT_VERDICT;
	cli_target_release(&t);
	cli_verifier_args_release(&v);
	return ret;
}
