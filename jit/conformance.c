/* SPDX-License-Identifier: MIT */
/*
 * Runs bpf_conformance .data files on the JIT with the conventions of the
 * interpreter's runner (interp/conformance.c): r1 = a private copy of
 * "-- mem", r2 = its length; a pass is r0 equal to "-- result", or, for
 * files with "-- error", a failure to load, compile or run. callx is
 * skipped with the interpreter's reason, so both engines report alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit_int.h"

static int outcome(struct bpfs_conf_result *res, enum bpfs_conf_outcome o, const char *fmt, const char *msg)
{
	res->outcome = o;
	snprintf(res->got, sizeof(res->got), fmt, msg);
	return 0;
}

static int run_prog(const struct bpfs_prog *prog, const struct bpfs_conformance *conf, bool harden,
		    struct bpfs_conf_result *res)
{
	struct bpfs_jit_opts opts = {.harden = harden};
	struct bpfs_run_report rep;
	struct bpfs_err err = {0};
	struct bpfs_ctx ctx;
	struct bpfs_jit *jit;
	uint8_t *mem = NULL;
	uint64_t r0 = 0;
	int ret;

	for (size_t i = 0; i < prog->insn_cnt; i++)
		if (prog->insns[i].code == (BPF_JMP | BPF_CALL | BPF_X))
			return outcome(
			    res, BPFS_CONF_SKIP, "%s",
			    "callx (opcode 0x8d, a call through a register) is in neither RFC 9669 "
			    "nor the kernel's instruction set");
	jit = bpfs_jit_compile(prog->insns, prog->insn_cnt, &opts, &err);
	if (!jit)
		return outcome(res, conf->error ? BPFS_CONF_PASS : BPFS_CONF_FAIL, "load error: %.360s",
			       err.msg);
	if (conf->mem_len) {
		mem = malloc(conf->mem_len);
		if (!mem) {
			bpfs_jit_free(jit);
			return -ENOMEM;
		}
		memcpy(mem, conf->mem, conf->mem_len);
	}
	bpfs_ctx_raw(&ctx, mem, conf->mem_len);
	ret = bpfs_jit_run(jit, &ctx, NULL, &r0, &rep);
	bpfs_jit_free(jit);
	free(mem);
	if (ret)
		return outcome(res, conf->error ? BPFS_CONF_PASS : BPFS_CONF_FAIL, "runtime error: %s",
			       rep.msg);
	snprintf(res->got, sizeof(res->got), "0x%llx", (unsigned long long)r0);
	res->outcome = !conf->error && r0 == conf->result ? BPFS_CONF_PASS : BPFS_CONF_FAIL;
	return 0;
}

int bpfs_jit_conformance_run(const char *path, bool harden, struct bpfs_conf_result *res)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err = {0};
	const struct bpfs_conformance *conf;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = bpfs_object_open(path, BPFS_FORMAT_CONFORMANCE, &obj, &err);
	if (ret) {
		/* what the interpreter's runner decides for files that do not
		 * even parse: it has read the sections we no longer have */
		ret = bpfs_conformance_run(path, false, res);
		return ret;
	}
	conf = obj->conformance;
	if (!conf || !obj->prog_cnt) {
		bpfs_object_free(obj);
		snprintf(res->got, sizeof(res->got), "not a conformance file");
		return -EINVAL;
	}
	if (conf->error)
		snprintf(res->expected, sizeof(res->expected), "error: %s", conf->error);
	else
		snprintf(res->expected, sizeof(res->expected), "0x%llx",
			 (unsigned long long)(conf->has_result ? conf->result : 0));
	ret = run_prog(&obj->progs[0], conf, harden, res);
	bpfs_object_free(obj);
	return ret;
}
