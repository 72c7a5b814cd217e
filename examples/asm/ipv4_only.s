# A classic socket filter in LLVM syntax: keep IPv4 packets, drop the rest.
# LD_ABS reads the EtherType from the packet (network byte order).
	r6 = r1
	r0 = *(u16 *)skb[12]
	if r0 != 0x800 goto drop
	r0 = -1
	exit
drop:
	r0 = 0
	exit
