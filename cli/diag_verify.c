// SPDX-License-Identifier: GPL-2.0-only
/*
 * diag_verify.c - tdxctl diag --verify: a bundle is what diag writes and
 * nothing else.  One top directory holding directories and regular files
 * only: a symbolic or hard link, a device, a FIFO, an absolute name, a
 * ".." component, a second top directory or a name given twice would be
 * extracted by tar outside the tree or onto something else, and is a
 * problem.  Every file is checked against manifest.json (size, SHA-256)
 * through hash tables: linear in the number of entries.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "print.h"
#include "sha256.h"
#include "strset.h"
#include "tdxctl.h"

/* a manifest lists about 100 bytes a file: room for a million files */
#define MANIFEST_MAX (256u << 20)

struct got {
	char *path;		/* below the top directory */
	int64_t size;
	char hex[65];
	bool listed;
};

struct vstate {
	struct got *got;
	size_t ngot, cap;
	struct strset names;	/* every member name, for duplicates */
	struct strset paths;	/* file path -> index in got */
	char *top;		/* the one top directory */
	char *man_text;
	size_t man_len;
	unsigned problems;
};

__attribute__((format(printf, 2, 3)))
static void problem(struct vstate *v, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_fmt(NULL, "  %s\n", pv_str(msg));
	v->problems++;
}

/* What makes an entry other than a directory or a regular file; NULL if none. */
static const char *bad_type(struct archive_entry *e, char *buf, size_t len)
{
	const char *to;

	if ((to = archive_entry_hardlink(e))) {
		snprintf(buf, len, "a hard link (to %s)", to);
		return buf;
	}
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
	case AE_IFDIR:
		return NULL;
	case AE_IFLNK:
		to = archive_entry_symlink(e);
		snprintf(buf, len, "a symbolic link (to %s)", to ? to : "?");
		return buf;
	case AE_IFCHR:
	case AE_IFBLK:
		return "a device node";
	case AE_IFIFO:
		return "a FIFO";
	case AE_IFSOCK:
		return "a socket";
	}
	return "not a regular file or a directory";
}

/* What is wrong with a member's name; NULL if nothing.  Sets the top
 * directory from the first member. */
static const char *bad_name(struct vstate *v, const char *name, bool dir)
{
	size_t tl;

	if (!name[0])
		return "an empty name";
	if (name[0] == '/')
		return "an absolute name (tar would write outside the directory it extracts to)";
	for (const char *c = name; c; c = strchr(c, '/'), c = c ? c + 1 : NULL)
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return "a '..' in its name (tar would write outside the bundle's directory)";
	if (!v->top) {
		v->top = strndup(name, strcspn(name, "/"));
		if (!v->top)
			return "out of memory";
	}
	tl = strlen(v->top);
	if (strncmp(name, v->top, tl) || (name[tl] && name[tl] != '/') ||
	    (!name[tl] && !dir) || (name[tl] == '/' && !name[tl + 1] && !dir))
		return "outside the bundle's one top directory";
	return NULL;
}

/* A member: refused, or (a regular file) hashed and remembered. */
static int read_member(struct vstate *v, struct archive *a, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e), *why;
	char buf[65536], key[PATH_MAX], tbuf[PATH_MAX + 32];
	bool dir = archive_entry_filetype(e) == AE_IFDIR;
	struct sha256_ctx h;
	struct got *g;
	size_t klen;
	la_ssize_t n;
	int r;

	if (!name)
		name = "";
	if ((why = bad_type(e, tbuf, sizeof(tbuf))) || (why = bad_name(v, name, dir))) {
		problem(v, "%s: %s", name[0] ? name : "(no name)", why);
		return archive_read_data_skip(a) == ARCHIVE_OK ? 0 : -1;
	}
	/* "d/" and "d" are one name */
	klen = strlen(name);
	while (klen > 1 && name[klen - 1] == '/')
		klen--;
	snprintf(key, sizeof(key), "%.*s", (int)klen, name);
	r = strset_add(&v->names, key, 0, NULL);
	if (r <= 0) {
		problem(v, "%s: %s", name, r ? "out of memory" : "a second member of the same name");
		return archive_read_data_skip(a) == ARCHIVE_OK ? 0 : -1;
	}
	if (dir)
		return 0;
	if (v->ngot == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct got *ng = realloc(v->got, cap * sizeof(*ng));

		if (!ng)
			return -1;
		v->got = ng;
		v->cap = cap;
	}
	g = &v->got[v->ngot];
	*g = (struct got){ .path = strdup(key + strlen(v->top) + 1) };
	if (!g->path)
		return -1;
	sha256_init(&h);
	bool is_man = !strcmp(g->path, "manifest.json");

	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		sha256_update(&h, (size_t)n, (const uint8_t *)buf);
		g->size += n;
		if (is_man && v->man_len + (size_t)n <= MANIFEST_MAX) {
			char *nm = realloc(v->man_text, v->man_len + (size_t)n + 1);

			if (nm) {
				v->man_text = nm;
				memcpy(v->man_text + v->man_len, buf, (size_t)n);
				v->man_len += (size_t)n;
				v->man_text[v->man_len] = '\0';
			}
		}
	}
	if (n < 0) {
		free(g->path);
		return -1;
	}
	sha256_hex(&h, g->hex);
	if (is_man || strset_add(&v->paths, g->path, v->ngot, NULL) < 0) {
		free(g->path);
		return 0;
	}
	v->ngot++;
	return 0;
}

/* Each file of the manifest against the archive, and back. */
static unsigned check_manifest(struct vstate *v, json_object *files)
{
	unsigned checked = 0;
	struct strset listed = { 0 };

	for (size_t i = 0; i < json_object_array_length(files); i++) {
		json_object *f = json_object_array_get_idx(files, i);
		const char *p = json_object_get_string(json_object_object_get(f, "path"));
		const char *hx = json_object_get_string(json_object_object_get(f, "sha256"));
		int64_t sz = json_object_get_int64(json_object_object_get(f, "size"));
		size_t k;
		struct got *hit;

		checked++;
		if (!p) {
			problem(v, "(no path): an entry of the manifest without a path");
			continue;
		}
		if (strset_add(&listed, p, i, NULL) == 0) {
			problem(v, "%s: listed twice in the manifest", p);
			continue;
		}
		if (!strset_get(&v->paths, p, &k)) {
			problem(v, "%s: listed in the manifest, not in the archive", p);
			continue;
		}
		hit = &v->got[k];
		hit->listed = true;
		if (hit->size != sz || !hx || strcmp(hit->hex, hx))
			problem(v, "%s: %s differs from the manifest", p, hit->size != sz ? "size" : "SHA-256");
	}
	for (size_t k = 0; k < v->ngot; k++)
		if (!v->got[k].listed)
			problem(v, "%s: in the archive, not in the manifest", v->got[k].path);
	strset_free(&listed);
	return checked;
}

int diag_verify(const char *file)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct vstate v = { 0 };
	json_object *man = NULL, *files;
	unsigned checked = 0;
	int r, rc = EXIT_OK;

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
		int e2 = archive_errno(a) > 0 ? archive_errno(a) : EINVAL;

		rc = e2 == EACCES || e2 == EPERM ? EXIT_PERM : EXIT_FAILED;
		pr_error(rc, errno_name(e2), NULL, "%s: %s", file, archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	pr_kv("file", "bundle", pv_str(file));
	pr_arr_begin("problems", NULL);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK)
		if (read_member(&v, a, e)) {
			r = ARCHIVE_FATAL;
			break;
		}
	if (r != ARCHIVE_EOF)
		problem(&v, "the archive is damaged: %s",
			archive_error_string(a) ? archive_error_string(a) : "out of memory");
	if (v.man_text)
		man = json_tokener_parse(v.man_text);
	files = man ? json_object_object_get(man, "files") : NULL;
	if (!files || !json_object_is_type(files, json_type_array))
		problem(&v, "no readable manifest.json with a file list in the top directory");
	else
		checked = check_manifest(&v, files);
	pr_arr_end();
	pr_kv("checked", "files checked", pv_u(checked));
	pr_kv("verified", "verified", pv_text(pv_bool(!v.problems), v.problems ? "no" : "yes"));
	if (v.problems) {
		rc = EXIT_FAILED;
		pr_error(rc, NULL, NULL, "%s: %u problem%s found", file, v.problems, v.problems == 1 ? "" : "s");
	}
	for (size_t k = 0; k < v.ngot; k++)
		free(v.got[k].path);
	free(v.got);
	free(v.man_text);
	free(v.top);
	strset_free(&v.names);
	strset_free(&v.paths);
	json_object_put(man);
	archive_read_free(a);
	return rc;
}
