/* SPDX-License-Identifier: MIT */
/*
 * Runs the verifier case table (verifier_cases.h) through bpfscope's
 * verifier: each row's verdict must be the row's, and a rejection's msg or
 * log must hold the row's errstr. The rows state the running kernel's
 * behaviour (test_verifier_kernel.c checks that), so a failing row is a
 * place where bpfscope and the kernel disagree.
 *
 * Each row is its own test case, /verifier/table/<index>-<slug>; the first
 * case, /verifier/table/summary, runs every row in a child process (so a
 * crash or a hang is reported against its row instead of ending the run)
 * and prints "N agree, M differ" with the differing rows.
 *
 * known_failures lists rows bpfscope is known to get wrong, each with why;
 * they are marked incomplete instead of failing, and run in a child
 * process. Every other row must agree. Remove a row from the list as soon
 * as it passes (the summary names such rows).
 */
#include <errno.h>
#include <linux/version.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "analysis.h"
#include "testutil.h"
#include "verifier_cases.h"

/* Seconds a row may take in a child process before it counts as hung. */
#define ROW_TIMEOUT 30

struct known_failure {
	size_t row;
	const char *descr; /* the row's, so that a shifted table is noticed */
	const char *reason;
};

/* { row, its descr, why bpfscope gets it wrong }, ending with { 0, NULL, NULL } */
static const struct known_failure known_failures[] = {
    {0, NULL, NULL},
};

static const struct known_failure *known_failure(size_t row)
{
	for (const struct known_failure *k = known_failures; k->reason; k++)
		if (k->row == row)
			return k;
	return NULL;
}

/* Runs one row; returns true when bpfscope agrees with the row, else
 * false with why in *why (g_free it). */
static bool run_row(const struct vt_case *c, char **why)
{
	struct bpfs_map_spec maps[VT_MAX_MAPS];
	struct bpfs_verifier_opts opts;
	struct bpfs_verdict v;
	size_t nmaps = vt_map_cnt(c);
	bool agree;
	int err;

	memset(maps, 0, sizeof(maps));
	for (size_t i = 0; i < nmaps; i++) {
		const struct vt_map_def *d = &vt_map_defs[c->maps[i]];

		maps[i].name = (char *)d->name;
		maps[i].type = d->type;
		maps[i].key_size = d->key_size;
		maps[i].value_size = d->value_size;
		maps[i].max_entries = d->max_entries;
		maps[i].inner_map = -1;
	}
	memset(&opts, 0, sizeof(opts));
	opts.prog_type = vt_prog_type(c);
	opts.maps = maps;
	opts.map_cnt = nmaps;
	opts.license = vt_license(c);
	opts.kern_version = LINUX_VERSION_CODE;
	opts.prog_flags = c->flags;
	opts.expected_attach_type = c->attach_type;
	opts.attach_type_known = true;
	opts.log_level = 1;
	opts.unpriv = c->unpriv;
	opts.profile = BPFS_PROFILE_MODERN;

	memset(&v, 0, sizeof(v));
	err = bpfs_verify(c->insns, vt_insn_cnt(c), &opts, &v);
	if (err < 0) {
		*why = g_strdup_printf("bpfs_verify failed: %s", g_strerror(-err));
		return false;
	}
	agree = false;
	if (v.accepted != (c->expected == ACCEPT))
		*why = g_strdup_printf("expected %s, bpfscope %s: %s",
				       c->expected == ACCEPT ? "accept" : "reject",
				       v.accepted ? "accepts" : "rejects", v.accepted ? "" : v.msg);
	else if (!v.accepted && c->errstr && !strstr(v.msg, c->errstr) &&
		 !(v.log && strstr(v.log, c->errstr)))
		*why = g_strdup_printf("rejected, but the message lacks \"%s\": %s", c->errstr, v.msg);
	else
		agree = true;
	bpfs_verdict_release(&v);
	return agree;
}

/* run_row in a child process: a crash or hang becomes a disagreement. */
static bool run_row_isolated(const struct vt_case *c, char **why)
{
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	if (pipe(p) != 0) {
		*why = g_strdup_printf("pipe: %s", g_strerror(errno));
		return false;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		*why = g_strdup_printf("fork: %s", g_strerror(errno));
		return false;
	}
	if (pid == 0) {
		char *w = NULL;
		bool ok;

		close(p[0]);
		alarm(ROW_TIMEOUT);
		ok = run_row(c, &w);
		if (write(p[1], ok ? "+" : "-", 1) != 1 || (w && write(p[1], w, strlen(w)) < 0))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	while (len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		*why = sig == SIGALRM ? g_strdup_printf("no verdict within %d s", ROW_TIMEOUT)
				      : g_strdup_printf("crashed: %s", strsignal(sig));
		return false;
	}
	if (len == 0) {
		*why = g_strdup("the child reported nothing");
		return false;
	}
	if (buf[0] == '+')
		return true;
	*why = g_strdup(buf + 1);
	return false;
}

static void test_row(gconstpointer data)
{
	const struct vt_case *c = data;
	size_t row = (size_t)(c - vt_cases);
	const struct known_failure *known = known_failure(row);
	char *why = NULL;

	if (known && strcmp(known->descr, c->descr) != 0) {
		g_test_fail_printf(
		    "known_failures names row %zu \"%s\", but the row is \"%s\": update the list", row,
		    known->descr, c->descr);
	} else if (known) {
		if (!run_row_isolated(c, &why))
			g_test_incomplete_printf("known failure (%s): %s", known->reason, why);
		else
			g_test_message("row %zu agrees now: remove it from known_failures", row);
	} else if (!run_row(c, &why)) {
		g_test_fail_printf("row %zu, %s: %s", row, c->descr, why);
	}
	g_free(why);
}

static void test_summary(void)
{
	size_t agree = 0, differ = 0;
	GString *list = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(vt_cases); i++) {
		const struct vt_case *c = &vt_cases[i];
		char *why = NULL;

		if (run_row_isolated(c, &why)) {
			agree++;
			if (known_failure(i))
				g_string_append_printf(
				    list, "  %03zu %s: agrees, but is listed in known_failures\n", i,
				    c->descr);
		} else {
			differ++;
			g_string_append_printf(list, "  %03zu %s: %s%s\n", i, c->descr, why,
					       known_failure(i) ? " (known)" : "");
		}
		g_free(why);
	}
	g_test_message("verifier table: %zu agree, %zu differ (of %zu rows)", agree, differ,
		       G_N_ELEMENTS(vt_cases));
	if (list->len)
		g_test_message("differing rows:\n%s", list->str);
	g_string_free(list, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* First, so that it runs even when a failing row ends a --tap run. */
	g_test_add_func("/verifier/table/summary", test_summary);
	for (size_t i = 0; i < G_N_ELEMENTS(vt_cases); i++) {
		char s[64], *path;

		vt_slug(vt_cases[i].descr, s, sizeof(s));
		path = g_strdup_printf("/verifier/table/%03zu-%s", i, s);

		g_test_add_data_func(path, &vt_cases[i], test_row);
		g_free(path);
	}
	return g_test_run();
}
