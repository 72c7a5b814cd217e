# diff: --type sched_cls
#
# Found by running the corpus against the kernel (cilium-core/bpf_network):
# bpfscope's runtime had no bpf_skb_change_type (nor bpf_skb_pull_data).
# The new type comes from the packet's fourth byte (0 to 7): only host
# types (0 to 3) are allowed, else EINVAL. r0 holds the result and the
# pkt_type the program reads afterwards.
	r6 = r1
	r2 = *(u32 *)(r6 + 76)
	r3 = *(u32 *)(r6 + 80)
	r4 = r2
	r4 += 4
	if r4 > r3 goto short
	r2 = *(u8 *)(r2 + 3)
	r2 &= 7
	r1 = r6
	call bpf_skb_change_type
	r7 = r0
	r0 = *(u32 *)(r6 + 4)
	r7 <<= 8
	r0 |= r7
	exit
short:
	r0 = 0
	exit
