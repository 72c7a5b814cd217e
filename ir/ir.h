/* SPDX-License-Identifier: MIT */
/*
 * bpfscope IR: instruction decoding and validity, disassembly, assembly,
 * program loaders (raw bytecode, assembly text, conformance .data files,
 * ELF objects) and the control-flow graph.
 *
 * This is the bottom module: it depends on libc and the kernel's uapi
 * header <linux/bpf.h> only (the ELF loader uses libelf internally, and
 * no libelf type appears here). Every other module builds on it.
 *
 * Conventions: functions return 0 or a negative errno; constructors return
 * NULL or fill an out-parameter and report why in a struct bpfs_err. The
 * library never prints.
 */
#ifndef BPFSCOPE_IR_H
#define BPFSCOPE_IR_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPFS_MAX_INSNS 1000000u /* largest program the kernel loads */
#define BPFS_MAX_REG 10         /* r10 is the read-only frame pointer */

/* ---------------------------------------------------------------------- */
/* Errors                                                                 */

/* Why something failed: the errno, a message (kernel wording where the
 * kernel has one) and, when it concerns one instruction, that
 * instruction's index. */
struct bpfs_err {
	int insn;  /* instruction index, or -1 */
	int errnum; /* the positive errno the failing call returned negated, 0 if none */
	char msg[512];
};

/* Sets err (if not NULL) and returns -code so callers can `return
 * bpfs_err_set(err, EINVAL, -1, "...")`. code is a positive errno. */
int bpfs_err_set(struct bpfs_err *err, int code, int insn, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prefixes the existing message with "prefix: ". */
void bpfs_err_prefix(struct bpfs_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bpfs_err_clear(struct bpfs_err *err);

/* ---------------------------------------------------------------------- */
/* Instructions                                                           */

/* Kernel encodings beyond <linux/bpf.h> of older systems. */
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif
#ifndef BPF_LOAD_ACQ /* BPF_ATOMIC imm: dst = load_acquire(src + off) */
#define BPF_LOAD_ACQ 0x100
#endif
#ifndef BPF_STORE_REL /* BPF_ATOMIC imm: store_release(dst + off, src) */
#define BPF_STORE_REL 0x110
#endif

static inline bool bpfs_insn_is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* Returns true when code is an opcode the kernel knows (its instruction
 * table), whatever the other fields hold. */
bool bpfs_opcode_known(uint8_t code);

/* Checks every instruction for what the kernel rejects before or while
 * walking, independent of the path: unknown opcodes ("unknown opcode %02x"),
 * reserved fields ("BPF_ALU uses reserved fields", "BPF_MOV uses reserved
 * fields", "BPF_EXIT uses reserved fields", ...), registers above r10
 * ("R%d is invalid"), malformed LD_IMM64 ("invalid bpf_ld_imm64 insn"),
 * empty and oversized programs. Returns 0 or -EINVAL/-E2BIG. */
int bpfs_insns_validate(const struct bpf_insn *insns, size_t cnt, struct bpfs_err *err);

/* Target of the jump at index i (i + 1 + off, or + imm for gotol), or of a
 * local call (i + 1 + imm). Only meaningful for jumps and local calls. */
int64_t bpfs_insn_jump_target(const struct bpf_insn *insns, size_t i);

/* Name of helper id ("map_lookup_elem"), from the system's uapi helper
 * list; NULL when unknown. */
const char *bpfs_helper_name(int32_t id);
/* Inverse of bpfs_helper_name; accepts an optional "bpf_" prefix. -1 if
 * unknown. */
int32_t bpfs_helper_id(const char *name);

/* ---------------------------------------------------------------------- */
/* Disassembly                                                            */

enum bpfs_syntax {
	BPFS_SYNTAX_KERNEL,      /* verifier log: "0: (7a) *(u64 *)(r10 -8) = 0" */
	BPFS_SYNTAX_LLVM,        /* llvm-objdump -d / llvm-mc -triple bpf */
	BPFS_SYNTAX_CONFORMANCE, /* bpf_conformance/uBPF: "mov %r0, 1" */
};

/* Writes the text of the instruction at index idx (without the "N: (xx) "
 * prefix of the kernel log) into buf. Jump targets are relative ("pc+1",
 * "+1"). Returns the number of slots consumed (1, or 2 for LD_IMM64), or
 * -EINVAL when idx is out of range or the LD_IMM64 second slot is missing. */
int bpfs_disasm_insn(const struct bpf_insn *insns, size_t cnt, size_t idx, enum bpfs_syntax syntax,
		     char *buf, size_t len);

/* Whole-program listing, one instruction a line, newly allocated (free()).
 * Kernel syntax lines read "N: (xx) text". LLVM and conformance syntax
 * give text that bpfs_asm assembles back to the same bytes. NULL on ENOMEM. */
char *bpfs_disasm_prog(const struct bpf_insn *insns, size_t cnt, enum bpfs_syntax syntax);

/* ---------------------------------------------------------------------- */
/* Assembly                                                               */

/* Assembles LLVM BPF assembly (also the verifier-log syntax, with or
 * without "N: (xx)" prefixes) or the conformance dialect; the dialect is
 * detected from the text. Labels ("name:") and relative offsets ("+3",
 * "pc+3") both work. `r1 = NAME ll` with a symbol NAME refers to a map:
 * map names get indexes in order of first use, and the instruction becomes
 * LD_IMM64 with src_reg BPF_PSEUDO_MAP_FD and imm the index. */
struct bpfs_asm_result {
	struct bpf_insn *insns; /* malloc'd */
	size_t cnt;
	char **map_names; /* malloc'd, each malloc'd; map_cnt entries */
	size_t map_cnt;
};
int bpfs_asm(const char *text, struct bpfs_asm_result *out, struct bpfs_err *err);
void bpfs_asm_result_release(struct bpfs_asm_result *res);

/* ---------------------------------------------------------------------- */
/* Programs, maps and objects                                             */

/* A map as an object declares it; the maps module turns it into a live map. */
struct bpfs_map_spec {
	char *name;
	uint32_t type; /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	int32_t inner_map; /* index of the inner map's spec for map-in-map, else -1 */
	/* .rodata/.data/.bss and friends: an array of one element whose value is
	 * the section's contents (NULL for .bss: zeroes). */
	bool internal;
	void *init_data;
	size_t init_size;
};

/* BTF and .BTF.ext records mapped to a program's instructions. */
struct bpfs_func_info {
	uint32_t insn;    /* where the function starts in the program */
	uint32_t type_id; /* its BTF FUNC */
};

struct bpfs_line_info {
	uint32_t insn;    /* the first instruction the line covers */
	const char *file; /* as the compiler recorded it (the object owns it) */
	const char *src;  /* the source line's text, "" when not recorded */
	uint32_t line, col;
};

/* What became of a CO-RE relocation (bpfs_object_apply_target). */
enum bpfs_core_status {
	BPFS_CORE_UNAPPLIED, /* no target kernel applied: the compiled value stays */
	BPFS_CORE_PATCHED,   /* the instruction holds the target's value */
	BPFS_CORE_POISONED,  /* no target match: `call 0xbad2310`, as libbpf does */
	BPFS_CORE_FAILED,    /* libbpf refuses the program (its load error says why) */
};

struct bpfs_core_relo {
	uint32_t insn;
	uint32_t type_id;   /* the local type the access starts from */
	const char *access; /* "0:1:2" */
	uint32_t kind;      /* enum bpf_core_relo_kind */
	/* The result, in libbpf's debug wording. */
	enum bpfs_core_status status;
	uint64_t orig_val, new_val;
	uint32_t ncands;      /* target types of the same kind and essential name */
	uint32_t nmatch;      /* of which matched the local spec */
	uint32_t targ_id;     /* the first matching candidate, 0 when none */
	char local[200];      /* "<byte_off> [5] struct task_struct.pid (0:54 @ offset 2068)" */
	char target[200];     /* the first matching candidate's spec, "" when none */
	char note[200];       /* "off 2068 -> 2360", or why poisoned or failed */
};

/* A reference to an extern symbol (`.kconfig`, `.ksyms`, kfunc) from an
 * instruction (LD_IMM64 or call) of a program, as the ELF loader left it. */
enum bpfs_extern_kind {
	BPFS_EXTERN_UNKNOWN, /* in no .kconfig/.ksyms DATASEC, or no BTF */
	BPFS_EXTERN_KCONFIG, /* CONFIG_*, LINUX_KERNEL_VERSION, ...: a value of the .kconfig map */
	BPFS_EXTERN_KSYM,    /* a __ksym variable: typed (BTF VAR of the target) or typeless */
	BPFS_EXTERN_KFUNC,   /* a kernel function called from the program */
};

struct bpfs_extern_use {
	uint32_t insn;
	char *name;
	enum bpfs_extern_kind kind;
	bool weak;
	bool resolved;  /* bpfs_object_apply_target resolved it */
	char note[160]; /* how, or why not */
};

/* A function of an ELF object as placed in a program: where it starts. */
struct bpfs_func {
	uint32_t start; /* instruction index in the program */
	char *name;     /* its symbol */
	bool hidden;    /* STV_HIDDEN: not global for the verifier, whatever its BTF says (as libbpf loads it) */
};

struct bpfs_prog {
	char *section;       /* ELF section, or "" for other inputs */
	char *name;          /* function symbol, or the file's base name */
	uint32_t type;       /* enum bpf_prog_type, guessed or given */
	struct bpf_insn *insns;
	size_t insn_cnt;     /* all instructions, subprograms appended */
	size_t main_cnt;     /* the program's own function, as llvm-objdump counts */
	struct bpfs_func *funcs; /* ELF input: the functions placed, by start (the program's own first) */
	size_t nfuncs;
	/* From .BTF.ext, in instruction order; none without BTF. */
	struct bpfs_func_info *func_info;
	size_t nfunc_info;
	struct bpfs_line_info *line_info;
	size_t nline_info;
	struct bpfs_core_relo *core_relos;
	size_t ncore_relos;
	/* Extern symbols the instructions refer to, in instruction order. */
	struct bpfs_extern_use *externs;
	size_t nexterns;
	/* LD_IMM64 with src_reg BPF_PSEUDO_MAP_FD/VALUE carry an index into
	 * the owning object's maps in imm. */
};

/* The type of a program that has no section to guess from (raw bytecode,
 * assembly, .data files), as the kernel's test_verifier defaults it. */
#define BPFS_DEFAULT_PROG_TYPE BPF_PROG_TYPE_SOCKET_FILTER

enum bpfs_format {
	BPFS_FORMAT_AUTO,
	BPFS_FORMAT_ELF,
	BPFS_FORMAT_RAW,         /* .bin: little-endian 8-byte instructions */
	BPFS_FORMAT_ASM,         /* assembly text */
	BPFS_FORMAT_CONFORMANCE, /* bpf_conformance .data file */
};

/* A conformance .data file's other sections. */
struct bpfs_conformance {
	uint8_t *mem; /* "-- mem" bytes, malloc'd, NULL when absent */
	size_t mem_len;
	bool has_result;
	uint64_t result; /* "-- result" */
	char *error;     /* "-- error" text, or NULL */
	bool has_raw;    /* "-- raw" present: insns were checked against it */
};

struct bpfs_object {
	char *path;
	enum bpfs_format format;
	char *license;         /* "" when none */
	uint32_t kern_version; /* "version" section, 0 when none */
	struct bpfs_prog *progs;
	size_t prog_cnt;
	struct bpfs_map_spec *maps;
	size_t map_cnt;
	struct bpfs_conformance *conformance; /* for .data files, else NULL */
	struct bpfs_btf *btf;  /* .BTF and .BTF.ext, or NULL */
	char *btf_error;       /* why the object's BTF could not be read, or NULL */
	bool target_applied;   /* bpfs_object_apply_target ran */
};

/* Loads a file. format AUTO detects it: ELF magic, ".data" with "-- asm",
 * text, else raw bytecode. Errors name the file, the section and the
 * reason. Returns 0 or a negative errno. */
int bpfs_object_open(const char *path, enum bpfs_format format, struct bpfs_object **out, struct bpfs_err *err);
/* Same, from memory; name is used in messages. */
int bpfs_object_open_mem(const void *data, size_t size, const char *name, enum bpfs_format format,
			 struct bpfs_object **out, struct bpfs_err *err);
void bpfs_object_free(struct bpfs_object *obj);

/* Why prog (one of obj's programs) cannot be loaded as it stands, e.g.
 * "section 'xdp': unresolved extern symbol 'foo'", or NULL when it can.
 * Such a program is kept so the others of the object stay usable; its
 * unresolved calls become BPF_PSEUDO_KFUNC_CALL with imm 0 and its
 * unresolved LD_IMM64 become BPF_PSEUDO_BTF_ID with imm 0, which the
 * verifier rejects. */
const char *bpfs_prog_load_error(const struct bpfs_object *obj, const struct bpfs_prog *prog);

/* Finds a program by section name, "section/function", or function name.
 * With sel NULL or "", succeeds only when the object has one program. */
struct bpfs_prog *bpfs_object_find_prog(struct bpfs_object *obj, const char *sel, struct bpfs_err *err);

/* Program types, by the kernel's lower-case names ("socket_filter",
 * "sched_cls", ...) */
const char *bpfs_prog_type_name(uint32_t type);
/* Parses a name or a number; -1 when unknown. */
int bpfs_prog_type_parse(const char *s);
/* libbpf's guess from a section name ("socket", "kprobe/", "classifier",
 * "tc", "action", "xdp", "tracepoint/", ...); BPF_PROG_TYPE_UNSPEC when
 * there is none. */
uint32_t bpfs_prog_type_from_section(const char *section);
/* The expected attach type libbpf loads a program of this section with,
 * when the section names a program of prog_type ("?" first is ignored);
 * -1 otherwise. */
int bpfs_attach_type_from_section(const char *section, uint32_t prog_type);
/* Whether libbpf loads a program of this section sleepable
 * (BPF_F_SLEEPABLE: "uprobe.s/", "lsm.s/", "syscall", ...) */
bool bpfs_section_sleepable(const char *section);

const char *bpfs_map_type_name(uint32_t type);
int bpfs_map_type_parse(const char *s);

/* ---------------------------------------------------------------------- */
/* BTF (through libbpf)                                                   */

struct bpfs_btf;
struct btf; /* libbpf's */

/* Parses raw BTF (an object's .BTF) and, when ext is not NULL, its
 * .BTF.ext. Malformed input is an error with a message, never a crash. */
int bpfs_btf_parse(const void *data, size_t size, const void *ext, size_t ext_size, struct bpfs_btf **out,
		   struct bpfs_err *err);
/* Reads a file of BTF: raw (/sys/kernel/btf/vmlinux) or an ELF's .BTF. */
int bpfs_btf_open(const char *path, struct bpfs_btf **out, struct bpfs_err *err);
void bpfs_btf_free(struct bpfs_btf *b);
/* libbpf's view, for code that walks types with <bpf/btf.h>. */
const struct btf *bpfs_btf_libbpf(const struct bpfs_btf *b);
/* A string of the string section, "" when off is out of range. */
const char *bpfs_btf_str(const struct bpfs_btf *b, uint32_t off);
/* The name of FUNC type_id, or NULL. */
const char *bpfs_btf_func_name(const struct bpfs_btf *b, uint32_t type_id);

enum bpfs_btf_ext_kind {
	BPFS_BTF_EXT_FUNC, /* a = type id */
	BPFS_BTF_EXT_LINE, /* a = file name offset, b = line text offset, c = line << 10 | column */
	BPFS_BTF_EXT_CORE, /* a = type id, b = access string offset, c = kind */
};

struct bpfs_btf_ext_rec {
	const char *section; /* the ELF section the record is about */
	uint32_t insn_off;   /* in bytes from the section's start */
	uint32_t a, b, c;
};

typedef int (*bpfs_btf_ext_fn)(const struct bpfs_btf_ext_rec *r, void *data);
/* Calls fn for every record of one kind; stops at fn's first non-zero
 * return and returns it. Returns 0, or -EINVAL for malformed records. */
int bpfs_btf_ext_foreach(const struct bpfs_btf *b, enum bpfs_btf_ext_kind kind, bpfs_btf_ext_fn fn, void *data,
			 struct bpfs_err *err);

/* The maps of a `.maps` section, as libbpf reads their BTF: outer maps in
 * order, each followed by its inner map (inner set, spec.inner_map of the
 * outer one indexes this array). */
struct bpfs_btf_map {
	char name[256];
	uint32_t offset; /* in .maps, from the DATASEC (0 in objects: use the symbol) */
	struct bpfs_map_spec spec;
	bool inner;
};
int bpfs_btf_maps(const struct bpfs_btf *b, struct bpfs_btf_map **out, size_t *n, struct bpfs_err *err);

/* ---------------------------------------------------------------------- */
/* The target kernel: CO-RE relocations and extern symbols (ir/core.c)    */

/* The kernel programs are to be loaded into: its BTF (vmlinux), its
 * configuration (for .kconfig externs) and its version. */
struct bpfs_target;

struct bpfs_target_opts {
	const char *btf;     /* vmlinux BTF file; NULL: /sys/kernel/btf/vmlinux when it exists; "": none */
	const char *kconfig; /* kernel config; NULL: /proc/config.gz or /boot/config-$(uname -r) as libbpf
				finds it; "": none */
	uint32_t kernel_version; /* KERNEL_VERSION(a, b, c); 0: the running kernel's (uname) */
	const void *btf_data;    /* raw BTF in memory instead of the btf file (copied) */
	size_t btf_size;
};

/* A file named in opts that cannot be read is an error; a default that
 * does not exist is not (the target then has no BTF or configuration,
 * and the programs that need one fail with a load error that says so). */
int bpfs_target_open(const struct bpfs_target_opts *opts, struct bpfs_target **out, struct bpfs_err *err);
void bpfs_target_free(struct bpfs_target *t);
/* The target's BTF, or NULL; and where it came from (or why there is none). */
const struct bpfs_btf *bpfs_target_btf(const struct bpfs_target *t);
const char *bpfs_target_describe(const struct bpfs_target *t);
uint32_t bpfs_target_kernel_version(const struct bpfs_target *t);

/* Applies the target to an ELF object as libbpf does when it loads one:
 * CO-RE relocations (each program's core_relos get their results, the
 * instructions are patched or poisoned), .kconfig externs (a ".kconfig"
 * internal read-only array map holding their values, read through
 * LD_IMM64 BPF_PSEUDO_MAP_VALUE) and typed .ksyms variables
 * (BPF_PSEUDO_BTF_ID of the target's VAR). A program that libbpf would
 * refuse gets a load error. Once per object; -EALREADY after. */
int bpfs_object_apply_target(struct bpfs_object *obj, const struct bpfs_target *t, struct bpfs_err *err);

/* A target that bpfs_object_open/bpfs_object_open_mem apply to every ELF
 * object they open from then on (NULL: none, the default). Set it before
 * opening objects from other threads; the caller keeps t alive. */
void bpfs_target_set_default(const struct bpfs_target *t);

/* libbpf's names: "byte_off", "local_type_id", ... ("unknown"). */
const char *bpfs_core_kind_name(uint32_t kind);

/* ---------------------------------------------------------------------- */
/* Control-flow graph                                                     */

enum bpfs_edge_kind {
	BPFS_EDGE_FALLTHROUGH,
	BPFS_EDGE_BRANCH, /* taken side of a conditional jump, or a goto */
	BPFS_EDGE_CALL,   /* bpf-to-bpf call: to the callee's entry block */
	BPFS_EDGE_EXIT,   /* exit insn: to the virtual exit block */
};

struct bpfs_edge {
	uint32_t from, to; /* block indexes; `to` may be cfg->exit_block */
	enum bpfs_edge_kind kind;
};

struct bpfs_block {
	uint32_t first, last; /* instruction indexes, inclusive */
	uint32_t subprog;
	uint32_t *succ, nsucc; /* edge indexes */
	uint32_t *pred, npred; /* edge indexes */
};

struct bpfs_subprog {
	uint32_t start, end; /* instruction range [start, end) */
	uint32_t entry_block;
};

struct bpfs_cfg {
	size_t insn_cnt;
	struct bpfs_block *blocks;
	uint32_t nblocks;   /* real blocks, then one virtual exit block */
	uint32_t exit_block; /* == nblocks - 1 */
	struct bpfs_edge *edges;
	uint32_t nedges;
	struct bpfs_subprog *subprogs;
	uint32_t nsubprogs;
	uint32_t *insn_block; /* instruction index -> block (the second slot of
			       * LD_IMM64 maps to its first slot's block) */
	uint32_t *rpo;        /* real blocks in reverse post-order from block 0;
			       * unreachable blocks follow, in address order */
	uint32_t nrpo_reachable;
	uint8_t *prune_point; /* per instruction: 1 at jump targets and after
			       * conditional jumps and calls, where the verifier
			       * may prune */
};

/* Builds the CFG of a program whose instructions passed
 * bpfs_insns_validate. Out-of-range jump targets are an error ("jump out
 * of range from insn %d to %d"). */
int bpfs_cfg_build(const struct bpf_insn *insns, size_t cnt, struct bpfs_cfg **out, struct bpfs_err *err);
void bpfs_cfg_free(struct bpfs_cfg *cfg);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_IR_H */
