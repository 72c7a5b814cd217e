/* SPDX-License-Identifier: MIT */
/*
 * The JIT's public face: loading (an image of the runtime's, so that both
 * engines validate, convert context loads and resolve maps the same way,
 * once), compiling (compile.c), running, and the small run-time routines
 * the generated code calls for what is rare or needs C (packet loads,
 * violations).
 *
 * A run mirrors bpfs_vm_run(): the same stack (BPFS_MAX_CALL_FRAMES frames
 * of BPFS_STACK_SIZE, the main one zeroed), the same regions for helpers,
 * the same report. Layout assumptions are checked here at build time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "jit_int.h"

_Static_assert(sizeof(struct bpf_insn) == 8, "eBPF instructions are 8 bytes");
_Static_assert(sizeof(void *) == 8, "the JIT targets a 64-bit host");

#define STACK_TOTAL (BPFS_STACK_SIZE * BPFS_MAX_CALL_FRAMES)

struct bpfs_jit *bpfs_jit_from_image(const struct bpfs_image *img, bool harden, struct bpfs_err *err)
{
	struct bpfs_jit *jit;

#if !defined(__x86_64__)
	(void)img, (void)harden, (void)jit;
	bpfs_err_set(err, EOPNOTSUPP, -1, "JIT: only x86-64 hosts are supported");
	return NULL;
#else
	jit = calloc(1, sizeof(*jit));
	if (!jit) {
		bpfs_err_set(err, ENOMEM, -1, "out of memory");
		return NULL;
	}
	jit->magic = JIT_MAGIC;
	jit->img = img;
	bpfs_image_insns(img, &jit->cnt);
	jit->harden = harden;
	if (bpfs_jit_translate(jit, err)) {
		bpfs_jit_free(jit);
		return NULL;
	}
	return jit;
#endif
}

struct bpfs_jit *bpfs_jit_compile(const struct bpf_insn *insns, size_t cnt, const struct bpfs_jit_opts *opts,
				  struct bpfs_err *err)
{
	static const struct bpfs_jit_opts no_opts;
	struct bpfs_image_opts io;
	struct bpfs_image *img;
	struct bpfs_jit *jit;

	if (!opts)
		opts = &no_opts;
#if !defined(__x86_64__)
	(void)insns, (void)cnt, (void)io, (void)img, (void)jit;
	bpfs_err_set(err, EOPNOTSUPP, -1, "JIT: only x86-64 hosts are supported");
	return NULL;
#else
	io = (struct bpfs_image_opts){.prog_type = opts->prog_type, .verified = opts->verified, .maps = opts->maps};
	img = bpfs_image_new(insns, cnt, &io, err);
	if (!img)
		return NULL;
	jit = bpfs_jit_from_image(img, opts->harden, err);
	if (!jit) {
		bpfs_image_free(img);
		return NULL;
	}
	jit->own_img = img;
	return jit;
#endif
}

void bpfs_jit_free(struct bpfs_jit *jit)
{
	if (!jit)
		return;
	if (jit->code)
		munmap(jit->code, jit->map_len);
	bpfs_image_free(jit->own_img);
	free(jit->addrs);
	jit->magic = 0;
	free(jit);
}

const uint8_t *bpfs_jit_code(const struct bpfs_jit *jit, size_t *len)
{
	if (len)
		*len = jit->len;
	return jit->code;
}

long bpfs_jit_insn_offset(const struct bpfs_jit *jit, size_t i)
{
	return i <= jit->cnt ? (long)jit->addrs[i] : -1;
}

const struct bpfs_image *bpfs_jit_image(const struct bpfs_jit *jit)
{
	return jit->img;
}

/* ---------------------------------------------------------------------- */
/* Run-time support                                                       */

/* LD_ABS/LD_IND as the interpreter's load_packet: big-endian, and out of
 * range (negative offsets included) flags the run to end with r0 = 0. */
uint64_t bpfs_jit_load_packet(struct jit_run *run, int32_t off, uint32_t size)
{
	uint64_t v = 0;

	/* the run's context: helpers may have moved the packet's end */
	if (!run->rc.pctx || !bpfs_ctx_load_packet(run->rc.pctx, off, size, &v)) {
		run->ld_abs_fault = 1;
		return 0;
	}
	return v;
}

void bpfs_jit_fault(struct jit_run *run, uint32_t kind, int32_t arg)
{
	switch (kind) {
	case JIT_FAULT_HELPER:
		bpfs_helper_missing(&run->rc, arg);
		break;
	case JIT_FAULT_DEPTH:
		bpfs_run_violation(&run->rc, BPFS_VIOL_CALL_DEPTH, 0, 0,
				   "the call stack of %u frames is too deep", run->depth + 2);
		break;
	case JIT_FAULT_TARGET:
		bpfs_run_violation(&run->rc, BPFS_VIOL_BAD_CALL, 0, 0,
				   "tail call to a program that is not compiled code");
		break;
	default:
		bpfs_run_violation(&run->rc, BPFS_VIOL_BAD_CALL, 0, 0, "fell off the end of the program");
		break;
	}
}

static void fill_report(const struct jit_run *run, struct bpfs_run_report *rep)
{
	const struct bpfs_run_ctx *rc = &run->rc;

	memset(rep, 0, sizeof(*rep));
	rep->viol = rc->viol;
	rep->insn = -1;
	rep->tail_calls = rc->tail_calls;
	rep->ld_abs_fault = run->ld_abs_fault;
	if (rc->viol == BPFS_VIOL_NONE)
		return;
	rep->insn = run->fault_insn;
	rep->addr = rc->viol_addr;
	rep->size = rc->viol_size;
	if (rc->viol_region)
		snprintf(rep->region, sizeof(rep->region), "%s", rc->viol_region);
	snprintf(rep->msg, sizeof(rep->msg), "insn %d: %s", rep->insn, rc->viol_msg);
}

int bpfs_jit_run(const struct bpfs_jit *jit, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		 struct bpfs_run_report *report)
{
	uint8_t stack[STACK_TOTAL] __attribute__((aligned(16)));
	struct bpfs_ctx none = {0};
	struct jit_run run;
	unsigned token = 0;
	uint64_t v;
	int ret;

	if (!ctx)
		ctx = &none;
	memset(&run, 0, offsetof(struct jit_run, rc));
	run.loops = BPFS_MAX_LOOPS;
	run.fault_insn = -1;
	memcpy(run.ptrs, ctx->ptrs, sizeof(run.ptrs));
	/* as the interpreter: the main frame starts zeroed */
	memset(stack + STACK_TOTAL - BPFS_STACK_SIZE, 0, BPFS_STACK_SIZE);
	bpfs_run_ctx_init(&run.rc, env, false);
	ret = bpfs_run_add_region(&run.rc, stack, sizeof(stack), "stack", true);
	if (!ret)
		ret = bpfs_ctx_add_regions(ctx, &run.rc);
	run.rc.ptrs = run.ptrs; /* the compiled code reads its own copy */
	if (!ret)
		ret = bpfs_image_add_value_regions(jit->img, &run.rc);
	if (ret) {
		bpfs_run_ctx_release(&run.rc);
		return ret;
	}
	run.rc.nfixed = run.rc.nregions;
	if (env && env->maps)
		token = bpfs_rcu_read_lock();
	v = ((jit_entry_fn)(uintptr_t)jit->code)((uint64_t)(uintptr_t)ctx->ctx, ctx->ctx_len, &run,
						 (uint64_t)(uintptr_t)(stack + STACK_TOTAL));
	if (env && env->maps)
		bpfs_rcu_read_unlock(token);
	ret = run.rc.viol == BPFS_VIOL_NONE ? 0 : run.rc.viol == BPFS_VIOL_UNSUPPORTED ? -EOPNOTSUPP : -EFAULT;
	if (report) {
		fill_report(&run, report);
		report->r0 = ret ? 0 : v;
	}
	bpfs_run_ctx_release(&run.rc);
	if (r0)
		*r0 = ret ? 0 : v;
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The engine interface                                                   */

static void *load_plain(const struct bpfs_image *img, struct bpfs_err *err)
{
	return bpfs_jit_from_image(img, false, err);
}

static void *load_hardened(const struct bpfs_image *img, struct bpfs_err *err)
{
	return bpfs_jit_from_image(img, true, err);
}

static int run_jit(const void *prog, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		   struct bpfs_run_report *report)
{
	return bpfs_jit_run(prog, ctx, env, r0, report);
}

static void free_jit(void *prog)
{
	bpfs_jit_free(prog);
}

const struct bpfs_engine_ops bpfs_engine_jit = {"jit", false, load_plain, run_jit, free_jit};
const struct bpfs_engine_ops bpfs_engine_jit_hardened = {"jit-hardened", false, load_hardened, run_jit, free_jit};
