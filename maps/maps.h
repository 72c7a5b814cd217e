/* SPDX-License-Identifier: MIT */
/*
 * bpfscope maps: the map object model shared by the verifier (types and
 * sizes), the bpf() command layer and execution.
 *
 * Depends on ir only.
 */
#ifndef BPFSCOPE_MAPS_H
#define BPFSCOPE_MAPS_H

#include "ir.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks a map declaration the way the kernel's map_create does for the
 * attributes every map type shares (EINVAL for zero sizes or entries, an
 * unknown type). Returns 0 or a negative errno with err set. */
int bpfs_map_spec_check(const struct bpfs_map_spec *spec, struct bpfs_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_MAPS_H */
