#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# pamt.sh - the PAMT's contiguous memory: check's memory.pamt compares the
# estimated need with the memory free in the largest blocks; enable
# compacts memory first when it is short, and says what is left; an
# ENOMEM from the TDX module's initialization names the numbers.  On the
# fake device's sysroot, whose /proc files the test writes.
#
# usage: pamt.sh TDXCTL FAKEDEV_SO SCHEMA_DIR
set -u

PLAN=30

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
tap_start pamt "$@"
fixtures_and_fake

# memory KB NODE0_KB NODE1_KB: a host of that size; buddy COUNT: COUNT
# free 4 MiB blocks (the last order), plenty of small ones
memory() {
	mkdir -p "$FAKE/proc/sys/vm"
	printf 'MemTotal:       %s kB\nMemFree:        %s kB\n' "$1" "$(($1 / 2))" > "$FAKE/proc/meminfo"
	: > "$FAKE/proc/sys/vm/compact_memory"
}
# empty NAME FILE: the file exists and is empty
empty() { if [ -f "$2" ] && [ ! -s "$2" ]; then ok "$1"; else notok "$1"; diag < "$2"; fi; }
buddy() {
	printf 'Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      0 \n' > "$FAKE/proc/buddyinfo"
	printf 'Node 0, zone   Normal   9000   4000   2000   1000    500    250    120     60     30     15 %6s \n' "$1" >> "$FAKE/proc/buddyinfo"
}

### check memory.pamt (6 checks) ###
fake_reset
memory 1048576; buddy 256
tdx "$FK" "$FD" check --only memory.pamt
has "1 GiB, 1 GiB free in 4 MiB blocks: PASS: about 4 MiB needed, 1024 MiB free in 4 MiB blocks" "$WORK/out" \
	'^PASS +memory\.pamt +the PAMT needs about 4\.0 MiB of physically contiguous memory; 1024 MiB free in 4 MiB blocks$'
fake_reset
memory 1048576; buddy 0
tdx "$FK" "$FD" check --only memory.pamt
has "no free 4 MiB block: WARN, the allocation depends on compaction" "$WORK/out" \
	'^WARN +memory\.pamt +the PAMT needs about 4\.0 MiB of physically contiguous memory; 0 MiB free in 4 MiB blocks: the allocation depends on compaction$'
has "... hint: compact memory, or enable soon after boot" "$WORK/out" 'hint: +compact memory first \(echo 1 > /proc/sys/vm/compact_memory'
# two nodes: one range per node
fake_reset
memory 268435456; buddy 100
for i in 0 1; do mkdir -p "$FAKE/sys/devices/system/node/node$i"
	printf 'Node %s MemTotal:       134217728 kB\n' "$i" > "$FAKE/sys/devices/system/node/node$i/meminfo"; done
tdx "$FK" "$FD" --json check --only memory.pamt
has "two nodes of 128 GiB: 1 GiB in ranges of up to 512 MiB, short" "$WORK/out" \
	'"status":"warn","reason":"the PAMTs need about 1025 MiB of physically contiguous memory \(one range of up to 513 MiB per TDMR\); 400 MiB free in 4 MiB blocks'
fake_reset
memory 1048576
rm -f "$FAKE/proc/buddyinfo"
tdx "$FK" "$FD" check --only memory.pamt
has "no /proc/buddyinfo: SKIP naming it, not PASS" "$WORK/out" '^SKIP +memory\.pamt +/proc/buddyinfo not readable \(No such file or directory\)$'
fake_reset
memory 1048576; buddy 0
echo 'Node 0, zone   Normal   1 2 3' >> "$FAKE/proc/buddyinfo"
tdx "$FK" "$FD" check --only memory.pamt
has "a zone line with another number of orders: SKIP, not a guess" "$WORK/out" '^SKIP +memory\.pamt +/proc/buddyinfo not readable \(Protocol error\)$'

### enable: compaction first when short (9 checks) ###
fake_reset
memory 1048576; buddy 0
rc_is "enable with no free 4 MiB block: exit 0 (nothing refused on an estimate)" 0 "$FK" "$FD" enable
has "... it compacted memory first" "$FAKE/proc/sys/vm/compact_memory" '^1$'
has "... and warns it is still short" "$WORK/err" \
	'^tdxctl: warning: the PAMT needs about 4\.0 MiB of physically contiguous memory; 0 MiB free in 4 MiB blocks, after compacting memory: the allocation may fail \(ENOMEM\)$'
fake_reset backend=2
memory 1048576; buddy 0
tdx "$FK" "$FD" enable
has "the kernel backend: ... and that the kernel keeps that failure" "$WORK/err" 'may fail \(ENOMEM\), and the kernel keeps that failure until reboot$'
fake_reset
memory 1048576; buddy 256
rc_is "enable with memory to spare: exit 0" 0 "$FK" "$FD" enable
empty "... no compaction" "$FAKE/proc/sys/vm/compact_memory"
hasnt "... no warning" "$WORK/err" 'PAMT'
fake_reset
memory 1048576; buddy 0
rm "$FAKE/proc/sys/vm/compact_memory"
tdx "$FK" "$FD" enable
has "a kernel without compaction: says so" "$WORK/err" \
	'; this kernel cannot compact memory \(no /proc/sys/vm/compact_memory: built without CONFIG_COMPACTION\)$'
fake_reset state=2
memory 1048576; buddy 0
tdx "$FK" "$FD" enable
empty "an initialized TDX module: no compaction" "$FAKE/proc/sys/vm/compact_memory"

### ENOMEM from the TDX module's initialization (2 checks) ###
fake_reset module_enomem=1
memory 1048576; buddy 0
rc_is "module enable failing with ENOMEM: exit 1" 1 "$FK" "$FD" enable
has "... names the PAMT's need and what is free" "$WORK/err" \
	'^tdxctl: TDX module enable: out of memory for the TDMRs and PAMT; the PAMT needs about 4\.0 MiB of physically contiguous memory; 0 MiB free in 4 MiB blocks'

### check memory.cmr: memory added after boot (8 checks) ###
# iomem RANGE...: /proc/iomem's top-level System RAM; e820: the boot map
iomem() {
	printf '00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n000a0000-000fffff : Reserved\n  000f0000-000fffff : System ROM\n00100000-3ffdffff : System RAM\n  01000000-01ffffff : Kernel code\n' > "$FAKE/proc/iomem"
	for r in "$@"; do printf '%s\n' "$r" >> "$FAKE/proc/iomem"; done
}
e820() {
	cat >> "$FAKE/dev/kmsg" <<'E820'
6,1,0,-;BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
6,2,0,-;BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
6,3,0,-;BIOS-e820: [mem 0x0000000000100000-0x000000003ffdffff] usable
6,4,0,-;BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved
E820
}
fake_reset
iomem; e820
tdx "$FK" "$FD" check --only memory.cmr
has "RAM as at boot: PASS" "$WORK/out" '^PASS +memory\.cmr +all 1023 MiB of System RAM is in the BIOS memory map of boot$'
fake_reset
iomem '140000000-15fffffff : System RAM'; e820
tdx "$FK" "$FD" check --only memory.cmr
has "a DIMM plugged after boot: WARN, its range, TDH.SYS.CONFIG would fail" "$WORK/out" \
	'^WARN +memory\.cmr +512 MiB of System RAM was added after boot \(not in the BIOS memory map\) \(first \[0x140000000-0x15fffffff\]\): outside the CMRs the BIOS made, yet in the kernel.s TDMRs; TDH\.SYS\.CONFIG would fail, sticky until reboot$'
has "... hint: initialize TDX first, or take that memory out" "$WORK/out" 'hint: +initialize TDX before adding memory'
fake_reset
iomem '140000000-15fffffff : System RAM'
printf '%s\n' '6,1,0,-;BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  System RAM' \
	'6,2,0,-;BIOS-e820: [mem 0x000000000009fc00-0x00000000000fffff]  device reserved' \
	'6,3,0,-;BIOS-e820: [mem 0x0000000000100000-0x000000003ffdffff]  System RAM' >> "$FAKE/dev/kmsg"
tdx "$FK" "$FD" check --only memory.cmr
has "7.x's BIOS-e820 format (System RAM): the DIMM still found" "$WORK/out" '^WARN +memory\.cmr +512 MiB of System RAM was added after boot'
fake_reset
iomem '1080000000-10ffffffff : System RAM (kmem)'; e820
tdx "$FK" "$FD" check --only memory.cmr
has "CXL memory (kmem): WARN, device memory" "$WORK/out" '^WARN +memory\.cmr +2048 MiB of System RAM is device memory \(kmem: CXL, PMEM\)'
fake_reset
iomem
tdx "$FK" "$FD" check --only memory.cmr
has "no BIOS-e820 lines left in the log: SKIP, not PASS" "$WORK/out" \
	'^SKIP +memory\.cmr +the kernel log no longer holds the BIOS memory map of boot \(BIOS-e820 lines\)$'
fake_reset
printf '00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n' > "$FAKE/proc/iomem"; e820
tdx "$FK" "$FD" check --only memory.cmr
has "addresses hidden (not root): SKIP saying so" "$WORK/out" '^SKIP +memory\.cmr +/proc/iomem hides the addresses \(run as root\)$'
fake_reset
iomem '140000000-15fffffff : System RAM'; e820
rc_is "enable with memory added after boot: exit 0 (the CMRs are not known here: said, not refused)" 0 "$FK" "$FD" enable
has "... warns before the TDX module's initialization" "$WORK/err" \
	'^tdxctl: warning: 512 MiB of System RAM was added after boot \(\[0x140000000-0x15fffffff\]\): outside the BIOS.s CMRs, TDH\.SYS\.CONFIG will fail on it'

### memory outside the CMRs, refused before TDH.SYS.CONFIG (3 checks) ###
fake_reset module_errno=34
rc_is "module enable refused with ERANGE: exit 1" 1 "$FK" "$FD" enable
has "... says so: before TDH.SYS.CONFIG, nothing changed" "$WORK/err" \
	'^tdxctl: TDX module enable refused before TDH\.SYS\.CONFIG: memory is outside the TDX module.s CMRs \(added after boot\); nothing changed$'
has "... and what to do" "$WORK/err" '^hint: take that memory out \(the kernel log names the range; tdxctl check --only memory\.cmr\) and retry$'

### end (1 check) ###
no_tool_errors
plan_kept
[ "$failed" = 0 ]
