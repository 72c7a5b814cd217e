/* SPDX-License-Identifier: MIT */
/*
 * The running kernel as a differential-testing engine: what is particular
 * to it (run.c runs it like every other engine, through the object
 * loader on the kernel's bpf(): maps created and filled exactly as
 * bpfscope's engines get theirs, slot 0 of every prog_array holding the
 * program itself, one BPF_PROG_TEST_RUN).
 *
 * What can be compared: r0 (its low 32 bits), the packet after the run
 * (data_out), and the maps' contents. The kernel's trace_printk output
 * goes to the tracing ring, not to the caller, so the trace is not
 * compared; per-CPU maps are not compared either (the test runs on
 * whichever CPU the syscall does). Programs whose helpers give no two
 * runs the same result are left out, and so are program types test_run
 * does not run and inputs it refuses.
 *
 * A program the kernel's verifier rejects is an outcome: the load error
 * and the last line of the kernel's log are reported as a "verdict"
 * divergence, because bpfscope's verifier accepted it; one it rejects
 * for a helper its build leaves out is skipped (a difference between
 * kernel builds, not between engines).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "diff_int.h"

/* The kernel's test_run refuses an IPv4 (IPv6) frame shorter than the
 * fixed network header for skb programs. */
static bool refused_input(uint32_t t, const struct bpfs_diff_input *in)
{
	uint16_t proto;

	if (t == BPF_PROG_TYPE_XDP || in->pkt_len < 14)
		return false;
	proto = (uint16_t)(in->pkt[12] << 8 | in->pkt[13]);
	return (proto == 0x0800 && in->pkt_len < 34) || (proto == 0x86dd && in->pkt_len < 54);
}

/* The last line of a verifier log that is neither empty nor statistics:
 * the error. */
char *diff_last_line(const char *log)
{
	static const char *const stats[] = {"processed ", "verification time", "stack depth"};
	const char *end = log + strlen(log), *start;

	for (;;) {
		bool skip = false;

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		for (size_t i = 0; i < G_N_ELEMENTS(stats) && start > log; i++)
			skip |= !strncmp(start, stats[i], strlen(stats[i]));
		if (!skip)
			return g_strndup(start, (gsize)(end - start));
		end = start;
	}
}

/* The helper this kernel's build leaves out for the program's type, when
 * that is why it refused the program: a difference between kernel builds
 * (their configuration), not between engines. */
char *diff_missing_helper(const char *log)
{
	static const char *const msgs[] = {"program of this type cannot use helper ", "unknown func "};

	for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
		const char *p = strstr(log, msgs[i]);

		if (p) {
			p += strlen(msgs[i]);
			return g_strndup(p, strcspn(p, "\n"));
		}
	}
	return NULL;
}

int diff_kernel_can_run(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in, char *why,
			size_t why_len)
{
	if (diff_nondeterministic_call(prog)) {
		snprintf(why, why_len, "kernel: the program calls %s, whose result the kernel's run does not share",
			 diff_nondeterministic_call(prog));
		return -EOPNOTSUPP;
	}
	if (!bpfs_ctx_has_packet(prog->prog_type)) {
		snprintf(why, why_len, "kernel: BPF_PROG_TEST_RUN does not run %s programs",
			 bpfs_prog_type_name(prog->prog_type));
		return -EOPNOTSUPP;
	}
	if (refused_input(prog->prog_type, in)) {
		snprintf(why, why_len, "kernel: BPF_PROG_TEST_RUN refuses a %zu-byte IP frame", in->pkt_len);
		return -ERANGE;
	}
	return 0;
}

bool bpfs_diff_kernel_available(char *why, size_t why_len)
{
	static const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	static const uint8_t pkt[64];
	struct bpfs_diff_prog p = {ret0, 2, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0};
	struct bpfs_diff_input in = {.pkt = (uint8_t *)pkt, .pkt_len = sizeof(pkt)};
	struct bpfs_diff_outcome o;
	int ret;

	why[0] = 0;
	ret = diff_run_engine(BPFS_DIFF_KERNEL, &p, &in, 1u << BPFS_DIFF_KERNEL, &o, why, why_len);
	if (!ret && o.load_error)
		snprintf(why, why_len, "kernel: bpf(BPF_PROG_LOAD): %s", o.load_error);
	free(o.pkt);
	free(o.trace);
	free(o.maps);
	g_free(o.ctx);
	g_free(o.load_error);
	return !ret && !why[0];
}
