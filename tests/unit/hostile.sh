#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# hostile.sh - a replayed tree (an unpacked diag bundle) that lies: links
# out of it, links to the host's /proc, a FIFO, dev/tdx_host pointing at a
# device.  tdxctl --sysroot must give the verdicts of a clean copy, or a
# clear error, and never the host's data or the host's device.  The
# hostile trees are built here, at test time, from the tdx-host fixture.
#
# usage: hostile.sh TDXCTL FAKEDEV_SO
set -u

TDXCTL=$1
SHIM=$2
. "$(dirname "$0")/tap.sh"
tap_begin hostile 17

# tdx ROOT ARGS...: tdxctl under a 10 s timeout, with the fake device shim
# answering for ROOT/dev/tdx_host if anything ever opens it
tdx() {
	local root=$1
	shift
	TDXFAKE_DEV=$root/dev/tdx_host TDXFAKE_STATE=$W/fake-state TDXFAKE_SYSROOT=$root \
		LD_PRELOAD=$SHIM timeout 10 ${TDXCTL_WRAP:-} "$TDXCTL" --sysroot="$root" "$@" > "$W/out" 2> "$W/err"
	rc=$?
}


fresh() { mkfixture tdx-host "$W/$1"; }
fresh clean
for c in check status; do
	tdx "$W/clean" --json $c
	verdicts "$W/out" "$W/clean" > "$W/clean.$c"
done
printf 'state=2\n' > "$W/fake-state"
host_release=$(cat /proc/sys/kernel/osrelease)

# 1. osrelease -> ../../../../proc/sys/kernel/osrelease (as in an unpacked
# bundle one level down), and deep enough to reach / from anywhere
for ups in 4 16; do
	fresh osrel
	r=$W/osrel/proc/sys/kernel/osrelease
	rm -f "$r"
	ln -s "$(printf '../%.0s' $(seq $ups))proc/sys/kernel/osrelease" "$r"
	tdx "$W/osrel" --json status
	! grep -qF "\"$host_release\"" "$W/out"
	check $? "osrelease -> $ups x ../proc/sys/kernel/osrelease: the host's release ($host_release) is not shown"
	grep -q 'osrelease: a symbolic link loop' "$W/err"
	check $? "osrelease -> $ups x ..: a clear warning names the file"
done

# 2. cpuinfo -> /proc/cpuinfo: never the host's CPU
fresh cpuinfo
rm -f "$W/cpuinfo/proc/cpuinfo"
ln -s /proc/cpuinfo "$W/cpuinfo/proc/cpuinfo"
tdx "$W/cpuinfo" --json -v check
verdicts "$W/out" "$W/cpuinfo" > "$W/cpuinfo.check"
grep -q 'cpuinfo: a symbolic link loop' "$W/err"
check $? "cpuinfo -> /proc/cpuinfo: a clear warning names the file"
fresh nocpuinfo
rm -f "$W/nocpuinfo/proc/cpuinfo"
tdx "$W/nocpuinfo" --json -v check
verdicts "$W/out" "$W/nocpuinfo" > "$W/nocpuinfo.check"
diff "$W/nocpuinfo.check" "$W/cpuinfo.check" > "$W/err"
check $? "cpuinfo -> /proc/cpuinfo: the verdicts of a tree without cpuinfo, not the host's"

# 3. absolute and ".." links that stay in the tree: the clean verdicts
for how in abs up dir; do
	fresh links
	mv "$W/links/proc/cpuinfo" "$W/links/proc/cpuinfo.real"
	case $how in
	abs) ln -s /proc/cpuinfo.real "$W/links/proc/cpuinfo" ;;
	up) ln -s ../../../../../../../../proc/cpuinfo.real "$W/links/proc/cpuinfo" ;;
	dir) mv "$W/links/proc/cpuinfo.real" "$W/links/proc/cpuinfo"
	     mv "$W/links/sys" "$W/links/sys.real"; ln -s /sys.real "$W/links/sys" ;;
	esac
	ok_all=0
	for c in check status; do
		tdx "$W/links" --json $c
		verdicts "$W/out" "$W/links" > "$W/links.$c"
		cmp -s "$W/clean.$c" "$W/links.$c" || { ok_all=1; diff "$W/clean.$c" "$W/links.$c" | head -5 | diag; }
	done
	check $ok_all "absolute/.. links inside the tree ($how): check and status verdicts equal the clean copy's"
done

# 4. a FIFO for a file: refused at once, named
fresh fifo
rm -f "$W/fifo/proc/cpuinfo"
mkfifo "$W/fifo/proc/cpuinfo"
tdx "$W/fifo" --json check
[ "$rc" != 124 ]
check $? "a FIFO for proc/cpuinfo does not block"
grep -q 'cpuinfo: not a regular file' "$W/err"
check $? "a FIFO for proc/cpuinfo: a clear warning names it"

# 5. dev/tdx_host -> /dev/null, or a device node: the fake device answers
# for that path if it is ever opened; a --sysroot must never open it
devnode() {
	local what=$1
	fresh dev
	case $what in
	link) ln -s /dev/null "$W/dev/dev/tdx_host" ;;
	chr) mknod "$W/dev/dev/tdx_host" c 1 3 2> /dev/null || return 1 ;;
	esac
	printf 'state=2\n' > "$W/fake-state"
	tdx "$W/dev" --json status
	! grep -q '0.1.0-fake' "$W/out"
	check $? "dev/tdx_host as a $what: status never reaches the device behind it"
	grep -q 'a --sysroot never opens a device' "$W/err"
	check $? "dev/tdx_host as a $what: status says it is refused"
	tdx "$W/dev" enable
	[ "$rc" != 0 ] && ! grep -q '^calls=[1-9]' "$W/fake-state"
	check $? "dev/tdx_host as a $what: enable changes nothing (exit $rc)"
	return 0
}
devnode link
if ! devnode chr; then
	for _ in 1 2 3; do ok "# SKIP dev/tdx_host as a character node: mknod needs CAP_MKNOD"; done
fi
tap_end
