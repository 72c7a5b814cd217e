/* SPDX-License-Identifier: MIT */
/*
 * The bpf() command layer beyond what the map case table covers: the 2014
 * mini library, descriptor numbering and reuse, closing, descriptors of
 * the wrong kind, object lifetimes across descriptors (a map outlives its
 * descriptor while a program uses it; a prog_array keeps its programs
 * until its last descriptor goes), and the commands that are not wired
 * yet. Programs are made with the layer's internal constructor
 * (bpf_int.h), as the program loader will make them.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "bpf_int.h"

static void test_mini_library(void)
{
	int fd = bpfs_create_map(BPF_MAP_TYPE_HASH, 4, 8, 16);
	uint32_t k = 7, next = 0;
	uint64_t v = 70, got = 0;

	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	g_assert_cmpint(bpfs_lookup_elem(fd, &k, &got), ==, -1);
	g_assert_cmpint(errno, ==, ENOENT);
	g_assert_cmpint(bpfs_update_elem(fd, &k, &v, BPF_NOEXIST), ==, 0);
	g_assert_cmpint(bpfs_update_elem(fd, &k, &v, BPF_NOEXIST), ==, -1);
	g_assert_cmpint(errno, ==, EEXIST);
	g_assert_cmpint(bpfs_lookup_elem(fd, &k, &got), ==, 0);
	g_assert_cmpuint(got, ==, 70);
	g_assert_cmpint(bpfs_get_next_key(fd, NULL, &next), ==, 0);
	g_assert_cmpuint(next, ==, 7);
	g_assert_cmpint(bpfs_get_next_key(fd, &next, &next), ==, -1);
	g_assert_cmpint(errno, ==, ENOENT);
	g_assert_cmpint(bpfs_delete_elem(fd, &k), ==, 0);
	g_assert_cmpint(bpfs_delete_elem(fd, &k), ==, -1);
	g_assert_cmpint(errno, ==, ENOENT);
	g_assert_cmpint(bpfs_create_map(BPF_MAP_TYPE_ARRAY, 8, 8, 16), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_close(fd), ==, 0);
}

static void test_descriptors(void)
{
	int a = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	int b = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	int c;
	uint32_t k = 0, v = 0;

	g_assert_cmpint(a, >=, BPFS_FD_BASE);
	g_assert_cmpint(b, >, a);
	g_assert_cmpint(bpfs_close(a), ==, 0);
	/* the lowest free descriptor is reused */
	c = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	g_assert_cmpint(c, ==, a);
	g_assert_cmpint(bpfs_close(c), ==, 0);
	g_assert_cmpint(bpfs_close(c), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	g_assert_cmpint(bpfs_lookup_elem(c, &k, &v), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	/* real descriptors are not bpfscope's */
	g_assert_cmpint(bpfs_close(0), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	g_assert_cmpint(bpfs_lookup_elem(1, &k, &v), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	g_assert_cmpint(bpfs_close(b), ==, 0);
}

static bool engine_freed;

static void engine_free(void *engine)
{
	(void)engine;
	engine_freed = true;
}

static int new_prog(uint32_t type, struct bpfs_loaded_prog **out)
{
	static const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	struct bpfs_loaded_prog *prog = bpfs_loaded_prog_new(type, insns, 2);
	int fd;

	g_assert_nonnull(prog);
	fd = bpfs_fd_install(BPFS_OBJ_PROG, prog);
	g_assert_cmpint(fd, >=, BPFS_FD_BASE);
	if (out)
		*out = prog;
	return fd;
}

static void test_wrong_kind(void)
{
	int pfd = new_prog(BPF_PROG_TYPE_SOCKET_FILTER, NULL);
	int mfd = bpfs_create_map(BPF_MAP_TYPE_HASH, 4, 4, 4);
	struct bpfs_loaded_prog *prog = NULL;
	struct bpfs_map *map = NULL;
	uint32_t k = 1, v = 1;

	g_assert_cmpint(bpfs_lookup_elem(pfd, &k, &v), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_update_elem(pfd, &k, &v, 0), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_delete_elem(pfd, &k), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_get_next_key(pfd, NULL, &k), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_fd_to_map(pfd, &map), ==, -EINVAL);
	g_assert_cmpint(bpfs_fd_get_prog(mfd, &prog), ==, -EINVAL);
	g_assert_cmpint(bpfs_fd_to_map(mfd, &map), ==, 0);
	bpfs_map_put(map);
	g_assert_cmpint(bpfs_close(pfd), ==, 0);
	g_assert_cmpint(bpfs_close(mfd), ==, 0);
}

/* A program's reference keeps a map alive after its descriptor closes. */
static void test_map_outlives_descriptor(void)
{
	struct bpfs_loaded_prog *prog;
	int pfd = new_prog(BPF_PROG_TYPE_XDP, &prog);
	int mfd = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 8, 2);
	struct bpfs_map *map;
	uint32_t k = 1;
	uint64_t v = 5, got = 0;

	g_assert_cmpint(bpfs_fd_to_map(mfd, &map), ==, 0);
	g_assert_cmpint(bpfs_loaded_prog_use_map(prog, map), ==, 0);
	g_assert_cmpint(bpfs_loaded_prog_use_map(prog, map), ==, 0);
	g_assert_cmpuint(prog->map_cnt, ==, 1);
	bpfs_map_put(map);
	g_assert_cmpint(bpfs_update_elem(mfd, &k, &v, BPF_ANY), ==, 0);
	g_assert_cmpint(bpfs_close(mfd), ==, 0);
	g_assert_cmpint(bpfs_lookup_elem(mfd, &k, &got), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	/* the program still reaches the map */
	g_assert_cmpint(bpfs_map_lookup(prog->maps[0], &k, &got, 0), ==, 0);
	g_assert_cmpuint(got, ==, 5);
	prog->engine_free = engine_free;
	engine_freed = false;
	g_assert_cmpint(bpfs_close(pfd), ==, 0);
	g_assert_true(engine_freed);
	bpfs_rcu_barrier();
}

static void test_prog_array(void)
{
	struct bpfs_loaded_prog *prog;
	int pfd = new_prog(BPF_PROG_TYPE_XDP, &prog);
	int other = new_prog(BPF_PROG_TYPE_KPROBE, NULL);
	int mfd = bpfs_create_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	int hfd = bpfs_create_map(BPF_MAP_TYPE_HASH, 4, 4, 4);
	uint32_t k = 2, v = (uint32_t)pfd, id = 0;
	struct bpfs_map *map;

	g_assert_cmpint(bpfs_update_elem(mfd, &k, &v, BPF_ANY), ==, 0);
	g_assert_cmpint(bpfs_lookup_elem(mfd, &k, &id), ==, 0);
	g_assert_cmpuint(id, ==, prog->ref.id);
	/* all programs of one prog_array share a type */
	v = (uint32_t)other;
	k = 1;
	g_assert_cmpint(bpfs_update_elem(mfd, &k, &v, BPF_ANY), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	/* a map descriptor is not a program */
	v = (uint32_t)hfd;
	g_assert_cmpint(bpfs_update_elem(mfd, &k, &v, BPF_ANY), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	/* the slot keeps the program after its descriptor is closed */
	prog->engine_free = engine_free;
	engine_freed = false;
	g_assert_cmpint(bpfs_close(pfd), ==, 0);
	g_assert_false(engine_freed);
	g_assert_cmpint(bpfs_fd_to_map(mfd, &map), ==, 0);
	g_assert_true(bpfs_map_prog_array_get(map, 2) == &prog->ref);
	bpfs_map_put(map);
	/* closing the array's last descriptor releases its programs */
	g_assert_cmpint(bpfs_close(mfd), ==, 0);
	bpfs_rcu_barrier();
	g_assert_true(engine_freed);
	g_assert_cmpint(bpfs_close(other), ==, 0);
	g_assert_cmpint(bpfs_close(hfd), ==, 0);
	bpfs_rcu_barrier();
}

static void test_perf_event_array_update(void)
{
	int mfd = bpfs_create_map(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2);
	int pfd = new_prog(BPF_PROG_TYPE_XDP, NULL);
	uint32_t k = 0, v = (uint32_t)pfd;

	/* no bpfscope descriptor is a perf event */
	g_assert_cmpint(bpfs_update_elem(mfd, &k, &v, BPF_ANY), ==, -1);
	g_assert_cmpint(errno, ==, EBADF);
	g_assert_cmpint(bpfs_close(mfd), ==, 0);
	g_assert_cmpint(bpfs_close(pfd), ==, 0);
}

/* The checks every command shares apply to the program commands too. */
static void test_prog_commands(void)
{
	union bpf_attr attr;
	uint8_t big[sizeof(attr) + 8];

	memset(big, 0, sizeof(big));
	big[sizeof(attr) + 3] = 1;
	g_assert_cmpint(bpfs_bpf(BPF_PROG_LOAD, (union bpf_attr *)big, sizeof(big)), ==, -1);
	g_assert_cmpint(errno, ==, E2BIG);
	g_assert_cmpint(bpfs_bpf(BPF_PROG_TEST_RUN, (union bpf_attr *)big, sizeof(big)), ==, -1);
	g_assert_cmpint(errno, ==, E2BIG);
	memset(big, 0, sizeof(big));
	big[sizeof(attr) - 1] = 1; /* past the last field of both */
	g_assert_cmpint(bpfs_bpf(BPF_PROG_LOAD, (union bpf_attr *)big, sizeof(attr)), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(bpfs_bpf(BPF_PROG_TEST_RUN, (union bpf_attr *)big, sizeof(attr)), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	/* commands of the kernel's that bpfscope does not model */
	memset(&attr, 0, sizeof(attr));
	g_assert_cmpint(bpfs_bpf(BPF_OBJ_PIN, &attr, sizeof(attr)), ==, -1);
	g_assert_cmpint(errno, ==, EOPNOTSUPP);
	g_assert_cmpint(bpfs_bpf(BPF_MAP_CREATE, NULL, 8), ==, -1);
	g_assert_cmpint(errno, ==, EFAULT);
}

/* Closing a descriptor while other threads use it: each command either
 * works or fails with EBADF, and nothing is freed under a user. */
struct race {
	int fd;
	volatile gint stop;
	gint ok, badf;
};

static gpointer race_reader(gpointer data)
{
	struct race *r = data;
	uint32_t k = 0;
	uint64_t v;

	while (!g_atomic_int_get(&r->stop)) {
		if (bpfs_lookup_elem(r->fd, &k, &v) == 0)
			g_atomic_int_inc(&r->ok);
		else if (errno == EBADF)
			g_atomic_int_inc(&r->badf);
		else
			g_assert_not_reached();
	}
	return NULL;
}

static void test_close_race(void)
{
	struct race r = {.fd = bpfs_create_map(BPF_MAP_TYPE_ARRAY, 4, 8, 1)};
	GThread *t = g_thread_new("reader", race_reader, &r);

	while (g_atomic_int_get(&r.ok) < 100)
		g_thread_yield();
	g_assert_cmpint(bpfs_close(r.fd), ==, 0);
	while (g_atomic_int_get(&r.badf) < 100)
		g_thread_yield();
	g_atomic_int_set(&r.stop, 1);
	g_thread_join(t);
	bpfs_rcu_barrier();
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bpf_cmd/mini-library", test_mini_library);
	g_test_add_func("/bpf_cmd/descriptors", test_descriptors);
	g_test_add_func("/bpf_cmd/wrong-kind", test_wrong_kind);
	g_test_add_func("/bpf_cmd/map-outlives-descriptor", test_map_outlives_descriptor);
	g_test_add_func("/bpf_cmd/prog-array", test_prog_array);
	g_test_add_func("/bpf_cmd/perf-event-array-update", test_perf_event_array_update);
	g_test_add_func("/bpf_cmd/prog-commands", test_prog_commands);
	g_test_add_func("/bpf_cmd/close-race", test_close_race);
	return g_test_run();
}
