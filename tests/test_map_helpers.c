/* SPDX-License-Identifier: MIT */
/*
 * Map helpers called from programs, compared with the kernel: each row of
 * map_helper_cases.h creates a map, fills it from userspace, and runs a
 * small socket_filter program on a 64-byte packet that performs the row's
 * operation (bpf_map_lookup_elem, _update_elem, _delete_elem, _push_elem,
 * _peek_elem, _pop_elem, _lookup_percpu_elem), then looks the key up again;
 * what the program saw goes into an output array map:
 *
 *   out[0]  the helper's return value (lookup: 1 when it found a value)
 *   out[1]  1 when the lookup after the operation found a value
 *   out[2]  the first 8 bytes of the value found (by either lookup)
 *
 * After the run the test counts the map's keys with get_next_key from
 * userspace. Every row runs in three columns, each its own test case,
 * /map-helpers/<index>-<name>/{interp,jit,kernel}: bpfscope's bpf() with
 * the interpreter, with the JIT, and the running kernel's bpf(). All three
 * are checked against the row's expectation, which states the kernel's
 * behaviour (so a kernel that changed shows up as a kernel column failing).
 *
 * A row whose program bpfscope's verifier refuses, or whose run calls a
 * helper bpfscope's runtime does not have (EOPNOTSUPP), for a reason
 * recorded in the row (.gap: a helper the verifier or runtime does not
 * model) skips its bpfscope columns with that reason; the row runs as soon
 * as both succeed.
 *
 * The process is pinned to one CPU so that the kernel's per-CPU state (LRU
 * free lists, per-CPU values written by the program) is the same for the
 * fill and the run; bpfscope's fill and run both act on its CPU 0. Rows
 * whose outcome depends on the number of possible CPUs say for which
 * counts they hold, and skip on other machines. The kernel column needs
 * the bpf() syscall (root or CAP_BPF) and skips otherwise.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf.h"
#include "insn_macros.h"
#include "map_helper_cases.h"

#define PTR(p) ((uint64_t)(uintptr_t)(p))
#define MH_MAX_INSNS 64
#define MH_MAX_CPUS 512

enum column {
	COL_INTERP,
	COL_JIT,
	COL_KERNEL,
};

static const char *const column_names[] = {"interp", "jit", "kernel"};

struct backend {
	long (*bpf)(int cmd, union bpf_attr *attr, unsigned int size);
	int (*close)(int fd);
};

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static long bpfs_bpf_fn(int cmd, union bpf_attr *attr, unsigned int size)
{
	return bpfs_bpf(cmd, attr, size);
}

static const struct backend kernel_be = {kernel_bpf, close};
static const struct backend bpfs_be = {bpfs_bpf_fn, bpfs_close};
static bool kernel_ok;

struct task {
	const struct mh_case *c;
	enum column col;
};

/* What a column observed. */
struct outcome {
	int load_err; /* errno of BPF_PROG_LOAD, 0 when loaded */
	int64_t ret;
	int found;
	uint64_t seen;
	int nkeys;
	char log[512]; /* the verifier's first line, when refused */
};

/* ---------------------------------------------------------------------- */
/* The program                                                            */

struct prog_buf {
	struct bpf_insn insns[MH_MAX_INSNS];
	size_t n;
};

static void emit(struct prog_buf *p, const struct bpf_insn *insns, size_t cnt)
{
	g_assert(p->n + cnt <= MH_MAX_INSNS);
	memcpy(p->insns + p->n, insns, cnt * sizeof(*insns));
	p->n += cnt;
}

#define EMIT(p, ...)                                                                                         \
	do {                                                                                                 \
		const struct bpf_insn emit_[] = {__VA_ARGS__};                                               \
		emit(p, emit_, G_N_ELEMENTS(emit_));                                                         \
	} while (0)

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R9 BPF_REG_9
#define R10 BPF_REG_10

/* Stack layout: fp-4 the output map's key, fp-16 the row's key (8
 * bytes, the map reads key_size of them), fp-24 the row's value, fp-32
 * the key looked up first (touch). Map 0 is the row's map, map 1 the
 * output array; r9 holds &out[0]. */
static void build_prog(const struct mh_case *c, struct prog_buf *p)
{
	p->n = 0;
	EMIT(p, BPF_ST_MEM(BPF_W, R10, -4, 0), BPF_LD_MAP_FD(R1, 1), BPF_MOV64_REG(R2, R10),
	     BPF_ALU64_IMM(BPF_ADD, R2, -4), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
	     BPF_JMP_IMM(BPF_JNE, R0, 0, 2), BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN(), BPF_MOV64_REG(R9, R0),
	     BPF_LD_IMM64(R1, c->key), BPF_STX_MEM(BPF_DW, R10, R1, -16), BPF_LD_IMM64(R1, c->value),
	     BPF_STX_MEM(BPF_DW, R10, R1, -24));
	if (c->touch)
		EMIT(p, BPF_LD_IMM64(R1, c->touch_key), BPF_STX_MEM(BPF_DW, R10, R1, -32), BPF_LD_MAP_FD(R1, 0),
		     BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -32), BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem));
	EMIT(p, BPF_LD_MAP_FD(R1, 0));
	switch (c->op) {
	case MH_LOOKUP:
	case MH_LOOKUP_PERCPU:
		EMIT(p, BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -16),
		     BPF_MOV64_IMM(R3, (int32_t)c->flags),
		     BPF_EMIT_CALL(c->op == MH_LOOKUP ? BPF_FUNC_map_lookup_elem
						      : BPF_FUNC_map_lookup_percpu_elem),
		     BPF_MOV64_IMM(R1, 0), BPF_JMP_IMM(BPF_JEQ, R0, 0, 3), BPF_LDX_MEM(BPF_DW, R2, R0, 0),
		     BPF_STX_MEM(BPF_DW, R9, R2, 16), BPF_MOV64_IMM(R1, 1), BPF_STX_MEM(BPF_DW, R9, R1, 0));
		break;
	case MH_UPDATE:
		EMIT(p, BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -16), BPF_MOV64_REG(R3, R10),
		     BPF_ALU64_IMM(BPF_ADD, R3, -24), BPF_LD_IMM64(R4, c->flags),
		     BPF_EMIT_CALL(BPF_FUNC_map_update_elem), BPF_STX_MEM(BPF_DW, R9, R0, 0));
		break;
	case MH_DELETE:
		EMIT(p, BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -16),
		     BPF_EMIT_CALL(BPF_FUNC_map_delete_elem), BPF_STX_MEM(BPF_DW, R9, R0, 0));
		break;
	case MH_PUSH:
		EMIT(p, BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -24), BPF_LD_IMM64(R3, c->flags),
		     BPF_EMIT_CALL(BPF_FUNC_map_push_elem), BPF_STX_MEM(BPF_DW, R9, R0, 0));
		break;
	case MH_PEEK:
	case MH_POP:
		EMIT(p, BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -24),
		     BPF_EMIT_CALL(c->op == MH_PEEK ? BPF_FUNC_map_peek_elem : BPF_FUNC_map_pop_elem),
		     BPF_STX_MEM(BPF_DW, R9, R0, 0));
		break;
	}
	if (c->probe)
		EMIT(p, BPF_LD_MAP_FD(R1, 0), BPF_MOV64_REG(R2, R10), BPF_ALU64_IMM(BPF_ADD, R2, -16),
		     BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), BPF_JMP_IMM(BPF_JEQ, R0, 0, 4),
		     BPF_LDX_MEM(BPF_DW, R1, R0, 0), BPF_STX_MEM(BPF_DW, R9, R1, 16), BPF_MOV64_IMM(R1, 1),
		     BPF_STX_MEM(BPF_DW, R9, R1, 8));
	EMIT(p, BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN());
}

/* ---------------------------------------------------------------------- */
/* Running a row                                                          */

static unsigned ncpus(void)
{
	return bpfs_map_ncpus();
}

static bool is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static int map_create(const struct backend *be, uint32_t type, uint32_t key_size, uint32_t value_size,
		      uint32_t max_entries, uint32_t flags, uint64_t map_extra)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key_size;
	a.value_size = value_size;
	a.max_entries = max_entries;
	a.map_flags = flags;
	a.map_extra = map_extra;
	return (int)be->bpf(BPF_MAP_CREATE, &a, sizeof(a));
}

/* Userspace update; a per-CPU map gets the value on every CPU. */
static int map_fill(const struct backend *be, int fd, const struct mh_map *m, uint64_t key, uint64_t value)
{
	static uint64_t buf[MH_MAX_CPUS];
	union bpf_attr a;
	unsigned n = is_percpu(m->type) ? ncpus() : 1;

	g_assert(n <= MH_MAX_CPUS);
	for (unsigned i = 0; i < n; i++)
		buf[i] = value;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = m->key_size ? PTR(&key) : 0;
	a.value = PTR(buf);
	a.flags = BPF_ANY;
	return (int)be->bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a));
}

/* Userspace lookup of key, the value discarded. */
static int map_lookup(const struct backend *be, int fd, uint64_t key)
{
	static uint64_t buf[MH_MAX_CPUS];
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = PTR(&key);
	a.value = PTR(buf);
	return (int)be->bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a));
}

static int count_keys(const struct backend *be, int fd)
{
	uint8_t key[8], next[8];
	union bpf_attr a;
	int n = 0;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd;
		a.key = n ? PTR(key) : 0;
		a.next_key = PTR(next);
		if (be->bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a)) < 0)
			return errno == ENOENT ? n : -errno;
		memcpy(key, next, sizeof(key));
		if (++n > 64)
			return -ELOOP;
	}
}

static bool counts_keys(uint32_t type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LPM_TRIE;
}

static int load(const struct backend *be, const struct mh_case *c, const int fds[2], struct outcome *o)
{
	struct prog_buf p;
	union bpf_attr a;
	char log[4096] = "";
	int fd;

	build_prog(c, &p);
	for (size_t i = 0; i + 1 < p.n; i++)
		if (p.insns[i].code == (BPF_LD | BPF_DW | BPF_IMM)) {
			if (p.insns[i].src_reg == BPF_PSEUDO_MAP_FD)
				p.insns[i].imm = fds[p.insns[i].imm];
			i++;
		}
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = PTR(p.insns);
	a.insn_cnt = (uint32_t)p.n;
	a.license = PTR("GPL");
	a.log_buf = PTR(log);
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = (int)be->bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0) {
		char **lines = g_strsplit(log, "\n", -1);
		unsigned n = g_strv_length(lines);

		o->load_err = errno;
		/* the message: the last line that is neither the statistics
		 * nor a register state ("12: R0=...") */
		for (unsigned i = n; i-- > 0;)
			if (lines[i][0] && !g_str_has_prefix(lines[i], "processed ") &&
			    !g_regex_match_simple("^[0-9]+: [R(]", lines[i], 0, 0)) {
				g_strlcpy(o->log, lines[i], sizeof(o->log));
				break;
			}
		g_strfreev(lines);
	}
	return fd;
}

static int test_run(const struct backend *be, int prog)
{
	uint8_t pkt[64] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog;
	a.test.data_in = PTR(pkt);
	a.test.data_size_in = sizeof(pkt);
	if (be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)) < 0)
		return -errno;
	return a.test.retval == 1 ? 0 : -EIO;
}

static int read_out(const struct backend *be, int fd, uint64_t out[3])
{
	uint32_t zero = 0;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = PTR(&zero);
	a.value = PTR(out);
	return be->bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a)) < 0 ? -errno : 0;
}

/* Runs c on be (the JIT when jit); 0, or a negative errno for a failure
 * of the harness itself (described in *why). */
static int run_row(const struct backend *be, bool jit, const struct mh_case *c, struct outcome *o,
		   const char **why)
{
	const struct mh_map *m = c->map;
	int fds[2] = {-1, -1}, prog = -1, ret;
	uint64_t out[3] = {0};

	memset(o, 0, sizeof(*o));
	o->nkeys = -1;
	*why = "create the map";
	fds[0] = map_create(be, m->type, m->key_size, m->value_size, m->max_entries, m->flags, m->map_extra);
	if (fds[0] < 0) {
		ret = -errno;
		goto out;
	}
	*why = "create the output map";
	fds[1] = map_create(be, BPF_MAP_TYPE_ARRAY, 4, sizeof(out), 1, 0, 0);
	if (fds[1] < 0) {
		ret = -errno;
		goto out;
	}
	*why = "fill the map";
	for (unsigned i = 0; c->state && i < c->state->n; i++)
		if (map_fill(be, fds[0], m, c->state->fill[i].key, c->state->fill[i].value) < 0) {
			ret = -errno;
			goto out;
		}
	*why = "look the key up from userspace";
	if (c->touch_sys && map_lookup(be, fds[0], c->touch_key) < 0) {
		ret = -errno;
		goto out;
	}
	ret = 0;
	prog = load(be, c, fds, o);
	if (prog < 0)
		goto out;
	*why = "select the JIT";
	if (jit && (ret = bpfs_prog_set_engine(prog, BPFS_ENGINE_JIT)))
		goto out;
	*why = "test-run the program";
	ret = test_run(be, prog);
	if (ret)
		goto out;
	*why = "read the output map";
	ret = read_out(be, fds[1], out);
	if (ret)
		goto out;
	o->ret = (int64_t)out[0];
	o->found = (int)out[1];
	o->seen = out[2];
	if (counts_keys(m->type))
		o->nkeys = count_keys(be, fds[0]);
out:
	if (prog >= 0)
		be->close(prog);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			be->close(fds[i]);
	return ret;
}

/* Whether the row's op is a lookup, whose value the outcome shows. */
static bool is_lookup(const struct mh_case *c)
{
	return c->op == MH_LOOKUP || c->op == MH_LOOKUP_PERCPU;
}

static char *describe(const struct outcome *o, const struct mh_case *c)
{
	if (o->load_err)
		return g_strdup_printf("load refused, %s: %s", strerrorname_np(o->load_err), o->log);
	return g_strdup_printf("ret %" G_GINT64_FORMAT " found %d seen 0x%" G_GINT64_MODIFIER "x nkeys %d",
			       o->ret, c->probe || is_lookup(c) ? o->found : -1,
			       c->probe || is_lookup(c) ? o->seen : 0, o->nkeys);
}

static bool matches(const struct mh_case *c, const struct outcome *o)
{
	const struct mh_want *w = &c->want;

	if (o->load_err != w->load_err)
		return false;
	if (w->load_err)
		return !w->msg || strstr(o->log, w->msg);
	if (o->ret != w->ret)
		return false;
	if (is_lookup(c) && w->ret && o->seen != w->seen)
		return false;
	if (c->probe && (o->found != w->found || (w->found && o->seen != w->seen)))
		return false;
	return !counts_keys(c->map->type) || o->nkeys == w->nkeys;
}

static void test_column(gconstpointer data)
{
	const struct task *t = data;
	const struct mh_case *c = t->c;
	const struct backend *be = t->col == COL_KERNEL ? &kernel_be : &bpfs_be;
	struct outcome o, w = {
			      .load_err = c->want.load_err,
			      .ret = c->want.ret,
			      .found = c->want.found,
			      .seen = c->want.seen,
			      .nkeys = counts_keys(c->map->type) ? c->want.nkeys : -1,
			  };
	const char *why;
	char *got, *want;
	int ret;

	if ((c->cpus_min && ncpus() < c->cpus_min) || (c->cpus_max && ncpus() > c->cpus_max)) {
		g_test_skip_printf("the row holds for %u to %u possible CPUs, this machine has %u",
				   c->cpus_min, c->cpus_max ? c->cpus_max : UINT32_MAX, ncpus());
		return;
	}
	if (t->col == COL_KERNEL && !kernel_ok) {
		g_test_skip("the kernel's bpf() is not available to this process (needs root or CAP_BPF)");
		return;
	}
	ret = run_row(be, t->col == COL_JIT, c, &o, &why);
	if (ret == -EOPNOTSUPP && t->col != COL_KERNEL && c->gap) {
		g_test_skip_printf("bpfscope cannot %s, a known difference: %s", why, c->gap);
		return;
	}
	if (ret) {
		g_test_message("%s: cannot %s: %s", column_names[t->col], why, strerrorname_np(-ret));
		g_test_fail();
		return;
	}
	if (o.load_err)
		g_test_message("%s: load refused, %s: %s", column_names[t->col], strerrorname_np(o.load_err),
			       o.log);
	if (matches(c, &o))
		return;
	if (t->col != COL_KERNEL && c->gap && o.load_err) {
		g_test_skip_printf("bpfscope refuses the program (%s), a known difference: %s", o.log,
				   c->gap);
		return;
	}
	g_strlcpy(w.log, c->want.msg ? c->want.msg : "(any message)", sizeof(w.log));
	want = describe(&w, c);
	got = describe(&o, c);
	g_test_message("%s differs from the row\n  want: %s\n  got:  %s", column_names[t->col], want, got);
	g_test_fail();
	g_free(got);
	g_free(want);
}

static bool probe_kernel(void)
{
	int fd = map_create(&kernel_be, BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* One CPU for the whole process: the kernel's per-CPU map state then
 * belongs to the CPU the program runs on. */
static void pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu >= 0 ? cpu : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* BPF_F_NO_COMMON_LRU outside the table: an element belongs to the CPU
 * that inserted it, also after another CPU replaced it with BPF_EXIST, so
 * deleting it gives that CPU its place back. */
static void test_percpu_lru_owner(void)
{
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_LRU_PERCPU_HASH, .key_size = 4, .value_size = 8, .max_entries = 4,
	    .flags = BPF_F_NO_COMMON_LRU};
	static uint64_t value[MH_MAX_CPUS];
	struct bpfs_err err = {0};
	struct bpfs_map *map;
	uint32_t k = 1, next;
	int n = 0;

	if (ncpus() < 2 || ncpus() > MH_MAX_CPUS) {
		g_test_skip("needs 2 or more possible CPUs");
		return;
	}
	g_assert_cmpint(bpfs_map_new(&attr, &map, &err), ==, 0);
	g_assert_cmpuint(bpfs_map_attr(map)->max_entries % ncpus(), ==, 0);
	bpfs_map_set_cpu(1);
	g_assert_cmpint(bpfs_map_update(map, &k, value, BPF_ANY), ==, 0);
	bpfs_map_set_cpu(0);
	for (int i = 0; i < 3; i++)
		g_assert_cmpint(bpfs_map_update(map, &k, value, BPF_EXIST), ==, 0);
	g_assert_cmpint(bpfs_map_delete(map, &k), ==, 0);
	/* CPU 0 has all its places: inserting them evicts nothing */
	for (k = 10; k < 10 + bpfs_map_attr(map)->max_entries / ncpus(); k++)
		g_assert_cmpint(bpfs_map_update(map, &k, value, BPF_NOEXIST), ==, 0);
	for (int ret = bpfs_map_get_next_key(map, NULL, &next); ret == 0;
	     ret = bpfs_map_get_next_key(map, &next, &next))
		n++;
	g_assert_cmpint(n, ==, (int)(bpfs_map_attr(map)->max_entries / ncpus()));
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

int main(int argc, char **argv)
{
	static struct task tasks[G_N_ELEMENTS(mh_cases)][3];

	g_test_init(&argc, &argv, NULL);
	pin_cpu();
	kernel_ok = probe_kernel();
	for (size_t i = 0; i < G_N_ELEMENTS(mh_cases); i++) {
		char *slug = g_strdup(mh_cases[i].name);

		g_strdelimit(slug, "/ ", '-');
		for (int col = 0; col < 3; col++) {
			char *path = g_strdup_printf("/map-helpers/%03zu-%s/%s", i, slug, column_names[col]);

			tasks[i][col] = (struct task){&mh_cases[i], (enum column)col};
			g_test_add_data_func(path, &tasks[i][col], test_column);
			g_free(path);
		}
		g_free(slug);
	}
	g_test_add_func("/map-helpers/api/percpu-lru-owner", test_percpu_lru_owner);
	return g_test_run();
}
