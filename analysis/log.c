/* SPDX-License-Identifier: MIT */
/*
 * The verifier log: a growable text buffer owned by one verifier run, and
 * the printing of abstract register and stack state in the style of the
 * Linux verifier's print_verifier_state ("R1=ctx() R10=fp0",
 * "R0=map_value(map=counts,ks=4,vs=8)", "R2_w=scalar(umax=255,var_off=(0x0; 0xff))").
 *
 * Invariant: buf is NUL-terminated whenever it is non-NULL. Allocation
 * failure sets `oom` and drops further text; the caller turns it into
 * -ENOMEM. Nothing here prints to a stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_int.h"

void vlog_vprintf(struct vlog *log, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (log->oom)
		return;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (log->len + (size_t)n + 1 > log->cap) {
		size_t cap = log->cap ? log->cap : 4096;
		char *nb;

		while (log->len + (size_t)n + 1 > cap)
			cap *= 2;
		nb = realloc(log->buf, cap);
		if (!nb) {
			log->oom = true;
			return;
		}
		log->buf = nb;
		log->cap = cap;
	}
	vsnprintf(log->buf + log->len, (size_t)n + 1, fmt, ap);
	log->len += (size_t)n;
}

void vlog_printf(struct vlog *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_vprintf(log, fmt, ap);
	va_end(ap);
}

static const char *const type_names[REG_TYPE_MAX] = {
	[NOT_INIT] = "?",
	[SCALAR_VALUE] = "scalar",
	[PTR_TO_CTX] = "ctx",
	[CONST_PTR_TO_MAP] = "map_ptr",
	[PTR_TO_MAP_VALUE] = "map_value",
	[PTR_TO_MAP_VALUE_OR_NULL] = "map_value_or_null",
	[PTR_TO_MAP_KEY] = "map_key",
	[PTR_TO_STACK] = "fp",
	[PTR_TO_PACKET_META] = "pkt_meta",
	[PTR_TO_PACKET] = "pkt",
	[PTR_TO_PACKET_END] = "pkt_end",
	[PTR_TO_MEM] = "ringbuf_mem",
	[PTR_TO_MEM_OR_NULL] = "ringbuf_mem_or_null",
	[PTR_TO_BUF] = "mem",
	[PTR_TO_BUF_OR_NULL] = "mem_or_null",
	[PTR_TO_SOCKET] = "sock",
	[PTR_TO_SOCKET_OR_NULL] = "sock_or_null",
	[PTR_TO_SOCK_COMMON] = "sock_common",
	[PTR_TO_SOCK_COMMON_OR_NULL] = "sock_common_or_null",
	[CONST_PTR_TO_MAP_OR_NULL] = "map_ptr_or_null",
	[PTR_TO_TCP_SOCK] = "tcp_sock",
	[PTR_TO_TCP_SOCK_OR_NULL] = "tcp_sock_or_null",
	[PTR_TO_BTF_ID] = "ptr_",
	[PTR_TO_BTF_ID_OR_NULL] = "ptr_or_null_",
	[PTR_TO_FLOW_KEYS] = "flow_keys",
	[PTR_TO_TP_BUFFER] = "tp_buffer",
};

const char *reg_type_str(enum reg_type t)
{
	if ((unsigned)t >= REG_TYPE_MAX)
		return "?";
	return type_names[t];
}

/* Appends to buf at *pos, never past len */
static void put(char *buf, size_t len, size_t *pos, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n;
}

static void put_sep(char *buf, size_t len, size_t *pos, bool *first)
{
	if (!*first)
		put(buf, len, pos, ",");
	*first = false;
}

/* The bounds that say something: unbounded ones are left out */
static void put_ranges(char *buf, size_t len, size_t *pos, const struct reg_state *r, bool *first)
{
	char t[64];

	if (r->smin != INT64_MIN) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "smin=%lld", (long long)r->smin);
	}
	if (r->smax != INT64_MAX) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "smax=%lld", (long long)r->smax);
	}
	if (r->umin) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "umin=%llu", (unsigned long long)r->umin);
	}
	if (r->umax != UINT64_MAX) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "umax=%llu", (unsigned long long)r->umax);
	}
	if (r->s32_min != INT32_MIN && (int64_t)r->s32_min != r->smin) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "smin32=%d", r->s32_min);
	}
	if (r->s32_max != INT32_MAX && (int64_t)r->s32_max != r->smax) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "smax32=%d", r->s32_max);
	}
	if (r->u32_min && r->u32_min != r->umin) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "umin32=%u", r->u32_min);
	}
	if (r->u32_max != UINT32_MAX && r->u32_max != r->umax) {
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "umax32=%u", r->u32_max);
	}
	if (!tnum_is_unknown(r->var_off)) {
		tnum_snprint(t, sizeof(t), r->var_off);
		put_sep(buf, len, pos, first);
		put(buf, len, pos, "var_off=%s", t);
	}
}

int reg_snprint(char *buf, size_t len, const struct reg_state *r, const struct bpfs_map_spec *maps, size_t map_cnt)
{
	size_t pos = 0;
	bool first = true;

	if (!len)
		return 0;
	buf[0] = 0;
	if (r->type == SCALAR_VALUE && tnum_is_const(r->var_off)) {
		put(buf, len, &pos, "%lld", (long long)r->var_off.value);
		return (int)pos;
	}
	if (r->type == PTR_TO_STACK && tnum_is_const(r->var_off)) {
		put(buf, len, &pos, "fp%d", (int)(r->off + (int64_t)r->var_off.value));
		return (int)pos;
	}
	put(buf, len, &pos, "%s(", reg_type_str(r->type));
	if (r->id && r->type != SCALAR_VALUE) {
		put_sep(buf, len, &pos, &first);
		put(buf, len, &pos, "id=%u", r->id);
	}
	if ((r->type == CONST_PTR_TO_MAP || r->type == PTR_TO_MAP_VALUE || r->type == PTR_TO_MAP_VALUE_OR_NULL ||
	     r->type == CONST_PTR_TO_MAP_OR_NULL) &&
	    r->map >= 0 && (size_t)r->map < map_cnt) {
		const struct bpfs_map_spec *m = &maps[r->map];

		put_sep(buf, len, &pos, &first);
		put(buf, len, &pos, "map=%s,ks=%u,vs=%u", m->name ? m->name : "", m->key_size, m->value_size);
	}
	if (r->type != SCALAR_VALUE && r->off) {
		put_sep(buf, len, &pos, &first);
		put(buf, len, &pos, "off=%d", r->off);
	}
	if (r->type == PTR_TO_PACKET || r->type == PTR_TO_PACKET_META) {
		put_sep(buf, len, &pos, &first);
		put(buf, len, &pos, "r=%d", r->range);
	}
	if (r->type == PTR_TO_MEM || r->type == PTR_TO_MEM_OR_NULL || r->type == PTR_TO_BUF ||
	    r->type == PTR_TO_BUF_OR_NULL) {
		put_sep(buf, len, &pos, &first);
		put(buf, len, &pos, "sz=%u", r->mem_size);
	}
	if (r->type == SCALAR_VALUE || !tnum_equals_const(r->var_off, 0))
		put_ranges(buf, len, &pos, r, &first);
	put(buf, len, &pos, ")");
	return (int)pos;
}

static char slot_char(uint8_t t)
{
	switch (t) {
	case STACK_SPILL: return 'r';
	case STACK_MISC: return 'm';
	case STACK_ZERO: return '0';
	default: return '?';
	}
}

void vlog_state(struct vlog *log, const struct vstate *st, const struct bpfs_map_spec *maps, size_t map_cnt)
{
	const struct func_state *f = st->frame[st->curframe];
	char buf[512];
	bool first = true;

	if (st->curframe)
		vlog_printf(log, "frame%u: ", st->curframe);
	for (int i = 0; i <= BPFS_MAX_REG; i++) {
		if (f->regs[i].type == NOT_INIT)
			continue;
		reg_snprint(buf, sizeof(buf), &f->regs[i], maps, map_cnt);
		vlog_printf(log, "%sR%d=%s", first ? "" : " ", i, buf);
		first = false;
	}
	for (uint32_t s = 0; s < f->nslots; s++) {
		const struct stack_slot *sl = &f->stack[s];
		char types[BPF_REG_SIZE + 1];
		bool any = false;

		/* highest address first, as the kernel prints it */
		for (int i = 0; i < BPF_REG_SIZE; i++) {
			types[i] = slot_char(sl->type[BPF_REG_SIZE - 1 - i]);
			any |= sl->type[i] != STACK_INVALID;
		}
		types[BPF_REG_SIZE] = 0;
		if (!any)
			continue;
		if (sl->type[0] == STACK_SPILL) {
			reg_snprint(buf, sizeof(buf), &sl->spilled, maps, map_cnt);
			vlog_printf(log, " fp%d=%s", -(int)(s + 1) * BPF_REG_SIZE, buf);
		} else {
			vlog_printf(log, " fp%d=%s", -(int)(s + 1) * BPF_REG_SIZE, types);
		}
	}
	vlog_printf(log, "\n");
}
