/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the cross-checker (xcheck.c, xcheck_ops.c): the
 * Z3 context they share and the bit-vector helpers both encodings use.
 * Only the cross-checker's files include this header; Z3 types stay here.
 */
#ifndef BPFSCOPE_XCHECK_INT_H
#define BPFSCOPE_XCHECK_INT_H

#include "xcheck.h"

#ifdef BPFS_HAVE_Z3
#include <z3.h>

/* A context whose errors set *failed instead of aborting the process
 * (Z3's default handler exits). */
Z3_context xz_context_new(void);
/* Whether a Z3 call on z failed since the last xz_clear_error */
bool xz_failed(Z3_context z);
void xz_clear_error(Z3_context z);

static inline Z3_ast xz_u64(Z3_context z, uint64_t v, unsigned bits)
{
	return Z3_mk_unsigned_int64(z, v, Z3_mk_bv_sort(z, bits));
}

/* The value of t (a bit-vector of at most 64 bits) in model m */
uint64_t xz_eval_u64(Z3_context z, Z3_model m, Z3_ast t);
/* A solver for logic (NULL: any) with its timeout set to ms (0: none),
 * referenced */
Z3_solver xz_solver_new(Z3_context z, const char *logic, unsigned ms);
void xz_solver_timeout(Z3_context z, Z3_solver s, unsigned ms);
#endif

#endif /* BPFSCOPE_XCHECK_INT_H */
