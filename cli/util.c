/* SPDX-License-Identifier: MIT */
/*
 * Argument parsing and object opening shared by the subcommands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

bool cli_parse(const char *cmd, const char *args, const char *description, GOptionEntry *entries, int *argc,
	       char ***argv)
{
	g_autofree char *param = g_strdup_printf("%s - %s", args, description);
	g_autoptr(GOptionContext) ctx = g_option_context_new(param);
	g_autoptr(GError) gerr = NULL;
	g_autofree char *prgname = g_strdup_printf("bpfscope %s", cmd);

	g_set_prgname(prgname);
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
