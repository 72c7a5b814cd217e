/* SPDX-License-Identifier: MIT */
/*
 * bpfscope x86-64 JIT: compiles programs over the IR to machine code with
 * the interpreter's semantics, instruction for instruction (see
 * interp/exec_int.h for the list: division by zero, INT_MIN / -1, shift
 * masking, 32-bit zero extension, byte swaps, atomics, local calls with
 * 512-byte frames 8 deep, tail calls with the 33 limit, LD_ABS/LD_IND,
 * may_goto with its budget, helper calls, the context-field conversion).
 * Depends on ir, maps, analysis and runtime (whose image validates the
 * program, converts context loads and resolves map references once for
 * both engines), and on interp for the conformance runner only.
 *
 * The JIT has no checked mode: checked runs use the interpreter. Memory
 * accesses are not checked, as in the interpreter's fast mode, so only
 * programs the verifier accepted (or trusted test programs) should run.
 *
 * Generated code lives in its own mapping, written while read-write and
 * then made read+execute: never writable and executable at once. It is
 * unmapped by bpfs_jit_free().
 *
 * Only x86-64 hosts: elsewhere bpfs_jit_compile() fails with -EOPNOTSUPP.
 */
#ifndef BPFSCOPE_JIT_H
#define BPFSCOPE_JIT_H

#include "analysis.h"
#include "interp.h"
#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpfs_jit;

struct bpfs_jit_opts {
	/* As struct bpfs_vm_opts (prog_type, verified, maps). */
	uint32_t prog_type;
	bool verified;
	const struct bpfs_map_ops *maps;
	/* Constant blinding: every immediate of the program is emitted XORed
	 * with a random key and recovered at run time through a scratch
	 * register, so that the code holds none of the program's constants
	 * (against JIT spraying). */
	bool harden;
};

/*
 * Loads insns into an image as bpfs_vm_new() does (same checks, same
 * messages), then compiles them. Instructions the JIT cannot compile are rejected here
 * ("JIT: opcode 0x.. not supported at insn N"), never miscompiled.
 * Returns NULL with err set on failure; every resource is released.
 * opts may be NULL.
 */
struct bpfs_jit *bpfs_jit_compile(const struct bpf_insn *insns, size_t cnt, const struct bpfs_jit_opts *opts,
				  struct bpfs_err *err);
void bpfs_jit_free(struct bpfs_jit *jit);

/*
 * Runs the compiled program exactly as bpfs_vm_run() runs the
 * interpreter's (r1 = ctx->ctx, r2 = ctx->ctx_len, r10 = the top of a
 * fresh zeroed 512-byte frame, the others 0). Returns 0 with r0 in *r0, or
 * -EFAULT when a violation stopped the run (too-deep calls, helper misuse,
 * a bad tail-call target), or -EOPNOTSUPP when it called a helper the
 * runtime does not implement, with report filled (report->insns stays 0:
 * the JIT does not count instructions).
 *
 * Tail calls go through env->maps->tail_call_target, which must return
 * struct bpfs_jit handles (a bpfs_map_table's prog_of); the target is
 * entered past its prologue, keeping the frame and call depth, and the
 * chain stops after BPFS_MAX_TAIL_CALLS as in the interpreter.
 */
int bpfs_jit_run(const struct bpfs_jit *jit, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		 struct bpfs_run_report *report);

/* The generated code (entry, shared stubs, then the instructions). */
const uint8_t *bpfs_jit_code(const struct bpfs_jit *jit, size_t *len);
/* Offset in the code of instruction i's first byte (i == count: the end
 * of the last one); -1 when out of range. LD_IMM64's second slot has the
 * same offset as the next instruction. */
long bpfs_jit_insn_offset(const struct bpfs_jit *jit, size_t i);
/* The image the code was compiled from. */
const struct bpfs_image *bpfs_jit_image(const struct bpfs_jit *jit);

/* Compiles an image (which must outlive the jit); harden as in
 * bpfs_jit_opts. bpfs_jit_compile() is bpfs_image_new() then this, the
 * jit owning the image. */
struct bpfs_jit *bpfs_jit_from_image(const struct bpfs_image *img, bool harden, struct bpfs_err *err);

/* The JIT as an engine (runtime.h), plain and with constant blinding. */
extern const struct bpfs_engine_ops bpfs_engine_jit;
extern const struct bpfs_engine_ops bpfs_engine_jit_hardened;

/* Runs one conformance .data file on the JIT, as bpfs_conformance_run()
 * does on the interpreter. */
int bpfs_jit_conformance_run(const char *path, bool harden, struct bpfs_conf_result *res);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_JIT_H */
