/* SPDX-License-Identifier: MIT */
/*
 * The socket-buffer helpers (runtime/skb.c): packet loads and stores and
 * their bounds, incremental checksums checked against checksums computed
 * from scratch over many random packets and field changes, the VLAN tag
 * in the context, tunnel keys, redirects and the flow hash. Every program
 * runs on the checked interpreter, the fast interpreter and the JIT, which
 * must agree on r0, the packet and the context.
 *
 * Where the kernel's bpf() is available, a program rewriting the IPv4
 * destination (store_bytes, l3_csum_replace, l4_csum_replace) also runs
 * through BPF_PROG_TEST_RUN, and the output packets must be equal.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include <glib.h>

#include "insn_macros.h"
#include "interp.h"
#include "jit.h"
#include "runtime.h"

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R8 BPF_REG_8
#define R10 BPF_REG_10

#define PKT_MAX 160
#define SKB_OFF(f) ((int16_t)offsetof(struct __sk_buff, f))

/* ---------------------------------------------------------------------- */
/* Program building and running                                           */

struct prog {
	struct bpf_insn in[256];
	size_t n;
};

static void prog_add(struct prog *p, const struct bpf_insn *in, size_t n)
{
	g_assert_cmpuint(p->n + n, <=, G_N_ELEMENTS(p->in));
	memcpy(p->in + p->n, in, n * sizeof(*in));
	p->n += n;
}

#define EMIT(p, ...)                                                                                         \
	do {                                                                                                 \
		const struct bpf_insn emit_[] = {__VA_ARGS__};                                               \
		prog_add(p, emit_, G_N_ELEMENTS(emit_));                                                     \
	} while (0)

/* r7 |= r0: the program returns the OR of every helper's result. */
static void emit_call_acc(struct prog *p, int func)
{
	EMIT(p, BPF_CALL_HELPER(func), BPF_ALU64_REG(BPF_OR, R7, R0));
}

struct outcome {
	uint64_t r0;
	uint8_t pkt[PKT_MAX];
	size_t len;
	struct __sk_buff skb;
	char trace[512];
};

/* The checked interpreter first: its outcome is the reference. */
static const struct bpfs_engine_ops *const engines[] = {
    &bpfs_engine_interp_checked,
    &bpfs_engine_interp,
    &bpfs_engine_jit,
};

static void run_one(const struct bpfs_engine_ops *e, const struct prog *p, uint32_t type, const uint8_t *pkt,
		    size_t len, struct outcome *out)
{
	struct bpfs_image_opts io = {.prog_type = type};
	struct bpfs_err err = {0};
	struct bpfs_run_report rep = {0};
	struct bpfs_run_env env;
	struct bpfs_image *img;
	struct bpfs_ctx ctx;
	void *prog = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	bpfs_run_env_init(&env);
	env.trace = out->trace;
	env.trace_size = sizeof(out->trace);
	g_assert_cmpint(bpfs_ctx_build(&ctx, type, pkt, len, NULL, 0, &err), ==, 0);
	img = bpfs_image_new(p->in, p->n, &io, &err);
	if (img)
		prog = e->load(img, &err);
	if (!prog)
		g_test_message("%s: %s", e->name, err.msg);
	g_assert_nonnull(prog);
	ret = e->run(prog, &ctx, &env, &out->r0, &rep);
	e->free(prog);
	bpfs_image_free(img);
	if (ret)
		g_test_message("%s: %s", e->name, rep.msg);
	g_assert_cmpint(ret, ==, 0);
	/* sched_cls sees the frame from its first byte */
	out->len = (size_t)(ctx.data_end - ctx.data);
	g_assert_cmpuint(out->len, <=, sizeof(out->pkt));
	memcpy(out->pkt, ctx.data, out->len);
	memcpy(&out->skb, ctx.ctx, sizeof(out->skb));
	bpfs_ctx_release(&ctx);
}

/* Runs p on every engine; all must agree. The first engine's outcome is
 * returned in out. */
static void run_all(const struct prog *p, uint32_t type, const uint8_t *pkt, size_t len, struct outcome *out)
{
	struct outcome other;

	run_one(engines[0], p, type, pkt, len, out);
	for (size_t e = 1; e < G_N_ELEMENTS(engines); e++) {
		run_one(engines[e], p, type, pkt, len, &other);
		g_assert_cmphex(other.r0, ==, out->r0);
		g_assert_cmpmem(other.pkt, other.len, out->pkt, out->len);
		g_assert_cmpmem(&other.skb, sizeof(other.skb), &out->skb, sizeof(out->skb));
		g_assert_cmpstr(other.trace, ==, out->trace);
	}
}

/* ---------------------------------------------------------------------- */
/* The kernel as oracle                                                   */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Runs p as sched_cls through the kernel's BPF_PROG_TEST_RUN; returns 0
 * with the output packet, or a negative errno. */
static int kernel_run(const struct prog *p, const uint8_t *pkt, size_t len, uint8_t *out, uint64_t *r0,
		      struct __sk_buff *skb)
{
	char log[4096] = "";
	union bpf_attr a;
	long fd, ret;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	a.insns = (uint64_t)(uintptr_t)p->in;
	a.insn_cnt = (uint32_t)p->n;
	a.license = (uint64_t)(uintptr_t) "GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		ret = -errno;
		g_test_message("kernel load: %s", log);
		return (int)ret;
	}
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)pkt;
	a.test.data_size_in = (uint32_t)len;
	a.test.data_out = (uint64_t)(uintptr_t)out;
	a.test.data_size_out = PKT_MAX;
	a.test.repeat = 1;
	if (skb) {
		memset(skb, 0, sizeof(*skb));
		a.test.ctx_out = (uint64_t)(uintptr_t)skb;
		a.test.ctx_size_out = sizeof(*skb);
	}
	ret = sys_bpf(BPF_PROG_TEST_RUN, &a);
	ret = ret < 0 ? -errno : 0;
	*r0 = a.test.retval;
	close((int)fd);
	return (int)ret;
}

static bool kernel_available(void)
{
	const struct bpf_insn in[] = {BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN()};
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	a.insns = (uint64_t)(uintptr_t)in;
	a.insn_cnt = 2;
	a.license = (uint64_t)(uintptr_t) "GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

static int kernel_state = -1; /* unknown, no, yes */

/* Runs p through the kernel too, when it can, and compares r0, the packet
 * and (with cmp_ctx) the context fields test_run copies back. */
static void kernel_compare(const struct prog *p, const uint8_t *pkt, size_t len, const struct outcome *ours,
			   bool cmp_ctx)
{
	uint8_t kout[PKT_MAX];
	struct __sk_buff kskb;
	uint64_t kr0 = 0;
	int ret;

	if (kernel_state < 0)
		kernel_state = kernel_available();
	if (!kernel_state)
		return;
	ret = kernel_run(p, pkt, len, kout, &kr0, &kskb);
	g_assert_cmpint(ret, ==, 0);
	g_assert_cmphex(kr0, ==, ours->r0 & 0xffffffff);
	g_assert_cmpmem(kout, len, ours->pkt, ours->len);
	if (cmp_ctx) {
		g_assert_cmpmem(kskb.cb, sizeof(kskb.cb), ours->skb.cb, sizeof(ours->skb.cb));
		g_assert_cmphex(kskb.mark, ==, ours->skb.mark);
		g_assert_cmphex(kskb.priority, ==, ours->skb.priority);
	}
}

/* ---------------------------------------------------------------------- */
/* store_bytes and load_bytes                                             */

struct bytes_row {
	const char *name;
	bool store;
	int32_t off;
	int32_t len;
	int32_t flags;
	int64_t ret;
};

static const struct bytes_row bytes_rows[] = {
    {"store/start", true, 0, 4, 0, 0},
    {"store/end", true, 56, 4, 0, 0},
    {"store/whole", true, 0, 60, 0, 0},
    {"store/past-end", true, 57, 4, 0, -EFAULT},
    {"store/at-end", true, 60, 1, 0, -EFAULT},
    {"store/too-long", true, 0, 61, 0, -EFAULT},
    {"store/negative-offset", true, -1, 4, 0, -EFAULT},
    {"store/recompute-csum", true, 20, 8, BPF_F_RECOMPUTE_CSUM, 0},
    {"store/invalidate-hash", true, 20, 8, BPF_F_INVALIDATE_HASH, 0},
    {"store/both-flags", true, 20, 8, BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH, 0},
    {"store/bad-flag", true, 0, 4, 4, -EINVAL},
    {"store/bad-flag-in-range-check", true, 100, 4, 8, -EINVAL},
    {"load/start", false, 0, 8, 0, 0},
    {"load/end", false, 52, 8, 0, 0},
    {"load/whole", false, 0, 60, 0, 0},
    {"load/past-end", false, 53, 8, 0, -EFAULT},
    {"load/too-long", false, 0, 61, 0, -EFAULT},
    {"load/negative-offset", false, -1, 8, 0, -EFAULT},
};

static void test_bytes(gconstpointer data)
{
	const struct bytes_row *row = data;
	uint8_t pkt[60], want[60];
	struct outcome out;
	struct prog p = {0};

	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7 + 1);
	pkt[12] = 0x08, pkt[13] = 0x00;
	memcpy(want, pkt, sizeof(want));
	EMIT(&p, BPF_MOV64_REG(R6, R1));
	/* a 64-byte buffer at fp-64, filled with 0xab (0xff for loads) */
	EMIT(&p, BPF_LD_IMM64(R1, row->store ? 0xababababababababull : ~0ull));
	for (int i = 1; i <= 8; i++)
		EMIT(&p, BPF_STX_MEM(BPF_DW, R10, R1, (int16_t)(-8 * i)));
	EMIT(&p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, row->off), BPF_MOV64_REG(R3, R10),
	     BPF_ALU64_IMM(BPF_ADD, R3, -64), BPF_MOV64_IMM(R4, row->len));
	if (row->store)
		EMIT(&p, BPF_MOV64_IMM(R5, row->flags), BPF_CALL_HELPER(BPF_FUNC_skb_store_bytes));
	else
		EMIT(&p, BPF_CALL_HELPER(BPF_FUNC_skb_load_bytes));
	/* the buffer's first and last words go to cb[0] and cb[1] */
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R10, -64), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[0])),
	     BPF_LDX_MEM(BPF_W, R1, R10, -64 + 56), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[1])),
	     BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	kernel_compare(&p, pkt, sizeof(pkt), &out, true);
	g_assert_cmpint((int64_t)out.r0, ==, row->ret);
	if (row->store && !row->ret)
		memset(want + row->off, 0xab, (size_t)row->len);
	g_assert_cmpmem(out.pkt, out.len, want, sizeof(want));
	if (!row->store) {
		uint32_t w0 = 0;

		if (!row->ret)
			memcpy(&w0, pkt + row->off, 4);
		/* on failure the kernel zeroes the destination */
		g_assert_cmphex(out.skb.cb[0], ==, w0);
		if (row->ret)
			g_assert_cmphex(out.skb.cb[1], ==, row->len > 56 ? 0 : 0xffffffff);
	}
	if (row->store && (row->flags & BPF_F_INVALIDATE_HASH))
		g_assert_cmpuint(out.skb.hash, ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Checksums                                                              */

#define ETH 14
#define IPH 20

/* RFC 1071 checksum of the bytes, with an initial 32-bit sum. */
static uint16_t csum_scratch(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Recomputes the IPv4 header checksum and the TCP or UDP checksum (with
 * the pseudo header) of an Ethernet frame. A UDP checksum of 0 (none) is
 * left as it is. */
static void fix_checksums(uint8_t *f, size_t len)
{
	uint8_t *ip = f + ETH, *l4 = ip + IPH;
	size_t l4len = len - ETH - IPH;
	size_t csum_off = ip[9] == IPPROTO_TCP ? 16 : 6;
	uint32_t pseudo = 0;
	uint16_t c;

	put16(ip + 10, 0);
	put16(ip + 10, csum_scratch(ip, IPH, 0));
	if (ip[9] == IPPROTO_UDP && !l4[6] && !l4[7])
		return;
	for (int i = 12; i < 20; i += 2)
		pseudo += (uint32_t)ip[i] << 8 | ip[i + 1];
	pseudo += ip[9] + (uint32_t)l4len;
	put16(l4 + csum_off, 0);
	c = csum_scratch(l4, l4len, pseudo);
	if (ip[9] == IPPROTO_UDP && !c)
		c = 0xffff;
	put16(l4 + csum_off, c);
}

/* A random IPv4 TCP or UDP frame with correct checksums. */
static size_t random_frame(GRand *r, uint8_t *f, bool tcp)
{
	size_t l4hdr = tcp ? 20 : 8;
	size_t payload = (size_t)g_rand_int_range(r, 0, 41);
	size_t len = ETH + IPH + l4hdr + payload;

	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)g_rand_int(r);
	f[12] = 0x08, f[13] = 0x00;
	f[ETH] = 0x45;
	put16(f + ETH + 2, (uint16_t)(len - ETH));
	f[ETH + 6] &= 0x40; /* DF at most: no fragments */
	f[ETH + 7] = 0;
	f[ETH + 9] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	if (!tcp) {
		put16(f + ETH + IPH + 4, (uint16_t)(l4hdr + payload));
		f[ETH + IPH + 6] = 1; /* nonzero: a checksum is present */
	} else {
		f[ETH + IPH + 12] = 0x50;
	}
	fix_checksums(f, len);
	return len;
}

/* The header fields a program rewrites: offset from the IP header, size,
 * and which checksums they are part of. */
struct field {
	const char *name;
	int off; /* from the IP header; >= IPH: in the L4 header */
	int size;
	bool l3, l4, pseudo;
	uint32_t keep; /* bits of the old value kept (memory order) */
};

static const struct field fields[] = {
    {"saddr", 12, 4, true, true, true, 0},
    {"daddr", 16, 4, true, true, true, 0},
    /* the word of TTL and protocol: the protocol stays */
    {"ttl", 8, 2, true, false, false, 0xff00},
    {"id", 4, 2, true, false, false, 0},
    /* the word of version, IHL and TOS: only TOS changes */
    {"tos", 0, 2, true, false, false, 0x00ff},
    {"sport", IPH + 0, 2, false, true, false, 0},
    {"dport", IPH + 2, 2, false, true, false, 0},
};

enum csum_mode { MODE_DIRECT, MODE_DIFF };

/* Emits: store the new value, then fix the checksums, by the size-2/4
 * replace or by csum_diff and a size-0 replace. */
static void emit_rewrite(struct prog *p, const struct field *fl, size_t l4csum, uint32_t from, uint32_t to,
			 enum csum_mode mode, uint64_t l4flags)
{
	EMIT(p, BPF_MOV64_IMM(R7, 0), BPF_LD_IMM64(R1, to), BPF_STX_MEM(BPF_W, R10, R1, -8),
	     BPF_LD_IMM64(R1, from), BPF_STX_MEM(BPF_W, R10, R1, -16));
	EMIT(p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, ETH + fl->off), BPF_MOV64_REG(R3, R10),
	     BPF_ALU64_IMM(BPF_ADD, R3, -8), BPF_MOV64_IMM(R4, fl->size), BPF_MOV64_IMM(R5, 0));
	emit_call_acc(p, BPF_FUNC_skb_store_bytes);
	if (mode == MODE_DIFF) {
		/* csum_diff works on 4-byte words: a 2-byte field is diffed
		 * as the word [field, 0] at the same parity */
		EMIT(p, BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_MOV64_IMM(R2, 4),
		     BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8), BPF_MOV64_IMM(R4, 4),
		     BPF_MOV64_IMM(R5, 0), BPF_CALL_HELPER(BPF_FUNC_csum_diff), BPF_MOV64_REG(R8, R0));
	}
	if (fl->l3) {
		EMIT(p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, ETH + 10));
		if (mode == MODE_DIFF)
			EMIT(p, BPF_MOV64_IMM(R3, 0), BPF_MOV64_REG(R4, R8), BPF_MOV64_IMM(R5, 0));
		else
			EMIT(p, BPF_LD_IMM64(R3, from), BPF_LD_IMM64(R4, to), BPF_MOV64_IMM(R5, fl->size));
		emit_call_acc(p, BPF_FUNC_l3_csum_replace);
	}
	if (fl->l4) {
		uint64_t f = l4flags | (fl->pseudo ? BPF_F_PSEUDO_HDR : 0);

		EMIT(p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, (int32_t)l4csum));
		if (mode == MODE_DIFF)
			EMIT(p, BPF_MOV64_IMM(R3, 0), BPF_MOV64_REG(R4, R8), BPF_MOV64_IMM(R5, (int32_t)f));
		else
			EMIT(p, BPF_LD_IMM64(R3, from), BPF_LD_IMM64(R4, to),
			     BPF_MOV64_IMM(R5, (int32_t)(f | (uint64_t)fl->size)));
		emit_call_acc(p, BPF_FUNC_l4_csum_replace);
	}
	EMIT(p, BPF_MOV64_REG(R0, R7), BPF_EXIT_INSN());
}

static void test_csum_random(gconstpointer data)
{
	enum csum_mode mode = (enum csum_mode)GPOINTER_TO_INT(data);
	GRand *r = g_rand_new_with_seed(0x5eed1624);
	unsigned checked = 0;

	for (int iter = 0; iter < 300; iter++) {
		const struct field *fl = &fields[g_rand_int_range(r, 0, G_N_ELEMENTS(fields))];
		bool tcp = g_rand_boolean(r);
		uint8_t f[PKT_MAX], want[PKT_MAX];
		size_t len = random_frame(r, f, tcp);
		size_t l4csum = ETH + IPH + (tcp ? 16 : 6);
		uint32_t from = 0, to = 0;
		struct outcome out;
		struct prog p = {0};

		memcpy(&from, f + ETH + fl->off, (size_t)fl->size);
		to = g_rand_int(r);
		if (fl->size == 2)
			to &= 0xffff;
		to = (to & ~fl->keep) | (from & fl->keep);
		memcpy(want, f, len);
		memcpy(want + ETH + fl->off, &to, (size_t)fl->size);
		fix_checksums(want, len);
		EMIT(&p, BPF_MOV64_REG(R6, R1));
		emit_rewrite(&p, fl, l4csum, from, to, mode, tcp ? 0 : BPF_F_MARK_MANGLED_0);
		run_all(&p, BPF_PROG_TYPE_SCHED_CLS, f, len, &out);
		kernel_compare(&p, f, len, &out, false);
		if (out.r0 || memcmp(out.pkt, want, len))
			g_test_message("iteration %d: %s %s, %zu bytes, 0x%x -> 0x%x", iter,
				       tcp ? "tcp" : "udp", fl->name, len, from, to);
		g_assert_cmphex(out.r0, ==, 0);
		g_assert_cmpmem(out.pkt, out.len, want, len);
		/* and the result verifies */
		g_assert_cmphex(csum_scratch(out.pkt + ETH, IPH, 0), ==, 0);
		checked++;
	}
	g_assert_cmpuint(checked, ==, 300);
	g_rand_free(r);
}

struct csum_row {
	const char *name;
	int helper;  /* BPF_FUNC_l3_csum_replace or _l4_ */
	int32_t off; /* of the checksum */
	uint32_t from, to;
	int64_t flags;
	int64_t ret;
	uint16_t csum_in, csum_out; /* the checksum field, memory order as u16 */
};

static const struct csum_row csum_rows[] = {
    {"l3/size-2", BPF_FUNC_l3_csum_replace, 24, 0x0001, 0x0002, 2, 0, 0xffff, 0xfffe},
    {"l3/bad-size-1", BPF_FUNC_l3_csum_replace, 24, 1, 2, 1, -EINVAL, 0x1234, 0x1234},
    {"l3/bad-size-8", BPF_FUNC_l3_csum_replace, 24, 1, 2, 8, -EINVAL, 0x1234, 0x1234},
    {"l3/diff-with-from", BPF_FUNC_l3_csum_replace, 24, 1, 2, 0, -EINVAL, 0x1234, 0x1234},
    {"l3/pseudo-flag", BPF_FUNC_l3_csum_replace, 24, 1, 2, BPF_F_PSEUDO_HDR | 2, -EINVAL, 0x1234, 0x1234},
    {"l3/past-end", BPF_FUNC_l3_csum_replace, 59, 1, 2, 2, -EFAULT, 0x1234, 0x1234},
    {"l3/huge-offset", BPF_FUNC_l3_csum_replace, 0x10000, 1, 2, 2, -EFAULT, 0x1234, 0x1234},
    {"l4/size-2", BPF_FUNC_l4_csum_replace, 24, 0x0001, 0x0002, 2, 0, 0xffff, 0xfffe},
    {"l4/bad-flag", BPF_FUNC_l4_csum_replace, 24, 1, 2, 1 << 8 | 2, -EINVAL, 0x1234, 0x1234},
    {"l4/bad-size-3", BPF_FUNC_l4_csum_replace, 24, 1, 2, 3, -EINVAL, 0x1234, 0x1234},
    {"l4/past-end", BPF_FUNC_l4_csum_replace, 60, 1, 2, 2, -EFAULT, 0x1234, 0x1234},
    /* a UDP datagram without a checksum keeps none */
    {"l4/mangled-0-no-csum", BPF_FUNC_l4_csum_replace, 24, 1, 2, BPF_F_MARK_MANGLED_0 | 2, 0, 0, 0},
    /* ... unless enforced */
    {"l4/mangled-0-enforce", BPF_FUNC_l4_csum_replace, 24, 0x0100, 0x0000,
     BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | 2, 0, 0, 0x0100},
    /* a result of zero is written as 0xffff */
    {"l4/mangled-0-result", BPF_FUNC_l4_csum_replace, 24, 0x0000, 0x0100, BPF_F_MARK_MANGLED_0 | 2, 0, 0x0100,
     0xffff},
    {"l4/zero-result-unmarked", BPF_FUNC_l4_csum_replace, 24, 0x0000, 0x0100, 2, 0, 0x0100, 0x0000},
};

static void test_csum_row(gconstpointer data)
{
	const struct csum_row *row = data;
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	uint16_t got;
	struct outcome out;
	struct prog p = {0};

	memcpy(pkt + 24, &row->csum_in, 2);
	EMIT(&p, BPF_MOV64_IMM(R2, row->off), BPF_LD_IMM64(R3, row->from), BPF_LD_IMM64(R4, row->to),
	     BPF_LD_IMM64(R5, row->flags), BPF_CALL_HELPER(row->helper), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	kernel_compare(&p, pkt, sizeof(pkt), &out, false);
	g_assert_cmpint((int64_t)out.r0, ==, row->ret);
	memcpy(&got, out.pkt + 24, 2);
	g_assert_cmphex(got, ==, row->csum_out);
}

struct diff_row {
	const char *name;
	int32_t from_size, to_size;
};

/* Sizes need not be multiples of 4 (they had to before 6.13). */
static const struct diff_row diff_rows[] = {
    {"4-4", 4, 4}, {"8-8", 8, 8}, {"0-8", 0, 8}, {"8-0", 8, 0},
    {"2-4", 2, 4}, {"4-6", 4, 6}, {"3-5", 3, 5}, {"0-0", 0, 0},
};

static void test_csum_diff(gconstpointer data)
{
	const struct diff_row *row = data;
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	uint8_t buf[8] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};
	uint64_t acc = 0x1000; /* the seed */
	struct outcome out;
	struct prog p = {0};

	/* from = fp-16 (buf), to = fp-8 (~buf): the sum of the complemented
	 * from words and the to words, plus the seed; sizes are checked
	 * before any memory is read */
	EMIT(&p, BPF_LD_IMM64(R1, 0xf0debc9a78563412ull), BPF_STX_MEM(BPF_DW, R10, R1, -16),
	     BPF_LD_IMM64(R1, ~0xf0debc9a78563412ull), BPF_STX_MEM(BPF_DW, R10, R1, -8));
	EMIT(&p, BPF_MOV64_REG(R1, R10), BPF_ALU64_IMM(BPF_ADD, R1, -16), BPF_MOV64_IMM(R2, row->from_size),
	     BPF_MOV64_REG(R3, R10), BPF_ALU64_IMM(BPF_ADD, R3, -8), BPF_MOV64_IMM(R4, row->to_size),
	     BPF_MOV64_IMM(R5, 0x1000), BPF_CALL_HELPER(BPF_FUNC_csum_diff), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	kernel_compare(&p, pkt, sizeof(pkt), &out, false);
	if (!row->from_size && !row->to_size) {
		g_assert_cmphex(out.r0, ==, 0x1000);
		return;
	}
	/* seed + to - from in 16-bit words of memory order; to = ~buf */
	for (int i = 0; i < row->from_size; i += 2)
		acc += 0xffff - (buf[i] | (i + 1 < row->from_size ? buf[i + 1] << 8 : 0));
	for (int i = 0; i < row->to_size; i += 2)
		acc += (uint8_t)~buf[i] | (i + 1 < row->to_size ? (uint8_t)~buf[i + 1] << 8 : 0);
	/* folded to 16 bits, not complemented */
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	g_assert_cmphex(out.r0, ==, acc);
}

/* ---------------------------------------------------------------------- */
/* VLAN, tunnel keys, redirects, hash                                     */

static void test_vlan(void)
{
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	uint8_t tagged[60] = {[12] = 0x81, [13] = 0x00};
	struct outcome out;
	struct prog p = {0};

	/* push 802.1ad, read the fields into cb[0..2]; push again (r8);
	 * pop; read vlan_present into cb[3]; pop again; push with an
	 * unknown proto (taken as 802.1Q) and read it into cb[4] */
	EMIT(&p, BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R7, 0), BPF_MOV64_IMM(R2, htons(ETH_P_8021AD)),
	     BPF_MOV64_IMM(R3, 0x2123));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_push);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_present)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[0])), BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_tci)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[1])), BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_proto)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[2])));
	EMIT(&p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, htons(ETH_P_8021Q)), BPF_MOV64_IMM(R3, 7),
	     BPF_CALL_HELPER(BPF_FUNC_skb_vlan_push), BPF_MOV64_REG(R8, R0));
	EMIT(&p, BPF_MOV64_REG(R1, R6));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_pop);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_present)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[3])), BPF_MOV64_REG(R1, R6));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_pop);
	EMIT(&p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, 0x1234), BPF_MOV64_IMM(R3, 5));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_push);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_proto)), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[4])),
	     BPF_ALU64_IMM(BPF_LSH, R8, 32), BPF_ALU64_REG(BPF_OR, R7, R8), BPF_MOV64_REG(R0, R7),
	     BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	g_assert_cmphex(out.r0, ==, (uint64_t)(uint32_t)-ENOMEM << 32);
	g_assert_cmpuint(out.skb.cb[0], ==, 1);
	g_assert_cmphex(out.skb.cb[1], ==, 0x2123);
	g_assert_cmphex(out.skb.cb[2], ==, htons(ETH_P_8021AD));
	g_assert_cmpuint(out.skb.cb[3], ==, 0);
	g_assert_cmphex(out.skb.cb[4], ==, htons(ETH_P_8021Q));
	g_assert_cmpuint(out.skb.vlan_present, ==, 1);
	g_assert_cmphex(out.skb.vlan_tci, ==, 5);
	g_assert_cmpmem(out.pkt, out.len, pkt, sizeof(pkt));

	/* the same without the second push (which the kernel does by moving
	 * the first tag into the packet data), against the kernel */
	p.n = 0;
	EMIT(&p, BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R7, 0), BPF_MOV64_IMM(R2, htons(ETH_P_8021AD)),
	     BPF_MOV64_IMM(R3, 0x2123));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_push);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_present)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[0])), BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_tci)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[1])), BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_proto)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[2])), BPF_MOV64_REG(R1, R6));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_pop);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_present)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[3])), BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_proto)),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[4])), BPF_MOV64_REG(R1, R6));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_pop);
	EMIT(&p, BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, 0x1234), BPF_MOV64_IMM(R3, 5));
	emit_call_acc(&p, BPF_FUNC_skb_vlan_push);
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_proto)), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(mark)),
	     BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(vlan_tci)), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(priority)),
	     BPF_MOV64_REG(R0, R7), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	kernel_compare(&p, pkt, sizeof(pkt), &out, true);
	g_assert_cmphex(out.r0, ==, 0);
	g_assert_cmphex(out.skb.cb[2], ==, htons(ETH_P_8021AD));
	g_assert_cmphex(out.skb.mark, ==, htons(ETH_P_8021Q));
	g_assert_cmphex(out.skb.priority, ==, 5);

	/* a tag in the packet data cannot be cut out of a fixed packet */
	p.n = 0;
	EMIT(&p, BPF_CALL_HELPER(BPF_FUNC_skb_vlan_pop), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, tagged, sizeof(tagged), &out);
	g_assert_cmpint((int64_t)out.r0, ==, -EOPNOTSUPP);
	g_assert_cmpmem(out.pkt, out.len, tagged, sizeof(tagged));
}

static void emit_tunnel_call(struct prog *p, int func, int32_t size, int32_t flags)
{
	EMIT(p, BPF_MOV64_REG(R1, R6), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -48),
	     BPF_MOV64_IMM(R3, size), BPF_MOV64_IMM(R4, flags), BPF_CALL_HELPER(func));
}

static void test_tunnel_key(void)
{
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	const int16_t k = -48;
	struct outcome out;
	struct prog p = {0};

	EMIT(&p, BPF_MOV64_REG(R6, R1));
	for (int i = 0; i < 48; i += 8)
		EMIT(&p, BPF_ST_MEM(BPF_DW, R10, (int16_t)(k + i), -1));
	/* get without a tunnel: -EINVAL and a zeroed key (cb[0], cb[1]) */
	emit_tunnel_call(&p, BPF_FUNC_skb_get_tunnel_key, sizeof(struct bpf_tunnel_key), 0);
	EMIT(&p, BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[0])), BPF_LDX_MEM(BPF_W, R1, R10, k + 4),
	     BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(cb[1])));
	/* set: id 42, remote 10.0.0.1, local 10.0.0.2, tos 3, ttl 64 */
	EMIT(&p, BPF_ST_MEM(BPF_W, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_id), 42),
	     BPF_ST_MEM(BPF_W, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, remote_ipv4), 0x0a000001),
	     BPF_ST_MEM(BPF_B, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_tos), 3),
	     BPF_ST_MEM(BPF_B, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_ttl), 64),
	     BPF_ST_MEM(BPF_H, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_ext), 0),
	     BPF_ST_MEM(BPF_W, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_label), 0),
	     BPF_ST_MEM(BPF_W, R10, k + (int16_t)offsetof(struct bpf_tunnel_key, local_ipv4), 0x0a000002));
	emit_tunnel_call(&p, BPF_FUNC_skb_set_tunnel_key, sizeof(struct bpf_tunnel_key), BPF_F_ZERO_CSUM_TX);
	EMIT(&p, BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[2])));
	/* get it back (IPv6 asked: -EPROTO; then IPv4 with the flags) */
	emit_tunnel_call(&p, BPF_FUNC_skb_get_tunnel_key, sizeof(struct bpf_tunnel_key), BPF_F_TUNINFO_IPV6);
	EMIT(&p, BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[3])));
	emit_tunnel_call(&p, BPF_FUNC_skb_get_tunnel_key, sizeof(struct bpf_tunnel_key), BPF_F_TUNINFO_FLAGS);
	EMIT(&p, BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[4])));
	/* remote and local go to mark and priority, bytes 16..23 to r0 */
	EMIT(&p, BPF_LDX_MEM(BPF_W, R1, R10, k + 4), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(mark)),
	     BPF_LDX_MEM(BPF_W, R1, R10, k + 28), BPF_STX_MEM(BPF_W, R6, R1, SKB_OFF(priority)),
	     BPF_LDX_MEM(BPF_DW, R0, R10, k + 16), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	kernel_compare(&p, pkt, sizeof(pkt), &out, true);
	g_assert_cmpint((int32_t)out.skb.cb[0], ==, -EINVAL);
	g_assert_cmphex(out.skb.cb[1], ==, 0);
	g_assert_cmpint((int32_t)out.skb.cb[2], ==, 0);
	g_assert_cmpint((int32_t)out.skb.cb[3], ==, -EPROTO);
	g_assert_cmpint((int32_t)out.skb.cb[4], ==, 0);
	/* set stores transmit information, get reads it as received:
	 * remote and local come back swapped, as in the kernel */
	g_assert_cmphex(out.skb.mark, ==, 0x0a000002);
	g_assert_cmphex(out.skb.priority, ==, 0x0a000001);
	/* bytes 16..23: remote_ipv6[3], tos 3, ttl 64, flags KEY|NOCACHE */
	g_assert_cmphex(out.r0 >> 32 & 0xffff, ==, 64 << 8 | 3);
	g_assert_cmphex(out.r0 >> 48, ==, htons(0x2000 | 0x0004));
}

static void test_tunnel_key_bad(void)
{
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	static const struct {
		int32_t size, flags;
		int32_t label;
		int64_t ret;
	} rows[] = {
	    {sizeof(struct bpf_tunnel_key), 0, 0, 0},
	    {sizeof(struct bpf_tunnel_key), 1 << 5, 0, -EINVAL},
	    {sizeof(struct bpf_tunnel_key), 0, 5, -EINVAL}, /* a label needs IPv6 */
	    {sizeof(struct bpf_tunnel_key), BPF_F_TUNINFO_IPV6, 5, 0},
	    {offsetof(struct bpf_tunnel_key, tunnel_label), 0, 0, 0},
	    {7, 0, 0, -EINVAL},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct outcome out;
		struct prog p = {0};

		EMIT(&p, BPF_MOV64_REG(R6, R1));
		for (int j = 0; j < 48; j += 8)
			EMIT(&p, BPF_ST_MEM(BPF_DW, R10, (int16_t)(-48 + j), 0));
		EMIT(&p, BPF_ST_MEM(BPF_W, R10, -48 + (int16_t)offsetof(struct bpf_tunnel_key, tunnel_label),
				    rows[i].label));
		emit_tunnel_call(&p, BPF_FUNC_skb_set_tunnel_key, rows[i].size, rows[i].flags);
		EMIT(&p, BPF_EXIT_INSN());
		run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
		kernel_compare(&p, pkt, sizeof(pkt), &out, false);
		g_assert_cmpint((int64_t)out.r0, ==, rows[i].ret);
	}
}

static void test_redirect(void)
{
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	struct outcome out;
	struct prog p = {0};

	EMIT(&p, BPF_MOV64_REG(R6, R1), BPF_MOV64_IMM(R2, 3), BPF_MOV64_IMM(R3, BPF_F_INGRESS),
	     BPF_CALL_HELPER(BPF_FUNC_clone_redirect), BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[0])),
	     BPF_MOV64_REG(R1, R6), BPF_MOV64_IMM(R2, 4), BPF_MOV64_IMM(R3, 2),
	     BPF_CALL_HELPER(BPF_FUNC_clone_redirect), BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[1])),
	     BPF_MOV64_IMM(R1, 9), BPF_MOV64_IMM(R2, 2), BPF_CALL_HELPER(BPF_FUNC_redirect),
	     BPF_STX_MEM(BPF_W, R6, R0, SKB_OFF(cb[2])), BPF_MOV64_IMM(R1, 5), BPF_MOV64_IMM(R2, 0),
	     BPF_CALL_HELPER(BPF_FUNC_redirect), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), &out);
	g_assert_cmpint((int32_t)out.skb.cb[0], ==, 0);
	g_assert_cmpint((int32_t)out.skb.cb[1], ==, -EINVAL);
	g_assert_cmpint(out.skb.cb[2], ==, TC_ACT_SHOT);
	g_assert_cmpint(out.r0, ==, TC_ACT_REDIRECT);
	g_assert_cmpstr(out.trace, ==, "clone_redirect ifindex=3 flags=1\nredirect ifindex=5 flags=0\n");
}

static void test_hash(void)
{
	GRand *r = g_rand_new_with_seed(77);
	uint8_t f[PKT_MAX];
	size_t len = random_frame(r, f, false);
	struct outcome a, b, c;
	struct prog p = {0};

	EMIT(&p, BPF_MOV64_REG(R6, R1), BPF_CALL_HELPER(BPF_FUNC_get_hash_recalc),
	     BPF_LDX_MEM(BPF_W, R1, R6, SKB_OFF(hash)), BPF_ALU64_IMM(BPF_LSH, R1, 32),
	     BPF_ALU64_REG(BPF_OR, R0, R1), BPF_EXIT_INSN());
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, f, len, &a);
	g_assert_cmphex(a.r0 & 0xffffffff, !=, 0);
	g_assert_cmphex(a.r0 >> 32, ==, a.r0 & 0xffffffff);
	/* the payload is not part of the flow */
	f[len - 1] ^= 0xff;
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, f, len, &b);
	g_assert_cmphex(a.r0, ==, b.r0);
	/* the ports are */
	f[ETH + IPH + 1] ^= 1;
	run_all(&p, BPF_PROG_TYPE_SCHED_CLS, f, len, &c);
	g_assert_cmphex(a.r0, !=, c.r0);
	/* socket filters see the same flow from the network header */
	run_all(&p, BPF_PROG_TYPE_SOCKET_FILTER, f, len, &b);
	g_assert_cmphex(b.r0, ==, c.r0);
	g_rand_free(r);
}

/* A helper given something else than the skb stops a checked run. */
static void test_not_skb(void)
{
	uint8_t pkt[60] = {[12] = 0x08, [13] = 0x00};
	struct bpfs_vm_opts o = {.prog_type = BPF_PROG_TYPE_SCHED_CLS, .checked = true};
	const struct bpf_insn in[] = {
	    BPF_MOV64_REG(R1, R10),
	    BPF_ALU64_IMM(BPF_ADD, R1, -8),
	    BPF_CALL_HELPER(BPF_FUNC_skb_vlan_pop),
	    BPF_EXIT_INSN(),
	};
	struct bpfs_vm *vm = bpfs_vm_new(in, G_N_ELEMENTS(in), &o, NULL);
	struct bpfs_run_report rep;
	struct bpfs_ctx ctx;
	uint64_t r0;

	g_assert_nonnull(vm);
	g_assert_cmpint(bpfs_ctx_build(&ctx, BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), NULL, 0, NULL), ==,
			0);
	g_assert_cmpint(bpfs_vm_run(vm, &ctx, NULL, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_HELPER);
	bpfs_ctx_release(&ctx);
	bpfs_vm_free(vm);
}

static void test_kernel_oracle(void)
{
	GRand *r = g_rand_new_with_seed(0xdadd);
	unsigned compared = 0;

	if (!kernel_available()) {
		g_test_skip("the kernel's bpf() is not available to this process (needs root or CAP_BPF)");
		g_rand_free(r);
		return;
	}
	for (int iter = 0; iter < 64; iter++) {
		bool tcp = iter & 1;
		enum csum_mode mode = iter & 2 ? MODE_DIFF : MODE_DIRECT;
		const struct field *fl = &fields[iter % 3 == 0 ? 0 : 1];
		uint8_t f[PKT_MAX], kout[PKT_MAX];
		size_t len = random_frame(r, f, tcp);
		uint32_t from = 0, to = g_rand_int(r);
		struct outcome out;
		struct prog p = {0};
		uint64_t kr0 = 0;
		int ret;

		if (!tcp && iter % 8 == 2)
			f[ETH + IPH + 6] = f[ETH + IPH + 7] = 0; /* no UDP checksum */
		memcpy(&from, f + ETH + fl->off, 4);
		EMIT(&p, BPF_MOV64_REG(R6, R1));
		emit_rewrite(&p, fl, ETH + IPH + (tcp ? 16 : 6), from, to, mode,
			     tcp ? 0 : BPF_F_MARK_MANGLED_0);
		ret = kernel_run(&p, f, len, kout, &kr0, NULL);
		if (ret) {
			char *why =
			    g_strdup_printf("the kernel does not run the program: %s", g_strerror(-ret));

			g_test_skip(why);
			g_free(why);
			break;
		}
		run_all(&p, BPF_PROG_TYPE_SCHED_CLS, f, len, &out);
		g_assert_cmphex(out.r0, ==, kr0);
		if (memcmp(out.pkt, kout, len))
			g_test_message("iteration %d: %s %s %s", iter, tcp ? "tcp" : "udp", fl->name,
				       mode == MODE_DIFF ? "diff" : "direct");
		g_assert_cmpmem(out.pkt, out.len, kout, len);
		compared++;
	}
	g_test_message("%u packets compared with the kernel", compared);
	g_rand_free(r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(bytes_rows); i++) {
		char *path = g_strdup_printf("/skb/bytes/%s", bytes_rows[i].name);

		g_test_add_data_func(path, &bytes_rows[i], test_bytes);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(csum_rows); i++) {
		char *path = g_strdup_printf("/skb/csum/%s", csum_rows[i].name);

		g_test_add_data_func(path, &csum_rows[i], test_csum_row);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(diff_rows); i++) {
		char *path = g_strdup_printf("/skb/csum-diff/%s", diff_rows[i].name);

		g_test_add_data_func(path, &diff_rows[i], test_csum_diff);
		g_free(path);
	}
	g_test_add_data_func("/skb/csum/random-direct", GINT_TO_POINTER(MODE_DIRECT), test_csum_random);
	g_test_add_data_func("/skb/csum/random-diff", GINT_TO_POINTER(MODE_DIFF), test_csum_random);
	g_test_add_func("/skb/vlan", test_vlan);
	g_test_add_func("/skb/tunnel-key", test_tunnel_key);
	g_test_add_func("/skb/tunnel-key-errors", test_tunnel_key_bad);
	g_test_add_func("/skb/redirect", test_redirect);
	g_test_add_func("/skb/hash", test_hash);
	g_test_add_func("/skb/not-skb", test_not_skb);
	g_test_add_func("/skb/kernel-oracle", test_kernel_oracle);
	return g_test_run();
}
