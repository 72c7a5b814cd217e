/* SPDX-License-Identifier: MIT */
/*
 * Runs bpf_conformance .data files on the JIT: the interpreter's runner
 * (interp/conformance.c) with the JIT as its engine, so that both engines
 * read the files, skip and judge alike.
 */
#include <errno.h>
#include <stdio.h>

#include "jit_int.h"

/* The JIT as a conformance engine; data points to the harden flag. */
static int jit_engine(const struct bpf_insn *insns, size_t cnt, void *mem, size_t mem_len, void *data,
		      uint64_t *r0, char *msg, size_t msg_len)
{
	struct bpfs_jit_opts opts = {.harden = *(const bool *)data};
	struct bpfs_run_report rep;
	struct bpfs_err err = {0};
	struct bpfs_ctx ctx;
	struct bpfs_jit *jit;
	int ret;

	jit = bpfs_jit_compile(insns, cnt, &opts, &err);
	if (!jit) {
		snprintf(msg, msg_len, "%s", err.msg);
		return -EINVAL;
	}
	bpfs_ctx_raw(&ctx, mem, mem_len);
	ret = bpfs_jit_run(jit, &ctx, NULL, r0, &rep);
	bpfs_jit_free(jit);
	if (ret) {
		snprintf(msg, msg_len, "%s", rep.msg);
		return -EFAULT;
	}
	return 0;
}

int bpfs_jit_conformance_run(const char *path, bool harden, struct bpfs_conf_result *res)
{
	return bpfs_conformance_run_engine(path, jit_engine, &harden, res);
}
