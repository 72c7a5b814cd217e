/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the verifier: the input's first byte picks the
 * program type, the rest is bytecode, verified with a hash and an array
 * map declared. Every input must end in a verdict; nothing may crash,
 * hang or leak. A low instruction limit keeps each run short.
 */
#include "analysis.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t types[] = { BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE,
					  BPF_PROG_TYPE_SCHED_CLS,     BPF_PROG_TYPE_SCHED_ACT,
					  BPF_PROG_TYPE_TRACEPOINT,    BPF_PROG_TYPE_XDP };
	static const struct bpfs_map_spec maps[] = {
		{ .name = "h", .type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 4,
		  .inner_map = -1 },
		{ .name = "a", .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 48, .max_entries = 2,
		  .inner_map = -1 },
		{ .name = "p", .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4,
		  .inner_map = -1 },
	};
	struct bpfs_verifier_opts o = { .maps = maps, .map_cnt = 3, .license = "GPL", .insn_limit = 20000,
					.log_level = 2 };
	struct bpfs_verdict v = { 0 };
	struct bpf_insn *insns;
	size_t cnt;

	if (size < 1 + sizeof(struct bpf_insn))
		return 0;
	o.prog_type = types[data[0] % 6];
	o.unpriv = data[0] & 0x80;
	cnt = (size - 1) / sizeof(struct bpf_insn);
	insns = malloc(cnt * sizeof(*insns));
	if (!insns)
		return 0;
	memcpy(insns, data + 1, cnt * sizeof(*insns));
	if (bpfs_verify(insns, cnt, &o, &v) == 0)
		bpfs_verdict_release(&v);
	free(insns);
	return 0;
}
