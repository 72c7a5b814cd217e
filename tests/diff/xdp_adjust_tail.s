# diff: --type xdp
#
# Found by running the corpus against the kernel (linux/xdp_adjust_tail):
# bpfscope's runtime had no bpf_xdp_adjust_tail. The end moves by -2048
# to 2032 bytes (from the packet's third byte): past the frame's tailroom
# or to less than an Ethernet header fails with EINVAL; bytes grown into
# are zeroed. r0 holds the result and the new length.
	r6 = r1
	r2 = *(u32 *)(r6 + 0)
	r3 = *(u32 *)(r6 + 4)
	r4 = r2
	r4 += 3
	if r4 > r3 goto short
	r2 = *(u8 *)(r2 + 2)
	r2 <<= 4
	r2 += -2048
	r1 = r6
	call bpf_xdp_adjust_tail
	r7 = r0
	r2 = *(u32 *)(r6 + 0)
	r3 = *(u32 *)(r6 + 4)
	r3 -= r2
	r0 = r7
	r0 <<= 16
	r0 |= r3
	exit
short:
	r0 = 0
	exit
