# SPDX-License-Identifier: GPL-2.0-only
#
# tap-helpers.sh - TAP checks shared by cli.sh and manners.sh (sourced).
# The script sets n=0 and failed=0, $WORK, and defines tdx ARGS... (which
# runs tdxctl: stdout in $WORK/out, stderr in $WORK/err, exit code in $rc).

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
bail() { echo "Bail out! $*"; exit 1; }

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
