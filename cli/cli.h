/* SPDX-License-Identifier: MIT */
/*
 * The bpfscope command line: private declarations shared by the
 * subcommands. The CLI only parses arguments, calls the library and prints.
 */
#ifndef BPFS_CLI_H
#define BPFS_CLI_H

#include <glib.h>
#include <stdbool.h>

#include "reports.h"
#include "corpus.h"
#include "diff.h"

/* Exit statuses: a contract with users' scripts. */
enum {
	EXIT_OK = 0,      /* success; program accepted */
	EXIT_VERDICT = 1, /* a negative verdict: program rejected */
	EXIT_USAGE = 2,   /* usage or input error */
};

struct cli_cmd {
	const char *name;
	const char *args;    /* e.g. "FILE[:SECTION]" */
	const char *summary; /* one line for `bpfscope --help` */
	int (*run)(int argc, char **argv);
};

/* Parses options of a subcommand. Prints the error and returns false on
 * bad usage. argv[0] is the subcommand's name. */
bool cli_parse(const char *cmd, const char *args, const char *description, GOptionEntry *entries, int *argc,
	       char ***argv);

/* Prints "bpfscope CMD: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A FILE[:SECTION] argument opened: the object and the programs selected
 * (all of them when no SECTION was given). */
struct cli_target {
	char *path;
	char *section; /* NULL when not given */
	struct bpfs_object *obj;
	struct bpfs_prog **progs;
	size_t nprogs;
};

/* Opens spec. type_override (may be NULL) sets every selected program's
 * type. Prints the error and returns false on failure. */
bool cli_open(const char *cmd, const char *spec, const char *type_override, struct cli_target *t);
void cli_target_release(struct cli_target *t);
/* The maps a raw or assembly program's LD_IMM64 refer to, from --map
 * TYPE:KEY:VALUE:MAX[:FLAGS] declarations in order (named as the assembly
 * file named them, else mapN), appended to out (struct bpfs_map_spec,
 * names g_malloc'd: cli_map_decls_release). An ELF object declares its own
 * maps: out stays empty. Prints the error and returns false on failure. */
bool cli_map_decls(const char *cmd, const struct cli_target *t, char **decls, GArray *out);
void cli_map_decls_release(GArray *specs);
/* The verifier's options, shared by the commands that run it (verify,
 * dot, cover, core): --type, --map, --flags, --insn-limit, --unpriv,
 * --profile, --no-prune, and the target kernel's --btf, --kconfig and
 * --kernel-version. */
struct cli_verifier_args {
	char *type;
	char **maps;
	int flags;
	gint64 insn_limit;
	gboolean unpriv, no_prune;
	char *profile;
	GArray *decls; /* the --map declarations, once cli_verifier_target ran */
	/* The target kernel: cli_open applies it to ELF objects (CO-RE,
	 * .kconfig and .ksyms externs) once these entries were added. */
	char *btf, *kconfig, *kernel_version;
};
/* Appends the option entries that fill a (entries ends with a NULL entry). */
void cli_verifier_entries(struct cli_verifier_args *a, GArray *entries);
/* Checks the options and fills o (its log level and trace untouched).
 * Prints the error and returns false on failure. */
bool cli_verifier_opts(const char *cmd, const struct cli_verifier_args *a, struct bpfs_verifier_opts *o);
/* Points o at the maps, license and kernel version of t's object (or at
 * the --map declarations for raw and assembly input). */
bool cli_verifier_target(const char *cmd, struct cli_verifier_args *a, const struct cli_target *t,
			 struct bpfs_verifier_opts *o);
void cli_verifier_args_release(struct cli_verifier_args *a);
/* Points o at what the verifier takes from program p itself, as libbpf
 * would load it: its type and expected attach type, its BTF func_info,
 * function symbols and source lines. */
void cli_verifier_prog(struct bpfs_verifier_opts *o, const struct bpfs_prog *p);

/* The target kernel named by --btf FILE, --kconfig FILE and
 * --kernel-version X.Y.Z (NULL: the defaults, the running system's),
 * opened once for the process. Prints the error and returns NULL on
 * failure. */
const struct bpfs_target *cli_target_kernel(const char *cmd, const char *btf, const char *kconfig,
					    const char *version);

/* The same, made the library's default: every ELF object opened from
 * then on (bpfs_object_open) gets it applied. */
bool cli_target_default(const char *cmd, const char *btf, const char *kconfig, const char *version);

/* Inputs of the commands that run a program to count what executes
 * (cover --run, dot --heat --run): --packet, --packet-hex, --inputs,
 * --seed. */
struct cli_run_inputs {
	char **packets, **packet_hex;
	gint64 inputs, seed;
};
void cli_run_input_entries(struct cli_run_inputs *in, GArray *entries);
bool cli_run_inputs_check(const char *cmd, const struct cli_run_inputs *in, bool run);
void cli_run_inputs_release(struct cli_run_inputs *in);
/* Runs p (loaded as `run` loads it) checked on every input, adding to
 * counts and taken (p->insn_cnt each) how often each instruction ran and
 * each jump went to its target. Prints the error and returns false on
 * failure. */
bool cli_exec_counts(const char *cmd, struct cli_verifier_args *va, const struct cli_run_inputs *ri,
		     const struct cli_target *t, const struct bpfs_prog *p, uint64_t *counts, uint64_t *taken);

/* "section/function" or the name alone when there is no section. */
char *cli_prog_label(const struct bpfs_prog *prog);

int cmd_list(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_cfg(int argc, char **argv);
int cmd_dot(int argc, char **argv);
int cmd_cover(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_conformance(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_corpus(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_jit(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_core(int argc, char **argv);
int cmd_xcheck(int argc, char **argv);

/* The cross-checker's options (cmd_xcheck.c), shared with verify --xcheck */
struct cli_xcheck_args {
	char *witness_dir;
	int timeout_ms, max_paths;
};
void cli_xcheck_entries(struct cli_xcheck_args *a, GArray *entries);
/* Checks the options, and that the cross-checker is built (Z3) */
bool cli_xcheck_check_args(const char *cmd, const struct cli_xcheck_args *a);
/* Cross-checks verdict v of program p of object, prints the result (or
 * adds it to json_builder, a JsonBuilder in an array) and writes its
 * witness. Returns EXIT_OK, EXIT_VERDICT (unsound, false alarm) or
 * EXIT_USAGE. */
int cli_xcheck_prog(const struct cli_xcheck_args *a, const char *object, const struct bpfs_prog *p,
		    const struct bpfs_verifier_opts *o, const struct bpfs_verdict *v, void *json_builder);

/* A witness file read back as run's inputs: the packet (hex), the context
 * input, and --map-set pairs (NAME, 0xKEY=0xVALUE) */
struct cli_witness {
	char *packet_hex;
	GBytes *ctx;
	GPtrArray *sets;
	size_t nhelpers; /* helper results it records */
	int insn;        /* the unsafe access */
};
bool cli_witness_load(const char *cmd, const char *path, uint32_t prog_type, struct cli_witness *w);
void cli_witness_release(struct cli_witness *w);
/* run --witness: sets *packet_hex and *ctx (which must be unset) and
 * appends the map elements to sets (borrowed from w) */
bool cli_witness_inputs(const char *cmd, const char *path, uint32_t prog_type, char **packet_hex, GBytes **ctx,
			GPtrArray *sets, struct cli_witness *w);

#endif
