/* SPDX-License-Identifier: MIT */
/* Private declarations of the runtime module. */
#ifndef BPFS_RUNTIME_INT_H
#define BPFS_RUNTIME_INT_H

#include "runtime.h"

/* Formats fmt (fmt_size bytes, NUL-terminated within them) with up to
 * nargs arguments as bpf_trace_printk does, into out (always
 * NUL-terminated). Returns the length written or -EINVAL for a format the
 * kernel rejects. */
int bpfs_printk_format(struct bpfs_run_ctx *rc, const char *fmt, size_t fmt_size, const uint64_t *args,
		       unsigned nargs, char *out, size_t out_size);

#endif
