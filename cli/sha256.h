/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming
 */
#ifndef TDXCTL_SHA256_H
#define TDXCTL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed */
	unsigned char buf[64];
	size_t n;		/* bytes in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* hex: 65 bytes, lower-case hex digest and a NUL */
void sha256_hex(struct sha256 *s, char hex[65]);

#endif
