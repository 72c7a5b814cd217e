/* SPDX-License-Identifier: MIT */
/*
 * Helper prototypes as data: what each helper returns, what each of its
 * five arguments must be, whether it is GPL-only, whether it may move the
 * packet (invalidating packet pointers), whether it may sleep, which
 * program types may call it and what privilege it needs. One generic
 * function in verif_call.c (check_helper_call) checks a call against its
 * row.
 *
 * Which program types may call a helper is a bitmask of program types per
 * row (PROG_BIT). A helper whose arguments differ between program types
 * (bpf_get_socket_cookie takes the context in a socket filter, a socket
 * pointer in a tracing program) has one row per variant, with disjoint
 * masks: the row whose mask holds the program type is its prototype, and
 * the first of them takes every argument any of them takes. A few
 * helpers are further restricted by the expected attach type (attach_rules
 * below); an attach type the loader does not know restricts nothing.
 *
 * Privilege: the kernel's base helpers come in three tiers, for every
 * loader, for CAP_BPF and for CAP_PERFMON (bpf_base_func_proto); an
 * unprivileged run (opts.unpriv) has neither capability. Program types
 * other than socket filters and cgroup skb programs need privileges to
 * load at all, so the tier matters only there.
 *
 * Source: the bpf_func_proto definitions of the Linux kernel
 * (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c,
 * kernel/bpf/cgroup.c, kernel/bpf/ringbuf.c, net/core/bpf_sk_storage.c,
 * kernel/bpf/queue_stack_maps.c) and the per-program-type get_func_proto
 * switches, reduced to the distinctions this verifier makes. The masks
 * were checked against Linux 6.18 by loading, for every program type and
 * helper, a program that calls it. Where that kernel's configuration
 * leaves a helper out (bpf_xdp_adjust_meta), the masks follow upstream.
 * Helpers without a row are reported as unusable by the program type.
 *
 * Kernel structs that only BTF describes (task_struct, xdp_buff, pt_regs)
 * have no pointer type here: a helper returning one gives a scalar (which
 * can be neither dereferenced nor passed where a pointer is expected),
 * and an argument that must be one (ARG_PTR_TO_KERNEL_BTF) takes nothing.
 */
#include <stddef.h>

#include "verifier_int.h"

#define A(...) { __VA_ARGS__ }
#define MT(t) (1ull << (t))

/* ---------------------------------------------------------------------- */
/* Program type masks */

#define PROG_TYPE_NETFILTER 32 /* newer than some headers */
#define P(t) PROG_BIT(BPF_PROG_TYPE_##t)

/* Every program type: all fall back to the base helpers (an extension
 * program takes its target's helpers, which have them too) */
#define ALL ((PROG_BIT(PROG_TYPE_NETFILTER) << 1) - 2)
#define TC (P(SCHED_CLS) | P(SCHED_ACT))
#define LWT_RO (P(LWT_IN) | P(LWT_OUT) | P(LWT_SEG6LOCAL)) /* light-weight tunnels that may not rewrite */
#define LWT (LWT_RO | P(LWT_XMIT))
#define SKB_NET (P(SOCKET_FILTER) | TC | P(CGROUP_SKB) | LWT | P(SK_SKB)) /* __sk_buff contexts */
/* kprobe, tracepoint, perf_event and raw tracepoints */
#define KTRACE (P(KPROBE) | P(TRACEPOINT) | P(PERF_EVENT) | P(RAW_TRACEPOINT) | P(RAW_TRACEPOINT_WRITABLE))
/* BTF-typed programs: tracing (tp_btf, fentry, iter), lsm and syscall,
 * which share tracing_prog_func_proto */
#define BTFTRACE (P(TRACING) | P(LSM) | P(SYSCALL))
#define TRACE (KTRACE | BTFTRACE)
/* cgroup programs other than cgroup_skb (cgroup_current_func_proto) */
#define CGROUP (P(CGROUP_SOCK) | P(CGROUP_DEVICE) | P(CGROUP_SOCK_ADDR) | P(CGROUP_SYSCTL) | P(CGROUP_SOCKOPT))
/* The socket casts, bpf_sk_base_func_proto's users and the BTF-typed */
#define SKC_CAST (P(SOCKET_FILTER) | TC | P(XDP) | P(CGROUP_SKB) | LWT | P(SOCK_OPS) | P(SK_SKB) | P(SK_MSG) | \
		  P(CGROUP_SOCK_ADDR) | P(FLOW_DISSECTOR) | P(SK_LOOKUP) | BTFTRACE)
/* bpf_get_socket_cookie and bpf_get_netns_cookie on their context */
#define SOCK_CTX (P(SOCKET_FILTER) | TC | P(CGROUP_SKB) | P(CGROUP_SOCK) | P(SOCK_OPS) | P(CGROUP_SOCK_ADDR))
/* The socket lookups */
#define SK_LOOKUPS (TC | P(XDP) | P(CGROUP_SKB) | P(SK_SKB) | P(CGROUP_SOCK_ADDR))
/* bpf_sk_storage_get and _delete on a socket pointer (syscall programs
 * have a prototype the kernel then refuses: "helper call is not allowed
 * in probe") */
#define SK_STORAGE (TC | P(CGROUP_SKB) | P(SOCK_OPS) | P(SK_MSG) | P(CGROUP_SOCK_ADDR) | P(CGROUP_SOCKOPT) | P(TRACING) | P(LSM))

/* Privilege tiers and flags, in the order of the row's last fields */
#define NONE HCAP_NONE
#define CBPF HCAP_BPF
#define PERF HCAP_PERFMON
#define GPL true
#define PKT true
#define SLEEP true
#define NO false

/* Map types */
#define M_PERF MT(BPF_MAP_TYPE_PERF_EVENT_ARRAY)
#define M_RINGBUF MT(BPF_MAP_TYPE_RINGBUF)
#define M_CGARRAY MT(BPF_MAP_TYPE_CGROUP_ARRAY)
#define M_QUEUE_STACK (MT(BPF_MAP_TYPE_QUEUE) | MT(BPF_MAP_TYPE_STACK))
#define M_PERCPU (MT(BPF_MAP_TYPE_PERCPU_HASH) | MT(BPF_MAP_TYPE_PERCPU_ARRAY) | MT(BPF_MAP_TYPE_LRU_PERCPU_HASH))

/* Arguments that recur */
#define NOARGS A(0)
#define PROBE_READ A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING)
#define CTX_ONLY A(ARG_PTR_TO_CTX)
#define CTX_ANY A(ARG_PTR_TO_CTX, ARG_ANYTHING)
#define CTX_ANY2 A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING)
#define CTX_ANY3 A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING)
#define CTX_ANY4 A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING, ARG_ANYTHING)
#define SK_TUPLE A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_ANYTHING)
#define SKC_TO A(ARG_PTR_TO_BTF_ID_SOCK_COMMON)
#define SOCKOPT_SET(sk) A(sk, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE)
#define SOCKOPT_GET(sk) A(sk, ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE)
#define SYNCOOKIE A(ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_PTR_TO_MEM, ARG_CONST_SIZE)

#define F(name) BPF_FUNC_##name

/* { id, return, arguments, gpl_only, pkt_changing, program types, map
 *   types (0: any), privilege, might_sleep } */
static const struct helper_proto protos[] = {
	/* ---- Base helpers: every program type ---- */
	{ F(map_lookup_elem), RET_PTR_TO_MAP_VALUE_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY), NO, NO, ALL, 0, NONE, NO },
	{ F(map_update_elem), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING), NO, NO, ALL, 0, NONE, NO },
	{ F(map_delete_elem), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY), NO, NO, ALL, 0, NONE, NO },
	{ F(map_push_elem), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING), NO, NO, ALL, M_QUEUE_STACK | MT(BPF_MAP_TYPE_BLOOM_FILTER), NONE, NO },
	{ F(map_pop_elem), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_UNINIT_MAP_VALUE), NO, NO, ALL, M_QUEUE_STACK, NONE, NO },
	{ F(map_peek_elem), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_UNINIT_MAP_VALUE), NO, NO, ALL, M_QUEUE_STACK | MT(BPF_MAP_TYPE_BLOOM_FILTER), NONE, NO },
	{ F(map_lookup_percpu_elem), RET_PTR_TO_MAP_VALUE_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, ALL, M_PERCPU, NONE, NO },
	{ F(get_prandom_u32), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(get_smp_processor_id), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(get_numa_node_id), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(tail_call), RET_VOID, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, ALL, MT(BPF_MAP_TYPE_PROG_ARRAY), NONE, NO },
	{ F(ktime_get_ns), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(ktime_get_boot_ns), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(ktime_get_tai_ns), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(ringbuf_output), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), NO, NO, ALL, M_RINGBUF, NONE, NO },
	{ F(ringbuf_reserve), RET_PTR_TO_MEM_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE, ARG_ANYTHING), NO, NO, ALL, M_RINGBUF, NONE, NO },
	{ F(ringbuf_submit), RET_VOID, A(ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING), NO, NO, ALL, 0, NONE, NO },
	{ F(ringbuf_discard), RET_VOID, A(ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING), NO, NO, ALL, 0, NONE, NO },
	{ F(ringbuf_query), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, ALL, M_RINGBUF, NONE, NO },
	{ F(strncmp), RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_PTR_TO_CONST_STR), NO, NO, ALL, 0, NONE, NO },
	{ F(strtol), RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_LONG), NO, NO, ALL, 0, NONE, NO },
	{ F(strtoul), RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING, ARG_PTR_TO_LONG), NO, NO, ALL, 0, NONE, NO },
	{ F(get_current_pid_tgid), RET_INTEGER, NOARGS, NO, NO, ALL, 0, NONE, NO },
	{ F(get_ns_current_pid_tgid), RET_INTEGER, A(ARG_ANYTHING, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, ALL, 0, NONE, NO },
	/* CAP_BPF. The caller must hold the map value's lock: bpfscope
	 * neither tracks which lock is held nor knows where a value's lock
	 * is (the maps carry no BTF record of it), so it takes no pointer
	 * (see ARG_PTR_TO_SPIN_LOCK). */
	{ F(spin_lock), RET_VOID, A(ARG_PTR_TO_SPIN_LOCK), NO, NO, ALL, 0, CBPF, NO },
	{ F(spin_unlock), RET_VOID, A(ARG_PTR_TO_SPIN_LOCK), NO, NO, ALL, 0, CBPF, NO },
	{ F(jiffies64), RET_INTEGER, NOARGS, NO, NO, ALL, 0, CBPF, NO },
	{ F(get_current_cgroup_id), RET_INTEGER, NOARGS, NO, NO, ALL, 0, CBPF, NO },
	{ F(get_current_ancestor_cgroup_id), RET_INTEGER, A(ARG_ANYTHING), NO, NO, ALL, 0, CBPF, NO },
	/* base helpers in Linux 6.18 that CAP_BPF alone may call; whether an
	 * unprivileged loader may too is not settled here: CAP_BPF, the
	 * stricter reading */
	{ F(get_current_uid_gid), RET_INTEGER, NOARGS, NO, NO, ALL, 0, CBPF, NO },
	{ F(current_task_under_cgroup), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, ALL, M_CGARRAY, CBPF, NO },
	{ F(get_cgroup_classid), RET_INTEGER, CTX_ONLY, NO, NO, TC | LWT, 0, NONE, NO },
	{ F(get_cgroup_classid), RET_INTEGER, NOARGS, NO, NO, ALL & ~(TC | LWT), 0, CBPF, NO },
	/* CAP_PERFMON */
	{ F(trace_printk), RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE), GPL, NO, ALL, 0, PERF, NO },
	{ F(trace_vprintk), RET_INTEGER, A(ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO), GPL, NO, ALL, 0, PERF, NO },
	{ F(get_current_comm), RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, ALL, 0, PERF, NO },
	{ F(get_current_task), RET_INTEGER, NOARGS, GPL, NO, ALL, 0, PERF, NO },
	/* a trusted task_struct pointer: a scalar here (see the top) */
	{ F(get_current_task_btf), RET_INTEGER, NOARGS, GPL, NO, ALL, 0, PERF, NO },
	{ F(probe_read_user), RET_INTEGER, PROBE_READ, GPL, NO, ALL, 0, PERF, NO },
	{ F(probe_read_kernel), RET_INTEGER, PROBE_READ, GPL, NO, ALL, 0, PERF, NO },
	{ F(probe_read_user_str), RET_INTEGER, PROBE_READ, GPL, NO, ALL, 0, PERF, NO },
	{ F(probe_read_kernel_str), RET_INTEGER, PROBE_READ, GPL, NO, ALL, 0, PERF, NO },
	{ F(copy_from_user), RET_INTEGER, PROBE_READ, NO, NO, ALL, 0, PERF, SLEEP },
	{ F(snprintf_btf), RET_INTEGER, A(ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, ALL, 0, PERF, NO },
	{ F(perf_event_read), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), GPL, NO, ALL, M_PERF, PERF, NO },
	{ F(perf_event_read_value), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), GPL, NO, ALL, M_PERF, PERF, NO },
	{ F(send_signal), RET_INTEGER, A(ARG_ANYTHING), NO, NO, ALL, 0, PERF, NO },
	{ F(send_signal_thread), RET_INTEGER, A(ARG_ANYTHING), NO, NO, ALL, 0, PERF, NO },
	/* a task_struct in, a struct pt_regs out (see the top) */
	{ F(task_pt_regs), RET_INTEGER, A(ARG_PTR_TO_KERNEL_BTF), GPL, NO, ALL, 0, PERF, NO },
	{ F(task_storage_get), RET_PTR_TO_MAP_VALUE_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_KERNEL_BTF, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING),
	  NO, NO, ALL, MT(BPF_MAP_TYPE_TASK_STORAGE), CBPF, NO },
	{ F(task_storage_delete), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_KERNEL_BTF), NO, NO, ALL, MT(BPF_MAP_TYPE_TASK_STORAGE), CBPF, NO },

	/* ---- Tracing ---- */
	{ F(perf_event_output), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO), GPL, NO,
	  ALL & ~(P(SK_REUSEPORT) | P(FLOW_DISSECTOR) | PROG_BIT(PROG_TYPE_NETFILTER)), M_PERF, NONE, NO },
	{ F(probe_read), RET_INTEGER, PROBE_READ, GPL, NO, TRACE, 0, PERF, NO },
	{ F(probe_read_str), RET_INTEGER, PROBE_READ, GPL, NO, TRACE, 0, PERF, NO },
	{ F(get_stackid), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), GPL, NO, TRACE & ~P(PERF_EVENT), MT(BPF_MAP_TYPE_STACK_TRACE), PERF, NO },
	{ F(get_stackid), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, P(PERF_EVENT), MT(BPF_MAP_TYPE_STACK_TRACE), PERF, NO },
	{ F(get_stack), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), GPL, NO, TRACE, 0, PERF, NO },
	/* GPL-only but for multi-kprobes and multi-uprobes (an attach type) */
	{ F(get_func_ip), RET_INTEGER, CTX_ONLY, GPL, NO, TRACE, 0, PERF, NO },
	{ F(perf_prog_read_value), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), GPL, NO, P(PERF_EVENT), 0, PERF, NO },

	/* ---- Socket buffers ---- */
	{ F(skb_load_bytes), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO,
	  SKB_NET | P(SK_REUSEPORT) | P(FLOW_DISSECTOR), 0, NONE, NO },
	{ F(skb_load_bytes_relative), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO,
	  P(SOCKET_FILTER) | TC | P(CGROUP_SKB) | P(SK_REUSEPORT), 0, NONE, NO },
	{ F(get_socket_uid), RET_INTEGER, CTX_ONLY, NO, NO, P(SOCKET_FILTER) | TC | P(CGROUP_SKB) | P(SK_SKB), 0, NONE, NO },
	{ F(get_socket_cookie), RET_INTEGER, CTX_ONLY, NO, NO, SOCK_CTX | P(SK_SKB), 0, NONE, NO },
	{ F(get_socket_cookie), RET_INTEGER, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON_OR_NULL), NO, NO, P(SK_REUSEPORT) | BTFTRACE, 0, NONE, NO },
	{ F(get_netns_cookie), RET_INTEGER, A(ARG_PTR_TO_CTX_OR_NULL), NO, NO, SOCK_CTX | P(SK_MSG) | P(CGROUP_SOCKOPT), 0, NONE, NO },
	{ F(ktime_get_coarse_ns), RET_INTEGER, NOARGS, NO, NO,
	  SKB_NET | P(XDP) | P(CGROUP_SOCK) | P(SOCK_OPS) | P(SK_MSG) | P(CGROUP_SOCK_ADDR) | P(SK_REUSEPORT) |
	  P(FLOW_DISSECTOR) | P(CGROUP_SYSCTL) | P(SK_LOOKUP), 0, NONE, NO },
	{ F(skb_store_bytes), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, PKT,
	  TC | P(LWT_XMIT) | P(SK_SKB), 0, NONE, NO },
	{ F(skb_change_tail), RET_INTEGER, CTX_ANY2, NO, PKT, TC | P(LWT_XMIT) | P(SK_SKB), 0, NONE, NO },
	{ F(skb_change_head), RET_INTEGER, CTX_ANY2, NO, PKT, TC | P(LWT_XMIT) | P(SK_SKB), 0, NONE, NO },
	{ F(skb_pull_data), RET_INTEGER, CTX_ANY, NO, PKT, TC | LWT | P(SK_SKB), 0, NONE, NO },
	{ F(skb_adjust_room), RET_INTEGER, CTX_ANY3, NO, PKT, TC | P(SK_SKB), 0, NONE, NO },
	{ F(l3_csum_replace), RET_INTEGER, CTX_ANY4, NO, PKT, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(l4_csum_replace), RET_INTEGER, CTX_ANY4, NO, PKT, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(clone_redirect), RET_INTEGER, CTX_ANY2, NO, PKT, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(skb_get_tunnel_key), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(skb_set_tunnel_key), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(skb_get_tunnel_opt), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(skb_set_tunnel_opt), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE), NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(csum_update), RET_INTEGER, CTX_ANY, NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(csum_level), RET_INTEGER, CTX_ANY, NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(set_hash_invalid), RET_INTEGER, CTX_ONLY, NO, NO, TC | P(LWT_XMIT), 0, NONE, NO },
	{ F(csum_diff), RET_INTEGER, A(ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), NO, NO,
	  TC | P(XDP) | LWT, 0, NONE, NO },
	{ F(get_route_realm), RET_INTEGER, CTX_ONLY, NO, NO, TC | LWT, 0, NONE, NO },
	{ F(get_hash_recalc), RET_INTEGER, CTX_ONLY, NO, NO, TC | LWT, 0, NONE, NO },
	{ F(skb_under_cgroup), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, TC | LWT, M_CGARRAY, NONE, NO },
	{ F(redirect), RET_INTEGER, A(ARG_ANYTHING, ARG_ANYTHING), NO, NO, TC | P(XDP) | P(LWT_XMIT), 0, NONE, NO },
	{ F(lwt_push_encap), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE), NO, PKT, P(LWT_IN) | P(LWT_XMIT), 0, NONE, NO },
	{ F(skb_vlan_push), RET_INTEGER, CTX_ANY2, NO, PKT, TC, 0, NONE, NO },
	{ F(skb_vlan_pop), RET_INTEGER, CTX_ONLY, NO, PKT, TC, 0, NONE, NO },
	{ F(skb_change_proto), RET_INTEGER, CTX_ANY2, NO, PKT, TC, 0, NONE, NO },
	{ F(skb_change_type), RET_INTEGER, CTX_ANY, NO, NO, TC, 0, NONE, NO },
	{ F(set_hash), RET_INTEGER, CTX_ANY, NO, NO, TC, 0, NONE, NO },
	{ F(skb_get_xfrm_state), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, TC, 0, NONE, NO },
	{ F(redirect_neigh), RET_INTEGER, A(ARG_ANYTHING, ARG_PTR_TO_MEM_OR_NULL, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING), NO, NO, TC, 0, NONE, NO },
	{ F(redirect_peer), RET_INTEGER, A(ARG_ANYTHING, ARG_ANYTHING), NO, NO, TC, 0, NONE, NO },
	{ F(skb_cgroup_id), RET_INTEGER, CTX_ONLY, NO, NO, TC | P(CGROUP_SKB), 0, NONE, NO },
	{ F(skb_ancestor_cgroup_id), RET_INTEGER, CTX_ANY, NO, NO, TC | P(CGROUP_SKB), 0, NONE, NO },
	{ F(skb_ecn_set_ce), RET_INTEGER, CTX_ONLY, NO, NO, TC | P(CGROUP_SKB), 0, NONE, NO },
	{ F(fib_lookup), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), GPL, NO, TC | P(XDP), 0, NONE, NO },
	{ F(check_mtu), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_U32, ARG_ANYTHING, ARG_ANYTHING), GPL, NO, TC | P(XDP), 0, NONE, NO },
	{ F(skb_set_tstamp), RET_INTEGER, CTX_ANY2, NO, NO, TC, 0, NONE, NO },

	/* ---- Sockets ---- */
	{ F(sk_lookup_tcp), RET_PTR_TO_SOCKET_OR_NULL, SK_TUPLE, NO, NO, SK_LOOKUPS, 0, NONE, NO },
	{ F(sk_lookup_udp), RET_PTR_TO_SOCKET_OR_NULL, SK_TUPLE, NO, NO, SK_LOOKUPS, 0, NONE, NO },
	{ F(skc_lookup_tcp), RET_PTR_TO_SOCK_COMMON_OR_NULL, SK_TUPLE, NO, NO, SK_LOOKUPS, 0, NONE, NO },
	{ F(sk_release), RET_INTEGER, A(ARG_PTR_TO_BTF_ID_SOCK_COMMON), NO, NO, SK_LOOKUPS | P(SK_LOOKUP), 0, NONE, NO },
	{ F(sk_fullsock), RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), NO, NO, TC | P(CGROUP_SKB), 0, NONE, NO },
	{ F(get_listener_sock), RET_PTR_TO_SOCKET_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), NO, NO, TC | P(CGROUP_SKB), 0, NONE, NO },
	{ F(tcp_sock), RET_PTR_TO_TCP_SOCK_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), NO, NO, TC | P(CGROUP_SKB) | P(SOCK_OPS) | P(CGROUP_SOCKOPT), 0, NONE, NO },
	{ F(tcp_check_syncookie), RET_INTEGER, SYNCOOKIE, GPL, NO, TC | P(XDP), 0, NONE, NO },
	{ F(tcp_gen_syncookie), RET_INTEGER, SYNCOOKIE, GPL, NO, TC | P(XDP), 0, NONE, NO },
	{ F(skc_to_tcp6_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_tcp_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_tcp_timewait_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_tcp_request_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_udp6_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_unix_sock), RET_PTR_TO_BTF_ID_OR_NULL, SKC_TO, NO, NO, SKC_CAST, 0, PERF, NO },
	{ F(skc_to_mptcp_sock), RET_PTR_TO_BTF_ID_OR_NULL, A(ARG_PTR_TO_SOCK_COMMON), NO, NO, SKC_CAST, 0, PERF, NO },
	/* the socket is the context of a cgroup_sock program */
	{ F(sk_storage_get), RET_PTR_TO_MAP_VALUE_OR_NULL, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_CTX, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING), NO, NO,
	  P(CGROUP_SOCK), MT(BPF_MAP_TYPE_SK_STORAGE), NONE, NO },
	{ F(sk_storage_get), RET_PTR_TO_MAP_VALUE_OR_NULL,
	  A(ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING), NO, NO, SK_STORAGE,
	  MT(BPF_MAP_TYPE_SK_STORAGE), NONE, NO },
	{ F(sk_storage_delete), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_SOCK_COMMON), NO, NO, SK_STORAGE, MT(BPF_MAP_TYPE_SK_STORAGE), NONE, NO },
	{ F(get_local_storage), RET_PTR_TO_MAP_VALUE, A(ARG_CONST_MAP_PTR, ARG_ANYTHING), NO, NO, P(CGROUP_SKB) | P(SOCK_OPS) | CGROUP,
	  MT(BPF_MAP_TYPE_CGROUP_STORAGE) | MT(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE), NONE, NO },
	{ F(sk_assign), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_BTF_ID_SOCK_COMMON_OR_NULL, ARG_ANYTHING), NO, NO, TC | P(SK_LOOKUP), 0, NONE, NO },
	{ F(sk_select_reuseport), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, P(SK_REUSEPORT),
	  MT(BPF_MAP_TYPE_REUSEPORT_SOCKARRAY) | MT(BPF_MAP_TYPE_SOCKMAP) | MT(BPF_MAP_TYPE_SOCKHASH), NONE, NO },

	/* ---- Socket options, sock_ops, cgroup programs ---- */
	{ F(setsockopt), RET_INTEGER, SOCKOPT_SET(ARG_PTR_TO_CTX), NO, NO, P(SOCK_OPS) | P(CGROUP_SOCK_ADDR), 0, NONE, NO },
	{ F(setsockopt), RET_INTEGER, SOCKOPT_SET(ARG_PTR_TO_BTF_ID_SOCK_COMMON), NO, NO, P(CGROUP_SOCKOPT) | P(TRACING), 0, NONE, NO },
	{ F(getsockopt), RET_INTEGER, SOCKOPT_GET(ARG_PTR_TO_CTX), NO, NO, P(SOCK_OPS) | P(CGROUP_SOCK_ADDR), 0, NONE, NO },
	{ F(getsockopt), RET_INTEGER, SOCKOPT_GET(ARG_PTR_TO_BTF_ID_SOCK_COMMON), NO, NO, P(CGROUP_SOCKOPT) | P(TRACING), 0, NONE, NO },
	{ F(sock_ops_cb_flags_set), RET_INTEGER, CTX_ANY, NO, NO, P(SOCK_OPS), 0, NONE, NO },
	{ F(sock_map_update), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, P(SOCK_OPS),
	  MT(BPF_MAP_TYPE_SOCKMAP), NONE, NO },
	{ F(sock_hash_update), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, P(SOCK_OPS),
	  MT(BPF_MAP_TYPE_SOCKHASH), NONE, NO },
	{ F(load_hdr_opt), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, P(SOCK_OPS), 0, NONE, NO },
	{ F(store_hdr_opt), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, P(SOCK_OPS), 0, NONE, NO },
	{ F(reserve_hdr_opt), RET_INTEGER, CTX_ANY2, NO, NO, P(SOCK_OPS), 0, NONE, NO },
	{ F(bind), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE), NO, NO, P(CGROUP_SOCK_ADDR), 0, NONE, NO },
	{ F(sysctl_get_name), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE, ARG_ANYTHING), NO, NO, P(CGROUP_SYSCTL), 0, NONE, NO },
	{ F(sysctl_get_current_value), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, P(CGROUP_SYSCTL), 0, NONE, NO },
	{ F(sysctl_get_new_value), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, P(CGROUP_SYSCTL), 0, NONE, NO },
	{ F(sysctl_set_new_value), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_PTR_TO_MEM, ARG_CONST_SIZE), NO, NO, P(CGROUP_SYSCTL), 0, NONE, NO },
	{ F(get_retval), RET_INTEGER, NOARGS, NO, NO, CGROUP | P(LSM), 0, NONE, NO },
	{ F(set_retval), RET_INTEGER, A(ARG_ANYTHING), NO, NO, CGROUP | P(LSM), 0, NONE, NO },

	/* ---- sk_skb and sk_msg ---- */
	{ F(sk_redirect_map), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING), NO, NO, P(SK_SKB), MT(BPF_MAP_TYPE_SOCKMAP), NONE, NO },
	{ F(sk_redirect_hash), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, P(SK_SKB),
	  MT(BPF_MAP_TYPE_SOCKHASH), NONE, NO },
	{ F(msg_redirect_map), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING), NO, NO, P(SK_MSG), MT(BPF_MAP_TYPE_SOCKMAP), NONE, NO },
	{ F(msg_redirect_hash), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_ANYTHING), NO, NO, P(SK_MSG),
	  MT(BPF_MAP_TYPE_SOCKHASH), NONE, NO },
	{ F(msg_apply_bytes), RET_INTEGER, CTX_ANY, NO, NO, P(SK_MSG), 0, NONE, NO },
	{ F(msg_cork_bytes), RET_INTEGER, CTX_ANY, NO, NO, P(SK_MSG), 0, NONE, NO },
	{ F(msg_pull_data), RET_INTEGER, CTX_ANY3, NO, PKT, P(SK_MSG), 0, NONE, NO },
	{ F(msg_push_data), RET_INTEGER, CTX_ANY3, NO, PKT, P(SK_MSG), 0, NONE, NO },
	{ F(msg_pop_data), RET_INTEGER, CTX_ANY3, NO, PKT, P(SK_MSG), 0, NONE, NO },

	/* ---- XDP ---- */
	{ F(xdp_adjust_head), RET_INTEGER, CTX_ANY, NO, PKT, P(XDP), 0, NONE, NO },
	{ F(xdp_adjust_tail), RET_INTEGER, CTX_ANY, NO, PKT, P(XDP), 0, NONE, NO },
	/* some builds leave it out (Linux 6.18 as configured here refuses
	 * it): upstream's rule */
	{ F(xdp_adjust_meta), RET_INTEGER, CTX_ANY, NO, PKT, P(XDP), 0, NONE, NO },
	{ F(redirect_map), RET_INTEGER, A(ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_ANYTHING), NO, NO, P(XDP),
	  MT(BPF_MAP_TYPE_DEVMAP) | MT(BPF_MAP_TYPE_DEVMAP_HASH) | MT(BPF_MAP_TYPE_CPUMAP) | MT(BPF_MAP_TYPE_XSKMAP), NONE, NO },
	{ F(xdp_load_bytes), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE), NO, NO, P(XDP), 0, NONE, NO },
	{ F(xdp_store_bytes), RET_INTEGER, A(ARG_PTR_TO_CTX, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE), NO, NO, P(XDP), 0, NONE, NO },
	{ F(xdp_get_buff_len), RET_INTEGER, CTX_ONLY, NO, NO, P(XDP), 0, NONE, NO },
	/* tracing programs pass a struct xdp_buff (see the top) */
	{ F(xdp_get_buff_len), RET_INTEGER, A(ARG_PTR_TO_KERNEL_BTF), NO, NO, BTFTRACE, 0, NONE, NO },
};

/* Helpers that only some attach types of a program type may call: allowed
 * is a bit per enum bpf_attach_type (all below 64). */
struct attach_rule {
	int32_t id;
	uint32_t prog_type;
	uint64_t allowed;
};

#define AT(a) (1ull << (a))
#define AT_UNIX_RECVMSG 51 /* newer than some headers */
#define AT_UNIX_GETPEERNAME 52
#define AT_UNIX_GETSOCKNAME 53
/* sock_addr hooks that have no return value to read or set */
#define SA_NO_RETVAL                                                                                         \
	(AT(BPF_CGROUP_UDP4_RECVMSG) | AT(BPF_CGROUP_UDP6_RECVMSG) | AT(AT_UNIX_RECVMSG) |                    \
	 AT(BPF_CGROUP_INET4_GETPEERNAME) | AT(BPF_CGROUP_INET6_GETPEERNAME) | AT(AT_UNIX_GETPEERNAME) |      \
	 AT(BPF_CGROUP_INET4_GETSOCKNAME) | AT(BPF_CGROUP_INET6_GETSOCKNAME) | AT(AT_UNIX_GETSOCKNAME))

static const struct attach_rule attach_rules[] = {
	{ F(bind), BPF_PROG_TYPE_CGROUP_SOCK_ADDR, AT(BPF_CGROUP_INET4_CONNECT) | AT(BPF_CGROUP_INET6_CONNECT) },
	{ F(get_retval), BPF_PROG_TYPE_CGROUP_SOCK_ADDR, ~SA_NO_RETVAL },
	{ F(set_retval), BPF_PROG_TYPE_CGROUP_SOCK_ADDR, ~SA_NO_RETVAL },
	{ F(get_retval), BPF_PROG_TYPE_LSM, AT(BPF_LSM_CGROUP) },
	{ F(set_retval), BPF_PROG_TYPE_LSM, AT(BPF_LSM_CGROUP) },
	{ F(setsockopt), BPF_PROG_TYPE_CGROUP_SOCKOPT, AT(BPF_CGROUP_SETSOCKOPT) },
	{ F(getsockopt), BPF_PROG_TYPE_CGROUP_SOCKOPT, AT(BPF_CGROUP_SETSOCKOPT) },
	/* iterators over sockets (iter/tcp); the iterator's target is not
	 * known here, so every iterator may */
	{ F(setsockopt), BPF_PROG_TYPE_TRACING, AT(BPF_TRACE_ITER) },
	{ F(getsockopt), BPF_PROG_TYPE_TRACING, AT(BPF_TRACE_ITER) },
};

const struct helper_proto *helper_proto(int32_t id)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].id == id)
			return &protos[i];
	return NULL;
}

const struct helper_proto *helper_proto_for(int32_t id, uint32_t prog_type)
{
	if (prog_type >= 64)
		return NULL;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].id == id && (protos[i].progs & PROG_BIT(prog_type)))
			return &protos[i];
	return NULL;
}

static bool attach_allows(int32_t id, const struct bpfs_verifier_opts *o)
{
	if (!o->attach_type_known)
		return true;
	for (size_t i = 0; i < sizeof(attach_rules) / sizeof(attach_rules[0]); i++) {
		const struct attach_rule *r = &attach_rules[i];

		if (r->id == id && r->prog_type == o->prog_type)
			return o->expected_attach_type < 64 && (r->allowed & AT(o->expected_attach_type));
	}
	return true;
}

bool helper_allowed(const struct helper_proto *fn, const struct bpfs_verifier_opts *o)
{
	if (o->unpriv && fn->cap != HCAP_NONE)
		return false;
	return attach_allows(fn->id, o);
}
