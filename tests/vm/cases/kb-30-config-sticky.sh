#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=30
# vm-lines: tdx tdx-6.18
# A TDH.SYS.CONFIG failure, through the kernel's own tdx.c: the kernel
# marks its TDX module failed for as long as it runs; tdxctl says error
# and a retry cannot succeed, as the kernel log says.
. /tests/lib.sh
t_plan 16
kb_sticky config TDX_INVALID_PAMT c0000a1000000000
t_match "the emulated TDX module saw TDH.SYS.CONFIG once: the retry never reached it" "$KB_CALLS" "^config 1$"
