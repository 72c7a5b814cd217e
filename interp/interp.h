/* SPDX-License-Identifier: MIT */
/*
 * bpfscope interpreter: executes programs over the IR with the kernel's
 * semantics for the whole ISA of RFC 9669 (and the kernel's extensions:
 * may_goto, tail calls, LD_ABS/LD_IND).
 * Depends on ir, maps and analysis; shares the helper runtime with the
 * other execution engine.
 *
 * A program is loaded once into an image (runtime.h: validated unless the
 * caller says it was verified, context loads converted, maps resolved),
 * decoded from it by bpfs_vm_from_image() (bpfs_vm_new() does both), and
 * can then be run any number of times, from any number of threads, each
 * run with its own context and environment.
 *
 * Two modes, chosen at load time:
 *   fast     no per-instruction checks: what the verifier proved is
 *            trusted, as the kernel's interpreter trusts it;
 *   checked  every load and store is checked against the regions the run
 *            may touch (stack frames, context, packet, map values, helper
 *            buffers), atomics for alignment, and an instruction budget
 *            stops run-away loops. The first violation stops the run with
 *            a report: instruction, address, size, region.
 * Both modes stop on a too-deep call chain and on helper misuse.
 */
#ifndef BPFSCOPE_INTERP_H
#define BPFSCOPE_INTERP_H

#include "analysis.h"
#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpfs_vm;

struct bpfs_vm_opts {
	/* enum bpf_prog_type: selects the context conversion (see
	 * bpfs_ctx_ptr_field). BPF_PROG_TYPE_UNSPEC: none. */
	uint32_t prog_type;
	/* The program passed the verifier: skip the load-time checks
	 * (instruction validity and the DAG check with back-edges). The
	 * decoder still rejects what would make it unsafe to decode. */
	bool verified;
	/* Check every memory access (see above). */
	bool checked;
	/* Resolves LD_IMM64 map references; programs that have some fail to
	 * load without it. */
	const struct bpfs_map_ops *maps;
};

/* Decodes insns (copied) for execution. Without opts->verified the
 * program must pass bpfs_check_cfg(BPFS_CHECK_ALLOW_BACK_EDGES): valid
 * instructions, jumps in range, no unreachable code, but loops allowed.
 * Also rejected: calls of helpers the kernel does not have ("invalid func
 * unknown#%d"), kfunc calls, writes to r10. A call of a kernel helper
 * the runtime lacks loads (the verifier accepts it): a run fails when it
 * reaches the call. Returns NULL with err set on failure (err->insn names
 * the instruction). opts may be NULL. */
struct bpfs_vm *bpfs_vm_new(const struct bpf_insn *insns, size_t cnt, const struct bpfs_vm_opts *opts,
			    struct bpfs_err *err);
void bpfs_vm_free(struct bpfs_vm *vm);
/* Number of context loads the conversion rewrote (for tests). */
size_t bpfs_vm_ctx_conversions(const struct bpfs_vm *vm);

/*
 * Runs vm on a context (built with bpfs_ctx_build or bpfs_ctx_raw):
 * r1 = ctx->ctx, r2 = ctx->ctx_len (the kernel leaves r2 undefined; the
 * conformance suite expects the length there), r10 = the top of a fresh
 * 512-byte frame. env may be NULL (defaults). report may be NULL.
 *
 * Returns 0 when the program exited (r0 in *r0; an out-of-range LD_ABS
 * exits with 0 as the kernel does), -EFAULT when a violation stopped it
 * (checked mode, too-deep calls, helper misuse), or -EOPNOTSUPP when it
 * called a helper the runtime does not implement (BPFS_VIOL_UNSUPPORTED),
 * with report filled; -ENOMEM when the run could not be set up.
 */
int bpfs_vm_run(const struct bpfs_vm *vm, struct bpfs_ctx *ctx, struct bpfs_run_env *env, uint64_t *r0,
		struct bpfs_run_report *report);

/* ---------------------------------------------------------------------- */
/* Images and engines                                                     */

/* Decodes an image (which must outlive the vm) for execution in either
 * mode. Returns NULL with err set on failure. bpfs_vm_new() is
 * bpfs_image_new() then this, the vm owning the image. */
struct bpfs_vm *bpfs_vm_from_image(const struct bpfs_image *img, bool checked, struct bpfs_err *err);
/* The image the vm runs. */
const struct bpfs_image *bpfs_vm_image(const struct bpfs_vm *vm);

/* The interpreter as an engine (runtime.h): fast and checked mode. */
extern const struct bpfs_engine_ops bpfs_engine_interp;
extern const struct bpfs_engine_ops bpfs_engine_interp_checked;

/* ---------------------------------------------------------------------- */
/* Conformance files                                                      */

enum bpfs_conf_outcome {
	BPFS_CONF_PASS,
	BPFS_CONF_FAIL,
	BPFS_CONF_SKIP,
};

struct bpfs_conf_result {
	enum bpfs_conf_outcome outcome;
	char expected[128]; /* "0x2a", or "error: ..." */
	char got[384];	    /* what happened instead, or the skip reason */
};

/*
 * Runs one bpf_conformance .data file as that suite does: r1 points to a
 * copy of the "-- mem" bytes (NULL when none), r2 holds their length, and
 * r0 at exit must equal "-- result". A file with "-- error" passes when
 * loading or running fails, whatever the message. Programs are checked
 * with bpfs_check_cfg(BPFS_CHECK_ALLOW_BACK_EDGES), not the verifier:
 * conformance programs test the instruction set and are not written to
 * pass the verifier (they read uninitialised registers, use r1 as plain
 * memory, loop). checked selects the checked mode.
 * Returns 0 (the outcome is in res) or a negative errno when the file
 * could not be read at all (res->got says why).
 */
int bpfs_conformance_run(const char *path, bool checked, struct bpfs_conf_result *res);

/* bpfs_conformance_run on any engine of the engine interface (runtime.h):
 * bpfs_conformance_run(path, checked) is this with the interpreter in
 * that mode. */
int bpfs_conformance_run_on(const char *path, const struct bpfs_engine_ops *engine, struct bpfs_conf_result *res);

/* An execution engine for the conformance runner: loads insns and runs
 * them once with r1 = mem and r2 = mem_len. Returns 0 with *r0 set,
 * -EINVAL when loading failed, -EFAULT when the run failed, with msg
 * saying why; other negative errnos stop the runner. */
typedef int (*bpfs_conf_engine_fn)(const struct bpf_insn *insns, size_t cnt, void *mem, size_t mem_len,
				   void *data, uint64_t *r0, char *msg, size_t msg_len);
/* bpfs_conformance_run with another engine (data is passed to it). */
int bpfs_conformance_run_engine(const char *path, bpfs_conf_engine_fn engine, void *data,
				struct bpfs_conf_result *res);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_INTERP_H */
