#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# Linux 7.2's tdx_host device over the emulated platform: its attributes
# (modes, format, ENXIO before enable), then a TD-preserving update
# through the raw firmware-upload flow with the TDX module in use:
# version changed, updates left one less, KeyIDs, TDMRs, PAMT, per-CPU
# records and the driver's status otherwise unchanged; then 1.5.11, which
# may start from 1.5.09 only.  Each update is a module-update netlink
# notification.
. /tests/lib.sh
t_plan 24

t_ok "load with backend=emulated" load_driver
t_is "tdx_host: attribute modes" \
	"$(stat -c '%n %a' $TH/version $TH/seamldr_version $TH/num_remaining_updates | sed 's|.*/||')" \
	"version 444
seamldr_version 400
num_remaining_updates 400"
out=$(cat $TH/version 2>&1); rc=$?
t_fails "version before enable: the read fails" test "$rc" = 0
t_match "version before enable: ENXIO" "$out" 'No such device or address'
t_is "seamldr_version: the P-SEAMLDR's" "$(cat $TH/seamldr_version)" 1.5.02
t_is "num_remaining_updates: 8 at load" "$(cat $TH/num_remaining_updates)" 8
t_ok "firmware upload tdx_module registered" test -d $FWU
t_is "tdx_module: its parent is tdx_host" "$(basename "$(readlink -f $FWU/device)")" tdx_host

out=$($T enable --all-cpus)
t_is "module enable" "$(kv state "$out")" initialized
t_is "version after enable" "$(cat $TH/version)" 1.5.08
before=$(upd_state)
st_before=$(upd_json)

/tests/bin/tdx-genl updates 2 > /tmp/upd-ev 2>&1 &
evpid=$!
_i=0
while ! grep -q listening /tmp/upd-ev && [ "$_i" -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
b=$(blob 1.5.09)
dmesg_mark upd1
t0=$(/tests/bin/clock-us)
err=$(fw_upload "$b")
t1=$(/tests/bin/clock-us)
t_is "update to 1.5.09: error empty" "$err" ""
t_diag "update to 1.5.09 through the upload: $(( (t1 - t0) / 1000 )) ms" \
	"$(dmesg_since upd1 | grep -i 'update' )"
t_is "version read back: 1.5.09" "$(cat $TH/version)" 1.5.09
t_is "updates left: 7" "$(cat $TH/num_remaining_updates)" 7
t_is "driver status: version 1.5.09" "$(kv version "$($T status)")" 1.5.09
after=$(upd_state)
t_is "KeyIDs, TDMRs, PAMT, per-CPU records, status: unchanged" "$after" "$before"
st_after=$(upd_json)
t_is "tdxctl status --json: unchanged but for the version" "$st_after" "$st_before"
t_match "kernel log: the update" "$(dmesg_since upd1)" 'TDX module updated: 1.5.08 -> 1.5.09'

err=$(fw_upload "$(blob 1.5.11)")
t_is "update to 1.5.11 (TD-preserving from 1.5.09 on): error empty" "$err" ""
t_is "version read back: 1.5.11" "$(cat $TH/version)" 1.5.11
t_is "updates left: 6" "$(cat $TH/num_remaining_updates)" 6
t_is "state still unchanged after the second update" "$(upd_state)" "$before"
wait "$evpid"; rc=$?
t_is "netlink: both updates notified" "$rc" 0
t_is "netlink: old and new versions" "$(grep module-update /tmp/upd-ev)" \
	"module-update old=1.5.08 new=1.5.09
module-update old=1.5.09 new=1.5.11"
rm -f /tmp/upd-ev /tmp/tdx_module_*.blob

t_ok "unload" unload_driver
