#!/bin/sh
# vm: smp=3
# vm-lines: 6.12 7.x
# tdxctl module update and module versions against the emulated
# platform's tdx_host device and tdx_module firmware upload: a dry run,
# every refusal of a pre-check (CPU offline, 0 updates left, a foreign-CPU
# blob, a downgrade, a debug blob, malformed headers) and of the emulated
# P-SEAMLDR itself, each leaving everything as it was; then a successful
# update with the TDX module in use (version changed, updates left one
# less, KeyIDs and CPUs unchanged).  The P-SEAMLDR too old and the failure
# after shutdown are cli-62-update-loader.sh and cli-64-update-failure.sh,
# Debian's 6.1 (no firmware-upload API) cli-61-update-6.1.sh.
. /tests/lib.sh
DMG=$(ls $BLOBS/damaged | sed 's/\.blob$//' | grep -vx emu-magic)
ndmg=$(echo $DMG | wc -w)
t_plan $((25 + 5 * (9 + ndmg)))
X=/bin/tdxctl
M=$BLOBS/mapping_file.json
ncpu=$(grep -c ^processor /proc/cpuinfo)
last=$((ncpu - 1))

# snap: what no refusal may change (the driver's records, the emulated
# TDX module's, the version and updates left, tdxctl status --json)
snap() { upd_state; cat $TH/version $TH/num_remaining_updates; upd_json; }
# refused NAME RC REGEX ARGS...: tdxctl module update ARGS exits RC and
# says REGEX, the JSON run too, and nothing changed (5 checks)
refused() {
	_name=$1 _want=$2 _re=$3
	shift 3
	_before=$(snap)
	_out=$($X module update "$@" 2>&1); _rc=$?
	t_is "$_name: exit $_want" "$_rc" "$_want"
	t_match "$_name: says why" "$_out" "$_re"
	_j=$(jx $X --json module update "$@" 2>/dev/null); _rc=$?
	t_is "$_name: --json exit $_want" "$_rc" "$_want"
	t_match "$_name: --json error" "$_j" '"error":\{"code":'"$_want"','
	t_is "$_name: nothing changed" "$(snap)" "$_before"
}

t_ok "load with backend=emulated" load_driver
b9=$(blob 1.5.09)
out=$($X module update --dry-run --mapping $M "$b9" 2>&1); rc=$?
t_is "before enable: exit 6" "$rc" 6
t_match "before enable: the TDX module is not initialized (ENXIO)" "$out" \
	'update.module.initialized failed: the TDX module is not initialized \(reading its version: ENXIO\)'
t_ok "enable" $X enable

# --- dry run: every pre-check passes, nothing written ---
before=$(snap)
out=$($X module update --dry-run --mapping $M "$b9"); rc=$?
t_is "dry run: exit 0" "$rc" 0
t_match "dry run: ten pre-checks pass" "$out" '^10 pre-checks: 10 pass, 0 fail, 0 unknown, 0 skip$'
t_match "dry run: the interface is there" "$out" '^PASS +update.interface +the firmware-upload device tdx_module is there$'
out=$(jx $X --json module update --dry-run --mapping $M "$b9")
t_match "dry run --json: dry_run true, error null" "$out" '"dry_run":true,.*"error":null\}$'
t_is "dry run: nothing changed" "$(snap)" "$before"
out=$(jx $X --json module versions --mapping $M); rc=$?
t_is "module versions --mapping: exit 0" "$rc" 0
t_match "module versions: running 1.5.08, P-SEAMLDR 1.5.02, 8 left" "$out" \
	'"running":\{"version":"1.5.08","seamldr_version":"1.5.02","remaining_updates":8,"update_interface":true,'
t_match "module versions: the newest eligible is 1.5.10" "$out" '"newest_eligible":"1.5.10"'

# --- refusals of the pre-checks: nothing written ---
cpu_set $last 0
refused "CPU $last offline" 6 "update.cpus.online failed: CPU $last is offline" --yes --mapping $M "$b9"
cpu_set $last 1
echo 0 > $D/seamldr_updates
refused "0 updates left" 6 "update.loader.remaining failed: no updates left" --yes --mapping $M "$b9"
echo 8 > $D/seamldr_updates
refused "foreign CPU" 1 "update.blob.cpu failed: the blob is not signed for this CPU" \
	--yes --mapping $M $BLOBS/foreign/tdx_module_1.5.09.blob
refused "downgrade 1.5.07" 1 "1.5.07 is older than the running 1.5.08: a downgrade" --yes --mapping $M "$(blob 1.5.07)"
mkdir -p /tmp/debug
refused "debug-signed" 1 "update.blob.production failed: the blob is a debug-signed TDX module" \
	--yes --mapping $M "$(blob_as $BLOBS/debug/tdx_module_1.5.09.blob /tmp/debug/tdx_module_1.5.09.blob)"
refused "1.5.11 not TD-preserving from 1.5.08" 1 "1.5.11 updates only from 1.5.09 or newer" --yes --mapping $M "$(blob 1.5.11)"
for k in $DMG; do
	refused "malformed header: $k" 1 "malformed TDX module image: " --yes --mapping $M --blob-version 1.5.09 \
		$BLOBS/damaged/$k.blob
done
# the emulated P-SEAMLDR's own refusals (the header is fine for tdxctl)
mkdir -p /tmp/emu
refused "the loader refuses a bad module (emu-magic)" 1 \
	"the P-SEAMLDR refused the update \(tdx_module error 'transferring:firmware-invalid'\): nothing changed" \
	--yes --mapping $M "$(blob_as $BLOBS/damaged/emu-magic.blob /tmp/emu/tdx_module_1.5.09.blob)"
echo before-shutdown > $D/update_fail
refused "injected failure before shutdown" 1 "the P-SEAMLDR refused the update .*TDX module 1.5.08 still running" \
	--yes --mapping $M "$b9"
echo none > $D/update_fail
refused "no --yes, stdin not a terminal" 2 "not updating without confirmation: stdin is not a terminal" \
	--mapping $M "$b9" < /dev/null

# --- the update, the TDX module in use ---
before=$(upd_json)
keyids=$($X --json status | grep -o '"global_keyid":[0-9]*,"guest_keyids":{[^}]*}')
cpus=$($X --json status | grep -o '"cpus":{"possible":[^}]*}')
# a monitor sees the update (its --status line first: it listens)
$X --json monitor --status --count 1 module-update > /tmp/mon.upd 2> /tmp/mon.upd.err &
mpid=$!
i=0
while [ ! -s /tmp/mon.upd ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
out=$($X module update --yes --mapping $M "$b9" 2>&1); rc=$?
( sleep 60; kill -9 "$mpid" 2>/dev/null ) &
killer=$!
wait "$mpid"; mrc=$?
kill "$killer" 2>/dev/null
while IFS= read -r l; do json_save "$l"; done < /tmp/mon.upd
t_is "monitor module-update: ends after its one event (exit 0)" "$mrc" 0
t_match "monitor: the module-update event, 1.5.08 -> 1.5.09" "$(sed 1d /tmp/mon.upd)" \
	'"event":"module-update","cpu":null,"data":\{"old_version":"1.5.08","new_version":"1.5.09","result":"updated","step":null,"errno":null,"errno_name":null,"tdx_status":null\}\}$'
t_is "update 1.5.08 -> 1.5.09: exit 0" "$rc" 0
t_diag "$out"
t_match "update: the version read back" "$out" '^  version after: +1\.5\.09$'
t_is "version: 1.5.09" "$(cat $TH/version)" 1.5.09
t_is "updates left: 7" "$(cat $TH/num_remaining_updates)" 7
t_is "status otherwise unchanged (KeyIDs, CPUs, state)" "$(upd_json)" "$before"
t_is "KeyIDs unchanged" "$($X --json status | grep -o '"global_keyid":[0-9]*,"guest_keyids":{[^}]*}')" "$keyids"
t_is "CPUs unchanged" "$($X --json status | grep -o '"cpus":{"possible":[^}]*}')" "$cpus"
out=$(jx $X --json status)
t_match "status --json: 1.5.09, 7 updates left" "$out" '"seamldr_version":"1.5.02","remaining_updates":7'
out=$(jx $X --json module update --dry-run --mapping $M "$b9"); rc=$?
t_is "1.5.09 again: already running, exit 1" "$rc" 1
t_match "1.5.09 again: the reason" "$out" 'TDX module 1.5.09 is already running'

rm -rf /tmp/*.blob /tmp/debug /tmp/emu /tmp/mon.upd /tmp/mon.upd.err
t_ok "unload" unload_driver
