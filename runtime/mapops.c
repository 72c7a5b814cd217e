/* SPDX-License-Identifier: MIT */
/*
 * The map operations of the run environment (struct bpfs_map_ops) over the
 * maps module's program-side API: what the kernel's map helpers and
 * resolve_pseudo_ldimm64() do with a program's map references.
 *
 *   LD_IMM64 src_reg 1 (5): the map itself, by index into the table;
 *   LD_IMM64 src_reg 2 (6): the address of key 0's value plus an offset
 *       below value_size, for array maps (map_direct_value_addr);
 *   lookup/update/delete: bpfs_map_*_elem;
 *   tail calls: the prog_array entry, turned into an engine program by
 *       the table's prog_of;
 *   perf_event_output: the ring of flags' index (BPF_F_CURRENT_CPU: the
 *       caller's CPU), other flag bits -EINVAL.
 */
#include <errno.h>

#include "runtime.h"

static struct bpfs_map *map_at(const struct bpfs_map_table *t, int32_t idx)
{
	return idx >= 0 && (size_t)idx < t->nmaps ? t->maps[idx] : NULL;
}

static int resolve(void *priv, uint8_t src_reg, int32_t imm, int32_t next_imm, uint64_t *value, void **region,
		   size_t *region_len)
{
	const struct bpfs_map_table *t = priv;
	struct bpfs_map *map = map_at(t, imm);
	const struct bpfs_map_attr *attr;
	uint32_t zero = 0;
	uint8_t *v;

	if (!map)
		return -EBADF;
	if (src_reg == BPF_PSEUDO_MAP_FD || src_reg == BPF_PSEUDO_MAP_IDX) {
		*value = (uint64_t)(uintptr_t)map;
		return 0;
	}
	attr = bpfs_map_attr(map);
	if (attr->type != BPF_MAP_TYPE_ARRAY || attr->max_entries < 1 || next_imm < 0 ||
	    (uint32_t)next_imm >= attr->value_size)
		return -EINVAL;
	v = bpfs_map_lookup_elem(map, &zero);
	if (!v)
		return -EINVAL;
	*value = (uint64_t)(uintptr_t)(v + next_imm);
	*region = v;
	*region_len = attr->value_size;
	return 0;
}

static void *lookup(void *priv, void *map, const void *key, size_t *value_len)
{
	(void)priv;
	*value_len = bpfs_map_attr(map)->value_size;
	return bpfs_map_lookup_elem(map, key);
}

static int update(void *priv, void *map, const void *key, const void *value, uint64_t flags)
{
	(void)priv;
	return bpfs_map_update_elem(map, key, value, flags);
}

static int remove_elem(void *priv, void *map, const void *key)
{
	(void)priv;
	return bpfs_map_delete_elem(map, key);
}

static int sizes(void *priv, void *map, size_t *key_size, size_t *value_size)
{
	const struct bpfs_map_attr *attr = bpfs_map_attr(map);

	(void)priv;
	*key_size = attr->key_size;
	*value_size = attr->value_size;
	return 0;
}

static void *tail_call_target(void *priv, void *map, uint32_t index)
{
	const struct bpfs_map_table *t = priv;
	struct bpfs_ref *ref;

	if (!t->prog_of || bpfs_map_attr(map)->type != BPF_MAP_TYPE_PROG_ARRAY)
		return NULL;
	ref = bpfs_map_prog_array_get(map, index);
	return ref ? t->prog_of(ref, t->prog_priv) : NULL;
}

static int perf_event_output(void *priv, void *map, uint64_t flags, const void *data, size_t size)
{
	uint64_t index = flags & BPF_F_INDEX_MASK;

	(void)priv;
	if (flags & ~(BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK))
		return -EINVAL;
	if (index == BPF_F_CURRENT_CPU)
		index = bpfs_map_cpu();
	return bpfs_map_perf_output(map, (uint32_t)index, data, size);
}

void bpfs_map_ops_init(struct bpfs_map_ops *ops, const struct bpfs_map_table *table)
{
	*ops = (struct bpfs_map_ops){
		.priv = (void *)table,
		.resolve = resolve,
		.lookup = lookup,
		.update = update,
		.remove = remove_elem,
		.sizes = sizes,
		.tail_call_target = tail_call_target,
		.perf_event_output = perf_event_output,
	};
}
