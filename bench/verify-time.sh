#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify-time.sh - tdxctl diag --verify on generated bundles of 5,000,
# 60,000 and 1,000,000 entries (one top directory, one file per entry
# listed in manifest.json with its size and SHA-256), against the floor of
# 'tar -tzf' listing the same archive in the same run.  --verify is linear
# in the entries: its time per entry stays flat as the bundle grows, and
# its ratio to tar's listing stays bounded.  Prints a table, never pass/fail.
#
# usage: bench/verify-time.sh [--build DIR] [N...]
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$HERE/../build
if [ "${1:-}" = --build ]; then BUILD=$2; shift 2; fi
TDXCTL=$BUILD/cli/tdxctl
[ -x "$TDXCTL" ] || { echo "verify-time.sh: no $TDXCTL (ninja -C $BUILD first)" >&2; exit 2; }
SIZES=${*:-5000 60000 1000000}
W=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-bench-verify.XXXXXX")
trap 'rm -rf "$W"' EXIT

# gen N OUT: a bundle of N small files below tdxctl-diag-bench/, 100 per directory
gen() {
	python3 - "$1" "$2" <<'PY'
import hashlib, io, json, sys, tarfile
n, out = int(sys.argv[1]), sys.argv[2]
top = "tdxctl-diag-bench"
files = []
with tarfile.open(out, "w:gz", compresslevel=1, format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo(top); d.type = tarfile.DIRTYPE; d.mode = 0o755; t.addfile(d)
    for i in range(n - 2):
        if i % 100 == 0:
            d = tarfile.TarInfo("%s/d%05d" % (top, i // 100)); d.type = tarfile.DIRTYPE; d.mode = 0o755
            t.addfile(d)
        data = b"%d\n" % i
        rel = "d%05d/f%07d" % (i // 100, i)
        ti = tarfile.TarInfo(top + "/" + rel); ti.size = len(data); ti.mode = 0o644
        t.addfile(ti, io.BytesIO(data))
        files.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    man = json.dumps({"format": "tdxctl-diag", "schema_version": 2, "files": files}).encode()
    ti = tarfile.TarInfo(top + "/manifest.json"); ti.size = len(man); ti.mode = 0o644
    t.addfile(ti, io.BytesIO(man))
PY
}

# secs CMD...: wall seconds of one run (best of 3 below 100,000 entries)
secs() {
	local best= t0 t1 t
	for _ in $(seq "$reps"); do
		t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s.%N)
		t=$(echo "$t1 - $t0" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}

printf '%10s %10s %12s %12s %14s %10s\n' entries "MB (gz)" "verify s" "tar -tzf s" "us/entry" "vs tar"
for n in $SIZES; do
	gen "$n" "$W/b$n.tar.gz"
	reps=3; [ "$n" -ge 100000 ] && reps=1
	if ! "$TDXCTL" diag --verify "$W/b$n.tar.gz" > "$W/out" 2>&1; then
		echo "verify-time.sh: the $n-entry bundle does not verify:" >&2; head -5 "$W/out" >&2; exit 1
	fi
	v=$(secs "$TDXCTL" diag --verify "$W/b$n.tar.gz")
	f=$(secs tar -tzf "$W/b$n.tar.gz")
	printf '%10d %10.1f %12.3f %12.3f %14.2f %10.2f\n' "$n" \
		"$(echo "$(stat -c %s "$W/b$n.tar.gz") / 1048576" | bc -l)" "$v" "$f" \
		"$(echo "$v * 1000000 / $n" | bc -l)" "$(echo "$v / $f" | bc -l)"
	rm -f "$W/b$n.tar.gz"
done
