#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=31
# vm-lines: tdx tdx-6.18
# A TDH.SYS.KEY.CONFIG failure, through the kernel's own tdx.c: past TDH.SYS.CONFIG
# the kernel marks its TDX module failed for as long as it runs; tdxctl
# says error and a retry cannot succeed, as the kernel log says.
# 6.12 clears the PAMTs after such a failure (with MOVDIR64B, which
# QEMU's TCG lacks: the test patch falls back to plain stores there).
. /tests/lib.sh
t_plan 16
kb_sticky key_config TDX_OPERAND_INVALID c000010000000000
t_match "the emulated TDX module saw TDH.SYS.CONFIG once" "$KB_CALLS" "^config 1$"
