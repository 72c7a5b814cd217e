/* SPDX-License-Identifier: MIT */
/*
 * The ELF loader's instruction counts against an independent reader:
 * llvm-objdump -d. For every function that heads a program, the number of
 * 8-byte slots objdump disassembles under it (up to the next function or
 * section) must equal the program's own instruction count (main_cnt).
 * Runs over the bundled examples and, when present, the real-world corpus.
 */
#include <glib.h>
#include <string.h>

#include "corpus.h"
#include "testutil.h"

/* (section, function) -> slots, from objdump's listing. */
static GHashTable *objdump_counts(const char *objdump, const char *path)
{
	g_autofree char *cmd = g_strdup_printf("%s -d %s", objdump, path);
	g_autofree char *out = NULL;
	GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *section = NULL;
	char *func_key = NULL;

	if (tu_run(cmd, &out, NULL) != 0)
		return counts;
	/* Split in place: g_strsplit is quadratic under ASan's strstr. */
	for (char *s = out, *next; s && *s; s = next) {
		const char *tab;
		size_t len;

		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(s);

		if (g_str_has_prefix(s, "Disassembly of section ")) {
			g_free(section);
			section = g_strndup(s + 23, len - 24); /* drop the ':' */
			func_key = NULL;
		} else if (len > 20 && s[16] == ' ' && s[17] == '<' && s[len - 1] == ':') {
			g_autofree char *name = g_strndup(s + 18, len - 20);
			/* Branch-target labels are not functions. */
			if (g_str_has_prefix(name, "LBB") || g_str_has_prefix(name, ".L"))
				continue;
			func_key = g_strdup_printf("%s/%s", section ? section : "", name);
			g_hash_table_insert(counts, func_key, GUINT_TO_POINTER(0));
		} else if (func_key && (tab = strchr(s, '\t')) && g_ascii_isdigit(s[len ? strspn(s, " ") : 0])) {
			/* "      7:\t18 01 00 ... 20\tr1 = ... ll": bytes / 8 slots */
			const char *bytes = tab + 1, *end = strchr(bytes, '\t');
			size_t nbytes = end ? (size_t)(end - bytes + 1) / 3 : 0;
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, func_key));
			/* The table keeps its own key and frees the copy. */
			g_hash_table_insert(counts, g_strdup(func_key), GUINT_TO_POINTER(n + (guint)(nbytes / 8)));
		}
	}
	return counts;
}

static void check_objects(const char *dir, guint *nprogs)
{
	g_autofree char *objdump = g_find_program_in_path("llvm-objdump");
	const char *paths[] = { dir };
	char **files = NULL;
	size_t nfiles = 0;
	GString *mismatches = g_string_new(NULL);
	guint nmis = 0;

	g_assert_nonnull(objdump);
	g_assert_cmpint(bpfs_corpus_find(paths, 1, &files, &nfiles, NULL), ==, 0);
	for (size_t f = 0; f < nfiles; f++) {
		struct bpfs_object *obj = NULL;
		g_autoptr(GHashTable) counts = NULL;

		if (!g_str_has_suffix(files[f], ".o") || bpfs_object_open(files[f], BPFS_FORMAT_ELF, &obj, NULL))
			continue;
		counts = objdump_counts(objdump, files[f]);
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfs_prog *p = &obj->progs[i];
			g_autofree char *key = g_strdup_printf("%s/%s", p->section, p->name);
			gpointer v;

			if (!g_hash_table_lookup_extended(counts, key, NULL, &v))
				continue; /* a program with no function symbol */
			(*nprogs)++;
			if (GPOINTER_TO_UINT(v) != p->main_cnt) {
				g_string_append_printf(mismatches, "%s %s: objdump %u, bpfscope %zu\n", files[f], key,
						       GPOINTER_TO_UINT(v), p->main_cnt);
				nmis++;
			}
		}
		bpfs_object_free(obj);
	}
	bpfs_corpus_files_free(files);
	if (nmis)
		g_test_message("%u mismatches:\n%s", nmis, mismatches->str);
	g_string_free(mismatches, TRUE);
	g_assert_cmpuint(nmis, ==, 0);
}

static void test_examples(void)
{
	g_autofree char *objdump = g_find_program_in_path("llvm-objdump");
	guint n = 0;

	if (!objdump) {
		g_test_skip("llvm-objdump is not installed");
		return;
	}
	check_objects(g_getenv("BPFS_EXAMPLES_DIR"), &n);
	if (n == 0)
		g_test_skip("the C examples were not built (clang -target bpf is missing)");
}

static void test_corpus(void)
{
	g_autofree char *objdump = g_find_program_in_path("llvm-objdump");
	g_autofree char *dir = tu_shared_path_or_skip("corpus/ebpf-samples");
	guint n = 0;

	if (!dir)
		return;
	if (!objdump) {
		g_test_skip("llvm-objdump is not installed");
		return;
	}
	check_objects(dir, &n);
	g_test_message("%u programs compared with llvm-objdump", n);
	g_assert_cmpuint(n, >, 300);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/objdump/examples", test_examples);
	g_test_add_func("/objdump/corpus", test_corpus);
	return g_test_run();
}
