/* SPDX-License-Identifier: MIT */
/*
 * What a run may touch and what it cannot do, end to end and in the
 * library:
 *
 *   - map values in checked runs: every value a lookup returns is a
 *     region, however many the run looks up (a loop of 1000 lookups on an
 *     array and on a hash), while the bytes between values (an array's
 *     padding) stay outside every region;
 *   - a helper the verifier accepts but bpfscope's runtime does not
 *     implement: the run fails naming the helper, on both engines and in
 *     checked mode, with EOPNOTSUPP through BPF_PROG_TEST_RUN; a program
 *     that never reaches the call runs;
 *   - the run context's value set itself (dedup, merge, search, growth).
 *
 * The CLI cases are a table, one GTest case each: an assembly program
 * (written to a temporary directory), the arguments of `bpfscope run`, the
 * exit status, and substrings the output and the error must contain.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bpf.h"
#include "insn_macros.h"
#include "interp.h"
#include "testutil.h"

/* Looks up key 0, then key 1, and reads the second value. */
#define ARRAY_TWO_KEYS                                                                                       \
	"*(u32 *)(r10 - 4) = 0\n"                                                                            \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"r1 = map[0] ll\n"                                                                                   \
	"call 1\n"                                                                                           \
	"*(u32 *)(r10 - 4) = 1\n"                                                                            \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"r1 = map[0] ll\n"                                                                                   \
	"call 1\n"                                                                                           \
	"if r0 == 0 goto +1\n"                                                                               \
	"r0 = *(u32 *)(r0 + 0)\n"                                                                            \
	"r0 = 0\n"                                                                                           \
	"exit\n"

/* 1000 lookups of keys 0..999, each value incremented. */
#define THOUSAND_LOOKUPS                                                                                     \
	"r6 = 0\n"                                                                                           \
	"goto L7\n"                                                                                          \
	"L2: r6 += 1\n"                                                                                      \
	"r1 = r6\n"                                                                                          \
	"r1 <<= 32\n"                                                                                        \
	"r1 >>= 32\n"                                                                                        \
	"if r1 == 1000 goto L18\n"                                                                           \
	"L7: *(u32 *)(r10 - 4) = r6\n"                                                                       \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"r1 = map[0] ll\n"                                                                                   \
	"call 1\n"                                                                                           \
	"if r0 == 0 goto L2\n"                                                                               \
	"r1 = *(u32 *)(r0 + 0)\n"                                                                            \
	"r1 += 1\n"                                                                                          \
	"*(u32 *)(r0 + 0) = r1\n"                                                                            \
	"goto L2\n"                                                                                          \
	"L18: r0 = 0\n"                                                                                      \
	"exit\n"

/* Inserts keys 0..999 into a hash (value = key), looks each up and adds
 * the value to r7: r0 = 0 + 1 + ... + 999 = 499500. */
#define THOUSAND_HASH                                                                                        \
	"r6 = 0\n"                                                                                           \
	"r7 = 0\n"                                                                                           \
	"L2: *(u32 *)(r10 - 4) = r6\n"                                                                       \
	"*(u32 *)(r10 - 8) = r6\n"                                                                           \
	"r1 = map[0] ll\n"                                                                                   \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"r3 = r10\n"                                                                                         \
	"r3 += -8\n"                                                                                         \
	"r4 = 0\n"                                                                                           \
	"call 2\n"                                                                                           \
	"r1 = map[0] ll\n"                                                                                   \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"call 1\n"                                                                                           \
	"if r0 == 0 goto L20\n"                                                                              \
	"r1 = *(u32 *)(r0 + 0)\n"                                                                            \
	"r7 += r1\n"                                                                                         \
	"L20: r6 += 1\n"                                                                                     \
	"if r6 < 1000 goto L2\n"                                                                             \
	"r0 = r7\n"                                                                                          \
	"exit\n"

/* Reads the 4 bytes after a 4-byte array value (its padding): the
 * verifier refuses it, so it runs unverified, which is checked. */
#define PAST_THE_VALUE                                                                                       \
	"*(u32 *)(r10 - 4) = 0\n"                                                                            \
	"r2 = r10\n"                                                                                         \
	"r2 += -4\n"                                                                                         \
	"r1 = map[0] ll\n"                                                                                   \
	"call 1\n"                                                                                           \
	"if r0 == 0 goto +1\n"                                                                               \
	"r0 = *(u32 *)(r0 + 4)\n"                                                                            \
	"exit\n"

/* bpf_get_numa_node_id, which the verifier accepts and bpfscope lacks. */
#define MISSING_HELPER "call 42\nr0 = 0\nexit\n"
#define MISSING_MSG "bpfscope run: helper bpf_get_numa_node_id#42 is not implemented by bpfscope's runtime"
#define COLD_MISSING_HELPER "r0 = 0\nif r0 == 0 goto +1\ncall 42\nr0 = 7\nexit\n"

struct run_case {
	const char *name;
	const char *prog;
	const char *args; /* after the program's path */
	int status;
	const char *out; /* substrings, NULL: anything */
	const char *out2;
	const char *err;
};

static const struct run_case run_cases[] = {
    {"checked/array-key-0-then-1", ARRAY_TWO_KEYS, "--map array:4:4:2 --checked", 0, "r0 = 0 (0x0)\n",
     "checked: no violation", NULL},
    {"checked/array-1000-lookups", THOUSAND_LOOKUPS, "--map array:4:4:1000 --checked --dump", 0,
     "checked: no violation (15004 insns)", "  e7030000: 01000000\n", NULL},
    {"checked/hash-1000-lookups", THOUSAND_HASH, "--map hash:4:4:1000 --checked", 0, "r0 = 499500 (0x79f2c)\n",
     "checked: no violation", NULL},
    {"fast/array-1000-lookups", THOUSAND_LOOKUPS, "--map array:4:4:1000 --dump", 0, "  e7030000: 01000000\n",
     NULL, NULL},
    {"jit/array-1000-lookups", THOUSAND_LOOKUPS, "--map array:4:4:1000 --dump --engine jit", 0,
     "  e7030000: 01000000\n", NULL, NULL},
    {"jit/hash-1000-lookups", THOUSAND_HASH, "--map hash:4:4:1000 --engine jit", 0, "r0 = 499500 (0x79f2c)\n",
     NULL, NULL},
    {"checked/padding-after-value", PAST_THE_VALUE, "--map array:4:4:2 --no-verify", 1,
     "violation: invalid memory access: insn 7: invalid read of 4 bytes at map value+4", NULL, NULL},
    {"missing-helper/interp", MISSING_HELPER, "--type sched_cls --engine interp", 2, "", NULL,
     MISSING_MSG " (insn 0)\n"},
    {"missing-helper/jit", MISSING_HELPER, "--type sched_cls --engine jit", 2, "", NULL,
     MISSING_MSG " (insn 0)\n"},
    {"missing-helper/checked", MISSING_HELPER, "--type sched_cls --checked", 2, "", NULL,
     MISSING_MSG " (insn 0)\n"},
    {"missing-helper/unverified", MISSING_HELPER, "--type sched_cls --no-verify", 2, "", NULL,
     MISSING_MSG " (insn 0)\n"},
    {"missing-helper/json", MISSING_HELPER, "--type sched_cls --json", 2, "", NULL, MISSING_MSG},
    {"missing-helper/not-reached-interp", COLD_MISSING_HELPER, "--type sched_cls", 0, "r0 = 7 (0x7)\n", NULL,
     NULL},
    {"missing-helper/not-reached-jit", COLD_MISSING_HELPER, "--type sched_cls --engine jit", 0,
     "r0 = 7 (0x7)\n", NULL, NULL},
};

static void test_run_case(gconstpointer data)
{
	const struct run_case *c = data;
	g_autoptr(GError) gerr = NULL;
	g_autofree char *dir = g_dir_make_tmp("bpfs-run-XXXXXX", &gerr);
	g_autofree char *path = NULL, *cmd = NULL, *out = NULL, *err = NULL;
	int status;

	g_assert_no_error(gerr);
	path = g_build_filename(dir, "prog.s", NULL);
	g_assert_true(g_file_set_contents(path, c->prog, -1, NULL));
	cmd = g_strdup_printf("%s run %s %s", tu_cli(), path, c->args);
	status = tu_run(cmd, &out, &err);
	g_test_message("$ %s\n%s%s", cmd, out, err);
	g_assert_cmpint(status, ==, c->status);
	if (c->out && !*c->out)
		g_assert_cmpstr(out, ==, "");
	else if (c->out)
		g_assert_nonnull(strstr(out, c->out));
	if (c->out2)
		g_assert_nonnull(strstr(out, c->out2));
	if (c->err)
		g_assert_nonnull(strstr(err, c->err));
	else
		g_assert_cmpstr(err, ==, "");
	tu_rm_tree(dir);
}

/* ---------------------------------------------------------------------- */
/* The library                                                            */

#define PROG(...)                                                                                            \
	(const struct bpf_insn[]){__VA_ARGS__},                                                              \
	    sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)

/* An Ethernet frame with a whole IPv4 header. */
static uint8_t frame[64] = {[12] = 0x08, [14] = 0x45};

static int load(const struct bpf_insn *insns, size_t cnt)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)cnt;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	return (int)bpfs_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}

static long test_run(int fd, uint32_t *retval)
{
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = (uint64_t)(uintptr_t)frame;
	attr.test.data_size_in = sizeof(frame);
	attr.test.retval = 12345;
	ret = bpfs_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	*retval = attr.test.retval;
	return ret;
}

/* BPF_PROG_LOAD loads it (the verifier accepts it); every test run fails
 * with EOPNOTSUPP and the report names the helper. */
static void test_missing_helper_test_run(void)
{
	static const struct {
		enum bpfs_engine engine;
		bool checked;
	} modes[] = {{BPFS_ENGINE_INTERP, false}, {BPFS_ENGINE_JIT, false}, {BPFS_ENGINE_INTERP, true}};
	int fd = load(PROG(BPF_MOV64_IMM(BPF_REG_6, 1), BPF_EMIT_CALL(BPF_FUNC_get_numa_node_id),
			   BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN()));

	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
		struct bpfs_run_report rep;
		uint32_t retval;

		g_assert_cmpint(bpfs_prog_set_engine(fd, modes[i].engine), ==, 0);
		g_assert_cmpint(bpfs_prog_set_checked(fd, modes[i].checked), ==, 0);
		errno = 0;
		g_assert_cmpint(test_run(fd, &retval), ==, -1);
		g_assert_cmpint(errno, ==, EOPNOTSUPP);
		g_assert_cmpuint(retval, ==, 12345); /* nothing written back */
		g_assert_cmpint(bpfs_prog_last_report(fd, &rep), ==, 0);
		g_assert_cmpint(rep.viol, ==, BPFS_VIOL_UNSUPPORTED);
		g_assert_cmpint(rep.insn, ==, 1);
		g_assert_cmpstr(rep.msg, ==,
				"insn 1: helper bpf_get_numa_node_id#42 is not implemented by bpfscope's runtime");
		g_assert_cmpstr(bpfs_violation_name(rep.viol), ==, "not implemented by bpfscope");
	}
	g_assert_cmpint(bpfs_close(fd), ==, 0);
}

/* The interpreter on its own: a kernel helper it lacks loads and fails
 * the run with -EOPNOTSUPP; an id the kernel does not have is refused. */
static void test_missing_helper_vm(void)
{
	struct bpfs_vm_opts opts = {.prog_type = BPF_PROG_TYPE_SCHED_CLS, .verified = true};
	struct bpfs_run_report rep;
	struct bpfs_err err;
	struct bpfs_vm *vm;
	uint64_t r0 = 1;

	for (int checked = 0; checked < 2; checked++) {
		opts.checked = checked;
		vm = bpfs_vm_new(PROG(BPF_EMIT_CALL(BPF_FUNC_skb_change_proto), BPF_EXIT_INSN()), &opts, &err);
		g_assert_nonnull(vm);
		g_assert_cmpint(bpfs_vm_run(vm, NULL, NULL, &r0, &rep), ==, -EOPNOTSUPP);
		g_assert_cmpuint(r0, ==, 0);
		g_assert_cmpint(rep.viol, ==, BPFS_VIOL_UNSUPPORTED);
		g_assert_cmpstr(rep.msg, ==,
				"insn 0: helper bpf_skb_change_proto#31 is not implemented by bpfscope's runtime");
		bpfs_vm_free(vm);
	}
	g_assert_null(bpfs_vm_new(PROG(BPF_EMIT_CALL(100000), BPF_EXIT_INSN()), &opts, &err));
	g_assert_cmpstr(err.msg, ==, "invalid func unknown#100000");
}

/* ---------------------------------------------------------------------- */
/* The value set                                                          */

static void test_value_set(void)
{
	static uint8_t mem[8 * 4096];
	struct bpfs_run_ctx rc;
	const struct bpfs_region *r;
	GRand *rnd = g_rand_new_with_seed(7);
	unsigned order[4096];

	bpfs_run_ctx_init(&rc, NULL, true);
	/* 4096 values of 4 bytes, 8 apart, added in a random order, twice */
	for (unsigned i = 0; i < G_N_ELEMENTS(order); i++)
		order[i] = i;
	for (unsigned i = G_N_ELEMENTS(order) - 1; i > 0; i--) {
		unsigned j = (unsigned)g_rand_int_range(rnd, 0, (gint32)i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < G_N_ELEMENTS(order); i++)
			g_assert_cmpint(bpfs_run_add_value(&rc, mem + 8 * order[i], 4), ==, 0);
	g_assert_cmpuint(rc.values.n, ==, 4096);
	g_assert_cmpuint(rc.nregions, ==, 0);
	for (unsigned i = 0; i < 4096; i++) {
		uintptr_t a = (uintptr_t)(mem + 8 * i);

		r = bpfs_run_find_region(&rc, a + 1, 2);
		g_assert_nonnull(r);
		g_assert_cmpuint(r->start, ==, a);
		g_assert_cmpuint(r->len, ==, 4);
		g_assert_true(r->writable);
		g_assert_null(bpfs_run_find_value(&rc, a + 2, 4)); /* into the padding */
		g_assert_null(bpfs_run_find_value(&rc, a + 4, 1));
	}
	g_assert_cmpint(bpfs_run_check_access(&rc, (uintptr_t)(mem + 12), 4, false), ==, -EFAULT);
	g_assert_cmpstr(rc.viol_msg, ==, "invalid read of 4 bytes at map value+4");
	/* a value overlapping two others is merged with them */
	g_assert_cmpint(bpfs_run_add_value(&rc, mem + 2, 12), ==, 0);
	g_assert_cmpuint(rc.values.n, ==, 4095);
	r = bpfs_run_find_value(&rc, (uintptr_t)mem, 12);
	g_assert_nonnull(r);
	g_assert_cmpuint(r->start, ==, (uintptr_t)mem);
	g_assert_cmpuint(r->len, ==, 14);
	g_assert_null(bpfs_run_find_value(&rc, (uintptr_t)mem + 14, 1));
	/* an empty value adds nothing */
	g_assert_cmpint(bpfs_run_add_value(&rc, mem + 7, 0), ==, 0);
	g_assert_cmpuint(rc.values.n, ==, 4095);
	bpfs_run_ctx_release(&rc);
	g_assert_cmpuint(rc.values.n, ==, 0);
	g_assert_null(bpfs_run_find_value(&rc, (uintptr_t)mem, 1));
	g_rand_free(rnd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(run_cases); i++) {
		g_autofree char *name = g_strdup_printf("/run_limits/cli/%s", run_cases[i].name);

		g_test_add_data_func(name, &run_cases[i], test_run_case);
	}
	g_test_add_func("/run_limits/missing-helper/test-run", test_missing_helper_test_run);
	g_test_add_func("/run_limits/missing-helper/vm", test_missing_helper_vm);
	g_test_add_func("/run_limits/value-set", test_value_set);
	return g_test_run();
}
