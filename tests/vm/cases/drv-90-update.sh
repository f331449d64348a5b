#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# Linux 7.2's tdx_host device over the emulated platform: its attributes
# (modes, format, ENXIO before enable), then a TD-preserving update
# through the raw firmware-upload flow with the TDX module in use:
# version changed, updates left one less, KeyIDs, TDMRs, PAMT, per-CPU
# records and the driver's status otherwise unchanged.
. /tests/lib.sh
t_plan 18

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

t_ok "unload" unload_driver
