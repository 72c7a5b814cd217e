/* SPDX-License-Identifier: MIT */
/*
 * bpfscope run FILE[:SECTION]: loads one program and runs it once (or
 * --repeat N times) on a packet, the way a libbpf user would against the
 * kernel, but through bpfscope's bpf(): the object's maps are created
 * with BPF_MAP_CREATE (.rodata/.data get their contents), LD_IMM64 map
 * references are patched from map indexes to descriptors, the program is
 * loaded with BPF_PROG_LOAD (verified; --no-verify loads it with the
 * bpfscope extension that skips the verifier, and runs it checked), maps
 * are filled from --map-set, and BPF_PROG_TEST_RUN runs it.
 *
 * Output: the first line is always "r0 = <unsigned decimal> (0x<hex>)",
 * r0 being the 32-bit retval the test run reports; then "<X> ns/run" with
 * --repeat, the violation report of a stopped run, the trace_printk
 * output with --trace, and the packet and maps with --dump. --json prints
 * one JSON object instead.
 *
 * --map-set NAME KEY=VALUE (two arguments): KEY and VALUE are each either
 * a decimal integer, stored little-endian in the map's key or value size
 * (1, 2, 4 or 8 bytes), or "0x" followed by exactly the field's size in
 * bytes as hex digits, taken as bytes in memory order (so 0x0035 is the
 * u16 port 53 in network byte order).
 *
 * Packets: --packet FILE (raw bytes, or the first packet of a pcap file
 * in either byte order, microsecond or nanosecond variant, Ethernet link
 * type), --packet-hex HEX, else for packet program types a 64-byte
 * IPv4/UDP frame 10.0.0.1:1234 -> 10.0.0.2:53.
 *
 * Exit status: 0 the program ran; 1 the verifier rejected it, or a
 * violation stopped the run (checked mode, or a run-time check of the
 * fast mode); 2 usage or input error, or what bpfscope cannot run: a
 * BPF_PROG_TEST_RUN the program type does not support, or a call of a
 * helper bpfscope's runtime does not implement ("helper
 * bpf_get_numa_node_id#42 is not implemented by bpfscope's runtime").
 */
#include <errno.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "cli.h"
#include "interp.h"

#define CMD "run"
#define LOG_SIZE (16u << 20)

struct run_args {
	char *engine, *packet, *packet_hex, *ctx, *type, *task, *seed, *witness;
	char **maps;
	gint64 repeat;
	gboolean trace, checked, dump, json, no_verify;
	GPtrArray *sets; /* NAME, KEY=VALUE pairs */
};

/* What the run produced, for printing. */
struct run_out {
	uint32_t retval;
	uint32_t duration;
	bool stopped;
	struct bpfs_run_report report;
	GByteArray *packet;
	char *trace;
	bool trace_truncated;
};

struct loaded {
	const struct bpfs_map_spec *specs;
	size_t nmaps;
	struct bpfs_loader *ld;
	int prog_fd;
	uint32_t type;
};

/* ---------------------------------------------------------------------- */
/* Arguments                                                              */

/* Takes "--map-set NAME KEY=VALUE" out of argv (GOption has no
 * two-argument options). */
static bool take_map_sets(int *argc, char **argv, GPtrArray *sets)
{
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--map-set")) {
			argv[o++] = argv[i];
			continue;
		}
		if (i + 2 >= *argc || !strchr(argv[i + 2], '=')) {
			cli_error(CMD, "--map-set takes two arguments: NAME KEY=VALUE");
			return false;
		}
		g_ptr_array_add(sets, argv[i + 1]);
		g_ptr_array_add(sets, argv[i + 2]);
		i += 2;
	}
	*argc = o;
	argv[o] = NULL;
	return true;
}


/* A --map-set field: decimal integer little-endian, or 0x + bytes. */
static bool parse_field(const char *s, uint32_t size, uint8_t *out, const char *what, const char *arg)
{
	memset(out, 0, size);
	if (!g_ascii_strncasecmp(s, "0x", 2)) {
		size_t n = strlen(s + 2);

		if (n != 2u * size) {
			cli_error(CMD, "--map-set %s: %s '%s' has %zu hex digits, the map's %s size needs %u",
				  arg, what, s, n, what, 2u * size);
			return false;
		}
		for (uint32_t i = 0; i < size; i++) {
			int hi = g_ascii_xdigit_value(s[2 + 2 * i]), lo = g_ascii_xdigit_value(s[3 + 2 * i]);

			if (hi < 0 || lo < 0) {
				cli_error(CMD, "--map-set %s: %s '%s' is not hex", arg, what, s);
				return false;
			}
			out[i] = (uint8_t)(hi << 4 | lo);
		}
		return true;
	}
	{
		char *end;
		gint64 v;

		errno = 0;
		v = g_ascii_strtoll(s, &end, 10);
		if (!*s || *end || errno) {
			cli_error(
			    CMD,
			    "--map-set %s: %s '%s' is neither a decimal integer nor 0x-prefixed hex bytes",
			    arg, what, s);
			return false;
		}
		if (size != 1 && size != 2 && size != 4 && size != 8) {
			cli_error(CMD,
				  "--map-set %s: the map's %s size is %u bytes: give the %s as 0x-prefixed "
				  "hex bytes",
				  arg, what, size, what);
			return false;
		}
		if (size < 8 && (v >= (gint64)1 << (8 * size) || v < -((gint64)1 << (8 * size - 1)))) {
			cli_error(CMD, "--map-set %s: %s %s does not fit in %u bytes", arg, what, s, size);
			return false;
		}
		for (uint32_t i = 0; i < size; i++)
			out[i] = (uint8_t)((uint64_t)v >> (8 * i));
		return true;
	}
}

/* ---------------------------------------------------------------------- */
/* Packets                                                                */

static GByteArray *take_packet(uint8_t *data, size_t len)
{
	GByteArray *p = g_byte_array_append(g_byte_array_new(), data, (guint)len);

	free(data);
	return p;
}

static GByteArray *default_packet(void)
{
	uint8_t frame[BPFS_PACKET_DEFAULT_LEN];

	bpfs_packet_default(frame);
	return g_byte_array_append(g_byte_array_new(), frame, sizeof(frame));
}

static GByteArray *packet_from_file(const char *path)
{
	struct bpfs_err err;
	uint8_t *data;
	size_t len;

	if (bpfs_packet_read_file(path, &data, &len, &err)) {
		/* a pcap problem names the file; a read error says it */
		cli_error(CMD, "--packet%s%s", err.errnum == -EINVAL ? " " : ": ", err.msg);
		return NULL;
	}
	return take_packet(data, len);
}

static GByteArray *packet_from_hex(const char *hex)
{
	struct bpfs_err err;
	uint8_t *data;
	size_t len;

	if (bpfs_packet_parse_hex(hex, &data, &len, &err)) {
		cli_error(CMD, "--packet-hex: %s", err.msg);
		return NULL;
	}
	return take_packet(data, len);
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                */

/* The maps LD_IMM64 refer to: the object's (ELF), or --map in order. */
static bool map_specs(const struct cli_target *t, char **decls, GArray *own, struct loaded *l)
{
	if (!cli_map_decls(CMD, t, decls, own))
		return false;
	if (t->obj->format == BPFS_FORMAT_ELF) {
		l->specs = t->obj->maps;
		l->nmaps = t->obj->map_cnt;
	} else {
		l->specs = (const struct bpfs_map_spec *)own->data;
		l->nmaps = own->len;
	}
	return true;
}

static bool create_maps(struct loaded *l)
{
	struct bpfs_err err;

	if (bpfs_loader_new(&bpfs_backend_bpfscope, l->specs, l->nmaps, &l->ld, &err)) {
		cli_error(CMD, "%s", err.msg);
		return false;
	}
	return true;
}

/* BPF_PROG_LOAD with the map indexes patched into descriptors. Returns
 * EXIT_OK, EXIT_VERDICT (rejected, log printed) or EXIT_USAGE. */
static int load_prog(const struct cli_target *t, const struct bpfs_prog *p, const struct run_args *a,
		     struct loaded *l)
{
	g_autofree char *log = g_malloc0(LOG_SIZE);
	struct bpfs_loader_prog_opts opts = {
	    .prog_type = p->type,
	    .license = t->obj->license,
	    .kern_version = t->obj->kern_version,
	    .unverified = a->no_verify,
	    .log = log,
	    .log_size = LOG_SIZE,
	    .log_level = 1,
	};
	struct bpfs_err err;
	int ret;

	ret = bpfs_loader_load(l->ld, p->insns, p->insn_cnt, &opts, &err);
	if (ret && err.insn >= 0) {
		cli_error(CMD, "%s: %s", t->path, err.msg);
		return EXIT_USAGE;
	}
	if (ret) {
		if (!a->json)
			fputs(log, stdout);
		cli_error(CMD, "%s: program rejected (%s)%s%s", t->path, g_strerror(-ret), *log ? ": " : "",
			  *log ? "see the log above" : "");
		return EXIT_VERDICT;
	}
	l->prog_fd = bpfs_loader_prog_fd(l->ld);
	return EXIT_OK;
}

static bool apply_map_sets(const struct loaded *l, GPtrArray *sets)
{
	for (guint i = 0; i + 1 < sets->len; i += 2) {
		const char *name = sets->pdata[i], *kv = sets->pdata[i + 1];
		g_autofree char *arg = g_strdup_printf("%s %s", name, kv);
		g_autofree char *kstr = g_strndup(kv, (gsize)(strchr(kv, '=') - kv));
		const char *vstr = strchr(kv, '=') + 1;
		g_autofree uint8_t *key = NULL, *val = NULL;
		const struct bpfs_map_spec *s;
		int m = bpfs_loader_find_map(l->ld, name), ret;

		if (m < 0) {
			cli_error(CMD, "--map-set %s: no map named '%s'", arg, name);
			return false;
		}
		s = bpfs_loader_map_spec(l->ld, (size_t)m);
		key = g_malloc0(s->key_size ? s->key_size : 1);
		val = g_malloc0(s->value_size ? s->value_size : 1);
		if (!parse_field(kstr, s->key_size, key, "key", arg) ||
		    !parse_field(vstr, s->value_size, val, "value", arg))
			return false;
		ret = bpfs_loader_update(l->ld, (size_t)m, key, val, BPF_ANY);
		if (ret) {
			cli_error(CMD, "--map-set %s: BPF_MAP_UPDATE_ELEM: %s", arg, g_strerror(-ret));
			return false;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Running                                                                */

/* Why BPF_PROG_TEST_RUN refused the run, in the user's terms. */
static void test_run_error(int e, uint32_t type, const GByteArray *pkt, GBytes *ctx)
{
	const char *tname = bpfs_prog_type_name(type);

	if (e == 524 /* ENOTSUPP */ || e == EOPNOTSUPP)
		cli_error(CMD, "BPF_PROG_TEST_RUN: not supported for %s programs%s", tname ? tname : "these",
			  ctx && type == BPF_PROG_TYPE_XDP ? " with --ctx" : "");
	else if (e == EINVAL && pkt && (pkt->len < 14 || pkt->len > 3712) && type != BPF_PROG_TYPE_XDP)
		cli_error(CMD, "BPF_PROG_TEST_RUN: a packet of %u bytes: %s programs take 14 to 3712 bytes",
			  pkt->len, tname);
	else if (e == EINVAL && pkt && type != BPF_PROG_TYPE_XDP && pkt->data[12] == 0x08 && pkt->data[13] == 0 &&
		 pkt->len < 34)
		cli_error(CMD, "BPF_PROG_TEST_RUN: an IPv4 frame of %u bytes: %s programs need the whole IPv4 header "
			  "(34 bytes)", pkt->len, tname);
	else if (e == EINVAL && pkt && type != BPF_PROG_TYPE_XDP && pkt->data[12] == 0x86 && pkt->data[13] == 0xdd &&
		 pkt->len < 54)
		cli_error(CMD, "BPF_PROG_TEST_RUN: an IPv6 frame of %u bytes: %s programs need the whole IPv6 header "
			  "(54 bytes)", pkt->len, tname);
	else if (e == EINVAL && pkt && pkt->len < 14)
		cli_error(CMD, "BPF_PROG_TEST_RUN: a packet of %u bytes: xdp programs take at least 14",
			  pkt->len);
	else if (e == EINVAL && ctx && pkt)
		cli_error(
		    CMD,
		    "BPF_PROG_TEST_RUN: Invalid argument (--ctx: of struct __sk_buff only mark, priority, "
		    "ingress_ifindex, ifindex (0 or 1), cb, tstamp, wire_len, gso_segs, gso_size and "
		    "hwtstamp may be set)");
	else
		cli_error(CMD, "BPF_PROG_TEST_RUN: %s", g_strerror(e));
}

static int test_run(const struct loaded *l, GByteArray *pkt, GBytes *ctx, const struct run_args *a,
		    struct run_out *o)
{
	gsize ctx_len = 0;
	const void *ctx_data = ctx ? g_bytes_get_data(ctx, &ctx_len) : NULL;
	struct bpfs_loader_run run = {
	    .ctx_in = ctx_data,
	    .ctx_size_in = (uint32_t)ctx_len,
	    .repeat = (uint32_t)a->repeat,
	};
	int ret;

	o->packet = g_byte_array_sized_new(pkt ? pkt->len : 0);
	g_byte_array_set_size(o->packet, pkt ? pkt->len : 0);
	if (pkt && pkt->len) {
		run.data_in = pkt->data;
		run.data_size_in = pkt->len;
		run.data_out = o->packet->data;
		run.data_size_out = o->packet->len;
	}
	ret = bpfs_loader_test_run(l->ld, &run);
	if (ret == -EOPNOTSUPP && !bpfs_prog_last_report(l->prog_fd, &o->report) &&
	    o->report.viol == BPFS_VIOL_UNSUPPORTED) {
		/* the message names the helper; drop the "insn N: " */
		const char *msg = strstr(o->report.msg, ": ");

		cli_error(CMD, "%s (insn %d)", msg ? msg + 2 : o->report.msg, o->report.insn);
		return EXIT_USAGE;
	}
	if (ret == -EFAULT && !bpfs_prog_last_report(l->prog_fd, &o->report) &&
	    o->report.viol != BPFS_VIOL_NONE) {
		o->stopped = true;
		g_byte_array_set_size(o->packet, 0);
	} else if (ret) {
		test_run_error(-ret, l->type, pkt, ctx);
		return EXIT_USAGE;
	} else {
		o->retval = run.retval;
		o->duration = run.duration;
		g_byte_array_set_size(o->packet, run.data_size_out);
		bpfs_prog_last_report(l->prog_fd, &o->report);
	}
	if (a->trace || a->json) {
		size_t len = 0;

		o->trace = g_malloc0(BPFS_PROG_TRACE_SIZE);
		bpfs_prog_read_trace(l->prog_fd, o->trace, BPFS_PROG_TRACE_SIZE, &len, &o->trace_truncated);
	}
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Output                                                                 */

static char *hex(const uint8_t *p, size_t n)
{
	GString *s = g_string_sized_new(2 * n + 1);

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", p[i]);
	return g_string_free(s, FALSE);
}

typedef void (*elem_fn)(void *ctx, const char *name, const char *key, const char *value);

struct walk {
	elem_fn fn;
	void *ctx;
	const char *name;
};

static int walk_elem(void *data, const void *key, size_t key_size, const void *value, size_t value_size)
{
	struct walk *w = data;
	g_autofree char *k = hex(key, key_size), *v = hex(value, value_size);

	w->fn(w->ctx, w->name, k, v);
	return 0;
}

/* Every map's elements, in GET_NEXT_KEY order. */
static void walk_maps(const struct loaded *l, elem_fn fn, void *ctx)
{
	for (size_t i = 0; i < bpfs_loader_map_count(l->ld); i++) {
		const struct bpfs_map_spec *s = bpfs_loader_map_spec(l->ld, i);
		struct walk w = {fn, ctx, s->name ? s->name : "?"};

		fn(ctx, w.name, NULL, NULL);
		bpfs_loader_walk_map(l->ld, i, walk_elem, &w);
	}
}

static void print_elem(void *ctx, const char *name, const char *key, const char *value)
{
	(void)ctx;
	if (!key)
		printf("map %s:\n", name);
	else
		printf("  %s: %s\n", key, value);
}

static void print_text(const struct loaded *l, const struct run_args *a, const struct run_out *o)
{
	printf("r0 = %" PRIu32 " (0x%" PRIx32 ")\n", o->retval, o->retval);
	if (a->repeat > 0)
		printf("%" PRIu32 " ns/run\n", o->duration);
	if (o->stopped)
		printf("violation: %s: %s\n", bpfs_violation_name(o->report.viol), o->report.msg);
	else if (a->checked)
		printf("checked: no violation (%" PRIu64 " insns)\n", o->report.insns);
	if (a->trace) {
		printf("trace:\n%s", o->trace ? o->trace : "");
		if (o->trace && *o->trace && o->trace[strlen(o->trace) - 1] != '\n')
			putchar('\n');
		if (o->trace_truncated)
			printf("(trace truncated)\n");
	}
	if (a->dump) {
		g_autofree char *p = hex(o->packet->data, o->packet->len);

		printf("packet (%u bytes): %s\n", o->packet->len, p);
		walk_maps(l, print_elem, NULL);
	}
}

struct json_maps {
	JsonBuilder *b;
	bool open;
};

static void json_elem(void *ctx, const char *name, const char *key, const char *value)
{
	struct json_maps *j = ctx;

	if (!key) {
		if (j->open)
			json_builder_end_array(j->b);
		json_builder_set_member_name(j->b, name);
		json_builder_begin_array(j->b);
		j->open = true;
		return;
	}
	json_builder_begin_object(j->b);
	json_builder_set_member_name(j->b, "key");
	json_builder_add_string_value(j->b, key);
	json_builder_set_member_name(j->b, "value");
	json_builder_add_string_value(j->b, value);
	json_builder_end_object(j->b);
}

static void print_json(const struct loaded *l, const struct run_args *a, const struct run_out *o)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *text = NULL, *pkt = hex(o->packet->data, o->packet->len);
	struct json_maps j = {b, false};

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "r0");
	json_builder_add_int_value(b, o->retval);
	json_builder_set_member_name(b, "duration_ns");
	json_builder_add_int_value(b, o->duration);
	json_builder_set_member_name(b, "repeat");
	json_builder_add_int_value(b, a->repeat ? a->repeat : 1);
	json_builder_set_member_name(b, "violation");
	if (o->stopped) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, bpfs_violation_name(o->report.viol));
		json_builder_set_member_name(b, "insn");
		json_builder_add_int_value(b, o->report.insn);
		json_builder_set_member_name(b, "message");
		json_builder_add_string_value(b, o->report.msg);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "packet");
	json_builder_add_string_value(b, pkt);
	json_builder_set_member_name(b, "trace");
	json_builder_add_string_value(b, o->trace ? o->trace : "");
	json_builder_set_member_name(b, "maps");
	json_builder_begin_object(b);
	walk_maps(l, json_elem, &j);
	if (j.open)
		json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, NULL);
	puts(text);
}

/* ---------------------------------------------------------------------- */

static bool read_inputs(const struct run_args *a, uint32_t type, GByteArray **pkt, GBytes **ctx)
{
	if (a->packet && a->packet_hex) {
		cli_error(CMD, "--packet and --packet-hex exclude each other");
		return false;
	}
	if (a->packet)
		*pkt = packet_from_file(a->packet);
	else if (a->packet_hex)
		*pkt = packet_from_hex(a->packet_hex);
	else if (bpfs_ctx_has_packet(type))
		*pkt = default_packet();
	if ((a->packet || a->packet_hex) && !*pkt)
		return false;
	if ((a->packet || a->packet_hex) && !bpfs_ctx_has_packet(type)) {
		cli_error(CMD, "%s programs take no packet (use --ctx)", bpfs_prog_type_name(type));
		return false;
	}
	if (a->ctx) {
		g_autoptr(GError) gerr = NULL;
		char *data;
		gsize len;

		if (!g_file_get_contents(a->ctx, &data, &len, &gerr)) {
			cli_error(CMD, "--ctx: %s", gerr->message);
			return false;
		}
		*ctx = g_bytes_new_take(data, len);
	}
	return true;
}

static bool check_args(const struct run_args *a)
{
	if (a->repeat < 0 || a->repeat > UINT32_MAX) {
		cli_error(CMD, "--repeat takes a count from 0 to %u", UINT32_MAX);
		return false;
	}
	if (a->engine && strcmp(a->engine, "interp") && strcmp(a->engine, "jit")) {
		cli_error(CMD, "unknown engine '%s' (interp or jit)", a->engine);
		return false;
	}
	return true;
}

/* --task pid=N,tgid=N,uid=N,gid=N,comm=NAME,cpu=N,classid=N: any subset,
 * the rest keeps its default. */
static bool parse_task(const char *spec, struct bpfs_task *t)
{
	g_auto(GStrv) kv = g_strsplit(spec, ",", -1);
	static const char *const keys[] = {"pid", "tgid", "uid", "gid", "cpu", "classid"};
	uint32_t *fields[] = {&t->pid, &t->tgid, &t->uid, &t->gid, &t->cpu, &t->cgroup_classid};

	t->pid = t->tgid = 1000;
	t->uid = t->gid = t->cpu = t->cgroup_classid = 0;
	g_strlcpy(t->comm, "bpfscope", sizeof(t->comm));
	for (guint i = 0; kv[i]; i++) {
		char *eq = strchr(kv[i], '='), *end;
		guint64 v;
		size_t k;

		if (!eq)
			goto bad;
		*eq++ = 0;
		if (!strcmp(kv[i], "comm")) {
			if (strlen(eq) >= sizeof(t->comm)) {
				cli_error(CMD, "--task: comm '%s' is longer than %zu bytes", eq, sizeof(t->comm) - 1);
				return false;
			}
			g_strlcpy(t->comm, eq, sizeof(t->comm));
			continue;
		}
		for (k = 0; k < G_N_ELEMENTS(keys) && strcmp(kv[i], keys[k]); k++)
			;
		errno = 0;
		v = g_ascii_strtoull(eq, &end, 0);
		if (k == G_N_ELEMENTS(keys) || !*eq || *end || errno || v > UINT32_MAX || *eq == '-')
			goto bad;
		*fields[k] = (uint32_t)v;
	}
	return true;
bad:
	cli_error(CMD, "--task '%s': expected KEY=VALUE,... with keys pid, tgid, uid, gid, comm, cpu, classid", spec);
	return false;
}

static int set_mode(const struct loaded *l, const struct run_args *a)
{
	int ret;

	if (a->task) {
		struct bpfs_task t;

		if (!parse_task(a->task, &t))
			return EXIT_USAGE;
		ret = bpfs_prog_set_task(l->prog_fd, &t);
		if (ret) {
			cli_error(CMD, "--task: %s", g_strerror(-ret));
			return EXIT_USAGE;
		}
	}
	if (a->seed) {
		char *end;
		guint64 seed;

		errno = 0;
		seed = g_ascii_strtoull(a->seed, &end, 0);
		if (!*a->seed || *end || errno || *a->seed == '-') {
			cli_error(CMD, "--seed '%s' is not a number", a->seed);
			return EXIT_USAGE;
		}
		ret = bpfs_prog_set_seed(l->prog_fd, seed);
		if (ret) {
			cli_error(CMD, "--seed: %s", g_strerror(-ret));
			return EXIT_USAGE;
		}
	}

	if (a->engine && !strcmp(a->engine, "jit")) {
		ret = bpfs_prog_set_engine(l->prog_fd, BPFS_ENGINE_JIT);
		if (ret) {
			cli_error(CMD, "--engine jit: %s",
				  ret == -EOPNOTSUPP ? "the JIT runs verified programs only (not with --no-verify)"
						     : g_strerror(-ret));
			return EXIT_USAGE;
		}
	}
	if (a->checked || a->no_verify) {
		ret = bpfs_prog_set_checked(l->prog_fd, true);
		if (ret) {
			cli_error(CMD, "--checked: %s", g_strerror(-ret));
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

static int run_target(const struct cli_target *t, struct run_args *a)
{
	g_autoptr(GArray) own = g_array_new(FALSE, TRUE, sizeof(struct bpfs_map_spec));
	struct loaded l = {.prog_fd = -1};
	struct run_out o = {0};
	struct cli_witness wit = {0};
	GByteArray *pkt = NULL;
	GBytes *ctx = NULL;
	const struct bpfs_prog *p;
	const char *load_err;
	int ret = EXIT_USAGE;

	if (t->nprogs != 1) {
		cli_error(CMD, "%s has %zu programs: choose one with FILE:SECTION (see bpfscope list)",
			  t->path, t->nprogs);
		goto out;
	}
	p = t->progs[0];
	l.type = p->type;
	load_err = bpfs_prog_load_error(t->obj, p);
	if (load_err) {
		cli_error(CMD, "%s: %s", t->path, load_err);
		goto out;
	}
	if (p->type == BPF_PROG_TYPE_UNSPEC) {
		cli_error(CMD, "%s: program type unknown: give it with --type", t->path);
		goto out;
	}
	if (a->witness && !cli_witness_inputs(CMD, a->witness, p->type, &a->packet_hex, &ctx, a->sets, &wit))
		goto out;
	if (!read_inputs(a, p->type, &pkt, &ctx) || !map_specs(t, a->maps, own, &l) || !create_maps(&l))
		goto out;
	ret = load_prog(t, p, a, &l);
	if (ret != EXIT_OK)
		goto out;
	ret = EXIT_USAGE;
	if (!apply_map_sets(&l, a->sets) || set_mode(&l, a) != EXIT_OK)
		goto out;
	ret = test_run(&l, pkt, ctx, a, &o);
	if (ret != EXIT_OK)
		goto out;
	if (a->json)
		print_json(&l, a, &o);
	else
		print_text(&l, a, &o);
	ret = o.stopped ? EXIT_VERDICT : EXIT_OK;
out:
	bpfs_loader_free(l.ld);
	cli_map_decls_release(own);
	if (pkt)
		g_byte_array_unref(pkt);
	if (ctx)
		g_bytes_unref(ctx);
	if (o.packet)
		g_byte_array_unref(o.packet);
	g_free(o.trace);
	cli_witness_release(&wit);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {.sets = g_ptr_array_new()};
	GOptionEntry entries[] = {
	    {"engine", 'e', 0, G_OPTION_ARG_STRING, &a.engine, "Execution engine: interp (default) or jit",
	     "E"},
	    {"packet", 'p', 0, G_OPTION_ARG_FILENAME, &a.packet,
	     "Packet: raw bytes, or the first packet of a pcap file", "FILE"},
	    {"packet-hex", 'x', 0, G_OPTION_ARG_STRING, &a.packet_hex, "Packet as hex digits", "HEX"},
	    {"ctx", 'c', 0, G_OPTION_ARG_FILENAME, &a.ctx,
	     "Context input (struct __sk_buff, struct pt_regs, ...) as raw bytes", "FILE"},
	    {"map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a.maps,
	     "Declare map N (in order, from 0) for raw or assembly input", "TYPE:KEY:VALUE:MAX[:FLAGS]"},
	    {"repeat", 'r', 0, G_OPTION_ARG_INT64, &a.repeat, "Run N times and print the mean ns/run", "N"},
	    {"task", 0, 0, G_OPTION_ARG_STRING, &a.task,
	     "The task the program runs in, as the get_current_* helpers, bpf_get_smp_processor_id and "
	     "bpf_get_cgroup_classid report it: pid=N,tgid=N,uid=N,gid=N,comm=NAME,cpu=N,classid=N (any subset)",
	     "SPEC"},
	    {"seed", 0, 0, G_OPTION_ARG_STRING, &a.seed,
	     "Seed of bpf_get_prandom_u32 (every run starts from it)", "S"},
	    {"trace", 0, 0, G_OPTION_ARG_NONE, &a.trace, "Print the bpf_trace_printk output", NULL},
	    {"checked", 0, 0, G_OPTION_ARG_NONE, &a.checked,
	     "Check every memory access; a violation is reported and exits 1", NULL},
	    {"dump", 0, 0, G_OPTION_ARG_NONE, &a.dump, "Print the packet (hex) and the maps after the run",
	     NULL},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &a.json, "Print one JSON object", NULL},
	    {"no-verify", 0, 0, G_OPTION_ARG_NONE, &a.no_verify,
	     "Skip the verifier (the run is then checked)", NULL},
	    {"type", 't', 0, G_OPTION_ARG_STRING, &a.type,
	     "Program type (socket_filter, sched_cls, xdp, ...)", "T"},
	    {"witness", 0, 0, G_OPTION_ARG_FILENAME, &a.witness,
	     "Inputs from a witness of bpfscope xcheck: packet, context, map elements", "W.json"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	struct cli_target t;
	int ret = EXIT_USAGE;

	if (!take_map_sets(&argc, argv, a.sets))
		goto out;
	if (!cli_parse(
		CMD, "FILE[:SECTION] [--map-set NAME KEY=VALUE]...",
		"run a program with BPF_PROG_TEST_RUN (KEY and VALUE: decimal, little-endian, or 0x + hex "
		"bytes)",
		entries, &argc, &argv))
		goto out;
	if (argc != 2) {
		cli_error(CMD, "expected one FILE[:SECTION] (see bpfscope run --help)");
		goto out;
	}
	if (!check_args(&a))
		goto out;
	if (!cli_open(CMD, argv[1], a.type, &t))
		goto out;
	ret = run_target(&t, &a);
	cli_target_release(&t);
out:
	g_free(a.engine);
	g_free(a.packet);
	g_free(a.packet_hex);
	g_free(a.ctx);
	g_free(a.type);
	g_free(a.task);
	g_free(a.seed);
	g_free(a.witness);
	g_strfreev(a.maps);
	g_ptr_array_unref(a.sets);
	return ret;
}
