// SPDX-License-Identifier: GPL-2.0
/*
 * tdmr.c - TDX memory, TDMRs and PAMTs from the machine's real memory map.
 *
 * TDX memory is the System RAM present at module enable, minus the first
 * 1 MiB, split by NUMA node.  As the kernel's own TDX core does, the TDMRs
 * follow it: each run of a node's memory gets one TDMR, rounded out to
 * 1 GiB, and a TDMR grows over the next run of the same node when that
 * run starts in or right after its last GiB; a hole smaller than that
 * becomes a reserved area.  A TDMR is split where its PAMT would not fit
 * the allocator (below) or its holes would crowd out the reserved areas
 * its PAMTs may need.
 *
 * Each TDMR gets two physically contiguous allocations on its node: the
 * 4K PAMT (1/256 of the TDMR) and the 2M + 1G PAMTs together.  Up to
 * 4 MiB (the page allocator's largest block) they come from the page
 * allocator; larger ones from alloc_contig_range(), the contiguous
 * allocator modules can call (alloc_contig_pages() is not exported on
 * every kernel).  A kernel without CONFIG_CONTIG_ALLOC has only the page
 * allocator: there each TDMR covers 1 GiB, whose 4K PAMT is exactly
 * 4 MiB.  PAMTs inside a TDMR become its reserved areas too (4K-aligned,
 * ascending, at most MAX_RESERVED_PER_TDMR).
 *
 * Memory hotplug: get_online_mems() is not exported to modules, nor is
 * lock_device_hotplug().  A memory notifier, registered at load, stands
 * in for it: while module enable collects TDX memory it refuses every
 * MEM_GOING_ONLINE, and once the TDMRs are chosen it refuses memory that
 * is not TDX memory, as the kernel's TDX core does.  The kernel updates a
 * node's span before it sends MEM_GOING_ONLINE, so memory whose onlining
 * was accepted before collection began is seen by the walk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/notifier.h>
#include <linux/pageblock-flags.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#include "seam.h"

/*
 * The page allocator's largest block on x86 (order 10 on every kernel
 * line: MAX_ORDER 11 exclusive before 6.4, 10 inclusive after, renamed
 * MAX_PAGE_ORDER in 6.8).  Larger requests fail quietly (__GFP_NOWARN).
 */
#define PAMT_MAX_ALLOC		((u64)SZ_4M)

/*
 * The largest PAMT piece asked for in one allocation.  One TDMR per node
 * would need a 4 GiB 4K PAMT on a 1 TiB node, 16 GiB at 4 TiB, which
 * alloc_contig_range() almost never finds on a host that has run a
 * while: TDMRs are capped so that no piece exceeds 1 GiB (256 GiB TDMRs
 * with 16-byte PAMT entries; 64 of them cover 16 TiB).
 */
#define PAMT_PIECE_MAX		((u64)SZ_1G)

/* Largest free contiguous run the PAMT allocator may take (debugfs); 0: any */
u64 tdmr_contig_max;

#define TDX_MEM_START		((u64)SZ_1M)	/* the first 1 MiB is not TDX memory */
#define TDX_MAX_MEMBLOCKS	256

/* Fail the Nth PAMT allocation from now (debugfs); 0: off */
u32 tdmr_fail_pamt_alloc;
static atomic64_t pamt_allocated = ATOMIC64_INIT(0);
atomic_t seam_buffers = ATOMIC_INIT(0);

u64 tdmr_pamt_allocated(void)
{
	return atomic64_read(&pamt_allocated);
}

struct ram_walk {
	int (*fn)(u64 start, u64 end, void *arg);
	void *arg;
};

static int ram_walk_one(struct resource *res, void *arg)
{
	struct ram_walk *w = arg;

	return w->fn(res->start, res->end + 1, w->arg);
}

/* Call @fn on each System RAM range [start, end), ascending */
int tdx_ram_walk(int (*fn)(u64 start, u64 end, void *arg), void *arg)
{
	struct ram_walk w = { .fn = fn, .arg = arg };

	return walk_iomem_res_desc(IORES_DESC_NONE,
				   IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				   0, U64_MAX, &w, ram_walk_one);
}

static int mem_add(u64 start, u64 end, void *arg)
{
	struct tdmr_list *tl = arg;
	int nid;

	start = PAGE_ALIGN(max(start, TDX_MEM_START));
	end &= PAGE_MASK;
	if (start >= end)
		return 0;

	for_each_online_node(nid) {
		u64 ns = PFN_PHYS(node_start_pfn(nid));
		u64 ne = PFN_PHYS(node_end_pfn(nid));
		u64 s = max(start, ns), e = min(end, ne);

		if (s >= e)
			continue;
		if (tl->nr_mem == TDX_MAX_MEMBLOCKS)
			return -ENOSPC;
		tl->mem[tl->nr_mem].start = s;
		tl->mem[tl->nr_mem].end = e;
		tl->mem[tl->nr_mem].nid = nid;
		tl->nr_mem++;
	}
	return 0;
}

static int cmp_memblock(const void *a, const void *b)
{
	const struct tdx_memblock *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_rsv(const void *a, const void *b)
{
	const struct tdmr_reserved_area *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Sort the memory ranges and merge those of one node that touch */
static void mem_normalize(struct tdmr_list *tl)
{
	unsigned int i, n = 0;

	sort(tl->mem, tl->nr_mem, sizeof(*tl->mem), cmp_memblock, NULL);
	for (i = 0; i < tl->nr_mem; i++) {
		struct tdx_memblock *p = n ? &tl->mem[n - 1] : NULL;

		if (p && p->nid == tl->mem[i].nid && tl->mem[i].start <= p->end) {
			p->end = max(p->end, tl->mem[i].end);
			continue;
		}
		tl->mem[n++] = tl->mem[i];
	}
	tl->nr_mem = n;
}

static struct tdmr_info *tdmr_new(struct tdmr_list *tl, u64 base, u64 size)
{
	struct tdmr_info *t;

	if (tl->nr == tl->max) {
		pr_err("initialization failed: TDMRs exhausted.\n");
		return NULL;
	}
	t = tdmr_entry(tl, tl->nr++);
	t->base = base;
	t->size = size;
	return t;
}

/*
 * TDMRs for the TDX memory in tl->mem (sorted, disjoint), at most
 * @max_size each: one per run of a node's memory, rounded out to 1 GiB,
 * grown over the next run of the same node when that starts no later
 * than the GiB after the TDMR's end and leaves room for reserved areas.
 */
static int fill_tdmrs(struct tdmr_list *tl, u64 max_size)
{
	/* holes a TDMR may hold: the rest is kept for PAMTs */
	unsigned int hole_budget = max(tl->max_rsv / 2, 1U);
	unsigned int i, holes = 0;
	struct tdmr_info *t = NULL;
	u64 last = 0;			/* end of the memory in @t so far */
	int nid = NUMA_NO_NODE;		/* node of the memory in @t */

	for (i = 0; i < tl->nr_mem; i++) {
		const struct tdx_memblock *m = &tl->mem[i];
		u64 start = ALIGN_DOWN(m->start, TDMR_ALIGNMENT);
		u64 end = ALIGN(m->end, TDMR_ALIGNMENT);
		bool hole = m->start > last;

		if (t) {
			u64 t_end = t->base + t->size;

			if (end <= t_end) {
				/* inside @t already */
				holes += hole;
				last = max(last, m->end);
				continue;
			}
			if (m->nid == nid && start <= t_end &&
			    t->size < max_size &&
			    (!hole || holes < hole_budget)) {
				t->size = min(end - t->base, max_size);
				holes += hole;
				last = min(m->end, t->base + t->size);
				start = t->base + t->size;
			} else if (start < t_end) {
				/* the part in @t's last GiB stays with @t */
				start = t_end;
			}
		}
		/* new TDMRs for what is left of @m */
		while (start < end) {
			t = tdmr_new(tl, start, min(end - start, max_size));
			if (!t)
				return -ENOSPC;
			nid = m->nid;
			holes = m->start > start;
			last = min(m->end, t->base + t->size);
			start += t->size;
		}
	}
	if (!tl->nr)
		return -ENOSPC;
	if (tl->max - tl->nr < 4)
		pr_warn("consumed TDMRs reaching limit: %u used out of %u\n",
			tl->nr, tl->max);
	return 0;
}

/* The node holding most of the TDMR's memory */
static int tdmr_nid(struct tdmr_list *tl, struct tdmr_info *t)
{
	u64 best = 0;
	int nid = NUMA_NO_NODE;
	unsigned int i;

	for (i = 0; i < tl->nr_mem; i++) {
		u64 s = max(tl->mem[i].start, t->base);
		u64 e = min(tl->mem[i].end, t->base + t->size);

		if (s < e && e - s > best) {
			best = e - s;
			nid = tl->mem[i].nid;
		}
	}
	return nid;
}

#if IS_ENABLED(CONFIG_CONTIG_ALLOC)
/* Could [pfn, pfn + n) be taken from @z?  On no, *bad is a page in the way */
bool emu_contig_usable(struct zone *z, unsigned long pfn, unsigned long n,
		       unsigned long *bad)
{
	unsigned long i;

	for (i = pfn; i < pfn + n; i++) {
		struct page *page = pfn_to_online_page(i);

		/* a 16 GiB run is 4M pages: let others run meanwhile */
		if (!(i % SZ_64K))
			cond_resched();

		if (!page || page_zone(page) != z || PageReserved(page)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

/* alloc_contig_range() of [pfn, pfn + n): 0, or a negative errno */
int emu_contig_take(unsigned long pfn, unsigned long n)
{
	/* the last argument but one: a migrate type before 6.16, flags since */
#ifdef ACR_FLAGS_NONE
	return alloc_contig_range(pfn, pfn + n, ACR_FLAGS_NONE,
				  GFP_KERNEL | __GFP_NOWARN);
#else
	return alloc_contig_range(pfn, pfn + n, MIGRATE_MOVABLE,
				  GFP_KERNEL | __GFP_NOWARN);
#endif
}

/*
 * @n contiguous pages from the kernel zones of @nid, highest zone first,
 * as alloc_contig_pages() finds them: pageblock-aligned candidate ranges
 * of online, unreserved pages of one zone, each tried with
 * alloc_contig_range().
 */
static struct page *pamt_alloc_contig(int nid, unsigned long n)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	int zi;

	for (zi = ZONE_NORMAL; zi >= 0; zi--) {
		struct zone *z = &pgdat->node_zones[zi];
		unsigned long pfn, bad, end = zone_end_pfn(z);

		if (!populated_zone(z))
			continue;
		pfn = ALIGN(z->zone_start_pfn, pageblock_nr_pages);
		while (pfn + n <= end) {
			if (fatal_signal_pending(current))
				return NULL;
			cond_resched();
			if (!emu_contig_usable(z, pfn, n, &bad)) {
				pfn = ALIGN(bad + 1, pageblock_nr_pages);
				continue;
			}
			if (!emu_contig_take(pfn, n))
				return pfn_to_page(pfn);
			pfn += ALIGN(n, pageblock_nr_pages);
		}
	}
	return NULL;
}
#else
static struct page *pamt_alloc_contig(int nid, unsigned long n)
{
	return NULL;
}
#endif

/*
 * A physically contiguous run of exactly PAGE_ALIGN(bytes) on @nid: from
 * the page allocator up to PAMT_MAX_ALLOC, from alloc_contig_range()
 * beyond (only when the kernel has it).
 */
static struct page *pamt_alloc(int nid, u64 bytes, unsigned long *npages,
			       bool *contig)
{
	unsigned long i, n = PAGE_ALIGN(bytes) >> PAGE_SHIFT;
	unsigned int order = get_order(bytes);
	struct page *page;

	if (tdmr_fail_pamt_alloc && !--tdmr_fail_pamt_alloc)
		return NULL;
	if (nid == NUMA_NO_NODE)
		nid = first_online_node;
	*contig = bytes > PAMT_MAX_ALLOC;
	if (*contig) {
		if (tdmr_contig_max && bytes > tdmr_contig_max)
			return NULL;
		page = pamt_alloc_contig(nid, n);
		if (!page)
			return NULL;
	} else {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN |
					__GFP_RETRY_MAYFAIL, order);
		if (!page)
			return NULL;
		if (order) {
			split_page(page, order);
			for (i = n; i < (1UL << order); i++)
				__free_page(page + i);
		}
	}
	*npages = n;
	atomic64_add(n << PAGE_SHIFT, &pamt_allocated);
	return page;
}

static void pamt_free(struct page *page, unsigned long n, bool contig)
{
	unsigned long i;

	if (contig) {
		free_contig_range(page_to_pfn(page), n);
	} else {
		for (i = 0; i < n; i++)
			__free_page(page + i);
	}
	atomic64_sub(n << PAGE_SHIFT, &pamt_allocated);
}

static u64 pamt_part_size(u64 tdmr_size, unsigned int shift, u16 entry)
{
	return PAGE_ALIGN((tdmr_size >> shift) * entry);
}

/* TDMRs whose 4K PAMT fits in one PAMT_PIECE_MAX (1 GiB-aligned) */
static u64 tdmr_max_size(const struct seam_sysinfo *si)
{
	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		return TDMR_ALIGNMENT;
	return ALIGN_DOWN(PAMT_PIECE_MAX / si->pamt_entry_size[0] * SZ_4K,
			  TDMR_ALIGNMENT);
}

static int pamt_failed(const struct tdmr_info *t, u64 bytes, int nid,
		       u64 *failed)
{
	/* a dying caller found no time, not no memory */
	if (fatal_signal_pending(current))
		return -EINTR;
	pr_warn("TDMR [0x%llx, 0x%llx): no %llu KiB of contiguous memory for its PAMT on node %d\n",
		t->base, t->base + t->size, bytes >> 10, nid);
	*failed = t->size;
	return -ENOMEM;
}

/* PAMTs for every TDMR; on -ENOMEM, *failed is the size of the TDMR */
static int alloc_pamts(struct tdmr_list *tl, const struct seam_sysinfo *si,
		       u64 *failed)
{
	unsigned int i;

	for (i = 0; i < tl->nr; i++) {
		struct tdmr_info *t = tdmr_entry(tl, i);
		u64 s4k = pamt_part_size(t->size, 12, si->pamt_entry_size[0]);
		u64 s2m = pamt_part_size(t->size, 21, si->pamt_entry_size[1]);
		u64 s1g = pamt_part_size(t->size, 30, si->pamt_entry_size[2]);
		int nid = tdmr_nid(tl, t);

		tl->nid[i] = nid;
		tl->pamt[i].page[0] = pamt_alloc(nid, s4k, &tl->pamt[i].npages[0],
						 &tl->pamt[i].contig[0]);
		if (!tl->pamt[i].page[0])
			return pamt_failed(t, s4k, nid, failed);
		tl->pamt[i].page[1] = pamt_alloc(nid, s2m + s1g,
						 &tl->pamt[i].npages[1],
						 &tl->pamt[i].contig[1]);
		if (!tl->pamt[i].page[1])
			return pamt_failed(t, s2m + s1g, nid, failed);

		t->pamt_4k_base = page_to_phys(tl->pamt[i].page[0]);
		t->pamt_4k_size = s4k;
		t->pamt_2m_base = page_to_phys(tl->pamt[i].page[1]);
		t->pamt_2m_size = s2m;
		t->pamt_1g_base = t->pamt_2m_base + s2m;
		t->pamt_1g_size = s1g;
		tl->pamt_bytes += s4k + s2m + s1g;
	}
	return 0;
}

/* Holes and PAMTs inside each TDMR become its reserved areas */
static int fill_reserved(struct tdmr_list *tl)
{
	unsigned int cap = tl->nr_mem + 1 + 2 * tl->nr, i, j, k, n, out;
	struct tdmr_reserved_area *r;
	int ret = 0;

	r = kcalloc(cap, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;

	for (i = 0; i < tl->nr; i++) {
		struct tdmr_info *t = tdmr_entry(tl, i);
		u64 end = t->base + t->size, pos = t->base;

		n = 0;
		for (j = 0; j < tl->nr_mem; j++) {
			const struct tdx_memblock *m = &tl->mem[j];

			if (m->end <= pos || m->start >= end)
				continue;
			if (m->start > pos) {
				r[n].offset = pos - t->base;
				r[n++].size = m->start - pos;
			}
			pos = min(m->end, end);
		}
		if (pos < end) {
			r[n].offset = pos - t->base;
			r[n++].size = end - pos;
		}
		for (j = 0; j < tl->nr; j++) {
			for (k = 0; k < 2; k++) {
				u64 s = page_to_phys(tl->pamt[j].page[k]);
				u64 e = s + (tl->pamt[j].npages[k] << PAGE_SHIFT);

				s = max(s, t->base);
				e = min(e, end);
				if (s >= e)
					continue;
				r[n].offset = s - t->base;
				r[n++].size = e - s;
			}
		}

		sort(r, n, sizeof(*r), cmp_rsv, NULL);
		out = 0;
		for (j = 0; j < n; j++) {
			if (out && r[j].offset <= t->reserved_areas[out - 1].offset +
						 t->reserved_areas[out - 1].size) {
				struct tdmr_reserved_area *p =
					&t->reserved_areas[out - 1];

				p->size = max(p->offset + p->size,
					      r[j].offset + r[j].size) - p->offset;
				continue;
			}
			if (out == tl->max_rsv) {
				pr_err("initialization failed: TDMR [0x%llx, 0x%llx): reserved areas exhausted.\n",
				       t->base, end);
				ret = -ENOSPC;
				goto out;
			}
			t->reserved_areas[out++] = r[j];
		}
	}
out:
	kfree(r);
	return ret;
}

/*
 * Memory hotplug against TDX memory.  OPEN: no TDMRs, any memory may go
 * online.  COLLECTING: module enable is walking System RAM, nothing may.
 * FIXED: the TDMRs are chosen (and maybe handed to the TDX module): only
 * TDX memory (@tdx_mem) may.
 */
enum tdx_mem_state { TDX_MEM_OPEN, TDX_MEM_COLLECTING, TDX_MEM_FIXED };

static DEFINE_SPINLOCK(tdx_mem_lock);
static enum tdx_mem_state tdx_mem_state;
static const struct tdx_memblock *tdx_mem;
static unsigned int tdx_mem_nr;

static void tdx_mem_set(enum tdx_mem_state state, struct tdmr_list *tl)
{
	spin_lock(&tdx_mem_lock);
	tdx_mem_state = state;
	tdx_mem = state == TDX_MEM_FIXED ? tl->mem : NULL;
	tdx_mem_nr = state == TDX_MEM_FIXED ? tl->nr_mem : 0;
	spin_unlock(&tdx_mem_lock);
}

/* Is [start, end) TDX memory?  tdx_mem_lock held, @tdx_mem sorted */
static bool is_tdx_memory(u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < tdx_mem_nr && start < end; i++) {
		if (tdx_mem[i].end <= start)
			continue;
		if (tdx_mem[i].start > start)
			return false;
		start = tdx_mem[i].end;
	}
	return start >= end;
}

static int tdx_mem_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	const struct memory_notify *mn = data;
	u64 start = PFN_PHYS(mn->start_pfn);
	u64 end = PFN_PHYS(mn->start_pfn + mn->nr_pages);
	const char *why = NULL;

	if (action != MEM_GOING_ONLINE)
		return NOTIFY_OK;
	spin_lock(&tdx_mem_lock);
	if (tdx_mem_state == TDX_MEM_COLLECTING)
		why = "TDX module enable is collecting TDX memory, try again";
	else if (tdx_mem_state == TDX_MEM_FIXED && !is_tdx_memory(start, end))
		why = "not TDX memory (outside the TDMRs of the TDX module)";
	spin_unlock(&tdx_mem_lock);
	if (!why)
		return NOTIFY_OK;
	pr_warn("memory [0x%llx, 0x%llx) not onlined: %s\n", start, end, why);
	return NOTIFY_BAD;
}

static struct notifier_block tdx_mem_nb = {
	.notifier_call = tdx_mem_notify,
};

/**
 * tdmr_init - watch memory hotplug (module load, before any TDMR build)
 *
 * Return: 0 or a negative errno from register_memory_notifier().
 */
int tdmr_init(void)
{
	tdx_mem_set(TDX_MEM_OPEN, NULL);
	return register_memory_notifier(&tdx_mem_nb);
}

void tdmr_exit(void)
{
	unregister_memory_notifier(&tdx_mem_nb);
}

/* Give back every PAMT and forget the TDMRs; the TDX memory stays */
static void tdmr_drop(struct tdmr_list *tl)
{
	unsigned int i, k;

	if (tl->pamt) {
		for (i = 0; i < tl->max; i++)
			for (k = 0; k < 2; k++)
				if (tl->pamt[i].page[k])
					pamt_free(tl->pamt[i].page[k],
						  tl->pamt[i].npages[k],
						  tl->pamt[i].contig[k]);
		memset(tl->pamt, 0, tl->max * sizeof(*tl->pamt));
	}
	if (tl->infos)
		memset(tl->infos, 0, tl->infos_size);
	tl->nr = 0;
	tl->pamt_bytes = 0;
}

void tdmr_free(struct tdmr_list *tl)
{
	/* no TDMRs any more: memory hotplug is free again */
	tdx_mem_set(TDX_MEM_OPEN, NULL);
	tdmr_drop(tl);
	kfree(seam_released(tl->pamt));
	kfree(seam_released(tl->nid));
	kfree(seam_released(tl->mem));
	if (tl->infos)
		free_pages_exact(seam_released(tl->infos), tl->infos_size);
	if (tl->pa_array)
		free_page((unsigned long)seam_released(tl->pa_array));
	memset(tl, 0, sizeof(*tl));
}

/**
 * tdmr_build - TDMRs, PAMTs and the TDH.SYS.CONFIG input from System RAM
 * @tl: filled in; tdmr_free() undoes it, also after a failure
 * @si: the TDX module's limits and PAMT entry sizes
 *
 * From the start of the walk until tdmr_free(), memory hotplug may not
 * online memory that is not TDX memory (none at all during the walk).
 *
 * TDMRs are at most as large as a 1 GiB PAMT piece allows; when the
 * contiguous allocator finds no room for a PAMT, the TDMRs are built
 * again half as large (down to 1 GiB), as long as the TDX module's TDMR
 * limit allows.
 *
 * Return: 0, -ENOMEM, -EINTR for a fatal signal, or -ENOSPC when the
 * TDMR or reserved-area limits of the TDX module cannot describe the
 * memory map.
 */
int tdmr_build(struct tdmr_list *tl, const struct seam_sysinfo *si)
{
	u64 max_size, failed = 0;
	unsigned int i;
	int ret;

	memset(tl, 0, sizeof(*tl));
	tl->max = si->max_tdmrs;
	tl->max_rsv = si->max_reserved_per_tdmr;
	if (!tl->max || !tl->max_rsv || tl->max > PAGE_SIZE / sizeof(u64) ||
	    !si->pamt_entry_size[0] || !si->pamt_entry_size[1] ||
	    !si->pamt_entry_size[2] ||
	    (!IS_ENABLED(CONFIG_CONTIG_ALLOC) &&
	     pamt_part_size(TDMR_ALIGNMENT, 12, si->pamt_entry_size[0]) >
	     PAMT_MAX_ALLOC))
		return -EINVAL;
	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		pr_info_once("no contiguous allocator (CONFIG_CONTIG_ALLOC): one TDMR per GiB, each PAMT from the page allocator\n");

	tl->stride = ALIGN(sizeof(struct tdmr_info) +
			   tl->max_rsv * sizeof(struct tdmr_reserved_area),
			   TDMR_INFO_ALIGNMENT);
	tl->infos_size = (size_t)tl->stride * tl->max;
	tl->infos = seam_held(alloc_pages_exact(tl->infos_size,
						GFP_KERNEL | __GFP_ZERO));
	tl->pa_array = seam_held((u64 *)get_zeroed_page(GFP_KERNEL));
	tl->pamt = seam_held(kcalloc(tl->max, sizeof(*tl->pamt), GFP_KERNEL));
	tl->nid = seam_held(kcalloc(tl->max, sizeof(*tl->nid), GFP_KERNEL));
	tl->mem = seam_held(kcalloc(TDX_MAX_MEMBLOCKS, sizeof(*tl->mem),
				    GFP_KERNEL));
	if (!tl->infos || !tl->pa_array || !tl->pamt || !tl->nid || !tl->mem)
		return -ENOMEM;

	/* no memory goes online from here until the TDMRs are chosen */
	tdx_mem_set(TDX_MEM_COLLECTING, NULL);
	ret = tdx_ram_walk(mem_add, tl);
	if (ret)
		return ret;
	mem_normalize(tl);

	max_size = tdmr_max_size(si);
	for (;;) {
		tl->max_size = max_size;
		ret = fill_tdmrs(tl, max_size);
		if (ret)
			return failed ? -ENOMEM : ret;
		/* the TDX memory is fixed: it may go online again, nothing else */
		tdx_mem_set(TDX_MEM_FIXED, tl);

		ret = alloc_pamts(tl, si, &failed);
		if (ret != -ENOMEM || failed <= TDMR_ALIGNMENT)
			break;
		max_size = max(ALIGN_DOWN(failed / 2, TDMR_ALIGNMENT),
			       TDMR_ALIGNMENT);
		pr_info("no contiguous memory for the PAMT of a %llu GiB TDMR: retrying with TDMRs of at most %llu GiB\n",
			failed >> 30, max_size >> 30);
		tdmr_drop(tl);
	}
	if (ret)
		return ret;
	ret = fill_reserved(tl);
	if (ret)
		return ret;

	for (i = 0; i < tl->nr; i++) {
		tl->pa_array[i] = virt_to_phys(tdmr_entry(tl, i));
		tl->covered += tdmr_entry(tl, i)->size;
	}
	return 0;
}

void tdmr_show(struct seq_file *m, struct tdmr_list *tl)
{
	unsigned int i, j;

	for (i = 0; i < tl->nr_mem; i++)
		seq_printf(m, "memory 0x%llx 0x%llx node=%d\n",
			   tl->mem[i].start, tl->mem[i].end, tl->mem[i].nid);
	for (i = 0; i < tl->nr; i++) {
		struct tdmr_info *t = tdmr_entry(tl, i);

		seq_printf(m, "tdmr %u base=0x%llx size=0x%llx node=%d pamt_4k=0x%llx+0x%llx pamt_2m=0x%llx+0x%llx pamt_1g=0x%llx+0x%llx\n",
			   i, t->base, t->size, tl->nid[i], t->pamt_4k_base,
			   t->pamt_4k_size, t->pamt_2m_base, t->pamt_2m_size,
			   t->pamt_1g_base, t->pamt_1g_size);
		for (j = 0; j < tl->max_rsv && t->reserved_areas[j].size; j++)
			seq_printf(m, "reserved %u 0x%llx 0x%llx\n", i,
				   t->reserved_areas[j].offset,
				   t->reserved_areas[j].size);
	}
	seq_printf(m, "pamt_bytes %llu\n", tl->pamt_bytes);
	seq_printf(m, "covered_bytes %llu\n", tl->covered);
	seq_printf(m, "tdmr_max_size %llu\n", tl->max_size);
}
