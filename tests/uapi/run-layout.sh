#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run-layout.sh PROGRAM: run a uapi layout program (TAP) through run.sh
# run-layout.sh --m32 PROBE PROGRAM: the same for the -m32 build, where
#   PROBE is a -m32 program that only exits 0.  Where i386 binaries do not
#   execute (no IA32 emulation in the kernel, no 32-bit loader), one TAP
#   skip: the -m32 build, which has to compile for this test to exist, has
#   proven the layout with _Static_assert.
# run-layout.sh --missing WHAT: the -m32 build cannot be made; a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)

case $1 in
--missing)
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 - 32-bit layout not proven: $2"
	exit 1
	;;
--m32)
	probe=$2
	shift 2
	if [ ! -f "$probe" ] || [ ! -x "$probe" ]; then
		echo "Bail out! $probe is not an executable file"
		exit 1
	fi
	err=$("$probe" 2>&1)
	rc=$?
	if [ "$rc" != 0 ]; then
		case $rc:$err in
		126:*"Exec format error"* | 127:*"No such file or directory"*)
			echo "TAP version 13"
			echo "# $(basename "$probe"): ${err##*: } (exit $rc)"
			echo "1..0 # SKIP i386 binaries do not execute here; layout proven by _Static_assert in the -m32 build"
			exit 0
			;;
		esac
		echo "Bail out! $(basename "$probe") (-m32, exits 0 where it runs) failed with exit $rc: $err"
		exit 1
	fi
	;;
esac
# the layout programs are not worth valgrind's time
TDXCTL_WRAP='' exec bash "$here/../unit/run.sh" "$1"
