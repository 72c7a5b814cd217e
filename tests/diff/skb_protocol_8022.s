# diff: --type sched_cls --packet-hex 02000000000202000000000100000102030405
#
# Found by running the corpus against the kernel (cilium-core): an
# EtherType below 0x600 is an 802.3 length, and eth_type_trans gives the
# skb the protocol ETH_P_802_2 (or ETH_P_802_3 for IPX's 0xffff);
# bpfscope's context copied the field as it was. r0 is __sk_buff.protocol.
	r0 = *(u32 *)(r1 + 16)
	exit
