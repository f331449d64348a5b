# SPDX-License-Identifier: GPL-2.0-only
# tap.sh - sourced by the unit suite's TAP shell scripts:
#
#	. "$(dirname "$0")/tap.sh"; tap_begin NAME PLAN
#	ok TEXT | notok TEXT | check STATUS TEXT | ... diag
#	tap_end
#
# tap_begin prints the plan and makes the work directory $W (removed on
# exit); $FIXTURES is tests/fixtures.  check STATUS TEXT is ok when STATUS
# is 0, else not ok with $W/err and $W/out as diagnostics.  tap_end fails
# when a check failed or the number run differs from the plan.

FIXTURES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)
n=0
failed=0

tap_begin() {
	W=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-$1.XXXXXX")
	trap 'rm -rf "$W"' EXIT
	PLAN=$2
	echo "TAP version 13"
	echo "1..$PLAN"
}
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
check() {
	if [ "$1" = 0 ]; then ok "$2"; else
		notok "$2"; { cat "$W/err"; cat "$W/out"; } 2> /dev/null | head -20 | diag; fi
}
# mkfixture NAME DIR: the fixture NAME built into DIR
mkfixture() {
	rm -rf "$2"
	python3 "$FIXTURES/mkroot.py" "$FIXTURES/$1" "$2" || { echo "Bail out! fixture $1 does not build"; exit 1; }
}
# verdicts FILE ROOT: check's (id, status, observed), or status's document
# with ROOT as @ROOT@
verdicts() {
	python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read().replace(sys.argv[2], "@ROOT@"))
if "checks" in d:
    for c in d["checks"]: print(c["id"], c["status"], json.dumps(c.get("observed")))
else:
    d.pop("generated_at", None)
    print(json.dumps(d, sort_keys=True, indent=1))
' "$1" "$2" 2>&1
}
tap_end() {
	[ "$n" = "$PLAN" ] || echo "# ran $n checks, planned $PLAN"
	[ "$n" = "$PLAN" ] && [ "$failed" = 0 ]
}
