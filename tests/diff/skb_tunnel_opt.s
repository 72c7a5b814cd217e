# diff: --type sched_cls
#
# Found by running the corpus against the kernel (cilium-core): bpfscope's
# runtime had no bpf_skb_set_tunnel_opt, bpf_skb_get_tunnel_opt nor
# bpf_set_hash_invalid. A tunnel is set, then options of 1 to 16 bytes
# (from the packet's fifth byte: not a multiple of 4 fails with EINVAL)
# and read back into a 12-byte buffer (more than 12 fails with ENOMEM).
# r0 mixes both results, the first word read back and the hash after
# bpf_set_hash_invalid.
	r6 = r1
	r2 = *(u32 *)(r6 + 76)
	r3 = *(u32 *)(r6 + 80)
	r4 = r2
	r4 += 5
	if r4 > r3 goto short
	r8 = *(u8 *)(r2 + 4)
	r8 &= 15
	r8 += 1
	r1 = 0
	*(u64 *)(r10 - 48) = r1
	*(u64 *)(r10 - 40) = r1
	*(u64 *)(r10 - 32) = r1
	*(u64 *)(r10 - 24) = r1
	*(u64 *)(r10 - 16) = r1
	*(u64 *)(r10 - 8) = r1
	r1 = 167772161
	*(u32 *)(r10 - 44) = r1
	r1 = r6
	r2 = r10
	r2 += -48
	r3 = 44
	r4 = 0
	call bpf_skb_set_tunnel_key
	r7 = r0
	r1 = 287454020
	*(u32 *)(r10 - 64) = r1
	*(u32 *)(r10 - 60) = r1
	*(u32 *)(r10 - 56) = r1
	*(u32 *)(r10 - 52) = r1
	r1 = r6
	r2 = r10
	r2 += -64
	r3 = r8
	call bpf_skb_set_tunnel_opt
	r7 <<= 8
	r7 |= r0
	r1 = r6
	r2 = r10
	r2 += -80
	r3 = 12
	call bpf_skb_get_tunnel_opt
	r7 <<= 8
	r7 ^= r0
	r0 = *(u32 *)(r10 - 80)
	r7 += r0
	r1 = r6
	call bpf_set_hash_invalid
	r0 = *(u32 *)(r6 + 68)
	r0 += r7
	exit
short:
	r0 = 0
	exit
