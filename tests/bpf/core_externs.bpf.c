// SPDX-License-Identifier: MIT
/*
 * .kconfig and .ksyms externs (variables and kernel functions), resolved
 * by tests/test_core.c against a configuration file and a target BTF it
 * writes.
 */
#include "bpfs_helpers.h"

#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))

enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_BPFS_NUM __kconfig;
extern _Bool CONFIG_BPFS_YES __kconfig;
extern enum libbpf_tristate CONFIG_BPFS_MOD __kconfig;
extern char CONFIG_BPFS_STR[8] __kconfig;
extern int CONFIG_BPFS_ABSENT __kconfig __weak;
extern const int bpfs_test_ksym __ksym;
extern const int bpfs_absent_ksym __ksym __weak;

SEC("socket")
int kconfig_values(struct __sk_buff *skb)
{
	(void)skb;
	if (LINUX_KERNEL_VERSION < 0x050000)
		return 1;
	return CONFIG_BPFS_NUM + CONFIG_BPFS_YES + (CONFIG_BPFS_MOD == TRI_MODULE) + CONFIG_BPFS_STR[1] +
	       CONFIG_BPFS_ABSENT;
}

SEC("socket")
int ksym_addr(struct __sk_buff *skb)
{
	long a = (long)&bpfs_test_ksym, b = (long)&bpfs_absent_ksym;

	(void)skb;
	asm volatile("" : "+r"(a), "+r"(b));
	return a != 0 && b == 0;
}

extern int bpfs_test_kfunc(int x) __ksym;
extern int bpfs_absent_kfunc(int x) __ksym __weak;

SEC("socket")
int kfunc_calls(struct __sk_buff *skb)
{
	if (bpfs_absent_kfunc) /* bpf_ksym_exists() */
		return bpfs_absent_kfunc(1);
	return bpfs_test_kfunc((int)skb->len);
}

char _license[] SEC("license") = "GPL";
