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

#include "kmsg.h"
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

/* ---- memory added after boot ---- */

#define MAX_MAP 256

struct range {
	uint64_t start, end;	/* inclusive */
};

/*
 * The usable ranges of the BIOS memory map the kernel printed at boot:
 * "BIOS-e820: [mem 0x...-0x...] usable", or "...]  System RAM" (7.x)
 */
static unsigned bios_map(const struct klog *k, struct range *map)
{
	unsigned n = 0;

	for (size_t i = 0; i < k->n && n < MAX_MAP; i++) {
		const char *p = strstr(k->lines[i], "BIOS-e820: [mem ");
		unsigned long long a, b;
		char type[32];

		if (p && sscanf(p, "BIOS-e820: [mem 0x%llx-0x%llx] %31[^\n]", &a, &b, type) == 3 &&
		    (!strcmp(type, "usable") || !strcmp(type, "System RAM")) && a <= b)
			map[n++] = (struct range){ a, b };
	}
	return n;
}

/* Account [s, e] minus the map's ranges as added */
static void uncovered(struct mem_added *m, const struct range *map, unsigned n, uint64_t s, uint64_t e,
		      bool kmem)
{
	while (s <= e) {
		uint64_t next = e;
		bool covered = false;

		for (unsigned i = 0; i < n && !kmem; i++) {
			if (map[i].start <= s && s <= map[i].end) {
				covered = true;
				next = map[i].end < e ? map[i].end : e;
				break;
			}
			/* the nearest map range above s bounds this gap */
			if (map[i].start > s && map[i].start - 1 < next)
				next = map[i].start - 1;
		}
		if (!covered) {
			if (!m->ranges) {
				m->first_start = s;
				m->first_end = next;
			}
			m->ranges++;
			m->added_kb += (next - s + 1) / 1024;
			m->kmem |= kmem;
		}
		if (next == UINT64_MAX)
			break;
		s = next + 1;
	}
}

int mem_added_scan(const struct klog *k, struct mem_added *m)
{
	static struct range map[MAX_MAP];
	char *text, *line, *save = NULL;
	bool any = false, hidden = true;
	unsigned n;

	memset(m, 0, sizeof(*m));
	text = sr_slurp_max("/proc/iomem", 4 << 20, NULL);
	if (!text) {
		m->err = errno ? errno : EIO;
		m->why = "/proc/iomem not readable";
		return -m->err;
	}
	n = bios_map(k, map);
	m->map_ranges = n;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;
		int name = 0;

		/* top-level resources only: "00100000-3ffdffff : System RAM" */
		if (line[0] == ' ' || sscanf(line, "%llx-%llx : %n", &a, &b, &name) != 2 || !name)
			continue;
		bool kmem = !strcmp(line + name, "System RAM (kmem)");

		if (strcmp(line + name, "System RAM") && !kmem)
			continue;
		any = true;
		if (a || b)
			hidden = false;
		if (a > b)
			continue;
		m->ram_kb += (b - a + 1) / 1024;
		if (n || kmem)
			uncovered(m, map, n, a, b, kmem);
	}
	free(text);
	if (!any) {
		m->err = EPROTO;
		m->why = "/proc/iomem lists no System RAM";
	} else if (hidden) {
		m->err = EPERM;
		m->why = "/proc/iomem hides the addresses (run as root)";
	} else if (!n && !m->ranges) {
		m->err = ENOENT;
		m->why = "the kernel log no longer holds the BIOS memory map of boot (BIOS-e820 lines)";
	}
	return -m->err;
}
