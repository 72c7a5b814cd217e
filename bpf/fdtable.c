/* SPDX-License-Identifier: MIT */
/*
 * The descriptor table: bpfscope's own descriptors for maps and programs,
 * numbered from BPFS_FD_BASE (see bpf.h for why), lowest free first.
 * Each open descriptor owns one reference on its object (a user reference
 * for maps); looking a descriptor up returns a new plain reference, so an
 * object stays alive for a command that races with bpfs_close on the same
 * descriptor. Also the loaded-program object, which the table holds.
 */
#include "bpf_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FDS (1 << 20)

struct slot {
	enum bpfs_obj_kind kind; /* 0 when free */
	void *obj;
};

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct slot *table;
static int table_size;
static int lowest_free;
static _Atomic uint32_t next_prog_id = 1;

static void obj_put(enum bpfs_obj_kind kind, void *obj, bool uref)
{
	if (kind == BPFS_OBJ_MAP) {
		if (uref)
			bpfs_map_put_uref(obj);
		else
			bpfs_map_put(obj);
	} else if (kind == BPFS_OBJ_PROG) {
		bpfs_loaded_prog_put(obj);
	}
}

int bpfs_fd_install(enum bpfs_obj_kind kind, void *obj)
{
	int i, ret;

	pthread_rwlock_wrlock(&table_lock);
	for (i = lowest_free; i < table_size && table[i].kind; i++)
		;
	if (i == table_size) {
		int n = table_size ? table_size * 2 : 64;
		struct slot *t;

		if (table_size >= MAX_FDS) {
			ret = -EMFILE;
			goto out;
		}
		t = realloc(table, (size_t)n * sizeof(*t));
		if (!t) {
			ret = -ENOMEM;
			goto out;
		}
		memset(t + table_size, 0, (size_t)(n - table_size) * sizeof(*t));
		table = t;
		table_size = n;
	}
	table[i].kind = kind;
	table[i].obj = obj;
	lowest_free = i + 1;
	ret = BPFS_FD_BASE + i;
out:
	pthread_rwlock_unlock(&table_lock);
	return ret;
}

int bpfs_fd_get(int fd, enum bpfs_obj_kind kind, void **obj)
{
	int i = fd - BPFS_FD_BASE, ret = 0;

	*obj = NULL;
	pthread_rwlock_rdlock(&table_lock);
	if (fd < BPFS_FD_BASE || i >= table_size || !table[i].kind) {
		ret = -EBADF;
	} else if (table[i].kind != kind) {
		ret = -EINVAL;
	} else {
		*obj = table[i].obj;
		if (kind == BPFS_OBJ_MAP)
			bpfs_map_get(*obj);
		else
			bpfs_ref_get(&((struct bpfs_loaded_prog *)*obj)->ref);
	}
	pthread_rwlock_unlock(&table_lock);
	return ret;
}

int bpfs_fd_get_prog(int fd, struct bpfs_loaded_prog **out)
{
	return bpfs_fd_get(fd, BPFS_OBJ_PROG, (void **)out);
}

int bpfs_fd_to_map(int fd, struct bpfs_map **out)
{
	return bpfs_fd_get(fd, BPFS_OBJ_MAP, (void **)out);
}

int bpfs_fd_close(int fd)
{
	int i = fd - BPFS_FD_BASE;
	struct slot s = {0};

	pthread_rwlock_wrlock(&table_lock);
	if (fd >= BPFS_FD_BASE && i < table_size && table[i].kind) {
		s = table[i];
		table[i].kind = 0;
		table[i].obj = NULL;
		if (i < lowest_free)
			lowest_free = i;
	}
	pthread_rwlock_unlock(&table_lock);
	if (!s.kind)
		return -EBADF;
	obj_put(s.kind, s.obj, true);
	return 0;
}

int bpfs_close(int fd)
{
	int ret = bpfs_fd_close(fd);

	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Loaded programs                                                        */

static void prog_release(struct bpfs_ref *ref)
{
	struct bpfs_loaded_prog *prog =
	    (struct bpfs_loaded_prog *)((char *)ref - offsetof(struct bpfs_loaded_prog, ref));

	if (prog->engine_free)
		prog->engine_free(prog->engine);
	for (size_t i = 0; i < prog->map_cnt; i++)
		bpfs_map_put(prog->maps[i]);
	free(prog->maps);
	free(prog->insns);
	free(prog->license);
	free(prog);
}

struct bpfs_loaded_prog *bpfs_loaded_prog_new(uint32_t type, const struct bpf_insn *insns, size_t cnt)
{
	struct bpfs_loaded_prog *prog = calloc(1, sizeof(*prog));

	if (!prog)
		return NULL;
	prog->insns = malloc((cnt ? cnt : 1) * sizeof(*insns));
	if (!prog->insns) {
		free(prog);
		return NULL;
	}
	if (cnt)
		memcpy(prog->insns, insns, cnt * sizeof(*insns));
	prog->insn_cnt = cnt;
	prog->type = type;
	bpfs_ref_init(&prog->ref, atomic_fetch_add(&next_prog_id, 1), prog_release);
	return prog;
}

int bpfs_loaded_prog_use_map(struct bpfs_loaded_prog *prog, struct bpfs_map *map)
{
	struct bpfs_map **maps;

	for (size_t i = 0; i < prog->map_cnt; i++)
		if (prog->maps[i] == map)
			return 0;
	maps = realloc(prog->maps, (prog->map_cnt + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	prog->maps = maps;
	prog->maps[prog->map_cnt++] = bpfs_map_get(map);
	return 0;
}

void bpfs_loaded_prog_put(struct bpfs_loaded_prog *prog)
{
	if (prog)
		bpfs_ref_put(&prog->ref);
}
