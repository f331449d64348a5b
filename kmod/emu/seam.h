/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seam.h - the seamcall line: what the seam engine (host init sequence),
 * the TDMR builder and the TDX module model share.
 */
#ifndef TDXCTL_SEAM_H
#define TDXCTL_SEAM_H

#include <linux/atomic.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "tdx/tdx_arch.h"

/*
 * Status codes by name, from the list shared with the CLI, under names
 * that never meet the kernel's own TDX macros: SEAM_ST(TDX_SYS_BUSY).
 */
#define SEAM_STATUS_IDX(name, ...)	SEAM_I_##name,
enum seam_status_idx { TDX_STATUS_LIST(SEAM_STATUS_IDX) SEAM_I_NR };
#undef SEAM_STATUS_IDX
extern const u64 seam_status_codes[SEAM_I_NR];
#define SEAM_ST(name)	(seam_status_codes[SEAM_I_##name])

/* SEAMCALL register arguments besides RAX (leaf in, status out) */
struct seam_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
};

/* Linux retries TDX_RND_NO_ENTROPY this many times in all (sc_retry) */
#define SEAM_RDRAND_RETRY_LOOPS	10

#define TDMR_ALIGNMENT		((u64)SZ_1G)
#define TDMR_INFO_ALIGNMENT	512
#define TDMR_PA_ARRAY_ALIGNMENT	512
#define PAMT_4K_CHUNK		((u64)SZ_4M)	/* TDMR bytes per TDMR.INIT */

struct tdmr_reserved_area {
	u64 offset;
	u64 size;
};

/* TDMR_INFO as TDH.SYS.CONFIG reads it: 512-byte aligned, 64 + 16 * max_rsv */
struct tdmr_info {
	u64 base;
	u64 size;
	u64 pamt_1g_base;
	u64 pamt_1g_size;
	u64 pamt_2m_base;
	u64 pamt_2m_size;
	u64 pamt_4k_base;
	u64 pamt_4k_size;
	struct tdmr_reserved_area reserved_areas[];
};

/* Global metadata the engine reads with TDH.SYS.RD */
struct seam_sysinfo {
	u32 vendor_id;
	u16 major, minor, update, internal;
	u32 build_date;
	u16 build_num;
	u64 features0;
	u32 num_pkgs;
	u16 max_tdmrs;
	u16 max_reserved_per_tdmr;
	u16 pamt_entry_size[3];	/* 4K, 2M, 1G */
};

/* A range of TDX memory (System RAM at module enable), one NUMA node */
struct tdx_memblock {
	u64 start;
	u64 end;
	int nid;
};

/**
 * struct tdmr_pamt - the PAMT allocations of one TDMR
 * @page: first page of the 4K part, and of the 2M + 1G parts
 * @npages: pages in each allocation
 * @contig: the allocation came from alloc_contig_range()
 */
struct tdmr_pamt {
	struct page *page[2];
	unsigned long npages[2];
	bool contig[2];
};

/**
 * struct tdmr_list - TDMRs and PAMTs built for TDH.SYS.CONFIG
 * @infos: TDMR_INFO array, @stride bytes apart, physically contiguous
 * @infos_size: bytes allocated for @infos
 * @pa_array: physical addresses of the TDMR_INFOs (the CONFIG input)
 * @stride: bytes between two TDMR_INFOs
 * @nr: TDMRs in use
 * @max: MAX_TDMRS of the TDX module
 * @max_rsv: MAX_RESERVED_PER_TDMR of the TDX module
 * @pamt: per TDMR, its two PAMT allocations
 * @nid: per TDMR, the NUMA node its PAMT was asked from
 * @mem: TDX memory ranges the TDMRs cover
 * @nr_mem: entries in @mem
 * @pamt_bytes: PAMT bytes allocated
 * @covered: bytes covered by the TDMRs
 * @max_size: the largest TDMR allowed (smaller after a PAMT ENOMEM)
 */
struct tdmr_list {
	void *infos;
	size_t infos_size;
	u64 *pa_array;
	unsigned int stride;
	unsigned int nr;
	unsigned int max;
	unsigned int max_rsv;
	struct tdmr_pamt *pamt;
	int *nid;
	struct tdx_memblock *mem;
	unsigned int nr_mem;
	u64 pamt_bytes;
	u64 covered;
	u64 max_size;
};

static inline struct tdmr_info *tdmr_entry(struct tdmr_list *tl, unsigned int i)
{
	return tl->infos + (size_t)i * tl->stride;
}

/* tdmr.c */
int tdmr_init(void);
void tdmr_exit(void);
int tdmr_build(struct tdmr_list *tl, const struct seam_sysinfo *si);
void tdmr_free(struct tdmr_list *tl);
void tdmr_show(struct seq_file *m, struct tdmr_list *tl);
u64 tdmr_pamt_allocated(void);

/*
 * Buffers the emulated backend keeps across calls (the TDX module model's
 * tables, the TDMR list, test-hook pages) are counted while they live:
 * take each one through seam_held() when allocated and seam_released()
 * when freed.  Unload reports any still held, so a dropped free shows.
 */
extern atomic_t seam_buffers;

static inline void *seam_held(void *p)
{
	if (p)
		atomic_inc(&seam_buffers);
	return p;
}

static inline void *seam_released(const void *p)
{
	if (p)
		atomic_dec(&seam_buffers);
	return (void *)p;
}
extern u32 tdmr_fail_pamt_alloc;
extern u64 tdmr_contig_max;
int tdx_ram_walk(int (*fn)(u64 start, u64 end, void *arg), void *arg);

/* model.c: the emulated TDX module behind the seamcall line */
u64 tdx_model_seamcall(u64 rax, struct seam_args *args);
u64 tdx_model_owed_ns(void);
/* what tdx_model_seamcall_raw() returns for a CONFIG it will not run */
#define SEAM_RAW_REFUSED	(~0ULL)
u64 tdx_model_seamcall_raw(u64 rax, struct seam_args *args);
void tdx_model_forget_tdmrs(void);
int tdx_model_init(void);
void tdx_model_exit(void);
unsigned int tdx_model_lp_count(void);
unsigned int tdx_model_nr_packages(void);
void tdx_model_keyids(u32 *first, u32 *count);
void tdx_model_show_calls(struct seq_file *m);
void tdx_model_show_calls_per_cpu(struct seq_file *m);
void tdx_model_reset_calls(void);
void tdx_model_show_state(struct seq_file *m);
void tdx_model_show_inject(struct seq_file *m);
int tdx_model_inject(char *line);
const char *tdx_leaf_name(unsigned int leaf);
int tdx_leaf_parse(const char *s, unsigned int *leaf);

/*
 * The P-SEAMLDR's SEAMCALL leaves (bit 63 set) and their structures, as
 * Linux 7.2's arch/x86/virt/vmx/tdx/seamldr.c passes them
 */
#define SEAMLDR_LEAF			BIT_ULL(63)
#define SEAMLDR_INFO			(SEAMLDR_LEAF | 0)
#define SEAMLDR_INSTALL			(SEAMLDR_LEAF | 1)
#define SEAMLDR_SCENARIO_UPDATE		1
#define SEAMLDR_MAX_MODULE_PAGES	496
/* the emulated P-SEAMLDR's error codes (class bit 63, as the loader's) */
#define SEAMLDR_ERR_INVALID_PARAM	0x8000000000000003ULL
#define SEAMLDR_ERR_NOT_SHUTDOWN	0x8000000000000004ULL
#define SEAMLDR_ERR_INSTALL_FAILED	0x8000000000010005ULL

/* SEAMLDR_INFO, 256 bytes */
struct seamldr_info {
	u32 version;
	u32 attributes;
	u32 vendor_id;
	u32 build_date;
	u16 build_num;
	u16 minor_version;
	u16 major_version;
	u16 update_version;
	u32 acm_x2apicid;
	u32 num_remaining_updates;
	u8 seam_info[128];
	u8 seam_ready;
	u8 seam_debug;
	u8 p_seam_ready;
	u8 reserved[93];
} __packed;

/* SEAMLDR_PARAMS, one page */
struct seamldr_params {
	u32 version;
	u32 scenario;
	u64 sigstruct_pa[4];
	u8 reserved[104];
	u64 num_module_pages;
	u64 mod_pages_pa_list[SEAMLDR_MAX_MODULE_PAGES];
} __packed;

/* the emulated module's first page (tests/fixtures/mkblob.py) */
struct emu_module_page {
	char magic[8];
	u16 major;
	u16 minor;
	u16 update;
	u16 min_update;
} __packed;

struct tdx_model_versions {
	u16 major, minor, update, min_update;
	u16 ldr_major, ldr_minor, ldr_update;
	u32 ldr_updates;
};

bool tdx_model_versions(struct tdx_model_versions *v);
bool tdx_model_td_preserving(void);
extern u32 tdx_model_ldr_updates;

/* seamldr.c: the emulated P-SEAMLDR's update, and its failure injection */
enum emu_update_fail {
	EMU_UPDATE_FAIL_NONE,
	EMU_UPDATE_FAIL_BEFORE_SHUTDOWN,
	EMU_UPDATE_FAIL_AFTER_SHUTDOWN,
};
extern int emu_update_fail;
struct dentry;
int emu_seamldr_get_info(struct seamldr_info *info);
int emu_module_update(const u8 *data, u32 size);
void emu_seamldr_debugfs_init(struct dentry *dir);

/* tdx_host_dev.c: the tdx_host device and the tdx_module upload */
int emu_tdx_host_init(void);
void emu_tdx_host_exit(void);

/* seam.c */
struct tdxctl_result;
u64 seam_seamcall(u64 leaf, struct seam_args *args);
void seam_update_forget_init(void);
int seam_update_cpu_init(u64 *status);
int seam_update_refresh(void);
struct tdxctl_backend;
extern const struct tdxctl_backend seam_backend;
int seam_init(void);
void seam_exit(void);
void seam_show_tdmrs(struct seq_file *m);
int seam_set_corrupt(const char *what);

/* debugfs.c */
void emu_debugfs_init(void);
void emu_debugfs_exit(void);
struct dentry;
struct dentry *emu_debugfs_dir(void);

/* tdmr.c: contiguous ranges, as the kernel's alloc_contig_pages() takes them */
struct zone;
bool emu_contig_usable(struct zone *z, unsigned long pfn, unsigned long n,
		       unsigned long *bad);
int emu_contig_take(unsigned long pfn, unsigned long n);

/* fragment.c */
void emu_fragment_init(struct dentry *dir);
void emu_fragment_exit(void);

/* hook.c (kernels with CONFIG_INTEL_TDX_HOST_TEST_SEAM) */
#ifdef CONFIG_INTEL_TDX_HOST_TEST_SEAM
int emu_hook_init(bool vmx);
void emu_hook_exit(void);
#else
static inline void emu_hook_exit(void)
{
}
#endif

#endif /* TDXCTL_SEAM_H */
