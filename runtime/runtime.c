/* SPDX-License-Identifier: MIT */
/*
 * The helper runtime shared by the execution engines.
 */
#include "runtime.h"
