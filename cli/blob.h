/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blob.h - TDX module update images ("blobs") and Intel's mapping file.
 *
 * The image layout is the one Linux 7.2 accepts through the
 * firmware-upload device tdx_module (arch/x86/virt/vmx/tdx/seamldr.c,
 * struct tdx_image_header): a 4 KiB header {u16 version = 0x200, u16
 * checksum, char signature[8] = "TDX-BLOB", u32 sigstruct_nr_pages (<= 1),
 * u32 module_nr_pages (<= 496), 4076 reserved bytes = 0}, the sigstruct
 * pages, the module pages; the 16-bit words of the image sum to zero.
 * The sigstruct gives module_type (+12, bit 31: debug-signed),
 * module_vendor (+16, 0x8086) and the CPUID.1.EAX table (+1024: count,
 * +1028: values) the module is signed for.
 *
 * Versions are MAJOR.MINOR.UPDATE, printed with a two-digit update
 * ("1.5.08"), as /sys/devices/faux/tdx_host/version.  Intel's
 * mapping_file.json (github.com/intel/tdx-module-binaries) lists per
 * release min_module_version_for_td_preserving and min_seamldr_versions.
 */
#ifndef TDXCTL_BLOB_H
#define TDXCTL_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOB_PAGE		4096u
#define BLOB_HDR_VERSION	0x200u
#define BLOB_MAX_SIG_PAGES	1u
#define BLOB_MAX_MODULE_PAGES	496u
#define BLOB_VENDOR_INTEL	0x8086u
#define BLOB_DEBUG_BIT		(1u << 31)
#define BLOB_MAX_CPUIDS		255u
#define BLOB_MAX_SIZE		((1u + BLOB_MAX_SIG_PAGES + BLOB_MAX_MODULE_PAGES) * BLOB_PAGE)
/* read at most this much: a larger file is refused by size, a smaller
 * one beyond BLOB_MAX_SIZE by the header field that is wrong */
#define BLOB_READ_MAX		(4u << 20)

struct tdx_ver {
	unsigned major, minor, update;
};

/* "1.5.08" (or "1.5.8"): 0, -EINVAL otherwise */
int tdx_ver_parse(const char *s, struct tdx_ver *v);
/* <0, 0, >0 */
int tdx_ver_cmp(const struct tdx_ver *a, const struct tdx_ver *b);
/* "1.5.08" into buf (16 bytes suffice) */
const char *tdx_ver_str(const struct tdx_ver *v, char *buf, size_t len);
/* Intel's file name tdx_module_X.Y.ZZ.blob (the basename of path): 0 */
int tdx_ver_from_name(const char *path, struct tdx_ver *v);

/* The header field a malformed image gets wrong */
enum blob_fault {
	BF_NONE, BF_SIZE, BF_VERSION, BF_SIGNATURE, BF_SIG_PAGES, BF_MODULE_PAGES,
	BF_RESERVED, BF_LENGTH, BF_CHECKSUM, BF_VENDOR, BF_CPUIDS,
};
const char *blob_fault_name(enum blob_fault f);	/* "signature", ... (JSON) */

struct blob {
	size_t size;
	uint16_t hdr_version, checksum;
	char signature[9];
	uint32_t sig_pages, module_pages;
	uint32_t module_type, vendor;
	bool debug;
	uint32_t ncpuid;
	uint32_t cpuid[BLOB_MAX_CPUIDS];
};

/* Validate the image: BF_NONE, or the first field at fault with a message
 * naming it and the value found in err. */
enum blob_fault blob_parse(const unsigned char *img, size_t len, struct blob *b,
			   char *err, size_t errlen);
/* Is CPUID.1.EAX eax (stepping ignored) in the blob's table? */
bool blob_signed_for(const struct blob *b, uint32_t eax);
/* CPUID.1.EAX (stepping 0) from family and model as /proc/cpuinfo gives them */
uint32_t cpuid1_eax(unsigned family, unsigned model);

/* A release of Intel's mapping file */
struct release {
	struct tdx_ver ver;
	bool has_min_td;
	struct tdx_ver min_td;		/* min_module_version_for_td_preserving */
	unsigned nldr;
	struct tdx_ver min_ldr[8];	/* min_seamldr_versions */
	char feature0[24];		/* tdx_feature0, "" when absent */
};
struct mapping {
	char *path;
	unsigned n;
	struct release *rel;
};
/* Read mapping_file.json: 0, or -errno / -EBADMSG with the reason in err */
int mapping_load(const char *path, struct mapping *m, char *err, size_t errlen);
void mapping_free(struct mapping *m);
const struct release *mapping_find(const struct mapping *m, const struct tdx_ver *v);

/* The rules of the contract (Intel's version_select_and_load.py):
 * the P-SEAMLDR is compatible when a min_seamldr_versions entry has its
 * major.minor and an update no newer than its own; a TD-preserving update
 * needs the same major.minor, a newer update, and the running update at
 * least min_module_version_for_td_preserving's. */
bool release_loader_ok(const struct release *r, const struct tdx_ver *ldr);
bool release_td_preserving(const struct release *r, const struct tdx_ver *running);

#endif
