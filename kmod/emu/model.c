// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - the emulated TDX module: a software implementation of the
 * SEAMCALL host ABI for host initialization, faithful to the TDX 1.5
 * module: the global sys_state machine (SYSINIT_PENDING -> SYSINIT_DONE
 * -> SYSCONFIG_DONE -> SYS_READY), per-LP init flags, per-package key
 * configuration, per-TDMR init cursors, the dispatcher gates in the
 * module's order, the out-of-order status codes, TDMR/PAMT validation at
 * TDH.SYS.CONFIG against CMRs taken from the machine's RAM, metadata by
 * field ID, a try-lock global lock (TDX_SYS_BUSY), a per-leaf cost model
 * and fault injection.
 *
 * Everything is protected by one raw spinlock taken with interrupts off:
 * callers run in IPI context, cpuhp callbacks and process context alike.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/topology.h>

#include "seam.h"

#define MODEL_MAX_TDMRS		64
#define MODEL_MAX_RSV		16
#define MODEL_MAX_CMRS		32
#define MODEL_MAX_PKGS		64
#define MODEL_MAX_RULES		16
#define MODEL_PAMT_ENTRY_SIZE	16
#define MODEL_NUM_CPUID_CONFIG	2
#define MODEL_LEAF_SLOTS	128	/* leaves 0..126 by number, 127: others */
#define MODEL_TDMR_INFO_SIZE	(64 + 16 * MODEL_MAX_RSV)
#define MODEL_MAX_LATENCY_US	10000000	/* 10 s per SEAMCALL at most */
#define MODEL_MODULE_HV		1	/* handoff version this module writes */
#define MODEL_MIN_UPDATE_HV	1	/* oldest handoff version it reads */

/* TDX 1.5 features0 bits reported by default (NO_RBP_MOD etc.) */
#define MODEL_DEFAULT_FEATURES0	0x1f0f3aULL

/* ---- parameters of the emulated platform and TDX module ---- */

static unsigned int lp_count;
module_param(lp_count, uint, 0444);
MODULE_PARM_DESC(lp_count, "logical CPUs the TDX module counted at boot (default: present CPUs at load)");

static char *keyids = "16,48";
module_param(keyids, charp, 0444);
MODULE_PARM_DESC(keyids, "TDX private KeyIDs as FIRST,COUNT (default 16,48: [16, 64))");

static char *module_version = "1.5.08";
module_param(module_version, charp, 0444);
MODULE_PARM_DESC(module_version, "TDX module version MAJOR.MINOR.UPDATE[.INTERNAL] (default 1.5.08)");

static uint build_date = 20250312;
module_param(build_date, uint, 0444);
MODULE_PARM_DESC(build_date, "TDX module build date YYYYMMDD");

static ushort build_num = 744;
module_param(build_num, ushort, 0444);
MODULE_PARM_DESC(build_num, "TDX module build number");

static unsigned long long features0 = MODEL_DEFAULT_FEATURES0;
module_param(features0, ullong, 0444);
MODULE_PARM_DESC(features0, "TDX_FEATURES0 metadata (bit 18 NO_RBP_MOD is required)");

static ushort max_tdmrs = MODEL_MAX_TDMRS;
module_param(max_tdmrs, ushort, 0444);
MODULE_PARM_DESC(max_tdmrs, "MAX_TDMRS of the TDX module, 1 to 64 (default 64)");

static char *seamldr_version = "1.5.02";
module_param(seamldr_version, charp, 0444);
MODULE_PARM_DESC(seamldr_version, "P-SEAMLDR version MAJOR.MINOR.UPDATE (default 1.5.02)");

static uint seamldr_updates = 8;
module_param(seamldr_updates, uint, 0444);
MODULE_PARM_DESC(seamldr_updates, "TDX module updates the P-SEAMLDR allows at load (num_remaining_updates; default 8)");

/* updates the P-SEAMLDR still allows (debugfs seamldr_updates sets it) */
u32 tdx_model_ldr_updates;

static char *latency_us = "";
module_param(latency_us, charp, 0444);
MODULE_PARM_DESC(latency_us, "modelled cost per SEAMCALL in microseconds, LEAF=US[,LEAF=US...] (LEAF: name or number; at most 10 s; slept in task context, only accounted with interrupts off)");

/* ---- model state ---- */

enum model_sys_state {
	SYSINIT_PENDING,
	SYSINIT_DONE,
	SYSCONFIG_DONE,
	SYS_READY,
	SYS_SHUTDOWN,
};

static const char * const model_state_names[] = {
	"sysinit_pending", "sysinit_done", "sysconfig_done", "sys_ready",
	"sys_shutdown",
};

enum { PAMT_4K, PAMT_2M, PAMT_1G, PAMT_NR };

struct model_tdmr {
	u64 base;
	u64 size;
	u64 pamt_base[PAMT_NR];
	u64 pamt_size[PAMT_NR];
	struct tdmr_reserved_area rsv[MODEL_MAX_RSV];
	unsigned int nr_rsv;
	u64 cursor;		/* next address TDMR.INIT initializes */
	bool busy;		/* a TDMR.INIT is running on it */
};

struct model_rule {
	unsigned int leaf;
	u64 status;
	int cpu;		/* -1: any */
	unsigned int count;	/* 0: every call */
	unsigned int skip;	/* calls let through first */
};

static const struct {
	unsigned int leaf;
	const char *name;
} leaf_names[] = {
	{ TDH_SYS_KEY_CONFIG,	"key_config" },
	{ TDH_SYS_INFO,		"sys_info" },
	{ TDH_SYS_INIT,		"sys_init" },
	{ TDH_SYS_RD,		"sys_rd" },
	{ TDH_SYS_LP_INIT,	"lp_init" },
	{ TDH_SYS_TDMR_INIT,	"tdmr_init" },
	{ TDH_SYS_RDALL,	"sys_rdall" },
	{ TDH_SYS_LP_SHUTDOWN,	"lp_shutdown" },
	{ TDH_SYS_CONFIG,	"config" },
	{ TDH_SYS_SHUTDOWN,	"shutdown" },
	{ TDH_SYS_UPDATE,	"update" },
	{ TDH_SYS_DISABLE,	"disable" },
};

#define NR_LEAF_NAMES	ARRAY_SIZE(leaf_names)

static struct {
	raw_spinlock_t lock;
	enum model_sys_state state;
	int glock;			/* global lock: 0 free, -1 excl, >0 shared */
	unsigned long *lp_init;		/* lp_is_init, by CPU number */
	unsigned int num_lps;
	unsigned int num_init_lps;
	unsigned int nr_pkgs;
	u32 pkg_id[MODEL_MAX_PKGS];
	u64 pkg_config_bitmap;
	struct { u64 base, size; } cmr[MODEL_MAX_CMRS];
	unsigned int nr_cmrs;
	struct model_tdmr *tdmrs;	/* configured */
	struct model_tdmr *staging;	/* CONFIG input being validated */
	unsigned int nr_tdmrs;
	u16 hkid;
	u16 major, minor, update, internal;
	u16 min_update;			/* oldest TD-preserving start */
	u16 ldr_major, ldr_minor, ldr_update;
	bool installing;		/* P-SEAMLDR.INSTALL ran since SHUTDOWN */
	bool handoff;			/* handoff data awaits TDH.SYS.UPDATE */
	u32 first_keyid, nr_keyids;
	u64 calls[MODEL_LEAF_SLOTS];
	u32 *cpu_calls;			/* [cpu][leaf_names index] */
	struct model_rule rules[MODEL_MAX_RULES];
	unsigned int nr_rules;
	unsigned int latency[MODEL_LEAF_SLOTS];
} model = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(model.lock),
};

const char *tdx_leaf_name(unsigned int leaf)
{
	unsigned int i;

	for (i = 0; i < NR_LEAF_NAMES; i++)
		if (leaf_names[i].leaf == leaf)
			return leaf_names[i].name;
	return NULL;
}

static int leaf_name_index(unsigned int leaf)
{
	unsigned int i;

	for (i = 0; i < NR_LEAF_NAMES; i++)
		if (leaf_names[i].leaf == leaf)
			return i;
	return -1;
}

int tdx_leaf_parse(const char *s, unsigned int *leaf)
{
	unsigned int i;

	for (i = 0; i < NR_LEAF_NAMES; i++) {
		if (!strcmp(s, leaf_names[i].name)) {
			*leaf = leaf_names[i].leaf;
			return 0;
		}
	}
	/* a number is taken whole: RAX bits above the leaf reach the gates */
	return kstrtouint(s, 0, leaf);
}

static unsigned int leaf_slot(unsigned int leaf)
{
	return leaf < MODEL_LEAF_SLOTS - 1 ? leaf : MODEL_LEAF_SLOTS - 1;
}

static int pkg_index(unsigned int cpu)
{
	u32 id = topology_physical_package_id(cpu);
	unsigned int i;

	for (i = 0; i < model.nr_pkgs; i++)
		if (model.pkg_id[i] == id)
			return i;
	return -1;
}

/* ---- the modelled global lock (a try-lock: contention is SYS_BUSY) ---- */

static bool glock_try(int mode)
{
	if (mode < 0 ? model.glock != 0 : model.glock < 0)
		return false;
	model.glock += mode;
	return true;
}

/* ---- ranges ---- */

/* [start, end) fully covered by the CMRs (ascending, disjoint) */
static bool in_cmrs(u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < model.nr_cmrs && start < end; i++) {
		u64 cb = model.cmr[i].base, ce = cb + model.cmr[i].size;

		if (ce <= start)
			continue;
		if (cb > start)
			return false;
		start = ce;
	}
	return start >= end;
}

static bool overlap(u64 a, u64 asz, u64 b, u64 bsz)
{
	return asz && bsz && a < b + bsz && b < a + asz;
}

/*
 * Does [start, start + size) touch memory of @t that is not reserved?
 * Reserved areas are validated ascending and disjoint before this runs.
 */
static bool hits_available(const struct model_tdmr *t, u64 start, u64 size)
{
	u64 pos = t->base;
	unsigned int i;

	for (i = 0; i <= t->nr_rsv; i++) {
		u64 next = i < t->nr_rsv ? t->base + t->rsv[i].offset :
			   t->base + t->size;

		if (overlap(start, size, pos, next - pos))
			return true;
		if (i < t->nr_rsv)
			pos = next + t->rsv[i].size;
	}
	return false;
}

/* All memory of @t that is not reserved is inside the CMRs */
static bool available_in_cmrs(const struct model_tdmr *t)
{
	u64 pos = t->base;
	unsigned int i;

	for (i = 0; i <= t->nr_rsv; i++) {
		u64 next = i < t->nr_rsv ? t->base + t->rsv[i].offset :
			   t->base + t->size;

		if (next > pos && !in_cmrs(pos, next))
			return false;
		if (i < t->nr_rsv)
			pos = next + t->rsv[i].size;
	}
	return true;
}

static u64 pamt_min_size(const struct model_tdmr *t, int part)
{
	static const unsigned int shift[PAMT_NR] = { 12, 21, 30 };

	return (t->size >> shift[part]) * MODEL_PAMT_ENTRY_SIZE;
}

/* Read the TDMR_INFOs named by the CONFIG input into model.staging */
static u64 config_read(u64 pa_array, unsigned int nr)
{
	unsigned int i, j;
	u64 *pas;

	if (pa_array % TDMR_PA_ARRAY_ALIGNMENT ||
	    !in_cmrs(pa_array, pa_array + nr * sizeof(u64)))
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RCX;
	pas = __va(pa_array);

	for (i = 0; i < nr; i++) {
		struct model_tdmr *t = &model.staging[i];
		const struct tdmr_info *ti;
		u64 pa = pas[i];

		if (pa % TDMR_INFO_ALIGNMENT ||
		    !in_cmrs(pa, pa + MODEL_TDMR_INFO_SIZE))
			return SEAM_ST(TDX_OPERAND_INVALID) |
			       TDX_OPERAND_ID_TDMR_INFO_PA;
		ti = __va(pa);
		memset(t, 0, sizeof(*t));
		t->base = ti->base;
		t->size = ti->size;
		t->pamt_base[PAMT_4K] = ti->pamt_4k_base;
		t->pamt_size[PAMT_4K] = ti->pamt_4k_size;
		t->pamt_base[PAMT_2M] = ti->pamt_2m_base;
		t->pamt_size[PAMT_2M] = ti->pamt_2m_size;
		t->pamt_base[PAMT_1G] = ti->pamt_1g_base;
		t->pamt_size[PAMT_1G] = ti->pamt_1g_size;
		for (j = 0; j < MODEL_MAX_RSV; j++) {
			if (!ti->reserved_areas[j].size)
				break;
			t->rsv[j] = ti->reserved_areas[j];
		}
		t->nr_rsv = j;
		t->cursor = t->base;
	}
	return 0;
}

/* TDH.SYS.CONFIG's layout checks, in the order the TDX module makes them */
static u64 config_validate(unsigned int nr)
{
	const u64 max_pa = 1ULL << 52;
	unsigned int i, j, k, p, q;

	for (i = 0; i < nr; i++) {
		struct model_tdmr *t = &model.staging[i];
		u64 prev_end = 0;

		if (!t->size || t->base % TDMR_ALIGNMENT ||
		    t->size % TDMR_ALIGNMENT || t->base >= max_pa ||
		    t->size > max_pa - t->base)
			return SEAM_ST(TDX_INVALID_TDMR) | i;
		if (i && t->base < model.staging[i - 1].base +
				   model.staging[i - 1].size)
			return SEAM_ST(TDX_NON_ORDERED_TDMR) | i;

		for (j = 0; j < t->nr_rsv; j++) {
			const struct tdmr_reserved_area *r = &t->rsv[j];

			if (r->offset % PAGE_SIZE || r->size % PAGE_SIZE ||
			    r->offset >= t->size ||
			    r->size > t->size - r->offset)
				return SEAM_ST(TDX_INVALID_RESERVED_IN_TDMR) | i;
			if (j && r->offset < prev_end)
				return SEAM_ST(TDX_NON_ORDERED_RESERVED_IN_TDMR) | i;
			prev_end = r->offset + r->size;
		}

		for (p = 0; p < PAMT_NR; p++) {
			if (t->pamt_base[p] % PAGE_SIZE ||
			    t->pamt_size[p] % PAGE_SIZE ||
			    t->pamt_size[p] < pamt_min_size(t, p))
				return SEAM_ST(TDX_INVALID_PAMT) | i;
		}
		if (!available_in_cmrs(t))
			return SEAM_ST(TDX_TDMR_OUTSIDE_CMRS) | i;
		for (p = 0; p < PAMT_NR; p++) {
			if (!in_cmrs(t->pamt_base[p],
				     t->pamt_base[p] + t->pamt_size[p]))
				return SEAM_ST(TDX_PAMT_OUTSIDE_CMRS) | i;
		}
	}

	/* PAMTs overlap neither each other nor memory a TDMR makes usable */
	for (i = 0; i < nr; i++) {
		struct model_tdmr *t = &model.staging[i];

		for (p = 0; p < PAMT_NR; p++) {
			u64 b = t->pamt_base[p], s = t->pamt_size[p];

			for (k = 0; k < nr; k++) {
				struct model_tdmr *u = &model.staging[k];

				if (hits_available(u, b, s))
					return SEAM_ST(TDX_PAMT_OVERLAP) | i;
				for (q = 0; q < PAMT_NR; q++) {
					if ((k != i || q != p) &&
					    overlap(b, s, u->pamt_base[q],
						    u->pamt_size[q]))
						return SEAM_ST(TDX_PAMT_OVERLAP) | i;
				}
			}
		}
	}
	return 0;
}

/* ---- leaves ---- */

static u64 leaf_sys_init(struct seam_args *a, int *hold)
{
	if (!glock_try(-1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = -1;
	if (model.state != SYSINIT_PENDING)
		return SEAM_ST(TDX_SYS_INIT_NOT_PENDING);
	if (a->rcx)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RCX;
	model.state = SYSINIT_DONE;
	a->rcx = 0;
	a->rdx = 0;
	a->r8 = 0;
	a->r9 = 0;
	a->r10 = 0;
	return 0;
}

static u64 leaf_lp_init(unsigned int cpu, struct seam_args *a, int *hold)
{
	if (!glock_try(1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = 1;
	if (model.state != SYSINIT_DONE)
		return SEAM_ST(TDX_SYS_LP_INIT_NOT_PENDING);
	if (test_bit(cpu, model.lp_init))
		return SEAM_ST(TDX_SYS_LP_INIT_DONE);
	__set_bit(cpu, model.lp_init);
	model.num_init_lps++;
	a->rcx = 0;
	a->rdx = 0;
	a->r8 = 0;
	return 0;
}

/* Global metadata, in field ID order of the TDX module's lookup table */
static const struct {
	u64 id;
	unsigned int count;
} md_fields[] = {
	{ MD_FIELD_ID_NUM_PKGS, 1 },
	{ MD_FIELD_ID_VENDOR_ID, 1 },
	{ MD_FIELD_ID_BUILD_DATE, 1 },
	{ MD_FIELD_ID_BUILD_NUM, 1 },
	{ MD_FIELD_ID_MINOR_VERSION, 1 },
	{ MD_FIELD_ID_MAJOR_VERSION, 1 },
	{ MD_FIELD_ID_UPDATE_VERSION, 1 },
	{ MD_FIELD_ID_INTERNAL_VERSION, 1 },
	{ MD_FIELD_ID_MODULE_HV, 1 },
	{ MD_FIELD_ID_MIN_UPDATE_HV, 1 },
	{ MD_FIELD_ID_SYS_ATTRIBUTES, 1 },
	{ MD_FIELD_ID_NUM_TDX_FEATURES, 1 },
	{ MD_FIELD_ID_TDX_FEATURES0, 1 },
	{ MD_FIELD_ID_NUM_CMRS, 1 },
	{ MD_FIELD_ID_CMR_BASE0, MODEL_MAX_CMRS },
	{ MD_FIELD_ID_CMR_SIZE0, MODEL_MAX_CMRS },
	{ MD_FIELD_ID_MAX_TDMRS, 1 },
	{ MD_FIELD_ID_MAX_RESERVED_PER_TDMR, 1 },
	{ MD_FIELD_ID_PAMT_4K_ENTRY_SIZE, 1 },
	{ MD_FIELD_ID_PAMT_2M_ENTRY_SIZE, 1 },
	{ MD_FIELD_ID_PAMT_1G_ENTRY_SIZE, 1 },
	{ MD_FIELD_ID_TDR_BASE_SIZE, 1 },
	{ MD_FIELD_ID_TDCS_BASE_SIZE, 1 },
	{ MD_FIELD_ID_TDVPS_BASE_SIZE, 1 },
	{ MD_FIELD_ID_ATTRIBUTES_FIXED0, 1 },
	{ MD_FIELD_ID_ATTRIBUTES_FIXED1, 1 },
	{ MD_FIELD_ID_XFAM_FIXED0, 1 },
	{ MD_FIELD_ID_XFAM_FIXED1, 1 },
	{ MD_FIELD_ID_NUM_CPUID_CONFIG, 1 },
	{ MD_FIELD_ID_MAX_VCPUS_PER_TD, 1 },
	{ MD_FIELD_ID_CPUID_CONFIG_LEAVES, MODEL_NUM_CPUID_CONFIG },
	{ MD_FIELD_ID_CPUID_CONFIG_VALUES, 2 * MODEL_NUM_CPUID_CONFIG },
};

/*
 * The TD-related values are the model's own, of the sizes a TDX 1.5
 * module reports: what the kernel reads and keeps, never interprets here.
 * CPUID configuration: leaf (low 32 bits) and sub-leaf (high; all ones:
 * none) of each configurable CPUID leaf, then two value masks per leaf.
 */
static const u64 model_cpuid_leaves[MODEL_NUM_CPUID_CONFIG] = {
	0xffffffff00000001ULL, 0x0000000000000007ULL,
};

static const u64 model_cpuid_values[2 * MODEL_NUM_CPUID_CONFIG] = {
	0x00000000ffffffffULL, 0xffffffffffffffffULL,
	0x00000000ffffffffULL, 0x0000000000000000ULL,
};

static u64 md_value(u64 id, unsigned int idx)
{
	switch (id) {
	case MD_FIELD_ID_NUM_PKGS:		return model.nr_pkgs;
	case MD_FIELD_ID_VENDOR_ID:		return 0x8086;
	case MD_FIELD_ID_BUILD_DATE:		return build_date;
	case MD_FIELD_ID_BUILD_NUM:		return build_num;
	case MD_FIELD_ID_MINOR_VERSION:		return model.minor;
	case MD_FIELD_ID_MAJOR_VERSION:		return model.major;
	case MD_FIELD_ID_UPDATE_VERSION:	return model.update;
	case MD_FIELD_ID_INTERNAL_VERSION:	return model.internal;
	case MD_FIELD_ID_MODULE_HV:		return MODEL_MODULE_HV;
	case MD_FIELD_ID_MIN_UPDATE_HV:		return MODEL_MIN_UPDATE_HV;
	case MD_FIELD_ID_SYS_ATTRIBUTES:	return 0;
	case MD_FIELD_ID_NUM_TDX_FEATURES:	return 1;
	case MD_FIELD_ID_TDX_FEATURES0:		return features0;
	/* like TDX 1.5.01: MAX_CMR, not the number in use */
	case MD_FIELD_ID_NUM_CMRS:		return MODEL_MAX_CMRS;
	case MD_FIELD_ID_CMR_BASE0:
		return idx < model.nr_cmrs ? model.cmr[idx].base : 0;
	case MD_FIELD_ID_CMR_SIZE0:
		return idx < model.nr_cmrs ? model.cmr[idx].size : 0;
	case MD_FIELD_ID_MAX_TDMRS:		return max_tdmrs;
	case MD_FIELD_ID_MAX_RESERVED_PER_TDMR:	return MODEL_MAX_RSV;
	case MD_FIELD_ID_PAMT_4K_ENTRY_SIZE:
	case MD_FIELD_ID_PAMT_2M_ENTRY_SIZE:
	case MD_FIELD_ID_PAMT_1G_ENTRY_SIZE:	return MODEL_PAMT_ENTRY_SIZE;
	case MD_FIELD_ID_TDR_BASE_SIZE:		return SZ_4K;
	case MD_FIELD_ID_TDCS_BASE_SIZE:	return 4 * SZ_4K;
	case MD_FIELD_ID_TDVPS_BASE_SIZE:	return 6 * SZ_4K;
	case MD_FIELD_ID_ATTRIBUTES_FIXED0:	return 0x00000001d0000001ULL;
	case MD_FIELD_ID_ATTRIBUTES_FIXED1:	return 0;
	case MD_FIELD_ID_XFAM_FIXED0:		return 0x00000000000602ffULL;
	case MD_FIELD_ID_XFAM_FIXED1:		return 0x0000000000000003ULL;
	case MD_FIELD_ID_NUM_CPUID_CONFIG:	return MODEL_NUM_CPUID_CONFIG;
	case MD_FIELD_ID_MAX_VCPUS_PER_TD:	return 576;
	case MD_FIELD_ID_CPUID_CONFIG_LEAVES:	return model_cpuid_leaves[idx];
	case MD_FIELD_ID_CPUID_CONFIG_VALUES:	return model_cpuid_values[idx];
	}
	return 0;
}

#define MD_ELEM_SIZE_CODE(id)	(((id) >> 32) & 0x3)
#define MD_LAST_ELEM_FIELD_MASK	GENMASK_ULL(46, 34)

static u64 leaf_sys_rd(unsigned int cpu, struct seam_args *a)
{
	u64 id = a->rdx, val;
	unsigned int f, idx, bits;

	if (!test_bit(cpu, model.lp_init))
		return SEAM_ST(TDX_SYS_LP_INIT_NOT_DONE);

	if (id == ~0ULL) {
		a->rdx = md_fields[0].id;
		a->r8 = 0;
		return SEAM_ST(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT);
	}
	if (id & MD_LAST_ELEM_FIELD_MASK)
		return SEAM_ST(TDX_METADATA_FIELD_ID_INCORRECT);

	for (f = 0; f < ARRAY_SIZE(md_fields); f++)
		if (id >= md_fields[f].id &&
		    id < md_fields[f].id + md_fields[f].count)
			break;
	if (f == ARRAY_SIZE(md_fields))
		return SEAM_ST(TDX_METADATA_FIELD_ID_INCORRECT);

	idx = id - md_fields[f].id;
	val = md_value(md_fields[f].id, idx);
	bits = 8 << MD_ELEM_SIZE_CODE(id);
	if (bits < 64)
		val &= (1ULL << bits) - 1;
	a->r8 = val;
	if (idx + 1 < md_fields[f].count)
		a->rdx = id + 1;
	else if (f + 1 < ARRAY_SIZE(md_fields))
		a->rdx = md_fields[f + 1].id;
	else
		a->rdx = ~0ULL;
	return 0;
}

static u64 leaf_config(struct seam_args *a, int *hold, bool raw)
{
	u64 hkid = a->r8, st;
	unsigned int nr;

	if (!glock_try(-1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = -1;
	if (model.state != SYSINIT_DONE)
		return SEAM_ST(TDX_SYS_CONFIG_NOT_PENDING);
	/* every LP counted at boot must have run TDH.SYS.LP.INIT */
	if (model.num_init_lps < model.num_lps)
		return SEAM_ST(TDX_SYS_CONFIG_NOT_PENDING);
	if (!a->rdx || a->rdx > max_tdmrs)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RDX;
	if (hkid >> 16 || hkid < model.first_keyid ||
	    hkid >= model.first_keyid + model.nr_keyids)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_R8;
	/*
	 * From here CONFIG reads TDMR_INFOs, and TDMR.INIT later writes
	 * PAMTs, at addresses its caller chose: only the engine, which owns
	 * that memory, may get this far.
	 */
	if (raw)
		return SEAM_RAW_REFUSED;
	nr = a->rdx;

	st = config_read(a->rcx, nr);
	if (!st)
		st = config_validate(nr);
	if (st)
		return st;

	memcpy(model.tdmrs, model.staging, nr * sizeof(*model.tdmrs));
	model.nr_tdmrs = nr;
	model.hkid = hkid;
	model.state = SYSCONFIG_DONE;
	return 0;
}

static u64 leaf_key_config(unsigned int cpu, int *hold)
{
	int pkg;

	if (!glock_try(-1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = -1;
	if (model.state != SYSCONFIG_DONE)
		return SEAM_ST(TDX_SYS_KEY_CONFIG_NOT_PENDING);
	pkg = pkg_index(cpu);
	if (pkg < 0)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_SYS;
	if (model.pkg_config_bitmap & BIT_ULL(pkg))
		return SEAM_ST(TDX_KEY_CONFIGURED);
	model.pkg_config_bitmap |= BIT_ULL(pkg);
	if (model.pkg_config_bitmap == GENMASK_ULL(model.nr_pkgs - 1, 0))
		model.state = SYS_READY;
	return 0;
}

static u64 leaf_tdmr_init(struct seam_args *a, struct model_tdmr **busy)
{
	struct model_tdmr *t = NULL;
	u64 off, end;
	unsigned int i;
	u8 *pamt;

	if (a->rcx % TDMR_ALIGNMENT)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RCX;
	for (i = 0; i < model.nr_tdmrs; i++)
		if (model.tdmrs[i].base == a->rcx)
			t = &model.tdmrs[i];
	if (!t)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RCX;
	if (t->busy)
		return SEAM_ST(TDX_OPERAND_BUSY) | TDX_OPERAND_ID_RCX;
	end = t->base + t->size;
	if (t->cursor >= end) {
		a->rdx = end;
		return SEAM_ST(TDX_TDMR_ALREADY_INITIALIZED);
	}

	/* initialize the PAMT entries of the next 4 MiB of the TDMR */
	if (t->cursor == t->base) {
		memset(__va(t->pamt_base[PAMT_2M]), 0,
		       pamt_min_size(t, PAMT_2M));
		memset(__va(t->pamt_base[PAMT_1G]), 0,
		       pamt_min_size(t, PAMT_1G));
	}
	off = ((t->cursor - t->base) >> PAGE_SHIFT) * MODEL_PAMT_ENTRY_SIZE;
	pamt = __va(t->pamt_base[PAMT_4K]);
	memset(pamt + off, 0,
	       (min(PAMT_4K_CHUNK, end - t->cursor) >> PAGE_SHIFT) *
	       MODEL_PAMT_ENTRY_SIZE);
	t->cursor = min(t->cursor + PAMT_4K_CHUNK, end);

	t->busy = true;
	*busy = t;
	a->rdx = t->cursor >= end ? end : round_down(t->cursor, TDMR_ALIGNMENT);
	return 0;
}

/*
 * TDH.SYS.SHUTDOWN: the module stops taking SEAMCALLs and keeps its
 * handoff data (TDMRs, PAMTs, KeyIDs) for the module installed next
 */
static u64 leaf_shutdown(struct seam_args *a, int *hold)
{
	if (!glock_try(-1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = -1;
	if (a->rcx < MODEL_MIN_UPDATE_HV || a->rcx > MODEL_MODULE_HV)
		return SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RCX;
	model.state = SYS_SHUTDOWN;
	model.handoff = true;
	model.installing = false;
	return 0;
}

/*
 * TDH.SYS.UPDATE: the installed module takes the handoff data over, once
 * global and every per-CPU init ran again; it is ready with the old
 * module's TDMRs, PAMTs and KeyIDs
 */
static u64 leaf_update(int *hold)
{
	if (!glock_try(-1))
		return SEAM_ST(TDX_SYS_BUSY);
	*hold = -1;
	if (model.state != SYSINIT_DONE || model.num_init_lps < model.num_lps)
		return SEAM_ST(TDX_SYS_STATE_INCORRECT);
	if (!model.handoff)
		return SEAM_ST(TDX_SYS_INVALID_HANDOFF);
	model.handoff = false;
	model.installing = false;
	model.state = SYS_READY;
	return 0;
}

/* ---- the P-SEAMLDR (its own entity: none of the module's gates) ---- */

/* P-SEAMLDR.INFO: SEAMLDR_INFO at the 256-byte aligned RCX */
static u64 seamldr_info(struct seam_args *a)
{
	struct seamldr_info *info;

	if (!a->rcx || !IS_ALIGNED(a->rcx, 256))
		return SEAMLDR_ERR_INVALID_PARAM;
	info = __va(a->rcx);
	memset(info, 0, sizeof(*info));
	info->version = 1;
	info->vendor_id = 0x8086;
	info->build_date = build_date;
	info->major_version = model.ldr_major;
	info->minor_version = model.ldr_minor;
	info->update_version = model.ldr_update;
	info->num_remaining_updates = READ_ONCE(tdx_model_ldr_updates);
	info->seam_ready = model.state == SYS_READY;
	info->p_seam_ready = 1;
	return 0;
}

/*
 * P-SEAMLDR.INSTALL on one CPU, the old module shut down.  The first CPU
 * loads the image (SEAMLDR_PARAMS at RCX) into the SEAM range and counts
 * the update; every other CPU only switches to it.  The image was
 * verified before the old module shut down (emu_seamldr_verify()); an
 * injected failure here leaves the module shut down: the error state.
 */
static u64 seamldr_install(struct seam_args *a)
{
	const struct seamldr_params *p;
	const struct emu_module_page *mp;

	if (!a->rcx || !IS_ALIGNED(a->rcx, PAGE_SIZE))
		return SEAMLDR_ERR_INVALID_PARAM;
	if (model.installing)
		return 0;
	if (model.state != SYS_SHUTDOWN)
		return SEAMLDR_ERR_NOT_SHUTDOWN;
	if (READ_ONCE(emu_update_fail) == EMU_UPDATE_FAIL_AFTER_SHUTDOWN)
		return SEAMLDR_ERR_INSTALL_FAILED;
	p = __va(a->rcx);
	if (p->scenario != SEAMLDR_SCENARIO_UPDATE || !p->num_module_pages ||
	    p->num_module_pages > SEAMLDR_MAX_MODULE_PAGES)
		return SEAMLDR_ERR_INVALID_PARAM;
	mp = __va(p->mod_pages_pa_list[0]);
	model.major = mp->major;
	model.minor = mp->minor;
	model.update = mp->update;
	model.internal = 0;
	model.min_update = mp->min_update;
	if (tdx_model_ldr_updates)
		tdx_model_ldr_updates--;
	/* a fresh module: global and per-CPU init run again */
	model.installing = true;
	model.state = SYSINIT_PENDING;
	bitmap_zero(model.lp_init, nr_cpu_ids);
	model.num_init_lps = 0;
	return 0;
}

static u64 model_seamldr_call(u64 rax, struct seam_args *a)
{
	unsigned long flags;
	u64 st;

	raw_spin_lock_irqsave(&model.lock, flags);
	switch (rax) {
	case SEAMLDR_INFO:
		st = seamldr_info(a);
		break;
	case SEAMLDR_INSTALL:
		st = seamldr_install(a);
		break;
	default:
		st = SEAMLDR_ERR_INVALID_PARAM;
		break;
	}
	raw_spin_unlock_irqrestore(&model.lock, flags);
	return st;
}

/**
 * tdx_model_versions - the running module and the P-SEAMLDR, as they are
 * @v: filled in
 *
 * Return: whether the TDX module is initialized (SYS_READY).
 */
bool tdx_model_versions(struct tdx_model_versions *v)
{
	unsigned long flags;
	bool ready;

	raw_spin_lock_irqsave(&model.lock, flags);
	v->major = model.major;
	v->minor = model.minor;
	v->update = model.update;
	v->min_update = model.min_update;
	v->ldr_major = model.ldr_major;
	v->ldr_minor = model.ldr_minor;
	v->ldr_update = model.ldr_update;
	v->ldr_updates = READ_ONCE(tdx_model_ldr_updates);
	ready = model.state == SYS_READY;
	raw_spin_unlock_irqrestore(&model.lock, flags);
	return ready;
}

/* TDX_FEATURES0 bit 1: the module supports TD-preserving updates */
bool tdx_model_td_preserving(void)
{
	return features0 & BIT_ULL(1);
}

/* ---- dispatcher ---- */

static bool leaf_allowed_before_ready(unsigned int leaf)
{
	switch (leaf) {
	case TDH_SYS_INFO:
	case TDH_SYS_RD:
	case TDH_SYS_RDALL:
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_CONFIG:
	case TDH_SYS_KEY_CONFIG:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_UPDATE:
		return true;
	}
	return false;
}

static bool model_inject(unsigned int leaf, unsigned int cpu, u64 *status)
{
	unsigned int i;

	for (i = 0; i < model.nr_rules; i++) {
		struct model_rule *r = &model.rules[i];

		if (r->leaf != leaf || (r->cpu >= 0 && r->cpu != cpu))
			continue;
		if (r->skip) {
			r->skip--;
			continue;
		}
		*status = r->status;
		if (r->count && !--r->count)
			model.rules[i] = model.rules[--model.nr_rules];
		return true;
	}
	return false;
}

/*
 * Modelled cost that could not be waited for: a call with interrupts off
 * (per-CPU init in IPI context) never waits; its cost is owed here and
 * the engine adds it to the step's time.
 */
static DEFINE_PER_CPU(u64, model_owed_ns);

/**
 * tdx_model_owed_ns() - take this CPU's modelled cost not waited for
 *
 * Context: interrupts off, on the CPU that made the SEAMCALLs.
 * Return: nanoseconds, and the count starts again at 0.
 */
u64 tdx_model_owed_ns(void)
{
	return this_cpu_xchg(model_owed_ns, 0);
}

/*
 * A call's cost: slept in task context, owed where the caller cannot
 * sleep (interrupts or preemption off: the kernel's own SEAMCALLs)
 */
static void model_cost(unsigned int us)
{
	if (irqs_disabled() || !in_task() || !preemptible())
		this_cpu_add(model_owed_ns, (u64)us * NSEC_PER_USEC);
	else
		fsleep(us);
}

/**
 * tdx_model_seamcall - one SEAMCALL into the emulated TDX module
 * @rax: leaf (bits 15:0) and version (bits 23:16)
 * @a: register arguments in, outputs out
 *
 * Runs on the calling CPU, which is the logical processor the module
 * sees; like a real SEAMCALL it is not preempted while it runs.
 *
 * Return: the status (RAX).
 */
static u64 model_seamcall(u64 rax, struct seam_args *a, bool raw)
{
	unsigned int leaf = rax & 0xffff, cpu, lat;
	struct model_tdmr *busy = NULL;
	unsigned long flags;
	int hold = 0, idx;
	u64 st = 0;

	if (rax & SEAMLDR_LEAF)
		return model_seamldr_call(rax, a);

	cpu = get_cpu();
	raw_spin_lock_irqsave(&model.lock, flags);

	model.calls[leaf_slot(leaf)]++;
	idx = leaf_name_index(leaf);
	if (idx >= 0 && model.cpu_calls)
		model.cpu_calls[cpu * NR_LEAF_NAMES + idx]++;
	lat = model.latency[leaf_slot(leaf)];

	if (model_inject(leaf, cpu, &st))
		goto out;

	/* the dispatcher's gates, in the TDX module's order */
	if (rax >> 16) {
		st = SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RAX;
		goto out;
	}
	if (model.state == SYS_SHUTDOWN && leaf != TDH_SYS_LP_SHUTDOWN) {
		st = SEAM_ST(TDX_SYS_SHUTDOWN);
		goto out;
	}
	if (model.state != SYS_READY && !leaf_allowed_before_ready(leaf)) {
		st = SEAM_ST(TDX_SYS_NOT_READY);
		goto out;
	}

	switch (leaf) {
	case TDH_SYS_INIT:
		st = leaf_sys_init(a, &hold);
		break;
	case TDH_SYS_LP_INIT:
		st = leaf_lp_init(cpu, a, &hold);
		break;
	case TDH_SYS_RD:
		st = leaf_sys_rd(cpu, a);
		break;
	case TDH_SYS_CONFIG:
		st = leaf_config(a, &hold, raw);
		break;
	case TDH_SYS_KEY_CONFIG:
		st = leaf_key_config(cpu, &hold);
		break;
	case TDH_SYS_TDMR_INIT:
		st = leaf_tdmr_init(a, &busy);
		break;
	case TDH_SYS_LP_SHUTDOWN:
		st = 0;
		break;
	case TDH_SYS_SHUTDOWN:
		st = leaf_shutdown(a, &hold);
		break;
	case TDH_SYS_UPDATE:
		st = leaf_update(&hold);
		break;
	default:
		/* not modelled (SYS.INFO, RDALL) or unknown */
		st = SEAM_ST(TDX_OPERAND_INVALID) | TDX_OPERAND_ID_RAX;
		break;
	}
out:
	raw_spin_unlock_irqrestore(&model.lock, flags);

	put_cpu();

	/* the call's cost, with its locks held: others see SYS_BUSY */
	if (lat)
		model_cost(lat);
	if (hold || busy) {
		raw_spin_lock_irqsave(&model.lock, flags);
		model.glock -= hold;
		if (busy)
			busy->busy = false;
		raw_spin_unlock_irqrestore(&model.lock, flags);
	}
	return st;
}

u64 tdx_model_seamcall(u64 rax, struct seam_args *a)
{
	return model_seamcall(rax, a, false);
}

/**
 * tdx_model_seamcall_raw - a SEAMCALL from a test, not from the engine
 * @rax: leaf and version
 * @a: register arguments in, outputs out
 *
 * As tdx_model_seamcall(), except that a TDH.SYS.CONFIG that would read
 * its TDMRs (every ordering check passed) returns SEAM_RAW_REFUSED: the
 * addresses are the caller's, and TDMR.INIT would write there.
 *
 * Return: the status (RAX), or SEAM_RAW_REFUSED.
 */
u64 tdx_model_seamcall_raw(u64 rax, struct seam_args *a)
{
	return model_seamcall(rax, a, true);
}

/**
 * tdx_model_forget_tdmrs - the engine took its PAMTs back
 *
 * After a failure past TDH.SYS.CONFIG the engine frees the PAMTs it
 * handed over; the TDX module keeps no TDMR that points at them, so no
 * later TDMR.INIT can touch that memory.
 */
void tdx_model_forget_tdmrs(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&model.lock, flags);
	model.nr_tdmrs = 0;
	raw_spin_unlock_irqrestore(&model.lock, flags);
}

/* ---- inspection and fault injection (debugfs) ---- */

static u64 model_read_calls(unsigned int slot)
{
	unsigned long flags;
	u64 n;

	raw_spin_lock_irqsave(&model.lock, flags);
	n = model.calls[slot];
	raw_spin_unlock_irqrestore(&model.lock, flags);
	return n;
}

void tdx_model_show_calls(struct seq_file *m)
{
	unsigned int i;
	u64 n;

	for (i = 0; i < NR_LEAF_NAMES; i++)
		seq_printf(m, "%s %llu\n", leaf_names[i].name,
			   model_read_calls(leaf_names[i].leaf));
	for (i = 0; i < MODEL_LEAF_SLOTS; i++) {
		if (leaf_name_index(i) >= 0)
			continue;
		n = model_read_calls(i);
		if (!n)
			continue;
		if (i == MODEL_LEAF_SLOTS - 1)
			seq_printf(m, "other %llu\n", n);
		else
			seq_printf(m, "leaf%u %llu\n", i, n);
	}
}

void tdx_model_show_calls_per_cpu(struct seq_file *m)
{
	unsigned long flags;
	unsigned int cpu, i;
	u32 n;

	for_each_possible_cpu(cpu) {
		for (i = 0; i < NR_LEAF_NAMES; i++) {
			raw_spin_lock_irqsave(&model.lock, flags);
			n = model.cpu_calls[cpu * NR_LEAF_NAMES + i];
			raw_spin_unlock_irqrestore(&model.lock, flags);
			if (n)
				seq_printf(m, "%u %s %u\n", cpu,
					   leaf_names[i].name, n);
		}
	}
}

void tdx_model_reset_calls(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&model.lock, flags);
	memset(model.calls, 0, sizeof(model.calls));
	memset(model.cpu_calls, 0,
	       nr_cpu_ids * NR_LEAF_NAMES * sizeof(*model.cpu_calls));
	raw_spin_unlock_irqrestore(&model.lock, flags);
}

void tdx_model_show_state(struct seq_file *m)
{
	unsigned int i, done = 0, init_lps, npkgs, ntdmrs;
	enum model_sys_state state;
	unsigned long flags;
	u64 pkgs;
	u16 hkid;

	raw_spin_lock_irqsave(&model.lock, flags);
	state = model.state;
	init_lps = model.num_init_lps;
	npkgs = model.nr_pkgs;
	pkgs = model.pkg_config_bitmap;
	ntdmrs = model.nr_tdmrs;
	hkid = model.hkid;
	for (i = 0; i < ntdmrs; i++)
		done += model.tdmrs[i].cursor >=
			model.tdmrs[i].base + model.tdmrs[i].size;
	raw_spin_unlock_irqrestore(&model.lock, flags);

	seq_printf(m, "state %s\n", model_state_names[state]);
	seq_printf(m, "lp_count %u\n", model.num_lps);
	seq_printf(m, "init_lps %u\n", init_lps);
	seq_printf(m, "packages %u\n", npkgs);
	seq_printf(m, "packages_configured %u\n", (unsigned int)hweight64(pkgs));
	seq_printf(m, "tdmrs %u\n", ntdmrs);
	seq_printf(m, "tdmrs_initialized %u\n", done);
	seq_printf(m, "global_keyid %u\n", hkid);
	seq_printf(m, "keyids %u %u\n", model.first_keyid, model.nr_keyids);
	seq_printf(m, "cmrs %u\n", model.nr_cmrs);
	for (i = 0; i < model.nr_cmrs; i++)
		seq_printf(m, "cmr %u 0x%llx 0x%llx\n", i, model.cmr[i].base,
			   model.cmr[i].size);
}

void tdx_model_show_inject(struct seq_file *m)
{
	struct model_rule rules[MODEL_MAX_RULES];
	unsigned long flags;
	unsigned int i, n;

	raw_spin_lock_irqsave(&model.lock, flags);
	n = model.nr_rules;
	memcpy(rules, model.rules, sizeof(rules));
	raw_spin_unlock_irqrestore(&model.lock, flags);

	for (i = 0; i < n; i++) {
		const char *name = tdx_leaf_name(rules[i].leaf);

		if (name)
			seq_printf(m, "%s", name);
		else
			seq_printf(m, "%u", rules[i].leaf);
		seq_printf(m, " 0x%016llx cpu=%d count=%u skip=%u\n",
			   rules[i].status, rules[i].cpu, rules[i].count,
			   rules[i].skip);
	}
}

#define SEAM_STATUS_VAL(name, value, ...) \
	[SEAM_I_##name] = value,
const u64 seam_status_codes[SEAM_I_NR] = { TDX_STATUS_LIST(SEAM_STATUS_VAL) };

#define SEAM_STATUS_NAME(name, value, ...)	{ #name, value },
static const struct {
	const char *name;
	u64 value;
} status_names[] = { TDX_STATUS_LIST(SEAM_STATUS_NAME) };

static int parse_status(const char *s, u64 *st)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(status_names); i++) {
		if (!strcmp(s, status_names[i].name)) {
			*st = status_names[i].value;
			return 0;
		}
	}
	return kstrtoull(s, 0, st);
}

/**
 * tdx_model_inject - add or clear fault injection rules
 * @line: "clear", or "LEAF STATUS [cpu=N] [count=N] [skip=N]"
 *
 * LEAF is a leaf name (sys_init, lp_init, sys_rd, config, key_config,
 * tdmr_init, ...) or number; STATUS a status name (TDX_SYS_BUSY) or
 * number.  The next calls of LEAF (on CPU N only, if given) after the
 * first @skip return STATUS without running, @count times (default 1,
 * 0 for every call).
 *
 * Return: 0 or -EINVAL / -ENOSPC.
 */
int tdx_model_inject(char *line)
{
	struct model_rule r = { .cpu = -1, .count = 1 };
	char *tok, *leaf = NULL, *status = NULL;
	unsigned long flags;
	int ret = 0;

	line = strim(line);
	if (!strcmp(line, "clear")) {
		raw_spin_lock_irqsave(&model.lock, flags);
		model.nr_rules = 0;
		raw_spin_unlock_irqrestore(&model.lock, flags);
		return 0;
	}

	while ((tok = strsep(&line, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (!strncmp(tok, "cpu=", 4))
			ret = kstrtoint(tok + 4, 0, &r.cpu);
		else if (!strncmp(tok, "count=", 6))
			ret = kstrtouint(tok + 6, 0, &r.count);
		else if (!strncmp(tok, "skip=", 5))
			ret = kstrtouint(tok + 5, 0, &r.skip);
		else if (!leaf)
			leaf = tok;
		else if (!status)
			status = tok;
		else
			ret = -EINVAL;
		if (ret)
			return -EINVAL;
	}
	if (!leaf || !status || tdx_leaf_parse(leaf, &r.leaf) ||
	    parse_status(status, &r.status) || r.cpu < -1 ||
	    r.cpu >= (int)nr_cpu_ids)
		return -EINVAL;

	raw_spin_lock_irqsave(&model.lock, flags);
	if (model.nr_rules < MODEL_MAX_RULES)
		model.rules[model.nr_rules++] = r;
	else
		ret = -ENOSPC;
	raw_spin_unlock_irqrestore(&model.lock, flags);
	return ret;
}

/* ---- setup ---- */

unsigned int tdx_model_lp_count(void)
{
	return model.num_lps;
}

unsigned int tdx_model_nr_packages(void)
{
	return model.nr_pkgs;
}

void tdx_model_keyids(u32 *first, u32 *count)
{
	*first = model.first_keyid;
	*count = model.nr_keyids;
}

static int cmr_add(u64 start, u64 end, void *arg)
{
	unsigned int n = model.nr_cmrs;

	if (n && model.cmr[n - 1].base + model.cmr[n - 1].size == start) {
		model.cmr[n - 1].size += end - start;
		return 0;
	}
	if (n == MODEL_MAX_CMRS)
		return -ENOSPC;
	model.cmr[n].base = start;
	model.cmr[n].size = end - start;
	model.nr_cmrs++;
	return 0;
}

static int parse_latency(void)
{
	char *buf, *s, *tok;
	int ret = 0;

	buf = kstrdup(latency_us, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	s = buf;
	while ((tok = strsep(&s, ",")) != NULL) {
		char *val = strchr(tok, '=');
		unsigned int leaf, us;

		if (!*tok)
			continue;
		if (!val) {
			ret = -EINVAL;
			break;
		}
		*val++ = '\0';
		if (tdx_leaf_parse(tok, &leaf) || kstrtouint(val, 0, &us) ||
		    us > MODEL_MAX_LATENCY_US) {
			ret = -EINVAL;
			break;
		}
		model.latency[leaf_slot(leaf)] = us;
	}
	kfree(buf);
	return ret;
}

int tdx_model_init(void)
{
	unsigned int v[4] = {}, cpu;
	int n, ret;

	model.state = SYSINIT_PENDING;
	model.glock = 0;
	model.num_init_lps = 0;
	model.pkg_config_bitmap = 0;
	model.nr_tdmrs = 0;
	model.nr_cmrs = 0;
	model.nr_rules = 0;
	model.hkid = 0;
	memset(model.calls, 0, sizeof(model.calls));
	memset(model.latency, 0, sizeof(model.latency));

	n = sscanf(module_version, "%u.%u.%u.%u", &v[0], &v[1], &v[2], &v[3]);
	if (n < 3 || v[0] > 0xffff || v[1] > 0xffff || v[2] > 0xffff ||
	    v[3] > 0xffff) {
		pr_err("not loaded: module_version=\"%s\": want MAJOR.MINOR.UPDATE\n",
		       module_version);
		return -EINVAL;
	}
	model.major = v[0];
	model.minor = v[1];
	model.update = v[2];
	model.internal = v[3];
	model.min_update = 0;
	model.installing = false;
	model.handoff = false;

	n = sscanf(seamldr_version, "%u.%u.%u", &v[0], &v[1], &v[2]);
	if (n != 3 || v[0] > 0xffff || v[1] > 0xffff || v[2] > 0xffff) {
		pr_err("not loaded: seamldr_version=\"%s\": want MAJOR.MINOR.UPDATE\n",
		       seamldr_version);
		return -EINVAL;
	}
	model.ldr_major = v[0];
	model.ldr_minor = v[1];
	model.ldr_update = v[2];
	tdx_model_ldr_updates = seamldr_updates;

	if (sscanf(keyids, "%u,%u", &model.first_keyid,
		   &model.nr_keyids) != 2 || !model.first_keyid ||
	    model.first_keyid + model.nr_keyids > (1U << 15)) {
		pr_err("not loaded: keyids=\"%s\": want FIRST,COUNT\n", keyids);
		return -EINVAL;
	}
	if (model.nr_keyids < 2) {
		pr_err("not loaded: initialization failed: too few private KeyIDs available (%u).\n",
		       model.nr_keyids);
		return -EINVAL;
	}
	if (parse_latency()) {
		pr_err("not loaded: latency_us=\"%s\": want LEAF=US[,LEAF=US...]\n",
		       latency_us);
		return -EINVAL;
	}
	if (!max_tdmrs || max_tdmrs > MODEL_MAX_TDMRS) {
		pr_err("not loaded: max_tdmrs=%u: want 1 to %u\n", max_tdmrs,
		       MODEL_MAX_TDMRS);
		return -EINVAL;
	}

	model.num_lps = lp_count ? lp_count : num_present_cpus();
	model.nr_pkgs = 0;
	for_each_present_cpu(cpu) {
		u32 id = topology_physical_package_id(cpu);
		unsigned int i;

		for (i = 0; i < model.nr_pkgs; i++)
			if (model.pkg_id[i] == id)
				break;
		if (i < model.nr_pkgs)
			continue;
		if (model.nr_pkgs == MODEL_MAX_PKGS) {
			pr_err("not loaded: more than %d packages\n",
			       MODEL_MAX_PKGS);
			return -EINVAL;
		}
		model.pkg_id[model.nr_pkgs++] = id;
	}

	ret = tdx_ram_walk(cmr_add, NULL);
	if (ret) {
		pr_err("not loaded: cannot derive CMRs from System RAM: %d\n",
		       ret);
		return ret;
	}

	model.lp_init = seam_held(bitmap_zalloc(nr_cpu_ids, GFP_KERNEL));
	model.cpu_calls = seam_held(kcalloc(nr_cpu_ids * NR_LEAF_NAMES,
					    sizeof(*model.cpu_calls),
					    GFP_KERNEL));
	model.tdmrs = seam_held(kcalloc(MODEL_MAX_TDMRS, sizeof(*model.tdmrs),
					GFP_KERNEL));
	model.staging = seam_held(kcalloc(MODEL_MAX_TDMRS,
					  sizeof(*model.staging), GFP_KERNEL));
	if (!model.lp_init || !model.cpu_calls || !model.tdmrs ||
	    !model.staging) {
		tdx_model_exit();
		return -ENOMEM;
	}
	return 0;
}

void tdx_model_exit(void)
{
	bitmap_free(seam_released(model.lp_init));
	model.lp_init = NULL;
	kfree(seam_released(model.cpu_calls));
	model.cpu_calls = NULL;
	kfree(seam_released(model.tdmrs));
	model.tdmrs = NULL;
	kfree(seam_released(model.staging));
	model.staging = NULL;
}
