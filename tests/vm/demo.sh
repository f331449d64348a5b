#!/bin/sh
# What "tools/demo.sh" shows: the driver with the emulated TDX platform
# (the test module tdxctl_emu.ko) as its backend, then tdxctl's main job.
. /tests/lib.sh
run() { echo; echo "# $*"; "$@"; echo "[exit status $?]"; }
echo "# insmod tdxctl.ko backend=emulated && insmod tdxctl_emu.ko"
load_driver || exit 1
echo "# kernel taint: $(cat /proc/sys/kernel/tainted) (N: a test module is loaded)"
if [ -x /bin/tdxctl ]; then
	run tdxctl version
	run tdxctl status
	run tdxctl enable
	run tdxctl status
	run tdxctl status --json=pretty
else
	echo "tdxctl was not built"
fi
unload_driver
