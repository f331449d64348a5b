/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refusal.h - where tdxctl_emu refuses to load, from facts about the
 * machine.  Plain C, no kernel headers: the unit suite tests it too.
 */
#ifndef TDXCTL_EMU_REFUSAL_H
#define TDXCTL_EMU_REFUSAL_H

/**
 * struct emu_platform - what the CPU and the kernel say about the machine
 * @tdx_host: the CPU is a TDX host platform (SEAM range registers on)
 * @td_guest: this kernel runs in a TDX guest (X86_FEATURE_TDX_GUEST)
 * @cc_guest: this kernel runs in another confidential guest whose memory
 *	is encrypted (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
 */
struct emu_platform {
	unsigned int tdx_host:1;
	unsigned int td_guest:1;
	unsigned int cc_guest:1;
};

/*
 * emu_refusal - why the emulated TDX platform may not load here, or NULL.
 * A fake TDX module on a TDX host would report a module that is not the
 * CPU's; in a TD or another confidential guest, module enable's cache
 * flushes (WBINVD) trap to the TDX module or the hypervisor.
 */
static inline const char *emu_refusal(struct emu_platform p)
{
	if (p.tdx_host)
		return "this CPU is a TDX host platform (SEAMRR enabled); the emulated TDX platform is for machines without TDX";
	if (p.td_guest)
		return "this kernel runs in a TDX guest (TD), where module enable's WBINVD would trap";
	if (p.cc_guest)
		return "this kernel runs in a confidential guest with encrypted memory, where module enable's WBINVD would trap";
	return NULL;
}

#endif /* TDXCTL_EMU_REFUSAL_H */
