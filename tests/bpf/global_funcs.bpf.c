// SPDX-License-Identifier: MIT
/*
 * Global functions, verified on their own against their BTF prototype:
 * one that checks its pointer argument for NULL (accepted), one that does
 * not (rejected: its argument may be NULL whatever the caller passes), one
 * taking the context, and a hidden one, which libbpf makes static.
 */
#include "bpfs_helpers.h"

#define __hidden __attribute__((visibility("hidden")))

__noinline int sum_checked(__u32 *p, __u32 n)
{
	if (!p)
		return 0;
	return *p + n;
}

__noinline int sum_unchecked(__u32 *p)
{
	return *p;
}

__noinline int skb_len(struct __sk_buff *skb)
{
	return skb->len;
}

/* Hidden: verified inline, with what the caller passes (never NULL here). */
__hidden __noinline int hidden_deref(__u32 *p)
{
	return *p;
}

SEC("tc")
int good(struct __sk_buff *skb)
{
	__u32 v = skb->len;

	return sum_checked(&v, 1) + skb_len(skb) + hidden_deref(&v) > 0 ? 0 : 2;
}

SEC("tc")
int bad(struct __sk_buff *skb)
{
	__u32 v = skb->len;

	return sum_unchecked(&v) ? 0 : 2;
}

char _license[] SEC("license") = "GPL";
