/* SPDX-License-Identifier: MIT */
/*
 * Internals of the bpf() command layer, for the files of this module
 * (program loading and test runs are written against these): the
 * descriptor table, which holds maps and programs, and the loaded-program
 * object. Never included from another module.
 */
#ifndef BPFSCOPE_BPF_INT_H
#define BPFSCOPE_BPF_INT_H

#include "bpf.h"

#include <errno.h>
#include <stddef.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define BPFS_OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/* What a descriptor refers to. */
enum bpfs_obj_kind {
	BPFS_OBJ_MAP = 1,
	BPFS_OBJ_PROG,
};

/*
 * A loaded program. ref.id is its id (what a prog_array lookup returns);
 * the last bpfs_ref_put frees it and drops its maps. It holds a reference
 * on each map it uses, so a map outlives its descriptor while a program
 * uses it. engine is the execution engine's compiled form, freed with
 * engine_free.
 */
struct bpfs_loaded_prog {
	struct bpfs_ref ref;
	uint32_t type; /* enum bpf_prog_type */
	char name[BPF_OBJ_NAME_LEN];
	char *license;
	struct bpf_insn *insns;
	size_t insn_cnt;
	struct bpfs_map **maps;
	size_t map_cnt;
	void *engine;
	void (*engine_free)(void *engine);
};

/* A program with a copy of insns and one reference; NULL when out of
 * memory. */
struct bpfs_loaded_prog *bpfs_loaded_prog_new(uint32_t type, const struct bpf_insn *insns, size_t cnt);
/* Records that prog uses map (once per map), taking a reference. 0 or
 * -ENOMEM. */
int bpfs_loaded_prog_use_map(struct bpfs_loaded_prog *prog, struct bpfs_map *map);
void bpfs_loaded_prog_put(struct bpfs_loaded_prog *prog);

/* Descriptor table (fdtable.c). install takes over one reference (a user
 * reference for a map) and returns the new descriptor or a negative errno
 * (EMFILE, ENOMEM); on failure the reference is still the caller's. */
int bpfs_fd_install(enum bpfs_obj_kind kind, void *obj);
/* The object behind fd with a new reference (plain for a map): 0, -EBADF
 * when fd is not open, -EINVAL when it is open on another kind. */
int bpfs_fd_get(int fd, enum bpfs_obj_kind kind, void **obj);
int bpfs_fd_get_prog(int fd, struct bpfs_loaded_prog **out);
/* Closes fd, dropping its reference: 0 or -EBADF. */
int bpfs_fd_close(int fd);

/*
 * Command handlers (bpf.c dispatches after the checks every command
 * shares, attr being a zero-padded copy of the caller's; uattr is the
 * caller's, for results written back). They return a descriptor, 0, or a
 * negative errno.
 */
long bpfs_cmd_prog_load(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);
long bpfs_cmd_prog_test_run(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size);


/* ---------------------------------------------------------------------- */
/* Program execution (prog_load.c, test_run.c)                            */

#include <pthread.h>
#include <stdatomic.h>

#include "interp.h"

/* The engine instances a loaded program may run on. */
enum bpfs_inst {
	BPFS_INST_INTERP,  /* the interpreter, fast */
	BPFS_INST_CHECKED, /* the interpreter, checked */
	BPFS_INST_JIT,
	BPFS_NINST,
};

/* One engine's form of the program, with the map operations its runs use
 * (their tail calls resolve to programs of the same engine). */
struct bpfs_prog_inst {
	const struct bpfs_engine_ops *ops;
	void *prog; /* NULL until built */
	struct bpfs_map_table table;
	struct bpfs_map_ops mops;
};

/*
 * What a loaded program runs with: one image (runtime.h) for every engine,
 * map operations over prog->maps (map index i of the image is
 * prog->maps[i]), the engines' forms built from the image (the fast
 * interpreter's at load for verified programs, the checked one's for the
 * others; the rest on first use), and the state the bpfscope extensions
 * of bpf.h set and read. lock guards everything below it; image and the
 * instances' ops and tables are fixed after load, an instance's prog once
 * built.
 */
struct bpfs_prog_engine {
	struct bpfs_loaded_prog *prog; /* back pointer, no reference */
	struct bpfs_image *image;
	struct bpfs_prog_inst inst[BPFS_NINST];
	atomic_int engine; /* enum bpfs_engine */
	bool verified;
	atomic_bool checked;
	pthread_mutex_t lock;
	uint64_t seed;
	uint64_t insn_limit;
	uint64_t *insn_counts, *insn_taken; /* checked runs count executions and jumps taken here, or NULL */
	struct bpfs_task task; /* what the get_current_* helpers report */
	uint64_t (*clock_ns)(void *priv); /* NULL: CLOCK_MONOTONIC */
	void *clock_priv;
	bool has_report;
	struct bpfs_run_report report;
	char *trace; /* BPFS_PROG_TRACE_SIZE bytes, NUL-terminated */
	size_t trace_len;
	bool trace_truncated;
};

/* Builds prog's engine (prog->engine, prog->engine_free) from its
 * instructions, whose map references index prog->maps. 0 or a negative
 * errno with err set. */
int bpfs_prog_engine_init(struct bpfs_loaded_prog *prog, bool verified, struct bpfs_err *err);
/* The engine of the program behind fd, with a reference on the program
 * (*prog) the caller drops with bpfs_loaded_prog_put. */
int bpfs_prog_engine_get(int fd, struct bpfs_loaded_prog **prog, struct bpfs_prog_engine **engine);

#endif /* BPFSCOPE_BPF_INT_H */
