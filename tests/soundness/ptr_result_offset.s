# A map value pointer minus a u32 read from the value: the result may lie
# 4 GiB below the value, which the kernel refuses at the subtraction.
	*(u32 *)(r10 - 4) = 0
	r2 = r10
	r2 += -4
	r1 = map[0] ll
	call 1
	if r0 == 0 goto +2
	r1 = *(u32 *)(r0 + 0)
	r0 -= r1
	r0 = 0
	exit
