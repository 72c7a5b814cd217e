// SPDX-License-Identifier: MIT
/*
 * A bounded loop: the modern verifier accepts it (the walk follows the
 * back-edge until the bound is proven), the original DAG check rejects it.
 */
#include "bpfs_helpers.h"

SEC("socket")
int sum_bytes(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	unsigned char *p = data;
	__u32 sum = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 16; i++) {
		if ((void *)(p + i + 1) > data_end)
			break;
		sum += p[i];
	}
	return sum & 1 ? -1 : 0;
}

char _license[] SEC("license") = "GPL";
