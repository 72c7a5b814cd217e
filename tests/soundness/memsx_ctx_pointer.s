# A sign-extending load of xdp_md.data: the low half of a packet address,
# sign-extended, is no packet pointer. The kernel refuses the load
# ("invalid bpf_context access off=0 size=4"); run unverified, the read
# through it lands in no region.
	r2 = *(s32 *)(r1 + 0)
	r3 = *(u32 *)(r1 + 4)
	r1 = r2
	r1 += 8
	if r1 > r3 goto +2
	r0 = *(u64 *)(r2 + 0)
	exit
	r0 = 0
	exit
