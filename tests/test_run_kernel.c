/* SPDX-License-Identifier: MIT */
/*
 * The kernel as oracle for BPF_PROG_TEST_RUN: each program of a set runs
 * on each packet of a set, through the running kernel's bpf() and through
 * bpfscope's (the interpreter), and both must return the same retval, the
 * same packet afterwards, and the same errno when the run fails.
 *
 * Programs: the accepted rows of the verifier case table
 * (verifier_cases.h) that can run deterministically (packet program
 * types, hash and array maps only, no helpers but the map ones, loaded
 * privileged), plus packet programs of our own: byte loops, LD_ABS and
 * LD_IND, __sk_buff field reads, packet writes, map counters. Maps are
 * created fresh per program in each backend and live across the packets,
 * so programs that count see the same history in both. Both backends are
 * driven through the object loader (bpf.h), which is so tested against
 * the kernel too.
 *
 * Packets: every size class from 14 to 1514 bytes of random bytes (fixed
 * seed), and IPv4/UDP, IPv4/TCP, IPv6/UDP, ARP, broadcast and multicast
 * frames.
 *
 * Needs the kernel's bpf() (root or CAP_BPF); skips otherwise. A program
 * the kernel refuses to load is skipped with its errno (the verifier
 * tables are where load verdicts are compared).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "insn_macros.h"
#include "testutil.h"
#include "verifier_cases.h"

#define PTR(p) ((uint64_t)(uintptr_t)(p))
#define MAX_PKT 1514

static bool kernel_ok;

/* ---------------------------------------------------------------------- */
/* Packets                                                                */

struct pkt {
	uint8_t data[MAX_PKT];
	uint32_t len;
	char name[32];
};

static struct pkt pkts[64];
static size_t npkts;

static void add_pkt(const char *name, const uint8_t *d, uint32_t len)
{
	struct pkt *p = &pkts[npkts++];

	memcpy(p->data, d, len);
	p->len = len;
	g_strlcpy(p->name, name, sizeof(p->name));
}

static void make_packets(void)
{
	static const uint32_t sizes[] = {14, 15,  20,  33,  34,	 41,  42,   54,	 60,
					 64, 100, 128, 255, 511, 512, 1000, 1514};
	static const uint8_t mac[12] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
	GRand *r = g_rand_new_with_seed(20141205);
	uint8_t f[MAX_PKT];

	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		char name[32];

		for (uint32_t j = 0; j < sizes[i]; j++)
			f[j] = (uint8_t)g_rand_int(r);
		g_snprintf(name, sizeof(name), "random-%u", sizes[i]);
		add_pkt(name, f, sizes[i]);
	}
	/* IPv4/UDP 10.0.0.1:1234 -> 10.0.0.2:53, 64 bytes */
	memset(f, 0, sizeof(f));
	memcpy(f, mac, 12);
	f[12] = 0x08;
	memcpy(f + 14, (uint8_t[]){0x45, 0, 0, 50, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2},
	       20);
	memcpy(f + 34, (uint8_t[]){0x04, 0xd2, 0, 53, 0, 30, 0, 0}, 8);
	add_pkt("ipv4-udp", f, 64);
	/* IPv4 EtherType, shorter than the IPv4 header: skb types refuse it */
	add_pkt("ipv4-short", f, 33);
	add_pkt("ipv4-eth-only", f, 14);
	/* IPv4/TCP to port 80, 74 bytes */
	f[23] = 6;
	f[17] = 60;
	memcpy(f + 34,
	       (uint8_t[]){0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0},
	       20);
	add_pkt("ipv4-tcp", f, 74);
	/* IPv6/UDP, 70 bytes */
	memset(f + 12, 0, sizeof(f) - 12);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[19] = 16;
	f[20] = 17;
	f[21] = 64;
	f[37] = 1;
	f[53] = 2;
	memcpy(f + 54, (uint8_t[]){0x04, 0xd2, 0, 53, 0, 16, 0, 0}, 8);
	add_pkt("ipv6-udp", f, 70);
	/* IPv6 EtherType, shorter than the IPv6 header: skb types refuse it */
	add_pkt("ipv6-short", f, 53);
	/* ARP request, broadcast, 42 bytes */
	memset(f, 0xff, 6);
	memset(f + 12, 0, sizeof(f) - 12);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(f + 14, (uint8_t[]){0, 1, 8, 0, 6, 4, 0, 1}, 8);
	add_pkt("arp-broadcast", f, 42);
	/* multicast destination, IPv4 */
	memcpy(f, (uint8_t[]){0x01, 0x00, 0x5e, 0, 0, 1}, 6);
	f[13] = 0x00;
	f[14] = 0x45;
	add_pkt("ipv4-multicast", f, 60);
	g_rand_free(r);
}

/* ---------------------------------------------------------------------- */
/* Programs                                                               */

struct prog {
	char name[96];
	uint32_t type;
	const struct bpf_insn *insns;
	size_t cnt;
	enum vt_map_kind maps[VT_MAX_MAPS];
	uint32_t flags;
};

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R6 BPF_REG_6
#define R10 BPF_REG_10

/* Sum of the packet's bytes (xdp, bounded loop). */
static const struct bpf_insn p_byte_sum[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data_end)),
    BPF_MOV64_IMM(R0, 0),
    BPF_MOV64_IMM(R4, 0),
    /* loop: */
    BPF_MOV64_REG(R1, R2),
    BPF_ALU64_IMM(BPF_ADD, R1, 1),
    BPF_JMP_REG(BPF_JGT, R1, R3, 5),
    BPF_LDX_MEM(BPF_B, R1, R2, 0),
    BPF_ALU64_REG(BPF_ADD, R0, R1),
    BPF_ALU64_IMM(BPF_ADD, R2, 1),
    BPF_ALU64_IMM(BPF_ADD, R4, 1),
    BPF_JMP_IMM(BPF_JLT, R4, 2000, -8),
    BPF_EXIT_INSN(),
};

/* LD_ABS of the IPv4 protocol and addresses (socket filter: offsets from
 * the network header); out of range ends the program with 0. */
static const struct bpf_insn p_ld_abs[] = {
    BPF_MOV64_REG(R6, R1),
    BPF_LD_ABS(BPF_B, 9),
    BPF_MOV64_REG(BPF_REG_7, R0),
    BPF_LD_ABS(BPF_W, 12),
    BPF_ALU64_REG(BPF_XOR, BPF_REG_7, R0),
    BPF_LD_ABS(BPF_H, 20),
    BPF_ALU64_REG(BPF_ADD, R0, BPF_REG_7),
    BPF_EXIT_INSN(),
};

/* LD_IND through the IHL: the transport header's first half-word. */
static const struct bpf_insn p_ld_ind[] = {
    BPF_MOV64_REG(R6, R1),
    BPF_LD_ABS(BPF_B, 0),
    BPF_ALU64_IMM(BPF_AND, R0, 0x0f),
    BPF_ALU64_IMM(BPF_LSH, R0, 2),
    BPF_MOV64_REG(BPF_REG_7, R0),
    BPF_LD_IND(BPF_H, BPF_REG_7, 2),
    BPF_EXIT_INSN(),
};

/* sched_cls: LD_ABS sees the Ethernet header. */
static const struct bpf_insn p_ld_abs_l2[] = {
    BPF_MOV64_REG(R6, R1),
    BPF_LD_ABS(BPF_H, 12),
    BPF_EXIT_INSN(),
};

#define SKB_FIELD(f)                                                                                         \
	static const struct bpf_insn p_skb_##f[] = {                                                         \
	    BPF_LDX_MEM(BPF_W, R0, R1, offsetof(struct __sk_buff, f)),                                       \
	    BPF_EXIT_INSN(),                                                                                 \
	}
SKB_FIELD(len);
SKB_FIELD(protocol);
SKB_FIELD(pkt_type);
SKB_FIELD(ifindex);
SKB_FIELD(mark);
SKB_FIELD(priority);
SKB_FIELD(queue_mapping);
SKB_FIELD(vlan_present);
SKB_FIELD(ingress_ifindex);
SKB_FIELD(tc_index);
SKB_FIELD(hash);
SKB_FIELD(wire_len);
SKB_FIELD(gso_segs);

/* data_end - data, sched_cls and xdp. */
static const struct bpf_insn p_skb_data_len[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct __sk_buff, data_end)),
    BPF_MOV64_REG(R0, R3),
    BPF_ALU64_REG(BPF_SUB, R0, R2),
    BPF_EXIT_INSN(),
};

static const struct bpf_insn p_xdp_data_len[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data_end)),
    BPF_MOV64_REG(R0, R3),
    BPF_ALU64_REG(BPF_SUB, R0, R2),
    BPF_EXIT_INSN(),
};

/* Swap the MAC addresses (xdp), return XDP_TX. */
static const struct bpf_insn p_xdp_swap_mac[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data_end)),
    BPF_MOV64_IMM(R0, XDP_PASS),
    BPF_MOV64_REG(R4, R2),
    BPF_ALU64_IMM(BPF_ADD, R4, 12),
    BPF_JMP_REG(BPF_JGT, R4, R3, 9),
    BPF_LDX_MEM(BPF_W, R4, R2, 0),
    BPF_LDX_MEM(BPF_H, R1, R2, 4),
    BPF_LDX_MEM(BPF_W, R0, R2, 6),
    BPF_STX_MEM(BPF_W, R2, R0, 0),
    BPF_LDX_MEM(BPF_H, R0, R2, 10),
    BPF_STX_MEM(BPF_H, R2, R0, 4),
    BPF_STX_MEM(BPF_W, R2, R4, 6),
    BPF_STX_MEM(BPF_H, R2, R1, 10),
    BPF_MOV64_IMM(R0, XDP_TX),
    BPF_EXIT_INSN(),
};

/* sched_cls: xor the bytes 14..21 with 0x5a when present; set the mark. */
static const struct bpf_insn p_tc_write[] = {
    BPF_ST_MEM(BPF_W, R1, offsetof(struct __sk_buff, mark), 0x1234),
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct __sk_buff, data_end)),
    BPF_MOV64_IMM(R0, 7),
    BPF_MOV64_REG(R4, R2),
    BPF_ALU64_IMM(BPF_ADD, R4, 22),
    BPF_JMP_REG(BPF_JGT, R4, R3, 4),
    BPF_LDX_MEM(BPF_DW, R4, R2, 14),
    BPF_ALU64_IMM(BPF_XOR, R4, 0x5a5a5a5a),
    BPF_STX_MEM(BPF_DW, R2, R4, 14),
    BPF_MOV64_IMM(R0, 1),
    BPF_EXIT_INSN(),
};

/* Per-EtherType counter in a hash map (key 8, value 8): returns the
 * count including this packet. */
static const struct bpf_insn p_map_count[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct xdp_md, data)),
    BPF_LDX_MEM(BPF_W, R3, R1, offsetof(struct xdp_md, data_end)),
    BPF_ST_MEM(BPF_DW, R10, -8, 0),
    BPF_MOV64_REG(R4, R2),
    BPF_ALU64_IMM(BPF_ADD, R4, 14),
    BPF_JMP_REG(BPF_JGT, R4, R3, 2),
    BPF_LDX_MEM(BPF_H, R4, R2, 12),
    BPF_STX_MEM(BPF_DW, R10, R4, -8),
    BPF_MOV64_REG(R2, R10),
    BPF_ALU64_IMM(BPF_ADD, R2, -8),
    BPF_LD_MAP_FD(R1, 0),
    BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
    BPF_JMP_IMM(BPF_JEQ, R0, 0, 5),
    BPF_LDX_MEM(BPF_DW, R1, R0, 0),
    BPF_ALU64_IMM(BPF_ADD, R1, 1),
    BPF_STX_MEM(BPF_DW, R0, R1, 0),
    BPF_MOV64_REG(R0, R1),
    BPF_EXIT_INSN(),
    /* first time: insert 1 */
    BPF_ST_MEM(BPF_DW, R10, -16, 1),
    BPF_MOV64_REG(R2, R10),
    BPF_ALU64_IMM(BPF_ADD, R2, -8),
    BPF_MOV64_REG(R3, R10),
    BPF_ALU64_IMM(BPF_ADD, R3, -16),
    BPF_MOV64_IMM(R4, BPF_ANY),
    BPF_LD_MAP_FD(R1, 0),
    BPF_EMIT_CALL(BPF_FUNC_map_update_elem),
    BPF_MOV64_IMM(R0, 1),
    BPF_EXIT_INSN(),
};

/* Array map value as a running sum of the packet lengths (socket filter,
 * BPF_PSEUDO_MAP_VALUE). */
static const struct bpf_insn p_map_value_sum[] = {
    BPF_LDX_MEM(BPF_W, R2, R1, offsetof(struct __sk_buff, len)),
    BPF_LD_MAP_VALUE(R1, 0, 8),
    BPF_LDX_MEM(BPF_DW, R0, R1, 0),
    BPF_ALU64_REG(BPF_ADD, R0, R2),
    BPF_STX_MEM(BPF_DW, R1, R0, 0),
    BPF_EXIT_INSN(),
};

#define OWN(n, t, p, ...)                                                                                    \
	{                                                                                                    \
		n, t, p, G_N_ELEMENTS(p), {__VA_ARGS__}, 0                                                   \
	}

static const struct prog own_progs[] = {
    OWN("byte-sum", BPF_PROG_TYPE_XDP, p_byte_sum, VT_MAP_NONE),
    OWN("ld-abs", BPF_PROG_TYPE_SOCKET_FILTER, p_ld_abs, VT_MAP_NONE),
    OWN("ld-ind", BPF_PROG_TYPE_SOCKET_FILTER, p_ld_ind, VT_MAP_NONE),
    OWN("ld-abs-l2", BPF_PROG_TYPE_SCHED_CLS, p_ld_abs_l2, VT_MAP_NONE),
    OWN("skb-len", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_len, VT_MAP_NONE),
    OWN("skb-len-tc", BPF_PROG_TYPE_SCHED_CLS, p_skb_len, VT_MAP_NONE),
    OWN("skb-protocol", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_protocol, VT_MAP_NONE),
    OWN("skb-pkt-type", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_pkt_type, VT_MAP_NONE),
    OWN("skb-ifindex", BPF_PROG_TYPE_SCHED_CLS, p_skb_ifindex, VT_MAP_NONE),
    OWN("skb-mark", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_mark, VT_MAP_NONE),
    OWN("skb-priority", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_priority, VT_MAP_NONE),
    OWN("skb-queue-mapping", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_queue_mapping, VT_MAP_NONE),
    OWN("skb-vlan-present", BPF_PROG_TYPE_SOCKET_FILTER, p_skb_vlan_present, VT_MAP_NONE),
    OWN("skb-ingress-ifindex", BPF_PROG_TYPE_SCHED_CLS, p_skb_ingress_ifindex, VT_MAP_NONE),
    OWN("skb-tc-index", BPF_PROG_TYPE_SCHED_CLS, p_skb_tc_index, VT_MAP_NONE),
    OWN("skb-hash", BPF_PROG_TYPE_SCHED_CLS, p_skb_hash, VT_MAP_NONE),
    OWN("skb-wire-len", BPF_PROG_TYPE_SCHED_CLS, p_skb_wire_len, VT_MAP_NONE),
    OWN("skb-gso-segs", BPF_PROG_TYPE_SCHED_CLS, p_skb_gso_segs, VT_MAP_NONE),
    OWN("skb-data-len-tc", BPF_PROG_TYPE_SCHED_CLS, p_skb_data_len, VT_MAP_NONE),
    OWN("xdp-data-len", BPF_PROG_TYPE_XDP, p_xdp_data_len, VT_MAP_NONE),
    OWN("xdp-swap-mac", BPF_PROG_TYPE_XDP, p_xdp_swap_mac, VT_MAP_NONE),
    OWN("tc-write", BPF_PROG_TYPE_SCHED_CLS, p_tc_write, VT_MAP_NONE),
    OWN("map-count", BPF_PROG_TYPE_XDP, p_map_count, VT_MAP_HASH_8B),
    OWN("map-value-sum", BPF_PROG_TYPE_SOCKET_FILTER, p_map_value_sum, VT_MAP_ARRAY_48B),
};

static bool runnable_type(uint32_t t)
{
	return t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_SCHED_CLS ||
	       t == BPF_PROG_TYPE_SCHED_ACT || t == BPF_PROG_TYPE_XDP || t == BPF_PROG_TYPE_CGROUP_SKB;
}

/* A verifier row that runs the same everywhere: packet type, plain maps,
 * only the map helpers. */
static bool runnable_row(const struct vt_case *c)
{
	size_t n = vt_insn_cnt(c);

	if (c->expected != ACCEPT || c->unpriv || c->kernel_differs || c->kernel_varies || !runnable_type(vt_prog_type(c)))
		return false;
	for (size_t i = 0; i < vt_map_cnt(c); i++)
		if (vt_map_defs[c->maps[i]].type != BPF_MAP_TYPE_HASH &&
		    vt_map_defs[c->maps[i]].type != BPF_MAP_TYPE_ARRAY)
			return false;
	for (size_t i = 0; i < n; i++) {
		const struct bpf_insn *in = &c->insns[i];

		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0 &&
		    in->imm != BPF_FUNC_map_lookup_elem && in->imm != BPF_FUNC_map_update_elem &&
		    in->imm != BPF_FUNC_map_delete_elem)
			return false;
		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_KFUNC_CALL)
			return false;
		if (bpfs_insn_is_ldimm64(in) &&
		    (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) &&
		    (size_t)in->imm >= vt_map_cnt(c))
			return false;
	}
	return true;
}

/* Rows whose r0 is an address or uninitialised stack: no two runs, let
 * alone two implementations, agree on it. Matched by description. */
static const char *const nondeterministic[] = {
    "read of never written bytes",
    "pointer to stack returned",
    "stack pointer minus ctx pointer",
};

/* Known differences that are not this command's: each names the program
 * (a substring of its test name), the packet (NULL: any) and why. A
 * mismatch they explain is reported as incomplete, not failed. */
static const struct {
	const char *prog, *pkt, *why;
} known[] = {
    {"map-pointer-dereference-struct-bpf-map-fields", NULL,
     "the verifier does not model reads of struct bpf_map fields through a map pointer"},
};

static const char *known_why(const char *prog, const char *pkt)
{
	for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
		if (strstr(prog, known[i].prog) && (!known[i].pkt || (pkt && strstr(pkt, known[i].pkt))))
			return known[i].why;
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Running                                                                */

/* The program's maps and the program, through the object loader on be:
 * 0, or the errno of the step that failed (*l then NULL). */
static int load(const struct bpfs_backend *be, const struct prog *p, struct bpfs_loader **l)
{
	struct bpfs_map_spec specs[VT_MAX_MAPS];
	struct bpfs_loader_prog_opts opts = {.prog_type = p->type, .license = "GPL", .prog_flags = p->flags};
	size_t n = 0;
	int ret;

	*l = NULL;
	for (; n < VT_MAX_MAPS && p->maps[n]; n++) {
		const struct vt_map_def *d = &vt_map_defs[p->maps[n]];

		specs[n] = (struct bpfs_map_spec){.type = d->type,
						  .key_size = d->key_size,
						  .value_size = d->value_size,
						  .max_entries = d->max_entries,
						  .inner_map = -1};
	}
	ret = bpfs_loader_new(be, specs, n, l, NULL);
	if (!ret)
		ret = bpfs_loader_load(*l, p->insns, p->cnt, &opts, NULL);
	if (ret) {
		bpfs_loader_free(*l);
		*l = NULL;
	}
	return ret;
}

/* One run's outcome as text: "ret 0 retval N out <hex>" or "ret -1 E...". */
static char *run_one(struct bpfs_loader *l, const struct pkt *pk)
{
	uint8_t out[MAX_PKT + 64];
	struct bpfs_loader_run run = {
	    .data_in = pk->data,
	    .data_size_in = pk->len,
	    .data_out = out,
	    .data_size_out = sizeof(out),
	};
	GString *s = g_string_new(NULL);
	int ret = bpfs_loader_test_run(l, &run);

	if (ret) {
		g_string_append_printf(s, "ret -1 %s", strerrorname_np(-ret));
		return g_string_free(s, FALSE);
	}
	g_string_append_printf(s, "retval %u size %u out ", run.retval, run.data_size_out);
	for (uint32_t i = 0; i < run.data_size_out && i < sizeof(out); i++)
		g_string_append_printf(s, "%02x", out[i]);
	return g_string_free(s, FALSE);
}

static void test_prog(gconstpointer data)
{
	const struct prog *p = data;
	struct bpfs_loader *kl, *bl = NULL;
	int kret, bret;
	size_t bad = 0;

	if (!kernel_ok) {
		g_test_skip("the kernel's bpf() is not available to this process (needs root or CAP_BPF)");
		return;
	}
	kret = load(&bpfs_backend_kernel, p, &kl);
	if (kret) {
		char *why = g_strdup_printf("the kernel does not load it: %s", strerrorname_np(-kret));

		g_test_skip(why);
		g_free(why);
		return;
	}
	bret = load(&bpfs_backend_bpfscope, p, &bl);
	if (bret) {
		g_test_message("bpfscope does not load what the kernel loads: %s", strerrorname_np(-bret));
		if (known_why(p->name, NULL))
			g_test_incomplete(known_why(p->name, NULL));
		else
			g_test_fail();
		goto out;
	}
	for (size_t i = 0; i < npkts; i++) {
		char *k = run_one(kl, &pkts[i]);
		char *b = run_one(bl, &pkts[i]);

		if (strcmp(k, b)) {
			const char *why = known_why(p->name, pkts[i].name);

			if (bad++ < 3)
				g_test_message("packet %s:\nkernel:   %s\nbpfscope: %s", pkts[i].name, k, b);
			if (why)
				g_test_incomplete(why);
			else
				g_test_fail();
		}
		g_free(k);
		g_free(b);
	}
out:
	bpfs_loader_free(kl);
	bpfs_loader_free(bl);
}

static bool probe_kernel(void)
{
	static const struct bpf_insn ret0[] = {BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN()};
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = PTR(ret0);
	a.insn_cnt = 2;
	a.license = PTR("GPL");
	fd = bpfs_backend_kernel.bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

int main(int argc, char **argv)
{
	static struct prog rows[G_N_ELEMENTS(vt_cases)];
	size_t nrows = 0;

	g_test_init(&argc, &argv, NULL);
	kernel_ok = probe_kernel();
	make_packets();
	for (size_t i = 0; i < G_N_ELEMENTS(own_progs); i++) {
		char *path = g_strdup_printf("/run/kernel/own/%s", own_progs[i].name);

		g_test_add_data_func(path, &own_progs[i], test_prog);
		g_free(path);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(vt_cases); i++) {
		const struct vt_case *c = &vt_cases[i];
		struct prog *p = &rows[nrows];
		char slug[80], *path;

		if (!runnable_row(c))
			continue;
		for (size_t j = 0; j < G_N_ELEMENTS(nondeterministic); j++)
			if (strstr(c->descr, nondeterministic[j]))
				goto next;
		vt_slug(c->descr, slug, sizeof(slug));
		g_snprintf(p->name, sizeof(p->name), "%zu-%s", i, slug);
		p->type = vt_prog_type(c);
		p->insns = c->insns;
		p->cnt = vt_insn_cnt(c);
		memcpy(p->maps, c->maps, sizeof(p->maps));
		p->flags = c->flags;
		path = g_strdup_printf("/run/kernel/verifier/%s", p->name);
		g_test_add_data_func(path, p, test_prog);
		g_free(path);
		nrows++;
	next:;
	}
	return g_test_run();
}
