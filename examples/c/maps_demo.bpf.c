// SPDX-License-Identifier: MIT
/*
 * Two programs sharing BTF-defined maps: a socket filter that counts
 * packets per EtherType, and an XDP program that counts bytes per CPU slot
 * in an array. Both pass every packet.
 */
#include "bpfs_helpers.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} bytes SEC(".maps");

SEC("socket")
int count_proto(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol;
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&counts, &proto);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&counts, &proto, &one, BPF_NOEXIST);
	return -1;
}

SEC("xdp")
int xdp_bytes(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&bytes, &key);

	if (n)
		__sync_fetch_and_add(n, ctx->data_end - ctx->data);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
