# diff: --type sched_cls
#
# ld_abs_negative.s through a register, for a program that sees the
# Ethernet header: the offset is SKF_NET_OFF plus 0 to 63 (from the
# packet's sixth byte), past the end for short packets (r0 = 0).
	r6 = r1
	r0 = *(u8 *)skb[5]
	r7 = r0
	r7 &= 63
	r7 += -1048576
	r0 = *(u16 *)skb[r7 + 0]
	exit
