/* SPDX-License-Identifier: MIT */
/*
 * Differential testing of the execution engines: one program, one input,
 * every engine; the outcomes (exit status, r0, the packet after the run,
 * the maps' contents, the trace_printk output) must agree.
 *
 * Each engine gets its own maps, created from the program's declarations
 * and filled with the same few pseudo-random elements (from the input's
 * seed), and its own copy of the packet, so nothing one engine does can
 * be seen by another (run.c runs an engine; this file makes the inputs,
 * the map contents and the comparison).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bpf.h"
#include "diff_int.h"

#define MAX_FILL 4

static const char *const engine_names[BPFS_DIFF_NENGINES] = {
	[BPFS_DIFF_INTERP] = "interp",
	[BPFS_DIFF_JIT] = "jit",
	[BPFS_DIFF_KERNEL] = "kernel",
};

const char *bpfs_diff_engine_name(enum bpfs_diff_engine e)
{
	return e < BPFS_DIFF_NENGINES ? engine_names[e] : "?";
}

uint64_t diff_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---------------------------------------------------------------------- */
/* Inputs                                                                 */

/* Ethernet + IPv4 + UDP/TCP headers most of the time, so that programs
 * which parse get past their first checks; random bytes otherwise. */
static void fill_packet(uint8_t *p, size_t n, uint64_t *s)
{
	static const uint8_t head[] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00, /* Ethernet */
		0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0, 53, 0, 30, 0, 0,
	};

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)diff_rand(s);
	if (diff_rand(s) % 4 == 0)
		return;
	memcpy(p, head, n < sizeof(head) ? n : sizeof(head));
	if (n > 23 && diff_rand(s) % 2)
		p[23] = 6; /* TCP */
}

int bpfs_diff_input_gen(uint32_t prog_type, uint64_t seed, unsigned idx, struct bpfs_diff_input *in)
{
	static const size_t sizes[] = {14, 15, 34, 42, 54, 60, 64, 100, 128, 256, 1500};
	uint64_t s = seed ^ ((uint64_t)idx * 0xd1b54a32d192ed03ull);

	memset(in, 0, sizeof(*in));
	in->seed = diff_rand(&s);
	if (bpfs_ctx_has_packet(prog_type)) {
		in->pkt_len = sizes[diff_rand(&s) % (sizeof(sizes) / sizeof(sizes[0]))];
		in->pkt = malloc(in->pkt_len);
		if (!in->pkt)
			return -ENOMEM;
		fill_packet(in->pkt, in->pkt_len, &s);
		if (prog_type != BPF_PROG_TYPE_XDP && diff_rand(&s) % 2) {
			/* the __sk_buff fields test_run takes from ctx_in */
			struct __sk_buff *skb = calloc(1, sizeof(*skb));

			if (!skb)
				return -ENOMEM;
			skb->mark = (uint32_t)diff_rand(&s);
			skb->priority = (uint32_t)diff_rand(&s);
			for (int i = 0; i < 5; i++)
				skb->cb[i] = (uint32_t)diff_rand(&s);
			in->ctx_in = (uint8_t *)skb;
			in->ctx_in_len = sizeof(*skb);
		}
		return 0;
	}
	in->ctx_in_len = 64 + (size_t)(diff_rand(&s) % 4) * 64;
	in->ctx_in = malloc(in->ctx_in_len);
	if (!in->ctx_in)
		return -ENOMEM;
	for (size_t i = 0; i < in->ctx_in_len; i++)
		in->ctx_in[i] = (uint8_t)diff_rand(&s);
	return 0;
}

void bpfs_diff_input_release(struct bpfs_diff_input *in)
{
	free(in->pkt);
	free(in->ctx_in);
	memset(in, 0, sizeof(*in));
}

/* ---------------------------------------------------------------------- */
/* Maps                                                                   */

const char *diff_nondeterministic_call(const struct bpfs_diff_prog *prog)
{
	static const struct {
		int32_t id;
		const char *name;
	} calls[] = {
	    {BPF_FUNC_get_prandom_u32, "bpf_get_prandom_u32"},
	    {BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns"},
	    {BPF_FUNC_ktime_get_boot_ns, "bpf_ktime_get_boot_ns"},
	    {BPF_FUNC_ktime_get_coarse_ns, "bpf_ktime_get_coarse_ns"},
	    {BPF_FUNC_jiffies64, "bpf_jiffies64"},
	    {BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id"},
	    {BPF_FUNC_get_numa_node_id, "bpf_get_numa_node_id"},
	    {BPF_FUNC_get_current_pid_tgid, "bpf_get_current_pid_tgid"},
	    {BPF_FUNC_get_current_uid_gid, "bpf_get_current_uid_gid"},
	    {BPF_FUNC_get_current_comm, "bpf_get_current_comm"},
	    {BPF_FUNC_get_current_task, "bpf_get_current_task"},
	    {BPF_FUNC_get_current_cgroup_id, "bpf_get_current_cgroup_id"},
	    {BPF_FUNC_get_socket_cookie, "bpf_get_socket_cookie"},
	    {BPF_FUNC_get_hash_recalc, "bpf_get_hash_recalc"}, /* keyed at boot */
	};

	for (size_t i = 0; i < prog->cnt; i++) {
		const struct bpf_insn *in = &prog->insns[i];

		if (in->code != (BPF_JMP | BPF_CALL) || in->src_reg)
			continue;
		for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
			if (in->imm == calls[k].id)
				return calls[k].name;
	}
	return NULL;
}

bool diff_fillable(const struct bpfs_map_spec *s)
{
	switch (s->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
		return !s->internal;
	}
	return false;
}

/* Per-CPU maps hold one value per CPU: the kernel runs a test on the CPU
 * the syscall happens on, bpfscope on CPU 0, so they are compared only
 * between bpfscope's engines. */
bool diff_dumpable(const struct bpfs_map_spec *s, unsigned engines)
{
	if (!s->key_size || s->type == BPF_MAP_TYPE_PROG_ARRAY || s->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return false;
	if (engines & (1u << BPFS_DIFF_KERNEL)) {
		switch (s->type) {
		case BPF_MAP_TYPE_PERCPU_HASH:
		case BPF_MAP_TYPE_PERCPU_ARRAY:
		case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		case BPF_MAP_TYPE_HASH_OF_MAPS:
			return false;
		}
	}
	return true;
}

/* A few elements from the stream; array keys stay mostly in range. */
void diff_fill_pairs(const struct bpfs_map_spec *s, uint64_t *rs, diff_put_fn put, void *c)
{
	uint8_t *key = calloc(1, s->key_size + 8), *val = calloc(1, s->value_size + 8);
	unsigned n = 1 + (unsigned)(diff_rand(rs) % MAX_FILL);

	if (!key || !val)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		for (uint32_t k = 0; k < s->key_size; k++)
			key[k] = (uint8_t)diff_rand(rs);
		if (s->type == BPF_MAP_TYPE_ARRAY && s->key_size == 4) {
			uint32_t idx = (uint32_t)(diff_rand(rs) % s->max_entries);

			memcpy(key, &idx, 4);
		} else if (s->key_size >= 4 && diff_rand(rs) % 2) {
			uint32_t small = (uint32_t)(diff_rand(rs) % 8);

			memset(key, 0, s->key_size);
			memcpy(key, &small, 4);
		}
		for (uint32_t v = 0; v < s->value_size; v++)
			val[v] = (uint8_t)diff_rand(rs);
		put(c, key, val);
	}
out:
	free(key);
	free(val);
}

void diff_buf_add(struct diff_buf *b, const char *str)
{
	size_t n = strlen(str);

	if (b->len + n + 1 > b->cap) {
		size_t c = (b->cap + n + 1) * 2;
		char *s = realloc(b->s, c);

		if (!s)
			return;
		b->s = s;
		b->cap = c;
	}
	memcpy(b->s + b->len, str, n + 1);
	b->len += n;
}

static char *hex_dup(const char *pre, const uint8_t *p, size_t n)
{
	size_t l = strlen(pre);
	char *s = malloc(l + 2 * n + 1);

	if (!s)
		return NULL;
	memcpy(s, pre, l);
	for (size_t i = 0; i < n; i++)
		sprintf(s + l + 2 * i, "%02x", p[i]);
	s[l + 2 * n] = 0;
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct elems {
	char **v;
	size_t n, cap;
};

static int add_elem(void *data, const void *key, size_t key_size, const void *value, size_t value_size)
{
	struct elems *el = data;
	char *k = hex_dup(" ", key, key_size), *v = hex_dup("=", value, value_size);
	char *e = k && v ? g_strconcat(k, v, NULL) : NULL;

	free(k);
	free(v);
	if (!e)
		return 1;
	if (el->n == el->cap) {
		char **nv = realloc(el->v, (el->cap = el->cap * 2 + 8) * sizeof(*nv));

		if (!nv) {
			g_free(e);
			return 1;
		}
		el->v = nv;
	}
	el->v[el->n++] = e;
	return el->n > 1u << 20; /* a walk that does not end */
}

/* Hash maps iterate in an order that depends on their (per-map random)
 * hash seed, so elements are sorted. */
void diff_dump_map(const struct bpfs_loader *l, size_t i, struct diff_buf *b)
{
	struct elems el = {0};

	bpfs_loader_walk_map(l, i, add_elem, &el);
	if (el.n)
		qsort(el.v, el.n, sizeof(*el.v), cmp_str);
	for (size_t k = 0; k < el.n; k++) {
		diff_buf_add(b, el.v[k]);
		g_free(el.v[k]);
	}
	free(el.v);
}

/* ---------------------------------------------------------------------- */
/* Outcomes                                                               */

char *diff_skb_fields(uint32_t prog_type, const void *ctx)
{
	const struct __sk_buff *s = ctx;

	if (!bpfs_ctx_has_packet(prog_type) || prog_type == BPF_PROG_TYPE_XDP || !ctx)
		return NULL;
	return g_strdup_printf("mark=%x priority=%x cb=%x,%x,%x,%x,%x", s->mark, s->priority, s->cb[0], s->cb[1],
			       s->cb[2], s->cb[3], s->cb[4]);
}

static void outcome_release(struct bpfs_diff_outcome *o)
{
	g_free(o->ctx);
	free(o->pkt);
	free(o->trace);
	free(o->maps);
	g_free(o->load_error);
	memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------------------- */
/* Comparison                                                             */

static void hex_str(char *out, size_t len, const uint8_t *p, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < n && o + 3 < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%02x", p[i]);
	if (o + 3 >= len && len > 4)
		memcpy(out + len - 4, "...", 4);
}

static bool compare(const struct bpfs_diff_outcome *x, const struct bpfs_diff_outcome *y, struct bpfs_diff_result *r)
{
	const char *ea = bpfs_diff_engine_name(r->a), *eb = bpfs_diff_engine_name(r->b);
	uint64_t r0_mask = r->a == BPFS_DIFF_KERNEL || r->b == BPFS_DIFF_KERNEL ? 0xffffffffull : ~0ull;
	char hx[200], hy[200];

	if (x->load_error || y->load_error) {
		snprintf(r->what, sizeof(r->what), "verdict");
		snprintf(r->detail, sizeof(r->detail), "%s rejects: %s; %s rejects: %s", ea,
			 x->load_error ? x->load_error : "(accepts)", eb, y->load_error ? y->load_error : "(accepts)");
	} else if (x->status != y->status) {
		snprintf(r->what, sizeof(r->what), "status");
		snprintf(r->detail, sizeof(r->detail), "%s %d, %s %d", ea, x->status, eb, y->status);
	} else if (x->status) {
		return false; /* both stopped: the rest is undefined */
	} else if ((x->r0 & r0_mask) != (y->r0 & r0_mask)) {
		snprintf(r->what, sizeof(r->what), "r0");
		snprintf(r->detail, sizeof(r->detail), "%s 0x%" PRIx64 ", %s 0x%" PRIx64, ea, x->r0, eb, y->r0);
	} else if (x->pkt_len != y->pkt_len || (x->pkt_len && memcmp(x->pkt, y->pkt, x->pkt_len))) {
		hex_str(hx, sizeof(hx), x->pkt, x->pkt_len);
		hex_str(hy, sizeof(hy), y->pkt, y->pkt_len);
		snprintf(r->what, sizeof(r->what), "packet");
		snprintf(r->detail, sizeof(r->detail), "%s %s, %s %s", ea, hx, eb, hy);
	} else if (x->ctx && y->ctx && strcmp(x->ctx, y->ctx)) {
		snprintf(r->what, sizeof(r->what), "ctx");
		snprintf(r->detail, sizeof(r->detail), "%s %s, %s %s", ea, x->ctx, eb, y->ctx);
	} else if (x->trace && y->trace && strcmp(x->trace, y->trace)) {
		snprintf(r->what, sizeof(r->what), "trace");
		snprintf(r->detail, sizeof(r->detail), "%s \"%.200s\", %s \"%.200s\"", ea, x->trace, eb, y->trace);
	} else if (strcmp(x->maps ? x->maps : "", y->maps ? y->maps : "")) {
		snprintf(r->what, sizeof(r->what), "maps");
		snprintf(r->detail, sizeof(r->detail), "%s {%.220s}, %s {%.220s}", ea, x->maps, eb, y->maps);
	} else {
		return false;
	}
	return true;
}

int bpfs_diff_run(const struct bpfs_diff_prog *prog, const struct bpfs_diff_input *in,
		  const struct bpfs_diff_opts *opts, struct bpfs_diff_result *res)
{
	struct bpfs_diff_outcome o[BPFS_DIFF_NENGINES];
	int first = -1, ret = 0;

	memset(res, 0, sizeof(*res));
	memset(o, 0, sizeof(o));
	for (int e = 0; e < BPFS_DIFF_NENGINES && !ret; e++) {
		if (!(opts->engines & (1u << e)))
			continue;
		ret = diff_run_engine((enum bpfs_diff_engine)e, prog, in, opts->engines, &o[e], res->skipped,
				      sizeof(res->skipped));
		if (ret)
			break;
		if (opts->hook)
			opts->hook((enum bpfs_diff_engine)e, prog, &o[e], opts->hook_data);
		if (first < 0) {
			first = e;
			continue;
		}
		if (res->diverged)
			continue;
		res->a = (enum bpfs_diff_engine)first;
		res->b = (enum bpfs_diff_engine)e;
		res->diverged = compare(&o[first], &o[e], res);
	}
	for (int e = 0; e < BPFS_DIFF_NENGINES; e++)
		outcome_release(&o[e]);
	return ret;
}

char *bpfs_diff_repro_asm(const struct bpfs_diff_prog *prog, const struct bpf_insn *insns, size_t cnt,
			  char **map_args)
{
	struct bpf_insn *copy = g_memdup2(insns, cnt * sizeof(*insns));
	int *renum = g_new(int, prog->nmaps + 1);
	GString *decl = g_string_new(NULL);
	char *text;
	int next = 0;

	for (size_t i = 0; i < prog->nmaps; i++)
		renum[i] = -1;
	for (size_t i = 0; i + 1 < cnt; i++) {
		struct bpf_insn *in = &copy[i];
		struct bpfs_map_spec s;

		if (!bpfs_insn_is_ldimm64(in))
			continue;
		if ((in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) && in->imm >= 0 &&
		    (size_t)in->imm < prog->nmaps) {
			if (renum[in->imm] < 0) {
				renum[in->imm] = next++;
				bpfs_loader_norm_spec(&prog->maps[in->imm], &s);
				g_string_append_printf(decl, " --map %s:%u:%u:%u", bpfs_map_type_name(s.type), s.key_size,
						       s.value_size, s.max_entries);
				if (s.flags)
					g_string_append_printf(decl, ":0x%x", s.flags);
			}
			in->imm = renum[in->imm];
		}
		i++;
	}
	text = bpfs_disasm_prog(copy, cnt, BPFS_SYNTAX_LLVM);
	g_free(copy);
	g_free(renum);
	*map_args = g_string_free(decl, FALSE);
	return text;
}

bool bpfs_diff_verifies(const struct bpfs_diff_prog *prog, char *msg, size_t msg_len)
{
	return diff_verifies(prog, false, msg, msg_len);
}

bool bpfs_diff_deterministic(const struct bpfs_diff_prog *prog, char *msg, size_t msg_len)
{
	return diff_verifies(prog, true, msg, msg_len);
}

bool diff_verifies(const struct bpfs_diff_prog *prog, bool deterministic, char *msg, size_t msg_len)
{
	struct bpfs_verifier_opts vo = {
		.prog_type = prog->prog_type,
		.maps = prog->maps,
		.map_cnt = prog->nmaps,
		.license = "GPL",
		.deterministic = deterministic,
	};
	struct bpfs_verdict v = {0};
	bool ok;

	if (bpfs_verify(prog->insns, prog->cnt, &vo, &v)) {
		if (msg)
			snprintf(msg, msg_len, "verifier could not run");
		return false;
	}
	ok = v.accepted;
	if (msg)
		snprintf(msg, msg_len, "%s", v.msg);
	bpfs_verdict_release(&v);
	return ok;
}
