/* SPDX-License-Identifier: MIT */
/*
 * BPF_PROG_LOAD and BPF_PROG_TEST_RUN through bpfscope's bpf().
 *
 * The attr cases are a table: each row does a few commands through a
 * backend (bpfscope's bpf(), or the kernel's when this process may use it)
 * and writes what came back, one line per command ("fd", or "-1 EINVAL",
 * plus the fields the row looks at). A row passes when bpfscope's
 * transcript equals the expected one; /prog_load/kernel/ runs the same
 * rows through the kernel and asserts the same transcript, so the
 * expectations are the kernel's (skipped when the kernel's bpf() is not
 * available, e.g. not root).
 *
 * The other cases are bpfscope's alone: logs as the verifier writes them,
 * maps held by programs, the extensions (checked runs, trace output,
 * engine selection).
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf.h"
#include "insn_macros.h"
#include "interp.h"
#include "testutil.h"

#define PTR(p) ((uint64_t)(uintptr_t)(p))

struct be {
	const char *name;
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	int (*close)(int fd);
	int bad_fd; /* a descriptor that is not open */
};

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static long bpfs_bpf_fn(int cmd, union bpf_attr *attr, unsigned int size)
{
	return bpfs_bpf(cmd, attr, size);
}

static const struct be kernel_be = {"kernel", kernel_bpf, close, 12345};
static const struct be bpfs_be = {"bpfscope", bpfs_bpf_fn, bpfs_close, BPFS_FD_BASE + 12345};
static bool kernel_ok;

/* "fd", "0" or "-1 ENAME"; closes a descriptor. */
static void result(const struct be *be, GString *out, const char *what, long ret)
{
	if (ret < 0)
		g_string_append_printf(out, "%s: -1 %s\n", what, strerrorname_np(errno));
	else if (ret > 0 && !strcmp(what + strlen(what) - 4, "load"))
		g_string_append_printf(out, "%s: fd\n", what);
	else
		g_string_append_printf(out, "%s: %ld\n", what, ret);
	if (ret > 0 && !strcmp(what + strlen(what) - 4, "load"))
		be->close((int)ret);
}

static const struct bpf_insn ret2[] = {BPF_MOV64_IMM(BPF_REG_0, 2), BPF_EXIT_INSN()};
static const struct bpf_insn no_r0[] = {BPF_EXIT_INSN()};
/* bpf_trace_printk("hi", 4), a GPL-only helper */
static const struct bpf_insn printk[] = {
    BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
    BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -8),
    BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0x000a6968),
    BPF_MOV64_IMM(BPF_REG_2, 4),
    BPF_EMIT_CALL(BPF_FUNC_trace_printk),
    BPF_MOV64_IMM(BPF_REG_0, 0),
    BPF_EXIT_INSN(),
};

static void fill_load(union bpf_attr *a, uint32_t type, const struct bpf_insn *insns, size_t n,
		      const char *lic)
{
	memset(a, 0, sizeof(*a));
	a->prog_type = type;
	a->insns = PTR(insns);
	a->insn_cnt = (uint32_t)n;
	a->license = PTR(lic);
}

static long load(const struct be *be, uint32_t type, const struct bpf_insn *insns, size_t n, const char *lic,
		 char *buf, uint32_t size, uint32_t level, uint32_t flags)
{
	union bpf_attr a;

	fill_load(&a, type, insns, n, lic);
	a.log_buf = PTR(buf);
	a.log_size = size;
	a.log_level = level;
	a.prog_flags = flags;
	return be->bpf(BPF_PROG_LOAD, &a, sizeof(a));
}

#define LOAD(what, ...) result(be, out, what, load(be, __VA_ARGS__))

static void c_log_attrs(const struct be *be, GString *out)
{
	char buf[256];

	LOAD("no log load", 1, ret2, 2, "GPL", NULL, 0, 0, 0);
	LOAD("buffer, size 0 load", 1, ret2, 2, "GPL", buf, 0, 1, 0);
	LOAD("size, no buffer load", 1, ret2, 2, "GPL", NULL, 100, 1, 0);
	LOAD("level 0 with a buffer load", 1, ret2, 2, "GPL", buf, sizeof(buf), 0, 0);
	LOAD("level 1 without a buffer load", 1, ret2, 2, "GPL", NULL, 0, 1, 0);
	LOAD("level 16 load", 1, ret2, 2, "GPL", buf, sizeof(buf), 16, 0);
	LOAD("level 8 (fixed, no text) load", 1, ret2, 2, "GPL", buf, sizeof(buf), 8, 0);
	LOAD("size above UINT_MAX >> 2 load", 1, ret2, 2, "GPL", buf, 0x40000000u, 1, 0);
}

static void c_log_enospc(const struct be *be, GString *out)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	LOAD("accepted, level 2, 10 bytes load", 1, ret2, 2, "GPL", buf, 10, 2, 0);
	g_string_append_printf(out, "terminated at 9: %d\n", buf[9] == 0 && buf[10] == 'X');
	LOAD("rejected, level 1, 10 bytes load", 1, no_r0, 1, "GPL", buf, 10, 1, 0);
	LOAD("rejected, fixed, 10 bytes load", 1, no_r0, 1, "GPL", buf, 10, 9, 0);
	LOAD("rejected, no log load", 1, no_r0, 1, "GPL", NULL, 0, 0, 0);
}

static void c_prog_flags(const struct be *be, GString *out)
{
	LOAD("flags 1 load", 1, ret2, 2, "GPL", NULL, 0, 0, BPF_F_STRICT_ALIGNMENT);
	LOAD("flags 2 load", 1, ret2, 2, "GPL", NULL, 0, 0, BPF_F_ANY_ALIGNMENT);
	LOAD("flags 3 load", 1, ret2, 2, "GPL", NULL, 0, 0, 3);
	LOAD("flags 0x100 load", 1, ret2, 2, "GPL", NULL, 0, 0, 0x100);
	LOAD("flags 1<<31 load", 1, ret2, 2, "GPL", NULL, 0, 0, 1u << 31);
}

static void c_attrs(const struct be *be, GString *out)
{
	union bpf_attr a;

	LOAD("NULL license load", 1, ret2, 2, NULL, NULL, 0, 0, 0);
	LOAD("insn_cnt 0 load", 1, ret2, 0, "GPL", NULL, 0, 0, 0);
	LOAD("insns NULL load", 1, NULL, 2, "GPL", NULL, 0, 0, 0);
	LOAD("type 999 load", 999, ret2, 2, "GPL", NULL, 0, 0, 0);
	LOAD("kprobe, kern_version 0 load", BPF_PROG_TYPE_KPROBE, ret2, 2, "GPL", NULL, 0, 0, 0);
	fill_load(&a, 1, ret2, 2, "GPL");
	strcpy(a.prog_name, "bad name");
	result(be, out, "name with a space load", be->bpf(BPF_PROG_LOAD, &a, sizeof(a)));
	fill_load(&a, 1, ret2, 2, "GPL");
	strcpy(a.prog_name, "good_name.1");
	result(be, out, "good name load", be->bpf(BPF_PROG_LOAD, &a, sizeof(a)));
	fill_load(&a, 1, ret2, 2, "GPL");
	result(be, out, "attr above a page load", be->bpf(BPF_PROG_LOAD, &a, 4097));
}

static void c_license(const struct be *be, GString *out)
{
	LOAD("GPL helper, Proprietary load", BPF_PROG_TYPE_KPROBE, printk, G_N_ELEMENTS(printk),
	     "Proprietary", NULL, 0, 0, 0);
	LOAD("GPL helper, Dual BSD/GPL load", BPF_PROG_TYPE_KPROBE, printk, G_N_ELEMENTS(printk),
	     "Dual BSD/GPL", NULL, 0, 0, 0);
	LOAD("no helper, Proprietary load", 1, ret2, 2, "Proprietary", NULL, 0, 0, 0);
}

static void c_bad_map_fd(const struct be *be, GString *out)
{
	struct bpf_insn p[] = {BPF_LD_MAP_FD(BPF_REG_1, be->bad_fd), BPF_MOV64_IMM(BPF_REG_0, 0),
			       BPF_EXIT_INSN()};
	char buf[512] = "";
	int pfd = (int)load(be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);

	LOAD("closed map fd load", 1, p, G_N_ELEMENTS(p), "GPL", buf, sizeof(buf), 1, 0);
	g_string_append_printf(out, "log names it: %d\n",
			       strstr(buf, "is not pointing to valid bpf_map") != NULL);
	p[0].imm = pfd;
	LOAD("program fd as map load", 1, p, G_N_ELEMENTS(p), "GPL", NULL, 0, 0, 0);
	be->close(pfd);
}

/* A test run of a socket filter returning 2 on a 64-byte frame. */
static void c_test_run(const struct be *be, GString *out)
{
	uint8_t pkt[64], dout[128], big[5000] = {0};
	union bpf_attr a;
	long fd = load(be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);
	long ret;

	for (int i = 0; i < 64; i++)
		pkt[i] = (uint8_t)(i + 1);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	a.test.data_out = PTR(dout);
	a.test.data_size_out = sizeof(dout);
	memset(dout, 0xee, sizeof(dout));
	ret = be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
	result(be, out, "run", ret);
	g_string_append_printf(out, "retval %u size_out %u header zeroed %d rest kept %d\n", a.test.retval,
			       a.test.data_size_out, dout[0] == 0 && dout[13] == 0,
			       !memcmp(dout + 14, pkt + 14, 50));

	a.test.data_size_out = 10;
	a.test.retval = 0;
	memset(dout, 0xee, sizeof(dout));
	result(be, out, "run, 10-byte out", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "retval %u size_out %u copied 10 %d\n", a.test.retval,
			       a.test.data_size_out, dout[9] == 0 && dout[10] == 0xee);

	a.test.data_size_out = 0;
	result(be, out, "run, size_out 0", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "size_out %u\n", a.test.data_size_out);
	a.test.data_out = 0;
	result(be, out, "run, no data_out", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));

	a.test.data_size_in = 13;
	result(be, out, "run, 13 bytes", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	a.test.data_size_in = sizeof(big);
	a.test.data_in = PTR(big);
	result(be, out, "run, 5000 bytes", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	a.test.data_size_in = sizeof(pkt);
	a.test.data_in = PTR(pkt);
	a.test.flags = 1;
	result(be, out, "run, flags 1", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	a.test.flags = 0;
	a.test.cpu = 1;
	result(be, out, "run, cpu 1", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	a.test.cpu = 0;
	a.test.repeat = 1000;
	a.test.duration = 0;
	result(be, out, "run, repeat 1000", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "duration set %d\n", a.test.duration > 0);
	a.test.repeat = 0;
	a.test.prog_fd = (uint32_t)be->bad_fd;
	result(be, out, "run, closed fd", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	be->close((int)fd);
}

static void c_test_run_ctx(const struct be *be, GString *out)
{
	uint8_t pkt[64] = {0};
	struct __sk_buff in, o;
	union bpf_attr a;
	long fd = load(be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);

	memset(&in, 0, sizeof(in));
	in.mark = 7;
	memset(&o, 0xee, sizeof(o));
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	a.test.ctx_in = PTR(&in);
	a.test.ctx_size_in = sizeof(in);
	a.test.ctx_out = PTR(&o);
	a.test.ctx_size_out = sizeof(o);
	result(be, out, "run, ctx", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "mark %u ifindex %u len %u ctx_size_out %u\n", o.mark, o.ifindex, o.len,
			       a.test.ctx_size_out);
	a.test.ctx_size_out = 8;
	result(be, out, "run, 8-byte ctx_out", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	a.test.ctx_size_out = sizeof(o);
	in.len = 5;
	result(be, out, "run, ctx_in.len set", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	be->close((int)fd);

	fd = load(be, BPF_PROG_TYPE_XDP, ret2, 2, "GPL", NULL, 0, 0, 0);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	result(be, out, "xdp run", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "retval %u size_out %u\n", a.test.retval, a.test.data_size_out);
	a.test.data_size_in = 10;
	result(be, out, "xdp run, 10 bytes", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	be->close((int)fd);
}

/* Packet size limits: a page less headroom and shared info for the
 * linear part; xdp puts the rest in up to 17 page fragments. */
static void c_sizes(const struct be *be, GString *out)
{
	static const struct bpf_insn xdp_len[] = {
	    BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, offsetof(struct xdp_md, data)),
	    BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, offsetof(struct xdp_md, data_end)),
	    BPF_MOV64_REG(BPF_REG_0, BPF_REG_3),
	    BPF_ALU64_REG(BPF_SUB, BPF_REG_0, BPF_REG_2),
	    BPF_EXIT_INSN(),
	};
	static const uint32_t skb_sizes[] = {3712, 3713}, xdp_sizes[] = {3520, 3521, 8000, 73152, 73153};
	static uint8_t pkt[80000], dout[80000];
	long sfd = load(be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);
	long xfd = load(be, BPF_PROG_TYPE_XDP, xdp_len, G_N_ELEMENTS(xdp_len), "GPL", NULL, 0, 0, 0);
	union bpf_attr a;

	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7);
	for (size_t k = 0; k < G_N_ELEMENTS(skb_sizes) + G_N_ELEMENTS(xdp_sizes); k++) {
		bool xdp = k >= G_N_ELEMENTS(skb_sizes);
		uint32_t n = xdp ? xdp_sizes[k - G_N_ELEMENTS(skb_sizes)] : skb_sizes[k];
		char what[64];
		long ret;

		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)(xdp ? xfd : sfd);
		a.test.data_in = PTR(pkt);
		a.test.data_size_in = n;
		a.test.data_out = PTR(dout);
		a.test.data_size_out = sizeof(dout);
		memset(dout, 0, sizeof(dout));
		g_snprintf(what, sizeof(what), "%s %u bytes", xdp ? "xdp" : "skb", n);
		ret = be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
		result(be, out, what, ret);
		if (!ret && xdp)
			g_string_append_printf(out, "linear %u size_out %u same %d\n", a.test.retval,
					       a.test.data_size_out, !memcmp(dout, pkt, n));
	}
	be->close((int)sfd);
	be->close((int)xfd);
}

/* A tail call through a prog_array to a program loaded before; closing
 * the target's descriptor leaves it in the array. */
static void c_tail_call(const struct be *be, GString *out)
{
	static const struct bpf_insn ret7[] = {BPF_MOV64_IMM(BPF_REG_0, 7), BPF_EXIT_INSN()};
	uint8_t pkt[64] = {0};
	union bpf_attr a;
	uint32_t key = 0, tfd, mfd;
	long cfd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PROG_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 2;
	mfd = (uint32_t)be->bpf(BPF_MAP_CREATE, &a, sizeof(a));
	tfd = (uint32_t)load(be, BPF_PROG_TYPE_XDP, ret7, 2, "GPL", NULL, 0, 0, 0);
	{
		struct bpf_insn caller[] = {
		    BPF_LD_MAP_FD(BPF_REG_2, mfd),
		    BPF_MOV64_IMM(BPF_REG_3, 0),
		    BPF_EMIT_CALL(BPF_FUNC_tail_call),
		    BPF_MOV64_IMM(BPF_REG_0, 1),
		    BPF_EXIT_INSN(),
		};

		cfd = load(be, BPF_PROG_TYPE_XDP, caller, G_N_ELEMENTS(caller), "GPL", NULL, 0, 0, 0);
	}
	memset(&a, 0, sizeof(a));
	a.map_fd = mfd;
	a.key = PTR(&key);
	a.value = PTR(&tfd);
	result(be, out, "update", be->bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)));
	be->close((int)tfd);
	for (int i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)cfd;
		a.test.data_in = PTR(pkt);
		a.test.data_size_in = sizeof(pkt);
		result(be, out, "run", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
		g_string_append_printf(out, "retval %u\n", a.test.retval);
		key = 0;
		memset(&a, 0, sizeof(a));
		a.map_fd = mfd;
		a.key = PTR(&key);
		result(be, out, "delete", be->bpf(BPF_MAP_DELETE_ELEM, &a, sizeof(a)));
	}
	be->close((int)cfd);
	be->close((int)mfd);
}

/* Map references by index into fd_array (BPF_PSEUDO_MAP_IDX_VALUE). */
static void c_fd_array(const struct be *be, GString *out)
{
	struct bpf_insn p[] = {
	    BPF_LD_IMM64_RAW(BPF_REG_1, BPF_PSEUDO_MAP_IDX_VALUE, 1),
	    BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 0),
	    BPF_EXIT_INSN(),
	};
	uint8_t pkt[64] = {0}, val[8] = {9, 0, 0, 0, 0, 0, 0, 0};
	uint32_t key = 0, fds[2];
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	fds[0] = (uint32_t)be->bad_fd;
	fds[1] = (uint32_t)be->bpf(BPF_MAP_CREATE, &a, sizeof(a));
	memset(&a, 0, sizeof(a));
	a.map_fd = fds[1];
	a.key = PTR(&key);
	a.value = PTR(val);
	be->bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
	fill_load(&a, 1, p, G_N_ELEMENTS(p), "GPL");
	a.fd_array = PTR(fds);
	fd = be->bpf(BPF_PROG_LOAD, &a, sizeof(a));
	g_string_append_printf(out, "load: %s\n", fd >= 0 ? "fd" : strerrorname_np(errno));
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	result(be, out, "run", be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)));
	g_string_append_printf(out, "retval %u\n", a.test.retval);
	p[0].imm = 0;
	fill_load(&a, 1, p, G_N_ELEMENTS(p), "GPL");
	a.fd_array = PTR(fds);
	result(be, out, "closed fd in fd_array load", be->bpf(BPF_PROG_LOAD, &a, sizeof(a)));
	be->close((int)fd);
	be->close((int)fds[1]);
}

struct attr_case {
	const char *name;
	void (*fn)(const struct be *be, GString *out);
	const char *expect;
};

static const struct attr_case cases[] = {
    {"log-attrs", c_log_attrs,
     "no log load: fd\nbuffer, size 0 load: -1 EINVAL\nsize, no buffer load: -1 EINVAL\n"
     "level 0 with a buffer load: -1 EINVAL\nlevel 1 without a buffer load: fd\nlevel 16 load: -1 EINVAL\n"
     "level 8 (fixed, no text) load: fd\nsize above UINT_MAX >> 2 load: -1 EINVAL\n"},
    {"log-enospc", c_log_enospc,
     "accepted, level 2, 10 bytes load: -1 ENOSPC\nterminated at 9: 1\n"
     "rejected, level 1, 10 bytes load: -1 ENOSPC\nrejected, fixed, 10 bytes load: -1 ENOSPC\n"
     "rejected, no log load: -1 EACCES\n"},
    {"prog-flags", c_prog_flags,
     "flags 1 load: fd\nflags 2 load: fd\nflags 3 load: fd\nflags 0x100 load: -1 EINVAL\n"
     "flags 1<<31 load: -1 EINVAL\n"},
    {"attrs", c_attrs,
     "NULL license load: -1 EFAULT\ninsn_cnt 0 load: -1 E2BIG\ninsns NULL load: -1 EFAULT\n"
     "type 999 load: -1 EINVAL\nkprobe, kern_version 0 load: fd\nname with a space load: -1 EINVAL\n"
     "good name load: fd\nattr above a page load: -1 E2BIG\n"},
    {"license", c_license,
     "GPL helper, Proprietary load: -1 EINVAL\nGPL helper, Dual BSD/GPL load: fd\n"
     "no helper, Proprietary load: fd\n"},
    {"bad-map-fd", c_bad_map_fd,
     "closed map fd load: -1 EBADF\nlog names it: 1\nprogram fd as map load: -1 EINVAL\n"},
    {"test-run", c_test_run,
     "run: 0\nretval 2 size_out 64 header zeroed 1 rest kept 1\nrun, 10-byte out: -1 ENOSPC\n"
     "retval 2 size_out 64 copied 10 1\nrun, size_out 0: 0\nsize_out 64\nrun, no data_out: 0\n"
     "run, 13 bytes: -1 EINVAL\nrun, 5000 bytes: -1 EINVAL\nrun, flags 1: -1 EINVAL\nrun, cpu 1: -1 EINVAL\n"
     "run, repeat 1000: 0\nduration set 1\nrun, closed fd: -1 EBADF\n"},
    {"tail-call", c_tail_call,
     "update: 0\nrun: 0\nretval 7\ndelete: 0\nrun: 0\nretval 1\ndelete: -1 ENOENT\n"},
    {"fd-array", c_fd_array, "load: fd\nrun: 0\nretval 9\nclosed fd in fd_array load: -1 EBADF\n"},
    {"sizes", c_sizes,
     "skb 3712 bytes: 0\nskb 3713 bytes: -1 EINVAL\nxdp 3520 bytes: 0\nlinear 3520 size_out 3520 same 1\n"
     "xdp 3521 bytes: 0\nlinear 3520 size_out 3521 same 1\nxdp 8000 bytes: 0\nlinear 3520 size_out 8000 same "
     "1\n"
     "xdp 73152 bytes: 0\nlinear 3520 size_out 73152 same 1\nxdp 73153 bytes: -1 ENOMEM\n"},
    {"test-run-ctx", c_test_run_ctx,
     "run, ctx: 0\nmark 7 ifindex 1 len 0 ctx_size_out 192\nrun, 8-byte ctx_out: -1 ENOSPC\n"
     "run, ctx_in.len set: -1 EINVAL\nxdp run: 0\nretval 2 size_out 64\nxdp run, 10 bytes: -1 EINVAL\n"},
};

static void run_case(gconstpointer data, const struct be *be)
{
	const struct attr_case *c = data;
	GString *out = g_string_new(NULL);

	c->fn(be, out);
	if (strcmp(out->str, c->expect)) {
		g_test_message("%s, expected:\n%s\ngot:\n%s", be->name, c->expect, out->str);
		g_test_fail();
	}
	g_string_free(out, TRUE);
}

static void test_bpfs(gconstpointer data)
{
	run_case(data, &bpfs_be);
}

static void test_kernel(gconstpointer data)
{
	if (!kernel_ok) {
		g_test_skip("the kernel's bpf() is not available to this process (needs root or CAP_BPF)");
		return;
	}
	run_case(data, &kernel_be);
}

/* ---------------------------------------------------------------------- */
/* bpfscope only                                                          */

/* The verifier's whole log, then its rotating and fixed truncations. */
static void test_log_truncation(void)
{
	char full[4096], rot[16], fixed[16];
	size_t len;

	g_assert_cmpint(load(&bpfs_be, 1, no_r0, 1, "GPL", full, sizeof(full), 1, 0), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	g_assert_nonnull(strstr(full, "R0 !read_ok"));
	len = strlen(full);
	g_assert_cmpuint(len, >, 15);
	g_assert_cmpint(load(&bpfs_be, 1, no_r0, 1, "GPL", rot, sizeof(rot), 1, 0), ==, -1);
	g_assert_cmpint(errno, ==, ENOSPC);
	g_assert_cmpstr(rot, ==, full + len - 15);
	g_assert_cmpint(load(&bpfs_be, 1, no_r0, 1, "GPL", fixed, sizeof(fixed), 1 | 8, 0), ==, -1);
	g_assert_cmpint(errno, ==, ENOSPC);
	g_assert_cmpint(strncmp(fixed, full, 15), ==, 0);
	g_assert_cmpint(fixed[15], ==, 0);
	/* exactly fits: log plus its NUL */
	g_assert_cmpint(load(&bpfs_be, 1, no_r0, 1, "GPL", full, (uint32_t)len + 1, 1, 0), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
}

static void test_tail_bytes(void)
{
	struct {
		union bpf_attr a;
		uint8_t tail[8];
	} big;

	fill_load(&big.a, 1, ret2, 2, "GPL");
	memset(big.tail, 0, sizeof(big.tail));
	big.tail[3] = 1;
	g_assert_cmpint(bpfs_bpf(BPF_PROG_LOAD, &big.a, sizeof(big)), ==, -1);
	g_assert_cmpint(errno, ==, E2BIG);
	big.tail[3] = 0;
	g_assert_cmpint(bpfs_bpf(BPF_PROG_LOAD, &big.a, sizeof(big)), >=, BPFS_FD_BASE);
}

/* The lib.c wrapper over PROG_LOAD. */
static void test_lib_wrapper(void)
{
	char log[1024];
	int fd = bpfs_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ret2, 2, "GPL", NULL, 0);

	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_close(fd), ==, 0);
	g_assert_cmpint(bpfs_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, no_r0, 1, "GPL", log, sizeof(log)), ==,
			-1);
	g_assert_cmpint(errno, ==, EACCES);
	g_assert_nonnull(strstr(log, "R0 !read_ok"));
}

static long run_prog(int fd, uint32_t *retval)
{
	uint8_t pkt[64] = {0};
	union bpf_attr a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	ret = bpfs_bpf(BPF_PROG_TEST_RUN, &a, sizeof(a));
	*retval = a.test.retval;
	return ret;
}

/* A program holds its maps: closing the map's descriptor leaves the map
 * to the program, which still sees (and changes) its contents. */
static void test_map_held(void)
{
	int mfd = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	uint32_t key = 0, retval = 0;
	uint64_t v = 41;
	struct bpf_insn p[] = {
	    BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),
	    BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
	    BPF_LD_MAP_FD(BPF_REG_1, mfd),
	    BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
	    BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),
	    BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 0),
	    BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
	    BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
	    BPF_MOV64_REG(BPF_REG_0, BPF_REG_1),
	    BPF_EXIT_INSN(),
	};
	int pfd;

	g_assert_cmpint(mfd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_update_elem(mfd, &key, &v, BPF_ANY), ==, 0);
	pfd = bpfs_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, G_N_ELEMENTS(p), "GPL", NULL, 0);
	g_assert_cmpint(pfd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_close(mfd), ==, 0);
	g_assert_cmpint(run_prog(pfd, &retval), ==, 0);
	g_assert_cmpuint(retval, ==, 42);
	g_assert_cmpint(run_prog(pfd, &retval), ==, 0);
	g_assert_cmpuint(retval, ==, 43);
	g_assert_cmpint(bpfs_close(pfd), ==, 0);
}

/* A map value referenced directly (BPF_PSEUDO_MAP_VALUE, offset 4). */
static void test_map_value_ref(void)
{
	int mfd = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	uint32_t key = 0, retval = 0;
	uint8_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct bpf_insn p[] = {
	    BPF_LD_MAP_VALUE(BPF_REG_1, mfd, 4),
	    BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 0),
	    BPF_EXIT_INSN(),
	};
	int pfd;

	g_assert_cmpint(bpfs_update_elem(mfd, &key, v, BPF_ANY), ==, 0);
	pfd = bpfs_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, G_N_ELEMENTS(p), "GPL", NULL, 0);
	g_assert_cmpint(pfd, >=, BPFS_FD_BASE);
	g_assert_cmpint(run_prog(pfd, &retval), ==, 0);
	g_assert_cmpuint(retval, ==, 5);
	bpfs_close(pfd);
	bpfs_close(mfd);
}

static void test_trace_and_engine(void)
{
	char buf[256];
	size_t len = 0;
	bool trunc = true;
	uint32_t retval;
	int fd = (int)load(&bpfs_be, BPF_PROG_TYPE_XDP, printk, G_N_ELEMENTS(printk), "GPL", NULL, 0, 0, 0);

	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_prog_set_engine(fd, (enum bpfs_engine)7), ==, -EINVAL);
	/* One run on each engine: both write the trace. */
	g_assert_cmpint(bpfs_prog_set_engine(fd, BPFS_ENGINE_JIT), ==, 0);
	g_assert_cmpint(run_prog(fd, &retval), ==, 0);
	g_assert_cmpint(bpfs_prog_set_engine(fd, BPFS_ENGINE_INTERP), ==, 0);
	g_assert_cmpint(run_prog(fd, &retval), ==, 0);
	g_assert_cmpint(bpfs_prog_read_trace(fd, buf, sizeof(buf), &len, &trunc), ==, 0);
	g_assert_false(trunc);
	g_assert_cmpuint(len, ==, strlen(buf));
	g_assert_nonnull(strstr(buf, "hi"));
	g_assert_nonnull(strstr(strstr(buf, "hi") + 2, "hi"));
	g_assert_cmpint(bpfs_prog_read_trace(fd, buf, sizeof(buf), &len, NULL), ==, 0);
	g_assert_cmpuint(len, ==, 0);
	g_assert_cmpint(bpfs_prog_set_seed(fd, 7), ==, 0);
	g_assert_cmpint(bpfs_prog_set_engine(BPFS_FD_BASE + 9999, BPFS_ENGINE_INTERP), ==, -EBADF);
	bpfs_close(fd);
}

/* An unverified program reading below its stack frame: the checked run
 * stops, the test run fails with EFAULT and the report says where. */
static void test_checked_violation(void)
{
	struct bpf_insn p[] = {
	    BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -520),
	    BPF_EXIT_INSN(),
	};
	struct bpfs_run_report rep;
	union bpf_attr a;
	uint32_t retval;
	long fd;

	fill_load(&a, BPF_PROG_TYPE_SOCKET_FILTER, p, G_N_ELEMENTS(p), "GPL");
	g_assert_cmpint(bpfs_bpf(BPF_PROG_LOAD, &a, sizeof(a)), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	fd = bpfs_prog_load_unverified(&a, sizeof(a));
	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_prog_last_report((int)fd, &rep), ==, -ENOENT);
	g_assert_cmpint(bpfs_prog_set_checked((int)fd, false), ==, -EPERM);
	g_assert_cmpint(run_prog((int)fd, &retval), ==, -1);
	g_assert_cmpint(errno, ==, EFAULT);
	g_assert_cmpint(bpfs_prog_last_report((int)fd, &rep), ==, 0);
	g_assert_cmpint(rep.viol, !=, BPFS_VIOL_NONE);
	g_assert_cmpint(rep.insn, ==, 0);
	bpfs_close((int)fd);
}

static void test_checked_clean(void)
{
	struct bpfs_run_report rep;
	uint32_t retval;
	int fd = (int)load(&bpfs_be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);

	g_assert_cmpint(bpfs_prog_set_checked(fd, true), ==, 0);
	g_assert_cmpint(run_prog(fd, &retval), ==, 0);
	g_assert_cmpuint(retval, ==, 2);
	g_assert_cmpint(bpfs_prog_last_report(fd, &rep), ==, 0);
	g_assert_cmpint(rep.viol, ==, BPFS_VIOL_NONE);
	g_assert_cmpint(bpfs_prog_set_checked(fd, false), ==, 0);
	bpfs_close(fd);
}

struct thread_arg {
	int fd;
	int runs;
	int failures;
};

static gpointer run_thread(gpointer data)
{
	struct thread_arg *t = data;
	uint32_t retval;

	for (int i = 0; i < t->runs; i++)
		if (run_prog(t->fd, &retval))
			t->failures++;
	return NULL;
}

/* Test runs of one program from several threads, each incrementing a map
 * value atomically, while another thread flips the checked mode. */
static void test_concurrent_runs(void)
{
	int mfd = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	struct bpf_insn p[] = {
	    BPF_LD_MAP_VALUE(BPF_REG_1, mfd, 0),
	    BPF_MOV64_IMM(BPF_REG_2, 1),
	    BPF_STX_XADD(BPF_DW, BPF_REG_1, BPF_REG_2, 0),
	    BPF_MOV64_IMM(BPF_REG_0, 0),
	    BPF_EXIT_INSN(),
	};
	struct thread_arg args[4];
	GThread *th[4];
	uint32_t key = 0;
	uint64_t v = 0;
	int pfd = bpfs_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, p, G_N_ELEMENTS(p), "GPL", NULL, 0);

	g_assert_cmpint(pfd, >=, BPFS_FD_BASE);
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){pfd, 200, 0};
		th[i] = g_thread_new("run", run_thread, &args[i]);
	}
	for (int i = 0; i < 50; i++)
		g_assert_cmpint(bpfs_prog_set_checked(pfd, i & 1), ==, 0);
	for (int i = 0; i < 4; i++) {
		g_thread_join(th[i]);
		g_assert_cmpint(args[i].failures, ==, 0);
	}
	g_assert_cmpint(bpfs_lookup_elem(mfd, &key, &v), ==, 0);
	g_assert_cmpuint(v, ==, 800);
	bpfs_close(pfd);
	bpfs_close(mfd);
}

static bool probe_kernel(void)
{
	long fd = load(&kernel_be, 1, ret2, 2, "GPL", NULL, 0, 0, 0);

	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	kernel_ok = probe_kernel();
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *p = g_strdup_printf("/prog_load/bpfscope/%s", cases[i].name);
		char *k = g_strdup_printf("/prog_load/kernel/%s", cases[i].name);

		g_test_add_data_func(p, &cases[i], test_bpfs);
		g_test_add_data_func(k, &cases[i], test_kernel);
		g_free(p);
		g_free(k);
	}
	g_test_add_func("/prog_load/log-truncation", test_log_truncation);
	g_test_add_func("/prog_load/tail-bytes", test_tail_bytes);
	g_test_add_func("/prog_load/lib-wrapper", test_lib_wrapper);
	g_test_add_func("/prog_load/map-held", test_map_held);
	g_test_add_func("/prog_load/map-value-ref", test_map_value_ref);
	g_test_add_func("/prog_load/trace-and-engine", test_trace_and_engine);
	g_test_add_func("/prog_load/checked-violation", test_checked_violation);
	g_test_add_func("/prog_load/checked-clean", test_checked_clean);
	g_test_add_func("/prog_load/concurrent-runs", test_concurrent_runs);
	return g_test_run();
}
