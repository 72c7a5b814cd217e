/* SPDX-License-Identifier: MIT */
/*
 * The run environment and a run's state: defaults, the memory regions a
 * program may touch, and violation records.
 *
 * Regions are few (stack, ctx, packet, helpers' buffers), so a linear
 * search is fine. Map values are not: a program may look up thousands in
 * a loop. They form a set of their own (struct bpfs_value_set), sorted and
 * disjoint, searched by bisection; adding one is a bisection and, for a
 * new value, a move of the entries above it (none when values come in
 * address order, as an array's do when a loop walks its keys).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

	memset(rc, 0, offsetof(struct bpfs_run_ctx, regions));
	rc->env = env;
	rc->checked = checked;
	rc->values.v = rc->values_inline;
	rc->values.cap = BPFS_VALUES_INLINE;
	s = env ? env->seed : 0x5eed;
	rc->rnd[0] = splitmix64(&s);
	rc->rnd[1] = splitmix64(&s);
}

void bpfs_run_ctx_release(struct bpfs_run_ctx *rc)
{
	if (rc->values.v != rc->values_inline)
		free(rc->values.v);
	rc->values.v = rc->values_inline;
	rc->values.cap = BPFS_VALUES_INLINE;
	rc->values.n = 0;
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

static bool holds(const struct bpfs_region *r, uintptr_t addr, size_t size)
{
	return addr >= r->start && size <= r->len && addr - r->start <= r->len - size;
}

/* The number of values that start at or below addr: the one that may
 * hold addr is the one before that index. */
static unsigned values_upto(const struct bpfs_value_set *vs, uintptr_t addr)
{
	unsigned lo = 0, hi = vs->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (vs->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct bpfs_region *bpfs_run_find_value(const struct bpfs_run_ctx *rc, uintptr_t addr, size_t size)
{
	unsigned i = values_upto(&rc->values, addr);

	return i && holds(&rc->values.v[i - 1], addr, size) ? &rc->values.v[i - 1] : NULL;
}

static int values_grow(struct bpfs_value_set *vs, const struct bpfs_region *inl)
{
	unsigned cap = vs->cap * 2;
	struct bpfs_region *v = malloc(cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, vs->v, vs->n * sizeof(*v));
	if (vs->v != inl)
		free(vs->v);
	vs->v = v;
	vs->cap = cap;
	return 0;
}

int bpfs_run_add_value(struct bpfs_run_ctx *rc, const void *start, size_t len)
{
	struct bpfs_value_set *vs = &rc->values;
	uintptr_t a = (uintptr_t)start, end = a + len;
	unsigned i = values_upto(vs, a), j;
	int ret;

	if (!len)
		return 0;
	if (i && holds(&vs->v[i - 1], a, len))
		return 0;
	/* Values of live elements never overlap; should one (the value of an
	 * LD_IMM64 and a lookup's), the union holds the same bytes. */
	if (i && vs->v[i - 1].start + vs->v[i - 1].len > a) {
		i--;
		a = vs->v[i].start;
		if (a + vs->v[i].len > end)
			end = a + vs->v[i].len;
	} else {
		if (vs->n == vs->cap && (ret = values_grow(vs, rc->values_inline)))
			return ret;
		memmove(&vs->v[i + 1], &vs->v[i], (vs->n - i) * sizeof(*vs->v));
		vs->n++;
	}
	for (j = i + 1; j < vs->n && vs->v[j].start < end; j++)
		if (vs->v[j].start + vs->v[j].len > end)
			end = vs->v[j].start + vs->v[j].len;
	memmove(&vs->v[i + 1], &vs->v[j], (vs->n - j) * sizeof(*vs->v));
	vs->n -= j - (i + 1);
	vs->v[i] = (struct bpfs_region){.start = a, .len = end - a, .name = "map value", .writable = true};
	return 0;
}

const struct bpfs_region *bpfs_run_find_region(const struct bpfs_run_ctx *rc, uintptr_t addr, size_t size)
{
	for (unsigned i = 0; i < rc->nregions; i++)
		if (holds(&rc->regions[i], addr, size))
			return &rc->regions[i];
	return bpfs_run_find_value(rc, addr, size);
}

/* How far addr is from r: 0 inside it. */
static uintptr_t distance(const struct bpfs_region *r, uintptr_t addr)
{
	if (addr < r->start)
		return r->start - addr;
	if (addr - r->start < r->len)
		return 0;
	return addr - (r->start + r->len) + 1;
}

/* The region an address is in or nearest to, for reports: of the table,
 * and of the values the two around addr. */
static const struct bpfs_region *nearest_region(const struct bpfs_run_ctx *rc, uintptr_t addr)
{
	const struct bpfs_region *best = NULL, *cand[2] = {NULL, NULL};
	uintptr_t best_d = 4096; /* farther than a page: "no region" */
	unsigned v = values_upto(&rc->values, addr);

	if (v)
		cand[0] = &rc->values.v[v - 1];
	if (v < rc->values.n)
		cand[1] = &rc->values.v[v];
	for (unsigned i = 0; i < rc->nregions + 2; i++) {
		const struct bpfs_region *r = i < rc->nregions ? &rc->regions[i] : cand[i - rc->nregions];
		uintptr_t d;

		if (!r)
			continue;
		d = distance(r, addr);
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
	    [BPFS_VIOL_UNSUPPORTED] = "not implemented by bpfscope",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
