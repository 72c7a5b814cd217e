/* SPDX-License-Identifier: MIT */
/*
 * Running one program on one engine, for the comparison. An engine is a
 * pair: a backend (bpfscope's bpf() or the running kernel's) and, for
 * bpfscope's, the execution engine its test runs use. Every engine goes
 * through the same object loader and the same commands: maps created from
 * the program's declarations and filled with the same pseudo-random
 * elements (from the input's seed), BPF_PROG_LOAD, slot 0 of every
 * prog_array set to the program itself, one BPF_PROG_TEST_RUN, the maps
 * read back. So what is compared between bpfscope's engines includes its
 * BPF_PROG_LOAD and BPF_PROG_TEST_RUN, and the kernel sees exactly what
 * they see.
 *
 * On bpfscope's backend the run environment is fixed (the default task, a
 * constant clock, the input's seed for bpf_get_prandom_u32) so that every
 * helper the runtime provides is deterministic, and r0 is read from the
 * run's report with all its 64 bits; the kernel's test_run reports the
 * low 32 (retval).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bpf.h"
#include "diff_int.h"

#define TRACE_SIZE 8192
#define DATA_OUT_MAX 65536
#define LOG_SIZE (1u << 20)

struct diff_engine {
	const struct bpfs_backend *be;
	enum bpfs_engine engine; /* bpfscope's backend only */
};

static const struct diff_engine engines[BPFS_DIFF_NENGINES] = {
    [BPFS_DIFF_INTERP] = {&bpfs_backend_bpfscope, BPFS_ENGINE_INTERP},
    [BPFS_DIFF_JIT] = {&bpfs_backend_bpfscope, BPFS_ENGINE_JIT},
    [BPFS_DIFF_KERNEL] = {&bpfs_backend_kernel, BPFS_ENGINE_INTERP},
};

static uint64_t fixed_clock(void *priv)
{
	(void)priv;
	return 1000000000ull;
}

/* Types whose test runs hand back the frame from its Ethernet header,
 * zeroed, in front of what the program saw. */
static bool hides_l2(uint32_t t)
{
	return t != BPF_PROG_TYPE_SCHED_CLS && t != BPF_PROG_TYPE_SCHED_ACT && t != BPF_PROG_TYPE_XDP;
}

struct put_ctx {
	struct bpfs_loader *l;
	size_t i;
};

static void put_elem(void *c, const void *key, const void *value)
{
	struct put_ctx *p = c;

	bpfs_loader_update(p->l, p->i, key, value, BPF_ANY);
}

static void fill_maps(struct bpfs_loader *l, uint64_t seed)
{
	uint64_t rs = seed;

	for (size_t i = 0; i < bpfs_loader_map_count(l); i++) {
		struct put_ctx p = {l, i};

		if (diff_fillable(bpfs_loader_map_spec(l, i)))
			diff_fill_pairs(bpfs_loader_map_spec(l, i), &rs, put_elem, &p);
	}
}

/* "name: key=value key=value; " for every map compared. */
static char *dump_maps(const struct bpfs_loader *l, unsigned engines_mask)
{
	struct diff_buf b = {0};

	diff_buf_add(&b, "");
	for (size_t i = 0; b.s && i < bpfs_loader_map_count(l); i++) {
		const struct bpfs_map_spec *s = bpfs_loader_map_spec(l, i);

		if (!diff_dumpable(s, engines_mask))
			continue;
		diff_buf_add(&b, s->name ? s->name : "map");
		diff_buf_add(&b, ":");
		diff_dump_map(l, i, &b);
		diff_buf_add(&b, "; ");
	}
	return b.s;
}

/* BPF_PROG_LOAD. 0 with the program loaded; 0 with o->load_error when the
 * backend's verifier refused it; -EOPNOTSUPP (why set) when this backend
 * cannot load it at all. */
static int load(enum bpfs_diff_engine e, struct bpfs_loader *l, const struct bpfs_diff_prog *prog,
		struct bpfs_diff_outcome *o, char *why, size_t why_len)
{
	const char *name = bpfs_diff_engine_name(e);
	struct bpfs_loader_prog_opts opts = {
	    .prog_type = prog->prog_type,
	    .license = "GPL",
	};
	struct bpfs_err err;
	char *missing;
	int ret;

	/* without a log first: most programs load, and a log costs */
	ret = bpfs_loader_load(l, prog->insns, prog->cnt, &opts, &err);
	if (!ret || ret == -ENOMEM)
		return ret;
	opts.log = calloc(1, LOG_SIZE);
	if (!opts.log)
		return -ENOMEM;
	opts.log_size = LOG_SIZE;
	opts.log_level = 1;
	ret = bpfs_loader_load(l, prog->insns, prog->cnt, &opts, &err);
	if (ret == -ENOSPC) { /* log too small: the verdict is what matters */
		opts.log_size = 0;
		ret = bpfs_loader_load(l, prog->insns, prog->cnt, &opts, &err);
	}
	if (!ret || ret == -ENOMEM)
		goto out;
	if (err.insn >= 0) {
		snprintf(why, why_len, "%s: %s", name, err.msg);
		ret = -EOPNOTSUPP;
	} else if (ret == -EPERM) {
		snprintf(why, why_len, "%s: bpf(BPF_PROG_LOAD): %s", name, g_strerror(EPERM));
		ret = -EOPNOTSUPP;
	} else if ((missing = diff_missing_helper(opts.log))) {
		snprintf(why, why_len, "%s: this kernel's build does not offer helper %s to %s programs",
			 name, missing, bpfs_prog_type_name(prog->prog_type));
		g_free(missing);
		ret = -EOPNOTSUPP;
	} else {
		char *line = diff_last_line(opts.log);

		o->load_error = g_strdup_printf("%s (%s)", *line ? line : "no log", g_strerror(-ret));
		g_free(line);
		ret = 0; /* rejected: the outcome says why */
	}
out:
	free(opts.log);
	return ret;
}

/* bpfscope's extensions: the engine and the fixed environment. */
static int set_env(enum bpfs_diff_engine e, int fd, const struct bpfs_diff_input *in)
{
	int ret = 0;

	if (engines[e].engine != BPFS_ENGINE_INTERP)
		ret = bpfs_prog_set_engine(fd, engines[e].engine);
	if (!ret)
		ret = bpfs_prog_set_seed(fd, in->seed);
	if (!ret)
		ret = bpfs_prog_set_clock(fd, fixed_clock, NULL);
	return ret;
}

/* Why a test run failed, as a status (a run the engine stopped), an input
 * the backend refuses (-ERANGE) or a program it cannot run
 * (-EOPNOTSUPP). */
static int run_failed(enum bpfs_diff_engine e, int fd, int err, const struct bpfs_diff_prog *prog,
		      const struct bpfs_diff_input *in, struct bpfs_diff_outcome *o, char *why,
		      size_t why_len)
{
	const char *name = bpfs_diff_engine_name(e), *tname = bpfs_prog_type_name(prog->prog_type);
	struct bpfs_run_report rep;

	if (engines[e].be->bpfscope && (err == -EFAULT || err == -EOPNOTSUPP) &&
	    !bpfs_prog_last_report(fd, &rep) && rep.viol != BPFS_VIOL_NONE) {
		o->status = err;
		return 0;
	}
	if (engines[e].be->bpfscope && err == -EINVAL) {
		snprintf(why, why_len, "%s: BPF_PROG_TEST_RUN refuses a %zu-byte packet for %s programs",
			 name, in->pkt_len, tname);
		return -ERANGE;
	}
	snprintf(why, why_len, "%s: bpf(BPF_PROG_TEST_RUN) on a %s program with a %zu-byte packet: %s", name,
		 tname, in->pkt_len, g_strerror(-err));
	return -EOPNOTSUPP;
}

/* One BPF_PROG_TEST_RUN, its results into o. */
static int test_run(enum bpfs_diff_engine e, struct bpfs_loader *l, const struct bpfs_diff_prog *prog,
		    const struct bpfs_diff_input *in, struct bpfs_diff_outcome *o, char *why, size_t why_len)
{
	uint32_t type = prog->prog_type;
	size_t skip = hides_l2(type) ? 14 : 0;
	bool packet = bpfs_ctx_has_packet(type);
	uint8_t *out = packet ? malloc(DATA_OUT_MAX) : NULL; /* only what the run reports is read */
	int fd = bpfs_loader_prog_fd(l);
	struct __sk_buff ctx_out;
	struct bpfs_loader_run run = {
	    .data_in = in->pkt,
	    .data_size_in = (uint32_t)in->pkt_len,
	    .data_out = out,
	    .data_size_out = out ? DATA_OUT_MAX : 0,
	    .repeat = 1,
	};
	struct bpfs_run_report rep;
	int ret;

	if (packet && !out)
		return -ENOMEM;
	if (in->ctx_in_len) {
		run.ctx_in = in->ctx_in;
		run.ctx_size_in = (uint32_t)in->ctx_in_len;
	}
	memset(&ctx_out, 0, sizeof(ctx_out));
	if (type != BPF_PROG_TYPE_XDP) {
		run.ctx_out = &ctx_out;
		run.ctx_size_out = sizeof(ctx_out);
	}
	ret = bpfs_loader_test_run(l, &run);
	if (ret) {
		ret = run_failed(e, fd, ret, prog, in, o, why, why_len);
		goto out;
	}
	o->r0 = run.retval;
	if (engines[e].be->bpfscope && !bpfs_prog_last_report(fd, &rep))
		o->r0 = rep.r0;
	o->ctx = diff_skb_fields(type, &ctx_out);
	if (in->pkt_len && run.data_size_out >= skip) {
		o->pkt_len = run.data_size_out - skip;
		o->pkt = malloc(o->pkt_len ? o->pkt_len : 1);
		if (o->pkt)
			memcpy(o->pkt, out + skip, o->pkt_len);
	}
out:
	free(out);
	return ret;
}

int diff_run_engine(enum bpfs_diff_engine e, const struct bpfs_diff_prog *prog,
		    const struct bpfs_diff_input *in, unsigned engines_mask, struct bpfs_diff_outcome *o,
		    char *why, size_t why_len)
{
	const struct diff_engine *de = &engines[e];
	struct bpfs_loader *l = NULL;
	struct bpfs_err err;
	int fd, ret;

	memset(o, 0, sizeof(*o));
	if (!de->be->bpfscope) {
		ret = diff_kernel_can_run(prog, in, why, why_len);
		if (ret)
			return ret;
	}
	ret = bpfs_loader_new(de->be, prog->maps, prog->nmaps, &l, &err);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		snprintf(why, why_len, "%s: %s", bpfs_diff_engine_name(e), err.msg);
		return -EOPNOTSUPP;
	}
	fill_maps(l, in->seed);
	ret = load(e, l, prog, o, why, why_len);
	if (ret || o->load_error)
		goto out;
	fd = bpfs_loader_prog_fd(l);
	if (de->be->bpfscope && set_env(e, fd, in)) {
		o->status = -EINVAL; /* the engine cannot take the program */
		goto out;
	}
	if (bpfs_loader_self_tail_calls(l, &err)) {
		snprintf(why, why_len, "%s: %s", bpfs_diff_engine_name(e), err.msg);
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = test_run(e, l, prog, in, o, why, why_len);
	if (ret)
		goto out;
	if (de->be->bpfscope) {
		size_t len;

		o->trace = calloc(1, TRACE_SIZE);
		if (o->trace)
			bpfs_prog_read_trace(fd, o->trace, TRACE_SIZE, &len, NULL);
	}
	o->maps = dump_maps(l, engines_mask);
out:
	bpfs_loader_free(l);
	return ret;
}
