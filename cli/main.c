/* SPDX-License-Identifier: MIT */
#include <stdio.h>
int main(void)
{
	puts("bpfscope");
	return 0;
}
