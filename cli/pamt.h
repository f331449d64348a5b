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

#endif
