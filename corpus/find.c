/* SPDX-License-Identifier: MIT */
/*
 * Finding program files under directories, in a stable (sorted) order so
 * that batch results are reproducible.
 */
#include "corpus.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool looks_like_program(const char *path)
{
	static const char *const exts[] = { ".o", ".bin", ".s", ".asm", ".data", ".elf" };
	g_autofree char *base = g_path_get_basename(path);
	char magic[4] = { 0 };
	FILE *f;
	size_t n;

	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++)
		if (g_str_has_suffix(base, exts[i]))
			return true;
	/* Extensionless ELF files (fuzzer artefacts, build outputs). */
	f = fopen(path, "rb");
	if (!f)
		return false;
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	return n == 4 && !memcmp(magic, "\177ELF", 4);
}

static int walk(const char *dir, GPtrArray *out, struct bpfs_err *err)
{
	g_autoptr(GError) gerr = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &gerr);
	const char *name;

	if (!d)
		return bpfs_err_set(err, ENOENT, -1, "%s", gerr->message);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = NULL;
		int ret;

		if (name[0] == '.')
			continue;
		path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			continue; /* no cycles, no duplicates */
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			ret = walk(path, out, err);
			if (ret)
				return ret;
		} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR) && looks_like_program(path)) {
			g_ptr_array_add(out, g_steal_pointer(&path));
		}
	}
	return 0;
}

static int cmp_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bpfs_corpus_find(const char *const *paths, size_t npaths, char ***files, size_t *nfiles, struct bpfs_err *err)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	int ret = 0;

	for (size_t i = 0; i < npaths && !ret; i++) {
		if (g_file_test(paths[i], G_FILE_TEST_IS_DIR)) {
			size_t start = out->len;
			ret = walk(paths[i], out, err);
			/* Sort each directory's files, keep the order of arguments. */
			if (!ret)
				qsort(out->pdata + start, out->len - start, sizeof(void *), cmp_paths);
		} else if (g_file_test(paths[i], G_FILE_TEST_EXISTS)) {
			g_ptr_array_add(out, g_strdup(paths[i]));
		} else {
			ret = bpfs_err_set(err, ENOENT, -1, "%s: no such file or directory", paths[i]);
		}
	}
	if (ret) {
		g_ptr_array_free(out, TRUE);
		return ret;
	}
	*nfiles = out->len;
	g_ptr_array_set_free_func(out, NULL);
	g_ptr_array_add(out, NULL);
	*files = (char **)g_ptr_array_free(out, FALSE);
	return 0;
}

void bpfs_corpus_files_free(char **files)
{
	g_strfreev(files);
}
