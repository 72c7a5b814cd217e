/* SPDX-License-Identifier: MIT */
/*
 * Interpreter speed: nanoseconds per executed instruction on three
 * programs (straight-line ALU code, a counting loop, a loop over packet
 * bytes), in fast and checked mode, and, when the kernel's bpf() loads
 * programs (root), the same programs through BPF_PROG_TEST_RUN in the same
 * run. Results are printed as ratios against the fast interpreter, the
 * baseline.
 *
 * Instruction counts come from a checked run (which counts). The kernel
 * figure is its test_run duration (mean per repetition) divided by the
 * same count; it includes the kernel's per-run overhead and uses its JIT
 * when net.core.bpf_jit_enable is 1.
 *
 * Usage: bench_interp [repetitions-scale]
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "bench_progs.h"

/* Mean ns per run of the interpreter; *insns gets the executed count. */
static double time_interp(const struct prog *p, const uint8_t *pkt, bool checked, uint64_t *insns)
{
	struct bpfs_vm_opts opts = {.prog_type = BPF_PROG_TYPE_SCHED_CLS, .checked = checked};
	struct bpfs_err err;
	struct bpfs_vm *vm = bpfs_vm_new(p->insns, p->cnt, &opts, &err);
	struct bpfs_run_report rep;
	struct bpfs_ctx ctx;
	uint64_t r0, t0, best = UINT64_MAX;

	if (!vm) {
		fprintf(stderr, "%s: %s\n", p->name, err.msg);
		exit(1);
	}
	if (bpfs_ctx_build(&ctx, BPF_PROG_TYPE_SCHED_CLS, pkt, PKT_LEN, NULL, 0, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	if (bpfs_vm_run(vm, &ctx, NULL, &r0, &rep)) {
		fprintf(stderr, "%s: %s\n", p->name, rep.msg);
		exit(1);
	}
	if (insns)
		*insns = rep.insns;
	/* best of 5 rounds of reps runs */
	for (int round = 0; round < 5; round++) {
		t0 = now_ns();
		for (unsigned i = 0; i < p->reps; i++)
			bpfs_vm_run(vm, &ctx, NULL, &r0, NULL);
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	bpfs_ctx_release(&ctx);
	bpfs_vm_free(vm);
	return (double)best / p->reps;
}

int main(int argc, char **argv)
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	struct prog progs[3] = {
	    {"straight-line ALU", NULL, 0, 2000},
	    {"counting loop", NULL, 0, 50},
	    {"packet byte loop", NULL, 0, 5000},
	};
	uint8_t pkt[PKT_LEN];
	bool kernel = geteuid() == 0;
	int jit = jit_enabled();

	progs[0].insns = gen_straight(&progs[0].cnt);
	progs[1].insns = gen_loop(&progs[1].cnt);
	progs[2].insns = gen_pkt(&progs[2].cnt);
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 31 + 7);
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	printf("baseline: interp-fast (ns per executed instruction; ratio = time / baseline)\n");
	printf("%-18s %10s %10s %8s %10s %8s %10s %8s\n", "program", "insns/run", "fast", "", "checked",
	       "ratio", kernel ? (jit == 1 ? "kernel-jit" : "kernel") : "kernel", "ratio");
	for (size_t i = 0; i < 3; i++) {
		struct prog *p = &progs[i];
		uint64_t n = 0;
		double fast, checked, k;

		p->reps *= scale ? scale : 1;
		fast = time_interp(p, pkt, false, NULL);
		checked = time_interp(p, pkt, true, &n);
		printf("%-18s %10llu %8.2fns %8s %8.2fns %7.2fx", p->name, (unsigned long long)n,
		       fast / (double)n, "1.00x", checked / (double)n, checked / fast);
		k = kernel ? time_kernel(p, pkt) : -EPERM;
		if (k >= 0)
			printf(" %8.2fns %7.2fx\n", k / (double)n, k / fast);
		else
			printf(" %10s (%s)\n", "n/a", strerror((int)-k));
		free(p->insns);
	}
	return 0;
}
