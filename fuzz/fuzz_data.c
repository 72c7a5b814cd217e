/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the conformance .data loader on arbitrary bytes. Every input must
 * load or fail with a message naming the input; nothing may crash, hang
 * or leak. */
#include "ir.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfs_object *obj = NULL;
	struct bpfs_err err;

	if (bpfs_object_open_mem(data, size, "fuzz", BPFS_FORMAT_CONFORMANCE, &obj, &err) == 0) {
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
