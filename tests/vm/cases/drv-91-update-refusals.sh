#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# Every update the emulated P-SEAMLDR refuses before the old TDX module
# shuts down: error "firmware-invalid", a kernel log line with the reason,
# and everything as it was (version, updates left, KeyIDs, TDMRs, PAMT,
# per-CPU records, the TDX module's state).  Then a good update still
# works.
. /tests/lib.sh
kinds=$(ls $BLOBS/damaged | sed 's/\.blob$//')
nk=$(echo "$kinds" | wc -l)
t_plan $((5 + 3 * (9 + nk)))

snap() { upd_state; cat $TH/version $TH/num_remaining_updates; }
# refused NAME FILE REASON-RE [UNDO]: 3 checks; UNDO (eval'ed) puts back
# what made the refusal before the comparison
refused() {
	dmesg_mark "ref-$1"
	_e=$(fw_upload "$2")
	[ -z "$4" ] || eval "$4"
	t_is "$1: error firmware-invalid" "$_e" "transferring:firmware-invalid"
	t_is "$1: nothing changed" "$(snap)" "$base"
	t_match "$1: the kernel log says why" "$(dmesg_since "ref-$1")" \
		"update refused, nothing changed: .*$3"
}

t_ok "load with backend=emulated" load_driver
out=$($T enable --all-cpus)
t_is "module enable" "$(kv state "$out")" initialized
base=$(snap)

cpu_set 2 0
refused "CPU 2 offline" "$(blob 1.5.09)" "a CPU is offline" "cpu_set 2 1"
echo 0 > $D/seamldr_updates
refused "0 updates left" "$(blob 1.5.09)" "no updates left" \
	"echo 8 > $D/seamldr_updates"
refused "foreign CPU" "$BLOBS/foreign/tdx_module_1.5.09.blob" "not signed for this CPU"
refused "downgrade 1.5.07" "$(blob 1.5.07)" "not newer"
refused "same version 1.5.08" "$(blob 1.5.08)" "not newer"
refused "other minor 2.0.02" "$(blob 2.0.02)" "different major.minor"
refused "1.5.11 needs 1.5.09 running" "$(blob 1.5.11)" "too old to update from"
refused "debug-signed" "$(blob_as $BLOBS/debug/tdx_module_1.5.09.blob /tmp/dbg.blob)" "debug-signed"
echo before-shutdown > $D/update_fail
refused "injected before shutdown" "$(blob 1.5.09)" "injected failure before shutdown"
echo none > $D/update_fail
for k in $kinds; do
	refused "damaged: $k" "$(blob_as "$BLOBS/damaged/$k.blob" "/tmp/dmg-$k.blob")" "."
done

err=$(fw_upload "$(blob 1.5.09)")
t_is "a good update after all that: succeeds" "$err" ""
t_is "version read back: 1.5.09" "$(cat $TH/version)" 1.5.09
rm -f /tmp/*.blob
t_ok "unload" unload_driver
