#!/bin/sh
# vm: smp=4 mem=1024
# Module lifetime, two modules: tdxctl.ko (core) with no usable backend is
# refused with one log line; with backend=emulated it waits, with no
# device, for tdxctl_emu.ko (a test module: taints N), which gives
# /dev/tdx_host.  The emulated platform cannot go while the device is
# open; when it goes the device goes, and the next one starts afresh.
# 50 load/enable/unload cycles leak nothing: the emulated platform counts
# its PAMT bytes (debugfs pamt_bytes) and logs any still allocated at
# unload.
. /tests/lib.sh
t_plan 33

mods() { grep -cE '^tdxctl(_emu)? ' /proc/modules; }
# taint N (TAINT_TEST, bit 18): the kernel's, sticky; and each module's own
taint_n() { echo $(( ($(cat /proc/sys/kernel/tainted) >> 18) & 1 )); }
mod_taint() { cat "/sys/module/$1/taint"; }

dmesg_mark lc1
t_fails "no backend parameter: not loaded" insmod $TDX_KO
lines=$(dmesg_since lc1 | grep 'tdxctl: ' | grep -v 'taints kernel\|verification failed')
# (busybox insmod retries with init_module after finit_module fails: the
# driver is asked twice, each attempt logs the same one line)
t_is "one log line gives the reason" "$(printf '%s\n' "$lines" | sed 's/^\[[^]]*\] //' | sort -u | grep -c .)" 1
t_match "the reason" "$lines" "no usable backend: (this kernel has no TDX host core|the kernel's TDX host core is present, but it found no usable TDX platform at boot)"
t_fails "unknown backend: not loaded" insmod $TDX_KO backend=magic
t_fails "the emulated platform alone: not loaded (needs tdxctl)" insmod $EMU_KO
t_is "nothing left behind" "$(mods; [ -e $TDX_DEV ] && echo dev)" 0

dmesg_mark lc2
t_ok "tdxctl.ko backend=emulated loads" insmod $TDX_KO backend=emulated
t_match "tdxctl.ko is no test module: its taint has no N" "$(mod_taint tdxctl)" '^[^N]*$'
t_is "... with no device until a backend registers" "$([ -e $TDX_DEV ] && echo dev)" ""
t_match "... and says what it waits for" "$(dmesg_since lc2)" 'tdxctl: waiting for backend emulated: load tdxctl_emu'
t_fails "emulated platform, too few KeyIDs: not loaded" insmod $EMU_KO keyids=16,1
t_fails "emulated platform, bad module_version: not loaded" insmod $EMU_KO module_version=x
t_fails "emulated platform, latency_us garbage: not loaded" insmod $EMU_KO latency_us=nonsense
t_fails "emulated platform, latency_us over 10 s: not loaded" insmod $EMU_KO latency_us=config=10000001
t_is "after the refusals: tdxctl still waits, no device" "$(mods; [ -e $TDX_DEV ] && echo dev)" 1
t_ok "tdxctl_emu.ko loads" insmod $EMU_KO
t_is "the device is there, backend emulated (1)" "$([ -c $TDX_DEV ] && echo dev) $(kv backend "$($T version)")" "dev 1"
t_is "a test module is loaded: kernel taint N set, and tdxctl_emu's own" "$(taint_n) $(mod_taint tdxctl_emu | grep -c N)" "1 1"
t_fails "rmmod tdxctl refused while the emulated platform uses it" rmmod tdxctl

exec 3<>$TDX_DEV
t_fails "rmmod tdxctl_emu refused while an fd is open" rmmod tdxctl_emu
t_is "status through the open fd still works" "$(kv state "$($T status)")" uninitialized
exec 3>&-
out=$($T enable --all-cpus)
t_is "enable" "$(kv state "$out")" initialized
dmesg_mark lc3
t_ok "rmmod tdxctl_emu after close" rmmod tdxctl_emu
t_is "tdxctl stays, the device goes" "$(mods; [ -e $TDX_DEV ] && echo dev)" 1
t_match "the log says the backend went" "$(dmesg_since lc3)" 'tdxctl: backend emulated gone: no backend, no /dev/tdx_host'
t_ok "tdxctl_emu.ko again" insmod $EMU_KO
st=$($T status)
t_is "a fresh start: uninitialized, no CPU enabled" "$(kv state "$st") $(kv cpus_enabled "$st")" "uninitialized 0"
out=$($T enable --all-cpus)
t_is "enable again" "$(kv state "$out")" initialized
t_ok "unload both" unload_driver
t_is "nothing left behind" "$(mods; [ -e $TDX_DEV ] && echo dev)" 0

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
	unload_driver || { bad="$bad $i:rmmod"; break; }
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
