// SPDX-License-Identifier: MIT
/*
 * A kprobe that records when each process last entered a function, in a map
 * declared the old way (section "maps"), and prints a trace line.
 */
#include "bpfs_helpers.h"

struct bpf_map_def SEC("maps") last_seen = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4096,
};

SEC("kprobe/do_sys_openat2")
int trace_open(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 now = bpf_ktime_get_ns();
	char fmt[] = "open by %u\n";

	(void)ctx;
	bpf_map_update_elem(&last_seen, &pid, &now, BPF_ANY);
	bpf_trace_printk(fmt, sizeof(fmt), pid);
	return 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060000;
