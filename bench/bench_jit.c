/* SPDX-License-Identifier: MIT */
/*
 * JIT speed against the other ways of running the same computation, all
 * measured in one run on the three programs of bench_progs.h: the JIT
 * (the baseline), the JIT with constant blinding, the fast interpreter,
 * the kernel (BPF_PROG_TEST_RUN, root only; its JIT when
 * net.core.bpf_jit_enable is 1), and the computation written in C and
 * compiled with gcc -O2 (functions below, checked to return what the
 * programs return).
 *
 * Figures are nanoseconds per executed BPF instruction (counted by a
 * checked interpreter run), and each other column's ratio to the JIT:
 * 2.00x means twice the JIT's time. Engine figures include the per-run
 * setup (run state, stack, regions), as the kernel's include its own.
 *
 * Usage: bench_jit [repetitions-scale]
 */
#include <stdbool.h>

#include "interp.h"
#include "jit.h"
#include "bench_progs.h"

/* ---------------------------------------------------------------------- */
/* Native equivalents                                                     */

#define NATIVE __attribute__((noinline, optimize("O2")))

/* Inputs through volatiles, so that the compiler cannot fold the whole
 * computation into a constant (the engines do not either). */
static volatile uint64_t opaque_one = 1;

/* gen_straight's instruction n (n >= 6), with n a constant after inlining
 * (its immediates are n + 1). The empty asm makes each result opaque:
 * without it gcc folds most of the 10,000 operations away (r0 ends up
 * depending on few of them), which neither engine does. */
static inline __attribute__((always_inline)) void straight_step(uint64_t *r, unsigned n)
{
	static const uint8_t ops[] = {BPF_ADD, BPF_XOR, BPF_MUL, BPF_ADD, BPF_LSH, BPF_RSH, BPF_SUB, BPF_OR};
	uint8_t op = ops[n % 8];
	unsigned d = n % 6, s = (n / 6) % 6;
	uint64_t b;

	if (n >= STRAIGHT_LEN)
		return;
	if (op == BPF_LSH || op == BPF_RSH) {
		r[d] = op == BPF_LSH ? r[d] << ((n + 1) % 13) : r[d] >> ((n + 1) % 13);
		__asm__("" : "+r"(r[d]));
		return;
	}
	if (n & 1) {
		b = r[s];
	} else {
		uint32_t a = (uint32_t)r[d], k = n + 1;

		r[d] = op == BPF_ADD   ? (uint32_t)(a + k)
		       : op == BPF_XOR ? a ^ k
		       : op == BPF_MUL ? (uint32_t)(a * k)
		       : op == BPF_SUB ? (uint32_t)(a - k)
				       : a | k;
		__asm__("" : "+r"(r[d]));
		return;
	}
	r[d] = op == BPF_ADD   ? r[d] + b
	       : op == BPF_XOR ? r[d] ^ b
	       : op == BPF_MUL ? r[d] * b
	       : op == BPF_SUB ? r[d] - b
			       : r[d] | b;
	__asm__("" : "+r"(r[d]));
}

enum { COUNTER_BASE = __COUNTER__ };
#define STEP straight_step(r, __COUNTER__ - COUNTER_BASE - 1 + 6);
/* Object-like macros, so that each STEP is expanded (and counted) apart. */
#define S10 STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10
#define S1000 S100 S100 S100 S100 S100 S100 S100 S100 S100 S100
#define X10000 S1000 S1000 S1000 S1000 S1000 S1000 S1000 S1000 S1000 S1000

static NATIVE uint64_t native_straight(void)
{
	uint64_t r[6];

	for (int i = 0; i < 6; i++)
		r[i] = (uint64_t)(i * 7) + opaque_one;
	X10000
	return r[0];
}

static NATIVE uint64_t native_loop(void)
{
	uint64_t r0 = 0, r1 = LOOP_ITERS * opaque_one;

	do {
		r0 += r1;
		r0 ^= 0x55;
		r1 -= 1;
	} while (r1);
	return r0;
}

static NATIVE uint64_t native_pkt(const uint8_t *data, const uint8_t *end)
{
	uint64_t r0 = 0;

	for (uint64_t i = 0; data + 1 <= end && i < 1600; i++)
		r0 += *data++;
	return r0;
}

/* ---------------------------------------------------------------------- */
/* Timing                                                                 */

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "%s: %s\n", what, msg);
	exit(1);
}

/* Best of 5 rounds of p->reps runs: mean ns per run. */
#define BEST_OF(p, body)                                                                                     \
	({                                                                                                   \
		uint64_t best_ = UINT64_MAX;                                                                 \
		for (int round_ = 0; round_ < 5; round_++) {                                                 \
			uint64_t t0_ = now_ns();                                                             \
			for (unsigned i_ = 0; i_ < (p)->reps; i_++) {                                        \
				body;                                                                        \
			}                                                                                    \
			t0_ = now_ns() - t0_;                                                                \
			if (t0_ < best_)                                                                     \
				best_ = t0_;                                                                 \
		}                                                                                            \
		(double)best_ / (p)->reps;                                                                   \
	})

struct result {
	uint64_t insns, r0;
	double jit, hardened, interp, native, kernel;
};

static void measure(const struct prog *p, const uint8_t *pkt, size_t idx, struct result *res)
{
	struct bpfs_vm_opts vopts = {.prog_type = BPF_PROG_TYPE_SCHED_CLS, .checked = true};
	struct bpfs_jit_opts jopts = {.prog_type = BPF_PROG_TYPE_SCHED_CLS};
	struct bpfs_run_report rep;
	struct bpfs_err err;
	struct bpfs_ctx ctx;
	struct bpfs_vm *vm;
	struct bpfs_jit *jit;
	volatile uint64_t sink;
	uint64_t r0 = 0, want;

	if (bpfs_ctx_build(&ctx, BPF_PROG_TYPE_SCHED_CLS, pkt, PKT_LEN, NULL, 0, &err))
		die(p->name, err.msg);
	/* instruction count and the expected result, from a checked run */
	vm = bpfs_vm_new(p->insns, p->cnt, &vopts, &err);
	if (!vm || bpfs_vm_run(vm, &ctx, NULL, &want, &rep))
		die(p->name, vm ? rep.msg : err.msg);
	res->insns = rep.insns;
	res->r0 = want;
	bpfs_vm_free(vm);
	vopts.checked = false;
	vm = bpfs_vm_new(p->insns, p->cnt, &vopts, &err);
	if (!vm)
		die(p->name, err.msg);
	res->interp = BEST_OF(p, bpfs_vm_run(vm, &ctx, NULL, &r0, NULL));
	bpfs_vm_free(vm);
	for (int harden = 0; harden <= 1; harden++) {
		jopts.harden = harden;
		jit = bpfs_jit_compile(p->insns, p->cnt, &jopts, &err);
		if (!jit)
			die(p->name, err.msg);
		if (bpfs_jit_run(jit, &ctx, NULL, &r0, &rep) || r0 != want)
			die(p->name, "the JIT's result differs from the interpreter's");
		*(harden ? &res->hardened : &res->jit) = BEST_OF(p, bpfs_jit_run(jit, &ctx, NULL, &r0, NULL));
		bpfs_jit_free(jit);
	}
	switch (idx) {
	case 0:
		r0 = native_straight();
		res->native = BEST_OF(p, sink = native_straight());
		break;
	case 1:
		r0 = native_loop();
		res->native = BEST_OF(p, sink = native_loop());
		break;
	default:
		r0 = native_pkt(ctx.data, ctx.data_end);
		res->native = BEST_OF(p, sink = native_pkt(ctx.data, ctx.data_end));
		break;
	}
	(void)sink;
	if (r0 != want)
		die(p->name, "the native version's result differs from the program's");
	res->kernel = geteuid() == 0 ? time_kernel(p, pkt) : -EPERM;
	bpfs_ctx_release(&ctx);
}

static void column(double t, const struct result *res)
{
	if (t < 0) {
		printf(" %9s %7s", "n/a", "");
		return;
	}
	printf(" %7.3fns %6.2fx", t / (double)res->insns, t / res->jit);
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
	int kjit = jit_enabled();

	progs[0].insns = gen_straight(&progs[0].cnt);
	progs[1].insns = gen_loop(&progs[1].cnt);
	progs[2].insns = gen_pkt(&progs[2].cnt);
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 31 + 7);
	pkt[12] = 0x08;
	pkt[13] = 0x00;
	printf("baseline: jit (ns per executed BPF instruction; ratio = time / jit's time)\n");
	printf("%-18s %9s %9s %7s %9s %7s %9s %7s %9s %7s %9s %7s\n", "program", "insns/run", "jit", "",
	       "jit-hard", "", "interp", "", geteuid() == 0 && kjit == 1 ? "kern-jit" : "kernel", "",
	       "gcc -O2", "");
	for (size_t i = 0; i < 3; i++) {
		struct prog *p = &progs[i];
		struct result res;

		p->reps *= scale ? scale : 1;
		measure(p, pkt, i, &res);
		printf("%-18s %9llu", p->name, (unsigned long long)res.insns);
		column(res.jit, &res);
		column(res.hardened, &res);
		column(res.interp, &res);
		column(res.kernel, &res);
		column(res.native, &res);
		printf("\n");
		if (res.kernel < 0 && getenv("BENCH_VERBOSE"))
			fprintf(stderr, "%s: kernel: %s\n", p->name, strerror((int)-res.kernel));
		free(p->insns);
	}
	return 0;
}
