/* SPDX-License-Identifier: MIT */
/*
 * Runs bpf_conformance .data files on the interpreter, with that suite's
 * calling convention (r1 = a private copy of "-- mem", r2 = its length)
 * and its notion of a pass: r0 equals "-- result", or, for files with
 * "-- error", loading or running fails (the message is not compared: each
 * engine words its errors its own way).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_int.h"

/* Whether the file text has an "-- error" section (for files that do not
 * even load, whose sections we then do not have). */
static bool file_expects_error(const char *path)
{
	char line[256];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "-- error", 8);
	fclose(f);
	return found;
}

static int outcome(struct bpfs_conf_result *res, enum bpfs_conf_outcome o, const char *fmt, const char *msg)
{
	res->outcome = o;
	snprintf(res->got, sizeof(res->got), fmt, msg);
	return 0;
}

/* An engine of the engine interface as a conformance engine; data points
 * to its ops. Checked runs get a budget that ends run-away loops. */
static int ops_engine(const struct bpf_insn *insns, size_t cnt, void *mem, size_t mem_len, void *data,
		      uint64_t *r0, char *msg, size_t msg_len)
{
	const struct bpfs_engine_ops *ops = data;
	struct bpfs_run_report rep;
	struct bpfs_err err = {0};
	struct bpfs_run_env env;
	struct bpfs_image *img;
	struct bpfs_ctx ctx;
	void *prog = NULL;
	int ret;

	img = bpfs_image_new(insns, cnt, NULL, &err);
	if (img)
		prog = ops->load(img, &err);
	if (!prog) {
		snprintf(msg, msg_len, "%s", err.msg);
		bpfs_image_free(img);
		return -EINVAL;
	}
	bpfs_ctx_raw(&ctx, mem, mem_len);
	bpfs_run_env_init(&env);
	if (ops->checked)
		env.insn_limit = 100000000;
	ret = ops->run(prog, &ctx, &env, r0, &rep);
	ops->free(prog);
	bpfs_image_free(img);
	if (ret) {
		snprintf(msg, msg_len, "%s", rep.msg);
		return -EFAULT;
	}
	return 0;
}

static int run_prog(const struct bpfs_prog *prog, const struct bpfs_conformance *conf,
		    bpfs_conf_engine_fn engine, void *data, struct bpfs_conf_result *res)
{
	char msg[320] = "";
	uint8_t *mem = NULL;
	uint64_t r0 = 0;
	int ret;

	for (size_t i = 0; i < prog->insn_cnt; i++)
		if (prog->insns[i].code == (BPF_JMP | BPF_CALL | BPF_X))
			return outcome(
			    res, BPFS_CONF_SKIP, "%s",
			    "callx (opcode 0x8d, a call through a register) is in neither RFC 9669 nor "
			    "the kernel's instruction set");
	/* The program gets a private copy of "-- mem". */
	if (conf->mem_len) {
		mem = malloc(conf->mem_len);
		if (!mem)
			return -ENOMEM;
		memcpy(mem, conf->mem, conf->mem_len);
	}
	ret = engine(prog->insns, prog->insn_cnt, mem, conf->mem_len, data, &r0, msg, sizeof(msg));
	free(mem);
	if (ret == -EINVAL || ret == -EFAULT)
		return outcome(res, conf->error ? BPFS_CONF_PASS : BPFS_CONF_FAIL,
			       ret == -EINVAL ? "load error: %s" : "runtime error: %s", msg);
	if (ret)
		return ret;
	snprintf(res->got, sizeof(res->got), "0x%llx", (unsigned long long)r0);
	res->outcome = !conf->error && r0 == conf->result ? BPFS_CONF_PASS : BPFS_CONF_FAIL;
	return 0;
}

int bpfs_conformance_run_on(const char *path, const struct bpfs_engine_ops *engine, struct bpfs_conf_result *res)
{
	return bpfs_conformance_run_engine(path, ops_engine, (void *)engine, res);
}

int bpfs_conformance_run(const char *path, bool checked, struct bpfs_conf_result *res)
{
	return bpfs_conformance_run_on(path, checked ? &bpfs_engine_interp_checked : &bpfs_engine_interp, res);
}

int bpfs_conformance_run_engine(const char *path, bpfs_conf_engine_fn engine, void *data,
				struct bpfs_conf_result *res)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err = {0};
	const struct bpfs_conformance *conf;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = bpfs_object_open(path, BPFS_FORMAT_CONFORMANCE, &obj, &err);
	if (ret) {
		bool want_error = file_expects_error(path);

		snprintf(res->expected, sizeof(res->expected), want_error ? "an error" : "a result");
		return outcome(res, want_error ? BPFS_CONF_PASS : BPFS_CONF_FAIL, "load error: %.360s",
			       err.msg);
	}
	conf = obj->conformance;
	if (!conf || !obj->prog_cnt) {
		bpfs_object_free(obj);
		snprintf(res->got, sizeof(res->got), "not a conformance file");
		return -EINVAL;
	}
	if (conf->error)
		snprintf(res->expected, sizeof(res->expected), "error: %s", conf->error);
	else if (conf->has_result)
		snprintf(res->expected, sizeof(res->expected), "0x%llx", (unsigned long long)conf->result);
	else
		snprintf(res->expected, sizeof(res->expected), "0x0");
	ret = run_prog(&obj->progs[0], conf, engine, data, res);
	bpfs_object_free(obj);
	return ret;
}
