/* SPDX-License-Identifier: MIT */
/*
 * Context layouts per program type: which loads and stores through the
 * context pointer are allowed, which of them yield packet or socket
 * pointers, and the range the return value must lie in.
 *
 * Source: the is_valid_access callbacks of the Linux kernel
 * (net/core/filter.c: sk_filter_, tc_cls_act_, xdp_, cg_skb_, lwt_,
 * sk_skb_, sk_msg_, flow_dissector_, sock_filter_, sock_addr_, sock_ops_,
 * sk_reuseport_, sk_lookup_ ..._is_valid_access and
 * bpf_skb_is_valid_access; kernel/bpf/cgroup.c: cgroup_dev_, sysctl_,
 * cg_sockopt_is_valid_access; kernel/trace/bpf_trace.c: kprobe_, tp_,
 * raw_tp_, pe_prog_is_valid_access), the convert_ctx_access callbacks
 * beside them for the field sizes, and check_return_code in
 * kernel/bpf/verifier.c, for x86-64 (struct pt_regs is 168 bytes).
 * Layouts are those of the uapi structs.
 *
 * Some fields depend on the program's expected attach type (a cgroup
 * socket hook's fields, a sock_addr hook's addresses, the sockopt fields
 * a getsockopt or setsockopt hook may write, a devmap program's egress
 * interface). When the options give none, an access is allowed when some
 * attach type of the program type allows it, and the return value may
 * take any value some attach type allows.
 *
 * Also the views of sockets that socket pointers load through: struct
 * bpf_sock (bpf_sock_is_valid_access, bpf_sock_common_is_valid_access)
 * and struct bpf_tcp_sock (bpf_tcp_sock_is_valid_access).
 *
 * Not modelled: the contexts typed by the kernel's BTF (tracing, LSM,
 * struct_ops, freplace). bpfscope does not read the kernel's BTF, so it
 * cannot know a traced function's argument count or types: tracing
 * programs read the twelve argument slots a raw tracepoint may, the others
 * have no context access. Netfilter's two context pointers are kernel
 * structs, which cannot be read through for the same reason.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "verifier_int.h"

#define PT_REGS_SIZE 168
#define SKB_SIZE ((int)sizeof(struct __sk_buff))
#define XDP_MD_SIZE ((int)sizeof(struct xdp_md))

#define OFF(f) ((int)offsetof(struct __sk_buff, f))
#define END(f) ((int)(offsetof(struct __sk_buff, f) + sizeof(((struct __sk_buff *)0)->f)))

/* [off, off + size) lies within field [lo, hi) */
static bool in_field(int off, int size, int lo, int hi)
{
	return off >= lo && off + size <= hi;
}

static bool touches(int off, int size, int lo, int hi)
{
	return off < hi && off + size > lo;
}

/* The attach type the kernel verifies the program with: the loader's, with
 * the defaults bpf_prog_load_fixup_attach_type gives two program types
 * that older loaders leave at 0. */
static uint32_t attach_of(const struct bpfs_verifier_opts *o)
{
	if (o->expected_attach_type == 0 && o->prog_type == BPF_PROG_TYPE_CGROUP_SOCK)
		return BPF_CGROUP_INET_SOCK_CREATE;
	if (o->expected_attach_type == 0 && o->prog_type == BPF_PROG_TYPE_SK_REUSEPORT)
		return BPF_SK_REUSEPORT_SELECT;
	return o->expected_attach_type;
}

/* The program may be attached at a: it is, or its attach type is unknown */
static bool attach_may_be(const struct bpfs_verifier_opts *o, uint32_t a)
{
	return !o->attach_type_known || attach_of(o) == a;
}

/* bpf_skb_is_valid_access: the checks common to every __sk_buff user */
static bool skb_common_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (off < 0 || off >= SKB_SIZE || off % size)
		return false;
	if (touches(off, size, OFF(cb), END(cb)))
		return in_field(off, size, OFF(cb), END(cb));
	if (touches(off, size, OFF(remote_ip6), END(local_ip6)) || touches(off, size, OFF(remote_ip4), END(local_ip4)) ||
	    touches(off, size, OFF(data), END(data)) || touches(off, size, OFF(data_meta), END(data_meta)) ||
	    touches(off, size, OFF(data_end), END(data_end)))
		return size == 4;
	if (touches(off, size, OFF(flow_keys), OFF(flow_keys) + 8))
		return false;
	if (touches(off, size, OFF(hwtstamp), OFF(hwtstamp) + 8))
		return !is_write && size == 8;
	if (touches(off, size, OFF(tstamp), OFF(tstamp) + 8))
		return size == 8;
	if (touches(off, size, OFF(sk), OFF(sk) + 8)) {
		if (is_write || size != 8)
			return false;
		res->reg_type = PTR_TO_SOCK_COMMON_OR_NULL;
		return true;
	}
	if (touches(off, size, OFF(tstamp_type), OFF(hwtstamp)))
		return false;
	/* Other fields are 4 bytes: narrow reads, full writes */
	if (is_write)
		return size == 4;
	return size <= 4;
}

static bool skb_field_writable_tc(int off)
{
	return off == OFF(mark) || off == OFF(tc_index) || off == OFF(priority) ||
	       (off >= OFF(cb) && off < END(cb)) || off == OFF(tc_classid) || off == OFF(tstamp) ||
	       off == OFF(queue_mapping);
}

static void skb_pkt_fields(int off, struct ctx_access *res)
{
	if (off == OFF(data))
		res->reg_type = PTR_TO_PACKET;
	else if (off == OFF(data_end))
		res->reg_type = PTR_TO_PACKET_END;
	else if (off == OFF(data_meta))
		res->reg_type = PTR_TO_PACKET_META;
}

static bool socket_filter_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (touches(off, size, OFF(tc_classid), END(tc_classid)) || touches(off, size, OFF(data), END(data)) ||
	    touches(off, size, OFF(data_meta), END(data_meta)) || touches(off, size, OFF(data_end), END(data_end)) ||
	    touches(off, size, OFF(family), END(local_port)) || touches(off, size, OFF(tstamp), OFF(tstamp) + 8) ||
	    touches(off, size, OFF(wire_len), END(wire_len)) || touches(off, size, OFF(hwtstamp), OFF(hwtstamp) + 8))
		return false;
	if (is_write && !(off >= OFF(cb) && off < END(cb)))
		return false;
	return skb_common_ok(off, size, is_write, res);
}

static bool tc_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write && !skb_field_writable_tc(off))
		return false;
	if (touches(off, size, OFF(family), END(local_port)))
		return false;
	/* read as the byte it is; the other program types see padding */
	if (off == OFF(tstamp_type))
		return size == 1;
	if (!skb_common_ok(off, size, is_write, res))
		return false;
	skb_pkt_fields(off, res);
	return true;
}

static bool cg_skb_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (touches(off, size, OFF(tc_classid), END(tc_classid)) || touches(off, size, OFF(data_meta), END(data_meta)) ||
	    touches(off, size, OFF(wire_len), END(wire_len)))
		return false;
	if (is_write && !(off == OFF(mark) || off == OFF(priority) || (off >= OFF(cb) && off < END(cb)) ||
			  off == OFF(tstamp)))
		return false;
	if (!skb_common_ok(off, size, is_write, res))
		return false;
	skb_pkt_fields(off, res);
	return true;
}

static bool lwt_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (touches(off, size, OFF(tc_classid), END(tc_classid)) || touches(off, size, OFF(family), END(local_port)) ||
	    touches(off, size, OFF(data_meta), END(data_meta)) || touches(off, size, OFF(tstamp), OFF(tstamp) + 8) ||
	    touches(off, size, OFF(wire_len), END(wire_len)) || touches(off, size, OFF(hwtstamp), OFF(hwtstamp) + 8))
		return false;
	if (is_write && !(off == OFF(mark) || off == OFF(priority) || (off >= OFF(cb) && off < END(cb))))
		return false;
	if (!skb_common_ok(off, size, is_write, res))
		return false;
	skb_pkt_fields(off, res);
	return true;
}

static bool sk_skb_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (touches(off, size, OFF(tc_classid), END(tc_classid)) || touches(off, size, OFF(data_meta), END(data_meta)) ||
	    touches(off, size, OFF(tstamp), OFF(tstamp) + 8) || touches(off, size, OFF(wire_len), END(wire_len)) ||
	    touches(off, size, OFF(hwtstamp), OFF(hwtstamp) + 8) || touches(off, size, OFF(mark), END(mark)))
		return false;
	if (is_write && off != OFF(tc_index) && off != OFF(priority))
		return false;
	if (!skb_common_ok(off, size, is_write, res))
		return false;
	skb_pkt_fields(off, res);
	if (res->reg_type == PTR_TO_PACKET_META)
		return false;
	return true;
}

/* struct sk_msg_md: data and data_end pointers, then 4-byte fields, then sk */
static bool sk_msg_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write || off < 0 || off >= 80 || off % size)
		return false;
	if (off < 16 || off >= 72) { /* the pointers, read whole */
		if (size != 8)
			return false;
		res->reg_type = off == 0 ? PTR_TO_PACKET : off == 8 ? PTR_TO_PACKET_END : PTR_TO_SOCKET;
		return true;
	}
	return size == 4;
}

/* A flow dissector's __sk_buff (flow_dissector_is_valid_access):
 * read-only, only the packet's bounds (u32 fields) and flow_keys, a
 * pointer to the struct bpf_flow_keys the program fills in */
static bool flow_dissector_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write)
		return false;
	if (off == OFF(data) || off == OFF(data_end)) {
		res->reg_type = off == OFF(data) ? PTR_TO_PACKET : PTR_TO_PACKET_END;
		return size == 4;
	}
	if (off == OFF(flow_keys)) {
		res->reg_type = PTR_TO_FLOW_KEYS;
		return size == 8;
	}
	return false;
}

/* A netfilter hook's struct bpf_nf_ctx (nf_is_valid_access): read-only,
 * two pointers to kernel structs, the hook state and the packet's
 * sk_buff, read whole */
#define PROG_TYPE_NETFILTER 32 /* newer than some headers */

static bool netfilter_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write || (off != 0 && off != 8) || size != 8)
		return false;
	res->reg_type = PTR_TO_BTF_ID;
	return true;
}

/* check_flow_keys_access: within the struct, at every offset the
 * pointer's variable part allows */
bool flow_keys_access_ok(int64_t off_min, int64_t off_max, int size)
{
	return size > 0 && off_min >= 0 && off_max + size <= (int64_t)sizeof(struct bpf_flow_keys);
}

static bool xdp_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write)
		return false;
	if (off < 0 || off >= XDP_MD_SIZE || off % size || size != 4)
		return false;
	if (off == (int)offsetof(struct xdp_md, egress_ifindex) && !attach_may_be(o, BPF_XDP_DEVMAP))
		return false; /* only for programs run by a devmap */
	if (off == (int)offsetof(struct xdp_md, data))
		res->reg_type = PTR_TO_PACKET;
	else if (off == (int)offsetof(struct xdp_md, data_end))
		res->reg_type = PTR_TO_PACKET_END;
	else if (off == (int)offsetof(struct xdp_md, data_meta))
		res->reg_type = PTR_TO_PACKET_META;
	return true;
}

/* A narrow load of a field of `def` bytes: 1, 2 or 4 bytes at the field's
 * start (the kernel's bpf_ctx_narrow_access_ok) */
static bool narrow_ok(int size, int def)
{
	return size <= def && !(size & (size - 1));
}

#define SK_OFF(f) ((int)offsetof(struct bpf_sock, f))
#define SK_END(f) ((int)(offsetof(struct bpf_sock, f) + sizeof(((struct bpf_sock *)0)->f)))

/* struct bpf_sock (bpf_sock_is_valid_access): the family, type, protocol,
 * src_port, state and rx_queue_mapping fields and every byte of the
 * addresses allow narrow loads; dst_port is a 2-byte field (4-byte loads
 * are kept for old programs) followed by 2 bytes of padding; the other
 * fields are read whole. */
static bool bpf_sock_ok(int off, int size)
{
	if (off < 0 || off >= (int)sizeof(struct bpf_sock) || off % size)
		return false;
	if (off == SK_OFF(state) || off == SK_OFF(family) || off == SK_OFF(type) || off == SK_OFF(protocol) ||
	    off == SK_OFF(src_port) || off == SK_OFF(rx_queue_mapping) ||
	    (off >= SK_OFF(src_ip4) && off < SK_END(src_ip4)) || (off >= SK_OFF(src_ip6) && off < SK_END(src_ip6)) ||
	    (off >= SK_OFF(dst_ip4) && off < SK_END(dst_ip4)) || (off >= SK_OFF(dst_ip6) && off < SK_END(dst_ip6)))
		return narrow_ok(size, 4);
	if (off >= SK_OFF(dst_port) && off < SK_END(dst_port))
		return narrow_ok(size, size == 4 ? 4 : 2);
	if (off >= SK_END(dst_port) && off < SK_OFF(dst_ip4))
		return false;
	return size == 4;
}

/* A sock_common (skb->sk, skc lookups) lacks the fields a full socket
 * adds: type to priority (bpf_sock_common_is_valid_access) */
bool bpf_sock_access_ok(int off, int size, bool sock_common)
{
	if (sock_common && off >= SK_OFF(type) && off < SK_END(priority))
		return false;
	return bpf_sock_ok(off, size);
}

/* struct bpf_tcp_sock (bpf_tcp_sock_is_valid_access): read whole, the
 * two byte counters 8 bytes, the rest 4 */
bool bpf_tcp_sock_access_ok(int off, int size)
{
	const int end = (int)(offsetof(struct bpf_tcp_sock, icsk_retransmits) + sizeof(uint32_t));

	if (off < 0 || off >= end || off % size)
		return false;
	if (off == (int)offsetof(struct bpf_tcp_sock, bytes_received) ||
	    off == (int)offsetof(struct bpf_tcp_sock, bytes_acked))
		return size == 8;
	return size == 4;
}

/* Read-only contexts of a given size with naturally aligned loads */
static bool ro_aligned_ok(int off, int size, bool is_write, int limit)
{
	return !is_write && off >= 0 && off < limit && !(off % size) && off + size <= limit;
}

static bool perf_event_ok(int off, int size, bool is_write)
{
	if (!ro_aligned_ok(off, size, is_write, PT_REGS_SIZE + 16))
		return false;
	if (off >= PT_REGS_SIZE)
		return true; /* sample_period, addr: narrow reads allowed */
	return size == 8;
}

#define SOPS(f) ((int)offsetof(struct bpf_sock_ops, f))
/* skb_hwtstamp, the last field, follows skb_tcp_flags (older uapi headers
 * lack it) */
#define SOPS_HWTSTAMP (SOPS(skb_tcp_flags) + 4)
#define SOPS_SIZE (SOPS_HWTSTAMP + 8)

/* struct bpf_sock_ops (sock_ops_is_valid_access): only reply and
 * sk_txhash are written; the byte counters, skb_hwtstamp and the three
 * pointers (the socket, maybe NULL, and the skb's data and end) are read
 * whole as u64, skb_tcp_flags also narrowly, every other field as a u32 */
static bool sock_ops_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (off < 0 || off >= SOPS_SIZE || off % size)
		return false;
	if (is_write)
		return size == 4 && (off == SOPS(reply) || off == SOPS(sk_txhash));
	if (off >= SOPS(bytes_received) && off < SOPS(bytes_acked) + 8)
		return size == 8;
	if (touches(off, size, SOPS(sk), SOPS(sk) + 8) || touches(off, size, SOPS(skb_data), SOPS(skb_data) + 8) ||
	    touches(off, size, SOPS(skb_data_end), SOPS(skb_data_end) + 8)) {
		if (size != 8)
			return false;
		res->reg_type = off == SOPS(sk)	      ? PTR_TO_SOCKET_OR_NULL
				: off == SOPS(skb_data) ? PTR_TO_PACKET
							: PTR_TO_PACKET_END;
		return true;
	}
	if (off == SOPS(skb_tcp_flags))
		return size <= 4 && !(size & (size - 1));
	if (touches(off, size, SOPS_HWTSTAMP, SOPS_HWTSTAMP + 8))
		return size == 8;
	return size == 4;
}

/* A cgroup_sock program sees a struct bpf_sock; its attach type decides
 * the rest (__sock_filter_check_attach_type): socket creation and release
 * read and write bound_dev_if, mark and priority, which the post-bind
 * hooks cannot touch; those read the source port, and the source address
 * of their family; every other field is read-only. */
static bool cg_sock_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write)
{
	bool v4 = attach_may_be(o, BPF_CGROUP_INET4_POST_BIND), v6 = attach_may_be(o, BPF_CGROUP_INET6_POST_BIND);

	if (!bpf_sock_ok(off, size))
		return false;
	if (off == SK_OFF(bound_dev_if) || off == SK_OFF(mark) || off == SK_OFF(priority))
		return attach_may_be(o, BPF_CGROUP_INET_SOCK_CREATE) || attach_may_be(o, BPF_CGROUP_INET_SOCK_RELEASE);
	if (is_write)
		return false;
	if (off >= SK_OFF(src_ip4) && off < SK_END(src_ip4))
		return v4;
	if (off >= SK_OFF(src_ip6) && off < SK_END(src_ip6))
		return v6;
	if (off >= SK_OFF(src_port) && off < SK_END(src_port))
		return v4 || v6;
	return true;
}

#define SA_OFF(f) ((int)offsetof(struct bpf_sock_addr, f))
#define SA_END(f) ((int)(offsetof(struct bpf_sock_addr, f) + sizeof(((struct bpf_sock_addr *)0)->f)))

/* An aligned u64 within an IPv6 address (bpf_ctx_wide_access_ok) */
static bool wide_ok(int off, int size, int lo, int hi)
{
	return size == 8 && off >= lo && off + 8 <= hi && !(off % 8);
}

/* Which sock_addr hooks see an address of each kind: the user address of
 * their family, and the source address of a sendmsg */
static bool sock_addr_field_attached(const struct bpfs_verifier_opts *o, int off)
{
	static const uint32_t user4[] = { BPF_CGROUP_INET4_BIND,	BPF_CGROUP_INET4_CONNECT,
					  BPF_CGROUP_INET4_GETPEERNAME, BPF_CGROUP_INET4_GETSOCKNAME,
					  BPF_CGROUP_UDP4_SENDMSG,	BPF_CGROUP_UDP4_RECVMSG };
	static const uint32_t user6[] = { BPF_CGROUP_INET6_BIND,	BPF_CGROUP_INET6_CONNECT,
					  BPF_CGROUP_INET6_GETPEERNAME, BPF_CGROUP_INET6_GETSOCKNAME,
					  BPF_CGROUP_UDP6_SENDMSG,	BPF_CGROUP_UDP6_RECVMSG };
	const uint32_t *set;
	size_t n;

	if (!o->attach_type_known)
		return true;
	if (off >= SA_OFF(user_ip4) && off < SA_END(user_ip4))
		set = user4, n = sizeof(user4) / sizeof(user4[0]);
	else if (off >= SA_OFF(user_ip6) && off < SA_END(user_ip6))
		set = user6, n = sizeof(user6) / sizeof(user6[0]);
	else if (off >= SA_OFF(msg_src_ip4) && off < SA_END(msg_src_ip4))
		return attach_of(o) == BPF_CGROUP_UDP4_SENDMSG;
	else if (off >= SA_OFF(msg_src_ip6) && off < SA_END(msg_src_ip6))
		return attach_of(o) == BPF_CGROUP_UDP6_SENDMSG;
	else
		return true;
	for (size_t i = 0; i < n; i++)
		if (attach_of(o) == set[i])
			return true;
	return false;
}

/* struct bpf_sock_addr (sock_addr_is_valid_access): the addresses and
 * the port are read (narrowly too) and written as u32, the IPv6 ones also
 * as aligned u64; an address only by the hooks that have one of its kind;
 * sk is a socket; the other fields are read as u32. */
static bool sock_addr_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write, struct ctx_access *res)
{
	if (off < 0 || off >= (int)sizeof(struct bpf_sock_addr) || off % size)
		return false;
	if (!sock_addr_field_attached(o, off))
		return false;
	if ((off >= SA_OFF(user_ip4) && off < SA_END(user_port)) ||
	    (off >= SA_OFF(msg_src_ip4) && off < SA_END(msg_src_ip6))) {
		if (wide_ok(off, size, SA_OFF(user_ip6), SA_END(user_ip6)) ||
		    wide_ok(off, size, SA_OFF(msg_src_ip6), SA_END(msg_src_ip6)))
			return true;
		return is_write ? size == 4 : size <= 4 && !(size & (size - 1));
	}
	if (touches(off, size, SA_OFF(sk), SA_OFF(sk) + 8)) {
		if (is_write || size != 8)
			return false;
		res->reg_type = PTR_TO_SOCKET;
		return true;
	}
	if (off >= SA_END(msg_src_ip6) && off < SA_OFF(sk))
		return false; /* padding */
	return !is_write && size == 4;
}

#define SO_OFF(f) ((int)offsetof(struct bpf_sockopt, f))

/* struct bpf_sockopt (cg_sockopt_is_valid_access): sk is a socket, optval
 * and optval_end bound the option's buffer as a packet does (read and
 * written directly); the s32 fields are read whole; optlen is written by
 * both hooks, level and optname by setsockopt, retval read and written by
 * getsockopt only. */
static bool sockopt_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write, struct ctx_access *res)
{
	bool get = attach_may_be(o, BPF_CGROUP_GETSOCKOPT), set = attach_may_be(o, BPF_CGROUP_SETSOCKOPT);

	if (off < 0 || off >= (int)sizeof(struct bpf_sockopt) || off % size)
		return false;
	if (off < SO_OFF(level)) { /* the pointers, read whole */
		if (is_write || size != 8)
			return false;
		res->reg_type = off == SO_OFF(sk) ? PTR_TO_SOCKET : off == SO_OFF(optval) ? PTR_TO_PACKET : PTR_TO_PACKET_END;
		return true;
	}
	if (size != 4)
		return false;
	if (off == SO_OFF(retval))
		return get;
	if (!is_write || off == SO_OFF(optlen))
		return true;
	return (off == SO_OFF(level) || off == SO_OFF(optname)) && set;
}

/* struct bpf_sysctl (sysctl_is_valid_access): write is read-only, file_pos
 * read and written; both read narrowly too, written whole */
static bool sysctl_ok(int off, int size, bool is_write)
{
	if (off < 0 || off + size > (int)sizeof(struct bpf_sysctl) || off % size)
		return false;
	if (off >= (int)offsetof(struct bpf_sysctl, write) && off < (int)offsetof(struct bpf_sysctl, file_pos)) {
		if (is_write)
			return false;
		return narrow_ok(size, 4);
	}
	return is_write ? size == 4 : narrow_ok(size, 4);
}

/* struct bpf_cgroup_dev_ctx (cgroup_dev_is_valid_access): read-only;
 * access_type narrowly too, major and minor whole */
static bool cgroup_dev_ok(int off, int size, bool is_write)
{
	if (is_write || off < 0 || off + size > (int)sizeof(struct bpf_cgroup_dev_ctx) || off % size)
		return false;
	if (off < (int)offsetof(struct bpf_cgroup_dev_ctx, major))
		return narrow_ok(size, 4);
	return size == 4;
}

#define RP_OFF(f) ((int)offsetof(struct sk_reuseport_md, f))
#define RP_END(f) ((int)(offsetof(struct sk_reuseport_md, f) + sizeof(((struct sk_reuseport_md *)0)->f)))

/* struct sk_reuseport_md (sk_reuseport_is_valid_access): read-only; data
 * and data_end bound the packet from its transport header, sk is the
 * listening socket, migrating_sk the socket being migrated if any (a
 * request or full socket); hash is read whole, len, ip_protocol and
 * bind_inany also narrowly, eth_protocol (an skb's 2-byte protocol) as
 * 2 or 4 bytes. */
static bool sk_reuseport_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write || off < 0 || off >= (int)sizeof(struct sk_reuseport_md) || off % size)
		return false;
	if (off == RP_OFF(data) || off == RP_OFF(data_end) || off == RP_OFF(sk) || off == RP_OFF(migrating_sk)) {
		res->reg_type = off == RP_OFF(data)	    ? PTR_TO_PACKET
				: off == RP_OFF(data_end) ? PTR_TO_PACKET_END
				: off == RP_OFF(sk)	    ? PTR_TO_SOCKET
							    : PTR_TO_SOCK_COMMON_OR_NULL;
		return size == 8;
	}
	if (off == RP_OFF(hash))
		return size == 4;
	if (off >= RP_OFF(eth_protocol) && off < RP_END(eth_protocol))
		return size >= 2 && narrow_ok(size, 4);
	if (off >= RP_OFF(len) && off < RP_END(bind_inany))
		return narrow_ok(size, 4);
	return false;
}

#define SKL_OFF(f) ((int)offsetof(struct bpf_sk_lookup, f))
#define SKL_END(f) ((int)(offsetof(struct bpf_sk_lookup, f) + sizeof(((struct bpf_sk_lookup *)0)->f)))

/* struct bpf_sk_lookup (sk_lookup_is_valid_access): read-only; sk is a
 * socket or NULL; the u32 fields and every byte of the addresses read
 * narrowly too; remote_port is a 2-byte field (4-byte loads kept for old
 * programs) followed by 2 bytes of zero padding, also readable */
static bool sk_lookup_ok(int off, int size, bool is_write, struct ctx_access *res)
{
	if (is_write || off < 0 || off >= (int)sizeof(struct bpf_sk_lookup) || off % size)
		return false;
	if (off == SKL_OFF(sk)) {
		res->reg_type = PTR_TO_SOCKET_OR_NULL;
		return size == 8;
	}
	if (off >= SKL_OFF(remote_port) && off < SKL_END(remote_port))
		return size == 4 || (size <= 2 && !(size & (size - 1)));
	if (off >= SKL_END(remote_port) && off < SKL_OFF(local_ip4))
		return size <= 2 && !(size & (size - 1));
	if (off >= SKL_OFF(family) && off < SKL_END(ingress_ifindex))
		return size <= 4 && !(size & (size - 1));
	return false;
}

bool ctx_access_ok(const struct bpfs_verifier_opts *o, int off, int size, bool is_write, struct ctx_access *res)
{
	res->reg_type = SCALAR_VALUE;
	if (size <= 0)
		return false;
	switch (o->prog_type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return socket_filter_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
		return tc_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_CGROUP_SKB:
		return cg_skb_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
		return lwt_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_XDP:
		return xdp_ok(o, off, size, is_write, res);
	case BPF_PROG_TYPE_SK_SKB:
		return sk_skb_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_SK_MSG:
		return sk_msg_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_KPROBE:
		return ro_aligned_ok(off, size, is_write, PT_REGS_SIZE);
	case BPF_PROG_TYPE_TRACEPOINT:
		/* the first 8 bytes (common fields) are not readable; nor are
		 * the bytes before the record, which the kernel's check, by
		 * comparing a negative offset as unsigned, lets through */
		return off >= 8 && ro_aligned_ok(off, size, is_write, 8192);
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_TRACING:
		return ro_aligned_ok(off, size, is_write, 8 * 12);
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
		/* the first argument is the buffer the program may write */
		if (off == 0) {
			res->reg_type = PTR_TO_TP_BUFFER;
			return !is_write && size == 8;
		}
		return ro_aligned_ok(off, size, is_write, 8 * 12);
	case BPF_PROG_TYPE_PERF_EVENT:
		return perf_event_ok(off, size, is_write);
	case BPF_PROG_TYPE_SOCK_OPS:
		return sock_ops_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_CGROUP_SOCK:
		return cg_sock_ok(o, off, size, is_write);
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		return sock_addr_ok(o, off, size, is_write, res);
	case BPF_PROG_TYPE_SK_LOOKUP:
		return sk_lookup_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return sockopt_ok(o, off, size, is_write, res);
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
		return sysctl_ok(off, size, is_write);
	case BPF_PROG_TYPE_CGROUP_DEVICE:
		return cgroup_dev_ok(off, size, is_write);
	case BPF_PROG_TYPE_SK_REUSEPORT:
		return sk_reuseport_ok(off, size, is_write, res);
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return flow_dissector_ok(off, size, is_write, res);
	case PROG_TYPE_NETFILTER:
		return netfilter_ok(off, size, is_write, res);
	default:
		return false;
	}
}

/* check_return_code: the range by attach type where it depends on it */
static void cg_retval_range(const struct bpfs_verifier_opts *o, int32_t *lo, int32_t *hi)
{
	uint32_t a = attach_of(o);

	*lo = 0;
	*hi = 1;
	switch (o->prog_type) {
	case BPF_PROG_TYPE_CGROUP_SKB:
		/* egress may also ask for congestion notification */
		if (attach_may_be(o, BPF_CGROUP_INET_EGRESS))
			*hi = 3;
		break;
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		if (!o->attach_type_known) {
			*hi = 3;
		} else if (a == BPF_CGROUP_INET4_BIND || a == BPF_CGROUP_INET6_BIND) {
			*hi = 3; /* and whether to skip the port capability check */
		} else if (a == BPF_CGROUP_UDP4_RECVMSG || a == BPF_CGROUP_UDP6_RECVMSG ||
			   a == BPF_CGROUP_INET4_GETPEERNAME || a == BPF_CGROUP_INET6_GETPEERNAME ||
			   a == BPF_CGROUP_INET4_GETSOCKNAME || a == BPF_CGROUP_INET6_GETSOCKNAME ||
			   (a >= 51 && a <= 53)) { /* the unix recvmsg, getpeername, getsockname hooks */
			*lo = 1; /* these cannot refuse */
		}
		break;
	default:
		break;
	}
}

bool prog_retval_range(const struct bpfs_verifier_opts *o, int32_t *lo, int32_t *hi)
{
	switch (o->prog_type) {
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_SK_LOOKUP:
	case PROG_TYPE_NETFILTER: /* drop or accept */
		cg_retval_range(o, lo, hi);
		return true;
	default:
		return false;
	}
}

static uint8_t access_kind(enum reg_type t)
{
	switch (t) {
	case SCALAR_VALUE:
		return BPFS_CTX_FIELD;
	case PTR_TO_PACKET:
		return BPFS_CTX_PKT;
	case PTR_TO_PACKET_END:
		return BPFS_CTX_PKT_END;
	case PTR_TO_PACKET_META:
		return BPFS_CTX_PKT_META;
	default:
		return BPFS_CTX_POINTER;
	}
}

/* Every load and store whose base register the walk saw holding the
 * context (the kernel's insn_aux ptr_type, which the walk keeps the same
 * on every path) reads or writes the field the rules above name; the
 * access passed them on every path, so asking again gives its kind. */
int ctx_export_accesses(const struct venv *env, struct bpfs_verdict *out)
{
	uint8_t *a = calloc(env->cnt ? env->cnt : 1, 1);

	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < env->cnt; i++) {
		const struct bpf_insn *in = &env->insns[i];
		uint8_t cls = BPF_CLASS(in->code);
		static const int bytes[] = { [BPF_W >> 3] = 4, [BPF_H >> 3] = 2, [BPF_B >> 3] = 1, [BPF_DW >> 3] = 8 };
		struct ctx_access acc;

		if (env->insn_ptr_type[i] != PTR_TO_CTX || (cls != BPF_LDX && cls != BPF_ST && cls != BPF_STX))
			continue;
		if (ctx_access_ok(env->opts, in->off, bytes[BPF_SIZE(in->code) >> 3], cls != BPF_LDX, &acc))
			a[i] = access_kind(acc.reg_type);
	}
	out->ctx_access = a;
	return 0;
}

bool prog_may_write_packet(uint32_t prog_type)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return true;
	default:
		return false;
	}
}

bool prog_may_ld_abs(uint32_t prog_type)
{
	return prog_type == BPF_PROG_TYPE_SOCKET_FILTER || prog_type == BPF_PROG_TYPE_SCHED_CLS ||
	       prog_type == BPF_PROG_TYPE_SCHED_ACT;
}
