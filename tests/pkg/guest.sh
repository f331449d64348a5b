#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# guest.sh SRC EMU_KO [LOGDIR]: the Debian packages installed, at work at
# boot and purged, in a guest that boots systemd (TAP).
#
# Builds tdxctl and tdxctl-dkms from a clean copy of SRC (lib.sh, as
# build.sh does) and boots the bookworm root file system of
# tools/build-systemd-rootfs.sh (its own kernel and initrd: the 6.1 line's
# Debian kernel) under QEMU, on a copy-on-write view of the image (the cache
# stays as built).  A second disk holds a tar archive of guest-run.sh, the
# packages and EMU_KO (tdxctl_emu.ko of the 6.1 build: a test module, not
# packaged), which the image's tdxctl-guest.service runs at every boot:
# stage 1 installs with dpkg -i (DKMS builds tdxctl.ko in the guest) and
# reboots, stage 2 checks the driver, the units, udev, the metrics and NFD
# files and the sos report, purges and compares the file system with its
# listing from before the installation, then powers off.  The guest reports
# on its second serial port, sends files back on a third disk (a tar
# archive), and the host validates them: promtool check metrics, the NFD
# feature file's syntax, status --json against cli/schema.
#
# The plan is declared before the first check: the host's checks plus the
# guest's PLAN1 and PLAN2 (guest-run.sh).  A guest check that never
# arrived (a guest that died, hung or timed out) is a failed check, named.
# Environment: TDXCTL_CACHE (default /var/cache/tdxctl), VM_TIMEOUT
# (seconds for the guest, default 1200).  Guests take /tmp/tdxctl-vm.lock.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
SRC=$(cd "${1:?usage: guest.sh SRC EMU_KO [LOGDIR]}" && pwd)
EMU=${2:?usage: guest.sh SRC EMU_KO [LOGDIR]}
LOGDIR=${3:-$PWD/pkg-guest-logs}
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
rootfs=$cache/rootfs-bookworm
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-pkg-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$LOGDIR" || exit 1
rm -f "$LOGDIR"/console.log "$LOGDIR"/result.log "$LOGDIR"/qemu.log
plan_of() { sed -n "s/^$1=\([0-9]*\)$/\1/p" "$here/guest-run.sh"; }

PLAN1=$(plan_of PLAN1)
PLAN2=$(plan_of PLAN2)
HOST_PRE=3	# rootfs fresh, packages built, tdxctl_emu.ko for the image's kernel
HOST_POST=4	# promtool, NFD syntax, status --json schema, guest finished
echo "TAP version 13"
echo "1..$(( HOST_PRE + PLAN1 + PLAN2 + HOST_POST ))"
t_all=$(date +%s)
# finish: every check that did not run fails, named; the exit status
finish() {
	local total=$(( HOST_PRE + PLAN1 + PLAN2 + HOST_POST ))
	while [ "$n" -lt "$total" ]; do notok "did not run: $1"; done
	echo "# whole test: $(( $(date +%s) - t_all )) s; logs in $LOGDIR"
	[ "$failed" = 0 ]
	exit
}

# the image, the packages, the test module
if tools=$(cd "$here/../../tools" && pwd) &&
   TDXCTL_CACHE=$cache "$tools/build-systemd-rootfs.sh" --check > "$WORK/rootfs" 2>&1; then
	ok "systemd root file system is fresh ($rootfs: $(grep '^abi=' "$rootfs/.tdxctl-key"))"
else
	notok "systemd root file system is fresh (tools/build-systemd-rootfs.sh)"; diag < "$WORK/rootfs"
	finish "the root file system is missing"
fi
abi=$(sed -n 's/^abi=//p' "$rootfs/.tdxctl-key")
version=$(pkg_version "$SRC")
pkg_clean_copy "$SRC" "$WORK/src"
t0=$(date +%s)
if [ -n "$version" ] && pkg_build "$WORK/src" "$WORK/build.log" &&
   [ -f "$WORK/tdxctl_${version}_amd64.deb" ] && [ -f "$WORK/tdxctl-dkms_${version}_all.deb" ]; then
	ok "dpkg-buildpackage: tdxctl and tdxctl-dkms $version ($(( $(date +%s) - t0 )) s)"
else
	notok "dpkg-buildpackage: tdxctl and tdxctl-dkms ${version:-(no version in meson.build)}"
	tail -n 30 "$WORK/build.log" | diag
	finish "no packages"
fi
vm=$(modinfo -F vermagic "$EMU" 2>&1)
if [[ "$vm" == "$abi "* ]]; then ok "tdxctl_emu.ko ($EMU) is built for $abi"
else notok "tdxctl_emu.ko ($EMU) is built for $abi: vermagic $vm"; finish "no tdxctl_emu.ko for $abi"; fi

# the guest's disks: the test archive, an empty one for what it sends back
mkdir "$WORK/in"
cp "$here/guest-run.sh" "$WORK/tdxctl_${version}_amd64.deb" "$WORK/tdxctl-dkms_${version}_all.deb" "$WORK/in/" &&
	cp "$EMU" "$WORK/in/tdxctl_emu.ko" && echo "$version" > "$WORK/in/version" &&
	tar -C "$WORK/in" -cf "$WORK/in.tar" . && truncate -s 64M "$WORK/out.img" ||
	{ notok "guest disks made"; finish "no guest disks"; }

timeout=${VM_TIMEOUT:-1200}
console=$LOGDIR/console.log result=$LOGDIR/result.log
qargs=(-nodefaults -no-user-config -display none -m 2048 -smp 2
	-accel tcg,thread=multi -cpu qemu64
	-kernel "$rootfs/vmlinuz" -initrd "$rootfs/initrd.img"
	-append "root=/dev/vda rw fsck.mode=skip console=ttyS0 panic=5 lpj=10000000"
	-drive "file=$rootfs/root.img,format=raw,if=virtio,snapshot=on"
	-drive "file=$WORK/in.tar,format=raw,if=virtio,readonly=on"
	-drive "file=$WORK/out.img,format=raw,if=virtio"
	-serial "file:$console" -serial "file:$result")
# the reboot of stage 1 restarts the guest in the same QEMU (no -no-reboot)
# with the same disks; stage 2 powers off
(
	flock 9
	t0=$(date +%s)
	timeout -k 5 "$timeout" qemu-system-x86_64 "${qargs[@]}" < /dev/null > "$LOGDIR/qemu.log" 2>&1
	echo "$? $(( $(date +%s) - t0 ))" > "$WORK/qemu.rc"
) 9> /tmp/tdxctl-vm.lock
read -r qrc wall < "$WORK/qemu.rc"
tr -d '\r' 2> /dev/null < "$result" > "$WORK/result"
grep '^GUEST-ERROR' "$WORK/result" | diag

# the guest's checks, stage by stage, against their plans
stage() { # stage N PLAN
	local s=$1 plan=$2 got=0 line
	while IFS= read -r line; do
		case "$line" in
		"ok - "*|"not ok - "*)
			got=$((got + 1))
			[ "$got" -le "$plan" ] || continue
			if [ "$got" = "$plan" ] && [ "$(sed -n "/^STAGE $s START/,/^STAGE $s END/p" "$WORK/result" | grep -c '^\(not \)\?ok - ')" -gt "$plan" ]; then
				notok "stage $s: more checks than its plan of $plan"
			elif [ "${line#ok - }" != "$line" ]; then ok "stage $s: ${line#ok - }"
			else notok "stage $s: ${line#not ok - }"; fi ;;
		"#"*) echo "$line" ;;
		GUEST-ERROR*) echo "# $line" ;;
		esac
	done < <(sed -n "/^STAGE $s START/,/^STAGE $s END/p" "$WORK/result")
	grep -q "^STAGE $s END" "$WORK/result" || echo "# stage $s did not reach its end"
	while [ "$got" -lt "$plan" ]; do
		got=$((got + 1))
		notok "stage $s: check $got of $plan did not run"
	done
}
stage 1 "$PLAN1"
stage 2 "$PLAN2"

# what the guest sent
mkdir "$WORK/out"
tar -C "$WORK/out" -xf "$WORK/out.img" 2> /dev/null
cp -a "$WORK/out/." "$LOGDIR/" 2> /dev/null
prom=$WORK/out/tdxctl.prom
if [ -s "$prom" ] && promtool check metrics < "$prom" > "$WORK/promtool" 2>&1; then
	ok "promtool check metrics: the guest's tdxctl.prom ($(grep -c '^tdxctl_' "$prom") samples)"
else notok "promtool check metrics: the guest's tdxctl.prom"; diag 2> /dev/null < "$WORK/promtool"; fi
nfd=$WORK/out/tdxctl
if [ -s "$nfd" ] && python3 - "$nfd" > "$WORK/nfd" 2>&1 <<'PY'
# node-feature-discovery's features.d format: "# +expiry-time=..." directives
# and comments; "[-]name[=value]" with a Kubernetes label name (optional
# DNS prefix) and value
import re, sys
name = re.compile(r'^(?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$')
value = re.compile(r'^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$')
bad = labels = 0
for no, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        continue
    k, _, v = line.lstrip('-').partition('=')
    if not name.match(k) or not value.match(v):
        print(f'line {no}: not a label: {line}'); bad += 1
    labels += 1
print(f'{labels} labels')
sys.exit(bad or not labels)
PY
then ok "NFD feature file from the guest parses ($(tail -n 1 "$WORK/nfd"))"
else notok "NFD feature file from the guest parses"; diag 2> /dev/null < "$WORK/nfd"; fi
if [ -s "$WORK/out/status.json" ] &&
   python3 "$SRC/tests/unit/validate.py" "$SRC/cli/schema" "$WORK/out/status.json" > "$WORK/schema" 2>&1; then
	ok "the guest's status --json validates against cli/schema"
else notok "the guest's status --json validates against cli/schema"; diag 2> /dev/null < "$WORK/schema"; fi

if [ "$qrc" = 0 ] && grep -q '^STAGE 2 END' "$WORK/result"; then
	ok "guest finished: two boots, powered off (${wall} s, accel tcg)"
else
	why="qemu exit status $qrc"
	[ "$qrc" = 124 ] && why="timed out after ${timeout} s"
	notok "guest finished: two boots, powered off ($why)"
	grep -E 'Kernel panic|BUG:|Oops|WARNING:' "$console" 2> /dev/null | head -n 20 | diag
	tail -n 20 "$console" 2> /dev/null | tr -d '\r' | diag
fi
finish "(the plan is longer than the checks made)"
