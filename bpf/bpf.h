/* SPDX-License-Identifier: MIT */
/*
 * bpfscope's bpf(): the kernel's multiplexed command interface, in
 * userspace, with the kernel's command numbers and attr layout from the
 * system's <linux/bpf.h>, so code written for the kernel's bpf() compiles
 * against it unchanged. Errors are -1 with errno set, as libc reports the
 * kernel's.
 * Depends on maps, analysis, interp and jit.
 */
#ifndef BPFSCOPE_BPF_H
#define BPFSCOPE_BPF_H

#include "interp.h"
#include "jit.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* BPFSCOPE_BPF_H */
