// SPDX-License-Identifier: GPL-2.0
/*
 * Frozen layout of the tdx_host ABI v1: every struct's size and every
 * field's offset, the ioctl numbers and the ABI constants.  Each one is a
 * _Static_assert, so the build itself is the proof: this file does not
 * compile when the layout changes.  It is built for the native ABI and,
 * where the compiler can, for -m32; the numbers must be the same on both,
 * which is what lets a 32-bit caller use the driver through compat_ioctl.
 *
 * Nothing is left to check at run time.  Running the program reports the
 * proof as one TAP check and lists what was proven, as diagnostics.
 */
#include <linux/tdx_host.h>	/* first: the header stands alone */
#include <stddef.h>
#include <stdio.h>

/* SIZE(struct, size), OFF(struct, field, offset), CONST(expression, value) */
#define TDX_HOST_LAYOUT(SIZE, OFF, CONST) \
	SIZE(tdx_host_version, 48) \
	OFF(tdx_host_version, size, 0) \
	OFF(tdx_host_version, flags, 4) \
	OFF(tdx_host_version, abi_version, 8) \
	OFF(tdx_host_version, backend, 12) \
	OFF(tdx_host_version, driver_version, 16) \
	SIZE(tdx_host_status, 264) \
	OFF(tdx_host_status, size, 0) \
	OFF(tdx_host_status, flags, 4) \
	OFF(tdx_host_status, state, 8) \
	OFF(tdx_host_status, backend, 12) \
	OFF(tdx_host_status, valid, 16) \
	OFF(tdx_host_status, err_step, 24) \
	OFF(tdx_host_status, err_errno, 28) \
	OFF(tdx_host_status, err_tdx_status, 32) \
	OFF(tdx_host_status, version_major, 40) \
	OFF(tdx_host_status, version_minor, 44) \
	OFF(tdx_host_status, version_update, 48) \
	OFF(tdx_host_status, version_internal, 52) \
	OFF(tdx_host_status, build_date, 56) \
	OFF(tdx_host_status, build_num, 60) \
	OFF(tdx_host_status, features0, 64) \
	OFF(tdx_host_status, nr_tdmrs, 72) \
	OFF(tdx_host_status, max_tdmrs, 76) \
	OFF(tdx_host_status, pamt_kb, 80) \
	OFF(tdx_host_status, tdx_memory_kb, 88) \
	OFF(tdx_host_status, global_keyid, 96) \
	OFF(tdx_host_status, guest_keyid_first, 100) \
	OFF(tdx_host_status, guest_keyid_count, 104) \
	OFF(tdx_host_status, cpus_possible, 108) \
	OFF(tdx_host_status, cpus_present, 112) \
	OFF(tdx_host_status, cpus_online, 116) \
	OFF(tdx_host_status, cpus_enabled, 120) \
	OFF(tdx_host_status, module_lp_count, 124) \
	OFF(tdx_host_status, nr_packages, 128) \
	OFF(tdx_host_status, reserved, 132) \
	OFF(tdx_host_status, step_ns, 136) \
	SIZE(tdx_host_cpu_info, 32) \
	OFF(tdx_host_cpu_info, cpu, 0) \
	OFF(tdx_host_cpu_info, flags, 4) \
	OFF(tdx_host_cpu_info, package, 8) \
	OFF(tdx_host_cpu_info, err_errno, 12) \
	OFF(tdx_host_cpu_info, tdx_status, 16) \
	OFF(tdx_host_cpu_info, enabled_ns, 24) \
	SIZE(tdx_host_cpu_table, 24) \
	OFF(tdx_host_cpu_table, size, 0) \
	OFF(tdx_host_cpu_table, flags, 4) \
	OFF(tdx_host_cpu_table, nr_entries, 8) \
	OFF(tdx_host_cpu_table, entry_size, 12) \
	OFF(tdx_host_cpu_table, entries, 16) \
	SIZE(tdx_host_cpu_enable, 32) \
	OFF(tdx_host_cpu_enable, size, 0) \
	OFF(tdx_host_cpu_enable, flags, 4) \
	OFF(tdx_host_cpu_enable, cpu, 8) \
	OFF(tdx_host_cpu_enable, outcome, 12) \
	OFF(tdx_host_cpu_enable, tdx_status, 16) \
	OFF(tdx_host_cpu_enable, step, 24) \
	OFF(tdx_host_cpu_enable, valid, 28) \
	SIZE(tdx_host_module_enable, 32) \
	OFF(tdx_host_module_enable, size, 0) \
	OFF(tdx_host_module_enable, flags, 4) \
	OFF(tdx_host_module_enable, state, 8) \
	OFF(tdx_host_module_enable, step, 12) \
	OFF(tdx_host_module_enable, tdx_status, 16) \
	OFF(tdx_host_module_enable, err_errno, 24) \
	OFF(tdx_host_module_enable, valid, 28) \
	CONST(TDX_HOST_IOC_VERSION, 0xD800) \
	CONST(TDX_HOST_IOC_STATUS, 0xD801) \
	CONST(TDX_HOST_IOC_CPU_TABLE, 0xD802) \
	CONST(TDX_HOST_IOC_CPU_ENABLE, 0xD803) \
	CONST(TDX_HOST_IOC_MODULE_ENABLE, 0xD804) \
	CONST(TDX_HOST_ABI_VERSION, 1) \
	CONST(TDX_HOST_STEP_NR, 9) \
	CONST(TDX_HOST_STEP_SLOTS, 16) \
	CONST(TDX_HOST_STATUS_MODULE_INFO, 1ULL << 0) \
	CONST(TDX_HOST_STATUS_TDMR_INFO, 1ULL << 1) \
	CONST(TDX_HOST_STATUS_KEYID_INFO, 1ULL << 2) \
	CONST(TDX_HOST_STATUS_MODULE_CPUS, 1ULL << 3) \
	CONST(TDX_HOST_STATUS_STEP_TIMES, 1ULL << 4) \
	CONST(TDX_HOST_STATUS_TDX_ERRORS, 1ULL << 5) \
	CONST(TDX_HOST_STATUS_MODULE_CAPS, 1ULL << 6) \
	CONST(TDX_HOST_STATUS_GUEST_KEYIDS, 1ULL << 7) \
	CONST(TDX_HOST_CPU_TDX_STATUS, 1U << 4) \
	CONST(TDX_HOST_RESULT_DETAIL, 1U << 0)

/* the proof */
#define ASSERT_SIZE(type, want) \
	_Static_assert(sizeof(struct type) == (want), "sizeof(struct " #type ") == " #want); \
	_Static_assert(sizeof(struct type) % 8 == 0, "sizeof(struct " #type ") is a multiple of 8");
#define ASSERT_OFF(type, field, want) \
	_Static_assert(offsetof(struct type, field) == (want), \
		       "offsetof(struct " #type ", " #field ") == " #want);
/* _IO numbers: no size or direction bits, type 0xD8, dense from 0 */
#define ASSERT_CONST(expr, want) _Static_assert((expr) == (want), #expr " == " #want);
TDX_HOST_LAYOUT(ASSERT_SIZE, ASSERT_OFF, ASSERT_CONST)

/* the report: what the asserts above proved */
#define SHOW_SIZE(type, want) \
	{ "sizeof(struct " #type ") == " #want ", a multiple of 8", 2 },
#define SHOW_OFF(type, field, want) { "offsetof(struct " #type ", " #field ") == " #want, 1 },
#define SHOW_CONST(expr, want) { #expr " == " #want, 1 },
static const struct {
	const char *what;
	int asserts;
} proven[] = {
	TDX_HOST_LAYOUT(SHOW_SIZE, SHOW_OFF, SHOW_CONST)
};

int main(void)
{
	int asserts = 0;

	printf("TAP version 13\n1..1\n");
	for (size_t i = 0; i < sizeof(proven) / sizeof(proven[0]); i++) {
		printf("# proven at compile time: %s\n", proven[i].what);
		asserts += proven[i].asserts;
	}
	printf("ok 1 - %zu-bit build: layout proven at compile time (%d _Static_asserts: sizes, offsets, ioctl numbers)\n",
	       sizeof(void *) * 8, asserts);
	return 0;
}
