/* SPDX-License-Identifier: MIT */
/*
 * The loaded image (runtime.h): validation, the context conversion
 * (ctxconv.c) and the resolution of LD_IMM64, once per program for every
 * engine. What it guarantees to the engines that build on it: every
 * register number is at most r10 and r10 is never written; every jump,
 * local call and function reference lands inside the program; every
 * helper call names a helper the kernel has; every LD_IMM64 has its
 * second slot and a known source, with its value computed. Opcodes
 * themselves are the engines' to decode (the DAG check or the verifier
 * has proved them valid).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "runtime_int.h"

struct bpfs_image {
	struct bpf_insn *insns;
	struct bpfs_image_insn *info;
	size_t cnt;
	uint32_t prog_type;
	size_t nconv;
	/* Map values LD_IMM64 src_reg 2 points into: regions of every run. */
	struct bpfs_region *values;
	size_t nvalues;
};

/* Does the instruction write its dst register? (r10 may not be written.) */
static bool writes_dst(const struct bpf_insn *in)
{
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return true;
	case BPF_LD:
		return bpfs_insn_is_ldimm64(in);
	case BPF_STX:
		return BPF_MODE(in->code) == BPF_ATOMIC && in->imm == BPF_LOAD_ACQ;
	}
	return false;
}

static bool writes_src(const struct bpf_insn *in)
{
	return BPF_CLASS(in->code) == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC && (in->imm & BPF_FETCH) &&
	       in->imm != BPF_CMPXCHG;
}

/* Helper and kfunc calls. */
static bool is_call(const struct bpf_insn *in)
{
	unsigned cls = BPF_CLASS(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(in->code) == BPF_CALL &&
	       in->src_reg != BPF_PSEUDO_CALL;
}

/* Jumps (conditional, JA, gotol, may_goto) and local calls. */
static bool is_jump(const struct bpf_insn *in)
{
	unsigned cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	if (op == BPF_EXIT)
		return false;
	if (op == BPF_CALL)
		return in->src_reg == BPF_PSEUDO_CALL;
	return true;
}

static int out_of_range(struct bpfs_err *err, size_t i, int64_t t)
{
	return bpfs_err_set(err, EINVAL, (int)i, "jump out of range from insn %zu to %lld", i, (long long)t);
}

static int check_call(struct bpfs_image *img, const struct bpf_insn *in, size_t i, struct bpfs_err *err)
{
	if (in->src_reg == BPF_PSEUDO_CALL)
		return 0;
	if (in->src_reg != 0)
		return bpfs_err_set(err, EOPNOTSUPP, (int)i, "kfunc calls are not supported (insn %zu)", i);
	if (bpfs_helper_get(in->imm))
		return 0;
	if (in->imm != BPF_FUNC_tail_call && bpfs_helper_name(in->imm)) {
		/* a kernel helper bpfscope lacks: the verifier may accept it,
		 * so the run fails only when it gets there */
		img->info[i].missing_helper = true;
		return 0;
	}
	return bpfs_err_set(err, EINVAL, (int)i, "invalid func unknown#%d", in->imm);
}

static int add_value(struct bpfs_image *img, void *region, size_t len, struct bpfs_err *err)
{
	struct bpfs_region *r = realloc(img->values, (img->nvalues + 1) * sizeof(*r));

	if (!r)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	img->values = r;
	r[img->nvalues++] = (struct bpfs_region){
	    .start = (uintptr_t)region, .len = len, .name = "map value", .writable = true};
	return 0;
}

/* LD_IMM64: the value the register receives. */
static int resolve_ldimm64(struct bpfs_image *img, const struct bpf_insn *in, size_t i,
			   const struct bpfs_map_ops *maps, struct bpfs_err *err)
{
	struct bpfs_image_insn *info = &img->info[i];
	void *region = NULL;
	size_t region_len = 0;
	uint64_t v;
	int ret;

	switch (in->src_reg) {
	case 0:
		info->imm64 = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
		return 0;
	case BPF_PSEUDO_FUNC: {
		int64_t t = (int64_t)i + 1 + in->imm;

		if (t < 0 || (uint64_t)t >= img->cnt)
			return out_of_range(err, i, t);
		info->imm64 = (uint64_t)t;
		info->func_ref = true;
		return 0;
	}
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		break;
	default:
		return bpfs_err_set(err, EOPNOTSUPP, (int)i, "unsupported LD_IMM64 source %u at insn %zu",
				    in->src_reg, i);
	}
	if (!maps || !maps->resolve)
		return bpfs_err_set(err, EINVAL, (int)i, "map reference at insn %zu without maps", i);
	ret = maps->resolve(maps->priv, in->src_reg, in[0].imm, in[1].imm, &v, &region, &region_len);
	if (ret)
		return bpfs_err_set(err, -ret, (int)i, "cannot resolve the map reference at insn %zu", i);
	info->imm64 = v;
	if (region && region_len)
		return add_value(img, region, region_len, err);
	return 0;
}

static int check_insns(struct bpfs_image *img, const struct bpfs_image_opts *opts, struct bpfs_err *err)
{
	for (size_t i = 0; i < img->cnt; i++) {
		const struct bpf_insn *in = &img->insns[i];
		int ret = 0;

		if (in->dst_reg > BPFS_MAX_REG || in->src_reg > BPFS_MAX_REG)
			return bpfs_err_set(err, EINVAL, (int)i, "R%d is invalid",
					    in->dst_reg > 10 ? in->dst_reg : in->src_reg);
		if ((writes_dst(in) && in->dst_reg == BPF_REG_10) ||
		    (writes_src(in) && in->src_reg == BPF_REG_10))
			return bpfs_err_set(err, EACCES, (int)i, "frame pointer is read only");
		if (is_call(in)) {
			ret = check_call(img, in, i, err);
		} else if (is_jump(in)) {
			int64_t t = bpfs_insn_jump_target(img->insns, i);

			if (t < 0 || (size_t)t >= img->cnt)
				return out_of_range(err, i, t);
		} else if (bpfs_insn_is_ldimm64(in)) {
			if (i + 1 >= img->cnt)
				return bpfs_err_set(err, EINVAL, (int)i, "invalid bpf_ld_imm64 insn");
			ret = resolve_ldimm64(img, in, i, opts->maps, err);
			img->info[i + 1] = img->info[i];
			i++;
		}
		if (ret)
			return ret;
	}
	return 0;
}

struct bpfs_image *bpfs_image_new(const struct bpf_insn *insns, size_t cnt,
				  const struct bpfs_image_opts *opts, struct bpfs_err *err)
{
	static const struct bpfs_image_opts no_opts;
	struct bpfs_image *img;
	int8_t *conv = NULL;

	if (!opts)
		opts = &no_opts;
	if (!insns || !cnt || cnt > BPFS_MAX_INSNS) {
		bpfs_err_set(err, EINVAL, -1, "program of %zu instructions", cnt);
		return NULL;
	}
	if (!opts->verified && bpfs_check_cfg(insns, cnt, BPFS_CHECK_ALLOW_BACK_EDGES, err))
		return NULL;
	img = calloc(1, sizeof(*img));
	conv = malloc(cnt);
	if (!img || !conv)
		goto nomem;
	img->cnt = cnt;
	img->prog_type = opts->prog_type;
	img->insns = malloc(cnt * sizeof(*insns));
	img->info = calloc(cnt, sizeof(*img->info));
	if (!img->insns || !img->info)
		goto nomem;
	memcpy(img->insns, insns, cnt * sizeof(*insns));
	if (bpfs_ctx_convert(insns, cnt, opts->prog_type, conv))
		goto nomem;
	for (size_t i = 0; i < cnt; i++) {
		img->info[i].ctx_ptr = conv[i];
		img->nconv += conv[i] >= 0;
	}
	free(conv);
	conv = NULL;
	if (check_insns(img, opts, err))
		goto fail;
	return img;
nomem:
	bpfs_err_set(err, ENOMEM, -1, "out of memory");
fail:
	free(conv);
	bpfs_image_free(img);
	return NULL;
}

void bpfs_image_free(struct bpfs_image *img)
{
	if (!img)
		return;
	free(img->insns);
	free(img->info);
	free(img->values);
	free(img);
}

const struct bpf_insn *bpfs_image_insns(const struct bpfs_image *img, size_t *cnt)
{
	if (cnt)
		*cnt = img->cnt;
	return img->insns;
}

const struct bpfs_image_insn *bpfs_image_insn(const struct bpfs_image *img, size_t i)
{
	return i < img->cnt ? &img->info[i] : NULL;
}

uint32_t bpfs_image_prog_type(const struct bpfs_image *img)
{
	return img->prog_type;
}

size_t bpfs_image_ctx_conversions(const struct bpfs_image *img)
{
	return img->nconv;
}

int bpfs_image_add_value_regions(const struct bpfs_image *img, struct bpfs_run_ctx *rc)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < img->nvalues; i++)
		ret = bpfs_run_add_value(rc, (void *)img->values[i].start, img->values[i].len);
	return ret;
}
