#!/bin/bash
# tools/demo.sh: build tdxctl, boot a QEMU guest on Debian's 6.1 kernel, load
# the driver and the emulated TDX platform (tdxctl.ko backend=emulated, then
# the test module tdxctl_emu.ko) and run tdxctl's main job
# (tdxctl enable, then tdxctl status), printing what a user would see.
# Run as root on Debian 12 (it installs what it needs with apt-get).
#   --no-install   skip apt-get     --smp N   vCPUs (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
install=1 smp=4
while [ $# -gt 0 ]; do
	case "$1" in
	--no-install) install=0 ;;
	--smp) smp=$2; shift ;;
	-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
	*) echo "demo: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
export TDXCTL_CACHE=${TDXCTL_CACHE:-/var/cache/tdxctl}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
quiet() { "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "demo: '$*' failed" >&2; exit 1; }; }

echo "demo: installing dependencies, preparing the guest kernel, building (first run: a few minutes)..." >&2
[ "$install" = 1 ] && quiet tools/install-deps.sh
quiet tools/prepare-kernels.sh --cache "$TDXCTL_CACHE" 6.1
# shellcheck source=/dev/null
. "$TDXCTL_CACHE/lines/6.1.env"
if [ -f build-demo/build.ninja ]; then
	quiet meson setup --reconfigure build-demo -Dkernel_dir="$KDIR" -Dguest_kernel="$IMAGE" -Dguest_line=6.1 -Dkmod=enabled -Dvm_tests=enabled
else
	quiet meson setup build-demo -Dkernel_dir="$KDIR" -Dguest_kernel="$IMAGE" -Dguest_line=6.1 -Dkmod=enabled -Dvm_tests=enabled
fi
quiet ninja -C build-demo
echo "demo: booting a $smp-CPU guest (Debian $RELEASE kernel, QEMU)..." >&2
# shellcheck source=/dev/null
. build-demo/tests/vm/guest.env
tests/vm/run-group.sh --demo --name demo --spec "smp=$smp,mem=1024" \
	--kernel "$GUEST_KERNEL" --initrd "$INITRAMFS" \
	--tcg-thread "$TCG_THREAD" --logdir build-demo/vm-logs
