/* SPDX-License-Identifier: MIT */
/*
 * The target kernel: CO-RE relocations and extern symbols, applied to an
 * ELF object as libbpf applies them when it loads one.
 *
 * CO-RE (after libbpf's documentation and its relo_core.c, re-derived):
 *  - each relocation names a local type (the object's BTF), an access
 *    string ("0:1:2": the root's array index, then member or array
 *    indexes) and a kind. The access is turned into a spec: the raw
 *    indexes, the named members and array indexes met on the way (the
 *    "high-level" accessors; anonymous members only count in the raw
 *    part), and the bit offset reached;
 *  - candidates are the target's types of the same kind whose name agrees
 *    up to the flavour suffix ("task_struct___old" is a task_struct); each
 *    is matched against the local spec: members by exact name through
 *    anonymous members, array indexes in bounds (flexible arrays have no
 *    bound), leaf types compatible; enumerators by essential name; types
 *    by compatibility (TYPE_MATCHES by the stricter structural match);
 *  - every matching candidate must give the same bit offset and the same
 *    value, otherwise the object is refused (libbpf's "ambiguity"). The
 *    candidates that matched replace the list for the next relocation of
 *    the same local type within a program, as libbpf's cache does when it
 *    loads that program alone;
 *  - with no match, existence kinds give 0 and the others poison the
 *    instruction: `call 0xbad2310`, which the verifier rejects as "invalid
 *    func unknown#195896080" when it is reachable and drops otherwise;
 *  - the instruction is checked to hold the local value before it is
 *    patched (bitfield offsets excepted, as libbpf does), loads and stores
 *    change size when the field did (pointers and unsigned integers only;
 *    otherwise the instruction is poisoned).
 * Externs: `.kconfig` variables get their values from the target's
 * configuration (LINUX_KERNEL_VERSION and friends are computed) in a
 * ".kconfig" read-only array map, laid out as libbpf lays it out; typed
 * `.ksyms` variables become BPF_PSEUDO_BTF_ID loads of the target's VAR;
 * weak externs that do not resolve read as zero.
 *
 * The object's instructions are patched in place, once. Malformed BTF is
 * an error for the relocation concerned, never a crash: every id, index
 * and recursion is bounded.
 */
#include "ir.h"
#include "load_int.h"

#include <bpf/btf.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#define SPEC_MAX 64	   /* accessors per spec, as libbpf bounds them */
#define DEPTH_MAX 32	   /* type chains and recursion */
#define POISON_IMM 195896080 /* 0xbad2310, "bad relo" */

/* ---------------------------------------------------------------------- */
/* The target                                                             */

struct cfg_entry {
	char *name, *value;
};

struct name_ix {
	uint64_t hash; /* of the essential name */
	uint32_t id;
};

struct bpfs_target {
	struct bpfs_btf *btf;
	char btf_desc[320];     /* its path, or why there is none */
	bool running;           /* the BTF is the running kernel's: /proc/kallsyms is its */
	struct cfg_entry *cfg;  /* sorted by name */
	size_t ncfg;
	bool has_cfg;
	char cfg_desc[320];     /* its path, or why there is none */
	uint32_t version;
	struct name_ix *ix; /* named types by essential name, for candidates */
	size_t nix;
	char desc[800];
};

static const struct bpfs_target *default_target;

void bpfs_target_set_default(const struct bpfs_target *t)
{
	__atomic_store_n(&default_target, t, __ATOMIC_RELEASE);
}

const struct bpfs_target *bpfs_target_default(void)
{
	return __atomic_load_n(&default_target, __ATOMIC_ACQUIRE);
}

/* The name up to its flavour: "X___Y", X and Y not ending and starting in
 * '_', is X; the last such separator counts. */
static size_t essential_len(const char *n)
{
	size_t len = strlen(n);

	for (size_t i = len >= 5 ? len - 4 : 0; i-- > 0;)
		if (n[i] != '_' && n[i + 1] == '_' && n[i + 2] == '_' && n[i + 3] == '_' && n[i + 4] != '_')
			return i + 1;
	return len;
}

static uint64_t name_hash(const char *n, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)n[i]) * 0x100000001b3ull;
	return h;
}

static int cmp_ix(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int index_names(struct bpfs_target *t)
{
	const struct btf *btf = bpfs_btf_libbpf(t->btf);
	uint32_t n = btf__type_cnt(btf);

	t->ix = malloc((n ? n : 1) * sizeof(*t->ix));
	if (!t->ix)
		return -ENOMEM;
	for (uint32_t id = 1; id < n; id++) {
		const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, id)->name_off);

		if (name && *name)
			t->ix[t->nix++] = (struct name_ix){name_hash(name, essential_len(name)), id};
	}
	qsort(t->ix, t->nix, sizeof(*t->ix), cmp_ix);
	return 0;
}

static int cmp_cfg(const void *a, const void *b)
{
	return strcmp(((const struct cfg_entry *)a)->name, ((const struct cfg_entry *)b)->name);
}

/* NAME=VALUE lines; libbpf takes only lines starting with CONFIG_. */
static int cfg_line(struct bpfs_target *t, char *line, size_t *cap)
{
	char *eq, *end;

	if (strncmp(line, "CONFIG_", 7) || !(eq = strchr(line, '=')))
		return 0;
	*eq = '\0';
	end = eq + 1 + strlen(eq + 1);
	while (end > eq + 1 && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	if (t->ncfg == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		struct cfg_entry *e = realloc(t->cfg, c * sizeof(*e));

		if (!e)
			return -ENOMEM;
		t->cfg = e;
		*cap = c;
	}
	t->cfg[t->ncfg].name = strdup(line);
	t->cfg[t->ncfg].value = strdup(eq + 1);
	if (!t->cfg[t->ncfg].name || !t->cfg[t->ncfg].value) {
		free(t->cfg[t->ncfg].name);
		free(t->cfg[t->ncfg].value);
		return -ENOMEM;
	}
	t->ncfg++;
	return 0;
}

/* A plain or gzip'd configuration (zlib reads both). */
static int read_config(struct bpfs_target *t, const char *path, struct bpfs_err *err)
{
	char line[4096];
	size_t cap = 0;
	gzFile f = gzopen(path, "rb");
	int ret = 0;

	if (!f)
		return bpfs_err_set(err, errno ? errno : EIO, -1, "%s: cannot read the kernel configuration: %s", path,
				    strerror(errno ? errno : EIO));
	while (!ret && gzgets(f, line, sizeof(line)))
		ret = cfg_line(t, line, &cap);
	gzclose(f);
	if (ret)
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", path);
	if (t->ncfg > 1)
		qsort(t->cfg, t->ncfg, sizeof(*t->cfg), cmp_cfg);
	t->has_cfg = true;
	snprintf(t->cfg_desc, sizeof(t->cfg_desc), "%s", path);
	return 0;
}

static const char *cfg_value(const struct bpfs_target *t, const char *name)
{
	struct cfg_entry key = {(char *)name, NULL};
	const struct cfg_entry *e =
	    t->ncfg ? bsearch(&key, t->cfg, t->ncfg, sizeof(*t->cfg), cmp_cfg) : NULL;

	return e ? e->value : NULL;
}

static uint32_t kernel_version_of(const char *release)
{
	unsigned a = 0, b = 0, c = 0;

	if (sscanf(release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

int bpfs_target_open(const struct bpfs_target_opts *o, struct bpfs_target **out, struct bpfs_err *err)
{
	static const struct bpfs_target_opts none;
	struct bpfs_target *t;
	struct utsname u;
	char boot[300];
	int ret = 0;

	*out = NULL;
	if (!o)
		o = &none;
	t = calloc(1, sizeof(*t));
	if (!t)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	if (uname(&u))
		u.release[0] = '\0';
	if (o->btf_data) {
		ret = bpfs_btf_parse(o->btf_data, o->btf_size, NULL, 0, &t->btf, err);
		snprintf(t->btf_desc, sizeof(t->btf_desc), "(memory)");
	} else if (o->btf && *o->btf) {
		ret = bpfs_btf_open(o->btf, &t->btf, err);
		snprintf(t->btf_desc, sizeof(t->btf_desc), "%s", o->btf);
		t->running = !strcmp(o->btf, "/sys/kernel/btf/vmlinux");
	} else if (!o->btf && access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		ret = bpfs_btf_open("/sys/kernel/btf/vmlinux", &t->btf, err);
		snprintf(t->btf_desc, sizeof(t->btf_desc), "/sys/kernel/btf/vmlinux");
		t->running = true;
	} else {
		snprintf(t->btf_desc, sizeof(t->btf_desc), "%s",
			 o->btf ? "none was given" : "/sys/kernel/btf/vmlinux does not exist (--btf FILE names one)");
	}
	if (!ret && t->btf && index_names(t))
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
	snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
	if (!ret) {
		if (o->kconfig && *o->kconfig)
			ret = read_config(t, o->kconfig, err);
		else if (!o->kconfig && access(boot, R_OK) == 0)
			ret = read_config(t, boot, err);
		else if (!o->kconfig && access("/proc/config.gz", R_OK) == 0)
			ret = read_config(t, "/proc/config.gz", err);
		else
			snprintf(t->cfg_desc, sizeof(t->cfg_desc), "%s",
				 o->kconfig ? "none given" : "neither /boot/config-$(uname -r) nor /proc/config.gz exists");
	}
	if (ret) {
		bpfs_target_free(t);
		return ret;
	}
	t->version = o->kernel_version ? o->kernel_version : kernel_version_of(u.release);
	snprintf(t->desc, sizeof(t->desc), "BTF %s%s%s, configuration %s%s%s, version %u.%u.%u", t->btf ? "" : "none (",
		 t->btf_desc, t->btf ? "" : ")", t->has_cfg ? "" : "none (", t->cfg_desc, t->has_cfg ? "" : ")",
		 t->version >> 16, (t->version >> 8) & 0xff, t->version & 0xff);
	*out = t;
	return 0;
}

void bpfs_target_free(struct bpfs_target *t)
{
	if (!t)
		return;
	bpfs_btf_free(t->btf);
	for (size_t i = 0; i < t->ncfg; i++) {
		free(t->cfg[i].name);
		free(t->cfg[i].value);
	}
	free(t->cfg);
	free(t->ix);
	free(t);
}

const struct bpfs_btf *bpfs_target_btf(const struct bpfs_target *t)
{
	return t ? t->btf : NULL;
}

const char *bpfs_target_describe(const struct bpfs_target *t)
{
	return t ? t->desc : "no target";
}

uint32_t bpfs_target_kernel_version(const struct bpfs_target *t)
{
	return t ? t->version : 0;
}

/* ---------------------------------------------------------------------- */
/* Types                                                                  */

/* Follows modifiers and typedefs; NULL on a broken or too long chain. */
static const struct btf_type *skip(const struct btf *btf, uint32_t id, uint32_t *out)
{
	for (int d = 0; d < DEPTH_MAX; d++) {
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

static const char *name_of(const struct btf *btf, uint32_t off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "";
}

static const char *kind_str(const struct btf_type *t)
{
	static const char *const k[] = {"void", "int", "ptr", "array", "struct", "union", "enum",
				     "fwd", "typedef", "volatile", "const", "restrict", "func", "func_proto",
				     "var", "datasec", "float", "decl_tag", "type_tag", "enum64"};

	return t && btf_kind(t) < sizeof(k) / sizeof(k[0]) ? k[btf_kind(t)] : "unknown";
}

static bool names_agree(const char *a, const char *b)
{
	size_t la = essential_len(a), lb = essential_len(b);

	return la == lb && !strncmp(a, b, la);
}

/* Leaf compatibility of a field: any two structs/unions, pointers,
 * floats; enums and forward declarations by essential name (or either
 * anonymous); integers unless bitfield-like; arrays by element. */
static int fields_compat(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid)
{
	for (int d = 0; d < DEPTH_MAX; d++) {
		const struct btf_type *l = skip(lb, lid, &lid), *t = skip(tb, tid, &tid);

		if (!l || !t)
			return -EINVAL;
		if (btf_is_composite(l) && btf_is_composite(t))
			return 1;
		if (!btf_kind_core_compat(l, t))
			return 0;
		switch (btf_kind(l)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: {
			const char *ln = name_of(lb, l->name_off), *tn = name_of(tb, t->name_off);

			return !essential_len(ln) || !essential_len(tn) || names_agree(ln, tn);
		}
		case BTF_KIND_INT:
			return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
		case BTF_KIND_ARRAY:
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* Type compatibility for the type-based kinds (and typed ksyms): same kind
 * after modifiers, pointers and arrays by what they hold, prototypes
 * argument by argument. */
static int types_compat(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid, int level)
{
	const struct btf_type *l = btf__type_by_id(lb, lid), *t = btf__type_by_id(tb, tid);

	if (!l || !t)
		return -EINVAL;
	if (!btf_kind_core_compat(l, t))
		return 0;
	for (int d = 0; d < DEPTH_MAX; d++) {
		l = skip(lb, lid, &lid);
		t = skip(tb, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!btf_kind_core_compat(l, t))
			return 0;
		switch (btf_kind(l)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_FWD:
			return 1;
		case BTF_KIND_INT:
			return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
		case BTF_KIND_PTR:
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (btf_vlen(l) != btf_vlen(t))
				return 0;
			for (uint16_t i = 0; i < btf_vlen(l); i++) {
				uint32_t la = 0, ta = 0;
				int r;

				if (level <= 0)
					return -EINVAL;
				skip(lb, btf_params(l)[i].type, &la);
				skip(tb, btf_params(t)[i].type, &ta);
				r = types_compat(lb, la, tb, ta, level - 1);
				if (r <= 0)
					return r;
			}
			skip(lb, l->type, &lid);
			skip(tb, t->type, &tid);
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

static bool opt_names_match(const struct btf *lb, uint32_t loff, const struct btf *tb, uint32_t toff)
{
	const char *ln = name_of(lb, loff), *tn = name_of(tb, toff);

	if (!*tn)
		return !*ln;
	return names_agree(ln, tn);
}

static int types_match(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid, bool behind_ptr,
		       int level);

/* Every local enumerator has a namesake in the target, sizes agree. */
static int enums_match(const struct btf *lb, const struct btf_type *l, const struct btf *tb, const struct btf_type *t)
{
	if (l->size != t->size || btf_vlen(l) > btf_vlen(t))
		return 0;
	for (uint16_t i = 0; i < btf_vlen(l); i++) {
		uint32_t ln = btf_is_enum(l) ? btf_enum(l)[i].name_off : btf_enum64(l)[i].name_off;
		bool found = false;

		for (uint16_t j = 0; j < btf_vlen(t) && !found; j++)
			found = opt_names_match(lb, ln, tb, btf_is_enum(t) ? btf_enum(t)[j].name_off
									      : btf_enum64(t)[j].name_off);
		if (!found)
			return 0;
	}
	return 1;
}

/* Every local member has a namesake in the target whose type matches. */
static int composites_match(const struct btf *lb, const struct btf_type *l, const struct btf *tb,
			    const struct btf_type *t, bool behind_ptr, int level)
{
	if (btf_vlen(l) > btf_vlen(t))
		return 0;
	for (uint16_t i = 0; i < btf_vlen(l); i++) {
		const struct btf_member *lm = &btf_members(l)[i];
		bool found = false;

		for (uint16_t j = 0; j < btf_vlen(t) && !found; j++) {
			const struct btf_member *tm = &btf_members(t)[j];
			int r;

			if (!opt_names_match(lb, lm->name_off, tb, tm->name_off))
				continue;
			r = types_match(lb, lm->type, tb, tm->type, behind_ptr, level - 1);
			if (r < 0)
				return r;
			found = r > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* TYPE_MATCHES: the structural match of libbpf's bpf_core_type_matches(). */
static int types_match(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid, bool behind_ptr,
		       int level)
{
	if (level <= 0)
		return -EINVAL;
	for (int d = 0; d < DEPTH_MAX; d++) {
		const struct btf_type *l = skip(lb, lid, &lid), *t = skip(tb, tid, &tid);
		int lk, tk;

		if (!l || !t)
			return -EINVAL;
		if (!opt_names_match(lb, l->name_off, tb, t->name_off))
			return 0;
		lk = btf_kind(l);
		tk = btf_kind(t);
		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD:
			if (behind_ptr && lk != tk)
				return (tk == BTF_KIND_STRUCT && !btf_kflag(l)) || (tk == BTF_KIND_UNION && btf_kflag(l));
			return lk == tk && btf_kflag(l) == btf_kflag(t);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return btf_is_any_enum(t) && enums_match(lb, l, tb, t);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (behind_ptr) {
				if (lk == tk)
					return 1;
				return tk == BTF_KIND_FWD && (lk == BTF_KIND_UNION) == btf_kflag(t);
			}
			return lk == tk && composites_match(lb, l, tb, t, behind_ptr, level);
		case BTF_KIND_INT:
			return lk == tk && l->size == t->size &&
			       (btf_int_encoding(l) & BTF_INT_SIGNED) == (btf_int_encoding(t) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (lk != tk || btf_array(l)->nelems != btf_array(t)->nelems)
				return 0;
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (lk != tk || btf_vlen(l) != btf_vlen(t))
				return 0;
			for (uint16_t i = 0; i < btf_vlen(l); i++) {
				int r = types_match(lb, btf_params(l)[i].type, tb, btf_params(t)[i].type, behind_ptr,
						    level - 1);

				if (r <= 0)
					return r;
			}
			lid = l->type;
			tid = t->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* ---------------------------------------------------------------------- */
/* Specs                                                                  */

static bool kind_is_field(uint32_t k)
{
	return k <= BPF_CORE_FIELD_RSHIFT_U64;
}

static bool kind_is_type(uint32_t k)
{
	return k == BPF_CORE_TYPE_ID_LOCAL || k == BPF_CORE_TYPE_ID_TARGET || k == BPF_CORE_TYPE_EXISTS ||
	       k == BPF_CORE_TYPE_SIZE || k == BPF_CORE_TYPE_MATCHES;
}

static bool kind_is_enumval(uint32_t k)
{
	return k == BPF_CORE_ENUMVAL_EXISTS || k == BPF_CORE_ENUMVAL_VALUE;
}

const char *bpfs_core_kind_name(uint32_t kind)
{
	static const char *const n[] = {"byte_off",	  "byte_sz",	   "field_exists",   "signed",
				     "lshift_u64",	  "rshift_u64",	   "local_type_id",  "target_type_id",
				     "type_exists",	  "type_size",	   "enumval_exists", "enumval_value",
				     "type_matches"};

	return kind < sizeof(n) / sizeof(n[0]) ? n[kind] : "unknown";
}

struct acc {
	uint32_t type_id; /* the composite (named member) or the element type (index) */
	uint32_t idx;
	const char *name; /* NULL for an array index */
};

struct spec {
	const struct btf *btf;
	uint32_t root_id, kind;
	struct acc acc[SPEC_MAX];
	int len;
	uint32_t raw[SPEC_MAX];
	int raw_len;
	uint64_t bit_off;
};

/* A zero-length array as a struct's last member: no bound. */
static bool is_flex(const struct btf *btf, const struct acc *prev, const struct btf_array *a)
{
	const struct btf_type *t;

	if (!prev->name || a->nelems)
		return false;
	t = btf__type_by_id(btf, prev->type_id);
	return t && prev->idx + 1 == btf_vlen(t);
}

static int parse_access(const char *s, struct spec *sp)
{
	if (!s || !*s || *s == ':')
		return -EINVAL;
	while (*s) {
		char *end;
		unsigned long v;

		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v > INT_MAX)
			return -EINVAL;
		if (sp->raw_len == SPEC_MAX)
			return -E2BIG;
		sp->raw[sp->raw_len++] = (uint32_t)v;
		s = end;
	}
	return sp->raw_len ? 0 : -EINVAL;
}

/* The local spec of a relocation. */
static int parse_spec(const struct btf *btf, uint32_t type_id, const char *access, uint32_t kind, struct spec *sp,
		      char *why, size_t wlen)
{
	const struct btf_type *t;
	uint32_t id;
	int64_t sz;
	int ret;

	memset(sp, 0, sizeof(*sp));
	sp->btf = btf;
	sp->root_id = type_id;
	sp->kind = kind;
	if (!access || !*access || *access == ':')
		return -EINVAL;
	if (kind_is_type(kind))
		return strcmp(access, "0") ? -EINVAL : 0;
	ret = parse_access(access, sp);
	if (ret)
		return ret;
	t = skip(btf, type_id, &id);
	if (!t)
		return -EINVAL;
	sp->acc[0] = (struct acc){id, sp->raw[0], NULL};
	sp->len = 1;
	if (kind_is_enumval(kind)) {
		if (!btf_is_any_enum(t) || sp->raw_len > 1 || sp->raw[0] >= btf_vlen(t))
			return -EINVAL;
		sp->acc[0].name = name_of(btf, btf_is_enum(t) ? btf_enum(t)[sp->raw[0]].name_off
							     : btf_enum64(t)[sp->raw[0]].name_off);
		return 0;
	}
	if (!kind_is_field(kind))
		return -EINVAL;
	sz = btf__resolve_size(btf, id);
	if (sz < 0)
		return (int)sz;
	sp->bit_off = (uint64_t)sp->raw[0] * (uint64_t)sz * 8;
	for (int i = 1; i < sp->raw_len; i++) {
		uint32_t idx = sp->raw[i];

		t = skip(btf, id, &id);
		if (!t)
			return -EINVAL;
		if (btf_is_composite(t)) {
			const struct btf_member *m;

			if (idx >= btf_vlen(t))
				return -EINVAL;
			sp->bit_off += btf_member_bit_offset(t, idx);
			m = &btf_members(t)[idx];
			if (m->name_off) {
				const char *name = name_of(btf, m->name_off);

				if (!*name)
					return -EINVAL;
				sp->acc[sp->len++] = (struct acc){id, idx, name};
			}
			id = m->type;
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			if (!skip(btf, a->type, &id))
				return -EINVAL;
			if (!is_flex(btf, &sp->acc[sp->len - 1], a) && idx >= a->nelems)
				return -EINVAL;
			sp->acc[sp->len++] = (struct acc){id, idx, NULL};
			sz = btf__resolve_size(btf, id);
			if (sz < 0)
				return (int)sz;
			sp->bit_off += (uint64_t)idx * (uint64_t)sz * 8;
		} else {
			snprintf(why, wlen, "access %s (at index %d) captures type [%u] of unexpected kind %s", access, i,
				 id, kind_str(t));
			return -EINVAL;
		}
	}
	return 0;
}

/* Finds the target member named like the local accessor, through
 * anonymous members, keeping the target spec up to date. */
static int match_member(const struct spec *ls, const struct acc *la, const struct btf *tb, uint32_t tid,
			struct spec *ts, uint32_t *next, int depth)
{
	const struct btf *lb = ls->btf;
	const struct btf_type *t = skip(tb, tid, &tid), *lt;
	const struct btf_member *lm;
	const char *lname;

	if (!t || depth > DEPTH_MAX)
		return -EINVAL;
	if (!btf_is_composite(t))
		return 0;
	lt = btf__type_by_id(lb, la->type_id);
	lm = &btf_members(lt)[la->idx];
	lname = name_of(lb, lm->name_off);
	for (uint16_t i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = &btf_members(t)[i];
		uint32_t bo = btf_member_bit_offset(t, i);
		const char *tname = name_of(tb, m->name_off);
		int found;

		if (ts->raw_len == SPEC_MAX)
			return -E2BIG;
		ts->bit_off += bo;
		ts->raw[ts->raw_len++] = i;
		if (!*tname) {
			found = match_member(ls, la, tb, m->type, ts, next, depth + 1);
			if (found)
				return found;
		} else if (!strcmp(lname, tname)) {
			if (ts->len == SPEC_MAX)
				return -E2BIG;
			ts->acc[ts->len++] = (struct acc){tid, i, tname};
			*next = m->type;
			found = fields_compat(lb, lm->type, tb, m->type);
			if (found == 0)
				ts->len--;
			return found;
		}
		ts->bit_off -= bo;
		ts->raw_len--;
	}
	return 0;
}

/* Matches the local spec against candidate tid: 1 matched, 0 not, < 0 an
 * error. */
static int match_spec(const struct spec *ls, const struct btf *tb, uint32_t tid, struct spec *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->btf = tb;
	ts->root_id = tid;
	ts->kind = ls->kind;
	if (kind_is_type(ls->kind))
		return ls->kind == BPF_CORE_TYPE_MATCHES ? types_match(ls->btf, ls->root_id, tb, tid, false, DEPTH_MAX)
							 : types_compat(ls->btf, ls->root_id, tb, tid, DEPTH_MAX);
	if (kind_is_enumval(ls->kind)) {
		const struct btf_type *t = skip(tb, tid, &tid);

		if (!t || !btf_is_any_enum(t))
			return 0;
		for (uint16_t i = 0; i < btf_vlen(t); i++) {
			const char *n =
			    name_of(tb, btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off);

			if (names_agree(ls->acc[0].name, n)) {
				ts->acc[0] = (struct acc){tid, i, n};
				ts->len = 1;
				ts->raw[0] = i;
				ts->raw_len = 1;
				return 1;
			}
		}
		return 0;
	}
	if (!kind_is_field(ls->kind))
		return -EINVAL;
	for (int i = 0; i < ls->len; i++) {
		const struct acc *la = &ls->acc[i];
		const struct btf_type *t = skip(tb, tid, &tid);
		int64_t sz;

		if (!t)
			return -EINVAL;
		if (la->name) {
			int m = match_member(ls, la, tb, tid, ts, &tid, 0);

			if (m <= 0)
				return m;
			continue;
		}
		if (i > 0) {
			const struct btf_array *a;

			if (!btf_is_array(t))
				return 0;
			a = btf_array(t);
			if (!is_flex(tb, &ts->acc[ts->len - 1], a) && la->idx >= a->nelems)
				return 0;
			if (!skip(tb, a->type, &tid))
				return -EINVAL;
		}
		if (ts->raw_len == SPEC_MAX || ts->len == SPEC_MAX)
			return -E2BIG;
		ts->acc[ts->len++] = (struct acc){tid, la->idx, NULL};
		ts->raw[ts->raw_len++] = la->idx;
		sz = btf__resolve_size(tb, tid);
		if (sz < 0)
			return (int)sz;
		ts->bit_off += (uint64_t)la->idx * (uint64_t)sz * 8;
	}
	return 1;
}

/* libbpf's debug form: "<byte_off> [5] struct s.a[1] (0:1:1 @ offset 8)". */
static void format_spec(char *buf, size_t len, const struct spec *sp)
{
	const struct btf_type *t = btf__type_by_id(sp->btf, sp->root_id);
	const char *n = t ? name_of(sp->btf, t->name_off) : "";
	size_t o;

#define APPEND(...) (o += (size_t)snprintf(buf + (o < len ? o : len), o < len ? len - o : 0, __VA_ARGS__))
	o = 0;
	APPEND("<%s> [%u] %s %s", bpfs_core_kind_name(sp->kind), sp->root_id, kind_str(t), *n ? n : "<anon>");
	if (kind_is_type(sp->kind) || !t)
		return;
	if (kind_is_enumval(sp->kind)) {
		const struct btf_type *e = skip(sp->btf, sp->root_id, NULL);

		if (e && btf_is_enum(e) && sp->raw_len && sp->raw[0] < btf_vlen(e))
			APPEND(btf_kflag(e) ? "::%s = %d" : "::%s = %u", name_of(sp->btf, btf_enum(e)[sp->raw[0]].name_off),
			       btf_enum(e)[sp->raw[0]].val);
		else if (e && btf_is_enum64(e) && sp->raw_len && sp->raw[0] < btf_vlen(e))
			APPEND(btf_kflag(e) ? "::%s = %" PRId64 : "::%s = %" PRIu64,
			       name_of(sp->btf, btf_enum64(e)[sp->raw[0]].name_off),
			       (uint64_t)btf_enum64_value(&btf_enum64(e)[sp->raw[0]]));
		return;
	}
	for (int i = 0; i < sp->len; i++) {
		if (sp->acc[i].name)
			APPEND(".%s", sp->acc[i].name);
		else if (i > 0 || sp->acc[i].idx > 0)
			APPEND("[%u]", sp->acc[i].idx);
	}
	APPEND(" (");
	for (int i = 0; i < sp->raw_len; i++)
		APPEND("%s%u", i ? ":" : "", sp->raw[i]);
	if (sp->bit_off % 8)
		APPEND(" @ offset %" PRIu64 ".%" PRIu64 ")", sp->bit_off / 8, sp->bit_off % 8);
	else
		APPEND(" @ offset %" PRIu64 ")", sp->bit_off / 8);
#undef APPEND
}

/* ---------------------------------------------------------------------- */
/* Values                                                                 */

#define EPOISON 1000 /* internal: the instruction is to be poisoned */

struct res {
	uint64_t orig, val;
	bool poison, validate, bad_resize;
	uint32_t orig_sz, new_sz, orig_tid, new_tid;
};

/* A field kind's value from a spec (NULL: no target match). */
static int field_value(uint32_t kind, const struct spec *sp, uint64_t *val, uint32_t *fsz, uint32_t *ftid,
		       bool *validate, char *why, size_t wlen)
{
	const struct acc *a;
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	uint32_t byte_off, byte_sz, bit_sz, ftype = 0;
	uint64_t bit_off;
	bool bitfield;
	int64_t sz;

	*fsz = 0;
	if (kind == BPF_CORE_FIELD_EXISTS) {
		*val = sp != NULL;
		return 0;
	}
	if (!sp)
		return -EPOISON;
	a = &sp->acc[sp->len - 1];
	if (!a->name) { /* the element of an array, or the root */
		sz = btf__resolve_size(sp->btf, a->type_id);
		if (sz < 0)
			return -EINVAL;
		if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
			*val = sp->bit_off / 8;
			*fsz = (uint32_t)sz;
			*ftid = a->type_id;
		} else if (kind == BPF_CORE_FIELD_BYTE_SIZE) {
			*val = (uint64_t)sz;
		} else {
			snprintf(why, wlen, "relocation %s can't be applied to array access", bpfs_core_kind_name(kind));
			return -EINVAL;
		}
		if (validate)
			*validate = true;
		return 0;
	}
	t = btf__type_by_id(sp->btf, a->type_id);
	m = &btf_members(t)[a->idx];
	mt = skip(sp->btf, m->type, &ftype);
	if (!mt)
		return -EINVAL;
	bit_off = sp->bit_off;
	bit_sz = btf_member_bitfield_size(t, a->idx);
	bitfield = bit_sz > 0;
	if (bitfield) {
		byte_sz = mt->size;
		if (!byte_sz || byte_sz > 8)
			return -EINVAL;
		byte_off = (uint32_t)(bit_off / 8 / byte_sz * byte_sz);
		/* the smallest load that holds the whole bitfield */
		while (bit_off + bit_sz - (uint64_t)byte_off * 8 > (uint64_t)byte_sz * 8) {
			if (byte_sz >= 8) {
				snprintf(why, wlen, "relocation %s can't be satisfied for bitfield",
					 bpfs_core_kind_name(kind));
				return -E2BIG;
			}
			byte_sz *= 2;
			byte_off = (uint32_t)(bit_off / 8 / byte_sz * byte_sz);
		}
	} else {
		sz = btf__resolve_size(sp->btf, ftype);
		if (sz < 0)
			return -EINVAL;
		byte_sz = (uint32_t)sz;
		byte_off = (uint32_t)(bit_off / 8);
		bit_sz = byte_sz * 8;
	}
	/* The compiler's bitfield offsets may differ from ours: only their
	 * signedness and right shift are checked, as libbpf does. */
	if (validate)
		*validate = !bitfield;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*fsz = byte_sz;
			*ftid = ftype;
		}
		break;
	case BPF_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case BPF_CORE_FIELD_SIGNED:
		*val = (btf_is_any_enum(mt) && btf_kflag(mt)) || (btf_is_int(mt) && (btf_int_encoding(mt) & BTF_INT_SIGNED));
		if (validate)
			*validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64: /* little-endian */
		*val = 64 - (bit_off + bit_sz - (uint64_t)byte_off * 8);
		break;
	case BPF_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = true;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int type_value(uint32_t kind, const struct spec *sp, uint64_t *val, bool *validate)
{
	int64_t sz;

	if (validate)
		*validate = true;
	if (!sp) {
		*val = 0;
		return 0;
	}
	switch (kind) {
	case BPF_CORE_TYPE_ID_TARGET:
		*val = sp->root_id;
		if (validate) /* ids change when objects are linked */
			*validate = false;
		return 0;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		return 0;
	case BPF_CORE_TYPE_SIZE:
		sz = btf__resolve_size(sp->btf, sp->root_id);
		if (sz < 0)
			return -EINVAL;
		*val = (uint64_t)sz;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int enum_value(uint32_t kind, const struct spec *sp, uint64_t *val)
{
	const struct btf_type *t;

	if (kind == BPF_CORE_ENUMVAL_EXISTS) {
		*val = sp != NULL;
		return 0;
	}
	if (kind != BPF_CORE_ENUMVAL_VALUE)
		return -EOPNOTSUPP;
	if (!sp)
		return -EPOISON;
	t = btf__type_by_id(sp->btf, sp->acc[0].type_id);
	if (btf_is_enum(t)) /* sign-extended, as the instruction holds it */
		*val = (uint64_t)(int64_t)btf_enum(t)[sp->acc[0].idx].val;
	else
		*val = btf_enum64_value(&btf_enum64(t)[sp->acc[0].idx]);
	return 0;
}

/* The local and target values of a relocation; ts NULL: no match. */
static int calc(const struct spec *ls, const struct spec *ts, struct res *r, char *why, size_t wlen)
{
	uint32_t k = ls->kind;
	int ret = -EOPNOTSUPP;

	memset(r, 0, sizeof(*r));
	r->validate = true;
	if (kind_is_field(k)) {
		ret = field_value(k, ls, &r->orig, &r->orig_sz, &r->orig_tid, &r->validate, why, wlen);
		if (!ret)
			ret = field_value(k, ts, &r->val, &r->new_sz, &r->new_tid, NULL, why, wlen);
		if (!ret && r->orig_sz != r->new_sz) {
			const struct btf_type *o = btf__type_by_id(ls->btf, r->orig_tid);
			const struct btf_type *n = btf__type_by_id(ts->btf, r->new_tid);

			/* A 32-bit kernel pointer or an unsigned integer of another
			 * size reads correctly with a resized load; nothing else. */
			r->bad_resize = !(o && n && btf_is_ptr(o) && btf_is_ptr(n)) &&
					!(o && n && btf_is_int(o) && btf_is_int(n) && btf_int_encoding(o) != BTF_INT_SIGNED &&
					  btf_int_encoding(n) != BTF_INT_SIGNED);
		}
	} else if (kind_is_type(k)) {
		ret = type_value(k, ls, &r->orig, &r->validate);
		if (!ret)
			ret = type_value(k, ts, &r->val, NULL);
	} else if (kind_is_enumval(k)) {
		ret = enum_value(k, ls, &r->orig);
		if (!ret)
			ret = enum_value(k, ts, &r->val);
	}
	if (ret == -EPOISON) {
		r->poison = true;
		return 0;
	}
	if (ret == -EOPNOTSUPP)
		snprintf(why, wlen, "unrecognized CO-RE relocation %s (%u)", bpfs_core_kind_name(k), k);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Patching                                                               */

static void poison(struct bpf_insn *insn)
{
	*insn = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = POISON_IMM};
}

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_DW:
		return 8;
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	default:
		return 1;
	}
}

static int bytes_size(uint32_t n)
{
	return n == 8 ? BPF_DW : n == 4 ? BPF_W : n == 2 ? BPF_H : n == 1 ? BPF_B : -1;
}

/* Patches (or poisons) the instruction at idx; fills relo->note. Returns 0,
 * or -EINVAL when libbpf would refuse the program (note says why). */
static int patch(struct bpfs_prog *p, uint32_t idx, const struct res *r, struct bpfs_core_relo *relo)
{
	struct bpf_insn *insn = &p->insns[idx];
	bool wide = bpfs_insn_is_ldimm64(insn) && idx + 1 < p->insn_cnt;
	char *note = relo->note;
	size_t nl = sizeof(relo->note);
	int sz;

	relo->orig_val = r->orig;
	relo->new_val = r->val;
	if (r->poison) {
	poisoned:
		if (wide)
			poison(insn + 1);
		poison(insn);
		relo->status = BPFS_CORE_POISONED;
		if (!note[0])
			snprintf(note, nl, "no matching target (insn %u becomes call 0xbad2310)", idx);
		return 0;
	}
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K)
			return snprintf(note, nl, "insn %u (ALU/ALU64) has no immediate operand", idx), -EINVAL;
		if (r->validate && (uint64_t)(int64_t)insn->imm != r->orig)
			return snprintf(note, nl, "unexpected insn %u (ALU/ALU64) value: got %u, exp %" PRIu64 " -> %" PRIu64,
					idx, (uint32_t)insn->imm, r->orig, r->val),
			       -EINVAL;
		snprintf(note, nl, "imm %u -> %" PRIu64, (uint32_t)insn->imm, r->val);
		insn->imm = (int32_t)r->val;
		break;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (r->validate && (uint64_t)(int64_t)insn->off != r->orig)
			return snprintf(note, nl, "unexpected insn %u (LDX/ST/STX) value: got %u, exp %" PRIu64 " -> %" PRIu64,
					idx, (uint32_t)insn->off, r->orig, r->val),
			       -EINVAL;
		if (r->val > SHRT_MAX)
			return snprintf(note, nl, "insn %u (LDX/ST/STX) value too big: %" PRIu64, idx, r->val), -ERANGE;
		if (r->bad_resize) {
			snprintf(note, nl,
				 "insn %u (LDX/ST/STX) accesses field incorrectly (%u bytes here, %u in the "
				 "target: not a pointer or an unsigned integer)",
				 idx, r->orig_sz, r->new_sz);
			wide = false;
			goto poisoned;
		}
		snprintf(note, nl, "off %d -> %" PRIu64, insn->off, r->val);
		insn->off = (int16_t)r->val;
		if (r->new_sz != r->orig_sz) {
			size_t n = strlen(note);

			if (size_bytes(insn->code) != (int)r->orig_sz)
				return snprintf(note, nl, "insn %u (LDX/ST/STX) unexpected mem size: got %d, exp %u", idx,
						size_bytes(insn->code), r->orig_sz),
				       -EINVAL;
			sz = bytes_size(r->new_sz);
			if (sz < 0)
				return snprintf(note, nl, "insn %u (LDX/ST/STX) invalid new mem size: %u", idx, r->new_sz),
				       -EINVAL;
			insn->code = (uint8_t)(BPF_MODE(insn->code) | sz | BPF_CLASS(insn->code));
			snprintf(note + n, nl - n, ", mem_sz %u -> %u", r->orig_sz, r->new_sz);
		}
		break;
	case BPF_LD: {
		uint64_t imm;

		if (!wide || insn[0].src_reg || insn[0].off || insn[1].code || insn[1].dst_reg || insn[1].src_reg ||
		    insn[1].off)
			return snprintf(note, nl, "insn %u (LDIMM64) has unexpected form", idx), -EINVAL;
		imm = (uint32_t)insn[0].imm | (uint64_t)(uint32_t)insn[1].imm << 32;
		if (r->validate && imm != r->orig)
			return snprintf(note, nl, "unexpected insn %u (LDIMM64) value: got %" PRIu64 ", exp %" PRIu64
						  " -> %" PRIu64, idx, imm, r->orig, r->val),
			       -EINVAL;
		snprintf(note, nl, "imm64 %" PRIu64 " -> %" PRIu64, imm, r->val);
		insn[0].imm = (int32_t)(uint32_t)r->val;
		insn[1].imm = (int32_t)(uint32_t)(r->val >> 32);
		break;
	}
	default:
		return snprintf(note, nl, "trying to relocate unrecognized insn %u, code:0x%x", idx, insn->code), -EINVAL;
	}
	relo->status = BPFS_CORE_PATCHED;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Candidates and one relocation                                          */

/* Per object: the candidates of each local root type, narrowed to those
 * that matched as relocations go (libbpf's candidate cache). */
struct cands {
	uint32_t local_id;
	uint32_t *ids;
	size_t n;
};

struct apply {
	struct bpfs_object *obj;
	const struct bpfs_target *t;
	const struct btf *lb, *tb;
	struct cands *cache;
	size_t ncache;
};

static struct cands *find_cands(struct apply *a, uint32_t local_id, const struct btf_type *lt, const char *lname)
{
	size_t elen = essential_len(lname), lo = 0, hi = a->t->nix;
	uint64_t h = name_hash(lname, elen);
	struct cands *c;

	for (size_t i = 0; i < a->ncache; i++)
		if (a->cache[i].local_id == local_id)
			return &a->cache[i];
	c = realloc(a->cache, (a->ncache + 1) * sizeof(*c));
	if (!c)
		return NULL;
	a->cache = c;
	c = &a->cache[a->ncache];
	*c = (struct cands){local_id, NULL, 0};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->t->ix[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < a->t->nix && a->t->ix[i].hash == h; i++) {
		uint32_t id = a->t->ix[i].id;
		const struct btf_type *tt = btf__type_by_id(a->tb, id);
		const char *tn = name_of(a->tb, tt->name_off);
		uint32_t *ids;

		if (!btf_kind_core_compat(tt, lt) || essential_len(tn) != elen || strncmp(tn, lname, elen))
			continue;
		ids = realloc(c->ids, (c->n + 1) * sizeof(*ids));
		if (!ids) {
			free(c->ids);
			return NULL;
		}
		c->ids = ids;
		c->ids[c->n++] = id;
	}
	a->ncache++;
	return c;
}

/* One relocation of program p: its result in relo, the instruction
 * patched. Returns 0, -EINVAL when libbpf would refuse the program, or
 * -ENOMEM. */
static int relocate(struct apply *a, struct bpfs_prog *p, struct bpfs_core_relo *relo)
{
	struct spec *ls = NULL, *cs = NULL, *ts = NULL;
	const struct btf_type *lt = btf__type_by_id(a->lb, relo->type_id);
	const char *lname = lt ? name_of(a->lb, lt->name_off) : "";
	char *why = relo->note;
	size_t wl = sizeof(relo->note);
	struct res r, cr;
	struct cands *c;
	size_t kept = 0;
	int ret;

	relo->note[0] = relo->local[0] = relo->target[0] = '\0';
	relo->status = BPFS_CORE_FAILED;
	if (relo->insn >= p->insn_cnt)
		return snprintf(why, wl, "instruction %u is outside the program", relo->insn), -EINVAL;
	if (!lt)
		return snprintf(why, wl, "local type [%u] does not exist", relo->type_id), -EINVAL;
	ls = malloc(3 * sizeof(*ls));
	if (!ls)
		return -ENOMEM;
	cs = ls + 1;
	ts = ls + 2;
	ret = parse_spec(a->lb, relo->type_id, relo->access, relo->kind, ls, why, wl);
	if (ret) {
		if (!why[0])
			snprintf(why, wl, "parsing [%u] %s %s + %s failed: %d", relo->type_id, kind_str(lt),
				 *lname ? lname : "<anon>", relo->access ? relo->access : "<?>", ret);
		ret = -EINVAL;
		goto out;
	}
	format_spec(relo->local, sizeof(relo->local), ls);
	if (relo->kind == BPF_CORE_TYPE_ID_LOCAL) { /* no candidates: the local id itself */
		r = (struct res){.orig = relo->type_id, .val = relo->type_id};
		ret = patch(p, relo->insn, &r, relo);
		goto out;
	}
	if (!a->tb) {
		snprintf(why, wl, "needs the target kernel's BTF, and there is none: %.120s", a->t->btf_desc);
		ret = -EINVAL;
		goto out;
	}
	if (!*lname) {
		snprintf(why, wl, "<%s> relocation doesn't support anonymous types", bpfs_core_kind_name(relo->kind));
		ret = -EINVAL;
		goto out;
	}
	c = find_cands(a, relo->type_id, lt, lname);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	relo->ncands = (uint32_t)c->n;
	for (size_t i = 0; i < c->n; i++) {
		char cwhy[200] = "";

		ret = match_spec(ls, a->tb, c->ids[i], cs);
		if (ret < 0) {
			snprintf(why, wl, "error matching candidate #%zu [%u]: %d", i, c->ids[i], ret);
			ret = -EINVAL;
			goto out;
		}
		if (!ret)
			continue;
		ret = calc(ls, cs, &cr, cwhy, sizeof(cwhy));
		if (ret) {
			snprintf(why, wl, "%s", cwhy[0] ? cwhy : "cannot compute the relocation");
			ret = -EINVAL;
			goto out;
		}
		if (kept == 0) {
			r = cr;
			*ts = *cs;
			relo->targ_id = c->ids[i];
			format_spec(relo->target, sizeof(relo->target), ts);
		} else if (cs->bit_off != ts->bit_off) {
			snprintf(why, wl, "field offset ambiguity: %" PRIu64 " != %" PRIu64, cs->bit_off, ts->bit_off);
			ret = -EINVAL;
			goto out;
		} else if (cr.poison != r.poison || cr.val != r.val) {
			snprintf(why, wl, "relocation decision ambiguity: %s %" PRIu64 " != %s %" PRIu64,
				 cr.poison ? "failure" : "success", cr.val, r.poison ? "failure" : "success", r.val);
			ret = -EINVAL;
			goto out;
		}
		c->ids[kept++] = c->ids[i];
	}
	relo->nmatch = (uint32_t)kept;
	if (kept) {
		c->n = kept;
	} else {
		ret = calc(ls, NULL, &r, why, wl);
		if (ret) {
			ret = -EINVAL;
			goto out;
		}
	}
	ret = patch(p, relo->insn, &r, relo);
out:
	if (ret && ret != -ENOMEM)
		relo->status = BPFS_CORE_FAILED;
	free(ls);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Externs                                                                */

enum kcfg_type { KCFG_NONE, KCFG_CHAR, KCFG_BOOL, KCFG_INT, KCFG_TRISTATE, KCFG_CHAR_ARR };

struct kcfg {
	const char *name;
	enum kcfg_type type;
	uint32_t size, align, off;
	bool is_signed;
};

static enum kcfg_type kcfg_type_of(const struct btf *btf, uint32_t type_id, struct kcfg *k)
{
	const struct btf_type *t = skip(btf, type_id, NULL), *e;

	if (!t)
		return KCFG_NONE;
	if (btf_is_int(t)) {
		uint8_t enc = btf_int_encoding(t);

		if (btf_int_bits(t) % 8 || !t->size || t->size > 8 || (t->size & (t->size - 1)))
			return KCFG_NONE;
		k->size = k->align = t->size;
		k->is_signed = enc & BTF_INT_SIGNED;
		if (t->size == 1 && (enc & BTF_INT_BOOL))
			return KCFG_BOOL;
		if (t->size == 1 && (enc & BTF_INT_CHAR))
			return KCFG_CHAR;
		return KCFG_INT;
	}
	if (btf_is_enum(t) && t->size == 4 && !strcmp(name_of(btf, t->name_off), "libbpf_tristate")) {
		k->size = k->align = 4;
		return KCFG_TRISTATE;
	}
	if (btf_is_array(t) && btf_array(t)->nelems && (e = skip(btf, btf_array(t)->type, NULL)) && btf_is_int(e) &&
	    e->size == 1) {
		k->size = btf_array(t)->nelems;
		k->align = 1;
		return KCFG_CHAR_ARR;
	}
	return KCFG_NONE;
}

static int cmp_kcfg(const void *a, const void *b)
{
	const struct kcfg *x = a, *y = b;

	if (x->align != y->align) /* larger alignments first, then smaller sizes, then names */
		return x->align > y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool in_range(const struct kcfg *k, uint64_t v)
{
	int bits = (int)k->size * 8;

	if (bits == 64)
		return true;
	if (k->is_signed)
		return (int64_t)v >= -(1ll << (bits - 1)) && (int64_t)v < (1ll << (bits - 1));
	return v >> bits == 0;
}

/* The value of one CONFIG_* extern from its text in the configuration. */
static int kcfg_parse(const struct kcfg *k, const char *value, uint8_t *dst, char *why, size_t wl)
{
	if ((value[0] == 'y' || value[0] == 'n' || value[0] == 'm') && !value[1]) {
		uint8_t v = value[0] == 'y' ? 1 : value[0] == 'm' ? 2 : 0;

		switch (k->type) {
		case KCFG_BOOL:
			if (v == 2)
				return snprintf(why, wl, "value '%c' for a boolean", value[0]), -EINVAL;
			*dst = v;
			return 0;
		case KCFG_TRISTATE: {
			uint32_t tri = v; /* libbpf's TRI_NO, TRI_YES, TRI_MODULE */

			memcpy(dst, &tri, 4);
			return 0;
		}
		case KCFG_CHAR:
			*dst = (uint8_t)value[0];
			return 0;
		default:
			return snprintf(why, wl, "value '%c' for a type that is not bool, tristate or char", value[0]),
			       -EINVAL;
		}
	}
	if (value[0] == '"') {
		size_t n = strlen(value);

		if (k->type != KCFG_CHAR_ARR)
			return snprintf(why, wl, "string value for a type that is not a char array"), -EINVAL;
		if (n < 2 || value[n - 1] != '"')
			return snprintf(why, wl, "invalid string value %s", value), -EINVAL;
		n -= 2;
		if (n >= k->size)
			n = k->size - 1;
		memcpy(dst, value + 1, n);
		dst[n] = '\0';
		return 0;
	}
	if (k->type == KCFG_INT || k->type == KCFG_CHAR) {
		char *end;
		uint64_t v;

		errno = 0;
		v = strtoull(value, &end, 0);
		if (errno || *end || end == value)
			return snprintf(why, wl, "invalid numeric value '%s'", value), -EINVAL;
		if (!in_range(k, v))
			return snprintf(why, wl, "value %s doesn't fit in %u bytes", value, k->size), -ERANGE;
		memcpy(dst, &v, k->size); /* little-endian */
		return 0;
	}
	return snprintf(why, wl, "value '%s' does not suit its type", value), -EINVAL;
}

static bool weak_in(const struct bpfs_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->prog_cnt; i++)
		for (size_t k = 0; k < obj->progs[i].nexterns; k++)
			if (!strcmp(obj->progs[i].externs[k].name, name))
				return obj->progs[i].externs[k].weak;
	return false;
}

/* The ones libbpf computes itself. 1 set, 0 not one of them, < 0 unknown. */
static int kcfg_virtual(struct apply *a, const struct kcfg *k, uint8_t *dst, char *why, size_t wl)
{
	uint64_t v;

	if (strncmp(k->name, "LINUX_", 6))
		return 0;
	if (!strcmp(k->name, "LINUX_KERNEL_VERSION"))
		v = a->t->version;
	else if (!strcmp(k->name, "LINUX_HAS_SYSCALL_WRAPPER"))
		v = a->tb ? btf__find_by_name_kind(a->tb, "__x64_sys_bpf", BTF_KIND_FUNC) > 0 ||
			    a->t->version >= (4u << 16 | 17u << 8)
			  : a->t->version >= (4u << 16 | 17u << 8);
	else if (!strcmp(k->name, "LINUX_HAS_BPF_COOKIE"))
		v = a->t->version >= (5u << 16 | 15u << 8);
	else if (weak_in(a->obj, k->name)) /* unknown to libbpf, but weak: zero */
		return 1;
	else
		return snprintf(why, wl, "unrecognized virtual extern"), -EINVAL;
	if (k->type != KCFG_INT && k->type != KCFG_BOOL && k->type != KCFG_CHAR)
		return snprintf(why, wl, "type is not an integer"), -EINVAL;
	memcpy(dst, &v, k->size);
	return 1;
}

struct ext_state {
	struct kcfg *kcfg; /* the .kconfig DATASEC's variables, laid out */
	size_t nkcfg;
	char (*kwhy)[160]; /* per kcfg: "" resolved, or why not */
	int map;	   /* the .kconfig map, -1 when none */
	const struct btf_type *ksyms; /* the .ksyms DATASEC, or NULL */
};

static const struct btf_type *datasec(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_DATASEC);

	return id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
}

/* Lays out and fills the .kconfig map. */
static int build_kconfig(struct apply *a, struct ext_state *s)
{
	const struct btf_type *ds = datasec(a->lb, ".kconfig");
	struct bpfs_map_spec spec = {.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .max_entries = 1,
				     .flags = BPF_F_RDONLY_PROG, .inner_map = -1, .internal = true};
	uint32_t off = 0;
	uint8_t *data;

	s->map = -1;
	if (!ds || !btf_vlen(ds))
		return 0;
	s->kcfg = calloc(btf_vlen(ds), sizeof(*s->kcfg));
	s->kwhy = calloc(btf_vlen(ds), sizeof(*s->kwhy));
	if (!s->kcfg || !s->kwhy)
		return -ENOMEM;
	for (uint16_t i = 0; i < btf_vlen(ds); i++) {
		const struct btf_type *v = btf__type_by_id(a->lb, btf_var_secinfos(ds)[i].type);
		struct kcfg *k = &s->kcfg[s->nkcfg];

		if (!v || !btf_is_var(v))
			continue;
		k->name = name_of(a->lb, v->name_off);
		k->type = kcfg_type_of(a->lb, v->type, k);
		if (k->type == KCFG_NONE)
			k->size = k->align = 1; /* unusable; kept for its message */
		s->nkcfg++;
	}
	qsort(s->kcfg, s->nkcfg, sizeof(*s->kcfg), cmp_kcfg);
	for (size_t i = 0; i < s->nkcfg; i++) {
		off = (off + s->kcfg[i].align - 1) / s->kcfg[i].align * s->kcfg[i].align;
		s->kcfg[i].off = off;
		off += s->kcfg[i].size;
	}
	if (!off)
		return 0;
	data = calloc(1, off);
	if (!data)
		return -ENOMEM;
	for (size_t i = 0; i < s->nkcfg; i++) {
		struct kcfg *k = &s->kcfg[i];
		const char *val;
		int r;

		if (k->type == KCFG_NONE) {
			snprintf(s->kwhy[i], sizeof(s->kwhy[i]), "extern (kcfg) '%s': type is unsupported", k->name);
			continue;
		}
		r = kcfg_virtual(a, k, data + k->off, s->kwhy[i], sizeof(s->kwhy[i]));
		if (r > 0)
			continue;
		if (r == 0 && (val = a->t->has_cfg ? cfg_value(a->t, k->name) : NULL))
			r = kcfg_parse(k, val, data + k->off, s->kwhy[i], sizeof(s->kwhy[i]));
		else if (r == 0 && !weak_in(a->obj, k->name)) {
			snprintf(s->kwhy[i], sizeof(s->kwhy[i]), "%s%.120s", a->t->has_cfg ? "not in " : "no configuration: ",
				 a->t->cfg_desc);
			r = -ESRCH;
		}
		if (r < 0 && s->kwhy[i][0]) {
			char tmp[160];

			snprintf(tmp, sizeof(tmp), "extern (kcfg) '%s': %s", k->name, s->kwhy[i]);
			memcpy(s->kwhy[i], tmp, sizeof(tmp));
		}
	}
	spec.value_size = off;
	spec.init_data = data;
	spec.init_size = off;
	s->map = bpfs_obj_add_map(a->obj, ".kconfig", &spec);
	return s->map < 0 ? -ENOMEM : 0;
}

static const struct btf_type *ksym_var(const struct apply *a, const struct ext_state *s, const char *name,
				       uint32_t *type)
{
	for (uint16_t i = 0; s->ksyms && i < btf_vlen(s->ksyms); i++) {
		const struct btf_type *v = btf__type_by_id(a->lb, btf_var_secinfos(s->ksyms)[i].type);

		if (v && btf_is_var(v) && !strcmp(name_of(a->lb, v->name_off), name)) {
			*type = v->type;
			return v;
		}
	}
	return NULL;
}

/* The address of a kernel symbol in /proc/kallsyms ("ADDR TYPE NAME"). */
static bool kallsyms_addr(const char *name, uint64_t *addr)
{
	char line[512], sym[256], type;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && !strcmp(sym, name)) {
			*addr = a;
			found = true;
		}
	fclose(f);
	return found;
}

static void set_ldimm64(struct bpf_insn *insn, uint64_t v)
{
	insn[0] = (struct bpf_insn){.code = insn->code, .dst_reg = insn->dst_reg, .imm = (int32_t)(uint32_t)v};
	insn[1].imm = (int32_t)(uint32_t)(v >> 32);
}

/* A typeless ksym (`extern const void x __ksym`) is its address: from
 * /proc/kallsyms when the target is the running kernel, as libbpf reads
 * it; for another kernel whose BTF has the symbol, a stand-in kernel
 * address (the verifier sees a scalar either way). */
static void typeless(struct apply *a, struct bpfs_extern_use *u, struct bpf_insn *insn)
{
	uint64_t addr = 0;

	if (a->t->running && kallsyms_addr(u->name, &addr)) {
		set_ldimm64(insn, addr);
		snprintf(u->note, sizeof(u->note), "typeless ksym: address 0x%" PRIx64 " from /proc/kallsyms", addr);
	} else if (!a->t->running && a->tb &&
		   (btf__find_by_name_kind(a->tb, u->name, BTF_KIND_FUNC) > 0 ||
		    btf__find_by_name_kind(a->tb, u->name, BTF_KIND_VAR) > 0)) {
		set_ldimm64(insn, 0xffffffff81000000ull);
		snprintf(u->note, sizeof(u->note), "typeless ksym in the target's BTF: a stand-in address");
	} else if (u->weak) {
		set_ldimm64(insn, 0);
		snprintf(u->note, sizeof(u->note), "typeless weak ksym not found: reads 0");
	} else {
		snprintf(u->note, sizeof(u->note), "extern (ksym) '%s': not found in %s", u->name,
			 a->t->running ? "/proc/kallsyms" : "the target's BTF");
		return;
	}
	u->resolved = true;
}

/* A call to a kernel function: BPF_PSEUDO_KFUNC_CALL of the target's
 * FUNC, its prototype compatible with the extern's, as libbpf resolves
 * it (a weak one the target lacks calls id 0); its address (LD_IMM64,
 * bpf_ksym_exists()) is a BPF_PSEUDO_BTF_ID load of that FUNC (0 when a
 * weak one is missing). */
static void resolve_kfunc(struct apply *a, struct bpfs_extern_use *u, struct bpf_insn *insn, bool call)
{
	int lid = btf__find_by_name_kind(a->lb, u->name, BTF_KIND_FUNC), tid;
	const struct btf_type *lf = lid > 0 ? btf__type_by_id(a->lb, (uint32_t)lid) : NULL, *tf;

	if (!lf) {
		snprintf(u->note, sizeof(u->note), "extern (func ksym) '%s': no BTF FUNC in the object", u->name);
		return;
	}
	if (!a->tb) {
		snprintf(u->note, sizeof(u->note), "extern (func ksym) '%s': needs the target kernel's BTF, and there is none",
			 u->name);
		return;
	}
	tid = btf__find_by_name_kind(a->tb, u->name, BTF_KIND_FUNC);
	tf = tid > 0 ? btf__type_by_id(a->tb, (uint32_t)tid) : NULL;
	u->kind = BPFS_EXTERN_KFUNC;
	if (!tf && u->weak) {
		if (call)
			*insn = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL};
		else
			set_ldimm64(insn, 0);
		u->resolved = true;
		snprintf(u->note, sizeof(u->note), "weak kfunc not in the target BTF: %s", call ? "calls id 0" : "reads 0");
		return;
	}
	if (!tf) {
		snprintf(u->note, sizeof(u->note), "extern (func ksym) '%s': not found in kernel BTF", u->name);
		return;
	}
	if (types_compat(a->lb, lf->type, a->tb, tf->type, DEPTH_MAX) <= 0) {
		snprintf(u->note, sizeof(u->note), "extern (func ksym) '%s': func_proto [%u] incompatible with the target's [%u]",
			 u->name, lf->type, tf->type);
		return;
	}
	if (call) {
		*insn = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL, .imm = tid};
	} else {
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = tid;
		insn[1].imm = 0;
	}
	u->resolved = true;
	snprintf(u->note, sizeof(u->note), "%s of the target's FUNC [%d] (the verifier may not model kfuncs)",
		 call ? "BPF_PSEUDO_KFUNC_CALL" : "BPF_PSEUDO_BTF_ID load", tid);
}

/* One extern reference of program p. */
static void resolve_use(struct apply *a, struct ext_state *s, struct bpfs_prog *p, struct bpfs_extern_use *u)
{
	struct bpf_insn *insn = &p->insns[u->insn];
	bool wide = bpfs_insn_is_ldimm64(insn) && u->insn + 1 < p->insn_cnt;
	uint32_t vtype = 0;

	for (size_t i = 0; wide && i < s->nkcfg; i++) {
		if (strcmp(s->kcfg[i].name, u->name))
			continue;
		u->kind = BPFS_EXTERN_KCONFIG;
		if (s->kwhy[i][0]) {
			snprintf(u->note, sizeof(u->note), "%s", s->kwhy[i]);
			return;
		}
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = s->map;
		insn[1].imm = (int32_t)s->kcfg[i].off;
		u->resolved = true;
		snprintf(u->note, sizeof(u->note), ".kconfig map value at offset %u", s->kcfg[i].off);
		return;
	}
	if (!wide || !ksym_var(a, s, u->name, &vtype)) {
		if (u->kind == BPFS_EXTERN_KFUNC || (wide && btf__find_by_name_kind(a->lb, u->name, BTF_KIND_FUNC) > 0))
			resolve_kfunc(a, u, insn, !wide);
		else
			snprintf(u->note, sizeof(u->note), "not a .kconfig or .ksyms variable");
		return;
	}
	u->kind = BPFS_EXTERN_KSYM;
	if (!skip(a->lb, vtype, NULL) || btf_kind(skip(a->lb, vtype, NULL)) == BTF_KIND_UNKN) {
		typeless(a, u, insn);
		return;
	}
	if (!a->tb) {
		snprintf(u->note, sizeof(u->note), "extern (var ksym) '%s': needs the target kernel's BTF, and there is none: %.60s",
			 u->name, a->t->btf_desc);
		return;
	}
	{
		int id = btf__find_by_name_kind(a->tb, u->name, BTF_KIND_VAR);
		const struct btf_type *tv = id > 0 ? btf__type_by_id(a->tb, (uint32_t)id) : NULL;

		if (!tv && u->weak) {
			insn[0] = (struct bpf_insn){.code = insn->code, .dst_reg = insn->dst_reg};
			insn[1].imm = 0;
			u->resolved = true;
			snprintf(u->note, sizeof(u->note), "weak ksym not in the target BTF: reads 0");
			return;
		}
		if (!tv) {
			snprintf(u->note, sizeof(u->note), "extern (var ksym) '%s': not found in kernel BTF", u->name);
			return;
		}
		uint32_t lt = 0, tt = 0;

		skip(a->lb, vtype, &lt);
		skip(a->tb, tv->type, &tt);
		if (types_compat(a->lb, lt, a->tb, tt, DEPTH_MAX) <= 0) {
			snprintf(u->note, sizeof(u->note), "extern (var ksym) '%s': incompatible types with [%d] in the target",
				 u->name, id);
			return;
		}
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = id;
		insn[1].imm = 0;
		u->resolved = true;
		snprintf(u->note, sizeof(u->note),
			 "BPF_PSEUDO_BTF_ID of the target's VAR [%d] (the verifier may not model ksym loads)", id);
	}
}

/* The program's load error after the target: the first extern that did
 * not resolve, else the first relocation libbpf refuses, else none. */
static int prog_error(struct bpfs_object *obj, size_t pi, const struct bpfs_core_relo *failed, size_t failed_idx)
{
	struct bpfs_prog *p = &obj->progs[pi];
	char msg[400];

	for (size_t k = 0; k < p->nexterns; k++) {
		const struct bpfs_extern_use *u = &p->externs[k];

		if (u->resolved)
			continue;
		if (u->kind == BPFS_EXTERN_KCONFIG || u->kind == BPFS_EXTERN_KSYM)
			snprintf(msg, sizeof(msg), "section '%s': unresolved extern symbol '%s': %s", p->section, u->name,
				 u->note);
		else
			snprintf(msg, sizeof(msg), "section '%s': unresolved extern symbol '%s'", p->section, u->name);
		return bpfs_obj_replace_prog_error(obj, pi, msg);
	}
	if (failed) {
		snprintf(msg, sizeof(msg), "section '%s': CO-RE relocation #%zu (%s, insn %u) failed: %s", p->section,
			 failed_idx, bpfs_core_kind_name(failed->kind), failed->insn, failed->note);
		return bpfs_obj_replace_prog_error(obj, pi, msg);
	}
	return p->nexterns ? bpfs_obj_replace_prog_error(obj, pi, NULL) : 0;
}

static int apply_prog(struct apply *a, struct ext_state *s, size_t pi)
{
	struct bpfs_prog *p = &a->obj->progs[pi];
	const struct bpfs_core_relo *failed = NULL;
	size_t failed_idx = 0;

	for (size_t k = 0; k < p->nexterns; k++)
		resolve_use(a, s, p, &p->externs[k]);
	for (size_t r = 0; r < p->ncore_relos; r++) {
		int ret = relocate(a, p, &p->core_relos[r]);

		if (ret == -ENOMEM)
			return ret;
		if (ret && !failed) {
			failed = &p->core_relos[r];
			failed_idx = r;
		}
	}
	return prog_error(a->obj, pi, failed, failed_idx);
}

int bpfs_object_apply_target(struct bpfs_object *obj, const struct bpfs_target *t, struct bpfs_err *err)
{
	struct apply a = {.obj = obj, .t = t};
	struct ext_state s = {.map = -1};
	int ret = 0;

	if (!obj || !t)
		return bpfs_err_set(err, EINVAL, -1, "no object or no target");
	if (obj->target_applied)
		return bpfs_err_set(err, EALREADY, -1, "%s: a target kernel was already applied", obj->path);
	obj->target_applied = true;
	if (obj->format != BPFS_FORMAT_ELF || !obj->btf)
		return 0; /* nothing refers to BTF: externs stay unresolved */
	a.lb = bpfs_btf_libbpf(obj->btf);
	a.tb = t->btf ? bpfs_btf_libbpf(t->btf) : NULL;
	s.ksyms = datasec(a.lb, ".ksyms");
	ret = build_kconfig(&a, &s);
	for (size_t i = 0; i < obj->prog_cnt && !ret; i++) {
		ret = apply_prog(&a, &s, i);
		/* Each program as if loaded alone (libbpf's cache lives as long
		 * as one load of the object, and skips programs not loaded). */
		for (size_t k = 0; k < a.ncache; k++)
			free(a.cache[k].ids);
		free(a.cache);
		a.cache = NULL;
		a.ncache = 0;
	}
	free(s.kcfg);
	free(s.kwhy);
	if (ret)
		return bpfs_err_set(err, -ret, -1, "%s: out of memory", obj->path);
	return 0;
}
