/* SPDX-License-Identifier: MIT */
/* Private declarations of the runtime module. */
#ifndef BPFS_RUNTIME_INT_H
#define BPFS_RUNTIME_INT_H

#include "runtime.h"

/* Formats fmt (fmt_size bytes, NUL-terminated within them) with up to
 * nargs arguments as bpf_trace_printk does, into out (always
 * NUL-terminated). Returns the length written or -EINVAL for a format the
 * kernel rejects. */
int bpfs_printk_format(struct bpfs_run_ctx *rc, const char *fmt, size_t fmt_size, const uint64_t *args,
		       unsigned nargs, char *out, size_t out_size);

/* For the helpers that move the packet's bounds: stores them everywhere
 * the run reads them (the engine's packet pointers, the context, the
 * "packet" region of checked runs, which covers the metadata too). */
void bpfs_run_move_packet(struct bpfs_run_ctx *rc, uint8_t *meta, uint8_t *data, uint8_t *end);

/* Socket-buffer helpers (skb.c), entries of the helper table. */
#define BPFS_HELPER_DECL(name)                                                                               \
	uint64_t bpfs_h_##name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,              \
			       struct bpfs_run_ctx *rc)
BPFS_HELPER_DECL(skb_store_bytes);
BPFS_HELPER_DECL(skb_load_bytes);
BPFS_HELPER_DECL(skb_pull_data);
BPFS_HELPER_DECL(skb_change_type);
BPFS_HELPER_DECL(skb_change_tail);
BPFS_HELPER_DECL(skb_set_tunnel_opt);
BPFS_HELPER_DECL(skb_get_tunnel_opt);
BPFS_HELPER_DECL(set_hash_invalid);
/* xdp.c */
BPFS_HELPER_DECL(xdp_adjust_head);
BPFS_HELPER_DECL(xdp_adjust_meta);
BPFS_HELPER_DECL(xdp_adjust_tail);
BPFS_HELPER_DECL(l3_csum_replace);
BPFS_HELPER_DECL(l4_csum_replace);
BPFS_HELPER_DECL(csum_diff);
BPFS_HELPER_DECL(clone_redirect);
BPFS_HELPER_DECL(redirect);
BPFS_HELPER_DECL(skb_vlan_push);
BPFS_HELPER_DECL(skb_vlan_pop);
BPFS_HELPER_DECL(skb_get_tunnel_key);
BPFS_HELPER_DECL(skb_set_tunnel_key);
BPFS_HELPER_DECL(get_hash_recalc);
#undef BPFS_HELPER_DECL

/* The context conversion pass (ctxconv.c): sets conv[i] to the enum
 * bpfs_ctx_ptr for each LDX that loads a packet pointer field through the
 * context pointer, -1 elsewhere. Returns 0 or -ENOMEM. */
int bpfs_ctx_convert(const struct bpf_insn *insns, size_t cnt, uint32_t prog_type, int8_t *conv);

#endif
