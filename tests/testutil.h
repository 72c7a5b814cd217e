/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the test programs. */
#ifndef BPFS_TESTUTIL_H
#define BPFS_TESTUTIL_H

#include <glib.h>

/* Directory from an environment variable set by CTest; NULL if unset or
 * missing on disk. */
const char *tu_env_dir(const char *var);
/* The development data set, or NULL (tests then skip with a message). */
const char *tu_shared_dir(void);
/* Path to a file under the data set, or NULL with g_test_skip() called. */
char *tu_shared_path_or_skip(const char *rel);
/* Runs a command line, returns its exit status and captures stdout and
 * stderr (either may be NULL). */
int tu_run(const char *cmdline, char **out, char **err);
/* Path of the built bpfscope program. */
const char *tu_cli(void);
/* Hex decoding of "b7000000..." into bytes; returns length or -1. */
gssize tu_unhex(const char *hex, guint8 **out);
/* Removes a directory and everything under it. */
void tu_rm_tree(const char *path);

#endif
