/* SPDX-License-Identifier: MIT */
/*
 * The interpreter and the runtime, beyond the ISA cases of the .data
 * files and the cases every engine runs (test_engines: contexts and the
 * conversion of packet-pointer loads, LD_ABS, tail-call chains, call
 * depth, maps, load-time rejections): checked-mode violation reports,
 * helpers (trace_printk formats, prandom seeding, task identity,
 * probe_read), instruction budgets, direct map values.
 *
 * Kernel oracle: as root with a working bpf(), /ctx/kernel/<TYPE.field>
 * loads a one-field program into the kernel, runs it with
 * BPF_PROG_TEST_RUN on the same packet and compares with our context
 * (skipped otherwise, with the reason).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "insn_macros.h"
#include "interp.h"
#include "testutil.h"

#define PROG(...)                                                                                            \
	(const struct bpf_insn[]){__VA_ARGS__},                                                              \
	    sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)

/* An Ethernet frame carrying an IPv4/TCP header, 60 bytes. */
static uint8_t packet[60] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00, /* eth */
    0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,		/* ip ... proto 6 */
    10,	  0,	0,    1,    10,	  0,	0,    2,
};

static struct bpfs_vm *load(const struct bpf_insn *insns, size_t cnt, uint32_t type, bool checked)
{
	struct bpfs_vm_opts opts = {.prog_type = type, .checked = checked};
	struct bpfs_err err = {0};
	struct bpfs_vm *vm = bpfs_vm_new(insns, cnt, &opts, &err);

	if (!vm)
		g_error("load failed: %s", err.msg);
	return vm;
}

/* Runs on a context of type built from the sample packet. */
static int run_pkt(struct bpfs_vm *vm, uint32_t type, struct bpfs_run_env *env, uint64_t *r0,
		   struct bpfs_run_report *rep)
{
	struct bpfs_ctx ctx;
	struct bpfs_err err;
	int ret;

	g_assert_cmpint(bpfs_ctx_build(&ctx, type, packet, sizeof(packet), NULL, 0, &err), ==, 0);
	ret = bpfs_vm_run(vm, &ctx, env, r0, rep);
	bpfs_ctx_release(&ctx);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Checked mode                                                           */

static void test_checked_stack_overflow(void)
{
	struct bpfs_vm *vm = load(PROG(BPF_MOV64_IMM(BPF_REG_0, 0),
				       BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -520), BPF_EXIT_INSN()),
				  0, true);
	struct bpfs_run_report rep;
	uint64_t r0;

	g_assert_cmpint(bpfs_vm_run(vm, NULL, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_STACK);
	g_assert_cmpint(rep.insn, ==, 1);
	g_assert_cmpuint(rep.size, ==, 8);
	g_assert_cmpstr(rep.region, ==, "stack");
	g_assert_cmpstr(rep.msg, ==, "insn 1: invalid read of 8 bytes at fp-520: stack frame overflow");
	bpfs_vm_free(vm);
}

static void test_checked_stack_above(void)
{
	struct bpfs_vm *vm = load(
	    PROG(BPF_ST_MEM(BPF_W, BPF_REG_10, 0, 1), BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN()), 0, true);
	struct bpfs_run_report rep;
	uint64_t r0;

	g_assert_cmpint(bpfs_vm_run(vm, NULL, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_MEM);
	g_assert_cmpint(rep.insn, ==, 0);
	g_assert_cmpuint(rep.size, ==, 4);
	g_assert_nonnull(strstr(rep.msg, "invalid write of 4 bytes at stack+4096"));
	bpfs_vm_free(vm);
}

static void test_checked_ctx(void)
{
	struct bpfs_vm *vm =
	    load(PROG(BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, sizeof(struct __sk_buff)), BPF_EXIT_INSN()),
		 BPF_PROG_TYPE_SOCKET_FILTER, true);
	struct bpfs_run_report rep;
	uint64_t r0;
	char want[128];

	g_assert_cmpint(run_pkt(vm, BPF_PROG_TYPE_SOCKET_FILTER, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_MEM);
	g_assert_cmpint(rep.insn, ==, 0);
	g_assert_cmpstr(rep.region, ==, "ctx");
	snprintf(want, sizeof(want), "insn 0: invalid read of 4 bytes at ctx+%zu", sizeof(struct __sk_buff));
	g_assert_cmpstr(rep.msg, ==, want);
	bpfs_vm_free(vm);
}

static void test_checked_packet(void)
{
	/* r2 = data, r3 = data_end; a load at data_end is one past. */
	struct bpfs_vm *vm =
	    load(PROG(BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, data)),
		      BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct __sk_buff, data_end)),
		      BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 59),
		      BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_3, 0), BPF_EXIT_INSN()),
		 BPF_PROG_TYPE_SCHED_CLS, true);
	struct bpfs_run_report rep;
	uint64_t r0;

	g_assert_cmpuint(bpfs_vm_ctx_conversions(vm), ==, 2);
	g_assert_cmpint(run_pkt(vm, BPF_PROG_TYPE_SCHED_CLS, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.insn, ==, 3);
	g_assert_cmpstr(rep.region, ==, "packet");
	g_assert_cmpstr(rep.msg, ==, "insn 3: invalid read of 1 bytes at packet+60");
	bpfs_vm_free(vm);
}

static void test_checked_no_region(void)
{
	struct bpfs_vm *vm = load(PROG(BPF_MOV64_IMM(BPF_REG_1, 8), BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
				       BPF_EXIT_INSN()),
				  0, true);
	struct bpfs_run_report rep;
	uint64_t r0;

	g_assert_cmpint(bpfs_vm_run(vm, NULL, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_MEM);
	g_assert_cmphex(rep.addr, ==, 8);
	g_assert_cmpstr(rep.region, ==, "");
	g_assert_cmpstr(rep.msg, ==, "insn 1: invalid read of 8 bytes at 0x8: no region");
	bpfs_vm_free(vm);
}

static void test_checked_insn_limit(void)
{
	struct bpfs_vm *vm = load(PROG(BPF_MOV64_IMM(BPF_REG_0, 0), BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
				       BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, -2), BPF_EXIT_INSN()),
				  0, true);
	struct bpfs_run_env env;
	struct bpfs_run_report rep;
	uint64_t r0;

	bpfs_run_env_init(&env);
	env.insn_limit = 1000;
	g_assert_cmpint(bpfs_vm_run(vm, NULL, &env, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_INSN_LIMIT);
	g_assert_cmpuint(rep.insns, ==, 1001);
	bpfs_vm_free(vm);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

/* Appends stores of s (NUL-terminated, padded to 8) at r10-off.. */
static size_t emit_string(struct bpf_insn *p, const char *s, int off)
{
	size_t n = strlen(s) + 1, k = 0;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = 0;

		memcpy(&v, s + i, n - i < 8 ? n - i : 8);
		p[k++] =
		    (struct bpf_insn)BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, 0, 0, (int32_t)v);
		p[k++] = (struct bpf_insn)BPF_RAW_INSN(0, 0, 0, 0, (int32_t)(v >> 32));
		p[k++] = (struct bpf_insn)BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -off + (int)i);
	}
	return k;
}

/* trace_printk(fmt, size, a1, a2, a3) with a string at r10-64 as a3 when
 * str is not NULL. Returns r0; the trace lands in buf. */
static int64_t printk(const char *fmt, uint64_t a1, uint64_t a2, const char *str, char *buf, size_t size,
		      bool checked)
{
	struct bpf_insn p[64];
	struct bpfs_run_env env;
	struct bpfs_vm *vm;
	size_t k = 0;
	uint64_t r0;

	k += emit_string(p + k, fmt, 128);
	if (str)
		k += emit_string(p + k, str, 64);
	p[k++] = (struct bpf_insn)BPF_MOV64_REG(BPF_REG_1, BPF_REG_10);
	p[k++] = (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -128);
	p[k++] = (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_2, (int32_t)strlen(fmt) + 1);
	p[k++] = (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_3, (int32_t)a1);
	p[k++] = (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_4, (int32_t)a2);
	p[k++] = (struct bpf_insn)BPF_MOV64_REG(BPF_REG_5, BPF_REG_10);
	p[k++] = (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_5, -64);
	p[k++] = (struct bpf_insn)BPF_EMIT_CALL(BPF_FUNC_trace_printk);
	p[k++] = (struct bpf_insn)BPF_EXIT_INSN();
	vm = load(p, k, 0, checked);
	bpfs_run_env_init(&env);
	env.trace = buf;
	env.trace_size = size;
	buf[0] = 0;
	g_assert_cmpint(bpfs_vm_run(vm, NULL, &env, &r0, NULL), ==, 0);
	bpfs_vm_free(vm);
	return (int64_t)r0;
}

static void test_trace_printk(void)
{
	char buf[256];

	for (int checked = 0; checked <= 1; checked++) {
		g_assert_cmpint(printk("a=%d b=%x\n", -5, 0xabc, NULL, buf, sizeof(buf), checked), ==, 11);
		g_assert_cmpstr(buf, ==, "a=-5 b=abc\n");
		g_assert_cmpint(printk("%u %lld %s!", -1, -2, "str", buf, sizeof(buf), checked), ==, 18);
		g_assert_cmpstr(buf, ==, "4294967295 -2 str!");
		g_assert_true(printk("%llx|%-5d|%05i|%%", -1, 42, NULL, buf, sizeof(buf), checked) > 0);
		g_assert_true(g_str_has_prefix(buf, "ffffffffffffffff|42   |"));
		g_assert_cmpint(printk("%llx|%-5d|%%", -1, 42, NULL, buf, sizeof(buf), checked), ==, 24);
		g_assert_cmpstr(buf, ==, "ffffffffffffffff|42   |%");
		g_assert_cmpint(printk("%q", 1, 2, NULL, buf, sizeof(buf), checked), ==, -EINVAL);
		g_assert_cmpint(printk("%d %d %d %d", 1, 2, NULL, buf, sizeof(buf), checked), ==, -EINVAL);
		g_assert_cmpstr(buf, ==, "");
	}
}

static void test_trace_truncated(void)
{
	char buf[8];

	g_assert_cmpint(printk("abcdefghij", 0, 0, NULL, buf, sizeof(buf), false), ==, 10);
	g_assert_cmpstr(buf, ==, "abcdefg");
}

static uint64_t run_env(const struct bpf_insn *insns, size_t cnt, struct bpfs_run_env *env)
{
	struct bpfs_vm *vm = load(insns, cnt, 0, false);
	uint64_t r0 = 0;

	g_assert_cmpint(bpfs_vm_run(vm, NULL, env, &r0, NULL), ==, 0);
	bpfs_vm_free(vm);
	return r0;
}

static void test_prandom_seed(void)
{
	const struct bpf_insn p[] = {
	    BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),	 BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
	    BPF_ALU64_IMM(BPF_LSH, BPF_REG_6, 32),	 BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_6), BPF_EXIT_INSN(),
	};
	struct bpfs_run_env env;
	uint64_t a, b, c;

	bpfs_run_env_init(&env);
	env.seed = 1;
	a = run_env(p, G_N_ELEMENTS(p), &env);
	b = run_env(p, G_N_ELEMENTS(p), &env);
	env.seed = 2;
	c = run_env(p, G_N_ELEMENTS(p), &env);
	g_assert_cmphex(a, ==, b);
	g_assert_cmphex(a, !=, c);
	g_assert_cmphex(a >> 32, !=, (uint32_t)a);
}

static void test_task_helpers(void)
{
	const struct bpf_insn pid[] = {BPF_EMIT_CALL(BPF_FUNC_get_current_pid_tgid), BPF_EXIT_INSN()};
	const struct bpf_insn uid[] = {BPF_EMIT_CALL(BPF_FUNC_get_current_uid_gid), BPF_EXIT_INSN()};
	/* comm into r10-16, return its first 8 bytes */
	const struct bpf_insn comm[] = {
	    BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
	    BPF_MOV64_IMM(BPF_REG_2, 16),
	    BPF_EMIT_CALL(BPF_FUNC_get_current_comm),
	    BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -16),
	    BPF_EXIT_INSN(),
	};
	struct bpfs_run_env env;
	uint64_t r0;

	bpfs_run_env_init(&env);
	env.task.pid = 7;
	env.task.tgid = 5;
	env.task.uid = 1001;
	env.task.gid = 1002;
	strcpy(env.task.comm, "curl");
	g_assert_cmphex(run_env(pid, 2, &env), ==, 5ull << 32 | 7);
	g_assert_cmphex(run_env(uid, 2, &env), ==, 1002ull << 32 | 1001);
	r0 = run_env(comm, G_N_ELEMENTS(comm), &env);
	g_assert_cmpmem(&r0, 5, "curl", 5);
}

static void test_probe_read(void)
{
	/* from the stack: fine; from address 8: -EFAULT, dst zeroed */
	const struct bpf_insn p[] = {
	    BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0x1234),
	    BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, -1),
	    BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
	    BPF_MOV64_IMM(BPF_REG_2, 8),
	    BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
	    BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
	    BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 7),
	    BPF_LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_10, -16),
	    BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
	    BPF_MOV64_IMM(BPF_REG_2, 8),
	    BPF_MOV64_IMM(BPF_REG_3, 8),
	    BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
	    BPF_LDX_MEM(BPF_DW, BPF_REG_7, BPF_REG_10, -16),
	    BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
	    BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_7),
	    BPF_EXIT_INSN(),
	};

	g_assert_cmpint((int64_t)run_env(p, G_N_ELEMENTS(p), NULL), ==, 0x1234 - EFAULT);
}

/* ---------------------------------------------------------------------- */
/* Maps through the maps module                                           */

static struct bpfs_map *new_array(uint32_t value_size)
{
	struct bpfs_map_attr attr = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = value_size, .max_entries = 1
	};
	struct bpfs_map *map = NULL;
	struct bpfs_err err;

	g_assert_cmpint(bpfs_map_new(&attr, &map, &err), ==, 0);
	return map;
}

static void test_map_value_direct(void)
{
	/* r1 = &value[4] (LD_IMM64 src_reg 2); r0 = *(u32 *)r1 */
	const struct bpf_insn p[] = {
		BPF_LD_MAP_VALUE(BPF_REG_1, 0, 4),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0),
		BPF_EXIT_INSN(),
	};
	struct bpfs_map *map = new_array(8);
	struct bpfs_map_table table = { .maps = &map, .nmaps = 1 };
	struct bpfs_map_ops ops;
	struct bpfs_vm_opts opts = { .checked = true, .maps = &ops };
	const uint8_t value[8] = { 0, 0, 0, 0, 0x78, 0x56, 0x34, 0x12 };
	uint32_t zero = 0;
	struct bpfs_err err;
	struct bpfs_vm *vm;
	uint64_t r0;

	bpfs_map_ops_init(&ops, &table);
	g_assert_cmpint(bpfs_map_update(map, &zero, value, BPF_ANY), ==, 0);
	vm = bpfs_vm_new(p, G_N_ELEMENTS(p), &opts, &err);
	g_assert_nonnull(vm);
	g_assert_cmpint(bpfs_vm_run(vm, NULL, NULL, &r0, NULL), ==, 0);
	g_assert_cmphex(r0, ==, 0x12345678);
	bpfs_vm_free(vm);
	bpfs_map_put(map);
}

/* ---------------------------------------------------------------------- */
/* Contexts against the kernel                                            */

/* Kernel oracle (root with a working bpf()): a 4-byte load of each field
 * through BPF_PROG_TEST_RUN, on the same packet, gives what our context
 * gives. */
struct ctx_field {
	uint32_t type;
	const char *name;
	int16_t off;
};

#define SKB_FIELD(t, f) { BPF_PROG_TYPE_##t, #t "." #f, offsetof(struct __sk_buff, f) }
static const struct ctx_field ctx_fields[] = {
	SKB_FIELD(SOCKET_FILTER, len),	    SKB_FIELD(SOCKET_FILTER, pkt_type), SKB_FIELD(SOCKET_FILTER, protocol),
	SKB_FIELD(SOCKET_FILTER, ifindex),  SKB_FIELD(SOCKET_FILTER, mark),	SKB_FIELD(SOCKET_FILTER, hash),
	SKB_FIELD(SOCKET_FILTER, wire_len), SKB_FIELD(SCHED_CLS, len),		SKB_FIELD(SCHED_CLS, pkt_type),
	SKB_FIELD(SCHED_CLS, protocol),	    SKB_FIELD(SCHED_CLS, ifindex),	SKB_FIELD(SCHED_CLS, ingress_ifindex),
	SKB_FIELD(SCHED_CLS, wire_len),	    SKB_FIELD(SCHED_CLS, gso_segs),	SKB_FIELD(SCHED_CLS, tc_index),
	{ BPF_PROG_TYPE_XDP, "XDP.ingress_ifindex", offsetof(struct xdp_md, ingress_ifindex) },
	{ BPF_PROG_TYPE_XDP, "XDP.rx_queue_index", offsetof(struct xdp_md, rx_queue_index) },
};

/* r0 = the field; -errno when the kernel cannot run it. */
static int64_t kernel_field(const struct ctx_field *f)
{
	const struct bpf_insn p[] = { BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, f->off), BPF_EXIT_INSN() };
	union bpf_attr a;
	int fd, ret;

	memset(&a, 0, sizeof(a));
	a.prog_type = f->type;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t)"GPL";
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)packet;
	a.test.data_size_in = sizeof(packet);
	a.test.repeat = 1;
	ret = (int)syscall(__NR_bpf, BPF_PROG_TEST_RUN, &a, sizeof(a));
	ret = ret ? -errno : 0;
	close(fd);
	return ret ? ret : (int64_t)a.test.retval;
}

static void test_ctx_kernel(gconstpointer data)
{
	const struct ctx_field *f = data;
	const struct bpf_insn p[] = { BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, f->off), BPF_EXIT_INSN() };
	struct bpfs_vm *vm;
	int64_t k;
	uint64_t r0;

	if (geteuid()) {
		g_test_skip("the kernel oracle needs root");
		return;
	}
	k = kernel_field(f);
	if (k < 0) {
		g_test_skip_printf("the kernel cannot run the program: %s", strerror((int)-k));
		return;
	}
	vm = load(p, 2, f->type, true);
	g_assert_cmpint(run_pkt(vm, f->type, NULL, &r0, NULL), ==, 0);
	g_assert_cmphex(r0, ==, (uint64_t)k);
	bpfs_vm_free(vm);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(ctx_fields); i++) {
		g_autofree char *name = g_strdup_printf("/ctx/kernel/%s", ctx_fields[i].name);

		g_test_add_data_func(name, &ctx_fields[i], test_ctx_kernel);
	}
	g_test_add_func("/checked/stack-overflow", test_checked_stack_overflow);
	g_test_add_func("/checked/stack-above", test_checked_stack_above);
	g_test_add_func("/checked/ctx", test_checked_ctx);
	g_test_add_func("/checked/packet", test_checked_packet);
	g_test_add_func("/checked/no-region", test_checked_no_region);
	g_test_add_func("/checked/insn-limit", test_checked_insn_limit);
	g_test_add_func("/helpers/trace-printk", test_trace_printk);
	g_test_add_func("/helpers/trace-truncated", test_trace_truncated);
	g_test_add_func("/helpers/prandom-seed", test_prandom_seed);
	g_test_add_func("/helpers/task", test_task_helpers);
	g_test_add_func("/helpers/probe-read", test_probe_read);
	g_test_add_func("/maps/value-direct", test_map_value_direct);
	return g_test_run();
}
