/* SPDX-License-Identifier: MIT */
/*
 * How much work the verifier does, against the kernel's: for a few
 * programs of the real-world corpus, the instructions bpfscope processes
 * must stay within a bound of what Linux 6.18 processed
 * (kernel-verdicts.tsv of the development data set, loaded as root with
 * the program type given there). The count depends on where snapshots are
 * taken, what states_equal accepts and what precision tracking marks, so
 * this holds the pruning close to the kernel's in both directions: far
 * above means pruning lost precision, far below that it may prune what
 * the kernel would walk (or that the kernel's own comparison is coarser,
 * which a row then says).
 *
 * Rows cover a loop, subprogram-free programs of several types and
 * loaders, and the corpus's largest gaps, whose bounds record how far
 * they are and should only ever be tightened.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "corpus.h"
#include "ir.h"
#include "testutil.h"

struct processed_case {
	const char *object;  /* under corpus/ebpf-samples, as the tsv names it */
	const char *section;
	const char *function;
	double min_ratio, max_ratio; /* bpfscope / kernel */
};

static const struct processed_case cases[] = {
	/* one straight path with a single branch: the kernel's prune points
	 * and snapshot timing make the second path stop at once */
	{ "bpf_cilium_test/bpf_lb-DLB_L3.o", "2/2", "__send_error_notify", 1.0, 1.05 },
	{ "new_linux/tracex3_kern.o", "kprobe/blk_account_io_done", "bpf_prog2", 0.9, 1.1 },
	{ "falco/probe.o", "raw_tracepoint/sched_switch", "bpf_sched_switch", 0.9, 1.1 },
	{ "linux/xdp_router_ipv4_kern.o", "xdp_router_ipv4", "xdp_router_ipv4_prog", 0.9, 1.1 },
	{ "suricata/xdp_filter.o", "xdp", "xdp_hashfilter", 0.9, 1.1 },
	/* a bounded loop, walked iteration by iteration */
	{ "build/bounded_loop.o", "test", "test_bounded_loop", 0.95, 1.05 },
	{ "cilium-core/bpf_sock.o", "cgroup/connect6", "cil_sock6_connect", 0.8, 1.2 },
	{ "cilium-core/bpf_xdp.o", "xdp/tail", "tail_nodeport_nat_ingress_ipv4", 0.8, 1.2 },
	/* an unrolled header-parsing loop with taken jumps late in segments:
	 * backtracking from a pending path must walk the jump itself */
	{ "bpf_cilium_test/bpf_netdev.o", "from-netdev", "from_netdev", 0.8, 1.2 },
	/* the largest gap above the kernel */
	{ "cilium-core/bpf_host.o", "tc/tail", "tail_ipv4_host_policy_ingress", 0.8, 1.8 },
	/* below the kernel: a spilled scalar no check needed matches any
	 * number there, where the kernel wants the same slot layout */
	{ "cilium-core/bpf_lxc.o", "tc/tail", "tail_handle_ipv4_cont", 0.4, 1.2 },
};

static uint64_t verify_processed(const char *dir, const struct bpfs_kernel_verdicts *kv,
				 const struct processed_case *c)
{
	g_autofree char *path = g_build_filename(dir, c->object, NULL);
	g_autofree char *sel = g_strdup_printf("%s/%s", c->section, c->function);
	struct bpfs_verifier_opts o = { 0 };
	struct bpfs_object *obj = NULL;
	struct bpfs_prog *prog;
	struct bpfs_verdict v;
	struct bpfs_err e;
	uint64_t n;
	int type;

	g_assert_cmpint(bpfs_object_open(path, BPFS_FORMAT_AUTO, &obj, &e), ==, 0);
	prog = bpfs_object_find_prog(obj, sel, &e);
	g_assert_nonnull(prog);
	type = bpfs_kernel_verdicts_type(c->object, prog, (void *)kv);
	g_assert_cmpint(type, >=, 0);
	o.prog_type = (uint32_t)type;
	o.maps = obj->maps;
	o.map_cnt = obj->map_cnt;
	o.license = obj->license;
	o.kern_version = obj->kern_version;
	g_assert_cmpint(bpfs_verify(prog->insns, prog->insn_cnt, &o, &v), ==, 0);
	if (!v.accepted)
		g_error("%s %s: rejected: %s", c->object, sel, v.msg);
	n = v.stats.processed_insns;
	bpfs_verdict_release(&v);
	bpfs_object_free(obj);
	return n;
}

static void test_processed(gconstpointer data)
{
	const struct processed_case *c = data;
	g_autofree char *dir = tu_shared_path_or_skip("corpus/ebpf-samples");
	g_autofree char *tsv = tu_shared_path_or_skip("corpus/kernel-verdicts.tsv");
	struct bpfs_kernel_verdicts *kv = NULL;
	const struct bpfs_kernel_verdict *k;
	uint64_t ours;
	double ratio;

	if (!dir || !tsv)
		return;
	g_assert_cmpint(bpfs_kernel_verdicts_load(tsv, &kv, NULL), ==, 0);
	k = bpfs_kernel_verdicts_find(kv, c->object, c->section, c->function);
	g_assert_nonnull(k);
	g_assert_cmpstr(k->verdict, ==, "accept");
	g_assert_cmpuint(k->processed_insns, >, 0);
	ours = verify_processed(dir, kv, c);
	ratio = (double)ours / (double)k->processed_insns;
	g_test_message("%s %s/%s: bpfscope %llu, kernel %llu (%.2fx)", c->object, c->section, c->function,
		       (unsigned long long)ours, (unsigned long long)k->processed_insns, ratio);
	bpfs_kernel_verdicts_free(kv);
	g_assert_cmpfloat(ratio, >=, c->min_ratio);
	g_assert_cmpfloat(ratio, <=, c->max_ratio);
}

int main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strdup_printf("/verifier/processed/%s/%s", cases[i].object, cases[i].function);

		g_test_add_data_func(name, &cases[i], test_processed);
	}
	ret = g_test_run();
	/* without the data set every case skipped: say so to CTest */
	return ret == 0 && !tu_shared_dir() ? 77 : ret;
}
