/* SPDX-License-Identifier: MIT */
/*
 * The kernel as oracle for the verifier case table: loads every row of
 * verifier_cases.h into the running kernel with BPF_PROG_LOAD and checks
 * that the kernel's verdict is the row's, and that on rejection its log
 * holds the row's errstr. The table states the kernel's behaviour; this
 * test keeps it honest.
 *
 * Needs root (CAP_BPF and CAP_PERFMON, and CAP_SYS_ADMIN for some maps);
 * skips otherwise. Unprivileged rows are loaded in a child that has
 * switched to the nobody user, which only works when
 * kernel.unprivileged_bpf_disabled is 0; otherwise they are skipped.
 *
 * Rows whose verdict changed between kernel versions (kernel_varies) are
 * reported with what the running kernel does and never fail: the test
 * compares with the kernel it runs on. A failing row does not stop the
 * rows after it (CTest runs every test with --keep-going).
 *
 * Each row is its own test case, /verifier/kernel/<index>-<slug>.
 */
#include <errno.h>
#include <grp.h>
#include <linux/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "verifier_cases.h"

#define LOG_SIZE (1u << 20)
#define NOBODY 65534

struct kload {
	bool accepted;
	int err;   /* errno of a refused load */
	char *log; /* malloc'd, NUL-terminated */
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static uint32_t kern_version(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return KERNEL_VERSION(a, b, c > 255 ? 255 : c);
}

static int map_create(enum vt_map_kind kind)
{
	const struct vt_map_def *d = &vt_map_defs[kind];
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = d->type;
	attr.key_size = d->key_size;
	attr.value_size = d->value_size;
	attr.max_entries = d->max_entries;
	return (int)sys_bpf(BPF_MAP_CREATE, &attr);
}

/* Replaces map indexes in LD_IMM64 map references with the maps' fds. */
static void patch_maps(struct bpf_insn *insns, size_t cnt, const int *fds, size_t nfds)
{
	for (size_t i = 0; i + 1 < cnt; i++) {
		struct bpf_insn *in = &insns[i];

		if (in->code != (BPF_LD | BPF_DW | BPF_IMM))
			continue;
		if ((in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) &&
		    in->imm >= 0 && (size_t)in->imm < nfds)
			in->imm = fds[in->imm];
		i++;
	}
}

static void prog_load(const struct vt_case *c, const struct bpf_insn *insns, size_t cnt, struct kload *out)
{
	union bpf_attr attr;
	long fd;

	out->log = g_malloc0(LOG_SIZE);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = vt_prog_type(c);
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uint64_t)(uintptr_t)vt_license(c);
	attr.log_level = 1;
	attr.log_buf = (uint64_t)(uintptr_t)out->log;
	attr.log_size = LOG_SIZE;
	attr.kern_version = kern_version();
	attr.prog_flags = c->flags;
	attr.expected_attach_type = c->attach_type;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0 && errno == ENOSPC) {
		/* The log overflowed (its tail, with the error, is kept):
		 * ask again without a log for the verdict. */
		attr.log_level = 0;
		attr.log_buf = 0;
		attr.log_size = 0;
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
	}
	out->accepted = fd >= 0;
	out->err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close((int)fd);
}

/* Loads as the nobody user with no capabilities, in a child; the verdict
 * and the log's tail come back through a pipe. */
static void prog_load_unpriv(const struct vt_case *c, const struct bpf_insn *insns, size_t cnt,
			     struct kload *out)
{
	int p[2];
	pid_t pid;

	out->log = g_malloc0(LOG_SIZE);
	out->accepted = false;
	out->err = EIO;
	if (pipe(p) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		struct kload r;
		int hdr[2];
		size_t n;

		close(p[0]);
		if (setgroups(0, NULL) != 0 || setresgid(NOBODY, NOBODY, NOBODY) != 0 ||
		    setresuid(NOBODY, NOBODY, NOBODY) != 0)
			_exit(2);
		prog_load(c, insns, cnt, &r);
		hdr[0] = r.accepted;
		hdr[1] = r.err;
		n = strlen(r.log);
		if (write(p[1], hdr, sizeof(hdr)) != sizeof(hdr) || write(p[1], r.log, n) != (ssize_t)n)
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	if (pid > 0) {
		int hdr[2], status;
		size_t len = 0;
		ssize_t n;

		if (read(p[0], hdr, sizeof(hdr)) == sizeof(hdr)) {
			out->accepted = hdr[0];
			out->err = hdr[1];
			while (len + 1 < LOG_SIZE && (n = read(p[0], out->log + len, LOG_SIZE - 1 - len)) > 0)
				len += (size_t)n;
		}
		waitpid(pid, &status, 0);
	}
	close(p[0]);
}

/* The log's last line that is not statistics or a state dump: the error. */
static char *last_line(const char *log)
{
	static const char *const noise[] = {"processed ", "verification time", "stack depth",
					    "old state:", "cur state:"};
	gchar **lines = g_strsplit(log, "\n", -1);
	char *res = g_strdup("");

	for (gchar **l = lines; *l; l++) {
		bool skip = !**l;

		for (size_t i = 0; i < G_N_ELEMENTS(noise) && !skip; i++)
			skip = g_str_has_prefix(*l, noise[i]);
		if (!skip) {
			g_free(res);
			res = g_strdup(*l);
		}
	}
	g_strfreev(lines);
	return res;
}

static const char *skip_reason;

static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) != 0)
		return "unknown";
	return u.release;
}

static void test_row(gconstpointer data)
{
	const struct vt_case *c = data;
	size_t cnt = vt_insn_cnt(c), nmaps = vt_map_cnt(c);
	struct bpf_insn insns[VT_MAX_INSNS];
	int fds[VT_MAX_MAPS];
	struct kload r;
	char *last;

	if (skip_reason) {
		g_test_skip(skip_reason);
		return;
	}
	if (c->unpriv) {
		char *v = NULL;

		if (!g_file_get_contents("/proc/sys/kernel/unprivileged_bpf_disabled", &v, NULL, NULL) ||
		    atoi(v) != 0) {
			g_free(v);
			g_test_skip(
			    "kernel.unprivileged_bpf_disabled is set: unprivileged loads fail with EPERM");
			return;
		}
		g_free(v);
	}
	memcpy(insns, c->insns, sizeof(insns));
	for (size_t i = 0; i < nmaps; i++) {
		fds[i] = map_create(c->maps[i]);
		if (fds[i] < 0) {
			g_test_fail_printf("cannot create map %s: %s", vt_map_defs[c->maps[i]].name,
					   g_strerror(errno));
			while (i > 0)
				close(fds[--i]);
			return;
		}
	}
	patch_maps(insns, cnt, fds, nmaps);
	if (c->unpriv)
		prog_load_unpriv(c, insns, cnt, &r);
	else
		prog_load(c, insns, cnt, &r);
	for (size_t i = 0; i < nmaps; i++)
		close(fds[i]);

	last = last_line(r.log);
	if (g_test_verbose())
		g_test_message("%s: kernel %s (%s): %s\n%s", c->descr, r.accepted ? "accepts" : "rejects",
			       r.accepted ? "ok" : g_strerror(r.err), last,
			       strlen(r.log) < 4096 ? r.log : r.log + strlen(r.log) - 4096);
	if (c->kernel_varies) {
		bool as_expected = r.accepted == (c->expected == ACCEPT);

		g_test_message("verdict varies between kernel versions: %s; this kernel (%s) %s%s%s", c->kernel_varies,
			       kernel_release(), r.accepted ? "accepts" : "rejects", r.accepted ? "" : ": ",
			       r.accepted ? "" : last);
		if (!as_expected)
			g_test_message("this kernel differs from bpfscope on this row, as the row says it may");
	} else if (c->kernel_differs) {
		g_test_message("not held to the kernel: %s (kernel %s: %s)", c->kernel_differs,
			       r.accepted ? "accepts" : "rejects", last);
	} else if (r.accepted != (c->expected == ACCEPT)) {
		g_test_fail_printf("%s: expected %s, kernel %s (%s): %s", c->descr,
				   c->expected == ACCEPT ? "accept" : "reject",
				   r.accepted ? "accepts" : "rejects", g_strerror(r.err), last);
	} else if (!r.accepted && c->errstr && !strstr(r.log, c->errstr)) {
		g_test_fail_printf("%s: log lacks \"%s\"; last line: %s", c->descr, c->errstr, last);
	}
	g_free(last);
	g_free(r.log);
}

static void check_environment(void)
{
	union bpf_attr attr;
	int fd;

	if (geteuid() != 0) {
		skip_reason = "the kernel oracle needs root to load programs";
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = (int)sys_bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0) {
		skip_reason = errno == ENOSYS ? "bpf() is not available in this kernel"
					      : "bpf() refuses to create a map here";
		return;
	}
	close(fd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	check_environment();
	for (size_t i = 0; i < G_N_ELEMENTS(vt_cases); i++) {
		char s[64], *path;

		vt_slug(vt_cases[i].descr, s, sizeof(s));
		path = g_strdup_printf("/verifier/kernel/%03zu-%s", i, s);

		g_test_add_data_func(path, &vt_cases[i], test_row);
		g_free(path);
	}
	return g_test_run();
}
