/* SPDX-License-Identifier: MIT */
/*
 * Shrinking a divergence to a small reproducer, by delta debugging.
 *
 * A candidate is kept when it still passes bpfscope's verifier (with the
 * rules against leaking addresses and reading uninitialised stack, when
 * the original passes them: else a candidate could "diverge" only because
 * the engines' stacks sit at different addresses or hold different stale
 * bytes) and still diverges the same way: the same pair of engines disagreeing on the same
 * thing ("r0", "packet", ...). Steps, each repeated while it makes
 * progress:
 *   1. instructions: chunks of n/2, n/4, ..., 1 instructions become
 *      no-ops (`ja +0`; both slots of an LD_IMM64 together), so jump
 *      offsets stay valid while the program shrinks in meaning;
 *   2. the no-ops are removed and every jump, call and function address
 *      re-targeted (a no-op falls through, so this changes nothing and
 *      needs no run);
 *   3. the packet: cut to the shortest length that still diverges (never
 *      below an Ethernet header), then runs of bytes zeroed.
 * Every candidate costs one bpfs_diff_run; max_runs bounds the total, so
 * shrinking always ends, and what it has reached by then is the answer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

struct shrink {
	const struct bpfs_diff_prog *orig;
	const struct bpfs_diff_opts *opts;
	const struct bpfs_diff_result *want;
	unsigned runs, max_runs;
	bool strict; /* candidates must not leak addresses or read stale stack */
	struct bpf_insn *insns;
	size_t cnt;
	struct bpfs_diff_input in;
};

static bool is_nop(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_JA) && !in->off && !in->imm && !in->dst_reg && !in->src_reg;
}

static bool is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Whether insns/in still show the divergence being shrunk. */
static bool still_diverges(struct shrink *s, const struct bpf_insn *insns, size_t cnt,
			   const struct bpfs_diff_input *in)
{
	struct bpfs_diff_prog p = *s->orig;
	struct bpfs_diff_result r;

	if (s->runs >= s->max_runs)
		return false;
	p.insns = insns;
	p.cnt = cnt;
	if (!diff_verifies(&p, s->strict, NULL, 0))
		return false;
	s->runs++;
	if (bpfs_diff_run(&p, in, s->opts, &r))
		return false;
	return r.diverged && r.a == s->want->a && r.b == s->want->b && !strcmp(r.what, s->want->what);
}

/* Step 1: chunks of instructions become no-ops. Returns whether any did. */
static bool nop_out(struct shrink *s)
{
	struct bpf_insn *try = malloc(s->cnt * sizeof(*try));
	bool progress = false;

	if (!try)
		return false;
	for (size_t chunk = s->cnt / 2 ? s->cnt / 2 : 1; chunk >= 1; chunk /= 2) {
		for (size_t start = 0; start < s->cnt && s->runs < s->max_runs; start += chunk) {
			size_t end = start + chunk < s->cnt ? start + chunk : s->cnt;
			bool changed = false;

			memcpy(try, s->insns, s->cnt * sizeof(*try));
			if (start > 0 && is_ldimm64(&try[start - 1]) && !is_nop(&try[start - 1]))
				continue; /* the second slot of an LD_IMM64 */
			for (size_t i = start; i < end; i++) {
				if (is_nop(&try[i]))
					continue;
				if (is_ldimm64(&try[i]) && i + 1 < s->cnt)
					try[i + 1] = (struct bpf_insn){.code = BPF_JMP | BPF_JA};
				try[i] = (struct bpf_insn){.code = BPF_JMP | BPF_JA};
				changed = true;
			}
			if (changed && still_diverges(s, try, s->cnt, &s->in)) {
				memcpy(s->insns, try, s->cnt * sizeof(*try));
				progress = true;
			}
		}
		if (chunk == 1)
			break;
	}
	free(try);
	return progress;
}

static bool is_jump(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT;
}

/* Step 2: removes the no-ops, re-targeting what points across them. */
static void compact(struct shrink *s)
{
	size_t *newidx = malloc((s->cnt + 1) * sizeof(*newidx));
	struct bpf_insn *out = malloc(s->cnt * sizeof(*out));
	size_t n = 0;

	if (!newidx || !out)
		goto done;
	/* a removed no-op maps to the next kept instruction */
	for (size_t i = 0; i < s->cnt; i++)
		if (!is_nop(&s->insns[i]))
			n++;
	newidx[s->cnt] = n;
	for (size_t i = s->cnt, k = n; i-- > 0;) {
		if (!is_nop(&s->insns[i]))
			k--;
		newidx[i] = k;
	}
	n = 0;
	for (size_t i = 0; i < s->cnt; i++) {
		struct bpf_insn in = s->insns[i];
		int64_t target;

		if (is_nop(&in))
			continue;
		if (is_jump(&in)) {
			bool gotol = BPF_CLASS(in.code) == BPF_JMP32 && BPF_OP(in.code) == BPF_JA;
			int64_t off = gotol ? in.imm : in.off;

			target = (int64_t)i + 1 + off;
			if (target >= 0 && target <= (int64_t)s->cnt) {
				off = (int64_t)newidx[target] - (int64_t)newidx[i] - 1;
				if (gotol)
					in.imm = (int32_t)off;
				else
					in.off = (int16_t)off;
			}
		} else if ((in.code == (BPF_JMP | BPF_CALL) && in.src_reg == BPF_PSEUDO_CALL) ||
			   (is_ldimm64(&in) && in.src_reg == BPF_PSEUDO_FUNC)) {
			target = (int64_t)i + 1 + in.imm;
			if (target >= 0 && target <= (int64_t)s->cnt)
				in.imm = (int32_t)((int64_t)newidx[target] - (int64_t)newidx[i] - 1);
		}
		out[n++] = in;
		if (is_ldimm64(&in) && i + 1 < s->cnt)
			out[n++] = s->insns[++i];
	}
	if (n && n < s->cnt && still_diverges(s, out, n, &s->in)) {
		free(s->insns);
		s->insns = out;
		s->cnt = n;
		out = NULL;
	}
done:
	free(out);
	free(newidx);
}

/* Step 3: a shorter packet, then zeroed bytes. */
static bool shrink_packet(struct shrink *s)
{
	struct bpfs_diff_input t = s->in;
	bool progress = false;

	if (!s->in.pkt || s->in.pkt_len <= 14)
		return false;
	t.pkt = malloc(s->in.pkt_len);
	if (!t.pkt)
		return false;
	/* shortest length, by bisection over [14, len) */
	for (size_t lo = 14, hi = s->in.pkt_len; lo < hi && s->runs < s->max_runs;) {
		size_t mid = lo + (hi - lo) / 2;

		memcpy(t.pkt, s->in.pkt, mid);
		t.pkt_len = mid;
		if (still_diverges(s, s->insns, s->cnt, &t)) {
			s->in.pkt_len = mid;
			hi = mid;
			progress = true;
		} else {
			lo = mid + 1;
		}
	}
	t.pkt_len = s->in.pkt_len;
	for (size_t chunk = 16; chunk >= 1; chunk /= 4) {
		for (size_t at = 0; at < s->in.pkt_len && s->runs < s->max_runs; at += chunk) {
			size_t end = at + chunk < s->in.pkt_len ? at + chunk : s->in.pkt_len;
			bool zero = true;

			for (size_t i = at; i < end; i++)
				zero = zero && !s->in.pkt[i];
			if (zero)
				continue;
			memcpy(t.pkt, s->in.pkt, s->in.pkt_len);
			memset(t.pkt + at, 0, end - at);
			if (still_diverges(s, s->insns, s->cnt, &t)) {
				memcpy(s->in.pkt, t.pkt, s->in.pkt_len);
				progress = true;
			}
		}
		if (chunk == 1)
			break;
	}
	free(t.pkt);
	return progress;
}

int bpfs_diff_shrink(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in,
		     const struct bpfs_diff_opts *opts, const struct bpfs_diff_result *res, unsigned max_runs,
		     struct bpf_insn **insns, size_t *cnt, struct bpfs_diff_input *small)
{
	struct shrink s = {.orig = prog, .opts = opts, .want = res, .max_runs = max_runs};

	s.insns = malloc((prog->cnt ? prog->cnt : 1) * sizeof(*s.insns));
	s.in = *in;
	s.in.pkt = NULL;
	s.in.ctx_in = NULL;
	if (in->pkt_len)
		s.in.pkt = malloc(in->pkt_len);
	if (in->ctx_in_len)
		s.in.ctx_in = malloc(in->ctx_in_len);
	if (!s.insns || (in->pkt_len && !s.in.pkt) || (in->ctx_in_len && !s.in.ctx_in)) {
		free(s.insns);
		bpfs_diff_input_release(&s.in);
		return -ENOMEM;
	}
	memcpy(s.insns, prog->insns, prog->cnt * sizeof(*s.insns));
	s.cnt = prog->cnt;
	/* A program that passes the stricter rules must keep passing them. */
	s.strict = diff_verifies(prog, true, NULL, 0);
	if (in->pkt_len)
		memcpy(s.in.pkt, in->pkt, in->pkt_len);
	if (in->ctx_in_len)
		memcpy(s.in.ctx_in, in->ctx_in, in->ctx_in_len);
	for (bool again = true; again && s.runs < s.max_runs;) {
		again = nop_out(&s);
		compact(&s);
		again = shrink_packet(&s) || again;
	}
	*insns = s.insns;
	*cnt = s.cnt;
	*small = s.in;
	return 0;
}
