#!/bin/sh
# vm: smp=4 mem=1024
# Driver happy path on 4 vCPUs: load, status before, module enable with
# every CPU, the TDX module's leaf counts, status after, enable twice.
. /tests/lib.sh
t_plan 35
ncpu=$(grep -c ^processor /proc/cpuinfo)

t_ok "load with backend=emulated" load_driver
t_is "device node is 0600 root" "$(stat -c '%a %u' $TDX_DEV)" "600 0"

out=$($T version)
t_is "version: ABI 1" "$(kv abi_version "$out")" 1
t_is "version: emulated backend" "$(kv backend "$out")" 1

out=$($T status)
t_is "status before: uninitialized" "$(kv state "$out")" uninitialized
t_is "status before: no CPU enabled" "$(kv cpus_enabled "$out")" 0
t_is "status before: no PAMT" "$(kv pamt_kb "$out")" 0
t_is "status before: module LP count = CPUs" "$(kv module_lp_count "$out")" "$ncpu"
t_is "status before: KeyIDs" "$(kv global_keyid "$out")/$(kv guest_keyid_first "$out")/$(kv guest_keyid_count "$out")" "16/17/47"
t_is "no PAMT allocated before enable" "$(cat $D/pamt_bytes)" 0
t_is "no SEAMCALL before enable" "$(calls sys_init)/$(calls lp_init)" "0/0"

out=$($T enable --all-cpus); rc=$?
t_is "module enable --all-cpus succeeds" "$rc" 0
[ "$rc" = 0 ] || t_diag "$out"
t_is "enable reports initialized" "$(kv state "$out")" initialized

out=$($T status)
t_is "status: initialized" "$(kv state "$out")" initialized
t_is "status: all CPUs enabled" "$(kv cpus_enabled "$out")" "$ncpu"
t_is "status: module version" "$(kv version "$out")" 1.5.08
t_is "status: one TDMR for 1 GiB" "$(kv nr_tdmrs "$out")" 1
t_is "status: PAMT 4 MiB + 12 KiB" "$(kv pamt_kb "$out")" 4108
t_is "status: PAMT matches debugfs" "$(( $(kv pamt_kb "$out") * 1024 ))" "$(cat $D/pamt_bytes)"
t_match "status: time in CONFIG" "$(kv step_ns_config "$out")" '^[1-9][0-9]*$'
t_match "status: time in TDMR.INIT" "$(kv step_ns_tdmr_init "$out")" '^[1-9][0-9]*$'
t_diag "module enable at smp $ncpu: $(printf '%s\n' "$out" | grep '^step_ns_' | tr '\n' ' ')"

t_is "TDH.SYS.INIT once" "$(calls sys_init)" 1
t_is "TDH.SYS.LP.INIT once per CPU" "$(calls lp_init)" "$ncpu"
bad=
for c in $(seq 0 $((ncpu - 1))); do
	n=$(sed -n "s/^$c lp_init //p" $D/calls_per_cpu)
	[ "$n" = 1 ] || bad="$bad cpu$c=$n"
done
t_is "TDH.SYS.LP.INIT ran on each CPU itself" "$bad" ""
t_is "TDH.SYS.CONFIG once" "$(calls config)" 1
t_is "TDH.SYS.KEY.CONFIG once per package" "$(calls key_config)" 1
t_is "TDH.SYS.TDMR.INIT in 4 MiB chunks" "$(calls tdmr_init)" 256
t_match "model reached SYS_READY" "$(cat $D/model)" 'state sys_ready'

out=$($T table)
t_is "CPU table: every CPU enabled" "$(printf '%s\n' "$out" | grep -c 'enabled=1')" "$ncpu"

out=$($T enable --all-cpus); rc=$?
t_is "enable twice: succeeds" "$rc" 0
out=$($T enable); rc=$?
t_is "enable a third time without flag: succeeds" "$rc" 0
t_is "enable twice: no new SEAMCALL" "$(calls sys_init)/$(calls lp_init)/$(calls config)" "1/$ncpu/1"
out=$($T cpu-enable 1); rc=$?
t_is "cpu-enable of an enabled CPU: already" "$rc/$(kv outcome "$out")" "0/already"

t_ok "unload" unload_driver
t_match "kernel log: PAMT line" "$(dmesg | grep 'tdxctl_emu: ' | tail -n 20)" 'KB allocated for PAMT'
