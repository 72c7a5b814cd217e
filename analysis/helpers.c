/* SPDX-License-Identifier: MIT */
/*
 * Helper prototypes as data: what each helper returns, what each of its
 * five arguments must be, whether it is GPL-only, whether it may move the
 * packet (invalidating packet pointers), and which program types may call
 * it. One generic function in verifier.c (check_helper_call) checks a call
 * against its row.
 *
 * Source: the bpf_func_proto definitions of the Linux kernel
 * (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c,
 * kernel/bpf/ringbuf.c) and the per-program-type get_func_proto switches,
 * reduced to the distinctions this verifier makes. Helpers without a row
 * are reported as unusable by the program type.
 */
#include <stddef.h>

#include "verifier_int.h"

#define A(...) { __VA_ARGS__ }
#define MT(t) (1ull << (t))

static const struct helper_proto protos[] = {
	{ BPF_FUNC_map_lookup_elem, RET_PTR_TO_MAP_VALUE_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY), false, false, PT_BASE, 0 },
	{ BPF_FUNC_map_update_elem, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING), false, false, PT_BASE, 0 },
	{ BPF_FUNC_map_delete_elem, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY), false, false, PT_BASE, 0 },
	{ BPF_FUNC_probe_read, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_ktime_get_ns, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_trace_printk, RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE), true, false, PT_BASE, 0 },
	{ BPF_FUNC_get_prandom_u32, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_get_smp_processor_id, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_skb_store_bytes, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_l3_csum_replace, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_l4_csum_replace, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_tail_call, RET_VOID, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), false, false, PT_BASE, MT(BPF_MAP_TYPE_PROG_ARRAY) },
	{ BPF_FUNC_clone_redirect, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_get_current_pid_tgid, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_get_current_uid_gid, RET_INTEGER, A(0), false, false, PT_TRACE | PT_CGSOCK, 0 },
	{ BPF_FUNC_get_current_comm, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), false, false, PT_BASE, 0 },
	{ BPF_FUNC_get_cgroup_classid, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_TC, 0 },
	{ BPF_FUNC_skb_vlan_push, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC, 0 },
	{ BPF_FUNC_skb_vlan_pop, RET_INTEGER, A(ARG_PTR_TO_CTX), false, true, PT_TC, 0 },
	{ BPF_FUNC_skb_get_tunnel_key, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_skb_set_tunnel_key, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_perf_event_read, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), true, false, PT_TRACE, MT(BPF_MAP_TYPE_PERF_EVENT_ARRAY) },
	{ BPF_FUNC_redirect, RET_INTEGER, A(ARG_ANYTHING, ARG_ANYTHING), false, false, PT_TC | PT_XDP | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_get_route_realm, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_TC, 0 },
	{ BPF_FUNC_perf_event_output, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO), false, false, PT_TRACE | PT_SKB | PT_XDP | PT_SOCKOPS | PT_CGSOCK, MT(BPF_MAP_TYPE_PERF_EVENT_ARRAY) },
	{ BPF_FUNC_skb_load_bytes, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), false, false, PT_SKB, 0 },
	{ BPF_FUNC_get_stackid, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), true, false, PT_TRACE, MT(BPF_MAP_TYPE_STACK_TRACE) },
	{ BPF_FUNC_csum_diff, RET_INTEGER, A(ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), false, false, PT_TC | PT_XDP | PT_LWT, 0 },
	{ BPF_FUNC_skb_get_tunnel_opt, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_skb_set_tunnel_opt, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_skb_change_proto, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC, 0 },
	{ BPF_FUNC_skb_change_type, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, false, PT_TC, 0 },
	{ BPF_FUNC_skb_under_cgroup, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), false, false, PT_TC, MT(BPF_MAP_TYPE_CGROUP_ARRAY) },
	{ BPF_FUNC_get_hash_recalc, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_TC | PT_LWT, 0 },
	{ BPF_FUNC_get_current_task, RET_INTEGER, A(0), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_current_task_under_cgroup, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), false, false, PT_TRACE, MT(BPF_MAP_TYPE_CGROUP_ARRAY) },
	{ BPF_FUNC_skb_change_tail, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_skb_pull_data, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, true, PT_TC | PT_LWT, 0 },
	{ BPF_FUNC_csum_update, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_set_hash_invalid, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_get_numa_node_id, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_skb_change_head, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC | PT_LWT_XMIT, 0 },
	{ BPF_FUNC_xdp_adjust_head, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, true, PT_XDP, 0 },
	{ BPF_FUNC_probe_read_str, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_get_socket_cookie, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_SKB | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_get_socket_uid, RET_INTEGER, A(ARG_PTR_TO_CTX), false, false, PT_SKB, 0 },
	{ BPF_FUNC_set_hash, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, false, PT_TC, 0 },
	{ BPF_FUNC_setsockopt, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE), false, false, PT_SOCK_OPS | PT_CGSOCK, 0 },
	{ BPF_FUNC_skb_adjust_room, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING), false, true, PT_TC, 0 },
	{ BPF_FUNC_redirect_map, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING), false, false, PT_XDP, MT(BPF_MAP_TYPE_DEVMAP) | MT(BPF_MAP_TYPE_DEVMAP_HASH) | MT(BPF_MAP_TYPE_CPUMAP) | MT(BPF_MAP_TYPE_XSKMAP) },
	{ BPF_FUNC_sock_map_update, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), false, false, PT_SOCK_OPS, MT(BPF_MAP_TYPE_SOCKMAP) },
	{ BPF_FUNC_xdp_adjust_meta, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, true, PT_XDP, 0 },
	{ BPF_FUNC_perf_event_read_value, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), true, false, PT_TRACE, MT(BPF_MAP_TYPE_PERF_EVENT_ARRAY) },
	{ BPF_FUNC_perf_prog_read_value, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_getsockopt, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), false, false, PT_SOCK_OPS | PT_CGSOCK, 0 },
	{ BPF_FUNC_sock_ops_cb_flags_set, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, false, PT_SOCK_OPS, 0 },
	{ BPF_FUNC_bind, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE), false, false, PT_CGSOCK, 0 },
	{ BPF_FUNC_xdp_adjust_tail, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING), false, true, PT_XDP, 0 },
	{ BPF_FUNC_get_stack, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_skb_load_bytes_relative, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), false, false, PT_SKB, 0 },
	{ BPF_FUNC_fib_lookup, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), false, false, PT_TC | PT_XDP, 0 },
	{ BPF_FUNC_sock_hash_update, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), false, false, PT_SOCK_OPS, MT(BPF_MAP_TYPE_SOCKHASH) },
	{ BPF_FUNC_get_current_cgroup_id, RET_INTEGER, A(0), false, false, PT_TRACE | PT_CGSOCK, 0 },
	{ BPF_FUNC_sk_lookup_tcp, RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_ANYTHING), false, false, PT_TC | PT_XDP | PT_CGSOCK | PT_CGSKB, 0 },
	{ BPF_FUNC_sk_lookup_udp, RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_ANYTHING), false, false, PT_TC | PT_XDP | PT_CGSOCK | PT_CGSKB, 0 },
	{ BPF_FUNC_sk_release, RET_INTEGER, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_TC | PT_XDP | PT_CGSOCK | PT_CGSKB, 0 },
	{ BPF_FUNC_skc_lookup_tcp, RET_PTR_TO_SOCK_COMMON_OR_NULL, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_ANYTHING), false, false, PT_TC | PT_XDP | PT_CGSOCK | PT_CGSKB, 0 },
	{ BPF_FUNC_get_local_storage, RET_PTR_TO_MAP_VALUE, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), false, false, PT_CGSKB | PT_CGSOCK | PT_SOCK_OPS, MT(BPF_MAP_TYPE_CGROUP_STORAGE) | MT(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE) },
	{ BPF_FUNC_sk_fullsock, RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), false, false, PT_TC | PT_CGSKB, 0 },
	{ BPF_FUNC_tcp_sock, RET_PTR_TO_TCP_SOCK_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), false, false, PT_TC | PT_CGSKB | PT_SOCK_OPS, 0 },
	{ BPF_FUNC_get_listener_sock, RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), false, false, PT_TC | PT_CGSKB, 0 },
	{ BPF_FUNC_strtol, RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_LONG), false, false, PT_BASE, 0 },
	{ BPF_FUNC_strtoul, RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_LONG), false, false, PT_BASE, 0 },
	{ BPF_FUNC_skc_to_tcp6_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_tcp_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_tcp_timewait_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_tcp_request_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_udp6_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_unix_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_skc_to_mptcp_sock, RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
	{ BPF_FUNC_probe_read_user, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_probe_read_kernel, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_BASE, 0 },
	{ BPF_FUNC_probe_read_user_str, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_TRACE, 0 },
	{ BPF_FUNC_probe_read_kernel_str, RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), true, false, PT_BASE, 0 },
	{ BPF_FUNC_jiffies64, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_get_netns_cookie, RET_INTEGER, A(ARG_PTR_TO_CTX_OR_NULL), false, false, PT_TC | PT_SOCKOPS | PT_CGSOCK | PT_CGSKB, 0 },
	{ BPF_FUNC_sk_assign, RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_BTF_ID_SOCK_COMMON_OR_NULL, ARG_ANYTHING), false, false, PT_TC, 0 },
	{ BPF_FUNC_ktime_get_boot_ns, RET_INTEGER, A(0), false, false, PT_BASE, 0 },
	{ BPF_FUNC_ringbuf_output, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), false, false, PT_BASE, MT(BPF_MAP_TYPE_RINGBUF) },
	{ BPF_FUNC_ringbuf_reserve, RET_PTR_TO_MEM_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE, ARG_ANYTHING), false, false, PT_BASE, MT(BPF_MAP_TYPE_RINGBUF) },
	{ BPF_FUNC_ringbuf_submit, RET_VOID, A(ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING), false, false, PT_BASE, 0 },
	{ BPF_FUNC_ringbuf_discard, RET_VOID, A(ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING), false, false, PT_BASE, 0 },
	{ BPF_FUNC_ringbuf_query, RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), false, false, PT_BASE, MT(BPF_MAP_TYPE_RINGBUF) },
	{ BPF_FUNC_redirect_neigh, RET_INTEGER, A(ARG_ANYTHING, ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), false, false, PT_TC, 0 },
	{ BPF_FUNC_redirect_peer, RET_INTEGER, A(ARG_ANYTHING, ARG_ANYTHING), false, false, PT_TC, 0 },
	/* not for tracing programs */
	{ BPF_FUNC_ktime_get_coarse_ns, RET_INTEGER, A(0), false, false, PT_SKB | PT_XDP | PT_CGSOCK | PT_SOCKOPS, 0 },
};

const struct helper_proto *helper_proto(int32_t id)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].id == id)
			return &protos[i];
	return NULL;
}

uint32_t prog_type_group(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return PT_SKF;
	case BPF_PROG_TYPE_KPROBE:
		return PT_TRACE | PT_KPROBE;
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_TRACING:
		return PT_TRACE;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return PT_TC;
	case BPF_PROG_TYPE_XDP:
		return PT_XDP;
	case BPF_PROG_TYPE_CGROUP_SKB:
		return PT_CGSKB;
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return PT_CGSOCK;
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
		return PT_SKF | PT_SOCKOPS;
	case BPF_PROG_TYPE_SOCK_OPS:
		return PT_SOCKOPS | PT_SOCK_OPS;
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
		return PT_LWT;
	case BPF_PROG_TYPE_LWT_XMIT:
		return PT_LWT | PT_LWT_XMIT;
	default:
		return 0;
	}
}
