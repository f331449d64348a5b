#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# The P-SEAMLDR's side of tdxctl module update: a P-SEAMLDR too old for
# the release (module parameter seamldr_version) and a TDX module without
# TD_PRESERVING (features0 without bit 1: the loader attributes and the
# upload are hidden) are refused by the pre-checks, nothing written.
. /tests/lib.sh
t_plan 14
X=/bin/tdxctl
M=$BLOBS/mapping_file.json

t_ok "load with seamldr_version=1.4.09" load_driver seamldr_version=1.4.09
t_ok "enable" $X enable
before=$(upd_state; cat $TH/version $TH/num_remaining_updates)
out=$($X module update --yes --mapping $M "$(blob 1.5.09)" 2>&1); rc=$?
t_is "P-SEAMLDR too old: exit 1" "$rc" 1
t_match "P-SEAMLDR too old: says so" "$out" \
	"update.loader.version failed: the P-SEAMLDR 1.4.09 is too old for this release: it needs one of 1.5.00, 2.0.00"
t_is "P-SEAMLDR too old: nothing changed" "$(upd_state; cat $TH/version $TH/num_remaining_updates)" "$before"
out=$(jx $X --json module versions --mapping $M)
t_match "module versions: loader not OK for 1.5.09" "$out" '\{"version":"1.5.09","newer":true,"td_preserving":true,"loader_ok":false,'
t_match "module versions: none eligible" "$out" '"newest_eligible":null'
t_ok "unload" unload_driver

t_ok "load with features0 without TD_PRESERVING" load_driver features0=0x1f0f38
t_ok "enable" $X enable
out=$($X module update --yes --mapping $M "$(blob 1.5.09)" 2>&1); rc=$?
t_is "no TD_PRESERVING: exit 4" "$rc" 4
t_match "no TD_PRESERVING: runtime update not supported" "$out" \
	"update.interface failed: no TDX module update interface: runtime update is not supported on this platform"
t_is "no TD_PRESERVING: still 1.5.08" "$(cat $TH/version)" 1.5.08
rm -f /tmp/*.blob
t_ok "unload" unload_driver
