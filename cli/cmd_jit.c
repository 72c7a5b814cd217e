/* SPDX-License-Identifier: MIT */
/*
 * bpfscope jit FILE[:SECTION] [--harden] [--hex]: compiles programs with
 * the x86-64 JIT and prints the code, each BPF instruction (kernel syntax)
 * followed by the machine code it became: "offset: bytes  assembly" per
 * x86 instruction when binutils' objdump is installed (Intel syntax), or
 * "offset: bytes" in rows of 16 otherwise (and with --hex). The entry
 * sequence and the shared stubs come first, the fall-off stub last.
 *
 * Map references are compiled against placeholder handles (the code is
 * shown, never run), so that objects with maps can be looked at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jit.h"

/* Display only: every map reference becomes a recognisable fake handle. */
static int fake_resolve(void *priv, uint8_t src_reg, int32_t imm, int32_t next_imm, uint64_t *value,
			void **region, size_t *region_len)
{
	(void)priv, (void)src_reg;
	*value = 0xdead0000ull + ((uint64_t)(uint32_t)imm << 4) + (uint32_t)next_imm;
	*region = NULL;
	*region_len = 0;
	return 0;
}

/* One x86 instruction per line from objdump -D of the raw code, as
 * (offset, text) pairs; NULL when objdump is unavailable. */
static GPtrArray *objdump_lines(const uint8_t *code, size_t len)
{
	g_autofree char *path = NULL, *out = NULL;
	g_autoptr(GError) gerr = NULL;
	GPtrArray *lines = NULL;
	int fd = g_file_open_tmp("bpfscope-jit-XXXXXX.bin", &path, NULL);
	int status = 0;

	if (fd < 0)
		return NULL;
	if (write(fd, code, len) == (ssize_t)len) {
		char *argv[] = {
		    "objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", "--no-show-raw-insn",
		    path,      NULL};

		if (g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
				 NULL, &out, NULL, &status, &gerr) &&
		    g_spawn_check_wait_status(status, NULL)) {
			g_auto(GStrv) v = g_strsplit(out, "\n", -1);

			lines = g_ptr_array_new_with_free_func(g_free);
			for (char **l = v; *l; l++) {
				char *colon = strchr(*l, ':');
				char *end;
				unsigned long off;

				if (!colon || colon[1] != '\t')
					continue;
				off = strtoul(*l, &end, 16);
				if (end != colon)
					continue;
				g_ptr_array_add(lines,
						g_strdup_printf("%lx\t%s", off, g_strstrip(colon + 1)));
			}
		}
	}
	close(fd);
	unlink(path);
	return lines;
}

/* Prints code[from, to): with objdump's lines, one per instruction. */
static void print_range(const uint8_t *code, size_t from, size_t to, GPtrArray *lines, guint *li)
{
	if (!lines) {
		for (size_t o = from; o < to; o += 16) {
			printf("  %04zx:", o);
			for (size_t k = o; k < to && k < o + 16; k++)
				printf(" %02x", code[k]);
			printf("\n");
		}
		return;
	}
	while (*li < lines->len) {
		const char *l = g_ptr_array_index(lines, *li);
		unsigned long off = strtoul(l, NULL, 16), next = to;
		GString *hex = g_string_new(NULL);

		if (off >= to)
			break;
		if (*li + 1 < lines->len)
			next = strtoul(g_ptr_array_index(lines, *li + 1), NULL, 16);
		for (unsigned long k = off; k < next && k < to; k++)
			g_string_append_printf(hex, "%02x ", code[k]);
		printf("  %04lx: %-30s %s\n", off, hex->str, strchr(l, '\t') + 1);
		g_string_free(hex, TRUE);
		(*li)++;
	}
}

static int show(const struct bpfs_prog *p, bool harden, bool hex)
{
	struct bpfs_map_ops maps = {.resolve = fake_resolve};
	struct bpfs_jit_opts opts = {.prog_type = p->type, .maps = &maps, .harden = harden};
	g_autoptr(GPtrArray) lines = NULL;
	struct bpfs_err err = {0};
	struct bpfs_jit *jit = bpfs_jit_compile(p->insns, p->insn_cnt, &opts, &err);
	const uint8_t *code;
	size_t len;
	guint li = 0;

	if (!jit) {
		cli_error("jit", "%s", err.msg);
		return EXIT_VERDICT;
	}
	code = bpfs_jit_code(jit, &len);
	if (!hex)
		lines = objdump_lines(code, len);
	printf("; %zu bytes of x86-64 code for %zu instructions%s\n", len, p->insn_cnt,
	       harden ? " (constants blinded)" : "");
	printf("; entry, epilogue and unwind stubs\n");
	print_range(code, 0, (size_t)bpfs_jit_insn_offset(jit, 0), lines, &li);
	for (size_t i = 0; i < p->insn_cnt;) {
		char buf[256];
		int n = bpfs_disasm_insn(p->insns, p->insn_cnt, i, BPFS_SYNTAX_KERNEL, buf, sizeof(buf));
		size_t next;

		if (n <= 0)
			n = 1;
		next = i + (size_t)n;
		printf("; %zu: %s\n", i, n > 0 ? buf : "?");
		print_range(code, (size_t)bpfs_jit_insn_offset(jit, i),
			    (size_t)bpfs_jit_insn_offset(jit, next < p->insn_cnt ? next : p->insn_cnt), lines,
			    &li);
		i = next;
	}
	printf("; past the end: fall-off stub\n");
	print_range(code, (size_t)bpfs_jit_insn_offset(jit, p->insn_cnt), len, lines, &li);
	bpfs_jit_free(jit);
	return EXIT_OK;
}

int cmd_jit(int argc, char **argv)
{
	gboolean harden = FALSE, hex = FALSE;
	g_autofree char *type = NULL;
	GOptionEntry entries[] = {
	    {"type", 't', 0, G_OPTION_ARG_STRING, &type,
	     "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's "
	     "guess",
	     "T"},
	    {"harden", 0, 0, G_OPTION_ARG_NONE, &harden, "Blind the program's constants", NULL},
	    {"hex", 0, 0, G_OPTION_ARG_NONE, &hex, "Bytes only, without disassembly", NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	struct cli_target t;
	int ret = EXIT_OK;

	if (!cli_parse("jit", "FILE[:SECTION]", "show the x86-64 code the JIT generates", entries, &argc,
		       &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		cli_error("jit", "expected one FILE[:SECTION]");
		return EXIT_USAGE;
	}
	if (!cli_open("jit", argv[1], type, &t))
		return EXIT_USAGE;
	for (size_t i = 0; i < t.nprogs && ret == EXIT_OK; i++) {
		if (t.nprogs > 1) {
			g_autofree char *label = cli_prog_label(t.progs[i]);
			printf("%s%s:\n", i ? "\n" : "", label);
		}
		ret = show(t.progs[i], harden, hex);
	}
	cli_target_release(&t);
	return ret;
}
