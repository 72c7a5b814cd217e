/* SPDX-License-Identifier: MIT */
/*
 * The kernel as oracle for the context rules, exhaustively: for each
 * program type (and the attach types its rules depend on), every offset
 * from just before the context to past its end, every access size, and
 * four kinds of access (a load, a sign-extending load, a store, and a load
 * whose result is then dereferenced, which tells what type the load
 * yields), a three- or four-instruction program is loaded into the
 * running kernel and verified by bpfscope. The verdicts must agree, and
 * on a rejection bpfscope's message must be in the kernel's log.
 *
 * Deliberate differences are listed in deliberate() with their reason and
 * counted, not failed. Needs root; skips when the kernel refuses a plain
 * socket filter.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>

#include "analysis.h"

#define LOG_SIZE 65536
#define MAX_LISTED 40

enum kind { LOAD, LOAD_SX, STORE, DEREF, NKINDS };
static const char *const kind_names[NKINDS] = { "load", "ldsx", "store", "deref" };

struct ctx_cfg {
	const char *name;
	uint32_t prog_type, attach;
	int end; /* probe offsets [-8, end) */
};

/* Attach types newer than some headers */
#define ATTACH_UNIX_CONNECT 49
#define ATTACH_NETFILTER 45
#define PROG_NETFILTER 32

static const struct ctx_cfg cfgs[] = {
	{ "socket_filter", BPF_PROG_TYPE_SOCKET_FILTER, 0, 200 },
	{ "sched_cls", BPF_PROG_TYPE_SCHED_CLS, 0, 200 },
	{ "sched_act", BPF_PROG_TYPE_SCHED_ACT, 0, 200 },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, 32 },
	{ "xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 32 },
	{ "xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, 32 },
	{ "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, 200 },
	{ "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, 200 },
	{ "lwt_in", BPF_PROG_TYPE_LWT_IN, 0, 200 },
	{ "lwt_out", BPF_PROG_TYPE_LWT_OUT, 0, 200 },
	{ "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, 0, 200 },
	{ "lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 200 },
	{ "sock_ops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, 232 },
	{ "sk_skb/verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, 200 },
	{ "sk_skb/parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, 200 },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, 88 },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, 200 },
	{ "cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 88 },
	{ "cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 88 },
	{ "cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 88 },
	{ "cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 88 },
	{ "cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 80 },
	{ "cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 80 },
	{ "cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 80 },
	{ "cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 80 },
	{ "cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 80 },
	{ "cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, 80 },
	{ "cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, ATTACH_UNIX_CONNECT, 80 },
	{ "cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, 24 },
	{ "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 16 },
	{ "cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 48 },
	{ "cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 48 },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 64 },
	{ "sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 64 },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, 80 },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, 200 },
	{ "kprobe", BPF_PROG_TYPE_KPROBE, 0, 180 },
	{ "tracepoint", BPF_PROG_TYPE_TRACEPOINT, 0, 64 },
	{ "raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 104 },
	{ "raw_tracepoint.w", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 104 },
	{ "netfilter", PROG_NETFILTER, ATTACH_NETFILTER, 24 },
};

static const uint8_t size_codes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
static const int size_bytes[] = { 1, 2, 4, 8 };

/* The probe: the access, for DEREF a byte load through what it loaded,
 * then r0 = 1 (a return value every type accepts) */
static size_t probe(struct bpf_insn *p, enum kind k, int off, uint8_t sz)
{
	size_t n = 0;

	memset(p, 0, 4 * sizeof(*p));
	if (k == STORE)
		p[n++] = (struct bpf_insn){ .code = BPF_ST | BPF_MEM | sz, .dst_reg = BPF_REG_1, .off = (int16_t)off };
	else
		p[n++] = (struct bpf_insn){ .code = BPF_LDX | (k == LOAD_SX ? 0x80 /* BPF_MEMSX */ : BPF_MEM) | sz,
					    .dst_reg = BPF_REG_2,
					    .src_reg = BPF_REG_1,
					    .off = (int16_t)off };
	if (k == DEREF)
		p[n++] = (struct bpf_insn){ .code = BPF_LDX | BPF_MEM | BPF_B, .dst_reg = BPF_REG_3, .src_reg = BPF_REG_2 };
	p[n++] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 };
	p[n++] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	return n;
}

/* Returns 1 accepted, 0 rejected (log in log), -errno when the kernel
 * refused the load without a verdict */
static int kernel_load(const struct ctx_cfg *c, const struct bpf_insn *p, size_t n, char *log)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = c->prog_type;
	a.expected_attach_type = c->attach;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t) "GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = LOG_SIZE;
	a.log_level = 1;
	log[0] = 0;
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return log[0] ? 0 : -errno;
}

/* Where bpfscope deliberately differs, and why */
static const char *deliberate(const struct ctx_cfg *c, enum kind k, int off)
{
	if (c->prog_type == BPF_PROG_TYPE_TRACEPOINT && off < 0)
		return "the kernel compares a negative tracepoint offset as unsigned and allows loads before the record";
	if (c->prog_type == PROG_NETFILTER && k == DEREF)
		return "netfilter's context pointers are kernel structs, which bpfscope cannot read without the kernel's BTF";
	return NULL;
}

static void test_ctx_kernel(void)
{
	char *log = g_malloc(LOG_SIZE);
	struct bpf_insn p[4];
	size_t probes = 0, deliberate_cnt = 0, bad = 0;

	if (kernel_load(&cfgs[0], p, probe(p, LOAD, 0, BPF_W), log) != 1) {
		g_test_skip("the kernel does not load programs here (needs root and bpf())");
		g_free(log);
		return;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(cfgs); i++) {
		const struct ctx_cfg *c = &cfgs[i];

		for (int k = 0; k < NKINDS; k++)
			for (size_t s = 0; s < G_N_ELEMENTS(size_codes); s++)
				for (int off = -8; off < c->end; off++) {
					struct bpfs_verifier_opts o = { .prog_type = c->prog_type,
									.expected_attach_type = c->attach,
									.attach_type_known = true,
									.license = "GPL",
									.log_level = 1 };
					struct bpfs_verdict v;
					size_t n;
					int kr;
					bool same;

					if ((k == LOAD_SX && size_bytes[s] == 8) || (k == DEREF && size_bytes[s] < 4))
						continue;
					n = probe(p, (enum kind)k, off, size_codes[s]);
					kr = kernel_load(c, p, n, log);
					g_assert_cmpint(kr, >=, 0);
					g_assert_cmpint(bpfs_verify(p, n, &o, &v), ==, 0);
					probes++;
					same = v.accepted == (kr == 1) && (v.accepted || strstr(log, v.msg));
					if (!same && deliberate(c, (enum kind)k, off)) {
						deliberate_cnt++;
					} else if (!same && ++bad <= MAX_LISTED) {
						g_test_message("%s %s of %d bytes at %d: kernel %s, bpfscope %s: %s", c->name,
							       kind_names[k], size_bytes[s], off,
							       kr == 1 ? "accepts" : "rejects", v.accepted ? "accepts" : "rejects",
							       v.accepted ? "" : v.msg);
					}
					bpfs_verdict_release(&v);
				}
	}
	g_test_message("%zu probes of %zu context layouts; %zu deliberate differences (negative tracepoint offsets, "
		       "netfilter's kernel structs), %zu others",
		       probes, G_N_ELEMENTS(cfgs), deliberate_cnt, bad);
	if (bad)
		g_test_fail();
	g_free(log);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/verifier/ctx_kernel", test_ctx_kernel);
	return g_test_run();
}
