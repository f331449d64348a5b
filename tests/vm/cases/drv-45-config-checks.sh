#!/bin/sh
# vm: smp=4 mem=1024
# TDH.SYS.CONFIG's input checks in the emulated TDX module: the driver's
# real TDMR/PAMT layout, spoiled one way at a time just before CONFIG
# (debugfs corrupt_config), is refused with the TDX module's status code,
# the error is sticky at step config, and the PAMTs are freed.  Near
# misses next to the violations: a partial PAMT overlap is refused as a
# full one is; reserved areas that touch without overlapping are legal.
. /tests/lib.sh
t_plan 32

check() { # check SPOIL STATUS WHAT
	load_driver || { t_fail "$3: load"; return; }
	echo "$1" > $D/corrupt_config
	out=$($T enable --all-cpus); rc=$?
	t_is "$3" "$rc $(kv step "$out") $(kv tdx_status "$out") $(kv state "$out")" "5 config $2 error"
	t_is "$3: PAMT freed" "$(cat $D/pamt_bytes)" 0
	unload_driver
}

check tdmr_base      0xc0000a0000000000 "TDMR base not 1G-aligned: INVALID_TDMR"
check tdmr_order     0xc0000a0100000001 "TDMR 1 not above TDMR 0: NON_ORDERED_TDMR|1"
check rsv_misaligned 0xc0000a2000000000 "reserved area not 4K-aligned: INVALID_RESERVED_IN_TDMR"
check rsv_order      0xc0000a2100000000 "reserved areas out of order: NON_ORDERED_RESERVED_IN_TDMR"
check rsv_overlap    0xc0000a2100000000 "reserved areas overlapping by one page: NON_ORDERED_RESERVED_IN_TDMR"
check rsv_none       0xc0000a0200000000 "holes not reserved: TDMR_OUTSIDE_CMRS"
check pamt_small     0xc0000a1000000000 "4K PAMT one page short: INVALID_PAMT"
check pamt_overlap   0xc0000a1200000000 "1G PAMT on the 4K PAMT: PAMT_OVERLAP"
check pamt_overlap_partial 0xc0000a1200000000 "1G PAMT on the 4K PAMT's last page: PAMT_OVERLAP"
check pamt_usable    0xc0000a1200000000 "1G PAMT in usable (not reserved) TDMR memory: PAMT_OVERLAP"
check pamt_outside   0xc0000a1100000000 "PAMT on the local APIC: PAMT_OUTSIDE_CMRS"
check count          0xc000010000000002 "0 TDMRs: OPERAND_INVALID|RDX"
check keyid          0xc000010000000008 "KeyID 1 (not a TDX KeyID): OPERAND_INVALID|R8"
check array          0xc000010000000001 "TDMR array not 512-aligned: OPERAND_INVALID|RCX"
# reserved area 1 moved back to start where area 0 ends: legal
load_driver || t_fail "rsv_adjacent: load"
echo rsv_adjacent > $D/corrupt_config
dmesg_mark adj
out=$($T enable --all-cpus); rc=$?
t_is "reserved areas adjacent (area 1 starts where area 0 ends): accepted" \
	"$rc $(kv step "$out") $(kv tdx_status "$out") $(kv state "$out")" \
	"0 none 0x0000000000000000 initialized"
t_match "rsv_adjacent: the spoiled input went to TDH.SYS.CONFIG" "$(dmesg_since adj)" \
	'spoiling the TDH.SYS.CONFIG input: rsv_adjacent'
t_is "rsv_adjacent: CONFIG ran once" "$(calls config)" 1
unload_driver
load_driver
t_fails "unknown spoil keyword refused" sh -c "echo nonsense > $D/corrupt_config"
unload_driver
