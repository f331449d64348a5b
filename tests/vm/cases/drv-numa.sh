#!/bin/sh
# vm: smp=4 mem=4096 numa=2
# TDMRs and PAMTs against the guest's real memory map: two NUMA nodes in
# two packages, RAM below and above the 4 GiB PCI hole.  Each node's runs
# of memory are merged into TDMRs (node 0's 2 GiB into one), never across
# a node or a gap of a GiB or more.
. /tests/lib.sh
t_plan 13

# Expected TDMRs: the kernel's rule, worked out from the memory map
ram_kb=0
for r in $(grep ' : System RAM$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
	s=$((0x${r%-*})) e=$((0x${r#*-}))
	[ $s -lt 1048576 ] && s=1048576
	[ $s -le $e ] && ram_kb=$(( ram_kb + (e + 1 - s) / 1024 ))
done

load_driver || { t_fail load; exit 1; }
dmesg_mark numa1
out=$($T enable --all-cpus); rc=$?
# a kernel without a contiguous allocator (the debug line) says so: 1 GiB TDMRs
cap=0
dmesg_since numa1 | grep -q 'one TDMR per GiB' && cap=1
plan=$(tdmr_plan $cap)
want=${plan%% *}
t_diag "System RAM above 1 MiB: $ram_kb kB; expected TDMRs, covered and PAMT bytes: $plan (1 GiB TDMRs: $cap)"
t_is "module enable on two nodes / two packages" "$rc $(kv state "$out")" "0 initialized"
st=$($T status)
t_is "two packages" "$(kv nr_packages "$st")" 2
t_is "TDH.SYS.KEY.CONFIG once per package" "$(calls key_config)" 2
bad=
for p in $(sed -n 's/^\([0-9]*\) key_config \([0-9]*\)$/\1:\2/p' $D/calls_per_cpu); do
	[ "${p#*:}" = 1 ] || bad="$bad $p"
done
pk=$(for p in $(sed -n 's/^\([0-9]*\) key_config .*/\1/p' $D/calls_per_cpu); do
	cat /sys/devices/system/cpu/cpu$p/topology/physical_package_id; done | sort -u | tr '\n' ' ')
t_is "KEY.CONFIG ran on one CPU in each package" "$bad|$pk" "|0 1 "
t_is "TDMR count matches the memory map" "$(kv nr_tdmrs "$st")" "$want"
t_is "covered memory: the node runs rounded out to 1 GiB" "$(kv tdx_memory_kb "$st")" "$(( $(echo $plan | cut -d' ' -f2) / 1024 ))"
t_is "PAMT = covered/256 + 2M and 1G parts, per TDMR" "$(kv pamt_kb "$st")" "$(( $(echo $plan | cut -d' ' -f3) / 1024 ))"
t_is "PAMT ~ covered / 256 (+0.3%)" "$(( $(kv pamt_kb "$st") * 256 / $(kv tdx_memory_kb "$st") ))" 1
t_is "debugfs agrees on PAMT bytes" "$(cat $D/pamt_bytes)" "$(( $(kv pamt_kb "$st") * 1024 ))"
tdmrs=$(cat $D/tdmrs)
t_diag "$tdmrs"
t_match "memory split by node" "$tdmrs" 'node=1'
t_is "each TDMR's PAMT on a node of its memory" \
	"$(printf '%s\n' "$tdmrs" | grep -c '^tdmr .* node=[01] ')" "$want"
t_is "model initialized every TDMR" "$(sed -n 's/^tdmrs_initialized //p' $D/model)" "$want"
t_is "TDMR.INIT chunks: 256 per GiB covered" "$(calls tdmr_init)" "$(( $(kv tdx_memory_kb "$st") / 4096 ))"
t_diag "guest: $ram_kb kB RAM, $want TDMRs ($(kv tdx_memory_kb "$st") kB covered), PAMT $(kv pamt_kb "$st") kB; enable steps: $(printf '%s\n' "$st" | grep '^step_ns_' | tr '\n' ' ')"
unload_driver
