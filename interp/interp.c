/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's loader and entry point: validates a program once,
 * decodes each instruction into the operation the dispatch loop runs
 * (exec_int.h), precomputes what can be (jump targets as pointers, helper
 * addresses, LD_IMM64 values, context loads to convert), and runs it.
 *
 * After loading, nothing is re-checked per instruction in fast mode: the
 * decoder has proved what decoding can prove (targets in range, known
 * operations, no writes to r10), the verifier or the DAG check the rest.
 * Layout assumptions the engine relies on are checked here at build time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_int.h"

_Static_assert(sizeof(struct bpf_insn) == 8, "eBPF instructions are 8 bytes");

static const enum bpfs_op alu_ops[16][2][2] = {
#define A(code, n) [(code) >> 4] = {{OP_A32_##n##_K, OP_A32_##n##_X}, {OP_A64_##n##_K, OP_A64_##n##_X}}
    A(BPF_ADD, ADD), A(BPF_SUB, SUB), A(BPF_MUL, MUL), A(BPF_DIV, DIV), A(BPF_OR, OR),	 A(BPF_AND, AND),
    A(BPF_LSH, LSH), A(BPF_RSH, RSH), A(BPF_MOD, MOD), A(BPF_XOR, XOR), A(BPF_MOV, MOV), A(BPF_ARSH, ARSH),
#undef A
};

static const enum bpfs_op jmp_ops[16][2][2] = {
#define J(code, n) [(code) >> 4] = {{OP_J32_##n##_K, OP_J32_##n##_X}, {OP_J64_##n##_K, OP_J64_##n##_X}}
    J(BPF_JEQ, JEQ), J(BPF_JGT, JGT),	J(BPF_JGE, JGE),   J(BPF_JSET, JSET),
    J(BPF_JNE, JNE), J(BPF_JSGT, JSGT), J(BPF_JSGE, JSGE), J(BPF_JLT, JLT),
    J(BPF_JLE, JLE), J(BPF_JSLT, JSLT), J(BPF_JSLE, JSLE),
#undef J
};

static int bad(struct bpfs_err *err, size_t i, const char *what)
{
	return bpfs_err_set(err, EINVAL, (int)i, "%s at insn %zu", what, i);
}

static int decode_alu(const struct bpf_insn *in, size_t i, uint16_t *op, struct bpfs_err *err)
{
	bool x = BPF_SRC(in->code) == BPF_X, is64 = BPF_CLASS(in->code) == BPF_ALU64;
	unsigned o = BPF_OP(in->code);

	if (o == BPF_NEG) {
		*op = is64 ? OP_A64_NEG : OP_A32_NEG;
		return 0;
	}
	if (o == BPF_END) {
		static const uint16_t le[] = {OP_LE16, OP_LE32, OP_LE64}, be[] = {OP_BE16, OP_BE32, OP_BE64},
				      sw[] = {OP_BSWAP16, OP_BSWAP32, OP_BSWAP64};
		int w = in->imm == 16 ? 0 : in->imm == 32 ? 1 : in->imm == 64 ? 2 : -1;

		if (w < 0)
			return bad(err, i, "invalid byte swap width");
		*op = is64 ? sw[w] : x ? be[w] : le[w];
		return 0;
	}
	if (o == BPF_MOV && x && in->off) {
		switch (in->off) {
		case 8:
			*op = is64 ? OP_A64_MOVSX8 : OP_A32_MOVSX8;
			return 0;
		case 16:
			*op = is64 ? OP_A64_MOVSX16 : OP_A32_MOVSX16;
			return 0;
		case 32:
			if (is64) {
				*op = OP_A64_MOVSX32;
				return 0;
			}
			break;
		case 1: /* addr_space_cast: no arenas; as1 -> as0 keeps the value */
			if (is64) {
				*op = in->imm == 1 ? OP_A64_MOV_X : OP_AS_CAST_TO_AS1;
				return 0;
			}
			break;
		}
		return bad(err, i, "invalid movsx");
	}
	if (in->off == 1 && (o == BPF_DIV || o == BPF_MOD)) {
		*op =
		    o == BPF_DIV
			? (is64 ? (x ? OP_A64_SDIV_X : OP_A64_SDIV_K) : (x ? OP_A32_SDIV_X : OP_A32_SDIV_K))
			: (is64 ? (x ? OP_A64_SMOD_X : OP_A64_SMOD_K) : (x ? OP_A32_SMOD_X : OP_A32_SMOD_K));
		return 0;
	}
	*op = alu_ops[o >> 4][is64][x];
	if (!*op && o != BPF_ADD)
		return bad(err, i, "unknown ALU operation");
	return 0;
}

static int decode_jmp(const struct bpf_insn *in, size_t i, uint16_t *op, struct bpfs_err *err)
{
	bool x = BPF_SRC(in->code) == BPF_X, is64 = BPF_CLASS(in->code) == BPF_JMP;
	unsigned o = BPF_OP(in->code);

	switch (o) {
	case BPF_JA:
		*op = OP_JA;
		return 0;
	case BPF_JCOND:
		*op = OP_MAY_GOTO;
		return 0;
	case BPF_EXIT:
		*op = OP_EXIT;
		return 0;
	case BPF_CALL:
		if (in->src_reg == BPF_PSEUDO_CALL)
			*op = OP_CALL_LOCAL;
		else if (in->src_reg == 0)
			*op = in->imm == BPF_FUNC_tail_call ? OP_TAIL_CALL : OP_CALL;
		else
			return bpfs_err_set(err, EOPNOTSUPP, (int)i,
					    "kfunc calls are not supported (insn %zu)", i);
		return 0;
	}
	*op = jmp_ops[o >> 4][is64][x];
	if (!*op)
		return bad(err, i, "unknown jump operation");
	return 0;
}

static int decode_mem(const struct bpf_insn *in, size_t i, uint16_t *op, struct bpfs_err *err)
{
	static const uint16_t ldx[] = {[BPF_B >> 3] = OP_LDX_B,
				       [BPF_H >> 3] = OP_LDX_H,
				       [BPF_W >> 3] = OP_LDX_W,
				       [BPF_DW >> 3] = OP_LDX_DW};
	static const uint16_t st[] = {
	    [BPF_B >> 3] = OP_ST_B, [BPF_H >> 3] = OP_ST_H, [BPF_W >> 3] = OP_ST_W, [BPF_DW >> 3] = OP_ST_DW};
	static const uint16_t stx[] = {[BPF_B >> 3] = OP_STX_B,
				       [BPF_H >> 3] = OP_STX_H,
				       [BPF_W >> 3] = OP_STX_W,
				       [BPF_DW >> 3] = OP_STX_DW};
	unsigned sz = BPF_SIZE(in->code) >> 3, mode = BPF_MODE(in->code);
	bool dw = BPF_SIZE(in->code) == BPF_DW;

	switch (BPF_CLASS(in->code)) {
	case BPF_LDX:
		if (mode == BPF_MEMSX) {
			if (dw)
				return bad(err, i, "invalid sign-extending load");
			*op = OP_LDXS_B + (sz == (BPF_H >> 3) ? 1 : sz == (BPF_W >> 3) ? 2 : 0);
			return 0;
		}
		*op = ldx[sz];
		return 0;
	case BPF_ST:
		*op = st[sz];
		return 0;
	case BPF_STX:
		if (mode == BPF_MEM || (mode == BPF_ATOMIC && in->imm == BPF_STORE_REL)) {
			*op = stx[sz]; /* one thread: a release store is a store */
			return 0;
		}
		if (mode == BPF_ATOMIC && in->imm == BPF_LOAD_ACQ) {
			*op = ldx[sz]; /* dst = *(src + off), as BPF_LDX */
			return 0;
		}
		if (mode != BPF_ATOMIC || (BPF_SIZE(in->code) != BPF_W && !dw))
			return bad(err, i, "invalid store");
		switch (in->imm) {
		case BPF_ADD:
			*op = OP_AADD_W;
			break;
		case BPF_OR:
			*op = OP_AOR_W;
			break;
		case BPF_AND:
			*op = OP_AAND_W;
			break;
		case BPF_XOR:
			*op = OP_AXOR_W;
			break;
		case BPF_ADD | BPF_FETCH:
			*op = OP_AFADD_W;
			break;
		case BPF_OR | BPF_FETCH:
			*op = OP_AFOR_W;
			break;
		case BPF_AND | BPF_FETCH:
			*op = OP_AFAND_W;
			break;
		case BPF_XOR | BPF_FETCH:
			*op = OP_AFXOR_W;
			break;
		case BPF_XCHG:
			*op = OP_AXCHG_W;
			break;
		case BPF_CMPXCHG:
			*op = OP_ACMPXCHG_W;
			break;
		default:
			return bad(err, i, "invalid atomic operation");
		}
		*op += dw; /* each _DW follows its _W */
		return 0;
	case BPF_LD:
		if (mode == BPF_ABS || mode == BPF_IND) {
			unsigned k = sz == (BPF_B >> 3)	  ? 0
				     : sz == (BPF_H >> 3) ? 1
				     : sz == (BPF_W >> 3) ? 2
							  : 3;

			if (k == 3)
				return bad(err, i, "invalid packet load");
			*op = (mode == BPF_ABS ? OP_LDABS_B : OP_LDIND_B) + k;
			return 0;
		}
		if (bpfs_insn_is_ldimm64(in)) {
			*op = OP_LDDW;
			return 0;
		}
		break;
	}
	return bad(err, i, "unknown memory operation");
}

/* Decodes the image's instructions into the vm's operations. The image
 * has checked registers, r10, jump targets, calls and LD_IMM64; what is
 * left is the opcode itself. */
static int decode(struct bpfs_vm *vm, struct bpfs_err *err)
{
	const struct bpf_insn *insns = bpfs_image_insns(vm->img, NULL);

	for (size_t i = 0; i < vm->cnt; i++) {
		const struct bpfs_image_insn *info = bpfs_image_insn(vm->img, i);
		const struct bpf_insn *in = &insns[i];
		struct dinsn *d = &vm->code[i];
		uint16_t op = 0;
		int ret;

		d->dst = in->dst_reg;
		d->src = in->src_reg;
		d->off = in->off;
		d->imm = in->imm;
		switch (BPF_CLASS(in->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			ret = decode_alu(in, i, &op, err);
			break;
		case BPF_JMP:
		case BPF_JMP32:
			ret = decode_jmp(in, i, &op, err);
			break;
		default:
			ret = decode_mem(in, i, &op, err);
			break;
		}
		if (ret)
			return ret;
		if (op == OP_LDX_W && info->ctx_ptr >= 0) {
			op = OP_LDX_CTXPTR;
			d->imm = info->ctx_ptr;
		}
		if (op == OP_JA || (op >= OP_J64_JEQ_K && op <= OP_J32_JSET_X) || op == OP_MAY_GOTO ||
		    op == OP_CALL_LOCAL) {
			d->k.tgt = &vm->code[bpfs_insn_jump_target(insns, i)];
		} else if (op == OP_CALL || op == OP_TAIL_CALL) {
			const struct bpfs_helper *h = bpfs_helper_get(in->imm);

			if (h)
				d->k.fn = h->fn;
			else
				op = OP_CALL_MISSING; /* the run fails when it gets there */
		} else if (op == OP_LDDW) {
			if (info->func_ref)
				d->k.tgt = &vm->code[info->imm64];
			else
				d->k.u64 = info->imm64;
			vm->opi[i] = op;
			vm->code[i + 1] = *d;
			vm->opi[++i] = op;
			continue;
		}
		vm->opi[i] = op;
	}
	vm->opi[vm->cnt] = OP_FALLOFF;
	return 0;
}

/* The decoded instructions, zeroed, from a cache-line boundary: where a
 * hot loop's instructions fall in the lines would otherwise depend on
 * what the heap held before. */
static struct dinsn *alloc_code(size_t n)
{
	size_t size = (n * sizeof(struct dinsn) + 63) & ~(size_t)63;
	struct dinsn *code = aligned_alloc(64, size);

	if (code)
		memset(code, 0, size);
	return code;
}

struct bpfs_vm *bpfs_vm_from_image(const struct bpfs_image *img, bool checked, struct bpfs_err *err)
{
	const void *const *labels;
	struct bpfs_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		goto nomem;
	vm->img = img;
	bpfs_image_insns(img, &vm->cnt);
	vm->checked = checked;
	vm->code = alloc_code(vm->cnt + 1);
	vm->opi = calloc(vm->cnt + 1, sizeof(*vm->opi));
	if (!vm->code || !vm->opi)
		goto nomem;
	if (decode(vm, err))
		goto fail;
	if (vm->checked)
		bpfs_exec_checked(NULL, &labels);
	else
		bpfs_exec_fast(NULL, &labels);
	for (size_t i = 0; i <= vm->cnt; i++)
		vm->code[i].op = labels[vm->opi[i]];
	return vm;
nomem:
	bpfs_err_set(err, ENOMEM, -1, "out of memory");
fail:
	bpfs_vm_free(vm);
	return NULL;
}

struct bpfs_vm *bpfs_vm_new(const struct bpf_insn *insns, size_t cnt, const struct bpfs_vm_opts *opts,
			    struct bpfs_err *err)
{
	static const struct bpfs_vm_opts no_opts;
	struct bpfs_image_opts io;
	struct bpfs_image *img;
	struct bpfs_vm *vm;

	if (!opts)
		opts = &no_opts;
	io = (struct bpfs_image_opts){.prog_type = opts->prog_type, .verified = opts->verified, .maps = opts->maps};
	img = bpfs_image_new(insns, cnt, &io, err);
	if (!img)
		return NULL;
	vm = bpfs_vm_from_image(img, opts->checked, err);
	if (!vm) {
		bpfs_image_free(img);
		return NULL;
	}
	vm->own_img = img;
	return vm;
}

void bpfs_vm_free(struct bpfs_vm *vm)
{
	if (!vm)
		return;
	free(vm->code);
	free(vm->opi);
	bpfs_image_free(vm->own_img);
	free(vm);
}

size_t bpfs_vm_ctx_conversions(const struct bpfs_vm *vm)
{
	return bpfs_image_ctx_conversions(vm->img);
}

const struct bpfs_image *bpfs_vm_image(const struct bpfs_vm *vm)
{
	return vm->img;
}

static void fill_report(const struct exec *ex, struct bpfs_run_report *rep)
{
	const struct bpfs_run_ctx *rc = &ex->rc;

	memset(rep, 0, sizeof(*rep));
	rep->viol = rc->viol;
	rep->insn = -1;
	rep->insns = ex->count;
	rep->tail_calls = rc->tail_calls;
	rep->ld_abs_fault = ex->ld_abs_fault;
	if (rc->viol == BPFS_VIOL_NONE)
		return;
	if (ex->fault_pc && ex->cur)
		rep->insn = (int)(ex->fault_pc - ex->cur->code);
	rep->addr = rc->viol_addr;
	rep->size = rc->viol_size;
	if (rc->viol_region)
		snprintf(rep->region, sizeof(rep->region), "%s", rc->viol_region);
	snprintf(rep->msg, sizeof(rep->msg), "insn %d: %s", rep->insn, rc->viol_msg);
}

int bpfs_vm_run(const struct bpfs_vm *vm, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		struct bpfs_run_report *report)
{
	uint8_t stack[BPFS_STACK_TOTAL] __attribute__((aligned(16)));
	struct bpfs_ctx none = {0};
	unsigned token = 0;
	struct exec ex;
	int ret = 0;

	ex.ctx = ctx ? ctx : &none;
	ex.cur = vm;
	ex.fault_pc = NULL;
	ex.r0 = 0;
	ex.count = 0;
	ex.limit = env && env->insn_limit ? env->insn_limit : UINT64_MAX;
	ex.counts = env ? env->insn_counts : NULL;
	ex.taken = env && env->insn_counts ? env->insn_taken : NULL;
	ex.main = vm;
	ex.stack = stack;
	ex.ld_abs_fault = false;
	/* Verified programs never read the stack before writing it; zeroing
	 * the main frame makes unverified runs deterministic. Checked runs
	 * zero each frame as it is entered. */
	if (vm->checked)
		memset(stack, 0, sizeof(stack));
	else
		memset(stack + BPFS_STACK_TOTAL - BPFS_STACK_SIZE, 0, BPFS_STACK_SIZE);
	bpfs_run_ctx_init(&ex.rc, env, vm->checked);
	ret = bpfs_run_add_region(&ex.rc, stack, sizeof(stack), "stack", true);
	if (!ret)
		ret = bpfs_ctx_add_regions(ex.ctx, &ex.rc);
	if (!ret)
		ret = bpfs_image_add_value_regions(vm->img, &ex.rc);
	if (ret) {
		bpfs_run_ctx_release(&ex.rc);
		return ret;
	}
	ex.rc.nfixed = ex.rc.nregions;
	/* As the kernel runs programs under rcu_read_lock: map values looked
	 * up stay valid until the run ends. */
	if (env && env->maps)
		token = bpfs_rcu_read_lock();
	ret = vm->checked ? bpfs_exec_checked(&ex, NULL) : bpfs_exec_fast(&ex, NULL);
	if (env && env->maps)
		bpfs_rcu_read_unlock(token);
	if (ret && ex.rc.viol == BPFS_VIOL_UNSUPPORTED)
		ret = -EOPNOTSUPP;
	if (report) {
		fill_report(&ex, report);
		report->r0 = ret ? 0 : ex.r0;
	}
	bpfs_run_ctx_release(&ex.rc);
	if (r0)
		*r0 = ret ? 0 : ex.r0;
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The engine interface                                                   */

static void *load_fast(const struct bpfs_image *img, struct bpfs_err *err)
{
	return bpfs_vm_from_image(img, false, err);
}

static void *load_checked(const struct bpfs_image *img, struct bpfs_err *err)
{
	return bpfs_vm_from_image(img, true, err);
}

static int run_vm(const void *prog, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		  struct bpfs_run_report *report)
{
	return bpfs_vm_run(prog, ctx, env, r0, report);
}

static void free_vm(void *prog)
{
	bpfs_vm_free(prog);
}

const struct bpfs_engine_ops bpfs_engine_interp = {"interp", false, load_fast, run_vm, free_vm};
const struct bpfs_engine_ops bpfs_engine_interp_checked = {"checked", true, load_checked, run_vm, free_vm};
