#!/bin/bash
# checkpatch.sh FILE...: run the kernel's scripts/checkpatch.pl (from
# Debian's linux-source-6.1, unpacked once into the cache) on FILEs.
# Prints TAP: the plan (one subtest per file) first, then per file "ok"
# when checkpatch.pl exits 0 and reports nothing, "not ok" with its report
# when it finds an ERROR or WARNING, and "not ok" too when it exits in a
# way its report does not explain (a crash).  Without perl or the kernel
# source, "Bail out!" naming the package to install.
set -uo pipefail
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}/checkpatch
scripts="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch"
echo "TAP version 13"
[ $# -gt 0 ] || { echo "Bail out! checkpatch.sh: no file to check"; exit 1; }
echo "1..$#"

command -v perl > /dev/null ||
	{ echo "Bail out! perl is not installed (apt-get install perl; tools/install-deps.sh)"; exit 1; }

unpacked() {
	local s
	for s in $scripts; do
		[ -s "$cache/$s" ] || return 1
	done
}
if ! unpacked; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		echo "Bail out! no kernel source tarball /usr/src/linux-source-*.tar.xz for checkpatch.pl" \
			"(apt-get install linux-source-6.1; tools/install-deps.sh)"
		exit 1
	fi
	# unpack next to the cache and move into place: concurrent runs see
	# all of it or none of it
	mkdir -p "$(dirname "$cache")"
	tmp=$(mktemp -d "$cache.XXXXXX") || { echo "Bail out! cannot create a directory next to $cache"; exit 1; }
	top=$(basename "$tarball" .tar.xz)
	# shellcheck disable=SC2086
	if ! err=$(tar -xJf "$tarball" -C "$tmp" --strip-components=1 ${scripts//scripts\//$top/scripts/} 2>&1); then
		rm -rf "$tmp"
		echo "Bail out! cannot unpack checkpatch.pl from $tarball: $err"
		exit 1
	fi
	if unpacked; then
		rm -rf "$tmp"	# another run was first
	else
		rm -rf "$cache"
		mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
	fi
	unpacked || { echo "Bail out! $cache lacks $scripts after unpacking $tarball"; exit 1; }
fi

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
