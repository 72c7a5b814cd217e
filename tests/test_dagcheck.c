/* SPDX-License-Identifier: MIT */
/*
 * The DAG check (bpfs_check_cfg), one table row per case: instructions,
 * flags, expected result, exact message and instruction. Each row is its
 * own GTest case, /dagcheck/<name>.
 *
 * Kernel oracle: when the bpf() syscall loads programs (root), each row
 * is also loaded as a socket filter and /dagcheck/kernel/<name> asserts the
 * kernel's verdict and that its log holds the expected line. The kernel
 * checks as a privileged loader, which accepts back-edges (bounded loops)
 * and then walks the program, so rows differ from it where a row says so
 * (kernel = K_OTHER, with what the kernel says) or are not compared
 * (K_SKIP, with the reason).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "analysis.h"
#include "testutil.h"

/* clang-format off */
#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define MOV_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define EXIT INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define JA(o) INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define GOTOL(i) INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, i)
#define JGT_IMM(d, i, o) INSN(BPF_JMP | BPF_JGT | BPF_K, d, 0, o, i)
#define JLT_IMM(d, i, o) INSN(BPF_JMP | BPF_JLT | BPF_K, d, 0, o, i)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JGT32_IMM(d, i, o) INSN(BPF_JMP32 | BPF_JGT | BPF_K, d, 0, o, i)
#define MAY_GOTO(o) INSN(BPF_JMP | BPF_JCOND, 0, 0, o, 0)
#define CALL(id) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define CALL_LOCAL(o) INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define LD_IMM64(d, v) INSN(BPF_LD | BPF_DW | BPF_IMM, d, 0, 0, v), INSN(0, 0, 0, 0, 0)
#define LD_FUNC(d, o) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_FUNC, 0, o), INSN(0, 0, 0, 0, 0)
#define RAND CALL(BPF_FUNC_get_prandom_u32) /* r0 = unknown scalar */

#define PROG(...)                                          \
	.insns = (const struct bpf_insn[]){ __VA_ARGS__ }, \
	.len = sizeof((const struct bpf_insn[]){ __VA_ARGS__ }) / sizeof(struct bpf_insn)

/* clang-format on */
#define BACK_EDGES BPFS_CHECK_ALLOW_BACK_EDGES

enum kernel_says {
	K_SAME,	 /* the kernel's verdict and log line are ours */
	K_OTHER, /* kernel_ret, and kernel_msg in its log unless NULL */
	K_SKIP,	 /* not compared: skip_why says why */
};

struct dag_case {
	const char *name;
	const struct bpf_insn *insns;
	size_t len;
	struct bpf_insn *(*gen)(size_t *len); /* large programs, built on demand */
	unsigned flags;
	int ret;	 /* 0 or a negative errno */
	const char *msg; /* exact message when ret != 0 */
	int insn;	 /* err.insn when ret != 0 */
	enum kernel_says kernel;
	int kernel_ret;
	const char *kernel_msg;
	const char *skip_why;
};

#define REJECT(m, i) .ret = -EINVAL, .msg = (m), .insn = (i)
#define KERNEL(r, m) .kernel = K_OTHER, .kernel_ret = (r), .kernel_msg = (m)
/* What the privileged kernel does with a loop the strict check rejects. */
#define KERNEL_INFINITE(i) KERNEL(-EINVAL, "infinite loop detected at insn " #i)
#define KERNEL_LOOPS_OK KERNEL(0, NULL)
/* Recursion passes the privileged DFS and fails on the frame limit. */
#define KERNEL_TOO_DEEP KERNEL(-E2BIG, "the call stack of 9 frames is too deep")

static struct bpf_insn *gen_straight(size_t n)
{
	struct bpf_insn *p = g_new0(struct bpf_insn, n);

	for (size_t i = 0; i + 1 < n; i++)
		p[i] = (struct bpf_insn)MOV_IMM(0, 0);
	p[n - 1] = (struct bpf_insn)EXIT;
	return p;
}

static struct bpf_insn *gen_max(size_t *len)
{
	*len = BPFS_MAX_INSNS;
	return gen_straight(*len);
}

static struct bpf_insn *gen_too_large(size_t *len)
{
	*len = BPFS_MAX_INSNS + 1;
	return gen_straight(*len);
}

/* 256 calls to distinct subprograms: with the main program, 257. */
static struct bpf_insn *gen_many_subprogs(size_t *len)
{
	size_t ncalls = 256, main_len = ncalls + 2;
	struct bpf_insn *p;

	*len = main_len + 2 * ncalls;
	p = g_new0(struct bpf_insn, *len);
	for (size_t i = 0; i < ncalls; i++)
		p[i] = (struct bpf_insn)CALL_LOCAL((int)(main_len + 2 * i - i - 1));
	p[ncalls] = (struct bpf_insn)MOV_IMM(0, 0);
	p[ncalls + 1] = (struct bpf_insn)EXIT;
	for (size_t i = 0; i < ncalls; i++) {
		p[main_len + 2 * i] = (struct bpf_insn)MOV_IMM(0, 0);
		p[main_len + 2 * i + 1] = (struct bpf_insn)EXIT;
	}
	return p;
}

/* clang-format off */
static const struct dag_case cases[] = {
	/* accepted shapes */
	{ "straight_line", PROG(MOV_IMM(0, 0), EXIT) },
	{ "diamond", PROG(RAND, JGT_IMM(0, 5, 2), MOV_IMM(0, 1), JA(1), MOV_IMM(0, 2), EXIT) },
	{ "nested_diamond", PROG(RAND, JGT_IMM(0, 5, 5), JGT_IMM(0, 2, 2), MOV_IMM(0, 1), JA(1), MOV_IMM(0, 3),
				 JA(1), MOV_IMM(0, 2), EXIT) },
	{ "jmp32_diamond", PROG(RAND, JGT32_IMM(0, 5, 1), MOV_IMM(0, 1), EXIT) },
	{ "cond_jump_plus_zero", PROG(RAND, JGT_IMM(0, 0, 0), EXIT) },
	{ "goto_plus_zero", PROG(MOV_IMM(0, 0), JA(0), EXIT) },
	{ "two_exits", PROG(RAND, JGT_IMM(0, 5, 1), EXIT, MOV_IMM(0, 2), EXIT) },
	{ "helper_call_mid_block", PROG(RAND, MOV_IMM(0, 0), EXIT) },
	{ "tail_call_falls_through", PROG(MOV_IMM(2, 0), MOV_IMM(3, 0), CALL(BPF_FUNC_tail_call), MOV_IMM(0, 0), EXIT),
	  KERNEL(-EACCES, "R2 type=scalar expected=map_ptr") },
	{ "ldimm64_inside_block", PROG(MOV_IMM(1, 0), LD_IMM64(0, 7), EXIT) },
	{ "may_goto", PROG(MOV_IMM(0, 0), MAY_GOTO(1), MOV_IMM(0, 1), EXIT) },
	{ "gotol_forward", PROG(RAND, JGT_IMM(0, 5, 2), MOV_IMM(0, 1), GOTOL(1), MOV_IMM(0, 2), EXIT) },
	{ "local_call", PROG(CALL_LOCAL(2), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT) },
	{ "local_call_twice", PROG(CALL_LOCAL(3), CALL_LOCAL(2), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT) },
	{ "subprog_ends_with_goto", PROG(CALL_LOCAL(1), EXIT, JA(1), EXIT, MOV_IMM(0, 1), JA(-3)) },
	{ "pseudo_func_reaches_callback", PROG(LD_FUNC(2, 3), MOV_IMM(0, 0), EXIT, MOV_IMM(0, 0), EXIT),
	  KERNEL(-EINVAL, "missing btf func_info") },
	{ "max_size", .gen = gen_max, .kernel = K_SKIP,
	  .skip_why = "walking 1,000,000 instructions is slow and its log truncates" },

	/* loops: strict check */
	{ "self_loop", PROG(MOV_IMM(0, 0), JA(-1)), REJECT("back-edge from insn 1 to 1", 1), KERNEL_INFINITE(1) },
	{ "self_loop_first_insn", PROG(JA(-1), EXIT), REJECT("back-edge from insn 0 to 0", 0),
	  KERNEL(-EINVAL, "unreachable insn 1") },
	{ "gotol_self_loop", PROG(MOV_IMM(0, 0), GOTOL(-1)), REJECT("back-edge from insn 1 to 1", 1),
	  KERNEL_INFINITE(1) },
	{ "cond_self_loop", PROG(RAND, JGT_IMM(0, 5, -1), EXIT), REJECT("back-edge from insn 1 to 1", 1),
	  KERNEL_INFINITE(1) },
	{ "loop_via_conditional", PROG(RAND, JGT_IMM(0, 5, 2), ADD_IMM(0, 1), JA(-3), EXIT),
	  REJECT("back-edge from insn 3 to 1", 3), KERNEL_LOOPS_OK },
	{ "loop_conditional_backward", PROG(RAND, ADD_IMM(0, 1), JLT_IMM(0, 10, -2), EXIT),
	  REJECT("back-edge from insn 2 to 1", 2), KERNEL_LOOPS_OK },
	{ "bounded_counter_loop", PROG(MOV_IMM(0, 0), ADD_IMM(0, 1), JLT_IMM(0, 10, -2), EXIT),
	  REJECT("back-edge from insn 2 to 1", 2), KERNEL_LOOPS_OK },
	{ "two_block_loop", PROG(MOV_IMM(0, 0), JA(1), JA(-2), JA(-2)), REJECT("back-edge from insn 2 to 1", 2),
	  KERNEL_INFINITE(1) },
	{ "first_of_two_loops", PROG(RAND, JGT_IMM(0, 5, 2), MOV_IMM(0, 1), JA(-2), JA(-1)),
	  REJECT("back-edge from insn 3 to 2", 3), KERNEL_INFINITE(2) },
	{ "loop_through_call_return", PROG(CALL_LOCAL(3), RAND, JGT_IMM(0, 0, -3), EXIT, MOV_IMM(0, 0), EXIT),
	  REJECT("back-edge from insn 2 to 0", 2), KERNEL_INFINITE(4) },
	{ "loop_in_subprog", PROG(CALL_LOCAL(1), EXIT, RAND, JGT_IMM(0, 5, -2), EXIT),
	  REJECT("back-edge from insn 3 to 2", 3), KERNEL_INFINITE(2) },
	{ "recursion", PROG(CALL_LOCAL(1), EXIT, CALL_LOCAL(-1), EXIT), REJECT("back-edge from insn 2 to 2", 2),
	  KERNEL_TOO_DEEP },
	{ "mutual_recursion", PROG(CALL_LOCAL(1), EXIT, CALL_LOCAL(1), EXIT, CALL_LOCAL(-3), EXIT),
	  REJECT("back-edge from insn 4 to 2", 4), KERNEL_TOO_DEEP },
	{ "ldimm64_middle_loop", PROG(LD_IMM64(0, 1), JA(-2)), REJECT("back-edge from insn 1 to 2", 1),
	  KERNEL(-EINVAL, "jump into the middle of ldimm64 insn 0") },

	/* loops: bounded loops allowed, every other check kept */
	{ "self_loop_allowed", PROG(MOV_IMM(0, 0), JA(-1)), .flags = BACK_EDGES, KERNEL_INFINITE(1) },
	{ "gotol_self_loop_allowed", PROG(MOV_IMM(0, 0), GOTOL(-1)), .flags = BACK_EDGES, KERNEL_INFINITE(1) },
	{ "cond_self_loop_allowed", PROG(RAND, JGT_IMM(0, 5, -1), EXIT), .flags = BACK_EDGES, KERNEL_INFINITE(1) },
	{ "loop_via_conditional_allowed", PROG(RAND, JGT_IMM(0, 5, 2), ADD_IMM(0, 1), JA(-3), EXIT),
	  .flags = BACK_EDGES },
	{ "bounded_counter_loop_allowed", PROG(MOV_IMM(0, 0), ADD_IMM(0, 1), JLT_IMM(0, 10, -2), EXIT),
	  .flags = BACK_EDGES },
	{ "two_block_loop_allowed", PROG(MOV_IMM(0, 0), JA(1), JA(-2), JA(-2)), .flags = BACK_EDGES,
	  KERNEL_INFINITE(1) },
	{ "loop_through_call_return_allowed",
	  PROG(CALL_LOCAL(3), RAND, JGT_IMM(0, 0, -3), EXIT, MOV_IMM(0, 0), EXIT), .flags = BACK_EDGES,
	  KERNEL_INFINITE(4) },
	{ "loop_in_subprog_allowed", PROG(CALL_LOCAL(1), EXIT, RAND, JGT_IMM(0, 5, -2), EXIT), .flags = BACK_EDGES,
	  KERNEL_INFINITE(2) },
	{ "recursion_allowed", PROG(CALL_LOCAL(1), EXIT, CALL_LOCAL(-1), EXIT), .flags = BACK_EDGES,
	  KERNEL_TOO_DEEP },
	{ "self_loop_first_insn_allowed", PROG(JA(-1), EXIT), .flags = BACK_EDGES, REJECT("unreachable insn 1", 1) },
	{ "loop_then_unreachable_allowed", PROG(RAND, JGT_IMM(0, 5, -1), EXIT, MOV_IMM(0, 1), EXIT),
	  .flags = BACK_EDGES, REJECT("unreachable insn 3", 3) },
	{ "ldimm64_middle_loop_allowed", PROG(LD_IMM64(0, 1), JA(-2)), .flags = BACK_EDGES,
	  REJECT("jump into the middle of ldimm64 insn 0", 0) },
	{ "jump_out_of_range_allowed", PROG(MOV_IMM(0, 0), JA(-3), EXIT), .flags = BACK_EDGES,
	  REJECT("jump out of range from insn 1 to -1", 1) },

	/* unreachable code */
	{ "unreachable_after_exit", PROG(MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT), REJECT("unreachable insn 2", 2) },
	{ "unreachable_after_goto", PROG(MOV_IMM(0, 0), JA(1), MOV_IMM(0, 1), EXIT), REJECT("unreachable insn 2", 2) },
	{ "unreachable_after_gotol", PROG(MOV_IMM(0, 0), GOTOL(1), MOV_IMM(0, 1), EXIT),
	  REJECT("unreachable insn 2", 2) },
	{ "unreachable_in_subprog", PROG(CALL_LOCAL(1), EXIT, MOV_IMM(0, 0), EXIT, MOV_IMM(0, 1), EXIT),
	  REJECT("unreachable insn 4", 4) },
	{ "unreachable_ldimm64", PROG(MOV_IMM(0, 0), EXIT, LD_IMM64(0, 1), EXIT), REJECT("unreachable insn 2", 2) },

	/* jumps out of range and subprogram layout */
	{ "jump_out_of_range_forward", PROG(MOV_IMM(0, 0), JGT_IMM(0, 5, 10), EXIT),
	  REJECT("jump out of range from insn 1 to 12", 1) },
	{ "jump_out_of_range_backward", PROG(MOV_IMM(0, 0), JA(-5), EXIT),
	  REJECT("jump out of range from insn 1 to -3", 1) },
	{ "jump_to_insn_cnt", PROG(MOV_IMM(0, 0), JGT_IMM(0, 5, 1), EXIT),
	  REJECT("jump out of range from insn 1 to 3", 1) },
	{ "gotol_out_of_range", PROG(MOV_IMM(0, 0), GOTOL(100000), EXIT),
	  REJECT("jump out of range from insn 1 to 100002", 1) },
	{ "jump_into_subprog", PROG(CALL_LOCAL(2), JA(2), EXIT, MOV_IMM(0, 0), EXIT),
	  REJECT("jump out of range from insn 1 to 4", 1) },
	{ "jump_back_into_caller", PROG(CALL_LOCAL(1), EXIT, JA(-2), EXIT),
	  REJECT("jump out of range from insn 2 to 1", 2) },
	{ "fall_off_end", PROG(MOV_IMM(0, 0)), REJECT("last insn is not an exit or jmp", 0) },
	{ "last_insn_cond_jump", PROG(MOV_IMM(0, 0), JGT_IMM(0, 0, -2)), REJECT("last insn is not an exit or jmp", 1) },
	{ "last_insn_helper_call", PROG(MOV_IMM(0, 0), RAND), REJECT("last insn is not an exit or jmp", 1) },
	{ "last_insn_ldimm64", PROG(LD_IMM64(0, 1)), REJECT("last insn is not an exit or jmp", 1) },
	{ "subprog_falls_into_next", PROG(CALL_LOCAL(2), EXIT, MOV_IMM(0, 0), MOV_IMM(0, 1), EXIT),
	  REJECT("last insn is not an exit or jmp", 2) },
	{ "subprog_last_not_exit", PROG(CALL_LOCAL(1), EXIT, MOV_IMM(0, 1)),
	  REJECT("last insn is not an exit or jmp", 2) },
	{ "local_call_out_of_range_forward", PROG(CALL_LOCAL(5), EXIT), REJECT("call to invalid destination", 0) },
	{ "local_call_out_of_range_backward", PROG(MOV_IMM(0, 0), CALL_LOCAL(-3), EXIT),
	  REJECT("call to invalid destination", 1) },
	{ "pseudo_func_out_of_range", PROG(LD_FUNC(2, 100), MOV_IMM(0, 0), EXIT),
	  REJECT("call to invalid destination", 0) },
	{ "too_many_subprograms", .gen = gen_many_subprogs, .ret = -E2BIG, .msg = "too many subprograms",
	  .insn = 255 },

	/* LD_IMM64 entered in the middle */
	{ "jump_into_ldimm64_middle", PROG(RAND, JEQ_IMM(0, 0, 1), LD_IMM64(0, 1), EXIT),
	  REJECT("jump into the middle of ldimm64 insn 2", 2) },
	{ "jump_into_ldimm64_middle_later", PROG(RAND, JEQ_IMM(0, 0, 4), MOV_IMM(0, 1), LD_IMM64(1, 1), LD_IMM64(0, 1),
						 EXIT),
	  REJECT("jump into the middle of ldimm64 insn 5", 5) },
	{ "goto_into_ldimm64_middle", PROG(JA(1), LD_IMM64(0, 1), EXIT), REJECT("unreachable insn 1", 1) },
	{ "call_into_ldimm64_middle", PROG(CALL_LOCAL(2), EXIT, LD_IMM64(0, 1), EXIT),
	  REJECT("last insn is not an exit or jmp", 2) },

	/* sizes and validity */
	/* the kernel refuses both sizes in bpf_prog_load, before any log */
	{ "empty", PROG(), .ret = -EINVAL, .msg = "empty program", .insn = -1, KERNEL(-E2BIG, NULL) },
	{ "too_large", .gen = gen_too_large, .ret = -E2BIG,
	  .msg = "BPF program is too large (1000001 insns, limit 1000000)", .insn = -1, KERNEL(-E2BIG, NULL) },
	{ "unknown_opcode", PROG(MOV_IMM(0, 0), INSN(0xff, 0, 0, 0, 0), EXIT), REJECT("unknown opcode ff", 1) },
};
/* clang-format on */

static const struct bpf_insn *case_insns(const struct dag_case *c, size_t *len, struct bpf_insn **owned)
{
	*owned = NULL;
	if (c->gen) {
		*owned = c->gen(len);
		return *owned;
	}
	*len = c->len;
	return c->insns;
}

static void test_case(gconstpointer data)
{
	const struct dag_case *c = data;
	struct bpf_insn *owned;
	struct bpfs_err err;
	size_t len;
	const struct bpf_insn *insns = case_insns(c, &len, &owned);
	int ret = bpfs_check_cfg(insns, len, c->flags, &err);

	g_assert_cmpint(ret, ==, c->ret);
	if (c->ret) {
		g_assert_cmpstr(err.msg, ==, c->msg);
		g_assert_cmpint(err.insn, ==, c->insn);
	} else {
		/* What passes has a CFG, every block of it reachable. */
		struct bpfs_cfg *cfg;

		g_assert_cmpint(bpfs_cfg_build(insns, len, &cfg, &err), ==, 0);
		g_assert_cmpuint(cfg->nrpo_reachable, ==, cfg->exit_block);
		bpfs_cfg_free(cfg);
	}
	g_free(owned);
}

/* ---------------------------------------------------------------------- */
/* Kernel oracle                                                          */

#define LOG_SIZE (64 * 1024)

static int kernel_load(const struct bpf_insn *insns, size_t len, char *log, uint32_t log_level)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = (uint32_t)len;
	attr.license = (uintptr_t) "GPL";
	if (log_level) {
		log[0] = '\0';
		attr.log_buf = (uintptr_t)log;
		attr.log_size = LOG_SIZE;
		attr.log_level = log_level;
	}
	fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* NULL when the kernel loads programs here, else why it cannot be asked. */
static const char *kernel_unavailable(void)
{
	static const struct bpf_insn trivial[] = {MOV_IMM(0, 0), EXIT};
	static const char *why;
	static gsize once;

	if (g_once_init_enter(&once)) {
		char *log = g_malloc(LOG_SIZE);
		int ret;

		if (geteuid() != 0)
			why = "not running as root: the kernel oracle needs bpf() with CAP_BPF";
		else if ((ret = kernel_load(trivial, G_N_ELEMENTS(trivial), log, 1)) != 0)
			why = g_strdup_printf("bpf(BPF_PROG_LOAD) of a trivial socket filter failed: %s",
					      g_strerror(-ret));
		g_free(log);
		g_once_init_leave(&once, 1);
	}
	return why;
}

static void test_kernel(gconstpointer data)
{
	const struct dag_case *c = data;
	const char *why = kernel_unavailable();
	int want_ret = c->kernel == K_OTHER ? c->kernel_ret : c->ret;
	const char *want_msg = c->kernel == K_OTHER ? c->kernel_msg : c->msg;
	struct bpf_insn *owned;
	size_t len;
	const struct bpf_insn *insns;
	char *log, *line;
	int ret;

	if (why) {
		g_test_skip(why);
		return;
	}
	if (c->kernel == K_SKIP) {
		g_test_skip(c->skip_why);
		return;
	}
	insns = case_insns(c, &len, &owned);
	log = g_malloc(LOG_SIZE);
	ret = kernel_load(insns, len, log, 1);
	/* An accepted program's log may not fit: ask for the verdict alone. */
	if (ret == -ENOSPC)
		ret = kernel_load(insns, len, log, 0);
	line = want_msg ? g_strconcat(want_msg, "\n", NULL) : NULL;
	if (ret != want_ret || (line && !strstr(log, line)))
		g_test_message("kernel returned %d (%s); log:\n%s", ret, ret ? g_strerror(-ret) : "loaded",
			       log);
	g_assert_cmpint(ret, ==, want_ret);
	if (line)
		g_assert_nonnull(strstr(log, line));
	g_free(line);
	g_free(log);
	g_free(owned);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *path = g_strdup_printf("/dagcheck/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_case);
		g_free(path);
		path = g_strdup_printf("/dagcheck/kernel/%s", cases[i].name);
		g_test_add_data_func(path, &cases[i], test_kernel);
		g_free(path);
	}
	return g_test_run();
}
