#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# output.sh - where tdxctl diag writes its bundle: mode 0600 even over an
# existing file, never through a link, unique default names for runs in
# the same second, and nothing left behind (no partial bundle, no
# temporary file, no success figures) when the disk fills up half-way or
# the destination cannot be written.  iofail.so fakes the full disk and
# the clock.
#
# usage: output.sh TDXCTL IOFAIL_SO
set -u

TDXCTL=$(realpath "$1")
IOFAIL=$(realpath "$2")
. "$(dirname "$0")/tap.sh"
tap_begin output 23

mkfixture tdx-host "$W/root"
R=--sysroot=$W/root

# tdx ARGS...: tdxctl with iofail.so, in $W/d
tdx() {
	(cd "$W/d" && LD_PRELOAD=$IOFAIL timeout 60 ${TDXCTL_WRAP:-} "$TDXCTL" "$@") > "$W/out" 2> "$W/err"
	rc=$?
}
# only FILES...: $W/d holds exactly these names
only() {
	[ "$(cd "$W/d" && ls -A | xargs)" = "$*" ]
}
fresh() { rm -rf "$W/d"; mkdir "$W/d"; }

# 1. an existing 0644 file is replaced by a 0600 bundle
fresh
echo old > "$W/d/b.tar.gz"; chmod 644 "$W/d/b.tar.gz"
tdx "$R" diag -o b.tar.gz
check $(( rc != 0 )) "-o over an existing file: exit 0"
[ "$(stat -c %a "$W/d/b.tar.gz")" = 600 ]
check $? "-o over an existing 0644 file: the bundle is 0600 ($(stat -c %a "$W/d/b.tar.gz"))"
only b.tar.gz
check $? "-o over an existing file: no temporary file left"

# 2. -o LINK: the link's target is never written
fresh
echo precious > "$W/target"; chmod 644 "$W/target"
ln -s "$W/target" "$W/d/link.tar.gz"
tdx "$R" diag -o link.tar.gz
[ "$(cat "$W/target")" = precious ] && [ "$(stat -c %a "$W/target")" = 644 ]
check $? "-o to a symbolic link: its target is untouched"
[ ! -L "$W/d/link.tar.gz" ] && [ "$(stat -c %a "$W/d/link.tar.gz")" = 600 ] && tar tzf "$W/d/link.tar.gz" > /dev/null 2>&1
check $? "-o to a symbolic link: the bundle replaces the link, 0600"

# 3. default names: runs in one second never overwrite each other
fresh
export IOFAIL_TIME=1767225600		# 2026-01-01T00:00:00Z
for _ in 1 2 3; do tdx "$R" diag; done
unset IOFAIL_TIME
files=$(cd "$W/d" && ls -A)
[ "$(echo "$files" | wc -l)" = 3 ]
check $? "three default-named runs in one second: three bundles ($(echo $files))"
echo "$files" | grep -qx 'tdxctl-diag-20260101T000000Z.tar.gz' && echo "$files" | grep -qx 'tdxctl-diag-20260101T000000Z-2.tar.gz'
check $? "default names: the first as documented, the next with -2, -3"
bad=0
for f in $files; do
	"$TDXCTL" diag --verify "$W/d/$f" > /dev/null 2>&1 || bad=1
	[ "$(stat -c %a "$W/d/$f")" = 600 ] || bad=1
done
check $bad "default names: each bundle is whole (verifies) and 0600"
grep -q 'tdxctl-diag-20260101T000000Z-3.tar.gz' "$W/out"
check $? "default names: the name printed is the one written"

# 4. the disk fills up half-way: no file, no success figures, a clear error
for json in "" --json; do
	fresh
	IOFAIL_ENOSPC_AFTER=3000 tdx "$R" $json diag -o full.tar.gz
	[ "$rc" = 1 ]
	check $? "disk full half-way${json:+ ($json)}: exit 1 ($rc)"
	only ""
	check $? "disk full half-way${json:+ ($json)}: no partial bundle, no temporary file left"
	cat "$W/err" "$W/out" | grep -q 'No space left on device'
	check $? "disk full half-way${json:+ ($json)}: says 'No space left on device'"
	! grep -qiE '"bytes"|^ *bytes|"files"|^ *files' "$W/out"
	check $? "disk full half-way${json:+ ($json)}: no success figures"
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["error"]["errno"] == "ENOSPC"' "$W/out" 2> /dev/null
check $? "disk full half-way (--json): one document, error ENOSPC"

# 5. the default name, disk full: nothing left either
fresh
IOFAIL_ENOSPC_AFTER=3000 tdx "$R" diag
only ""
check $? "disk full, default name: nothing left"

# 6. a destination that cannot be written: a directory, a missing directory
fresh
mkdir "$W/d/dir.tar.gz"
tdx "$R" diag -o dir.tar.gz
[ "$rc" != 0 ] && only dir.tar.gz && [ -z "$(ls -A "$W/d/dir.tar.gz")" ]
check $? "-o to a directory: an error (exit $rc), nothing left"
fresh
tdx "$R" diag -o nodir/b.tar.gz
[ "$rc" != 0 ] && only "" && grep -q 'nodir/b.tar.gz: No such file or directory' "$W/err"
check $? "-o into a missing directory: a clear error (exit $rc), nothing left"

fresh
mkfifo "$W/d/fifo.tar.gz"
tdx "$R" diag -o fifo.tar.gz
[ "$rc" = 1 ] && [ -p "$W/d/fifo.tar.gz" ] && only fifo.tar.gz && grep -q 'fifo.tar.gz: not a regular file' "$W/err"
check $? "-o to a FIFO: refused (exit $rc), the FIFO stays, nothing left"

# 7. standard output still works
fresh
(cd "$W/d" && "$TDXCTL" "$R" diag -o - > "$W/stdout.tar.gz" 2> "$W/err")
tar tzf "$W/stdout.tar.gz" > /dev/null 2>&1 && only ""
check $? "-o -: the bundle on standard output, no file"
tap_end
