/* SPDX-License-Identifier: MIT */
/*
 * One table of cases run on every execution engine: the interpreter in
 * fast and checked mode and the JIT plain and hardened, each loaded from
 * one image through the engine interface (runtime.h). A row is a program,
 * its context (a packet built for its type, or a u64 counter), the world
 * it runs in (an array map, a prog_array whose slots hold the program
 * itself or nothing) and what must come out: the load error, or the
 * status, r0, report and counter of each of its runs. Rows may be limited
 * to some engines (what only checked runs see). Each row and engine is
 * its own test case: /engines/<row>/<engine>.
 *
 * Engine-specific tests stay with their engine: checked-mode reports in
 * test_interp, the code itself and the interpreter-against-JIT edge cases
 * in test_jit.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "insn_macros.h"
#include "jit.h"
#include "testutil.h"

#define PROG(...)                                                                                            \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                                     \
	.cnt = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)

enum eng {
	E_INTERP = 1u << 0,
	E_CHECKED = 1u << 1,
	E_JIT = 1u << 2,
	E_JIT_HARD = 1u << 3,
	E_ALL = 0xf,
};

static const struct bpfs_engine_ops *const engines[] = {
    &bpfs_engine_interp,
    &bpfs_engine_interp_checked,
    &bpfs_engine_jit,
    &bpfs_engine_jit_hardened,
};

enum ctx_kind {
	CTX_NONE,    /* no context */
	CTX_PKT,     /* built for the row's type from pkt */
	CTX_COUNTER, /* a u64 counter the program counts in, from 0 */
};

enum world {
	W_NONE,
	W_ARRAY,      /* map 0: an array of one 8-byte value, fresh per engine */
	W_TAIL_EMPTY, /* bpf_tail_call finds no program */
	W_TAIL_SELF,  /* every slot holds the program itself */
};

struct engine_case {
	const char *name;
	const struct bpf_insn *insns;
	size_t cnt;
	uint32_t prog_type;
	bool verified; /* load without the DAG check */
	unsigned engines;
	enum ctx_kind ctx;
	const uint8_t *pkt;
	size_t pkt_len;
	enum world world;
	/* the load fails: with this message at this instruction, or ("")
	 * whatever it says */
	const char *load_err;
	int load_insn;
	/* else: runs (at least 1), each must give ret and r0 + i * r0_step */
	unsigned runs;
	int ret;
	uint64_t r0, r0_step;
	enum bpfs_violation viol;
	const char *msg; /* the report's message, when set */
	int insn;	 /* the report's instruction, when msg is set */
	const char *region;
	bool ld_abs_fault;
	uint32_t tail_calls;
	uint64_t counter; /* CTX_COUNTER: its value after the run */
	int conversions;  /* context loads converted; 0: not checked */
};

/* An Ethernet frame carrying an IPv4/TCP header, 60 bytes. */
static const uint8_t packet[60] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00, /* eth */
    0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,		/* ip ... proto 6 */
    10,	  0,	0,    1,    10,	  0,	0,    2,
};
/* The same length, only the EtherType and the protocol set. */
static const uint8_t bare[60] = {[12] = 0x08, [13] = 0x00, [23] = 6};

#define PKT(p) .ctx = CTX_PKT, .pkt = p, .pkt_len = sizeof(p)

/* r0 = skb->len << 32 | skb->protocol << 16 | (data_end - data). */
#define SKB_FIELDS                                                                                           \
	PROG(BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, data)),                     \
	     BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct __sk_buff, data_end)),                 \
	     BPF_ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_2),                                                   \
	     BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, len)),                      \
	     BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32),                                                          \
	     BPF_LDX_MEM(BPF_W, BPF_REG_4, BPF_REG_1, offsetof(struct __sk_buff, protocol)),                 \
	     BPF_ALU64_IMM(BPF_LSH, BPF_REG_4, 16), BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_4),             \
	     BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_3), BPF_EXIT_INSN())

/* value = lookup(map 0, key 0); r0 = ++*(u64 *)(value + off) */
#define COUNT_PROG(off)                                                                                      \
	PROG(BPF_LD_MAP_FD(BPF_REG_1, 0), BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),                              \
	     BPF_MOV64_REG(BPF_REG_2, BPF_REG_10), BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),                    \
	     BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),                 \
	     BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, off), BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),           \
	     BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, off), BPF_MOV64_REG(BPF_REG_0, BPF_REG_1),            \
	     BPF_EXIT_INSN())

/* ctx is a u64 counter: count, then tail-call ourselves; r0 = 99 after */
#define TAIL_PROG                                                                                            \
	PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_6, 0),              \
	     BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 1), BPF_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_2, 0),             \
	     BPF_MOV64_REG(BPF_REG_1, BPF_REG_6), BPF_MOV64_IMM(BPF_REG_2, 0), BPF_MOV64_IMM(BPF_REG_3, 0),  \
	     BPF_EMIT_CALL(BPF_FUNC_tail_call), BPF_MOV64_IMM(BPF_REG_0, 99), BPF_EXIT_INSN())

/* the same, r0 = 77 before the call and + 22 after: a call that falls
 * through leaves r0 as it was */
#define TAIL_PROG_R0                                                                                         \
	PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_6, 0),              \
	     BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 1), BPF_STX_MEM(BPF_DW, BPF_REG_6, BPF_REG_2, 0),             \
	     BPF_MOV64_REG(BPF_REG_1, BPF_REG_6), BPF_MOV64_IMM(BPF_REG_2, 0), BPF_MOV64_IMM(BPF_REG_3, 0),  \
	     BPF_MOV64_IMM(BPF_REG_0, 77), BPF_EMIT_CALL(BPF_FUNC_tail_call),                                \
	     BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 22), BPF_EXIT_INSN())

struct run_case {
	const struct engine_case *c;
	const struct bpfs_engine_ops *ops;
};

struct tail_stub {
	void *target; /* every slot holds it, or NULL: empty */
};

static void *stub_tail_target(void *priv, void *map, uint32_t index)
{
	(void)map, (void)index;
	return ((struct tail_stub *)priv)->target;
}

static void check_run(const struct engine_case *c, unsigned i, int ret, uint64_t r0,
		      const struct bpfs_run_report *rep)
{
	g_assert_cmpint(ret, ==, c->ret);
	g_assert_cmphex(r0, ==, c->r0 + i * c->r0_step);
	g_assert_cmpint(rep->viol, ==, c->viol);
	g_assert_cmpint(rep->ld_abs_fault, ==, c->ld_abs_fault);
	g_assert_cmpuint(rep->tail_calls, ==, c->tail_calls);
	if (c->msg) {
		g_autofree char *msg = g_strdup_printf("insn %d: %s", c->insn, c->msg);

		g_assert_cmpstr(rep->msg, ==, msg);
		g_assert_cmpint(rep->insn, ==, c->insn);
	}
	if (c->region)
		g_assert_cmpstr(rep->region, ==, c->region);
}

static void run_case(gconstpointer data)
{
	const struct run_case *rc = data;
	const struct engine_case *c = rc->c;
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 1};
	struct bpfs_map *map = NULL;
	struct bpfs_map_table table = {.nmaps = 1};
	struct tail_stub stub = {0};
	struct bpfs_map_ops ops = {.priv = &stub, .tail_call_target = stub_tail_target};
	struct bpfs_image_opts io = {.prog_type = c->prog_type, .verified = c->verified};
	struct bpfs_run_env env;
	struct bpfs_err err = {0};
	struct bpfs_image *img;
	void *prog = NULL;

	if (c->world == W_ARRAY) {
		g_assert_cmpint(bpfs_map_new(&attr, &map, &err), ==, 0);
		table.maps = &map;
		bpfs_map_ops_init(&ops, &table);
	}
	if (c->world != W_NONE)
		io.maps = &ops;
	img = bpfs_image_new(c->insns, c->cnt, &io, &err);
	if (img)
		prog = rc->ops->load(img, &err);
	if (c->load_err) {
		g_assert_null(prog);
		if (*c->load_err) {
			g_assert_cmpstr(err.msg, ==, c->load_err);
			g_assert_cmpint(err.insn, ==, c->load_insn);
		}
		goto out;
	}
	if (!prog)
		g_test_message("load: %s", err.msg);
	g_assert_nonnull(prog);
	if (c->conversions > 0)
		g_assert_cmpuint(bpfs_image_ctx_conversions(img), ==, (size_t)c->conversions);
	if (c->world == W_TAIL_SELF)
		stub.target = prog;
	bpfs_run_env_init(&env);
	if (c->world != W_NONE)
		env.maps = &ops;
	for (unsigned i = 0; i < (c->runs ? c->runs : 1); i++) {
		struct bpfs_run_report rep;
		struct bpfs_ctx ctx, *pctx = NULL;
		uint64_t counter = 0, r0 = 5;
		int ret;

		if (c->ctx == CTX_PKT) {
			g_assert_cmpint(bpfs_ctx_build(&ctx, c->prog_type, c->pkt, c->pkt_len, NULL, 0, NULL),
					==, 0);
			pctx = &ctx;
		} else if (c->ctx == CTX_COUNTER) {
			bpfs_ctx_raw(&ctx, &counter, sizeof(counter));
			pctx = &ctx;
		}
		ret = rc->ops->run(prog, pctx, &env, &r0, &rep);
		check_run(c, i, ret, r0, &rep);
		if (c->ctx == CTX_COUNTER)
			g_assert_cmpuint(counter, ==, c->counter);
		if (c->ctx == CTX_PKT)
			bpfs_ctx_release(&ctx);
	}
out:
	if (prog)
		rc->ops->free(prog);
	bpfs_image_free(img);
	if (map)
		bpfs_map_put(map);
}

int main(int argc, char **argv)
{
	/* The table (in main: its programs are compound literals, which
	 * live as long as the block that makes them). */
	/* clang-format off */
	const struct engine_case cases[] = {
	    /* Loading */
	    {.name = "load/unknown-helper", PROG(BPF_EMIT_CALL(9999), BPF_EXIT_INSN()),
	     .load_err = "invalid func unknown#9999", .load_insn = 0},
	    {.name = "load/fp-read-only",
	     PROG(BPF_MOV64_IMM(BPF_REG_0, 0), BPF_MOV64_IMM(BPF_REG_10, 0), BPF_EXIT_INSN()),
	     .load_err = "frame pointer is read only", .load_insn = 1},
	    {.name = "load/no-exit", PROG(BPF_MOV64_IMM(BPF_REG_0, 0)), .load_err = ""},
	    {.name = "load/map-without-maps", COUNT_PROG(8),
	     .load_err = "map reference at insn 0 without maps", .load_insn = 0},

	    /* Runs that stop. Endless recursion: loaded as verified to pass the
	     * DAG check; the run state is per run, so it stops again. */
	    {.name = "calls/too-deep", PROG(BPF_CALL_REL(-1), BPF_EXIT_INSN()), .verified = true,
	     .runs = 2, .ret = -EFAULT, .viol = BPFS_VIOL_CALL_DEPTH,
	     .msg = "the call stack of 9 frames is too deep", .insn = 0},

	    /* Contexts: test_run pulls the Ethernet header for socket filters;
	     * protocol is the EtherType as stored (network order) */
	    {.name = "ctx/socket-filter", SKB_FIELDS, .prog_type = BPF_PROG_TYPE_SOCKET_FILTER, PKT(packet),
	     .r0 = 46ull << 32 | 0x0008ull << 16 | 46, .conversions = 2},
	    {.name = "ctx/sched-cls", SKB_FIELDS, .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(packet),
	     .r0 = 60ull << 32 | 0x0008ull << 16 | 60, .conversions = 2},
	    /* converted context loads: data/data_end become host pointers */
	    {.name = "ctx/sched-cls-data",
	     PROG(BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct __sk_buff, data)),
		  BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct __sk_buff, data_end)),
		  BPF_ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_2),
		  BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, len)),
		  BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32), BPF_LDX_MEM(BPF_B, BPF_REG_4, BPF_REG_2, 12),
		  BPF_ALU64_IMM(BPF_LSH, BPF_REG_4, 16), BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_4),
		  BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_3), BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(bare), .r0 = 60ull << 32 | 0x08 << 16 | 60,
	     .conversions = 2},
	    /* ctx spilled and filled through r10, then moved: still converted */
	    {.name = "ctx/spilled-xdp",
	     PROG(BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -16), BPF_MOV64_IMM(BPF_REG_1, 0),
		  BPF_LDX_MEM(BPF_DW, BPF_REG_7, BPF_REG_10, -16), BPF_MOV64_REG(BPF_REG_6, BPF_REG_7),
		  BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_6, offsetof(struct xdp_md, data)),
		  BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_6, offsetof(struct xdp_md, data_end)),
		  BPF_MOV64_REG(BPF_REG_0, BPF_REG_3), BPF_ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_2),
		  BPF_LDX_MEM(BPF_W, BPF_REG_4, BPF_REG_6, offsetof(struct xdp_md, ingress_ifindex)),
		  BPF_ALU64_IMM(BPF_LSH, BPF_REG_4, 32), BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_4),
		  BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_XDP, PKT(packet), .r0 = 1ull << 32 | 60, .conversions = 2},

	    /* LD_ABS/LD_IND: socket filter offsets from the network header,
	     * sched_cls from the Ethernet header; out of range ends with r0 = 0 */
	    {.name = "ld-abs/socket-filter",
	     PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_LD_ABS(BPF_B, 9), BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SOCKET_FILTER, PKT(packet), .r0 = 6},
	    {.name = "ld-abs/sched-cls",
	     PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_LD_ABS(BPF_H, 12), BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(packet), .r0 = 0x0800},
	    {.name = "ld-abs/out-of-range",
	     PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_LD_ABS(BPF_W, 57), BPF_MOV64_IMM(BPF_REG_0, 1),
		  BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(packet), .r0 = 0, .ld_abs_fault = true},
	    {.name = "ld-abs/ind",
	     PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_MOV64_IMM(BPF_REG_7, 2), BPF_LD_ABS(BPF_H, 12),
		  BPF_MOV64_REG(BPF_REG_8, BPF_REG_0), BPF_LD_IND(BPF_B, BPF_REG_7, 21),
		  BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32), BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_8),
		  BPF_JMP_IMM(BPF_JEQ, BPF_REG_9, 0, 2), BPF_LD_ABS(BPF_W, 57), BPF_MOV64_IMM(BPF_REG_0, 1),
		  BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(bare), .r0 = 6ull << 32 | 0x0800},
	    /* out of range from inside a subprogram: the whole run ends with 0 */
	    {.name = "ld-abs/in-subprogram",
	     PROG(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), BPF_CALL_REL(2), BPF_MOV64_IMM(BPF_REG_0, 7),
		  BPF_EXIT_INSN(), BPF_LD_ABS(BPF_W, 57), BPF_EXIT_INSN()),
	     .prog_type = BPF_PROG_TYPE_SCHED_CLS, PKT(bare), .r0 = 0, .ld_abs_fault = true},

	    /* Tail calls: an empty slot falls through; a chain is the first run
	     * and 33 tail calls, then the 34th falls through */
	    {.name = "tail-call/empty", TAIL_PROG, .ctx = CTX_COUNTER, .world = W_TAIL_EMPTY, .r0 = 99,
	     .counter = 1},
	    {.name = "tail-call/chain", TAIL_PROG, .ctx = CTX_COUNTER, .world = W_TAIL_SELF, .r0 = 99,
	     .counter = 1 + BPFS_MAX_TAIL_CALLS, .tail_calls = BPFS_MAX_TAIL_CALLS},
	    {.name = "tail-call/empty-keeps-r0", TAIL_PROG_R0, .ctx = CTX_COUNTER, .world = W_TAIL_EMPTY,
	     .r0 = 99, .counter = 1},
	    {.name = "tail-call/chain-keeps-r0", TAIL_PROG_R0, .ctx = CTX_COUNTER, .world = W_TAIL_SELF,
	     .r0 = 99, .counter = 1 + BPFS_MAX_TAIL_CALLS, .tail_calls = BPFS_MAX_TAIL_CALLS},

	    /* Maps through the maps module */
	    {.name = "maps/lookup", COUNT_PROG(0), .world = W_ARRAY, .runs = 3, .r0 = 1, .r0_step = 1},
	    /* one past the 8-byte value: a checked run names the region */
	    {.name = "maps/past-the-value", COUNT_PROG(8), .world = W_ARRAY, .engines = E_CHECKED,
	     .ret = -EFAULT, .viol = BPFS_VIOL_MEM, .msg = "invalid read of 8 bytes at map value+8", .insn = 7,
	     .region = "map value"},
	};
	/* clang-format on */

	struct run_case runs[G_N_ELEMENTS(cases) * G_N_ELEMENTS(engines)];
	size_t n = 0;

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		for (size_t e = 0; e < G_N_ELEMENTS(engines); e++) {
			g_autofree char *path = NULL;

			if (cases[i].engines && !(cases[i].engines & (1u << e)))
				continue;
			runs[n] = (struct run_case){&cases[i], engines[e]};
			path = g_strdup_printf("/engines/%s/%s", cases[i].name, engines[e]->name);
			g_test_add_data_func(path, &runs[n++], run_case);
		}
	}
	return g_test_run();
}
