# diff: --type xdp
#
# Found by running the corpus against the kernel (linux/xdp_tx_iptunnel,
# prototype-kernel/xdp_vlan01): bpfscope's runtime had no
# bpf_xdp_adjust_head, so its runs failed where the kernel's succeeded.
# The delta comes from the packet's first byte (-256 to 254): too far
# into the headroom (past the struct xdp_frame kept there) or leaving
# less than an Ethernet header fails with EINVAL; otherwise a byte is
# written at the new start.
	r6 = r1
	r2 = *(u32 *)(r6 + 0)
	r3 = *(u32 *)(r6 + 4)
	r4 = r2
	r4 += 1
	if r4 > r3 goto short
	r2 = *(u8 *)(r2 + 0)
	r2 <<= 1
	r2 += -256
	r1 = r6
	call bpf_xdp_adjust_head
	r7 = r0
	r2 = *(u32 *)(r6 + 0)
	r3 = *(u32 *)(r6 + 4)
	r4 = r2
	r4 += 2
	if r4 > r3 goto done
	r5 = 171
	*(u8 *)(r2 + 1) = r5
done:
	r0 = r7
	exit
short:
	r0 = 0
	exit
