/* SPDX-License-Identifier: MIT */
/*
 * bpf_trace_printk's formatting, as the kernel's bpf_bprintf_prepare()
 * accepts formats and bstr_printf() prints them:
 *
 *   - the format must be NUL-terminated within fmt_size bytes, and hold
 *     only printable characters and white space;
 *   - a conversion is %[flags][width][l|ll](d|i|u|x|X), %c, %s, %p, %px,
 *     %pK, or %%; flags are "0+- ", there is no precision;
 *   - at most three arguments.
 *
 * %d and %i take the low 32 bits as int, %ld/%lld the whole register.
 * Pointers print as 16 hex digits, unhashed (the kernel hashes plain %p).
 * %s reads a string from the run's regions; one outside them prints as an
 * empty string, as the kernel's copy that faults does.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runtime_int.h"

/* Copies a NUL-terminated string at addr from the regions into buf. */
static void read_string(struct bpfs_run_ctx *rc, uint64_t addr, char *buf, size_t size)
{
	const struct bpfs_region *r = bpfs_run_find_region(rc, (uintptr_t)addr, 1);
	size_t avail, n;

	buf[0] = 0;
	if (!r)
		return;
	avail = r->len - ((uintptr_t)addr - r->start);
	n = strnlen((const char *)(uintptr_t)addr, avail < size - 1 ? avail : size - 1);
	memcpy(buf, (const char *)(uintptr_t)addr, n);
	buf[n] = 0;
}

/* Appends one conversion. spec is the host printf conversion to use. */
static void put(char *out, size_t size, size_t *len, const char *spec, int kind, uint64_t v, const char *s)
{
	size_t room = size - *len;
	int n;

	switch (kind) {
	case 'i':
		n = snprintf(out + *len, room, spec, (int)(int32_t)v);
		break;
	case 'u':
		n = snprintf(out + *len, room, spec, (unsigned)v);
		break;
	case 'L':
		n = snprintf(out + *len, room, spec, (long long)v);
		break;
	case 'U':
		n = snprintf(out + *len, room, spec, (unsigned long long)v);
		break;
	case 'c':
		n = snprintf(out + *len, room, spec, (int)(uint8_t)v);
		break;
	default:
		n = snprintf(out + *len, room, spec, s);
		break;
	}
	if (n > 0)
		*len += (size_t)n < room ? (size_t)n : room - 1;
}

int bpfs_printk_format(struct bpfs_run_ctx *rc, const char *fmt, size_t fmt_size, const uint64_t *args,
		       unsigned nargs, char *out, size_t out_size)
{
	unsigned argi = 0;
	size_t len = 0;

	out[0] = 0;
	if (!fmt_size || fmt[fmt_size - 1])
		return -EINVAL;
	for (const char *p = fmt; *p; p++) {
		char spec[32], str[256];
		const char *start;
		int kind, lng = 0;
		size_t n;

		if (!isascii((unsigned char)*p) ||
		    (!isprint((unsigned char)*p) && !isspace((unsigned char)*p)))
			return -EINVAL;
		if (*p != '%') {
			if (len + 1 < out_size) {
				out[len++] = *p;
				out[len] = 0;
			}
			continue;
		}
		start = p++;
		if (*p == '%') {
			if (len + 1 < out_size) {
				out[len++] = '%';
				out[len] = 0;
			}
			continue;
		}
		while (*p == '0' || *p == '+' || *p == '-' || *p == ' ')
			p++;
		if (*p >= '1' && *p <= '9')
			while (*p >= '0' && *p <= '9')
				p++;
		if (argi == nargs)
			return -EINVAL;
		n = (size_t)(p - start);
		if (n > sizeof(spec) - 8)
			return -EINVAL;
		memcpy(spec, start, n);
		if (*p == 'p') {
			if (p[1] == 'x' || p[1] == 'K')
				p++;
			else if (isalnum((unsigned char)p[1]))
				return -EINVAL;
			strcpy(spec + n, "016" PRIx64);
			put(out, out_size, &len, spec, 'U', args[argi++], NULL);
			continue;
		}
		if (*p == 's' || *p == 'c') {
			spec[n] = *p;
			spec[n + 1] = 0;
			if (*p == 's')
				read_string(rc, args[argi++], str, sizeof(str));
			put(out, out_size, &len, spec, *p == 's' ? 's' : 'c', *p == 'c' ? args[argi++] : 0,
			    str);
			continue;
		}
		while (*p == 'l' && lng < 2) {
			lng++;
			p++;
		}
		if (*p != 'd' && *p != 'i' && *p != 'u' && *p != 'x' && *p != 'X')
			return -EINVAL;
		if (lng) {
			strcpy(spec + n, "ll");
			n += 2;
		}
		spec[n] = *p;
		spec[n + 1] = 0;
		if (*p == 'd' || *p == 'i')
			kind = lng ? 'L' : 'i';
		else
			kind = lng ? 'U' : 'u';
		put(out, out_size, &len, spec, kind, args[argi++], NULL);
	}
	return (int)len;
}
