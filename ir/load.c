/* SPDX-License-Identifier: MIT */
/*
 * Program loaders: format detection, raw bytecode, assembly text and
 * conformance .data files, plus the object's lifetime and program lookup.
 * ELF objects are handled by elf.c.
 *
 * Every input becomes a struct bpfs_object holding programs and map specs.
 * Reading a path reads the whole file into memory first, so both entry
 * points share one code path (and the fuzzers exercise all of it).
 *
 * Instruction words are stored in host order; raw files are little-endian
 * and converted with le*toh.
 */
#include "ir.h"
#include "load_int.h"

#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The object as allocated: the public part, then what only the loaders
 * keep. bpfs_object_free() is the only way to release it. */
struct obj_priv {
	struct bpfs_object obj;
	char **prog_err; /* per program, NULL when loadable */
	size_t nprog_err;
};

static struct obj_priv *priv_of(const struct bpfs_object *obj)
{
	return (struct obj_priv *)((char *)obj - offsetof(struct obj_priv, obj));
}

int bpfs_obj_set_prog_error(struct bpfs_object *obj, size_t prog, const char *msg)
{
	struct obj_priv *p = priv_of(obj);

	if (prog >= p->nprog_err) {
		char **e = realloc(p->prog_err, (prog + 1) * sizeof(*e));

		if (!e)
			return -ENOMEM;
		memset(e + p->nprog_err, 0, (prog + 1 - p->nprog_err) * sizeof(*e));
		p->prog_err = e;
		p->nprog_err = prog + 1;
	}
	if (p->prog_err[prog])
		return 0;
	p->prog_err[prog] = strdup(msg);
	return p->prog_err[prog] ? 0 : -ENOMEM;
}

int bpfs_obj_replace_prog_error(struct bpfs_object *obj, size_t prog, const char *msg)
{
	struct obj_priv *p = priv_of(obj);

	if (prog < p->nprog_err) {
		free(p->prog_err[prog]);
		p->prog_err[prog] = NULL;
	}
	return msg ? bpfs_obj_set_prog_error(obj, prog, msg) : 0;
}

const char *bpfs_prog_load_error(const struct bpfs_object *obj, const struct bpfs_prog *prog)
{
	const struct obj_priv *p = priv_of(obj);
	size_t i;

	if (prog < obj->progs || prog >= obj->progs + obj->prog_cnt)
		return NULL;
	i = (size_t)(prog - obj->progs);
	return i < p->nprog_err ? p->prog_err[i] : NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int bpfs_obj_add_prog(struct bpfs_object *obj, const char *section, const char *name, uint32_t type,
		      struct bpf_insn *insns, size_t insn_cnt, size_t main_cnt)
{
	struct bpfs_prog *progs, *p;

	progs = realloc(obj->progs, (obj->prog_cnt + 1) * sizeof(*progs));
	if (!progs) {
		free(insns);
		return -ENOMEM;
	}
	obj->progs = progs;
	p = &progs[obj->prog_cnt];
	memset(p, 0, sizeof(*p));
	p->section = strdup(section);
	p->name = strdup(name);
	p->insns = insns;
	if (!p->section || !p->name) {
		free(p->section);
		free(p->name);
		free(insns);
		return -ENOMEM;
	}
	p->type = type;
	p->insn_cnt = insn_cnt;
	p->main_cnt = main_cnt;
	obj->prog_cnt++;
	return 0;
}

int bpfs_obj_set_prog_funcs(struct bpfs_object *obj, size_t prog, const uint32_t *starts, const char *const *names,
			    size_t n)
{
	struct bpfs_prog *p = &obj->progs[prog];

	p->funcs = calloc(n ? n : 1, sizeof(*p->funcs));
	if (!p->funcs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p->funcs[i].start = starts[i];
		p->funcs[i].name = strdup(names[i] ? names[i] : "");
		p->nfuncs = i + 1;
		if (!p->funcs[i].name)
			return -ENOMEM;
	}
	return 0;
}

int bpfs_obj_add_map(struct bpfs_object *obj, const char *name, const struct bpfs_map_spec *spec)
{
	struct bpfs_map_spec *maps, *m;

	maps = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*maps));
	if (!maps) {
		free(spec->init_data);
		return -ENOMEM;
	}
	obj->maps = maps;
	m = &maps[obj->map_cnt];
	*m = *spec;
	m->name = strdup(name);
	if (!m->name) {
		free(spec->init_data);
		return -ENOMEM;
	}
	return (int)obj->map_cnt++;
}

void bpfs_object_free(struct bpfs_object *obj)
{
	struct obj_priv *p;

	if (!obj)
		return;
	p = priv_of(obj);
	for (size_t i = 0; i < p->nprog_err; i++)
		free(p->prog_err[i]);
	free(p->prog_err);
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		free(obj->progs[i].section);
		free(obj->progs[i].name);
		free(obj->progs[i].insns);
		for (size_t k = 0; k < obj->progs[i].nfuncs; k++)
			free(obj->progs[i].funcs[k].name);
		free(obj->progs[i].funcs);
		free(obj->progs[i].func_info);
		free(obj->progs[i].line_info);
		free(obj->progs[i].core_relos);
		for (size_t k = 0; k < obj->progs[i].nexterns; k++)
			free(obj->progs[i].externs[k].name);
		free(obj->progs[i].externs);
	}
	for (size_t i = 0; i < obj->map_cnt; i++) {
		free(obj->maps[i].name);
		free(obj->maps[i].init_data);
	}
	if (obj->conformance) {
		free(obj->conformance->mem);
		free(obj->conformance->error);
		free(obj->conformance);
	}
	free(obj->progs);
	free(obj->maps);
	bpfs_btf_free(obj->btf);
	free(obj->btf_error);
	free(obj->license);
	free(obj->path);
	free(p);
}

/* ---------------------------------------------------------------------- */
/* Format detection                                                       */

static bool has_line(const char *data, size_t size, const char *line)
{
	size_t n = strlen(line);

	for (size_t i = 0; i + n <= size; i++) {
		if ((i == 0 || data[i - 1] == '\n') && !memcmp(data + i, line, n) &&
		    (i + n == size || data[i + n] == '\n' || data[i + n] == '\r' || data[i + n] == ' '))
			return true;
	}
	return false;
}

/* Text: no control characters but whitespace. DEL and bytes above 0x7f
 * (UTF-8 in comments) are allowed; bytecode nearly always has NULs. */
static bool is_text(const unsigned char *data, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (data[i] < 0x20 && !isspace(data[i]))
			return false;
	}
	return true;
}

static enum bpfs_format detect(const void *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "\177ELF", 4))
		return BPFS_FORMAT_ELF;
	if (size > 0 && is_text(data, size))
		return has_line(data, size, "-- asm") ? BPFS_FORMAT_CONFORMANCE : BPFS_FORMAT_ASM;
	return BPFS_FORMAT_RAW;
}

/* A name that says the file is assembly text. */
static bool asm_name(const char *name)
{
	static const char *const ext[] = {".s", ".S", ".asm"};

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t n = strlen(name), e = strlen(ext[i]);

		if (n > e && !strcmp(name + n - e, ext[i]))
			return true;
	}
	return false;
}

/* Text that was only guessed to be assembly, and is not: say what the
 * file is not, then what the assembler found (err already names the file). */
static void not_a_program(const char *name, struct bpfs_err *err)
{
	char why[sizeof(err->msg)];
	size_t n = strlen(name);
	const char *msg = err->msg;

	if (!strncmp(msg, name, n) && !strncmp(msg + n, ": ", 2))
		msg += n + 2;
	snprintf(why, sizeof(why), "%s", msg);
	bpfs_err_set(err, EINVAL, -1,
		     "%s: not an eBPF program: not an ELF object, not bytecode (it is text), "
		     "and not assembly (%s)",
		     name, why);
}

/* ---------------------------------------------------------------------- */
/* Raw bytecode                                                           */

static int load_raw(struct bpfs_object *obj, const void *data, size_t size, struct bpfs_err *err)
{
	const unsigned char *p = data;
	struct bpf_insn *insns;
	size_t cnt;

	if (size == 0)
		return bpfs_err_set(err, EINVAL, -1, "%s: empty file", obj->path);
	if (size % sizeof(struct bpf_insn))
		return bpfs_err_set(err, EINVAL, -1, "%s: size %zu is not a multiple of 8 bytes", obj->path,
				    size);
	cnt = size / sizeof(struct bpf_insn);
	if (cnt > BPFS_MAX_INSNS)
		return bpfs_err_set(err, E2BIG, -1, "%s: %zu instructions, more than the limit of %u",
				    obj->path, cnt, BPFS_MAX_INSNS);
	insns = malloc(size);
	if (!insns)
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", obj->path);
	for (size_t i = 0; i < cnt; i++, p += 8) {
		insns[i].code = p[0];
		insns[i].dst_reg = p[1] & 0xf;
		insns[i].src_reg = p[1] >> 4;
		insns[i].off = (int16_t)(p[2] | p[3] << 8);
		insns[i].imm = (int32_t)((uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
					 (uint32_t)p[7] << 24);
	}
	if (bpfs_obj_add_prog(obj, "", base_name(obj->path), BPFS_DEFAULT_PROG_TYPE, insns, cnt, cnt))
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", obj->path);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Assembly                                                               */

/* Assembles NUL-terminated text into the object's single program. */
static int add_asm_prog(struct bpfs_object *obj, const char *text, struct bpfs_err *err)
{
	struct bpfs_asm_result res = {0};
	struct bpfs_map_spec spec = {.inner_map = -1};
	int ret;

	ret = bpfs_asm(text, &res, err);
	if (ret) {
		bpfs_err_prefix(err, "%s", obj->path);
		goto out;
	}
	if (res.cnt == 0) {
		ret = bpfs_err_set(err, EINVAL, -1, "%s: no instructions", obj->path);
		goto out;
	}
	for (size_t i = 0; i < res.map_cnt; i++) {
		ret = bpfs_obj_add_map(obj, res.map_names[i], &spec);
		if (ret < 0)
			goto oom;
	}
	ret = bpfs_obj_add_prog(obj, "", base_name(obj->path), BPFS_DEFAULT_PROG_TYPE, res.insns, res.cnt,
				res.cnt);
	res.insns = NULL;
	if (ret)
		goto oom;
	goto out;
oom:
	ret = bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", obj->path);
out:
	bpfs_asm_result_release(&res);
	return ret;
}

static int load_asm(struct bpfs_object *obj, const void *data, size_t size, struct bpfs_err *err)
{
	char *text;
	int ret;

	if (size == 0)
		return bpfs_err_set(err, EINVAL, -1, "%s: empty file", obj->path);
	text = malloc(size + 1);
	if (!text)
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", obj->path);
	memcpy(text, data, size);
	text[size] = '\0';
	ret = add_asm_prog(obj, text, err);
	free(text);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Conformance .data files                                                */

/*
 * Sections start with a line "-- name"; '#' starts a comment anywhere.
 * "-- asm" is assembled, "-- mem" is hex bytes, "-- result" a number,
 * "-- error" text, "-- raw" one hex instruction word per line (checked
 * against the assembled program). "-- c" and others are ignored.
 */
enum data_sec { SEC_NONE, SEC_ASM, SEC_MEM, SEC_RESULT, SEC_ERROR, SEC_RAW, SEC_OTHER };

struct data_ctx {
	struct bpfs_object *obj;
	struct bpfs_conformance *conf;
	char *asm_text;
	size_t asm_len;
	uint64_t *raw;
	size_t raw_cnt;
	unsigned int line;
	struct bpfs_err *err;
};

static enum data_sec data_sec_of(const char *name)
{
	if (!strcmp(name, "asm"))
		return SEC_ASM;
	if (!strcmp(name, "mem"))
		return SEC_MEM;
	if (!strcmp(name, "result"))
		return SEC_RESULT;
	if (!strcmp(name, "error"))
		return SEC_ERROR;
	if (!strcmp(name, "raw"))
		return SEC_RAW;
	return SEC_OTHER;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int append(char **buf, size_t *len, const char *s, size_t n)
{
	char *b = realloc(*buf, *len + n + 2);

	if (!b)
		return -ENOMEM;
	memcpy(b + *len, s, n);
	b[*len + n] = '\n';
	*len += n + 1;
	b[*len] = '\0';
	*buf = b;
	return 0;
}

static int data_bad(struct data_ctx *c, const char *what, const char *tok)
{
	return bpfs_err_set(c->err, EINVAL, -1, "%s:%u: bad %s '%s'", c->obj->path, c->line, what, tok);
}

static int data_mem(struct data_ctx *c, char *s)
{
	struct bpfs_conformance *conf = c->conf;
	char *tok, *save = NULL, *end;
	unsigned long v;
	uint8_t *m;

	for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		errno = 0;
		v = strtoul(tok, &end, 16);
		if (*end || errno || v > 0xff || strlen(tok) > 2)
			return data_bad(c, "mem byte", tok);
		m = realloc(conf->mem, conf->mem_len + 1);
		if (!m)
			return -ENOMEM;
		m[conf->mem_len++] = (uint8_t)v;
		conf->mem = m;
	}
	return 0;
}

static int data_result(struct data_ctx *c, char *s)
{
	unsigned long long v;
	char *end;

	if (c->conf->has_result)
		return data_bad(c, "second result", s);
	errno = 0;
	if (s[0] == '-')
		v = (unsigned long long)strtoll(s, &end, 0);
	else
		v = strtoull(s, &end, 0);
	if (*end || errno || end == s)
		return data_bad(c, "result", s);
	c->conf->result = v;
	c->conf->has_result = true;
	return 0;
}

static int data_raw(struct data_ctx *c, char *s)
{
	unsigned long long v;
	uint64_t *r;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 16);
	if (*end || errno || end == s)
		return data_bad(c, "raw instruction", s);
	r = realloc(c->raw, (c->raw_cnt + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	r[c->raw_cnt++] = v;
	c->raw = r;
	return 0;
}

static int data_error(struct data_ctx *c, const char *s)
{
	struct bpfs_conformance *conf = c->conf;
	size_t len = conf->error ? strlen(conf->error) : 0;
	char *e;

	if (!*s)
		return 0;
	e = realloc(conf->error, len + strlen(s) + 2);
	if (!e)
		return -ENOMEM;
	if (len)
		e[len++] = ' ';
	strcpy(e + len, s);
	conf->error = e;
	return 0;
}

static int data_line(struct data_ctx *c, enum data_sec sec, char *line)
{
	char *hash, *s;

	if (sec == SEC_OTHER)
		return 0;
	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	s = trim(line);
	if (!*s)
		return 0;
	switch (sec) {
	case SEC_ASM:
		return append(&c->asm_text, &c->asm_len, s, strlen(s));
	case SEC_MEM:
		return data_mem(c, s);
	case SEC_RESULT:
		return data_result(c, s);
	case SEC_ERROR:
		return data_error(c, s);
	case SEC_RAW:
		return data_raw(c, s);
	default:
		return bpfs_err_set(c->err, EINVAL, -1, "%s:%u: text outside a section", c->obj->path,
				    c->line);
	}
}

static uint64_t insn_word(const struct bpf_insn *insn)
{
	return (uint64_t)insn->code | (uint64_t)insn->dst_reg << 8 | (uint64_t)insn->src_reg << 12 |
	       (uint64_t)(uint16_t)insn->off << 16 | (uint64_t)(uint32_t)insn->imm << 32;
}

static int data_check_raw(struct data_ctx *c)
{
	const struct bpfs_prog *p = &c->obj->progs[0];

	if (p->insn_cnt != c->raw_cnt)
		return bpfs_err_set(c->err, EINVAL, -1,
				    "%s: '-- raw' has %zu instructions, the assembly gives %zu", c->obj->path,
				    c->raw_cnt, p->insn_cnt);
	for (size_t i = 0; i < c->raw_cnt; i++) {
		if (insn_word(&p->insns[i]) != c->raw[i])
			return bpfs_err_set(c->err, EINVAL, (int)i,
					    "%s: instruction %zu is 0x%016" PRIx64
					    " in '-- raw', 0x%016" PRIx64 " assembled",
					    c->obj->path, i, c->raw[i], insn_word(&p->insns[i]));
	}
	return 0;
}

static int data_parse(struct data_ctx *c, char *text)
{
	enum data_sec sec = SEC_NONE;
	char *line, *save = NULL;
	bool seen_raw = false;
	int ret;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		c->line++;
		if (!strncmp(line, "--", 2)) {
			char *name = trim(line + 2);

			sec = *name ? data_sec_of(name) : SEC_OTHER;
			seen_raw |= sec == SEC_RAW;
			continue;
		}
		ret = data_line(c, sec, line);
		if (ret)
			return ret == -ENOMEM
				   ? bpfs_err_set(c->err, ENOMEM, -1, "%s: out of memory", c->obj->path)
				   : ret;
	}
	c->conf->has_raw = seen_raw;
	return 0;
}

static int load_data(struct bpfs_object *obj, const void *data, size_t size, struct bpfs_err *err)
{
	struct data_ctx c = {.obj = obj, .err = err};
	char *text;
	int ret;

	obj->conformance = calloc(1, sizeof(*obj->conformance));
	text = malloc(size + 1);
	if (!obj->conformance || !text) {
		ret = bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", obj->path);
		goto out;
	}
	c.conf = obj->conformance;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	/* strtok_r drops empty lines, so line numbers only count non-empty
	 * ones; turn CR into spaces so CRLF files read the same. */
	for (size_t i = 0; i < size; i++) {
		if (text[i] == '\r')
			text[i] = ' ';
	}
	ret = data_parse(&c, text);
	if (ret)
		goto out;
	if (!c.asm_text) {
		ret = bpfs_err_set(err, EINVAL, -1, "%s: '-- asm' section is empty", obj->path);
		goto out;
	}
	ret = add_asm_prog(obj, c.asm_text, err);
	if (ret)
		goto out;
	if (c.conf->has_raw)
		ret = data_check_raw(&c);
out:
	free(text);
	free(c.asm_text);
	free(c.raw);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */

int bpfs_object_open_mem(const void *data, size_t size, const char *name, enum bpfs_format format,
			 struct bpfs_object **out, struct bpfs_err *err)
{
	struct bpfs_object *obj;
	struct obj_priv *p;
	bool guessed = false;
	int ret;

	*out = NULL;
	bpfs_err_clear(err);
	if (!name)
		name = "(memory)";
	p = calloc(1, sizeof(*p));
	if (!p)
		return bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", name);
	obj = &p->obj;
	obj->path = strdup(name);
	obj->license = strdup("");
	if (!obj->path || !obj->license) {
		ret = bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", name);
		goto out;
	}
	if (!data && size) {
		ret = bpfs_err_set(err, EINVAL, -1, "%s: no data", name);
		goto out;
	}
	if (format == BPFS_FORMAT_AUTO) {
		format = detect(data, size);
		guessed = true;
	}
	obj->format = format;
	switch (format) {
	case BPFS_FORMAT_ELF:
		ret = bpfs_elf_load(obj, data, size, err);
		if (!ret && bpfs_target_default())
			ret = bpfs_object_apply_target(obj, bpfs_target_default(), err);
		break;
	case BPFS_FORMAT_RAW:
		ret = load_raw(obj, data, size, err);
		break;
	case BPFS_FORMAT_ASM:
		ret = load_asm(obj, data, size, err);
		if (ret && guessed && !asm_name(name))
			not_a_program(name, err);
		break;
	case BPFS_FORMAT_CONFORMANCE:
		ret = load_data(obj, data, size, err);
		break;
	default:
		ret = bpfs_err_set(err, EINVAL, -1, "%s: unknown format %d", name, (int)format);
		break;
	}
out:
	if (ret) {
		bpfs_object_free(obj);
		return ret;
	}
	*out = obj;
	return 0;
}

/* Reads a whole file; *buf is malloc'd (NULL for an empty file). */
static int read_file(const char *path, void **buf, size_t *size, struct bpfs_err *err)
{
	char *data = NULL, *d;
	size_t len = 0, cap = 0, n;
	FILE *f;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f)
		return bpfs_err_set(err, errno, -1, "%s: %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			d = realloc(data, cap);
			if (!d) {
				ret = bpfs_err_set(err, ENOMEM, -1, "%s: out of memory", path);
				goto out;
			}
			data = d;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		ret = bpfs_err_set(err, EIO, -1, "%s: read error", path);
out:
	fclose(f);
	if (ret) {
		free(data);
		return ret;
	}
	*buf = data;
	*size = len;
	return 0;
}

int bpfs_object_open(const char *path, enum bpfs_format format, struct bpfs_object **out,
		     struct bpfs_err *err)
{
	void *data = NULL;
	size_t size = 0;
	int ret;

	*out = NULL;
	bpfs_err_clear(err);
	ret = read_file(path, &data, &size, err);
	if (ret)
		return ret;
	ret = bpfs_object_open_mem(data, size, path, format, out, err);
	free(data);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Program lookup                                                         */

static bool prog_matches(const struct bpfs_prog *p, const char *sel)
{
	size_t n = strlen(p->section);

	if (!strcmp(p->section, sel) || !strcmp(p->name, sel))
		return true;
	return n && !strncmp(sel, p->section, n) && sel[n] == '/' && !strcmp(sel + n + 1, p->name);
}

/* "section/function" when the section holds several programs or the
 * function is named differently, else the section (or the name). */
static void prog_label(const struct bpfs_object *obj, const struct bpfs_prog *p, char *buf, size_t len)
{
	size_t same = 0;

	for (size_t i = 0; i < obj->prog_cnt; i++)
		same += !strcmp(obj->progs[i].section, p->section);
	if (!*p->section)
		snprintf(buf, len, "%s", p->name);
	else if (same > 1)
		snprintf(buf, len, "%s/%s", p->section, p->name);
	else
		snprintf(buf, len, "%s", p->section);
}

/* Fails with the labels of the programs that match sel (all of them when
 * sel is NULL or matches none). */
static struct bpfs_prog *fail_choices(const struct bpfs_object *obj, const char *sel, size_t hits,
				      struct bpfs_err *err)
{
	char list[400] = "", label[256];
	size_t used = 0;

	for (size_t i = 0; i < obj->prog_cnt && used + 5 < sizeof(list); i++) {
		if (hits > 1 && !prog_matches(&obj->progs[i], sel))
			continue;
		prog_label(obj, &obj->progs[i], label, sizeof(label));
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", label);
	}
	if (used >= sizeof(list) - 5)
		strcpy(list + sizeof(list) - 5, "...");
	if (hits > 1)
		bpfs_err_set(err, EINVAL, -1, "%s: '%s' names %zu programs; name one of: %s", obj->path, sel,
			     hits, list);
	else if (sel && *sel)
		bpfs_err_set(err, ENOENT, -1, "%s: no program '%s'; name one of: %s", obj->path, sel, list);
	else
		bpfs_err_set(err, EINVAL, -1, "%s has %zu programs; name one of: %s", obj->path,
			     obj->prog_cnt, list);
	return NULL;
}

struct bpfs_prog *bpfs_object_find_prog(struct bpfs_object *obj, const char *sel, struct bpfs_err *err)
{
	struct bpfs_prog *found = NULL;
	size_t hits = 0;

	if (obj->prog_cnt == 0) {
		bpfs_err_set(err, ENOENT, -1, "%s has no programs", obj->path);
		return NULL;
	}
	if (!sel || !*sel)
		return obj->prog_cnt == 1 ? &obj->progs[0] : fail_choices(obj, sel, 0, err);
	/* An exact "section/function" wins over a section named the same. */
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		struct bpfs_prog *p = &obj->progs[i];
		size_t n = strlen(p->section);

		if (n && !strncmp(sel, p->section, n) && sel[n] == '/' && !strcmp(sel + n + 1, p->name))
			return p;
	}
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		if (prog_matches(&obj->progs[i], sel)) {
			found = found ? found : &obj->progs[i];
			hits++;
		}
	}
	return hits == 1 ? found : fail_choices(obj, sel, hits, err);
}
