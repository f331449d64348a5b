#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# An update that fails after the old TDX module shut down (debugfs
# update_fail after-shutdown), as on hardware: the TDX module is lost,
# the driver's state is error, version reads ENXIO, a clear kernel log
# line, a netlink notification with the errno and TDX status; nothing can
# enable or update it again.  Then without TD_PRESERVING in TDX_FEATURES0
# the loader attributes and the upload are absent.
. /tests/lib.sh
t_plan 17

t_ok "load with backend=emulated" load_driver
out=$($T enable --all-cpus)
t_is "module enable" "$(kv state "$out")" initialized
/tests/bin/tdx-genl updates 1 > /tmp/upd-ev 2>&1 &
evpid=$!
_i=0
while ! grep -q listening /tmp/upd-ev && [ "$_i" -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done

echo after-shutdown > $D/update_fail
dmesg_mark fail1
err=$(fw_upload "$(blob 1.5.09)")
t_is "failure after shutdown: error firmware-invalid" "$err" "transferring:firmware-invalid"
out=$($T status)
t_is "driver state: error" "$(kv state "$out")" error
t_is "driver error: EIO, the P-SEAMLDR's status" \
	"$(kv err_errno "$out") $(kv err_tdx_status "$out")" "5 0x8000000000010005"
t_match "kernel log: the TDX module is lost" "$(dmesg_since fail1)" \
	'update from 1.5.08 failed after the TDX module shut down .*lost until reboot'
out=$(cat $TH/version 2>&1)
t_match "version: ENXIO (the TDX module is not initialized)" "$out" 'No such device or address'
t_is "model: the TDX module is shut down" "$(sed -n 's/^state //p' $D/model)" sys_shutdown
wait "$evpid"
t_is "netlink: the failure notified" "$(grep module-update /tmp/upd-ev)" \
	"module-update old=1.5.08 errno=5 tdx_status=0x8000000000010005"
echo none > $D/update_fail
err=$(fw_upload "$(blob 1.5.09)")
t_is "no update of a lost TDX module" "$err" "transferring:firmware-invalid"
out=$($T enable --all-cpus)
t_is "module enable: the error is sticky" "$(kv state "$out")" error
t_ok "unload" unload_driver

t_ok "load with features0 lacking TD_PRESERVING" load_driver features0=0x1f0f38
t_is "version is there" "$(ls $TH/version)" "$TH/version"
t_fails "seamldr_version hidden" test -e $TH/seamldr_version
t_fails "num_remaining_updates hidden, no tdx_module upload" \
	test -e $TH/num_remaining_updates -o -e $FWU
t_ok "unload" unload_driver
rm -f /tmp/upd-ev /tmp/*.blob
