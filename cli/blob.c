// SPDX-License-Identifier: GPL-2.0-only
/*
 * blob.c - TDX module update images and Intel's mapping file (blob.h)
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"

int tdx_ver_parse(const char *s, struct tdx_ver *v)
{
	unsigned p[3];
	int n = 0;

	if (!s)
		return -EINVAL;
	for (int i = 0; i < 3; i++) {
		char *end;
		unsigned long x;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		x = strtoul(s, &end, 10);
		if (errno || x > 0xFFFF || end - s > 5)
			return -EINVAL;
		p[i] = (unsigned)x;
		n++;
		s = end;
		if (i < 2 && *s++ != '.')
			return -EINVAL;
	}
	if (*s || n != 3)
		return -EINVAL;
	v->major = p[0];
	v->minor = p[1];
	v->update = p[2];
	return 0;
}

int tdx_ver_cmp(const struct tdx_ver *a, const struct tdx_ver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->update != b->update)
		return a->update < b->update ? -1 : 1;
	return 0;
}

const char *tdx_ver_str(const struct tdx_ver *v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%02u", v->major, v->minor, v->update);
	return buf;
}

int tdx_ver_from_name(const char *path, struct tdx_ver *v)
{
	const char *base = strrchr(path, '/');
	char ver[32];
	size_t n;

	base = base ? base + 1 : path;
	if (strncmp(base, "tdx_module_", 11))
		return -EINVAL;
	base += 11;
	n = strlen(base);
	if (n <= 5 || n - 5 >= sizeof(ver) || strcmp(base + n - 5, ".blob"))
		return -EINVAL;
	memcpy(ver, base, n - 5);
	ver[n - 5] = '\0';
	return tdx_ver_parse(ver, v);
}

static const char *const fault_names[] = {
	[BF_NONE] = "none", [BF_SIZE] = "size", [BF_VERSION] = "version",
	[BF_SIGNATURE] = "signature", [BF_SIG_PAGES] = "sigstruct_nr_pages",
	[BF_MODULE_PAGES] = "module_nr_pages", [BF_RESERVED] = "reserved",
	[BF_LENGTH] = "length", [BF_CHECKSUM] = "checksum", [BF_VENDOR] = "module_vendor",
	[BF_CPUIDS] = "cpuid_table",
};

const char *blob_fault_name(enum blob_fault f)
{
	return f <= BF_CPUIDS ? fault_names[f] : "unknown";
}

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum blob_fault header_fault(const unsigned char *img, size_t len, struct blob *b,
				    char *err, size_t errlen)
{
	size_t want;

	if (len < BLOB_PAGE) {
		snprintf(err, errlen, "size: %zu bytes, shorter than the %u-byte header", len, BLOB_PAGE);
		return BF_SIZE;
	}
	b->hdr_version = le16(img);
	b->checksum = le16(img + 2);
	for (int i = 0; i < 8; i++)
		b->signature[i] = img[4 + i] >= 0x20 && img[4 + i] < 0x7f ? (char)img[4 + i] : '?';
	b->signature[8] = '\0';
	b->sig_pages = le32(img + 12);
	b->module_pages = le32(img + 16);
	if (b->hdr_version != BLOB_HDR_VERSION) {
		snprintf(err, errlen, "header version: 0x%x, not 0x%x", b->hdr_version, BLOB_HDR_VERSION);
		return BF_VERSION;
	}
	if (memcmp(img + 4, "TDX-BLOB", 8)) {
		snprintf(err, errlen, "signature: '%s', not 'TDX-BLOB'", b->signature);
		return BF_SIGNATURE;
	}
	if (b->sig_pages == 0 || b->sig_pages > BLOB_MAX_SIG_PAGES) {
		snprintf(err, errlen, "sigstruct_nr_pages: %u, not 1", b->sig_pages);
		return BF_SIG_PAGES;
	}
	if (b->module_pages == 0 || b->module_pages > BLOB_MAX_MODULE_PAGES) {
		snprintf(err, errlen, "module_nr_pages: %u, not 1 to %u", b->module_pages,
			 BLOB_MAX_MODULE_PAGES);
		return BF_MODULE_PAGES;
	}
	for (size_t i = 20; i < BLOB_PAGE; i++)
		if (img[i]) {
			snprintf(err, errlen, "reserved: header byte %zu is 0x%02x, not zero", i, img[i]);
			return BF_RESERVED;
		}
	want = (size_t)(1 + b->sig_pages + b->module_pages) * BLOB_PAGE;
	if (len != want) {
		snprintf(err, errlen, "length: %zu bytes, the header says %zu (1 header + %u sigstruct + %u module pages)",
			 len, want, b->sig_pages, b->module_pages);
		return BF_LENGTH;
	}
	return BF_NONE;
}

enum blob_fault blob_parse(const unsigned char *img, size_t len, struct blob *b,
			   char *err, size_t errlen)
{
	const unsigned char *sig = img + BLOB_PAGE;
	enum blob_fault f;
	uint16_t sum = 0;

	memset(b, 0, sizeof(*b));
	b->size = len;
	err[0] = '\0';
	f = header_fault(img, len, b, err, errlen);
	if (f)
		return f;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum = (uint16_t)(sum + le16(img + i));
	if (sum) {
		snprintf(err, errlen, "checksum: the 16-bit words sum to 0x%04x, not 0 (header checksum 0x%04x)",
			 sum, b->checksum);
		return BF_CHECKSUM;
	}
	b->module_type = le32(sig + 12);
	b->vendor = le32(sig + 16);
	b->debug = b->module_type & BLOB_DEBUG_BIT;
	if (b->vendor != BLOB_VENDOR_INTEL) {
		snprintf(err, errlen, "sigstruct module_vendor: 0x%x, not 0x%x (Intel)", b->vendor,
			 BLOB_VENDOR_INTEL);
		return BF_VENDOR;
	}
	b->ncpuid = le32(sig + 1024);
	if (b->ncpuid > BLOB_MAX_CPUIDS) {
		snprintf(err, errlen, "sigstruct CPUID table: %u entries, at most %u", b->ncpuid,
			 BLOB_MAX_CPUIDS);
		return BF_CPUIDS;
	}
	for (uint32_t i = 0; i < b->ncpuid; i++)
		b->cpuid[i] = le32(sig + 1028 + 4 * i);
	return BF_NONE;
}

bool blob_signed_for(const struct blob *b, uint32_t eax)
{
	for (uint32_t i = 0; i < b->ncpuid; i++)
		if ((b->cpuid[i] & ~0xFu) == (eax & ~0xFu))
			return true;
	return false;
}

uint32_t cpuid1_eax(unsigned family, unsigned model)
{
	unsigned fam = family > 0xF ? 0xF : family, ext_fam = family > 0xF ? family - 0xF : 0;

	/* the extended model is used with family 6 and 15 (Intel SDM CPUID.1) */
	return (ext_fam & 0xFF) << 20 | ((model >> 4) & 0xF) << 16 | fam << 8 | (model & 0xF) << 4;
}

/* ---- mapping_file.json ---- */

static int ver_field(json_object *o, const char *key, struct tdx_ver *v)
{
	json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return -ENOENT;
	return tdx_ver_parse(json_object_get_string(x), v);
}

static int release_read(json_object *o, struct release *r, char *err, size_t errlen, size_t idx)
{
	json_object *x;

	memset(r, 0, sizeof(*r));
	if (!json_object_is_type(o, json_type_object) || ver_field(o, "version", &r->ver)) {
		snprintf(err, errlen, "release %zu: no version MAJOR.MINOR.UPDATE", idx);
		return -EBADMSG;
	}
	if (json_object_object_get_ex(o, "min_module_version_for_td_preserving", &x)) {
		if (ver_field(o, "min_module_version_for_td_preserving", &r->min_td)) {
			snprintf(err, errlen, "release %zu: min_module_version_for_td_preserving is not a version", idx);
			return -EBADMSG;
		}
		r->has_min_td = true;
	}
	if (json_object_object_get_ex(o, "min_seamldr_versions", &x)) {
		size_t n = json_object_is_type(x, json_type_array) ? json_object_array_length(x) : 0;

		if (!json_object_is_type(x, json_type_array) || n > 8) {
			snprintf(err, errlen, "release %zu: min_seamldr_versions is not a list of up to 8 versions", idx);
			return -EBADMSG;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(x, i);

			if (!json_object_is_type(e, json_type_string) ||
			    tdx_ver_parse(json_object_get_string(e), &r->min_ldr[i])) {
				snprintf(err, errlen, "release %zu: min_seamldr_versions[%zu] is not a version", idx, i);
				return -EBADMSG;
			}
		}
		r->nldr = (unsigned)n;
	}
	if (json_object_object_get_ex(o, "tdx_feature0", &x) && json_object_is_type(x, json_type_string))
		snprintf(r->feature0, sizeof(r->feature0), "%s", json_object_get_string(x));
	return 0;
}

int mapping_load(const char *path, struct mapping *m, char *err, size_t errlen)
{
	json_object *doc, *arr;
	int rc = 0;
	size_t n;

	memset(m, 0, sizeof(*m));
	errno = 0;
	doc = json_object_from_file(path);
	if (!doc) {
		int e = errno;
		FILE *f = fopen(path, "r");

		if (!f) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -errno;
		}
		fclose(f);
		snprintf(err, errlen, "%s: not JSON (%s)", path, e ? strerror(e) : json_util_get_last_err());
		return -EBADMSG;
	}
	if (!json_object_object_get_ex(doc, "tdx_module_releases", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		snprintf(err, errlen, "%s: no tdx_module_releases list (not Intel's mapping_file.json)", path);
		json_object_put(doc);
		return -EBADMSG;
	}
	n = json_object_array_length(arr);
	m->rel = calloc(n ? n : 1, sizeof(*m->rel));
	m->path = strdup(path);
	if (!m->rel || !m->path) {
		json_object_put(doc);
		mapping_free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		char why[160];

		rc = release_read(json_object_array_get_idx(arr, i), &m->rel[i], why, sizeof(why), i);
		if (rc)
			snprintf(err, errlen, "%s: %s", path, why);
	}
	m->n = (unsigned)n;
	json_object_put(doc);
	if (rc)
		mapping_free(m);
	return rc;
}

void mapping_free(struct mapping *m)
{
	free(m->rel);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

const struct release *mapping_find(const struct mapping *m, const struct tdx_ver *v)
{
	for (unsigned i = 0; i < m->n; i++)
		if (!tdx_ver_cmp(&m->rel[i].ver, v))
			return &m->rel[i];
	return NULL;
}

bool release_loader_ok(const struct release *r, const struct tdx_ver *ldr)
{
	for (unsigned i = 0; i < r->nldr; i++)
		if (r->min_ldr[i].major == ldr->major && r->min_ldr[i].minor == ldr->minor &&
		    r->min_ldr[i].update <= ldr->update)
			return true;
	return false;
}

bool release_td_preserving(const struct release *r, const struct tdx_ver *running)
{
	if (r->ver.major != running->major || r->ver.minor != running->minor)
		return false;
	if (r->ver.update <= running->update)
		return false;
	return !r->has_min_td || r->min_td.update <= running->update;
}
