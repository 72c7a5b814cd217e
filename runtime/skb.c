/* SPDX-License-Identifier: MIT */
/*
 * Socket-buffer helpers of net/core/filter.c, over the contexts ctx.c
 * builds: packet bytes (load, store), incremental checksums, redirects,
 * the VLAN tag, tunnel metadata and the flow hash.
 *
 * The skb a helper receives in r1 must be the run's "ctx" region holding a
 * struct __sk_buff; the packet is the run's "packet" region, which starts
 * where the program's data pointer does (the Ethernet header for sched_cls
 * and sched_act, the network header for socket filters). Offsets are
 * relative to it, as the kernel's are relative to skb->data. The packet
 * never moves or changes size, so packet pointers the program holds stay
 * valid across every helper here; operations that would have to grow or
 * shrink it fail instead (see vlan push/pop).
 *
 * The skb of BPF_PROG_TEST_RUN has ip_summed == CHECKSUM_NONE, which is
 * what the checksum helpers assume: BPF_F_RECOMPUTE_CSUM and
 * BPF_F_PSEUDO_HDR are accepted but change no packet byte, as in the
 * kernel, since both only maintain skb->csum of CHECKSUM_COMPLETE and
 * CHECKSUM_PARTIAL buffers.
 *
 * Checksum arithmetic is one's complement over 16-bit words in memory
 * order, as the kernel's csum_* functions are: values loaded from the
 * packet and stored back need no byte swapping, so the helpers take and
 * keep network-order values exactly as a program passes them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "runtime.h"
#include "runtime_int.h"

#define U64(p) ((uint64_t)(uintptr_t)(p))
#define PTR(x) ((void *)(uintptr_t)(x))
#define ERR(e) ((uint64_t)(int64_t)(e))

#define CSUM_MANGLED_0 0xffff

/* Flag bits, spelled out because older uapi headers lack some of them. */
#define L4_FLAG_PSEUDO_HDR (1ull << 4)
#define L4_FLAG_MARK_MANGLED_0 (1ull << 5)
#define L4_FLAG_MARK_ENFORCE (1ull << 6)
#define L4_FLAG_IPV6 (1ull << 7)
#define HDR_FIELD_MASK 0xfull
#define TUN_FLAG_IPV6 (1ull << 0)
#define TUN_FLAG_ZERO_CSUM_TX (1ull << 1)
#define TUN_FLAG_DONT_FRAGMENT (1ull << 2)
#define TUN_FLAG_SEQ_NUMBER (1ull << 3)
#define TUN_FLAG_NO_TUNNEL_KEY (1ull << 4)
#define TUN_GET_FLAG_FLAGS (1ull << 4) /* BPF_F_TUNINFO_FLAGS */

/* The tunnel flag bits of include/net/ip_tunnels.h, as get_tunnel_key
 * reports them in tunnel_flags (network order). */
#define TUNNEL_CSUM 0x0001
#define TUNNEL_KEY 0x0004
#define TUNNEL_SEQ 0x0008
#define TUNNEL_DONT_FRAGMENT 0x0100
#define TUNNEL_NOCACHE 0x2000

/* ---------------------------------------------------------------------- */
/* The skb and its packet                                                 */

struct skb_view {
	struct __sk_buff *skb;
	uint8_t *pkt;
	size_t len;
};

static const struct bpfs_region *region_named(const struct bpfs_run_ctx *rc, const char *name)
{
	for (unsigned i = 0; i < rc->nregions; i++)
		if (rc->regions[i].name && !strcmp(rc->regions[i].name, name))
			return &rc->regions[i];
	return NULL;
}

/* Finds the packet of the skb the program passed; records a violation
 * (which stops the run) when the argument is not the run's skb context. */
static int skb_view_get(struct bpfs_run_ctx *rc, uint64_t skb, struct skb_view *v)
{
	const struct bpfs_region *ctx = region_named(rc, "ctx");
	const struct bpfs_region *pkt = region_named(rc, "packet");

	if (!ctx || ctx->start != (uintptr_t)skb || ctx->len != sizeof(struct __sk_buff)) {
		bpfs_run_violation(rc, BPFS_VIOL_HELPER, (uintptr_t)skb, 0,
				   "helper argument is not the program's socket buffer");
		return -EINVAL;
	}
	v->skb = PTR(skb);
	v->pkt = pkt ? PTR(pkt->start) : NULL;
	v->len = pkt ? pkt->len : 0;
	return 0;
}

/* Memory the helper reads or writes for the program (as helpers.c does). */
static bool mem_ok(struct bpfs_run_ctx *rc, uint64_t addr, uint64_t size, bool write)
{
	if (!size)
		return true;
	if (bpfs_run_check_access(rc, (uintptr_t)addr, (size_t)size, write) == 0)
		return true;
	rc->viol = rc->viol == BPFS_VIOL_MEM ? BPFS_VIOL_HELPER : rc->viol;
	return false;
}

/* [off, off + len) lies in the packet (and is writable when asked). */
static bool pkt_range_ok(struct bpfs_run_ctx *rc, const struct skb_view *v, uint64_t off, uint64_t len,
			 bool write)
{
	if (off > v->len || len > v->len - off)
		return false;
	return mem_ok(rc, U64(v->pkt + off), len, write);
}

static void trace_append(struct bpfs_run_ctx *rc, const char *line)
{
	struct bpfs_run_env *env = rc->env;
	size_t room, len = strlen(line);

	if (!env || !env->trace || !env->trace_size)
		return;
	room = env->trace_size - 1 - env->trace_len;
	if (len > room) {
		len = room;
		env->trace_truncated = true;
	}
	memcpy(env->trace + env->trace_len, line, len);
	env->trace_len += len;
	env->trace[env->trace_len] = 0;
}

/* ---------------------------------------------------------------------- */
/* Packet bytes                                                           */

uint64_t bpfs_h_skb_store_bytes(uint64_t skb, uint64_t offset, uint64_t from, uint64_t len, uint64_t flags,
				struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (flags & ~(uint64_t)(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH))
		return ERR(-EINVAL);
	offset = (uint32_t)offset;
	len = (uint32_t)len;
	if (!mem_ok(rc, from, len, false))
		return ERR(-EFAULT);
	if (!pkt_range_ok(rc, &v, offset, len, true))
		return ERR(-EFAULT);
	if (len)
		memmove(v.pkt + offset, PTR(from), len);
	if (flags & BPF_F_INVALIDATE_HASH)
		v.skb->hash = 0;
	return 0;
}

uint64_t bpfs_h_skb_load_bytes(uint64_t skb, uint64_t offset, uint64_t to, uint64_t len, uint64_t r5,
			       struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	offset = (uint32_t)offset;
	len = (uint32_t)len;
	if (!mem_ok(rc, to, len, true))
		return ERR(-EFAULT);
	if (!pkt_range_ok(rc, &v, offset, len, false)) {
		if (len)
			memset(PTR(to), 0, len);
		return ERR(-EFAULT);
	}
	if (len)
		memmove(PTR(to), v.pkt + offset, len);
	return 0;
}

/* Makes the first len bytes (all of them for 0) linear and writable. A
 * test run's packet is one linear buffer already: only a length past the
 * end fails, with ENOMEM as pskb_may_pull makes it. */
uint64_t bpfs_h_skb_pull_data(uint64_t skb, uint64_t len, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r3, (void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if ((uint32_t)len > v.len)
		return ERR(-ENOMEM);
	return 0;
}

/* bpf_skb_change_tail: the packet grows (zeroed) or shrinks to new_len,
 * which must keep the headers before the network one (skb types that see
 * the Ethernet header: 14 bytes) and stay within BPF_SKB_MAX_LEN; flags
 * must be 0 (EINVAL). The packet pointers and __sk_buff.len follow. */
uint64_t bpfs_h_skb_change_tail(uint64_t skb, uint64_t new_len, uint64_t flags, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	struct bpfs_ctx *c = rc->pctx;
	struct skb_view v;
	uint32_t min_len, n = (uint32_t)new_len;
	uint8_t *end;

	(void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (!c || !c->hard_start)
		return ERR(-EINVAL);
	min_len = v.pkt == c->hard_start ? ETH_HLEN : 0; /* skb_network_offset */
	if (flags || n < min_len || v.pkt + n > c->hard_end)
		return ERR(-EINVAL);
	end = v.pkt + n;
	if (n > v.len)
		memset(v.pkt + v.len, 0, n - v.len);
	v.skb->len = n;
	bpfs_run_move_packet(rc, (uint8_t *)(uintptr_t)rc->ptrs[BPFS_CTX_DATA_META], v.pkt, end);
	return 0;
}

/* Sets skb->pkt_type: only from one host type to another
 * (PACKET_HOST..PACKET_OTHERHOST, 0-3), else EINVAL. */
uint64_t bpfs_h_skb_change_type(uint64_t skb, uint64_t type, uint64_t r3, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r3, (void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (v.skb->pkt_type > 3 || (uint32_t)type > 3)
		return ERR(-EINVAL);
	v.skb->pkt_type = (uint32_t)type;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Checksums                                                              */

/* One's complement sum of 32-bit values, folded to 32 bits (csum_add). */
static uint32_t csum_add32(uint32_t a, uint32_t b)
{
	uint32_t s = a + b;

	return s + (s < b);
}

/* csum_fold: the 16-bit one's complement of the folded sum. */
static uint16_t csum_fold32(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* csum_partial: the one's complement sum of the bytes as 16-bit words in
 * memory order (a trailing odd byte is the low-order half of its word),
 * plus seed, as a 32-bit value congruent to the kernel's. */
static uint32_t csum_partial(const uint8_t *p, size_t len, uint32_t seed)
{
	uint64_t sum = seed;

	for (size_t i = 0; i + 1 < len; i += 2) {
		uint16_t w;

		memcpy(&w, p + i, 2);
		sum += w;
	}
	if (len & 1) {
		uint16_t w = 0;

		memcpy(&w, p + len - 1, 1);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffff) + (sum >> 32);
	return (uint32_t)sum;
}

/* csum_from32to16: folded, not complemented. */
static uint32_t csum_from32to16(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

/* The checksum at sum after the bytes it covers change from `from` to
 * `to` (size 2 or 4, memory order), or by a precomputed difference (size
 * 0): RFC 1624's HC' = ~(~HC + ~m + m'), as csum_replace2/4 and
 * csum_replace_by_diff compute it. */
static void csum_replace(uint8_t *sum, unsigned size, uint32_t from, uint32_t to)
{
	uint16_t hc;
	uint32_t acc;

	memcpy(&hc, sum, 2);
	acc = (uint16_t)~hc;
	if (size == 0) {
		acc = csum_add32(to, acc);
	} else if (size == 2) {
		acc = csum_add32(acc, (uint16_t)~from);
		acc = csum_add32(acc, (uint16_t)to);
	} else {
		acc = csum_add32(acc, ~from);
		acc = csum_add32(acc, to);
	}
	hc = csum_fold32(acc);
	memcpy(sum, &hc, 2);
}

uint64_t bpfs_h_l3_csum_replace(uint64_t skb, uint64_t offset, uint64_t from, uint64_t to, uint64_t flags,
				struct bpfs_run_ctx *rc)
{
	unsigned size = (unsigned)(flags & HDR_FIELD_MASK);
	struct skb_view v;

	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (flags & ~HDR_FIELD_MASK)
		return ERR(-EINVAL);
	offset = (uint32_t)offset;
	if (offset > 0xffff || !pkt_range_ok(rc, &v, offset, 2, true))
		return ERR(-EFAULT);
	if ((size == 0 && from) || (size != 0 && size != 2 && size != 4))
		return ERR(-EINVAL);
	csum_replace(v.pkt + offset, size, (uint32_t)from, (uint32_t)to);
	return 0;
}

/* As l3_csum_replace, for a TCP or UDP checksum. BPF_F_MARK_MANGLED_0
 * leaves a zero checksum (a UDP datagram sent without one) alone unless
 * BPF_F_MARK_ENFORCE is given, and writes a result of zero as 0xffff
 * (CSUM_MANGLED_0), which UDP reads as the same value. */
uint64_t bpfs_h_l4_csum_replace(uint64_t skb, uint64_t offset, uint64_t from, uint64_t to, uint64_t flags,
				struct bpfs_run_ctx *rc)
{
	const uint64_t known = HDR_FIELD_MASK | L4_FLAG_PSEUDO_HDR | L4_FLAG_MARK_MANGLED_0 |
			       L4_FLAG_MARK_ENFORCE | L4_FLAG_IPV6;
	bool mmzero = flags & L4_FLAG_MARK_MANGLED_0, enforce = flags & L4_FLAG_MARK_ENFORCE;
	unsigned size = (unsigned)(flags & HDR_FIELD_MASK);
	struct skb_view v;
	uint8_t *sum;

	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (flags & ~known)
		return ERR(-EINVAL);
	offset = (uint32_t)offset;
	if (offset > 0xffff || !pkt_range_ok(rc, &v, offset, 2, true))
		return ERR(-EFAULT);
	sum = v.pkt + offset;
	if (mmzero && !enforce && !sum[0] && !sum[1])
		return 0;
	if ((size == 0 && from) || (size != 0 && size != 2 && size != 4))
		return ERR(-EINVAL);
	csum_replace(sum, size, (uint32_t)from, (uint32_t)to);
	if (mmzero && !sum[0] && !sum[1])
		sum[0] = sum[1] = CSUM_MANGLED_0 & 0xff;
	return 0;
}

/*
 * bpf_csum_diff: the checksum difference between the bytes of from and
 * those of to, plus seed, for csum_replace with size 0 (or as the seed of
 * another csum_diff): seed with the to bytes added and the from bytes
 * subtracted, folded to 16 bits (not complemented), or seed itself when
 * both sizes are 0. This is the kernel's since 6.13, the same value on
 * every architecture; older kernels required sizes that are multiples of
 * 4 (at most 512 bytes together) and returned the architecture's 32-bit
 * partial sum, which is congruent to this one, so either works as a
 * difference.
 */
uint64_t bpfs_h_csum_diff(uint64_t from, uint64_t from_size, uint64_t to, uint64_t to_size, uint64_t seed,
			  struct bpfs_run_ctx *rc)
{
	uint32_t s = (uint32_t)seed;

	from_size = (uint32_t)from_size;
	to_size = (uint32_t)to_size;
	if (!mem_ok(rc, from, from_size, false) || !mem_ok(rc, to, to_size, false))
		return ERR(-EFAULT);
	if (from_size && to_size)
		return csum_from32to16(csum_add32(csum_partial(PTR(to), (size_t)to_size, s),
						  ~csum_partial(PTR(from), (size_t)from_size, 0)));
	if (to_size)
		return csum_from32to16(csum_partial(PTR(to), (size_t)to_size, s));
	if (from_size)
		return csum_from32to16(~csum_partial(PTR(from), (size_t)from_size, ~s));
	return s;
}

/* ---------------------------------------------------------------------- */
/* Redirects                                                              */

/* The redirect is recorded in the trace buffer, as a line
 * "clone_redirect ifindex=N flags=F"; every ifindex but 0 counts as an
 * existing device (the kernel fails with -EINVAL for unknown ones). */
uint64_t bpfs_h_clone_redirect(uint64_t skb, uint64_t ifindex, uint64_t flags, uint64_t r4, uint64_t r5,
			       struct bpfs_run_ctx *rc)
{
	char line[96];
	struct skb_view v;

	(void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (flags & ~(uint64_t)BPF_F_INGRESS)
		return ERR(-EINVAL);
	if (!(uint32_t)ifindex)
		return ERR(-EINVAL);
	snprintf(line, sizeof(line), "clone_redirect ifindex=%" PRIu32 " flags=%" PRIu64 "\n",
		 (uint32_t)ifindex, flags);
	trace_append(rc, line);
	return 0;
}

/* bpf_redirect: TC_ACT_REDIRECT, or TC_ACT_SHOT for unknown flags; in an
 * XDP program (a context the size of struct xdp_md) XDP_REDIRECT, or
 * XDP_ABORTED for flags above XDP_TX. Recorded in the trace as
 * "redirect ifindex=N flags=F". */
uint64_t bpfs_h_redirect(uint64_t ifindex, uint64_t flags, uint64_t r3, uint64_t r4, uint64_t r5,
			 struct bpfs_run_ctx *rc)
{
	const struct bpfs_region *ctx = region_named(rc, "ctx");
	bool xdp = ctx && ctx->len == sizeof(struct xdp_md);
	char line[96];

	(void)r3, (void)r4, (void)r5;
	if (xdp ? flags > XDP_TX : (flags & ~(uint64_t)BPF_F_INGRESS) != 0)
		return xdp ? XDP_ABORTED : TC_ACT_SHOT;
	snprintf(line, sizeof(line), "redirect ifindex=%" PRIu32 " flags=%" PRIu64 "\n", (uint32_t)ifindex,
		 flags);
	trace_append(rc, line);
	return xdp ? XDP_REDIRECT : TC_ACT_REDIRECT;
}

/* ---------------------------------------------------------------------- */
/* VLAN                                                                   */

static bool eth_type_vlan(uint16_t proto_be)
{
	return proto_be == htons(ETH_P_8021Q) || proto_be == htons(ETH_P_8021AD);
}

/* bpf_skb_vlan_push on an skb without an accelerated tag puts the tag
 * there (vlan_present, vlan_tci, vlan_proto of the __sk_buff); any other
 * proto than 802.1Q and 802.1ad is taken as 802.1Q, as in the kernel.
 * With a tag already present, the kernel moves the old one into the packet
 * data, four bytes more than the packet has room for here: -ENOMEM, what
 * the kernel returns when it cannot grow the headroom. */
uint64_t bpfs_h_skb_vlan_push(uint64_t skb, uint64_t proto, uint64_t tci, uint64_t r4, uint64_t r5,
			      struct bpfs_run_ctx *rc)
{
	uint16_t p = (uint16_t)proto;
	struct skb_view v;

	(void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (!eth_type_vlan(p))
		p = htons(ETH_P_8021Q);
	if (!mem_ok(rc, skb, sizeof(struct __sk_buff), true))
		return ERR(-EFAULT);
	if (v.skb->vlan_present)
		return ERR(-ENOMEM);
	v.skb->vlan_present = 1;
	v.skb->vlan_tci = (uint16_t)tci;
	v.skb->vlan_proto = p;
	return 0;
}

/* bpf_skb_vlan_pop clears the accelerated tag, and is a no-op on an
 * untagged packet. When the packet data carries a tag (protocol 802.1Q
 * or 802.1ad) the kernel cuts it out of the data, which a fixed-size
 * packet cannot: -EOPNOTSUPP, and nothing changes. */
uint64_t bpfs_h_skb_vlan_pop(uint64_t skb, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	if (!mem_ok(rc, skb, sizeof(struct __sk_buff), true))
		return ERR(-EFAULT);
	if (eth_type_vlan((uint16_t)v.skb->protocol))
		return ERR(-EOPNOTSUPP);
	v.skb->vlan_present = 0;
	v.skb->vlan_tci = 0;
	v.skb->vlan_proto = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Tunnel metadata                                                        */

/*
 * The tunnel information bpf_skb_set_tunnel_key attaches to the skb lives
 * for the rest of the run. It is kept in a per-thread slot (runs are
 * synchronous, so a thread runs one program at a time), and the run that
 * set it is marked by a read-only region named "tunnel info" over the slot
 * in its run context: the region table is per run, so a get finds the key
 * only in the run that set it, and a fresh run starts without a tunnel.
 *
 * As in the kernel, set stores the key as transmit information (remote
 * address as the tunnel's destination, local as its source) and get reads
 * it as receive information (remote from the source), so a get after a set
 * in the same run reports the two addresses swapped.
 */
#define TUNNEL_OPTS_MAX 255 /* ip_tunnel_info.options_len is a u8 */

struct tunnel_info {
	const void *skb;
	uint8_t opts[TUNNEL_OPTS_MAX];
	uint8_t opts_len;
	bool has_opts;
	bool ipv6;
	uint64_t id;
	uint8_t tos, ttl;
	uint16_t flags; /* TUNNEL_* bits */
	uint32_t label;
	uint32_t src[4], dst[4]; /* host order for IPv4 (word 0), raw for IPv6 */
};

static __thread struct tunnel_info tunnel_slot;

static const char tunnel_region[] = "tunnel info";

static bool tunnel_marked(const struct bpfs_run_ctx *rc)
{
	const struct bpfs_region *r = region_named(rc, tunnel_region);

	return r && r->start == (uintptr_t)&tunnel_slot;
}

static const struct tunnel_info *tunnel_of(const struct bpfs_run_ctx *rc, const void *skb)
{
	return tunnel_marked(rc) && tunnel_slot.skb == skb ? &tunnel_slot : NULL;
}

/* Sizes of struct bpf_tunnel_key earlier kernels used, accepted as the
 * kernel accepts them. */
static bool tunnel_compat_size(uint64_t size)
{
	return size == offsetof(struct bpf_tunnel_key, local_ipv6[0]) ||
	       size == offsetof(struct bpf_tunnel_key, tunnel_label) ||
	       size == offsetof(struct bpf_tunnel_key, tunnel_ext) ||
	       size == offsetof(struct bpf_tunnel_key, remote_ipv6[1]);
}

uint64_t bpfs_h_skb_get_tunnel_key(uint64_t skb, uint64_t to, uint64_t size, uint64_t flags, uint64_t r5,
				   struct bpfs_run_ctx *rc)
{
	const struct tunnel_info *info;
	struct bpf_tunnel_key key;
	struct skb_view v;
	int err = -EINVAL;

	(void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	size = (uint32_t)size;
	if (!mem_ok(rc, to, size, true))
		return ERR(-EFAULT);
	info = tunnel_of(rc, PTR(skb));
	if (!info || (flags & ~(TUN_FLAG_IPV6 | TUN_GET_FLAG_FLAGS)))
		goto clear;
	if (info->ipv6 != !!(flags & TUN_FLAG_IPV6)) {
		err = -EPROTO;
		goto clear;
	}
	if (size != sizeof(key) && !tunnel_compat_size(size))
		goto clear;
	if (size == offsetof(struct bpf_tunnel_key, remote_ipv6[1]) && info->ipv6)
		goto clear;
	memset(&key, 0, sizeof(key));
	key.tunnel_id = info->id;
	key.tunnel_tos = info->tos;
	key.tunnel_ttl = info->ttl;
	if (flags & TUN_GET_FLAG_FLAGS)
		key.tunnel_flags = htons(info->flags);
	if (info->ipv6) {
		memcpy(key.remote_ipv6, info->src, sizeof(key.remote_ipv6));
		memcpy(key.local_ipv6, info->dst, sizeof(key.local_ipv6));
		key.tunnel_label = info->label;
	} else {
		key.remote_ipv4 = info->src[0];
		key.local_ipv4 = info->dst[0];
	}
	memcpy(PTR(to), &key, size);
	return 0;
clear:
	if (size)
		memset(PTR(to), 0, size);
	return ERR(err);
}

uint64_t bpfs_h_skb_set_tunnel_key(uint64_t skb, uint64_t from, uint64_t size, uint64_t flags, uint64_t r5,
				   struct bpfs_run_ctx *rc)
{
	const uint64_t known = TUN_FLAG_IPV6 | TUN_FLAG_ZERO_CSUM_TX | TUN_FLAG_DONT_FRAGMENT |
			       TUN_FLAG_SEQ_NUMBER | TUN_FLAG_NO_TUNNEL_KEY;
	struct tunnel_info info;
	struct bpf_tunnel_key key;
	struct skb_view v;

	(void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	size = (uint32_t)size;
	if (flags & ~known)
		return ERR(-EINVAL);
	if (size != sizeof(key) && !tunnel_compat_size(size))
		return ERR(-EINVAL);
	if (!mem_ok(rc, from, size, false))
		return ERR(-EFAULT);
	memset(&key, 0, sizeof(key));
	memcpy(&key, PTR(from), size);
	if ((!(flags & TUN_FLAG_IPV6) && key.tunnel_label) || key.tunnel_ext)
		return ERR(-EINVAL);
	if (!tunnel_marked(rc) &&
	    bpfs_run_add_region(rc, &tunnel_slot, sizeof(tunnel_slot), tunnel_region, false))
		return ERR(-ENOMEM);
	memset(&info, 0, sizeof(info));
	info.skb = PTR(skb);
	info.ipv6 = flags & TUN_FLAG_IPV6;
	info.id = key.tunnel_id;
	info.tos = key.tunnel_tos;
	info.ttl = key.tunnel_ttl;
	info.flags = TUNNEL_KEY | TUNNEL_CSUM | TUNNEL_NOCACHE;
	if (flags & TUN_FLAG_DONT_FRAGMENT)
		info.flags |= TUNNEL_DONT_FRAGMENT;
	if (flags & TUN_FLAG_ZERO_CSUM_TX)
		info.flags &= ~TUNNEL_CSUM;
	if (flags & TUN_FLAG_SEQ_NUMBER)
		info.flags |= TUNNEL_SEQ;
	if (flags & TUN_FLAG_NO_TUNNEL_KEY)
		info.flags &= ~TUNNEL_KEY;
	if (info.ipv6) {
		memcpy(info.dst, key.remote_ipv6, sizeof(info.dst));
		memcpy(info.src, key.local_ipv6, sizeof(info.src));
		info.label = key.tunnel_label & 0xfffff; /* IPV6_FLOWLABEL_MASK */
	} else {
		info.dst[0] = key.remote_ipv4;
		info.src[0] = key.local_ipv4;
	}
	tunnel_slot = info;
	return 0;
}

/* bpf_skb_set_tunnel_opt: options for the tunnel this run set (EINVAL
 * without one, or for a size not a multiple of 4; ENOMEM past 255 bytes). */
uint64_t bpfs_h_skb_set_tunnel_opt(uint64_t skb, uint64_t from, uint64_t size, uint64_t r4, uint64_t r5,
				   struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	size = (uint32_t)size;
	if (!tunnel_of(rc, PTR(skb)) || (size & 3))
		return ERR(-EINVAL);
	if (size > TUNNEL_OPTS_MAX)
		return ERR(-ENOMEM);
	if (!mem_ok(rc, from, size, false))
		return ERR(-EFAULT);
	if (size)
		memcpy(tunnel_slot.opts, PTR(from), size);
	tunnel_slot.opts_len = (uint8_t)size;
	tunnel_slot.has_opts = true;
	return 0;
}

/* bpf_skb_get_tunnel_opt: the options and their length; ENOENT without a
 * tunnel that has options, ENOMEM when they do not fit; the buffer is
 * zeroed past them, and wholly on failure. */
uint64_t bpfs_h_skb_get_tunnel_opt(uint64_t skb, uint64_t to, uint64_t size, uint64_t r4, uint64_t r5,
				   struct bpfs_run_ctx *rc)
{
	const struct tunnel_info *t;
	struct skb_view v;

	(void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	size = (uint32_t)size;
	if (!mem_ok(rc, to, size, true))
		return ERR(-EFAULT);
	t = tunnel_of(rc, PTR(skb));
	if (!t || !t->has_opts || size < t->opts_len) {
		if (size)
			memset(PTR(to), 0, size);
		return ERR(!t || !t->has_opts ? -ENOENT : -ENOMEM);
	}
	memcpy(PTR(to), t->opts, t->opts_len);
	if (size > t->opts_len)
		memset((uint8_t *)PTR(to) + t->opts_len, 0, size - t->opts_len);
	return t->opts_len;
}

/* bpf_set_hash_invalid: skb_clear_hash. */
uint64_t bpfs_h_set_hash_invalid(uint64_t skb, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				 struct bpfs_run_ctx *rc)
{
	struct skb_view v;

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	v.skb->hash = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Flow hash                                                              */

static uint32_t fnv1a(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Hashes the flow of an IPv4 or IPv6 packet starting at l3: addresses,
 * protocol and, for TCP, UDP, SCTP and UDP-Lite, the ports. Returns
 * false when the packet is not one. */
static bool flow_hash(const uint8_t *l3, size_t len, uint16_t proto_be, uint32_t *h)
{
	size_t l4;
	uint8_t ipproto;

	if (proto_be == htons(ETH_P_IP) && len >= 20 && (l3[0] >> 4) == 4) {
		l4 = (size_t)(l3[0] & 0xf) * 4;
		ipproto = l3[9];
		*h = fnv1a(*h, l3 + 12, 8);
		/* fragments other than the first carry no ports */
		if ((l3[6] & 0x1f) || l3[7])
			l4 = len;
	} else if (proto_be == htons(ETH_P_IPV6) && len >= 40 && (l3[0] >> 4) == 6) {
		l4 = 40;
		ipproto = l3[6];
		*h = fnv1a(*h, l3 + 8, 32);
	} else {
		return false;
	}
	*h = fnv1a(*h, &ipproto, 1);
	if ((ipproto == IPPROTO_TCP || ipproto == IPPROTO_UDP || ipproto == IPPROTO_SCTP ||
	     ipproto == IPPROTO_UDPLITE) &&
	    l4 + 4 <= len)
		*h = fnv1a(*h, l3 + l4, 4);
	return true;
}

/*
 * bpf_get_hash_recalc: the kernel's flow hash (flow dissector and jhash
 * under a boot-time random key) cannot be reproduced, so this is a
 * deterministic one with the same inputs: FNV-1a over the addresses, the
 * IP protocol and the ports of IPv4 and IPv6 packets, over the whole
 * packet for anything else; never 0, as in the kernel. It is also stored
 * in the __sk_buff hash field, as the kernel sets skb->hash.
 */
uint64_t bpfs_h_get_hash_recalc(uint64_t skb, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	uint32_t h = 2166136261u;
	const uint8_t *frame;
	struct skb_view v;
	size_t l3 = 0;

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (skb_view_get(rc, skb, &v))
		return ERR(-EINVAL);
	/* ctx.c places the frame right after the __sk_buff; sched_cls sees it
	 * from the Ethernet header, socket filters from the network one. */
	frame = (const uint8_t *)v.skb + sizeof(struct __sk_buff);
	if (v.pkt == frame)
		l3 = ETH_HLEN;
	if (l3 > v.len || !flow_hash(v.pkt + l3, v.len - l3, (uint16_t)v.skb->protocol, &h))
		h = v.len ? fnv1a(h, v.pkt, v.len) : h;
	if (!h)
		h = 1;
	v.skb->hash = h;
	return h;
}
