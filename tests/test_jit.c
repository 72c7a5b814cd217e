/* SPDX-License-Identifier: MIT */
/*
 * The JIT: every conformance file of the development data set
 * (/conformance/<file>, skipped when the data set is absent) and our ISA
 * cases under tests/isa (/isa/<file>), plain and with constant blinding;
 * the interpreter against the JIT on a table of edge cases (/diff/<row>:
 * every row runs its operation on every pair of edge values, with the
 * registers that x86 division, shifts and cmpxchg use implicitly as
 * operands, and compares all registers afterwards); a tail call to what
 * is not compiled code (the cases every engine runs, calls, tail-call
 * chains, contexts and maps, are test_engines'); W^X of the code mapping;
 * that blinding leaves no
 * program constant in the code; and compile errors (leaks show under
 * ASan).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn_macros.h"
#include "jit.h"
#include "testutil.h"

#define PROG(...)                                                                                            \
	(const struct bpf_insn[]){__VA_ARGS__},                                                              \
	    sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)

/* ---------------------------------------------------------------------- */
/* Conformance files                                                      */

static void run_file(gconstpointer data)
{
	const char *path = data;

	for (int harden = 0; harden <= 1; harden++) {
		struct bpfs_conf_result res;

		g_assert_cmpint(bpfs_jit_conformance_run(path, harden, &res), ==, 0);
		if (res.outcome == BPFS_CONF_SKIP) {
			g_assert_true(g_str_has_suffix(path, "/callx.data"));
			g_test_skip(res.got);
			return;
		}
		if (res.outcome != BPFS_CONF_PASS)
			g_test_message("%s (%s): expected %s, got %s", path, harden ? "hardened" : "plain",
				       res.expected, res.got);
		g_assert_cmpint(res.outcome, ==, BPFS_CONF_PASS);
	}
}

static unsigned add_dir(const char *prefix, const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!d)
		return 0;
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".data"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		g_autofree char *tp = g_strdup_printf("/%s/%s", prefix, n);

		g_test_add_data_func_full(tp, g_build_filename(dir, n, NULL), run_file, g_free);
	}
	return names->len;
}

static void test_suite_absent(void)
{
	g_free(tu_shared_path_or_skip("conformance"));
}

/* ---------------------------------------------------------------------- */
/* Running both engines                                                   */

static struct bpfs_jit *jit_load(const struct bpf_insn *p, size_t n, uint32_t type, bool harden)
{
	struct bpfs_jit_opts opts = {.prog_type = type, .harden = harden};
	struct bpfs_err err = {0};
	struct bpfs_jit *jit = bpfs_jit_compile(p, n, &opts, &err);

	if (!jit)
		g_test_message("compile: %s", err.msg);
	g_assert_nonnull(jit);
	return jit;
}

/* Runs p on the interpreter, the JIT and the hardened JIT, each over its
 * own copy of mem; the copies and r0 must come out equal. Returns r0. */
static uint64_t run_all(const struct bpf_insn *p, size_t n, const void *mem, size_t len, const char *what)
{
	struct bpfs_vm_opts vopts = {0};
	struct bpfs_err err = {0};
	struct bpfs_vm *vm = bpfs_vm_new(p, n, &vopts, &err);
	g_autofree uint8_t *m0 = g_memdup2(mem, len);
	uint64_t r0[3] = {0};

	if (!vm)
		g_test_message("%s: %s", what, err.msg);
	g_assert_nonnull(vm);
	{
		struct bpfs_ctx ctx;

		bpfs_ctx_raw(&ctx, m0, len);
		g_assert_cmpint(bpfs_vm_run(vm, &ctx, NULL, &r0[0], NULL), ==, 0);
	}
	bpfs_vm_free(vm);
	for (int harden = 0; harden <= 1; harden++) {
		struct bpfs_jit *jit = jit_load(p, n, 0, harden);
		g_autofree uint8_t *m = g_memdup2(mem, len);
		struct bpfs_run_report rep;
		struct bpfs_ctx ctx;

		bpfs_ctx_raw(&ctx, m, len);
		g_assert_cmpint(bpfs_jit_run(jit, &ctx, NULL, &r0[1 + harden], &rep), ==, 0);
		bpfs_jit_free(jit);
		for (size_t i = 0; i + 8 <= len; i += 8) {
			uint64_t a, b;

			memcpy(&a, m0 + i, 8);
			memcpy(&b, m + i, 8);
			if (a != b) {
				g_test_message(
				    "%s%s: word %zu (block %zu, slot %zu): interp 0x%llx, jit 0x%llx", what,
				    harden ? " (hardened)" : "", i / 8, i / 8 / 10, i / 8 % 10,
				    (unsigned long long)a, (unsigned long long)b);
				g_assert_cmphex(a, ==, b);
			}
		}
		g_assert_cmphex(r0[0], ==, r0[1 + harden]);
	}
	return r0[0];
}

/* ---------------------------------------------------------------------- */
/* Differential edge cases                                                */

static const uint64_t edge[] = {
    0,
    1,
    2,
    5,
    31,
    32,
    63,
    64,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000001ull,
    0xffffffff00000000ull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0xffffffffffffffffull,
    0xffffffff80000000ull,
    0xfffffffffffffff9ull,
    0x123456789abcdef0ull,
};
#define NEDGE G_N_ELEMENTS(edge)
static const int32_t edge_imm[] = {0,  1,   -1,	 2,    -7,	   31,	      32,     63,
				   64, 127, 128, -128, 0x7fffffff, INT32_MIN, 0x12345};
#define NIMM G_N_ELEMENTS(edge_imm)

/* A program of blocks: each sets registers, runs one operation, and
 * stores r0 and r2-r9 plus a flag word through r1 (the context), which
 * then moves on 80 bytes. */
struct pb {
	struct bpf_insn *p;
	size_t n, cap;
};

static void put(struct pb *b, struct bpf_insn in)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->p = g_realloc_n(b->p, b->cap, sizeof(*b->p));
	}
	b->p[b->n++] = in;
}

static void put_imm64(struct pb *b, int reg, uint64_t v)
{
	put(b, (struct bpf_insn)BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, reg, 0, 0, (int32_t)(uint32_t)v));
	put(b, (struct bpf_insn)BPF_RAW_INSN(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

/* Distinct values in every register but r1, so that stray writes show. */
static void put_sentinels(struct pb *b)
{
	for (int r = 0; r <= 9; r++)
		if (r != 1)
			put_imm64(b, r,
				  0x5e5e000000000000ull | (uint64_t)r << 32 | (uint32_t)(r * 0x01010101));
}

static void put_dump(struct pb *b)
{
	int slot = 0;

	for (int r = 0; r <= 9; r++)
		if (r != 1)
			put(b, (struct bpf_insn)BPF_STX_MEM(BPF_DW, BPF_REG_1, r, 8 * slot++));
	put(b, (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 80));
}

static size_t nblocks_of(const struct pb *b)
{
	size_t k = 0;

	for (size_t i = 0; i < b->n; i++)
		if (b->p[i].code == (BPF_ALU64 | BPF_ADD | BPF_K) && b->p[i].dst_reg == 1 &&
		    b->p[i].imm == 80)
			k++;
	return k;
}

static void finish_and_run(struct pb *b, const char *what)
{
	size_t len = (nblocks_of(b) + 1) * 80;
	g_autofree uint8_t *mem = g_malloc0(len);

	put(b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_0, 0));
	put(b, (struct bpf_insn)BPF_EXIT_INSN());
	run_all(b->p, b->n, mem, len, what);
	g_free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* Register pairs (dst, src) that stress the implicit x86 registers: r0 is
 * rax, r3 rdx, r4 rcx. */
static const uint8_t pairs[][2] = {{0, 3}, {3, 0}, {4, 4}, {6, 4}, {4, 6}, {0, 0}, {3, 3}, {2, 7}};

struct alu_row {
	const char *name;
	uint8_t op;
	int16_t off; /* 1: signed division */
};

static const struct alu_row alu_rows[] = {
    {"add", BPF_ADD, 0},   {"sub", BPF_SUB, 0}, {"mul", BPF_MUL, 0},  {"div", BPF_DIV, 0},
    {"sdiv", BPF_DIV, 1},  {"mod", BPF_MOD, 0}, {"smod", BPF_MOD, 1}, {"or", BPF_OR, 0},
    {"and", BPF_AND, 0},   {"xor", BPF_XOR, 0}, {"lsh", BPF_LSH, 0},  {"rsh", BPF_RSH, 0},
    {"arsh", BPF_ARSH, 0}, {"mov", BPF_MOV, 0}, {"neg", BPF_NEG, 0},
};

static void test_diff_alu(gconstpointer data)
{
	const struct alu_row *row = data;

	for (int w = 0; w <= 1; w++) {
		uint8_t cls = w ? BPF_ALU64 : BPF_ALU;
		struct pb b = {0};

		/* register forms (neg has none) */
		put_sentinels(&b);
		for (size_t pi = 0; row->op != BPF_NEG && pi < G_N_ELEMENTS(pairs); pi++)
			for (size_t i = 0; i < NEDGE; i++)
				for (size_t k = 0; k < NEDGE; k++) {
					uint8_t d = pairs[pi][0], s = pairs[pi][1];

					put_imm64(&b, s, edge[k]);
					put_imm64(&b, d, edge[i]);
					put(&b, (struct bpf_insn)BPF_RAW_INSN(cls | row->op | BPF_X, d, s,
									      row->off, 0));
					put_dump(&b);
				}
		finish_and_run(&b, row->name);
		/* immediate forms */
		put_sentinels(&b);
		for (int d = 0; d <= 4; d += 2)
			for (size_t i = 0; i < NEDGE; i++)
				for (size_t k = 0; k < (row->op == BPF_NEG ? 1 : NIMM); k++) {
					uint8_t dr = (uint8_t)(d == 2 ? 3 : d);

					put_imm64(&b, dr, edge[i]);
					put(&b, (struct bpf_insn)BPF_RAW_INSN(cls | row->op | BPF_K, dr, 0,
									      row->off, edge_imm[k]));
					put_dump(&b);
				}
		finish_and_run(&b, row->name);
	}
}

static const uint8_t jmp_ops[] = {BPF_JEQ,  BPF_JNE,  BPF_JGT,	BPF_JGE,  BPF_JLT, BPF_JLE,
				  BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET};

/* Every conditional jump, 64 and 32 bits, register and immediate, on the
 * edge values: r9 records whether it was taken. */
static void test_diff_jumps(void)
{
	for (size_t o = 0; o < G_N_ELEMENTS(jmp_ops); o++)
		for (int w = 0; w <= 1; w++) {
			uint8_t cls = w ? BPF_JMP : BPF_JMP32;
			struct pb b = {0};

			put_sentinels(&b);
			for (size_t i = 0; i < NEDGE; i++) {
				for (size_t k = 0; k < NEDGE; k++) {
					put_imm64(&b, 3, edge[i]);
					put_imm64(&b, 4, edge[k]);
					put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_9, 1));
					put(&b, (struct bpf_insn)BPF_RAW_INSN(cls | jmp_ops[o] | BPF_X, 3, 4,
									      1, 0));
					put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_9, 0));
					put_dump(&b);
				}
				for (size_t k = 0; k < NIMM; k++) {
					put_imm64(&b, 0, edge[i]);
					put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_9, 1));
					put(&b, (struct bpf_insn)BPF_RAW_INSN(cls | jmp_ops[o] | BPF_K, 0, 0,
									      1, edge_imm[k]));
					put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_9, 0));
					put_dump(&b);
				}
			}
			finish_and_run(&b, "jump");
		}
}

/* movsx, byte swaps and sign-extending loads on every edge value. */
static void test_diff_extend(void)
{
	static const struct bpf_insn ops[] = {
	    BPF_MOVSX64_REG(3, 4, 8),
	    BPF_MOVSX64_REG(3, 4, 16),
	    BPF_MOVSX64_REG(3, 4, 32),
	    BPF_MOVSX32_REG(3, 4, 8),
	    BPF_MOVSX32_REG(3, 4, 16),
	    BPF_MOVSX64_REG(4, 2, 8),
	    BPF_MOVSX32_REG(2, 2, 8),
	    BPF_MOVSX64_REG(7, 7, 32),
	    BPF_TO_LE_INSN(3, 16),
	    BPF_TO_LE_INSN(3, 32),
	    BPF_TO_LE_INSN(3, 64),
	    BPF_TO_BE_INSN(3, 16),
	    BPF_TO_BE_INSN(2, 32),
	    BPF_TO_BE_INSN(8, 64),
	    BPF_BSWAP(3, 16),
	    BPF_BSWAP(2, 32),
	    BPF_BSWAP(4, 64),
	    BPF_TO_BE_INSN(2, 16),
	    BPF_LDX_MEMSX(BPF_B, 3, 10, -16),
	    BPF_LDX_MEMSX(BPF_H, 3, 10, -16),
	    BPF_LDX_MEMSX(BPF_W, 3, 10, -16),
	    BPF_LDX_MEMSX(BPF_B, 2, 10, -13),
	    BPF_LDX_MEMSX(BPF_H, 4, 10, -15),
	    BPF_LDX_MEMSX(BPF_W, 0, 10, -14),
	    BPF_LDX_MEM(BPF_B, 3, 10, -13),
	    BPF_LDX_MEM(BPF_H, 3, 10, -15),
	    BPF_LDX_MEM(BPF_W, 3, 10, -14),
	};
	struct pb b = {0};

	put_sentinels(&b);
	for (size_t o = 0; o < G_N_ELEMENTS(ops); o++)
		for (size_t i = 0; i < NEDGE; i++) {
			uint8_t d = ops[o].dst_reg, s = ops[o].src_reg;

			put_imm64(&b, 5, edge[i]);
			put(&b, (struct bpf_insn)BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_5, -16));
			put_imm64(&b, 5, ~edge[i]);
			put(&b, (struct bpf_insn)BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_5, -8));
			if (BPF_CLASS(ops[o].code) == BPF_ALU64 && BPF_OP(ops[o].code) == BPF_MOV)
				put_imm64(&b, s, edge[i]);
			else if (BPF_CLASS(ops[o].code) != BPF_LDX)
				put_imm64(&b,
					  BPF_CLASS(ops[o].code) == BPF_ALU && BPF_OP(ops[o].code) == BPF_MOV
					      ? s
					      : d,
					  edge[i]);
			put(&b, ops[o]);
			put_dump(&b);
		}
	finish_and_run(&b, "extend");
}

/* Every atomic operation, both widths, with the old value matching and not
 * matching r0 for cmpxchg, and r0 as the source. The word lives at
 * fp-16, addressed through r10 and through r7. */
static void test_diff_atomics(void)
{
	static const int32_t aops[] = {BPF_ADD,
				       BPF_OR,
				       BPF_AND,
				       BPF_XOR,
				       BPF_ADD | BPF_FETCH,
				       BPF_OR | BPF_FETCH,
				       BPF_AND | BPF_FETCH,
				       BPF_XOR | BPF_FETCH,
				       BPF_XCHG,
				       BPF_CMPXCHG};
	static const uint64_t vals[] = {
	    0, 1, 0xffffffff, 0x8000000000000001ull, 0x123456789abcdef0ull, 0xffffffffffffffffull};
	struct pb b = {0};

	put_sentinels(&b);
	for (size_t o = 0; o < G_N_ELEMENTS(aops); o++)
		for (int sz = 0; sz <= 1; sz++)
			for (size_t i = 0; i < G_N_ELEMENTS(vals); i++)
				for (size_t k = 0; k < G_N_ELEMENTS(vals); k++)
					for (int form = 0; form < 3; form++) {
						/* form 0: [r10-16], src r2; 1: [r7+0], src r0; 2: r0 == old
						 */
						uint8_t src = form == 1 ? 0 : 2, base = form == 1 ? 7 : 10;
						int16_t off = form == 1 ? 0 : -16;

						put_imm64(&b, 5, vals[i]);
						put(&b, (struct bpf_insn)BPF_STX_MEM(BPF_DW, BPF_REG_10,
										     BPF_REG_5, -16));
						put(&b,
						    (struct bpf_insn)BPF_MOV64_REG(BPF_REG_7, BPF_REG_10));
						put(&b,
						    (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_7, -16));
						put_imm64(&b, src, vals[k]);
						if (src != 0)
							put_imm64(&b, 0, form == 2 ? vals[i] : vals[k] ^ 1);
						put(&b, (struct bpf_insn)BPF_ATOMIC_OP(
							    sz ? BPF_DW : BPF_W, aops[o], base, src, off));
						put(&b, (struct bpf_insn)BPF_LDX_MEM(BPF_DW, BPF_REG_8,
										     BPF_REG_10, -16));
						put_dump(&b);
					}
	finish_and_run(&b, "atomics");
}

/* Load-acquire (zero-extending, every size, every aligned offset) and
 * store-release (only the stored bytes change) give what plain loads and
 * stores give: on both engines, against the value computed here. */
static void test_acquire_release(void)
{
	static const uint8_t sizes[] = {BPF_B, BPF_H, BPF_W, BPF_DW};
	static const uint64_t word = 0x8899aabbccddeeffull, val = 0x1122334455667788ull;

	for (size_t z = 0; z < G_N_ELEMENTS(sizes); z++) {
		unsigned n = 1u << (sizes[z] == BPF_B ? 0 : sizes[z] == BPF_H ? 1 : sizes[z] == BPF_W ? 2 : 3);

		for (unsigned at = 0; at < 8; at += n) {
			uint64_t mask = n == 8 ? ~0ull : (1ull << (8 * n)) - 1, shift = 8ull * at;
			uint64_t want_load = (word >> shift) & mask;
			uint64_t want_store = (word & ~(mask << shift)) | ((val & mask) << shift);
			struct bpf_insn ld[] = {
			    BPF_LD_IMM64(BPF_REG_1, word),
			    BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
			    BPF_MOV64_IMM(BPF_REG_0, -1),
			    BPF_ATOMIC_OP(sizes[z], BPF_LOAD_ACQ, BPF_REG_0, BPF_REG_10, (int16_t)(-8 + (int)at)),
			    BPF_EXIT_INSN(),
			};
			struct bpf_insn st[] = {
			    BPF_LD_IMM64(BPF_REG_1, word),
			    BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
			    BPF_LD_IMM64(BPF_REG_2, val),
			    BPF_ATOMIC_OP(sizes[z], BPF_STORE_REL, BPF_REG_10, BPF_REG_2, (int16_t)(-8 + (int)at)),
			    BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8),
			    BPF_EXIT_INSN(),
			};
			char what[64];

			g_snprintf(what, sizeof(what), "load-acquire size %u at %u", n, at);
			g_assert_cmphex(run_all(ld, G_N_ELEMENTS(ld), "", 0, what), ==, want_load);
			g_snprintf(what, sizeof(what), "store-release size %u at %u", n, at);
			g_assert_cmphex(run_all(st, G_N_ELEMENTS(st), "", 0, what), ==, want_store);
		}
	}
}

/* Helper calls keep r1-r5 (the interpreter does) and put the result in
 * r0; local calls keep r6-r9; may_goto counts per frame. */
static void test_diff_calls(void)
{
	uint64_t mem[4] = {0};
	const struct bpf_insn p[] = {
	    BPF_MOV64_IMM(BPF_REG_6, 6),
	    BPF_MOV64_IMM(BPF_REG_2, 2),
	    BPF_MOV64_IMM(BPF_REG_3, 3),
	    BPF_MOV64_IMM(BPF_REG_4, 4),
	    BPF_MOV64_IMM(BPF_REG_5, 5),
	    BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	    BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 0),
	    BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_3),
	    BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_4),
	    BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_5),
	    BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 8),
	    BPF_CALL_REL(3),
	    BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, 16),
	    BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 24),
	    BPF_EXIT_INSN(),
	    /* callee: clobbers r6, counts may_goto iterations in r0 */
	    BPF_MOV64_IMM(BPF_REG_6, 66),
	    BPF_MOV64_IMM(BPF_REG_0, 0),
	    BPF_MAY_GOTO(2),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
	    BPF_JMP_A(-3),
	    BPF_EXIT_INSN(),
	};

	run_all(p, G_N_ELEMENTS(p), mem, sizeof(mem), "calls");
}

/* ---------------------------------------------------------------------- */
/* Runs that stop                                                          */

/* ---------------------------------------------------------------------- */
/* Tail calls and maps                                                    */

struct tail_stub {
	void *target;
};

static void *stub_tail_target(void *priv, void *map, uint32_t index)
{
	(void)map, (void)index;
	return ((struct tail_stub *)priv)->target;
}

/* A tail call to something that is not compiled code stops the run (the
 * chains themselves are test_engines' cases). */
static void test_tail_call_not_code(void)
{
	/* ctx is a u64 counter: count, then tail-call ourselves */
	const struct bpf_insn p[] = {
	    BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
	    BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_6, 0),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 1),
	    BPF_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_2, 0),
	    BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
	    BPF_MOV64_IMM(BPF_REG_2, 0),
	    BPF_MOV64_IMM(BPF_REG_3, 0),
	    BPF_MOV64_IMM(BPF_REG_0, 77),
	    BPF_EMIT_CALL(BPF_FUNC_tail_call),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 22),
	    BPF_EXIT_INSN(),
	};
	struct tail_stub stub = {0};
	struct bpfs_map_ops ops = {.priv = &stub, .tail_call_target = stub_tail_target};
	struct bpfs_jit *jit = jit_load(p, G_N_ELEMENTS(p), 0, false);
	struct bpfs_vm *vm = bpfs_vm_new(p, G_N_ELEMENTS(p), NULL, NULL);
	struct bpfs_run_report rep;
	struct bpfs_run_env env;
	struct bpfs_ctx ctx;
	uint64_t counter = 0, r0;

	bpfs_run_env_init(&env);
	env.maps = &ops;
	bpfs_ctx_raw(&ctx, &counter, sizeof(counter));
	stub.target = vm;
	g_assert_cmpint(bpfs_jit_run(jit, &ctx, &env, &r0, &rep), ==, -EFAULT);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_BAD_CALL);
	g_assert_cmpint(rep.insn, ==, 8);
	bpfs_vm_free(vm);
	bpfs_jit_free(jit);
}

/* ---------------------------------------------------------------------- */
/* The code itself                                                        */

/* The permissions of the mapping holding addr in /proc/self/maps. */
static void perms_of(const void *addr, char perms[5])
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	strcpy(perms, "");
	g_assert_true(g_file_get_contents("/proc/self/maps", &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		unsigned long lo, hi;
		char p[5];

		if (sscanf(*l, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo &&
		    (uintptr_t)addr < hi) {
			memcpy(perms, p, 5);
			return;
		}
	}
}

static void test_wx(void)
{
	struct bpfs_jit *jit = jit_load(PROG(BPF_MOV64_IMM(BPF_REG_0, 1), BPF_EXIT_INSN()), 0, false);
	size_t len;
	const uint8_t *code = bpfs_jit_code(jit, &len);
	char perms[5];

	g_assert_cmpuint(len, >, 0);
	perms_of(code, perms);
	g_assert_cmpstr(perms, ==, "r-xp");
	perms_of(code + len - 1, perms);
	g_assert_cmpstr(perms, ==, "r-xp");
	bpfs_jit_free(jit);
}

static bool contains(const uint8_t *hay, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return true;
	return false;
}

static void test_blinding(void)
{
	static const int32_t imms[] = {0x12345678, 0x5a5a1234, 0x0badf00d, 0x7eadbeef, 0x13572468};
	const uint64_t wide = 0x1122334455667788ull;
	const struct bpf_insn p[] = {
	    BPF_MOV64_IMM(BPF_REG_0, 0x12345678),	    BPF_ALU64_IMM(BPF_XOR, BPF_REG_0, 0x5a5a1234),
	    BPF_ALU32_IMM(BPF_ADD, BPF_REG_0, 0x0badf00d),  BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0x7eadbeef),
	    BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_10, -8),  BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_2),
	    BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0x13572468, 2), BPF_LD_IMM64(BPF_REG_3, 0x1122334455667788ull),
	    BPF_ALU64_REG(BPF_XOR, BPF_REG_0, BPF_REG_3),   BPF_EXIT_INSN(),
	};
	uint64_t r0[2];

	for (int harden = 0; harden <= 1; harden++) {
		struct bpfs_jit *jit = jit_load(p, G_N_ELEMENTS(p), 0, harden);
		size_t len;
		const uint8_t *code = bpfs_jit_code(jit, &len);
		uint32_t lo = (uint32_t)wide, hi = (uint32_t)(wide >> 32);

		for (size_t i = 0; i < G_N_ELEMENTS(imms); i++)
			g_assert_true(contains(code, len, &imms[i], 4) == !harden);
		g_assert_true(contains(code, len, &wide, 8) == !harden);
		if (harden) {
			g_assert_false(contains(code, len, &lo, 4));
			g_assert_false(contains(code, len, &hi, 4));
		}
		g_assert_cmpint(bpfs_jit_run(jit, NULL, NULL, &r0[harden], NULL), ==, 0);
		bpfs_jit_free(jit);
	}
	g_assert_cmphex(r0[0], ==, r0[1]);
	g_assert_cmphex(r0[0], ==,
			((((0x12345678ull ^ 0x5a5a1234) + 0x0badf00d) & 0xffffffff) + 0x7eadbeef) ^ wide);
}

/* Short jumps where they fit, near ones where they do not: a loop whose
 * exit and back edge cross 200 instructions, and a jump over one. */
static void test_jump_sizes(void)
{
	struct pb b = {0};
	uint64_t r0;

	put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_0, 0));
	put(&b, (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1));
	put(&b, (struct bpf_insn)BPF_JMP_IMM(BPF_JSGT, BPF_REG_0, 50, 201));
	for (int i = 0; i < 200; i++)
		put(&b, (struct bpf_insn)BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 0));
	put(&b, (struct bpf_insn)BPF_JMP_A(-203));
	put(&b, (struct bpf_insn)BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 1));
	put(&b, (struct bpf_insn)BPF_MOV64_IMM(BPF_REG_0, 99));
	put(&b, (struct bpf_insn)BPF_EXIT_INSN());
	{
		struct bpfs_jit *jit = jit_load(b.p, b.n, 0, false);
		const uint8_t *code = bpfs_jit_code(jit, NULL);
		long at = bpfs_jit_insn_offset(jit, 204);

		/* test rax, rax; jne rel8 */
		g_assert_cmphex(code[at + 3], ==, 0x75);
		/* the far ones are near: jg rel32 (0f 8f), jmp rel32 (e9) */
		at = bpfs_jit_insn_offset(jit, 2);
		g_assert_cmphex(code[at + 4], ==, 0x0f);
		g_assert_cmphex(code[at + 5], ==, 0x8f);
		at = bpfs_jit_insn_offset(jit, 203);
		g_assert_cmphex(code[at], ==, 0xe9);
		bpfs_jit_free(jit);
	}
	r0 = run_all(b.p, b.n, NULL, 0, "jump sizes");
	g_assert_cmpuint(r0, ==, 51);
	g_free(b.p);
}

static void test_compile_errors(void)
{
	struct bpfs_err err;

	/* rejected by the loader */
	g_assert_null(bpfs_jit_compile(PROG(BPF_EMIT_CALL(9999), BPF_EXIT_INSN()), NULL, &err));
	g_assert_cmpstr(err.msg, ==, "invalid func unknown#9999");
	g_assert_null(bpfs_jit_compile(PROG(BPF_MOV64_IMM(BPF_REG_0, 0)), NULL, &err));
	/* loaded, but not compiled: rejected, not miscompiled */
	g_assert_null(bpfs_jit_compile(
	    PROG(BPF_LD_FUNC(BPF_REG_1, 3), BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN(), BPF_EXIT_INSN()),
	    NULL, &err));
	g_assert_cmpstr(err.msg, ==,
			"JIT: opcode 0x18 (LD_IMM64 of a function address) not supported at insn 0");
	g_assert_cmpint(err.insn, ==, 0);
}

/* `bpfscope jit FILE`: each instruction in kernel syntax, then its code
 * as "offset: bytes" (with the assembly when objdump is installed). */
static void test_cli(void)
{
	const char *src = g_getenv("BPFS_SOURCE_DIR");
	g_autofree char *file = NULL, *cmd = NULL, *cmd_hex = NULL, *out = NULL, *err = NULL;

	if (!src) {
		g_test_skip("BPFS_SOURCE_DIR is not set");
		return;
	}
	file = g_build_filename(src, "tests", "isa", "div-mod-by-zero.data", NULL);
	cmd = g_strdup_printf("%s jit %s", tu_cli(), file);
	cmd_hex = g_strdup_printf("%s jit --hex --harden %s", tu_cli(), file);
	g_assert_cmpint(tu_run(cmd, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "; entry, epilogue and unwind stubs\n  0000: 55"));
	g_assert_nonnull(strstr(out, "\n; 0: "));
	g_assert_nonnull(strstr(out, "; past the end: fall-off stub\n"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(tu_run(cmd_hex, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "(constants blinded)"));
	g_assert_nonnull(strstr(out, "  0000: 55 53 41 54"));
}

int main(int argc, char **argv)
{
	g_autofree char *conf = NULL;
	const char *src = g_getenv("BPFS_SOURCE_DIR");
	g_autofree char *isa = src ? g_build_filename(src, "tests", "isa", NULL) : NULL;
	const char *shared = tu_shared_dir();

	g_test_init(&argc, &argv, NULL);
	if (shared) {
		conf = g_build_filename(shared, "conformance", NULL);
		if (!add_dir("conformance", conf))
			g_test_add_func("/conformance/absent", test_suite_absent);
	} else {
		g_test_add_func("/conformance/absent", test_suite_absent);
	}
	if (isa)
		add_dir("isa", isa);
	for (size_t i = 0; i < G_N_ELEMENTS(alu_rows); i++) {
		g_autofree char *name = g_strdup_printf("/diff/alu/%s", alu_rows[i].name);

		g_test_add_data_func(name, &alu_rows[i], test_diff_alu);
	}
	g_test_add_func("/diff/jumps", test_diff_jumps);
	g_test_add_func("/diff/extend", test_diff_extend);
	g_test_add_func("/diff/atomics", test_diff_atomics);
	g_test_add_func("/diff/calls", test_diff_calls);
	g_test_add_func("/diff/acquire-release", test_acquire_release);
	g_test_add_func("/run/tail-call-not-code", test_tail_call_not_code);
	g_test_add_func("/code/wx", test_wx);
	g_test_add_func("/code/blinding", test_blinding);
	g_test_add_func("/code/jump-sizes", test_jump_sizes);
	g_test_add_func("/code/compile-errors", test_compile_errors);
	g_test_add_func("/cli/jit", test_cli);
	return g_test_run();
}
