/* SPDX-License-Identifier: MIT */
/*
 * Verifier soundness holes, each shown on a concrete run. Every program
 * under tests/soundness/ is one that bpfscope's verifier once accepted and
 * the kernel refuses. Each is run unverified in checked mode (bpfscope run
 * --no-verify --checked), which checks every memory access against the
 * regions the program may touch, and then verified, which must now refuse
 * it at the kernel's instruction with the kernel's message.
 *
 * Not every hole can be made to go out of bounds by an input. Where the
 * old verdict rested on a fact about the run that happens to be true (a
 * range the kernel does not track, a pointer formed and never used), the
 * checked run is clean and the row says why; the verifier must still
 * refuse the program as the kernel does, because the kernel's rules are
 * what programs are written against. The table of kernel-checked cases
 * for each rule is in verifier_cases.h.
 */
#include <string.h>

#include "testutil.h"

struct hole {
	const char *name; /* tests/soundness/NAME.s */
	const char *type;
	const char *map; /* --map of map 0, or NULL */
	/* the checked run: NULL when it is clean, else what the violation
	 * report holds (the insn, then what went wrong and where) */
	const char *violation_insn;
	const char *violation;
	/* the verifier's verdict, as the kernel gives it */
	int reject_insn;
	const char *kernel_msg;
};

static const struct hole holes[] = {
	/* The load reads the low half of the packet address, sign-extended:
	 * the read through it hits no region at all. */
	{ "memsx_ctx_pointer", "xdp", NULL, "insn 5:", "no region", 0, "invalid bpf_context access off=0 size=4" },
	/* The key is 0 and the array has one entry: the lookup cannot fail,
	 * so nothing goes wrong. The kernel keeps the NULL check because its
	 * rule for a constant key wants a spill of exactly the key's size;
	 * bpfscope follows the rule, not the fact. */
	{ "array_null_elision", "socket_filter", "array:4:48:1", NULL, NULL, 6,
	  "R0 invalid mem access 'map_value_or_null'" },
	/* The sign-extended low byte of the frame address really is in
	 * [-128, 127], the range bpfscope gave it, and nothing is accessed
	 * through fp plus it. What the kernel refuses is arithmetic on a
	 * number made of address bits (unprivileged, the move itself). */
	{ "movsx_pointer", "socket_filter", NULL, NULL, NULL, 2,
	  "math between fp pointer and register with unbounded min value is not allowed" },
	/* An 8-byte locked add at offset 4 of a map value: not aligned to its
	 * size, so not atomic across a cache line (and a fault on machines
	 * without unaligned access). */
	{ "misaligned_atomic_map_value", "socket_filter", "array:4:16:1", "insn 8:", "misaligned atomic access of 8 bytes",
	  8, "misaligned value access off 0+0+4 size 8" },
	/* The pointer is formed (4 GiB of variable offset below the value)
	 * and then dropped: no access through it, so no violation. Any
	 * access would be judged against those bounds and refused; the
	 * kernel refuses the pointer itself. */
	{ "ptr_result_offset", "socket_filter", "array:4:16:1", NULL, NULL, 8,
	  "map_value pointer offset -4294967295 is not allowed" },
	/* The word LD_ABS loads is below 2^32, as bpfscope had it, and the
	 * pointer fp plus it is never used. The kernel leaves R0 any number
	 * after LD_ABS, so fp plus it is refused. */
	{ "ldabs_bounds", "socket_filter", NULL, NULL, NULL, 3,
	  "math between fp pointer and register with unbounded min value is not allowed" },
	/* bpf_csum_diff reads zero bytes from fp: no byte is touched. The
	 * kernel checks an empty access for where it starts, and fp is past
	 * the frame's last byte. */
	{ "zero_size_stack_top", "xdp", NULL, NULL, NULL, 7, "invalid read from stack R1 off=0 size=0" },
};

static char *program(const struct hole *h)
{
	const char *src = tu_env_dir("BPFS_SOURCE_DIR");
	g_autofree char *file = g_strdup_printf("%s.s", h->name);

	g_assert_nonnull(src);
	return g_build_filename(src, "tests", "soundness", file, NULL);
}

static int bpfscope(const char *cmd, const struct hole *h, const char *extra, char **out)
{
	g_autofree char *prog = program(h), *map = NULL, *line = NULL, *err = NULL;
	int status;

	if (h->map)
		map = g_strdup_printf("--map %s", h->map);
	line = g_strdup_printf("%s %s %s --type %s %s %s", tu_cli(), cmd, extra, h->type, map ? map : "", prog);
	status = tu_run(line, out, &err);
	g_test_message("$ %s\n%s%s", line, *out ? *out : "", err ? err : "");
	return status;
}

static void test_checked_run(gconstpointer data)
{
	const struct hole *h = data;
	g_autofree char *out = NULL;
	int status = bpfscope("run", h, "--no-verify --checked", &out);

	g_assert_nonnull(out);
	if (!h->violation) {
		g_assert_cmpint(status, ==, 0);
		g_assert_nonnull(strstr(out, "checked: no violation"));
		return;
	}
	g_assert_cmpint(status, ==, 1);
	const char *v = strstr(out, "violation:");

	g_assert_nonnull(v);
	g_assert_nonnull(strstr(v, h->violation_insn));
	g_assert_nonnull(strstr(v, h->violation));
}

static void test_verify_refuses(gconstpointer data)
{
	const struct hole *h = data;
	g_autofree char *out = NULL, *want = g_strdup_printf("rejected at insn %d: %s", h->reject_insn, h->kernel_msg);

	g_assert_cmpint(bpfscope("verify", h, "", &out), ==, 1);
	g_assert_nonnull(out);
	if (!strstr(out, want))
		g_error("%s: wanted \"%s\", got %s", h->name, want, out);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(holes); i++) {
		g_autofree char *run = g_strdup_printf("/soundness/checked/%s", holes[i].name);
		g_autofree char *verify = g_strdup_printf("/soundness/verify/%s", holes[i].name);

		g_test_add_data_func(run, &holes[i], test_checked_run);
		g_test_add_data_func(verify, &holes[i], test_verify_refuses);
	}
	return g_test_run();
}
