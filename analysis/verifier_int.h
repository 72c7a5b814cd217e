/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the path-exploring verifier: abstract register
 * and stack state, tracked numbers (tnum), scalar bounds, the helper
 * prototype table, the context layouts and the log.
 *
 * Only files of the analysis module include this header.
 */
#ifndef BPFSCOPE_VERIFIER_INT_H
#define BPFSCOPE_VERIFIER_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"

/* ---------------------------------------------------------------------- */
/* Tracked numbers: a 64-bit value whose bits are known (mask bit 0, value
 * bit gives it) or unknown (mask bit 1, value bit 0). tnum.c. */

struct tnum {
	uint64_t value;
	uint64_t mask;
};

#define TNUM(v, m) ((struct tnum){ .value = (v), .mask = (m) })

extern const struct tnum tnum_unknown;
struct tnum tnum_const(uint64_t v);
struct tnum tnum_range(uint64_t min, uint64_t max);
struct tnum tnum_lshift(struct tnum a, uint8_t shift);
struct tnum tnum_rshift(struct tnum a, uint8_t shift);
struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t bits);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_neg(struct tnum a);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_intersect(struct tnum a, struct tnum b);
struct tnum tnum_cast(struct tnum a, uint8_t size);
bool tnum_is_aligned(struct tnum a, uint64_t size);
bool tnum_in(struct tnum a, struct tnum b); /* b's values all in a */
bool tnum_contains(struct tnum a, uint64_t v);
struct tnum tnum_subreg(struct tnum a);
struct tnum tnum_clear_subreg(struct tnum a);
struct tnum tnum_with_subreg(struct tnum reg, struct tnum subreg);
int tnum_snprint(char *buf, size_t len, struct tnum a);

static inline bool tnum_is_const(struct tnum a)
{
	return !a.mask;
}

static inline bool tnum_is_unknown(struct tnum a)
{
	return !~a.mask;
}

static inline bool tnum_equals_const(struct tnum a, uint64_t v)
{
	return tnum_is_const(a) && a.value == v;
}

/* ---------------------------------------------------------------------- */
/* Abstract registers */

enum reg_type {
	NOT_INIT = 0,             /* never written on this path */
	SCALAR_VALUE,             /* a number: tnum + ranges */
	PTR_TO_CTX,               /* the program's context argument */
	CONST_PTR_TO_MAP,         /* a map (LD_IMM64 of a map fd) */
	PTR_TO_MAP_VALUE,         /* into a map value; off + var within value_size */
	PTR_TO_MAP_VALUE_OR_NULL, /* lookup result before the NULL check */
	PTR_TO_MAP_KEY,           /* into a map key */
	PTR_TO_STACK,             /* into the stack of frame `frameno` */
	PTR_TO_PACKET_META,       /* skb/xdp data_meta */
	PTR_TO_PACKET,            /* skb/xdp data; `range` bytes proven readable */
	PTR_TO_PACKET_END,        /* data_end: only for comparisons */
	PTR_TO_MEM,               /* mem_size bytes (ring buffer record) */
	PTR_TO_MEM_OR_NULL,       /* ring buffer reserve before the NULL check */
	PTR_TO_SOCKET,            /* a full socket: struct bpf_sock, read-only */
	PTR_TO_SOCKET_OR_NULL,    /* sk lookup, sk_fullsock result before the NULL check */
	PTR_TO_SOCK_COMMON,       /* skb->sk after the NULL check: part of struct bpf_sock */
	PTR_TO_SOCK_COMMON_OR_NULL, /* skb->sk, skc lookup */
	CONST_PTR_TO_MAP_OR_NULL, /* lookup in a map of maps */
	PTR_TO_TCP_SOCK,          /* bpf_tcp_sock() after the NULL check */
	PTR_TO_TCP_SOCK_OR_NULL,  /* bpf_tcp_sock() result */
	PTR_TO_BTF_ID,            /* a kernel struct described by BTF (bpf_skc_to_*) */
	PTR_TO_BTF_ID_OR_NULL,    /* bpf_skc_to_*() result */
	PTR_TO_BUF,               /* mem_size bytes of plain memory (a global function's pointer argument) */
	PTR_TO_BUF_OR_NULL,       /* the same before its NULL check */
	PTR_TO_FLOW_KEYS,         /* a flow dissector's struct bpf_flow_keys: read and written */
	PTR_TO_TP_BUFFER,         /* a writable tracepoint's buffer: its size is checked when attached */
	REG_TYPE_MAX,
};

struct reg_state {
	enum reg_type type;
	int32_t off;        /* fixed offset of pointers */
	struct tnum var_off; /* scalars: the value; pointers: the variable offset */
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32_min, s32_max;
	uint32_t u32_min, u32_max;
	uint32_t id;        /* copies share it: NULL checks, packet ranges, scalar links */
	int32_t map;        /* map index: map pointers and values */
	int32_t range;      /* packet: bytes [pkt, pkt + range) proven in bounds,
			     * or BEYOND_PKT_END / AT_PKT_END */
	uint32_t mem_size;  /* PTR_TO_MEM */
	uint32_t frameno;   /* PTR_TO_STACK: which frame */
	bool precise;       /* scalars: some safety decision depends on the exact range */
	uint32_t ref_obj_id; /* acquired object (ring buffer record, socket) it points to */
	uint8_t live;       /* LIVE_*: in snapshots, for pruning; stack slots use spilled.live */
};

/* Negative packet ranges: a comparison with pkt_end proved this register
 * (not its copies) to lie past the end, so that the same comparison
 * repeated is known (the kernel's mark_pkt_end) */
#define BEYOND_PKT_END (-1) /* pkt > pkt_end */
#define AT_PKT_END (-2)     /* pkt >= pkt_end */

/* Liveness marks (the kernel's REG_LIVE_*) */
enum {
	LIVE_READ = 1,    /* snapshot: some path from it read the value */
	LIVE_WRITTEN = 2, /* written since the previous snapshot (screens reads) */
};

/* Per byte of stack */
enum stack_slot_type {
	STACK_INVALID = 0, /* never written */
	STACK_SPILL,       /* part of a register spilled by an 8-byte aligned store */
	STACK_MISC,        /* some number */
	STACK_ZERO,        /* known zero */
};

#define BPF_REG_SIZE 8
#define MAX_BPF_STACK 512
#define MAX_CALL_FRAMES 8
#define BPF_MAX_VAR_OFF (1 << 29)
#define BPF_MAX_VAR_SIZ (1 << 29)

struct stack_slot {
	struct reg_state spilled; /* valid when all 8 bytes are STACK_SPILL */
	uint8_t type[BPF_REG_SIZE]; /* type[i] describes byte -(slot*8 + 8 - i) */
};

struct func_state {
	struct reg_state regs[BPFS_MAX_REG + 1];
	uint32_t frameno;
	int32_t callsite;  /* call insn in the caller, -1 for the main program */
	uint32_t subprog;
	uint32_t nslots;   /* allocated 8-byte slots, from the top of the frame */
	struct stack_slot *stack;
};

struct explored;

/* A reference the program must release before exit: its id, and the
 * insn that acquired it */
struct ref_ent {
	uint32_t id, insn;
};

/* A transition other than fall-through on the path (to idx from prev),
 * or an insn that touched a stack slot at a known place (flags), or both */
struct hist_ent {
	uint32_t idx, prev;
	uint32_t flags; /* HIST_STACK | frame << HIST_FRAME_SHIFT | spi */
};

#define HIST_STACK 0x8000u     /* the insn accessed slot spi of frame fr */
#define HIST_SPI_MASK 0x3fu
#define HIST_FRAME_SHIFT 8
#define HIST_FRAME_MASK 0x7u

/* The path since the parent snapshot (its "segment") is kept so that
 * precision can be tracked backwards: seg_len insns were executed, with
 * the jumps among them (and the one into the next snapshot) and the
 * stack slots they accessed in hist. */
struct vstate {
	struct func_state *frame[MAX_CALL_FRAMES];
	uint32_t curframe;
	struct explored *parent; /* latest explored snapshot on this path */
	struct hist_ent *hist;
	uint32_t nhist, caphist;
	uint32_t seg_len;
	struct ref_ent *refs; /* acquired references not yet released */
	uint32_t nrefs;
};

/* A state saved at a prune point. `branches` counts the paths still being
 * walked that descend from it; while positive it may be an ancestor of the
 * current state and cannot justify pruning (only loop detection). */
struct explored {
	struct explored *next;
	struct vstate st;
	uint64_t trace_id;             /* its id in the trace, 0 when not tracing */
	uint32_t branches;
	uint32_t insn;
	uint32_t hit_cnt, miss_cnt;
	bool evicted;                  /* off its list, kept while in progress */
	struct explored *gnext, *gprev; /* evicted states still in progress */
};

/* ---------------------------------------------------------------------- */
/* Scalar bounds: bounds.c */

void reg_mark_unknown_scalar(struct reg_state *r);
void reg_mark_known(struct reg_state *r, uint64_t v);
void reg_mark_not_init(struct reg_state *r);
/* Unbounded variable part; keeps type and fixed offset */
void reg_mark_var_unbounded(struct reg_state *r);
void reg_mark_var_known(struct reg_state *r, uint64_t v);
void reg_bounds_sync(struct reg_state *r);
bool reg_bounds_empty(const struct reg_state *r);
/* After a 32-bit operation: upper half zero */
void reg_zext32(struct reg_state *r);
bool reg_is_const(const struct reg_state *r, bool is32);
uint64_t reg_const(const struct reg_state *r, bool is32);
/* dst = dst op src on scalars; op is BPF_ADD.., is32 for ALU (not ALU64).
 * Returns 0, or -EINVAL for an op it does not know. */
int scalar_alu(struct reg_state *dst, const struct reg_state *src, uint8_t op, bool is32);
/* r = the low size (1, 2, 4) bytes of r zero-extended (narrow loads,
 * byte swaps) */
void scalar_trunc(struct reg_state *r, int size);
/* r = the low size (1, 2, 4) bytes of r sign-extended, to 64 bits, or
 * for is32 to 32 bits then zero-extended (MOVSX, LDSX) */
void scalar_sext(struct reg_state *r, int size, bool is32);
/* Outcome of `a op b` for a conditional jump op: 1 always, 0 never,
 * -1 unknown. */
int scalar_branch_taken(const struct reg_state *a, const struct reg_state *b, uint8_t op, bool is32);
/* Refines a and b assuming `a op b` holds (taken) or not. Returns false
 * when no pair of values satisfies it (the arm is infeasible). */
bool scalar_refine(struct reg_state *a, struct reg_state *b, uint8_t op, bool is32, bool taken);

/* ---------------------------------------------------------------------- */
/* Helper prototypes: helpers.c */

enum arg_type {
	ARG_DONTCARE = 0,      /* unused argument */
	ARG_ANYTHING,          /* any initialised value */
	ARG_CONST_MAP_PTR,     /* CONST_PTR_TO_MAP */
	ARG_PTR_TO_MAP_KEY,    /* key_size initialised bytes */
	ARG_PTR_TO_MAP_VALUE,  /* value_size initialised bytes */
	ARG_PTR_TO_MEM,        /* read: initialised bytes, size in the next arg */
	ARG_PTR_TO_MEM_OR_NULL,/* same, or NULL (with size 0) */
	ARG_PTR_TO_UNINIT_MEM, /* written: size in the next arg */
	ARG_CONST_SIZE,        /* size of the previous memory arg, > 0 */
	ARG_CONST_SIZE_OR_ZERO,/* size, may be 0 */
	ARG_PTR_TO_CTX,        /* the context */
	ARG_PTR_TO_CTX_OR_NULL,/* the context, or NULL */
	ARG_CONST_ALLOC_SIZE,  /* ring buffer reserve size: known constant */
	ARG_PTR_TO_ALLOC_MEM,  /* ring buffer record (PTR_TO_MEM) */
	ARG_PTR_TO_SOCKET,     /* a full socket */
	ARG_PTR_TO_SOCK_COMMON, /* any socket pointer: sock_common, sock, tcp_sock */
	ARG_PTR_TO_BTF_ID_SOCK_COMMON, /* the same, or (with BTF) a kernel socket */
	ARG_PTR_TO_BTF_ID_SOCK_COMMON_OR_NULL, /* the same, maybe NULL */
	ARG_PTR_TO_STACK_OR_NULL,
	ARG_PTR_TO_LONG,       /* written: 8 bytes, 8-byte aligned, may be uninitialised */
	ARG_PTR_TO_MAP_VALUE_OR_NULL, /* value_size initialised bytes, or NULL */
	ARG_PTR_TO_UNINIT_MAP_VALUE,  /* written: value_size bytes (queue and stack pops) */
	ARG_PTR_TO_CONST_STR,  /* a NUL-terminated string in a frozen read-only map value */
	/* a map value's struct bpf_spin_lock: map specs carry no BTF, so
	 * none is known to have one */
	ARG_PTR_TO_SPIN_LOCK,
	/* a kernel struct other than a socket (xdp_buff, task_struct), for
	 * which there is no pointer type: nothing matches */
	ARG_PTR_TO_KERNEL_BTF,
	ARG_PTR_TO_U32,        /* 4 bytes the helper reads and writes (bpf_check_mtu's length) */
};

enum ret_type {
	RET_INTEGER = 0,                /* R0 unknown scalar */
	RET_VOID,                       /* R0 not readable */
	RET_PTR_TO_MAP_VALUE_OR_NULL,   /* map value of arg1's map, or NULL */
	RET_PTR_TO_MAP_VALUE,           /* map value of arg1's map */
	RET_PTR_TO_MEM_OR_NULL,         /* arg size bytes, or NULL */
	RET_PTR_TO_SOCKET_OR_NULL,      /* socket or NULL */
	RET_PTR_TO_SOCKET,              /* socket */
	RET_PTR_TO_SOCK_COMMON_OR_NULL, /* sock_common or NULL */
	RET_PTR_TO_TCP_SOCK_OR_NULL,    /* tcp_sock or NULL */
	RET_PTR_TO_BTF_ID_OR_NULL,      /* a kernel struct (a socket) or NULL */
};

/* Program types as bits of a helper's mask */
#define PROG_BIT(t) (1ull << (t))

/* What a caller needs beyond loading its program type: the tiers of the
 * kernel's base helpers */
enum helper_cap {
	HCAP_NONE = 0, /* any loader, unprivileged ones too */
	HCAP_BPF,      /* CAP_BPF */
	HCAP_PERFMON,  /* CAP_PERFMON */
};

struct helper_proto {
	int32_t id;
	enum ret_type ret;
	enum arg_type arg[5];
	bool gpl_only;
	bool pkt_changing; /* invalidates packet pointers */
	uint64_t progs;    /* PROG_BIT of every program type this row is the prototype for */
	uint64_t map_type_req; /* bit per allowed map type, 0: any */
	uint8_t cap;       /* enum helper_cap */
	bool might_sleep;  /* sleepable programs only (BPF_F_SLEEPABLE) */
};

/* The prototype of helper id for a program of prog_type (a few helpers
 * take other arguments in other program types), or NULL when that type
 * may not call it. */
const struct helper_proto *helper_proto_for(int32_t id, uint32_t prog_type);
/* A prototype of helper id that reads every argument register any of its
 * prototypes reads (for liveness), or NULL */
const struct helper_proto *helper_proto(int32_t id);
/* Whether the run's privileges and attach type allow calling fn */
bool helper_allowed(const struct helper_proto *fn, const struct bpfs_verifier_opts *o);

/* ---------------------------------------------------------------------- */
/* Context layouts: ctx.c */

struct ctx_access {
	enum reg_type reg_type; /* SCALAR_VALUE, or the packet or socket pointer a load yields */
};

/* Returns true when the context of the program type (and attach type)
 * of the options allows an access of `size` bytes at `off` (write when
 * is_write), filling *res. */
bool ctx_access_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write, struct ctx_access *res);
/* Loads from the socket views: struct bpf_sock (sock_common: the part a
 * request or timewait socket has) and struct bpf_tcp_sock */
bool bpf_sock_access_ok(int off, int size, bool sock_common);
bool bpf_tcp_sock_access_ok(int off, int size);
/* An access of size bytes at off .. off + var_max of struct bpf_flow_keys */
bool flow_keys_access_ok(int64_t off_min, int64_t off_max, int size);
/* The range R0 must lie in at exit; false when any value is fine. */
bool prog_retval_range(const struct bpfs_verifier_opts *o, int32_t *lo, int32_t *hi);
bool prog_may_write_packet(uint32_t prog_type);
bool prog_may_ld_abs(uint32_t prog_type);
struct venv;
/* After an accepted walk: out->ctx_access from the instructions whose
 * base pointer was the context. 0 or -ENOMEM. */
int ctx_export_accesses(const struct venv *env, struct bpfs_verdict *out);

/* ---------------------------------------------------------------------- */
/* The log: log.c */

struct vlog {
	char *buf;
	size_t len, cap;
	uint32_t level;
	bool oom;
};

void vlog_printf(struct vlog *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vlog_vprintf(struct vlog *log, const char *fmt, va_list ap);
const char *reg_type_str(enum reg_type t);
/* Appends "R0=... R10=fp0" for the current frame of st, and stack slots */
void vlog_state(struct vlog *log, const struct vstate *st, const struct bpfs_map_spec *maps, size_t map_cnt);
int reg_snprint(char *buf, size_t len, const struct reg_state *r, const struct bpfs_map_spec *maps,
		size_t map_cnt);

/* ---------------------------------------------------------------------- */
/* One verifier run: verifier.c, verif_mem.c, verif_alu.c, verif_call.c */

struct pending {
	struct vstate st;
	uint32_t insn_idx;
	uint32_t prev_insn_idx;
	uint64_t trace_id; /* its id in the trace, 0 when not tracing */
};

struct venv {
	const struct bpf_insn *insns;
	size_t cnt;
	const struct bpfs_verifier_opts *opts;
	const struct bpfs_map_spec *maps;
	size_t map_cnt;
	struct bpfs_cfg *cfg;
	struct vlog log;

	struct vstate cur;
	uint32_t insn_idx;
	uint32_t prev_insn_idx;

	struct pending *stack; /* branches still to walk */
	size_t nstack, capstack;
	struct explored **explored; /* per insn */
	uint32_t *states_per_insn;
	uint16_t *live_regs;        /* per insn: registers read before written */
	uint8_t *prune_point;       /* per insn: states are compared there */
	uint32_t *stack_depth;      /* per subprog: deepest byte used */
	uint8_t *calls;             /* nsubprogs x nsubprogs: caller calls callee */
	struct explored *graveyard; /* evicted explored states still in progress */
	uint64_t jmps_processed, prev_jmps_processed, prev_insn_processed;
	uint8_t *insn_aux;      /* per insn: INSN_AUX_* */
	uint8_t *insn_ptr_type; /* per load/store: the base pointer type first seen */

	uint32_t id_gen;
	uint64_t insn_processed, insn_limit;
	uint64_t total_states, max_states_per_insn, mark_read_cnt;
	uint64_t cur_states, peak_states; /* explored states alive */

	bool allow_ptr_leaks;    /* root: pointers may become numbers */
	bool allow_uninit_stack; /* root: reading unwritten stack is allowed */
	bool strict_align_once;  /* this access is checked for alignment whatever the flags */
	bool sign_ext_once;      /* this load sign-extends (BPF_MEMSX) */
	bool bpf_capable;        /* root: spills of scalars keep their value */
	bool legacy;             /* the 3.18 profile */
	bool gpl;

	bool has_err;
	int err_insn;
	char errmsg[512];

	struct subprog_info *sub; /* per subprogram: BTF name, linkage, global-function state */
	bool has_func_info;	  /* the program came with BTF func_info */
	uint32_t cur_global;	  /* the global function being verified, 0 for the main program */

	const struct bpfs_line_info *prev_line; /* the source line the log printed last */

	const struct bpfs_verifier_trace *trace; /* NULL: not tracing */
	uint64_t trace_ids;	 /* the last id given to a pushed or stored state */
	uint64_t trace_covered; /* the checkpoint that pruned the current path */
};

/* Reports an event to the trace (env->trace set): fills in the call
 * depth and the current path's last checkpoint. */
void vtrace(struct venv *env, struct bpfs_trace_event *ev);
/* The registers of st's current frame as the log prints them (all of
 * them, or those in mask), into buf. */
void vtrace_regs(struct venv *env, const struct vstate *st, uint16_t mask, char *buf, size_t len);

/* ---------------------------------------------------------------------- */
/* Global functions: verif_global.c */

enum global_arg {
	GARG_SCALAR,      /* an integer or enum */
	GARG_CTX,         /* the program's context */
	GARG_MEM_OR_NULL, /* mem_size bytes, or NULL */
};

struct subprog_info {
	uint32_t type_id; /* its BTF FUNC, 0 without func_info */
	const char *name; /* its BTF name, NULL without func_info */
	bool global;      /* global linkage (and not the main program) */
	bool prepared, called, verified;
	int prep_err;     /* why its prototype is refused, once prepared */
	uint32_t nargs;
	enum global_arg arg[5];
	uint32_t mem_size[5];
};

/* Reads the subprograms' BTF names and linkage (env->sub). */
int global_funcs_init(struct venv *env);
bool subprog_is_global(const struct venv *env, uint32_t s);
/* A call of global function callee: arguments checked, R0 an unknown
 * scalar, the walk goes on after the call. */
int global_func_call(struct venv *env, uint32_t callee, uint32_t *next_idx);
/* After the main program: verifies every global function called. */
int verify_global_funcs(struct venv *env);
/* The walk from env->cur (verifier.c). */
int do_check(struct venv *env);

/* Logs an error line; the first becomes the verdict's message. Returns
 * -code. */
int verr(struct venv *env, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Logs an error line without returning (when a second line follows) */
void verr_line(struct venv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline struct func_state *cur_frame(struct venv *env)
{
	return env->cur.frame[env->cur.curframe];
}

static inline struct reg_state *cur_regs(struct venv *env)
{
	return cur_frame(env)->regs;
}

static inline bool reg_is_pointer(const struct reg_state *r)
{
	return r->type != SCALAR_VALUE && r->type != NOT_INIT;
}

static inline bool reg_is_pkt(const struct reg_state *r)
{
	return r->type == PTR_TO_PACKET || r->type == PTR_TO_PACKET_META;
}

static inline bool type_may_be_null(enum reg_type t)
{
	return t == PTR_TO_MAP_VALUE_OR_NULL || t == PTR_TO_MEM_OR_NULL || t == PTR_TO_BUF_OR_NULL || t == PTR_TO_SOCKET_OR_NULL ||
	       t == PTR_TO_SOCK_COMMON_OR_NULL || t == CONST_PTR_TO_MAP_OR_NULL || t == PTR_TO_TCP_SOCK_OR_NULL ||
	       t == PTR_TO_BTF_ID_OR_NULL;
}

/* Pointers to the socket views of struct bpf_sock and struct bpf_tcp_sock:
 * read-only, no arithmetic */
static inline bool type_is_sk_pointer(enum reg_type t)
{
	return t == PTR_TO_SOCKET || t == PTR_TO_SOCK_COMMON || t == PTR_TO_TCP_SOCK;
}

/* insn_aux flags */
#define INSN_AUX_NO_REWRITE 2 /* a socket field load the kernel allows but cannot rewrite */

/* Precision tracking (verif_prec.c): the scalar in regno (or the spilled
 * scalar at stack slot spi of the current frame) matters exactly for a
 * safety decision at the current insn; marks it, and what it was
 * computed from, precise in the snapshots of the current path. */
int mark_chain_precision(struct venv *env, uint32_t regno);
int mark_slot_precision(struct venv *env, uint32_t frameno, uint32_t spi);
/* After pruning against old: what is precise in old is precise here */
int propagate_precision(struct venv *env, const struct vstate *old);
void mark_all_scalars_precise(struct venv *env);
/* Snapshots start with no precise scalar: what their paths need is marked
 * into them by backtracking (verif_prec.c) */
void mark_all_scalars_imprecise(struct vstate *st);
/* The insn being checked accessed slot spi of frame frameno (a fixed
 * offset within one slot): recorded on the path for backtracking */
int note_stack_access(struct venv *env, uint32_t frameno, uint32_t spi);
/* The same for an access of size bytes at off through stack pointer ptr
 * that spills (a store of val) or fills, when its place is known;
 * stored_regno (or -1) is the register a store writes, whose zero value
 * may need to be precise */
int record_stack_access(struct venv *env, const struct reg_state *ptr, int off, int size, bool is_write,
			const struct reg_state *val, int stored_regno);
int push_hist(struct vstate *st, uint32_t idx, uint32_t prev);

int check_reg_read(struct venv *env, uint32_t regno);
int check_reg_write(struct venv *env, uint32_t regno);
int frame_grow_stack(struct func_state *f, uint32_t nslots);
void mark_pkt_pointers_unknown(struct venv *env);
int acquire_reference(struct venv *env, uint32_t id);
/* The current path reads register regno (slot spi when regno < 0: -1 - spi)
 * of frame f: marks the snapshots whose value it is as read */
void mark_read(struct venv *env, uint32_t f, int regno);
void mark_slot_written(struct func_state *f, uint32_t spi);
/* References still held: "Unreleased reference ..." for each, then
 * "<what> would lead to reference leak"; 0 when none */
int check_reference_leak(struct venv *env, const char *what);
/* Releases the reference and invalidates every register holding it;
 * -ENOENT when it is not held */
int release_reference(struct venv *env, uint32_t ref_obj_id);

int vstate_copy(struct vstate *dst, const struct vstate *src);
void vstate_free(struct vstate *st);

/* verif_prune.c */
int compute_liveness(struct venv *env);
int compute_prune_points(struct venv *env);
void mark_insn_reads(struct venv *env, const struct bpf_insn *insn);
void mark_insn_writes(struct venv *env, const struct bpf_insn *insn, uint32_t frame_before);
/* Returns 1 to prune the current path, 0 to go on, or an error */
int is_state_visited(struct venv *env, uint32_t idx);
/* A path ended below snapshot e */
void update_branch_counts(struct venv *env, struct explored *e);
void free_explored(struct explored *e);

/* verif_mem.c */
int check_mem_access(struct venv *env, uint32_t regno, int off, int size, bool is_write, const struct reg_state *val,
		     int dst_regno, bool is_st_imm);
/* pkt_ok: the helper may take packet memory (the kernel's pkt_access) */
int check_helper_mem_access(struct venv *env, uint32_t regno, int size, bool is_write, bool zero_ok, bool pkt_ok);
int check_packet_access(struct venv *env, uint32_t regno, int off, int size);
/* A pointer that must be used unmodified: no fixed, no variable offset */
int check_ptr_off_reg(struct venv *env, uint32_t regno, const struct reg_state *reg);
int check_map_region(struct venv *env, uint32_t regno, int off, int size);
/* The pointer in regno is aligned to size whatever the load flags say */
int check_ptr_alignment_strict(struct venv *env, uint32_t regno, int size);
/* A stack key of constant value: returns true and sets *val */
bool stack_const_key(struct venv *env, const struct reg_state *reg, uint32_t size, uint64_t *val);

/* verif_alu.c */
int check_alu_op(struct venv *env, const struct bpf_insn *insn);
/* A scalar in [-1, 0] (in 64 or in 32 bits) about to be combined with a
 * constant by AND or OR, LLVM's select by a sign mask: the current path
 * goes on with -1 and a path re-executing the insn with 0 is pushed, so
 * each knows its exact result (the kernel's maybe_fork_scalars). */
int fork_sign_mask(struct venv *env, uint32_t regno);

/* verif_call.c */
int check_helper_call(struct venv *env, const struct bpf_insn *insn);
int check_func_call(struct venv *env, const struct bpf_insn *insn, uint32_t *next_idx);
int prepare_func_exit(struct venv *env, uint32_t *next_idx);

#endif /* BPFSCOPE_VERIFIER_INT_H */
