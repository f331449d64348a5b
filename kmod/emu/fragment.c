// SPDX-License-Identifier: GPL-2.0
/*
 * fragment.c - the fragmented memory of a long-running host, on demand.
 *
 * A PAMT is one physically contiguous allocation per TDMR, about 1/256 of
 * the memory the TDMR covers: the kernel's tdx.c takes it from
 * alloc_contig_pages(), the emulated backend from alloc_contig_range().
 * Both fail when every candidate range holds a page that cannot move.
 * Writing 1 to debugfs "fragment" makes that so: it takes each 2 MiB
 * block of every populated kernel zone with alloc_contig_range() (which
 * migrates what can move, as the PAMT allocation would), keeps its first
 * page and gives the rest back.  A block it cannot take holds an
 * unmovable page already.  Afterwards every 2 MiB block holds a page that
 * cannot move: free memory stays about what it was, in pieces of less
 * than 2 MiB that neither compaction nor migration can join.  Writing 0
 * gives the pages back (so does unloading); reading gives the number of
 * pages kept.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched.h>

#include "seam.h"

#define FRAG_PAGES	(1UL << (PMD_SHIFT - PAGE_SHIFT))

static LIST_HEAD(frag_pages);
static unsigned long frag_kept;
static DEFINE_MUTEX(frag_lock);

#if IS_ENABLED(CONFIG_CONTIG_ALLOC)
/* Every 2 MiB block of @z that can be taken, kept by its first page */
static int frag_zone(struct zone *z)
{
	unsigned long pfn, bad, end = zone_end_pfn(z);

	for (pfn = ALIGN(z->zone_start_pfn, FRAG_PAGES); pfn + FRAG_PAGES <= end;
	     pfn += FRAG_PAGES) {
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
		if (!emu_contig_usable(z, pfn, FRAG_PAGES, &bad) ||
		    emu_contig_take(pfn, FRAG_PAGES))
			continue;
		free_contig_range(pfn + 1, FRAG_PAGES - 1);
		list_add(&pfn_to_page(pfn)->lru, &frag_pages);
		frag_kept++;
	}
	return 0;
}

static int frag_take(void)
{
	int nid, zi, ret;

	for_each_online_node(nid) {
		for (zi = 0; zi <= ZONE_NORMAL; zi++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zi];

			if (!populated_zone(z))
				continue;
			ret = frag_zone(z);
			if (ret)
				return ret;
		}
	}
	return 0;
}
#else
static int frag_take(void)
{
	return -EOPNOTSUPP;
}
#endif

static void frag_release(void)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &frag_pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	frag_kept = 0;
}

static int fragment_get(void *data, u64 *val)
{
	mutex_lock(&frag_lock);
	*val = frag_kept;
	mutex_unlock(&frag_lock);
	return 0;
}

static int fragment_set(void *data, u64 val)
{
	int ret = 0;

	if (val > 1)
		return -EINVAL;
	mutex_lock(&frag_lock);
	if (!val) {
		if (frag_kept)
			pr_info("fragment: %lu pages given back\n", frag_kept);
		frag_release();
	} else if (!frag_kept) {
		ret = frag_take();
		pr_info("fragment: one page kept in each of %lu blocks of 2 MiB%s\n",
			frag_kept, ret ? " (stopped)" : "");
	}
	mutex_unlock(&frag_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(fragment_fops, fragment_get, fragment_set, "%llu\n");

/**
 * emu_fragment_init() - the debugfs file "fragment"
 * @dir: the module's debugfs directory
 */
void emu_fragment_init(struct dentry *dir)
{
	debugfs_create_file_unsafe("fragment", 0600, dir, NULL,
				   &fragment_fops);
}

/**
 * emu_fragment_exit() - give back the pages "fragment" kept
 *
 * Context: module exit, after the debugfs files are gone.
 */
void emu_fragment_exit(void)
{
	mutex_lock(&frag_lock);
	frag_release();
	mutex_unlock(&frag_lock);
}
