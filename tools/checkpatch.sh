#!/bin/bash
# checkpatch.sh FILE...: run the kernel's scripts/checkpatch.pl on FILEs.
# checkpatch.pl comes from one named kernel source, Debian's
# linux-source-6.12 (the newest the suite installs: the strictest rules;
# TDXCTL_CHECKPATCH_SOURCE names another), unpacked once into
# CACHE/checkpatch/<package version>/ with its key text in .tdxctl-key: an
# upgrade of the package unpacks the new rules beside and drops the old.
# Prints TAP: the plan (one subtest per file) first, then per file "ok"
# when checkpatch.pl exits 0 and reports nothing, "not ok" with its report
# when it finds an ERROR or WARNING, and "not ok" too when it exits in a
# way its report does not explain (a crash).  Without perl or the kernel
# source, "Bail out!" naming the package to install.
set -uo pipefail
src=${TDXCTL_CHECKPATCH_SOURCE:-linux-source-6.12}
ctop=${TDXCTL_CACHE:-/var/cache/tdxctl}/checkpatch
scripts="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch"
echo "TAP version 13"
[ $# -gt 0 ] || { echo "Bail out! checkpatch.sh: no file to check"; exit 1; }
echo "1..$#"

command -v perl > /dev/null ||
	{ echo "Bail out! perl is not installed (apt-get install perl; tools/install-deps.sh)"; exit 1; }

srcver=$(dpkg-query -W -f='${Status} ${Version}' "$src" 2>/dev/null)
tarball=/usr/src/$src.tar.xz
case "$srcver" in
"install ok installed "*) srcver=${srcver#install ok installed } ;;
*) srcver= ;;
esac
if [ -z "$srcver" ] || [ ! -f "$tarball" ]; then
	echo "Bail out! checkpatch.pl comes from $src, which is not installed" \
		"(apt-get install $src; tools/install-deps.sh)"
	exit 1
fi
cache=$ctop/$srcver
ktext="artifact=checkpatch
source=$src $srcver
scripts=$scripts"

unpacked() {
	local s
	[ -f "$cache/.tdxctl-key" ] && [ "$(cat "$cache/.tdxctl-key")" = "$ktext" ] || return 1
	for s in $scripts; do
		[ -s "$cache/$s" ] || return 1
	done
}
if [ -f "$cache/.tdxctl-key" ] && [ "$(cat "$cache/.tdxctl-key")" != "$ktext" ]; then
	echo "Bail out! cached checkpatch $cache: its recorded key differs from the key its inputs give now" \
		"(remove $cache)"
	exit 1
fi
if ! unpacked; then
	# unpack next to the cache and move into place: concurrent runs see
	# all of it or none of it
	mkdir -p "$ctop"
	tmp=$(mktemp -d "$cache.XXXXXX") || { echo "Bail out! cannot create a directory next to $cache"; exit 1; }
	top=$(basename "$tarball" .tar.xz)
	# shellcheck disable=SC2086
	if ! err=$(tar -xJf "$tarball" -C "$tmp" --strip-components=1 ${scripts//scripts\//$top/scripts/} 2>&1); then
		rm -rf "$tmp"
		echo "Bail out! cannot unpack checkpatch.pl from $tarball: $err"
		exit 1
	fi
	printf '%s\n' "$ktext" >"$tmp/.tdxctl-key"
	if unpacked; then
		rm -rf "$tmp"	# another run was first
	else
		rm -rf "$cache"
		mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
	fi
	unpacked || { echo "Bail out! $cache lacks $scripts after unpacking $tarball"; exit 1; }
	# the rules of other versions (and the unversioned layout of old trees)
	for old in "$ctop"/*; do
		[ "$old" != "$cache" ] || continue
		[ -f "$old/.tdxctl-key" ] || [ "$old" = "$ctop/scripts" ] || continue
		rm -rf "$old"
	done
fi
echo "# checkpatch.pl of $src $srcver"

n=0
failed=0
for f in "$@"; do
	n=$((n + 1))
	ignore=FILE_PATH_CHANGES
	# X-macro tables (TDX_STATUS_LIST and friends) are lists, not expressions
	case "$f" in */tdx_arch.h) ignore+=,COMPLEX_MACRO ;; esac
	out=$(perl "$cache/scripts/checkpatch.pl" --no-tree --terse --show-types \
		--ignore "$ignore" -f "$f" 2>&1)
	rc=$?
	found=$(printf '%s\n' "$out" | grep -E ': (ERROR|WARNING):')
	if [ "$rc" = 0 ] && [ -z "$found" ]; then
		echo "ok $n - checkpatch $(basename "$f")"
		continue
	fi
	failed=$((failed + 1))
	if [ "$rc" != 0 ] && [ -n "$found" ]; then
		echo "not ok $n - checkpatch $(basename "$f")"
		printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' | sed 's/^/# /'
	else
		# an exit status its report does not explain: checkpatch.pl broke
		echo "not ok $n - checkpatch $(basename "$f"): checkpatch.pl exit $rc, report:"
		printf '%s\n' "$out" | head -n 20 | sed 's/^/# /'
	fi
done
[ "$failed" = 0 ]
