# Looks a key up in a hash map and reads the value without checking for
# NULL: the verifier rejects the load. Verify it with the map declared:
#   bpfscope verify missing_null_check.s --map hash:4:8:16
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = counts ll
	call bpf_map_lookup_elem
	r0 = *(u64 *)(r0 + 0)
	exit
