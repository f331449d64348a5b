#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=31
# vm-lines: tdx-6.18
# A TDH.SYS.KEY.CONFIG failure, through the kernel's own tdx.c: past TDH.SYS.CONFIG
# the kernel marks its TDX module failed for as long as it runs; tdxctl
# says error and a retry cannot succeed, as the kernel log says.
# Not on the tdx line: 6.12 clears the PAMTs after such a failure with
# MOVDIR64B, which QEMU's TCG does not implement (#UD); 6.18 does that
# only on CPUs with the partial-write erratum.
. /tests/lib.sh
t_plan 10
kb_sticky key_config TDX_OPERAND_INVALID c000010000000000
t_match "the emulated TDX module saw TDH.SYS.CONFIG once" "$KB_CALLS" "^config 1$"
