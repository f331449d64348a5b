#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh PROGRAM [ARGS...]: run a TAP test program under $TDXCTL_WRAP and
# hold it to its plan.  Its output passes through unchanged.  When it cannot
# be started, has no plan, runs a different number of checks than planned,
# is killed, or exits non-zero without a failed check to show for it, a last
# "Bail out!" line says so, and the exit status is non-zero.
set -u
shopt -s lastpipe

prog=$1
name=$(basename "$prog")
if [ ! -f "$prog" ] || [ ! -x "$prog" ]; then
	echo "Bail out! $name: $prog is not an executable file"
	exit 1
fi

planned=
ran=0
notok=0
# $TDXCTL_WRAP unquoted on purpose: a command and its options
${TDXCTL_WRAP:-} "$@" | while IFS= read -r line || [ -n "$line" ]; do
	printf '%s\n' "$line"
	case $line in
	1..*) planned=${line#1..}; planned=${planned%%[!0-9]*} ;;
	"ok "*) ran=$((ran + 1)) ;;
	"not ok "*) ran=$((ran + 1)); notok=$((notok + 1)) ;;
	esac
done
rc=${PIPESTATUS[0]}

why=
if [ "$rc" -gt 128 ] && sig=$(kill -l "$rc" 2>/dev/null); then
	why="killed by SIG$sig"
elif [ "$rc" = 97 ]; then
	why="exit status 97: a sanitizer report (stderr)"
elif [ "$rc" = 99 ]; then
	why="exit status 99: a valgrind report (stderr)"
elif [ "$rc" != 0 ]; then
	why="exit status $rc"
fi

if [ -z "$planned" ]; then
	echo "Bail out! $name: no TAP plan, $ran checks run${why:+, $why}"
	exit 1
elif [ "$ran" != "$planned" ]; then
	echo "Bail out! $name: $ran of $planned planned checks run${why:+, $why}"
	exit 1
elif [ "$rc" != 0 ] && { [ "$rc" != 1 ] || [ "$notok" = 0 ]; }; then
	echo "Bail out! $name: $why after all $ran checks ($notok failed)"
	exit 1
elif [ "$notok" != 0 ] && [ "$rc" = 0 ]; then
	echo "Bail out! $name: $notok checks failed, yet exit status 0"
	exit 1
fi
exit "$rc"
