/* SPDX-License-Identifier: MIT */
/*
 * BPF_PROG_LOAD and BPF_PROG_TEST_RUN. The descriptor table and the
 * loaded-program object (bpf_int.h) are ready for them: a load builds a
 * struct bpfs_loaded_prog, records every map its LD_IMM64 instructions
 * name (bpfs_loaded_prog_use_map, after bpfs_fd_get on the descriptor),
 * and installs it with bpfs_fd_install(BPFS_OBJ_PROG, ...); a test run
 * takes the program with bpfs_fd_get_prog and runs it inside a reader
 * section (bpfs_rcu_read_lock). Until the verifier and the engines are
 * connected here, both commands fail with ENOTSUP after the shared attr
 * checks.
 */
#include "bpf_int.h"

long bpfs_cmd_prog_load(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	(void)attr;
	(void)uattr;
	(void)size;
	return -ENOTSUP;
}

long bpfs_cmd_prog_test_run(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	(void)attr;
	(void)uattr;
	(void)size;
	return -ENOTSUP;
}
