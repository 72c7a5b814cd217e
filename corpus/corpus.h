/* SPDX-License-Identifier: MIT */
/*
 * bpfscope corpus: finding the program objects of a directory tree and
 * running analyses over them in batch.
 * Depends on ir, maps, analysis, interp and jit.
 */
#ifndef BPFSCOPE_CORPUS_H
#define BPFSCOPE_CORPUS_H

#include "interp.h"
#include "jit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Collects the files under each path (a file is taken as it is; a directory
 * is walked recursively, hidden entries skipped) that look like programs:
 * ELF objects, .bin, .s/.asm and .data files. Paths are returned sorted,
 * in a NULL-terminated malloc'd array of malloc'd strings (free with
 * bpfs_corpus_files_free). Returns 0 or a negative errno. */
int bpfs_corpus_find(const char *const *paths, size_t npaths, char ***files, size_t *nfiles, struct bpfs_err *err);
void bpfs_corpus_files_free(char **files);

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_CORPUS_H */
