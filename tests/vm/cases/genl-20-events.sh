#!/bin/sh
# vm: smp=4 mem=1024
# tdxctl monitor --json during an enable, CPU hotplug, a backend's unload
# and the driver's: exactly the expected events, the same in three
# monitors at once; the monitors end by themselves when tdxctl.ko goes.
# An injected sticky failure: its events, --until and an event filter.
# SIGINT ends a monitor cleanly; an overrun is an events-lost event.
# Failures before CONFIG (retryable) and a CPU's own LP.INIT failure: the
# whole payload of their events.
. /tests/lib.sh
t_plan 21

M=/tmp/mon
# mon_start NAME ARGS...: a monitor in the background writing $M.NAME;
# returns once it listens (its --status line is out)
mon_start() {
	_n=$1; shift
	tdxctl --json monitor --status "$@" > "$M.$_n" 2> "$M.$_n.err" &
	eval "pid_$_n=$!"
	_i=0
	while [ ! -s "$M.$_n" ] && [ "$_i" -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# mon_wait NAME: the monitor's exit status (SIGKILLed after 60 s: a
# SIGTERM would be a clean end, exit 0)
mon_wait() {
	eval "_p=\$pid_$1"
	( sleep 60; kill -9 "$_p" 2>/dev/null ) &
	_w=$!
	wait "$_p"; _rc=$?
	kill "$_w" 2>/dev/null
	return $_rc
}
# events NAME: its lines after the status line, without seq and ts;
# every line also goes to the host for schema validation
events() {
	while IFS= read -r _l; do json_save "$_l"; done < "$M.$1"
	sed 1d "$M.$1" | sed 's/^{"seq":[0-9]*,"ts":"[^"]*",//'
}
nofail='"step":null,"errno":null,"errno_name":null,"tdx_status":null'
en() { printf '"event":"cpu-enable","cpu":%s,"data":{"result":"enabled",%s}}\n' "$1" "$nofail"; }
st() { printf '"event":"state","cpu":null,"data":{"old":"%s","new":"%s",%s}}\n' "$1" "$2" "$nofail"; }
be() { printf '"event":"backend","cpu":null,"data":{"backend":"emulated","present":%s}}\n' "$1"; }
hp() { printf '"event":"cpu-%s","cpu":%s,"data":{"initialized":true%s}}\n' "$1" "$2" "$3"; }

# 1. enable, hotplug, unload, seen by three monitors
insmod "$TDX_KO" backend=emulated || { t_fail "insmod tdxctl"; exit 1; }
for m in a b c; do mon_start $m; done
insmod "$EMU_KO" || t_fail "insmod tdxctl_emu"
$T enable --all-cpus > /dev/null || t_fail "enable"
cpu_set 3 0 && cpu_set 3 1 || t_fail "CPU 3 offline/online"
rmmod tdxctl_emu || t_fail "rmmod tdxctl_emu"
rmmod tdxctl || t_fail "rmmod tdxctl"
for m in a b c; do
	mon_wait $m
	t_is "monitor $m ended by itself when tdxctl.ko went: exit 0" "$?" 0
done
want=$( be true; en 0; en 1; en 2; en 3; st uninitialized initializing
	st initializing initialized; hp offline 3; hp online 3 ',"refused":false,"errno":null,"errno_name":null'
	be false; printf '%s\n' '"event":"driver-gone","cpu":null,"data":{}}')
got=$(events a)
t_is "enable, hotplug, backend and driver unload: exactly these events" "$got" "$want"
t_is "a second monitor saw the same" "$(events b)" "$want"
t_is "a third monitor saw the same" "$(events c)" "$want"
t_is "seq counts 1..12 with the status line" "$(sed 's/^{"seq":\([0-9]*\),.*/\1/' "$M.a" | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 10 11 12 "
t_match "the status line said: no backend yet" "$(head -n 1 "$M.a")" '"event":"status","cpu":null,"data":\{"state":null,"backend":null'
t_is "monitors wrote nothing on stderr" "$(cat "$M.a.err" "$M.b.err" "$M.c.err")" ""

# 2. an injected sticky failure: all events until "failure"; a filter
load_driver || { t_fail "load"; exit 1; }
mon_start d --until failure
mon_start e failure --count 1
echo "config TDX_INVALID_PAMT" > "$D/inject"
$T enable --all-cpus > /dev/null
mon_wait d
t_is "--until failure: exit 0 when it came" "$?" 0
mon_wait e
t_is "failure --count 1: exit 0 after it" "$?" 0
fail='"step":"config","errno":5,"errno_name":"EIO","tdx_status":"0xc0000a1000000000"'
want=$( en 0; en 1; en 2; en 3; st uninitialized initializing
	printf '"event":"state","cpu":null,"data":{"old":"initializing","new":"error",%s}}\n' "$fail"
	printf '"event":"failure","cpu":null,"data":{%s}}\n' "$fail")
t_is "injected CONFIG failure: exactly these events" "$(events d)" "$want"
t_is "the filtered monitor printed only the failure" "$(events e)" "$(printf '"event":"failure","cpu":null,"data":{%s}}' "$fail")"
t_match "its status line is the uninitialized state" "$(head -n 1 "$M.d")" '"data":\{"state":"uninitialized","backend":"emulated","cpus_online":4,"cpus_enabled":0'

# 3. SIGINT ends a monitor cleanly
mon_start f
kill -INT "$pid_f"
mon_wait f
t_is "SIGINT: exit 0" "$?" 0
t_is "SIGINT: only whole lines were written" "$(wc -l < "$M.f") $(tail -c 1 "$M.f" | od -An -c | tr -d ' ')" '1 \n'

# 4. an overrun: a stopped monitor with a small buffer
mon_start g --buffer 1024
kill -STOP "$pid_g"
for i in 1 2 3; do for c in 1 2 3; do cpu_set $c 0; cpu_set $c 1; done; done
kill -CONT "$pid_g"
sleep 1
unload_driver || t_fail "unload"
mon_wait g
t_is "overrun: the monitor goes on and ends with the driver: exit 0" "$?" 0
t_match "overrun: an events-lost event" "$(events g)" '"event":"events-lost","cpu":null,"data":\{\}'
online_all

# 5. LP.INIT failing on CPU2, that CPU offline and online, then failures
# before CONFIG (metadata, PAMT allocation) and a successful retry
load_driver || { t_fail "load"; exit 1; }
mon_start h
echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2" > $D/inject
$T enable --all-cpus > /dev/null
cpu_set 2 0 && cpu_set 2 1 || t_fail "CPU 2 offline/online"
echo "sys_rd TDX_METADATA_FIELD_NOT_READABLE skip=3" > $D/inject
$T enable > /dev/null
echo 2 > $D/fail_pamt_alloc
$T enable > /dev/null
$T enable > /dev/null
unload_driver || t_fail "unload"
mon_wait h
t_is "early failures: the monitor ends with the driver: exit 0" "$?" 0
early() { # early STEP ERRNO NAME STATUS: the state event of a failure before CONFIG
	printf '"event":"state","cpu":null,"data":{"old":"initializing","new":"uninitialized","step":"%s","errno":%s,"errno_name":"%s","tdx_status":"%s"}}\n' "$@"
}
want=$( en 0; en 1
	printf '"event":"cpu-enable","cpu":2,"data":{"result":"failed","step":"lp_init","errno":5,"errno_name":"EIO","tdx_status":"0xc000090200000000"}}\n'
	en 3
	printf '"event":"cpu-offline","cpu":2,"data":{"initialized":false}}\n'
	en 2; hp online 2 ',"refused":false,"errno":null,"errno_name":null'
	st uninitialized initializing; early sys_rd 5 EIO 0xc0000c0200000000
	st uninitialized initializing; early tdmr_build 12 ENOMEM 0x0000000000000000
	st uninitialized initializing; st initializing initialized
	be false; printf '%s\n' '"event":"driver-gone","cpu":null,"data":{}}')
got=$(events h)
t_is "LP.INIT failure, hotplug, early failures, retry: exactly these events" "$got" "$want"
t_is "early failures: the state events back to uninitialized carry step, errno and status" \
	"$(printf '%s\n' "$got" | grep '"new":"uninitialized"')" \
	"$(early sys_rd 5 EIO 0xc0000c0200000000; early tdmr_build 12 ENOMEM 0x0000000000000000)"
online_all
