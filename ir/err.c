/* SPDX-License-Identifier: MIT */
/* Error reporting shared by every module: a message and an instruction. */
#include "ir.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int bpfs_err_set(struct bpfs_err *err, int code, int insn, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->insn = insn;
		err->errnum = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -code;
}

void bpfs_err_prefix(struct bpfs_err *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	size_t n;
	va_list ap;

	if (!err)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	if (n + 2 < sizeof(err->msg)) {
		memcpy(err->msg + n, ": ", 3);
		n += 2;
		strncat(err->msg + n, old, sizeof(err->msg) - n - 1);
	}
}

void bpfs_err_clear(struct bpfs_err *err)
{
	if (err) {
		err->insn = -1;
		err->errnum = 0;
		err->msg[0] = '\0';
	}
}
