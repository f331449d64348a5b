#!/bin/sh
# vm: smp=4 mem=1024
# Module lifetime: no backend -> refused with one log line; rmmod refused
# while /dev/tdx_host is open; 50 load/enable/unload cycles leak nothing.
. /tests/lib.sh
T=/tests/bin/tdx-ioctl
D=/sys/kernel/debug/tdxctl
kv() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n 1; }

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

load_driver || t_fail load
exec 3<>$TDX_DEV
t_fails "rmmod refused while an fd is open" rmmod tdxctl
t_is "status through the open fd still works" "$(kv state "$($T status)")" uninitialized
exec 3>&-
t_ok "rmmod after close" rmmod tdxctl

free_before=$(sed -n 's/^MemFree: *\([0-9]*\).*/\1/p' /proc/meminfo)
start=$(cut -d' ' -f1 /proc/uptime)
bad=0
i=0
while [ $i -lt 50 ]; do
	load_driver || { bad=$((bad + 1)); break; }
	[ "$(kv state "$($T enable --all-cpus)")" = initialized ] || bad=$((bad + 1))
	rmmod tdxctl || { bad=$((bad + 1)); break; }
	i=$((i + 1))
done
end=$(cut -d' ' -f1 /proc/uptime)
t_is "50 load/enable/unload cycles" "$i/$bad" "50/0"
t_diag "50 cycles in $(echo "$end $start" | awk '{print $1 - $2}') s"
free_after=$(sed -n 's/^MemFree: *\([0-9]*\).*/\1/p' /proc/meminfo)
# 50 leaked PAMTs would be 200 MiB; allow 8 MiB of noise
t_is "memory back after 50 cycles (within 8 MiB)" "$(( free_before - free_after < 8192 ))" 1
t_diag "MemFree before $free_before kB, after $free_after kB"
