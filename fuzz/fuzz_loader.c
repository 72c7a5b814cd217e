/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for one loader, chosen at build time with
 * -DFUZZ_FORMAT=BPFS_FORMAT_{ELF,RAW,ASM,CONFORMANCE}: the input goes to
 * bpfs_object_open_mem with that format forced. Every input must load or
 * fail with a message naming the input; nothing may crash, hang or leak.
 */
#include "ir.h"

#include <string.h>

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name the loader's format"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;

	if (bpfs_object_open_mem(data, size, "fuzz", FUZZ_FORMAT, &obj, &err) == 0) {
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			if (obj->progs[i].main_cnt > obj->progs[i].insn_cnt)
				__builtin_trap();
		}
		bpfs_object_free(obj);
	} else if (obj || !strstr(err.msg, "fuzz")) {
		__builtin_trap(); /* failures must name the input */
	}
	return 0;
}
