/* SPDX-License-Identifier: MIT */
/*
 * The running kernel as a differential-testing engine: the program is
 * loaded with the real bpf() syscall and run once with BPF_PROG_TEST_RUN,
 * on maps created and filled exactly as bpfscope's engines get theirs (the
 * same element stream from the input's seed), with slot 0 of every
 * prog_array holding the program itself.
 *
 * What can be compared: r0, the packet after the run (data_out), and the
 * maps' contents (read back with GET_NEXT_KEY/LOOKUP_ELEM). The kernel's
 * trace_printk output goes to the tracing ring, not to the caller, so the
 * trace is not compared; per-CPU maps are not compared either (the test
 * runs on whichever CPU the syscall does). Programs should not use
 * bpf_get_prandom_u32 or the clock (bpfs_diff_gen_opts.no_prandom).
 *
 * A program the kernel's verifier rejects is an outcome: the load error
 * and the last line of the kernel's log are reported as a "verdict"
 * divergence, because bpfscope's verifier accepted it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>

#include "diff_int.h"

#define DATA_OUT_MAX 65536
#define LOG_SIZE (1u << 20)

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool kernel_map_type(const struct bpfs_map_spec *s)
{
	return s->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && s->type != BPF_MAP_TYPE_HASH_OF_MAPS &&
	       s->inner_map < 0;
}

/* Types whose test runs hand back the frame from its Ethernet header,
 * zeroed, in front of what the program saw. */
static bool hides_l2(uint32_t t)
{
	return t != BPF_PROG_TYPE_SCHED_CLS && t != BPF_PROG_TYPE_SCHED_ACT && t != BPF_PROG_TYPE_XDP;
}

/* The kernel's test_run refuses an IPv4 (IPv6) frame shorter than the
 * fixed network header for skb programs. */
static bool refused_input(uint32_t t, const struct bpfs_diff_input *in)
{
	uint16_t proto;

	if (t == BPF_PROG_TYPE_XDP || in->pkt_len < 14)
		return false;
	proto = (uint16_t)(in->pkt[12] << 8 | in->pkt[13]);
	return (proto == 0x0800 && in->pkt_len < 34) || (proto == 0x86dd && in->pkt_len < 54);
}

struct kmap {
	int fd;
};

static void put_kernel(void *c, const void *key, const void *value)
{
	union bpf_attr a = {0};

	a.map_fd = (uint32_t)((struct kmap *)c)->fd;
	a.key = ptr(key);
	a.value = ptr(value);
	a.flags = BPF_ANY;
	sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static int kwalk_next(void *c, const void *key, void *next)
{
	union bpf_attr a = {0};

	a.map_fd = (uint32_t)((struct kmap *)c)->fd;
	a.key = ptr(key);
	a.next_key = ptr(next);
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) ? -errno : 0;
}

static int kwalk_lookup(void *c, const void *key, void *value)
{
	union bpf_attr a = {0};

	a.map_fd = (uint32_t)((struct kmap *)c)->fd;
	a.key = ptr(key);
	a.value = ptr(value);
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) ? -errno : 0;
}

static int create_map(const struct bpfs_map_spec *s)
{
	union bpf_attr a = {0};

	a.map_type = s->type;
	a.key_size = s->key_size;
	a.value_size = s->value_size;
	a.max_entries = s->max_entries;
	a.map_flags = s->flags;
	if (s->name)
		snprintf(a.map_name, sizeof(a.map_name), "%.15s", s->name);
	for (char *c = a.map_name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_')
			*c = '_'; /* the kernel takes [A-Za-z0-9_.] only */
	return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

/* The last line of a verifier log that is neither empty nor statistics:
 * the error. */
static char *last_line(const char *log)
{
	static const char *const stats[] = {"processed ", "verification time", "stack depth"};
	const char *end = log + strlen(log), *start;

	for (;;) {
		bool skip = false;

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		for (size_t i = 0; i < G_N_ELEMENTS(stats) && start > log; i++)
			skip |= !strncmp(start, stats[i], strlen(stats[i]));
		if (!skip)
			return g_strndup(start, (gsize)(end - start));
		end = start;
	}
}

/* The helper this kernel's build leaves out for the program's type, when
 * that is why it refused the program: a difference between kernel builds
 * (their configuration), not between engines. */
static char *missing_helper(const char *log)
{
	static const char *const msgs[] = {"program of this type cannot use helper ", "unknown func "};

	for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
		const char *p = strstr(log, msgs[i]);

		if (p) {
			p += strlen(msgs[i]);
			return g_strndup(p, strcspn(p, "\n"));
		}
	}
	return NULL;
}

static int load(const struct bpfs_diff_prog *prog, const int *fds, struct bpfs_diff_outcome *o, char **missing)
{
	struct bpf_insn *insns = malloc(prog->cnt * sizeof(*insns));
	char *log = calloc(1, LOG_SIZE);
	union bpf_attr a = {0};
	int fd = -1;

	if (!insns || !log) {
		fd = -ENOMEM;
		goto out;
	}
	memcpy(insns, prog->insns, prog->cnt * sizeof(*insns));
	for (size_t i = 0; i + 1 < prog->cnt; i++) {
		struct bpf_insn *in = &insns[i];

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if ((in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) && in->imm >= 0 &&
		    (size_t)in->imm < prog->nmaps)
			in->imm = fds[in->imm];
		i++;
	}
	a.prog_type = prog->prog_type;
	a.insns = ptr(insns);
	a.insn_cnt = (uint32_t)prog->cnt;
	a.license = ptr("GPL");
	a.log_buf = ptr(log);
	a.log_size = LOG_SIZE;
	a.log_level = 1;
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && errno == ENOSPC) { /* log too small: the verdict is what matters */
		a.log_level = 0;
		a.log_buf = 0;
		a.log_size = 0;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	}
	if (fd < 0 && (*missing = missing_helper(log))) {
		fd = -ENOENT;
	} else if (fd < 0) {
		int e = errno;
		char *line = last_line(log);

		o->load_error = g_strdup_printf("%s (%s)", *line ? line : "no log", g_strerror(e));
		g_free(line);
		fd = e == EPERM ? -EPERM : -ECANCELED;
	}
out:
	free(insns);
	free(log);
	return fd;
}

static int test_run(int prog_fd, uint32_t type, const struct bpfs_diff_input *in, struct bpfs_diff_outcome *o)
{
	size_t skip = hides_l2(type) ? 14 : 0;
	uint8_t *out = calloc(1, DATA_OUT_MAX);
	struct __sk_buff ctx_out;
	union bpf_attr a = {0};
	int ret = 0;

	if (!out)
		return -ENOMEM;
	a.test.prog_fd = (uint32_t)prog_fd;
	a.test.data_in = ptr(in->pkt);
	a.test.data_size_in = (uint32_t)in->pkt_len;
	a.test.data_out = ptr(out);
	a.test.data_size_out = DATA_OUT_MAX;
	a.test.repeat = 1;
	if (in->ctx_in_len) {
		a.test.ctx_in = ptr(in->ctx_in);
		a.test.ctx_size_in = (uint32_t)in->ctx_in_len;
	}
	memset(&ctx_out, 0, sizeof(ctx_out));
	if (type != BPF_PROG_TYPE_XDP) {
		a.test.ctx_out = ptr(&ctx_out);
		a.test.ctx_size_out = sizeof(ctx_out);
	}
	if (sys_bpf(BPF_PROG_TEST_RUN, &a)) {
		ret = -errno;
		goto out;
	}
	o->r0 = a.test.retval;
	o->ctx = diff_skb_fields(type, &ctx_out);
	if (in->pkt_len && a.test.data_size_out >= skip) {
		o->pkt_len = a.test.data_size_out - skip;
		o->pkt = malloc(o->pkt_len ? o->pkt_len : 1);
		if (o->pkt)
			memcpy(o->pkt, out + skip, o->pkt_len);
	}
out:
	free(out);
	return ret;
}

static char *dump_maps(const struct bpfs_diff_prog *prog, const int *fds, unsigned engines)
{
	struct diff_buf b = {0};

	diff_buf_add(&b, "");
	for (size_t i = 0; b.s && i < prog->nmaps; i++) {
		const struct bpfs_map_spec *s = &prog->maps[i];
		struct kmap km = {fds[i]};
		struct diff_map_walk w = {kwalk_next, kwalk_lookup, &km, s->key_size, s->value_size};

		if (!diff_dumpable(s, engines))
			continue;
		diff_buf_add(&b, s->name ? s->name : "map");
		diff_buf_add(&b, ":");
		diff_dump_map(&w, &b);
		diff_buf_add(&b, "; ");
	}
	return b.s;
}

int diff_run_kernel(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in, unsigned engines,
		    struct bpfs_diff_outcome *o, char *why, size_t why_len)
{
	int *fds = calloc(prog->nmaps + 1, sizeof(*fds));
	uint64_t rs = in->seed;
	int prog_fd = -1, ret = 0;
	char *missing = NULL;
	size_t made = 0;

	memset(o, 0, sizeof(*o));
	if (!fds)
		return -ENOMEM;
	if (diff_nondeterministic_call(prog)) {
		snprintf(why, why_len, "kernel: the program calls %s, whose result the kernel's run does not share",
			 diff_nondeterministic_call(prog));
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (!bpfs_ctx_has_packet(prog->prog_type)) {
		snprintf(why, why_len, "kernel: BPF_PROG_TEST_RUN does not run %s programs",
			 bpfs_prog_type_name(prog->prog_type));
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (refused_input(prog->prog_type, in)) {
		snprintf(why, why_len, "kernel: BPF_PROG_TEST_RUN refuses a %zu-byte IP frame", in->pkt_len);
		ret = -ERANGE;
		goto out;
	}
	for (; made < prog->nmaps; made++) {
		struct bpfs_map_spec norm, *s = &norm;
		struct kmap km;

		diff_norm_spec(&prog->maps[made], &norm);
		if (!kernel_map_type(s)) {
			snprintf(why, why_len, "kernel: map %s: map-in-map is not set up for kernel runs",
				 s->name ? s->name : "?");
			ret = -EOPNOTSUPP;
			goto out;
		}
		fds[made] = create_map(s);
		if (fds[made] < 0) {
			snprintf(why, why_len, "kernel: creating map %s: %s", s->name ? s->name : "?",
				 g_strerror(errno));
			ret = -EOPNOTSUPP;
			goto out;
		}
		km.fd = fds[made];
		if (diff_fillable(s))
			diff_fill_pairs(s, &rs, put_kernel, &km);
		if (s->internal && s->init_data) {
			uint32_t zero = 0;

			put_kernel(&km, &zero, s->init_data);
		}
	}
	prog_fd = load(prog, fds, o, &missing);
	if (prog_fd == -EPERM) {
		snprintf(why, why_len, "kernel: bpf(BPF_PROG_LOAD): %s", g_strerror(EPERM));
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (prog_fd == -ENOENT && missing) {
		snprintf(why, why_len, "kernel: this kernel's build does not offer helper %s to %s programs", missing, bpfs_prog_type_name(prog->prog_type));
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (prog_fd == -ECANCELED && o->load_error) {
		ret = 0; /* rejected: the outcome says why */
		goto out;
	}
	if (prog_fd < 0) {
		ret = prog_fd;
		goto out;
	}
	for (size_t i = 0; i < prog->nmaps; i++) {
		if (prog->maps[i].type == BPF_MAP_TYPE_PROG_ARRAY && prog->maps[i].max_entries) {
			struct kmap km = {fds[i]};
			uint32_t zero = 0, v = (uint32_t)prog_fd;

			put_kernel(&km, &zero, &v);
		}
	}
	ret = test_run(prog_fd, prog->prog_type, in, o);
	if (ret) {
		snprintf(why, why_len, "kernel: bpf(BPF_PROG_TEST_RUN) on a %s program with a %zu-byte packet: %s",
			 bpfs_prog_type_name(prog->prog_type), in->pkt_len, g_strerror(-ret));
		ret = -EOPNOTSUPP;
		goto out;
	}
	o->maps = dump_maps(prog, fds, engines);
out:
	g_free(missing);
	if (prog_fd >= 0)
		close(prog_fd);
	for (size_t i = 0; i < made; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return ret;
}

bool bpfs_diff_kernel_available(char *why, size_t why_len)
{
	static const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	static const uint8_t pkt[64];
	struct bpfs_diff_prog p = {ret0, 2, BPF_PROG_TYPE_SOCKET_FILTER, NULL, 0};
	struct bpfs_diff_input in = {.pkt = (uint8_t *)pkt, .pkt_len = sizeof(pkt)};
	struct bpfs_diff_outcome o;
	int ret;

	why[0] = 0;
	ret = diff_run_kernel(&p, &in, 1u << BPFS_DIFF_KERNEL, &o, why, why_len);
	if (!ret && o.load_error)
		snprintf(why, why_len, "kernel: bpf(BPF_PROG_LOAD): %s", o.load_error);
	free(o.pkt);
	free(o.trace);
	free(o.maps);
	g_free(o.ctx);
	g_free(o.load_error);
	return !ret && !why[0];
}
