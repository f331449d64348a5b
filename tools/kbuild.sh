#!/bin/bash
# kbuild.sh KDIR SRCROOT OUTDIR KODIR [CHROOT]
#
# Build kmod/ against KDIR with the kernel's own build system, without
# writing into the source tree: kmod/ is mirrored into OUTDIR (kbuild before
# 6.13 writes objects next to M=), and the modules (tdxctl.ko, the core;
# tdxctl_emu.ko, the emulated TDX platform; tdxctl_kunit.ko, the kernel
# backend's KUnit suite, where the kernel has what it needs) are copied
# into KODIR.
# With CHROOT, the build runs inside that chroot (KDIR is a path inside it);
# used for kernels built with a compiler the host lacks.
# Warnings are errors (KCFLAGS=-Werror).
set -euo pipefail
kdir=$1 src=$2 out=$3 kodir=$4 chroot_dir=${5:-}
modules=(tdxctl.ko tdxctl_emu.ko)

mirror() { bash "$src/tools/kmod-mirror.sh" "$src" "$1"; }

collect() { # collect BUILT_DIR: copy the modules into KODIR
	local m
	for m in "${modules[@]}"; do
		cp "$1/$m" "$kodir/$m"
	done
	# the kernel backend's KUnit suite, where Kbuild built it
	rm -f "$kodir/tdxctl_kunit.ko"
	if [ -f "$1/tdxctl_kunit.ko" ]; then
		cp "$1/tdxctl_kunit.ko" "$kodir/"
	fi
}

jobs=$(nproc 2>/dev/null || echo 2)
if [ -z "$chroot_dir" ]; then
	[ -f "$kdir/Makefile" ] || { echo "kbuild: $kdir is not a kernel build tree (install linux-headers-<version>, or set -Dkernel_dir=)" >&2; exit 1; }
	mirror "$out/kbuild"
	make -s -C "$kdir" M="$out/kbuild/kmod" KCFLAGS=-Werror -j"$jobs" modules
	collect "$out/kbuild/kmod"
else
	[ -f "$chroot_dir$kdir/Makefile" ] || { echo "kbuild: $chroot_dir$kdir is not a kernel build tree" >&2; exit 1; }
	tag=$(printf '%s' "$out" | md5sum | cut -c1-12)
	inner=/build/tdxctl-$tag
	mirror "$chroot_dir$inner"
	mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
	chroot "$chroot_dir" make -s -C "$kdir" M="$inner/kmod" KCFLAGS=-Werror -j"$jobs" modules
	collect "$chroot_dir$inner/kmod"
fi
