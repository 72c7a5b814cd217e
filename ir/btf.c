/* SPDX-License-Identifier: MIT */
/*
 * BTF, read with libbpf's BTF API (the field's own parser, fuzzed with the
 * kernel's): an object's .BTF and .BTF.ext, or a kernel's vmlinux BTF.
 *
 * What lives here:
 *  - parsing: .BTF by btf__new, which checks every type, id and string;
 *    .BTF.ext here, record by record, each bounds-checked (libbpf keeps
 *    its record walkers private): func_info, line_info and CO-RE
 *    relocations, per ELF section, offsets in bytes;
 *  - BTF-defined maps (`.maps`): libbpf's conventions, __uint(name, N) as
 *    `int (*name)[N]`, __type(name, T) as `T *name`, __array(values,
 *    struct inner) as `struct inner *values[]`.
 * libbpf's types do not leave the ir module's BTF users: this file, the
 * ELF loader's calls into it, and analysis code that walks kernel types
 * through bpfs_btf_libbpf().
 */
#include "ir.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bpfs_btf {
	struct btf *btf;
	uint8_t *ext; /* .BTF.ext, copied; NULL when none */
	size_t ext_size;
	uint32_t ext_off[3], ext_len[3]; /* func, line, core: inside ext, after its header */
};

#define BTF_EXT_MAGIC 0xeB9F
#define BTF_MAX_DEPTH 32

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* libbpf reports through a print callback; the library never prints, so
 * its last warning is kept (per thread) to become the error's reason. */
static __thread char libbpf_said[256];

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[256];
	size_t n;
	const char *p = line;

	(void)level; /* its reasons for refusing BTF are often at debug level */
	vsnprintf(line, sizeof(line), fmt, ap);
	if (!strncmp(p, "libbpf: ", 8))
		p += 8;
	snprintf(libbpf_said, sizeof(libbpf_said), "%s", p);
	n = strlen(libbpf_said);
	while (n && (libbpf_said[n - 1] == '\n' || libbpf_said[n - 1] == ' '))
		libbpf_said[--n] = '\0';
	return 0;
}

static void silence_libbpf(void)
{
	static int done;

	if (!__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL))
		libbpf_set_print(quiet);
}

/* The .BTF.ext header: which record sections it has, checked to lie inside. */
static int parse_ext(struct bpfs_btf *b, const uint8_t *d, size_t size, struct bpfs_err *err)
{
	uint32_t hdr_len;

	if (size < 24)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': too small for a header (%zu bytes)", size);
	if ((d[0] | d[1] << 8) != BTF_EXT_MAGIC)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': bad magic 0x%02x%02x", d[1], d[0]);
	if (d[2] != 1)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': unsupported version %u", d[2]);
	hdr_len = rd32(d + 4);
	if (hdr_len < 24 || hdr_len > size)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': header length %u is invalid", hdr_len);
	for (int k = 0; k < 3; k++) {
		uint32_t off, len;

		if (8 + 8 * (uint32_t)k + 8 > hdr_len)
			break; /* older headers have no CO-RE part */
		off = rd32(d + 8 + 8 * k);
		len = rd32(d + 12 + 8 * k);
		if ((uint64_t)hdr_len + off + len > size)
			return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s records (0x%x+0x%x) are out of bounds",
					    k == 0 ? "func_info" : k == 1 ? "line_info" : "CO-RE", off, len);
		b->ext_off[k] = hdr_len + off;
		b->ext_len[k] = len;
	}
	b->ext = malloc(size);
	if (!b->ext)
		return bpfs_err_set(err, ENOMEM, -1, "section '.BTF.ext': out of memory");
	memcpy(b->ext, d, size);
	b->ext_size = size;
	return 0;
}

int bpfs_btf_parse(const void *data, size_t size, const void *ext, size_t ext_size, struct bpfs_btf **out,
		   struct bpfs_err *err)
{
	struct bpfs_btf *b;
	int ret;

	*out = NULL;
	if (!data || size < 24 || size > UINT32_MAX)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF': too small for a header (%zu bytes)", size);
	silence_libbpf();
	b = calloc(1, sizeof(*b));
	if (!b)
		return bpfs_err_set(err, ENOMEM, -1, "section '.BTF': out of memory");
	libbpf_said[0] = '\0';
	b->btf = btf__new(data, (uint32_t)size);
	if (!b->btf) {
		ret = errno ? errno : EINVAL;
		free(b);
		return bpfs_err_set(err, ret, -1, "section '.BTF': %s", libbpf_said[0] ? libbpf_said : strerror(ret));
	}
	if (ext && ext_size) {
		ret = parse_ext(b, ext, ext_size, err);
		if (ret) {
			bpfs_btf_free(b);
			return ret;
		}
	}
	*out = b;
	return 0;
}

int bpfs_btf_open(const char *path, struct bpfs_btf **out, struct bpfs_err *err)
{
	struct bpfs_btf *b;
	int ret;

	*out = NULL;
	silence_libbpf();
	b = calloc(1, sizeof(*b));
	if (!b)
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", path);
	libbpf_said[0] = '\0';
	b->btf = btf__parse(path, NULL);
	if (!b->btf) {
		ret = errno ? errno : EINVAL;
		free(b);
		return bpfs_err_set(err, ret, -1, "%s: cannot read BTF: %s", path, libbpf_said[0] ? libbpf_said : strerror(ret));
	}
	*out = b;
	return 0;
}

void bpfs_btf_free(struct bpfs_btf *b)
{
	if (!b)
		return;
	btf__free(b->btf);
	free(b->ext);
	free(b);
}

const struct btf *bpfs_btf_libbpf(const struct bpfs_btf *b)
{
	return b ? b->btf : NULL;
}

const char *bpfs_btf_str(const struct bpfs_btf *b, uint32_t off)
{
	const char *s = b ? btf__str_by_offset(b->btf, off) : NULL;

	return s ? s : "";
}

/* ---------------------------------------------------------------------- */
/* .BTF.ext records                                                       */

/* Each record section: u32 record size, then per ELF section a u32 name
 * offset, a u32 count and that many records. */
int bpfs_btf_ext_foreach(const struct bpfs_btf *b, enum bpfs_btf_ext_kind kind, bpfs_btf_ext_fn fn, void *data,
			 struct bpfs_err *err)
{
	static const uint32_t min_size[3] = {8, 16, 16};
	static const char *const what[3] = {"func_info", "line_info", "CO-RE"};
	const uint8_t *p, *end;
	uint32_t rec_size;

	if (!b || !b->ext || (unsigned)kind > BPFS_BTF_EXT_CORE || !b->ext_len[kind])
		return 0;
	p = b->ext + b->ext_off[kind];
	end = p + b->ext_len[kind];
	if (end - p < 4)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s: truncated", what[kind]);
	rec_size = rd32(p);
	p += 4;
	if (rec_size < min_size[kind] || rec_size % 4)
		return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s: record size %u is invalid", what[kind], rec_size);
	while (p < end) {
		struct bpfs_btf_ext_rec r;
		uint32_t cnt;

		if (end - p < 8)
			return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s: truncated section header", what[kind]);
		r.section = btf__str_by_offset(b->btf, rd32(p));
		cnt = rd32(p + 4);
		p += 8;
		if (!r.section)
			return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s: bad section name offset", what[kind]);
		if ((uint64_t)cnt * rec_size > (uint64_t)(end - p))
			return bpfs_err_set(err, EINVAL, -1, "section '.BTF.ext': %s: section '%s': %u records overrun the data",
					    what[kind], r.section, cnt);
		for (uint32_t i = 0; i < cnt; i++, p += rec_size) {
			int ret;

			r.insn_off = rd32(p);
			r.a = rd32(p + 4);
			r.b = kind == BPFS_BTF_EXT_FUNC ? 0 : rd32(p + 8);
			r.c = kind == BPFS_BTF_EXT_FUNC ? 0 : rd32(p + 12);
			ret = fn(&r, data);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* BTF-defined maps                                                       */

/* Follows typedefs and modifiers. */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *out)
{
	for (int depth = 0; depth < BTF_MAX_DEPTH; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return NULL;
		if (!btf_is_mod(t) && !btf_is_typedef(t)) {
			if (out)
				*out = id;
			return t;
		}
		id = t->type;
	}
	return NULL;
}

/* __uint(name, val) is `int (*name)[val]`: the value is the array size. */
static int uint_member(const struct btf *btf, uint32_t id, uint32_t *val)
{
	const struct btf_type *t = skip_mods(btf, id, NULL);

	if (!t || !btf_is_ptr(t) || !(t = skip_mods(btf, t->type, NULL)) || !btf_is_array(t))
		return -EINVAL;
	*val = btf_array(t)->nelems;
	return 0;
}

/* __type(key, T) is `T *key`: the size is the pointee's. */
static int type_member(const struct btf *btf, uint32_t id, uint32_t *val)
{
	const struct btf_type *t = skip_mods(btf, id, NULL);
	int64_t size;

	if (!t || !btf_is_ptr(t))
		return -EINVAL;
	size = btf__resolve_size(btf, t->type);
	if (size < 0 || size > UINT32_MAX)
		return -EINVAL;
	*val = (uint32_t)size;
	return 0;
}

/* __array(values, struct inner) is `struct inner *values[]`: the struct id. */
static uint32_t inner_def(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, id, NULL);
	uint32_t sid = 0;

	if (!t || !btf_is_array(t) || !(t = skip_mods(btf, btf_array(t)->type, NULL)) || !btf_is_ptr(t) ||
	    !(t = skip_mods(btf, t->type, &sid)) || !btf_is_struct(t))
		return 0;
	return sid;
}

static bool is_map_in_map(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

static int map_member(const struct btf *btf, struct bpfs_map_spec *spec, const char *map, const char *mname,
		      uint32_t mtype, int depth, uint32_t *inner, struct bpfs_err *err)
{
	static const char *const uints[] = {"type", "max_entries", "map_flags", "key_size", "value_size"};
	uint32_t *const dst[] = {&spec->type, &spec->max_entries, &spec->flags, &spec->key_size, &spec->value_size};

	for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++) {
		if (strcmp(mname, uints[i]))
			continue;
		if (uint_member(btf, mtype, dst[i]))
			return bpfs_err_set(err, EINVAL, -1, "section '.maps': map '%s': member '%s' is not __uint()",
					    map, mname);
		return 0;
	}
	if (!strcmp(mname, "key") || !strcmp(mname, "value")) {
		if (type_member(btf, mtype, mname[0] == 'k' ? &spec->key_size : &spec->value_size))
			return bpfs_err_set(err, EINVAL, -1, "section '.maps': map '%s': member '%s' is not __type()",
					    map, mname);
		return 0;
	}
	if (!strcmp(mname, "values") && depth == 0) {
		*inner = inner_def(btf, mtype);
		if (!*inner && is_map_in_map(spec->type))
			return bpfs_err_set(err, EINVAL, -1, "section '.maps': map '%s': member 'values' is not __array()",
					    map);
	}
	return 0; /* pinning, numa_node, map_extra, ...: not modelled */
}

/* Adds the map struct sid describes, then its inner map. */
static int map_def(const struct btf *btf, uint32_t sid, const char *name, uint32_t offset, int depth,
		   struct bpfs_btf_map **maps, size_t *n, struct bpfs_err *err)
{
	const struct btf_type *t = btf__type_by_id(btf, sid);
	struct bpfs_map_spec spec = {.inner_map = -1};
	uint32_t inner = 0;
	size_t idx;
	int ret;

	if (!t || !btf_is_struct(t))
		return bpfs_err_set(err, EINVAL, -1, "section '.maps': map '%s' is not described by a struct", name);
	for (uint32_t i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = &btf_members(t)[i];
		const char *mname = btf__name_by_offset(btf, m->name_off);

		if (!mname)
			return bpfs_err_set(err, EINVAL, -1, "section '.BTF': bad member name offset in map '%s'", name);
		ret = map_member(btf, &spec, name, mname, m->type, depth, &inner, err);
		if (ret)
			return ret;
	}
	/* An outer map's values are map fds, whatever the struct says. */
	if (inner && spec.value_size == 0)
		spec.value_size = 4;
	{
		struct bpfs_btf_map *grown = realloc(*maps, (*n + 1) * sizeof(**maps));

		if (!grown)
			return bpfs_err_set(err, ENOMEM, -1, "section '.maps': out of memory");
		*maps = grown;
	}
	idx = (*n)++;
	(*maps)[idx] = (struct bpfs_btf_map){.offset = offset, .spec = spec, .inner = depth > 0};
	snprintf((*maps)[idx].name, sizeof((*maps)[idx].name), "%s%s", name, depth ? ".inner" : "");
	if (inner) {
		ret = map_def(btf, inner, name, offset, depth + 1, maps, n, err);
		if (ret)
			return ret;
		(*maps)[idx].spec.inner_map = (int)(*n - 1);
	}
	return 0;
}

int bpfs_btf_maps(const struct bpfs_btf *b, struct bpfs_btf_map **out, size_t *nout, struct bpfs_err *err)
{
	const struct btf *btf = b->btf;
	uint32_t n = btf__type_cnt(btf);
	int ret;

	*out = NULL;
	*nout = 0;
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (!btf_is_datasec(t) || !name || strcmp(name, ".maps"))
			continue;
		for (uint32_t i = 0; i < btf_vlen(t); i++) {
			const struct btf_var_secinfo *si = &btf_var_secinfos(t)[i];
			const struct btf_type *v = btf__type_by_id(btf, si->type);
			uint32_t sid = 0;

			if (!v || !btf_is_var(v) || !(name = btf__name_by_offset(btf, v->name_off)))
				ret = bpfs_err_set(err, EINVAL, -1, "section '.BTF': '.maps' entry %u is not a variable", i);
			else if (!skip_mods(btf, v->type, &sid))
				ret = bpfs_err_set(err, EINVAL, -1, "section '.maps': map '%s' has a broken type", name);
			else
				ret = map_def(btf, sid, name, si->offset, 0, out, nout, err);
			if (ret) {
				free(*out);
				*out = NULL;
				*nout = 0;
				return ret;
			}
		}
		return 0;
	}
	return bpfs_err_set(err, EINVAL, -1, "section '.maps': no BTF description (DATASEC '.maps')");
}

const char *bpfs_btf_func_name(const struct bpfs_btf *b, uint32_t type_id)
{
	const struct btf_type *t = b ? btf__type_by_id(b->btf, type_id) : NULL;

	return t && btf_is_func(t) ? btf__name_by_offset(b->btf, t->name_off) : NULL;
}
