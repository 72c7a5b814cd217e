/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CO-RE engine and the extern resolution
 * (ir/core.c): the input is a 4-byte length N, N bytes of raw BTF for the
 * target kernel, and the rest an ELF object, whose relocations and
 * externs are applied against that target. Loading and applying must
 * succeed or fail with a message; every relocation ends with a result.
 * Nothing may crash, hang or leak.
 */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfs_target_opts o = {.kconfig = "", .kernel_version = 0x060100};
	struct bpfs_target *t = NULL;
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;
	uint32_t n;

	if (size < 4)
		return 0;
	memcpy(&n, data, 4);
	data += 4;
	size -= 4;
	if (n > size)
		n = (uint32_t)size;
	o.btf = "";
	if (n) {
		o.btf_data = data;
		o.btf_size = n;
	}
	if (bpfs_target_open(&o, &t, &err)) {
		if (t || !err.msg[0])
			__builtin_trap();
		o.btf_data = NULL; /* a target without BTF, then */
		if (bpfs_target_open(&o, &t, &err))
			__builtin_trap();
	}
	if (bpfs_object_open_mem(data + n, size - n, "fuzz.o", BPFS_FORMAT_ELF, &obj, &err) == 0) {
		if (bpfs_object_apply_target(obj, t, &err) == 0) {
			for (size_t i = 0; i < obj->prog_cnt; i++)
				for (size_t r = 0; r < obj->progs[i].ncore_relos; r++)
					if (obj->progs[i].core_relos[r].status == BPFS_CORE_UNAPPLIED)
						__builtin_trap();
		} else if (!err.msg[0]) {
			__builtin_trap();
		}
		bpfs_object_free(obj);
	}
	bpfs_target_free(t);
	return 0;
}
