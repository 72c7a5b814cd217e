/* SPDX-License-Identifier: MIT */
/*
 * BPF_PROG_LOAD: the kernel's bpf_prog_load (kernel/bpf/syscall.c) and
 * the parts of bpf_check that come before and after the walk, in the
 * kernel's order:
 *
 *   1. prog_flags: unknown bits EINVAL; license copied (EFAULT for a NULL
 *      pointer); insn_cnt 0 or above BPFS_MAX_INSNS E2BIG; insns EFAULT
 *      when NULL; unknown program type EINVAL; prog_name with characters
 *      other than alphanumerics, '_' and '.' (or not NUL-terminated)
 *      EINVAL.
 *   2. The log attributes (bpf_vlog_init): log_buf and log_size given
 *      together or not at all, a buffer needs a log_level, log_level only
 *      of BPF_LOG_LEVEL1|2, BPF_LOG_STATS and BPF_LOG_FIXED (8), log_size
 *      at most UINT_MAX >> 2; EINVAL otherwise.
 *   3. resolve_pseudo_ldimm64: each LD_IMM64 map reference (src_reg
 *      BPF_PSEUDO_MAP_FD/VALUE, imm a descriptor; BPF_PSEUDO_MAP_IDX/
 *      IDX_VALUE, imm an index into fd_array) names a map: "fd %d is not
 *      pointing to valid bpf_map" with EBADF for a closed descriptor and
 *      EINVAL for one open on something else. The program takes a
 *      reference on each map; imm becomes the map's index in prog->maps,
 *      which is also the index into the specs the verifier sees and into
 *      the engine's map table.
 *   4. The verifier; a rejection returns its errno.
 *   5. The log is finalised as since Linux 6.4: when it does not fit in
 *      log_size bytes (its NUL included) the load fails with ENOSPC, even
 *      when the program verified and even over the verifier's own errno;
 *      the buffer then holds the log's last log_size - 1 bytes (a
 *      rotating log), or its first ones with BPF_LOG_FIXED.
 *   6. The engine is built and the descriptor installed.
 *
 * What is not modelled is refused, never ignored: BTF (prog_btf_fd,
 * func_info, line_info), attach targets (attach_btf_id, attach_prog_fd)
 * and device offload (prog_ifindex) fail with ENOTSUPP, as map_create
 * does for BTF.
 */
#include "bpf_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

/* log_level bits (the kernel's BPF_LOG_*, which no uapi header names) */
#define LOG_LEVEL1 1u
#define LOG_LEVEL2 2u
#define LOG_STATS 4u
#define LOG_FIXED 8u
#define LOG_TEXT (LOG_LEVEL1 | LOG_LEVEL2 | LOG_STATS)
#define LOG_MASK (LOG_TEXT | LOG_FIXED)

/* prog_flags the kernel accepts (6.x): alignment, the test flags,
 * sleepable, xdp frags, device-bound xdp, register invariants. */
#define KNOWN_PROG_FLAGS 0xffu
#define F_SLEEPABLE (1u << 4)
#define F_XDP_DEV_BOUND_ONLY (1u << 6)

static inline void *u64_to_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* The log of one load: what the load itself says (bad descriptors) and
 * the verifier's log, copied out at the end. */
struct load_log {
	uint32_t level;
	char *ubuf;
	uint32_t size;
	char pre[160];
};

static int log_init(struct load_log *log, const union bpf_attr *attr)
{
	memset(log, 0, sizeof(*log));
	log->level = attr->log_level;
	log->ubuf = u64_to_ptr(attr->log_buf);
	log->size = attr->log_size;
	if (!!log->ubuf != !!log->size)
		return -EINVAL;
	if (log->ubuf && !log->level)
		return -EINVAL;
	if (log->level & ~(uint32_t)LOG_MASK)
		return -EINVAL;
	if (log->size > UINT32_MAX >> 2)
		return -EINVAL;
	return 0;
}

static void log_pre(struct load_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_pre(struct load_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log->pre, sizeof(log->pre), fmt, ap);
	va_end(ap);
}

/* Copies the load's log (pre, then text) into the caller's buffer as
 * bpf_vlog_finalize leaves it: 0, or -ENOSPC when it did not fit. */
static int log_finish(struct load_log *log, const char *text, size_t len)
{
	size_t pre = strlen(log->pre), total = pre + len, n, skip;
	char *all;

	if (!log->ubuf || !(log->level & LOG_TEXT))
		return 0;
	all = malloc(total + 1);
	if (!all)
		return -ENOMEM;
	memcpy(all, log->pre, pre);
	if (len)
		memcpy(all + pre, text, len);
	all[total] = 0;
	n = total < log->size - 1 ? total : log->size - 1;
	skip = (log->level & LOG_FIXED) ? 0 : total - n;
	memcpy(log->ubuf, all + skip, n);
	log->ubuf[n] = 0;
	free(all);
	return total + 1 > log->size ? -ENOSPC : 0;
}

/* bpf_obj_name_cpy. */
static int check_name(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.')
			return -EINVAL;
	return i == size ? -EINVAL : 0;
}

static int check_attr(const union bpf_attr *attr, char *license, size_t lsize)
{
	const char *ulic = u64_to_ptr(attr->license);

	if (attr->prog_flags & ~KNOWN_PROG_FLAGS)
		return -EINVAL;
	if (!ulic)
		return -EFAULT;
	snprintf(license, lsize, "%s", ulic);
	if (attr->insn_cnt == 0 || attr->insn_cnt > BPFS_MAX_INSNS)
		return -E2BIG;
	if (!attr->insns)
		return -EFAULT;
	if (!bpfs_prog_type_name(attr->prog_type) || attr->prog_type == BPF_PROG_TYPE_UNSPEC)
		return -EINVAL;
	if (check_name(attr->prog_name, sizeof(attr->prog_name)))
		return -EINVAL;
	/* no sleepable types and no devices are modelled */
	if (attr->prog_flags & (F_SLEEPABLE | F_XDP_DEV_BOUND_ONLY))
		return -EINVAL;
	if (attr->prog_btf_fd || attr->func_info || attr->func_info_cnt || attr->line_info ||
	    attr->line_info_cnt || attr->attach_btf_id || attr->attach_prog_fd || attr->prog_ifindex ||
	    attr->core_relos || attr->core_relo_cnt)
		return -ENOTSUPP;
	return 0;
}

/* The descriptor an LD_IMM64 map reference names. */
static int ref_fd(const union bpf_attr *attr, const struct bpf_insn *insn, int *fd)
{
	const uint32_t *fd_array = u64_to_ptr(attr->fd_array);

	if (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE) {
		*fd = insn->imm;
		return 0;
	}
	if (!fd_array || insn->imm < 0)
		return -EINVAL;
	*fd = (int)fd_array[insn->imm];
	return 0;
}

static bool is_map_ref(const struct bpf_insn *insn)
{
	return insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
	       insn->src_reg == BPF_PSEUDO_MAP_IDX || insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE;
}

/* Step 3: rewrites prog->insns' map references to indexes into
 * prog->maps (as src_reg MAP_FD or MAP_VALUE), taking the references. */
static int resolve_maps(struct bpfs_loaded_prog *prog, const union bpf_attr *attr, struct load_log *log)
{
	for (size_t i = 0; i + 1 < prog->insn_cnt; i++) {
		struct bpf_insn *insn = &prog->insns[i];
		struct bpfs_map *map;
		size_t idx;
		int fd, ret;

		if (!bpfs_insn_is_ldimm64(insn))
			continue;
		if (!is_map_ref(insn)) {
			i++;
			continue;
		}
		ret = ref_fd(attr, insn, &fd);
		if (ret)
			return ret;
		ret = bpfs_fd_get(fd, BPFS_OBJ_MAP, (void **)&map);
		if (ret) {
			log_pre(log, "fd %d is not pointing to valid bpf_map\n", fd);
			return ret;
		}
		ret = bpfs_loaded_prog_use_map(prog, map);
		bpfs_map_put(map);
		if (ret)
			return ret;
		for (idx = 0; prog->maps[idx] != map; idx++)
			;
		if (insn->src_reg == BPF_PSEUDO_MAP_IDX)
			insn->src_reg = BPF_PSEUDO_MAP_FD;
		else if (insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
			insn->src_reg = BPF_PSEUDO_MAP_VALUE;
		insn->imm = (int32_t)idx;
		i++;
	}
	return 0;
}

/* The verifier's view of prog->maps. */
static struct bpfs_map_spec *map_specs(const struct bpfs_loaded_prog *prog)
{
	struct bpfs_map_spec *specs = calloc(prog->map_cnt ? prog->map_cnt : 1, sizeof(*specs));

	if (!specs)
		return NULL;
	for (size_t i = 0; i < prog->map_cnt; i++) {
		const struct bpfs_map_attr *a = bpfs_map_attr(prog->maps[i]);

		specs[i] = (struct bpfs_map_spec){
		    .name = (char *)a->name,
		    .type = a->type,
		    .key_size = a->key_size,
		    .value_size = a->value_size,
		    .max_entries = a->max_entries,
		    .flags = a->flags,
		    .inner_map = -1,
		};
	}
	return specs;
}

/* Steps 4 and 5: 0 when the program verified; the verdict's errno or
 * ENOSPC otherwise. */
static int verify(struct bpfs_loaded_prog *prog, const union bpf_attr *attr, struct load_log *log)
{
	struct bpfs_verifier_opts opts = {
	    .prog_type = prog->type,
	    .map_cnt = prog->map_cnt,
	    .license = prog->license,
	    .kern_version = attr->kern_version,
	    .prog_flags = attr->prog_flags,
	    .log_level = log->ubuf ? attr->log_level & LOG_TEXT : 0,
	    .profile = BPFS_PROFILE_MODERN,
	};
	struct bpfs_verdict v = {0};
	struct bpfs_map_spec *specs = map_specs(prog);
	int ret, lret;

	if (!specs)
		return -ENOMEM;
	opts.maps = specs;
	ret = bpfs_verify(prog->insns, prog->insn_cnt, &opts, &v);
	if (ret)
		goto out;
	ret = v.accepted ? 0 : (v.err ? v.err : -EACCES);
	lret = log_finish(log, v.log, v.log ? v.log_len : 0);
	if (lret)
		ret = lret;
out:
	bpfs_verdict_release(&v);
	free(specs);
	return ret;
}

/* A prog_array's programs share one type (bpf_prog_map_compatible). */
static int check_prog_arrays(const struct bpfs_loaded_prog *prog)
{
	for (size_t i = 0; i < prog->map_cnt; i++)
		if (bpfs_map_attr(prog->maps[i])->type == BPF_MAP_TYPE_PROG_ARRAY &&
		    bpfs_map_prog_array_compat(prog->maps[i], prog->type))
			return -EINVAL;
	return 0;
}

static long prog_load(union bpf_attr *attr, bool verified)
{
	struct bpfs_loaded_prog *prog = NULL;
	struct bpfs_err err;
	struct load_log log;
	char license[128];
	long ret;

	ret = check_attr(attr, license, sizeof(license));
	if (ret)
		return ret;
	ret = log_init(&log, attr);
	if (ret)
		return ret;
	prog = bpfs_loaded_prog_new(attr->prog_type, u64_to_ptr(attr->insns), attr->insn_cnt);
	if (!prog)
		return -ENOMEM;
	memcpy(prog->name, attr->prog_name, sizeof(prog->name));
	prog->license = strdup(license);
	ret = -ENOMEM;
	if (!prog->license)
		goto out;
	ret = resolve_maps(prog, attr, &log);
	if (ret) {
		long lret = log_finish(&log, NULL, 0);

		ret = lret ? lret : ret;
		goto out;
	}
	if (verified) {
		ret = verify(prog, attr, &log);
		if (ret)
			goto out;
	}
	ret = check_prog_arrays(prog);
	if (ret)
		goto out;
	bpfs_err_clear(&err);
	ret = bpfs_prog_engine_init(prog, verified, &err);
	if (ret && !verified) {
		long lret;

		log_pre(&log, "%s\n", err.msg);
		lret = log_finish(&log, NULL, 0);
		ret = lret ? lret : ret;
	}
	if (ret)
		goto out;
	ret = bpfs_fd_install(BPFS_OBJ_PROG, prog);
	if (ret >= 0)
		prog = NULL;
out:
	bpfs_loaded_prog_put(prog);
	return ret;
}

long bpfs_cmd_prog_load(union bpf_attr *attr, union bpf_attr *uattr, unsigned int size)
{
	(void)uattr;
	(void)size;
	return prog_load(attr, true);
}

long bpfs_prog_load_unverified(union bpf_attr *uattr, unsigned int size)
{
	union bpf_attr attr;
	long ret;

	if (size > sizeof(attr) || (size && !uattr)) {
		errno = size > sizeof(attr) ? E2BIG : EFAULT;
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	if (size)
		memcpy(&attr, uattr, size);
	/* as bpfs_bpf's CHECK_ATTR: nothing past the last field */
	ret = 0;
	for (size_t i = BPFS_OFFSETOFEND(union bpf_attr, core_relo_rec_size); i < sizeof(attr); i++)
		if (((uint8_t *)&attr)[i])
			ret = -EINVAL;
	if (!ret)
		ret = prog_load(&attr, false);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
