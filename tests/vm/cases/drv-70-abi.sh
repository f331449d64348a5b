#!/bin/sh
# vm: smp=4 mem=1024
# The ioctl contract sweep, 64-bit and 32-bit (compat_ioctl).
. /tests/lib.sh
t_plan 6
for prog in tdx-abi tdx-abi-m32; do
	t_ok "$prog: load the driver" load_driver
	t_prog "$prog" /tests/bin/$prog
	t_ok "$prog: unload the driver" unload_driver
done
