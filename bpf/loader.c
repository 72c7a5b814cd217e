/* SPDX-License-Identifier: MIT */
/*
 * The object loader: an object's maps and one of its programs, created,
 * patched, loaded, filled, test-run and read back over a backend, which is
 * either bpfscope's bpf() or the running kernel's. The steps and their
 * rules are listed in bpf.h; they follow libbpf's load pipeline
 * (bpf_object__create_maps, the relocation of map references, then
 * bpf_prog_load), so that the same object gets the same maps whichever
 * bpf() it goes to: run, diff and the kernel engine all load through here.
 *
 * Every step is one bpf() command on the backend; the loader keeps only
 * the descriptors and the completed declarations.
 */
#include "bpf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static long kernel_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

const struct bpfs_backend bpfs_backend_bpfscope = {"bpfscope", bpfs_bpf, bpfs_close, true};
const struct bpfs_backend bpfs_backend_kernel = {"kernel", kernel_bpf, close, false};

struct bpfs_loader {
	const struct bpfs_backend *be;
	const struct bpfs_map_spec *decl; /* the caller's */
	struct bpfs_map_spec *specs;	  /* completed */
	int *fds;
	size_t nmaps;
	int prog_fd;
};

void bpfs_loader_norm_spec(const struct bpfs_map_spec *in, struct bpfs_map_spec *out)
{
	*out = *in;
	switch (in->type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		if (!out->max_entries)
			out->max_entries = 64; /* libbpf: the possible CPUs */
					       /* fall through */
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		if (!out->key_size)
			out->key_size = 4;
		if (!out->value_size)
			out->value_size = 4;
		break;
	}
}

static const char *spec_name(const struct bpfs_map_spec *s)
{
	return s->name ? s->name : "?";
}

static int map_update(const struct bpfs_backend *be, int fd, const void *key, const void *value,
		      uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	a.flags = flags;
	return be->bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)) < 0 ? -errno : 0;
}

/* An internal map's image as the value of key 0, zero-padded. */
static int init_internal(const struct bpfs_backend *be, int fd, const struct bpfs_map_spec *s)
{
	uint32_t zero = 0;
	uint8_t *v;
	int ret;

	if (!s->internal || !s->init_data)
		return 0;
	v = calloc(1, s->value_size ? s->value_size : 1);
	if (!v)
		return -ENOMEM;
	memcpy(v, s->init_data, s->init_size < s->value_size ? s->init_size : s->value_size);
	ret = map_update(be, fd, &zero, v, BPF_ANY);
	free(v);
	return ret;
}

/* BPF_MAP_CREATE for one completed declaration: a descriptor or a
 * negative errno. */
static int create_map(const struct bpfs_backend *be, const struct bpfs_map_spec *s, struct bpfs_err *err)
{
	union bpf_attr a;
	int fd, ret;

	if (s->inner_map >= 0 || s->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	    s->type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return bpfs_err_set(err, EOPNOTSUPP, -1, "map '%s': map-in-map is not supported",
				    spec_name(s));
	memset(&a, 0, sizeof(a));
	a.map_type = s->type;
	a.key_size = s->key_size;
	a.value_size = s->value_size;
	a.max_entries = s->max_entries;
	a.map_flags = s->flags;
	for (size_t i = 0; s->name && s->name[i] && i < sizeof(a.map_name) - 1; i++) {
		char c = s->name[i];
		bool ok =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';

		a.map_name[i] = ok ? c : '_';
	}
	fd = (int)be->bpf(BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0)
		return bpfs_err_set(err, errno, -1, "map '%s': BPF_MAP_CREATE: %s", spec_name(s),
				    strerror(errno));
	ret = init_internal(be, fd, s);
	if (ret) {
		be->close(fd);
		return bpfs_err_set(err, -ret, -1, "map '%s': BPF_MAP_UPDATE_ELEM of its image: %s",
				    spec_name(s), strerror(-ret));
	}
	return fd;
}

int bpfs_loader_new(const struct bpfs_backend *be, const struct bpfs_map_spec *specs, size_t nmaps,
		    struct bpfs_loader **out, struct bpfs_err *err)
{
	struct bpfs_loader *l = calloc(1, sizeof(*l));
	int ret = 0;

	*out = NULL;
	if (!l)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	l->be = be;
	l->decl = specs;
	l->prog_fd = -1;
	l->specs = calloc(nmaps + 1, sizeof(*l->specs));
	l->fds = malloc((nmaps + 1) * sizeof(*l->fds));
	if (!l->specs || !l->fds) {
		ret = bpfs_err_set(err, ENOMEM, -1, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nmaps; i++)
		l->fds[i] = -1;
	for (; l->nmaps < nmaps; l->nmaps++) {
		size_t i = l->nmaps;

		bpfs_loader_norm_spec(&specs[i], &l->specs[i]);
		l->fds[i] = create_map(be, &l->specs[i], err);
		if (l->fds[i] < 0) {
			ret = l->fds[i];
			goto fail;
		}
	}
	*out = l;
	return 0;
fail:
	bpfs_loader_free(l);
	return ret;
}

void bpfs_loader_free(struct bpfs_loader *l)
{
	if (!l)
		return;
	if (l->prog_fd >= 0)
		l->be->close(l->prog_fd);
	for (size_t i = 0; l->fds && i < l->nmaps; i++)
		if (l->fds[i] >= 0)
			l->be->close(l->fds[i]);
	free(l->fds);
	free(l->specs);
	free(l);
}

const struct bpfs_backend *bpfs_loader_backend(const struct bpfs_loader *l)
{
	return l->be;
}

size_t bpfs_loader_map_count(const struct bpfs_loader *l)
{
	return l->nmaps;
}

const struct bpfs_map_spec *bpfs_loader_map_spec(const struct bpfs_loader *l, size_t i)
{
	return i < l->nmaps ? &l->specs[i] : NULL;
}

int bpfs_loader_map_fd(const struct bpfs_loader *l, size_t i)
{
	return i < l->nmaps ? l->fds[i] : -1;
}

int bpfs_loader_find_map(const struct bpfs_loader *l, const char *name)
{
	for (size_t i = 0; i < l->nmaps; i++)
		if (l->specs[i].name && !strcmp(l->specs[i].name, name))
			return (int)i;
	return -ENOENT;
}

int bpfs_loader_update(struct bpfs_loader *l, size_t i, const void *key, const void *value, uint64_t flags)
{
	if (i >= l->nmaps)
		return -EINVAL;
	return map_update(l->be, l->fds[i], key, value, flags);
}

/* Step 3's relocation: map indexes become descriptors. */
static int patch_maps(const struct bpfs_loader *l, struct bpf_insn *insns, size_t cnt, struct bpfs_err *err)
{
	for (size_t i = 0; i + 1 < cnt; i++) {
		struct bpf_insn *in = &insns[i];

		if (!bpfs_insn_is_ldimm64(in))
			continue;
		if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			if (in->imm < 0 || (size_t)in->imm >= l->nmaps)
				return bpfs_err_set(err, EINVAL, (int)i, "insn %zu refers to map %d of %zu",
						    i, in->imm, l->nmaps);
			in->imm = l->fds[in->imm];
		}
		i++;
	}
	return 0;
}

int bpfs_loader_load(struct bpfs_loader *l, const struct bpf_insn *insns, size_t cnt,
		     const struct bpfs_loader_prog_opts *opts, struct bpfs_err *err)
{
	struct bpf_insn *copy = malloc((cnt ? cnt : 1) * sizeof(*copy));
	union bpf_attr a;
	long fd;
	int ret;

	if (!copy)
		return bpfs_err_set(err, ENOMEM, -1, "out of memory");
	if (cnt)
		memcpy(copy, insns, cnt * sizeof(*copy));
	if (l->prog_fd >= 0) {
		l->be->close(l->prog_fd);
		l->prog_fd = -1;
	}
	ret = patch_maps(l, copy, cnt, err);
	if (ret)
		goto out;
	memset(&a, 0, sizeof(a));
	a.prog_type = opts->prog_type;
	a.insns = ptr_to_u64(copy);
	a.insn_cnt = (uint32_t)cnt;
	a.license = ptr_to_u64(opts->license ? opts->license : "");
	a.kern_version = opts->kern_version;
	a.prog_flags = opts->prog_flags;
	if (opts->log && opts->log_size) {
		a.log_buf = ptr_to_u64(opts->log);
		a.log_size = opts->log_size;
		a.log_level = opts->log_level;
		opts->log[0] = 0;
	}
	if (opts->unverified && !l->be->bpfscope) {
		ret = bpfs_err_set(err, EOPNOTSUPP, -1, "the %s backend loads verified programs only",
				   l->be->name);
		goto out;
	}
	fd = opts->unverified ? bpfs_prog_load_unverified(&a, sizeof(a))
			      : l->be->bpf(BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0) {
		ret = bpfs_err_set(err, errno, -1, "BPF_PROG_LOAD: %s", strerror(errno));
		goto out;
	}
	l->prog_fd = (int)fd;
out:
	free(copy);
	return ret;
}

int bpfs_loader_prog_fd(const struct bpfs_loader *l)
{
	return l->prog_fd;
}

int bpfs_loader_self_tail_calls(struct bpfs_loader *l, struct bpfs_err *err)
{
	for (size_t i = 0; i < l->nmaps; i++) {
		uint32_t zero = 0, fd = (uint32_t)l->prog_fd;
		int ret;

		if (l->specs[i].type != BPF_MAP_TYPE_PROG_ARRAY || !l->specs[i].max_entries)
			continue;
		ret = map_update(l->be, l->fds[i], &zero, &fd, BPF_ANY);
		if (ret)
			return bpfs_err_set(err, -ret, -1, "map %s: cannot hold the program",
					    spec_name(&l->specs[i]));
	}
	return 0;
}

int bpfs_loader_test_run(struct bpfs_loader *l, struct bpfs_loader_run *run)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)l->prog_fd;
	a.test.data_in = ptr_to_u64(run->data_in);
	a.test.data_size_in = run->data_size_in;
	a.test.data_out = ptr_to_u64(run->data_out);
	a.test.data_size_out = run->data_out ? run->data_size_out : 0;
	a.test.ctx_in = ptr_to_u64(run->ctx_in);
	a.test.ctx_size_in = run->ctx_size_in;
	a.test.ctx_out = ptr_to_u64(run->ctx_out);
	a.test.ctx_size_out = run->ctx_out ? run->ctx_size_out : 0;
	a.test.repeat = run->repeat;
	if (l->be->bpf(BPF_PROG_TEST_RUN, &a, sizeof(a)) < 0)
		return -errno;
	run->retval = a.test.retval;
	run->duration = a.test.duration;
	run->data_size_out = a.test.data_size_out;
	run->ctx_size_out = a.test.ctx_size_out;
	return 0;
}

static bool percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* How many bytes a lookup from userspace copies out of map i. */
static int user_value_size(const struct bpfs_loader *l, size_t i, size_t *size)
{
	const struct bpfs_map_spec *s = &l->specs[i];
	struct bpfs_map *m;

	if (!l->be->bpfscope) {
		if (percpu(s->type))
			return -EOPNOTSUPP;
		*size = s->value_size;
		return 0;
	}
	if (bpfs_fd_to_map(l->fds[i], &m))
		return -EBADF;
	*size = bpfs_map_user_value_size(m);
	bpfs_map_put(m);
	return 0;
}

int bpfs_loader_walk_map(const struct bpfs_loader *l, size_t i, bpfs_loader_elem_fn fn, void *data)
{
	const struct bpfs_map_spec *s;
	uint8_t *key = NULL, *next = NULL, *val = NULL;
	size_t vsize = 0;
	bool first = true;
	int ret;

	if (i >= l->nmaps)
		return -EINVAL;
	s = &l->specs[i];
	ret = user_value_size(l, i, &vsize);
	if (ret || !s->key_size)
		return ret;
	key = calloc(1, s->key_size);
	next = calloc(1, s->key_size);
	val = calloc(1, vsize + 8);
	if (!key || !next || !val) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)l->fds[i];
		a.key = first ? 0 : ptr_to_u64(key);
		a.next_key = ptr_to_u64(next);
		if (l->be->bpf(BPF_MAP_GET_NEXT_KEY, &a, sizeof(a)) < 0) {
			ret = errno == ENOENT ? 0 : -errno;
			break;
		}
		first = false;
		memcpy(key, next, s->key_size);
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)l->fds[i];
		a.key = ptr_to_u64(key);
		a.value = ptr_to_u64(val);
		if (l->be->bpf(BPF_MAP_LOOKUP_ELEM, &a, sizeof(a)) < 0)
			continue;
		/* a prog_array's slot reads back as the program's id */
		if (fn(data, key, s->key_size, val, s->type == BPF_MAP_TYPE_PROG_ARRAY ? 4 : vsize))
			break;
	}
out:
	free(key);
	free(next);
	free(val);
	return ret;
}
