/* SPDX-License-Identifier: MIT */
/*
 * Loader tests: raw bytecode, conformance .data files, malformed ELF
 * objects built here byte by byte, the ebpf-samples corpus checked against
 * the kernel's program list, and a C program compiled with clang at test
 * time to check maps, relocations and subprogram appending.
 */
#include "ir.h"
#include "testutil.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* ---------------------------------------------------------------------- */
/* Raw bytecode                                                           */

struct raw_case {
	const char *name;
	const char *hex;
	enum bpfs_format format;
	size_t insn_cnt; /* 0: expect failure */
	const char *msg;
};

static const struct raw_case raw_cases[] = {
    {"two", "b7000000000000009500000000000000", BPFS_FORMAT_RAW, 2, NULL},
    {"auto", "b7000000010000009500000000000000", BPFS_FORMAT_AUTO, 2, NULL},
    {"ldimm64",
     "18010000ffffffff0000000001000000"
     "9500000000000000",
     BPFS_FORMAT_RAW, 3, NULL},
    {"odd13", "b7000000000000009500000000", BPFS_FORMAT_RAW, 0,
     "t.bin: size 13 is not a multiple of 8 bytes"},
    {"odd1", "b7", BPFS_FORMAT_RAW, 0, "size 1 is not a multiple of 8 bytes"},
    {"empty", "", BPFS_FORMAT_RAW, 0, "t.bin: empty file"},
    {"empty-auto", "", BPFS_FORMAT_AUTO, 0, "empty file"},
};

static void test_raw(gconstpointer data)
{
	const struct raw_case *tc = data;
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;
	guint8 *bytes = NULL;
	gssize n = tu_unhex(tc->hex, &bytes);
	int ret;

	g_assert_cmpint(n, >=, 0);
	ret = bpfs_object_open_mem(bytes, (size_t)n, "dir/t.bin", tc->format, &obj, &err);
	if (!tc->insn_cnt) {
		g_assert_cmpint(ret, <, 0);
		g_assert_null(obj);
		g_assert_nonnull(strstr(err.msg, tc->msg));
	} else {
		g_assert_cmpint(ret, ==, 0);
		g_assert_cmpint(obj->format, ==, BPFS_FORMAT_RAW);
		g_assert_cmpuint(obj->prog_cnt, ==, 1);
		g_assert_cmpstr(obj->progs[0].name, ==, "t.bin");
		g_assert_cmpstr(obj->progs[0].section, ==, "");
		g_assert_cmpuint(obj->progs[0].insn_cnt, ==, tc->insn_cnt);
		g_assert_cmpuint(obj->progs[0].main_cnt, ==, tc->insn_cnt);
		g_assert_true(bpfs_object_find_prog(obj, NULL, &err) == &obj->progs[0]);
		g_assert_null(bpfs_prog_load_error(obj, &obj->progs[0]));
	}
	if (tc->insn_cnt == 3) {
		g_assert_cmpint(obj->progs[0].insns[0].code, ==, BPF_LD | BPF_IMM | BPF_DW);
		g_assert_cmpint(obj->progs[0].insns[0].dst_reg, ==, 1);
		g_assert_cmpint(obj->progs[0].insns[0].imm, ==, -1);
		g_assert_cmpint(obj->progs[0].insns[1].imm, ==, 1);
	}
	bpfs_object_free(obj);
	g_free(bytes);
}

static void test_open_missing(void)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;

	int ret = bpfs_object_open("/nonexistent/x.o", BPFS_FORMAT_AUTO, &obj, &err);

	g_assert_cmpint(ret, <, 0);
	g_assert_cmpint(err.errnum, ==, -ret); /* the error says which errno */
	g_assert_null(obj);
	g_assert_nonnull(strstr(err.msg, "/nonexistent/x.o"));
}

/* ---------------------------------------------------------------------- */
/* Conformance .data files                                                */

struct data_case {
	const char *name;
	const char *text;
	int ok;
	const char *msg; /* failure substring */
};

static const struct data_case data_cases[] = {
    {"basic", "# comment\n-- asm\nmov32 %r0, 1 # one\nexit\n-- mem\n11 22\n  33\n-- result\n0x10\n", 1, NULL},
    {"raw-ok", "-- asm\nmov %r0, 1\nexit\n-- raw\n0x00000001000000b7\n0x0000000000000095\n-- result\n1\n", 1,
     NULL},
    {"raw-bad", "-- asm\nmov %r0, 1\nexit\n-- raw\n0x00000002000000b7\n0x0000000000000095\n", 0,
     "instruction 0 is 0x00000002000000b7 in '-- raw'"},
    {"raw-count", "-- asm\nexit\n-- raw\n0x95\n0x95\n", 0, "'-- raw' has 2 instructions"},
    {"error", "-- asm\nexit\n-- error\nsomething went\nwrong\n-- c\nint x;\n-- no register offset\nfoo\n", 1,
     NULL},
    {"bad-mem", "-- asm\nexit\n-- mem\n1g\n", 0, "bad mem byte '1g'"},
    {"bad-result", "-- asm\nexit\n-- result\nabc\n", 0, "bad result 'abc'"},
    {"no-asm", "-- asm\n# nothing\n-- result\n0\n", 0, "'-- asm' section is empty"},
};

static void test_data(gconstpointer data)
{
	const struct data_case *tc = data;
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;
	int ret;

	ret = bpfs_object_open_mem(tc->text, strlen(tc->text), "t.data", BPFS_FORMAT_AUTO, &obj, &err);
	if (!tc->ok) {
		g_assert_cmpint(ret, <, 0);
		if (!strstr(err.msg, tc->msg))
			g_error("expected '%s' in '%s'", tc->msg, err.msg);
		return;
	}
	if (ret)
		g_error("%s", err.msg);
	g_assert_cmpint(obj->format, ==, BPFS_FORMAT_CONFORMANCE);
	g_assert_nonnull(obj->conformance);
	if (!strcmp(tc->name, "basic")) {
		g_assert_cmpuint(obj->conformance->mem_len, ==, 3);
		g_assert_cmpint(obj->conformance->mem[2], ==, 0x33);
		g_assert_true(obj->conformance->has_result);
		g_assert_cmpuint(obj->conformance->result, ==, 0x10);
		g_assert_cmpuint(obj->progs[0].insn_cnt, ==, 2);
	} else if (!strcmp(tc->name, "raw-ok")) {
		g_assert_true(obj->conformance->has_raw);
	} else if (!strcmp(tc->name, "error")) {
		g_assert_cmpstr(obj->conformance->error, ==, "something went wrong");
		g_assert_false(obj->conformance->has_result);
	}
	bpfs_object_free(obj);
}

static void test_conformance_dir(void)
{
	char *dir = tu_shared_path_or_skip("conformance");
	GString *bad = g_string_new(NULL);
	const char *name;
	GDir *d;
	int n = 0;

	if (!dir)
		goto out;
	d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		struct bpfs_object *obj = NULL;
		struct bpfs_err err;
		char *path;

		if (!g_str_has_suffix(name, ".data"))
			continue;
		path = g_build_filename(dir, name, NULL);
		if (bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err))
			g_string_append_printf(bad, "  %s\n", err.msg);
		else if (obj->format != BPFS_FORMAT_CONFORMANCE || obj->prog_cnt != 1 ||
			 (!obj->conformance->has_result && !obj->conformance->error))
			g_string_append_printf(bad, "  %s: no program or no expected outcome\n", name);
		bpfs_object_free(obj);
		g_free(path);
		n++;
	}
	g_dir_close(d);
	g_assert_cmpint(n, >, 0);
	if (bad->len)
		g_error("conformance files that do not load:\n%s", bad->str);
out:
	g_string_free(bad, TRUE);
	g_free(dir);
}

/* ---------------------------------------------------------------------- */
/* Malformed ELF objects, built here                                      */

/*
 * A minimal valid object: section "xdp" with `r1 = m ll; r0 = 0; exit`,
 * its relocation, a legacy "maps" record, symbols, license, and
 * optionally ".maps" with a .BTF section whose header offsets are given.
 */
enum { S_NULL, S_XDP, S_REL, S_MAPS, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_LICENSE, S_DOTMAPS, S_BTF, S_NUM };

struct elf_opts {
	bool btf;
	uint32_t btf_type_off, btf_type_len, btf_str_off, btf_str_len;
};

struct elf_img {
	GByteArray *b;
	size_t shoff;
	size_t nsec;
};

static size_t put(GByteArray *b, const void *p, size_t n)
{
	size_t off;

	while (b->len % 8)
		g_byte_array_append(b, (const guint8 *)"", 1);
	off = b->len;
	g_byte_array_append(b, p, (guint)n);
	return off;
}

static Elf64_Shdr *shdr(struct elf_img *img, size_t i)
{
	return (Elf64_Shdr *)(img->b->data + img->shoff + i * sizeof(Elf64_Shdr));
}

static Elf64_Ehdr *ehdr(struct elf_img *img)
{
	return (Elf64_Ehdr *)img->b->data;
}

static void build_elf(struct elf_img *img, const struct elf_opts *o)
{
	static const char shstr[] = "\0xdp\0.relxdp\0maps\0.symtab\0.strtab\0.shstrtab\0license\0.maps\0.BTF";
	static const char str[] = "\0prog\0m\0bm";
	const uint8_t code[] = {
	    0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* r1 = m ll */
	    0xb7, 0x00, 0, 0, 0, 0, 0, 0,			  /* r0 = 0 */
	    0x95, 0x00, 0, 0, 0, 0, 0, 0,			  /* exit */
	};
	const uint32_t mapdef[5] = {BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0};
	Elf64_Rel rel = {.r_offset = 0, .r_info = ELF64_R_INFO(2, 1)};
	Elf64_Sym syms[4] = {
	    {0},
	    {.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = S_XDP, .st_size = 32},
	    {.st_name = 6,
	     .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
	     .st_shndx = S_MAPS,
	     .st_size = 20},
	    {.st_name = 8, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = S_DOTMAPS},
	};
	uint8_t btf[24 + 16] = {0x9f, 0xeb, 1, 0};
	uint32_t btf_hdr[5] = {24, o->btf_type_off, o->btf_type_len, o->btf_str_off, o->btf_str_len};
	Elf64_Ehdr eh = {0};
	Elf64_Shdr sh[S_NUM] = {{0}};
	uint32_t name_off[S_NUM] = {0, 1, 5, 13, 18, 26, 34, 44, 52, 58};
	size_t nsec = o->btf ? S_NUM : S_DOTMAPS;

	memcpy(btf + 4, btf_hdr, sizeof(btf_hdr));
	img->b = g_byte_array_new();
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_REL;
	eh.e_machine = EM_BPF;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = (uint16_t)nsec;
	eh.e_shstrndx = S_SHSTRTAB;
	put(img->b, &eh, sizeof(eh));
	sh[S_XDP] = (Elf64_Shdr){.sh_type = SHT_PROGBITS,
				 .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
				 .sh_offset = put(img->b, code, sizeof(code)),
				 .sh_size = sizeof(code)};
	sh[S_REL] = (Elf64_Shdr){.sh_type = SHT_REL,
				 .sh_link = S_SYMTAB,
				 .sh_info = S_XDP,
				 .sh_offset = put(img->b, &rel, sizeof(rel)),
				 .sh_size = sizeof(rel),
				 .sh_entsize = sizeof(rel)};
	sh[S_MAPS] = (Elf64_Shdr){.sh_type = SHT_PROGBITS,
				  .sh_flags = SHF_ALLOC | SHF_WRITE,
				  .sh_offset = put(img->b, mapdef, sizeof(mapdef)),
				  .sh_size = sizeof(mapdef)};
	sh[S_SYMTAB] =
	    (Elf64_Shdr){.sh_type = SHT_SYMTAB,
			 .sh_link = S_STRTAB,
			 .sh_info = 1,
			 .sh_offset = put(img->b, syms, sizeof(syms) - (o->btf ? 0 : sizeof(syms[0]))),
			 .sh_size = sizeof(syms) - (o->btf ? 0 : sizeof(syms[0])),
			 .sh_entsize = sizeof(Elf64_Sym)};
	sh[S_STRTAB] = (Elf64_Shdr){
	    .sh_type = SHT_STRTAB, .sh_offset = put(img->b, str, sizeof(str)), .sh_size = sizeof(str)};
	sh[S_SHSTRTAB] = (Elf64_Shdr){
	    .sh_type = SHT_STRTAB, .sh_offset = put(img->b, shstr, sizeof(shstr)), .sh_size = sizeof(shstr)};
	sh[S_LICENSE] =
	    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_offset = put(img->b, "GPL", 4), .sh_size = 4};
	sh[S_DOTMAPS] =
	    (Elf64_Shdr){.sh_type = SHT_PROGBITS, .sh_offset = put(img->b, mapdef, 8), .sh_size = 8};
	sh[S_BTF] = (Elf64_Shdr){
	    .sh_type = SHT_PROGBITS, .sh_offset = put(img->b, btf, sizeof(btf)), .sh_size = sizeof(btf)};
	for (size_t i = 1; i < S_NUM; i++)
		sh[i].sh_name = name_off[i];
	img->shoff = put(img->b, sh, nsec * sizeof(Elf64_Shdr));
	img->nsec = nsec;
	ehdr(img)->e_shoff = img->shoff;
}

enum elf_mut {
	M_NONE,
	M_TRUNC_HDR,
	M_MACHINE,
	M_CLASS32,
	M_BIGENDIAN,
	M_SHOFF,
	M_SHNUM,
	M_RELOFF,
	M_RELALIGN,
	M_RELSYM,
	M_HUGE_SIZE,
	M_SYM_STRTAB,
	M_FUNC_SIZE,
	M_RELSEC,
	M_NOT_LDIMM,
	M_EXTERN,
	M_BTF,
};

struct elf_case {
	const char *name;
	enum elf_mut mut;
	struct elf_opts opts;
	const char *msg; /* NULL: loads */
};

static const struct elf_case elf_cases[] = {
    {"valid", M_NONE, {0}, NULL},
    {"truncated-header", M_TRUNC_HDR, {0}, "t.o: truncated ELF header (40 bytes)"},
    {"wrong-machine", M_MACHINE, {0}, "t.o: not a BPF ELF object (e_machine 62)"},
    {"class32", M_CLASS32, {0}, "t.o: not a 64-bit ELF object (class 1)"},
    {"big-endian", M_BIGENDIAN, {0}, "t.o: not a little-endian ELF object"},
    {"shoff-outside", M_SHOFF, {0}, "section header table at offset 0x100000 is outside the file"},
    {"shnum-outside", M_SHNUM, {0}, "section header table (200 entries"},
    {"reloc-outside", M_RELOFF, {0}, "section 'xdp': relocation 0 at offset 0x1f8 is outside the section"},
    {"reloc-misaligned", M_RELALIGN, {0}, "relocation 0 at offset 0x4 is not on an instruction boundary"},
    {"reloc-symbol", M_RELSYM, {0}, "relocation 0 at offset 0x0 names symbol 77, the symbol table has 3"},
    {"huge-size",
     M_HUGE_SIZE,
     {0},
     "section 'xdp' (offset 0x40, size 0x7fffffffffff0000) is outside the file"},
    {"symtab-link", M_SYM_STRTAB, {0}, "section '.symtab': string table index 99 is invalid"},
    {"func-size", M_FUNC_SIZE, {0}, "function 'prog' (offset 0x0, size 0x1000) does not fit the section"},
    {"relsec-info", M_RELSEC, {0}, "section '.relxdp': target section 42 is out of range"},
    {"reloc-not-ldimm64", M_NOT_LDIMM, {0}, "relocation 0 at offset 0x10 is on instruction 0xb7"},
    {"btf-no-datasec", M_NONE, {true, 0, 0, 0, 16}, "section '.maps': no BTF description"},
    {"btf-bad-types", M_BTF, {true, 8, 4096, 0, 16}, "section '.BTF': Invalid BTF data sections layout: type data at 8 + 4096, strings data at 0 + 16"},
    {"btf-bad-strings",
     M_BTF,
     {true, 0, 0, 0xfffffff0, 0x20},
     "section '.BTF': Invalid BTF total size: 40"},
    {"btf-truncated-type", M_BTF, {true, 0, 8, 8, 8}, "section '.BTF': BTF types data is malformed"},
    {"extern", M_EXTERN, {0}, NULL},
};

static void mutate(struct elf_img *img, enum elf_mut m, size_t *len)
{
	Elf64_Rel *rel = (Elf64_Rel *)(img->b->data + shdr(img, S_REL)->sh_offset);
	Elf64_Sym *sym = (Elf64_Sym *)(img->b->data + shdr(img, S_SYMTAB)->sh_offset);

	switch (m) {
	case M_TRUNC_HDR:
		*len = 40;
		break;
	case M_MACHINE:
		ehdr(img)->e_machine = EM_X86_64;
		break;
	case M_CLASS32:
		ehdr(img)->e_ident[EI_CLASS] = ELFCLASS32;
		break;
	case M_BIGENDIAN:
		ehdr(img)->e_ident[EI_DATA] = ELFDATA2MSB;
		break;
	case M_SHOFF:
		ehdr(img)->e_shoff = 0x100000;
		break;
	case M_SHNUM:
		ehdr(img)->e_shnum = 200;
		break;
	case M_RELOFF:
		rel->r_offset = 0x1f8;
		break;
	case M_RELALIGN:
		rel->r_offset = 4;
		break;
	case M_RELSYM:
		rel->r_info = ELF64_R_INFO(77, 1);
		break;
	case M_HUGE_SIZE:
		shdr(img, S_XDP)->sh_size = 0x7fffffffffff0000ull;
		break;
	case M_SYM_STRTAB:
		shdr(img, S_SYMTAB)->sh_link = 99;
		break;
	case M_FUNC_SIZE:
		sym[1].st_size = 0x1000;
		break;
	case M_RELSEC:
		shdr(img, S_REL)->sh_info = 42;
		break;
	case M_NOT_LDIMM:
		rel->r_offset = 16;
		break;
	case M_EXTERN:
		sym[2].st_shndx = SHN_UNDEF;
		shdr(img, S_MAPS)->sh_type = SHT_NOTE; /* no map section left */
		break;
	default:
		break;
	}
}

static void test_elf(gconstpointer data)
{
	const struct elf_case *tc = data;
	struct bpfs_object *obj = NULL;
	struct elf_img img;
	struct bpfs_err err;
	size_t len;
	int ret;

	build_elf(&img, &tc->opts);
	len = img.b->len;
	mutate(&img, tc->mut, &len);
	ret = bpfs_object_open_mem(img.b->data, len, "t.o", BPFS_FORMAT_AUTO, &obj, &err);
	if (tc->msg) {
		g_assert_cmpint(ret, <, 0);
		g_assert_null(obj);
		if (!strstr(err.msg, tc->msg))
			g_error("expected '%s' in '%s'", tc->msg, err.msg);
		goto out;
	}
	if (ret)
		g_error("%s", err.msg);
	g_assert_cmpint(obj->format, ==, BPFS_FORMAT_ELF);
	g_assert_cmpstr(obj->license, ==, "GPL");
	g_assert_cmpuint(obj->prog_cnt, ==, 1);
	g_assert_cmpstr(obj->progs[0].section, ==, "xdp");
	g_assert_cmpstr(obj->progs[0].name, ==, "prog");
	g_assert_cmpuint(obj->progs[0].main_cnt, ==, 4);
	if (tc->mut == M_EXTERN) {
		const char *why = bpfs_prog_load_error(obj, &obj->progs[0]);

		g_assert_nonnull(why);
		g_assert_nonnull(strstr(why, "section 'xdp': unresolved extern symbol 'm'"));
		g_assert_cmpint(obj->progs[0].insns[0].src_reg, ==, BPF_PSEUDO_BTF_ID);
		goto out;
	}
	g_assert_null(bpfs_prog_load_error(obj, &obj->progs[0]));
	g_assert_cmpuint(obj->map_cnt, ==, 1);
	g_assert_cmpstr(obj->maps[0].name, ==, "m");
	g_assert_cmpuint(obj->maps[0].type, ==, BPF_MAP_TYPE_ARRAY);
	g_assert_cmpuint(obj->maps[0].value_size, ==, 8);
	g_assert_cmpuint(obj->maps[0].max_entries, ==, 16);
	g_assert_cmpint(obj->progs[0].insns[0].src_reg, ==, BPF_PSEUDO_MAP_FD);
	g_assert_cmpint(obj->progs[0].insns[0].imm, ==, 0);
	g_assert_true(bpfs_object_find_prog(obj, "xdp", &err) == &obj->progs[0]);
	g_assert_true(bpfs_object_find_prog(obj, "prog", &err) == &obj->progs[0]);
	g_assert_true(bpfs_object_find_prog(obj, "xdp/prog", &err) == &obj->progs[0]);
	g_assert_null(bpfs_object_find_prog(obj, "tc", &err));
	g_assert_nonnull(strstr(err.msg, "no program 'tc'; name one of: xdp"));
out:
	bpfs_object_free(obj);
	g_byte_array_unref(img.b);
}

/* Every truncation of a valid object fails cleanly or loads. */
static void test_elf_truncations(void)
{
	struct elf_opts o = {true, 0, 0, 0, 16};
	struct elf_img img;

	build_elf(&img, &o);
	for (size_t len = 0; len <= img.b->len; len++) {
		struct bpfs_object *obj = NULL;
		struct bpfs_err err;

		if (bpfs_object_open_mem(img.b->data, len, "t.o", BPFS_FORMAT_ELF, &obj, &err) == 0)
			bpfs_object_free(obj);
		else
			g_assert_true(g_str_has_prefix(err.msg, "t.o"));
	}
	g_byte_array_unref(img.b);
}

/* ---------------------------------------------------------------------- */
/* The corpus against the kernel's program list                          */

struct tsv_row {
	char *section, *function, *verdict;
	size_t insn_count;
	bool matched;
};

/* Objects where the kernel list has no programs for a reason that is not
 * the loader's: the kernel refused to create one of its maps. */
static const char *const kernel_only_failures[] = {
    "invalid/af99e766f6ba44fd7f2135c3e325c817224b99a3",
};

static GHashTable *read_tsv(const char *path)
{
	GHashTable *t =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	char *text = NULL, **lines;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (size_t i = 1; lines[i]; i++) {
		char **f = g_strsplit(lines[i], "\t", -1);
		GPtrArray *rows;

		if (g_strv_length(f) >= 9) {
			rows = g_hash_table_lookup(t, f[0]);
			if (!rows) {
				rows = g_ptr_array_new_with_free_func(g_free);
				g_hash_table_insert(t, g_strdup(f[0]), rows);
			}
			if (*f[1]) {
				struct tsv_row *r =
				    g_malloc0(sizeof(*r) + strlen(f[1]) + strlen(f[6]) + strlen(f[3]) + 3);

				r->section = (char *)(r + 1);
				strcpy(r->section, f[1]);
				r->function = r->section + strlen(f[1]) + 1;
				strcpy(r->function, f[6]);
				r->verdict = r->function + strlen(f[6]) + 1;
				strcpy(r->verdict, f[3]);
				r->insn_count = strtoul(f[2], NULL, 10);
				g_ptr_array_add(rows, r);
			}
		}
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(text);
	return t;
}

/* The row for prog: same section and count, and same function name
 * unless the list has none (objects without function symbols). */
static struct tsv_row *match_row(GPtrArray *rows, const struct bpfs_prog *p)
{
	for (int pass = 0; pass < 2; pass++) {
		for (guint i = 0; i < rows->len; i++) {
			struct tsv_row *r = rows->pdata[i];

			if (r->matched || strcmp(r->section, p->section) || r->insn_count != p->main_cnt)
				continue;
			if (pass == 0 ? !strcmp(r->function, p->name) : !*r->function)
				return r;
		}
	}
	return NULL;
}

static void check_object(const char *rel, const char *path, GPtrArray *rows, GString *bad, int *progs)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;

	if (bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err)) {
		if (!g_str_has_prefix(err.msg, path))
			g_string_append_printf(bad, "%s: message does not name the object: %s\n", rel,
					       err.msg);
		if (rows && rows->len)
			g_string_append_printf(bad,
					       "%s: does not load (%s), the kernel list has %u programs\n",
					       rel, err.msg, rows->len);
		return;
	}
	if (!rows || !rows->len) {
		bool known = false;

		for (size_t i = 0; i < G_N_ELEMENTS(kernel_only_failures); i++)
			known |= !strcmp(rel, kernel_only_failures[i]);
		if (!known)
			g_string_append_printf(bad, "%s: loads %zu programs, the kernel list has none\n", rel,
					       obj->prog_cnt);
		goto out;
	}
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		const struct bpfs_prog *p = &obj->progs[i];
		struct tsv_row *r = match_row(rows, p);

		g_assert_cmpuint(p->insn_cnt, >=, p->main_cnt);
		if (!r) {
			g_string_append_printf(bad,
					       "%s: program %s/%s (%zu insns) is not in the kernel list\n",
					       rel, p->section, p->name, p->main_cnt);
			continue;
		}
		r->matched = true;
		if (bpfs_prog_load_error(obj, p) && strcmp(r->verdict, "load_error"))
			g_string_append_printf(
			    bad, "%s: %s/%s: load error '%s' but the kernel verdict is %s\n", rel, p->section,
			    p->name, bpfs_prog_load_error(obj, p), r->verdict);
		(*progs)++;
	}
	for (guint i = 0; i < rows->len; i++) {
		struct tsv_row *r = rows->pdata[i];

		if (!r->matched)
			g_string_append_printf(bad, "%s: kernel program %s/%s (%zu insns) not loaded\n", rel,
					       r->section, r->function, r->insn_count);
	}
out:
	bpfs_object_free(obj);
}

static void walk(const char *root, const char *rel, GHashTable *tsv, GString *bad, int *objs, int *progs)
{
	char *dir = g_build_filename(root, rel, NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		char *r = *rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
		char *path = g_build_filename(root, r, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			walk(root, r, tsv, bad, objs, progs);
		else if (strcmp(name, "README.md")) {
			check_object(r, path, g_hash_table_lookup(tsv, r), bad, progs);
			(*objs)++;
		}
		g_free(path);
		g_free(r);
	}
	g_dir_close(d);
	g_free(dir);
}

static void test_corpus(void)
{
	char *root = tu_shared_path_or_skip("corpus/ebpf-samples");
	char *tsv_path = NULL;
	GHashTable *tsv;
	GString *bad;
	int objs = 0, progs = 0;

	if (!root)
		return;
	tsv_path = tu_shared_path_or_skip("corpus/kernel-verdicts.tsv");
	if (!tsv_path) {
		g_free(root);
		return;
	}
	tsv = read_tsv(tsv_path);
	bad = g_string_new(NULL);
	walk(root, "", tsv, bad, &objs, &progs);
	g_test_message("%d objects, %d programs agree with the kernel list", objs, progs);
	g_assert_cmpint(objs, >, 100);
	if (bad->len)
		g_error("disagreements with kernel-verdicts.tsv:\n%s", bad->str);
	g_string_free(bad, TRUE);
	g_hash_table_unref(tsv);
	g_free(tsv_path);
	g_free(root);
}

/* ---------------------------------------------------------------------- */
/* A C program compiled now                                               */

static const char c_source[] =
    "#define SEC(n) __attribute__((section(n), used))\n"
    "#define __uint(name, val) int (*name)[val]\n"
    "#define __type(name, val) typeof(val) *name\n"
    "struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };\n"
    "struct bpf_map_def SEC(\"maps\") legacy = { 1, 4, 8, 16, 0 };\n"
    "struct { __uint(type, 2); __uint(max_entries, 4); __type(key, int); __type(value, long); }\n"
    "	btfmap SEC(\".maps\");\n"
    "const volatile int cfg = 7;\n"
    "static void *(*lookup)(void *map, const void *key) = (void *)1;\n"
    "static __attribute__((noinline)) int sub(int x) { return x * cfg + 1; }\n"
    "SEC(\"xdp\") int prog_a(void *ctx) { int k = 0; long *v = lookup(&btfmap, &k); return sub(v ? (int)*v : "
    "1); }\n"
    "SEC(\"tc\") int prog_b(void *ctx) { int k = 1; void *v = lookup(&legacy, &k); return sub(v ? 2 : 3); }\n"
    "char _license[] SEC(\"license\") = \"GPL\";\n";

static int map_index(const struct bpfs_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->map_cnt; i++) {
		if (!strcmp(obj->maps[i].name, name))
			return (int)i;
	}
	return -1;
}

/* The program's call into sub: it must land right after its own code, and
 * sub's .rodata load must have been relocated. */
static void check_clang_prog(const struct bpfs_object *obj, const struct bpfs_prog *p, int map)
{
	int rodata = map_index(obj, ".rodata");
	bool call = false, mapref = false, value = false;

	g_assert_cmpuint(p->insn_cnt, >, p->main_cnt);
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) {
			g_assert_cmpint((int64_t)i + 1 + in->imm, ==, (int64_t)p->main_cnt);
			call = true;
		}
		if (bpfs_insn_is_ldimm64(in) && in->src_reg == BPF_PSEUDO_MAP_FD) {
			g_assert_cmpint(in->imm, ==, map);
			mapref = true;
		}
		if (bpfs_insn_is_ldimm64(in) && in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			g_assert_cmpuint(i, >=, p->main_cnt);
			g_assert_cmpint(in->imm, ==, rodata);
			g_assert_cmpint(in[1].imm, ==, 0);
			value = true;
		}
	}
	g_assert_true(call && mapref && value);
}

static void test_clang(void)
{
	char *clang = g_find_program_in_path("clang");
	char *dir = NULL, *src = NULL, *out = NULL, *cmd = NULL, *errs = NULL;
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;
	int legacy, btfmap, rodata;

	if (!clang) {
		g_test_skip("clang is not installed");
		return;
	}
	dir = g_dir_make_tmp("bpfs-load-XXXXXX", NULL);
	g_assert_nonnull(dir);
	src = g_build_filename(dir, "t.bpf.c", NULL);
	out = g_build_filename(dir, "t.o", NULL);
	g_assert_true(g_file_set_contents(src, c_source, -1, NULL));
	cmd = g_strdup_printf("%s -target bpf -O2 -g -c %s -o %s", clang, src, out);
	if (tu_run(cmd, NULL, &errs) != 0)
		g_error("%s failed: %s", cmd, errs ? errs : "");
	if (bpfs_object_open(out, BPFS_FORMAT_AUTO, &obj, &err))
		g_error("%s", err.msg);
	g_assert_cmpstr(obj->license, ==, "GPL");
	g_assert_cmpuint(obj->prog_cnt, ==, 2);
	legacy = map_index(obj, "legacy");
	btfmap = map_index(obj, "btfmap");
	rodata = map_index(obj, ".rodata");
	g_assert_cmpint(legacy, >=, 0);
	g_assert_cmpint(btfmap, >=, 0);
	g_assert_cmpint(rodata, >=, 0);
	g_assert_cmpuint(obj->maps[legacy].type, ==, BPF_MAP_TYPE_HASH);
	g_assert_cmpuint(obj->maps[legacy].value_size, ==, 8);
	g_assert_cmpuint(obj->maps[btfmap].type, ==, BPF_MAP_TYPE_ARRAY);
	g_assert_cmpuint(obj->maps[btfmap].key_size, ==, 4);
	g_assert_cmpuint(obj->maps[btfmap].value_size, ==, 8);
	g_assert_cmpuint(obj->maps[btfmap].max_entries, ==, 4);
	g_assert_true(obj->maps[rodata].internal);
	g_assert_cmpuint(obj->maps[rodata].value_size, ==, 4);
	g_assert_cmpint(*(int *)obj->maps[rodata].init_data, ==, 7);
	check_clang_prog(obj, bpfs_object_find_prog(obj, "xdp", &err), btfmap);
	check_clang_prog(obj, bpfs_object_find_prog(obj, "prog_b", &err), legacy);
	g_assert_null(bpfs_object_find_prog(obj, NULL, &err));
	g_assert_nonnull(strstr(err.msg, "has 2 programs; name one of: xdp, tc"));
	bpfs_object_free(obj);
	g_remove(out);
	g_remove(src);
	g_rmdir(dir);
	g_free(errs);
	g_free(cmd);
	g_free(out);
	g_free(src);
	g_free(dir);
	g_free(clang);
}

int main(int argc, char **argv)
{
	char name[128];

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(raw_cases); i++) {
		snprintf(name, sizeof(name), "/load/raw/%s", raw_cases[i].name);
		g_test_add_data_func(name, &raw_cases[i], test_raw);
	}
	g_test_add_func("/load/open-missing", test_open_missing);
	for (size_t i = 0; i < G_N_ELEMENTS(data_cases); i++) {
		snprintf(name, sizeof(name), "/load/data/%s", data_cases[i].name);
		g_test_add_data_func(name, &data_cases[i], test_data);
	}
	g_test_add_func("/load/data/conformance-dir", test_conformance_dir);
	for (size_t i = 0; i < G_N_ELEMENTS(elf_cases); i++) {
		snprintf(name, sizeof(name), "/load/elf/%s", elf_cases[i].name);
		g_test_add_data_func(name, &elf_cases[i], test_elf);
	}
	g_test_add_func("/load/elf/truncations", test_elf_truncations);
	g_test_add_func("/load/corpus", test_corpus);
	g_test_add_func("/load/clang", test_clang);
	return g_test_run();
}
