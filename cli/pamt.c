// SPDX-License-Identifier: GPL-2.0-only
/*
 * pamt.c - the PAMT's need for contiguous memory against what is free.
 *
 * The estimate follows the kernel's TDMR construction: TDMRs are 1 GiB
 * aligned and cover the memory of a node; each TDMR's PAMT (16 bytes per
 * 4 KiB page, plus the 2 MiB and 1 GiB levels, about 1/256 of it) is one
 * physically contiguous allocation, on the TDMR's node when it can be.
 * The page allocator's largest free blocks (/proc/buddyinfo's last
 * column, 4 MiB on x86) are what such an allocation is made of without
 * migrating anything: when they add up to less than the need, the
 * allocation depends on compaction.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pamt.h"
#include "sysroot.h"

#define GIB_KB (1024ULL * 1024)

/* PAMT of a TDMR of size kb: 4K, 2M and 1G levels, 16-byte entries */
static uint64_t pamt_of(uint64_t kb)
{
	uint64_t tdmr = (kb + GIB_KB - 1) / GIB_KB * GIB_KB;

	return tdmr / 256 + tdmr / (2048 * 256) + 4 * 3;
}

static uint64_t meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	unsigned long long v;

	if (!p || sscanf(p + strlen(key), " %llu", &v) != 1)
		return 0;
	return v;
}

static int fail(struct pamt_est *e, const char *path, int err)
{
	e->err = err;
	e->err_path = path;
	return -err;
}

/* The largest order's free memory: the last count on each zone's line */
static int buddyinfo(struct pamt_est *e)
{
	char *text = sr_slurp_max("/proc/buddyinfo", 1 << 20, NULL);
	char *line, *save = NULL;
	unsigned orders = 0;

	if (!text)
		return fail(e, "/proc/buddyinfo", errno ? errno : EIO);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = strstr(line, "zone");
		unsigned long long v, last = 0;
		unsigned n = 0;
		int used;

		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')	/* the zone's name */
			p++;
		while (sscanf(p, " %llu%n", &v, &used) == 1) {
			last = v;
			n++;
			p += used;
		}
		if (!n)
			continue;
		if (orders && n != orders) {
			free(text);
			return fail(e, "/proc/buddyinfo", EPROTO);
		}
		orders = n;
		e->free_block_kb += last * (4ULL << (n - 1));
	}
	free(text);
	if (!orders)
		return fail(e, "/proc/buddyinfo", EPROTO);
	e->block_kb = 4ULL << (orders - 1);
	return 0;
}

int pamt_estimate(struct pamt_est *e)
{
	char *text;
	int ret;

	memset(e, 0, sizeof(*e));
	text = sr_slurp_max("/proc/meminfo", 1 << 20, NULL);
	if (!text)
		return fail(e, "/proc/meminfo", errno ? errno : EIO);
	e->mem_kb = meminfo_kb(text, "MemTotal:");
	free(text);
	if (!e->mem_kb)
		return fail(e, "/proc/meminfo", EPROTO);
	ret = buddyinfo(e);
	if (ret)
		return ret;

	/* per node: each node's memory is a TDMR of its own (at least) */
	for (unsigned n = 0; n < 4096; n++) {
		char path[96];
		uint64_t kb;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
		text = sr_slurp_max(path, 1 << 20, NULL);
		if (!text && errno == ENOENT)
			break;	/* node numbers are dense from 0 on x86 */
		if (!text)
			return fail(e, "/sys/devices/system/node/nodeN/meminfo", errno ? errno : EIO);
		/* "Node 0 MemTotal:  1234 kB" */
		char key[32];

		snprintf(key, sizeof(key), "Node %u MemTotal:", n);
		kb = meminfo_kb(text, key);
		free(text);
		if (!kb)
			continue;
		e->nodes++;
		e->need_kb += pamt_of(kb);
		if (pamt_of(kb) > e->chunk_kb)
			e->chunk_kb = pamt_of(kb);
	}
	if (!e->nodes) {	/* no NUMA information: one node */
		e->nodes = 1;
		e->need_kb = e->chunk_kb = pamt_of(e->mem_kb);
	}
	return 0;
}

bool pamt_short(const struct pamt_est *e)
{
	return !e->err && e->free_block_kb < e->need_kb;
}

static void mib(char *buf, size_t len, uint64_t kb)
{
	if (kb >= 10240 || kb % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 " MiB", (kb + 1023) / 1024);
	else
		snprintf(buf, len, "%.1f MiB", kb / 1024.0);
}

const char *pamt_text(const struct pamt_est *e)
{
	static char buf[256];
	char need[32], chunk[32], freeb[32], block[32];

	mib(need, sizeof(need), e->need_kb);
	mib(chunk, sizeof(chunk), e->chunk_kb);
	mib(freeb, sizeof(freeb), e->free_block_kb);
	mib(block, sizeof(block), e->block_kb);
	if (e->nodes > 1)
		snprintf(buf, sizeof(buf), "the PAMTs need about %s of physically contiguous memory "
			 "(one range of up to %s per TDMR); %s free in %s blocks", need, chunk, freeb, block);
	else
		snprintf(buf, sizeof(buf), "the PAMT needs about %s of physically contiguous memory; "
			 "%s free in %s blocks", need, freeb, block);
	return buf;
}

int pamt_compact(void)
{
	return sr_write("/proc/sys/vm/compact_memory", "1");
}
