/* SPDX-License-Identifier: MIT */
/*
 * The README's examples as a test: every command the README shows is run
 * and its output compared with what the README says it prints, so that the
 * tour cannot drift from the program.
 *
 * What is a command. A fenced block (a line starting with ```) whose first
 * line starts with "$ " is a session; each "$ " line in it is a command
 * for /bin/sh, and the lines after it, up to the next "$ " line or the end
 * of the block, are its output. Other blocks (```sh, ```c, ...) are not
 * run. Each session is one test case, named by its README line.
 *
 * Where it runs. Commands of a session run in order in one scratch folder
 * laid out like a checkout: build/ is this build's folder (so
 * build/examples are the examples it built), the source tree's other
 * entries are linked beside it, and ../shared is the development data set
 * (BPFS_SHARED_DIR). The build's bpfscope is first on PATH; LC_ALL=C.
 *
 * What is compared. Standard output only (a README command that wants
 * stderr shown says 2>&1). The exit status is not compared, but a command
 * killed by a signal, not found, or reported by a sanitizer fails. Both
 * sides are masked the same way before comparing: durations (a number
 * followed by ns, us, ms or s), JSON keys ending in _us, _ns or _ms, the
 * TIME_US column of a corpus table, and temporary paths. Runs of blanks
 * compare equal, blanks at either end of a line are ignored.
 *
 * Elision. A README output line that is "..." alone stands for any number
 * of lines (none included); "..." inside a line stands for any text there
 * (blanks next to it included). An output without "..." must match line
 * for line, to the last line; one with "..." is compared on the lines
 * shown, in order, each part between elisions on consecutive lines.
 *
 * Skips and bounded forms. A session with a command that reads ../shared
 * skips when the data set is absent. A command comparing with the kernel
 * engine (--engines ...kernel) skips when this kernel's bpf() cannot load
 * and run programs (not root, no BPF). `diff --random N` with N above 300
 * runs 300 programs, and its numbers are then masked (the verdict, "0
 * divergences", is still compared); BPFS_README_FULL=1 runs every command
 * as written.
 *
 * Regenerating. Each mismatch is listed with the first README line that
 * differs, then the whole session as it prints now, in README form, ready
 * to paste. BPFS_README_UPDATE=1 (`make readme`) also rewrites README.md
 * in place: every output that differs and has no elision is replaced; the
 * elided ones are named, to be edited by hand from the listing.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"
#include "testutil.h"

/* Random-program campaigns longer than this run at this size by default. */
#define DIFF_RANDOM_MAX 300

struct cmd {
	int line;	   /* README line of the "$ " line, from 1 */
	char *text;	   /* the command, after "$ " */
	GPtrArray *expect; /* the README's output lines */
	bool elided;	   /* the output has a "..." */
	/* after a run */
	char *actual;	 /* standard output, NULL when not run */
	bool as_written; /* ran unchanged (not a bounded form) */
	bool differs;
};

struct session {
	int line; /* README line of the first command */
	GPtrArray *cmds;
	char *name; /* test path */
};

static char **readme; /* README.md, one line each */
static GPtrArray *sessions;
static GRegex *re_dur, *re_json, *re_tmp, *re_random, *re_kernel;

static struct cmd *cmd_new(int line, const char *text)
{
	struct cmd *c = g_new0(struct cmd, 1);

	c->line = line;
	c->text = g_strdup(text);
	c->expect = g_ptr_array_new();
	return c;
}

/* The sessions of README.md (see the rules above). */
static GPtrArray *parse_sessions(char **lines)
{
	GPtrArray *out = g_ptr_array_new();
	enum { OUTSIDE, FIRST, SESSION, OTHER } state = OUTSIDE;
	struct session *s = NULL;
	struct cmd *c = NULL;

	for (int i = 0; lines[i]; i++) {
		const char *l = lines[i];

		if (g_str_has_prefix(l, "```")) {
			state = state == OUTSIDE ? FIRST : OUTSIDE;
			s = NULL;
			c = NULL;
			continue;
		}
		if (state == OUTSIDE || state == OTHER)
			continue;
		if (state == FIRST) {
			if (!g_str_has_prefix(l, "$ ")) {
				state = OTHER;
				continue;
			}
			state = SESSION;
			s = g_new0(struct session, 1);
			s->line = i + 1;
			s->cmds = g_ptr_array_new();
			g_ptr_array_add(out, s);
		}
		if (g_str_has_prefix(l, "$ ")) {
			c = cmd_new(i + 1, l + 2);
			g_ptr_array_add(s->cmds, c);
		} else {
			g_ptr_array_add(c->expect, (char *)l);
			if (strstr(l, "..."))
				c->elided = true;
		}
	}
	for (guint i = 0; i < out->len; i++) {
		struct session *x = out->pdata[i];
		struct cmd *first = x->cmds->pdata[0];
		g_auto(GStrv) words = g_strsplit(first->text, " ", 3);
		const char *what = words[0] && words[1] ? words[1] : "command";

		x->name = g_strdup_printf("/readme/line-%d-%s", x->line, what);
	}
	return out;
}

/* --- masks ------------------------------------------------------------ */

/* Masks the digits of a TIME_US column, right-aligned under its header,
 * in the lines after the header up to a blank line. */
static void mask_time_column(char **lines)
{
	gssize end = -1;

	for (int i = 0; lines[i]; i++) {
		char *l = lines[i], *h = strstr(l, "TIME_US");
		gssize e = end;

		if (h) {
			end = h - l + 7;
			continue;
		}
		if (!*l) {
			end = -1;
			continue;
		}
		if (e <= 0 || (gssize)strlen(l) < e || !g_ascii_isdigit(l[e - 1]))
			continue;
		gssize b = e;
		while (b > 0 && g_ascii_isdigit(l[b - 1]))
			b--;
		char *m = g_strdup_printf("%.*s<T>%s", (int)b, l, l + e);
		g_free(lines[i]);
		lines[i] = m;
	}
}

static char *replace(GRegex *re, const char *s, const char *with)
{
	char *r = g_regex_replace(re, s, -1, 0, with, 0, NULL);

	g_assert_nonnull(r);
	return r;
}

/* Runs of blanks become one blank; blanks at the ends go. */
static char *squeeze(const char *s)
{
	GString *o = g_string_new(NULL);
	bool blank = false;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = true;
			continue;
		}
		if (blank && o->len)
			g_string_append_c(o, ' ');
		blank = false;
		g_string_append_c(o, *s);
	}
	return g_string_free(o, FALSE);
}

/* The lines as compared: masked and squeezed (g_strfreev the result). */
static char **masked(const char *const *lines, guint n, bool counts)
{
	char **out = g_new0(char *, n + 1);
	static GRegex *re_num;

	if (!re_num)
		re_num = g_regex_new("(?<![0-9])[0-9]+(?![0-9]| divergence)", 0, 0, NULL);
	for (guint i = 0; i < n; i++)
		out[i] = g_strdup(lines[i]);
	mask_time_column(out);
	for (guint i = 0; i < n; i++) {
		char *a = replace(re_dur, out[i], "<T>\\1\\2");
		char *b = replace(re_json, a, "\\1<T>");
		char *c = replace(re_tmp, b, "<TMP>");
		char *d = counts ? replace(re_num, c, "<N>") : g_strdup(c);

		g_free(out[i]);
		out[i] = squeeze(d);
		g_free(a);
		g_free(b);
		g_free(c);
		g_free(d);
	}
	return out;
}

/* --- matching --------------------------------------------------------- */

/* One line against one README line, "..." in it matching any text. */
static bool line_match(const char *pat, const char *act)
{
	g_auto(GStrv) part = NULL;
	guint n;
	const char *p = act;
	size_t la, lz;

	if (!strstr(pat, "..."))
		return strcmp(pat, act) == 0;
	part = g_strsplit(pat, "...", -1);
	n = g_strv_length(part);
	g_strchomp(part[0]);
	g_strchug(part[n - 1]);
	for (guint i = 1; i + 1 < n; i++)
		g_strstrip(part[i]);
	if (!g_str_has_prefix(p, part[0]))
		return false;
	p += strlen(part[0]);
	for (guint i = 1; i + 1 < n; i++) {
		const char *q = strstr(p, part[i]);

		if (!q)
			return false;
		p = q + strlen(part[i]);
	}
	la = strlen(p);
	lz = strlen(part[n - 1]);
	return la >= lz && strcmp(p + la - lz, part[n - 1]) == 0;
}

static bool is_gap(const char *pat)
{
	return strcmp(pat, "...") == 0;
}

/* Whether act[j..] matches pat[i..] to the end (pat has gaps). */
static bool match_from(char **pat, guint i, char **act, guint j)
{
	if (!pat[i])
		return !act[j];
	if (is_gap(pat[i])) {
		for (guint k = j;; k++) {
			if (match_from(pat, i + 1, act, k))
				return true;
			if (!act[k])
				return false;
		}
	}
	return act[j] && line_match(pat[i], act[j]) && match_from(pat, i + 1, act, j + 1);
}

/* The README line (index into pat) where a greedy walk first fails; the
 * length of pat when the output goes on after the last line shown. */
static guint first_mismatch(char **pat, char **act)
{
	guint i = 0, j = 0;

	for (; pat[i]; i++) {
		if (is_gap(pat[i])) {
			if (!pat[i + 1])
				return i;
			while (act[j] && !line_match(pat[i + 1], act[j]))
				j++;
			continue;
		}
		if (!act[j] || !line_match(pat[i], act[j]))
			return i;
		j++;
	}
	return i;
}

/* --- running ---------------------------------------------------------- */

/* A scratch folder laid out like a checkout (see above); returns the
 * folder to run in, *root the one to remove. */
static char *make_scratch(char **root)
{
	const char *src = g_getenv("BPFS_SOURCE_DIR"), *bld = g_getenv("BPFS_BUILD_DIR");
	const char *shared = tu_shared_dir();
	g_autoptr(GDir) d = NULL;
	char *repo;
	const char *name;

	g_assert_nonnull(src);
	g_assert_nonnull(bld);
	*root = g_dir_make_tmp("bpfs-readme-XXXXXX", NULL);
	g_assert_nonnull(*root);
	repo = g_build_filename(*root, "repo", NULL);
	g_assert_cmpint(g_mkdir(repo, 0755), ==, 0);
	d = g_dir_open(src, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *from = g_build_filename(src, name, NULL);
		g_autofree char *to = g_build_filename(repo, name, NULL);

		if (strcmp(name, "build") && symlink(from, to))
			g_error("symlink %s: %s", to, g_strerror(errno));
	}
	{
		g_autofree char *to = g_build_filename(repo, "build", NULL);
		g_assert_cmpint(symlink(bld, to), ==, 0);
	}
	if (shared) {
		g_autofree char *to = g_build_filename(*root, "shared", NULL);
		g_assert_cmpint(symlink(shared, to), ==, 0);
	}
	return repo;
}

static char **command_env(void)
{
	char **env = g_get_environ();
	g_autofree char *bin = g_path_get_dirname(tu_cli());
	const char *path = g_environ_getenv(env, "PATH");
	g_autofree char *p = g_strdup_printf("%s:%s", bin, path ? path : "/usr/bin:/bin");

	env = g_environ_setenv(env, "PATH", p, TRUE);
	env = g_environ_setenv(env, "LC_ALL", "C", TRUE);
	return env;
}

/* The command as run: a bounded form of long campaigns (see above). */
static char *command_as_run(const char *text, bool *bounded)
{
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *n = NULL, *with = NULL;
	char *r;

	*bounded = false;
	if (g_getenv("BPFS_README_FULL") || !g_regex_match(re_random, text, 0, &m))
		return g_strdup(text);
	n = g_match_info_fetch(m, 1);
	if (g_ascii_strtoull(n, NULL, 10) <= DIFF_RANDOM_MAX)
		return g_strdup(text);
	with = g_strdup_printf("--random %d", DIFF_RANDOM_MAX);
	r = g_regex_replace_literal(re_random, text, -1, 0, with, 0, NULL);
	*bounded = true;
	return r;
}

/* Why a session cannot run here, or NULL. */
static char *why_skip(const struct session *s)
{
	for (guint i = 0; i < s->cmds->len; i++) {
		const struct cmd *c = s->cmds->pdata[i];
		char why[256];

		if (strstr(c->text, "../shared") && !tu_shared_dir())
			return g_strdup_printf(
			    "README.md:%d needs the development data set, not found at %s "
			    "(BPFS_SHARED_DIR)",
			    c->line, g_getenv("BPFS_SHARED_DIR") ? g_getenv("BPFS_SHARED_DIR") : "(unset)");
		if (g_regex_match(re_kernel, c->text, 0, NULL) &&
		    !bpfs_diff_kernel_available(why, sizeof(why)))
			return g_strdup_printf(
			    "README.md:%d compares with the kernel, whose bpf() is not usable here: %s",
			    c->line, why);
	}
	return NULL;
}

static bool sanitizer_report(const char *err)
{
	return strstr(err, "ERROR: AddressSanitizer") || strstr(err, "ERROR: LeakSanitizer") ||
	       strstr(err, "runtime error:");
}

static char **split_lines(const char *s)
{
	g_autofree char *t = g_strdup(s);
	size_t n = strlen(t);

	if (n && t[n - 1] == '\n')
		t[n - 1] = 0;
	if (!*t)
		return g_new0(char *, 1);
	return g_strsplit(t, "\n", -1);
}

/* Runs one command; false with the reason in report when it differs. */
static bool run_cmd(struct cmd *c, const char *cwd, char **env, GString *report)
{
	g_autofree char *text = NULL, *err = NULL;
	g_auto(GStrv) act = NULL, got = NULL, want = NULL;
	g_autoptr(GError) gerr = NULL;
	char *argv[] = {(char *)"/bin/sh", (char *)"-c", NULL, NULL};
	bool bounded;
	int status = 0;
	guint at;

	text = command_as_run(c->text, &bounded);
	c->as_written = !bounded;
	argv[2] = text;
	if (!g_spawn_sync(cwd, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &c->actual, &err, &status, &gerr)) {
		g_string_append_printf(report, "README.md:%d: cannot run %s: %s\n", c->line, text,
				       gerr->message);
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) >= 126 || sanitizer_report(err)) {
		g_string_append_printf(report, "README.md:%d: %s: %s %d\n%s", c->line, text,
				       WIFEXITED(status) ? "exit status" : "signal",
				       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), err);
		return false;
	}
	act = split_lines(c->actual);
	got = masked((const char *const *)act, g_strv_length(act), bounded);
	want = masked((const char *const *)c->expect->pdata, c->expect->len, bounded);
	if (match_from(want, 0, got, 0))
		return true;
	at = first_mismatch(want, got);
	if (at < c->expect->len)
		g_string_append_printf(report, "README.md:%d: %s: differs at README.md:%d\n    README: %s\n",
				       c->line, text, c->line + 1 + at, (char *)c->expect->pdata[at]);
	else
		g_string_append_printf(report, "README.md:%d: %s: prints more lines than the README shows\n",
				       c->line, text);
	if (*err)
		g_string_append_printf(report, "    (stderr: %s)\n", g_strchomp(err));
	return false;
}

static void test_session(gconstpointer data)
{
	const struct session *s = data;
	g_autofree char *skip = why_skip(s), *root = NULL, *cwd = NULL;
	g_auto(GStrv) env = NULL;
	g_autoptr(GString) report = NULL;
	guint bad = 0;

	if (skip) {
		g_test_skip(skip);
		return;
	}
	/* Else sh would find another bpfscope on PATH, an installed one. */
	if (!g_file_test(tu_cli(), G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_fail_printf("the build's bpfscope (%s) is missing", tu_cli());
		return;
	}
	cwd = make_scratch(&root);
	env = command_env();
	report = g_string_new(NULL);
	for (guint i = 0; i < s->cmds->len; i++) {
		struct cmd *c = s->cmds->pdata[i];

		if (!run_cmd(c, cwd, env, report)) {
			c->differs = true;
			bad++;
		}
	}
	tu_rm_tree(root);
	if (!bad)
		return;
	g_printerr("%sThe session at README.md:%d prints now:\n```\n", report->str, s->line);
	for (guint i = 0; i < s->cmds->len; i++) {
		const struct cmd *c = s->cmds->pdata[i];

		g_printerr("$ %s\n%s", c->text, c->actual ? c->actual : "");
	}
	g_printerr("```\n\n");
	g_test_fail_printf("README.md:%d: %u of %u commands print something else than the README shows",
			   s->line, bad, s->cmds->len);
}

/* BPFS_README_UPDATE: rewrites the outputs that differ and can be
 * replaced whole. */
static int update_readme(void)
{
	g_autofree char *path = g_build_filename(g_getenv("BPFS_SOURCE_DIR"), "README.md", NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GHashTable) at = g_hash_table_new(NULL, NULL);
	g_autoptr(GError) err = NULL;
	guint rewritten = 0;

	for (guint i = 0; i < sessions->len; i++) {
		const struct session *s = sessions->pdata[i];

		for (guint j = 0; j < s->cmds->len; j++) {
			struct cmd *c = s->cmds->pdata[j];

			if (!c->differs || !c->actual)
				continue;
			if (c->elided || !c->as_written) {
				g_printerr("README.md:%d: %s: %s; update it by hand\n", c->line, c->text,
					   c->elided ? "elided"
						     : "ran in a bounded form (BPFS_README_FULL=1 runs it)");
				continue;
			}
			g_hash_table_insert(at, GINT_TO_POINTER(c->line), c);
		}
	}
	for (int i = 0; readme[i]; i++) {
		struct cmd *c = g_hash_table_lookup(at, GINT_TO_POINTER(i + 1));

		g_string_append_printf(out, "%s%s", readme[i], readme[i + 1] ? "\n" : "");
		if (!c)
			continue;
		g_string_append(out, c->actual);
		if (*c->actual && !g_str_has_suffix(c->actual, "\n"))
			g_string_append_c(out, '\n');
		i += c->expect->len;
		rewritten++;
	}
	if (!g_file_set_contents(path, out->str, (gssize)out->len, &err)) {
		g_printerr("cannot write %s: %s\n", path, err->message);
		return 1;
	}
	g_printerr("README.md: %u outputs rewritten\n", rewritten);
	return 0;
}

int main(int argc, char **argv)
{
	g_autofree char *path = NULL, *text = NULL, *tmp = NULL;
	const char *src;
	int rc;

	g_test_init(&argc, &argv, NULL);
	src = g_getenv("BPFS_SOURCE_DIR");
	g_assert_nonnull(src);
	path = g_build_filename(src, "README.md", NULL);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		g_error("cannot read %s", path);
	readme = g_strsplit(text, "\n", -1);
	sessions = parse_sessions(readme);

	re_dur = g_regex_new("(?<![\\w.])[0-9]+(?:\\.[0-9]+)?( ?)(ns|us|µs|ms|s)(?!\\w)", 0, 0, NULL);
	re_json = g_regex_new("(\"[A-Za-z_]*_(?:us|ns|ms)\"\\s*:\\s*)[0-9]+(?:\\.[0-9]+)?", 0, 0, NULL);
	tmp = g_regex_escape_string(g_get_tmp_dir(), -1);
	{
		g_autofree char *pat = g_strdup_printf("(?:/tmp|/var/tmp|%s)/[^\\s'\"]+", tmp);
		re_tmp = g_regex_new(pat, 0, 0, NULL);
	}
	re_random = g_regex_new("--random[ =]([0-9]+)", 0, 0, NULL);
	re_kernel = g_regex_new("--engines?[ =]\\S*\\bkernel\\b", 0, 0, NULL);
	g_assert_true(re_dur && re_json && re_tmp && re_random && re_kernel);

	for (guint i = 0; i < sessions->len; i++) {
		const struct session *s = sessions->pdata[i];

		g_test_add_data_func(s->name, s, test_session);
	}
	rc = g_test_run();
	if (g_getenv("BPFS_README_UPDATE") && update_readme())
		rc = 1;
	return rc;
}
