/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sha256.h - SHA-256 from nettle, and the lower-case hex digest that
 * diag's manifest records
 */
#ifndef TDXCTL_SHA256_H
#define TDXCTL_SHA256_H

#include <stdint.h>
#include <stdio.h>

#include <nettle/sha2.h>

/* hex: 65 bytes, the digest of everything hashed into @s and a NUL */
static inline void sha256_hex(struct sha256_ctx *s, char hex[65])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_digest(s, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

#endif
