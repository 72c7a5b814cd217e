# diff: --type sched_cls
#
# Found by the first campaign against the kernel: for skb programs the
# kernel's BPF_PROG_TEST_RUN refuses an IPv4 frame shorter than 34 bytes
# (IPv6: 54) with EINVAL, which bpfscope's bpf() accepted. bpfscope diff
# now skips such inputs for the kernel engine (and bpfscope's bpf() fails
# them as the kernel does); the programs that read the IPv4 header still
# agree on every input the kernel runs.
	r2 = *(u32 *)(r1 + 76)
	r3 = *(u32 *)(r1 + 80)
	r0 = 0
	r4 = r2
	r4 += 34
	if r4 > r3 goto +3
	r0 = *(u8 *)(r2 + 23)
	r5 = *(u32 *)(r2 + 26)
	r0 += r5
	exit
