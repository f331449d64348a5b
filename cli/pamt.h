/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pamt.h - will the PAMTs fit?  The kernel allocates the TDX module's
 * metadata (PAMT, about 1/256 of the memory a TDMR covers) as one
 * physically contiguous range per TDMR (alloc_contig_pages()); on a
 * fragmented host that fails with ENOMEM, and on the kernel backend the
 * failure is sticky until reboot.  This estimates the need from the
 * memory size and compares it with the memory free in the largest blocks
 * the page allocator keeps (/proc/buddyinfo).
 */
#ifndef TDXCTL_PAMT_H
#define TDXCTL_PAMT_H

#include <stdbool.h>
#include <stdint.h>

struct klog;

struct pamt_est {
	int err;		/* errno of the first file not read; 0 */
	const char *err_path;	/* that file */
	uint64_t mem_kb;	/* MemTotal */
	uint64_t need_kb;	/* PAMT of every TDMR, about (memory rounded up to 1 GiB) / 256 */
	uint64_t chunk_kb;	/* the largest one range: the largest node's share */
	uint64_t block_kb;	/* the largest block size buddyinfo counts */
	uint64_t free_block_kb;	/* memory free in blocks of that size */
	unsigned nodes;		/* NUMA nodes with memory */
};

/* Read /proc/meminfo, /proc/buddyinfo and the nodes' meminfo (through the
 * sysroot).  Returns 0, or -errno with err and err_path set. */
int pamt_estimate(struct pamt_est *e);
/* The free memory in the largest blocks is short of the need. */
bool pamt_short(const struct pamt_est *e);
/* One line: "about N MiB of contiguous memory (one range of up to M MiB
 * per TDMR); F MiB free in B MiB blocks".  Static storage. */
const char *pamt_text(const struct pamt_est *e);
/* Ask the kernel to compact memory (/proc/sys/vm/compact_memory): 0 or
 * -errno. */
int pamt_compact(void);

/*
 * Memory added after boot.  The BIOS makes the TDX module's CMRs from the
 * memory it found at boot; the kernel's TDMRs cover all memory it has when
 * the TDX module is initialized.  System RAM outside the BIOS memory map
 * of boot (hot-plugged DIMMs) or given by a device (CXL, PMEM as "System
 * RAM (kmem)") is outside the CMRs: TDH.SYS.CONFIG fails on it.
 */
struct mem_added {
	int err;		/* why it is unknown (errno); 0 */
	const char *why;	/* in words */
	uint64_t ram_kb;	/* System RAM in /proc/iomem */
	uint64_t added_kb;	/* of it, outside the BIOS memory map, or kmem */
	uint64_t first_start;	/* the first such range, inclusive */
	uint64_t first_end;
	unsigned ranges;	/* how many */
	unsigned map_ranges;	/* usable ranges of the BIOS memory map (kernel log) */
	bool kmem;		/* some of it is device memory (kmem) */
};

/* Compare /proc/iomem's System RAM with the BIOS-e820 lines of the kernel
 * log.  Returns 0, or -errno with err and why set. */
int mem_added_scan(const struct klog *k, struct mem_added *m);

#endif
