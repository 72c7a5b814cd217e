# diff: --type sched_cls --packet-hex 0200000000020200000000010020ffff0000
#
# The IPX case of skb_protocol_8022.s: a length field followed by 0xffff
# is raw 802.3 (ETH_P_802_3).
	r0 = *(u32 *)(r1 + 16)
	exit
