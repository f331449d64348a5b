#!/bin/bash
# sparse.sh KDIR SRCROOT WORKDIR: run sparse over the driver through kbuild
# (make C=2), in a mirror under WORKDIR.  Prints TAP: one subtest, failing
# on any sparse warning about our sources.
set -uo pipefail
kdir=$1 src=$2 work=$3
echo "TAP version 13"
if ! command -v sparse >/dev/null; then
	echo "1..0 # SKIP sparse is not installed (apt-get install sparse)"
	exit 0
fi
rm -rf "$work"
mkdir -p "$work/kmod" "$work/include/uapi/linux"
cp "$src"/kmod/Kbuild "$src"/kmod/*.c "$src"/kmod/*.h "$work/kmod/"
cp "$src"/include/uapi/linux/tdx_host.h "$work/include/uapi/linux/"
out=$(make -s -C "$kdir" M="$work/kmod" C=2 \
	-j"$(nproc)" modules 2>&1)
rc=$?
ours=$(printf '%s\n' "$out" | grep -E "^$work/kmod/[^:]+:[0-9]+:[0-9]+: (warning|error):")
if [ "$rc" = 0 ] && [ -z "$ours" ]; then
	echo "ok 1 - sparse: no warnings in the driver"
else
	echo "not ok 1 - sparse: no warnings in the driver"
	printf '%s\n' "${ours:-$out}" | sed "s|$work/||; s/^/# /" | head -n 60
fi
echo "1..1"
