# diff: --type sched_cls --map hash:4:16:8 --map array:4:48:3:0x400
#
# Loads through a map pointer read the kernel's struct bpf_map, which the
# verifier allows for its head (type, sizes, max_entries, flags, NUMA
# node, name). bpfscope's engines read their own map object there: each
# map now starts with that head, filled as the kernel fills it.
	r1 = map[0] ll
	r0 = *(u32 *)(r1 + 64)
	r0 <<= 8
	r2 = *(u32 *)(r1 + 68)
	r0 += r2
	r0 <<= 8
	r2 = *(u32 *)(r1 + 72)
	r0 += r2
	r0 <<= 8
	r2 = *(u32 *)(r1 + 76)
	r0 += r2
	r1 = map[1] ll
	r2 = *(u32 *)(r1 + 88)
	r0 ^= r2
	r2 = *(u32 *)(r1 + 104)
	r0 ^= r2
	r2 = *(u64 *)(r1 + 136)
	r0 += r2
	r2 = *(u32 *)(r1 + 76)
	r0 += r2
	exit
