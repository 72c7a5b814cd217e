/* SPDX-License-Identifier: MIT */
/*
 * bpfscope runtime: what executing a program needs besides the engine
 * itself, shared by the interpreter and the JIT: the helper functions and
 * their table, program contexts built as the kernel's BPF_PROG_TEST_RUN
 * builds them, and the memory regions a program may touch.
 * Depends on ir and maps.
 *
 * The pieces and who owns them:
 *
 *   struct bpfs_run_env  the caller's description of the world a run sees:
 *                        task identity, clock, random seed, trace buffer,
 *                        and the map operations (a table of function
 *                        pointers the maps module fills in).
 *   struct bpfs_ctx      a program context and its packet, laid out like
 *                        the uapi structure the program type expects, plus
 *                        the real host pointers the ctx-access conversion
 *                        substitutes for the 32-bit data/data_end fields.
 *   struct bpfs_run_ctx  one run's mutable state, owned by the engine and
 *                        passed to every helper as its sixth argument: the
 *                        regions the program may touch, the random state,
 *                        the trace cursor, a pending tail call, and the
 *                        first memory violation a checked run found.
 *
 * Helpers are plain C functions of five u64 arguments and the run context,
 * so that a JIT can call them with the System V convention unchanged (r1-r5
 * in rdi, rsi, rdx, rcx, r8 and the run context in r9).
 */
#ifndef BPFSCOPE_RUNTIME_H
#define BPFSCOPE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maps.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BPFS_STACK_SIZE 512		  /* MAX_BPF_STACK: one frame */
#define BPFS_MAX_CALL_FRAMES 8		  /* MAX_CALL_FRAMES: main program + 7 */
#define BPFS_MAX_TAIL_CALLS 33		  /* MAX_TAIL_CALL_CNT */
#define BPFS_MAX_LOOPS (8u * 1024 * 1024) /* BPF_MAX_LOOPS: may_goto budget */
#define BPFS_MAX_REGIONS 64
#define BPFS_TRACE_LINE_MAX 1024 /* MAX_BPRINTF_BUF */

/* ---------------------------------------------------------------------- */
/* Memory regions                                                         */

/* A range of host memory the program may access. The stack, the context,
 * the packet and map values are regions; helpers that hand out buffers add
 * theirs. probe_read reads only from regions, and a checked run stops at
 * the first access that falls outside all of them. */
struct bpfs_region {
	uintptr_t start;
	size_t len;
	const char *name; /* "ctx", "stack", "packet", "map value", ... */
	bool writable;
};

/* ---------------------------------------------------------------------- */
/* Map operations                                                         */

/* What the engines and the map helpers need from a map implementation.
 * The maps module provides such a table; a run without one has no maps
 * (map helpers return NULL or -EOPNOTSUPP and map references fail to
 * load). `map` is whatever resolve() made of an LD_IMM64 map reference:
 * an opaque pointer the program carries in a register. Any member may be
 * NULL. */
struct bpfs_map_ops {
	void *priv; /* passed back as the first argument of each call */
	/* LD_IMM64 with src_reg BPF_PSEUDO_MAP_FD (1) or BPF_PSEUDO_MAP_VALUE
	 * (2): imm is the map's index in the object, next_imm the offset into
	 * the value for src_reg 2. Sets *value to what the register receives
	 * (the map handle, or the address of the value plus the offset) and,
	 * for src_reg 2, *region and *region_len to the value's memory. Returns 0
	 * or a negative errno. */
	int (*resolve)(void *priv, uint8_t src_reg, int32_t imm, int32_t next_imm, uint64_t *value,
		       void **region, size_t *region_len);
	/* bpf_map_lookup_elem: the value's address or NULL. *value_len gets
	 * the value size, so that checked runs know the region. */
	void *(*lookup)(void *priv, void *map, const void *key, size_t *value_len);
	int (*update)(void *priv, void *map, const void *key, const void *value, uint64_t flags);
	int (*remove)(void *priv, void *map, const void *key);
	/* Sizes of a map's keys and values, for checking helper arguments. */
	int (*sizes)(void *priv, void *map, size_t *key_size, size_t *value_size);
	/* bpf_tail_call: the engine program (for the interpreter a struct
	 * bpfs_vm *) stored at index of a prog_array, or NULL when the slot
	 * is empty or the index out of range: the call then falls through. */
	void *(*tail_call_target)(void *priv, void *map, uint32_t index);
	/* bpf_perf_event_output. */
	int (*perf_event_output)(void *priv, void *map, uint64_t flags, const void *data, size_t size);
};

/* Map operations backed by the maps module, for the live maps of one
 * object: LD_IMM64 map index i is maps[i]; src_reg 2 points into the value
 * of key 0 (array maps, as the kernel's map_direct_value_addr allows).
 * Engines run programs inside a bpfs_rcu_read_lock() section when they
 * have map operations, so looked-up values stay valid for the run. */
struct bpfs_map_table {
	struct bpfs_map *const *maps;
	size_t nmaps;
	/* The engine program (for the interpreter a struct bpfs_vm *) that a
	 * prog_array entry stands for; NULL makes every tail call fall
	 * through. */
	void *(*prog_of)(struct bpfs_ref *ref, void *priv);
	void *prog_priv;
};

/* Fills ops with operations over table (which must outlive ops). */
void bpfs_map_ops_init(struct bpfs_map_ops *ops, const struct bpfs_map_table *table);

/* ---------------------------------------------------------------------- */
/* The run environment                                                    */

struct bpfs_task {
	uint32_t pid, tgid, uid, gid;
	char comm[16];
	uint32_t cpu;
	uint32_t cgroup_classid;
};

struct bpfs_run_env {
	struct bpfs_task task;
	/* bpf_get_prandom_u32's seed; runs with the same seed draw the same
	 * numbers. */
	uint64_t seed;
	/* bpf_ktime_get_ns: CLOCK_MONOTONIC when NULL. */
	uint64_t (*clock_ns)(void *clock_priv);
	void *clock_priv;
	/* bpf_trace_printk appends here (always NUL-terminated); output that
	 * does not fit is dropped and trace_truncated set. NULL: discarded. */
	char *trace;
	size_t trace_size;
	size_t trace_len;
	bool trace_truncated;
	const struct bpfs_map_ops *maps; /* NULL: no maps */
	/* Stop after this many instructions (0: no limit). Only checked runs
	 * count instructions. */
	uint64_t insn_limit;
	/* Checked runs of the interpreter add one here for every execution of
	 * each instruction of the program run (not of tail-call targets):
	 * coverage. NULL: not counted. */
	uint64_t *insn_counts;
	uint64_t *insn_taken; /* with insn_counts: the times each jump went to its target */
};

/* Fills env with the defaults: pid = tgid = 1000, uid = gid = 0, comm
 * "bpfscope", cpu 0, a fixed seed, no trace buffer, no maps. */
void bpfs_run_env_init(struct bpfs_run_env *env);

/* ---------------------------------------------------------------------- */
/* One run's state                                                        */

enum bpfs_violation {
	BPFS_VIOL_NONE,
	BPFS_VIOL_MEM,	      /* access outside every region */
	BPFS_VIOL_READONLY,   /* write to a read-only region */
	BPFS_VIOL_STACK,      /* access to the stack below the current frame */
	BPFS_VIOL_CALL_DEPTH, /* more than BPFS_MAX_CALL_FRAMES frames */
	BPFS_VIOL_INSN_LIMIT, /* the instruction budget ran out */
	BPFS_VIOL_HELPER,     /* a helper was given memory it may not use */
	BPFS_VIOL_BAD_CALL,   /* unknown helper, bad tail-call target */
	/* a helper the kernel has (and the verifier may accept) but
	 * bpfscope's runtime does not implement: a limit of bpfscope, not a
	 * fault of the program; the run fails with -EOPNOTSUPP */
	BPFS_VIOL_UNSUPPORTED,
};

/* The map values a run may touch: every value a lookup returned and every
 * value an LD_IMM64 points into. They are kept apart from the region
 * table, sorted by address and disjoint, so that a lookup of a value
 * already there adds nothing and a run may look up any number of values:
 * the set grows with the distinct values a run sees, not with its lookups,
 * and an access is found by binary search. The first BPFS_VALUES_INLINE
 * live in the run context itself; more go to the heap
 * (bpfs_run_ctx_release frees them). */
#define BPFS_VALUES_INLINE 16
struct bpfs_value_set {
	struct bpfs_region *v; /* n entries, sorted by start, disjoint */
	unsigned n, cap;
};

struct bpfs_run_ctx {
	struct bpfs_run_env *env;
	bool checked;
	unsigned nregions;
	unsigned nfixed;     /* regions set up before the run (not helpers') */
	uint64_t rnd[2];     /* bpf_get_prandom_u32 state */
	void *tail_target;   /* set by a successful tail-call lookup */
	uint32_t tail_calls; /* tail calls taken in this run */
	/* The run's context and the packet pointers the engine reads
	 * (bpfs_ctx.ptrs, or the engine's copy of them), for the helpers
	 * that move the packet's bounds; set by bpfs_ctx_add_regions. */
	struct bpfs_ctx *pctx;
	uint64_t *ptrs;
	/* The first violation: what, where, which region. */
	enum bpfs_violation viol;
	uintptr_t viol_addr;
	size_t viol_size;
	const char *viol_region; /* nearest region's name, or NULL */
	char viol_msg[160];
	struct bpfs_value_set values;
	/* Storage, last: bpfs_run_ctx_init does not clear it. */
	struct bpfs_region regions[BPFS_MAX_REGIONS];
	struct bpfs_region values_inline[BPFS_VALUES_INLINE];
};

/* Prepares rc for a run under env (which may be NULL: defaults). */
void bpfs_run_ctx_init(struct bpfs_run_ctx *rc, struct bpfs_run_env *env, bool checked);
/* Frees what the run allocated (a large value set). */
void bpfs_run_ctx_release(struct bpfs_run_ctx *rc);
/* Adds a region; -ENOSPC when the table is full. The table is for the
 * stack, the context, the packet and helpers' buffers; map values go to
 * bpfs_run_add_value. */
int bpfs_run_add_region(struct bpfs_run_ctx *rc, const void *start, size_t len, const char *name,
			bool writable);
/* Adds a map value of len bytes at start to the run's value set (nothing
 * when it is there already; a value overlapping one there is merged with
 * it). Returns 0 or -ENOMEM. */
int bpfs_run_add_value(struct bpfs_run_ctx *rc, const void *start, size_t len);
/* The map value holding [addr, addr + size), or NULL. */
const struct bpfs_region *bpfs_run_find_value(const struct bpfs_run_ctx *rc, uintptr_t addr, size_t size);
/* The region or map value holding [addr, addr + size), or NULL. The
 * pointer is valid until the next region or value is added. */
const struct bpfs_region *bpfs_run_find_region(const struct bpfs_run_ctx *rc, uintptr_t addr, size_t size);
/* Checks an access and records a violation (keeping the first one) when
 * it is outside every region or writes a read-only one. Returns 0 or
 * -EFAULT. */
int bpfs_run_check_access(struct bpfs_run_ctx *rc, uintptr_t addr, size_t size, bool write);
/* Records a violation of another kind (keeps the first). */
void bpfs_run_violation(struct bpfs_run_ctx *rc, enum bpfs_violation v, uintptr_t addr, size_t size,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const char *bpfs_violation_name(enum bpfs_violation v);

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

typedef uint64_t (*bpfs_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				   struct bpfs_run_ctx *rc);

struct bpfs_helper {
	int32_t id; /* enum bpf_func_id */
	const char *name;
	bpfs_helper_fn fn;
};

/* The helper with that id, or NULL when the runtime does not provide it.
 * BPF_FUNC_tail_call is listed but engines implement it themselves (it
 * does not return to the caller); its function only looks the target up
 * and leaves it in rc->tail_target. */
const struct bpfs_helper *bpfs_helper_get(int32_t id);
/* What a call of a helper the kernel has but bpfs_helper_get() lacks does
 * in either engine: records BPFS_VIOL_UNSUPPORTED naming the helper
 * ("helper bpf_get_numa_node_id#42 is not implemented by bpfscope's
 * runtime"), which stops the run. */
void bpfs_helper_missing(struct bpfs_run_ctx *rc, int32_t id);

/* ---------------------------------------------------------------------- */
/* Program contexts                                                       */

/* Indexes of the pointer fields a context conversion substitutes. */
enum bpfs_ctx_ptr {
	BPFS_CTX_DATA,
	BPFS_CTX_DATA_END,
	BPFS_CTX_DATA_META,
	BPFS_CTX_NPTRS,
};

/*
 * A context as BPF_PROG_TEST_RUN builds it. `ctx` points at a structure
 * laid out as the uapi one of the program type (struct __sk_buff, struct
 * xdp_md, struct pt_regs, or raw bytes), so that ordinary loads of its
 * 32-bit fields read what the kernel's converted loads would.
 *
 * The exception is the packet pointers. In the uapi they are 32-bit fields
 * (__u32 data, data_end, data_meta), which the kernel's convert_ctx_access
 * rewrites into 64-bit loads of skb->data and friends. The engines do the
 * same at load time: bpfs_ctx_ptr_field() names the fields, and a load of
 * one of them through the context pointer becomes "dst = ptrs[field]", a
 * full host pointer. The 32-bit field in `ctx` itself holds 0, so a load
 * the conversion could not prove to be through the context pointer reads a
 * pointer into page zero, which a checked run reports.
 *
 * Packet layout per type, as test_run makes it:
 *   socket_filter (and other non-L2 skb types): eth_type_trans() pulls the
 *       14-byte Ethernet header, so data = packet + 14, len = size - 14;
 *       LD_ABS/LD_IND offsets are relative to data (the network header).
 *   sched_cls, sched_act: the header is pushed back (is_l2): data = packet,
 *       len = size.
 *   both: protocol = the EtherType as stored (network order), ifindex = 1
 *       (loopback), pkt_type from the destination address; the other
 *       fields zero unless ctx_in sets them.
 *   xdp: struct xdp_md, data = data_meta = packet, data_end = packet + size,
 *       ingress_ifindex = 1, rx_queue_index = 0.
 *   kprobe: struct pt_regs from ctx_in (zeroes when none); no packet.
 *   anything else: the context is ctx_in itself (raw bytes).
 */
struct bpfs_ctx {
	uint32_t prog_type;
	void *ctx; /* what r1 points to */
	size_t ctx_len;
	uint8_t *data, *data_end;      /* the packet, or NULL */
	uint64_t ptrs[BPFS_CTX_NPTRS]; /* data, data_end, data_meta as u64 */
	/* xdp: the frame the packet sits in (test_run's page: 256 bytes of
	 * headroom, then at most 3520 of packet, then the tailroom), within
	 * which bpf_xdp_adjust_head/_meta/_tail move the bounds; skb types:
	 * the frame from its Ethernet header with room to grow to
	 * BPF_SKB_MAX_LEN (bpf_skb_change_tail) */
	uint8_t *hard_start, *hard_end;
	void *owned;		       /* storage to free */
};

/* Builds a context for prog_type from a packet (Ethernet frame, may be
 * NULL for types without one) and an optional context input (ctx_in, e.g.
 * a struct __sk_buff whose mark/priority/cb fields are taken, or a struct
 * pt_regs). The packet is copied. Returns 0 or a negative errno (-EINVAL
 * when the packet is shorter than an Ethernet header for skb types). */
int bpfs_ctx_build(struct bpfs_ctx *out, uint32_t prog_type, const void *pkt, size_t pkt_len,
		   const void *ctx_in, size_t ctx_in_len, struct bpfs_err *err);
/* Whether programs of prog_type run on a packet (the socket-buffer types
 * and XDP), which bpfs_ctx_build then requires. */
bool bpfs_ctx_has_packet(uint32_t prog_type);

/* LD_ABS/LD_IND: size bytes (1, 2 or 4) of ctx's packet at off,
 * big-endian, into *v. Offsets count from data; for skb contexts,
 * offsets from SKF_NET_OFF (-0x100000) count from the network header and
 * from SKF_LL_OFF (-0x200000) from the Ethernet header, as the kernel's
 * bpf_internal_load_pointer_neg_helper reads them. False when the bytes
 * are not all in the packet (the program then ends with r0 = 0). */
bool bpfs_ctx_load_packet(const struct bpfs_ctx *ctx, int32_t off, unsigned size, uint64_t *v);

/* A context that is the given memory itself, unconverted (conformance
 * tests: r1 = mem); the memory is also the packet LD_ABS/LD_IND read. */
void bpfs_ctx_raw(struct bpfs_ctx *out, void *mem, size_t len);
void bpfs_ctx_release(struct bpfs_ctx *ctx);

/* For a load of `size` bytes at offset off of the context of prog_type:
 * the enum bpfs_ctx_ptr it must be converted to, or -1 when it is an
 * ordinary load. */
int bpfs_ctx_ptr_field(uint32_t prog_type, int32_t off, unsigned size);

/* Adds the regions a run with ctx may touch besides the stack: the
 * context ("ctx") and the packet ("packet"). */
int bpfs_ctx_add_regions(struct bpfs_ctx *ctx, struct bpfs_run_ctx *rc);

/* ---------------------------------------------------------------------- */
/* The loaded image                                                       */

/*
 * A program as every engine executes it, loaded once: validated,
 * its context loads converted and its map references resolved. Engines
 * (the interpreter in either mode, the JIT) build their own forms from an
 * image, and several may share one: what loading decides is decided once
 * for all of them.
 *
 * Loading checks, in this order: the size (1 to BPFS_MAX_INSNS); without
 * opts->verified, bpfs_check_cfg(BPFS_CHECK_ALLOW_BACK_EDGES) (valid
 * instructions, jumps in range, no unreachable code, loops allowed); then
 * for each instruction what would make it unsafe to execute even after
 * the verifier: registers above r10 ("R%d is invalid"), writes to r10
 * ("frame pointer is read only"), jumps and local calls out of range,
 * calls of helpers the kernel does not have ("invalid func unknown#%d"),
 * kfunc calls, malformed LD_IMM64 and LD_IMM64 sources other than 0,
 * BPF_PSEUDO_FUNC and the map ones. A call of a kernel helper the runtime
 * lacks loads (the verifier accepts it): a run fails when it reaches it.
 */
struct bpfs_image;

struct bpfs_image_opts {
	/* enum bpf_prog_type: selects the context conversion (see
	 * bpfs_ctx_ptr_field). BPF_PROG_TYPE_UNSPEC: none. */
	uint32_t prog_type;
	/* The program passed the verifier: skip bpfs_check_cfg. */
	bool verified;
	/* Resolves LD_IMM64 map references; programs that have some fail to
	 * load without it. Must outlive the image. */
	const struct bpfs_map_ops *maps;
};

/* What loading made of one instruction. */
struct bpfs_image_insn {
	/* LD_IMM64 (both slots): the value its register gets, map references
	 * resolved; for BPF_PSEUDO_FUNC the index of the function's first
	 * instruction */
	uint64_t imm64;
	/* a converted context load: the enum bpfs_ctx_ptr it reads; -1 for
	 * every other instruction */
	int8_t ctx_ptr;
	bool func_ref; /* LD_IMM64 of a function's address (BPF_PSEUDO_FUNC) */
	/* a call of a helper the kernel has and the runtime lacks */
	bool missing_helper;
};

/* Loads insns (copied). Returns NULL with err set on failure (err->insn
 * names the instruction). opts may be NULL. */
struct bpfs_image *bpfs_image_new(const struct bpf_insn *insns, size_t cnt, const struct bpfs_image_opts *opts,
				  struct bpfs_err *err);
void bpfs_image_free(struct bpfs_image *img);
/* The instructions and their count. */
const struct bpf_insn *bpfs_image_insns(const struct bpfs_image *img, size_t *cnt);
/* Instruction i as loaded, or NULL when i is out of range. */
const struct bpfs_image_insn *bpfs_image_insn(const struct bpfs_image *img, size_t i);
uint32_t bpfs_image_prog_type(const struct bpfs_image *img);
/* Number of context loads the conversion rewrote. */
size_t bpfs_image_ctx_conversions(const struct bpfs_image *img);
/* Adds the map values LD_IMM64 references point into to rc's value set
 * (every engine does before a run). Returns 0 or -ENOMEM. */
int bpfs_image_add_value_regions(const struct bpfs_image *img, struct bpfs_run_ctx *rc);

/* ---------------------------------------------------------------------- */
/* Engines                                                                */

/* What a run did besides returning r0. */
struct bpfs_run_report {
	enum bpfs_violation viol; /* BPFS_VIOL_NONE after a normal exit */
	uint64_t r0;		  /* all 64 bits of r0 at exit; 0 when stopped */
	int insn;		  /* instruction of the violation, or -1 */
	uintptr_t addr;		  /* for memory violations */
	size_t size;
	char region[32]; /* nearest region, "" for none */
	char msg[256];	 /* e.g. "insn 3: invalid read of 8 bytes at
			  * stack-520: stack frame overflow" */
	uint64_t insns;	 /* instructions executed (checked runs) */
	uint32_t tail_calls;
	bool ld_abs_fault; /* an LD_ABS/LD_IND was out of range */
};

/*
 * An execution engine: builds its form of an image (which must outlive
 * it) and runs it. The instances are the interpreter's two modes
 * (interp.h: bpfs_engine_interp, bpfs_engine_interp_checked) and the JIT
 * (jit.h: bpfs_engine_jit, bpfs_engine_jit_hardened). Every engine runs
 * as bpfs_vm_run() describes (r1 = ctx->ctx, r2 = ctx->ctx_len, r10 the
 * top of a fresh 512-byte frame) with the same results; tail calls go
 * through env->maps->tail_call_target, which must hand back programs of
 * the same engine.
 */
struct bpfs_engine_ops {
	const char *name; /* "interp", "checked", "jit", "jit-hardened" */
	bool checked;	  /* checks every memory access */
	/* NULL with err set when the engine cannot take the image. */
	void *(*load)(const struct bpfs_image *img, struct bpfs_err *err);
	int (*run)(const void *prog, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		   struct bpfs_run_report *report);
	void (*free)(void *prog);
};

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_RUNTIME_H */
