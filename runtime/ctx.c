/* SPDX-License-Identifier: MIT */
/*
 * Program contexts as the kernel's BPF_PROG_TEST_RUN builds them
 * (net/bpf/test_run.c: bpf_prog_test_run_skb, _xdp, and the raw-context
 * runners), and the table of context fields whose loads the engines convert
 * into loads of real host pointers. See runtime.h for the layout of each
 * program type.
 *
 * The converted fields are the packet pointers, which the uapi declares as
 * 32-bit and the kernel rewrites (convert_ctx_access) into 64-bit loads of
 * the socket buffer's or xdp_buff's pointers. Only full 4-byte loads are
 * converted: the kernel's is_valid_access rejects narrower ones for these
 * fields.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "runtime_int.h"

#define XDP_HEADROOM 256 /* XDP_PACKET_HEADROOM */
#define SKB_MAX_LEN 16064 /* BPF_SKB_MAX_LEN: SKB_MAX_ALLOC with 4K pages */
#define XDP_FRAME 4096	 /* test_run's frame: a page */
#define XDP_TAILROOM 320 /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define PT_REGS_SIZE 168 /* struct pt_regs of x86-64: 21 registers */

_Static_assert(offsetof(struct __sk_buff, data) == 76, "uapi __sk_buff layout");
_Static_assert(offsetof(struct __sk_buff, data_end) == 80, "uapi __sk_buff layout");
_Static_assert(offsetof(struct __sk_buff, data_meta) == 140, "uapi __sk_buff layout");
_Static_assert(offsetof(struct xdp_md, data_meta) == 8, "uapi xdp_md layout");

static bool is_skb_type(uint32_t t)
{
	switch (t) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return true;
	}
	return false;
}

bool bpfs_ctx_has_packet(uint32_t prog_type)
{
	return is_skb_type(prog_type) || prog_type == BPF_PROG_TYPE_XDP;
}

/* test_run's is_l2: the program sees the Ethernet header. */
static bool is_l2_type(uint32_t t)
{
	return t == BPF_PROG_TYPE_SCHED_CLS || t == BPF_PROG_TYPE_SCHED_ACT;
}

int bpfs_ctx_ptr_field(uint32_t prog_type, int32_t off, unsigned size)
{
	if (size != 4)
		return -1;
	if (is_skb_type(prog_type)) {
		if (off == offsetof(struct __sk_buff, data))
			return BPFS_CTX_DATA;
		if (off == offsetof(struct __sk_buff, data_end))
			return BPFS_CTX_DATA_END;
		if (off == offsetof(struct __sk_buff, data_meta))
			return BPFS_CTX_DATA_META;
	} else if (prog_type == BPF_PROG_TYPE_XDP) {
		if (off == offsetof(struct xdp_md, data))
			return BPFS_CTX_DATA;
		if (off == offsetof(struct xdp_md, data_end))
			return BPFS_CTX_DATA_END;
		if (off == offsetof(struct xdp_md, data_meta))
			return BPFS_CTX_DATA_META;
	}
	return -1;
}

/* eth_type_trans()'s packet type on the loopback device test_run uses:
 * its address and its broadcast address are both zero, so every group
 * address, ff:ff:ff:ff:ff:ff included, is PACKET_MULTICAST (the kernel
 * compares with the device's broadcast address, not the Ethernet one). */
static uint32_t eth_pkt_type(const uint8_t *dst)
{
	static const uint8_t zero[6];

	if (dst[0] & 1)
		return PACKET_MULTICAST;
	return memcmp(dst, zero, 6) ? PACKET_OTHERHOST : PACKET_HOST;
}

static int build_skb(struct bpfs_ctx *out, const uint8_t *pkt, size_t len, const void *ctx_in,
		     size_t ctx_in_len, struct bpfs_err *err)
{
	struct __sk_buff *skb;
	uint8_t *mem, *frame;
	uint16_t proto;

	if (len < ETH_HLEN)
		return bpfs_err_set(err, EINVAL, -1, "packet of %zu bytes is shorter than an Ethernet header",
				    len);
	if (ctx_in_len > sizeof(*skb))
		return bpfs_err_set(err, EINVAL, -1, "context input larger than struct __sk_buff");
	/* room for bpf_skb_change_tail up to BPF_SKB_MAX_LEN */
	mem = calloc(1, sizeof(*skb) + (len > SKB_MAX_LEN ? len : SKB_MAX_LEN));
	if (!mem)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	skb = (struct __sk_buff *)mem;
	frame = mem + sizeof(*skb);
	out->hard_start = frame;
	out->hard_end = frame + (len > SKB_MAX_LEN ? len : SKB_MAX_LEN);
	memcpy(frame, pkt, len);
	/* convert___skb_to_skb takes mark, priority, ifindex, cb, tstamp,
	 * wire_len, gso_segs, gso_size, hwtstamp from the input. */
	if (ctx_in && ctx_in_len)
		memcpy(skb, ctx_in, ctx_in_len);
	memcpy(&proto, frame + 12, 2);
	/* eth_type_trans: below 0x600 the field is an 802.3 length, and the
	 * protocol is raw 802.3 (IPX's 0xffff after the header) or 802.2 LLC */
	if (ntohs(proto) < 0x600)
		proto = htons(len >= ETH_HLEN + 2 && frame[ETH_HLEN] == 0xff && frame[ETH_HLEN + 1] == 0xff ? 0x0001
											   : 0x0004);
	skb->protocol = proto;
	skb->pkt_type = eth_pkt_type(frame);
	skb->ifindex = 1;
	skb->family = proto == htons(ETH_P_IP) ? AF_INET : proto == htons(ETH_P_IPV6) ? AF_INET6 : AF_UNSPEC;
	out->data = is_l2_type(out->prog_type) ? frame : frame + ETH_HLEN;
	out->data_end = frame + len;
	skb->len = (uint32_t)(out->data_end - out->data);
	skb->data = skb->data_end = skb->data_meta = 0;
	out->ptrs[BPFS_CTX_DATA_META] = (uint64_t)(uintptr_t)out->data;
	out->ctx = skb;
	out->ctx_len = sizeof(*skb);
	out->owned = mem;
	return 0;
}

static int build_xdp(struct bpfs_ctx *out, const uint8_t *pkt, size_t len, struct bpfs_err *err)
{
	struct xdp_md *md;
	uint8_t *mem;

	size_t frame = XDP_HEADROOM + len + XDP_TAILROOM > XDP_FRAME ? XDP_HEADROOM + len + XDP_TAILROOM : XDP_FRAME;

	mem = calloc(1, sizeof(*md) + frame);
	if (!mem)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	md = (struct xdp_md *)mem;
	out->hard_start = mem + sizeof(*md);
	out->hard_end = out->hard_start + frame - XDP_TAILROOM;
	out->data = mem + sizeof(*md) + XDP_HEADROOM;
	out->data_end = out->data + len;
	if (len)
		memcpy(out->data, pkt, len);
	md->ingress_ifindex = 1;
	out->ptrs[BPFS_CTX_DATA_META] = (uint64_t)(uintptr_t)out->data;
	out->ctx = md;
	out->ctx_len = sizeof(*md);
	out->owned = mem;
	return 0;
}

/* The context a verified program of each type may read: the uapi struct,
 * or the bound the kernel's is_valid_access callback sets (a tracepoint's
 * record up to PERF_MAX_TRACE_SIZE, twelve u64 arguments for raw
 * tracepoints and tracing). A shorter ctx_in is zero-extended to it, so
 * no access the verifier allowed leaves the buffer. */
static size_t raw_ctx_size(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_KPROBE:
		return PT_REGS_SIZE;
	case BPF_PROG_TYPE_TRACEPOINT:
		return 8192;
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_TRACING:
		return 12 * 8;
	case BPF_PROG_TYPE_PERF_EVENT:
		return PT_REGS_SIZE + 16; /* struct bpf_perf_event_data */
	case BPF_PROG_TYPE_SOCK_OPS:
		return sizeof(struct bpf_sock_ops);
	case BPF_PROG_TYPE_CGROUP_SOCK:
		return sizeof(struct bpf_sock);
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		return sizeof(struct bpf_sock_addr);
	case BPF_PROG_TYPE_SK_MSG:
		return sizeof(struct sk_msg_md);
	default:
		return 0;
	}
}

static int build_raw(struct bpfs_ctx *out, size_t min_len, const void *ctx_in, size_t ctx_in_len,
		     struct bpfs_err *err)
{
	size_t n = ctx_in_len > min_len ? ctx_in_len : min_len;
	uint8_t *mem = calloc(1, n ? n : 1);

	if (!mem)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	if (ctx_in_len)
		memcpy(mem, ctx_in, ctx_in_len);
	out->ctx = mem;
	out->ctx_len = n;
	out->owned = mem;
	return 0;
}

int bpfs_ctx_build(struct bpfs_ctx *out, uint32_t prog_type, const void *pkt, size_t pkt_len,
		   const void *ctx_in, size_t ctx_in_len, struct bpfs_err *err)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->prog_type = prog_type;
	if (is_skb_type(prog_type))
		ret = build_skb(out, pkt, pkt_len, ctx_in, ctx_in_len, err);
	else if (prog_type == BPF_PROG_TYPE_XDP)
		ret = build_xdp(out, pkt, pkt_len, err);
	else
		ret = build_raw(out, raw_ctx_size(prog_type), ctx_in, ctx_in_len, err);
	if (ret)
		return ret;
	out->ptrs[BPFS_CTX_DATA] = (uint64_t)(uintptr_t)out->data;
	out->ptrs[BPFS_CTX_DATA_END] = (uint64_t)(uintptr_t)out->data_end;
	if (!out->ptrs[BPFS_CTX_DATA_META])
		out->ptrs[BPFS_CTX_DATA_META] = out->ptrs[BPFS_CTX_DATA];
	return 0;
}

void bpfs_ctx_raw(struct bpfs_ctx *out, void *mem, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->prog_type = BPF_PROG_TYPE_UNSPEC;
	out->ctx = mem;
	out->ctx_len = len;
	/* The memory doubles as the packet of LD_ABS/LD_IND. */
	out->data = mem;
	out->data_end = mem ? (uint8_t *)mem + len : NULL;
	out->ptrs[BPFS_CTX_DATA] = out->ptrs[BPFS_CTX_DATA_META] = (uint64_t)(uintptr_t)out->data;
	out->ptrs[BPFS_CTX_DATA_END] = (uint64_t)(uintptr_t)out->data_end;
}

void bpfs_run_move_packet(struct bpfs_run_ctx *rc, uint8_t *meta, uint8_t *data, uint8_t *end)
{
	uint64_t p[BPFS_CTX_NPTRS];

	p[BPFS_CTX_DATA] = (uint64_t)(uintptr_t)data;
	p[BPFS_CTX_DATA_END] = (uint64_t)(uintptr_t)end;
	p[BPFS_CTX_DATA_META] = (uint64_t)(uintptr_t)meta;
	memcpy(rc->ptrs, p, sizeof(p));
	memcpy(rc->pctx->ptrs, p, sizeof(p));
	rc->pctx->data = data;
	rc->pctx->data_end = end;
	for (unsigned i = 0; i < rc->nregions; i++) {
		struct bpfs_region *r = &rc->regions[i];

		if (r->name && !strcmp(r->name, "packet")) {
			r->start = (uintptr_t)meta;
			r->len = (size_t)(end - meta);
		}
	}
}

#define SKF_NET_OFF (-0x100000)
#define SKF_LL_OFF (-0x200000)

bool bpfs_ctx_load_packet(const struct bpfs_ctx *ctx, int32_t off, unsigned size, uint64_t *v)
{
	const uint8_t *p, *end = ctx->data_end;
	uint64_t r = 0;

	if (!ctx->data)
		return false;
	if (off >= 0)
		p = ctx->data + off;
	else if (!is_skb_type(ctx->prog_type) || !ctx->hard_start || off < SKF_LL_OFF)
		return false;
	else if (off >= SKF_NET_OFF)
		p = ctx->hard_start + ETH_HLEN + (off - SKF_NET_OFF);
	else
		p = ctx->hard_start + (off - SKF_LL_OFF);
	/* every base is at or after the frame's start: only the end bounds */
	if (p > end || (size_t)(end - p) < size)
		return false;
	for (unsigned i = 0; i < size; i++)
		r = r << 8 | p[i];
	*v = r;
	return true;
}

void bpfs_ctx_release(struct bpfs_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->owned);
	memset(ctx, 0, sizeof(*ctx));
}

int bpfs_ctx_add_regions(struct bpfs_ctx *ctx, struct bpfs_run_ctx *rc)
{
	int ret = 0;

	rc->pctx = ctx;
	rc->ptrs = ctx->ptrs;
	if (ctx->ctx && ctx->ctx_len)
		ret = bpfs_run_add_region(rc, ctx->ctx, ctx->ctx_len, "ctx", true);
	if (!ret && ctx->data && ctx->data_end > ctx->data)
		ret = bpfs_run_add_region(rc, ctx->data, (size_t)(ctx->data_end - ctx->data), "packet", true);
	return ret;
}
