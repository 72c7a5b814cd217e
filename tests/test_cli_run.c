/* SPDX-License-Identifier: MIT */
/*
 * bpfscope run, end to end on the bundled examples: verdicts and exit
 * statuses, the first output line, --map-set and --dump, --repeat,
 * --json, packets from hex and pcap files, checked runs, and the
 * messages of bad input (exit 2).
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* An IPv4/UDP frame to port 53 and an ARP request, as hex. */
#define UDP53                                                                                                \
	"02000000000202000000000108004500003200004000401126b90a0000010a00"                                   \
	"000204d20035001e000000000000000000000000000000000000000000000000"
#define TCP80                                                                                                \
	"02000000000202000000000108004500003200004000400626c40a0000010a00"                                   \
	"00029c4000500000000100000000500200000000000000000000000000000000"
#define ARP "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002"

static char *example(const char *name)
{
	return g_build_filename(g_getenv("BPFS_EXAMPLES_DIR"), name, NULL);
}

/* Runs "bpfscope run ARGS" and returns its exit status. */
static int run(const char *args, char **out, char **err)
{
	g_autofree char *cmd = g_strdup_printf("%s run %s", tu_cli(), args);
	int status = tu_run(cmd, out, err);

	if (out && *out && err && *err)
		g_test_message("$ %s\n%s%s", cmd, *out, *err);
	return status;
}

static bool have(const char *name)
{
	g_autofree char *p = example(name);

	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return true;
	g_test_skip("example not built (clang missing?)");
	return false;
}

/* The same on either engine: data (the engine name) picks it. */
static void test_xdp_filter_drop(gconstpointer data)
{
	g_autofree char *obj = example("xdp_filter.o"), *args = NULL, *out = NULL, *err = NULL;

	if (!have("xdp_filter.o"))
		return;
	args = g_strdup_printf("%s --engine %s --map-set blocked_ports 0x0035=0 --dump", obj, (const char *)data);
	g_assert_cmpint(run(args, &out, &err), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = 1 (0x1)\n"));
	g_assert_nonnull(strstr(out, "map blocked_ports:\n  0035: 0100000000000000\n"));
	g_assert_nonnull(strstr(out, "packet (64 bytes): " UDP53 "\n"));
}

static void test_xdp_filter_pass(void)
{
	g_autofree char *obj = example("xdp_filter.o"), *args = NULL, *out = NULL;

	if (!have("xdp_filter.o"))
		return;
	/* a TCP packet to port 80 passes, and the counter stays */
	args = g_strdup_printf("%s --map-set blocked_ports 0x0035=7 --packet-hex %s --dump", obj, TCP80);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = 2 (0x2)\n"));
	g_assert_nonnull(strstr(out, "  0035: 0700000000000000\n"));
	g_free(args);
	g_free(out);
	args = g_strdup_printf("%s", obj);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "r0 = 2 (0x2)\n");
}

static void test_count_proto(void)
{
	g_autofree char *obj = example("maps_demo.o"), *args = NULL, *out = NULL;
	g_auto(GStrv) lines = NULL;

	if (!have("maps_demo.o"))
		return;
	args = g_strdup_printf("%s:count_proto --repeat 5 --dump", obj);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	lines = g_strsplit(out, "\n", -1);
	g_assert_cmpstr(lines[0], ==, "r0 = 4294967295 (0xffffffff)");
	g_assert_true(g_str_has_suffix(lines[1], " ns/run"));
	/* key: the EtherType as the skb holds it (network order) */
	g_assert_nonnull(strstr(out, "map counts:\n  08000000: 0500000000000000\n"));
	/* a socket filter's packet comes back with the Ethernet header zeroed */
	g_assert_nonnull(strstr(out, "packet (64 bytes): 0000000000000000000000000000450000"));
}

static void test_ipv4_only(void)
{
	g_autofree char *src = example("ipv4_only.s"), *args = NULL, *out = NULL;

	args = g_strdup_printf("%s --type sched_cls --packet-hex %s", src, UDP53);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "r0 = 4294967295 (0xffffffff)\n");
	g_free(args);
	g_free(out);
	args = g_strdup_printf("%s --type sched_cls --packet-hex %s", src, ARP);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_cmpstr(out, ==, "r0 = 0 (0x0)\n");
}

/* A pcap file holding frame, in the given byte order and time unit. */
static char *write_pcap(const char *hex, bool swap, bool nsec)
{
	g_autofree guint8 *frame = NULL;
	gssize n = tu_unhex(hex, &frame);
	guint32 hdr[6] = {nsec ? 0xa1b23c4du : 0xa1b2c3d4u, 0x00040002u, 0, 0, 65535, 1};
	guint32 rec[4] = {1, 2, (guint32)n, (guint32)n};
	GByteArray *b = g_byte_array_new();
	char *path = NULL;
	int fd = g_file_open_tmp("bpfscope-run-XXXXXX.pcap", &path, NULL);

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	if (swap) {
		for (int i = 0; i < 6; i++)
			hdr[i] = GUINT32_SWAP_LE_BE(hdr[i]);
		for (int i = 0; i < 4; i++)
			rec[i] = GUINT32_SWAP_LE_BE(rec[i]);
	}
	g_byte_array_append(b, (guint8 *)hdr, sizeof(hdr));
	g_byte_array_append(b, (guint8 *)rec, sizeof(rec));
	g_byte_array_append(b, frame, (guint)n);
	g_assert_true(g_file_set_contents(path, (char *)b->data, b->len, NULL));
	g_byte_array_unref(b);
	return path;
}

static void test_pcap(void)
{
	g_autofree char *src = example("ipv4_only.s");

	for (int v = 0; v < 4; v++) {
		g_autofree char *ipv4 = write_pcap(UDP53, v & 1, v & 2), *arp = write_pcap(ARP, v & 1, v & 2);
		g_autofree char *a1 = g_strdup_printf("%s --type sched_cls --packet %s", src, ipv4);
		g_autofree char *a2 = g_strdup_printf("%s --type sched_cls --packet %s", src, arp);
		g_autofree char *o1 = NULL, *o2 = NULL;

		g_assert_cmpint(run(a1, &o1, NULL), ==, 0);
		g_assert_cmpstr(o1, ==, "r0 = 4294967295 (0xffffffff)\n");
		g_assert_cmpint(run(a2, &o2, NULL), ==, 0);
		g_assert_cmpstr(o2, ==, "r0 = 0 (0x0)\n");
		g_unlink(ipv4);
		g_unlink(arp);
	}
}

static void test_json(void)
{
	g_autofree char *obj = example("xdp_filter.o"), *args = NULL, *out = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o, *maps;
	JsonArray *bp;

	if (!have("xdp_filter.o"))
		return;
	args = g_strdup_printf("%s --map-set blocked_ports 0x0035=3 --json --repeat 2", obj);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
	o = json_node_get_object(json_parser_get_root(p));
	g_assert_cmpint(json_object_get_int_member(o, "r0"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(o, "repeat"), ==, 2);
	g_assert_true(json_object_has_member(o, "duration_ns"));
	g_assert_cmpstr(json_object_get_string_member(o, "packet"), ==, UDP53);
	g_assert_true(json_object_get_null_member(o, "violation"));
	maps = json_object_get_object_member(o, "maps");
	bp = json_object_get_array_member(maps, "blocked_ports");
	g_assert_cmpuint(json_array_get_length(bp), ==, 1);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(bp, 0), "value"), ==,
			"0500000000000000");
}

static void test_trace_checked(void)
{
	g_autofree char *obj = example("kprobe_trace.o"), *xdp = example("xdp_filter.o"), *args = NULL,
			*out = NULL;

	if (!have("kprobe_trace.o") || !have("xdp_filter.o"))
		return;
	args = g_strdup_printf("%s --trace", obj);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = "));
	g_assert_nonnull(strstr(out, "\ntrace:\n"));
	g_free(args);
	g_free(out);
	args = g_strdup_printf("%s --checked", xdp);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_nonnull(strstr(out, "r0 = 2 (0x2)\nchecked: no violation"));
}

static char *temp_asm(const char *text)
{
	char *path = NULL;
	int fd = g_file_open_tmp("bpfscope-run-XXXXXX.s", &path, NULL);

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void test_verdicts(void)
{
	g_autofree char *dead = example("dead_code.s"), *bad = temp_asm("r0 = *(u64 *)(r10 - 520)\nexit\n");
	g_autofree char *args = NULL, *out = NULL, *err = NULL;

	/* rejected by the verifier: the log, then exit 1 */
	g_assert_cmpint(run(dead, &out, &err), ==, 1);
	g_assert_nonnull(strstr(err, "program rejected"));
	g_assert_nonnull(strstr(out, "unreachable insn"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(run(bad, &out, &err), ==, 1);
	g_free(out);
	g_free(err);
	/* unverified, the run is checked and stops at the violation */
	args = g_strdup_printf("%s --no-verify", bad);
	g_assert_cmpint(run(args, &out, &err), ==, 1);
	g_assert_true(g_str_has_prefix(out, "r0 = 0 (0x0)\nviolation: "));
	g_assert_nonnull(strstr(out, "insn 0"));
	g_unlink(bad);
}

/* Assembly with a map declared by --map: counts runs. */
static void test_asm_map(void)
{
	g_autofree char *src = temp_asm("*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\nr1 = counter ll\ncall 1\n"
					"if r0 == 0 goto out\nr1 = *(u64 *)(r0 + 0)\nr1 += 1\n"
					"*(u64 *)(r0 + 0) = r1\nr0 = r1\nexit\nout:\nr0 = 0\nexit\n");
	g_autofree char *args = NULL, *out = NULL, *err = NULL;

	args = g_strdup_printf("%s --map array:4:8:1 --map-set counter 0=41 --repeat 3 --dump", src);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = 44 (0x2c)\n"));
	g_assert_nonnull(strstr(out, "map counter:\n  00000000: 2c00000000000000\n"));
	g_free(args);
	args = g_strdup_printf("%s", src);
	g_assert_cmpint(run(args, NULL, &err), ==, 2);
	g_assert_nonnull(strstr(err, "uses map 'counter' (map 0): declare it with --map TYPE:KEY:VALUE:MAX"));
	g_unlink(src);
}

/* --task sets what the get_current_* helpers and the CPU id report;
 * --seed the random numbers' seed. */
static void test_task(void)
{
	g_autofree char *src = temp_asm("call bpf_get_current_pid_tgid\nr6 = r0\ncall bpf_get_current_uid_gid\n"
					"r6 += r0\ncall bpf_get_smp_processor_id\nr6 += r0\nr1 = r10\n"
					"r1 += -16\nr2 = 16\ncall bpf_get_current_comm\n"
					"r0 = *(u8 *)(r10 - 16)\nr0 += r6\nexit\n");
	g_autofree char *rnd = temp_asm("call bpf_get_prandom_u32\nexit\n");
	g_autofree char *args = NULL, *out = NULL, *out2 = NULL;

	/* 'A' + pid 7 + uid 3 + cpu 1 in the low 32 bits */
	args = g_strdup_printf("%s --type kprobe --task pid=7,tgid=9,uid=3,gid=4,comm=Ax,cpu=1", src);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = 76 (0x4c)\n"));
	g_free(args);
	g_free(out);
	/* defaults: 'b' of "bpfscope" + pid 1000 */
	args = g_strdup_printf("%s --type kprobe", src);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "r0 = 1098 (0x44a)\n"));
	g_free(args);
	g_free(out);
	args = g_strdup_printf("%s --type kprobe --seed 42", rnd);
	g_assert_cmpint(run(args, &out, NULL), ==, 0);
	g_assert_cmpint(run(args, &out2, NULL), ==, 0);
	g_assert_cmpstr(out, ==, out2);
	g_free(args);
	g_free(out2);
	args = g_strdup_printf("%s --type kprobe --seed 43", rnd);
	g_assert_cmpint(run(args, &out2, NULL), ==, 0);
	g_assert_cmpstr(out, !=, out2);
	g_unlink(src);
	g_unlink(rnd);
}

static void expect_usage(const char *args, const char *msg)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(run(args, &out, &err), ==, 2);
	if (!strstr(err, msg)) {
		g_test_message("expected '%s' in:\n%s", msg, err);
		g_test_fail();
	}
}

static void test_bad_input(void)
{
	g_autofree char *xdp = example("xdp_filter.o"), *src = example("ipv4_only.s"), *a = NULL;
	g_autofree char *pcap = write_pcap(ARP, false, false), *ret0 = temp_asm("r0 = 0\nexit\n");
	char *raw;
	gsize len;

	expect_usage("", "expected one FILE[:SECTION]");
	expect_usage("/nonexistent/x.o", "No such file");
	a = g_strdup_printf("%s --repeat -1", src);
	expect_usage(a, "--repeat takes a count");
	g_free(a);
	a = g_strdup_printf("%s --engine fpga", src);
	expect_usage(a, "unknown engine 'fpga'");
	g_free(a);
	a = g_strdup_printf("%s --packet-hex 0a0", src);
	expect_usage(a, "odd number of hex digits");
	g_free(a);
	a = g_strdup_printf("%s --packet-hex 0x12", src);
	expect_usage(a, "'x' at offset 1 is not a hex digit");
	g_free(a);
	a = g_strdup_printf("%s --packet /nonexistent/p.pcap", src);
	expect_usage(a, "--packet: ");
	g_free(a);
	a = g_strdup_printf("%s --packet-hex 0011", src);
	expect_usage(a, "a packet of 2 bytes: socket_filter programs take 14 to 3712 bytes");
	g_free(a);
	a = g_strdup_printf("%s --packet-hex 0200000000020200000000010800450000", src);
	expect_usage(a, "an IPv4 frame of 17 bytes: socket_filter programs need the whole IPv4 header (34 bytes)");
	g_free(a);
	a = g_strdup_printf("%s --task pid=x", src);
	expect_usage(a, "--task 'pid=x': expected KEY=VALUE");
	g_free(a);
	a = g_strdup_printf("%s --task comm=abcdefghijklmnopq", src);
	expect_usage(a, "is longer than 15 bytes");
	g_free(a);
	a = g_strdup_printf("%s --seed x1", src);
	expect_usage(a, "--seed 'x1' is not a number");
	g_free(a);
	a = g_strdup_printf("%s --type cgroup_sock", ret0);
	expect_usage(a, "not supported for cgroup_sock programs");
	g_free(a);
	g_unlink(ret0);
	a = g_strdup_printf("%s --map-set", src);
	expect_usage(a, "--map-set takes two arguments: NAME KEY=VALUE");
	g_free(a);
	/* a pcap of another link type */
	g_assert_true(g_file_get_contents(pcap, &raw, &len, NULL));
	raw[20] = 113; /* Linux cooked capture */
	g_assert_true(g_file_set_contents(pcap, raw, (gssize)len, NULL));
	g_free(raw);
	a = g_strdup_printf("%s --packet %s", src, pcap);
	expect_usage(a, "pcap link type 113 is not Ethernet (1)");
	g_free(a);
	g_unlink(pcap);
	if (!have("xdp_filter.o"))
		return;
	a = g_strdup_printf("%s --map-set nosuch 1=2", xdp);
	expect_usage(a, "--map-set nosuch 1=2: no map named 'nosuch'");
	g_free(a);
	a = g_strdup_printf("%s --map-set blocked_ports 70000=1", xdp);
	expect_usage(a, "key 70000 does not fit in 2 bytes");
	g_free(a);
	a = g_strdup_printf("%s --map-set blocked_ports 0x35=1", xdp);
	expect_usage(a, "key '0x35' has 2 hex digits, the map's key size needs 4");
	g_free(a);
	a = g_strdup_printf("%s --map-set blocked_ports 53=x", xdp);
	expect_usage(a, "value 'x' is neither a decimal integer nor 0x-prefixed hex bytes");
	g_free(a);
	a = g_strdup_printf("%s --engine jit --no-verify", xdp);
	expect_usage(a, "--engine jit: the JIT runs verified programs only");
	g_free(a);
	a = g_strdup_printf("%s --engine jjt", xdp);
	expect_usage(a, "jjt");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/cli/run/xdp-filter-drop/interp", "interp", test_xdp_filter_drop);
	g_test_add_data_func("/cli/run/xdp-filter-drop/jit", "jit", test_xdp_filter_drop);
	g_test_add_func("/cli/run/xdp-filter-pass", test_xdp_filter_pass);
	g_test_add_func("/cli/run/count-proto", test_count_proto);
	g_test_add_func("/cli/run/ipv4-only", test_ipv4_only);
	g_test_add_func("/cli/run/pcap", test_pcap);
	g_test_add_func("/cli/run/json", test_json);
	g_test_add_func("/cli/run/trace-checked", test_trace_checked);
	g_test_add_func("/cli/run/verdicts", test_verdicts);
	g_test_add_func("/cli/run/asm-map", test_asm_map);
	g_test_add_func("/cli/run/bad-input", test_bad_input);
	g_test_add_func("/cli/run/task", test_task);
	return g_test_run();
}
