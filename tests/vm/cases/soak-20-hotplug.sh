#!/bin/sh
# vm: smp=8 mem=1024
# vm-lines: debug
# vm-timeout: 1500
# CPU offline/online cycles while module enable, CPU enable, STATUS, the
# CPU table and the genl ops run concurrently, from the first enable on
# (the first cycles race the TDX module's initialization).  Every call
# answers with an errno its documentation allows; afterwards every online
# CPU is enabled and the counters agree.  1,000 cycles with
# tdxsoak.scale=full on the kernel command line (tools/soak.sh), 40 in CI.
. /tests/lib.sh
t_plan 8
cycles=40
grep -q 'tdxsoak.scale=full' /proc/cmdline && cycles=1000
ncpu=$(grep -c '^processor' /proc/cpuinfo)
rm -f /tmp/soak-stop /tmp/soak-*.calls /tmp/soak-*.bad
# the workers stop with the case, also when a timeout ends it
trap 'touch /tmp/soak-stop' EXIT
trap 'touch /tmp/soak-stop; exit 143' TERM

# worker NAME CMD...: runs CMD until /tmp/soak-stop; each run counted, each
# exit status outside the allowed ones (worker_ok) logged as a mismatch
worker_ok() {
	case "$1:$2" in
	enable:0|enable:11) return 0 ;;	# EAGAIN: pre-flight, CPUs offline
	cpu-enable:0|cpu-enable:6) return 0 ;;	# ENXIO: that CPU is offline
	status:0|table:0|genl:0) return 0 ;;
	esac
	return 1
}
worker() {
	_w=$1; shift
	_c=0 _b=0
	while [ ! -e /tmp/soak-stop ]; do
		"$@" > /tmp/soak-$_w.out 2>&1
		_r=$?
		_c=$((_c + 1))
		worker_ok "$_w" "$_r" || { _b=$((_b + 1)); [ $_b -le 5 ] && echo "$_w exit $_r: $(tail -n 2 /tmp/soak-$_w.out | tr '\n' ' ')" >> /tmp/soak-$_w.bad; }
	done
	echo "$_c $_b" > /tmp/soak-$_w.calls
}

load_driver || { t_fail "load"; exit 1; }
dmesg_mark hp0
worker enable $T enable --all-cpus &
w1=$!
worker cpu-enable sh -c "$T cpu-enable \$((\$(cut -c1-4 /proc/uptime | tr -d .) % $ncpu))" &
w2=$!
worker status $T status &
w3=$!
worker table $T table &
w4=$!
worker genl /tests/bin/tdx-genl status &
w5=$!

fail=0 i=0
t0=$(cut -d' ' -f1 /proc/uptime)
while [ $i -lt $cycles ]; do
	c=$(( 1 + i % (ncpu - 1) ))
	echo 0 > /sys/devices/system/cpu/cpu$c/online || fail=$((fail + 1))
	echo 1 > /sys/devices/system/cpu/cpu$c/online || fail=$((fail + 1))
	i=$((i + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
touch /tmp/soak-stop
wait $w1 $w2 $w3 $w4 $w5
online_all

calls=0 bad=0
for w in enable cpu-enable status table genl; do
	set -- $(cat /tmp/soak-$w.calls 2>/dev/null || echo 0 1)
	calls=$((calls + $1)) bad=$((bad + $2))
	t_diag "$w: $1 calls, $2 mismatches"
	[ -s /tmp/soak-$w.bad ] && t_diag "$(cat /tmp/soak-$w.bad)"
done
echo "# soak: hotplug cycles=$i cpus=$ncpu calls=$calls mismatches=$bad hotplug_failures=$fail seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')"
t_is "$cycles offline/online cycles, none refused" "$i $fail" "$cycles 0"
t_match "the workers ran ($calls calls)" "$calls" '^[1-9][0-9]+$'
t_is "every call answered as documented" "$bad" 0
out=$($T enable --all-cpus); rc=$?
t_is "enable with every CPU online: initialized" "$rc $(kv state "$out")" "0 initialized"
tbl=$($T table)
t_is "every online CPU enabled in the CPU table" \
	"$(printf '%s\n' "$tbl" | awk '$1 ~ /^cpu=/ && / online=1 / && / enabled=0 /' | wc -l)" 0
st=$($T status)
t_is "STATUS: enabled CPUs = online CPUs = $ncpu" "$(kv cpus_enabled "$st") $(kv cpus_online "$st")" "$ncpu $ncpu"
unload_driver
t_is "unload: nothing leaked" "$(dmesg_since hp0 | grep -c 'leak at unload')" 0
t_is "guest left as found: driver unloaded" "$(grep -c '^tdxctl' /proc/modules)" 0
