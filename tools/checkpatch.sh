#!/bin/bash
# checkpatch.sh FILE...: run the kernel's scripts/checkpatch.pl (from
# Debian's linux-source-6.1, unpacked once into the cache) on FILEs.
# Prints TAP: one subtest per file, failing on any ERROR or WARNING.
set -uo pipefail
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}/checkpatch
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
echo "TAP version 13"
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		echo "1..0 # SKIP linux-source-6.1 is not installed (tools/install-deps.sh --debug)"
		exit 0
	fi
	mkdir -p "$cache"
	top=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$cache" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" || { echo "Bail out! cannot unpack checkpatch.pl"; exit 1; }
fi
n=0
for f in "$@"; do
	n=$((n + 1))
	ignore=FILE_PATH_CHANGES
	# X-macro tables (TDX_STATUS_LIST and friends) are lists, not expressions
	case "$f" in */tdx_arch.h) ignore+=,COMPLEX_MACRO ;; esac
	out=$(perl "$cache/scripts/checkpatch.pl" --no-tree --terse --show-types \
		--ignore "$ignore" -f "$f" 2>&1)
	if printf '%s\n' "$out" | grep -qE ': (ERROR|WARNING):'; then
		echo "not ok $n - checkpatch $(basename "$f")"
		printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' | sed 's/^/# /'
	else
		echo "ok $n - checkpatch $(basename "$f")"
	fi
done
echo "1..$n"
