#!/bin/sh
# Print the kernel build tree to build the driver against: the newest
# /lib/modules/*/build that has a Makefile, include/generated/utsrelease.h
# (a dangling build link is skipped).  Prints nothing if none is usable.
# The running kernel (uname -r) is deliberately not the default.
set -u
best=
for d in /lib/modules/*/build; do
	[ -f "$d/Makefile" ] || continue
	[ -f "$d/include/generated/utsrelease.h" ] || continue
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$d/include/generated/utsrelease.h")
	best="$best$rel $d
"
done
[ -n "$best" ] || exit 0
printf '%s' "$best" | sort -V | tail -n 1 | cut -d' ' -f2-
