/* SPDX-License-Identifier: MIT */
/*
 * CO-RE relocations and extern symbols as libbpf applies them: the test
 * programs of tests/bpf/core_*.bpf.c relocated against a target BTF built
 * here with libbpf's btf__add_* API (fields moved, grown, gone, renamed in
 * a flavour, bitfields laid out anew, an enum changed, ambiguous and
 * agreeing flavours), every relocation's result and patched instruction
 * checked, poisoning seen by the verifier; .kconfig externs from a
 * configuration file, typed .ksyms from the target's VARs, kfuncs from its
 * FUNCs; and, when the
 * running kernel has BTF, the modern corpus's CO-RE objects against it.
 */
#include <bpf/btf.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "analysis.h"
#include "corpus.h"
#include "testutil.h"

static char *test_obj_or_skip(const char *name)
{
	const char *dir = g_getenv("BPFS_TEST_BPF_DIR");
	char *path = dir ? g_build_filename(dir, name, NULL) : NULL;

	if (!path || !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_test_skip("the test BPF programs were not built (clang -target bpf is missing)");
		g_free(path);
		return NULL;
	}
	return path;
}

/* Ids of the target types the assertions name. */
struct target_ids {
	int core_s, var_ksym, kfunc;
};

/* The "target kernel": tests/bpf/core_reloc.bpf.c's types as another
 * kernel would have them. */
static char *write_target_btf(const char *dir, struct target_ids *ids)
{
	struct btf *b = btf__new_empty();
	int i32, u32, i64, ch, name16, amb, same, proto;
	const void *raw;
	__u32 size;
	char *path = g_build_filename(dir, "target.btf", NULL);

	g_assert_nonnull(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	i64 = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	name16 = btf__add_array(b, u32, ch, 16);
	/* struct core_s: x and y moved by a new first field, the bitfields
	 * swapped places, small grew from u16 to u32, sval from short to int,
	 * name grew and moved, gone is gone, z (of the flavour) appeared. */
	ids->core_s = btf__add_struct(b, "core_s", 48);
	g_assert_cmpint(btf__add_field(b, "pad", i64, 0, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "x", i32, 64, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "y", i32, 96, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "mode", u32, 128, 5), ==, 0);
	g_assert_cmpint(btf__add_field(b, "flags", u32, 133, 3), ==, 0);
	g_assert_cmpint(btf__add_field(b, "small", u32, 160, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "sval", i32, 192, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "z", i32, 224, 0), ==, 0);
	g_assert_cmpint(btf__add_field(b, "name", name16, 256, 0), ==, 0);
	/* two flavours of core_amb that disagree on b's offset */
	amb = btf__add_struct(b, "core_amb", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", i32, 32, 0);
	amb = btf__add_struct(b, "core_amb___2", 8);
	btf__add_field(b, "b", i32, 0, 0);
	btf__add_field(b, "a", i32, 32, 0);
	/* two flavours of core_same that agree */
	for (int i = 0; i < 2; i++) {
		same = btf__add_struct(b, i ? "core_same___dup" : "core_same", 12);
		btf__add_field(b, "a", i32, 0, 0);
		btf__add_field(b, "pad", i32, 32, 0);
		btf__add_field(b, "b", i32, 64, 0);
	}
	g_assert_cmpint(btf__add_enum(b, "core_e", 4), >, 0);
	btf__add_enum_value(b, "CORE_ONE", 1);
	btf__add_enum_value(b, "CORE_TWO", 20);
	ids->var_ksym = btf__add_var(b, "bpfs_test_ksym", BTF_VAR_GLOBAL_ALLOCATED, i32);
	g_assert_cmpint(ids->var_ksym, >, 0);
	proto = btf__add_func_proto(b, i32);
	btf__add_func_param(b, "x", i32);
	ids->kfunc = btf__add_func(b, "bpfs_test_kfunc", BTF_FUNC_GLOBAL, proto);
	g_assert_cmpint(ids->kfunc, >, 0);
	(void)amb;
	(void)same;
	raw = btf__raw_data(b, &size);
	g_assert_nonnull(raw);
	g_assert_true(g_file_set_contents(path, raw, size, NULL));
	btf__free(b);
	return path;
}

struct fixture {
	char *dir, *btf, *kconfig, *obj_path;
	struct target_ids ids;
	struct bpfs_target *target;
	struct bpfs_object *obj;
};

static bool setup(struct fixture *f, const char *obj, bool with_btf)
{
	struct bpfs_target_opts o = {0};
	struct bpfs_err err;
	static const char cfg[] = "# a kernel configuration\n"
				  "CONFIG_BPFS_NUM=40\n"
				  "CONFIG_BPFS_YES=y\n"
				  "CONFIG_BPFS_MOD=m\n"
				  "CONFIG_BPFS_STR=\"hello\"\n"
				  "# CONFIG_BPFS_ABSENT is not set\n";

	memset(f, 0, sizeof(*f));
	f->obj_path = test_obj_or_skip(obj);
	if (!f->obj_path)
		return false;
	f->dir = g_dir_make_tmp("bpfs-core-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->btf = write_target_btf(f->dir, &f->ids);
	f->kconfig = g_build_filename(f->dir, "config", NULL);
	g_assert_true(g_file_set_contents(f->kconfig, cfg, -1, NULL));
	o.btf = with_btf ? f->btf : "";
	o.kconfig = f->kconfig;
	o.kernel_version = 6 << 16 | 1 << 8 | 18;
	bpfs_err_clear(&err);
	g_assert_cmpint(bpfs_target_open(&o, &f->target, &err), ==, 0);
	g_assert_cmpint(bpfs_object_open(f->obj_path, BPFS_FORMAT_AUTO, &f->obj, &err), ==, 0);
	g_assert_cmpint(bpfs_object_apply_target(f->obj, f->target, &err), ==, 0);
	return true;
}

static void teardown(struct fixture *f)
{
	bpfs_object_free(f->obj);
	bpfs_target_free(f->target);
	if (f->dir)
		tu_rm_tree(f->dir);
	g_free(f->dir);
	g_free(f->btf);
	g_free(f->kconfig);
	g_free(f->obj_path);
}

static const struct bpfs_prog *prog(const struct fixture *f, const char *name)
{
	struct bpfs_err err;
	const struct bpfs_prog *p = bpfs_object_find_prog(f->obj, name, &err);

	g_assert_nonnull(p);
	return p;
}

/* The relocation of kind whose local spec contains what. */
static const struct bpfs_core_relo *relo(const struct bpfs_prog *p, uint32_t kind, const char *what)
{
	for (size_t i = 0; i < p->ncore_relos; i++)
		if (p->core_relos[i].kind == kind && strstr(p->core_relos[i].local, what))
			return &p->core_relos[i];
	g_error("no <%s> relocation on '%s' in %s", bpfs_core_kind_name(kind), what, p->name);
	return NULL;
}

/* A relocation on an ALU immediate, patched from orig to val. */
static void check_imm(const struct bpfs_prog *p, uint32_t kind, const char *what, uint64_t orig, uint64_t val)
{
	const struct bpfs_core_relo *r = relo(p, kind, what);

	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpuint(r->orig_val, ==, orig);
	g_assert_cmpuint(r->new_val, ==, val);
	g_assert_cmpint(p->insns[r->insn].imm, ==, (int32_t)val);
}

static void verify(const struct bpfs_object *obj, const struct bpfs_prog *p, struct bpfs_verdict *v)
{
	struct bpfs_verifier_opts o = {
		.prog_type = p->type, .maps = obj->maps, .map_cnt = obj->map_cnt, .license = obj->license,
		.log_level = 1, .btf = obj->btf, .func_info = p->func_info, .nfunc_info = p->nfunc_info,
		.funcs = p->funcs, .nfuncs = p->nfuncs, .line_info = p->line_info, .nline_info = p->nline_info,
		.insn_limit = 1000000,
	};

	g_assert_cmpint(bpfs_verify(p->insns, p->insn_cnt, &o, v), ==, 0);
}

static void test_fields(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;

	if (!setup(&f, "core_reloc.o", true))
		return;
	p = prog(&f, "core_fields");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	check_imm(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.y (0:1 @ offset 4)", 4, 12);
	check_imm(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.name[2]", 30, 34);
	check_imm(p, BPF_CORE_FIELD_BYTE_SIZE, "struct core_s.small", 2, 4);
	check_imm(p, BPF_CORE_FIELD_EXISTS, "struct core_s.gone", 1, 0);
	check_imm(p, BPF_CORE_FIELD_SIGNED, "struct core_s.x", 1, 1);
	/* mode: 5 bits at bit 67 here, at bit 128 in the target */
	check_imm(p, BPF_CORE_FIELD_LSHIFT_U64, "struct core_s.mode", 56, 59);
	check_imm(p, BPF_CORE_FIELD_RSHIFT_U64, "struct core_s.mode", 59, 59);
	check_imm(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.mode", 8, 16);
	/* a flavour finds the target's core_s */
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s___flav.z");
	check_imm(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s___flav.z", 4, 28);
	g_assert_cmpuint(r->ncands, ==, 1);
	g_assert_cmpuint(r->targ_id, ==, (uint32_t)f.ids.core_s);
	g_assert_nonnull(strstr(r->target, "struct core_s.z (0:7 @ offset 28)"));
	g_assert_cmpstr(r->note, ==, "imm 4 -> 28");
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.y");
	g_assert_nonnull(strstr(r->local, "<byte_off> ["));
	g_assert_nonnull(strstr(r->target, "struct core_s.y (0:2 @ offset 12)"));
	teardown(&f);
}

static void test_types_enums(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;
	uint64_t imm;

	if (!setup(&f, "core_reloc.o", true))
		return;
	p = prog(&f, "core_types");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	check_imm(p, BPF_CORE_TYPE_EXISTS, "struct core_s", 1, 1);
	check_imm(p, BPF_CORE_TYPE_EXISTS, "struct core_missing", 1, 0);
	check_imm(p, BPF_CORE_TYPE_SIZE, "struct core_s", 40, 48);
	/* enum values and type ids are LD_IMM64 */
	r = relo(p, BPF_CORE_ENUMVAL_VALUE, "::CORE_TWO = 2");
	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpuint(r->new_val, ==, 20);
	g_assert_cmpint(p->insns[r->insn].imm, ==, 20);
	g_assert_cmpstr(r->note, ==, "imm64 2 -> 20");
	r = relo(p, BPF_CORE_ENUMVAL_EXISTS, "::CORE_GONE");
	g_assert_cmpuint(r->new_val, ==, 0);
	r = relo(p, BPF_CORE_ENUMVAL_EXISTS, "::CORE_ONE");
	g_assert_cmpuint(r->new_val, ==, 1);
	r = relo(p, BPF_CORE_TYPE_ID_TARGET, "struct core_s");
	imm = (uint32_t)p->insns[r->insn].imm | (uint64_t)(uint32_t)p->insns[r->insn + 1].imm << 32;
	g_assert_cmpuint(imm, ==, (uint64_t)f.ids.core_s);
	r = relo(p, BPF_CORE_TYPE_ID_LOCAL, "struct core_s");
	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpuint(r->new_val, ==, r->type_id);
	teardown(&f);
}

/* TYPE_MATCHES (clang 15 and later emit it): a TYPE_EXISTS record turned
 * into one before the target is applied. */
static void test_type_matches(void)
{
	g_autofree char *path = test_obj_or_skip("core_reloc.o");
	struct fixture f;
	struct bpfs_target_opts o = {0};
	struct bpfs_object *obj;
	struct bpfs_prog *p;
	struct bpfs_err err;
	uint32_t same = 0;

	if (!path)
		return;
	memset(&f, 0, sizeof(f));
	f.dir = g_dir_make_tmp("bpfs-core-XXXXXX", NULL);
	f.btf = write_target_btf(f.dir, &f.ids);
	o.btf = f.btf;
	o.kconfig = "";
	g_assert_cmpint(bpfs_target_open(&o, &f.target, &err), ==, 0);
	g_assert_cmpint(bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err), ==, 0);
	same = (uint32_t)btf__find_by_name_kind(bpfs_btf_libbpf(obj->btf), "core_same", BTF_KIND_STRUCT);
	p = bpfs_object_find_prog(obj, "core_types", &err);
	g_assert_nonnull(p);
	for (size_t i = 0, n = 0; i < p->ncore_relos; i++) {
		if (p->core_relos[i].kind != BPF_CORE_TYPE_EXISTS)
			continue;
		p->core_relos[i].kind = BPF_CORE_TYPE_MATCHES;
		if (n++ == 1) /* core_missing: no candidate; the other stays core_s */
			p->core_relos[i].type_id = same;
	}
	g_assert_cmpint(bpfs_object_apply_target(obj, f.target, &err), ==, 0);
	for (size_t i = 0; i < p->ncore_relos; i++) {
		const struct bpfs_core_relo *r = &p->core_relos[i];

		if (r->kind != BPF_CORE_TYPE_MATCHES)
			continue;
		g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
		if (r->type_id == same) { /* {a, b} matches both flavours of {a, pad, b} */
			g_assert_cmpuint(r->nmatch, ==, 2);
			g_assert_cmpuint(r->new_val, ==, 1);
		} else { /* core_s: 'gone' has no namesake */
			g_assert_cmpuint(r->nmatch, ==, 0);
			g_assert_cmpuint(r->new_val, ==, 0);
		}
	}
	g_assert_cmpint(bpfs_object_apply_target(obj, f.target, &err), ==, -EALREADY);
	bpfs_object_free(obj);
	teardown(&f);
}

static void test_loads(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;
	const struct bpf_insn *insn;

	if (!setup(&f, "core_reloc.o", true))
		return;
	p = prog(&f, "core_loads");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.y");
	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpint(p->insns[r->insn].off, ==, 12);
	g_assert_cmpstr(r->note, ==, "off 4 -> 12");
	/* u16 -> u32: the load widens */
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.small");
	insn = &p->insns[r->insn];
	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpint(insn->off, ==, 20);
	g_assert_cmpint(insn->code, ==, BPF_LDX | BPF_MEM | BPF_W);
	g_assert_cmpstr(r->note, ==, "off 24 -> 20, mem_sz 2 -> 4");
	/* short -> int: signed, cannot be resized: poisoned */
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.sval");
	insn = &p->insns[r->insn];
	g_assert_cmpint(r->status, ==, BPFS_CORE_POISONED);
	g_assert_cmpint(insn->code, ==, BPF_JMP | BPF_CALL);
	g_assert_cmpint(insn->imm, ==, 0xbad2310);
	g_assert_nonnull(strstr(r->note, "accesses field incorrectly"));
	teardown(&f);
}

static void test_poison(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;
	struct bpfs_verdict v = {0};

	if (!setup(&f, "core_reloc.o", true))
		return;
	p = prog(&f, "core_poison");
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_s.gone");
	g_assert_cmpint(r->status, ==, BPFS_CORE_POISONED);
	g_assert_cmpuint(r->ncands, ==, 1);
	g_assert_cmpuint(r->nmatch, ==, 0);
	g_assert_cmpint(p->insns[r->insn].code, ==, BPF_JMP | BPF_CALL);
	g_assert_cmpint(p->insns[r->insn].imm, ==, 195896080);
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	verify(f.obj, p, &v);
	g_assert_false(v.accepted);
	g_assert_cmpstr(v.msg, ==, "invalid func unknown#195896080");
	bpfs_verdict_release(&v);
	teardown(&f);
}

static void test_ambiguity(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;

	if (!setup(&f, "core_reloc.o", true))
		return;
	p = prog(&f, "core_ambiguous");
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_amb.b");
	g_assert_cmpint(r->status, ==, BPFS_CORE_FAILED);
	g_assert_cmpuint(r->ncands, ==, 2);
	g_assert_nonnull(strstr(r->note, "field offset ambiguity: 0 != 32"));
	g_assert_nonnull(bpfs_prog_load_error(f.obj, p));
	g_assert_nonnull(strstr(bpfs_prog_load_error(f.obj, p), "CO-RE relocation #0"));
	/* agreeing flavours: both kept */
	p = prog(&f, "core_agree");
	r = relo(p, BPF_CORE_FIELD_BYTE_OFFSET, "struct core_same.b");
	g_assert_cmpint(r->status, ==, BPFS_CORE_PATCHED);
	g_assert_cmpuint(r->nmatch, ==, 2);
	g_assert_cmpuint(r->new_val, ==, 8);
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	teardown(&f);
}

static void test_no_btf(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_core_relo *r;
	const char *e;

	if (!setup(&f, "core_reloc.o", false))
		return;
	p = prog(&f, "core_fields");
	r = &p->core_relos[0];
	g_assert_cmpint(r->status, ==, BPFS_CORE_FAILED);
	g_assert_nonnull(strstr(r->note, "needs the target kernel's BTF"));
	e = bpfs_prog_load_error(f.obj, p);
	g_assert_nonnull(e);
	g_assert_nonnull(strstr(e, "needs the target kernel's BTF"));
	/* TYPE_ID_LOCAL needs none */
	p = prog(&f, "core_types");
	g_assert_cmpint(relo(p, BPF_CORE_TYPE_ID_LOCAL, "struct core_s")->status, ==, BPFS_CORE_PATCHED);
	teardown(&f);
}

static const struct bpfs_extern_use *ext(const struct bpfs_prog *p, const char *name)
{
	for (size_t i = 0; i < p->nexterns; i++)
		if (!strcmp(p->externs[i].name, name))
			return &p->externs[i];
	g_error("no extern '%s' in %s", name, p->name);
	return NULL;
}

static void test_kconfig(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_map_spec *m = NULL;
	const struct bpfs_extern_use *u;
	const uint8_t *d;
	struct bpfs_verdict v = {0};
	int map = -1;
	uint32_t u32;

	if (!setup(&f, "core_externs.o", true))
		return;
	for (size_t i = 0; i < f.obj->map_cnt; i++)
		if (!strcmp(f.obj->maps[i].name, ".kconfig"))
			map = (int)i;
	g_assert_cmpint(map, >=, 0);
	m = &f.obj->maps[map];
	g_assert_true(m->internal);
	g_assert_cmpuint(m->flags, ==, BPF_F_RDONLY_PROG);
	/* libbpf's layout: by alignment, then size, then name */
	g_assert_cmpuint(m->value_size, ==, 25);
	d = m->init_data;
	memcpy(&u32, d + 0, 4); /* CONFIG_BPFS_ABSENT, weak */
	g_assert_cmpuint(u32, ==, 0);
	memcpy(&u32, d + 4, 4); /* CONFIG_BPFS_MOD=m */
	g_assert_cmpuint(u32, ==, 2);
	memcpy(&u32, d + 8, 4);
	g_assert_cmpuint(u32, ==, 40);
	memcpy(&u32, d + 12, 4);
	g_assert_cmpuint(u32, ==, 0x060112);
	g_assert_cmpuint(d[16], ==, 1);
	g_assert_cmpstr((const char *)d + 17, ==, "hello");
	p = prog(&f, "kconfig_values");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	u = ext(p, "CONFIG_BPFS_NUM");
	g_assert_true(u->resolved);
	g_assert_cmpint(u->kind, ==, BPFS_EXTERN_KCONFIG);
	g_assert_cmpint(p->insns[u->insn].src_reg, ==, BPF_PSEUDO_MAP_VALUE);
	g_assert_cmpint(p->insns[u->insn].imm, ==, map);
	g_assert_cmpint(p->insns[u->insn + 1].imm, ==, 8);
	g_assert_true(ext(p, "CONFIG_BPFS_ABSENT")->weak);
	verify(f.obj, p, &v);
	g_assert_true(v.accepted);
	bpfs_verdict_release(&v);
	/* typed ksym: the target's VAR; the weak one that is not there: 0 */
	p = prog(&f, "ksym_addr");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	u = ext(p, "bpfs_test_ksym");
	g_assert_true(u->resolved);
	g_assert_cmpint(u->kind, ==, BPFS_EXTERN_KSYM);
	g_assert_cmpint(p->insns[u->insn].src_reg, ==, BPF_PSEUDO_BTF_ID);
	g_assert_cmpint(p->insns[u->insn].imm, ==, f.ids.var_ksym);
	u = ext(p, "bpfs_absent_ksym");
	g_assert_true(u->resolved);
	g_assert_cmpint(p->insns[u->insn].src_reg, ==, 0);
	g_assert_cmpint(p->insns[u->insn].imm, ==, 0);
	teardown(&f);
}

/* Kernel functions: calls of the target's FUNC; a weak one it lacks has
 * address 0 (bpf_ksym_exists) and calls id 0. */
static void test_kfuncs(void)
{
	struct fixture f;
	const struct bpfs_prog *p;
	const struct bpfs_extern_use *u;

	if (!setup(&f, "core_externs.o", true))
		return;
	p = prog(&f, "kfunc_calls");
	g_assert_cmpstr(bpfs_prog_load_error(f.obj, p), ==, NULL);
	for (size_t i = 0; i < p->nexterns; i++) {
		const struct bpf_insn *insn = &p->insns[p->externs[i].insn];

		u = &p->externs[i];
		g_assert_true(u->resolved);
		g_assert_cmpint(u->kind, ==, BPFS_EXTERN_KFUNC);
		if (!strcmp(u->name, "bpfs_test_kfunc")) {
			g_assert_cmpint(insn->code, ==, BPF_JMP | BPF_CALL);
			g_assert_cmpint(insn->src_reg, ==, BPF_PSEUDO_KFUNC_CALL);
			g_assert_cmpint(insn->imm, ==, f.ids.kfunc);
		} else if (insn->code == (BPF_JMP | BPF_CALL)) {
			g_assert_cmpint(insn->src_reg, ==, BPF_PSEUDO_KFUNC_CALL);
			g_assert_cmpint(insn->imm, ==, 0);
		} else {
			g_assert_true(bpfs_insn_is_ldimm64(insn));
			g_assert_cmpint(insn->src_reg, ==, 0);
			g_assert_cmpint(insn->imm, ==, 0);
		}
	}
	g_assert_cmpuint(p->nexterns, ==, 3);
	teardown(&f);
}

/* A strong CONFIG_ extern the configuration does not set: refused. */
static void test_kconfig_missing(void)
{
	g_autofree char *path = test_obj_or_skip("core_externs.o");
	struct bpfs_target_opts o = {.btf = "", .kconfig = ""};
	struct bpfs_target *t;
	struct bpfs_object *obj;
	struct bpfs_err err;
	const struct bpfs_prog *p;
	const char *e;

	if (!path)
		return;
	g_assert_cmpint(bpfs_target_open(&o, &t, &err), ==, 0);
	g_assert_cmpint(bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &err), ==, 0);
	p = bpfs_object_find_prog(obj, "kconfig_values", &err);
	/* before a target: unresolved, as the loader leaves it */
	g_assert_nonnull(strstr(bpfs_prog_load_error(obj, p), "unresolved extern symbol"));
	g_assert_cmpint(bpfs_object_apply_target(obj, t, &err), ==, 0);
	e = bpfs_prog_load_error(obj, p);
	g_assert_nonnull(e);
	g_assert_nonnull(strstr(e, "extern (kcfg) 'CONFIG_BPFS_"));
	g_assert_nonnull(strstr(e, "no configuration"));
	/* the typed ksym needs the target's BTF */
	p = bpfs_object_find_prog(obj, "ksym_addr", &err);
	g_assert_nonnull(strstr(bpfs_prog_load_error(obj, p), "needs the target kernel's BTF"));
	bpfs_object_free(obj);
	bpfs_target_free(t);
}

/* bpfscope core: libbpf's debug wording per relocation, the patch or the
 * poisoning, and a target that cannot be read is a usage error. */
static void test_cli(void)
{
	struct fixture f;
	g_autofree char *cmd = NULL, *out = NULL, *err = NULL, *bad = NULL;
	g_autofree char *quoted_btf = NULL, *quoted_obj = NULL, *quoted_cfg = NULL;
	int status;

	if (!setup(&f, "core_reloc.o", true))
		return;
	quoted_btf = g_shell_quote(f.btf);
	quoted_obj = g_shell_quote(f.obj_path);
	quoted_cfg = g_shell_quote(f.kconfig);
	cmd = g_strdup_printf("%s core --btf %s --kconfig %s --kernel-version 6.1.18 %s:core_fields", tu_cli(),
			      quoted_btf, quoted_cfg, quoted_obj);
	status = tu_run(cmd, &out, &err);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, "version 6.1.18"));
	g_assert_nonnull(strstr(out, "<byte_off> ["));
	g_assert_nonnull(strstr(out, "struct core_s.y (0:1 @ offset 4)"));
	g_assert_nonnull(strstr(out, "candidates 1, matching 1: <byte_off> ["));
	g_assert_nonnull(strstr(out, "patched: imm 4 -> 12"));
	g_free(cmd);
	g_free(out);
	g_free(err);
	cmd = g_strdup_printf("%s core --btf %s --kconfig '' %s:core_poison", tu_cli(), quoted_btf, quoted_obj);
	status = tu_run(cmd, &out, &err);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, "poisoned: no matching target"));
	g_free(cmd);
	g_free(out);
	g_free(err);
	/* the verifier sees the poisoned call where the kernel does */
	cmd = g_strdup_printf("%s verify --btf %s --kconfig '' %s:core_poison", tu_cli(), quoted_btf, quoted_obj);
	status = tu_run(cmd, &out, &err);
	g_assert_cmpint(status, ==, 1);
	g_assert_nonnull(strstr(out, "invalid func unknown#195896080"));
	g_free(cmd);
	g_free(out);
	g_free(err);
	bad = g_build_filename(f.dir, "nothing.btf", NULL);
	cmd = g_strdup_printf("%s core --btf %s %s", tu_cli(), bad, quoted_obj);
	status = tu_run(cmd, &out, &err);
	g_assert_cmpint(status, ==, 2);
	g_assert_nonnull(strstr(err, "nothing.btf"));
	g_free(cmd);
	cmd = NULL;
	teardown(&f);
}

/* The modern corpus's CO-RE objects against the running kernel, which is
 * the kernel they were compiled against and loaded into: every relocation
 * resolves, and the programs libbpf poisoned are those poisoned here. */
static void test_modern_corpus(void)
{
	g_autofree char *dir = tu_shared_path_or_skip("corpus/modern/objects");
	g_autofree char *tsv = dir ? tu_shared_path_or_skip("corpus/modern/kernel-verdicts.tsv") : NULL;
	const char *const paths[] = {dir};
	struct bpfs_kernel_verdicts *kv = NULL;
	struct bpfs_target *t = NULL;
	struct bpfs_err err;
	char **files = NULL;
	size_t nfiles = 0, nrelos = 0, npoisoned_progs = 0, nref_poisoned = 0;

	if (!tsv)
		return;
	if (!g_file_test("/sys/kernel/btf/vmlinux", G_FILE_TEST_EXISTS)) {
		g_test_skip("the running kernel has no BTF (/sys/kernel/btf/vmlinux)");
		return;
	}
	g_assert_cmpint(bpfs_kernel_verdicts_load(tsv, &kv, &err), ==, 0);
	g_assert_cmpint(bpfs_target_open(NULL, &t, &err), ==, 0);
	g_assert_cmpint(bpfs_corpus_find(paths, 1, &files, &nfiles, &err), ==, 0);
	for (size_t i = 0; i < nfiles; i++) {
		const char *rel = files[i] + strlen(dir) + 1;
		struct bpfs_object *obj;

		if (bpfs_object_open(files[i], BPFS_FORMAT_AUTO, &obj, &err))
			continue;
		g_assert_cmpint(bpfs_object_apply_target(obj, t, &err), ==, 0);
		for (size_t k = 0; k < obj->prog_cnt; k++) {
			const struct bpfs_prog *p = &obj->progs[k];
			const struct bpfs_kernel_verdict *ref = bpfs_kernel_verdicts_find(kv, rel, p->section, p->name);
			bool poisoned = false;

			for (size_t r = 0; r < p->ncore_relos; r++) {
				const struct bpfs_core_relo *c = &p->core_relos[r];

				nrelos++;
				if (c->status == BPFS_CORE_FAILED)
					g_test_message("%s %s: relo #%zu: %s: %s", rel, p->name, r, c->local, c->note);
				g_assert_cmpint(c->status, !=, BPFS_CORE_UNAPPLIED);
				poisoned |= c->status == BPFS_CORE_POISONED;
			}
			npoisoned_progs += poisoned;
			if (ref && g_str_has_prefix(ref->error, "failed to resolve CO-RE relocation")) {
				nref_poisoned++;
				g_assert_true(poisoned);
			}
		}
		bpfs_object_free(obj);
	}
	g_test_message("%zu CO-RE relocations; %zu programs poisoned here, %zu by libbpf with a reachable poison",
		       nrelos, npoisoned_progs, nref_poisoned);
	g_assert_cmpuint(nrelos, >, 1000);
	g_assert_cmpuint(nref_poisoned, >, 0);
	bpfs_corpus_files_free(files);
	bpfs_target_free(t);
	bpfs_kernel_verdicts_free(kv);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/fields", test_fields);
	g_test_add_func("/core/types-enums", test_types_enums);
	g_test_add_func("/core/type-matches", test_type_matches);
	g_test_add_func("/core/loads", test_loads);
	g_test_add_func("/core/poison", test_poison);
	g_test_add_func("/core/ambiguity", test_ambiguity);
	g_test_add_func("/core/no-btf", test_no_btf);
	g_test_add_func("/core/kconfig", test_kconfig);
	g_test_add_func("/core/kconfig-missing", test_kconfig_missing);
	g_test_add_func("/core/kfuncs", test_kfuncs);
	g_test_add_func("/core/cli", test_cli);
	g_test_add_func("/core/modern-corpus", test_modern_corpus);
	return g_test_run();
}
