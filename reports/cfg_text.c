/* SPDX-License-Identifier: MIT */
#include "reports.h"
