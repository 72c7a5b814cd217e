# LD_ABS leaves R0 any number to the kernel, so fp plus it is refused.
	r6 = r1
	r0 = *(u32 *)skb[0]
	r7 = r10
	r0 += r7
	r0 = 0
	exit
