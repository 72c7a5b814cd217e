/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

const char *tu_env_dir(const char *var)
{
	const char *d = g_getenv(var);
	if (!d || !g_file_test(d, G_FILE_TEST_IS_DIR))
		return NULL;
	return d;
}

const char *tu_shared_dir(void)
{
	return tu_env_dir("BPFS_SHARED_DIR");
}

char *tu_shared_path_or_skip(const char *rel)
{
	const char *d = tu_shared_dir();
	char *p;

	if (!d) {
		g_test_skip("the development data set (BPFS_SHARED_DIR) is not present");
		return NULL;
	}
	p = g_build_filename(d, rel, NULL);
	if (!g_file_test(p, G_FILE_TEST_EXISTS)) {
		g_test_skip_printf("%s is not present in the development data set", rel);
		g_free(p);
		return NULL;
	}
	return p;
}

int tu_run(const char *cmdline, char **out, char **err)
{
	gint status = -1;
	GError *gerr = NULL;

	if (!g_spawn_command_line_sync(cmdline, out, err, &status, &gerr)) {
		g_printerr("cannot run %s: %s\n", cmdline, gerr->message);
		g_error_free(gerr);
		return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

const char *tu_cli(void)
{
	const char *c = g_getenv("BPFS_CLI");
	g_assert_nonnull(c);
	return c;
}

gssize tu_unhex(const char *hex, guint8 **out)
{
	size_t n = strlen(hex);
	guint8 *b;

	if (n % 2)
		return -1;
	b = g_malloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = g_ascii_xdigit_value(hex[2 * i]), lo = g_ascii_xdigit_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			g_free(b);
			return -1;
		}
		b[i] = (guint8)(hi << 4 | lo);
	}
	*out = b;
	return (gssize)(n / 2);
}

void tu_rm_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	if (d) {
		while ((name = g_dir_read_name(d))) {
			char *p = g_build_filename(path, name, NULL);

			if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
				tu_rm_tree(p);
			else
				g_unlink(p);
			g_free(p);
		}
		g_dir_close(d);
	}
	g_rmdir(path);
}
