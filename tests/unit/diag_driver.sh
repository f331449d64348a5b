#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# diag_driver.sh - tdxctl diag and the driver as a source: a device that
# cannot be opened (permission, a node refused under --sysroot, a loaded
# driver without its node) is listed as missing with its errno and the
# exit status is 3 (partial), as tdxctl(8) says; no driver at all is
# absent (exit 0); a working (fake) device is neither.
#
# usage: diag_driver.sh TDXCTL FAKEDEV_SO
set -u

TDXCTL=$1
SHIM=$2
. "$(dirname "$0")/tap.sh"
tap_begin diagdrv 15

for f in fake-host tdx-host; do mkfixture $f "$W/$f"; done
export TDXFAKE_STATE=$W/fake-state TDXFAKE_DEV=$W/fake-host/dev/tdx_host TDXFAKE_SYSROOT=$W/fake-host

# diag NAME ROOT STATE ARGS...: tdxctl --json diag of ROOT, the manifest in $W/NAME.json
diag_of() {
	local name=$1 root=$2
	printf '%s\n' "$3" > "$TDXFAKE_STATE"
	shift 3
	LD_PRELOAD=$SHIM timeout 60 ${TDXCTL_WRAP:-} "$TDXCTL" --json --sysroot="$root" "$@" diag -o "$W/$name.tar.gz" > "$W/out" 2> "$W/err"
	rc=$?
	tar xzOf "$W/$name.tar.gz" --wildcards '*/manifest.json' > "$W/$name.json" 2> /dev/null
}
# listed FILE KEY [ERRNO]: dev/tdx_host is in the manifest's KEY list (with ERRNO)
listed() {
	python3 - "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
key, errno = sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
for e in m[key]:
    p = e if isinstance(e, str) else e["path"]
    if p == "dev/tdx_host" and (errno is None or e["errno"] == errno):
        sys.exit(0)
sys.exit(1)
PY
}

# the fake device answers: no missing driver, exit 0
diag_of ok "$W/fake-host" "state=0" --device="$TDXFAKE_DEV"
check $(( rc != 0 )) "a working device: exit 0 ($rc)"
! listed "$W/ok.json" missing
check $? "a working device: not listed as missing"

# open fails with EACCES
diag_of eacces "$W/fake-host" "eacces=1" --device="$TDXFAKE_DEV"
check $(( rc != 3 )) "the device cannot be opened (EACCES): exit 3 ($rc)"
listed "$W/eacces.json" missing EACCES
check $? "EACCES: dev/tdx_host is in the manifest's missing list"
grep -q '"path":"dev/tdx_host","errno":"EACCES"' "$W/out"
check $? "EACCES: the JSON result lists it"
grep -q '"reason":"permission denied: needs root"' "$W/out"
check $? "EACCES: the reason says root is needed"

# loaded (sysfs says so), its node not there
diag_of nonode "$W/fake-host" "state=0"
check $(( rc != 3 )) "driver loaded, no device node: exit 3 ($rc)"
listed "$W/nonode.json" missing ENOENT
check $? "no device node: listed as missing (ENOENT)"
grep -q 'driver loaded but its device node is missing' "$W/out"
check $? "no device node: the reason says so"

# a node in a replayed tree is refused: missing, never opened
ln -s /dev/null "$W/fake-host/dev/tdx_host"
diag_of refused "$W/fake-host" "state=0"
check $(( rc != 3 )) "dev/tdx_host a link under --sysroot: exit 3 ($rc)"
listed "$W/refused.json" missing ENOTDIR
check $? "dev/tdx_host a link: listed as missing (ENOTDIR)"
grep -q 'a --sysroot never opens a device' "$W/out"
check $? "dev/tdx_host a link: the reason says why"
rm -f "$W/fake-host/dev/tdx_host"

# no driver at all: absent, exit 0
diag_of nodriver "$W/tdx-host" "state=0"
check $(( rc != 0 )) "no driver loaded: exit 0 ($rc)"
listed "$W/nodriver.json" absent
check $? "no driver loaded: dev/tdx_host is absent"
! listed "$W/nodriver.json" missing
check $? "no driver loaded: not missing"
tap_end
