#!/bin/sh
# vm: smp=2 mem=196608
# vm-timeout: 300
# vm-lines: 6.1 6.12 7.x
# A 192 GiB host (sparse: the host pays only for touched pages): module
# enable succeeds with two TDMRs and a PAMT of RAM/256 (768 MiB, the
# largest part one contiguous allocation of 756 MiB).
# Not on the debug line: KASAN maps a shadow of 1/8 of guest RAM at boot,
# 24 GiB, the whole host; and without a contiguous allocator 192 one-GiB
# TDMRs would exceed the TDX module's 64 anyway.
. /tests/lib.sh
t_plan 6
big_host_checks
