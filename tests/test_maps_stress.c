/* SPDX-License-Identifier: MIT */
/*
 * Several threads updating, deleting, looking up and iterating the same
 * map at once, through the syscall side and the program side.
 *
 * What is checked:
 *   - no lost update: each thread owns a range of keys and keeps a model
 *     of them; every lookup of an owned key must match the model, and at
 *     the end the map must hold exactly the models' keys and values;
 *   - no torn value: shared keys are written by every thread with values
 *     whose words are all equal ({x, x, ..., x}); any read (a syscall-side
 *     copy, or a program-side pointer read twice inside one reader
 *     section) must find all words equal, and the same on both reads;
 *   - no crash, no leak (run under ASan and TSan), iteration terminates.
 *
 * Bounded: THREADS threads x OPS operations each, and at most
 * TIME_LIMIT seconds.
 */
#include <string.h>

#include <glib.h>

#include "maps.h"

#define THREADS 4
#define OPS 20000
#define TIME_LIMIT 20.0
#define OWN_KEYS 128
#define SHARED_KEYS 16
#define WORDS 8 /* value: WORDS equal u64 */

struct value {
	uint64_t w[WORDS];
};

struct ctx {
	struct bpfs_map *map;
	int id;
	GTimer *timer;
	uint64_t model[OWN_KEYS]; /* 0: absent, else the value's word */
	uint64_t torn, checked, mismatches;
};

static uint32_t own_key(int t, int i)
{
	return (uint32_t)(t * 1000 + i);
}

static void fill(struct value *v, uint64_t x)
{
	for (int i = 0; i < WORDS; i++)
		v->w[i] = x;
}

static bool whole(const struct value *v)
{
	for (int i = 1; i < WORDS; i++)
		if (v->w[i] != v->w[0])
			return false;
	return true;
}

static void owned_op(struct ctx *c, GRand *r, uint64_t *seq)
{
	int i = g_rand_int_range(r, 0, OWN_KEYS);
	uint32_t k = own_key(c->id, i);
	struct value v;
	int op = g_rand_int_range(r, 0, 4), ret;

	switch (op) {
	case 0: /* update, with the flag that must succeed or fail per the model */
	case 1: {
		uint64_t flags = c->model[i] ? BPF_EXIST : BPF_NOEXIST;

		if (op == 1)
			flags = c->model[i] ? BPF_NOEXIST : BPF_EXIST; /* must fail */
		fill(&v, ((uint64_t)c->id << 56) | ++*seq);
		ret = op == 0 ? bpfs_map_update(c->map, &k, &v, flags)
			      : bpfs_map_update_elem(c->map, &k, &v, flags);
		if (op == 0 && ret == 0)
			c->model[i] = v.w[0];
		else if (op == 1 && ret != (c->model[i] ? -EEXIST : -ENOENT))
			c->mismatches++;
		else if (op == 0 && ret != 0)
			c->mismatches++;
		break;
	}
	case 2:
		ret = bpfs_map_delete(c->map, &k);
		if (ret != (c->model[i] ? 0 : -ENOENT))
			c->mismatches++;
		c->model[i] = 0;
		break;
	default:
		ret = bpfs_map_lookup(c->map, &k, &v, 0);
		if (c->model[i] ? (ret != 0 || !whole(&v) || v.w[0] != c->model[i]) : ret != -ENOENT)
			c->mismatches++;
		break;
	}
}

static void shared_op(struct ctx *c, GRand *r, uint64_t *seq)
{
	uint32_t k = 1000000 + (uint32_t)g_rand_int_range(r, 0, SHARED_KEYS);
	struct value v;
	int op = g_rand_int_range(r, 0, 4);

	if (op == 0) {
		fill(&v, ((uint64_t)c->id << 56) | ++*seq);
		if (bpfs_map_update(c->map, &k, &v, BPF_ANY))
			c->mismatches++;
	} else if (op == 1) {
		bpfs_map_delete(c->map, &k);
	} else if (op == 2) {
		if (bpfs_map_lookup(c->map, &k, &v, 0) == 0) {
			c->checked++;
			c->torn += !whole(&v);
		}
	} else {
		/* a program's view: the pointed-to value stays whole and stable
		 * for the reader section, whatever other threads do */
		unsigned rcu = bpfs_rcu_read_lock();
		const struct value *p = bpfs_map_lookup_elem(c->map, &k);

		if (p) {
			struct value a = *p, b;

			g_thread_yield();
			b = *p;
			c->checked++;
			c->torn += !whole(&a) || memcmp(&a, &b, sizeof(a)) != 0;
		}
		bpfs_rcu_read_unlock(rcu);
	}
}

static void iterate(struct ctx *c)
{
	uint32_t k, next;
	bool first = true;
	int steps = 0;
	struct value v;

	while (bpfs_map_get_next_key(c->map, first ? NULL : &k, &next) == 0 &&
	       steps < 4 * THREADS * OWN_KEYS) {
		if (bpfs_map_lookup(c->map, &next, &v, 0) == 0) {
			c->checked++;
			c->torn += !whole(&v);
		}
		k = next;
		first = false;
		steps++;
	}
}

static gpointer worker(gpointer data)
{
	struct ctx *c = data;
	GRand *r = g_rand_new_with_seed((guint32)c->id * 7919u + 1);
	uint64_t seq = 0;

	for (int n = 0; n < OPS && g_timer_elapsed(c->timer, NULL) < TIME_LIMIT; n++) {
		int kind = g_rand_int_range(r, 0, 100);

		if (kind < 55)
			owned_op(c, r, &seq);
		else if (kind < 99)
			shared_op(c, r, &seq);
		else
			iterate(c);
	}
	g_rand_free(r);
	return NULL;
}

static void check_final(struct bpfs_map *map, struct ctx *ctx)
{
	uint32_t k, next, owned = 0, expected = 0;
	bool first = true;

	for (int t = 0; t < THREADS; t++) {
		for (int i = 0; i < OWN_KEYS; i++) {
			uint32_t key = own_key(t, i);
			struct value v;
			int ret = bpfs_map_lookup(map, &key, &v, 0);

			if (ctx[t].model[i]) {
				expected++;
				g_assert_cmpint(ret, ==, 0);
				g_assert_true(whole(&v));
				g_assert_cmpuint(v.w[0], ==, ctx[t].model[i]);
			} else {
				g_assert_cmpint(ret, ==, -ENOENT);
			}
		}
	}
	while (bpfs_map_get_next_key(map, first ? NULL : &k, &next) == 0) {
		owned += next < 1000000;
		k = next;
		first = false;
	}
	g_assert_cmpuint(owned, ==, expected);
}

static void run(uint32_t flags)
{
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_HASH,
	    .key_size = 4,
	    .value_size = sizeof(struct value),
	    .max_entries = THREADS * OWN_KEYS + SHARED_KEYS,
	    .flags = flags,
	};
	struct bpfs_map *map = NULL;
	struct ctx ctx[THREADS];
	GThread *th[THREADS];
	GTimer *timer = g_timer_new();
	uint64_t checked = 0;

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	memset(ctx, 0, sizeof(ctx));
	for (int t = 0; t < THREADS; t++) {
		ctx[t].map = map;
		ctx[t].id = t;
		ctx[t].timer = timer;
		th[t] = g_thread_new("worker", worker, &ctx[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		g_thread_join(th[t]);
		g_assert_cmpuint(ctx[t].mismatches, ==, 0);
		g_assert_cmpuint(ctx[t].torn, ==, 0);
		checked += ctx[t].checked;
	}
	g_test_message("%" G_GUINT64_FORMAT " shared reads checked in %.2f s", checked,
		       g_timer_elapsed(timer, NULL));
	g_assert_cmpuint(checked, >, 0);
	check_final(map, ctx);
	g_timer_destroy(timer);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

static void test_hash(void)
{
	run(0);
}

static void test_hash_no_prealloc(void)
{
	run(BPF_F_NO_PREALLOC);
}

/* Arrays: whole-value syscall-side updates and copies never mix. */
struct actx {
	struct bpfs_map *map;
	int id;
	uint64_t torn;
};

static gpointer array_worker(gpointer data)
{
	struct actx *c = data;
	struct value v;

	for (int n = 0; n < OPS; n++) {
		uint32_t k = (uint32_t)(n % 8);

		if ((n + c->id) % 2) {
			fill(&v, ((uint64_t)c->id << 32) | (uint64_t)n);
			g_assert_cmpint(bpfs_map_update(c->map, &k, &v, BPF_ANY), ==, 0);
		} else {
			g_assert_cmpint(bpfs_map_lookup(c->map, &k, &v, 0), ==, 0);
			c->torn += !whole(&v);
		}
	}
	return NULL;
}

static void test_array(void)
{
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = sizeof(struct value), .max_entries = 8};
	struct bpfs_map *map = NULL;
	struct actx ctx[THREADS];
	GThread *th[THREADS];

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	for (int t = 0; t < THREADS; t++) {
		ctx[t] = (struct actx){map, t, 0};
		th[t] = g_thread_new("array", array_worker, &ctx[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		g_thread_join(th[t]);
		g_assert_cmpuint(ctx[t].torn, ==, 0);
	}
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* prog_array: slots swapped under running "tail calls". Every update
 * stores a fresh object that only the map holds, so a reference dropped
 * before the readers that saw it are done shows up as a use after free
 * (ASan, TSan); at the end every object must have been released. */
struct slot_obj {
	struct bpfs_ref ref;
	uint64_t words[WORDS];
};

static gint created, released;

static void slot_release(struct bpfs_ref *ref)
{
	g_atomic_int_inc(&released);
	g_free(ref);
}

static int fresh_obj(void *ctx, struct bpfs_map *map, uint32_t fd, struct bpfs_ref **out)
{
	struct slot_obj *o = g_new(struct slot_obj, 1);

	(void)ctx;
	(void)map;
	bpfs_ref_init(&o->ref, fd, slot_release);
	for (int i = 0; i < WORDS; i++)
		o->words[i] = fd;
	g_atomic_int_inc(&created);
	*out = &o->ref;
	return 0;
}

struct pctx {
	struct bpfs_map *map;
	int id;
	uint64_t bad, seen;
};

static gpointer prog_array_worker(gpointer data)
{
	struct pctx *c = data;
	GRand *r = g_rand_new_with_seed((guint32)c->id + 99);

	for (int n = 0; n < OPS; n++) {
		uint32_t k = (uint32_t)g_rand_int_range(r, 0, 8), fd = (uint32_t)n;

		if (c->id % 2 == 0 && n % 4 == 0) {
			if (bpfs_map_fd_update(c->map, &k, &fd, BPF_ANY, fresh_obj, NULL))
				c->bad++;
		} else if (c->id % 2 == 0 && n % 4 == 1) {
			int ret = bpfs_map_delete(c->map, &k);

			c->bad += ret != 0 && ret != -ENOENT;
		} else {
			unsigned rcu = bpfs_rcu_read_lock();
			struct bpfs_ref *ref = bpfs_map_prog_array_get(c->map, k);

			if (ref) {
				const struct slot_obj *o = (const struct slot_obj *)ref;
				uint64_t first = o->words[0];

				g_thread_yield();
				for (int i = 0; i < WORDS; i++)
					c->bad += o->words[i] != first || first != ref->id;
				c->seen++;
			}
			bpfs_rcu_read_unlock(rcu);
		}
	}
	g_rand_free(r);
	return NULL;
}

static void test_prog_array(void)
{
	struct bpfs_map_attr attr = {
	    .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 8};
	struct bpfs_map *map = NULL;
	struct pctx ctx[THREADS];
	GThread *th[THREADS];
	uint64_t seen = 0;

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	for (int t = 0; t < THREADS; t++) {
		ctx[t] = (struct pctx){map, t, 0, 0};
		th[t] = g_thread_new("prog_array", prog_array_worker, &ctx[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		g_thread_join(th[t]);
		g_assert_cmpuint(ctx[t].bad, ==, 0);
		seen += ctx[t].seen;
	}
	g_assert_cmpuint(seen, >, 0);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
	g_assert_cmpint(g_atomic_int_get(&released), ==, g_atomic_int_get(&created));
}

/* LPM trie: inserts, deletes and longest-prefix lookups at once; a
 * program-side value stays whole for its reader section. */
static gpointer lpm_worker(gpointer data)
{
	struct actx *c = data;
	GRand *r = g_rand_new_with_seed((guint32)c->id + 7);

	for (int n = 0; n < OPS / 4; n++) {
		uint8_t key[8];
		uint32_t len = (uint32_t)g_rand_int_range(r, 0, 4) * 8;
		struct value v;
		int op = g_rand_int_range(r, 0, 3);

		memcpy(key, &len, 4);
		key[4] = 10;
		key[5] = (uint8_t)g_rand_int_range(r, 0, 4);
		key[6] = (uint8_t)g_rand_int_range(r, 0, 4);
		key[7] = 0;
		if (op == 0) {
			fill(&v, ((uint64_t)c->id << 32) | (uint64_t)n);
			g_assert_cmpint(bpfs_map_update(c->map, key, &v, BPF_ANY), ==, 0);
		} else if (op == 1) {
			int ret = bpfs_map_delete(c->map, key);

			g_assert_true(ret == 0 || ret == -ENOENT);
		} else {
			unsigned rcu = bpfs_rcu_read_lock();
			const struct value *p;

			len = 32;
			memcpy(key, &len, 4);
			p = bpfs_map_lookup_elem(c->map, key);
			if (p) {
				struct value a = *p, b;

				g_thread_yield();
				b = *p;
				c->torn += !whole(&a) || memcmp(&a, &b, sizeof(a)) != 0;
			}
			bpfs_rcu_read_unlock(rcu);
		}
	}
	g_rand_free(r);
	return NULL;
}

static void test_lpm(void)
{
	struct bpfs_map_attr attr = {.type = BPF_MAP_TYPE_LPM_TRIE,
				     .key_size = 8,
				     .value_size = sizeof(struct value),
				     .max_entries = 64,
				     .flags = BPF_F_NO_PREALLOC};
	struct bpfs_map *map = NULL;
	struct actx ctx[THREADS];
	GThread *th[THREADS];

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	for (int t = 0; t < THREADS; t++) {
		ctx[t] = (struct actx){map, t, 0};
		th[t] = g_thread_new("lpm", lpm_worker, &ctx[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		g_thread_join(th[t]);
		g_assert_cmpuint(ctx[t].torn, ==, 0);
	}
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

/* LRU hash: many more keys than entries; inserts never fail, evictions
 * keep the map within max_entries, values stay whole. */
static gpointer lru_worker(gpointer data)
{
	struct actx *c = data;
	GRand *r = g_rand_new_with_seed((guint32)c->id + 3);

	for (int n = 0; n < OPS; n++) {
		uint32_t k = (uint32_t)g_rand_int_range(r, 0, 1024);
		struct value v;

		if (n % 2) {
			fill(&v, ((uint64_t)c->id << 32) | (uint64_t)n);
			c->torn += bpfs_map_update(c->map, &k, &v, BPF_ANY) != 0;
		} else {
			unsigned rcu = bpfs_rcu_read_lock();
			const struct value *p = bpfs_map_lookup_elem(c->map, &k);

			if (p) {
				struct value a = *p;

				c->torn += !whole(&a);
			}
			bpfs_rcu_read_unlock(rcu);
		}
	}
	g_rand_free(r);
	return NULL;
}

static void test_lru(void)
{
	struct bpfs_map_attr attr = {.type = BPF_MAP_TYPE_LRU_HASH,
				     .key_size = 4,
				     .value_size = sizeof(struct value),
				     .max_entries = 64};
	struct bpfs_map *map = NULL;
	struct actx ctx[THREADS];
	GThread *th[THREADS];
	uint32_t k, next, n = 0;
	bool first = true;

	g_assert_cmpint(bpfs_map_new(&attr, &map, NULL), ==, 0);
	for (int t = 0; t < THREADS; t++) {
		ctx[t] = (struct actx){map, t, 0};
		th[t] = g_thread_new("lru", lru_worker, &ctx[t]);
	}
	for (int t = 0; t < THREADS; t++) {
		g_thread_join(th[t]);
		g_assert_cmpuint(ctx[t].torn, ==, 0);
	}
	while (bpfs_map_get_next_key(map, first ? NULL : &k, &next) == 0) {
		k = next;
		first = false;
		n++;
	}
	g_assert_cmpuint(n, >, 0);
	g_assert_cmpuint(n, <=, 64);
	bpfs_map_put_uref(map);
	bpfs_rcu_barrier();
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/maps/stress/hash", test_hash);
	g_test_add_func("/maps/stress/hash-no-prealloc", test_hash_no_prealloc);
	g_test_add_func("/maps/stress/array", test_array);
	g_test_add_func("/maps/stress/prog-array", test_prog_array);
	g_test_add_func("/maps/stress/lpm", test_lpm);
	g_test_add_func("/maps/stress/lru", test_lru);
	return g_test_run();
}
