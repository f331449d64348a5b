#!/bin/sh
# vm: smp=4 mem=1024
# A fatal signal to the caller during TDH.SYS.TDMR.INIT does not break
# TDX: SIGTERM, then SIGKILL, each ends module enable within seconds and
# leaves the TDX module resumable (state uninitialized, not error; the
# PAMTs stay the TDX module's); the next MODULE_ENABLE resumes TDMR.INIT
# where the TDX module's per-TDMR cursor stands and succeeds, with no
# TDMR.INIT call more than an uninterrupted run makes.
. /tests/lib.sh
t_plan 11
online_all
plan=$(tdmr_plan)
# TDMR.INIT does 4 MiB a call: what an uninterrupted run makes
want=$(( $(echo $plan | cut -d' ' -f2) / 4194304 ))

# 20 ms a call: a few seconds of TDMR.INIT
load_driver latency_us=tdmr_init=20000 || t_fail "load"
$T enable --all-cpus > /tmp/sig-en.out 2>&1 &
pid=$!
wait_calls tdmr_init 20
kill -TERM $pid
t_ok "SIGTERM ends module enable within 10 s" gone $pid 10
wait $pid 2>/dev/null
st=$($T status)
n1=$(calls tdmr_init)
t_is "after SIGTERM: not sticky, resumable (uninitialized)" \
	"$(kv state "$st")" "uninitialized"
t_match "after SIGTERM: the PAMTs stay (the TDX module has them)" \
	"$(cat $D/pamt_bytes)" '^[1-9][0-9]*$'

$T enable --all-cpus > /tmp/sig-en.out 2>&1 &
pid=$!
wait_calls tdmr_init $((n1 + 20))
kill -KILL $pid
t_ok "SIGKILL ends the resumed enable within 10 s" gone $pid 10
wait $pid 2>/dev/null
st=$($T status)
n2=$(calls tdmr_init)
t_is "after SIGKILL: not sticky, resumable (uninitialized)" \
	"$(kv state "$st")" "uninitialized"
t_ok "SIGKILL came before the end of TDMR.INIT ($n2 of $want calls)" \
	test "$n2" -lt "$want"

# the retry as an admin makes it: tdxctl enable
out=$(tdxctl enable 2>&1); rc=$?
t_diag "$out"
t_is "tdxctl enable resumes TDMR.INIT and succeeds" "$rc $(kv state "$($T status)")" \
	"0 initialized"
t_is "TDMR.INIT resumed where it stopped: $want calls in all, as an uninterrupted run" \
	"$(calls tdmr_init)" "$want"
st=$($T status)
t_is "status: initialized, the TDMRs and PAMT of the plan ($plan)" \
	"$(kv state "$st") $(kv nr_tdmrs "$st") $(( $(kv pamt_kb "$st") * 1024 ))" \
	"initialized ${plan%% *} $(echo $plan | cut -d' ' -f3)"
dmesg_mark sig1
t_ok "unload the driver" unload_driver
t_is "unload: nothing leaked" "$(dmesg_since sig1 | grep -c 'leak at unload')" 0
online_all
