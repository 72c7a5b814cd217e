/* SPDX-License-Identifier: MIT */
/*
 * The context-access conversion pass: finds the loads of packet pointer
 * fields (__sk_buff.data, data_end, data_meta; xdp_md.data, ...) made
 * through the context pointer, so that the decoder turns each into a load
 * of the real 64-bit host pointer (see runtime.h, struct bpfs_ctx). The
 * kernel does the same in convert_ctx_accesses(), guided by the verifier's
 * register types; we do not depend on the verifier, so this pass tracks
 * the one type it needs itself.
 *
 * It is a forward must-analysis over the instructions: the set of
 * registers, and of 8-byte stack slots (spills at r10-8k), that hold the
 * context pointer on every path. At entry r1 does. A 64-bit register move
 * copies the fact, a spill through r10 stores it and a fill loads it back,
 * any other write kills it. A call to a helper kills r0-r5; a local call
 * passes r1-r5 to the callee's entry (a fresh frame: no slots) and keeps
 * r6-r9 and the caller's slots after it. Joins intersect. The fixpoint is
 * found with a worklist; each state can only lose facts, so it ends.
 *
 * What it cannot see: a context pointer spilled through a copy of r10, or
 * a spill slot overwritten through such a copy. Compilers spill through
 * r10 itself; a missed conversion reads 0 from the uapi field (the
 * runtime leaves it zero), which a checked run then reports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_int.h"

struct cstate {
	uint16_t regs;	/* bit r: register r holds ctx */
	uint64_t slots; /* bit k: fp-8(k+1) holds ctx */
	bool seen;
};

static bool merge(struct cstate *to, const struct cstate *from)
{
	struct cstate n;

	if (!to->seen) {
		*to = *from;
		to->seen = true;
		return true;
	}
	n.regs = to->regs & from->regs;
	n.slots = to->slots & from->slots;
	if (n.regs == to->regs && n.slots == to->slots)
		return false;
	to->regs = n.regs;
	to->slots = n.slots;
	return true;
}

/* Slot bit of a stack access at fp+off of size bytes; 0 when it is not a
 * whole aligned slot (such accesses kill the slots they touch). */
static uint64_t slot_bits(int off, unsigned size, bool whole)
{
	uint64_t bits = 0;

	if (off >= 0 || off < -BPFS_STACK_SIZE)
		return 0;
	if (whole)
		return (off % 8 == 0 && size == 8) ? 1ull << ((-off) / 8 - 1) : 0;
	for (int b = off; b < off + (int)size && b < 0; b++)
		bits |= 1ull << ((-b - 1) / 8);
	return bits;
}

static unsigned size_of(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	}
	return 8;
}

/* Applies insn i to s; sets the callee entry state for local calls. */
static void transfer(const struct bpf_insn *in, struct cstate *s, struct cstate *callee)
{
	uint8_t cls = BPF_CLASS(in->code);
	uint16_t dbit = (uint16_t)(1u << in->dst_reg), sbit = (uint16_t)(1u << in->src_reg);

	switch (cls) {
	case BPF_ALU64:
		if (BPF_OP(in->code) == BPF_MOV && BPF_SRC(in->code) == BPF_X && !in->off)
			s->regs = (s->regs & ~dbit) | ((s->regs & sbit) ? dbit : 0);
		else
			s->regs &= ~dbit;
		break;
	case BPF_ALU:
		s->regs &= ~dbit;
		break;
	case BPF_LDX:
		if (in->src_reg == BPF_REG_10 && BPF_MODE(in->code) == BPF_MEM) {
			uint64_t b = slot_bits(in->off, 8, true);

			if (BPF_SIZE(in->code) == BPF_DW && b && (s->slots & b)) {
				s->regs |= dbit;
				break;
			}
		}
		s->regs &= ~dbit;
		break;
	case BPF_ST:
	case BPF_STX:
		if (in->dst_reg == BPF_REG_10) {
			unsigned sz = size_of(in->code);
			uint64_t b = slot_bits(in->off, sz, true);

			s->slots &= ~slot_bits(in->off, sz, false);
			if (cls == BPF_STX && BPF_MODE(in->code) == BPF_MEM && b && (s->regs & sbit))
				s->slots |= b;
		}
		if (cls == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC && (in->imm & BPF_FETCH))
			s->regs &= (uint16_t) ~(in->imm == BPF_CMPXCHG ? 1u : sbit);
		break;
	case BPF_LD:
		if (bpfs_insn_is_ldimm64(in))
			s->regs &= ~dbit;
		else
			s->regs &= ~0x3fu; /* LD_ABS/LD_IND clobber r0-r5 */
		break;
	case BPF_JMP:
		if (BPF_OP(in->code) == BPF_CALL) {
			if (in->src_reg == BPF_PSEUDO_CALL && callee) {
				callee->regs = s->regs & 0x3e;
				callee->slots = 0;
				callee->seen = true;
			}
			s->regs &= ~0x3fu;
		}
		break;
	}
}

int bpfs_ctx_convert(const struct bpf_insn *insns, size_t cnt, uint32_t prog_type, int8_t *conv)
{
	struct cstate *st;
	size_t *work, nwork = 0;
	uint8_t *queued;
	bool any = false;

	memset(conv, -1, cnt);
	for (int f = 0; f < 256 && !any; f += 4)
		any = bpfs_ctx_ptr_field(prog_type, f, 4) >= 0;
	if (!any)
		return 0;
	st = calloc(cnt, sizeof(*st));
	work = malloc(cnt * sizeof(*work));
	queued = calloc(cnt, 1);
	if (!st || !work || !queued) {
		free(st);
		free(work);
		free(queued);
		return -ENOMEM;
	}
	st[0] = (struct cstate){.regs = 1u << BPF_REG_1, .seen = true};
	work[nwork++] = 0;
	queued[0] = 1;
	while (nwork) {
		size_t i = work[--nwork], succ[2];
		const struct bpf_insn *in = &insns[i];
		struct cstate s = st[i], callee = {0};
		unsigned nsucc = 0;
		uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);
		int64_t t;

		queued[i] = 0;
		if (i >= cnt)
			continue;
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT) {
			t = bpfs_insn_jump_target(insns, i);
			if (t >= 0 && (size_t)t < cnt)
				succ[nsucc++] = (size_t)t;
			if (op != BPF_JA)
				succ[nsucc++] = i + 1;
		} else if (!((cls == BPF_JMP) && op == BPF_EXIT)) {
			succ[nsucc++] = i + (bpfs_insn_is_ldimm64(in) ? 2 : 1);
		}
		transfer(in, &s, &callee);
		if (callee.seen) {
			t = bpfs_insn_jump_target(insns, i);
			if (t >= 0 && (size_t)t < cnt && merge(&st[t], &callee) && !queued[t]) {
				queued[t] = 1;
				work[nwork++] = (size_t)t;
			}
		}
		for (unsigned k = 0; k < nsucc; k++) {
			size_t j = succ[k];

			if (j < cnt && merge(&st[j], &s) && !queued[j]) {
				queued[j] = 1;
				work[nwork++] = j;
			}
		}
	}
	for (size_t i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];

		if (st[i].seen && in->code == (BPF_LDX | BPF_MEM | BPF_W) &&
		    (st[i].regs & (1u << in->src_reg)) && in->src_reg <= BPFS_MAX_REG)
			conv[i] = (int8_t)bpfs_ctx_ptr_field(prog_type, in->off, 4);
		if (bpfs_insn_is_ldimm64(in))
			i++;
	}
	free(st);
	free(work);
	free(queued);
	return 0;
}
