// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_tdxstatus.c - TDX status decoding, names, the errno vocabulary
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <linux/tdx_host.h>
#include "tdx/tdx_arch.h"
#include "tdxstatus.h"
#include "tdxctl.h"
#include "tap.h"

/* the TDX status codes known by name */
#define X(n, v, d) + 1
enum { NR_STATUS = 0 TDX_STATUS_LIST(X) };
#undef X
/* the errno vocabulary: the DOC block of linux/tdx_host.h, EACCES, ETIMEDOUT, EBUSY */
#define NR_ERRNO 21

int main(void)
{
	struct tdx_status_info i;
	uint64_t code;

	/* 15 decodes, a round trip per status, 10 names, 5 errno mappings,
	 * the vocabulary's size and one per errno */
	plan(15 + NR_STATUS + 10 + 5 + 1 + NR_ERRNO + 9 + 4);

	tdx_status_decode(0xC000092000000982ULL, &i);
	is_str(i.name, "TDX_INCONSISTENT_MSR", "inconsistent MSR: name");
	ok(i.class == 0x09 && i.error && i.non_recoverable && !i.retry, "inconsistent MSR: class 9, error, not recoverable");
	ok(i.operand == 0x982 && !strcmp(i.operand_kind, "msr"), "inconsistent MSR: operand is MSR 0x982");
	is_str(i.linux_errno, "EIO", "inconsistent MSR: Linux maps it to EIO");

	tdx_status_decode(0x8000020200000000ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_SYS_BUSY") && i.retry && !i.non_recoverable, "SYS_BUSY: retryable");

	tdx_status_decode(0xC000010000000001ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_OPERAND_INVALID") && !strcmp(i.operand_kind, "register") &&
	   !strcmp(i.operand_name, "RCX"), "OPERAND_INVALID|RCX: register RCX");

	tdx_status_decode(0x80000200000000BBULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_OPERAND_BUSY") && !strcmp(i.operand_name, "KET") && i.retry,
	   "OPERAND_BUSY|KET: retryable, operand KET");

	tdx_status_decode(0xC0000A0000000003ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_INVALID_TDMR") && !strcmp(i.operand_kind, "tdmr") && i.operand == 3,
	   "INVALID_TDMR: TDMR index 3");

	tdx_status_decode(0x0000081500000000ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_KEY_CONFIGURED") && !i.error, "KEY_CONFIGURED: not an error class");

	tdx_status_decode(0x8000FF00FFFF0000ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_SEAMCALL_VMFAILINVALID") && !strcmp(i.linux_errno, "ENODEV") &&
	   i.class == 0xff, "VMfailInvalid: software class, ENODEV");
	tdx_status_decode(0x8000FF000000000DULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_SEAMCALL_GP") && !strcmp(i.linux_errno, "EOPNOTSUPP"), "#GP: EOPNOTSUPP");
	tdx_status_decode(0x8000FF0000000006ULL, &i);
	ok(i.name && !strcmp(i.name, "TDX_SEAMCALL_UD") && !strcmp(i.linux_errno, "EACCES"), "#UD: EACCES");

	tdx_status_decode(0xC0000FFF00000000ULL, &i);
	ok(i.name == NULL && i.error, "unknown code: no name, still decoded");
	is_str(tdx_status_name(0xC0000FFF00000000ULL), "unknown", "unknown code name");
	tdx_status_decode(0, &i);
	ok(i.name && !strcmp(i.name, "TDX_SUCCESS") && !i.error && !i.linux_errno, "success");

	/* every listed code: by name and back */
#define X(n, v, d) \
	ok(tdx_status_by_name(#n, &code) && code == (v) && !strcmp(tdx_status_name(v), #n), "round trip " #n);
	TDX_STATUS_LIST(X)
#undef X
	ok(tdx_status_by_name("sys_busy", &code) && code == 0x8000020200000000ULL, "name without TDX_ prefix, any case");
	ok(!tdx_status_by_name("TDX_NOPE", &code), "unknown name");

	is_str(tdx_state_name(TDX_HOST_STATE_UNINITIALIZED), "uninitialized", "state names");
	is_str(tdx_state_name(TDX_HOST_STATE_ERROR), "error", "state error");
	is_str(tdx_state_name(99), "unknown", "state out of range");
	is_str(tdx_backend_name(TDX_HOST_BACKEND_EMULATED), "emulated", "backend names");
	is_str(tdx_step_name(TDX_HOST_STEP_CONFIG), "config", "step names");
	is_str(tdx_step_name(TDX_HOST_STEP_NR), "unknown", "step out of range");
	is_str(features0_name(18), "no_rbp_mod", "features0 bit 18");
	ok(features0_name(63) == NULL, "unnamed features0 bit");

	/* every class: fatal vs retryable, operand names (9) */
	tdx_status_decode(0x8000FF00FFFF0000ULL, &i);
	ok(i.error && !i.retry, "VMfailInvalid (software class 0xFF): an error, not retryable");
	tdx_status_decode(0x8000FF000000000DULL, &i);
	ok(!i.retry, "SEAMCALL #GP: not retryable");
	tdx_status_decode(0x1ULL, &i);
	ok(!i.name || strcmp(i.name, "TDX_SUCCESS"), "0x1 is not TDX_SUCCESS (success has no operand)");
	is_str(tdx_status_name(0x1ULL), "unknown", "0x1 has no status name");
	tdx_status_decode(0x8000020300000000ULL, &i);
	ok(i.retry && !i.operand_name, "RND_NO_ENTROPY: retryable, no register operand");
	tdx_status_decode(0xC000010000000005ULL, &i);
	ok(i.operand_name && !strcmp(i.operand_name, "RBP"), "OPERAND_INVALID operand 5 is RBP");
	tdx_status_decode(0xC00001000000000FULL, &i);
	ok(i.operand_name && !strcmp(i.operand_name, "R15"), "OPERAND_INVALID operand 15 is R15");
	tdx_status_decode(0x0000081500000000ULL, &i);
	ok(!i.error && !i.retry, "KEY_CONFIGURED: a warning, not an error");
	tdx_status_decode(0xE000000000000000ULL, &i);
	ok(i.error && i.fatal && !i.retry, "fatal bit: not retryable");

	/* one errno -> exit mapping: exit_for_errno() is the table (4) */
	{
		bool same = true;

		for (unsigned k = 0; k < errno_table_len; k++)
			same &= exit_for_errno(errno_table[k].err) == errno_table[k].exit_code &&
				exit_for_errno(-errno_table[k].err) == errno_table[k].exit_code;
		ok(same, "exit_for_errno() agrees with the errno table, for every entry");
	}
	ok(exit_for_errno(0) == EXIT_OK, "errno 0: success");
	ok(exit_for_errno(EXDEV) == EXIT_FAILED, "an errno outside the vocabulary: failed");
	ok(exit_for_errno(EPROTO) == EXIT_NOTSUP, "EPROTO: not supported (ABI mismatch)");

	/* the driver's errno vocabulary maps to the exit-code table */
	ok(errno_lookup(EAGAIN) && errno_lookup(EAGAIN)->exit_code == EXIT_BUSY, "EAGAIN -> busy");
	ok(errno_lookup(EPERM)->exit_code == EXIT_PERM && errno_lookup(EBADF)->exit_code == EXIT_PERM, "EPERM, EBADF -> permission");
	ok(errno_lookup(ENODEV)->exit_code == EXIT_NOTSUP, "ENODEV -> not supported");
	ok(errno_lookup(EIO)->exit_code == EXIT_FAILED, "EIO -> failed");
	ok(errno_by_name("enxio") && errno_by_name("enxio")->err == ENXIO, "errno by name, any case");
	ok(errno_table_len == NR_ERRNO, "errno vocabulary has %d entries (%u)", NR_ERRNO, errno_table_len);
	for (unsigned k = 0; k < NR_ERRNO; k++)
		ok(k < errno_table_len && errno_table[k].meaning && errno_table[k].action &&
		   errno_table[k].exit_code > 0 && errno_table[k].exit_code <= 7,
		   "errno %s documented", k < errno_table_len ? errno_table[k].name : "(missing)");
	return tap_done();
}
