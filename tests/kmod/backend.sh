#!/bin/bash
# backend.sh TDXCTL.KO yes|no: the kernel backend is compiled into
# tdxctl.ko exactly where the kernel has the TDX host core (yes), and is
# absent elsewhere (no).  TAP.
set -uo pipefail
ko=$1 want=$2
echo "TAP version 13"
echo "1..1"
[ -s "$ko" ] || { echo "Bail out! $ko: missing or empty"; exit 1; }
defs=$(nm --defined-only "$ko") && undefs=$(nm -u "$ko") || { echo "Bail out! nm $ko failed"; exit 1; }
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
	exit 1
fi
