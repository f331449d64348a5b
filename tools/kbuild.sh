#!/bin/bash
# kbuild.sh KDIR SRCROOT OUTDIR OUT.ko [CHROOT]
#
# Build kmod/ against KDIR with the kernel's own build system, without
# writing into the source tree: kmod/ is mirrored into OUTDIR (kbuild before
# 6.13 writes objects next to M=), and the result is copied to OUT.ko.
# With CHROOT, the build runs inside that chroot (KDIR is a path inside it);
# used for kernels built with a compiler the host lacks.
# Warnings are errors (KCFLAGS=-Werror).
set -euo pipefail
kdir=$1 src=$2 out=$3 ko=$4 chroot_dir=${5:-}

mirror() { # mirror DEST: copy kmod sources + uapi include into DEST
	local dest=$1
	rm -rf "$dest"
	mkdir -p "$dest/kmod" "$dest/include/uapi/linux"
	cp -p "$src"/kmod/Kbuild "$src"/kmod/*.c "$src"/kmod/*.h "$dest/kmod/"
	cp -p "$src"/include/uapi/linux/tdx_host.h "$dest/include/uapi/linux/"
}

jobs=$(nproc 2>/dev/null || echo 2)
if [ -z "$chroot_dir" ]; then
	[ -f "$kdir/Makefile" ] || { echo "kbuild: $kdir is not a kernel build tree (install linux-headers-<version>, or set -Dkernel_dir=)" >&2; exit 1; }
	mirror "$out/kbuild"
	make -s -C "$kdir" M="$out/kbuild/kmod" KCFLAGS=-Werror -j"$jobs" modules
	cp "$out/kbuild/kmod/tdxctl.ko" "$ko"
else
	[ -f "$chroot_dir$kdir/Makefile" ] || { echo "kbuild: $chroot_dir$kdir is not a kernel build tree" >&2; exit 1; }
	tag=$(printf '%s' "$out" | md5sum | cut -c1-12)
	inner=/build/tdxctl-$tag
	mirror "$chroot_dir$inner"
	mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"
	chroot "$chroot_dir" make -s -C "$kdir" M="$inner/kmod" KCFLAGS=-Werror -j"$jobs" modules
	cp "$chroot_dir$inner/kmod/tdxctl.ko" "$ko"
fi
