#!/bin/sh
# vm: smp=4 mem=1024
# The ioctl contract sweep, 64-bit and 32-bit (compat_ioctl).
. /tests/lib.sh
for prog in tdx-abi tdx-abi-m32; do
	[ -x /tests/bin/$prog ] || { t_fail "$prog is in the guest"; continue; }
	load_driver || { t_fail "$prog: load"; continue; }
	/tests/bin/$prog | sed "s/^\(ok\|not ok\) - /\1 - $prog: /"
	unload_driver
done
