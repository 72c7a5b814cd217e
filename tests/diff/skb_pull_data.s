# diff: --type sched_cls
#
# Found with skb_change_type.s: bpf_skb_pull_data makes the first N
# bytes linear; a test run's packet is linear already, so only N past the
# end fails (ENOMEM). N is 8 times the packet's fifth byte.
	r6 = r1
	r2 = *(u32 *)(r6 + 76)
	r3 = *(u32 *)(r6 + 80)
	r4 = r2
	r4 += 5
	if r4 > r3 goto short
	r2 = *(u8 *)(r2 + 4)
	r2 <<= 3
	r1 = r6
	call bpf_skb_pull_data
	exit
short:
	r0 = 0
	exit
