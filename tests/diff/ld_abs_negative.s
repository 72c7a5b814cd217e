# diff: --type socket_filter
#
# Found by running the corpus against the kernel (suricata/lb.o):
# LD_ABS/LD_IND offsets from SKF_LL_OFF (-0x200000) count from the
# Ethernet header and from SKF_NET_OFF (-0x100000) from the network
# header, as classic BPF defined them; bpfscope treated every negative
# offset as out of range (r0 = 0). r0 mixes a word through each base and
# the first destination MAC byte.
	r6 = r1
	r0 = *(u32 *)skb[-2097138]
	r7 = r0
	r0 = *(u16 *)skb[-1048576]
	r7 += r0
	r0 = *(u8 *)skb[-2097152]
	r7 <<= 8
	r7 += r0
	r0 = r7
	exit
