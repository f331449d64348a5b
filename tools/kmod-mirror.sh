#!/bin/bash
# kmod-mirror.sh SRCROOT DEST: copy what kbuild needs to build the driver
# (kmod/ with the emulated platform in kmod/emu/, the shared headers in
# include/) into DEST, fresh.  Kbuild before 6.13 writes its objects next
# to the sources, so the driver is never built in the source tree.
set -euo pipefail
src=$1 dest=$2
rm -rf "$dest"
mkdir -p "$dest/kmod/emu" "$dest/include/uapi/linux" "$dest/include/tdx"
cp -p "$src"/kmod/Kbuild "$src"/kmod/*.c "$src"/kmod/*.h "$dest/kmod/"
cp -p "$src"/kmod/emu/*.c "$src"/kmod/emu/*.h "$dest/kmod/emu/"
cp -p "$src"/include/uapi/linux/tdx_host.h "$src"/include/uapi/linux/tdx_host_genl.h \
	"$dest/include/uapi/linux/"
cp -p "$src"/include/tdx/*.h "$dest/include/tdx/"
