/* SPDX-License-Identifier: MIT */
/*
 * The XDP helpers that move the packet's bounds inside its frame, as
 * net/core/filter.c defines them, over the frame BPF_PROG_TEST_RUN builds
 * (bpfs_ctx.hard_start: 256 bytes of headroom, the packet, the tailroom
 * that keeps struct skb_shared_info's place; see ctx.c):
 *
 *   bpf_xdp_adjust_head(xdp, delta): data moves by delta, the metadata
 *     with it; data may not go below the frame's start plus the struct
 *     xdp_frame kept there (40 bytes) plus the metadata, nor leave less
 *     than an Ethernet header (EINVAL);
 *   bpf_xdp_adjust_meta(xdp, delta): data_meta moves by delta, between
 *     that struct xdp_frame and data; the metadata must stay a multiple of
 *     4 bytes and fit skb_shared_info's u8 meta_len (EACCES);
 *   bpf_xdp_adjust_tail(xdp, delta): data_end moves by delta, at most to
 *     the tailroom, at least an Ethernet header after data (EINVAL); the
 *     bytes it grows into are zeroed.
 *
 * The engine's packet pointers (rc->ptrs) and the context (rc->pctx) are
 * updated together, and the run's "packet" region follows, so checked
 * runs and the packet handed back after the run see the new bounds.
 */
#include <errno.h>
#include <string.h>

#include "runtime_int.h"

#define ERR(e) ((uint64_t)(int64_t)(e))
#define ETH_HLEN 14
#define XDP_FRAME_SIZE 40 /* sizeof(struct xdp_frame) on 64-bit */
#define XDP_META_MAX 255 /* skb_shared_info.meta_len is a u8 */

struct xdp_view {
	struct bpfs_ctx *ctx;
	uint8_t *meta, *data, *end;
};

static int xdp_view_get(struct bpfs_run_ctx *rc, uint64_t xdp, struct xdp_view *v)
{
	struct bpfs_ctx *c = rc->pctx;

	if (!c || c->prog_type != BPF_PROG_TYPE_XDP || !c->hard_start || (uintptr_t)c->ctx != (uintptr_t)xdp) {
		bpfs_run_violation(rc, BPFS_VIOL_HELPER, (uintptr_t)xdp, 0,
				   "helper argument is not the program's xdp_md");
		return -EINVAL;
	}
	v->ctx = c;
	v->meta = (uint8_t *)(uintptr_t)rc->ptrs[BPFS_CTX_DATA_META];
	v->data = (uint8_t *)(uintptr_t)rc->ptrs[BPFS_CTX_DATA];
	v->end = (uint8_t *)(uintptr_t)rc->ptrs[BPFS_CTX_DATA_END];
	return 0;
}

static void xdp_view_put(struct bpfs_run_ctx *rc, const struct xdp_view *v)
{
	bpfs_run_move_packet(rc, v->meta, v->data, v->end);
}

uint64_t bpfs_h_xdp_adjust_head(uint64_t xdp, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	struct xdp_view v;
	size_t metalen;
	uint8_t *data;

	(void)r3, (void)r4, (void)r5;
	if (xdp_view_get(rc, xdp, &v))
		return ERR(-EINVAL);
	metalen = (size_t)(v.data - v.meta);
	data = v.data + (int32_t)delta;
	if (data < v.ctx->hard_start + XDP_FRAME_SIZE + metalen || data > v.end - ETH_HLEN)
		return ERR(-EINVAL);
	if (metalen)
		memmove(v.meta + (int32_t)delta, v.meta, metalen);
	v.meta += (int32_t)delta;
	v.data = data;
	xdp_view_put(rc, &v);
	return 0;
}

uint64_t bpfs_h_xdp_adjust_meta(uint64_t xdp, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	struct xdp_view v;
	uint8_t *meta;
	size_t metalen;

	(void)r3, (void)r4, (void)r5;
	if (xdp_view_get(rc, xdp, &v))
		return ERR(-EINVAL);
	meta = v.meta + (int32_t)delta;
	if (meta < v.ctx->hard_start + XDP_FRAME_SIZE || meta > v.data)
		return ERR(-EINVAL);
	metalen = (size_t)(v.data - meta);
	if ((metalen & 3) || metalen > XDP_META_MAX)
		return ERR(-EACCES);
	v.meta = meta;
	xdp_view_put(rc, &v);
	return 0;
}

uint64_t bpfs_h_xdp_adjust_tail(uint64_t xdp, uint64_t delta, uint64_t r3, uint64_t r4, uint64_t r5,
				struct bpfs_run_ctx *rc)
{
	struct xdp_view v;
	uint8_t *end;

	(void)r3, (void)r4, (void)r5;
	if (xdp_view_get(rc, xdp, &v))
		return ERR(-EINVAL);
	end = v.end + (int32_t)delta;
	if (end > v.ctx->hard_end || end < v.data + ETH_HLEN)
		return ERR(-EINVAL);
	if ((int32_t)delta > 0)
		memset(v.end, 0, (size_t)(int32_t)delta);
	v.end = end;
	xdp_view_put(rc, &v);
	return 0;
}
