#!/bin/sh
# vm: smp=2 mem=1024
# vm-lines: debug
# vm-timeout: 600
# Allocation failures (fail-nth, CONFIG_FAULT_INJECTION): the N-th
# allocation of one driver call fails, for N = 1, 2, ... until the call
# makes no N-th allocation.  Module enable: each failure leaves the state
# consistent: before TDH.SYS.CONFIG uninitialized with nothing kept, and
# an enable without the fault succeeds; from CONFIG on state error, and
# an enable again answers EIO (sticky, as documented).  The other ioctls
# and genl ops: ENOMEM (or a reply), the state unchanged.
# Part of the soak (tools/soak.sh, tdxsoak.scale=full on the kernel
# command line); in CI the same run, every fault point of every call.
. /tests/lib.sh
F=/tests/bin/tdx-failnth
ops="version status cpu-table cpu-enable genl-status genl-cpu-get"
t_plan 12

# inject into sleeping allocations too, quietly (no stack per fault)
for a in failslab fail_page_alloc; do
	echo N > /sys/kernel/debug/$a/ignore-gfp-wait
	echo 0 > /sys/kernel/debug/$a/verbose
done
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order

# module enable, once per N with a fresh driver
n=1 pre=0 post=0 anyway=0 bad=0 points=0
dmesg_mark fn0
while [ $n -le 2000 ]; do
	load_driver || { bad=$((bad + 1)); t_diag "N=$n: load failed"; break; }
	r=$($F once module-enable $n)
	st=$($T status)
	state=$(kv state "$st") step=$(kv err_step "$st")
	case "$r" in
	"injected=0 errno=0")
		unload_driver
		break ;;
	"injected=1 errno=0")
		anyway=$((anyway + 1))
		[ "$state" = initialized ] || { bad=$((bad + 1)); t_diag "N=$n: enabled, state $state"; } ;;
	injected=1*)
		e=${r#*errno=}
		case "$state" in
		uninitialized)
			pre=$((pre + 1))
			[ "$(cat $D/pamt_bytes)" = 0 ] || { bad=$((bad + 1)); t_diag "N=$n: $e, PAMT kept"; }
			o=$($T enable --all-cpus)
			[ "$(kv state "$o")" = initialized ] || { bad=$((bad + 1)); t_diag "N=$n: $e before CONFIG ($step), retry: $(echo $o)"; } ;;
		error)
			post=$((post + 1))
			$T enable --all-cpus > /dev/null
			[ $? = 5 ] || { bad=$((bad + 1)); t_diag "N=$n: $e from CONFIG on ($step), retry not EIO"; } ;;
		*)
			bad=$((bad + 1)); t_diag "N=$n: $e, state $state" ;;
		esac ;;
	*)
		bad=$((bad + 1)); t_diag "N=$n: $r" ;;
	esac
	points=$n
	unload_driver || { bad=$((bad + 1)); t_diag "N=$n: unload failed"; }
	n=$((n + 1))
done
echo "# soak: failnth module-enable points=$points failures=$((pre + post)) pre_config=$pre sticky=$post ok_anyway=$anyway unexpected=$bad"
t_is "module enable: every fault point tried" "$([ $n -le 2000 ] && echo yes)" yes
t_is "module enable: $points fault points, each consistent ($pre before CONFIG, $post sticky, $anyway enabled anyway)" "$bad" 0
t_is "module enable: nothing leaked at unload" "$(dmesg_since fn0 | grep -c 'leak at unload')" 0

# the other calls, on an initialized TDX module and on a fresh one
load_driver || t_fail "load (ops)"
for op in $ops; do t_prog "fail-nth $op" $F $op; done
$T enable --all-cpus > /dev/null
t_prog "fail-nth cpu-enable (initialized)" $F cpu-enable
t_prog "fail-nth genl-status (initialized)" $F genl-status
unload_driver

for a in failslab fail_page_alloc; do echo Y > /sys/kernel/debug/$a/ignore-gfp-wait; done
t_is "guest left as found: driver unloaded" "$(grep -c '^tdxctl' /proc/modules)" 0
