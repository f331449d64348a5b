#!/bin/bash
# split.sh TDXCTL.KO TDXCTL_EMU.KO: the production module holds nothing of
# the emulated TDX platform.  TAP.  Each check also looks at the emulated
# platform's module, where the same names must be found: a check that
# cannot see them there proves nothing here.
set -uo pipefail
core=$1 emu=$2
echo "TAP version 13"
echo "1..5"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }

for f in "$core" "$emu"; do
	[ -s "$f" ] || { echo "Bail out! $f: missing or empty"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the emulator's own words: functions, files, test hooks
emu_words='tdx_model_|seam_|tdmr_|pamt|inject|corrupt|debugfs|latency|fail_pamt_alloc'

# defined symbols
nm --defined-only "$core" > "$tmp/core.nm" || { echo "Bail out! nm $core failed"; exit 1; }
nm --defined-only "$emu" > "$tmp/emu.nm" || { echo "Bail out! nm $emu failed"; exit 1; }
found=$(grep -ciE "$emu_words" "$tmp/core.nm")
control=$(grep -ciE "$emu_words" "$tmp/emu.nm")
if [ "$found" = 0 ] && [ "$control" -gt 20 ]; then
	ok "tdxctl.ko defines no emulator symbol ($control in tdxctl_emu.ko)"
else
	notok "tdxctl.ko defines no emulator symbol (found $found; $control in tdxctl_emu.ko)"
	grep -iE "$emu_words" "$tmp/core.nm" | head -n 20 | diag
fi

# strings, debug info and BTF left out (they name the uapi's types and
# fields, such as pamt_kb, which the core rightly knows)
strip_types() { objcopy --strip-debug --remove-section=.BTF --remove-section=.BTF.ext "$1" "$2"; }
strip_types "$core" "$tmp/core.ko" && strip_types "$emu" "$tmp/emu.ko" ||
	{ echo "Bail out! objcopy failed to strip debug info and BTF"; exit 1; }
found=$(strings "$tmp/core.ko" | grep -ciE "$emu_words|SEAMCALL|TDH\.SYS")
control=$(strings "$tmp/emu.ko" | grep -ciE "$emu_words|SEAMCALL|TDH\.SYS")
if [ "$found" = 0 ] && [ "$control" -gt 10 ]; then
	ok "tdxctl.ko holds no emulator string ($control in tdxctl_emu.ko)"
else
	notok "tdxctl.ko holds no emulator string (found $found; $control in tdxctl_emu.ko)"
	strings "$tmp/core.ko" | grep -iE "$emu_words|SEAMCALL|TDH\.SYS" | head -n 20 | diag
fi

# no debugfs, no writable hooks: the core imports nothing of debugfs
found=$(nm -u "$core" | grep -c 'debugfs_')
control=$(nm -u "$emu" | grep -c 'debugfs_')
if [ "$found" = 0 ] && [ "$control" -gt 0 ]; then
	ok "tdxctl.ko uses no debugfs ($control debugfs imports in tdxctl_emu.ko)"
else
	notok "tdxctl.ko uses no debugfs (found $found; $control in tdxctl_emu.ko)"
fi

# test module: only the emulated platform says so (the kernel taints N)
ct=$(modinfo -F test "$core") et=$(modinfo -F test "$emu") ||
	{ echo "Bail out! modinfo failed"; exit 1; }
if [ -z "$ct" ] && [ "$et" = Y ]; then
	ok "tdxctl_emu.ko is a test module, tdxctl.ko is not"
else
	notok "tdxctl_emu.ko is a test module, tdxctl.ko is not (test: '$ct' / '$et')"
fi

# the emulated platform depends on the core, never the other way round
cd=$(modinfo -F depends "$core") ed=$(modinfo -F depends "$emu") ||
	{ echo "Bail out! modinfo failed"; exit 1; }
if [ -z "$cd" ] && [ "$ed" = tdxctl ]; then
	ok "tdxctl_emu.ko depends on tdxctl.ko only; tdxctl.ko on nothing"
else
	notok "module dependencies (tdxctl: '$cd', tdxctl_emu: '$ed')"
fi
