#!/bin/sh
# Guest side of bench/enable-time.sh: time TDX module enable on this guest,
# two ways, each on a freshly loaded driver (the emulated TDX module starts
# from scratch on every load):
#   serial    one CPU-enable ioctl per CPU from userspace, then module enable
#   parallel  module enable with TDX_HOST_ENABLE_ALL_CPUS (the driver runs
#             LP.INIT on every CPU at once)
# Prints one "RESULT key=value..." line per run.  LATENCY is the modelled
# SEAMCALL cost (module parameter latency_us), default: none.
. /tests/lib.sh
T=/tests/bin/tdx-ioctl
kv() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n 1; }
now_us() { /tests/bin/clock-us; }
ncpu=$(grep -c ^processor /proc/cpuinfo)
lat=$(sed -n 's/.*tdxbench.latency=\([^ ]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*tdxbench.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
runs=${runs:-3}

for i in $(seq 1 "$runs"); do
	for mode in serial parallel; do
		if [ -n "$lat" ]; then
			load_driver latency_us="$lat" || exit 1
		else
			load_driver || exit 1
		fi
		t0=$(now_us)
		if [ "$mode" = serial ]; then
			for c in $(seq 0 $((ncpu - 1))); do
				$T cpu-enable "$c" >/dev/null || { echo "cpu-enable $c failed"; exit 1; }
			done
			$T enable >/dev/null || { echo "enable failed"; exit 1; }
		else
			$T enable --all-cpus >/dev/null || { echo "enable --all-cpus failed"; exit 1; }
		fi
		t1=$(now_us)
		st=$($T status)
		line="RESULT smp=$ncpu mode=$mode run=$i wall_us=$((t1 - t0))"
		for s in sys_init lp_init sys_rd tdmr_build config key_config tdmr_init; do
			line="$line ${s}_us=$(( $(kv step_ns_$s "$st") / 1000 ))"
		done
		line="$line tdmrs=$(kv nr_tdmrs "$st") pamt_kb=$(kv pamt_kb "$st") state=$(kv state "$st")"
		echo "$line"
		unload_driver
	done
done
