// SPDX-License-Identifier: MIT
/*
 * A tc classifier that calls a bpf-to-bpf subprogram (kept out of line) to
 * classify packets by length, and marks them.
 */
#include "bpfs_helpers.h"

static __noinline int classify(__u32 len)
{
	if (len < 64)
		return 1;
	if (len < 512)
		return 2;
	return 3;
}

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	skb->mark = classify(skb->len);
	return 0; /* TC_ACT_OK */
}

char _license[] SEC("license") = "GPL";
