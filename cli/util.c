/* SPDX-License-Identifier: MIT */
/*
 * Argument parsing and object opening shared by the subcommands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The entry whose short name is c, if it takes a value. */
static const GOptionEntry *short_with_value(const GOptionEntry *entries, char c)
{
	for (const GOptionEntry *e = entries; e && e->long_name; e++)
		if (e->short_name == c && e->arg != G_OPTION_ARG_NONE)
			return e;
	return NULL;
}

/* GOption reads "-j1" as "-j" followed by the next word; users write it
 * as getopt takes it, the value attached. Such words are split in two in
 * a new vector; its strings stay reachable until exit (from `owned`, since
 * parsing drops words from the vector), as the caller's argv does. */
static void split_attached_values(const GOptionEntry *entries, int *argc, char ***argv)
{
	static GPtrArray *owned;
	GPtrArray *v = g_ptr_array_new();
	bool split = false, rest = false;

	for (int i = 0; i < *argc; i++) {
		const char *a = (*argv)[i];

		rest |= !strcmp(a, "--");
		if (!rest && a[0] == '-' && a[1] && a[1] != '-' && a[2] && short_with_value(entries, a[1])) {
			g_ptr_array_add(v, g_strndup(a, 2));
			g_ptr_array_add(v, g_strdup(a + 2));
			split = true;
		} else {
			g_ptr_array_add(v, g_strdup(a));
		}
	}
	if (!split) {
		g_ptr_array_set_free_func(v, g_free);
		g_ptr_array_unref(v);
		return;
	}
	if (!owned)
		owned = g_ptr_array_new();
	for (guint i = 0; i < v->len; i++)
		g_ptr_array_add(owned, v->pdata[i]);
	*argc = (int)v->len;
	g_ptr_array_add(v, NULL);
	*argv = (char **)g_ptr_array_free(v, FALSE);
	g_ptr_array_add(owned, *argv);
}

bool cli_parse(const char *cmd, const char *args, const char *description, GOptionEntry *entries, int *argc,
	       char ***argv)
{
	g_autofree char *param = g_strdup_printf("%s - %s", args, description);
	g_autoptr(GOptionContext) ctx = g_option_context_new(param);
	g_autoptr(GError) gerr = NULL;
	g_autofree char *prgname = g_strdup_printf("bpfscope %s", cmd);

	g_set_prgname(prgname);
	split_attached_values(entries, argc, argv);
	if (entries)
		g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &gerr)) {
		cli_error(cmd, "%s (see bpfscope %s --help)", gerr->message, cmd);
		return false;
	}
	return true;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bpfscope %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Splits "FILE:SECTION" at the first colon whose left side names an
 * existing file, so paths and section names may both contain colons. */
static void split_spec(const char *spec, char **path, char **section)
{
	if (g_file_test(spec, G_FILE_TEST_EXISTS)) {
		*path = g_strdup(spec);
		*section = NULL;
		return;
	}
	for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
		g_autofree char *left = g_strndup(spec, (gsize)(c - spec));
		if (g_file_test(left, G_FILE_TEST_EXISTS)) {
			*path = g_steal_pointer(&left);
			*section = g_strdup(c + 1);
			return;
		}
	}
	*path = g_strdup(spec);
	*section = NULL;
}

/* The target kernel of the commands that verify: the options that name
 * it (cli_verifier_entries points them here), and the target once open. */
static struct cli_verifier_args *target_args;
static struct bpfs_target *target;

static bool parse_kernel_version(const char *s, uint32_t *v)
{
	unsigned a, b, c = 0;
	char tail;

	if (sscanf(s, "%u.%u.%u%c", &a, &b, &c, &tail) < 2 || a > 255 || b > 255)
		return false;
	if (sscanf(s, "%u.%u.%u%c", &a, &b, &c, &tail) == 4 && tail != '-' && tail != '+')
		return false;
	*v = a << 16 | b << 8 | (c > 255 ? 255 : c);
	return true;
}

const struct bpfs_target *cli_target_kernel(const char *cmd, const char *btf, const char *kconfig,
					    const char *version)
{
	struct bpfs_target_opts o = { .btf = btf, .kconfig = kconfig };
	struct bpfs_err err;

	if (target)
		return target;
	if (version && !parse_kernel_version(version, &o.kernel_version)) {
		cli_error(cmd, "--kernel-version '%s': expected X.Y[.Z]", version);
		return NULL;
	}
	bpfs_err_clear(&err);
	if (bpfs_target_open(&o, &target, &err)) {
		cli_error(cmd, "%s", err.msg);
		return NULL;
	}
	return target;
}

bool cli_target_default(const char *cmd, const char *btf, const char *kconfig, const char *version)
{
	const struct bpfs_target *k = cli_target_kernel(cmd, btf, kconfig, version);

	if (k)
		bpfs_target_set_default(k);
	return k != NULL;
}

/* Applies the target kernel to an ELF object, for the commands that take
 * --btf/--kconfig. */
static bool apply_target(const char *cmd, struct bpfs_object *obj)
{
	const struct bpfs_target *k;
	struct bpfs_err err;

	if (!target_args || obj->format != BPFS_FORMAT_ELF || obj->target_applied)
		return true;
	k = cli_target_kernel(cmd, target_args->btf, target_args->kconfig, target_args->kernel_version);
	if (!k)
		return false;
	bpfs_err_clear(&err);
	if (bpfs_object_apply_target(obj, k, &err)) {
		cli_error(cmd, "%s", err.msg);
		return false;
	}
	return true;
}

bool cli_open(const char *cmd, const char *spec, const char *type_override, struct cli_target *t)
{
	struct bpfs_err err;
	int type = -1, ret;

	memset(t, 0, sizeof(*t));
	bpfs_err_clear(&err);
	if (type_override) {
		type = bpfs_prog_type_parse(type_override);
		if (type < 0) {
			cli_error(cmd, "unknown program type '%s'", type_override);
			return false;
		}
	}
	split_spec(spec, &t->path, &t->section);
	ret = bpfs_object_open(t->path, BPFS_FORMAT_AUTO, &t->obj, &err);
	if (ret) {
		cli_error(cmd, "%s", err.msg[0] ? err.msg : g_strerror(-ret));
		goto fail;
	}
	if (!apply_target(cmd, t->obj))
		goto fail;
	if (t->section && *t->section) {
		struct bpfs_prog *p = bpfs_object_find_prog(t->obj, t->section, &err);
		if (!p) {
			cli_error(cmd, "%s", err.msg);
			goto fail;
		}
		t->progs = g_new(struct bpfs_prog *, 1);
		t->progs[0] = p;
		t->nprogs = 1;
	} else {
		t->progs = g_new(struct bpfs_prog *, t->obj->prog_cnt ? t->obj->prog_cnt : 1);
		for (size_t i = 0; i < t->obj->prog_cnt; i++)
			t->progs[t->nprogs++] = &t->obj->progs[i];
	}
	if (type >= 0)
		for (size_t i = 0; i < t->nprogs; i++)
			t->progs[i]->type = (uint32_t)type;
	return true;
fail:
	cli_target_release(t);
	return false;
}

void cli_target_release(struct cli_target *t)
{
	bpfs_object_free(t->obj);
	g_free(t->progs);
	g_free(t->path);
	g_free(t->section);
	memset(t, 0, sizeof(*t));
}

char *cli_prog_label(const struct bpfs_prog *prog)
{
	if (prog->section && *prog->section && prog->name && *prog->name)
		return g_strdup_printf("%s/%s", prog->section, prog->name);
	if (prog->section && *prog->section)
		return g_strdup(prog->section);
	return g_strdup(prog->name ? prog->name : "");
}

static bool parse_u32(const char *s, guint64 *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = g_ascii_strtoull(s, &end, 0);
	return !errno && !*end && *v <= UINT32_MAX;
}

/* TYPE:KEY:VALUE:MAX[:FLAGS], sizes and counts in decimal or 0x hex. */
static bool parse_map(const char *cmd, const char *s, struct bpfs_map_spec *m)
{
	g_auto(GStrv) f = g_strsplit(s, ":", -1);
	guint n = g_strv_length(f);
	guint64 v[4] = {0};
	int type;

	if (n < 4 || n > 5) {
		cli_error(cmd, "--map '%s': expected TYPE:KEY:VALUE:MAX[:FLAGS]", s);
		return false;
	}
	type = bpfs_map_type_parse(f[0]);
	if (type < 0) {
		cli_error(cmd, "--map '%s': unknown map type '%s'", s, f[0]);
		return false;
	}
	for (guint i = 1; i < n; i++) {
		if (!parse_u32(f[i], &v[i - 1])) {
			cli_error(cmd, "--map '%s': '%s' is not a number", s, f[i]);
			return false;
		}
	}
	memset(m, 0, sizeof(*m));
	m->type = (uint32_t)type;
	m->key_size = (uint32_t)v[0];
	m->value_size = (uint32_t)v[1];
	m->max_entries = (uint32_t)v[2];
	m->flags = (uint32_t)v[3];
	m->inner_map = -1;
	return true;
}

bool cli_map_decls(const char *cmd, const struct cli_target *t, char **decls, GArray *out)
{
	size_t ndecl = decls ? g_strv_length(decls) : 0;

	if (t->obj->format == BPFS_FORMAT_ELF) {
		if (ndecl) {
			cli_error(cmd, "%s declares its own maps; --map is for raw and assembly input", t->path);
			return false;
		}
		return true;
	}
	for (size_t i = 0; i < ndecl; i++) {
		struct bpfs_map_spec m;
		struct bpfs_err err;

		if (!parse_map(cmd, decls[i], &m))
			return false;
		m.name = i < t->obj->map_cnt && t->obj->maps[i].name ? g_strdup(t->obj->maps[i].name)
								      : g_strdup_printf("map%zu", i);
		g_array_append_val(out, m);
		if (bpfs_map_spec_check(&m, &err)) { /* as the kernel's map_create refuses it */
			cli_error(cmd, "--map '%s': %s", decls[i], err.msg);
			return false;
		}
	}
	if (t->obj->map_cnt > ndecl) {
		cli_error(cmd, "%s uses map '%s' (map %zu): declare it with --map TYPE:KEY:VALUE:MAX", t->path,
			  t->obj->maps[ndecl].name ? t->obj->maps[ndecl].name : "?", ndecl);
		return false;
	}
	return true;
}

void cli_map_decls_release(GArray *specs)
{
	for (guint i = 0; specs && i < specs->len; i++)
		g_free(g_array_index(specs, struct bpfs_map_spec, i).name);
}

void cli_verifier_entries(struct cli_verifier_args *a, GArray *entries)
{
	const GOptionEntry e[] = {
		{"type", 't', 0, G_OPTION_ARG_STRING, &a->type,
		 "Program type: socket_filter, kprobe, sched_cls, sched_act, tracepoint, xdp, ... or a number", "T"},
		{"map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a->maps,
		 "Declare map N (in order, from 0) for raw or assembly input; TYPE by the kernel's name (hash, array, "
		 "prog_array, ...)",
		 "TYPE:KEY:VALUE:MAX[:FLAGS]"},
		{"flags", 0, 0, G_OPTION_ARG_INT, &a->flags, "BPF_F_* load flags (1 strict alignment, 2 any alignment)",
		 "N"},
		{"insn-limit", 0, 0, G_OPTION_ARG_INT64, &a->insn_limit, "Processed-insn limit (default 1000000)", "N"},
		{"unpriv", 0, 0, G_OPTION_ARG_NONE, &a->unpriv, "Apply the unprivileged rules", NULL},
		{"profile", 0, 0, G_OPTION_ARG_STRING, &a->profile,
		 "Verifier generation: 'modern' (default, the running kernel's) or '3.18' (the original)", "P"},
		{"no-prune", 0, 0, G_OPTION_ARG_NONE, &a->no_prune, "Never prune equivalent states", NULL},
		{"btf", 0, 0, G_OPTION_ARG_FILENAME, &a->btf,
		 "The target kernel's BTF, for CO-RE relocations and ksyms (default /sys/kernel/btf/vmlinux when it "
		 "exists; \"\" for none)",
		 "FILE"},
		{"kconfig", 0, 0, G_OPTION_ARG_FILENAME, &a->kconfig,
		 "The target kernel's configuration, for .kconfig externs (default /boot/config-$(uname -r) or "
		 "/proc/config.gz)",
		 "FILE"},
		{"kernel-version", 0, 0, G_OPTION_ARG_STRING, &a->kernel_version,
		 "The target kernel's version, for LINUX_KERNEL_VERSION (default the running kernel's)", "X.Y.Z"},
	};

	target_args = a;

	g_array_append_vals(entries, e, G_N_ELEMENTS(e));
}

bool cli_verifier_opts(const char *cmd, const struct cli_verifier_args *a, struct bpfs_verifier_opts *o)
{
	if (a->insn_limit < 0 || a->flags < 0) {
		cli_error(cmd, "--insn-limit and --flags take numbers >= 0");
		return false;
	}
	if (a->profile && strcmp(a->profile, "modern") && strcmp(a->profile, "3.18")) {
		cli_error(cmd, "unknown profile '%s' (modern or 3.18)", a->profile);
		return false;
	}
	o->profile = a->profile && !strcmp(a->profile, "3.18") ? BPFS_PROFILE_3_18 : BPFS_PROFILE_MODERN;
	o->prog_flags = (uint32_t)a->flags;
	o->insn_limit = (uint64_t)a->insn_limit;
	o->unpriv = a->unpriv;
	o->no_prune = a->no_prune;
	if (!o->insn_limit)
		o->insn_limit = o->profile == BPFS_PROFILE_3_18 ? 32768 : 1000000;
	return true;
}

bool cli_verifier_target(const char *cmd, struct cli_verifier_args *a, const struct cli_target *t,
			 struct bpfs_verifier_opts *o)
{
	bool elf = t->obj->format == BPFS_FORMAT_ELF;

	if (!a->decls)
		a->decls = g_array_new(FALSE, TRUE, sizeof(struct bpfs_map_spec));
	if (!cli_map_decls(cmd, t, a->maps, a->decls))
		return false;
	o->maps = elf ? t->obj->maps : (const struct bpfs_map_spec *)(void *)a->decls->data;
	o->map_cnt = elf ? t->obj->map_cnt : a->decls->len;
	o->license = t->obj->license;
	o->kern_version = t->obj->kern_version;
	o->btf = t->obj->btf;
	return true;
}

void cli_verifier_args_release(struct cli_verifier_args *a)
{
	if (a->decls) {
		cli_map_decls_release(a->decls);
		g_array_free(a->decls, TRUE);
	}
	g_free(a->type);
	g_free(a->profile);
	g_strfreev(a->maps);
	g_free(a->btf);
	g_free(a->kconfig);
	g_free(a->kernel_version);
	if (target_args == a) {
		target_args = NULL;
		bpfs_target_set_default(NULL);
		bpfs_target_free(target);
		target = NULL;
	}
	memset(a, 0, sizeof(*a));
}

void cli_verifier_prog(struct bpfs_verifier_opts *o, const struct bpfs_prog *p)
{
	int attach = bpfs_attach_type_from_section(p->section, p->type);

	o->prog_type = p->type;
	o->expected_attach_type = attach >= 0 ? (uint32_t)attach : 0;
	o->attach_type_known = attach >= 0;
	o->func_info = p->func_info;
	o->nfunc_info = p->nfunc_info;
	o->funcs = p->funcs;
	o->nfuncs = p->nfuncs;
	o->line_info = p->line_info;
	o->nline_info = p->nline_info;
}
