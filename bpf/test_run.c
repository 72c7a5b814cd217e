/* SPDX-License-Identifier: MIT */
/*
 * BPF_PROG_TEST_RUN, as the kernel's net/bpf/test_run.c does it, and the
 * execution side of a loaded program: its engine (the interpreter's
 * decoded program, map operations over the maps it holds) and the
 * bpfscope extensions that select the mode and read what runs left
 * behind (report, trace output).
 *
 * The kernel's rules this follows, per context kind:
 *   skb types: data_size_in from ETH_HLEN up to a page less headroom and
 *     shared info (3712 bytes), and an IPv4 (IPv6) frame at least 34 (54)
 *     bytes; flags, cpu, batch_size must be zero;
 *     ctx_in is a struct __sk_buff of which only mark, priority,
 *     ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size
 *     and hwtstamp may be non-zero (EINVAL), bytes past the struct must be
 *     zero (E2BIG); the packet handed back starts at the Ethernet header,
 *     which is zeroed for types that do not see it (not is_l2);
 *   xdp: data_size_in from ETH_HLEN; the first 3520 bytes (a page less
 *     XDP_PACKET_HEADROOM and shared info) are the linear part the
 *     program sees between data and data_end, the rest goes to at most
 *     MAX_SKB_FRAGS (17) page fragments (ENOMEM beyond), which no helper
 *     of bpfscope's reads: they come back unchanged after the linear
 *     part;
 *   other types (bpfscope runs kprobe and tracing programs, the kernel
 *     does not): no packet, the context is ctx_in.
 * Results as bpf_test_finish writes them: data_size_out is the packet's
 * size; with a non-zero data_size_out smaller than that, only that many
 * bytes are copied and the command fails with ENOSPC after writing
 * data_size_out, retval and duration. ctx_out likewise (bpf_ctx_finish),
 * and only when the packet fitted. repeat 0 means 1; duration is the mean
 * time per run in ns, clamped to u32. Every run of a repeat sees the
 * packet as the previous one left it. A run the engine stops fails the
 * command with the engine's errno and nothing written back: EFAULT for a
 * violation, EOPNOTSUPP for a call of a helper the runtime does not
 * implement; the run's report stays for bpfs_prog_last_report.
 */
#include "bpf_int.h"
#include "interp.h"
#include "jit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_ether.h>

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

#define SKB_MAX_DATA (4096 - 64 - 320)
#define XDP_MAX_DATA (4096 - 256 - 320)
#define XDP_MAX_FRAGS 17

static inline void *u64_to_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* ---------------------------------------------------------------------- */
/* The engine                                                             */

static struct bpfs_prog_engine *engine_of(struct bpfs_ref *ref)
{
	return ((struct bpfs_loaded_prog *)((char *)ref - offsetof(struct bpfs_loaded_prog, ref)))->engine;
}

/* The interpreter instance runs use: the checked one for a program set
 * checked, and always for one loaded unverified. */
static struct bpfs_prog_inst *interp_inst(struct bpfs_prog_engine *e)
{
	struct bpfs_prog_inst *c = &e->inst[BPFS_INST_CHECKED];

	return (!e->verified || atomic_load(&e->checked)) && c->prog ? c : &e->inst[BPFS_INST_INTERP];
}

/* Builds instance k from the image; called with e->lock held (or before
 * the program is published). */
static int build_inst(struct bpfs_prog_engine *e, enum bpfs_inst k, struct bpfs_err *err)
{
	struct bpfs_prog_inst *in = &e->inst[k];

	if (in->prog)
		return 0;
	in->prog = in->ops->load(e->image, err);
	return in->prog ? 0 : -EINVAL;
}

/* The interpreter tables' prog_of: the interpreter program a prog_array
 * entry stands for, in the mode the target program was set to. */
static void *prog_of_interp(struct bpfs_ref *ref, void *priv)
{
	struct bpfs_prog_engine *e = engine_of(ref);

	(void)priv;
	return e ? interp_inst(e)->prog : NULL;
}

/* The JIT table's prog_of: the target's JIT code, compiled on first use,
 * so that a chain of tail calls stays on one engine. */
static void *prog_of_jit(struct bpfs_ref *ref, void *priv)
{
	struct bpfs_prog_engine *e = engine_of(ref);
	void *jit;

	(void)priv;
	if (!e)
		return NULL;
	pthread_mutex_lock(&e->lock);
	if (e->verified)
		build_inst(e, BPFS_INST_JIT, NULL);
	jit = e->inst[BPFS_INST_JIT].prog;
	pthread_mutex_unlock(&e->lock);
	return jit;
}

static void engine_free(void *p)
{
	struct bpfs_prog_engine *e = p;

	if (!e)
		return;
	for (int k = 0; k < BPFS_NINST; k++)
		if (e->inst[k].prog)
			e->inst[k].ops->free(e->inst[k].prog);
	bpfs_image_free(e->image);
	pthread_mutex_destroy(&e->lock);
	free(e->trace);
	free(e);
}

static void init_inst(struct bpfs_prog_engine *e, enum bpfs_inst k, const struct bpfs_engine_ops *ops,
		      void *(*prog_of)(struct bpfs_ref *ref, void *priv))
{
	struct bpfs_prog_inst *in = &e->inst[k];

	in->ops = ops;
	in->table = (struct bpfs_map_table){
	    .maps = e->prog->maps,
	    .nmaps = e->prog->map_cnt,
	    .prog_of = prog_of,
	};
	bpfs_map_ops_init(&in->mops, &in->table);
}

int bpfs_prog_engine_init(struct bpfs_loaded_prog *prog, bool verified, struct bpfs_err *err)
{
	struct bpfs_prog_engine *e = calloc(1, sizeof(*e));
	struct bpfs_image_opts io = {.prog_type = prog->type, .verified = verified};
	struct bpfs_run_env env;
	int ret;

	if (!e)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	pthread_mutex_init(&e->lock, NULL);
	e->prog = prog;
	e->verified = verified;
	init_inst(e, BPFS_INST_INTERP, &bpfs_engine_interp, prog_of_interp);
	init_inst(e, BPFS_INST_CHECKED, &bpfs_engine_interp_checked, prog_of_interp);
	init_inst(e, BPFS_INST_JIT, &bpfs_engine_jit, prog_of_jit);
	bpfs_run_env_init(&env);
	e->seed = env.seed;
	e->task = env.task;
	e->insn_limit = BPFS_CHECKED_INSN_LIMIT;
	e->trace = malloc(BPFS_PROG_TRACE_SIZE);
	if (!e->trace) {
		engine_free(e);
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	}
	e->trace[0] = 0;
	/* every instance resolves maps alike: any table's operations do */
	io.maps = &e->inst[BPFS_INST_INTERP].mops;
	e->image = bpfs_image_new(prog->insns, prog->insn_cnt, &io, err);
	/* unverified programs only run checked */
	ret = e->image ? build_inst(e, verified ? BPFS_INST_INTERP : BPFS_INST_CHECKED, err) : -EINVAL;
	if (ret) {
		engine_free(e);
		return -EINVAL;
	}
	prog->engine = e;
	prog->engine_free = engine_free;
	return 0;
}

int bpfs_prog_engine_get(int fd, struct bpfs_loaded_prog **prog, struct bpfs_prog_engine **engine)
{
	int ret = bpfs_fd_get_prog(fd, prog);

	if (ret)
		return ret;
	*engine = (*prog)->engine;
	if (!*engine) {
		bpfs_loaded_prog_put(*prog);
		*prog = NULL;
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Extensions                                                             */

int bpfs_prog_set_engine(int prog_fd, enum bpfs_engine engine)
{
	struct bpfs_loaded_prog *prog;
	struct bpfs_prog_engine *e;
	int ret = bpfs_prog_engine_get(prog_fd, &prog, &e);

	if (ret)
		return ret;
	if (engine == BPFS_ENGINE_JIT) {
		/* Unverified programs run checked, which only the interpreter
		 * does. */
		if (!e->verified) {
			ret = -EOPNOTSUPP;
		} else {
			pthread_mutex_lock(&e->lock);
			ret = build_inst(e, BPFS_INST_JIT, NULL);
			pthread_mutex_unlock(&e->lock);
		}
	} else if (engine != BPFS_ENGINE_INTERP) {
		ret = -EINVAL;
	}
	if (!ret)
		atomic_store(&e->engine, (int)engine);
	bpfs_loaded_prog_put(prog);
	return ret;
}

int bpfs_prog_set_checked(int prog_fd, bool checked)
{
	struct bpfs_loaded_prog *prog;
	struct bpfs_prog_engine *e;
	struct bpfs_err err;
	int ret = bpfs_prog_engine_get(prog_fd, &prog, &e);

	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	if (!e->verified) {
		/* it runs checked: nothing else stands between an unverified
		 * program and the host's memory */
		ret = checked ? 0 : -EPERM;
		goto unlock;
	}
	if (checked && build_inst(e, BPFS_INST_CHECKED, &err))
		ret = -ENOMEM;
	if (!ret)
		atomic_store(&e->checked, checked);
unlock:
	pthread_mutex_unlock(&e->lock);
	bpfs_loaded_prog_put(prog);
	return ret;
}

int bpfs_prog_last_report(int prog_fd, struct bpfs_run_report *report)
{
	struct bpfs_loaded_prog *prog;
	struct bpfs_prog_engine *e;
	int ret = bpfs_prog_engine_get(prog_fd, &prog, &e);

	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	if (e->has_report)
		*report = e->report;
	else
		ret = -ENOENT;
	pthread_mutex_unlock(&e->lock);
	bpfs_loaded_prog_put(prog);
	return ret;
}

/* Runs set(e, arg) on prog_fd's engine, under its lock. */
static int engine_set(int prog_fd, void (*set)(struct bpfs_prog_engine *e, const void *arg), const void *arg)
{
	struct bpfs_loaded_prog *prog;
	struct bpfs_prog_engine *e;
	int ret = bpfs_prog_engine_get(prog_fd, &prog, &e);

	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	set(e, arg);
	pthread_mutex_unlock(&e->lock);
	bpfs_loaded_prog_put(prog);
	return 0;
}

static void set_seed(struct bpfs_prog_engine *e, const void *arg)
{
	e->seed = *(const uint64_t *)arg;
}

static void set_task(struct bpfs_prog_engine *e, const void *arg)
{
	e->task = *(const struct bpfs_task *)arg;
	e->task.comm[sizeof(e->task.comm) - 1] = 0;
}

struct clock_arg {
	uint64_t (*fn)(void *priv);
	void *priv;
};

static void set_clock(struct bpfs_prog_engine *e, const void *arg)
{
	const struct clock_arg *c = arg;

	e->clock_ns = c->fn;
	e->clock_priv = c->priv;
}

static void set_insn_limit(struct bpfs_prog_engine *e, const void *arg)
{
	e->insn_limit = *(const uint64_t *)arg;
}

int bpfs_prog_set_seed(int prog_fd, uint64_t seed)
{
	return engine_set(prog_fd, set_seed, &seed);
}

int bpfs_prog_set_task(int prog_fd, const struct bpfs_task *task)
{
	return engine_set(prog_fd, set_task, task);
}

int bpfs_prog_set_clock(int prog_fd, uint64_t (*clock)(void *priv), void *priv)
{
	struct clock_arg c = {clock, priv};

	return engine_set(prog_fd, set_clock, &c);
}

int bpfs_prog_set_insn_limit(int prog_fd, uint64_t limit)
{
	return engine_set(prog_fd, set_insn_limit, &limit);
}

struct counts_arg {
	uint64_t *counts, *taken;
};

static void set_insn_counts(struct bpfs_prog_engine *e, const void *arg)
{
	const struct counts_arg *c = arg;

	e->insn_counts = c->counts;
	e->insn_taken = c->taken;
}

int bpfs_prog_set_insn_counts(int prog_fd, uint64_t *counts, uint64_t *taken)
{
	struct counts_arg c = {counts, taken};

	return engine_set(prog_fd, set_insn_counts, &c);
}

int bpfs_prog_read_trace(int prog_fd, char *buf, size_t size, size_t *len, bool *truncated)
{
	struct bpfs_loaded_prog *prog;
	struct bpfs_prog_engine *e;
	int ret = bpfs_prog_engine_get(prog_fd, &prog, &e);
	size_t n;

	if (ret)
		return ret;
	pthread_mutex_lock(&e->lock);
	*len = e->trace_len;
	if (truncated)
		*truncated = e->trace_truncated;
	if (size) {
		n = e->trace_len < size - 1 ? e->trace_len : size - 1;
		memcpy(buf, e->trace, n);
		buf[n] = 0;
	}
	e->trace_len = 0;
	e->trace[0] = 0;
	e->trace_truncated = false;
	pthread_mutex_unlock(&e->lock);
	bpfs_loaded_prog_put(prog);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* BPF_PROG_TEST_RUN                                                      */

enum ctx_kind {
	CTX_SKB,    /* the program sees the network header first */
	CTX_SKB_L2, /* ... the Ethernet header first */
	CTX_XDP,
	CTX_RAW,
};

static int ctx_kind(uint32_t type, enum ctx_kind *kind)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
		*kind = CTX_SKB;
		return 0;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		*kind = CTX_SKB_L2;
		return 0;
	case BPF_PROG_TYPE_XDP:
		*kind = CTX_XDP;
		return 0;
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_SYSCALL:
		*kind = CTX_RAW;
		return 0;
	}
	return -ENOTSUPP;
}

static bool range_zero(const void *p, size_t from, size_t to)
{
	const uint8_t *b = p;

	for (size_t i = from; i < to; i++)
		if (b[i])
			return false;
	return true;
}

#define SKB_OFF(f) offsetof(struct __sk_buff, f)
#define SKB_END(f) BPFS_OFFSETOFEND(struct __sk_buff, f)

/* convert___skb_to_skb's checks of ctx_in. */
static int check_skb_in(const struct __sk_buff *s, size_t pkt_len)
{
	if (!range_zero(s, 0, SKB_OFF(mark)) || !range_zero(s, SKB_END(mark), SKB_OFF(priority)) ||
	    !range_zero(s, SKB_END(priority), SKB_OFF(ingress_ifindex)) ||
	    !range_zero(s, SKB_END(ifindex), SKB_OFF(cb)) || !range_zero(s, SKB_END(cb), SKB_OFF(tstamp)) ||
	    !range_zero(s, SKB_END(tstamp), SKB_OFF(wire_len)) ||
	    !range_zero(s, SKB_END(gso_segs), SKB_OFF(gso_size)) ||
	    !range_zero(s, SKB_END(gso_size), SKB_OFF(hwtstamp)) ||
	    !range_zero(s, SKB_END(hwtstamp), sizeof(*s)))
		return -EINVAL;
	if (s->ifindex > 1 || s->ingress_ifindex > 1)
		return -ENODEV;
	if (s->wire_len && (s->wire_len < pkt_len || s->wire_len > 65536))
		return -EINVAL;
	if (s->gso_segs > 65535)
		return -EINVAL;
	return 0;
}

/* bpf_ctx_init: the caller's context input, zero-extended to max bytes;
 * bytes past max must be zero. */
static int ctx_in_copy(const union bpf_attr *attr, void *out, size_t max)
{
	const uint8_t *in = u64_to_ptr(attr->test.ctx_in);
	size_t n = attr->test.ctx_size_in;

	memset(out, 0, max);
	if (!n)
		return 0;
	if (!in)
		return -EFAULT;
	if (n > max && !range_zero(in, max, n))
		return -E2BIG;
	memcpy(out, in, n < max ? n : max);
	return 0;
}

/* One test run's inputs and results. */
struct test_run {
	enum ctx_kind kind;
	struct __sk_buff skb_in;
	struct bpfs_ctx ctx;
	const uint8_t *frags; /* xdp: the caller's bytes past the linear part */
	size_t frags_len;
	uint64_t r0;
	uint64_t ns;
	struct bpfs_run_report report;
	uint8_t *pkt_out;
	size_t pkt_out_len;
	uint8_t ctx_out[sizeof(struct __sk_buff)];
	size_t ctx_out_len;
};

/* An IPv4 or IPv6 frame must hold the whole fixed network header (the
 * kernel sets the test socket's addresses from it): EINVAL otherwise. */
static int check_skb_l3(const uint8_t *pkt, uint32_t size)
{
	uint16_t proto = (uint16_t)(pkt[12] << 8 | pkt[13]);

	if (proto == ETH_P_IP && size < ETH_HLEN + 20)
		return -EINVAL;
	if (proto == ETH_P_IPV6 && size < ETH_HLEN + 40)
		return -EINVAL;
	return 0;
}

static int check_run_attr(const union bpf_attr *attr, struct test_run *tr)
{
	uint32_t size = attr->test.data_size_in;
	int ret;

	if (attr->test.batch_size)
		return -EINVAL;
	if (tr->kind == CTX_XDP && (attr->test.flags & BPF_F_TEST_XDP_LIVE_FRAMES))
		return -EOPNOTSUPP;
	if (attr->test.flags || attr->test.cpu)
		return -EINVAL;
	if (size && !attr->test.data_in)
		return -EFAULT;
	switch (tr->kind) {
	case CTX_SKB:
	case CTX_SKB_L2:
		if (size < ETH_HLEN || size > SKB_MAX_DATA)
			return -EINVAL;
		ret = check_skb_l3(u64_to_ptr(attr->test.data_in), size);
		if (ret)
			return ret;
		ret = ctx_in_copy(attr, &tr->skb_in, sizeof(tr->skb_in));
		if (!ret)
			ret = check_skb_in(&tr->skb_in, size);
		return ret;
	case CTX_XDP:
		if (size < ETH_HLEN)
			return -EINVAL;
		if (size > XDP_MAX_DATA && size - XDP_MAX_DATA > XDP_MAX_FRAGS * 4096)
			return -ENOMEM;
		if (attr->test.ctx_size_in)
			return -EOPNOTSUPP;
		if (size > XDP_MAX_DATA) {
			tr->frags = (const uint8_t *)u64_to_ptr(attr->test.data_in) + XDP_MAX_DATA;
			tr->frags_len = size - XDP_MAX_DATA;
		}
		return 0;
	case CTX_RAW:
		if (size || attr->test.data_out || attr->test.data_size_out)
			return -EINVAL;
		if (attr->test.ctx_size_in && !attr->test.ctx_in)
			return -EFAULT;
		return 0;
	}
	return -EINVAL;
}

static int build_ctx(const union bpf_attr *attr, struct test_run *tr, uint32_t type)
{
	const void *ctx_in = NULL;
	size_t ctx_len = 0;

	if (tr->kind == CTX_SKB || tr->kind == CTX_SKB_L2) {
		ctx_in = &tr->skb_in;
		ctx_len = sizeof(tr->skb_in);
	} else if (tr->kind == CTX_RAW) {
		ctx_in = u64_to_ptr(attr->test.ctx_in);
		ctx_len = attr->test.ctx_size_in;
	}
	return bpfs_ctx_build(&tr->ctx, type, u64_to_ptr(attr->test.data_in),
			      attr->test.data_size_in - tr->frags_len, ctx_in, ctx_len, NULL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs the program repeat times inside one reader section. */
static int run(struct bpfs_prog_engine *e, struct test_run *tr, uint32_t repeat)
{
	struct bpfs_prog_inst *in;
	struct bpfs_run_env env;
	char *trace = malloc(BPFS_PROG_TRACE_SIZE);
	uint64_t t0;
	unsigned tok;
	int ret = 0;

	if (!trace)
		return -ENOMEM;
	trace[0] = 0;
	bpfs_run_env_init(&env);
	pthread_mutex_lock(&e->lock);
	env.seed = e->seed;
	env.task = e->task;
	env.insn_limit = e->insn_limit;
	env.insn_counts = e->insn_counts;
	env.insn_taken = e->insn_taken;
	env.clock_ns = e->clock_ns;
	env.clock_priv = e->clock_priv;
	/* Checked runs are the interpreter's, whatever the engine. */
	in = interp_inst(e);
	if (atomic_load(&e->engine) == BPFS_ENGINE_JIT && !atomic_load(&e->checked) &&
	    e->inst[BPFS_INST_JIT].prog)
		in = &e->inst[BPFS_INST_JIT];
	pthread_mutex_unlock(&e->lock);
	env.trace = trace;
	env.trace_size = BPFS_PROG_TRACE_SIZE;
	env.maps = &in->mops;
	tok = bpfs_rcu_read_lock();
	t0 = now_ns();
	for (uint32_t i = 0; i < repeat && !ret; i++)
		ret = in->ops->run(in->prog, &tr->ctx, &env, &tr->r0, &tr->report);
	tr->ns = now_ns() - t0;
	bpfs_rcu_read_unlock(tok);

	pthread_mutex_lock(&e->lock);
	e->report = tr->report;
	e->has_report = true;
	if (env.trace_len) {
		size_t room = BPFS_PROG_TRACE_SIZE - 1 - e->trace_len;
		size_t n = env.trace_len < room ? env.trace_len : room;

		memcpy(e->trace + e->trace_len, trace, n);
		e->trace_len += n;
		e->trace[e->trace_len] = 0;
		if (n < env.trace_len)
			e->trace_truncated = true;
	}
	if (env.trace_truncated)
		e->trace_truncated = true;
	pthread_mutex_unlock(&e->lock);
	free(trace);
	return ret;
}

/* The packet and context as the kernel hands them back. */
static int collect(struct test_run *tr)
{
	size_t hdr = tr->kind == CTX_SKB ? ETH_HLEN : 0;
	/* xdp hands back the metadata in front of the packet */
	uint8_t *start = tr->kind == CTX_XDP ? (uint8_t *)(uintptr_t)tr->ctx.ptrs[BPFS_CTX_DATA_META] : tr->ctx.data;
	size_t len = (size_t)(tr->ctx.data_end - start);

	if (tr->kind == CTX_RAW) {
		tr->ctx_out_len =
		    tr->ctx.ctx_len < sizeof(tr->ctx_out) ? tr->ctx.ctx_len : sizeof(tr->ctx_out);
		memcpy(tr->ctx_out, tr->ctx.ctx, tr->ctx_out_len);
		return 0;
	}
	tr->pkt_out_len = hdr + len + tr->frags_len;
	tr->pkt_out = calloc(1, tr->pkt_out_len);
	if (!tr->pkt_out)
		return -ENOMEM;
	memcpy(tr->pkt_out + hdr, start, len);
	if (tr->frags_len)
		memcpy(tr->pkt_out + hdr + len, tr->frags, tr->frags_len);
	if (tr->kind == CTX_XDP) {
		/* xdp_convert_buff_to_md: offsets from data_meta */
		struct xdp_md md = {.data = (uint32_t)(tr->ctx.data - start), .data_end = (uint32_t)len};

		memcpy(tr->ctx_out, &md, sizeof(md));
		tr->ctx_out_len = sizeof(md);
	} else {
		/* convert_skb_to___skb */
		const struct __sk_buff *s = tr->ctx.ctx;
		struct __sk_buff o;

		memset(&o, 0, sizeof(o));
		o.mark = s->mark;
		o.priority = s->priority;
		o.ingress_ifindex = tr->skb_in.ingress_ifindex;
		o.ifindex = 1;
		memcpy(o.cb, s->cb, sizeof(o.cb));
		o.tstamp = s->tstamp;
		o.wire_len = tr->skb_in.wire_len ? tr->skb_in.wire_len : (uint32_t)len;
		o.gso_segs = s->gso_segs;
		o.gso_size = s->gso_size;
		o.hwtstamp = s->hwtstamp;
		memcpy(tr->ctx_out, &o, sizeof(o));
		tr->ctx_out_len = sizeof(o);
	}
	return 0;
}

/* Writes a u32 result field back, when the caller's attr has it. */
static void put_u32(union bpf_attr *uattr, unsigned int size, uint32_t *field, uint32_t v)
{
	size_t off = (size_t)((char *)field - (char *)uattr);

	if (off + sizeof(v) <= size)
		memcpy(field, &v, sizeof(v));
}

/* bpf_test_finish and bpf_ctx_finish. */
static int finish(const union bpf_attr *attr, union bpf_attr *uattr, unsigned int size, struct test_run *tr,
		  uint32_t duration)
{
	uint32_t hint = attr->test.data_size_out, n = (uint32_t)tr->pkt_out_len;
	uint8_t *data_out = u64_to_ptr(attr->test.data_out);
	uint8_t *ctx_out = u64_to_ptr(attr->test.ctx_out);
	int ret = 0;

	if (hint && n > hint) {
		n = hint;
		ret = -ENOSPC;
	}
	if (data_out && n)
		memcpy(data_out, tr->pkt_out, n);
	put_u32(uattr, size, &uattr->test.data_size_out, (uint32_t)tr->pkt_out_len);
	put_u32(uattr, size, &uattr->test.retval, (uint32_t)tr->r0);
	put_u32(uattr, size, &uattr->test.duration, duration);
	if (ret)
		return ret;
	if (!ctx_out)
		return 0;
	n = (uint32_t)tr->ctx_out_len;
	if (n > attr->test.ctx_size_out) {
		n = attr->test.ctx_size_out;
		ret = -ENOSPC;
	}
	memcpy(ctx_out, tr->ctx_out, n);
	put_u32(uattr, size, &uattr->test.ctx_size_out, (uint32_t)tr->ctx_out_len);
	return ret;
}

long bpfs_cmd_prog_test_run(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	struct bpfs_loaded_prog *prog = NULL;
	struct bpfs_prog_engine *e;
	struct test_run tr;
	uint32_t repeat = attr->test.repeat ? attr->test.repeat : 1;
	uint64_t mean;
	long ret;

	memset(&tr, 0, sizeof(tr));
	ret = bpfs_prog_engine_get((int)attr->test.prog_fd, &prog, &e);
	if (ret)
		return ret;
	ret = ctx_kind(prog->type, &tr.kind);
	if (ret)
		goto out;
	ret = check_run_attr(attr, &tr);
	if (ret)
		goto out;
	ret = build_ctx(attr, &tr, prog->type);
	if (ret)
		goto out;
	ret = run(e, &tr, repeat);
	if (ret)
		goto out;
	ret = collect(&tr);
	if (ret)
		goto out;
	mean = tr.ns / repeat;
	ret = finish(attr, uattr, size, &tr, mean > UINT32_MAX ? UINT32_MAX : (uint32_t)mean);
out:
	free(tr.pkt_out);
	bpfs_ctx_release(&tr.ctx);
	bpfs_loaded_prog_put(prog);
	return ret;
}
