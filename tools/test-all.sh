#!/bin/bash
# tools/test-all.sh: the whole tdxctl test suite, from a fresh Debian 12
# machine (run as root: it installs packages with apt-get).
#
#   unit      CLI unit tests and the uapi layout (64- and 32-bit): plain,
#             under valgrind, and built with ASan/UBSan
#   style     checkpatch.pl over the driver and the uapi header, sparse (C=2)
#   package   the Debian packages (dpkg-buildpackage from a clean copy of the
#             tree, lintian, their contents, systemd-analyze verify)
#   package-guest  the packages installed, at work at boot and purged in a
#             bookworm guest that boots systemd, on the 6.1 line only
#             (tests/pkg/guest.sh; root file system from
#             tools/build-systemd-rootfs.sh)
#   vm        the driver and the CLI in QEMU guests on every kernel line:
#             Debian 6.1, Debian 6.12, Debian 7.x (trixie-backports), a
#             debug 6.1 kernel with lockdep, KASAN and UBSAN, a 6.12
#             kernel with the TDX host core (kernel backend, its KUnit suite)
#             and a 6.18 one (the backend's tdx_get_sysinfo() reader; only
#             the cases that name the line)
#
# Options: --lines "6.1 6.12 7.x debug tdx tdx-6.18" (which kernel lines), --no-install
# (skip apt-get), --cache DIR (kernel cache, default /var/cache/tdxctl).
# Build dirs are build/ (6.1 + unit), build-san/, build-<line>/.
# Ends with "N passed, N failed, N skipped" over every test and TAP subtest;
# exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

lines="6.1 6.12 7.x debug tdx tdx-6.18"
install=1
export TDXCTL_CACHE=${TDXCTL_CACHE:-/var/cache/tdxctl}
while [ $# -gt 0 ]; do
	case "$1" in
	--lines) lines=$2; shift ;;
	--no-install) install=0 ;;
	--cache) TDXCTL_CACHE=$2; shift ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "test-all: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

step() { printf '\n==== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
t0=$(date +%s)
suites=()	# SUITE=LOG,RC=N,LIST=FILE for summarize.py
fails=()	# --fail WHAT: steps that failed outside any suite
summary() {
	step "summary ($(( $(date +%s) - t0 )) s)"
	tools/summarize.py "${fails[@]}" "${suites[@]}"
}
# die WHAT: a step the rest depends on failed: summarize what ran, fail
die() {
	echo "test-all: $*" >&2
	fails+=(--fail "$*")
	summary
	exit 1
}

if [ "$install" = 1 ]; then
	step "install dependencies"
	debug_arg=
	case " $lines " in *" debug "*|*" tdx "*|*" tdx-6.18 "*) debug_arg=--debug ;; esac
	tools/install-deps.sh $debug_arg || die "installing dependencies failed"
fi

step "prepare kernel lines: $lines"
tools/prepare-kernels.sh --cache "$TDXCTL_CACHE" $lines || die "preparing kernels failed"
case " $lines " in *" 6.1 "*)
	step "systemd guest root file system (6.1 line)"
	tools/build-systemd-rootfs.sh --cache "$TDXCTL_CACHE" || die "building the systemd guest's root file system failed" ;;
esac

setup() { # setup DIR ARGS...: configure (or reconfigure) a build dir
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1
	else
		rm -rf "$dir"
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
	fi || { cat "$dir.setup.log"; die "meson setup $dir failed"; }
}
line_args() { # line_args LINE: meson options for a prepared kernel line
	local env="$TDXCTL_CACHE/lines/$1.env"
	(
		. "$env"
		printf '%s\n' "-Dkernel_dir=$KDIR" "-Dkbuild_chroot=$CHROOT" \
			"-Dguest_kernel=$IMAGE" "-Dguest_line=$LINE"
	)
}
run_tests() { # run_tests DIR SUITE-NAME MESON-TEST-ARGS...
	local dir=$1 base=$2 rc log list; shift 2
	list="$dir/meson-logs/$base.list"
	meson test -C "$dir" --list "$@" > "$list" 2> "$list.err" ||
		{ cat "$list.err" >&2; : > "$list"; }
	rm -f "$dir/meson-logs/$base"*.json
	meson test -C "$dir" --logbase "$base" --print-errorlogs "$@"
	rc=$?
	# meson appends the setup name (--setup valgrind: BASE-valgrind.json)
	log=$(ls -t "$dir/meson-logs/$base"*.json 2>/dev/null | head -n 1)
	suites+=("$base=${log:-$dir/meson-logs/$base.json},RC=$rc,LIST=$list")
}

for line in $lines; do
	[ -f "$TDXCTL_CACHE/lines/$line.env" ] ||
		die "kernel line $line is not prepared ($TDXCTL_CACHE/lines/$line.env missing)"
done
first=${lines%% *}
step "build: CLI, unit tests, driver for $first (-Dwerror=true)"
mapfile -t args < <(line_args "$first")
setup build -Dwerror=true -Dkmod=enabled -Dvm_tests=enabled "${args[@]}"
ninja -C build || die "build failed"

step "unit tests"
run_tests build unit --suite unit
step "kernel style (checkpatch.pl, sparse)"
run_tests build style --suite style
step "Debian packages (dpkg-buildpackage, lintian)"
run_tests build package --suite package
# package_guest DIR: the packages in the systemd guest, in the 6.1 line's build
package_guest() {
	step "Debian packages in a guest that boots systemd (6.1 line)"
	run_tests "$1" package-guest --suite package-guest
}
[ "$first" != 6.1 ] || package_guest build
step "unit tests under valgrind"
run_tests build unit-valgrind --suite unit --setup valgrind
step "unit tests with ASan/UBSan"
setup build-san -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dkmod=disabled -Dvm_tests=disabled
ninja -C build-san || die "sanitizer build failed"
run_tests build-san unit-san --suite unit

for line in $lines; do
	dir=build
	if [ "$line" != "$first" ]; then
		dir=build-$line
		step "build for kernel line $line"
		mapfile -t args < <(line_args "$line")
		setup "$dir" -Dwerror=true -Dkmod=enabled -Dvm_tests=enabled "${args[@]}"
		ninja -C "$dir" || die "build for $line failed"
	fi
	[ "$line" != 6.1 ] || [ "$dir" = build ] || package_guest "$dir"
	step "vm suite on kernel line $line"
	run_tests "$dir" "vm-$line" --suite vm
done

summary
