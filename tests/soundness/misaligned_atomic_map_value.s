# An 8-byte atomic add at offset 4 of a map value: atomics are aligned
# whatever the load flags say.
	*(u32 *)(r10 - 4) = 0
	r2 = r10
	r2 += -4
	r1 = map[0] ll
	call 1
	if r0 == 0 goto +2
	r1 = 1
	lock *(u64 *)(r0 + 4) += r1
	r0 = 0
	exit
