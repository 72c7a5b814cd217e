# A lookup in an array of 4-byte keys whose key is the low half of an
# 8-byte spill of zero. The kernel keeps the NULL check: the spill is not
# of the key's size. The key is 0 and in range, so the lookup succeeds.
	*(u64 *)(r10 - 8) = 0
	r2 = r10
	r2 += -8
	r1 = map[0] ll
	call 1
	r0 = *(u32 *)(r0 + 0)
	exit
