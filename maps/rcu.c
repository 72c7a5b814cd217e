/* SPDX-License-Identifier: MIT */
/*
 * Reader sections and deferred freeing: a small userspace take on the
 * kernel's RCU (and closest to its SRCU), which is what lets a program hold
 * a pointer into a hash element while another thread replaces or deletes
 * that element.
 *
 * Design. There are two phases, 0 and 1, and for each a reader count,
 * striped over cache lines so that threads do not share one. A reader
 * reads the current phase p, increments readers[p] and returns p as its
 * token; unlocking decrements readers[p]. Writers unlink an object from
 * its map first and then hand it to bpfs_call_rcu, which puts it on the
 * "current" list (through a short per-thread list, so that writers rarely
 * take the global lock).
 *
 * Advancing, from phase p to q = 1 - p, is allowed only when readers[q] is
 * zero; it frees the "old" list, makes the current list the old one and
 * sets the phase to q. Soundness: an object on the old list was unlinked
 * before the previous advance (q to p). A reader that can still reach it
 * entered before that advance and counted itself in readers[q] (a reader
 * that entered after it reads phase p, and starts reading the map after the
 * unlink). So readers[q] == 0 means no reader can reach it. A reader that
 * read phase q just before an advance and increments readers[q] only after
 * the check started reading after the unlink as well, so it is harmless.
 * Every access is sequentially consistent, which is what makes "the
 * increment is seen before the reader's first load" and "the unlink is
 * seen before the writer's check" hold.
 *
 * An object therefore waits two advances. Advances are attempted whenever
 * a per-thread list is flushed; since reader sections are short (one
 * program run, one syscall-side operation), readers of the previous phase
 * drain quickly even under constant load, so memory stays bounded.
 * Callbacks run outside the global lock and may themselves defer.
 */
#include "maps_int.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define NSTRIPE 16
#define LOCAL_BATCH 32

struct stripe {
	_Atomic long n;
} __attribute__((aligned(64)));

static struct stripe readers[2][NSTRIPE];
static _Atomic unsigned cur_phase;
static _Atomic unsigned next_stripe;

static pthread_mutex_t gp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bpfs_rcu_head *cur_list; /* retired during the current phase */
static struct bpfs_rcu_head *old_list; /* retired before the last advance */

/* Per-thread batch, flushed when it fills and at thread exit. */
static __thread struct bpfs_rcu_head *local_list;
static __thread struct bpfs_rcu_head **local_tail;
static __thread unsigned local_cnt;
static __thread int my_stripe = -1;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static void run_list(struct bpfs_rcu_head *h)
{
	while (h) {
		struct bpfs_rcu_head *next = h->next;

		h->func(h);
		h = next;
	}
}

static long phase_readers(unsigned p)
{
	long n = 0;

	for (int i = 0; i < NSTRIPE; i++)
		n += atomic_load(&readers[p][i].n);
	return n;
}

/* Called with gp_lock held; returns the list that may now be freed. */
static struct bpfs_rcu_head *try_advance(void)
{
	unsigned q = 1 - atomic_load(&cur_phase);
	struct bpfs_rcu_head *done;

	if (!cur_list && !old_list)
		return NULL;
	if (phase_readers(q) != 0)
		return NULL;
	done = old_list;
	old_list = cur_list;
	cur_list = NULL;
	atomic_store(&cur_phase, q);
	return done;
}

static void flush_local(void)
{
	struct bpfs_rcu_head *done;

	pthread_mutex_lock(&gp_lock);
	if (local_list) {
		*local_tail = cur_list;
		cur_list = local_list;
		local_list = NULL;
		local_tail = NULL;
		local_cnt = 0;
	}
	done = try_advance();
	pthread_mutex_unlock(&gp_lock);
	run_list(done);
}

static void thread_exit(void *arg)
{
	(void)arg;
	flush_local();
}

static void make_key(void)
{
	pthread_key_create(&exit_key, thread_exit);
}

static int stripe(void)
{
	if (my_stripe < 0)
		my_stripe = (int)(atomic_fetch_add(&next_stripe, 1) % NSTRIPE);
	return my_stripe;
}

unsigned bpfs_rcu_read_lock(void)
{
	unsigned p = atomic_load(&cur_phase);

	atomic_fetch_add(&readers[p][stripe()].n, 1);
	return p;
}

void bpfs_rcu_read_unlock(unsigned token)
{
	atomic_fetch_sub(&readers[token & 1][stripe()].n, 1);
}

void bpfs_call_rcu(struct bpfs_rcu_head *head, void (*func)(struct bpfs_rcu_head *head))
{
	head->func = func;
	head->next = NULL;
	if (!local_list) {
		pthread_once(&exit_once, make_key);
		/* any non-NULL value makes the destructor run at thread exit */
		pthread_setspecific(exit_key, &local_list);
		local_tail = &head->next;
	}
	head->next = local_list;
	local_list = head;
	if (++local_cnt >= LOCAL_BATCH)
		flush_local();
}

void bpfs_rcu_barrier(void)
{
	for (;;) {
		bool empty;

		flush_local();
		pthread_mutex_lock(&gp_lock);
		empty = !cur_list && !old_list;
		pthread_mutex_unlock(&gp_lock);
		if (empty)
			break;
		sched_yield();
	}
}

/* ---------------------------------------------------------------------- */

struct deferred_put {
	struct bpfs_rcu_head rcu;
	struct bpfs_ref *ref;
};

static void deferred_put_cb(struct bpfs_rcu_head *head)
{
	struct deferred_put *d = BPFS_CONTAINER_OF(head, struct deferred_put, rcu);

	bpfs_ref_put(d->ref);
	free(d);
}

void *bpfs_deferred_put_prepare(void)
{
	return malloc(sizeof(struct deferred_put));
}

void bpfs_deferred_put_commit(void *prepared, struct bpfs_ref *ref)
{
	struct deferred_put *d = prepared;

	if (!ref) {
		free(d);
		return;
	}
	d->ref = ref;
	bpfs_call_rcu(&d->rcu, deferred_put_cb);
}

void bpfs_ref_init(struct bpfs_ref *ref, uint32_t id, void (*release)(struct bpfs_ref *ref))
{
	ref->refcnt = 1;
	ref->id = id;
	ref->release = release;
}

void bpfs_ref_get(struct bpfs_ref *ref)
{
	__atomic_fetch_add(&ref->refcnt, 1, __ATOMIC_RELAXED);
}

void bpfs_ref_put(struct bpfs_ref *ref)
{
	if (ref && __atomic_sub_fetch(&ref->refcnt, 1, __ATOMIC_ACQ_REL) == 0 && ref->release)
		ref->release(ref);
}
