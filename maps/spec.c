/* SPDX-License-Identifier: MIT */
/*
 * Map declarations checked as the kernel's map_create checks the attributes
 * common to all map types. Type-specific rules live with each map type.
 */
#include "maps.h"

#include <errno.h>

int bpfs_map_spec_check(const struct bpfs_map_spec *spec, struct bpfs_err *err)
{
	const char *name = spec->name ? spec->name : "(anonymous)";

	if (spec->type == BPF_MAP_TYPE_UNSPEC)
		return bpfs_err_set(err, EINVAL, -1, "map '%s' has no map type (declare it)", name);
	if (!bpfs_map_type_name(spec->type))
		return bpfs_err_set(err, EINVAL, -1, "map '%s': unknown map type %u", name, spec->type);
	if (spec->max_entries == 0)
		return bpfs_err_set(err, EINVAL, -1, "map '%s': max_entries is 0", name);
	if (spec->value_size == 0 && spec->type != BPF_MAP_TYPE_BLOOM_FILTER &&
	    spec->type != BPF_MAP_TYPE_RINGBUF && spec->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return bpfs_err_set(err, EINVAL, -1, "map '%s': value_size is 0", name);
	if (spec->key_size == 0 && spec->type != BPF_MAP_TYPE_BLOOM_FILTER && spec->type != BPF_MAP_TYPE_RINGBUF &&
	    spec->type != BPF_MAP_TYPE_QUEUE && spec->type != BPF_MAP_TYPE_STACK)
		return bpfs_err_set(err, EINVAL, -1, "map '%s': key_size is 0", name);
	return 0;
}
