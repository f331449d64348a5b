#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# completion.sh - drive the bash completion function of completions/tdxctl
# the way bash does (COMP_WORDS / COMP_CWORD) and assert COMPREPLY.
#
# usage: completion.sh TDXCTL COMPLETION-SCRIPT
set -u
TDXCTL=$1
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
source "$2"

n=0
failed=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-comp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# comp LINE: complete the last word of LINE (a trailing space starts a new word)
comp() {
	local line=$1
	read -ra COMP_WORDS <<< "$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_tdxctl tdxctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}

# expect LINE WORDS...: COMPREPLY is exactly WORDS (any order)
expect() {
	local line=$1 got want
	shift
	comp "$line"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[[ $# == 0 ]] && want=""
	[[ ${#COMPREPLY[@]} == 0 ]] && got=""
	n=$((n + 1))
	if [[ $got == "$want" ]]; then
		echo "ok $n - '$line' -> $want"
	else
		failed=$((failed + 1))
		echo "not ok $n - '$line'"
		echo "#   got:  $got"
		echo "#   want: $want"
	fi
}

# contains LINE WORD...: COMPREPLY includes every WORD
contains() {
	local line=$1 w miss=
	shift
	comp "$line"
	for w in "$@"; do
		printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$w" || miss+=" $w"
	done
	n=$((n + 1))
	if [[ -z $miss ]]; then
		echo "ok $n - '$line' offers $*"
	else
		failed=$((failed + 1))
		echo "not ok $n - '$line' lacks$miss"
		echo "#   got: ${COMPREPLY[*]}"
	fi
}

# a sysroot: CPUs 0-7 present, 0-5 online
R=$WORK/root
mkdir -p "$R/sys/devices/system/cpu"
echo 0-7 > "$R/sys/devices/system/cpu/present"
echo 0-5 > "$R/sys/devices/system/cpu/online"

expect "tdxctl " status enable cpu module check ok explain version
expect "tdxctl st" status
expect "tdxctl cpu " list enable
expect "tdxctl cpu e" enable
expect "tdxctl module " enable
expect "tdxctl --color " auto always never
expect "tdxctl --color=al" always
expect "tdxctl --json=p" pretty
contains "tdxctl -" --json -c --sysroot --device -q -V
contains "tdxctl enable --" --online-cpus --in-kernel --json --sysroot
contains "tdxctl status -" --cpus --output
expect "tdxctl check --s" --strict --sysroot
expect "tdxctl --sysroot $R cpu enable " online 0 1 2 3 4 5
expect "tdxctl --sysroot=$R cpu enable --online-cpus 7" 7
expect "tdxctl --sysroot $R cpu enable 7"
expect "tdxctl --sysroot $R cpu list 6" 6
contains "tdxctl --sysroot $R cpu list " all online offline present possible 0 7
contains "tdxctl --sysroot $R -c " all online offline 0 7
expect "tdxctl --sysroot $R -c of" offline
expect "tdxctl cpu list -o en" enabled enabled_ns
expect "tdxctl cpu list -o cpu,st" cpu,status_name
expect "tdxctl status -o +fa" +failed
expect "tdxctl check --only bios.k" bios.keyids
contains "tdxctl check --only b" bios bios.tme bios.seamrr.enabled
expect "tdxctl explain kernel.h" kernel.hibernation
contains "tdxctl explain E" EAGAIN EIO ENXIO
expect "tdxctl version x"
expect "tdxctl -c 0 enable --in" --in-kernel

# the completion offers exactly the check IDs tdxctl knows
"$TDXCTL" --json explain --list > "$WORK/list"
known=$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["checks"])))' "$WORK/list")
comp "tdxctl explain "
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep '\.' | sort | tr '\n' ' ')
n=$((n + 1))
if [[ "$offered" == "$known " ]]; then
	echo "ok $n - completion check IDs match tdxctl explain --list"
else
	failed=$((failed + 1))
	echo "not ok $n - completion check IDs differ from tdxctl explain --list"
	echo "#   completion: $offered"
	echo "#   tdxctl:     $known"
fi

# and exactly its commands and the options of its --help
help=$("$TDXCTL" --help)
for c in status enable check explain version; do
	n=$((n + 1))
	if grep -qE "^  $c( |,)" <<< "$help"; then echo "ok $n - command $c in tdxctl --help"; else
		failed=$((failed + 1)); echo "not ok $n - command $c missing from tdxctl --help"; fi
done
for o in --json --cpu --quiet --verbose --color --device --sysroot --version; do
	n=$((n + 1))
	if grep -qE -- "$o" <<< "$help"; then echo "ok $n - option $o in tdxctl --help"; else
		failed=$((failed + 1)); echo "not ok $n - option $o missing from tdxctl --help"; fi
done
for pair in "enable --online-cpus" "enable --in-kernel" "status --cpus" "check --strict" "check --only" \
	    "cpu list --output" "explain --list"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if "$TDXCTL" ${pair% *} --help | grep -qE -- "${pair##* }"; then echo "ok $n - tdxctl $pair exists"; else
		failed=$((failed + 1)); echo "not ok $n - tdxctl $pair is not an option"; fi
done

echo "1..$n"
[[ $failed == 0 ]]
