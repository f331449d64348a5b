#!/bin/sh
# vm: smp=2 mem=1024
# vm-lines: debug
# vm-timeout: 900
# Load/unload cycles of tdxctl.ko and tdxctl_emu.ko, both orders: the
# emulated platform before the driver (refused: its symbols come from
# tdxctl.ko) and the driver unloaded before the platform (refused: in
# use); an open /dev/tdx_host pins the platform (rmmod EPERM until it is
# closed); a monitor listens throughout and ends by itself with the
# driver ("driver-gone").  Every other cycle enables the TDX module.
# Then kmemleak (scanned twice) finds no unreferenced object made since
# the first cycle.  100 cycles with tdxsoak.scale=full on the kernel
# command line (tools/soak.sh), 6 in CI.
. /tests/lib.sh
t_plan 8
cycles=6
grep -q 'tdxsoak.scale=full' /proc/cmdline && cycles=100
K=/sys/kernel/debug/kmemleak

echo clear > $K
bad=0 i=0
bump() { bad=$((bad + 1)); [ $bad -le 10 ] && t_diag "cycle $i: $*"; }
while [ $i -lt $cycles ]; do
	insmod "$EMU_KO" 2>/dev/null && { bump "tdxctl_emu loaded without tdxctl"; rmmod tdxctl_emu; }
	insmod "$TDX_KO" backend=emulated || bump "insmod tdxctl"
	insmod "$EMU_KO" || bump "insmod tdxctl_emu"
	rm -f /tmp/mon.out
	/bin/tdxctl monitor --status > /tmp/mon.out 2>&1 &
	mon=$!
	# it listens once its status line is out
	w=0
	while [ ! -s /tmp/mon.out ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
	exec 3<>$TDX_DEV
	if [ $((i % 2)) = 1 ]; then
		$T enable --all-cpus > /dev/null || bump "enable"
	fi
	rmmod tdxctl 2>/dev/null && bump "tdxctl unloaded under tdxctl_emu"
	rmmod tdxctl_emu 2>/dev/null && bump "tdxctl_emu unloaded with /dev/tdx_host open"
	exec 3>&-
	rmmod tdxctl_emu || bump "rmmod tdxctl_emu"
	rmmod tdxctl || bump "rmmod tdxctl"
	gone $mon 10 || { bump "monitor still running"; kill $mon; }
	wait $mon || bump "monitor exit $?: $(tail -n 1 /tmp/mon.out)"
	grep -q 'driver-gone' /tmp/mon.out || bump "monitor never saw driver-gone"
	i=$((i + 1))
done
t_is "$cycles load/unload cycles, each as documented" "$bad" 0
t_is "nothing loaded afterwards" "$(grep -c '^tdxctl' /proc/modules)" 0
t_is "no leak at unload" "$(dmesg | grep -c 'leak at unload')" 0

# kmemleak reports an object after it stayed unreferenced over two scans
echo scan > $K
sleep 1
echo scan > $K
leaks=$(grep -c '^unreferenced object' $K)
t_diag "$(head -n 40 $K)"
echo "# soak: loadunload cycles=$i mismatches=$bad leaks=$leaks"
t_is "kmemleak: no unreferenced object" "$leaks" 0
t_match "kmemleak is on (its report reads)" "$(cat $K 2>&1; echo rc=$?)" 'rc=0$'
t_ok "the driver loads again" load_driver
t_ok "... and unloads" unload_driver
t_is "monitor output named the unload" "$(grep -c 'driver-gone' /tmp/mon.out)" 1
