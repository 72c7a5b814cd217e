/* SPDX-License-Identifier: MIT */
/*
 * Global functions: subprograms whose BTF FUNC has global linkage. The
 * kernel verifies each of them once, on its own, for any arguments its
 * BTF prototype allows, instead of walking into it at every call:
 *
 *  - the prototype gives each argument a kind: an integer or enum is any
 *    scalar; a pointer to the program type's context struct is the
 *    context; any other pointer to a type of known size is memory of that
 *    size, or NULL; anything else is refused;
 *  - at a call, the caller's registers are checked against those kinds
 *    ("Caller passes invalid args into func#N ('name')"), R1-R5 are
 *    clobbered and R0 becomes an unknown scalar; the walk goes on after
 *    the call ("Func#N ('name') is global and assumed valid.");
 *  - after the main program, every global function that some verified
 *    code calls is verified from its first instruction, its registers set
 *    from the prototype, until no new one is called ("Func#N ('name') is
 *    safe for any args that match its prototype"). Its exit must leave a
 *    scalar in R0. Its stack is a root of its own
 *    for the combined stack size; its frames count toward the call depth.
 *
 * Requires: env->cfg, opts->btf and opts->func_info (without them no
 * subprogram is global and calls are walked as static ones). Source: the
 * kernel's btf_prepare_func_args, btf_check_subprog_call and
 * do_check_subprogs (kernel/bpf/btf.c, kernel/bpf/verifier.c), re-derived.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

/* The uapi context struct each program type's functions take (libbpf's
 * and the kernel's table of context types). */
static const char *ctx_struct(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return "__sk_buff";
	case BPF_PROG_TYPE_XDP:
		return "xdp_md";
	case BPF_PROG_TYPE_CGROUP_SOCK:
		return "bpf_sock";
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		return "bpf_sock_addr";
	case BPF_PROG_TYPE_SOCK_OPS:
		return "bpf_sock_ops";
	case BPF_PROG_TYPE_SK_MSG:
		return "sk_msg_md";
	case BPF_PROG_TYPE_KPROBE:
		return "bpf_user_pt_regs_t";
	case BPF_PROG_TYPE_PERF_EVENT:
		return "bpf_perf_event_data";
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
		return "bpf_raw_tracepoint_args";
	case BPF_PROG_TYPE_CGROUP_DEVICE:
		return "bpf_cgroup_dev_ctx";
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
		return "bpf_sysctl";
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return "bpf_sockopt";
	case BPF_PROG_TYPE_SK_REUSEPORT:
		return "sk_reuseport_md";
	case BPF_PROG_TYPE_SK_LOOKUP:
		return "bpf_sk_lookup";
	default:
		return NULL;
	}
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *out)
{
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return NULL;
		if (!btf_is_mod(t) && !btf_is_typedef(t)) {
			if (out)
				*out = id;
			return t;
		}
		id = t->type;
	}
	return NULL;
}

/* A pointer to the program type's context: `struct __sk_buff *` for a
 * socket filter, or the typedef the uapi names (bpf_user_pt_regs_t). */
static bool is_ctx_ptr(const struct btf *btf, const struct btf_type *ptr, uint32_t prog_type)
{
	const char *want = ctx_struct(prog_type);
	uint32_t id = ptr->type;

	if (prog_type == BPF_PROG_TYPE_TRACING || prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	    prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE) {
		const struct btf_type *t = skip_mods(btf, id, NULL);

		if (t && btf_is_int(t) && t->size == 8)
			return true; /* u64 *ctx: the arguments */
	}
	if (!want)
		return false;
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!t)
			return false;
		name = btf__name_by_offset(btf, t->name_off);
		if ((btf_is_typedef(t) || btf_is_struct(t)) && name && !strcmp(name, want))
			return true;
		if (!btf_is_mod(t) && !btf_is_typedef(t))
			return false;
		id = t->type;
	}
	return false;
}

static const char *kind_str(const struct btf_type *t)
{
	static const char *const names[] = {
		"UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
		"CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
	};

	return t && btf_kind(t) < sizeof(names) / sizeof(names[0]) ? names[btf_kind(t)] : "UNKNOWN";
}

/* The kinds of a global function's arguments, from its prototype. */
static int prepare_args(struct venv *env, struct subprog_info *si)
{
	const struct btf *btf = bpfs_btf_libbpf(env->opts->btf);
	const struct btf_type *fn = btf__type_by_id(btf, si->type_id), *proto, *t;
	const struct btf_param *params;

	if (si->prepared)
		return si->prep_err;
	si->prepared = true;
	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return si->prep_err = verr(env, EINVAL, "Invalid type of function %s()", si->name);
	si->nargs = btf_vlen(proto);
	if (si->nargs > 5)
		return si->prep_err = verr(env, EINVAL, "Global function %s() with %u > 5 args. Buggy compiler.", si->name,
					   si->nargs);
	t = skip_mods(btf, proto->type, NULL);
	if (!t || (!btf_is_int(t) && !btf_is_any_enum(t)))
		return si->prep_err = verr(env, EINVAL, "Global function %s() doesn't return scalar. Only those are supported.",
					   si->name);
	params = btf_params(proto);
	for (uint32_t i = 0; i < si->nargs; i++) {
		t = skip_mods(btf, params[i].type, NULL);
		if (t && btf_is_ptr(t) && is_ctx_ptr(btf, t, env->opts->prog_type)) {
			si->arg[i] = GARG_CTX;
			continue;
		}
		if (t && btf_is_ptr(t)) {
			uint32_t pointee = 0;
			const struct btf_type *p = skip_mods(btf, t->type, &pointee);
			int64_t size = p ? btf__resolve_size(btf, pointee) : -EINVAL;

			if (size <= 0 || size > INT32_MAX)
				return si->prep_err = verr(env, EINVAL, "arg#%u reference type('%s %s') size cannot be determined: %lld",
							   i, kind_str(p), p ? btf__name_by_offset(btf, p->name_off) : "",
							   (long long)(size <= 0 ? -EINVAL : -E2BIG));
			si->arg[i] = GARG_MEM_OR_NULL;
			si->mem_size[i] = (uint32_t)size;
			continue;
		}
		if (t && (btf_is_int(t) || btf_is_any_enum(t))) {
			si->arg[i] = GARG_SCALAR;
			continue;
		}
		return si->prep_err = verr(env, EINVAL, "Arg#%u type %s in %s() is not supported yet.", i, kind_str(t),
					   si->name);
	}
	return 0;
}

/* libbpf gives hidden functions static linkage in the BTF it loads. */
static bool hidden(const struct bpfs_verifier_opts *o, uint32_t start)
{
	for (size_t i = 0; i < o->nfuncs; i++)
		if (o->funcs[i].start == start)
			return o->funcs[i].hidden;
	return false;
}

int global_funcs_init(struct venv *env)
{
	const struct bpfs_verifier_opts *o = env->opts;
	const struct btf *btf = bpfs_btf_libbpf(o->btf);

	env->sub = calloc(env->cfg->nsubprogs ? env->cfg->nsubprogs : 1, sizeof(*env->sub));
	if (!env->sub)
		return -ENOMEM;
	if (!btf || !o->nfunc_info)
		return 0;
	env->has_func_info = true;
	for (uint32_t s = 0; s < env->cfg->nsubprogs; s++) {
		for (size_t k = 0; k < o->nfunc_info; k++) {
			const struct btf_type *t;

			if (o->func_info[k].insn != env->cfg->subprogs[s].start)
				continue;
			t = btf__type_by_id(btf, o->func_info[k].type_id);
			if (!t || !btf_is_func(t))
				break;
			env->sub[s].type_id = o->func_info[k].type_id;
			env->sub[s].name = btf__name_by_offset(btf, t->name_off);
			env->sub[s].global = s > 0 && btf_vlen(t) == BTF_FUNC_GLOBAL && !hidden(o, env->cfg->subprogs[s].start);
			break;
		}
	}
	return 0;
}

bool subprog_is_global(const struct venv *env, uint32_t s)
{
	return env->sub && env->sub[s].global;
}

/* The caller's registers against the prototype (btf_check_subprog_call). */
static int check_args(struct venv *env, struct subprog_info *si)
{
	struct reg_state *regs = cur_regs(env);

	for (uint32_t i = 0; i < si->nargs; i++) {
		uint32_t regno = BPF_REG_1 + i;
		const struct reg_state *r = &regs[regno];
		int err;

		switch (si->arg[i]) {
		case GARG_SCALAR:
			if (r->type != SCALAR_VALUE)
				return verr(env, EINVAL, "R%u is not a scalar", regno);
			break;
		case GARG_CTX:
			if (r->type != PTR_TO_CTX)
				return verr(env, EINVAL, "arg#%u expects pointer to ctx", i);
			if (r->off || !tnum_equals_const(r->var_off, 0))
				return verr(env, EACCES, "R%u modified ctx ptr disallowed", regno);
			break;
		case GARG_MEM_OR_NULL: {
			struct reg_state saved = *r;

			if (r->type == SCALAR_VALUE && tnum_equals_const(r->var_off, 0))
				break; /* NULL */
			/* a pointer that may be NULL is checked as if it were not:
			 * the callee checks for NULL itself */
			if (r->type == PTR_TO_BUF_OR_NULL)
				regs[regno].type = PTR_TO_BUF;
			else if (r->type == PTR_TO_MAP_VALUE_OR_NULL)
				regs[regno].type = PTR_TO_MAP_VALUE;
			else if (r->type == PTR_TO_MEM_OR_NULL)
				regs[regno].type = PTR_TO_MEM;
			err = check_helper_mem_access(env, regno, (int)si->mem_size[i], false, true, true);
			if (!err)
				err = check_helper_mem_access(env, regno, (int)si->mem_size[i], true, true, true);
			regs[regno] = saved;
			if (err)
				return err;
			break;
		}
		}
	}
	return 0;
}

int global_func_call(struct venv *env, uint32_t callee, uint32_t *next_idx)
{
	struct subprog_info *si = &env->sub[callee];
	struct reg_state *regs = cur_regs(env);
	int err = prepare_args(env, si);

	if (!err) {
		err = check_args(env, si);
		if (err)
			verr_line(env, "Caller passes invalid args into func#%u ('%s')", callee, si->name);
	}
	if (err)
		return err;
	vlog_printf(&env->log, "Func#%u ('%s') is global and assumed valid.\n", callee, si->name);
	si->called = true;
	env->calls[cur_frame(env)->subprog * env->cfg->nsubprogs + callee] = 1; /* for the frame count */
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		reg_mark_not_init(&regs[i]);
	reg_mark_unknown_scalar(&regs[BPF_REG_0]);
	*next_idx = env->insn_idx + 1;
	return 0;
}

/* A fresh walk from the function's first instruction, its arguments as
 * the prototype says. */
static int enter(struct venv *env, uint32_t s)
{
	struct subprog_info *si = &env->sub[s];
	struct func_state *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	vstate_free(&env->cur);
	memset(&env->cur, 0, sizeof(env->cur));
	for (int i = 0; i <= BPFS_MAX_REG; i++)
		reg_mark_not_init(&f->regs[i]);
	for (uint32_t i = 0; i < si->nargs; i++) {
		struct reg_state *r = &f->regs[BPF_REG_1 + i];

		switch (si->arg[i]) {
		case GARG_SCALAR:
			reg_mark_unknown_scalar(r);
			break;
		case GARG_CTX:
			r->type = PTR_TO_CTX;
			reg_mark_var_known(r, 0);
			break;
		case GARG_MEM_OR_NULL:
			r->type = PTR_TO_BUF_OR_NULL;
			reg_mark_var_known(r, 0);
			r->mem_size = si->mem_size[i];
			r->id = ++env->id_gen;
			break;
		}
	}
	f->regs[BPF_REG_10].type = PTR_TO_STACK;
	reg_mark_var_known(&f->regs[BPF_REG_10], 0);
	f->subprog = s;
	f->callsite = -1;
	env->cur.frame[0] = f;
	env->insn_idx = env->prev_insn_idx = env->cfg->subprogs[s].start;
	env->cur_global = s;
	return 0;
}

int verify_global_funcs(struct venv *env)
{
	bool again = true;

	while (again) {
		again = false;
		for (uint32_t s = 1; s < env->cfg->nsubprogs; s++) {
			struct subprog_info *si = &env->sub[s];
			int err;

			if (!si->global || !si->called || si->verified)
				continue;
			si->verified = again = true;
			err = prepare_args(env, si);
			if (!err)
				err = enter(env, s);
			if (!err)
				err = do_check(env);
			if (err)
				return err;
			if (env->log.level)
				vlog_printf(&env->log, "Func#%u ('%s') is safe for any args that match its prototype\n", s,
					    si->name);
		}
	}
	env->cur_global = 0;
	return 0;
}
