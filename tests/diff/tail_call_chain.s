# diff: --type sched_cls --map array:4:8:1 --map prog_array:4:4:4
#
# The tail-call chain limit. Slot 0 of the prog_array holds the program
# itself (bpfscope diff's convention), slot 1 is empty: each entry counts
# itself in the array, calls the empty slot (falls through), then itself.
# The kernel stops the chain after 33 taken calls: the counter ends 34
# higher than the generated value, on every engine, and the empty-slot
# calls are not counted toward the limit.
	r6 = r1
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = map[0] ll
	call bpf_map_lookup_elem
	if r0 == 0 goto +12
	r1 = 1
	lock *(u64 *)(r0 + 0) += r1
	r1 = r6
	r2 = map[1] ll
	r3 = 1
	call bpf_tail_call
	r1 = r6
	r2 = map[1] ll
	r3 = 0
	call bpf_tail_call
	r0 = 0
	exit
