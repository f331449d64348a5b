#!/bin/sh
# vm: smp=2 mem=1024
# Random ioctls and generic netlink messages, each held against a model
# of the documented rules (tdx-fuzz: unknown numbers, sizes, flags,
# reserved bytes, unreadable and unwritable structs, read-only fds,
# module enable's states; malformed netlink headers, flags, commands and
# attributes).  Every answer must be the one the model gives, the state
# stays consistent, and a user without privileges gets EPERM from every
# operation.  Part of the soak: tdxsoak.scale=full on the kernel command
# line runs 10000 calls per mode, CI 500; tdxsoak.seed=N picks the seed.
. /tests/lib.sh
F=/tests/bin/tdx-fuzz
n=500
grep -q 'tdxsoak\.scale=full' /proc/cmdline && n=10000
seed=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^tdxsoak\.seed=\([0-9][0-9]*\)$/\1/p' | head -n 1)
[ -n "$seed" ] || seed=4242
t_plan 5
t_diag "fuzz: $n calls per mode, seed $seed (tdxsoak.seed=$seed repeats this run)"

unload_driver
t_ok "load the driver" load_driver
t_prog fuzz-ioctl $F ioctl $n $seed
t_prog fuzz-genl $F genl $n $seed
t_prog fuzz-genl-nobody /tests/bin/runas 65534 $F genl $((n / 5)) $seed
t_ok "unload the driver" unload_driver
