# SPDX-License-Identifier: GPL-2.0-only
#
# tap-helpers.sh - TAP checks and the test host shared by the unit scripts
# (sourced).  The script sets $HERE (its directory) and $PLAN, then calls
# tap_start, or sets n=0 and failed=0, $WORK, $FIXTURES, $TDXCTL and
# $SHIM itself.

# tap_start NAME TDXCTL FAKEDEV_SO SCHEMA_DIR: $TDXCTL, $SHIM, $SCHEMAS,
# $SRC, $FIXTURES, a $WORK removed on exit, the TAP header with $PLAN
tap_start() {
	TDXCTL=$2
	SHIM=$3
	SCHEMAS=$4
	SRC=$(cd "$HERE/../.." && pwd)
	FIXTURES=$SRC/tests/fixtures
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-$1.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	mkdir -p "$WORK/fx"
	echo "TAP version 13"
	echo "1..$PLAN"
	n=0
	failed=0
}

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
bail() { echo "Bail out! $*"; exit 1; }

# tdx ARGS...: run $TDXCTL (under $TDXCTL_WRAP, the fake device $SHIM
# preloaded): stdout in $WORK/out, stderr in $WORK/err, exit code in $rc
tdx() {
	LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$@" > "$WORK/out" 2> "$WORK/err"
	rc=$?
	sanitized "$*"
}
# sanitized WHAT: sanitizer and valgrind reports and crashes of the last
# run never go unnoticed (no_tool_errors reports them)
sanitized() {
	if [ "$rc" = 97 ] || [ "$rc" = 99 ] || [ "$rc" -gt 128 ] ||
	   grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|^==[0-9]+== ' "$WORK/err"; then
		{ echo "tdxctl $1 (exit $rc)"; cat "$WORK/err"; } >> "$WORK/tool-errors"
	fi
}

# rc_is NAME WANT ARGS...: exit code only (stdout kept in $WORK/out)
rc_is() {
	local name=$1 want=$2
	shift 2
	tdx "$@"
	if [ "$rc" = "$want" ]; then ok "$name: exit $want"; else
		notok "$name: exit $rc, wanted $want"; diag < "$WORK/err"; fi
}

# has NAME FILE REGEX / hasnt NAME FILE REGEX (a missing FILE fails both)
has() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else notok "$1"; echo "no /$3/ in $2:" | diag; diag < "$2"; fi
}
hasnt() {
	grep -qE -- "$3" "$2"
	case $? in
	1) ok "$1" ;;
	0) notok "$1"; echo "unexpected /$3/ in:" | diag; diag < "$2" ;;
	*) notok "$1"; echo "cannot read $2" | diag ;;
	esac
}

# fixtures_and_fake: every fixture built under $WORK/fx; the fake device
# (fakedev.so) on a fake-host sysroot: $FAKE, $FK (its --sysroot), $FD
# (the device, named: a --sysroot alone never opens a device node), and
# fake_reset [STATE-LINE...] for a fresh sysroot and device state
fixtures_and_fake() {
	local f

	for f in "$FIXTURES"/*/; do
		f=$(basename "$f")
		python3 "$FIXTURES/mkroot.py" "$FIXTURES/$f" "$WORK/fx/$f" || bail "fixture $f does not build"
	done
	FAKE=$WORK/fake
	FK=--sysroot=$FAKE
	FD=--device=$FAKE/dev/tdx_host
	export TDXFAKE_STATE=$WORK/fake-state
	export TDXFAKE_DEV=$FAKE/dev/tdx_host
	export TDXFAKE_SYSROOT=$FAKE
	unset NO_COLOR
}
fake_reset() {
	python3 "$FIXTURES/mkroot.py" "$FIXTURES/fake-host" "$FAKE" || bail "fixture fake-host does not build"
	printf '%s\n' "$@" > "$TDXFAKE_STATE"
}

# no_tool_errors: one check, that no run of tdxctl crashed or gave a
# sanitizer or valgrind report (tdx appends them to $WORK/tool-errors)
no_tool_errors() {
	if [ -s "$WORK/tool-errors" ]; then
		notok "sanitizer or valgrind reports, or tdxctl crashed"; diag < "$WORK/tool-errors"
	else
		ok "no sanitizer or valgrind report, no crash in any tdxctl run"
	fi
}
# plan_kept: a failure when the number of checks run differs from $PLAN
plan_kept() {
	if [ "$n" != "$PLAN" ]; then
		echo "# planned $PLAN checks, ran $n: update the plan at the top"
		failed=$((failed + 1))
	fi
}
