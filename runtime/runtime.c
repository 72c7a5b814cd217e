/* SPDX-License-Identifier: MIT */
/*
 * The run environment and a run's state: defaults, the memory regions a
 * program may touch, and violation records.
 *
 * Regions are few (stack, ctx, packet, a handful of map values), so a
 * linear search is fine; checked runs are the only ones that look them up
 * per access, and they are for finding bugs, not for speed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"

void bpfs_run_env_init(struct bpfs_run_env *env)
{
	memset(env, 0, sizeof(*env));
	env->task.pid = 1000;
	env->task.tgid = 1000;
	strcpy(env->task.comm, "bpfscope");
	env->seed = 0x5eed;
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void bpfs_run_ctx_init(struct bpfs_run_ctx *rc, struct bpfs_run_env *env, bool checked)
{
	uint64_t s;

	memset(rc, 0, sizeof(*rc));
	rc->env = env;
	rc->checked = checked;
	s = env ? env->seed : 0x5eed;
	rc->rnd[0] = splitmix64(&s);
	rc->rnd[1] = splitmix64(&s);
}

int bpfs_run_add_region(struct bpfs_run_ctx *rc, const void *start, size_t len, const char *name,
			bool writable)
{
	if (rc->nregions == BPFS_MAX_REGIONS)
		return -ENOSPC;
	rc->regions[rc->nregions++] =
	    (struct bpfs_region){.start = (uintptr_t)start, .len = len, .name = name, .writable = writable};
	return 0;
}

const struct bpfs_region *bpfs_run_find_region(const struct bpfs_run_ctx *rc, uintptr_t addr, size_t size)
{
	for (unsigned i = 0; i < rc->nregions; i++) {
		const struct bpfs_region *r = &rc->regions[i];

		if (addr >= r->start && size <= r->len && addr - r->start <= r->len - size)
			return r;
	}
	return NULL;
}

/* The region an address is in or nearest to, for reports. */
static const struct bpfs_region *nearest_region(const struct bpfs_run_ctx *rc, uintptr_t addr)
{
	const struct bpfs_region *best = NULL;
	uintptr_t best_d = 4096; /* farther than a page: "no region" */

	for (unsigned i = 0; i < rc->nregions; i++) {
		const struct bpfs_region *r = &rc->regions[i];
		uintptr_t d;

		if (addr < r->start)
			d = r->start - addr;
		else if (addr - r->start < r->len)
			d = 0;
		else
			d = addr - (r->start + r->len) + 1;
		if (d < best_d) {
			best = r;
			best_d = d;
		}
	}
	return best;
}

void bpfs_run_violation(struct bpfs_run_ctx *rc, enum bpfs_violation v, uintptr_t addr, size_t size,
			const char *fmt, ...)
{
	va_list ap;

	if (rc->viol != BPFS_VIOL_NONE)
		return;
	rc->viol = v;
	rc->viol_addr = addr;
	rc->viol_size = size;
	va_start(ap, fmt);
	vsnprintf(rc->viol_msg, sizeof(rc->viol_msg), fmt, ap);
	va_end(ap);
}

int bpfs_run_check_access(struct bpfs_run_ctx *rc, uintptr_t addr, size_t size, bool write)
{
	const struct bpfs_region *r = bpfs_run_find_region(rc, addr, size);

	if (r && (!write || r->writable))
		return 0;
	if (r) {
		bpfs_run_violation(rc, BPFS_VIOL_READONLY, addr, size, "write of %zu bytes to read-only %s",
				   size, r->name);
		rc->viol_region = r->name;
		return -EFAULT;
	}
	r = nearest_region(rc, addr);
	if (rc->viol == BPFS_VIOL_NONE)
		rc->viol_region = r ? r->name : NULL;
	if (r)
		bpfs_run_violation(rc, BPFS_VIOL_MEM, addr, size, "invalid %s of %zu bytes at %s%+td",
				   write ? "write" : "read", size, r->name, (ptrdiff_t)(addr - r->start));
	else
		bpfs_run_violation(rc, BPFS_VIOL_MEM, addr, size,
				   "invalid %s of %zu bytes at 0x%lx: no region", write ? "write" : "read",
				   size, (unsigned long)addr);
	return -EFAULT;
}

const char *bpfs_violation_name(enum bpfs_violation v)
{
	static const char *const names[] = {
	    [BPFS_VIOL_NONE] = "none",
	    [BPFS_VIOL_MEM] = "invalid memory access",
	    [BPFS_VIOL_READONLY] = "write to read-only memory",
	    [BPFS_VIOL_STACK] = "stack frame overflow",
	    [BPFS_VIOL_CALL_DEPTH] = "call stack too deep",
	    [BPFS_VIOL_INSN_LIMIT] = "instruction limit reached",
	    [BPFS_VIOL_HELPER] = "invalid helper argument",
	    [BPFS_VIOL_BAD_CALL] = "invalid call",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
