/* SPDX-License-Identifier: MIT */
/*
 * Memory accesses of the walk: loads and stores through the stack, map
 * values, packets, the context, ring buffer records and sockets, and the
 * memory arguments of helpers.
 *
 * Invariants kept here:
 * - the stack is tracked per byte (enum stack_slot_type); a register is
 *   spilled only by an 8-byte store at an 8-byte aligned slot, and any
 *   narrower store into a spilled slot scrubs the whole slot to STACK_MISC;
 * - an access is checked for its whole range against the region's size
 *   using the pointer's fixed offset plus its variable offset bounds, so
 *   that every concrete address the pointer may hold is in bounds;
 * - a loaded scalar of size < 8 is zero-extended (its bounds say so).
 *
 * Source: check_mem_access, check_stack_read/write, check_map_access,
 * check_packet_access, check_ctx_access and check_helper_mem_access in the
 * Linux kernel's kernel/bpf/verifier.c; messages keep the kernel wording.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

static const char *const mem_types_str = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";

/* ---------------------------------------------------------------------- */
/* The stack */

static uint8_t *stack_byte(struct func_state *f, int off)
{
	uint32_t spi = (uint32_t)(-off - 1) / BPF_REG_SIZE;

	return &f->stack[spi].type[(off + MAX_BPF_STACK) % BPF_REG_SIZE];
}

static struct stack_slot *stack_slot_of(struct func_state *f, int off)
{
	return &f->stack[(uint32_t)(-off - 1) / BPF_REG_SIZE];
}

static bool slot_is_spill(const struct stack_slot *s)
{
	return s->type[0] == STACK_SPILL;
}

/* Bytes of a spill, from the slot's lowest address */
static int spill_size(const struct stack_slot *s)
{
	int n = 0;

	while (n < BPF_REG_SIZE && s->type[n] == STACK_SPILL)
		n++;
	return n;
}

/* Any narrower write into a spilled slot turns it into plain bytes */
static void scrub_slot(struct stack_slot *s)
{
	if (!slot_is_spill(s))
		return;
	uint8_t live = s->spilled.live;

	for (int i = 0; i < BPF_REG_SIZE; i++)
		if (s->type[i] != STACK_ZERO)
			s->type[i] = STACK_MISC;
	reg_mark_not_init(&s->spilled);
	s->spilled.live = live;
}

/* Marks the slots of [lo, hi) of frame f read */
static void mark_stack_read(struct venv *env, uint32_t frameno, int lo, int hi)
{
	for (int o = lo; o < hi; o++)
		if (o < 0 && (o == lo || !((o + MAX_BPF_STACK) % BPF_REG_SIZE)))
			mark_read(env, frameno, -1 - (-o - 1) / BPF_REG_SIZE);
}

static void note_depth(struct venv *env, struct func_state *f, int min_off)
{
	uint32_t d = (uint32_t)-min_off;

	if (d > env->stack_depth[f->subprog])
		env->stack_depth[f->subprog] = d;
}

static int check_stack_bounds(struct venv *env, uint32_t regno, const struct reg_state *reg, int off, int size,
			      const char *what)
{
	int64_t min_off, max_off;

	if (tnum_is_const(reg->var_off)) {
		min_off = max_off = (int64_t)off + (int64_t)reg->var_off.value;
	} else {
		if (reg->smax >= BPF_MAX_VAR_OFF || reg->smin <= -BPF_MAX_VAR_OFF)
			return verr(env, EACCES, "invalid unbounded variable-offset%s stack R%u", what, regno);
		min_off = reg->smin + off;
		max_off = reg->smax + off;
	}
	/* the first byte must be in the frame even when no byte is accessed */
	if (min_off < -MAX_BPF_STACK || min_off >= 0 || max_off + size > 0) {
		char t[64];

		if (tnum_is_const(reg->var_off))
			return verr(env, EACCES, "invalid%s stack R%u off=%lld size=%d", what, regno,
				    (long long)min_off, size);
		tnum_snprint(t, sizeof(t), reg->var_off);
		return verr(env, EACCES, "invalid variable-offset%s stack R%u var_off=%s off=%d size=%d", what, regno, t,
			    off, size);
	}
	return 0;
}

static int check_stack_write(struct venv *env, uint32_t regno, const struct reg_state *reg, int off, int size,
			     const struct reg_state *val, bool is_st_imm)
{
	struct func_state *f = env->cur.frame[reg->frameno];
	int err;

	err = check_stack_bounds(env, regno, reg, off, size, " write to");
	if (err)
		return err;
	if (!tnum_is_const(reg->var_off)) {
		int min_off = (int)(reg->smin + off), max_off = (int)(reg->smax + off) + size;
		bool zero = val && val->type == SCALAR_VALUE && tnum_equals_const(val->var_off, 0);

		if (!env->allow_ptr_leaks)
			return verr(env, EACCES, "R%u variable stack access prohibited for !root, var_off=... off=%d", regno,
				    off);
		err = frame_grow_stack(f, (uint32_t)(-min_off + BPF_REG_SIZE - 1) / BPF_REG_SIZE);
		if (err)
			return err;
		note_depth(env, f, min_off);
		for (int o = min_off; o < max_off; o++) {
			uint8_t *b = stack_byte(f, o);

			scrub_slot(stack_slot_of(f, o));
			if (!(zero && *b == STACK_ZERO))
				*b = STACK_MISC;
		}
		return 0;
	}

	off += (int)reg->var_off.value;
	err = frame_grow_stack(f, (uint32_t)(-off + BPF_REG_SIZE - 1) / BPF_REG_SIZE);
	if (err)
		return err;
	note_depth(env, f, off);

	struct stack_slot *slot = stack_slot_of(f, off);
	bool aligned8 = size == BPF_REG_SIZE && !(off % BPF_REG_SIZE);

	if (val && reg_is_pointer(val)) {
		if (val->type == PTR_TO_STACK && f != cur_frame(env))
			return verr(env, EINVAL, "cannot spill pointers to stack into stack frame of the caller");
		if (size != BPF_REG_SIZE)
			return verr(env, EACCES, "invalid size of register spill");
		if (!aligned8)
			return verr(env, EACCES, "misaligned stack access off %d size %d", off, size);
		slot->spilled = *val;
		memset(slot->type, STACK_SPILL, BPF_REG_SIZE);
		mark_slot_written(f, (uint32_t)(-off - 1) / BPF_REG_SIZE);
		return 0;
	}
	if (slot_is_spill(slot) && reg_is_pointer(&slot->spilled) && !env->allow_ptr_leaks && !aligned8) {
		if (env->opts->unpriv || !env->opts->deterministic)
			return verr(env, EACCES, "attempt to corrupt spilled pointer on stack");
		/* deterministic verification: the pointer's other bytes become
		 * unreadable instead, so only reading them is refused */
		scrub_slot(slot);
		memset(slot->type, STACK_INVALID, BPF_REG_SIZE);
	}
	for (int o = off; o < off + size; o++)
		scrub_slot(stack_slot_of(f, o));
	/* scalars keep their value when spilled at a slot's start (root only),
	 * immediates too, zero included (a spill of 0, not STACK_ZERO bytes:
	 * the kernel since 6.8) */
	if (!(off % BPF_REG_SIZE) && env->bpf_capable && !env->legacy && val && val->type == SCALAR_VALUE) {
		struct reg_state sp = *val;

		/* a narrow spill keeps the whole register, as the kernel's
		 * does: a fill of the same size takes its low bytes
		 * (coerce_to_size), and a constant key is its whole value */
		if (size < BPF_REG_SIZE)
			sp.id = 0;
		if (is_st_imm)
			sp.id = 0;
		sp.live = slot->spilled.live;
		slot->spilled = sp;
		for (int i = 0; i < BPF_REG_SIZE; i++) {
			if (i < size)
				slot->type[i] = STACK_SPILL;
			else if (slot->type[i] != STACK_ZERO && slot->type[i] != STACK_INVALID)
				slot->type[i] = STACK_MISC;
		}
		if (aligned8)
			mark_slot_written(f, (uint32_t)(-off - 1) / BPF_REG_SIZE);
		return 0;
	}
	for (int o = off; o < off + size; o++) {
		bool zero = val && val->type == SCALAR_VALUE && tnum_equals_const(val->var_off, 0);

		*stack_byte(f, o) = zero ? STACK_ZERO : STACK_MISC;
	}
	if (aligned8)
		mark_slot_written(f, (uint32_t)(-off - 1) / BPF_REG_SIZE);
	return 0;
}

/* Reads bytes [min_off, max_off) of frame f that are not a spill: each
 * must have been written (unless uninitialised reads are allowed). Sets
 * *all_zero. */
static int stack_read_bytes(struct venv *env, struct func_state *f, int min_off, int max_off, int size,
			    bool *all_zero, const char *what, uint32_t regno)
{
	*all_zero = true;
	for (int o = min_off; o < max_off; o++) {
		uint8_t t = STACK_INVALID;

		if ((uint32_t)(-o - 1) / BPF_REG_SIZE < f->nslots)
			t = *stack_byte(f, o);
		if (t != STACK_ZERO)
			*all_zero = false;
		if (t == STACK_SPILL)
			continue;
		if (t == STACK_INVALID && !env->allow_uninit_stack) {
			if (what)
				return verr(env, EACCES, "invalid%s read from stack R%u off %d+%d size %d", what, regno,
					    min_off, o - min_off, size);
			return verr(env, EACCES, "invalid read from stack off %d+%d size %d", min_off, o - min_off,
				    size);
		}
	}
	return 0;
}

static int check_stack_read(struct venv *env, uint32_t regno, const struct reg_state *reg, int off, int size,
			    int dst_regno)
{
	struct func_state *f = env->cur.frame[reg->frameno];
	struct reg_state *dst = dst_regno >= 0 ? &cur_regs(env)[dst_regno] : NULL;
	bool all_zero;
	int err;

	err = check_stack_bounds(env, regno, reg, off, size, " read from");
	if (err)
		return err;
	if (!tnum_is_const(reg->var_off)) {
		int min_off = (int)(reg->smin + off), max_off = (int)(reg->smax + off) + size;

		if (!env->allow_ptr_leaks)
			return verr(env, EACCES, "R%u variable stack access prohibited for !root, var_off=... off=%d", regno,
				    off);
		note_depth(env, f, min_off);
		mark_stack_read(env, reg->frameno, min_off, max_off);
		err = stack_read_bytes(env, f, min_off, max_off, size, &all_zero, NULL, regno);
		if (err)
			return err;
		if (dst) {
			if (all_zero)
				reg_mark_known(dst, 0);
			else
				reg_mark_unknown_scalar(dst);
		}
		return 0;
	}

	off += (int)reg->var_off.value;
	note_depth(env, f, off);
	mark_stack_read(env, reg->frameno, off, off + size);
	if ((uint32_t)(-off - 1) / BPF_REG_SIZE < f->nslots) {
		struct stack_slot *slot = stack_slot_of(f, off);

		if (slot_is_spill(slot)) {
			int sp = spill_size(slot);

			if (!(off % BPF_REG_SIZE) && size == sp) {
				if (dst)
					*dst = slot->spilled;
				return 0;
			}
			if (slot->spilled.type != SCALAR_VALUE)
				return verr(env, EACCES, "invalid size of register fill");
			/* a narrower fill from the spill's start keeps the value,
			 * truncated by the caller */
			if (!(off % BPF_REG_SIZE) && size <= sp) {
				if (dst) {
					*dst = slot->spilled;
					dst->id = 0;
				}
				return 0;
			}
		}
	}
	err = stack_read_bytes(env, f, off, off + size, size, &all_zero, NULL, regno);
	if (err)
		return err;
	if (dst) {
		if (all_zero)
			reg_mark_known(dst, 0);
		else
			reg_mark_unknown_scalar(dst);
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Regions of known size: map values and keys, ring buffer records */

static int region_size(struct venv *env, const struct reg_state *reg, uint32_t *size)
{
	switch (reg->type) {
	case PTR_TO_MAP_VALUE:
		if (reg->map < 0 || (size_t)reg->map >= env->map_cnt)
			return -EINVAL;
		*size = env->maps[reg->map].value_size;
		return 0;
	case PTR_TO_MAP_KEY:
		if (reg->map < 0 || (size_t)reg->map >= env->map_cnt)
			return -EINVAL;
		*size = env->maps[reg->map].key_size;
		return 0;
	default:
		*size = reg->mem_size;
		return 0;
	}
}

static int region_err(struct venv *env, const struct reg_state *reg, uint32_t mem_size, int64_t off, int size)
{
	switch (reg->type) {
	case PTR_TO_MAP_VALUE:
		return verr(env, EACCES, "invalid access to map value, value_size=%u off=%lld size=%d", mem_size,
			    (long long)off, size);
	case PTR_TO_MAP_KEY:
		return verr(env, EACCES, "invalid access to map key, key_size=%u off=%lld size=%d", mem_size,
			    (long long)off, size);
	default:
		return verr(env, EACCES, "invalid access to memory, mem_size=%u off=%lld size=%d", mem_size,
			    (long long)off, size);
	}
}

static bool in_region(int64_t off, int size, uint32_t mem_size, bool zero_ok)
{
	bool size_ok = size > 0 || (size == 0 && zero_ok);

	return size_ok && off >= 0 && off + size <= (int64_t)mem_size;
}

/* The access [off + var, off + var + size) for every var the pointer's
 * variable part may take: checked at its smallest and largest. */
static int check_region(struct venv *env, uint32_t regno, int off, int size, bool zero_ok)
{
	const struct reg_state *reg = &cur_regs(env)[regno];
	uint32_t mem_size;
	int err;

	if (region_size(env, reg, &mem_size))
		return verr(env, EINVAL, "R%u points to an unknown map", regno);
	if (reg->smin < 0 && (reg->smin == INT64_MIN || reg->smin + off < 0 ||
			      (int64_t)(int32_t)(off + reg->smin) != off + reg->smin))
		return verr(env, EACCES, "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			    regno);
	if (!in_region(reg->smin + off, size, mem_size, zero_ok)) {
		err = region_err(env, reg, mem_size, reg->smin + off, size);
		verr_line(env, "R%u min value is outside of the allowed memory range", regno);
		return err;
	}
	if (reg->umax >= BPF_MAX_VAR_OFF)
		return verr(env, EACCES, "R%u unbounded memory access, make sure to bounds check any such access", regno);
	if (!in_region((int64_t)reg->umax + off, size, mem_size, zero_ok)) {
		err = region_err(env, reg, mem_size, (int64_t)reg->umax + off, size);
		verr_line(env, "R%u max value is outside of the allowed memory range", regno);
		return err;
	}
	return 0;
}

int check_map_region(struct venv *env, uint32_t regno, int off, int size)
{
	return check_region(env, regno, off, size, false);
}

/* ---------------------------------------------------------------------- */
/* Packets and context */

int check_packet_access(struct venv *env, uint32_t regno, int off, int size)
{
	const struct reg_state *reg = &cur_regs(env)[regno];

	if (reg->smin < 0)
		return verr(env, EACCES, "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			    regno);
	/* a pointer known past the end has no range to report */
	if (reg->range < 0)
		return verr(env, EINVAL, "R%u offset is outside of the packet", regno);
	if (!(size >= 0 && off >= 0 && off + size <= reg->range)) {
		int err = verr(env, EACCES, "invalid access to packet, off=%d size=%d, R%u(id=%u,off=%d,r=%d)", off,
			       size, regno, reg->id, off, reg->range);

		verr_line(env, "R%u offset is outside of the packet", regno);
		return err;
	}
	return 0;
}

int check_ptr_off_reg(struct venv *env, uint32_t regno, const struct reg_state *reg)
{
	if (reg->off < 0)
		return verr(env, EACCES, "negative offset %s ptr R%u off=%d disallowed", reg_type_str(reg->type), regno,
			    reg->off);
	if (reg->off)
		return verr(env, EACCES, "dereference of modified %s ptr R%u off=%d disallowed", reg_type_str(reg->type),
			    regno, reg->off);
	if (!tnum_equals_const(reg->var_off, 0)) {
		char t[64];

		tnum_snprint(t, sizeof(t), reg->var_off);
		return verr(env, EACCES, "variable %s access var_off=%s disallowed", reg_type_str(reg->type), t);
	}
	return 0;
}

static int check_ctx_access(struct venv *env, uint32_t regno, int off, int size, bool is_write, int dst_regno)
{
	const struct reg_state *reg = &cur_regs(env)[regno];
	struct ctx_access acc;
	int err;

	err = check_ptr_off_reg(env, regno, reg);
	if (err)
		return err;
	/* A field that loads as a packet pointer is a kernel address that the
	 * kernel rewrites into a 64-bit load: sign-extending its low half
	 * would make another address (the kernel's is_valid_access callbacks
	 * refuse is_ldsx there) */
	if (!ctx_access_ok(env->opts, off, size, is_write, &acc) ||
	    (env->sign_ext_once && acc.reg_type != SCALAR_VALUE))
		return verr(env, EACCES, "invalid bpf_context access off=%d size=%d", off, size);
	if (dst_regno < 0)
		return 0;
	struct reg_state *dst = &cur_regs(env)[dst_regno];

	if (acc.reg_type == SCALAR_VALUE) {
		reg_mark_unknown_scalar(dst);
		return 0;
	}
	reg_mark_not_init(dst);
	dst->type = acc.reg_type;
	reg_mark_var_known(dst, 0);
	if (type_may_be_null(acc.reg_type))
		dst->id = ++env->id_gen;
	return 0;
}

/* Loads from socket pointers; stores are refused by the caller */
static int check_sock_access(struct venv *env, uint32_t regno, int off, int size)
{
	const struct reg_state *reg = &cur_regs(env)[regno];
	bool ok;

	if (reg->smin < 0)
		return verr(env, EACCES, "R%u min value is negative, either use unsigned index or do a if (index >=0) check.",
			    regno);
	switch (reg->type) {
	case PTR_TO_SOCK_COMMON:
		ok = bpf_sock_access_ok(off, size, true);
		break;
	case PTR_TO_SOCKET:
		ok = bpf_sock_access_ok(off, size, false);
		break;
	case PTR_TO_TCP_SOCK:
		ok = bpf_tcp_sock_access_ok(off, size);
		break;
	default:
		ok = false;
		break;
	}
	if (!ok)
		return verr(env, EACCES, "R%u invalid %s access off=%d size=%d", regno, reg_type_str(reg->type), off,
			    size);
	/* the upper halves of the two byte counters pass the field check but
	 * have no rewrite into the kernel's tcp_sock: the kernel fails the
	 * program once verified (convert_ctx_accesses) */
	if (reg->type == PTR_TO_TCP_SOCK && off != (int)offsetof(struct bpf_tcp_sock, bytes_received) &&
	    off != (int)offsetof(struct bpf_tcp_sock, bytes_acked) &&
	    off >= (int)offsetof(struct bpf_tcp_sock, bytes_received) &&
	    off < (int)offsetof(struct bpf_tcp_sock, dsack_dups))
		env->insn_aux[env->insn_idx] |= INSN_AUX_NO_REWRITE;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Map pointers: struct bpf_map read through BTF */

/* The BTF struct a map type's pointer points to (its ops' map_btf_id);
 * each starts with its struct bpf_map */
static const char *map_struct_name(uint32_t map_type)
{
	switch (map_type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		return "bpf_array";
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return "bpf_htab";
	case BPF_MAP_TYPE_STACK_TRACE:
		return "bpf_stack_map";
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return "bpf_ringbuf_map";
	case BPF_MAP_TYPE_LPM_TRIE:
		return "lpm_trie";
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return "bpf_queue_stack";
	default:
		return "bpf_map";
	}
}

enum member_kind { MEMBER_SCALAR, MEMBER_PTR };

struct struct_member {
	const char *name;
	int off, size;
	enum member_kind kind;
};

/* The head of struct bpf_map in Linux 6.18 on x86-64 (with
 * CONFIG_SECURITY), up to its name: the part programs read. Later
 * members (locks, counters) are not modelled. */
static const struct struct_member bpf_map_members[] = {
	{ "sha", 0, 32, MEMBER_SCALAR },
	{ "excl", 32, 4, MEMBER_SCALAR },
	{ "ops", 40, 8, MEMBER_PTR },
	{ "inner_map_meta", 48, 8, MEMBER_PTR },
	{ "security", 56, 8, MEMBER_PTR },
	{ "map_type", 64, 4, MEMBER_SCALAR },
	{ "key_size", 68, 4, MEMBER_SCALAR },
	{ "value_size", 72, 4, MEMBER_SCALAR },
	{ "max_entries", 76, 4, MEMBER_SCALAR },
	{ "map_extra", 80, 8, MEMBER_SCALAR },
	{ "map_flags", 88, 4, MEMBER_SCALAR },
	{ "id", 92, 4, MEMBER_SCALAR },
	{ "record", 96, 8, MEMBER_PTR },
	{ "numa_node", 104, 4, MEMBER_SCALAR },
	{ "btf_key_type_id", 108, 4, MEMBER_SCALAR },
	{ "btf_value_type_id", 112, 4, MEMBER_SCALAR },
	{ "btf_vmlinux_value_type_id", 116, 4, MEMBER_SCALAR },
	{ "btf", 120, 8, MEMBER_PTR },
	{ "objcg", 128, 8, MEMBER_PTR },
	{ "name", 136, 16, MEMBER_SCALAR },
};

#define BPF_MAP_MODELLED_END 152

/* A read of [off, off + size) of struct bpf_map as the kernel's
 * btf_struct_walk judges it: within one scalar member (arrays count as
 * one), or exactly one pointer member, which would become a BTF pointer
 * (not modelled here). */
static int check_bpf_map_member(struct venv *env, uint32_t regno, int off, int size)
{
	const size_t n = sizeof(bpf_map_members) / sizeof(bpf_map_members[0]);

	if (off + size > BPF_MAP_MODELLED_END)
		return verr(env, EACCES, "R%u reads struct bpf_map at off=%d size=%d: members past name are not modelled",
			    regno, off, size);
	for (size_t i = 0; i < n; i++) {
		const struct struct_member *m = &bpf_map_members[i];
		int end = m->off + m->size;

		if (off + size <= m->off || off < m->off)
			break;
		if (off >= end)
			continue;
		if (m->kind == MEMBER_PTR) {
			if (size != m->size || off != m->off)
				return verr(env, EACCES,
					    "cannot access ptr member %s with moff %d in struct bpf_map with off %d size %d",
					    m->name, m->off, off, size);
			return verr(env, EACCES, "R%u reads struct bpf_map's pointer %s: BTF pointers are not modelled",
				    regno, m->name);
		}
		if (off + size > end)
			return verr(env, EACCES,
				    "access beyond the end of member %s (mend:%d) in struct bpf_map with off %d size %d",
				    m->name, end, off, size);
		return 0;
	}
	return verr(env, EINVAL, "struct bpf_map doesn't have field at offset %d", off);
}

/* Loads through a map pointer read the kernel's map object (root only,
 * the kernel's check_ptr_to_map_access); the result is a number */
static int check_map_ptr_access(struct venv *env, uint32_t regno, int off, int size, bool is_write)
{
	const struct reg_state *reg = &cur_regs(env)[regno];
	const char *tname;

	if (reg->map < 0 || (size_t)reg->map >= env->map_cnt)
		return verr(env, EINVAL, "R%u points to an unknown map", regno);
	tname = map_struct_name(env->maps[reg->map].type);
	/* root's, and deterministic: the members read are numbers (only the
	 * map id differs from one system to another) */
	if (!env->allow_ptr_leaks && (env->opts->unpriv || !env->opts->deterministic))
		return verr(env, EPERM, "'struct %s' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN", tname);
	if (off < 0)
		return verr(env, EACCES, "R%u is %s invalid negative access: off=%d", regno, tname, off);
	if (is_write)
		return verr(env, EACCES, "only read from %s is supported", tname);
	return check_bpf_map_member(env, regno, off, size);
}

/* Maps the program may only read, or only write */
static int check_map_access_type(struct venv *env, const struct reg_state *reg, int off, int size, bool is_write)
{
	const struct bpfs_map_spec *m;

	if (reg->type != PTR_TO_MAP_VALUE || reg->map < 0 || (size_t)reg->map >= env->map_cnt)
		return 0;
	m = &env->maps[reg->map];
	if (is_write && (m->flags & BPF_F_RDONLY_PROG))
		return verr(env, EACCES, "write into map forbidden, value_size=%u off=%d size=%d", m->value_size, off,
			    size);
	if (!is_write && (m->flags & BPF_F_WRONLY_PROG))
		return verr(env, EACCES, "read from map forbidden, value_size=%u off=%d size=%d", m->value_size, off,
			    size);
	return 0;
}

/* ---------------------------------------------------------------------- */

static void coerce_to_size(struct reg_state *r, int size)
{
	if (size >= 8 || r->type != SCALAR_VALUE)
		return;
	scalar_trunc(r, size);
}

/* Loads at a known offset of a read-only map (a frozen .rodata section)
 * read the map's contents, as the kernel does. */
static void read_only_value(struct venv *env, const struct reg_state *reg, int off, int size, struct reg_state *dst)
{
	const struct bpfs_map_spec *m = &env->maps[reg->map];
	uint64_t v = 0;

	if (!m->internal || !((m->flags & BPF_F_RDONLY_PROG) || (m->name && !strncmp(m->name, ".rodata", 7))))
		return;
	if (off < 0 || (size_t)off + (size_t)size > m->value_size)
		return;
	for (int i = size - 1; i >= 0; i--) {
		uint8_t b = 0;

		if (m->init_data && (size_t)(off + i) < m->init_size)
			b = ((const uint8_t *)m->init_data)[off + i];
		v = (v << 8) | b;
	}
	reg_mark_known(dst, v);
}

/* How check_ptr_alignment names each kind of pointer */
static const char *align_desc(enum reg_type t)
{
	switch (t) {
	case PTR_TO_MAP_KEY: return "key ";
	case PTR_TO_MAP_VALUE: return "value ";
	case PTR_TO_CTX: return "context ";
	case PTR_TO_STACK: return "stack ";
	case PTR_TO_SOCKET: return "sock ";
	case PTR_TO_SOCK_COMMON: return "sock_common ";
	case PTR_TO_TCP_SOCK: return "tcp_sock ";
	case PTR_TO_FLOW_KEYS: return "flow keys ";
	default: return "";
	}
}

/* Alignment is checked only in strict mode (BPF_F_STRICT_ALIGNMENT, or a
 * check that always wants it), except on the stack, whose spill tracking
 * needs aligned slots. Packet pointers are checked as if the packet
 * started NET_IP_ALIGN (2) bytes into an aligned buffer, as on machines
 * without efficient unaligned access: data and data_meta alike. */
static int check_alignment_mode(struct venv *env, const struct reg_state *reg, int off, int size, bool strict)
{
	const int ip_align = 2;
	char t[64];

	strict = strict || ((env->opts->prog_flags & BPF_F_STRICT_ALIGNMENT) &&
			    !(env->opts->prog_flags & BPF_F_ANY_ALIGNMENT));
	if (reg->type == PTR_TO_STACK)
		strict = true;
	if (!strict || size == 1)
		return 0;
	if (reg_is_pkt(reg)) {
		if (tnum_is_aligned(tnum_add(reg->var_off, tnum_const((uint64_t)(int64_t)(ip_align + reg->off + off))),
				    (uint64_t)size))
			return 0;
		tnum_snprint(t, sizeof(t), reg->var_off);
		return verr(env, EACCES, "misaligned packet access off %d+%s+%d+%d size %d", ip_align, t, reg->off, off,
			    size);
	}
	if (tnum_is_aligned(tnum_add(reg->var_off, tnum_const((uint64_t)(int64_t)(reg->off + off))), (uint64_t)size))
		return 0;
	tnum_snprint(t, sizeof(t), reg->var_off);
	return verr(env, EACCES, "misaligned %saccess off %s+%d+%d size %d", align_desc(reg->type), t, reg->off, off,
		    size);
}

/* strict_align_once: load-acquire and store-release are aligned whatever
 * the load flags say */
static int check_alignment(struct venv *env, const struct reg_state *reg, int off, int size)
{
	return check_alignment_mode(env, reg, off, size, env->strict_align_once);
}

int check_ptr_alignment_strict(struct venv *env, uint32_t regno, int size)
{
	return check_alignment_mode(env, &cur_regs(env)[regno], 0, size, true);
}

int check_mem_access(struct venv *env, uint32_t regno, int off, int size, bool is_write, const struct reg_state *val,
		     int value_regno, bool is_st_imm)
{
	struct reg_state reg = cur_regs(env)[regno];
	int dst_regno = is_write ? -1 : value_regno;
	int err;

	err = check_alignment(env, &reg, off, size);
	if (err)
		return err;
	switch (reg.type) {
	case PTR_TO_STACK:
		err = record_stack_access(env, &reg, off + reg.off, size, is_write, val,
					  is_write && !is_st_imm ? value_regno : -1);
		if (err)
			return err;
		if (is_write)
			err = check_stack_write(env, regno, &reg, off + reg.off, size, val, is_st_imm);
		else
			err = check_stack_read(env, regno, &reg, off + reg.off, size, dst_regno);
		break;
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case PTR_TO_MEM:
	case PTR_TO_BUF:
		if (is_write && val && reg_is_pointer(val) && !env->allow_ptr_leaks)
			return verr(env, EACCES, "R%d leaks addr into map", value_regno);
		err = check_map_access_type(env, &reg, off + reg.off, size, is_write);
		if (err)
			return err;
		err = check_region(env, regno, off + reg.off, size, false);
		if (!err && dst_regno >= 0) {
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
			if (reg.type == PTR_TO_MAP_VALUE && tnum_is_const(reg.var_off))
				read_only_value(env, &reg, off + reg.off + (int)reg.var_off.value, size,
						&cur_regs(env)[dst_regno]);
		}
		break;
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (is_write && !prog_may_write_packet(env->opts->prog_type))
			return verr(env, EACCES, "cannot write into packet");
		err = check_packet_access(env, regno, off + reg.off, size);
		if (!err && dst_regno >= 0)
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
		break;
	case PTR_TO_TP_BUFFER:
		/* the kernel bounds the furthest byte reached when the program
		 * is attached, by the tracepoint's writable size */
		if (off + reg.off < 0)
			return verr(env, EACCES, "R%u invalid tracepoint buffer access: off=%d, size=%d", regno, off + reg.off,
				    size);
		if (!tnum_equals_const(reg.var_off, 0)) {
			char t[64];

			tnum_snprint(t, sizeof(t), reg.var_off);
			return verr(env, EACCES, "R%u invalid variable buffer offset: off=%d, var_off=%s", regno, off + reg.off, t);
		}
		if (dst_regno >= 0)
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
		break;
	case PTR_TO_FLOW_KEYS:
		if (is_write && val && reg_is_pointer(val) && !env->allow_ptr_leaks)
			return verr(env, EACCES, "R%d leaks addr into flow keys", value_regno);
		if (!flow_keys_access_ok(off + reg.off + reg.smin, off + reg.off + reg.smax, size))
			return verr(env, EACCES, "invalid access to flow keys off=%d size=%d", off + reg.off, size);
		if (dst_regno >= 0)
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
		break;
	case PTR_TO_CTX:
		if (is_write && val && reg_is_pointer(val) && !env->allow_ptr_leaks)
			return verr(env, EACCES, "R%d leaks addr into ctx", value_regno);
		err = check_ctx_access(env, regno, off, size, is_write, dst_regno);
		break;
	case PTR_TO_BTF_ID:
		/* the kernel walks the struct's BTF (btf_struct_access) */
		return verr(env, EACCES, "R%u reads a kernel struct through ptr_: BTF types are not modelled", regno);
	case CONST_PTR_TO_MAP:
		err = check_map_ptr_access(env, regno, off + reg.off, size, is_write);
		if (!err && dst_regno >= 0)
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
		break;
	case PTR_TO_SOCKET:
	case PTR_TO_SOCK_COMMON:
	case PTR_TO_TCP_SOCK:
		if (is_write)
			return verr(env, EACCES, "R%u cannot write into %s", regno, reg_type_str(reg.type));
		err = check_sock_access(env, regno, off + reg.off, size);
		if (!err && dst_regno >= 0)
			reg_mark_unknown_scalar(&cur_regs(env)[dst_regno]);
		break;
	default:
		return verr(env, EACCES, "R%u invalid mem access '%s'", regno, reg_type_str(reg.type));
	}
	if (err)
		return err;
	if (dst_regno >= 0)
		coerce_to_size(&cur_regs(env)[dst_regno], size);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Helper memory arguments */

static int check_stack_range(struct venv *env, uint32_t regno, int size, bool is_write, bool zero_ok)
{
	const struct reg_state *reg = &cur_regs(env)[regno];
	struct func_state *f = env->cur.frame[reg->frameno];
	int min_off, max_off, err;

	/* a zero-size access is still checked for where it points (and, at a
	 * variable offset, for the bytes between its bounds), as the kernel's
	 * check_stack_range_initialized does */
	if (size == 0 && !zero_ok)
		return verr(env, EACCES, "invalid zero-sized read");
	err = check_stack_bounds(env, regno, reg, reg->off, size, is_write ? " write to" : " read from");
	if (err)
		return err;
	if (tnum_is_const(reg->var_off)) {
		min_off = max_off = reg->off + (int)reg->var_off.value;
	} else {
		if (!env->allow_ptr_leaks)
			return verr(env, EACCES, "R%u variable stack access prohibited for !root", regno);
		min_off = (int)reg->smin + reg->off;
		max_off = (int)reg->smax + reg->off;
	}
	err = frame_grow_stack(f, (uint32_t)(-min_off + BPF_REG_SIZE - 1) / BPF_REG_SIZE);
	if (err)
		return err;
	note_depth(env, f, min_off);
	if (is_write && min_off == max_off) {
		for (int o = min_off; o < min_off + size; o++) {
			scrub_slot(stack_slot_of(f, o));
			*stack_byte(f, o) = STACK_MISC;
		}
		return 0;
	}
	if (is_write)
		return 0;
	mark_stack_read(env, reg->frameno, min_off, max_off + size);
	for (int o = min_off; o < max_off + size; o++) {
		struct stack_slot *s;

		if ((uint32_t)(-o - 1) / BPF_REG_SIZE >= f->nslots) {
			if (!env->allow_uninit_stack)
				goto uninit;
			continue;
		}
		s = stack_slot_of(f, o);
		if (slot_is_spill(s)) {
			if (reg_is_pointer(&s->spilled) && !env->allow_ptr_leaks)
				return verr(env, EACCES, "R%u leaks addr into helper function", regno);
			continue;
		}
		if (*stack_byte(f, o) == STACK_INVALID && !env->allow_uninit_stack)
			goto uninit;
		continue;
uninit:
		return verr(env, EACCES, "invalid indirect read from stack R%u off %d+%d size %d", regno, min_off,
			    o - min_off, size);
	}
	return 0;
}

int check_helper_mem_access(struct venv *env, uint32_t regno, int size, bool is_write, bool zero_ok, bool pkt_ok)
{
	const struct reg_state *reg = &cur_regs(env)[regno];

	switch (reg->type) {
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (!pkt_ok || (is_write && !prog_may_write_packet(env->opts->prog_type)))
			return verr(env, EACCES, "helper access to the packet is not allowed");
		return check_packet_access(env, regno, reg->off, size);
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case PTR_TO_MEM:
	case PTR_TO_BUF: {
		int err = check_map_access_type(env, reg, reg->off, size, is_write);

		return err ? err : check_region(env, regno, reg->off, size, zero_ok);
	}
	case PTR_TO_STACK:
		return check_stack_range(env, regno, size, is_write, zero_ok);
	default:
		if (zero_ok && size == 0 && reg->type == SCALAR_VALUE && tnum_equals_const(reg->var_off, 0))
			return 0;
		return verr(env, EACCES, "R%u type=%s expected=%s", regno, reg_type_str(reg->type), mem_types_str);
	}
}

/* The kernel's get_constant_map_key. The bytes of the key's own slot
 * from its first byte up to the slot's top decide: as many STACK_ZERO
 * bytes as the key is long make the key 0; otherwise the slot must hold
 * a spilled constant scalar whose spilled bytes from there number exactly
 * the key's size, and the key is the spilled register's whole value (the
 * kernel compares that with max_entries, not the bytes the key covers). */
bool stack_const_key(struct venv *env, const struct reg_state *reg, uint32_t size, uint64_t *val)
{
	struct func_state *f;
	struct stack_slot *s;
	uint32_t zeros = 0, spilled = 0;
	int off, b;

	if (!env->bpf_capable || reg->type != PTR_TO_STACK || !tnum_is_const(reg->var_off))
		return false;
	f = env->cur.frame[reg->frameno];
	off = reg->off + (int)reg->var_off.value;
	if (off >= 0 || off < -MAX_BPF_STACK || (uint32_t)(-off - 1) / BPF_REG_SIZE >= f->nslots)
		return false;
	s = stack_slot_of(f, off);
	for (b = (off + MAX_BPF_STACK) % BPF_REG_SIZE; b < BPF_REG_SIZE && s->type[b] == STACK_ZERO; b++)
		zeros++;
	if (zeros >= size) {
		*val = 0;
		return true;
	}
	if (!slot_is_spill(s) || s->spilled.type != SCALAR_VALUE)
		return false;
	for (b = (off + MAX_BPF_STACK) % BPF_REG_SIZE; b < BPF_REG_SIZE && s->type[b] == STACK_SPILL; b++)
		spilled++;
	if (spilled != size || !tnum_is_const(s->spilled.var_off))
		return false;
	*val = s->spilled.var_off.value;
	return true;
}
