# bpf_csum_diff reading zero bytes at fp: even an empty access must start
# inside the frame.
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 = 0
	r3 = r10
	r3 += -8
	r4 = 8
	r5 = 0
	call 28
	r0 = 0
	exit
