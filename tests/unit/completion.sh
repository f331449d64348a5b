#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# completion.sh - drive the bash completion function of completions/tdxctl
# the way bash does (COMP_WORDS / COMP_CWORD) and assert COMPREPLY.
#
# usage: completion.sh TDXCTL COMPLETION-SCRIPT
#
# The TAP plan is printed before the first check.  Adding a check means
# bumping the count below; the script fails if the number run differs.
set -u
TDXCTL=$1

NCOMP=38	# expect and contains lines
COMMANDS="status enable check explain diag monitor version"
OPTIONS="--json --cpu --quiet --verbose --color --device --sysroot --version --pretty -J -h"
PAIRS=("enable --online-cpus" "enable --in-kernel" "status --cpus" "check --strict" "check --only"
       "cpu list --output" "explain --list" "cpu list --noheadings" "cpu list --raw"
       "cpu list --list-columns" "status --list-columns" "status --raw"
       "diag --output" "diag --no-redact" "diag --verify"
       "monitor --until" "monitor --count" "monitor --timeout" "monitor --status"
       "module update --dry-run" "module update --yes" "module update --mapping"
       "module update --blob-version" "module update --timeout" "module versions --mapping")
# + the check IDs offered, + the columns offered, + one per command, option and command option
PLAN=$((NCOMP + 2 + $(wc -w <<< "$COMMANDS") + $(wc -w <<< "$OPTIONS") + ${#PAIRS[@]}))

echo "TAP version 13"
echo "1..$PLAN"
n=0
failed=0
bail() { echo "Bail out! $*"; exit 1; }

# shellcheck source=/dev/null
source "$2" || bail "cannot source the completion script $2"
declare -F _tdxctl > /dev/null || bail "$2 defines no _tdxctl function"
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
	_tdxctl tdxctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2> "$WORK/comp.err"
	# (bash ignores its exit status) a completion that complains on stderr
	# is wrong whatever it offers
	if [ -s "$WORK/comp.err" ]; then
		comp_err="_tdxctl stderr: $(head -c 300 "$WORK/comp.err")"
	else
		comp_err=
	fi
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
	if [[ $got == "$want" && -z $comp_err ]]; then
		echo "ok $n - '$line' -> $want"
	else
		failed=$((failed + 1))
		echo "not ok $n - '$line'"
		echo "#   got:  $got"
		echo "#   want: $want"
		[[ -z $comp_err ]] || echo "#   $comp_err"
	fi
}

# contains LINE WORD...: COMPREPLY includes every WORD
contains() {
	local line=$1 w miss=
	shift
	comp "$line"
	for w in "$@"; do
		[[ " ${COMPREPLY[*]} " == *" $w "* ]] || miss+=" $w"
	done
	n=$((n + 1))
	if [[ -z $miss && -z $comp_err ]]; then
		echo "ok $n - '$line' offers $*"
	else
		failed=$((failed + 1))
		echo "not ok $n - '$line' lacks$miss"
		echo "#   got: ${COMPREPLY[*]}"
		[[ -z $comp_err ]] || echo "#   $comp_err"
	fi
}

# a sysroot: CPUs 0-7 present, 0-5 online
R=$WORK/root
mkdir -p "$R/sys/devices/system/cpu"
echo 0-7 > "$R/sys/devices/system/cpu/present"
echo 0-5 > "$R/sys/devices/system/cpu/online"

expect "tdxctl " status enable cpu module check ok explain diag monitor version
expect "tdxctl st" status
expect "tdxctl cpu " list enable
expect "tdxctl cpu e" enable
expect "tdxctl module " enable update versions
contains "tdxctl module update --" --dry-run --yes --mapping --blob-version --timeout --json
expect "tdxctl module versions --m" --mapping
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
contains "tdxctl cpu list -" -n --noheadings -r --raw --list-columns -J --pretty -h
expect "tdxctl cpu list -o h" help
expect "tdxctl diag --no" --no-redact
contains "tdxctl diag --" --output --verify --no-redact --sysroot
contains "tdxctl diag -o " -
expect "tdxctl monitor cpu-o" cpu-online cpu-offline
expect "tdxctl monitor --until st" state
contains "tdxctl monitor --" --count --timeout --until --status --buffer

# the completion offers exactly the check IDs tdxctl knows
"$TDXCTL" --json explain --list > "$WORK/list"
list_rc=$?
known=$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["checks"])))' "$WORK/list")
known_rc=$?
comp "tdxctl explain "
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep '\.' | sort | tr '\n' ' ')
n=$((n + 1))
if [[ $list_rc == 0 && $known_rc == 0 && -n $known && $offered == "$known " && -z $comp_err ]]; then
	echo "ok $n - completion check IDs match tdxctl explain --list ($(wc -w <<< "$known") IDs)"
else
	failed=$((failed + 1))
	echo "not ok $n - completion check IDs differ from tdxctl explain --list"
	echo "#   completion: $offered"
	echo "#   tdxctl:     $known (explain --list exit $list_rc, python3 exit $known_rc)"
	[[ -z $comp_err ]] || echo "#   $comp_err"
fi

# the columns offered are exactly those of cpu list --list-columns
cols=$("$TDXCTL" --json cpu list --list-columns | python3 -c 'import json,sys; print(" ".join(sorted(c["name"] for c in json.load(sys.stdin)["columns"])))')
cols_rc=$?
comp "tdxctl cpu list -o "
offered=$(printf '%s\n' "${COMPREPLY[@]}" | grep -vx help | sort | tr '\n' ' ')
n=$((n + 1))
if [[ $cols_rc == 0 && -n $cols && $offered == "$cols " && -z $comp_err ]]; then
	echo "ok $n - completion columns match tdxctl cpu list --list-columns"
else
	failed=$((failed + 1))
	echo "not ok $n - completion columns differ from tdxctl cpu list --list-columns"
	echo "#   completion: $offered"
	echo "#   tdxctl:     $cols"
fi

# and exactly its commands and the options of its --help
help=$("$TDXCTL" --help)
help_rc=$?
for c in $COMMANDS; do
	n=$((n + 1))
	if [[ $help_rc == 0 ]] && grep -qE "^  $c( |,)" <<< "$help"; then echo "ok $n - command $c in tdxctl --help"; else
		failed=$((failed + 1)); echo "not ok $n - command $c missing from tdxctl --help (exit $help_rc)"; fi
done
for o in $OPTIONS; do
	n=$((n + 1))
	if [[ $help_rc == 0 ]] && grep -qE -- "$o" <<< "$help"; then echo "ok $n - option $o in tdxctl --help"; else
		failed=$((failed + 1)); echo "not ok $n - option $o missing from tdxctl --help (exit $help_rc)"; fi
done
for pair in "${PAIRS[@]}"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	sub=$("$TDXCTL" ${pair% *} --help)
	sub_rc=$?
	if [[ $sub_rc == 0 ]] && grep -qE -- "${pair##* }" <<< "$sub"; then echo "ok $n - tdxctl $pair exists"; else
		failed=$((failed + 1)); echo "not ok $n - tdxctl $pair is not an option (--help exit $sub_rc)"; fi
done

if [[ $n != "$PLAN" ]]; then
	echo "# planned $PLAN checks, ran $n: update the plan at the top"
	failed=$((failed + 1))
fi
[[ $failed == 0 ]]
