# diff: --type sched_cls
#
# Found by running the corpus against the kernel (cilium-core, 8 programs):
# bpfscope's runtime had no bpf_skb_change_tail. The new length is the
# packet's plus -600 to 420 bytes (from its sixth byte): below the Ethernet
# header or past BPF_SKB_MAX_LEN fails with EINVAL; growing zeroes the new
# bytes, which the packet handed back shows. r0 holds the result, the new
# __sk_buff.len and the length the packet pointers give.
	r6 = r1
	r2 = *(u32 *)(r6 + 76)
	r3 = *(u32 *)(r6 + 80)
	r4 = r2
	r4 += 6
	if r4 > r3 goto short
	r7 = *(u8 *)(r2 + 5)
	r8 = *(u32 *)(r6 + 0)
	r7 <<= 2
	r8 += r7
	r8 += -600
	r1 = r6
	r2 = r8
	r3 = 0
	call bpf_skb_change_tail
	r7 = r0
	r7 <<= 32
	r0 = *(u32 *)(r6 + 0)
	r0 <<= 16
	r7 |= r0
	r2 = *(u32 *)(r6 + 76)
	r3 = *(u32 *)(r6 + 80)
	r3 -= r2
	r7 |= r3
	r0 = r7
	exit
short:
	r0 = 0
	exit
