/* SPDX-License-Identifier: MIT */
/*
 * The bpf() command layer.
 */
#include "bpf.h"
