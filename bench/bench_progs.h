/* SPDX-License-Identifier: MIT */
/*
 * The benchmark programs the engine benchmarks share (bench_interp,
 * bench_jit): straight-line ALU code, a counting loop, a loop over packet
 * bytes (sched_cls, direct packet access); a monotonic clock; and a run
 * of a program in the kernel through BPF_PROG_TEST_RUN (root only).
 */
#ifndef BPFS_BENCH_PROGS_H
#define BPFS_BENCH_PROGS_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

#define I(c, d, s, o, i)                                                                                     \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

#define STRAIGHT_LEN 10000
#define LOOP_ITERS 100000
#define PKT_LEN 1500

struct prog {
	const char *name;
	struct bpf_insn *insns;
	size_t cnt;
	unsigned reps;
};

/* r0..r5 mixed with add, xor, mul, lsh, rsh, sub: 10,000 instructions. */
static inline struct bpf_insn *gen_straight(size_t *cnt)
{
	struct bpf_insn *p = calloc(STRAIGHT_LEN + 8, sizeof(*p));
	static const uint8_t ops[] = {BPF_ADD, BPF_XOR, BPF_MUL, BPF_ADD, BPF_LSH, BPF_RSH, BPF_SUB, BPF_OR};
	size_t n = 0;

	for (int r = 0; r <= 5; r++)
		p[n++] = I(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, r * 7 + 1);
	while (n < STRAIGHT_LEN) {
		uint8_t op = ops[n % 8];
		int d = (int)(n % 6), s = (int)((n / 6) % 6);

		/* immediates are the index of the next instruction */
		if (op == BPF_LSH || op == BPF_RSH)
			p[n] = I(BPF_ALU64 | op | BPF_K, d, 0, 0, (int)((n + 1) % 13));
		else if (n & 1)
			p[n] = I(BPF_ALU64 | op | BPF_X, d, s, 0, 0);
		else
			p[n] = I(BPF_ALU | op | BPF_K, d, 0, 0, (int)(n + 1));
		n++;
	}
	p[n++] = I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	*cnt = n;
	return p;
}

/* r0 = 0; r1 = N; do { r0 += r1; r0 ^= 0x55; r1 -= 1; } while (r1); */
static inline struct bpf_insn *gen_loop(size_t *cnt)
{
	const struct bpf_insn src[] = {
	    I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0), I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, LOOP_ITERS),
	    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0), I(BPF_ALU64 | BPF_XOR | BPF_K, 0, 0, 0, 0x55),
	    I(BPF_ALU64 | BPF_SUB | BPF_K, 1, 0, 0, 1), I(BPF_JMP | BPF_JNE | BPF_K, 1, 0, -4, 0),
	    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	struct bpf_insn *p = malloc(sizeof(src));

	memcpy(p, src, sizeof(src));
	*cnt = sizeof(src) / sizeof(src[0]);
	return p;
}

/* Sums the packet's bytes through direct packet access (sched_cls):
 * r2 = data, r3 = data_end; for (r6 = 0; r2 + 1 <= r3 && r6 < 1600; r6++)
 * r0 += *r2++. The counter bounds the loop for the kernel's verifier. */
static inline struct bpf_insn *gen_pkt(size_t *cnt)
{
	const struct bpf_insn src[] = {
	    I(BPF_LDX | BPF_MEM | BPF_W, 2, 1, offsetof(struct __sk_buff, data), 0),
	    I(BPF_LDX | BPF_MEM | BPF_W, 3, 1, offsetof(struct __sk_buff, data_end), 0),
	    I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	    I(BPF_ALU64 | BPF_MOV | BPF_K, 6, 0, 0, 0),
	    I(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0),
	    I(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 1),
	    I(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 5, 0),
	    I(BPF_LDX | BPF_MEM | BPF_B, 5, 2, 0, 0),
	    I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 5, 0, 0),
	    I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 4, 0, 0),
	    I(BPF_ALU64 | BPF_ADD | BPF_K, 6, 0, 0, 1),
	    I(BPF_JMP | BPF_JLT | BPF_K, 6, 0, -8, 1600),
	    I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	struct bpf_insn *p = malloc(sizeof(src));

	memcpy(p, src, sizeof(src));
	*cnt = sizeof(src) / sizeof(src[0]);
	return p;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Mean ns per run through BPF_PROG_TEST_RUN, or a negative errno. */
static inline double time_kernel(const struct prog *p, const uint8_t *pkt)
{
	static char log[1 << 16];
	union bpf_attr attr;
	double best = -1;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (uint64_t)(uintptr_t)p->insns;
	attr.insn_cnt = (uint32_t)p->cnt;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0 && errno == ENOSPC) {
		/* the log did not fit: load again without it */
		attr.log_level = 0;
		attr.log_buf = 0;
		attr.log_size = 0;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	}
	if (fd < 0) {
		int e = errno;
		const char *last = log + strlen(log);

		/* the last line of the log says why */
		while (last > log && last[-1] == '\n')
			last--;
		while (last > log && last[-1] != '\n')
			last--;
		if (getenv("BENCH_VERBOSE"))
			fprintf(stderr, "%s: kernel: %s", p->name, last);
		return -e;
	}
	for (int round = 0; round < 5; round++) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = (uint32_t)fd;
		attr.test.data_in = (uint64_t)(uintptr_t)pkt;
		attr.test.data_size_in = PKT_LEN;
		attr.test.repeat = p->reps;
		if (sys_bpf(BPF_PROG_TEST_RUN, &attr)) {
			best = -errno;
			break;
		}
		if (best < 0 || attr.test.duration < best)
			best = attr.test.duration;
	}
	close(fd);
	return best;
}

static inline int jit_enabled(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

#endif
