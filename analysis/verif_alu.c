/* SPDX-License-Identifier: MIT */
/*
 * ALU instructions of the walk: moves, scalar arithmetic (delegated to
 * bounds.c) and pointer arithmetic.
 *
 * Pointer arithmetic rules (kernel adjust_ptr_min_max_vals): only 64-bit
 * add and subtract of a scalar; a constant goes into the pointer's fixed
 * offset, anything else into its variable offset (tnum and bounds); a
 * packet pointer that gains a variable offset gets a fresh id and no
 * proven range, since the range was proven for the old base. Pointers
 * that may be NULL, map pointers, packet ends and sockets take no
 * arithmetic at all.
 *
 * Scalar copies share an id so that bounds learnt on one copy at a
 * conditional jump hold for the others (kernel find_equal_scalars); any
 * write to a register clears its id.
 */
#include <errno.h>
#include <string.h>

#include "verifier_int.h"

static bool is_pkt_family(enum reg_type t)
{
	return t == PTR_TO_PACKET || t == PTR_TO_PACKET_META || t == PTR_TO_PACKET_END;
}

/* Deterministic verification (root otherwise): the distance between two
 * pointers into the same packet or the same stack frame does not depend
 * on where the engine keeps them, so it may be computed. */
static bool same_object_diff(const struct venv *env, const struct reg_state *a, const struct reg_state *b)
{
	if (!env->opts->deterministic || env->opts->unpriv)
		return false;
	if (is_pkt_family(a->type) && is_pkt_family(b->type))
		return true;
	return a->type == PTR_TO_STACK && b->type == PTR_TO_STACK && a->frameno == b->frameno;
}

static const char *const alu_str[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
};

static const char *op_str(uint8_t op)
{
	return alu_str[(op >> 4) & 0xf];
}

static int check_reg_sane_offset(struct venv *env, const struct reg_state *off_reg, enum reg_type t)
{
	bool known = tnum_is_const(off_reg->var_off);
	int64_t val = off_reg->smin;

	if (known && (val >= BPF_MAX_VAR_OFF || val <= -BPF_MAX_VAR_OFF))
		return verr(env, EACCES, "math between %s pointer and %lld is not allowed", reg_type_str(t),
			    (long long)val);
	if (off_reg->smin == INT64_MIN)
		return verr(env, EACCES, "math between %s pointer and register with unbounded min value is not allowed",
			    reg_type_str(t));
	if (off_reg->smin >= BPF_MAX_VAR_OFF || off_reg->smin <= -BPF_MAX_VAR_OFF)
		return verr(env, EACCES, "value %lld makes %s pointer be out of bounds", (long long)off_reg->smin,
			    reg_type_str(t));
	return 0;
}

/* The pointer an arithmetic insn produced: its variable part must stay
 * within BPF_MAX_VAR_OFF of its base, whatever the access that follows
 * (the kernel's check of the result, after the one of the operand) */
static int check_ptr_sane_offset(struct venv *env, const struct reg_state *ptr)
{
	int64_t v = (int64_t)ptr->var_off.value;

	if (tnum_is_const(ptr->var_off) && (v >= BPF_MAX_VAR_OFF || v <= -BPF_MAX_VAR_OFF))
		return verr(env, EACCES, "%s pointer offset %lld is not allowed", reg_type_str(ptr->type), (long long)v);
	if (ptr->smin >= BPF_MAX_VAR_OFF || ptr->smin <= -BPF_MAX_VAR_OFF)
		return verr(env, EACCES, "%s pointer offset %lld is not allowed", reg_type_str(ptr->type),
			    (long long)ptr->smin);
	return 0;
}

/* dst = ptr op off, with ptr a pointer and off a scalar */
static int adjust_ptr_alu(struct venv *env, const struct bpf_insn *insn, const struct reg_state *ptr,
			  const struct reg_state *off, struct reg_state *dst)
{
	uint8_t op = BPF_OP(insn->code);
	struct reg_state res = *ptr, var;
	int err;

	if (BPF_CLASS(insn->code) != BPF_ALU64) {
		/* a meaningless number, which root may compute */
		if (op == BPF_SUB && env->allow_ptr_leaks) {
			reg_mark_unknown_scalar(dst);
			reg_zext32(dst);
			return 0;
		}
		return verr(env, EACCES, "R%d 32-bit pointer arithmetic prohibited", insn->dst_reg);
	}
	if (type_may_be_null(ptr->type))
		return verr(env, EACCES, "R%d pointer arithmetic on %s prohibited, null-check it first", insn->dst_reg,
			    reg_type_str(ptr->type));
	switch (ptr->type) {
	case PTR_TO_FLOW_KEYS:
		/* moved by constants only */
		if (tnum_is_const(off->var_off))
			break;
		/* fallthrough */
	case CONST_PTR_TO_MAP:
		if (op == BPF_ADD && tnum_equals_const(off->var_off, 0))
			break;
		/* fallthrough */
	case PTR_TO_PACKET_END:
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON:
	case PTR_TO_TCP_SOCK:
		return verr(env, EACCES, "R%d pointer arithmetic on %s prohibited", insn->dst_reg, reg_type_str(ptr->type));
	default:
		break;
	}
	switch (op) {
	case BPF_ADD:
	case BPF_SUB:
		break;
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
		return verr(env, EACCES, "R%d bitwise operator %s on pointer prohibited", insn->dst_reg, op_str(op));
	default:
		return verr(env, EACCES, "R%d pointer arithmetic with %s operator prohibited", insn->dst_reg, op_str(op));
	}
	if (op == BPF_SUB && ptr->type == PTR_TO_STACK)
		return verr(env, EACCES, "R%d subtraction from stack pointer prohibited", insn->dst_reg);
	err = check_reg_sane_offset(env, off, ptr->type);
	if (err)
		return err;
	if (tnum_is_const(off->var_off)) {
		int64_t v = (int64_t)off->var_off.value, n = op == BPF_ADD ? res.off + v : res.off - v;

		if (n >= BPF_MAX_VAR_OFF || n <= -BPF_MAX_VAR_OFF)
			return verr(env, EACCES, "%s pointer offset %lld is not allowed", reg_type_str(ptr->type),
				    (long long)n);
		res.off = (int32_t)n;
		/* A pointer known past the end forgets it after any arithmetic,
		 * as Linux does since 6.18.y: moved back it may be inside, and
		 * keeping the mark only for forward moves was one rule too many
		 * to get right (6.18.0 kept it after adding a negative constant). */
		if (reg_is_pkt(&res) && res.range < 0)
			res.range = 0;
		*dst = res;
		return 0;
	}
	if (!env->allow_ptr_leaks && ptr->type == PTR_TO_STACK)
		return verr(env, EACCES, "R%d variable stack access prohibited for !root", insn->dst_reg);
	/* the variable part behaves like a scalar */
	reg_mark_unknown_scalar(&var);
	var.var_off = ptr->var_off;
	var.smin = ptr->smin;
	var.smax = ptr->smax;
	var.umin = ptr->umin;
	var.umax = ptr->umax;
	var.s32_min = ptr->s32_min;
	var.s32_max = ptr->s32_max;
	var.u32_min = ptr->u32_min;
	var.u32_max = ptr->u32_max;
	err = scalar_alu(&var, off, op, false);
	if (err)
		return err;
	res.var_off = var.var_off;
	res.smin = var.smin;
	res.smax = var.smax;
	res.umin = var.umin;
	res.umax = var.umax;
	res.s32_min = var.s32_min;
	res.s32_max = var.s32_max;
	res.u32_min = var.u32_min;
	res.u32_max = var.u32_max;
	err = check_ptr_sane_offset(env, &res);
	if (err)
		return err;
	if (reg_is_pkt(&res)) {
		res.id = ++env->id_gen;
		res.range = 0;
	}
	*dst = res;
	return 0;
}

static int check_mov(struct venv *env, const struct bpf_insn *insn, bool is32)
{
	struct reg_state *regs = cur_regs(env);
	struct reg_state *dst = &regs[insn->dst_reg];
	int err;

	if (BPF_SRC(insn->code) == BPF_K) {
		if (is32)
			reg_mark_known(dst, (uint32_t)insn->imm);
		else
			reg_mark_known(dst, (uint64_t)(int64_t)insn->imm);
		return 0;
	}
	err = check_reg_read(env, insn->src_reg);
	if (err)
		return err;
	struct reg_state *src = &regs[insn->src_reg];

	if (insn->off) {
		/* sign-extending move of the low 8, 16 or 32 bits */
		int bits = insn->off;
		struct reg_state r;

		/* part of a pointer is a number nothing is known about: root may
		 * have it (the kernel's mark_reg_unknown), not the sign-extended
		 * range of a scalar, since an address's low bits say nothing of
		 * where the result lands */
		if (reg_is_pointer(src)) {
			if (!env->allow_ptr_leaks)
				return verr(env, EACCES, is32 ? "R%d partial copy of pointer" : "R%d sign-extension part of pointer",
					    insn->src_reg);
			reg_mark_unknown_scalar(dst);
			if (is32)
				reg_zext32(dst);
			return 0;
		}
		/* a value that fits below the sign bit is unchanged: the
		 * copy stays linked to its source */
		r = *src;
		if (src->umax < ((uint64_t)1 << (bits - 1))) {
			if (!src->id && !tnum_is_const(src->var_off))
				src->id = ++env->id_gen;
			r.id = src->id;
		} else {
			r.id = 0;
		}
		scalar_sext(&r, bits / 8, is32);
		*dst = r;
		return 0;
	}
	if (!is32) {
		if (src->type == SCALAR_VALUE && !src->id && !tnum_is_const(src->var_off))
			src->id = ++env->id_gen;
		*dst = *src;
		return 0;
	}
	if (reg_is_pointer(src)) {
		if (!env->allow_ptr_leaks)
			return verr(env, EACCES, "R%d partial copy of pointer", insn->src_reg);
		reg_mark_unknown_scalar(dst);
		reg_zext32(dst);
		return 0;
	}
	if (dst != src)
		*dst = *src;
	dst->id = 0;
	reg_zext32(dst);
	return 0;
}

static uint64_t bswap_n(uint64_t v, int bits)
{
	switch (bits) {
	case 16: return __builtin_bswap16((uint16_t)v);
	case 32: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

static int check_end(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *dst = &cur_regs(env)[insn->dst_reg];
	int bits = insn->imm;
	bool swap = BPF_CLASS(insn->code) == BPF_ALU64 || BPF_SRC(insn->code) == BPF_TO_BE;

	if (reg_is_pointer(dst) && !env->allow_ptr_leaks)
		return verr(env, EACCES, "R%d pointer arithmetic prohibited", insn->dst_reg);
	if (dst->type != SCALAR_VALUE) {
		reg_mark_unknown_scalar(dst);
		if (bits < 64)
			scalar_trunc(dst, bits / 8);
		return 0;
	}
	/* The kernel's scalar_byte_swap: a swap moves the known bits with
	 * the bytes (bounds are then what the bits say); a 16- or 32-bit
	 * conversion keeps the low bytes, and a conversion to the host's own
	 * order is nothing more (x86: to_le) */
	if (swap || bits < 64)
		dst->id = 0;
	if (swap) {
		struct tnum t = dst->var_off;

		t = TNUM(bswap_n(t.value, bits), bswap_n(t.mask, bits));
		reg_mark_var_unbounded(dst);
		dst->var_off = t;
		reg_bounds_sync(dst);
	}
	if (bits < 64)
		scalar_trunc(dst, bits / 8);
	return 0;
}

static int check_neg(struct venv *env, const struct bpf_insn *insn, bool is32)
{
	struct reg_state *dst = &cur_regs(env)[insn->dst_reg];
	struct reg_state zero;
	int err;

	if (reg_is_pointer(dst)) {
		if (!env->allow_ptr_leaks)
			return verr(env, EACCES, "R%d pointer arithmetic prohibited", insn->dst_reg);
		reg_mark_unknown_scalar(dst);
		return 0;
	}
	reg_mark_known(&zero, 0);
	err = scalar_alu(&zero, dst, BPF_SUB, is32);
	if (err)
		return err;
	*dst = zero;
	return 0;
}

int check_alu_op(struct venv *env, const struct bpf_insn *insn)
{
	struct reg_state *regs = cur_regs(env);
	uint8_t op = BPF_OP(insn->code);
	bool is32 = BPF_CLASS(insn->code) == BPF_ALU;
	struct reg_state src, *dst = &regs[insn->dst_reg];
	int err;

	if (op != BPF_MOV || BPF_SRC(insn->code) == BPF_X) {
		if (op != BPF_MOV) {
			err = check_reg_read(env, insn->dst_reg);
			if (err)
				return err;
		}
	}
	err = check_reg_write(env, insn->dst_reg);
	if (err)
		return err;

	switch (op) {
	case BPF_MOV:
		return check_mov(env, insn, is32);
	case BPF_END:
		return check_end(env, insn);
	case BPF_NEG:
		return check_neg(env, insn, is32);
	default:
		break;
	}

	if (BPF_SRC(insn->code) == BPF_X) {
		err = check_reg_read(env, insn->src_reg);
		if (err)
			return err;
		src = regs[insn->src_reg];
	} else {
		if ((op == BPF_DIV || op == BPF_MOD) && insn->imm == 0)
			return verr(env, EINVAL, "div by zero");
		if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
		    (insn->imm < 0 || insn->imm >= (is32 ? 32 : 64)))
			return verr(env, EINVAL, "invalid shift %d", insn->imm);
		reg_mark_known(&src, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
	}

	if (is32 && op == BPF_SUB && env->allow_ptr_leaks && (reg_is_pointer(dst) || reg_is_pointer(&src))) {
		/* a meaningless number, which root may compute */
		reg_mark_unknown_scalar(dst);
		reg_zext32(dst);
		return 0;
	}
	if (reg_is_pointer(dst) && reg_is_pointer(&src)) {
		if (op == BPF_SUB && (env->allow_ptr_leaks || same_object_diff(env, dst, &src))) {
			reg_mark_unknown_scalar(dst);
			return 0;
		}
		return verr(env, EACCES, "R%d pointer %s pointer prohibited", insn->dst_reg, op_str(op));
	}
	/* the offset's exact range decides what the pointer may reach */
	if (reg_is_pointer(dst) && BPF_SRC(insn->code) == BPF_X) {
		err = mark_chain_precision(env, insn->src_reg);
		if (err)
			return err;
	} else if (reg_is_pointer(&src)) {
		err = mark_chain_precision(env, insn->dst_reg);
		if (err)
			return err;
	}
	if (reg_is_pointer(dst))
		return adjust_ptr_alu(env, insn, dst, &src, dst);
	if (reg_is_pointer(&src)) {
		struct reg_state ptr = src, off = *dst;

		if (op == BPF_SUB)
			return verr(env, EACCES, "R%d tried to subtract pointer from scalar", insn->dst_reg);
		return adjust_ptr_alu(env, insn, &ptr, &off, dst);
	}
	if ((op == BPF_AND || op == BPF_OR) && !env->legacy && dst->type == SCALAR_VALUE && tnum_is_const(src.var_off)) {
		err = fork_sign_mask(env, insn->dst_reg);
		if (err)
			return err;
	}
	return scalar_alu(dst, &src, op, is32);
}
