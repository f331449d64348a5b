// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_refusal.c - where the emulated TDX platform (tdxctl_emu) refuses to
 * load: every combination of the machine facts it reads (kmod/emu/refusal.h)
 */
#include <stdbool.h>
#include <stddef.h>

#include "../../kmod/emu/refusal.h"
#include "tap.h"

int main(void)
{
	plan(8 + 4);

	/* the 8 combinations: loads only on a plain machine or VM */
	for (unsigned int m = 0; m < 8; m++) {
		struct emu_platform p = {
			.tdx_host = !!(m & 1),
			.td_guest = !!(m & 2),
			.cc_guest = !!(m & 4),
		};
		const char *why = emu_refusal(p);

		if (m == 0)
			ok(why == NULL, "no TDX host, no TD, no confidential guest: loads");
		else
			ok(why != NULL, "tdx_host=%u td_guest=%u cc_guest=%u: refused",
			   p.tdx_host, p.td_guest, p.cc_guest);
	}

	/* each reason names what was found */
	is_str(emu_refusal((struct emu_platform){ .td_guest = 1 }),
	       "this kernel runs in a TDX guest (TD), where module enable's WBINVD would trap",
	       "a TD guest: the reason names the TD and the WBINVD");
	is_str(emu_refusal((struct emu_platform){ .cc_guest = 1 }),
	       "this kernel runs in a confidential guest with encrypted memory, where module enable's WBINVD would trap",
	       "another confidential guest: the reason says so");
	ok(strstr(emu_refusal((struct emu_platform){ .tdx_host = 1 }), "TDX host platform") != NULL,
	   "a TDX host: the reason names the host platform");
	/* a TD is the more specific fact: a TD also has encrypted memory */
	is_str(emu_refusal((struct emu_platform){ .td_guest = 1, .cc_guest = 1 }),
	       emu_refusal((struct emu_platform){ .td_guest = 1 }),
	       "a TD (which also has encrypted memory) is named as a TD");
	return tap_done();
}
