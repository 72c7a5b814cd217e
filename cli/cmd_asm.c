/* SPDX-License-Identifier: MIT */
/* bpfscope asm IN -o OUT.bin: assembly text to raw bytecode. */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static bool write_insns(const char *path, const struct bpf_insn *insns, size_t cnt)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree struct bpf_insn *le = g_new(struct bpf_insn, cnt ? cnt : 1);

	/* The .bin format is little-endian whatever the host. */
	for (size_t i = 0; i < cnt; i++) {
		le[i] = insns[i];
		le[i].off = (int16_t)htole16((uint16_t)insns[i].off);
		le[i].imm = (int32_t)htole32((uint32_t)insns[i].imm);
	}
	if (!g_file_set_contents(path, (const char *)le, (gssize)(cnt * sizeof(*le)), &gerr)) {
		cli_error("asm", "%s", gerr->message);
		return false;
	}
	return true;
}

int cmd_asm(int argc, char **argv)
{
	g_autofree char *out_path = NULL;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Write the bytecode to OUT.bin", "OUT.bin" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autofree char *text = NULL;
	g_autoptr(GError) gerr = NULL;
	struct bpfs_asm_result res = { 0 };
	struct bpfs_err err;
	int ret = EXIT_USAGE;

	if (!cli_parse("asm", "IN -o OUT.bin", "assemble LLVM-syntax or conformance-dialect assembly", entries,
		       &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2 || !out_path) {
		cli_error("asm", "expected IN and -o OUT.bin (see bpfscope asm --help)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-")) {
		GString *s = g_string_new(NULL);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(s, buf, (gssize)n);
		text = g_string_free(s, FALSE);
	} else if (!g_file_get_contents(argv[1], &text, NULL, &gerr)) {
		cli_error("asm", "%s", gerr->message);
		return EXIT_USAGE;
	}
	bpfs_err_clear(&err);
	if (bpfs_asm(text, &res, &err)) {
		cli_error("asm", "%s: %s", argv[1], err.msg);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < res.map_cnt; i++)
		fprintf(stderr, "note: map '%s' is map %zu (declare it with --map when verifying)\n", res.map_names[i],
			i);
	if (write_insns(out_path, res.insns, res.cnt))
		ret = EXIT_OK;
	bpfs_asm_result_release(&res);
	return ret;
}
