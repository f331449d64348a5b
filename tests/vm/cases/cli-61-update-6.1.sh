#!/bin/sh
# vm: smp=3
# vm-lines: 6.1
# Debian's 6.1 is built without CONFIG_FW_UPLOAD: the emulated platform
# shows the tdx_host device but no tdx_module upload, and tdxctl module
# update refuses naming the missing firmware-upload interface (exit 4),
# writing nothing; module versions still reports the running TDX module.
. /tests/lib.sh
t_plan 12
X=/bin/tdxctl
M=$BLOBS/mapping_file.json

t_ok "load with backend=emulated" load_driver
t_ok "enable" $X enable
t_fails "no tdx_module firmware upload" test -e $FWU
before=$(upd_state; cat $TH/version $TH/num_remaining_updates)
out=$($X module update --yes --mapping $M "$(blob 1.5.09)" 2>&1); rc=$?
t_is "module update: exit 4" "$rc" 4
t_match "module update: the kernel has no firmware-upload API" "$out" \
	"update.interface failed: no TDX module update interface: kernel $(uname -r) is built without CONFIG_FW_UPLOAD"
t_match "module update: the evidence names the config" "$out" "evidence: file /boot/config-$(uname -r): CONFIG_FW_UPLOAD not set"
out=$(jx $X --json module update --dry-run --mapping $M "$(blob 1.5.09)"); rc=$?
t_is "module update --json: exit 4" "$rc" 4
t_match "module update --json: the failed check" "$out" '"id":"update.interface","title":"TDX module update interface","status":"fail"'
t_is "nothing changed" "$(upd_state; cat $TH/version $TH/num_remaining_updates)" "$before"
out=$(jx $X --json module versions); rc=$?
t_is "module versions: exit 0" "$rc" 0
t_match "module versions: 1.5.08, no update interface" "$out" '"running":\{"version":"1.5.08","seamldr_version":"1.5.02","remaining_updates":8,"update_interface":false,'
rm -f /tmp/*.blob
t_ok "unload" unload_driver
