/* SPDX-License-Identifier: MIT */
/*
 * The kernel as oracle for the map case table (map_cases.h): runs every
 * row through the running kernel's bpf() and through bpfscope's, and
 * checks that the kernel meets the row's expectations and that both give
 * the same trace (results, errno values, values read, keys visited).
 *
 * Needs a kernel that lets this process create maps (root, or CAP_BPF);
 * detected by creating a small array map. Skips otherwise.
 *
 * Each row is its own test case, /maps/kernel/<index>-<slug>.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf.h"
#include "map_cases.h"

static bool kernel_ok;

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static long bpfs_bpf_fn(int cmd, union bpf_attr *attr, unsigned int size)
{
	return bpfs_bpf(cmd, attr, size);
}

static bool probe_kernel(void)
{
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = kernel_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

static void test_row(gconstpointer data)
{
	const struct mc_case *c = data;
	struct mc_env kenv = {kernel_bpf, close, bpfs_map_ncpus()};
	struct mc_env benv = {bpfs_bpf_fn, bpfs_close, bpfs_map_ncpus()};
	char *kfail, *bfail, *ktrace, *btrace;

	if (!kernel_ok) {
		g_test_skip("the kernel's bpf() is not available to this process (needs root or CAP_BPF)");
		return;
	}
	ktrace = mc_run(&kenv, c, &kfail);
	btrace = mc_run(&benv, c, &bfail);
	if (kfail) {
		g_test_message("the kernel does not meet the row: %s\nkernel trace:\n%s", kfail, ktrace);
		g_test_fail();
	}
	if (g_strcmp0(ktrace, btrace)) {
		g_test_message("bpfscope and the kernel differ\nkernel:\n%sbpfscope:\n%s", ktrace, btrace);
		g_test_fail();
	}
	g_free(ktrace);
	g_free(btrace);
	g_free(bfail);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	kernel_ok = probe_kernel();
	for (size_t i = 0; i < MC_NCASES; i++) {
		char *path = mc_path("/maps/kernel", i);

		g_test_add_data_func(path, &mc_cases[i], test_row);
		g_free(path);
	}
	return g_test_run();
}
