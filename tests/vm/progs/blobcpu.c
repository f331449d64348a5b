// SPDX-License-Identifier: GPL-2.0
/*
 * blobcpu IN OUT: copy a TDX module update image (tests/fixtures/mkblob.py)
 * with its sigstruct's CPUID table rewritten to this CPU's CPUID.1.EAX
 * alone, the header checksum adjusted by what that changed (an image
 * whose words did not sum to zero still does not).  Images too short for
 * a sigstruct are copied as they are.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE		4096
#define CPUID_COUNT	(PAGE + 1024)
#define CPUID_TABLE	(PAGE + 1028)

static uint16_t sum16(const unsigned char *p, size_t len)
{
	uint16_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint16_t)(p[i] | p[i + 1] << 8);
	return s;
}

int main(int argc, char **argv)
{
	static unsigned char buf[600 * PAGE];
	unsigned int eax, ebx, ecx, edx;
	size_t len;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: blobcpu IN OUT\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len >= CPUID_TABLE + 4) {
		uint16_t before = sum16(buf, len), after, ck;
		uint32_t one = 1;

		__cpuid(1, eax, ebx, ecx, edx);
		memset(buf + CPUID_COUNT, 0, PAGE * 2 - CPUID_COUNT);
		memcpy(buf + CPUID_COUNT, &one, 4);
		memcpy(buf + CPUID_TABLE, &eax, 4);
		after = sum16(buf, len);
		ck = (uint16_t)(buf[2] | buf[3] << 8);
		ck = (uint16_t)(ck - (uint16_t)(after - before));
		buf[2] = ck & 0xff;
		buf[3] = ck >> 8;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
