#!/bin/sh
# guest-image.sh RELEASE: print a kernel image QEMU can boot for RELEASE:
# a prepared one from the kernel cache (tools/prepare-kernels.sh), else
# /boot/vmlinuz-RELEASE.  Prints nothing if there is none.
set -u
rel=$1
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
for env in "$cache"/lines/*.env; do
	[ -f "$env" ] || continue
	r=$(sed -n 's/^RELEASE=//p' "$env" | tr -d "'\"")
	if [ "$r" = "$rel" ]; then
		sed -n 's/^IMAGE=//p' "$env" | tr -d "'\""
		exit 0
	fi
done
[ -r "/boot/vmlinuz-$rel" ] && echo "/boot/vmlinuz-$rel"
exit 0
