#!/bin/sh
# vm: smp=4 mem=1024
# Parameters of the emulated TDX module: KeyID split, version, LP count
# (a TDX module that counted more CPUs than the kernel has), cost model.
. /tests/lib.sh
t_plan 11

load_driver keyids=32,16 module_version=1.6.2.7 build_date=20260101 build_num=99 || t_fail load
out=$($T enable --all-cpus) || t_fail enable
st=$($T status)
t_is "KeyIDs 32,16: global 32, guests 33 x 15" "$(kv global_keyid "$st") $(kv guest_keyid_first "$st") $(kv guest_keyid_count "$st")" "32 33 15"
t_is "model configured with the global KeyID" "$(sed -n 's/^global_keyid //p' $D/model)" 32
t_is "version 1.6.02 internal 7" "$(kv version "$st") $(kv version_internal "$st")" "1.6.02 7"
t_is "build date and number" "$(kv build_date "$st") $(kv build_num "$st")" "20260101 99"
unload_driver

load_driver lp_count=5 || t_fail load
dmesg_mark lp5
out=$($T enable --all-cpus); rc=$?
t_is "TDX module counted 5 LPs, kernel has 4: EAGAIN" "$rc $(kv step "$out")" "11 preflight"
t_match "log says how many the module counted" "$(dmesg_since lp5)" '4 CPUs enabled, the TDX module counted 5'
t_is "status: module LP count 5" "$(kv module_lp_count "$($T status)")" 5
t_is "state still uninitialized" "$(kv state "$($T status)")" uninitialized
t_is "the TDX module agrees: CONFIG would fail" "$(echo 'config 0 1 16' > $D/seamcall; sed -n 's/^status=\(0x[0-9a-f]*\).*/\1/p' $D/seamcall)" 0xc000050c00000000
unload_driver

load_driver latency_us=tdmr_init=200,lp_init=1000 || t_fail load
out=$($T enable --all-cpus) || t_fail enable
st=$($T status)
t_match "TDMR.INIT cost: 256 x 200 us >= 51 ms (slept: more under load)" "$(kv step_ns_tdmr_init "$st")" '^([5-9][0-9]|[1-9][0-9]{2,})[0-9]{6}$'
t_match "LP.INIT cost summed over 4 CPUs >= 4 ms" "$(kv step_ns_lp_init "$st")" '^([4-9]|[1-9][0-9])[0-9]{6}$'
unload_driver
