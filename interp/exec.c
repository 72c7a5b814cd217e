/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's two dispatch loops, made from one template
 * (exec_int.h): the fast one, and the checked one that validates every
 * memory access against the run's regions. This file holds what both
 * share: the arithmetic that needs care (signed division), unaligned
 * loads, packet loads for LD_ABS/LD_IND, and the checked mode's access
 * check.
 */
#include <errno.h>
#include <string.h>

#include "interp_int.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the interpreter implements byte swaps for little-endian hosts"
#endif

/* Signed division and modulo as the kernel patches them: by zero, 0 and
 * dst; by -1, -dst (INT_MIN stays INT_MIN) and 0. */
static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (!b)
		return 0;
	if ((int64_t)b == -1)
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (!b)
		return 0;
	if ((int32_t)b == -1)
		return 0 - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint64_t smod64(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t smod32(uint32_t a, uint32_t b)
{
	if (!b)
		return a;
	if ((int32_t)b == -1)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Loads of any alignment (programs may load unaligned packet data). */
static inline uint8_t ld8(uint64_t a)
{
	return *(const uint8_t *)(uintptr_t)a;
}

static inline uint16_t ld16(uint64_t a)
{
	uint16_t v;

	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

static inline uint32_t ld32(uint64_t a)
{
	uint32_t v;

	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

static inline uint64_t ld64(uint64_t a)
{
	uint64_t v;

	memcpy(&v, (const void *)(uintptr_t)a, sizeof(v));
	return v;
}

/* LD_ABS/LD_IND: size bytes at packet offset off, big-endian, into *r0;
 * false when out of range (see bpfs_ctx_load_packet). */
static bool load_packet(struct exec *ex, int32_t off, unsigned size, uint64_t *r0)
{
	return bpfs_ctx_load_packet(ex->ctx, off, size, r0);
}

/* Checked mode: the current frame and its callers' are the stack a
 * program may use; below the current frame is a frame overflow. */
static __attribute__((noinline)) bool check_mem(struct exec *ex, uintptr_t a, size_t size, bool write,
						uint64_t fp)
{
	uintptr_t lo = (uintptr_t)fp - BPFS_STACK_SIZE, top = (uintptr_t)ex->stack + BPFS_STACK_TOTAL;

	if (a >= lo && a <= top - size && size <= top - lo)
		return true;
	if (a >= (uintptr_t)ex->stack && a < top) {
		bpfs_run_violation(&ex->rc, BPFS_VIOL_STACK, a, size,
				   "invalid %s of %zu bytes at fp%+td: stack frame overflow",
				   write ? "write" : "read", size, (ptrdiff_t)(a - (uintptr_t)fp));
		ex->rc.viol_region = "stack";
		return false;
	}
	/* regions[0] is the whole stack, for helpers; skip it here. */
	for (unsigned i = 1; i < ex->rc.nregions; i++) {
		const struct bpfs_region *r = &ex->rc.regions[i];

		if (a >= r->start && size <= r->len && a - r->start <= r->len - size) {
			if (!write || r->writable)
				return true;
			break;
		}
	}
	/* map values are all writable */
	if (bpfs_run_find_value(&ex->rc, a, size))
		return true;
	return bpfs_run_check_access(&ex->rc, a, size, write) == 0;
}

static __attribute__((noinline)) void misaligned(struct exec *ex, uintptr_t a, size_t size)
{
	bpfs_run_violation(&ex->rc, BPFS_VIOL_MEM, a, size, "misaligned atomic access of %zu bytes at 0x%lx",
			   size, (unsigned long)a);
}

#define CHECKED 0
#define EXEC_NAME bpfs_exec_fast
#include "exec_int.h"
#undef CHECKED
#undef EXEC_NAME

#define CHECKED 1
#define EXEC_NAME bpfs_exec_checked
#include "exec_int.h"
#undef CHECKED
#undef EXEC_NAME
