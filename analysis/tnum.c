/* SPDX-License-Identifier: MIT */
/*
 * Tracked numbers ("tnums"): the verifier's bit-level abstraction of a
 * 64-bit value. Each bit is known (mask 0, value gives it) or unknown
 * (mask 1, value 0).
 *
 * Invariant: value & mask == 0. Every operation returns a tnum containing
 * every concrete result of the operation applied to concrete members of
 * its operands (soundness); tests check this by brute force on small
 * widths.
 *
 * The arithmetic follows Edward Cree's tnum design used by the Linux
 * verifier (kernel/bpf/tnum.c) and the multiplication of Vishwanathan et
 * al., "Sound, Precise, and Fast Abstract Interpretation with Tristate
 * Numbers" (CGO 2022).
 */
#include <stdio.h>

#include "verifier_int.h"

const struct tnum tnum_unknown = { .value = 0, .mask = ~(uint64_t)0 };

struct tnum tnum_const(uint64_t v)
{
	return TNUM(v, 0);
}

/* Smallest tnum holding [min, max]: the common high bits are known. */
struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max, delta;
	int bits = chi ? 64 - __builtin_clzll(chi) : 0;

	if (bits > 63)
		return tnum_unknown;
	delta = ((uint64_t)1 << bits) - 1;
	return TNUM(min & ~delta, delta);
}

struct tnum tnum_lshift(struct tnum a, uint8_t shift)
{
	if (shift >= 64)
		return TNUM(0, 0);
	return TNUM(a.value << shift, a.mask << shift);
}

struct tnum tnum_rshift(struct tnum a, uint8_t shift)
{
	if (shift >= 64)
		return TNUM(0, 0);
	return TNUM(a.value >> shift, a.mask >> shift);
}

/* Arithmetic shift of a value `bits` wide (32 or 64): the sign bit,
 * known or not, is copied into the vacated bits. */
struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t bits)
{
	if (bits == 32)
		return TNUM((uint32_t)((int32_t)a.value >> shift), (uint32_t)((int32_t)a.mask >> shift));
	return TNUM((uint64_t)((int64_t)a.value >> shift), (uint64_t)((int64_t)a.mask >> shift));
}

/* Carries out of unknown bits can reach every higher bit up to the first
 * position where both sums agree; chi collects the bits the carries may
 * have changed. */
struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sm = a.mask + b.mask, sv = a.value + b.value;
	uint64_t sigma = sm + sv, chi = sigma ^ sv;
	uint64_t mu = chi | a.mask | b.mask;

	return TNUM(sv & ~mu, mu);
}

struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask, beta = dv - b.mask;
	uint64_t chi = alpha ^ beta, mu = chi | a.mask | b.mask;

	return TNUM(dv & ~mu, mu);
}

struct tnum tnum_neg(struct tnum a)
{
	return tnum_sub(TNUM(0, 0), a);
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t alpha = a.value | a.mask, beta = b.value | b.mask;
	uint64_t v = a.value & b.value;

	return TNUM(v, alpha & beta & ~v);
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask | b.mask;

	return TNUM(v, mu & ~v);
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t v = a.value ^ b.value, mu = a.mask | b.mask;

	return TNUM(v & ~mu, mu);
}

/* Shift-and-add: the product of the known parts is exact; each bit of a
 * that is 1 adds b's unknown bits, each unknown bit of a adds all of b's
 * possibly-set bits, accumulated as unknowns. */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	uint64_t acc_v = a.value * b.value;
	struct tnum acc_m = TNUM(0, 0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = tnum_add(acc_m, TNUM(0, b.mask));
		else if (a.mask & 1)
			acc_m = tnum_add(acc_m, TNUM(0, b.value | b.mask));
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return tnum_add(TNUM(acc_v, 0), acc_m);
}

/* Values in both a and b (a and b are assumed to overlap). */
struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask & b.mask;

	return TNUM(v & ~mu, mu);
}

/* Truncation to size bytes (zero extension back to 64 bits). */
struct tnum tnum_cast(struct tnum a, uint8_t size)
{
	uint64_t m = size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;

	return TNUM(a.value & m, a.mask & m);
}

bool tnum_is_aligned(struct tnum a, uint64_t size)
{
	if (!size)
		return true;
	return !((a.value | a.mask) & (size - 1));
}

bool tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	b.value &= ~a.mask;
	return a.value == b.value;
}

bool tnum_contains(struct tnum a, uint64_t v)
{
	return (v & ~a.mask) == a.value;
}

struct tnum tnum_subreg(struct tnum a)
{
	return tnum_cast(a, 4);
}

struct tnum tnum_clear_subreg(struct tnum a)
{
	return tnum_lshift(tnum_rshift(a, 32), 32);
}

struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg)
{
	return tnum_or(tnum_clear_subreg(reg), tnum_subreg(subreg));
}

int tnum_snprint(char *buf, size_t len, struct tnum a)
{
	if (tnum_is_const(a))
		return snprintf(buf, len, "%lld", (long long)a.value);
	return snprintf(buf, len, "(0x%llx; 0x%llx)", (unsigned long long)a.value, (unsigned long long)a.mask);
}
