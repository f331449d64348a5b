#!/bin/sh
# vm: smp=4 sockets=2
# Two packages: the CPU table gives each CPU the package the kernel's
# topology shows; module enable refuses (EAGAIN, nothing changed, the
# package named) while every CPU of one package is offline, even when
# each of them was enabled before; back online, TDH.SYS.KEY.CONFIG runs
# once in each package.
. /tests/lib.sh
t_plan 18
X=/bin/tdxctl
S=/sys/devices/system/cpu
N=$(grep -c ^processor /proc/cpuinfo)
L=$((N - 1))
topo() { cat $S/cpu$1/topology/$2; }
# "CPU:PACKAGE" of every CPU, from sysfs and from the driver's CPU table
sysfs_pkgs() { for c in $(seq 0 $L); do printf '%s:%s ' $c "$(topo $c physical_package_id)"; done; }
table_pkgs() { $T table | sed -n 's/^cpu=\([0-9]*\) .* package=\([0-9-]*\) .*/\1:\2/p' | tr '\n' ' '; }
pkg1=$(for c in $(seq 0 $L); do [ "$(topo $c physical_package_id)" = 1 ] && echo $c; done | tr '\n' ' ')
pkg1_set() { for c in $pkg1; do cpu_set $c "$1" || return 1; done; }
online_all

t_is "the guest has two packages (sysfs)" \
	"$(for c in $(seq 0 $L); do topo $c physical_package_id; done | sort -u | tr '\n' ' ')" "0 1 "
t_ok "load the driver" load_driver
t_is "the TDX module counted 2 packages" "$(kv nr_packages "$($T status)")" 2
t_is "CPU table: each CPU's package is its sysfs physical_package_id" "$(table_pkgs)" "$(sysfs_pkgs)"
want=$(for c in $(seq 0 $L); do
	printf '{"cpu":%s,"package":%s,"core":%s}\n' $c "$(topo $c physical_package_id)" "$(topo $c core_id)"
done | paste -sd, -)
t_is "tdxctl cpu list: package and core of each CPU as sysfs shows them" \
	"$($X -j cpu list -o cpu,package,core | sed -n 's/.*"cpu_table":\[\([^]]*\)\].*/\1/p')" "$want"

# every CPU enabled first: only the package rule can refuse
bad=
for c in $(seq 0 $L); do
	out=$($T cpu-enable $c) || bad="$bad cpu$c:$(kv outcome "$out")"
done
t_is "cpu-enable of each CPU" "$bad" ""
t_ok "offline every CPU of package 1 (CPUs $pkg1)" pkg1_set 0
st=$($T status)
before=$(cat $D/calls)
dmesg_mark pk1
out=$($T enable --all-cpus); rc=$?
t_is "module enable with package 1 offline: EAGAIN at the pre-flight" \
	"$rc $(kv step "$out") $(kv state "$out")" "11 preflight uninitialized"
t_match "the kernel log names package 1" "$(dmesg_since pk1)" 'packages with no online CPU: \[1\]'
t_rc "tdxctl module enable: refused, exit 6" 6 $X module enable
t_is "status identical before and after the refusals" "$($T status)" "$st"
t_is "no SEAMCALL made by the refusals" "$(cat $D/calls)" "$before"
t_is "no PAMT allocated" "$(cat $D/pamt_bytes)" 0

t_ok "online package 1 again" pkg1_set 1
out=$($T enable --all-cpus); rc=$?
t_is "module enable with both packages online" "$rc $(kv state "$out")" "0 initialized"
t_is "TDH.SYS.KEY.CONFIG once per package" "$(calls key_config)" 2
pk=$(for p in $(sed -n 's/^\([0-9]*\) key_config 1$/\1/p' $D/calls_per_cpu); do
	topo $p physical_package_id; done | sort | tr '\n' ' ')
t_is "KEY.CONFIG ran on one CPU in each package" "$pk" "0 1 "
t_ok "unload the driver" unload_driver
online_all
