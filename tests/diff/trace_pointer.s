# diff: --type xdp
#
# Found by the first campaign against the kernel (random program 297 of
# seed 7): trace_printk's return value is the length of what it wrote,
# and the generator had passed a stack pointer as the value to print, so
# the engines printed different addresses. The generator now sets the
# value while every argument register holds a scalar; this is the fixed
# shape: a scalar printed, and r0 the length.
	r3 = 255
	r1 = 2947156833287542 ll
	*(u64 *)(r10 - 96) = r1
	r1 = r10
	r1 += -96
	r2 = 8
	call bpf_trace_printk
	exit
