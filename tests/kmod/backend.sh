#!/bin/bash
# backend.sh TDXCTL.KO yes|no [MODULE.SYMVERS]: the kernel backend is
# compiled into tdxctl.ko exactly where the kernel has the TDX host core
# (yes), and is absent elsewhere (no); with it, tdxctl.ko calls
# tdx_get_sysinfo() and tdx_get_nr_guest_keyids() exactly where the
# kernel tree's MODULE.SYMVERS exports them to any GPL module; and it
# imports the test-only SEAMCALL routing (tdx_test_*, tests/kernel/) only
# where the tree was configured with it (CONFIG_INTEL_TDX_HOST_TEST_SEAM in
# the .config beside MODULE.SYMVERS): never on a stock tree.  TAP.
set -uo pipefail
ko=$1 want=$2 symvers=${3:-}
echo "TAP version 13"
echo "1..3"
[ -s "$ko" ] || { echo "Bail out! $ko: missing or empty"; exit 1; }
defs=$(nm --defined-only "$ko") && undefs=$(nm -u "$ko") || { echo "Bail out! nm $ko failed"; exit 1; }
fail=0
have=no
if grep -q ' tdxctl_kernel_backend$' <<<"$defs"; then
	have=yes
fi
calls=$(grep -cE ' U (tdx_cpu_enable|tdx_enable)$' <<<"$undefs")
want_calls=0
[ "$want" = yes ] && want_calls=2
if [ "$have" = "$want" ] && [ "$calls" = "$want_calls" ]; then
	echo "ok 1 - kernel backend in tdxctl.ko: $have, as the kernel's TDX host core says ($calls calls into it)"
else
	echo "not ok 1 - kernel backend in tdxctl.ko: $have, want $want ($calls of tdx_cpu_enable/tdx_enable imported)"
	fail=1
fi

# what the kernel tells of its module: imported exactly where exported
want_info= got_info=
if [ "$want" = yes ]; then
	if [ ! -s "$symvers" ]; then
		echo "not ok 2 - the kernel tree's Module.symvers (${symvers:-not given}) is readable"
		echo "not ok 3 - (no kernel tree to compare with)"
		exit 1
	fi
	want_info=$(awk -F'\t' '($2 == "tdx_get_sysinfo" || $2 == "tdx_get_nr_guest_keyids") &&
		$4 == "EXPORT_SYMBOL_GPL" && $5 == "" { print $2 }' "$symvers" | sort | paste -sd' ')
fi
got_info=$(grep -oE ' U (tdx_get_sysinfo|tdx_get_nr_guest_keyids)$' <<<"$undefs" | cut -c4- | sort | paste -sd' ')
if [ "$got_info" = "$want_info" ]; then
	echo "ok 2 - tdxctl.ko reads what the kernel exports of its TDX module: ${got_info:-nothing}"
else
	echo "not ok 2 - tdxctl.ko imports [${got_info}] of the kernel's module information, the tree exports [${want_info}]"
	fail=1
fi

test_seam=no
if [ -n "$symvers" ] && grep -qx 'CONFIG_INTEL_TDX_HOST_TEST_SEAM=y' "$(dirname "$symvers")/.config" 2>/dev/null; then
	test_seam=yes
fi
got_test=$(grep -oE ' U tdx_test_[a-z_]+$' <<<"$undefs" | cut -c4- | sort | paste -sd' ')
if { [ "$test_seam" = yes ] && [ "$want" = yes ]; } || [ -z "$got_test" ]; then
	echo "ok 3 - test-only SEAMCALL routing in the tree: $test_seam; tdxctl.ko imports of it: ${got_test:-none}"
else
	echo "not ok 3 - tdxctl.ko imports [${got_test}] of the test-only SEAMCALL routing, which the tree does not have"
	fail=1
fi
exit $fail
