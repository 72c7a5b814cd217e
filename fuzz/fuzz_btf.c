/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the BTF readers: the input is a 4-byte length N,
 * N bytes of .BTF and the rest .BTF.ext. Parsing must succeed or fail with
 * a message; on success every .BTF.ext record and every BTF-defined map is
 * walked. Nothing may crash, hang or leak.
 */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(const struct bpfs_btf_ext_rec *r, void *data)
{
	size_t *n = data;

	*n += strlen(r->section) + r->insn_off % 2;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfs_btf *b = NULL;
	struct bpfs_btf_map *maps = NULL;
	struct bpfs_err err;
	uint32_t n;
	size_t nmaps, seen = 0;

	if (size < 4)
		return 0;
	memcpy(&n, data, 4);
	data += 4;
	size -= 4;
	if (n > size)
		n = (uint32_t)size;
	if (bpfs_btf_parse(data, n, size > n ? data + n : NULL, size - n, &b, &err)) {
		if (b || !err.msg[0])
			__builtin_trap(); /* a failure says why */
		return 0;
	}
	for (int k = BPFS_BTF_EXT_FUNC; k <= BPFS_BTF_EXT_CORE; k++)
		bpfs_btf_ext_foreach(b, (enum bpfs_btf_ext_kind)k, count, &seen, &err);
	if (bpfs_btf_maps(b, &maps, &nmaps, &err) == 0)
		free(maps);
	bpfs_btf_free(b);
	return 0;
}
