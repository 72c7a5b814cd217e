/* SPDX-License-Identifier: MIT */
/*
 * ELF object loader: ELF64 little-endian EM_BPF relocatable objects as
 * clang -target bpf, iproute2/cilium and the old samples/bpf build them.
 *
 * What becomes what (libbpf's model, re-derived from its documented
 * behaviour):
 *  - every executable section of non-zero size holds programs: one per
 *    function symbol in it, or the whole section when it has none (old
 *    objects name programs with NOTYPE symbols). `.text` holds only
 *    subprograms, unless it is the only code, when its global functions
 *    are the programs;
 *  - a local call (or an LD_IMM64 of a function's address) into another
 *    function appends that function, once, after the program's own code,
 *    transitively, and the call's imm is fixed to the new relative offset;
 *  - maps come from the legacy `maps` section (records of 5..9 u32: the
 *    libbpf, samples/bpf and iproute2 layouts share the first five), from
 *    `maps/NAME` sections (one record each), from BTF-described `.maps`,
 *    and `.rodata*`, `.data*`, `.bss*` become one-element array maps;
 *  - relocations on LD_IMM64 against a map symbol give src_reg
 *    BPF_PSEUDO_MAP_FD with imm the map index; against a data section,
 *    BPF_PSEUDO_MAP_VALUE with the second slot's imm the offset inside it.
 *
 * Robustness: the input is untrusted. Every offset, size and index is
 * checked against what contains it before use, fields are read with
 * memcpy (the image has no alignment guarantee), and every failure names
 * the object, the section and the reason. libelf parses the headers only
 * after the section header table has been checked to lie inside the file.
 * No libelf type leaves this file.
 */
#include "ir.h"
#include "load_int.h"

#include <endian.h>
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* Layout assumptions: these records are read straight from the image. */
_Static_assert(sizeof(Elf64_Ehdr) == 64, "Elf64_Ehdr layout");
_Static_assert(sizeof(Elf64_Shdr) == 64, "Elf64_Shdr layout");
_Static_assert(sizeof(Elf64_Sym) == 24, "Elf64_Sym layout");
_Static_assert(sizeof(Elf64_Rel) == 16 && sizeof(Elf64_Rela) == 24, "Elf64_Rel layout");
_Static_assert(sizeof(struct bpf_insn) == 8, "bpf_insn layout");

enum sec_kind {
	SK_OTHER,
	SK_CODE,	/* executable, non-empty */
	SK_LEGACY_MAPS, /* "maps" */
	SK_MAPS_DIR,	/* "maps/NAME": one record */
	SK_BTF_MAPS,	/* ".maps" */
	SK_DATA,	/* .rodata*, .data*, .bss*: internal map */
};

struct rel {
	uint64_t off;
	int64_t addend;
	uint32_t sym;
	size_t idx; /* position in its relocation section, for messages */
};

struct sec {
	const char *name;
	uint32_t type;
	uint64_t flags, size;
	uint32_t link, info;
	const uint8_t *data; /* NULL for SHT_NOBITS */
	enum sec_kind kind;
	int map; /* SK_DATA and SK_MAPS_DIR: map index, else -1 */
	size_t func_first, func_cnt;
	struct rel *rels; /* SK_CODE: sorted by offset */
	size_t nrels;
	char noname[24]; /* name for a section whose name is corrupt */
};

struct func {
	size_t sec;
	size_t start, cnt; /* in instructions */
	const char *name;
	bool global;
	bool hidden; /* STV_HIDDEN: libbpf makes its BTF linkage static */
	bool sized; /* st_size gave the length */
};

/* Where a map lives, to resolve relocations: section and offset. */
struct map_ref {
	size_t sec;
	uint64_t off;
	int idx;
};


struct ctx {
	struct bpfs_object *obj;
	struct bpfs_err *err;
	const uint8_t *image;
	size_t size;
	Elf *elf;
	struct sec *secs;
	size_t nsecs;
	const uint8_t *syms; /* Elf64_Sym records, unaligned */
	size_t nsyms, strtab;
	struct func *funcs;
	size_t nfuncs;
	struct map_ref *mrefs;
	size_t nmrefs;
	size_t text; /* index of .text, 0 when absent or empty */
	/* Program being built. */
	struct bpf_insn *buf;
	size_t cnt, cap;
	long *pos;     /* func -> position in buf, or -1 */
	size_t *order; /* functions in the order they were placed */
	size_t norder;
	char prog_err[300]; /* why it cannot load as is, or "" */
	struct bpfs_extern_use *ext; /* its extern references (ir/core.c resolves them) */
	size_t next, ext_cap;
};

static int fail(struct ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bpfs_err_set(c->err, code, -1, "%s: %s", c->obj->path, msg);
}

static int oom(struct ctx *c)
{
	return fail(c, ENOMEM, "out of memory");
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/* ---------------------------------------------------------------------- */
/* Headers and sections                                                   */

static int check_ehdr(struct ctx *c)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh0;
	uint64_t shnum;

	if (c->size < EI_NIDENT)
		return fail(c, EINVAL, "truncated ELF header (%zu bytes)", c->size);
	if (c->image[EI_CLASS] != ELFCLASS64)
		return fail(c, EINVAL, "not a 64-bit ELF object (class %u)", c->image[EI_CLASS]);
	if (c->image[EI_DATA] != ELFDATA2LSB)
		return fail(c, EINVAL, "not a little-endian ELF object (data encoding %u)",
			    c->image[EI_DATA]);
	if (c->size < sizeof(eh))
		return fail(c, EINVAL, "truncated ELF header (%zu bytes)", c->size);
	memcpy(&eh, c->image, sizeof(eh));
	/* LLVM before 3.9 wrote EM_NONE into BPF objects. */
	if (eh.e_machine != EM_BPF && eh.e_machine != EM_NONE)
		return fail(c, EINVAL, "not a BPF ELF object (e_machine %u)", eh.e_machine);
	if (eh.e_shoff == 0)
		return fail(c, EINVAL, "no section header table");
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return fail(c, EINVAL, "section header size %u, expected %zu", eh.e_shentsize,
			    sizeof(Elf64_Shdr));
	if (eh.e_shoff > c->size || c->size - eh.e_shoff < sizeof(sh0))
		return fail(c, EINVAL, "section header table at offset 0x%" PRIx64 " is outside the file",
			    (uint64_t)eh.e_shoff);
	/* libelf hands out pointers into the image: keep them aligned. */
	if (eh.e_shoff % 8)
		return fail(c, EINVAL, "section header table at offset 0x%" PRIx64 " is misaligned",
			    (uint64_t)eh.e_shoff);
	memcpy(&sh0, c->image + eh.e_shoff, sizeof(sh0));
	shnum = eh.e_shnum ? eh.e_shnum : sh0.sh_size;
	if (shnum > (c->size - eh.e_shoff) / sizeof(Elf64_Shdr))
		return fail(c, EINVAL,
			    "section header table (%" PRIu64 " entries at offset 0x%" PRIx64
			    ") is outside the file",
			    shnum, (uint64_t)eh.e_shoff);
	return 0;
}

static enum sec_kind sec_kind_of(const struct sec *s)
{
	static const char *const data[] = {".rodata", ".data", ".bss"};

	if ((s->flags & SHF_EXECINSTR) && s->size > 0)
		return SK_CODE;
	if (s->type != SHT_PROGBITS && s->type != SHT_NOBITS)
		return SK_OTHER;
	if (!strcmp(s->name, "maps"))
		return SK_LEGACY_MAPS;
	if (!strncmp(s->name, "maps/", 5) && s->name[5])
		return SK_MAPS_DIR;
	if (!strcmp(s->name, ".maps"))
		return SK_BTF_MAPS;
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		size_t n = strlen(data[i]);

		if (!strncmp(s->name, data[i], n) && (s->name[n] == '\0' || s->name[n] == '.'))
			return s->size ? SK_DATA : SK_OTHER;
	}
	return SK_OTHER;
}

static int read_sections(struct ctx *c)
{
	size_t shstrndx;
	Elf_Scn *scn;
	Elf64_Shdr *sh;

	if (elf_getshdrnum(c->elf, &c->nsecs) || elf_getshdrstrndx(c->elf, &shstrndx))
		return fail(c, EINVAL, "bad ELF section headers: %s", elf_errmsg(-1));
	if (shstrndx >= c->nsecs)
		return fail(c, EINVAL, "section name table index %zu is out of range", shstrndx);
	c->secs = calloc(c->nsecs ? c->nsecs : 1, sizeof(*c->secs));
	if (!c->secs)
		return oom(c);
	c->secs[0].name = "";
	for (size_t i = 1; i < c->nsecs; i++) {
		struct sec *s = &c->secs[i];

		scn = elf_getscn(c->elf, i);
		sh = scn ? elf64_getshdr(scn) : NULL;
		if (!sh)
			return fail(c, EINVAL, "section %zu: bad header: %s", i, elf_errmsg(-1));
		s->name = elf_strptr(c->elf, shstrndx, sh->sh_name);
		if (!s->name && (sh->sh_flags & SHF_EXECINSTR) && sh->sh_size)
			return fail(c, EINVAL, "section %zu: name offset 0x%x is outside the name table", i,
				    sh->sh_name);
		if (!s->name) {
			/* A section nothing needs by name (debug info, ...). */
			snprintf(s->noname, sizeof(s->noname), "#%zu", i);
			s->name = s->noname;
		}
		s->type = sh->sh_type;
		s->flags = sh->sh_flags;
		s->size = sh->sh_size;
		s->link = sh->sh_link;
		s->info = sh->sh_info;
		s->map = -1;
		if (s->type != SHT_NOBITS && s->size) {
			if (sh->sh_offset > c->size || c->size - sh->sh_offset < s->size)
				return fail(c, EINVAL,
					    "section '%s' (offset 0x%" PRIx64 ", size 0x%" PRIx64
					    ") is outside the file",
					    s->name, (uint64_t)sh->sh_offset, s->size);
			s->data = c->image + sh->sh_offset;
		}
		s->kind = sec_kind_of(s);
		if (s->kind == SK_CODE && s->type == SHT_NOBITS)
			return fail(c, EINVAL, "section '%s': executable section has no contents", s->name);
		if (s->kind == SK_CODE && s->size % sizeof(struct bpf_insn))
			return fail(c, EINVAL, "section '%s': size %" PRIu64 " is not a multiple of 8 bytes",
				    s->name, s->size);
		if (s->kind == SK_CODE && !strcmp(s->name, ".text"))
			c->text = i;
	}
	return 0;
}

static int read_symtab(struct ctx *c)
{
	const struct sec *s = NULL;

	for (size_t i = 1; i < c->nsecs && !s; i++) {
		if (c->secs[i].type == SHT_SYMTAB)
			s = &c->secs[i];
	}
	if (!s)
		return 0; /* no symbols: sections become unnamed programs */
	if (s->size % sizeof(Elf64_Sym))
		return fail(c, EINVAL, "section '%s': size %" PRIu64 " is not a multiple of %zu", s->name,
			    s->size, sizeof(Elf64_Sym));
	if (s->link == 0 || s->link >= c->nsecs || c->secs[s->link].type != SHT_STRTAB)
		return fail(c, EINVAL, "section '%s': string table index %u is invalid", s->name, s->link);
	c->syms = s->data;
	c->nsyms = s->data ? s->size / sizeof(Elf64_Sym) : 0;
	c->strtab = s->link;
	return 0;
}

static Elf64_Sym get_sym(const struct ctx *c, size_t i)
{
	Elf64_Sym sym;

	memcpy(&sym, c->syms + i * sizeof(sym), sizeof(sym));
	return sym;
}

static const char *sym_name(const struct ctx *c, const Elf64_Sym *sym)
{
	const char *n;

	if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION && sym->st_shndx < c->nsecs)
		return c->secs[sym->st_shndx].name;
	n = elf_strptr(c->elf, c->strtab, sym->st_name);
	return n ? n : "";
}

static int read_license(struct ctx *c)
{
	for (size_t i = 1; i < c->nsecs; i++) {
		const struct sec *s = &c->secs[i];

		if (!strcmp(s->name, "license") && s->data) {
			char *l = strndup((const char *)s->data, s->size);

			if (!l)
				return oom(c);
			free(c->obj->license);
			c->obj->license = l;
		} else if (!strcmp(s->name, "version") && s->data) {
			if (s->size != 4)
				return fail(c, EINVAL, "section 'version': size %" PRIu64 ", expected 4",
					    s->size);
			c->obj->kern_version = rd32(s->data);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Maps                                                                   */

static int add_ref(struct ctx *c, size_t sec, uint64_t off, int idx)
{
	struct map_ref *r = realloc(c->mrefs, (c->nmrefs + 1) * sizeof(*r));

	if (!r)
		return oom(c);
	c->mrefs = r;
	r[c->nmrefs++] = (struct map_ref){.sec = sec, .off = off, .idx = idx};
	return 0;
}

static int add_map(struct ctx *c, const char *name, const struct bpfs_map_spec *spec)
{
	int idx = bpfs_obj_add_map(c->obj, name, spec);

	return idx < 0 ? oom(c) : idx;
}

/* One legacy record of rec_size bytes: the first five u32 are common to
 * every layout. Returns the map index. */
static int add_legacy_map(struct ctx *c, size_t sec, uint64_t off, size_t rec_size, const char *name)
{
	const uint8_t *p = c->secs[sec].data + off;
	uint32_t f[5] = {0};
	struct bpfs_map_spec spec = {.inner_map = -1};
	int idx;

	for (size_t i = 0; i < 5 && (i + 1) * 4 <= rec_size; i++)
		f[i] = rd32(p + 4 * i);
	spec.type = f[0];
	spec.key_size = f[1];
	spec.value_size = f[2];
	spec.max_entries = f[3];
	spec.flags = f[4];
	idx = add_map(c, name, &spec);
	if (idx < 0)
		return idx;
	if (add_ref(c, sec, off, idx))
		return -ENOMEM;
	return idx;
}

static bool is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/*
 * Inner maps of legacy map-in-map records. samples/bpf's 24/28-byte
 * record has inner_map_idx at offset 20: an index among the legacy maps.
 * iproute2's 36-byte record has id at 20 and inner_id at 28: the inner map
 * is the one whose id is inner_id.
 */
static void link_legacy_inner(struct ctx *c, size_t first, size_t rec_size, const uint64_t *offs,
			      const size_t *secs)
{
	size_t n = c->obj->map_cnt - first;

	for (size_t i = 0; i < n; i++) {
		struct bpfs_map_spec *m = &c->obj->maps[first + i];
		const uint8_t *p = c->secs[secs[i]].data + offs[i];

		if (!is_map_in_map(m->type))
			continue;
		if ((rec_size == 24 || rec_size == 28) && rd32(p + 20) < n)
			m->inner_map = (int32_t)(first + rd32(p + 20));
		if (rec_size < 36 || rd32(p + 28) == 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j != i && rd32(c->secs[secs[j]].data + offs[j] + 20) == rd32(p + 28))
				m->inner_map = (int32_t)(first + j);
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Map symbols of section sec (objects, not section or file symbols). */
static bool is_map_sym(const Elf64_Sym *sym, size_t sec)
{
	int t = ELF64_ST_TYPE(sym->st_info);

	return sym->st_shndx == sec && t != STT_SECTION && t != STT_FILE;
}

static int load_legacy_maps(struct ctx *c)
{
	uint64_t *offs = NULL;
	size_t *secs = NULL, n = 0, cap = 0, first = c->obj->map_cnt, rec = 0;
	int ret = 0;

	for (size_t s = 1; s < c->nsecs; s++) {
		const struct sec *sec = &c->secs[s];
		size_t nsyms = 0, start = n;

		if (sec->kind != SK_LEGACY_MAPS && sec->kind != SK_MAPS_DIR)
			continue;
		if (!sec->data) {
			ret = fail(c, EINVAL, "section '%s': map section has no contents", sec->name);
			goto out;
		}
		for (size_t i = 0; i < c->nsyms; i++) {
			Elf64_Sym sym = get_sym(c, i);

			nsyms += is_map_sym(&sym, s);
		}
		if (sec->kind == SK_MAPS_DIR)
			nsyms = 1;
		if (nsyms == 0 || sec->size % nsyms || sec->size / nsyms < 4) {
			ret = fail(c, EINVAL,
				   "section '%s': cannot tell the map record size (%" PRIu64
				   " bytes, %zu map symbols)",
				   sec->name, sec->size, nsyms);
			goto out;
		}
		if (rec && rec != sec->size / nsyms) {
			ret =
			    fail(c, EINVAL, "section '%s': map records of %" PRIu64 " bytes, others have %zu",
				 sec->name, sec->size / nsyms, rec);
			goto out;
		}
		rec = sec->size / nsyms;
		if (n + nsyms > cap) {
			uint64_t *o = realloc(offs, (n + nsyms) * sizeof(*offs));
			size_t *x = o ? realloc(secs, (n + nsyms) * sizeof(*secs)) : NULL;

			offs = o ? o : offs;
			secs = x ? x : secs;
			if (!o || !x) {
				ret = oom(c);
				goto out;
			}
			cap = n + nsyms;
		}
		if (sec->kind == SK_MAPS_DIR) {
			offs[n] = 0;
			secs[n++] = s;
			continue;
		}
		for (size_t i = 0; i < c->nsyms; i++) {
			Elf64_Sym sym = get_sym(c, i);

			if (!is_map_sym(&sym, s))
				continue;
			if (sym.st_value % 4 || sym.st_value > sec->size || sec->size - sym.st_value < rec) {
				ret = fail(c, EINVAL,
					   "section '%s': map '%s' at offset 0x%" PRIx64
					   " is outside the section or misaligned",
					   sec->name, sym_name(c, &sym), (uint64_t)sym.st_value);
				goto out;
			}
			offs[n] = sym.st_value;
			secs[n++] = s;
		}
		/* Records in address order, as inner_map_idx counts them. */
		if (n > start)
			qsort(offs + start, n - start, sizeof(*offs), cmp_u64);
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = c->secs[secs[i]].name + (c->secs[secs[i]].kind == SK_MAPS_DIR ? 5 : 0);

		for (size_t j = 0; j < c->nsyms; j++) {
			Elf64_Sym sym = get_sym(c, j);

			if (is_map_sym(&sym, secs[i]) && sym.st_value == offs[i]) {
				name = sym_name(c, &sym);
				break;
			}
		}
		ret = add_legacy_map(c, secs[i], offs[i], rec, name);
		if (ret < 0)
			goto out;
		ret = 0;
	}
	link_legacy_inner(c, first, rec, offs, secs);
out:
	free(offs);
	free(secs);
	return ret;
}

static int load_data_maps(struct ctx *c)
{
	for (size_t s = 1; s < c->nsecs; s++) {
		struct sec *sec = &c->secs[s];
		struct bpfs_map_spec spec = {
		    .type = BPF_MAP_TYPE_ARRAY,
		    .key_size = 4,
		    .max_entries = 1,
		    .inner_map = -1,
		    .internal = true,
		};
		int idx;

		if (sec->kind != SK_DATA)
			continue;
		if (sec->size > UINT32_MAX)
			return fail(c, E2BIG, "section '%s': size %" PRIu64 " is too large for a map",
				    sec->name, sec->size);
		spec.value_size = (uint32_t)sec->size;
		spec.init_size = sec->size;
		if (sec->data) {
			spec.init_data = malloc(sec->size);
			if (!spec.init_data)
				return oom(c);
			memcpy(spec.init_data, sec->data, sec->size);
		}
		if (!strncmp(sec->name, ".rodata", 7))
			spec.flags = BPF_F_RDONLY_PROG;
		idx = add_map(c, sec->name, &spec);
		if (idx < 0)
			return idx;
		sec->map = idx;
	}
	return 0;
}

/* BTF (ir/btf.c reads it)                                                */

/* clang leaves DATASEC offsets to the loader (libbpf fills them in from
 * the symbol table): a map's offset is its symbol's value. */
static uint64_t map_sym_offset(const struct ctx *c, size_t sec, const char *name, uint64_t fallback)
{
	for (size_t i = 1; i < c->nsyms; i++) {
		Elf64_Sym sym = get_sym(c, i);

		if (is_map_sym(&sym, sec) && !strcmp(sym_name(c, &sym), name))
			return sym.st_value;
	}
	return fallback;
}

static int load_btf_maps(struct ctx *c, size_t maps_sec)
{
	struct bpfs_btf_map *maps;
	size_t n;
	int *idx, ret = 0;
	struct bpfs_err e;

	bpfs_err_clear(&e);
	if (bpfs_btf_maps(c->obj->btf, &maps, &n, &e))
		return fail(c, e.errnum ? e.errnum : EINVAL, "%s", e.msg);
	idx = calloc(n ? n : 1, sizeof(*idx));
	if (!idx) {
		free(maps);
		return oom(c);
	}
	for (size_t i = 0; i < n && !ret; i++) {
		struct bpfs_map_spec spec = maps[i].spec;

		spec.inner_map = -1;
		idx[i] = add_map(c, maps[i].name, &spec);
		if (idx[i] < 0) {
			ret = idx[i];
			break;
		}
		if (!maps[i].inner)
			ret = add_ref(c, maps_sec, map_sym_offset(c, maps_sec, maps[i].name, maps[i].offset), idx[i]);
	}
	for (size_t i = 0; i < n && !ret; i++)
		if (maps[i].spec.inner_map >= 0)
			c->obj->maps[idx[i]].inner_map = idx[maps[i].spec.inner_map];
	free(idx);
	free(maps);
	return ret;
}

/* The object's .BTF and .BTF.ext. A broken .BTF is an error only for
 * what needs it (BTF-defined maps): objects whose maps are legacy load,
 * with the reason kept, as libbpf loads them without BTF. */
static int read_btf(struct ctx *c, bool needed)
{
	const struct sec *btf = NULL, *ext = NULL;
	struct bpfs_err e;

	for (size_t s = 1; s < c->nsecs; s++) {
		if (!strcmp(c->secs[s].name, ".BTF") && c->secs[s].data)
			btf = &c->secs[s];
		if (!strcmp(c->secs[s].name, ".BTF.ext") && c->secs[s].data)
			ext = &c->secs[s];
	}
	if (!btf) {
		if (needed)
			return fail(c, EINVAL, "section '.maps': the object has no .BTF section");
		return 0;
	}
	bpfs_err_clear(&e);
	if (bpfs_btf_parse(btf->data, btf->size, ext ? ext->data : NULL, ext ? ext->size : 0, &c->obj->btf, &e)) {
		if (needed)
			return fail(c, EINVAL, "%s", e.msg);
		c->obj->btf_error = strdup(e.msg);
		return c->obj->btf_error ? 0 : oom(c);
	}
	return 0;
}

static int load_maps(struct ctx *c)
{
	size_t maps_sec = 0;
	int ret;

	ret = load_legacy_maps(c);
	if (ret)
		return ret;
	for (size_t s = 1; s < c->nsecs; s++)
		if (c->secs[s].kind == SK_BTF_MAPS)
			maps_sec = s;
	ret = read_btf(c, maps_sec != 0);
	if (ret)
		return ret;
	if (maps_sec) {
		ret = load_btf_maps(c, maps_sec);
		if (ret)
			return ret;
	}
	return load_data_maps(c);
}

/* ---------------------------------------------------------------------- */
/* Relocations                                                            */

static int cmp_rel(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int read_rel_section(struct ctx *c, const struct sec *rs)
{
	size_t ent = rs->type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel), n;
	struct sec *t;
	struct rel *r;

	if (rs->info == 0 || rs->info >= c->nsecs)
		return fail(c, EINVAL, "section '%s': target section %u is out of range", rs->name, rs->info);
	t = &c->secs[rs->info];
	if (t->kind != SK_CODE)
		return 0; /* debug info, BTF, map initialisers: not needed */
	if (rs->size % ent || (rs->size && !rs->data))
		return fail(c, EINVAL, "section '%s': size %" PRIu64 " is not a multiple of %zu", rs->name,
			    rs->size, ent);
	n = rs->size / ent;
	r = realloc(t->rels, (t->nrels + n) * sizeof(*r));
	if (!r && t->nrels + n)
		return oom(c);
	t->rels = r;
	for (size_t i = 0; i < n; i++) {
		Elf64_Rela e = {0};
		struct rel *x = &r[t->nrels + i];

		memcpy(&e, rs->data + i * ent, ent);
		x->off = e.r_offset;
		x->sym = ELF64_R_SYM(e.r_info);
		x->addend = rs->type == SHT_RELA ? e.r_addend : 0;
		x->idx = i;
		if (x->off >= t->size || t->size - x->off < sizeof(struct bpf_insn))
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    " is outside the section",
				    t->name, i, x->off);
		if (x->off % sizeof(struct bpf_insn))
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    " is not on an instruction boundary",
				    t->name, i, x->off);
		if (x->sym == 0 || x->sym >= c->nsyms)
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    " names symbol %u, the symbol table has %zu entries",
				    t->name, i, x->off, x->sym, c->nsyms);
	}
	t->nrels += n;
	return 0;
}

static int read_relocations(struct ctx *c)
{
	int ret;

	for (size_t s = 1; s < c->nsecs; s++) {
		if (c->secs[s].type != SHT_REL && c->secs[s].type != SHT_RELA)
			continue;
		ret = read_rel_section(c, &c->secs[s]);
		if (ret)
			return ret;
	}
	for (size_t s = 1; s < c->nsecs; s++) {
		if (c->secs[s].nrels)
			qsort(c->secs[s].rels, c->secs[s].nrels, sizeof(struct rel), cmp_rel);
	}
	return 0;
}

static const struct rel *find_rel(const struct sec *s, uint64_t off)
{
	size_t lo = 0, hi = s->nrels;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rels[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrels && s->rels[lo].off == off ? &s->rels[lo] : NULL;
}

/* ---------------------------------------------------------------------- */
/* Functions                                                              */

static int cmp_func(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)y->global - (int)x->global; /* aliases: the global one first */
}

/* Name for a section without function symbols: a symbol at offset 0 that
 * is not a compiler label, global ones first; else the section's. */
static const char *section_prog_name(const struct ctx *c, size_t sec)
{
	const char *local = NULL;

	for (size_t i = 1; i < c->nsyms; i++) {
		Elf64_Sym sym = get_sym(c, i);
		int t = ELF64_ST_TYPE(sym.st_info);
		const char *n;

		if (sym.st_shndx != sec || sym.st_value != 0 || (t != STT_NOTYPE && t != STT_FUNC))
			continue;
		n = sym_name(c, &sym);
		if (!*n || !strncmp(n, "LBB", 3) || !strncmp(n, ".L", 2))
			continue;
		if (ELF64_ST_BIND(sym.st_info) == STB_GLOBAL)
			return n;
		local = local ? local : n;
	}
	return local ? local : c->secs[sec].name;
}

static int add_func(struct ctx *c, size_t *cap, const struct func *f)
{
	if (c->nfuncs == *cap) {
		struct func *n = realloc(c->funcs, (*cap ? *cap * 2 : 16) * sizeof(*n));

		if (!n)
			return oom(c);
		c->funcs = n;
		*cap = *cap ? *cap * 2 : 16;
	}
	c->funcs[c->nfuncs++] = *f;
	return 0;
}

static int collect_func_syms(struct ctx *c, size_t *cap)
{
	for (size_t i = 1; i < c->nsyms; i++) {
		Elf64_Sym sym = get_sym(c, i);
		const struct sec *s;
		struct func f = {0};
		int ret;

		if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF ||
		    sym.st_shndx >= c->nsecs || c->secs[sym.st_shndx].kind != SK_CODE)
			continue;
		s = &c->secs[sym.st_shndx];
		f.sec = sym.st_shndx;
		f.name = sym_name(c, &sym);
		f.global = ELF64_ST_BIND(sym.st_info) != STB_LOCAL;
		f.hidden = ELF64_ST_VISIBILITY(sym.st_other) == STV_HIDDEN;
		if (sym.st_value % 8 || sym.st_value >= s->size || sym.st_size % 8 ||
		    sym.st_size > s->size - sym.st_value)
			return fail(c, EINVAL,
				    "section '%s': function '%s' (offset 0x%" PRIx64 ", size 0x%" PRIx64
				    ") does not fit the section",
				    s->name, f.name, (uint64_t)sym.st_value, (uint64_t)sym.st_size);
		f.start = sym.st_value / 8;
		f.cnt = sym.st_size / 8;
		f.sized = sym.st_size != 0;
		ret = add_func(c, cap, &f);
		if (ret)
			return ret;
	}
	return 0;
}

/* Sorts functions, drops aliases, sizes unsized ones up to the next
 * function, checks for overlaps and indexes them per section. */
static int index_funcs(struct ctx *c)
{
	size_t n = 0;

	if (c->nfuncs)
		qsort(c->funcs, c->nfuncs, sizeof(*c->funcs), cmp_func);
	for (size_t i = 0; i < c->nfuncs; i++) {
		if (n && c->funcs[n - 1].sec == c->funcs[i].sec && c->funcs[n - 1].start == c->funcs[i].start)
			continue;
		c->funcs[n++] = c->funcs[i];
	}
	c->nfuncs = n;
	for (size_t i = 0; i < n; i++) {
		struct func *f = &c->funcs[i];
		const struct sec *s = &c->secs[f->sec];
		size_t end = s->size / 8;

		if (i + 1 < n && c->funcs[i + 1].sec == f->sec)
			end = c->funcs[i + 1].start;
		if (!f->sized)
			f->cnt = end - f->start;
		else if (f->start + f->cnt > end)
			return fail(c, EINVAL, "section '%s': functions '%s' and '%s' overlap", s->name,
				    f->name, c->funcs[i + 1].name);
	}
	for (size_t i = 0; i < n; i++) {
		struct sec *s = &c->secs[c->funcs[i].sec];

		if (s->func_cnt++ == 0)
			s->func_first = i;
	}
	return 0;
}

static int collect_funcs(struct ctx *c)
{
	size_t cap = 0;
	int ret;

	ret = collect_func_syms(c, &cap);
	if (ret)
		return ret;
	/* Sections without function symbols are one function each. */
	for (size_t s = 1; s < c->nsecs; s++) {
		struct func f = {.sec = s, .cnt = c->secs[s].size / 8, .sized = true, .global = true};
		bool has = false;

		if (c->secs[s].kind != SK_CODE)
			continue;
		for (size_t i = 0; i < c->nfuncs && !has; i++)
			has = c->funcs[i].sec == s;
		if (has)
			continue;
		f.name = section_prog_name(c, s);
		ret = add_func(c, &cap, &f);
		if (ret)
			return ret;
	}
	return index_funcs(c);
}

/* The function of section sec containing instruction insn, or -1. */
static long func_at(const struct ctx *c, size_t sec, int64_t insn)
{
	const struct sec *s = &c->secs[sec];

	for (size_t i = s->func_first; i < s->func_first + s->func_cnt; i++) {
		const struct func *f = &c->funcs[i];

		if (insn >= (int64_t)f->start && insn < (int64_t)(f->start + f->cnt))
			return (long)i;
	}
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Building a program: own code, relocations, appended subprograms        */

/* Places function fid after the code built so far (once). */
static int place_func(struct ctx *c, size_t fid)
{
	const struct func *f = &c->funcs[fid];
	const uint8_t *src = c->secs[f->sec].data + f->start * 8;

	if (c->pos[fid] >= 0)
		return 0;
	if (c->cnt + f->cnt > BPFS_MAX_INSNS)
		return fail(c, E2BIG, "section '%s': program with subprograms exceeds %u instructions",
			    c->secs[f->sec].name, BPFS_MAX_INSNS);
	if (c->cnt + f->cnt > c->cap) {
		size_t cap = (c->cnt + f->cnt) * 2;
		struct bpf_insn *b = realloc(c->buf, cap * sizeof(*b));

		if (!b)
			return oom(c);
		c->buf = b;
		c->cap = cap;
	}
	for (size_t i = 0; i < f->cnt; i++) {
		struct bpf_insn *d = &c->buf[c->cnt + i];
		const uint8_t *p = src + i * 8;

		d->code = p[0];
		d->dst_reg = p[1] & 0xf;
		d->src_reg = p[1] >> 4;
		d->off = (int16_t)(p[2] | p[3] << 8);
		d->imm = (int32_t)rd32(p + 4);
	}
	c->pos[fid] = (long)c->cnt;
	c->order[c->norder++] = fid;
	c->cnt += f->cnt;
	return 0;
}

/* Points the call or function-address load at buf[at] to instruction
 * target of section sec, placing its function if needed. */
static int link_call(struct ctx *c, size_t at, size_t sec, int64_t target, const char *from)
{
	long fid = func_at(c, sec, target);
	int64_t rel;
	int ret;

	if (fid < 0)
		return fail(c, EINVAL,
			    "section '%s': call at insn %zu goes to insn %" PRId64
			    " of section '%s', which is in no function",
			    from, at, target, c->secs[sec].name);
	ret = place_func(c, (size_t)fid);
	if (ret)
		return ret;
	rel = c->pos[fid] + (target - (int64_t)c->funcs[fid].start) - (int64_t)(at + 1);
	c->buf[at].imm = (int32_t)rel;
	return 0;
}

static const struct map_ref *find_map_ref(const struct ctx *c, size_t sec, uint64_t off)
{
	for (size_t i = 0; i < c->nmrefs; i++) {
		if (c->mrefs[i].sec == sec && c->mrefs[i].off == off)
			return &c->mrefs[i];
	}
	return NULL;
}

/* Relocation r on the LD_IMM64 at buf[at]; from names its section. */
static int reloc_ldimm64(struct ctx *c, size_t at, const struct rel *r, const Elf64_Sym *sym,
			 const char *from)
{
	struct bpf_insn *insn = &c->buf[at];
	const struct sec *t = &c->secs[sym->st_shndx];
	uint64_t off = sym->st_value + (uint64_t)r->addend;
	const struct map_ref *m;

	switch (t->kind) {
	case SK_CODE:
		insn->src_reg = BPF_PSEUDO_FUNC;
		return link_call(c, at, sym->st_shndx, (int64_t)(off + (uint64_t)(int64_t)insn->imm) / 8,
				 from);
	case SK_DATA:
		insn->src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[1].imm = (int32_t)(off + (uint64_t)(int64_t)insn->imm);
		insn->imm = t->map;
		return 0;
	case SK_LEGACY_MAPS:
	case SK_MAPS_DIR:
	case SK_BTF_MAPS:
		if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION)
			off += (uint64_t)(int64_t)insn->imm;
		m = find_map_ref(c, sym->st_shndx, off);
		if (!m)
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    ": no map at offset 0x%" PRIx64 " of section '%s'",
				    from, r->idx, r->off, off, t->name);
		insn->src_reg = BPF_PSEUDO_MAP_FD;
		insn->imm = m->idx;
		return 0;
	default:
		return fail(c, EINVAL,
			    "section '%s': relocation %zu at offset 0x%" PRIx64
			    " refers to '%s' in section '%s', which holds no map",
			    from, r->idx, r->off, sym_name(c, sym), t->name);
	}
}

/* Keeps the reference for bpfs_object_apply_target, which resolves
 * .kconfig and .ksyms externs against a target kernel. */
static int record_extern(struct ctx *c, size_t at, const Elf64_Sym *sym)
{
	struct bpfs_extern_use *u;

	if (c->next == c->ext_cap) {
		size_t cap = c->ext_cap ? c->ext_cap * 2 : 8;

		u = realloc(c->ext, cap * sizeof(*u));
		if (!u)
			return oom(c);
		c->ext = u;
		c->ext_cap = cap;
	}
	u = &c->ext[c->next];
	memset(u, 0, sizeof(*u));
	u->insn = (uint32_t)at;
	u->kind = c->buf[at].code == (BPF_JMP | BPF_CALL) ? BPFS_EXTERN_KFUNC : BPFS_EXTERN_UNKNOWN;
	u->weak = ELF64_ST_BIND(sym->st_info) == STB_WEAK;
	u->name = strdup(sym_name(c, sym));
	if (!u->name)
		return oom(c);
	c->next++;
	return 0;
}

/*
 * An extern (kfunc, ksym, a helper the compiler could not inline): the
 * program is kept with a load error, and the instruction becomes one the
 * verifier rejects, so nothing analyses it as something it is not.
 */
static int unresolved(struct ctx *c, const struct func *f, size_t i, size_t at, const struct rel *r,
		      const Elf64_Sym *sym)
{
	const char *from = c->secs[f->sec].name;
	struct bpf_insn *insn = &c->buf[at];

	if (insn->code == (BPF_JMP | BPF_CALL)) {
		insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
		insn->imm = 0;
	} else if (bpfs_insn_is_ldimm64(insn) && i + 1 < f->cnt) {
		insn->src_reg = BPF_PSEUDO_BTF_ID;
		insn->imm = 0;
		insn[1].imm = 0;
	} else {
		return fail(c, EINVAL,
			    "section '%s': relocation %zu at offset 0x%" PRIx64
			    " against extern '%s' is on instruction 0x%02x, not LD_IMM64 or call",
			    from, r->idx, r->off, sym_name(c, sym), insn->code);
	}
	if (!c->prog_err[0])
		snprintf(c->prog_err, sizeof(c->prog_err), "section '%s': unresolved extern symbol '%s'",
			 from, sym_name(c, sym));
	return record_extern(c, at, sym);
}

static int apply_rel(struct ctx *c, const struct func *f, size_t i, size_t at, const struct rel *r)
{
	const char *from = c->secs[f->sec].name;
	Elf64_Sym sym = get_sym(c, r->sym);
	struct bpf_insn *insn = &c->buf[at];

	if (sym.st_shndx == SHN_UNDEF)
		return unresolved(c, f, i, at, r, &sym);
	if (sym.st_shndx >= c->nsecs)
		return fail(c, EINVAL,
			    "section '%s': relocation %zu at offset 0x%" PRIx64
			    " refers to '%s' in special section 0x%x",
			    from, r->idx, r->off, sym_name(c, &sym), sym.st_shndx);
	if (insn->code == (BPF_JMP | BPF_CALL)) {
		if (c->secs[sym.st_shndx].kind != SK_CODE)
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    ": call to '%s', which is not code",
				    from, r->idx, r->off, sym_name(c, &sym));
		insn->src_reg = BPF_PSEUDO_CALL;
		return link_call(c, at, sym.st_shndx,
				 (int64_t)((sym.st_value + (uint64_t)r->addend) / 8) + insn->imm + 1, from);
	}
	if (bpfs_insn_is_ldimm64(insn)) {
		if (i + 1 >= f->cnt)
			return fail(c, EINVAL,
				    "section '%s': relocation %zu at offset 0x%" PRIx64
				    " is on a truncated LD_IMM64",
				    from, r->idx, r->off);
		return reloc_ldimm64(c, at, r, &sym, from);
	}
	return fail(c, EINVAL,
		    "section '%s': relocation %zu at offset 0x%" PRIx64
		    " is on instruction 0x%02x, not LD_IMM64 or call",
		    from, r->idx, r->off, insn->code);
}

/* Relocates the copy of function fid and links its local calls. */
static int fix_func(struct ctx *c, size_t fid)
{
	const struct func *f = &c->funcs[fid];
	const struct sec *s = &c->secs[f->sec];
	size_t base = (size_t)c->pos[fid];
	int ret = 0;

	for (size_t i = 0; i < f->cnt && !ret; i++) {
		const struct rel *r = find_rel(s, (f->start + i) * 8);
		struct bpf_insn *insn = &c->buf[base + i];
		bool local_call = insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
		bool func_addr = bpfs_insn_is_ldimm64(insn) && insn->src_reg == BPF_PSEUDO_FUNC;

		if (r)
			ret = apply_rel(c, f, i, base + i, r);
		else if (local_call || func_addr)
			/* pc-relative within the section, no relocation needed */
			ret =
			    link_call(c, base + i, f->sec, (int64_t)(f->start + i) + 1 + insn->imm, s->name);
		if (bpfs_insn_is_ldimm64(&c->buf[base + i]))
			i++;
	}
	return ret;
}

/* .BTF.ext records of the program just built: each record of a section
 * whose function was placed in the program, at its place. */
struct ext_walk {
	struct ctx *c;
	struct bpfs_prog *p;
	enum bpfs_btf_ext_kind kind;
	size_t cap;
};

static bool ext_insn(const struct ctx *c, const char *section, uint32_t off, uint32_t *insn)
{
	if (off % 8)
		return false;
	for (size_t k = 0; k < c->norder; k++) {
		const struct func *f = &c->funcs[c->order[k]];

		if (!strcmp(c->secs[f->sec].name, section) && off / 8 >= f->start && off / 8 < f->start + f->cnt) {
			*insn = (uint32_t)((size_t)c->pos[c->order[k]] + off / 8 - f->start);
			return true;
		}
	}
	return false;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *a;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	a = realloc(*arr, *cap * size);
	if (!a)
		return -ENOMEM;
	*arr = a;
	return 0;
}

static int ext_rec(const struct bpfs_btf_ext_rec *r, void *data)
{
	struct ext_walk *w = data;
	const struct bpfs_btf *btf = w->c->obj->btf;
	struct bpfs_prog *p = w->p;
	uint32_t insn;

	if (!ext_insn(w->c, r->section, r->insn_off, &insn))
		return 0;
	switch (w->kind) {
	case BPFS_BTF_EXT_FUNC:
		if (grow((void **)&p->func_info, &w->cap, p->nfunc_info, sizeof(*p->func_info)))
			return -ENOMEM;
		p->func_info[p->nfunc_info++] = (struct bpfs_func_info){insn, r->a};
		break;
	case BPFS_BTF_EXT_LINE:
		if (grow((void **)&p->line_info, &w->cap, p->nline_info, sizeof(*p->line_info)))
			return -ENOMEM;
		p->line_info[p->nline_info++] = (struct bpfs_line_info){insn, bpfs_btf_str(btf, r->a),
									bpfs_btf_str(btf, r->b), r->c >> 10, r->c & 0x3ff};
		break;
	case BPFS_BTF_EXT_CORE:
		if (grow((void **)&p->core_relos, &w->cap, p->ncore_relos, sizeof(*p->core_relos)))
			return -ENOMEM;
		memset(&p->core_relos[p->ncore_relos], 0, sizeof(*p->core_relos));
		p->core_relos[p->ncore_relos].insn = insn;
		p->core_relos[p->ncore_relos].type_id = r->a;
		p->core_relos[p->ncore_relos].access = bpfs_btf_str(btf, r->b);
		p->core_relos[p->ncore_relos++].kind = r->c;
		break;
	}
	return 0;
}

static int by_insn(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b; /* every record starts with its insn */

	return x < y ? -1 : x > y;
}

static int record_ext(struct ctx *c)
{
	struct bpfs_prog *p = &c->obj->progs[c->obj->prog_cnt - 1];

	if (!c->obj->btf)
		return 0;
	for (int k = BPFS_BTF_EXT_FUNC; k <= BPFS_BTF_EXT_CORE; k++) {
		struct ext_walk w = {c, p, (enum bpfs_btf_ext_kind)k, 0};
		struct bpfs_err e;
		int ret;

		bpfs_err_clear(&e);
		ret = bpfs_btf_ext_foreach(c->obj->btf, w.kind, ext_rec, &w, &e);
		if (ret == -ENOMEM)
			return oom(c);
		if (ret && !c->obj->btf_error) /* the records are unusable, the program is not */
			c->obj->btf_error = strdup(e.msg);
	}
	if (p->nfunc_info > 1)
		qsort(p->func_info, p->nfunc_info, sizeof(*p->func_info), by_insn);
	if (p->nline_info > 1)
		qsort(p->line_info, p->nline_info, sizeof(*p->line_info), by_insn);
	if (p->ncore_relos > 1)
		qsort(p->core_relos, p->ncore_relos, sizeof(*p->core_relos), by_insn);
	return 0;
}

/* The functions placed in the program just added, in placement order
 * (which is address order in the program). */
static int record_funcs(struct ctx *c)
{
	uint32_t *starts = malloc((c->norder + 1) * sizeof(*starts));
	const char **names = malloc((c->norder + 1) * sizeof(*names));
	int ret = -ENOMEM;

	if (starts && names) {
		for (size_t k = 0; k < c->norder; k++) {
			starts[k] = (uint32_t)c->pos[c->order[k]];
			names[k] = c->funcs[c->order[k]].name;
		}
		ret = bpfs_obj_set_prog_funcs(c->obj, c->obj->prog_cnt - 1, starts, names, c->norder);
		for (size_t k = 0; !ret && k < c->norder; k++)
			c->obj->progs[c->obj->prog_cnt - 1].funcs[k].hidden = c->funcs[c->order[k]].hidden;
	}
	free(starts);
	free(names);
	return ret;
}

static int build_prog(struct ctx *c, size_t fid)
{
	const struct func *f = &c->funcs[fid];
	const char *section = c->secs[f->sec].name;
	int ret;

	c->cnt = 0;
	c->norder = 0;
	c->prog_err[0] = '\0';
	for (size_t i = 0; i < c->next; i++)
		free(c->ext[i].name);
	c->next = 0;
	for (size_t i = 0; i < c->nfuncs; i++)
		c->pos[i] = -1;
	ret = place_func(c, fid);
	for (size_t k = 0; k < c->norder && !ret; k++)
		ret = fix_func(c, c->order[k]);
	if (ret)
		return ret;
	ret = bpfs_obj_add_prog(c->obj, section, f->name, bpfs_prog_type_from_section(section), c->buf,
				c->cnt, f->cnt);
	c->buf = NULL;
	c->cap = 0;
	if (!ret)
		ret = record_funcs(c);
	if (!ret)
		ret = record_ext(c);
	if (!ret && c->next) {
		struct bpfs_prog *p = &c->obj->progs[c->obj->prog_cnt - 1];

		p->externs = c->ext; /* the object frees the names from now on */
		p->nexterns = c->next;
		c->ext = NULL;
		c->next = c->ext_cap = 0;
	}
	if (!ret && c->prog_err[0])
		ret = bpfs_obj_set_prog_error(c->obj, c->obj->prog_cnt - 1, c->prog_err);
	return ret ? oom(c) : 0;
}

/* Programs: every function of a code section other than .text; the global
 * functions of .text when it is the only code. */
static bool is_prog(const struct ctx *c, size_t fid, bool text_only, bool text_has_global)
{
	const struct func *f = &c->funcs[fid];

	if (f->sec != c->text)
		return true;
	return text_only && (f->global || !text_has_global);
}

static int build_progs(struct ctx *c)
{
	bool text_only = true, text_has_global = false;
	int ret;

	for (size_t s = 1; s < c->nsecs; s++)
		text_only &= c->secs[s].kind != SK_CODE || s == c->text;
	for (size_t i = 0; i < c->nfuncs; i++)
		text_has_global |= c->funcs[i].sec == c->text && c->funcs[i].global;
	c->pos = malloc((c->nfuncs + 1) * sizeof(*c->pos));
	c->order = malloc((c->nfuncs + 1) * sizeof(*c->order));
	if (!c->pos || !c->order)
		return oom(c);
	for (size_t i = 0; i < c->nfuncs; i++) {
		if (!is_prog(c, i, text_only, text_has_global))
			continue;
		ret = build_prog(c, i);
		if (ret)
			return ret;
	}
	if (c->obj->prog_cnt == 0)
		return fail(c, EINVAL, "no programs (no executable section with code)");
	return 0;
}

/* ---------------------------------------------------------------------- */

int bpfs_elf_load(struct bpfs_object *obj, const void *data, size_t size, struct bpfs_err *err)
{
	struct ctx c = {.obj = obj, .err = err, .size = size};
	uint8_t *image = NULL;
	int ret;

	c.image = data;
	ret = check_ehdr(&c);
	if (ret)
		return ret;
	/* libelf wants a writable buffer; it stays ours until elf_end. */
	image = malloc(size);
	if (!image)
		return oom(&c);
	memcpy(image, data, size);
	c.image = image;
	elf_version(EV_CURRENT);
	c.elf = elf_memory((char *)image, size);
	if (!c.elf || elf_kind(c.elf) != ELF_K_ELF) {
		ret = fail(&c, EINVAL, "not an ELF object: %s", elf_errmsg(-1));
		goto out;
	}
	ret = read_sections(&c);
	if (!ret)
		ret = read_symtab(&c);
	if (!ret)
		ret = read_license(&c);
	if (!ret)
		ret = load_maps(&c);
	if (!ret)
		ret = read_relocations(&c);
	if (!ret)
		ret = collect_funcs(&c);
	if (!ret)
		ret = build_progs(&c);
out:
	for (size_t i = 0; c.secs && i < c.nsecs; i++)
		free(c.secs[i].rels);
	free(c.secs);
	free(c.funcs);
	free(c.mrefs);
	for (size_t i = 0; i < c.next; i++)
		free(c.ext[i].name);
	free(c.ext);
	free(c.buf);
	free(c.pos);
	free(c.order);
	if (c.elf)
		elf_end(c.elf);
	free(image);
	return ret;
}
