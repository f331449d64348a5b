#!/bin/sh
# kernel-release.sh KDIR [CHROOT]: print the release string of a kernel build
# tree, read from include/generated/utsrelease.h (Debian's "make kernelrelease"
# prints the upstream version instead).
set -eu
f="${2:-}$1/include/generated/utsrelease.h"
[ -f "$f" ] || { echo "kernel-release: $f: no such file (is this a configured kernel tree?)" >&2; exit 1; }
sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$f"
