#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# An update that fails after the old TDX module shut down (debugfs
# update_fail after-shutdown): tdxctl module update reports the error
# file verbatim and what it means (TDX in error, running TDs lost, reboot
# needed), exit 6; status shows the TDX module in error.
. /tests/lib.sh
t_plan 11
X=/bin/tdxctl
M=$BLOBS/mapping_file.json

t_ok "load with backend=emulated" load_driver
t_ok "enable" $X enable
echo after-shutdown > $D/update_fail
out=$(jx $X --json module update --yes --mapping $M "$(blob 1.5.09)"); rc=$?
t_is "failure after shutdown: exit 6" "$rc" 6
t_match "failure after shutdown: the error file verbatim" "$out" '"update":\{"error":"transferring:firmware-invalid",'
t_match "failure after shutdown: the TDX module is lost" "$out" '"tdx_module_lost":true'
t_match "failure after shutdown: what it means" "$out" \
	"the update failed after the old TDX module shut down \(tdx_module error 'transferring:firmware-invalid'\): TDX is in error, running TDs are lost, a reboot is needed"
echo none > $D/update_fail
out=$(cat $TH/version 2>&1); rc=$?
t_fails "version: no longer readable" test "$rc" = 0
out=$(jx $X --json status)
t_match "status: the TDX module in error" "$out" '"module":\{"state":"error"'
out=$($X module update --dry-run --mapping $M "$(blob 1.5.09)" 2>&1); rc=$?
t_is "another update: refused, the TDX module is not running (exit 6)" "$rc" 6
t_match "another update: says why" "$out" "update.module.initialized failed: the TDX module is not initialized"
rm -f /tmp/*.blob
t_ok "unload" unload_driver
