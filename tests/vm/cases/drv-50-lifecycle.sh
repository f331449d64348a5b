#!/bin/sh
# vm: smp=4 mem=1024
# Module lifetime: no backend -> refused with one log line; rmmod refused
# while /dev/tdx_host is open; 50 load/enable/unload cycles leak nothing:
# the driver counts its PAMT bytes (debugfs pamt_bytes) and logs any still
# allocated at unload.
. /tests/lib.sh
t_plan 14

dmesg_mark lc1
t_fails "no backend parameter: not loaded" insmod $TDX_KO
lines=$(dmesg_since lc1 | grep 'tdxctl: ' | grep -v 'taints kernel\|verification failed')
# (busybox insmod retries with init_module after finit_module fails: the
# driver is asked twice, each attempt logs the same one line)
t_is "one log line gives the reason" "$(printf '%s\n' "$lines" | sed 's/^\[[^]]*\] //' | sort -u | grep -c .)" 1
t_match "the reason" "$lines" 'no usable backend: this kernel has no TDX host core'
t_fails "unknown backend: not loaded" insmod $TDX_KO backend=magic
t_fails "too few KeyIDs: not loaded" insmod $TDX_KO backend=emulated keyids=16,1
t_fails "bad module_version: not loaded" insmod $TDX_KO backend=emulated module_version=x
t_is "nothing left behind" "$(grep -c '^tdxctl ' /proc/modules; [ -e $TDX_DEV ] && echo dev)" 0

t_ok "load" load_driver
exec 3<>$TDX_DEV
t_fails "rmmod refused while an fd is open" rmmod tdxctl
t_is "status through the open fd still works" "$(kv state "$($T status)")" uninitialized
exec 3>&-
t_ok "rmmod after close" rmmod tdxctl

# Every fifth cycle's enable succeeds; the others fail at a different
# point each (the first or the second PAMT allocation, TDH.SYS.CONFIG,
# TDH.SYS.TDMR.INIT; a failed PAMT allocation is not sticky), and no PAMT
# byte may stay allocated after them.
# Each unload's kernel log is read right after it (a mark before rmmod):
# the driver logs "leak at unload" when PAMT bytes or buffers are still
# allocated.
pamt_full=$((4108 * 1024))
start=$(cut -d' ' -f1 /proc/uptime)
bad= failed=0 freed=0 seen=0 leaks=
i=0
while [ $i -lt 50 ]; do
	load_driver || { bad="$bad $i:load"; break; }
	case $((i % 5)) in
	0) want=initialized ;;
	1) want=uninitialized; echo 1 > $D/fail_pamt_alloc ;;
	2) want=uninitialized; echo 2 > $D/fail_pamt_alloc ;;
	3) want=error; echo "config TDX_INVALID_PAMT" > $D/inject ;;
	4) want=error; echo "tdmr_init 0xc000010000000001 skip=100" > $D/inject ;;
	esac
	got=$(kv state "$($T enable --all-cpus)")
	[ "$got" = "$want" ] || bad="$bad $i:$got"
	pamt=$(cat $D/pamt_bytes)
	if [ "$want" != initialized ]; then
		failed=$((failed + 1))
		if [ "$pamt" = 0 ]; then
			freed=$((freed + 1))
		else
			bad="$bad $i:pamt_bytes=$pamt"
		fi
	elif [ "$pamt" != "$pamt_full" ]; then
		bad="$bad $i:pamt_bytes=$pamt"
	fi
	dmesg_mark "lc-unload-$i"
	rmmod tdxctl || { bad="$bad $i:rmmod"; break; }
	ul=$(dmesg | sed -n "/tdxctl-test-mark: lc-unload-$i\$/,\$p")
	case "$ul" in *"tdxctl-test-mark: lc-unload-$i"*) seen=$((seen + 1)) ;; esac
	case "$ul" in *"leak at unload"*) leaks="$leaks $i" ;; esac
	i=$((i + 1))
done
end=$(cut -d' ' -f1 /proc/uptime)
t_is "50 load/enable/unload cycles, each enable as expected" "$i|$bad" "50|"
t_diag "50 cycles in $(echo "$end $start" | awk '{print $1 - $2}') s"
t_is "PAMT bytes back to 0 after each failed enable" "$freed/$failed" "40/40"
t_is "kernel log of each of the 50 unloads read: no leak at unload" "$seen|$leaks" "50|"
