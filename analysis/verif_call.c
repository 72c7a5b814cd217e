/* SPDX-License-Identifier: MIT */
/*
 * Calls: helper calls checked against their prototype row (helpers.c) by
 * one generic function, and bpf-to-bpf calls with their call frames.
 *
 * After any call, R1-R5 are unreadable (caller-saved); R0 comes from the
 * prototype's return type, or from the callee's R0 on return from a
 * bpf-to-bpf call. A lookup result that may be NULL gets a fresh id so the
 * NULL check of any copy resolves all copies.
 *
 * Source: check_helper_call, check_func_arg, check_map_func_compatibility,
 * check_func_call and prepare_func_exit of the Linux kernel's
 * kernel/bpf/verifier.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

static const char *const mem_types_str = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";

struct call_meta {
	int32_t map;          /* arg CONST_PTR_TO_MAP, or -1 */
	int mem_regno;        /* last memory argument waiting for its size */
	bool mem_write;
	bool mem_maybe_null;
	uint64_t alloc_size;
	bool key_const;
	uint64_t key;
	uint32_t key_frame, key_spi;
	int32_t func_id;
	int release_regno;    /* argument whose reference the call releases, or -1 */
	uint32_t ref_obj_id;  /* the reference an argument holds, or 0 */
	bool pkt_access;      /* memory arguments may point into the packet */
	uint64_t msize_max;   /* largest size argument */
};

/* Helpers whose memory arguments may be packet pointers (the kernel's
 * .pkt_access) */
static bool helper_pkt_access(int32_t id)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem:
	case BPF_FUNC_map_update_elem:
	case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_csum_diff:
	case BPF_FUNC_sk_lookup_tcp:
	case BPF_FUNC_sk_lookup_udp:
	case BPF_FUNC_skc_lookup_tcp:
	case BPF_FUNC_tcp_check_syncookie:
	case BPF_FUNC_tcp_gen_syncookie:
		return true;
	default:
		return false;
	}
}

static bool fn_releases(const struct call_meta *meta)
{
	return meta->func_id == BPF_FUNC_sk_release;
}

/* Helpers whose result is a new reference the program must release */
static bool is_acquire_function(int32_t id)
{
	return id == BPF_FUNC_sk_lookup_tcp || id == BPF_FUNC_sk_lookup_udp || id == BPF_FUNC_skc_lookup_tcp ||
	       id == BPF_FUNC_ringbuf_reserve;
}

/* Helpers returning another view of their socket argument: the result
 * lives as long as the argument's reference, and dies with its release.
 * (bpf_get_listener_sock is not one: a listener is freed only after an
 * RCU grace period, so its pointer outlives the reference it came from.) */
static bool is_ptr_cast_function(int32_t id)
{
	switch (id) {
	case BPF_FUNC_sk_fullsock:
	case BPF_FUNC_tcp_sock:
	case BPF_FUNC_skc_to_tcp6_sock:
	case BPF_FUNC_skc_to_tcp_sock:
	case BPF_FUNC_skc_to_tcp_timewait_sock:
	case BPF_FUNC_skc_to_tcp_request_sock:
	case BPF_FUNC_skc_to_udp6_sock:
	case BPF_FUNC_skc_to_unix_sock:
	case BPF_FUNC_skc_to_mptcp_sock:
		return true;
	default:
		return false;
	}
}

static bool is_mem_type(enum reg_type t)
{
	return t == PTR_TO_STACK || t == PTR_TO_PACKET || t == PTR_TO_PACKET_META || t == PTR_TO_MAP_KEY ||
	       t == PTR_TO_MAP_VALUE || t == PTR_TO_MEM || t == PTR_TO_BUF;
}

/* The socket type a maybe-NULL socket pointer has once checked */
static enum reg_type sk_type_not_null(enum reg_type t)
{
	switch (t) {
	case PTR_TO_SOCKET_OR_NULL:
		return PTR_TO_SOCKET;
	case PTR_TO_SOCK_COMMON_OR_NULL:
		return PTR_TO_SOCK_COMMON;
	case PTR_TO_TCP_SOCK_OR_NULL:
		return PTR_TO_TCP_SOCK;
	default:
		return t;
	}
}

static int type_err(struct venv *env, uint32_t regno, const struct reg_state *reg, const char *expected)
{
	return verr(env, EACCES, "R%u type=%s expected=%s", regno, reg_type_str(reg->type), expected);
}

static int check_size_arg(struct venv *env, uint32_t regno, enum arg_type t, struct call_meta *meta)
{
	struct reg_state *reg = &cur_regs(env)[regno];
	bool zero_ok = t == ARG_CONST_SIZE_OR_ZERO;
	int err;

	if (reg->type != SCALAR_VALUE)
		return type_err(env, regno, reg, "scalar");
	err = mark_chain_precision(env, regno);
	if (err)
		return err;
	if (reg->smin < 0)
		return verr(env, EACCES, "R%u min value is negative, either use unsigned or 'var &= const'", regno);
	if (reg->umin == 0 && !zero_ok)
		return verr(env, EACCES, "R%u invalid zero-sized read: u64=[%llu,%llu]", regno,
			    (unsigned long long)reg->umin, (unsigned long long)reg->umax);
	if (reg->umax >= BPF_MAX_VAR_SIZ)
		return verr(env, EACCES, "R%u unbounded memory access, use 'var &= const' or 'if (var < const)'", regno);
	meta->msize_max = reg->umax;
	if (meta->mem_regno < 0)
		return 0;
	if (meta->mem_maybe_null && cur_regs(env)[meta->mem_regno].type == SCALAR_VALUE) {
		/* NULL memory goes with size 0 only */
		if (reg->umax > 0)
			return type_err(env, (uint32_t)meta->mem_regno, &cur_regs(env)[meta->mem_regno], mem_types_str);
		return 0;
	}
	err = check_helper_mem_access(env, (uint32_t)meta->mem_regno, (int)reg->umax, meta->mem_write, zero_ok,
				      meta->pkt_access);
	meta->mem_regno = -1;
	return err;
}

static int check_map_arg(struct venv *env, uint32_t regno, enum arg_type t, struct call_meta *meta)
{
	struct reg_state *reg = &cur_regs(env)[regno];
	const struct bpfs_map_spec *m;
	uint32_t size;

	if (meta->map < 0)
		return verr(env, EACCES, "invalid map_ptr to access map->%s", t == ARG_PTR_TO_MAP_KEY ? "key" : "value");
	if (t == ARG_PTR_TO_MAP_VALUE_OR_NULL && reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0))
		return 0;
	if (!is_mem_type(reg->type))
		return type_err(env, regno, reg, mem_types_str);
	m = &env->maps[meta->map];
	size = t == ARG_PTR_TO_MAP_KEY ? m->key_size : m->value_size;
	if (t == ARG_PTR_TO_MAP_KEY) {
		meta->key_const = stack_const_key(env, reg, size, &meta->key);
		meta->key_frame = reg->frameno;
		meta->key_spi = (uint32_t)(-(reg->off + (int)reg->var_off.value) - 1) / BPF_REG_SIZE;
	}
	return check_helper_mem_access(env, regno, (int)size, t == ARG_PTR_TO_UNINIT_MAP_VALUE, false, meta->pkt_access);
}

/* A NUL-terminated string at a constant place in a frozen read-only map
 * value (the kernel's check_reg_const_str); the loader freezes the
 * read-only sections it creates */
static int check_const_str(struct venv *env, uint32_t regno)
{
	struct reg_state *reg = &cur_regs(env)[regno];
	const struct bpfs_map_spec *m;
	const char *data;
	int err;

	if (reg->type != PTR_TO_MAP_VALUE)
		return type_err(env, regno, reg, "map_value");
	m = &env->maps[reg->map];
	if (!m->internal || !((m->flags & BPF_F_RDONLY_PROG) || (m->name && !strncmp(m->name, ".rodata", 7))))
		return verr(env, EACCES, "R%u does not point to a readonly map'", regno);
	if (!tnum_is_const(reg->var_off))
		return verr(env, EACCES, "R%u is not a constant address'", regno);
	err = check_map_region(env, regno, reg->off, (int)m->value_size - reg->off);
	if (err)
		return err;
	data = m->init_data;
	if (data && !memchr(data + reg->off + reg->var_off.value, 0,
			    m->value_size - (uint32_t)reg->off - (uint32_t)reg->var_off.value))
		return verr(env, EINVAL, "string is not zero-terminated");
	return 0;
}

static int check_func_arg(struct venv *env, uint32_t regno, enum arg_type t, struct call_meta *meta)
{
	struct reg_state *reg = &cur_regs(env)[regno];
	int err;

	if (t == ARG_DONTCARE)
		return 0;
	err = check_reg_read(env, regno);
	if (err)
		return err;
	if (reg->ref_obj_id && t != ARG_ANYTHING) {
		if (meta->ref_obj_id)
			return verr(env, EFAULT, "verifier internal error: more than one arg with ref_obj_id R%u %u %u",
				    regno, reg->ref_obj_id, meta->ref_obj_id);
		meta->ref_obj_id = reg->ref_obj_id;
	}
	switch (t) {
	case ARG_ANYTHING:
		if (reg_is_pointer(reg) && !env->allow_ptr_leaks)
			return verr(env, EACCES, "R%u leaks addr into helper function", regno);
		return 0;
	case ARG_CONST_MAP_PTR:
		if (reg->type != CONST_PTR_TO_MAP)
			return type_err(env, regno, reg, "map_ptr");
		if (reg->map < 0 || (size_t)reg->map >= env->map_cnt)
			return verr(env, EINVAL, "R%u is a map of maps' inner map without a declaration", regno);
		meta->map = reg->map;
		return 0;
	case ARG_PTR_TO_MAP_KEY:
	case ARG_PTR_TO_MAP_VALUE:
	case ARG_PTR_TO_MAP_VALUE_OR_NULL:
	case ARG_PTR_TO_UNINIT_MAP_VALUE:
		return check_map_arg(env, regno, t, meta);
	case ARG_PTR_TO_CONST_STR:
		return check_const_str(env, regno);
	case ARG_PTR_TO_SPIN_LOCK:
		if (reg->type != PTR_TO_MAP_VALUE)
			return type_err(env, regno, reg, "map_value, ptr_");
		return verr(env, EINVAL, "map '%s' has to have BTF in order to use bpf_spin_lock",
			    env->maps[reg->map].name ? env->maps[reg->map].name : "");
	case ARG_PTR_TO_KERNEL_BTF:
		return type_err(env, regno, reg, "ptr_, trusted_ptr_, rcu_ptr_");
	case ARG_PTR_TO_U32:
		if (!is_mem_type(reg->type))
			return type_err(env, regno, reg, mem_types_str);
		return check_helper_mem_access(env, regno, (int)sizeof(uint32_t), true, false, meta->pkt_access);
	case ARG_PTR_TO_MEM_OR_NULL:
		if (reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0)) {
			meta->mem_regno = (int)regno;
			meta->mem_maybe_null = true;
			meta->mem_write = false;
			return 0;
		}
		/* fallthrough */
	case ARG_PTR_TO_MEM:
	case ARG_PTR_TO_UNINIT_MEM:
		if (!is_mem_type(reg->type))
			return type_err(env, regno, reg, mem_types_str);
		meta->mem_regno = (int)regno;
		meta->mem_write = t == ARG_PTR_TO_UNINIT_MEM;
		meta->mem_maybe_null = false;
		return 0;
	case ARG_CONST_SIZE:
	case ARG_CONST_SIZE_OR_ZERO:
		return check_size_arg(env, regno, t, meta);
	case ARG_PTR_TO_CTX_OR_NULL:
		if (reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0))
			return 0;
		/* fallthrough */
	case ARG_PTR_TO_CTX:
		if (reg->type != PTR_TO_CTX)
			return type_err(env, regno, reg, "ctx");
		return check_ptr_off_reg(env, regno, reg);
	case ARG_CONST_ALLOC_SIZE:
		if (reg->type != SCALAR_VALUE || !tnum_is_const(reg->var_off))
			return verr(env, EACCES, "R%u is not a known constant'", regno);
		meta->alloc_size = reg->var_off.value;
		return mark_chain_precision(env, regno);
	case ARG_PTR_TO_ALLOC_MEM:
		if (reg->type != PTR_TO_MEM)
			return type_err(env, regno, reg, "ringbuf_mem");
		if (reg->off)
			return verr(env, EINVAL,
				    "R%u must have zero offset when passed to release func or trusted arg to kfunc", regno);
		err = check_ptr_off_reg(env, regno, reg);
		if (err)
			return err;
		meta->release_regno = (int)regno;
		return 0;
	case ARG_PTR_TO_SOCKET:
		if (reg->type != PTR_TO_SOCKET)
			return type_err(env, regno, reg, "sock");
		return 0;
	case ARG_PTR_TO_SOCK_COMMON:
		if (!type_is_sk_pointer(reg->type))
			return type_err(env, regno, reg, "sock_common, sock, tcp_sock, xdp_sock");
		return 0;
	case ARG_PTR_TO_BTF_ID_SOCK_COMMON:
		/* BTF pointers here are the sockets bpf_skc_to_*() returned */
		if (!type_is_sk_pointer(reg->type) && reg->type != PTR_TO_BTF_ID)
			return type_err(env, regno, reg, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
		if (fn_releases(meta))
			meta->release_regno = (int)regno;
		return 0;
	case ARG_PTR_TO_BTF_ID_SOCK_COMMON_OR_NULL:
		/* a maybe-NULL argument takes maybe-NULL pointers too */
		if (type_is_sk_pointer(reg->type) || type_is_sk_pointer(sk_type_not_null(reg->type)) ||
		    reg->type == PTR_TO_BTF_ID || reg->type == PTR_TO_BTF_ID_OR_NULL ||
		    (reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0)))
			return 0;
		return type_err(env, regno, reg, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_");
	case ARG_PTR_TO_LONG:
		/* the helper stores a long there: any memory it may write,
		 * initialised or not, aligned even where loads need not be */
		if (!is_mem_type(reg->type))
			return type_err(env, regno, reg, mem_types_str);
		err = check_helper_mem_access(env, regno, (int)sizeof(int64_t), true, false, meta->pkt_access);
		return err ? err : check_ptr_alignment_strict(env, regno, (int)sizeof(int64_t));
	case ARG_PTR_TO_STACK_OR_NULL:
		if (reg->type == PTR_TO_STACK || (reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0)))
			return 0;
		return type_err(env, regno, reg, "fp");
	default:
		return verr(env, EINVAL, "unsupported arg type %d", t);
	}
}

/* Map types usable only by the helpers that name them */
static bool map_type_special(uint32_t t)
{
	switch (t) {
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_BLOOM_FILTER:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
		return true;
	default:
		return false;
	}
}

static int check_map_func_compat(struct venv *env, const struct helper_proto *fn, int32_t map, const char *name)
{
	uint32_t t;

	if (map < 0)
		return 0;
	t = env->maps[map].type;
	if (fn->id == BPF_FUNC_tail_call && t != BPF_MAP_TYPE_PROG_ARRAY)
		return verr(env, EINVAL, "expected prog array map for tail call");
	if (fn->map_type_req ? !(fn->map_type_req & (1ull << t)) : map_type_special(t))
		return verr(env, EINVAL, "cannot pass map_type %u into func bpf_%s#%d", t, name, fn->id);
	return 0;
}

static void clobber_caller_saved(struct venv *env)
{
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		reg_mark_not_init(&cur_regs(env)[i]);
}

/* Helpers that return a length of at most their size argument, or a
 * negative errno */
static void refine_retval_range(int32_t id, const struct call_meta *meta, struct reg_state *r0)
{
	switch (id) {
	case BPF_FUNC_get_stack:
	case BPF_FUNC_probe_read_str:
	case BPF_FUNC_probe_read_user_str:
	case BPF_FUNC_probe_read_kernel_str:
		r0->smin = -4095;
		r0->smax = (int64_t)meta->msize_max;
		r0->s32_min = -4095;
		r0->s32_max = (int32_t)meta->msize_max;
		reg_bounds_sync(r0);
		break;
	default:
		break;
	}
}

static int set_ret(struct venv *env, const struct helper_proto *fn, const struct call_meta *meta)
{
	struct reg_state *r0 = &cur_regs(env)[BPF_REG_0];

	switch (fn->ret) {
	case RET_VOID:
		reg_mark_not_init(r0);
		break;
	case RET_PTR_TO_MAP_VALUE_OR_NULL: {
		const struct bpfs_map_spec *m = &env->maps[meta->map];
		bool array = m->type == BPF_MAP_TYPE_ARRAY || m->type == BPF_MAP_TYPE_PERCPU_ARRAY;

		reg_mark_not_init(r0);
		reg_mark_var_known(r0, 0);
		r0->map = meta->map;
		if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
			r0->type = CONST_PTR_TO_MAP_OR_NULL;
			r0->map = m->inner_map;
			r0->id = ++env->id_gen;
			break;
		}
		/* arrays looked up with a constant in-range key cannot fail; not
		 * an inner map's template, whose max_entries the maps that take
		 * its place need not share */
		if (!env->legacy && array && !(m->flags & BPF_F_INNER_MAP) && meta->key_const && meta->key < m->max_entries &&
		    fn->id == BPF_FUNC_map_lookup_elem) {
			r0->type = PTR_TO_MAP_VALUE;
			mark_slot_precision(env, meta->key_frame, meta->key_spi);
		} else {
			r0->type = PTR_TO_MAP_VALUE_OR_NULL;
			r0->id = ++env->id_gen;
		}
		break;
	}
	case RET_PTR_TO_MAP_VALUE:
		/* the cgroup's own storage always exists */
		reg_mark_not_init(r0);
		reg_mark_var_known(r0, 0);
		r0->type = PTR_TO_MAP_VALUE;
		r0->map = meta->map;
		break;
	case RET_PTR_TO_MEM_OR_NULL:
		reg_mark_not_init(r0);
		reg_mark_var_known(r0, 0);
		r0->type = PTR_TO_MEM_OR_NULL;
		r0->mem_size = (uint32_t)meta->alloc_size;
		r0->id = ++env->id_gen;
		r0->ref_obj_id = r0->id;
		return acquire_reference(env, r0->id);
	case RET_PTR_TO_SOCKET_OR_NULL:
	case RET_PTR_TO_SOCKET:
	case RET_PTR_TO_SOCK_COMMON_OR_NULL:
	case RET_PTR_TO_TCP_SOCK_OR_NULL:
	case RET_PTR_TO_BTF_ID_OR_NULL:
		reg_mark_not_init(r0);
		reg_mark_var_known(r0, 0);
		r0->type = fn->ret == RET_PTR_TO_SOCKET		     ? PTR_TO_SOCKET
			   : fn->ret == RET_PTR_TO_SOCK_COMMON_OR_NULL ? PTR_TO_SOCK_COMMON_OR_NULL
			   : fn->ret == RET_PTR_TO_TCP_SOCK_OR_NULL    ? PTR_TO_TCP_SOCK_OR_NULL
			   : fn->ret == RET_PTR_TO_BTF_ID_OR_NULL      ? PTR_TO_BTF_ID_OR_NULL
								       : PTR_TO_SOCKET_OR_NULL;
		if (type_may_be_null(r0->type))
			r0->id = ++env->id_gen;
		if (is_ptr_cast_function(fn->id)) {
			r0->ref_obj_id = meta->ref_obj_id;
		} else if (is_acquire_function(fn->id)) {
			r0->id = r0->id ? r0->id : ++env->id_gen;
			r0->ref_obj_id = r0->id;
			return acquire_reference(env, r0->id);
		}
		break;
	default:
		reg_mark_unknown_scalar(r0);
		refine_retval_range(fn->id, meta, r0);
		break;
	}
	return 0;
}

int check_helper_call(struct venv *env, const struct bpf_insn *insn)
{
	int32_t id = insn->imm;
	const char *name = bpfs_helper_name(id);
	const struct helper_proto *fn;
	struct call_meta meta = { .map = -1, .mem_regno = -1, .func_id = id, .release_regno = -1,
				  .pkt_access = helper_pkt_access(id) };
	int err;

	if (id == 0)
		return verr(env, EINVAL, "program of this type cannot use helper bpf_unspec#0");
	if (id < 0 || !name)
		return verr(env, EINVAL, "invalid func unknown#%d", id);
	fn = helper_proto_for(id, env->opts->prog_type);
	if (!fn || !helper_allowed(fn, env->opts))
		return verr(env, EINVAL, "program of this type cannot use helper bpf_%s#%d", name, id);
	if (id == BPF_FUNC_tail_call && cur_frame(env)->subprog && !env->has_func_info)
		return verr(env, EINVAL, "tail_call is not allowed in subprogs without BTF");
	if (fn->gpl_only && !env->gpl)
		return verr(env, EINVAL, "cannot call GPL-restricted function from non-GPL compatible program");
	if (fn->might_sleep && !(env->opts->prog_flags & BPF_F_SLEEPABLE))
		return verr(env, EINVAL, "helper call might sleep in a non-sleepable prog");
	for (uint32_t i = 0; i < 5; i++) {
		err = check_func_arg(env, BPF_REG_1 + i, fn->arg[i], &meta);
		if (err)
			return err;
	}
	if (meta.mem_regno >= 0 && !meta.mem_maybe_null)
		return verr(env, EINVAL, "bpf_%s#%d: memory argument R%d without a size", name, id, meta.mem_regno);
	err = check_map_func_compat(env, fn, meta.map, name);
	if (err)
		return err;
	if ((fn->ret == RET_PTR_TO_MAP_VALUE_OR_NULL || fn->ret == RET_PTR_TO_MAP_VALUE) && meta.map < 0)
		return verr(env, EINVAL, "kernel subsystem misconfigured verifier");
	if (meta.release_regno >= 0) {
		/* a pointer derived from a reference releases that reference */
		uint32_t ref = cur_regs(env)[meta.release_regno].ref_obj_id;

		if (!ref)
			return verr(env, EINVAL, "R%d must be referenced when passed to release function",
				    meta.release_regno);
		err = release_reference(env, ref);
		if (err)
			return verr(env, EINVAL, "R%d must be referenced when passed to release function",
				    meta.release_regno);
	}
	if (id == BPF_FUNC_tail_call) {
		err = check_reference_leak(env, "tail_call");
		if (err)
			return err;
	}
	if (fn->pkt_changing)
		mark_pkt_pointers_unknown(env);
	clobber_caller_saved(env);
	return set_ret(env, fn, &meta);
}

/* ---------------------------------------------------------------------- */
/* bpf-to-bpf calls */

int check_func_call(struct venv *env, const struct bpf_insn *insn, uint32_t *next_idx)
{
	uint32_t target = env->insn_idx + (uint32_t)insn->imm + 1;
	struct vstate *st = &env->cur;
	struct func_state *caller = cur_frame(env), *callee;

	if (st->curframe + 1 >= MAX_CALL_FRAMES)
		return verr(env, E2BIG, "the call stack of %u frames is too deep", st->curframe + 2);
	if (target >= env->cnt)
		return verr(env, EINVAL, "jump out of range from insn %u to %u", env->insn_idx, target);
	if (subprog_is_global(env, env->cfg->blocks[env->cfg->insn_block[target]].subprog))
		return global_func_call(env, env->cfg->blocks[env->cfg->insn_block[target]].subprog, next_idx);
	callee = calloc(1, sizeof(*callee));
	if (!callee)
		return -ENOMEM;
	callee->frameno = st->curframe + 1;
	callee->callsite = (int32_t)env->insn_idx;
	callee->subprog = env->cfg->blocks[env->cfg->insn_block[target]].subprog;
	for (int i = 0; i <= BPFS_MAX_REG; i++)
		reg_mark_not_init(&callee->regs[i]);
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		callee->regs[i] = caller->regs[i];
	callee->regs[BPF_REG_10].type = PTR_TO_STACK;
	reg_mark_var_known(&callee->regs[BPF_REG_10], 0);
	callee->regs[BPF_REG_10].frameno = callee->frameno;
	for (int i = BPF_REG_0; i <= BPF_REG_5; i++)
		reg_mark_not_init(&caller->regs[i]);
	env->calls[caller->subprog * env->cfg->nsubprogs + callee->subprog] = 1;
	st->curframe++;
	st->frame[st->curframe] = callee;
	*next_idx = target;
	return 0;
}

int prepare_func_exit(struct venv *env, uint32_t *next_idx)
{
	struct vstate *st = &env->cur;
	struct func_state *callee = cur_frame(env), *caller = st->frame[st->curframe - 1];
	struct reg_state *r0 = &callee->regs[BPF_REG_0];

	if (r0->type == PTR_TO_STACK && r0->frameno == callee->frameno)
		return verr(env, EINVAL, "cannot return stack pointer to the caller frame");
	caller->regs[BPF_REG_0] = *r0;
	*next_idx = (uint32_t)callee->callsite + 1;
	free(callee->stack);
	free(callee);
	st->frame[st->curframe] = NULL;
	st->curframe--;
	return 0;
}
