/* SPDX-License-Identifier: MIT */
/*
 * Execution counts for the commands that show them (cover --run, dot
 * --heat --run): the program loaded as `run` loads it, then test-run in
 * checked mode on each input, the interpreter counting every instruction
 * and every jump taken. Inputs: each --packet and --packet-hex, then
 * --inputs generated ones (as `diff` generates them, from --seed), else
 * the default frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bpf.h"
#include "cli.h"

void cli_run_input_entries(struct cli_run_inputs *in, GArray *entries)
{
	const GOptionEntry e[] = {
		{"packet", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &in->packets,
		 "With --run: an input packet (raw bytes or a pcap's first packet); may be repeated", "FILE"},
		{"packet-hex", 'x', 0, G_OPTION_ARG_STRING_ARRAY, &in->packet_hex,
		 "With --run: an input packet as hex digits; may be repeated", "HEX"},
		{"inputs", 'n', 0, G_OPTION_ARG_INT64, &in->inputs,
		 "With --run: N more inputs generated as bpfscope diff generates them", "N"},
		{"seed", 's', 0, G_OPTION_ARG_INT64, &in->seed, "The seed of --inputs (default 1)", "S"},
	};

	g_array_append_vals(entries, e, G_N_ELEMENTS(e));
}

bool cli_run_inputs_check(const char *cmd, const struct cli_run_inputs *in, bool run)
{
	if (in->inputs < 0 || in->inputs > 100000) {
		cli_error(cmd, "--inputs takes 0 to 100000");
		return false;
	}
	if (!run && (in->packets || in->packet_hex || in->inputs)) {
		cli_error(cmd, "--packet, --packet-hex and --inputs are inputs of --run");
		return false;
	}
	return true;
}

void cli_run_inputs_release(struct cli_run_inputs *in)
{
	g_strfreev(in->packets);
	g_strfreev(in->packet_hex);
	in->packets = in->packet_hex = NULL;
}

/* The inputs of --run: each --packet and --packet-hex, then --inputs
 * generated ones (as diff generates them, from --seed), else the default
 * frame. */
static GPtrArray *inputs(const char *cmd, const struct cli_run_inputs *a, uint32_t prog_type)
{
	GPtrArray *v = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
	struct bpfs_err err;

	for (char **f = a->packets; f && *f; f++) {
		uint8_t *d = NULL;
		size_t n = 0;

		if (bpfs_packet_read_file(*f, &d, &n, &err)) {
			cli_error(cmd, "%s", err.msg);
			g_ptr_array_free(v, TRUE);
			return NULL;
		}
		g_ptr_array_add(v, g_byte_array_new_take(d, n));
	}
	for (char **h = a->packet_hex; h && *h; h++) {
		uint8_t *d = NULL;
		size_t n = 0;

		if (bpfs_packet_parse_hex(*h, &d, &n, &err)) {
			cli_error(cmd, "--packet-hex: %s", err.msg);
			g_ptr_array_free(v, TRUE);
			return NULL;
		}
		g_ptr_array_add(v, g_byte_array_new_take(d, n));
	}
	for (gint64 i = 0; i < a->inputs; i++) {
		struct bpfs_diff_input in;

		if (bpfs_diff_input_gen(prog_type, (uint64_t)a->seed, (unsigned)i, &in))
			continue;
		g_ptr_array_add(v, g_byte_array_new_take(in.pkt, in.pkt_len));
		in.pkt = NULL;
		bpfs_diff_input_release(&in);
	}
	if (!v->len) {
		uint8_t frame[64];

		bpfs_packet_default(frame);
		g_ptr_array_add(v, g_byte_array_append(g_byte_array_new(), frame, sizeof(frame)));
	}
	return v;
}

bool cli_exec_counts(const char *cmd, struct cli_verifier_args *va, const struct cli_run_inputs *ri,
		     const struct cli_target *t, const struct bpfs_prog *p, uint64_t *counts, uint64_t *taken)
{
	struct bpfs_verifier_opts o = {0};
	g_autofree char *log = g_malloc0(1u << 16);
	struct bpfs_loader_prog_opts lo = {.prog_type = p->type, .license = t->obj->license,
					   .kern_version = t->obj->kern_version, .log = log, .log_size = 1u << 16,
					   .log_level = 1};
	struct bpfs_loader *ld = NULL;
	GPtrArray *in = NULL;
	struct bpfs_err err;
	bool ok = false;
	int fd;

	if (!cli_verifier_opts(cmd, va, &o) || !cli_verifier_target(cmd, va, t, &o))
		return false;
	in = inputs(cmd, ri, p->type);
	if (!in)
		return false;
	if (bpfs_loader_new(&bpfs_backend_bpfscope, o.maps, o.map_cnt, &ld, &err)) {
		cli_error(cmd, "%s: %s", t->path, err.msg);
		goto out;
	}
	if (bpfs_loader_load(ld, p->insns, p->insn_cnt, &lo, &err)) {
		cli_error(cmd, "%s: the program is not loaded (%s)%s%s", t->path, err.msg, *log ? ": " : "",
			  *log ? log : "");
		goto out;
	}
	fd = bpfs_loader_prog_fd(ld);
	if (bpfs_prog_set_checked(fd, true) || bpfs_prog_set_insn_counts(fd, counts, taken)) {
		cli_error(cmd, "%s: cannot count instructions", t->path);
		goto out;
	}
	for (guint i = 0; i < in->len; i++) {
		GByteArray *pkt = in->pdata[i];
		g_autofree uint8_t *outbuf = g_malloc(pkt->len + 4096);
		struct bpfs_loader_run r = {.data_in = pkt->data, .data_size_in = pkt->len, .data_out = outbuf,
					    .data_size_out = pkt->len + 4096, .repeat = 1};
		int rr = bpfs_loader_test_run(ld, &r);

		/* EINVAL: an input test_run refuses for the type (short frames) */
		if (rr && rr != -EINVAL)
			fprintf(stderr, "%s: input %u: %s\n", t->path, i, g_strerror(-rr));
	}
	bpfs_prog_set_insn_counts(fd, NULL, NULL);
	ok = true;
out:
	bpfs_loader_free(ld);
	g_ptr_array_free(in, TRUE);
	return ok;
}
