/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdx_arch.h - architectural constants of the Intel TDX module host ABI:
 * SEAMCALL leaf numbers, status codes and global metadata field IDs, as
 * published in the TDX 1.5 module sources and used by Linux.
 *
 * Macros only, no types: included by the driver and by the tdxctl CLI
 * (which decodes status codes for "tdxctl explain").
 */
#ifndef TDX_ARCH_H
#define TDX_ARCH_H

/* SEAMCALL leaves used for host initialization */
#define TDH_SYS_KEY_CONFIG	31
#define TDH_SYS_INFO		32
#define TDH_SYS_INIT		33
#define TDH_SYS_RD		34
#define TDH_SYS_LP_INIT		35
#define TDH_SYS_TDMR_INIT	36
#define TDH_SYS_RDALL		37
#define TDH_SYS_LP_SHUTDOWN	44
#define TDH_SYS_CONFIG		45
#define TDH_SYS_SHUTDOWN	52
#define TDH_SYS_UPDATE		53
#define TDH_SYS_DISABLE		69

/* Status word layout */
#define TDX_STATUS_ERROR_BIT		(1ULL << 63)
#define TDX_STATUS_NON_RECOVERABLE_BIT	(1ULL << 62)
#define TDX_STATUS_FATAL_BIT		(1ULL << 61)
#define TDX_STATUS_HOST_RECOVERABLE_BIT	(1ULL << 60)
#define TDX_STATUS_CLASS_SHIFT		40
#define TDX_STATUS_CLASS_MASK		(0xffULL << TDX_STATUS_CLASS_SHIFT)
#define TDX_STATUS_DETAILS_L1_SHIFT	32
#define TDX_STATUS_DETAILS_L1_MASK	(0xffULL << TDX_STATUS_DETAILS_L1_SHIFT)
#define TDX_STATUS_OPERAND_MASK		0xffffffffULL
/* Compare status codes after masking the operand/detail bits */
#define TDX_SEAMCALL_STATUS_MASK	0xffffffff00000000ULL

/* Operand IDs carried in the low 32 bits */
#define TDX_OPERAND_ID_RAX		0
#define TDX_OPERAND_ID_RCX		1
#define TDX_OPERAND_ID_RDX		2
#define TDX_OPERAND_ID_R8		8
#define TDX_OPERAND_ID_R9		9
#define TDX_OPERAND_ID_TDMR_INFO_PA	96
#define TDX_OPERAND_ID_TDR		128
#define TDX_OPERAND_ID_SYS		184
#define TDX_OPERAND_ID_KET		187

/*
 * Status codes: X(NAME, VALUE, DESCRIPTION).  VALUE is the code with the
 * operand bits clear.  Linux's software codes (TDX_SW_ERROR class 0xFF)
 * are included so a SEAMCALL that never reached the module decodes too.
 */
#define TDX_STATUS_LIST(X) \
	X(TDX_SUCCESS,				0x0000000000000000ULL, "success") \
	X(TDX_OPERAND_INVALID,			0xC000010000000000ULL, "an operand (register in the low bits) is invalid") \
	X(TDX_OPERAND_BUSY,			0x8000020000000000ULL, "an operand is busy (retry)") \
	X(TDX_SYS_BUSY,				0x8000020200000000ULL, "another CPU holds the TDX module's global lock (retry)") \
	X(TDX_RND_NO_ENTROPY,			0x8000020300000000ULL, "RDRAND/RDSEED ran out of entropy (retry)") \
	X(TDX_INTERRUPTED_RESUMABLE,		0x8000000300000000ULL, "interrupted, call again to resume") \
	X(TDX_SYS_INIT_NOT_PENDING,		0xC000050000000000ULL, "TDH.SYS.INIT already ran") \
	X(TDX_SYS_LP_INIT_NOT_DONE,		0xC000050200000000ULL, "this CPU has not run TDH.SYS.LP.INIT") \
	X(TDX_SYS_LP_INIT_DONE,			0xC000050300000000ULL, "this CPU already ran TDH.SYS.LP.INIT") \
	X(TDX_SYS_NOT_READY,			0xC000050500000000ULL, "the TDX module is not initialized (not SYS_READY)") \
	X(TDX_SYS_SHUTDOWN,			0xC000050600000000ULL, "the TDX module is shut down") \
	X(TDX_SYS_KEY_CONFIG_NOT_PENDING,	0xC000050700000000ULL, "TDH.SYS.KEY.CONFIG is not expected now (before CONFIG, or all packages done)") \
	X(TDX_SYS_STATE_INCORRECT,		0xC000050800000000ULL, "the TDX module is in the wrong state for this call") \
	X(TDX_SYS_INVALID_HANDOFF,		0xC000050900000000ULL, "no or invalid handoff data for TDH.SYS.UPDATE") \
	X(TDX_SYS_INCOMPATIBLE_SIGSTRUCT,	0xC000050A00000000ULL, "the TDX module's SIGSTRUCT is incompatible") \
	X(TDX_SYS_LP_INIT_NOT_PENDING,		0xC000050B00000000ULL, "TDH.SYS.LP.INIT is not allowed now (before SYS.INIT or after CONFIG)") \
	X(TDX_SYS_CONFIG_NOT_PENDING,		0xC000050C00000000ULL, "TDH.SYS.CONFIG is not allowed now (already configured, or not every CPU ran LP.INIT)") \
	X(TDX_INCOMPATIBLE_SEAM_CAPABILITIES,	0xC000050D00000000ULL, "the SEAM capabilities are incompatible") \
	X(TDX_KEY_GENERATION_FAILED,		0x8000080000000000ULL, "PCONFIG key generation failed (retry)") \
	X(TDX_KEY_CONFIGURED,			0x0000081500000000ULL, "the package's key is already configured") \
	X(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, 0xC000082500000000ULL, "the number of activated HKIDs is not supported") \
	X(TDX_INCORRECT_CPUID_VALUE,		0xC000090000000000ULL, "a CPUID value is not what the TDX module requires") \
	X(TDX_INCONSISTENT_CPUID_FIELD,		0xC000090200000000ULL, "CPUID differs from the bootstrap CPU") \
	X(TDX_INCONSISTENT_MSR,			0xC000092000000000ULL, "an MSR differs from the bootstrap CPU (MSR in the low bits)") \
	X(TDX_INCORRECT_MSR_VALUE,		0xC000092100000000ULL, "an MSR value is not what the TDX module requires (MSR in the low bits)") \
	X(TDX_INVALID_TDMR,			0xC0000A0000000000ULL, "a TDMR is invalid (index in the low bits)") \
	X(TDX_NON_ORDERED_TDMR,			0xC0000A0100000000ULL, "TDMRs are not in ascending order") \
	X(TDX_TDMR_OUTSIDE_CMRS,		0xC0000A0200000000ULL, "a TDMR's memory is outside the CMRs") \
	X(TDX_TDMR_ALREADY_INITIALIZED,		0x00000A0300000000ULL, "the TDMR is already initialized") \
	X(TDX_INVALID_PAMT,			0xC0000A1000000000ULL, "a PAMT is invalid (alignment or size)") \
	X(TDX_PAMT_OUTSIDE_CMRS,		0xC0000A1100000000ULL, "a PAMT is outside the CMRs") \
	X(TDX_PAMT_OVERLAP,			0xC0000A1200000000ULL, "a PAMT overlaps another PAMT or usable TDMR memory") \
	X(TDX_INVALID_RESERVED_IN_TDMR,		0xC0000A2000000000ULL, "a reserved area of a TDMR is invalid") \
	X(TDX_NON_ORDERED_RESERVED_IN_TDMR,	0xC0000A2100000000ULL, "reserved areas of a TDMR are not in ascending order") \
	X(TDX_CMR_LIST_INVALID,			0xC0000A2200000000ULL, "the CMR list is invalid") \
	X(TDX_METADATA_FIELD_ID_INCORRECT,	0xC0000C0000000000ULL, "the metadata field ID is incorrect") \
	X(TDX_METADATA_FIELD_NOT_READABLE,	0xC0000C0200000000ULL, "the metadata field is not readable") \
	X(TDX_METADATA_LIST_OVERFLOW,		0xC0000C0400000000ULL, "the metadata list page is full") \
	X(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, 0x00000C0B00000000ULL, "first field ID of the context returned") \
	X(TDX_SEAMCALL_GP,			0x8000FF000000000DULL, "SEAMCALL raised #GP (no TDX on this CPU)") \
	X(TDX_SEAMCALL_UD,			0x8000FF0000000006ULL, "SEAMCALL raised #UD (CPU not in VMX operation)") \
	X(TDX_SEAMCALL_VMFAILINVALID,		0x8000FF00FFFF0000ULL, "no TDX module loaded (VMfailInvalid)")

/* the kernel's <asm/tdx.h> has the same (a test module may see both) */
#ifndef TDX_SW_ERROR
#define TDX_SW_ERROR			0x8000FF0000000000ULL
#endif

/* Global metadata field IDs (TDH.SYS.RD) */
#define MD_FIELD_ID_VENDOR_ID			0x0800000200000000ULL
#define MD_FIELD_ID_BUILD_DATE			0x8800000200000001ULL
#define MD_FIELD_ID_BUILD_NUM			0x8800000100000002ULL
#define MD_FIELD_ID_MINOR_VERSION		0x0800000100000003ULL
#define MD_FIELD_ID_MAJOR_VERSION		0x0800000100000004ULL
#define MD_FIELD_ID_UPDATE_VERSION		0x0800000100000005ULL
#define MD_FIELD_ID_INTERNAL_VERSION		0x0800000100000006ULL
#define MD_FIELD_ID_MODULE_HV			0x8900000100000000ULL
#define MD_FIELD_ID_MIN_UPDATE_HV		0x8900000100000001ULL
#define MD_FIELD_ID_SYS_ATTRIBUTES		0x0A00000200000000ULL
#define MD_FIELD_ID_NUM_TDX_FEATURES		0x0A00000000000001ULL
#define MD_FIELD_ID_TDX_FEATURES0		0x0A00000300000008ULL
#define MD_FIELD_ID_NUM_PKGS			0x0000000200000000ULL
#define MD_FIELD_ID_NUM_CMRS			0x9000000100000000ULL
#define MD_FIELD_ID_CMR_BASE0			0x9000000300000080ULL
#define MD_FIELD_ID_CMR_SIZE0			0x9000000300000100ULL
#define MD_FIELD_ID_MAX_TDMRS			0x9100000100000008ULL
#define MD_FIELD_ID_MAX_RESERVED_PER_TDMR	0x9100000100000009ULL
#define MD_FIELD_ID_PAMT_4K_ENTRY_SIZE		0x9100000100000010ULL
#define MD_FIELD_ID_PAMT_2M_ENTRY_SIZE		0x9100000100000011ULL
#define MD_FIELD_ID_PAMT_1G_ENTRY_SIZE		0x9100000100000012ULL
/* TD control structures and TD configuration (what Linux 6.16+ reads) */
#define MD_FIELD_ID_TDR_BASE_SIZE		0x9800000100000000ULL
#define MD_FIELD_ID_TDCS_BASE_SIZE		0x9800000100000100ULL
#define MD_FIELD_ID_TDVPS_BASE_SIZE		0x9800000100000200ULL
#define MD_FIELD_ID_ATTRIBUTES_FIXED0		0x1900000300000000ULL
#define MD_FIELD_ID_ATTRIBUTES_FIXED1		0x1900000300000001ULL
#define MD_FIELD_ID_XFAM_FIXED0			0x1900000300000002ULL
#define MD_FIELD_ID_XFAM_FIXED1			0x1900000300000003ULL
#define MD_FIELD_ID_NUM_CPUID_CONFIG		0x9900000100000004ULL
#define MD_FIELD_ID_MAX_VCPUS_PER_TD		0x9900000100000008ULL
#define MD_FIELD_ID_CPUID_CONFIG_LEAVES		0x9900000300000400ULL
#define MD_FIELD_ID_CPUID_CONFIG_VALUES		0x9900000300000500ULL

/* TDX_FEATURES0 bits worth naming: X(BIT, NAME) */
#define TDX_FEATURES0_LIST(X) \
	X(0, "td_migration") \
	X(1, "td_preserving") \
	X(2, "service_td") \
	X(3, "tdg_vp_rdwr") \
	X(4, "relaxed_mem_mng_concurrency") \
	X(5, "cpuid_virt_guest_ctrl") \
	X(7, "td_partitioning") \
	X(8, "local_attestation") \
	X(9, "td_entry_enhancements") \
	X(10, "host_priority_locks") \
	X(11, "config_ia32_arch_cap") \
	X(16, "pending_ept_violation_v2") \
	X(17, "fms_config") \
	X(18, "no_rbp_mod") \
	X(19, "l2_tlb_invd_opt") \
	X(20, "topology_enum") \
	X(36, "dynamic_pamt")

#endif /* TDX_ARCH_H */
