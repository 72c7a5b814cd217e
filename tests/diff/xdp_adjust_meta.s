# diff: --type xdp
#
# Found by running the corpus against the kernel (linux/xdp2skb_meta):
# bpfscope's runtime had no bpf_xdp_adjust_meta, and test_run hands the
# metadata back in front of the packet, which bpfscope did not. The
# metadata grows by 0 to 254 bytes (from the packet's second byte): not a
# multiple of 4 fails with EACCES, past the struct xdp_frame at the
# frame's start with EINVAL; otherwise its first word is written.
	r6 = r1
	r2 = *(u32 *)(r6 + 0)
	r3 = *(u32 *)(r6 + 4)
	r4 = r2
	r4 += 2
	if r4 > r3 goto short
	r2 = *(u8 *)(r2 + 1)
	r2 &= 254
	r2 = -r2
	r1 = r6
	call bpf_xdp_adjust_meta
	r7 = r0
	r2 = *(u32 *)(r6 + 8)
	r3 = *(u32 *)(r6 + 0)
	r4 = r2
	r4 += 4
	if r4 > r3 goto done
	r5 = 42
	*(u32 *)(r2 + 0) = r5
done:
	r0 = r7
	exit
short:
	r0 = 0
	exit
