/* SPDX-License-Identifier: MIT */
/*
 * The helper functions and their table.
 *
 * Semantics follow the kernel's helpers (kernel/bpf/helpers.c,
 * kernel/trace/bpf_trace.c, net/core/filter.c) and the uapi documentation
 * of <linux/bpf.h>, with the world they observe (task identity, clock,
 * random seed) taken from the run environment so that runs are
 * reproducible. Memory a helper reads or writes on the program's behalf
 * must lie in the run's regions: probe_read fails with -EFAULT (and zeroes
 * its destination) as the kernel's does on a faulting address; other
 * helpers given bad memory record a violation, which a checked run reports
 * and which stops the run.
 *
 * Map helpers forward to the run environment's map operations; without
 * them lookups return NULL and the others -EOPNOTSUPP.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "runtime.h"
#include "runtime_int.h"

#define U64(p) ((uint64_t)(uintptr_t)(p))
#define PTR(x) ((void *)(uintptr_t)(x))

/* Memory a helper writes or reads for the program. Outside checked runs
 * the verifier has proved it valid; the check is still made, as it is
 * cheap next to a helper call and keeps unverified runs from corrupting
 * the host. */
static bool helper_mem_ok(struct bpfs_run_ctx *rc, uint64_t addr, uint64_t size, bool write)
{
	if (!size)
		return true;
	if (bpfs_run_check_access(rc, (uintptr_t)addr, (size_t)size, write) == 0)
		return true;
	rc->viol = rc->viol == BPFS_VIOL_MEM ? BPFS_VIOL_HELPER : rc->viol;
	return false;
}

static uint64_t h_map_lookup_elem(uint64_t map, uint64_t key, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct bpfs_run_ctx *rc)
{
	const struct bpfs_map_ops *ops = rc->env ? rc->env->maps : NULL;
	size_t vlen = 0;
	void *v;

	(void)r3, (void)r4, (void)r5;
	if (!ops || !ops->lookup)
		return 0;
	v = ops->lookup(ops->priv, PTR(map), PTR(key), &vlen);
	/* the value joins the run's value set (which keeps it once) */
	if (v && vlen)
		bpfs_run_add_value(rc, v, vlen);
	return U64(v);
}

static uint64_t h_map_update_elem(uint64_t map, uint64_t key, uint64_t value, uint64_t flags, uint64_t r5,
				  struct bpfs_run_ctx *rc)
{
	const struct bpfs_map_ops *ops = rc->env ? rc->env->maps : NULL;

	(void)r5;
	if (!ops || !ops->update)
		return (uint64_t)-EOPNOTSUPP;
	return (uint64_t)(int64_t)ops->update(ops->priv, PTR(map), PTR(key), PTR(value), flags);
}

static uint64_t h_map_delete_elem(uint64_t map, uint64_t key, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct bpfs_run_ctx *rc)
{
	const struct bpfs_map_ops *ops = rc->env ? rc->env->maps : NULL;

	(void)r3, (void)r4, (void)r5;
	if (!ops || !ops->remove)
		return (uint64_t)-EOPNOTSUPP;
	return (uint64_t)(int64_t)ops->remove(ops->priv, PTR(map), PTR(key));
}

/* bpf_probe_read (and _kernel, _user): copies from memory the runtime owns;
 * anything else faults: -EFAULT with the destination zeroed. */
static uint64_t h_probe_read(uint64_t dst, uint64_t size, uint64_t src, uint64_t r4, uint64_t r5,
			     struct bpfs_run_ctx *rc)
{
	(void)r4, (void)r5;
	if (!helper_mem_ok(rc, dst, size, true))
		return (uint64_t)-EFAULT;
	if (size && !bpfs_run_find_region(rc, (uintptr_t)src, (size_t)size)) {
		memset(PTR(dst), 0, size);
		return (uint64_t)-EFAULT;
	}
	memmove(PTR(dst), PTR(src), size);
	return 0;
}

static uint64_t h_ktime_get_ns(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			       struct bpfs_run_ctx *rc)
{
	struct timespec ts;

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	if (rc->env && rc->env->clock_ns)
		return rc->env->clock_ns(rc->env->clock_priv);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t h_trace_printk(uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2, uint64_t a3,
			       struct bpfs_run_ctx *rc)
{
	char line[BPFS_TRACE_LINE_MAX];
	uint64_t args[3] = {a1, a2, a3};
	struct bpfs_run_env *env = rc->env;
	int n;

	if (!helper_mem_ok(rc, fmt, fmt_size, false))
		return (uint64_t)-EFAULT;
	n = bpfs_printk_format(rc, PTR(fmt), (size_t)fmt_size, args, 3, line, sizeof(line));
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (env && env->trace && env->trace_size) {
		size_t room = env->trace_size - 1 - env->trace_len;
		size_t len = strlen(line);

		if (len > room) {
			len = room;
			env->trace_truncated = true;
		}
		memcpy(env->trace + env->trace_len, line, len);
		env->trace_len += len;
		env->trace[env->trace_len] = 0;
	}
	return (uint64_t)n;
}

/* xoroshiro128+, seeded from the environment in bpfs_run_ctx_init. */
static uint64_t h_get_prandom_u32(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				  struct bpfs_run_ctx *rc)
{
	uint64_t s0 = rc->rnd[0], s1 = rc->rnd[1], res = s0 + s1;

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	s1 ^= s0;
	rc->rnd[0] = ((s0 << 24) | (s0 >> 40)) ^ s1 ^ (s1 << 16);
	rc->rnd[1] = (s1 << 37) | (s1 >> 27);
	return (uint32_t)(res >> 32);
}

static const struct bpfs_task default_task = {.pid = 1000, .tgid = 1000, .comm = "bpfscope"};

static const struct bpfs_task *task_of(const struct bpfs_run_ctx *rc)
{
	return rc->env ? &rc->env->task : &default_task;
}

static uint64_t h_get_smp_processor_id(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				       struct bpfs_run_ctx *rc)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return task_of(rc)->cpu;
}

/* Engines implement the call itself; this does the lookup: a target in
 * rc->tail_target means "jump there", none means "fall through". */
static uint64_t h_tail_call(uint64_t ctx, uint64_t map, uint64_t index, uint64_t r4, uint64_t r5,
			    struct bpfs_run_ctx *rc)
{
	const struct bpfs_map_ops *ops = rc->env ? rc->env->maps : NULL;

	(void)ctx, (void)r4, (void)r5;
	rc->tail_target = NULL;
	if (!ops || !ops->tail_call_target || rc->tail_calls >= BPFS_MAX_TAIL_CALLS)
		return (uint64_t)-ENOENT;
	rc->tail_target = ops->tail_call_target(ops->priv, PTR(map), (uint32_t)index);
	if (!rc->tail_target)
		return (uint64_t)-ENOENT;
	rc->tail_calls++;
	return 0;
}

static uint64_t h_get_current_pid_tgid(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				       struct bpfs_run_ctx *rc)
{
	const struct bpfs_task *t = task_of(rc);

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return (uint64_t)t->tgid << 32 | t->pid;
}

static uint64_t h_get_current_uid_gid(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				      struct bpfs_run_ctx *rc)
{
	const struct bpfs_task *t = task_of(rc);

	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
	return (uint64_t)t->gid << 32 | t->uid;
}

/* Like the kernel's strscpy_pad into buf: NUL-terminated and padded. */
static uint64_t h_get_current_comm(uint64_t buf, uint64_t size, uint64_t r3, uint64_t r4, uint64_t r5,
				   struct bpfs_run_ctx *rc)
{
	const struct bpfs_task *t = task_of(rc);
	size_t n;

	(void)r3, (void)r4, (void)r5;
	if (!size)
		return (uint64_t)-EINVAL;
	if (!helper_mem_ok(rc, buf, size, true))
		return (uint64_t)-EFAULT;
	n = strnlen(t->comm, sizeof(t->comm));
	if (n > size - 1)
		n = size - 1;
	memset(PTR(buf), 0, size);
	memcpy(PTR(buf), t->comm, n);
	return 0;
}

static uint64_t h_get_cgroup_classid(uint64_t skb, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				     struct bpfs_run_ctx *rc)
{
	(void)skb, (void)r2, (void)r3, (void)r4, (void)r5;
	return task_of(rc)->cgroup_classid;
}

static uint64_t h_perf_event_output(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t data, uint64_t size,
				    struct bpfs_run_ctx *rc)
{
	const struct bpfs_map_ops *ops = rc->env ? rc->env->maps : NULL;

	(void)ctx;
	if (!helper_mem_ok(rc, data, size, false))
		return (uint64_t)-EFAULT;
	if (!ops || !ops->perf_event_output)
		return (uint64_t)-EOPNOTSUPP;
	return (uint64_t)(int64_t)ops->perf_event_output(ops->priv, PTR(map), flags, PTR(data), (size_t)size);
}

#define H(id, fn)                                                                                            \
	{                                                                                                    \
		BPF_FUNC_##id, #id, fn                                                                       \
	}
static const struct bpfs_helper helpers[] = {
    H(map_lookup_elem, h_map_lookup_elem),
    H(map_update_elem, h_map_update_elem),
    H(map_delete_elem, h_map_delete_elem),
    H(probe_read, h_probe_read),
    H(ktime_get_ns, h_ktime_get_ns),
    H(trace_printk, h_trace_printk),
    H(get_prandom_u32, h_get_prandom_u32),
    H(get_smp_processor_id, h_get_smp_processor_id),
    H(tail_call, h_tail_call),
    H(get_current_pid_tgid, h_get_current_pid_tgid),
    H(get_current_uid_gid, h_get_current_uid_gid),
    H(get_current_comm, h_get_current_comm),
    H(get_cgroup_classid, h_get_cgroup_classid),
    H(perf_event_output, h_perf_event_output),
    H(probe_read_user, h_probe_read),
    H(probe_read_kernel, h_probe_read),
    H(skb_store_bytes, bpfs_h_skb_store_bytes),
    H(skb_load_bytes, bpfs_h_skb_load_bytes),
    H(skb_pull_data, bpfs_h_skb_pull_data),
    H(skb_change_type, bpfs_h_skb_change_type),
    H(skb_change_tail, bpfs_h_skb_change_tail),
    H(skb_set_tunnel_opt, bpfs_h_skb_set_tunnel_opt),
    H(skb_get_tunnel_opt, bpfs_h_skb_get_tunnel_opt),
    H(set_hash_invalid, bpfs_h_set_hash_invalid),
    H(xdp_adjust_head, bpfs_h_xdp_adjust_head),
    H(xdp_adjust_meta, bpfs_h_xdp_adjust_meta),
    H(xdp_adjust_tail, bpfs_h_xdp_adjust_tail),
    H(l3_csum_replace, bpfs_h_l3_csum_replace),
    H(l4_csum_replace, bpfs_h_l4_csum_replace),
    H(csum_diff, bpfs_h_csum_diff),
    H(clone_redirect, bpfs_h_clone_redirect),
    H(redirect, bpfs_h_redirect),
    H(skb_vlan_push, bpfs_h_skb_vlan_push),
    H(skb_vlan_pop, bpfs_h_skb_vlan_pop),
    H(skb_get_tunnel_key, bpfs_h_skb_get_tunnel_key),
    H(skb_set_tunnel_key, bpfs_h_skb_set_tunnel_key),
    H(get_hash_recalc, bpfs_h_get_hash_recalc),
};
#undef H

void bpfs_helper_missing(struct bpfs_run_ctx *rc, int32_t id)
{
	const char *name = bpfs_helper_name(id);

	bpfs_run_violation(rc, BPFS_VIOL_UNSUPPORTED, 0, 0,
			   "helper bpf_%s#%d is not implemented by bpfscope's runtime", name ? name : "unknown",
			   id);
}

const struct bpfs_helper *bpfs_helper_get(int32_t id)
{
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}
