/* SPDX-License-Identifier: MIT */
/*
 * Runs bpf_conformance .data files on the JIT: the interpreter's runner
 * (interp/conformance.c) with the JIT as its engine, so that both engines
 * read the files, skip and judge alike.
 */
#include "jit_int.h"

int bpfs_jit_conformance_run(const char *path, bool harden, struct bpfs_conf_result *res)
{
	return bpfs_conformance_run_on(path, harden ? &bpfs_engine_jit_hardened : &bpfs_engine_jit, res);
}
