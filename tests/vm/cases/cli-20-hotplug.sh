#!/bin/sh
# vm: smp=4 mem=1024
# tdxctl enable and CPU hotplug: an offline CPU is skipped and named, never
# onlined unless asked; a CPU that goes offline in the middle of a run is
# reported as went-offline, never as failed.
. /tests/lib.sh
# (the race below reports as many checks whichever way it lands)
t_plan 34
X=/bin/tdxctl
unload_driver
online_all

# --- offline before the run ---
t_ok "load the driver" load_driver
cpu_set 3 0
out=$($X enable 2>&1); rc=$?
t_is "enable with CPU 3 offline: exit 6" "$rc" 6
t_match "CPU 3 is skipped-offline" "$out" '^cpu 3: skipped-offline'
t_match "the module enable refusal names CPU 3" "$out" 'CPU 3 is offline, never TDX-enabled'
t_match "and says how to fix it" "$out" 'enable --online-cpus'
t_is "tdxctl left CPU 3 offline" "$(cat /sys/devices/system/cpu/cpu3/online)" 0
out=$(jx $X -j status)
t_match "status --json: offline_list [3]" "$out" '"offline_list":\[3\]'
t_match "status --json: still uninitialized" "$out" '"state":"uninitialized"'
out=$($X cpu enable 3 2>&1); rc=$?
t_is "cpu enable of an offline CPU: not done" "$rc" 6
t_match "cpu enable: skipped-offline" "$out" '^cpu 3: skipped-offline'
out=$($X enable --online-cpus); rc=$?
t_is "enable --online-cpus: exit 0" "$rc" 0
t_match "enable --online-cpus: CPU 3 enabled (by tdxctl or by the driver when it came online)" "$out" '^cpu 3: (enabled|already-enabled)$'
t_match "enable --online-cpus: says it onlined CPU 3" "$out" '^brought online: 3$'
t_match "enable --online-cpus: module initialized" "$out" '^TDX module: initialized'
t_is "CPU 3 is online" "$(cat /sys/devices/system/cpu/cpu3/online)" 1

# after module enable, a CPU that comes back is enabled by the driver
cpu_set 2 0
cpu_set 2 1
t_match "CPU 2 offline+online after init: still enabled" "$($X -j cpu list -o cpu,enabled 2)" '"cpu_table":\[\{"cpu":2,"enabled":true\}\]'
t_ok "unload" unload_driver

# --- a CPU goes offline in the middle of the run ---
# Each TDH.SYS.LP.INIT takes 300 ms, so CPU 3 is taken offline while
# earlier CPUs are still being enabled.
t_ok "load the driver with slow LP.INIT" load_driver latency_us=lp_init=300000
$X enable > /tmp/cli-enable.out 2>&1 &
pid=$!
i=0
while ! grep -q '^cpu 0:' /tmp/cli-enable.out 2>/dev/null && [ $i -lt 400 ]; do
	sleep 0.05 2>/dev/null || usleep 50000
	i=$((i + 1))
done
cpu_set 3 0
offrc=$?
wait $pid
rc=$?
out=$(cat /tmp/cli-enable.out)
t_diag "$out"
t_is "CPU 3 went offline during the run" "$offrc" 0
t_is "no CPU is reported failed" "$(grep -c ': failed' /tmp/cli-enable.out)" 0
if grep -q '^cpu 3: went-offline' /tmp/cli-enable.out; then
	t_pass "CPU 3 reported as went-offline"
	t_is "exit 6: module enable refused, nothing changed" "$rc" 6
	t_match "the refusal names CPU 3" "$out" 'CPU 3 is offline'
	t_match "the summary counts it" "$out" ', 1 went offline(,|$)'
	t_match "and lists it" "$out" '^went offline during the run: 3$'
else
	# the offline landed after CPU 3's turn: it was enabled before it left
	t_match "CPU 3 enabled before it went offline" "$out" '^cpu 3: enabled$'
	t_is "exit 0: an enabled offline CPU does not block the module" "$rc" 0
	t_match "TDX module initialized with CPU 3 offline" "$out" '^TDX module: initialized'
	t_is "the summary counts no CPU that went offline" "$(printf '%s\n' "$out" | grep -c 'went offline')" 0
	t_match "the summary: all 4 CPUs enabled by this run" "$out" '^4 CPUs: 4 enabled$'
fi
t_is "tdxctl did not bring CPU 3 back" "$(cat /sys/devices/system/cpu/cpu3/online)" 0
cpu_set 3 1
out=$($X enable); rc=$?
t_is "enable once CPU 3 is back: exit 0" "$rc" 0
t_match "CPU 3 enabled now" "$out" '^cpu 3: (enabled|already-enabled)$'
t_match "TDX module initialized" "$out" '^TDX module: (initialized|already-initialized)'
t_match "status: every CPU enabled" "$($X status)" '^  online, not enabled: +none$'

# --- JSON of the same race: one record per CPU, in CPU order ---
unload_driver
# (per-CPU init runs with interrupts off, where the modelled cost is only
# accounted: the slow step is the metadata read that module enable starts
# with, which holds CPU hotplug off)
t_ok "reload with slow TDH.SYS.RD" load_driver latency_us=sys_rd=100000
$X -j enable > /tmp/cli-enable.json 2>/dev/null &
pid=$!
sleep 0.5
cpu_set 3 0
wait $pid
rc=$?
out=$(cat /tmp/cli-enable.json); json_save "$out"
t_diag "$out"
t_match "enable --json: records in CPU order" "$out" '"cpus":\[\{"cpu":0,.*\{"cpu":1,.*\{"cpu":2,.*\{"cpu":3,"result":"(enabled|went-offline|skipped-offline)"'
t_match "enable --json: error object matches the exit code" "$out" "$([ "$rc" = 0 ] && echo '"error":null\}$' || echo "\"error\":\\{\"code\":$rc,")"
cpu_set 3 1
rm -f /tmp/cli-enable.out /tmp/cli-enable.json
t_ok "unload" unload_driver
online_all
