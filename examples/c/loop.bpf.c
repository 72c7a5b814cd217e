// SPDX-License-Identifier: MIT
/*
 * A bounded loop: the modern verifier accepts it (the walk follows the
 * back-edge until the bound is proven), the original DAG check rejects it.
 */
#include "bpfs_helpers.h"

SEC("tc")
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
	return sum & 1 ? 2 /* TC_ACT_SHOT */ : 0 /* TC_ACT_OK */;
}

char _license[] SEC("license") = "GPL";
