// SPDX-License-Identifier: GPL-2.0
/*
 * tdmr.c - TDX memory, TDMRs and PAMTs from the machine's real memory map.
 *
 * TDX memory is the System RAM present at module enable, minus the first
 * 1 MiB, split by NUMA node.  Each TDMR covers one 1 GiB-aligned GiB of it:
 * memblock and alloc_contig_pages() are not available to a module, so a
 * PAMT must come from the page allocator, whose largest block (4 MiB) is
 * exactly the 4K PAMT of 1 GiB.  Each TDMR gets two physically contiguous
 * allocations on its node: the 4K PAMT (1/256 of the TDMR) and the 2M +
 * 1G PAMTs together.  Holes and PAMTs inside a TDMR become its reserved
 * areas (4K-aligned, ascending, at most MAX_RESERVED_PER_TDMR).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "seam.h"

/*
 * The page allocator's largest block on x86 (order 10 on every kernel
 * line: MAX_ORDER 11 exclusive before 6.4, 10 inclusive after, renamed
 * MAX_PAGE_ORDER in 6.8).  Larger requests fail quietly (__GFP_NOWARN).
 */
#define PAMT_MAX_ALLOC		((u64)SZ_4M)

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

/* One 1 GiB TDMR for each GiB that holds TDX memory */
static int fill_tdmrs(struct tdmr_list *tl)
{
	unsigned int i;
	u64 base;

	for (i = 0; i < tl->nr_mem; i++) {
		for (base = ALIGN_DOWN(tl->mem[i].start, TDMR_ALIGNMENT);
		     base < tl->mem[i].end; base += TDMR_ALIGNMENT) {
			struct tdmr_info *t;

			if (tl->nr && tdmr_entry(tl, tl->nr - 1)->base == base)
				continue;
			if (tl->nr == tl->max) {
				pr_err("initialization failed: TDMRs exhausted.\n");
				return -ENOSPC;
			}
			t = tdmr_entry(tl, tl->nr++);
			t->base = base;
			t->size = TDMR_ALIGNMENT;
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

/* A physically contiguous run of exactly PAGE_ALIGN(bytes) on @nid */
static struct page *pamt_alloc(int nid, u64 bytes, unsigned long *npages)
{
	unsigned long i, n = PAGE_ALIGN(bytes) >> PAGE_SHIFT;
	unsigned int order = get_order(bytes);
	struct page *page;

	if (tdmr_fail_pamt_alloc && !--tdmr_fail_pamt_alloc)
		return NULL;
	page = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN |
				__GFP_RETRY_MAYFAIL, order);
	if (!page)
		return NULL;
	if (order) {
		split_page(page, order);
		for (i = n; i < (1UL << order); i++)
			__free_page(page + i);
	}
	*npages = n;
	atomic64_add(n << PAGE_SHIFT, &pamt_allocated);
	return page;
}

static void pamt_free(struct page *page, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		__free_page(page + i);
	atomic64_sub(n << PAGE_SHIFT, &pamt_allocated);
}

static u64 pamt_part_size(u64 tdmr_size, unsigned int shift, u16 entry)
{
	return PAGE_ALIGN((tdmr_size >> shift) * entry);
}

static int alloc_pamts(struct tdmr_list *tl, const struct seam_sysinfo *si)
{
	unsigned int i;

	for (i = 0; i < tl->nr; i++) {
		struct tdmr_info *t = tdmr_entry(tl, i);
		u64 s4k = pamt_part_size(t->size, 12, si->pamt_entry_size[0]);
		u64 s2m = pamt_part_size(t->size, 21, si->pamt_entry_size[1]);
		u64 s1g = pamt_part_size(t->size, 30, si->pamt_entry_size[2]);
		int nid = tdmr_nid(tl, t);

		tl->nid[i] = nid;
		tl->pamt[i].page[0] = pamt_alloc(nid, s4k, &tl->pamt[i].npages[0]);
		if (!tl->pamt[i].page[0])
			return -ENOMEM;
		tl->pamt[i].page[1] = pamt_alloc(nid, s2m + s1g,
						 &tl->pamt[i].npages[1]);
		if (!tl->pamt[i].page[1])
			return -ENOMEM;

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

void tdmr_free(struct tdmr_list *tl)
{
	unsigned int i, k;

	if (tl->pamt) {
		for (i = 0; i < tl->max; i++)
			for (k = 0; k < 2; k++)
				if (tl->pamt[i].page[k])
					pamt_free(tl->pamt[i].page[k],
						  tl->pamt[i].npages[k]);
	}
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
 * Return: 0, -ENOMEM, or -ENOSPC when the TDMR or reserved-area limits
 * of the TDX module cannot describe the memory map.
 */
int tdmr_build(struct tdmr_list *tl, const struct seam_sysinfo *si)
{
	unsigned int i;
	int ret;

	memset(tl, 0, sizeof(*tl));
	tl->max = si->max_tdmrs;
	tl->max_rsv = si->max_reserved_per_tdmr;
	if (!tl->max || !tl->max_rsv || tl->max > PAGE_SIZE / sizeof(u64) ||
	    !si->pamt_entry_size[0] ||
	    pamt_part_size(TDMR_ALIGNMENT, 12, si->pamt_entry_size[0]) >
	    PAMT_MAX_ALLOC)
		return -EINVAL;

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

	ret = tdx_ram_walk(mem_add, tl);
	if (ret)
		return ret;
	sort(tl->mem, tl->nr_mem, sizeof(*tl->mem), cmp_memblock, NULL);

	ret = fill_tdmrs(tl);
	if (ret)
		return ret;
	ret = alloc_pamts(tl, si);
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
}
