// SPDX-License-Identifier: MIT
/*
 * CO-RE relocations of every kind clang 14 emits, against small local
 * types; tests/test_core.c relocates them against a target BTF it builds,
 * where fields moved, grew, vanished, were renamed in a flavour, are
 * bitfields elsewhere, and the enum changed.
 */
#include "bpfs_helpers.h"

#define __core __attribute__((preserve_access_index))

/* clang's kinds for the builtins */
#define FIELD_BYTE_OFFSET 0
#define FIELD_BYTE_SIZE 1
#define FIELD_EXISTS 2
#define FIELD_SIGNED 3
#define FIELD_LSHIFT_U64 4
#define FIELD_RSHIFT_U64 5
#define TYPE_EXISTS 0
#define TYPE_SIZE 1
#define ENUMVAL_EXISTS 0
#define ENUMVAL_VALUE 1
#define TYPE_ID_LOCAL 0
#define TYPE_ID_TARGET 1

#define field(f, k) __builtin_preserve_field_info(f, k)

struct core_s {
	int x;
	int y;
	unsigned int flags : 3;
	unsigned int mode : 5;
	long gone;
	unsigned short small;
	short sval;
	char name[8];
} __core;

/* A flavour: the same kernel struct, as another version names a field. */
struct core_s___flav {
	int x;
	int z;
} __core;

/* Two target flavours lay it out differently: ambiguous. */
struct core_amb {
	int a;
	int b;
} __core;

/* Two target flavours agree. */
struct core_same {
	int a;
	int b;
} __core;

struct core_missing {
	int a;
} __core;

enum core_e { CORE_ONE = 1, CORE_TWO = 2, CORE_GONE = 3 };

static struct core_s *opaque(struct core_s *s)
{
	asm volatile("" : "+r"(s));
	return s;
}

SEC("socket")
int core_fields(struct __sk_buff *skb)
{
	struct core_s *s = (void *)0;
	struct core_s___flav *f = (void *)0;

	(void)skb;
	return field(s->y, FIELD_BYTE_OFFSET) + field(s->name[2], FIELD_BYTE_OFFSET) +
	       field(s->small, FIELD_BYTE_SIZE) + field(s->gone, FIELD_EXISTS) + field(s->x, FIELD_SIGNED) +
	       field(s->mode, FIELD_LSHIFT_U64) + field(s->mode, FIELD_RSHIFT_U64) +
	       field(s->mode, FIELD_BYTE_OFFSET) + field(f->z, FIELD_BYTE_OFFSET);
}

SEC("socket")
int core_types(struct __sk_buff *skb)
{
	(void)skb;
	return __builtin_preserve_type_info(*(struct core_s *)0, TYPE_EXISTS) +
	       __builtin_preserve_type_info(*(struct core_missing *)0, TYPE_EXISTS) +
	       __builtin_preserve_type_info(*(struct core_s *)0, TYPE_SIZE) +
	       __builtin_preserve_enum_value(*(enum core_e *)CORE_TWO, ENUMVAL_VALUE) +
	       __builtin_preserve_enum_value(*(enum core_e *)CORE_GONE, ENUMVAL_EXISTS) +
	       __builtin_preserve_enum_value(*(enum core_e *)CORE_ONE, ENUMVAL_EXISTS) +
	       (int)__builtin_btf_type_id(*(struct core_s *)0, TYPE_ID_TARGET) +
	       (int)__builtin_btf_type_id(*(struct core_s *)0, TYPE_ID_LOCAL);
}

/* Loads: y moved (off patched), small grew from u16 to u32 (the load
 * widens), sval grew but is signed (poisoned). */
SEC("socket")
int core_loads(struct __sk_buff *skb)
{
	struct core_s v = {};
	struct core_s *s = opaque(&v);

	if (skb->len == 1)
		return s->sval;
	return s->y + s->small;
}

/* The field is gone from the target: the instruction is poisoned, and it
 * is reachable. */
SEC("socket")
int core_poison(struct __sk_buff *skb)
{
	struct core_s *s = (void *)0;

	(void)skb;
	return field(s->gone, FIELD_BYTE_OFFSET);
}

SEC("socket")
int core_ambiguous(struct __sk_buff *skb)
{
	struct core_amb *a = (void *)0;

	(void)skb;
	return field(a->b, FIELD_BYTE_OFFSET);
}

SEC("socket")
int core_agree(struct __sk_buff *skb)
{
	struct core_same *a = (void *)0;

	(void)skb;
	return field(a->b, FIELD_BYTE_OFFSET);
}

char _license[] SEC("license") = "GPL";
