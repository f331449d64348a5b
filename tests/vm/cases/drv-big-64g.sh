#!/bin/sh
# vm: smp=2 mem=65536
# vm-timeout: 240
# vm-lines: 6.1 6.12 7.x
# A 64 GiB host (sparse: the host pays only for touched pages).  One TDMR
# per GiB would take all 64 TDMRs of the TDX module and fail; merged per
# run of memory, two TDMRs cover RAM below and above the PCI hole, with a
# 4K PAMT of 1/256 of each, from the contiguous allocator.
# Not on the debug line: it has no contiguous allocator (one TDMR per
# GiB, which cannot describe 64 GiB), and KASAN's shadow of 1/8 of guest
# RAM would not fit the host beside the other guests.
. /tests/lib.sh
t_plan 6
big_host_checks
