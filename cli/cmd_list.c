/* SPDX-License-Identifier: MIT */
/* bpfscope list FILE: the programs and maps of an object. */
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "cli.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_text(const struct bpfs_object *obj)
{
	printf("%s: %s, license \"%s\"", obj->path, obj->format == BPFS_FORMAT_ELF ? "ELF object" : "program",
	       obj->license ? obj->license : "");
	if (obj->kern_version)
		printf(", kernel version 0x%x", obj->kern_version);
	printf("\n\nprograms (%zu):\n", obj->prog_cnt);
	printf("  %-28s %-28s %-15s %8s %8s\n", "SECTION", "FUNCTION", "TYPE", "INSNS", "TOTAL");
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		const struct bpfs_prog *p = &obj->progs[i];
		printf("  %-28s %-28s %-15s %8zu %8zu\n", or_dash(p->section), or_dash(p->name),
		       or_dash(bpfs_prog_type_name(p->type)), p->main_cnt, p->insn_cnt);
	}
	printf("\nmaps (%zu):\n", obj->map_cnt);
	if (!obj->map_cnt)
		return;
	printf("  %-24s %-18s %6s %6s %11s %6s\n", "NAME", "TYPE", "KEY", "VALUE", "MAX_ENTRIES", "FLAGS");
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct bpfs_map_spec *m = &obj->maps[i];
		printf("  %-24s %-18s %6u %6u %11u %#6x\n", or_dash(m->name), or_dash(bpfs_map_type_name(m->type)),
		       m->key_size, m->value_size, m->max_entries, m->flags);
	}
}

static void print_json(const struct bpfs_object *obj)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "object");
	json_builder_add_string_value(b, obj->path);
	json_builder_set_member_name(b, "license");
	json_builder_add_string_value(b, obj->license ? obj->license : "");
	json_builder_set_member_name(b, "kern_version");
	json_builder_add_int_value(b, obj->kern_version);
	json_builder_set_member_name(b, "programs");
	json_builder_begin_array(b);
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		const struct bpfs_prog *p = &obj->progs[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "section");
		json_builder_add_string_value(b, p->section ? p->section : "");
		json_builder_set_member_name(b, "function");
		json_builder_add_string_value(b, p->name ? p->name : "");
		json_builder_set_member_name(b, "prog_type");
		json_builder_add_string_value(b, or_dash(bpfs_prog_type_name(p->type)));
		json_builder_set_member_name(b, "insns");
		json_builder_add_int_value(b, (gint64)p->main_cnt);
		json_builder_set_member_name(b, "total_insns");
		json_builder_add_int_value(b, (gint64)p->insn_cnt);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "maps");
	json_builder_begin_array(b);
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct bpfs_map_spec *m = &obj->maps[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, m->name ? m->name : "");
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, or_dash(bpfs_map_type_name(m->type)));
		json_builder_set_member_name(b, "key_size");
		json_builder_add_int_value(b, m->key_size);
		json_builder_set_member_name(b, "value_size");
		json_builder_add_int_value(b, m->value_size);
		json_builder_set_member_name(b, "max_entries");
		json_builder_add_int_value(b, m->max_entries);
		json_builder_set_member_name(b, "flags");
		json_builder_add_int_value(b, m->flags);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, NULL);
	puts(text);
}

int cmd_list(int argc, char **argv)
{
	gboolean json = FALSE;
	g_autofree char *type = NULL;
	GOptionEntry entries[] = {
		{ "type", 't', 0, G_OPTION_ARG_STRING, &type, "Program type by the kernel's name (xdp, sched_cls, ...) or number, instead of the section's guess", "T" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	struct cli_target t;

	if (!cli_parse("list", "FILE", "list the programs and maps of an object", entries, &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		cli_error("list", "expected one FILE (see bpfscope list --help)");
		return EXIT_USAGE;
	}
	if (!cli_open("list", argv[1], type, &t))
		return EXIT_USAGE;
	if (json)
		print_json(t.obj);
	else
		print_text(t.obj);
	cli_target_release(&t);
	return EXIT_OK;
}
