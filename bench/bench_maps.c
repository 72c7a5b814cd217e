/* SPDX-License-Identifier: MIT */
/*
 * Map lookup and update speed: bpfscope's hash and array maps against
 * GLib's GHashTable (the baseline, measured in the same run) and, when
 * this process may use it, the kernel's hash map through bpf().
 *
 * For each map size (1K and 1M entries, u32 keys, 8-byte values, all keys
 * present) and thread count (1 and 2), it times random lookups and
 * replacing updates of existing keys, and prints ns per operation
 * (aggregate: wall time / total operations) and the ratio to GHashTable.
 *
 * bpfscope columns:
 *   prog    the program side (bpfs_map_lookup_elem returns a pointer;
 *           bpfs_map_update_elem), inside reader sections of 64 ops, as
 *           an interpreter would run them;
 *   copy    the syscall side called directly (bpfs_map_lookup copies the
 *           value out; bpfs_map_update);
 *   bpf()   bpfs_bpf(), the command layer with its descriptor lookup.
 * GHashTable uses direct (pointer-sized) keys and values, its fastest
 * mode; with 2 threads its updates take a GMutex (GHashTable is not
 * thread-safe), its lookups run unlocked on the unchanging table.
 * kernel bpf() is the kernel's BPF_MAP_TYPE_HASH through the bpf()
 * system call, so it includes the system call's cost (1 thread only).
 *
 * Usage: bench_maps [--quick]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "bpf.h"

#define BATCH 64

enum impl { PROG, COPY, CMD, GHASH, KERNEL, NIMPL };
enum op { LOOKUP, UPDATE };

static const char *const impl_names[NIMPL] = {"prog", "copy", "bpf()", "GHashTable", "kernel bpf()"};

struct setup {
	uint32_t type;
	uint32_t n;	/* entries */
	uint32_t *keys; /* n keys, shuffled: the access order */
	struct bpfs_map *map;
	int fd; /* bpfscope descriptor of map */
	GHashTable *gh;
	GMutex gh_lock;
	int kfd;      /* kernel map, -1 when unavailable */
	uint64_t ops; /* per measurement */
};

struct job {
	struct setup *s;
	enum impl impl;
	enum op op;
	uint64_t from, count;
	int threads;
	uint64_t sink;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long kbpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int kernel_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return (int)kbpf(cmd, &attr);
}

static int kernel_map(uint32_t n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = n;
	return (int)kbpf(BPF_MAP_CREATE, &attr);
}

static void run_prog(struct job *j)
{
	struct setup *s = j->s;
	uint64_t v = 1, sum = 0, idx = j->from % s->n;

	for (uint64_t i = 0; i < j->count; i += BATCH) {
		unsigned rcu = bpfs_rcu_read_lock();

		for (uint64_t b = i; b < i + BATCH && b < j->count; b++) {
			const uint32_t *k = &s->keys[idx];

			if (++idx == s->n)
				idx = 0;

			if (j->op == LOOKUP) {
				const uint64_t *p = bpfs_map_lookup_elem(s->map, k);

				sum += p ? *p : 0;
			} else {
				v++;
				bpfs_map_update_elem(s->map, k, &v, BPF_ANY);
			}
		}
		bpfs_rcu_read_unlock(rcu);
	}
	j->sink = sum;
}

static void run_other(struct job *j)
{
	struct setup *s = j->s;
	uint64_t v = 1, sum = 0, idx = j->from % s->n;

	for (uint64_t b = 0; b < j->count; b++) {
		uint32_t *k = &s->keys[idx];

		if (++idx == s->n)
			idx = 0;

		v++;
		switch (j->impl) {
		case COPY:
			if (j->op == LOOKUP)
				bpfs_map_lookup(s->map, k, &v, 0);
			else
				bpfs_map_update(s->map, k, &v, BPF_ANY);
			break;
		case CMD:
			if (j->op == LOOKUP)
				bpfs_lookup_elem(s->fd, k, &v);
			else
				bpfs_update_elem(s->fd, k, &v, BPF_ANY);
			break;
		case KERNEL:
			kernel_elem(j->op == LOOKUP ? BPF_MAP_LOOKUP_ELEM : BPF_MAP_UPDATE_ELEM, s->kfd, k,
				    &v, BPF_ANY);
			break;
		case GHASH:
			if (j->op == LOOKUP) {
				v = GPOINTER_TO_SIZE(g_hash_table_lookup(s->gh, GUINT_TO_POINTER(*k)));
			} else if (j->threads == 1) {
				g_hash_table_insert(s->gh, GUINT_TO_POINTER(*k), GSIZE_TO_POINTER(v));
			} else {
				g_mutex_lock(&s->gh_lock);
				g_hash_table_insert(s->gh, GUINT_TO_POINTER(*k), GSIZE_TO_POINTER(v));
				g_mutex_unlock(&s->gh_lock);
			}
			break;
		default:
			break;
		}
		sum += v;
	}
	j->sink = sum;
}

static gpointer job_thread(gpointer data)
{
	struct job *j = data;

	if (j->impl == PROG)
		run_prog(j);
	else
		run_other(j);
	return NULL;
}

/* ns per operation, aggregate over threads, of one run. */
static double measure_once(struct setup *s, enum impl impl, enum op op, int threads)
{
	struct job jobs[2];
	GThread *th[2];
	double t0, t1;

	for (int i = 0; i < threads; i++)
		jobs[i] =
		    (struct job){s, impl, op, (uint64_t)i * s->n / threads, s->ops / threads, threads, 0};
	t0 = now();
	if (threads == 1) {
		job_thread(&jobs[0]);
	} else {
		for (int i = 0; i < threads; i++)
			th[i] = g_thread_new("bench", job_thread, &jobs[i]);
		for (int i = 0; i < threads; i++)
			g_thread_join(th[i]);
	}
	t1 = now();
	return (t1 - t0) * 1e9 / (double)(s->ops / threads * threads);
}

/* The best of REPEAT runs: on a shared machine, other load only ever
 * makes a run slower, so the minimum is the least disturbed figure. */
#define REPEAT 3

static double measure(struct setup *s, enum impl impl, enum op op, int threads)
{
	double best = 0;

	for (int i = 0; i < REPEAT; i++) {
		double ns = measure_once(s, impl, op, threads);

		if (i == 0 || ns < best)
			best = ns;
	}
	return best;
}

static void shuffle(uint32_t *a, uint32_t n, GRand *r)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)g_rand_int_range(r, 0, (gint32)i + 1), t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

static int setup_init(struct setup *s, uint32_t type, uint32_t n, uint64_t ops, bool kernel)
{
	GRand *r = g_rand_new_with_seed(42);
	uint64_t v = 0;

	memset(s, 0, sizeof(*s));
	s->type = type;
	s->n = n;
	s->ops = ops;
	s->keys = g_new(uint32_t, n);
	for (uint32_t i = 0; i < n; i++)
		s->keys[i] = type == BPF_MAP_TYPE_ARRAY ? i : i * 2654435761u;
	shuffle(s->keys, n, r);
	g_rand_free(r);
	s->fd = (int)bpfs_create_map(type, 4, 8, (int)n);
	if (s->fd < 0 || bpfs_fd_to_map(s->fd, &s->map))
		return -1;
	s->gh = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_mutex_init(&s->gh_lock);
	s->kfd = kernel && type == BPF_MAP_TYPE_HASH ? kernel_map(n) : -1;
	for (uint32_t i = 0; i < n; i++) {
		bpfs_map_update(s->map, &s->keys[i], &v, BPF_ANY);
		g_hash_table_insert(s->gh, GUINT_TO_POINTER(s->keys[i]), GSIZE_TO_POINTER(i));
		if (s->kfd >= 0)
			kernel_elem(BPF_MAP_UPDATE_ELEM, s->kfd, &s->keys[i], &v, BPF_ANY);
	}
	return 0;
}

static void setup_fini(struct setup *s)
{
	if (s->kfd >= 0)
		close(s->kfd);
	bpfs_map_put(s->map);
	bpfs_close(s->fd);
	g_hash_table_unref(s->gh);
	g_mutex_clear(&s->gh_lock);
	g_free(s->keys);
	bpfs_rcu_barrier();
}

static void print_row(const char *map, uint32_t n, const char *op, int threads, const double *ns)
{
	printf("%-6s %5s %-6s %2d |", map, n >= 1000000 ? "1M" : "1K", op, threads);
	for (int i = 0; i < NIMPL; i++) {
		if (ns[i] < 0)
			printf(" %12s", "-");
		else
			printf(" %12.1f", ns[i]);
	}
	printf(" | %6.2f %6.2f\n", ns[GHASH] > 0 ? ns[PROG] / ns[GHASH] : 0,
	       ns[GHASH] > 0 ? ns[COPY] / ns[GHASH] : 0);
}

static const char *loadavg(void)
{
	static char buf[64] = "unknown";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	return buf;
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	int kfd = kernel_map(1);
	bool kernel = kfd >= 0;
	const uint32_t types[] = {BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY};
	const uint32_t sizes[] = {1000, 1000000};
	double t0 = now();

	if (kfd >= 0)
		close(kfd);
	printf("bpfscope map benchmark: ns per operation (lower is better), u32 keys, 8-byte values\n");
	printf("prog = program side (pointer lookups), copy = syscall side called directly,\n"
	       "bpf() = bpfscope's bpf() command layer; kernel bpf() includes the system call%s.\n",
	       kernel ? "" : " (not available here: needs root or CAP_BPF)");
	printf("ratios: prog/GHashTable and copy/GHashTable (< 1: faster than GHashTable)\n");
	printf("each figure is the best of %d runs; load average at start: %s\n", REPEAT, loadavg());
	printf("%-6s %5s %-6s %2s |", "map", "size", "op", "th");
	for (int i = 0; i < NIMPL; i++)
		printf(" %12s", impl_names[i]);
	printf(" | %6s %6s\n", "prog/G", "copy/G");
	for (size_t t = 0; t < 2; t++) {
		for (size_t z = 0; z < 2; z++) {
			struct setup s;
			uint64_t ops = quick ? 100000 : (sizes[z] >= 1000000 ? 600000 : 1200000);

			if (setup_init(&s, types[t], sizes[z], ops, kernel)) {
				fprintf(stderr, "cannot create the map: %s\n", strerror(errno));
				return 1;
			}
			for (int op = LOOKUP; op <= UPDATE; op++) {
				for (int threads = 1; threads <= 2; threads++) {
					double ns[NIMPL];

					for (int i = 0; i < NIMPL; i++) {
						bool skip = (i == KERNEL && (s.kfd < 0 || threads > 1));
						uint64_t saved = s.ops;

						if (i == KERNEL || i == CMD)
							s.ops = ops / 4; /* slower paths: fewer ops */
						ns[i] = skip
							    ? -1
							    : measure(&s, (enum impl)i, (enum op)op, threads);
						s.ops = saved;
					}
					print_row(types[t] == BPF_MAP_TYPE_HASH ? "hash" : "array", sizes[z],
						  op == LOOKUP ? "lookup" : "update", threads, ns);
				}
			}
			setup_fini(&s);
		}
	}
	printf("\n%.1f s\n", now() - t0);
	return 0;
}
