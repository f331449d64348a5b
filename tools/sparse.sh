#!/bin/bash
# sparse.sh KDIR SRCROOT WORKDIR: run sparse over the driver through kbuild
# (make C=2), in a mirror under WORKDIR.  Prints TAP: one subtest, failing
# on any sparse warning about our sources, on a failed build, or when
# kbuild did not run sparse on every source file.  Without sparse,
# "Bail out!" naming the package to install.
set -uo pipefail
kdir=$1 src=$2 work=$3
echo "TAP version 13"
echo "1..1"
if ! command -v sparse >/dev/null; then
	echo "Bail out! sparse is not installed (apt-get install sparse; tools/install-deps.sh)"
	exit 1
fi
bash "$src/tools/kmod-mirror.sh" "$src" "$work"
out=$(make -C "$kdir" M="$work/kmod" C=2 -j"$(nproc)" modules 2>&1)
rc=$?
# the sources kbuild compiled (the kernel backend and its KUnit suite
# only where the kernel has the TDX host core): each must have been checked
nsrc=0
for c in "$work"/kmod/*.c "$work"/kmod/emu/*.c; do
	case "$c" in *.mod.c) continue ;; esac
	[ -f "${c%.c}.o" ] && nsrc=$((nsrc + 1))
done
# A diagnostic about any file but the kernel tree's and the system's is
# about ours: older kbuild names our files by absolute path, 6.13 and later
# relative to the module directory (main.c, emu/seam.c, ../include/...).
ours=$(printf '%s\n' "$out" | grep -E "^[^ :]+:[0-9]+:[0-9]+: (warning|error):" |
	grep -vE "^($kdir/|/usr/)")
# kbuild prints "CHECK <file>" for every file it hands to sparse
nchecked=$(printf '%s\n' "$out" | grep -cE "^ +CHECK +($work/kmod/)?[^ /][^ ]*\.c$")
if [ "$rc" = 0 ] && [ -z "$ours" ] && [ "$nsrc" -ge 7 ] && [ "$nchecked" = "$nsrc" ]; then
	echo "ok 1 - sparse: no warnings in the driver ($nchecked files checked)"
	exit 0
fi
echo "not ok 1 - sparse: no warnings in the driver"
if [ -n "$ours" ]; then
	printf '%s\n' "$ours" | sed "s|$work/||; s/^/# /" | head -n 60
else
	echo "# make exit $rc, sparse ran on $nchecked of $nsrc source files"
	printf '%s\n' "$out" | sed "s|$work/||; s/^/# /" | tail -n 60
fi
exit 1
