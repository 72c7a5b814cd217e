/* SPDX-License-Identifier: MIT */
/*
 * Private to the loaders (load.c, elf.c): how a format loader fills a
 * struct bpfs_object. Not included from other modules.
 */
#ifndef BPFSCOPE_LOAD_INT_H
#define BPFSCOPE_LOAD_INT_H

#include "ir.h"

/* Appends a program. insns is taken over (freed on failure too); section
 * and name are copied. Returns 0 or -ENOMEM. */
int bpfs_obj_add_prog(struct bpfs_object *obj, const char *section, const char *name, uint32_t type,
		      struct bpf_insn *insns, size_t insn_cnt, size_t main_cnt);

/* Records the functions placed in program prog (names copied). Returns 0
 * or -ENOMEM. */
int bpfs_obj_set_prog_funcs(struct bpfs_object *obj, size_t prog, const uint32_t *starts, const char *const *names,
			    size_t n);

/* Appends a map spec; name is copied, init_data is taken over. Returns the
 * new map's index or -ENOMEM. */
int bpfs_obj_add_map(struct bpfs_object *obj, const char *name, const struct bpfs_map_spec *spec);

/* Records why program prog cannot be loaded (first call wins). Returns 0
 * or -ENOMEM. */
int bpfs_obj_set_prog_error(struct bpfs_object *obj, size_t prog, const char *msg);

/* Replaces (msg) or clears (NULL) why program prog cannot be loaded.
 * Returns 0 or -ENOMEM. */
int bpfs_obj_replace_prog_error(struct bpfs_object *obj, size_t prog, const char *msg);

/* The target bpfs_target_set_default() chose, or NULL (ir/core.c). */
const struct bpfs_target *bpfs_target_default(void);

/* Fills obj (path already set) from an ELF image. Messages name obj->path. */
int bpfs_elf_load(struct bpfs_object *obj, const void *data, size_t size, struct bpfs_err *err);

#endif /* BPFSCOPE_LOAD_INT_H */
