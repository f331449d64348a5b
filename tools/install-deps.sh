#!/bin/bash
# Install everything tdxctl needs to build and test, with apt-get.
# Idempotent: packages already present are skipped, so a warm machine pays ~1 s.
#   tools/install-deps.sh            build + unit + style + vm suites
#   tools/install-deps.sh --debug    also the kernels built here (debug, tdx, tdx-6.18 lines)
set -euo pipefail

want_debug=0
for a in "$@"; do
	case "$a" in
	--debug) want_debug=1 ;;
	-h|--help) sed -n '2,5p' "$0"; exit 0 ;;
	*) echo "install-deps: unknown argument '$a'" >&2; exit 2 ;;
	esac
done

pkgs=(
	gcc make meson ninja-build pkg-config
	libnl-3-dev libnl-genl-3-dev libjson-c-dev libsmartcols-dev libarchive-dev nettle-dev libsystemd-dev
	bash-completion python3 python3-jsonschema
	# unit tests: a journal fixture (diag's kernel-log fallback)
	systemd-journal-remote
	# unit test export: promtool check metrics on status --format prometheus
	prometheus
	# unit test sos: the sos report plugin (dist/sos/tdxctl.py) run by sos
	sosreport
	# tools/genl-gen.py reads the netlink spec (style suite: genl-spec)
	python3-yaml
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd kmod
	debootstrap binutils valgrind perl
	linux-headers-amd64 pahole
	gcc-multilib
	# style suite: sparse, and checkpatch.pl from linux-source-6.12's tarball
	# (the newest kernel source the suite installs: the strictest rules);
	# the debug line is built from linux-source-6.1, the tdx line from 6.12
	sparse linux-source-6.1 linux-source-6.12
	# package suite (tests/pkg/build.sh): dpkg-buildpackage with debhelper
	# and dh-dkms, lintian, systemd-analyze (systemd), udev.pc (udev: where
	# meson installs the rule; debian/control Build-Depends on it)
	debhelper dh-dkms lintian dpkg-dev fakeroot systemd udev
)
if [ "$want_debug" = 1 ]; then
	# the kernels built here (patch: tests/kernel/ test-only patches)
	pkgs+=(bc bison flex libelf-dev libssl-dev lz4 cpio patch)
fi

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root (or: sudo $0 $*)" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
