#!/bin/sh
# What "tools/demo.sh" shows: the driver with the emulated TDX module
# loaded, then tdxctl's main job.
. /tests/lib.sh
run() { echo; echo "# $*"; "$@"; echo "[exit status $?]"; }
echo "# insmod tdxctl.ko backend=emulated   (the emulated TDX module)"
load_driver || exit 1
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
