/* SPDX-License-Identifier: MIT */
/*
 * Maps through bpfscope's bpf(): every row of the map case table
 * (map_cases.h, whose rows test_maps_kernel.c checks against the kernel),
 * one test case each, /maps/table/<index>-<slug>; then the parts of the
 * maps API that only bpfscope has: program-side pointers and their
 * lifetime, per-CPU slots, perf output rings, prog_array slots and
 * references, maps from object declarations, and larger randomised checks
 * against simple models.
 */
#include "bpf.h"
#include "map_cases.h"

static long bpf_fn(int cmd, union bpf_attr *attr, unsigned int size)
{
	return bpfs_bpf(cmd, attr, size);
}

static void test_row(gconstpointer data)
{
	struct mc_env env = {bpf_fn, bpfs_close, bpfs_map_ncpus()};
	char *fail, *trace = mc_run(&env, data, &fail);

	if (fail)
		g_test_message("%s\ntrace:\n%s", fail, trace);
	g_assert_null(fail);
	g_free(trace);
}

static struct bpfs_map *new_map(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	struct bpfs_map_attr attr = {
	    .type = type, .key_size = ks, .value_size = vs, .max_entries = max, .flags = flags};
	struct bpfs_map *map = NULL;
	struct bpfs_err err;

	g_assert_cmpint(bpfs_map_new(&attr, &map, &err), ==, 0);
	return map;
}

/* A program-side pointer keeps showing the old value after the element is
 * replaced or deleted, until the reader section ends. */
static void test_hash_pointer_lifetime(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	uint32_t k = 1;
	uint64_t v = 10, got = 0, *p, *q;
	unsigned rcu;

	g_assert_cmpint(bpfs_map_update(map, &k, &v, BPF_ANY), ==, 0);
	rcu = bpfs_rcu_read_lock();
	p = bpfs_map_lookup_elem(map, &k);
	g_assert_nonnull(p);
	g_assert_cmpuint(*p, ==, 10);
	v = 11;
	g_assert_cmpint(bpfs_map_update_elem(map, &k, &v, BPF_EXIST), ==, 0);
	q = bpfs_map_lookup_elem(map, &k);
	g_assert_true(p != q);
	g_assert_cmpuint(*p, ==, 10);
	g_assert_cmpuint(*q, ==, 11);
	g_assert_cmpint(bpfs_map_delete_elem(map, &k), ==, 0);
	g_assert_null(bpfs_map_lookup_elem(map, &k));
	g_assert_cmpuint(*q, ==, 11);
	bpfs_rcu_read_unlock(rcu);
	g_assert_cmpint(bpfs_map_lookup(map, &k, &got, 0), ==, -ENOENT);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

static void test_array_pointer(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	uint32_t k = 3, out = 4;
	uint64_t *p, got = 0;
	unsigned rcu = bpfs_rcu_read_lock();

	p = bpfs_map_lookup_elem(map, &k);
	g_assert_nonnull(p);
	*p = 77;
	g_assert_null(bpfs_map_lookup_elem(map, &out));
	bpfs_rcu_read_unlock(rcu);
	g_assert_cmpint(bpfs_map_lookup(map, &k, &got, 0), ==, 0);
	g_assert_cmpuint(got, ==, 77);
	g_assert_cmpint(bpfs_map_delete_elem(map, &k), ==, -EINVAL);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* Program-side accesses act on the calling thread's CPU only. */
static void test_percpu(gconstpointer data)
{
	uint32_t type = GPOINTER_TO_UINT(data);
	unsigned n = bpfs_map_ncpus(), cpu = n - 1;
	struct bpfs_map *map = new_map(type, 4, 4, 2, 0);
	uint32_t k = 1, v = 5, *p;
	uint8_t *all;
	unsigned rcu;

	g_assert_cmpuint(bpfs_map_user_value_size(map), ==, 8 * n);
	bpfs_map_set_cpu(cpu);
	g_assert_cmpint(bpfs_map_update_elem(map, &k, &v, BPF_ANY), ==, 0);
	rcu = bpfs_rcu_read_lock();
	p = bpfs_map_lookup_elem(map, &k);
	g_assert_nonnull(p);
	g_assert_cmpuint(*p, ==, 5);
	bpfs_rcu_read_unlock(rcu);
	all = g_malloc(8 * n);
	g_assert_cmpint(bpfs_map_lookup(map, &k, all, 0), ==, 0);
	for (unsigned i = 0; i < n; i++)
		g_assert_cmpuint(*(uint32_t *)(all + 8 * i), ==, i == cpu ? 5 : 0);
	/* a second program-side update changes only this CPU's slot */
	bpfs_map_set_cpu(0);
	v = 9;
	g_assert_cmpint(bpfs_map_update_elem(map, &k, &v, BPF_ANY), ==, 0);
	g_assert_cmpint(bpfs_map_lookup(map, &k, all, 0), ==, 0);
	g_assert_cmpuint(*(uint32_t *)all, ==, 9);
	g_assert_cmpuint(*(uint32_t *)(all + 8 * cpu), ==, cpu == 0 ? 9 : 5);
	g_free(all);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

static void test_bloom_program_side(void)
{
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_BLOOM_FILTER, .value_size = 4, .max_entries = 64, .map_extra = 3};
	struct bpfs_map *map = NULL;
	uint32_t v = 42, w = 43;

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	g_assert_cmpint(bpfs_map_peek_elem(map, &v), ==, -ENOENT);
	g_assert_cmpint(bpfs_map_push_elem(map, &v, BPF_ANY), ==, 0);
	g_assert_cmpint(bpfs_map_push_elem(map, &v, BPF_EXIST), ==, -EINVAL);
	g_assert_cmpint(bpfs_map_peek_elem(map, &v), ==, 0);
	g_assert_cmpint(bpfs_map_peek_elem(map, &w), ==, -ENOENT);
	g_assert_null(bpfs_map_lookup_elem(map, &v));
	bpfs_map_put_uref(map);
}

struct drained {
	GString *s;
	int n;
};

static void collect(void *ctx, uint32_t index, const void *data, size_t size)
{
	struct drained *d = ctx;

	g_string_append_printf(d->s, "%u:%.*s ", index, (int)size, (const char *)data);
	d->n++;
}

static void test_perf_rings(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2, 0);
	struct bpfs_map *hash = new_map(BPF_MAP_TYPE_HASH, 4, 4, 2, 0);
	struct drained d = {g_string_new(NULL), 0};
	char *big = g_malloc0(BPFS_PERF_RING_BYTES);

	g_assert_cmpint(bpfs_map_perf_drain(map, BPFS_PERF_ALL, collect, &d), ==, 0);
	g_assert_cmpint(bpfs_map_perf_output(map, 1, "b1", 2), ==, 0);
	g_assert_cmpint(bpfs_map_perf_output(map, 0, "a1", 2), ==, 0);
	g_assert_cmpint(bpfs_map_perf_output(map, 1, "b2", 2), ==, 0);
	g_assert_cmpint(bpfs_map_perf_output(map, 2, "x", 1), ==, -E2BIG);
	g_assert_cmpint(bpfs_map_perf_output(hash, 0, "x", 1), ==, -EINVAL);
	g_assert_cmpint(bpfs_map_perf_drain(map, BPFS_PERF_ALL, collect, &d), ==, 3);
	g_assert_cmpstr(d.s->str, ==, "0:a1 1:b1 1:b2 ");
	g_assert_cmpint(bpfs_map_perf_drain(map, BPFS_PERF_ALL, collect, &d), ==, 0);
	/* a full ring loses records and says so */
	g_assert_cmpint(bpfs_map_perf_output(map, 0, big, BPFS_PERF_RING_BYTES), ==, 0);
	g_assert_cmpint(bpfs_map_perf_output(map, 0, "y", 1), ==, -ENOSPC);
	g_assert_cmpint(bpfs_map_perf_output(map, 1, "z", 1), ==, 0);
	g_assert_cmpuint(bpfs_map_perf_lost(map, 0), ==, 1);
	g_assert_cmpuint(bpfs_map_perf_lost(map, BPFS_PERF_ALL), ==, 1);
	g_assert_cmpint(bpfs_map_perf_drain(map, 0, NULL, NULL), ==, 1);
	g_assert_cmpint(bpfs_map_perf_output(map, 0, "y", 1), ==, 0);
	g_assert_cmpint(bpfs_map_perf_drain(map, 5, NULL, NULL), ==, -E2BIG);
	/* undrained records are freed with the map */
	g_free(big);
	g_string_free(d.s, TRUE);
	bpfs_map_put_uref(hash);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* Program objects as the descriptor layer would supply them. */
struct fake_prog {
	struct bpfs_ref ref;
	uint32_t type;
	bool *freed;
};

static void fake_release(struct bpfs_ref *ref)
{
	struct fake_prog *p = (struct fake_prog *)ref;

	*p->freed = true;
	g_free(p);
}

static struct fake_prog *fake_new(uint32_t id, uint32_t type, bool *freed)
{
	struct fake_prog *p = g_new0(struct fake_prog, 1);

	bpfs_ref_init(&p->ref, id, fake_release);
	p->type = type;
	p->freed = freed;
	*freed = false;
	return p;
}

static struct fake_prog *fakes[4];

static int fake_resolve(void *ctx, struct bpfs_map *map, uint32_t fd, struct bpfs_ref **out)
{
	(void)ctx;
	if (fd >= 4 || !fakes[fd])
		return -EBADF;
	if (bpfs_map_prog_array_compat(map, fakes[fd]->type))
		return -EINVAL;
	bpfs_ref_get(&fakes[fd]->ref);
	*out = &fakes[fd]->ref;
	return 0;
}

static void test_prog_array_refs(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	bool freed[3];
	uint32_t k = 1, fd, id = 0;

	fakes[0] = fake_new(100, BPF_PROG_TYPE_XDP, &freed[0]);
	fakes[1] = fake_new(101, BPF_PROG_TYPE_XDP, &freed[1]);
	fakes[2] = fake_new(102, BPF_PROG_TYPE_SOCKET_FILTER, &freed[2]);
	fd = 0;
	g_assert_cmpint(bpfs_map_fd_update(map, &k, &fd, BPF_ANY, fake_resolve, NULL), ==, 0);
	g_assert_cmpint(bpfs_map_lookup(map, &k, &id, 0), ==, 0);
	g_assert_cmpuint(id, ==, 100);
	g_assert_true(bpfs_map_prog_array_get(map, 1) == &fakes[0]->ref);
	g_assert_null(bpfs_map_prog_array_get(map, 0));
	g_assert_null(bpfs_map_prog_array_get(map, 4));
	/* another program type than the array's first is refused */
	fd = 2;
	g_assert_cmpint(bpfs_map_fd_update(map, &k, &fd, BPF_ANY, fake_resolve, NULL), ==, -EINVAL);
	fd = 3;
	g_assert_cmpint(bpfs_map_fd_update(map, &k, &fd, BPF_ANY, fake_resolve, NULL), ==, -EBADF);
	/* replacing drops the old program's reference once readers are done */
	fd = 1;
	g_assert_cmpint(bpfs_map_fd_update(map, &k, &fd, BPF_ANY, fake_resolve, NULL), ==, 0);
	k = 2;
	g_assert_cmpint(bpfs_map_fd_update(map, &k, &fd, BPF_ANY, fake_resolve, NULL), ==, 0);
	bpfs_ref_put(&fakes[0]->ref);
	g_assert_false(freed[0]);
	bpfs_rcu_barrier();
	g_assert_true(freed[0]);
	g_assert_cmpint(bpfs_map_delete(map, &k), ==, 0);
	g_assert_cmpint(bpfs_map_delete(map, &k), ==, -ENOENT);
	/* the last user reference empties the array: the program goes even
	 * though a program reference on the map remains */
	bpfs_map_get(map);
	bpfs_ref_put(&fakes[1]->ref);
	bpfs_ref_put(&fakes[2]->ref);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
	g_assert_true(freed[1]);
	g_assert_true(freed[2]);
	g_assert_null(bpfs_map_prog_array_get(map, 1));
	bpfs_map_put(map);
	bpfs_rcu_barrier();
}

static void test_from_spec(void)
{
	uint8_t init[16] = "initial data";
	struct bpfs_map_spec spec = {
	    .name = (char *)".data",
	    .type = BPF_MAP_TYPE_ARRAY,
	    .key_size = 4,
	    .value_size = sizeof(init),
	    .max_entries = 1,
	    .inner_map = -1,
	    .internal = true,
	    .init_data = init,
	    .init_size = sizeof(init),
	};
	struct bpfs_map *map = NULL;
	struct bpfs_err err;
	uint8_t got[16];
	uint32_t k = 0;

	g_assert_cmpint(bpfs_map_new_from_spec(&spec, &map, &err), ==, 0);
	g_assert_cmpstr(bpfs_map_attr(map)->name, ==, ".data");
	g_assert_cmpint(bpfs_map_lookup(map, &k, got, 0), ==, 0);
	g_assert_cmpmem(got, sizeof(got), init, sizeof(init));
	bpfs_map_put_uref(map);
	spec.key_size = 8;
	g_assert_cmpint(bpfs_map_new_from_spec(&spec, &map, &err), ==, -EINVAL);
	g_assert_null(map);
	g_assert_nonnull(strstr(err.msg, "map '.data'"));
	bpfs_rcu_barrier();
}

/* Many keys: the limit, and get_next_key visiting each exactly once. */
static void test_hash_many(void)
{
	const uint32_t n = 5000;
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_HASH, 8, 4, n, BPF_F_NO_PREALLOC);
	uint8_t *seen = g_malloc0(n);
	uint64_t k, next;
	uint32_t v, count = 0;
	bool first = true;

	for (k = 0; k < n; k++) {
		uint64_t key = k * 0x9e3779b97f4a7c15ull;

		v = (uint32_t)k;
		g_assert_cmpint(bpfs_map_update(map, &key, &v, BPF_NOEXIST), ==, 0);
	}
	k = 12345;
	g_assert_cmpint(bpfs_map_update(map, &k, &v, BPF_ANY), ==, -E2BIG);
	while (bpfs_map_get_next_key(map, first ? NULL : &k, &next) == 0) {
		g_assert_cmpint(bpfs_map_lookup(map, &next, &v, 0), ==, 0);
		g_assert_cmpuint(v, <, n);
		g_assert_cmpuint(seen[v], ==, 0);
		seen[v] = 1;
		count++;
		k = next;
		first = false;
	}
	g_assert_cmpuint(count, ==, n);
	for (k = 0; k < n; k++) {
		uint64_t key = k * 0x9e3779b97f4a7c15ull;

		g_assert_cmpint(bpfs_map_delete(map, &key), ==, 0);
	}
	g_assert_cmpint(bpfs_map_get_next_key(map, NULL, &next), ==, -ENOENT);
	g_free(seen);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* The LPM trie against a brute-force model on random prefixes of 16-bit
 * addresses: updates, deletes and lookups, then the iteration order: all
 * keys once, and never a prefix before one it covers (post-order). */
#define LPM_SLOTS (17 * 64) /* prefix lengths 0..16 x a few addresses each */

static bool covers(uint32_t plen, uint32_t paddr, uint32_t len, uint32_t addr)
{
	return plen <= len && (plen == 0 || (paddr >> (16 - plen)) == (addr >> (16 - plen)));
}

static void lpm_key(uint8_t key[6], uint32_t len, uint32_t addr)
{
	memcpy(key, &len, 4);
	key[4] = (uint8_t)(addr >> 8);
	key[5] = (uint8_t)addr;
}

static void test_lpm_model(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_LPM_TRIE, 6, 8, LPM_SLOTS, BPF_F_NO_PREALLOC);
	GHashTable *model = g_hash_table_new(g_direct_hash, g_direct_equal); /* len<<16|addr -> value+1 */
	GRand *rand = g_rand_new_with_seed(7);
	uint8_t key[6], prev[6], next[6];
	uint64_t got;
	bool first = true;
	unsigned n = 0;

	for (int round = 0; round < 3000; round++) {
		uint32_t len = (uint32_t)g_rand_int_range(rand, 0, 17);
		uint32_t addr = (uint32_t)g_rand_int_range(rand, 0, 64) << 10;
		uint32_t best_len = 0, qaddr = (uint32_t)g_rand_int_range(rand, 0, 1 << 16);
		gpointer best = NULL, id;
		GHashTableIter it;
		gpointer k, v;

		addr = len ? addr & ~((1u << (16 - len)) - 1) & 0xffff : 0;
		id = GUINT_TO_POINTER(len << 16 | addr);
		lpm_key(key, len, addr);
		if (g_hash_table_contains(model, id)) {
			g_assert_cmpint(bpfs_map_delete(map, key), ==, 0);
			g_hash_table_remove(model, id);
		} else {
			got = (uint64_t)round;
			g_assert_cmpint(bpfs_map_update(map, key, &got, BPF_NOEXIST), ==, 0);
			g_hash_table_insert(model, id, GUINT_TO_POINTER(round + 1));
		}
		g_hash_table_iter_init(&it, model);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			uint32_t l = GPOINTER_TO_UINT(k) >> 16, a = GPOINTER_TO_UINT(k) & 0xffff;

			if (covers(l, a, 16, qaddr) && (!best || l > best_len)) {
				best = v;
				best_len = l;
			}
		}
		lpm_key(key, 16, qaddr);
		if (best) {
			g_assert_cmpint(bpfs_map_lookup(map, key, &got, 0), ==, 0);
			g_assert_cmpuint(got + 1, ==, GPOINTER_TO_UINT(best));
		} else {
			g_assert_cmpint(bpfs_map_lookup(map, key, &got, 0), ==, -ENOENT);
		}
	}
	while (bpfs_map_get_next_key(map, first ? NULL : prev, next) == 0) {
		uint32_t plen, nlen;

		memcpy(&nlen, next, 4);
		g_assert_true(
		    g_hash_table_contains(model, GUINT_TO_POINTER(nlen << 16 | next[4] << 8 | next[5])));
		if (!first) {
			memcpy(&plen, prev, 4);
			g_assert_false(plen < nlen && covers(plen, (uint32_t)prev[4] << 8 | prev[5], nlen,
							     (uint32_t)next[4] << 8 | next[5]));
		}
		memcpy(prev, next, 6);
		first = false;
		g_assert_cmpuint(++n, <=, g_hash_table_size(model));
	}
	g_assert_cmpuint(n, ==, g_hash_table_size(model));
	g_hash_table_unref(model);
	g_rand_free(rand);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* An LRU map keeps the most recently used keys: a key a program looks up
 * survives evictions that take the keys around it (lookups from userspace
 * are not uses, as in the kernel). */
static void test_lru_recency(void)
{
	struct bpfs_map *map = new_map(BPF_MAP_TYPE_LRU_HASH, 4, 4, 8, 0);
	uint32_t k, v = 0;

	for (k = 0; k < 8; k++)
		g_assert_cmpint(bpfs_map_update(map, &k, &v, BPF_NOEXIST), ==, 0);
	for (k = 100; k < 140; k++) {
		uint32_t hot = 0;
		unsigned rcu = bpfs_rcu_read_lock();

		g_assert_nonnull(bpfs_map_lookup_elem(map, &hot));
		bpfs_rcu_read_unlock(rcu);
		g_assert_cmpint(bpfs_map_update(map, &k, &v, BPF_ANY), ==, 0);
	}
	k = 0;
	g_assert_cmpint(bpfs_map_lookup(map, &k, &v, 0), ==, 0);
	k = 1;
	g_assert_cmpint(bpfs_map_lookup(map, &k, &v, 0), ==, -ENOENT);
	k = 139;
	g_assert_cmpint(bpfs_map_lookup(map, &k, &v, 0), ==, 0);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

static void test_hash64(void)
{
	uint32_t a = 1, b = 2;

	g_assert_cmpuint(bpfs_hash64(&a, 4, 0), !=, bpfs_hash64(&b, 4, 0));
	g_assert_cmpuint(bpfs_hash64(&a, 4, 0), ==, bpfs_hash64(&a, 4, 0));
	g_assert_cmpuint(bpfs_hash64(&a, 4, 0), !=, bpfs_hash64(&a, 4, 1));
	g_assert_cmpuint(bpfs_hash64("", 0, 0), !=, bpfs_hash64("", 0, 1));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < MC_NCASES; i++) {
		char *path = mc_path("/maps/table", i);

		g_test_add_data_func(path, &mc_cases[i], test_row);
		g_free(path);
	}
	g_test_add_func("/maps/api/hash-pointer-lifetime", test_hash_pointer_lifetime);
	g_test_add_func("/maps/api/array-pointer", test_array_pointer);
	g_test_add_data_func("/maps/api/percpu-array", GUINT_TO_POINTER(BPF_MAP_TYPE_PERCPU_ARRAY),
			     test_percpu);
	g_test_add_data_func("/maps/api/percpu-hash", GUINT_TO_POINTER(BPF_MAP_TYPE_PERCPU_HASH),
			     test_percpu);
	g_test_add_func("/maps/api/bloom-program-side", test_bloom_program_side);
	g_test_add_func("/maps/api/perf-rings", test_perf_rings);
	g_test_add_func("/maps/api/prog-array-refs", test_prog_array_refs);
	g_test_add_func("/maps/api/from-spec", test_from_spec);
	g_test_add_func("/maps/api/hash-many", test_hash_many);
	g_test_add_func("/maps/api/lpm-model", test_lpm_model);
	g_test_add_func("/maps/api/lru-recency", test_lru_recency);
	g_test_add_func("/maps/api/hash64", test_hash64);
	return g_test_run();
}
