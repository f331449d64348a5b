// SPDX-License-Identifier: GPL-2.0
/*
 * seam.c - the seam engine: the host side of TDX module initialization,
 * as Linux does it, talking to the TDX module only through seamcall():
 * TDH.SYS.INIT once (result cached), TDH.SYS.LP.INIT per CPU, metadata
 * with TDH.SYS.RD, TDMRs and PAMTs, TDH.SYS.CONFIG, WBINVD and
 * TDH.SYS.KEY.CONFIG once per package (serially), TDH.SYS.TDMR.INIT in
 * chunks.  TDX_RND_NO_ENTROPY is retried as Linux does; every status is
 * mapped to an errno in one place.
 *
 * This is the emulated backend: seamcall() enters the TDX module model.
 * It reports every fact tdxctl.ko can show.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <linux/xarray.h>

#include <asm/smp.h>

#include "tdxctl.h"
#include "seam.h"

#define TDX_FEATURES0_NO_RBP_MOD	BIT_ULL(18)

/* TDH.SYS.INIT runs once; its result is cached for every later caller */
static DEFINE_RAW_SPINLOCK(sysinit_lock);
static bool sysinit_done;
static int sysinit_err;
static u64 sysinit_status;

/* The TDMRs and PAMTs handed to the TDX module, and what status shows */
static DEFINE_MUTEX(seam_lock);
static struct tdmr_list seam_tdmrs;
static struct seam_sysinfo seam_info;
static bool seam_info_valid, seam_tdmrs_valid;
/*
 * TDMRs whose TDH.SYS.TDMR.INIT is complete: a fatal signal stops the
 * loop between two calls, and the next module enable resumes at this
 * TDMR, where the TDX module's cursor stands.  Enable path only.
 */
static unsigned int seam_tdmrs_done;

/* Test hook (debugfs corrupt_config): spoil the next CONFIG's input */
static DEFINE_SPINLOCK(corrupt_lock);
static char corrupt_next[32];
/* pamt_usable: the page the 1G PAMT is moved to; freed with the PAMTs */
static struct page *corrupt_page;

int seam_set_corrupt(const char *what)
{
	static const char * const known[] = {
		"tdmr_base", "tdmr_order", "rsv_misaligned", "rsv_order",
		"rsv_overlap", "rsv_adjacent", "rsv_none", "pamt_small",
		"pamt_overlap", "pamt_overlap_partial", "pamt_usable",
		"pamt_outside", "count", "keyid", "array",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (!strcmp(what, known[i])) {
			spin_lock(&corrupt_lock);
			strscpy(corrupt_next, what, sizeof(corrupt_next));
			spin_unlock(&corrupt_lock);
			return 0;
		}
	}
	return -EINVAL;
}

static void corrupt_free(void)
{
	if (corrupt_page)
		__free_page(seam_released(corrupt_page));
	corrupt_page = NULL;
}

static void corrupt_config(struct tdmr_list *tl, struct seam_args *args)
{
	struct tdmr_info *t = tdmr_entry(tl, 0);
	char what[32];

	spin_lock(&corrupt_lock);
	strscpy(what, corrupt_next, sizeof(what));
	corrupt_next[0] = '\0';
	spin_unlock(&corrupt_lock);
	if (!what[0])
		return;
	pr_info("test hook: spoiling the TDH.SYS.CONFIG input: %s\n", what);

	if (!strcmp(what, "tdmr_base")) {
		t->base += PAGE_SIZE;
	} else if (!strcmp(what, "tdmr_order") && tl->nr < tl->max) {
		memcpy(tdmr_entry(tl, tl->nr), t, tl->stride);
		tl->pa_array[tl->nr] = virt_to_phys(tdmr_entry(tl, tl->nr));
		args->rdx = tl->nr + 1;
	} else if (!strcmp(what, "rsv_misaligned")) {
		t->reserved_areas[0].size += 1;
	} else if (!strcmp(what, "rsv_order")) {
		swap(t->reserved_areas[0], t->reserved_areas[1]);
	} else if (!strcmp(what, "rsv_overlap")) {
		struct tdmr_reserved_area *r = t->reserved_areas;
		u64 end = r[1].offset + r[1].size;

		/* area 1 starts on the last page of area 0, same end */
		r[1].offset = r[0].offset + r[0].size - PAGE_SIZE;
		r[1].size = end - r[1].offset;
	} else if (!strcmp(what, "rsv_adjacent")) {
		struct tdmr_reserved_area *r = t->reserved_areas;
		u64 end = r[1].offset + r[1].size;

		/* area 1 starts where area 0 ends, same end: still legal */
		r[1].offset = r[0].offset + r[0].size;
		r[1].size = end - r[1].offset;
	} else if (!strcmp(what, "rsv_none")) {
		memset(t->reserved_areas, 0,
		       tl->max_rsv * sizeof(t->reserved_areas[0]));
	} else if (!strcmp(what, "pamt_small")) {
		t->pamt_4k_size -= PAGE_SIZE;
	} else if (!strcmp(what, "pamt_overlap")) {
		t->pamt_1g_base = t->pamt_4k_base;
	} else if (!strcmp(what, "pamt_overlap_partial")) {
		/* on the last page of the 4K PAMT: a partial overlap */
		t->pamt_1g_base = t->pamt_4k_base + t->pamt_4k_size - PAGE_SIZE;
	} else if (!strcmp(what, "pamt_usable")) {
		/*
		 * A page of the kernel's own: TDX memory a TDMR leaves usable
		 * (not reserved), and no other PAMT's.
		 */
		corrupt_page = seam_held(alloc_page(GFP_KERNEL | __GFP_ZERO));
		if (corrupt_page)
			t->pamt_1g_base = page_to_phys(corrupt_page);
	} else if (!strcmp(what, "pamt_outside")) {
		t->pamt_1g_base = 0xfee00000;	/* the local APIC, not RAM */
	} else if (!strcmp(what, "count")) {
		args->rdx = 0;
	} else if (!strcmp(what, "keyid")) {
		args->r8 = 1;
	} else if (!strcmp(what, "array")) {
		args->rcx += 8;
	}
}

static u64 seamcall(u64 leaf, struct seam_args *args)
{
	return tdx_model_seamcall(leaf, args);
}

/* Retry TDX_RND_NO_ENTROPY, RDRAND_RETRY_LOOPS calls in all, like Linux */
static u64 sc_retry(u64 leaf, struct seam_args *args)
{
	int retry = SEAM_RDRAND_RETRY_LOOPS;
	struct seam_args in = *args;
	u64 st;

	do {
		*args = in;
		st = seamcall(leaf, args);
	} while (st == SEAM_ST(TDX_RND_NO_ENTROPY) && --retry);
	return st;
}

/* The one place a SEAMCALL status becomes an errno */
static int seam_errno(u64 leaf, u64 st)
{
	if (!st)
		return 0;
	if (st == SEAM_ST(TDX_SEAMCALL_VMFAILINVALID)) {
		pr_err_ratelimited("module not loaded\n");
		return -ENODEV;
	}
	if (st == SEAM_ST(TDX_SEAMCALL_GP))
		return -EOPNOTSUPP;
	if (st == SEAM_ST(TDX_SEAMCALL_UD))
		return -EACCES;
	pr_err_ratelimited("SEAMCALL (0x%016llx) failed: 0x%016llx\n", leaf, st);
	return -EIO;
}

static int seam_call(u64 leaf, struct seam_args *args, u64 *status)
{
	*status = sc_retry(leaf, args);
	return seam_errno(leaf, *status);
}

/* Global init once, on whichever CPU gets here first; interrupts off */
static int try_init_module_global(u64 *status)
{
	struct seam_args args = {};
	u64 t0;
	int ret;

	lockdep_assert_irqs_disabled();
	raw_spin_lock(&sysinit_lock);
	if (!sysinit_done) {
		t0 = ktime_get_ns();
		sysinit_err = seam_call(TDH_SYS_INIT, &args, &sysinit_status);
		tdxctl_step_add(TDX_HOST_STEP_SYS_INIT,
				ktime_get_ns() - t0 + tdx_model_owed_ns());
		sysinit_done = true;
	}
	ret = sysinit_err;
	*status = sysinit_status;
	raw_spin_unlock(&sysinit_lock);
	return ret;
}

static int seam_cpu_enable(struct tdxctl_cpu_result *res)
{
	struct seam_args args = {};
	u64 t0;
	int ret;

	ret = try_init_module_global(&res->tdx_status);
	if (ret) {
		res->step = TDX_HOST_STEP_SYS_INIT;
		return ret;
	}

	t0 = ktime_get_ns();
	ret = seam_call(TDH_SYS_LP_INIT, &args, &res->tdx_status);
	/* interrupts are off: the modelled cost is owed, not waited for */
	tdxctl_step_add(TDX_HOST_STEP_LP_INIT,
			ktime_get_ns() - t0 + tdx_model_owed_ns());
	if (ret)
		res->step = TDX_HOST_STEP_LP_INIT;
	return ret;
}

static bool seam_sysinit_result(int *err, u64 *status)
{
	unsigned long flags;
	bool done;

	raw_spin_lock_irqsave(&sysinit_lock, flags);
	done = sysinit_done;
	*err = sysinit_err;
	*status = sysinit_status;
	raw_spin_unlock_irqrestore(&sysinit_lock, flags);
	return done;
}

static int read_field(u64 id, u64 *val, u64 *status)
{
	struct seam_args args = { .rdx = id };
	int ret;

	ret = seam_call(TDH_SYS_RD, &args, status);
	if (!ret)
		*val = args.r8;
	return ret;
}

static int read_sysinfo(struct seam_sysinfo *si, u64 *status)
{
	static const struct {
		u64 id;
		size_t off;
		size_t len;
	} fields[] = {
#define F(id, m) { MD_FIELD_ID_##id, offsetof(struct seam_sysinfo, m), \
		   sizeof_field(struct seam_sysinfo, m) }
		F(VENDOR_ID, vendor_id),
		F(MAJOR_VERSION, major),
		F(MINOR_VERSION, minor),
		F(UPDATE_VERSION, update),
		F(INTERNAL_VERSION, internal),
		F(BUILD_DATE, build_date),
		F(BUILD_NUM, build_num),
		F(TDX_FEATURES0, features0),
		F(NUM_PKGS, num_pkgs),
		F(MAX_TDMRS, max_tdmrs),
		F(MAX_RESERVED_PER_TDMR, max_reserved_per_tdmr),
		F(PAMT_4K_ENTRY_SIZE, pamt_entry_size[0]),
		F(PAMT_2M_ENTRY_SIZE, pamt_entry_size[1]),
		F(PAMT_1G_ENTRY_SIZE, pamt_entry_size[2]),
#undef F
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		void *dst = (u8 *)si + fields[i].off;
		u64 val;

		ret = read_field(fields[i].id, &val, status);
		if (ret)
			return ret;
		switch (fields[i].len) {
		case 2:
			*(u16 *)dst = val;
			break;
		case 4:
			*(u32 *)dst = val;
			break;
		default:
			*(u64 *)dst = val;
			break;
		}
	}
	return 0;
}

static int do_key_config(void *status)
{
	struct seam_args args = {};

	return seam_call(TDH_SYS_KEY_CONFIG, &args, status);
}

/*
 * Flush caches, then TDH.SYS.KEY.CONFIG on one CPU of each package,
 * serially.  The packages done are kept by physical package id, which
 * need not be below nr_cpu_ids: an xarray takes any id.
 */
static int config_global_keyid(u64 *status)
{
	struct xarray done;
	unsigned int cpu;
	int ret = 0;

	xa_init(&done);
	wbinvd_on_all_cpus();
	for_each_online_cpu(cpu) {
		unsigned long pkg = topology_physical_package_id(cpu);

		if (xa_load(&done, pkg))
			continue;
		ret = xa_err(xa_store(&done, pkg, xa_mk_value(1), GFP_KERNEL));
		if (ret)
			break;
		ret = smp_call_on_cpu(cpu, do_key_config, status, true);
		if (ret)
			break;
	}
	xa_destroy(&done);
	return ret;
}

/*
 * TDH.SYS.TDMR.INIT returns in RDX the next address to initialize, rounded
 * down to 1 GiB: it may stay the same for many calls (TDX 1.5 does 4 MiB
 * a call, 256 calls per GiB), but never for more calls than there are
 * pages in a GiB, and it never goes back.
 */
#define TDMR_INIT_MAX_STALL	(TDMR_ALIGNMENT >> PAGE_SHIFT)

static int init_tdmr(struct tdmr_info *t, u64 *status)
{
	u64 end = t->base + t->size, next = t->base;
	unsigned long stalled = 0;
	int ret;

	while (next < end) {
		struct seam_args args = { .rcx = t->base };

		ret = seam_call(TDH_SYS_TDMR_INIT, &args, status);
		if (ret)
			return ret;
		if (args.rdx < next ||
		    (args.rdx == next && ++stalled > TDMR_INIT_MAX_STALL)) {
			pr_err("TDMR [0x%llx, 0x%llx): TDH.SYS.TDMR.INIT made no progress: next 0x%llx after 0x%llx, %lu calls\n",
			       t->base, end, args.rdx, next, stalled);
			return -EPROTO;
		}
		if (args.rdx > next)
			stalled = 0;
		next = args.rdx;
		/* resumable: the TDX module keeps this TDMR's cursor */
		if (next < end && fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/* From the first TDMR not done: a fatal signal only pauses the loop */
static int init_tdmrs(struct tdmr_list *tl, u64 *status)
{
	int ret;

	for (; seam_tdmrs_done < tl->nr; seam_tdmrs_done++) {
		ret = init_tdmr(tdmr_entry(tl, seam_tdmrs_done), status);
		if (ret)
			return ret;
	}
	return 0;
}

#define STEP(s, expr) ({					\
	u64 __t0 = ktime_get_ns();				\
	int __ret;						\
								\
	res->step = TDX_HOST_STEP_##s;				\
	__ret = (expr);						\
	tdxctl_step_add(TDX_HOST_STEP_##s, ktime_get_ns() - __t0); \
	__ret;							\
})

/* After a failure: the TDMRs and PAMTs go, flushed first if configured */
/* CMRs as the TDX module reports them: ascending, disjoint, unused skipped */
#define SEAM_MAX_CMRS	32

struct seam_cmr {
	u64 base;
	u64 size;
};

static int read_cmrs(struct seam_cmr *cmr, unsigned int *nr, u64 *status)
{
	u64 num, base, size;
	unsigned int i;
	int ret;

	*nr = 0;
	ret = read_field(MD_FIELD_ID_NUM_CMRS, &num, status);
	for (i = 0; !ret && i < min_t(u64, num, SEAM_MAX_CMRS); i++) {
		ret = read_field(MD_FIELD_ID_CMR_BASE0 + i, &base, status);
		if (!ret)
			ret = read_field(MD_FIELD_ID_CMR_SIZE0 + i, &size, status);
		if (!ret && size)
			cmr[(*nr)++] = (struct seam_cmr){ base, size };
	}
	return ret;
}

static bool in_cmrs(const struct seam_cmr *cmr, unsigned int nr, u64 start,
		    u64 end)
{
	unsigned int i;

	for (i = 0; i < nr && start < end; i++)
		if (start >= cmr[i].base && start < cmr[i].base + cmr[i].size)
			start = min(cmr[i].base + cmr[i].size, end);
	return start >= end;
}

/*
 * Before TDH.SYS.CONFIG, whose failure is sticky: memory that came after
 * the CMRs were made (onlined after the emulated platform loaded, as
 * memory added after boot is outside a BIOS's CMRs), or a PAMT or
 * TDMR_INFO the allocator put there, would make it fail.  Refused here,
 * nothing changed: -ERANGE.
 */
static int cmr_check(struct tdmr_list *tl, u64 *status)
{
	struct seam_cmr *cmr;
	unsigned int nr, i, k;
	u64 s, e;
	int ret;

	cmr = kcalloc(SEAM_MAX_CMRS, sizeof(*cmr), GFP_KERNEL);
	if (!cmr)
		return -ENOMEM;
	ret = read_cmrs(cmr, &nr, status);
	if (ret)
		goto out;
	ret = -ERANGE;
	for (i = 0; i < tl->nr_mem; i++) {
		if (!in_cmrs(cmr, nr, tl->mem[i].start, tl->mem[i].end)) {
			pr_err("memory [0x%llx, 0x%llx) is outside the CMRs (it came after they were made, as memory added after boot): refused before TDH.SYS.CONFIG, nothing changed\n",
			       tl->mem[i].start, tl->mem[i].end);
			goto out;
		}
	}
	for (i = 0; i < tl->nr; i++) {
		for (k = 0; k < 2; k++) {
			if (!tl->pamt[i].page[k])
				continue;
			s = page_to_phys(tl->pamt[i].page[k]);
			e = s + ((u64)tl->pamt[i].npages[k] << PAGE_SHIFT);
			if (!in_cmrs(cmr, nr, s, e)) {
				pr_err("TDMR %u: its PAMT [0x%llx, 0x%llx) is outside the CMRs: refused before TDH.SYS.CONFIG, nothing changed\n",
				       i, s, e);
				goto out;
			}
		}
	}
	s = virt_to_phys(tl->infos);
	e = virt_to_phys(tl->pa_array);
	if (!in_cmrs(cmr, nr, s, s + tl->infos_size) ||
	    !in_cmrs(cmr, nr, e, e + tl->nr * sizeof(u64))) {
		pr_err("the TDMR_INFO array is outside the CMRs: refused before TDH.SYS.CONFIG, nothing changed\n");
		goto out;
	}
	ret = 0;
out:
	kfree(cmr);
	return ret;
}

static void seam_enable_failed(int ret, bool configured)
{
	/* the PAMTs may be the TDX module's: flush before freeing them */
	if (configured) {
		wbinvd_on_all_cpus();
		tdx_model_forget_tdmrs();
	}
	mutex_lock(&seam_lock);
	tdmr_free(&seam_tdmrs);
	mutex_unlock(&seam_lock);
	corrupt_free();
	pr_err("module initialization failed (%d)\n", ret);
}

static int seam_module_enable(struct tdxctl_result *res)
{
	struct seam_sysinfo si = {};
	struct seam_args args;
	bool configured = false;
	u32 first, count;
	int ret;

	/* CPU hotplug is held off by the caller (cpus_read_lock) */
	tdx_model_keyids(&first, &count);
	seam_tdmrs_done = 0;

	ret = STEP(SYS_RD, read_sysinfo(&si, &res->tdx_status));
	if (ret)
		goto fail;
	mutex_lock(&seam_lock);
	seam_info = si;
	seam_info_valid = true;
	mutex_unlock(&seam_lock);
	pr_info("Module version: %u.%u.%02u\n", si.major, si.minor, si.update);
	if (!(si.features0 & TDX_FEATURES0_NO_RBP_MOD)) {
		pr_err("frame pointer (RBP) clobber bug present, upgrade TDX module\n");
		ret = -EOPNOTSUPP;
		goto fail;
	}

	mutex_lock(&seam_lock);
	ret = STEP(TDMR_BUILD, tdmr_build(&seam_tdmrs, &si));
	mutex_unlock(&seam_lock);
	if (!ret)
		ret = STEP(TDMR_BUILD, cmr_check(&seam_tdmrs, &res->tdx_status));
	if (ret)
		goto fail;

	args = (struct seam_args) {
		.rcx = virt_to_phys(seam_tdmrs.pa_array),
		.rdx = seam_tdmrs.nr,
		.r8 = first,
	};
	corrupt_config(&seam_tdmrs, &args);
	/* the TDX module's once-only rules start here */
	res->sticky = true;
	ret = STEP(CONFIG, seam_call(TDH_SYS_CONFIG, &args, &res->tdx_status));
	if (ret)
		goto fail;
	configured = true;

	ret = STEP(KEY_CONFIG, config_global_keyid(&res->tdx_status));
	if (ret)
		goto fail;
	return 0;

fail:
	seam_enable_failed(ret, configured);
	return ret;
}

/* TDH.SYS.TDMR.INIT of every TDMR; CPU hotplug may run meanwhile */
static int seam_module_finish(struct tdxctl_result *res)
{
	int ret;

	ret = STEP(TDMR_INIT, init_tdmrs(&seam_tdmrs, &res->tdx_status));
	if (ret == -EINTR) {
		/* TDMRs and PAMTs stay the TDX module's; it goes on later */
		pr_info("TDH.SYS.TDMR.INIT stopped by a fatal signal after %u of %u TDMRs: resumable\n",
			seam_tdmrs_done, seam_tdmrs.nr);
		res->resumable = true;
		return ret;
	}
	if (ret) {
		seam_enable_failed(ret, true);
		return ret;
	}

	mutex_lock(&seam_lock);
	seam_tdmrs_valid = true;
	mutex_unlock(&seam_lock);
	res->step = TDX_HOST_STEP_NONE;
	res->tdx_status = 0;
	pr_info("%llu KB allocated for PAMT\n", seam_tdmrs.pamt_bytes >> 10);
	pr_info("module initialized\n");
	return 0;
}

/* ---- TDX module update (seamldr.c runs it, inside stop_machine) ---- */

/* A SEAMCALL of the update path: TDH.SYS.SHUTDOWN, P-SEAMLDR, UPDATE */
u64 seam_seamcall(u64 leaf, struct seam_args *args)
{
	return seamcall(leaf, args);
}

/*
 * After TDH.SYS.SHUTDOWN the next module needs global init again: forget
 * the cached TDH.SYS.INIT result (upstream clears its module state and
 * every CPU's per-CPU init flag the same way).  Interrupts off.
 */
void seam_update_forget_init(void)
{
	raw_spin_lock(&sysinit_lock);
	sysinit_done = false;
	sysinit_err = 0;
	sysinit_status = 0;
	raw_spin_unlock(&sysinit_lock);
}

/*
 * Global init once, then per-CPU init of this CPU, for the updated
 * module; interrupts off.  Not timed: the step times status shows stay
 * those of module enable.
 */
int seam_update_cpu_init(u64 *status)
{
	struct seam_args args = {};
	int ret;

	lockdep_assert_irqs_disabled();
	raw_spin_lock(&sysinit_lock);
	if (!sysinit_done) {
		sysinit_err = seam_call(TDH_SYS_INIT, &args, &sysinit_status);
		sysinit_done = true;
	}
	ret = sysinit_err;
	*status = sysinit_status;
	raw_spin_unlock(&sysinit_lock);
	if (!ret) {
		args = (struct seam_args){};
		ret = seam_call(TDH_SYS_LP_INIT, &args, status);
	}
	tdx_model_owed_ns();
	return ret;
}

/* The updated module's metadata (version) is what status shows now */
int seam_update_refresh(void)
{
	struct seam_sysinfo si;
	u64 status;
	int ret;

	ret = read_sysinfo(&si, &status);
	mutex_lock(&seam_lock);
	if (!ret)
		seam_info = si;
	seam_info_valid = !ret;
	mutex_unlock(&seam_lock);
	return ret;
}

static void seam_fill_status(struct tdx_host_status *st)
{
	u32 first, count;

	tdx_model_keyids(&first, &count);
	st->global_keyid = first;
	st->guest_keyid_first = first + 1;
	st->guest_keyid_count = count - 1;
	st->valid |= TDX_HOST_STATUS_KEYID_INFO | TDX_HOST_STATUS_GUEST_KEYIDS;

	mutex_lock(&seam_lock);
	if (seam_info_valid) {
		st->version_major = seam_info.major;
		st->version_minor = seam_info.minor;
		st->version_update = seam_info.update;
		st->version_internal = seam_info.internal;
		st->build_date = seam_info.build_date;
		st->build_num = seam_info.build_num;
		st->features0 = seam_info.features0;
		st->max_tdmrs = seam_info.max_tdmrs;
		st->valid |= TDX_HOST_STATUS_MODULE_INFO |
			     TDX_HOST_STATUS_MODULE_CAPS;
	}
	if (seam_tdmrs_valid) {
		st->nr_tdmrs = seam_tdmrs.nr;
		st->pamt_kb = seam_tdmrs.pamt_bytes >> 10;
		st->tdx_memory_kb = seam_tdmrs.covered >> 10;
		st->valid |= TDX_HOST_STATUS_TDMR_INFO;
	}
	mutex_unlock(&seam_lock);
}

void seam_show_tdmrs(struct seq_file *m)
{
	mutex_lock(&seam_lock);
	tdmr_show(m, &seam_tdmrs);
	mutex_unlock(&seam_lock);
}

static unsigned int seam_lp_count(void)
{
	return tdx_model_lp_count();
}

static unsigned int seam_nr_packages(void)
{
	return tdx_model_nr_packages();
}

int seam_init(void)
{
	u32 first, count;
	int ret;

	sysinit_done = false;
	sysinit_err = 0;
	sysinit_status = 0;
	corrupt_page = NULL;
	corrupt_next[0] = '\0';
	seam_info_valid = false;
	seam_tdmrs_valid = false;
	seam_tdmrs_done = 0;
	memset(&seam_tdmrs, 0, sizeof(seam_tdmrs));

	ret = tdmr_init();
	if (ret)
		return ret;
	ret = tdx_model_init();
	if (ret) {
		tdmr_exit();
		return ret;
	}
	emu_debugfs_init();

	tdx_model_keyids(&first, &count);
	pr_info("emulated TDX module: private KeyID range [%u, %u), %u logical CPUs, %u packages\n",
		first, first + count,
		tdx_model_lp_count(), tdx_model_nr_packages());
	return 0;
}

void seam_exit(void)
{
	int buffers;
	u64 pamt;

	emu_debugfs_exit();
	/* the emulated TDX module goes away with the driver, and its PAMTs */
	mutex_lock(&seam_lock);
	tdmr_free(&seam_tdmrs);
	mutex_unlock(&seam_lock);
	corrupt_free();
	tdx_model_exit();
	tdmr_exit();

	pamt = tdmr_pamt_allocated();
	buffers = atomic_read(&seam_buffers);
	if (pamt || buffers)
		pr_err("leak at unload: %llu bytes of PAMT and %d buffers still allocated\n",
		       pamt, buffers);
}

const struct tdxctl_backend seam_backend = {
	.name		= "emulated",
	.id		= TDX_HOST_BACKEND_EMULATED,
	.owner		= THIS_MODULE,
	.reports	= TDX_HOST_STATUS_MODULE_INFO |
			  TDX_HOST_STATUS_TDMR_INFO |
			  TDX_HOST_STATUS_KEYID_INFO |
			  TDX_HOST_STATUS_MODULE_CPUS |
			  TDX_HOST_STATUS_STEP_TIMES |
			  TDX_HOST_STATUS_TDX_ERRORS |
			  TDX_HOST_STATUS_MODULE_CAPS |
			  TDX_HOST_STATUS_GUEST_KEYIDS,
	.cpu_enable	= seam_cpu_enable,
	.sysinit_result	= seam_sysinit_result,
	.module_enable	= seam_module_enable,
	.module_finish	= seam_module_finish,
	.lp_count	= seam_lp_count,
	.nr_packages	= seam_nr_packages,
	.fill_status	= seam_fill_status,
};
