# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by tests/pkg/build.sh and tests/pkg/guest.sh (sourced).
#
# TAP: ok/notok count the checks (n, failed), check NAME CMD... runs CMD,
# diag turns text into TAP comments
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }
diag() { sed 's/^/# /'; }

# pkg_clean_copy SRC DEST: the tree at SRC as dpkg-buildpackage must see
# it: the files git knows of, as they are in the work tree (untracked ones
# not ignored included), without build directories or anything a
# dpkg-buildpackage in SRC left; without git, all but build*/ and .git.
pkg_clean_copy() {
	local src=$1 dest=$2
	mkdir -p "$dest" || return
	if git -C "$src" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
		(cd "$src" && git ls-files -z --cached --others --exclude-standard |
			grep -zvE '^(obj-[^/]*/|debian/(\.debhelper|tmp|tdxctl|tdxctl-dkms|tdxctl-dbgsym)/|debian/(files|debhelper-build-stamp|[^/]*\.substvars|[^/]*\.debhelper(\.log)?)$)' |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf -) | tar -C "$dest" -xf -
	else
		(cd "$src" && tar --exclude='./build*' --exclude=./.git -cf - .) | tar -C "$dest" -xf -
	fi
}

# pkg_build DIR LOG: dpkg-buildpackage -b -us -uc in DIR (a clean copy);
# the packages land in DIR/..
pkg_build() {
	(cd "$1" && dpkg-buildpackage -b -us -uc -j2) > "$2" 2>&1
}

# pkg_version SRC: the project version of SRC/meson.build
pkg_version() {
	sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$1/meson.build" | head -n 1
}
