#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-run.sh REPORT OUTDEV: the package test inside the systemd guest
# (tools/build-systemd-rootfs.sh; run at every boot by tdxctl-guest.service
# from the archive tests/pkg/guest.sh puts on /dev/vdb, next to this script:
# the two packages and tdxctl_emu.ko).  Checks go to REPORT (a serial port)
# as "ok - NAME" / "not ok - NAME" and "# ..." lines, each stage between
# "STAGE N START" and "STAGE N END"; files for the host are written as a
# tar archive to the raw disk OUTDEV.
#   stage 1 (first boot): list the file system, dpkg -i both packages, DKMS
#     has built tdxctl.ko for the running kernel, the test's modprobe.d
#     drop-in (backend=emulated) and tdxctl_emu.ko loaded at boot, the
#     units enabled; reboot (exit 100: tdxctl-guest does not power off).
#   stage 2 (second boot): the driver and the emulated platform loaded at
#     boot, tdxctl-enable.service initialized the TDX module, the udev rule,
#     the metrics and NFD files, no failed unit, the sos report; then the
#     test's own files removed, apt-get purge, and the file system listed
#     again: the same as before the installation.
# PLAN1 and PLAN2 are the number of checks of each stage (guest.sh reads
# them); every check below runs whatever happened before it.
set -uo pipefail
PLAN1=6
PLAN2=21
report=${1:?usage: guest-run.sh REPORT OUTDEV}
outdev=${2:?usage: guest-run.sh REPORT OUTDEV}
here=$(cd "$(dirname "$0")" && pwd)
state=/var/lib/tdxctl-guest
kver=$(uname -r)
version=$(cat "$here/version")
stty -F "$report" raw -echo 2> /dev/null
exec >> "$report" 2>&1
export LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }
diag() { sed 's/^/# /'; }
# the file system, but for the volatile places and the test's own files
listing() {
	find / -xdev \( -path /proc -o -path /sys -o -path /run -o -path /dev -o -path /tmp \
		-o -path /var/tmp -o -path /var/log -o -path /var/cache/apt -o -path /var/lib/apt \
		-o -path "$state" \) -prune -o -print | sort
}
dropin=/etc/modprobe.d/tdxctl-test.conf
emu=/lib/modules/$kver/extra/tdxctl_emu.ko
loadfile=/etc/modules-load.d/tdxctl-test.conf
prom=/var/lib/prometheus/node-exporter
nfd=/etc/kubernetes/node-feature-discovery/features.d

mkdir -p "$state"
boots=$(( $(cat "$state/boots" 2> /dev/null || echo 0) + 1 ))
echo "$boots" > "$state/boots"
# the units this boot started settle first
systemctl is-system-running --wait > "$state/running.$boots" 2>&1

if [ "$boots" = 1 ]; then
	echo "STAGE 1 START $kver"
	# the file system before the installation; the test's own files after
	# it (/var/lib/tdxctl-guest, /run) are left out
	if listing > "$state/before" && [ -s "$state/before" ]; then
		ok "file system listed before the installation ($(wc -l < "$state/before") paths)"
	else notok "file system listed before the installation"; fi

	t0=$(date +%s)
	if dpkg -i "$here/tdxctl_${version}_amd64.deb" "$here/tdxctl-dkms_${version}_all.deb" > "$state/dpkg.log" 2>&1; then
		ok "dpkg -i tdxctl tdxctl-dkms $version (DKMS build included: $(( $(date +%s) - t0 )) s)"
	else notok "dpkg -i tdxctl tdxctl-dkms $version"; tail -n 30 "$state/dpkg.log" | diag; fi

	st=$(dkms status 2>&1)
	echo "$st" | diag
	check "dkms status: tdxctl/$version installed for $kver" \
		grep -qE "^tdxctl/$version, $kver, [^:]*: installed" <<< "$st"
	ko=$(modinfo -k "$kver" -F filename tdxctl 2>&1)
	vm=$(modinfo -k "$kver" -F vermagic tdxctl 2>&1)
	echo "# $ko: $vm"
	check "modinfo: tdxctl.ko of DKMS under /lib/modules/$kver/updates/dkms, vermagic $kver" \
		bash -c "[[ '$ko' == /lib/modules/$kver/updates/dkms/tdxctl.ko* ]] && [ -f '$ko' ] && [[ '$vm' == '$kver '* ]]"

	# what the test adds: the emulated backend for tdxctl, the emulated
	# TDX platform (a test module, not packaged) loaded at boot
	if echo "options tdxctl backend=emulated" > "$dropin" &&
	   install -D -m 644 "$here/tdxctl_emu.ko" "$emu" &&
	   echo tdxctl_emu > "$loadfile" && depmod -a "$kver" &&
	   modprobe --show-depends tdxctl_emu > "$state/deps" 2>&1 &&
	   grep -q "updates/dkms/tdxctl.ko.* backend=emulated" "$state/deps" &&
	   grep -q "extra/tdxctl_emu.ko" "$state/deps"; then
		ok "modprobe.d drop-in (backend=emulated), tdxctl_emu.ko in modules-load.d, depmod: tdxctl_emu needs DKMS' tdxctl.ko"
	else notok "test drop-in, tdxctl_emu.ko, depmod"; diag < "$state/deps"; fi

	if mkdir -p "$prom" "$nfd" &&
	   systemctl enable tdxctl-enable.service tdxctl-metrics.timer tdxctl-nfd.timer > "$state/enable.log" 2>&1; then
		ok "systemctl enable tdxctl-enable.service tdxctl-metrics.timer tdxctl-nfd.timer (output directories made)"
	else notok "systemctl enable"; diag < "$state/enable.log"; fi

	# the second boot is stage 2 (its checks prove the reboot); the report
	# drains before systemd stops this service
	echo "STAGE 1 END"
	sleep 2
	if ! systemctl reboot --no-block > "$state/reboot.log" 2>&1; then
		{ echo "systemctl reboot failed"; cat "$state/reboot.log"; } | sed 's/^/GUEST-ERROR /'
		exit 1
	fi
	exit 100
fi
if [ "$boots" != 2 ]; then
	echo "GUEST-ERROR boot $boots: the guest rebooted on its own"
	exit 1
fi

echo "STAGE 2 START $kver"
diag < "$state/running.$boots"
out=$state/out
mkdir -p "$out"

check "tdxctl loaded at boot with backend=emulated (the drop-in)" \
	grep -qx emulated /sys/module/tdxctl/parameters/backend
check "tdxctl_emu loaded at boot (modules-load.d)" test -d /sys/module/tdxctl_emu
check "tdxctl-enable.service is active" test "$(systemctl is-active tdxctl-enable.service)" = active
res=$(systemctl show -P Result tdxctl-enable.service)
code=$(systemctl show -P ExecMainStatus tdxctl-enable.service)
check "tdxctl-enable.service: result $res, tdxctl enable exit $code (success, 0)" \
	test "$res:$code" = success:0
journalctl -b -u tdxctl-enable.service --no-pager -o cat 2>&1 | tail -n 15 | diag

tdxctl status --json > "$out/status.json" 2> "$state/status.err"
rc=$?
check "tdxctl status --json: exit 0, the TDX module initialized (exit $rc)" \
	python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["module"]["state"] != "initialized")' "$out/status.json"
[ "$rc" = 0 ] || { notok "tdxctl status --json exit status $rc"; diag < "$state/status.err"; }
[ "$rc" = 0 ] && ok "tdxctl status --json exit status 0"
# the mode is the driver's own too: the rule's systemd tag shows it applied
node=$(stat -c '%a %U %G' /dev/tdx_host 2>&1)
tags=$(udevadm info -q property -n /dev/tdx_host 2>&1 | sed -n 's/^TAGS=//p')
check "/dev/tdx_host is 0600 root:root, tagged systemd (60-tdxctl.rules): $node, tags $tags" \
	bash -c "[ '$node' = '600 root root' ] && [[ '$tags' == *:systemd:* ]]"

check "tdxctl-metrics.timer and tdxctl-nfd.timer are active" \
	test "$(systemctl is-active tdxctl-metrics.timer tdxctl-nfd.timer | tr '\n' ' ')" = "active active "
for svc in tdxctl-metrics:$prom/tdxctl.prom tdxctl-nfd:$nfd/tdxctl; do
	u=${svc%%:*} f=${svc#*:}
	# a timer that has not fired yet: its service once, by hand
	how="its timer"
	if [ ! -s "$f" ]; then
		how="started by hand"
		systemctl start "$u.service" > "$state/$u.log" 2>&1 || diag < "$state/$u.log"
	fi
	r=$(systemctl show -P Result "$u.service"):$(systemctl show -P ExecMainStatus "$u.service")
	if [ -s "$f" ] && [ "$r" = success:0 ] && cp "$f" "$out/${f##*/}"; then
		ok "$u.service wrote $f ($how, $(wc -l < "$f") lines)"
	else notok "$u.service wrote $f ($how; result:exit $r)"; fi
done

failed=$(systemctl --failed --no-legend --plain 2>&1)
check "systemctl --failed is empty" test -z "$failed"
[ -z "$failed" ] || echo "$failed" | diag

rm -rf /var/tmp/sos.*
sosdir=$(mktemp -d /var/tmp/sos.XXXXXX)
t0=$(date +%s)
if sos report --batch --only-plugins tdxctl --tmp-dir "$sosdir" > "$state/sos.log" 2>&1; then
	ok "sos report --batch --only-plugins tdxctl ($(( $(date +%s) - t0 )) s)"
else notok "sos report --batch --only-plugins tdxctl"; tail -n 20 "$state/sos.log" | diag; fi
arch=$(ls "$sosdir"/sosreport-*.tar.* 2> /dev/null | grep -v '\.sha256$' | head -n 1)
if [ -n "$arch" ] && tar -tf "$arch" > "$out/sos.list" 2> "$state/sos.tar"; then
	bundle=$(grep -m1 '/sos_commands/tdxctl/tdxctl-diag.tar.gz$' "$out/sos.list")
	if [ -n "$bundle" ] && tar -xOf "$arch" "$bundle" > "$out/tdxctl-diag.tar.gz" &&
	   tar -tzf "$out/tdxctl-diag.tar.gz" > "$state/bundle.list" && [ -s "$state/bundle.list" ]; then
		ok "the sos archive holds the tdxctl diag bundle ($(wc -l < "$state/bundle.list") files)"
	else notok "the sos archive holds the tdxctl diag bundle"; grep tdxctl "$out/sos.list" | diag; fi
	check "the sos archive holds tdxctl status --json" grep -q '/sos_commands/tdxctl/tdxctl_status_--json' "$out/sos.list"
else
	notok "the sos archive holds the tdxctl diag bundle (no archive: ${arch:-none})"
	notok "the sos archive holds tdxctl status --json (no archive)"
fi

# the files for the host, before anything is removed
if tar -C "$out" -cf "$outdev" . 2> "$state/out.err"; then ok "files sent to the host ($(ls "$out" | tr '\n' ' '))"
else notok "files sent to the host"; diag < "$state/out.err"; fi

# what the test added goes first: the units it enabled, its drop-in, the
# emulated platform, the output directories, the sos report
if systemctl disable tdxctl-enable.service tdxctl-metrics.timer tdxctl-nfd.timer > "$state/disable.log" 2>&1 &&
   rm -f "$dropin" "$emu" "$loadfile" && rmdir "/lib/modules/$kver/extra" &&
   rm -rf "$prom" /var/lib/prometheus "$nfd" /etc/kubernetes "$sosdir" && depmod -a "$kver"; then
	ok "the test's own files removed, its units disabled"
else notok "the test's own files removed, its units disabled"; diag < "$state/disable.log"; fi

if apt-get purge -y tdxctl tdxctl-dkms > "$state/purge.log" 2>&1; then
	ok "apt-get purge -y tdxctl tdxctl-dkms"
else notok "apt-get purge -y tdxctl tdxctl-dkms"; tail -n 30 "$state/purge.log" | diag; fi
st=$(dkms status 2>&1)
check "dkms status no longer lists tdxctl" bash -c "! grep -q tdxctl <<< '$st'"
left=$(find /lib/modules -name 'tdxctl.ko*' 2>&1)
check "no tdxctl.ko under /lib/modules" test -z "$left"
[ -z "$left" ] || echo "$left" | diag
check "dpkg knows neither package any more" \
	bash -c '! dpkg-query -W -f "\${db:Status-Status}\n" tdxctl tdxctl-dkms 2> /dev/null | grep -qv "^not-installed$"'
listing > "$state/after"
if diff -u "$state/before" "$state/after" > "$state/listing.diff"; then
	ok "the file system is as before the installation ($(wc -l < "$state/after") paths)"
else notok "the file system is as before the installation"; grep '^[-+]/' "$state/listing.diff" | head -n 40 | diag; fi
echo "STAGE 2 END"
exit 0
