#!/bin/sh
# vm: smp=2 mem=65536
# vm-timeout: 240
# vm-lines: 6.1 6.12 7.x
# A 64 GiB host (sparse: the host pays only for touched pages).  One TDMR
# per GiB would take all 64 TDMRs of the TDX module (a GiB more and enable
# fails); merged per run of memory, two TDMRs cover RAM below and above
# the PCI hole, with a 4K PAMT of 1/256 of each, from the contiguous
# allocator.
# Not on the debug line: KASAN maps a shadow of 1/8 of guest RAM at boot
# (8 GiB here, real pages the host pays for), more than the shared CI
# host can spare; and without a contiguous allocator that line would use
# one TDMR per GiB, all 64 of the TDX module's.
. /tests/lib.sh
t_plan 6
big_host_checks
