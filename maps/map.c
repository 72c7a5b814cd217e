/* SPDX-License-Identifier: MIT */
/*
 * The map object model: creation with the checks of the kernel's
 * map_create (kernel/bpf/syscall.c) that every type shares, reference
 * counting, and dispatch through each type's operations table.
 *
 * Invariants: a map is freed only when its last reference is dropped, and
 * then only after the reader sections open at that moment have closed
 * (a program that looked the map up may still be running). Operations the
 * kernel performs for every type before calling the type (the BPF_F_LOCK
 * check, the reader section around syscall-side accesses) are done here,
 * once; everything type-specific, including the errno of an unsupported
 * operation, is the type's.
 */
#include "maps_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const struct bpfs_map_type_ops *const map_types[] = {
    [BPF_MAP_TYPE_HASH] = &bpfs_htab_ops,
    [BPF_MAP_TYPE_ARRAY] = &bpfs_array_ops,
    [BPF_MAP_TYPE_PROG_ARRAY] = &bpfs_prog_array_ops,
    [BPF_MAP_TYPE_PERF_EVENT_ARRAY] = &bpfs_perf_event_array_ops,
    [BPF_MAP_TYPE_PERCPU_HASH] = &bpfs_percpu_htab_ops,
    [BPF_MAP_TYPE_PERCPU_ARRAY] = &bpfs_percpu_array_ops,
    [BPF_MAP_TYPE_LPM_TRIE] = &bpfs_lpm_trie_ops,
    [BPF_MAP_TYPE_LRU_HASH] = &bpfs_lru_htab_ops,
    [BPF_MAP_TYPE_LRU_PERCPU_HASH] = &bpfs_lru_percpu_htab_ops,
    [BPF_MAP_TYPE_BLOOM_FILTER] = &bpfs_bloom_ops,
};

static _Atomic uint32_t next_id = 1;
static __thread unsigned this_cpu;

/* ---------------------------------------------------------------------- */
/* CPUs                                                                   */

static unsigned ncpus;
static pthread_once_t ncpus_once = PTHREAD_ONCE_INIT;

/* Counts the CPUs of a list such as "0-3,8-11". */
static unsigned count_cpu_list(const char *s)
{
	unsigned n = 0;

	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return 0;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			s = end;
		}
		if (b >= a)
			n += (unsigned)(b - a + 1);
		if (*s == ',')
			s++;
	}
	return n;
}

static void find_ncpus(void)
{
	char buf[256];
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			ncpus = count_cpu_list(buf);
		fclose(f);
	}
	if (ncpus == 0) {
		long n = sysconf(_SC_NPROCESSORS_CONF);

		ncpus = n > 0 ? (unsigned)n : 1;
	}
}

unsigned bpfs_map_ncpus(void)
{
	pthread_once(&ncpus_once, find_ncpus);
	return ncpus;
}

void bpfs_map_set_cpu(unsigned cpu)
{
	this_cpu = cpu;
}

unsigned bpfs_map_cpu(void)
{
	unsigned n = bpfs_map_ncpus();

	return this_cpu < n ? this_cpu : this_cpu % n;
}

/* ---------------------------------------------------------------------- */
/* Hashing                                                                */

uint64_t bpfs_hash64(const void *data, size_t len, uint64_t seed)
{
	return bpfs_hash_inline(data, len, seed);
}

/* ---------------------------------------------------------------------- */
/* Creation and references                                                */

/* The kernel's bpf_obj_name_cpy: letters, digits, '_' and '.', and a NUL
 * within the 16 bytes. */
static int check_name(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.')
			return -EINVAL;
	return i < size ? 0 : -EINVAL;
}

/* Fills the kernel's view of the map (BPFS_MAP_KVIEW_SIZE): map_type,
 * key_size, value_size and max_entries at 64, map_extra at 80, map_flags
 * at 88, id at 92, numa_node at 104 (NUMA_NO_NODE unless one was given),
 * name at 136; the pointers and BTF ids stay zero. */
static void fill_kview(struct bpfs_map *map)
{
	const struct bpfs_map_attr *a = &map->attr;
	int32_t numa = (a->flags & BPF_F_NUMA_NODE) ? (int32_t)a->numa_node : -1;
	uint32_t u32s[] = {a->type, a->key_size, a->value_size, a->max_entries};
	uint32_t flags = a->flags & ~(uint32_t)(BPF_F_RDONLY | BPF_F_WRONLY); /* the kernel keeps neither */

	memset(map->kview, 0, sizeof(map->kview));
	memcpy(map->kview + 64, u32s, sizeof(u32s));
	memcpy(map->kview + 80, &a->map_extra, 8);
	memcpy(map->kview + 88, &flags, 4);
	memcpy(map->kview + 92, &map->id, 4);
	memcpy(map->kview + 104, &numa, 4);
	memcpy(map->kview + 136, a->name, 16);
}

void bpfs_map_init(struct bpfs_map *map, const struct bpfs_map_attr *attr)
{
	map->attr = *attr;
	map->refcnt = 1;
	map->usercnt = 1;
	map->id = atomic_fetch_add(&next_id, 1);
	map->user_value_size =
	    map->percpu ? round_up8(attr->value_size) * bpfs_map_ncpus() : attr->value_size;
	fill_kview(map);
}

static const struct bpfs_map_type_ops *ops_of(uint32_t type)
{
	if (type >= sizeof(map_types) / sizeof(map_types[0]))
		return NULL;
	return map_types[type];
}

int bpfs_map_new(const struct bpfs_map_attr *attr, struct bpfs_map **out, struct bpfs_err *err)
{
	const struct bpfs_map_type_ops *ops = ops_of(attr->type);
	struct bpfs_map *map;
	int ret;

	*out = NULL;
	if (attr->map_extra && attr->type != BPF_MAP_TYPE_BLOOM_FILTER)
		return bpfs_err_set(err, EINVAL, -1, "map_extra is only for bloom filters");
	if ((attr->flags & BPF_F_RDONLY) && (attr->flags & BPF_F_WRONLY))
		return bpfs_err_set(err, EINVAL, -1, "BPF_F_RDONLY and BPF_F_WRONLY together");
	if ((attr->flags & BPF_F_NUMA_NODE) && attr->numa_node != 0)
		return bpfs_err_set(err, EINVAL, -1, "numa node %u is not online", attr->numa_node);
	if (!ops) {
		if (attr->type != BPF_MAP_TYPE_UNSPEC && bpfs_map_type_name(attr->type))
			return bpfs_err_set(err, EOPNOTSUPP, -1, "map type %s is not supported",
					    bpfs_map_type_name(attr->type));
		return bpfs_err_set(err, EINVAL, -1, "unknown map type %u", attr->type);
	}
	ret = ops->alloc_check(attr, err);
	if (ret)
		return ret;
	if (check_name(attr->name, sizeof(attr->name)))
		return bpfs_err_set(err, EINVAL, -1, "invalid map name");
	map = ops->alloc(attr, &ret);
	if (!map)
		return bpfs_err_set(err, -ret, -1, "cannot allocate the map");
	map->ops = ops;
	*out = map;
	return 0;
}

int bpfs_map_new_from_spec(const struct bpfs_map_spec *spec, struct bpfs_map **out, struct bpfs_err *err)
{
	struct bpfs_map_attr attr = {
	    .type = spec->type,
	    .key_size = spec->key_size,
	    .value_size = spec->value_size,
	    .max_entries = spec->max_entries,
	    .flags = spec->flags,
	};
	uint32_t zero = 0;
	int ret;

	if (spec->name) {
		/* keep what the kernel would accept of the name */
		size_t j = 0;

		for (size_t i = 0; spec->name[i] && j + 1 < sizeof(attr.name); i++)
			if (isalnum((unsigned char)spec->name[i]) || spec->name[i] == '_' ||
			    spec->name[i] == '.')
				attr.name[j++] = spec->name[i];
	}
	ret = bpfs_map_new(&attr, out, err);
	if (ret)
		goto out;
	if (spec->internal && spec->init_data) {
		if (spec->init_size != spec->value_size || spec->type != BPF_MAP_TYPE_ARRAY) {
			ret = bpfs_err_set(err, EINVAL, -1, "initial data of %zu bytes for a value of %u",
					   spec->init_size, spec->value_size);
			goto out;
		}
		ret = bpfs_map_update(*out, &zero, spec->init_data, BPF_ANY);
	}
out:
	if (ret) {
		if (*out)
			bpfs_map_put_uref(*out);
		*out = NULL;
		if (spec->name)
			bpfs_err_prefix(err, "map '%s'", spec->name);
	}
	return ret;
}

static void map_free_rcu(struct bpfs_rcu_head *head)
{
	struct bpfs_map *map = BPFS_CONTAINER_OF(head, struct bpfs_map, rcu);

	map->ops->free(map);
}

struct bpfs_map *bpfs_map_get(struct bpfs_map *map)
{
	__atomic_fetch_add(&map->refcnt, 1, __ATOMIC_RELAXED);
	return map;
}

void bpfs_map_put(struct bpfs_map *map)
{
	if (map && __atomic_sub_fetch(&map->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		bpfs_call_rcu(&map->rcu, map_free_rcu);
}

struct bpfs_map *bpfs_map_get_uref(struct bpfs_map *map)
{
	__atomic_fetch_add(&map->usercnt, 1, __ATOMIC_RELAXED);
	return bpfs_map_get(map);
}

void bpfs_map_put_uref(struct bpfs_map *map)
{
	if (!map)
		return;
	if (__atomic_sub_fetch(&map->usercnt, 1, __ATOMIC_ACQ_REL) == 0 && map->ops->release_uref)
		map->ops->release_uref(map);
	bpfs_map_put(map);
}

const struct bpfs_map_attr *bpfs_map_attr(const struct bpfs_map *map)
{
	return &map->attr;
}

uint32_t bpfs_map_id(const struct bpfs_map *map)
{
	return map->id;
}

uint32_t bpfs_map_user_value_size(const struct bpfs_map *map)
{
	return map->user_value_size;
}

/* ---------------------------------------------------------------------- */
/* Syscall side                                                           */

int bpfs_map_lookup(struct bpfs_map *map, const void *key, void *value, uint64_t flags)
{
	unsigned rcu;
	int ret;

	/* BPF_F_LOCK needs a bpf_spin_lock in the value, which takes BTF */
	if (flags & ~(uint64_t)BPF_F_LOCK || flags & BPF_F_LOCK)
		return -EINVAL;
	if (map->ops->in_place)
		return map->ops->lookup(map, key, value);
	rcu = bpfs_rcu_read_lock();
	ret = map->ops->lookup(map, key, value);
	bpfs_rcu_read_unlock(rcu);
	return ret;
}

int bpfs_map_update(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	unsigned rcu;
	int ret;

	if (flags & BPF_F_LOCK)
		return -EINVAL;
	if (map->ops->in_place)
		return map->ops->update(map, key, value, flags);
	rcu = bpfs_rcu_read_lock();
	ret = map->ops->update(map, key, value, flags);
	bpfs_rcu_read_unlock(rcu);
	return ret;
}

int bpfs_map_delete(struct bpfs_map *map, const void *key)
{
	unsigned rcu = bpfs_rcu_read_lock();
	int ret = map->ops->delete (map, key);

	bpfs_rcu_read_unlock(rcu);
	return ret;
}

int bpfs_map_get_next_key(struct bpfs_map *map, const void *key, void *next_key)
{
	unsigned rcu = bpfs_rcu_read_lock();
	int ret = map->ops->get_next_key(map, key, next_key);

	bpfs_rcu_read_unlock(rcu);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Program side                                                           */

void *bpfs_map_lookup_elem(struct bpfs_map *map, const void *key)
{
	return map->ops->lookup_elem ? map->ops->lookup_elem(map, key) : NULL;
}

int bpfs_map_update_elem(struct bpfs_map *map, const void *key, const void *value, uint64_t flags)
{
	if (map->ops->update_elem)
		return map->ops->update_elem(map, key, value, flags);
	return map->ops->update(map, key, value, flags);
}

int bpfs_map_delete_elem(struct bpfs_map *map, const void *key)
{
	return map->ops->delete (map, key);
}

int bpfs_map_push_elem(struct bpfs_map *map, const void *value, uint64_t flags)
{
	return map->ops->push ? map->ops->push(map, value, flags) : -ENOTSUPP;
}

int bpfs_map_peek_elem(struct bpfs_map *map, void *value)
{
	return map->ops->peek ? map->ops->peek(map, value) : -ENOTSUPP;
}
