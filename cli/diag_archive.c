// SPDX-License-Identifier: GPL-2.0-only
/*
 * diag_archive.c - the entries of a diag bundle: directories and files
 * below its one top directory, each file listed in the manifest with its
 * size and SHA-256; what could not be collected, and what was redacted.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "facts.h"
#include "kmsg.h"
#include "print.h"
#include "sha256.h"
#include "sysroot.h"
#include "tdxctl.h"

void note_redacted(struct bundle *b, const char *path, const char *what, size_t count)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "what", json_object_new_string(what));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)count));
	json_object_array_add(b->redacted, o);
}

/* Redact a file's text by its format (buf is malloc'd, may be replaced). */
void redact(struct bundle *b, const char *path, char **buf, size_t *len)
{
	size_t c[REDACT_NCOUNTS] = { 0 };

	if (!b->redact)
		return;
	redact_text(&b->red, redact_format(path), buf, len, c);
	for (int k = 0; k < RK_NKINDS; k++)
		if (c[k])
			note_redacted(b, path, rkind_name[k], c[k]);
	for (size_t k = 0; k < NSECRET; k++)
		if (c[RK_NKINDS + k])
			note_redacted(b, path, dmi_secret[k], c[RK_NKINDS + k]);
}

/* ---- writing the archive ---- */

void arc_fail(struct bundle *b, const char *what)
{
	if (b->write_err)
		return;
	b->write_err = archive_errno(b->a) > 0 ? archive_errno(b->a) : EIO;
	/* the system's words when there is an errno ("No space left on device") */
	snprintf(b->write_msg, sizeof(b->write_msg), "%.200s: %s", what,
		 archive_errno(b->a) > 0 || !archive_error_string(b->a) ? strerror(b->write_err)
									: archive_error_string(b->a));
}

static void entry_name(struct bundle *b, char *name, size_t len, const char *rel)
{
	while (*rel == '/')
		rel++;
	snprintf(name, len, "%s/%s", b->top, rel);
}

void put_dir(struct bundle *b, const char *rel)
{
	struct archive_entry *e = archive_entry_new();
	char name[PATH_MAX];

	entry_name(b, name, sizeof(name), rel);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, b->now, 0);
	if (archive_write_header(b->a, e) != ARCHIVE_OK)
		arc_fail(b, name);
	archive_entry_free(e);
}

/* A file of the bundle; listed in the manifest unless it is the manifest. */
void put_file(struct bundle *b, const char *rel, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	char name[PATH_MAX], hex[65];
	struct sha256_ctx h;

	entry_name(b, name, sizeof(name), rel);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, b->now, 0);
	if (archive_write_header(b->a, e) != ARCHIVE_OK)
		arc_fail(b, name);
	else if (len && archive_write_data(b->a, data, len) != (la_ssize_t)len)
		arc_fail(b, name);
	archive_entry_free(e);
	if (!b->files)
		return;
	sha256_init(&h);
	sha256_update(&h, len, data);
	sha256_hex(&h, hex);
	{
		json_object *o = json_object_new_object();

		while (*rel == '/')
			rel++;
		json_object_object_add(o, "path", json_object_new_string(rel));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)len));
		json_object_object_add(o, "sha256", json_object_new_string(hex));
		json_object_array_add(b->files, o);
	}
	b->bytes += len;
}

const char *why(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied: needs root";
	case EFBIG:
		return "larger than tdxctl reads";
	case EINVAL:
		return "not a regular file";
	}
	return strerror(err);
}

void note_missing(struct bundle *b, const char *path, int err, const char *reason)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "errno", json_object_new_string(errno_name(err)));
	json_object_object_add(o, "reason", json_object_new_string(reason ? reason : why(err)));
	json_object_array_add(b->missing, o);
}
