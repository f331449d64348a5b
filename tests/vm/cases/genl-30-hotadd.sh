#!/bin/sh
# vm: smp=4 maxcpus=5 mem=1024
# vm-lines: 6.1 debug
# tdxctl monitor --json through an enable on 4 vCPUs (tdxctl enable) and a
# vCPU hot-added afterwards, which the driver refuses to online (the TDX
# module takes no LP.INIT after CONFIG): the transcript, and exactly its
# events, with the refused vCPU's payloads in full.
. /tests/lib.sh
t_plan 7

insmod "$TDX_KO" backend=emulated || { t_fail "insmod tdxctl"; exit 1; }
tdxctl --json monitor --status > /tmp/hm 2> /tmp/hm.err &
pid=$!
i=0
while [ ! -s /tmp/hm ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
insmod "$EMU_KO" || t_fail "insmod tdxctl_emu"
t_ok "tdxctl enable on 4 vCPUs" tdxctl enable
new=$(hotadd_cpu)
t_is "the host plugged vCPU 4" "$new" 4
t_fails "onlining it after CONFIG is refused" cpu_set "$new" 1
unload_driver
( sleep 60; kill -9 $pid 2>/dev/null ) &
w=$!
wait $pid
t_is "the monitor ended with the driver: exit 0" "$?" 0
kill $w 2>/dev/null
t_diag "transcript: tdxctl --json monitor --status"
t_diag "$(cat /tmp/hm /tmp/hm.err)"
while IFS= read -r l; do json_save "$l"; done < /tmp/hm
nofail='"step":null,"errno":null,"errno_name":null,"tdx_status":null'
got=$(sed 1d /tmp/hm | sed 's/^{"seq":[0-9]*,"ts":"[^"]*",//' | sed 's/"data":.*//' | tr '\n' ' ')
t_is "events: backend, 4 CPUs, module, the refused vCPU, unloads" "$got" \
'"event":"backend","cpu":null, "event":"cpu-enable","cpu":0, "event":"cpu-enable","cpu":1, "event":"cpu-enable","cpu":2, "event":"cpu-enable","cpu":3, "event":"state","cpu":null, "event":"state","cpu":null, "event":"cpu-enable","cpu":4, "event":"cpu-online","cpu":4, "event":"backend","cpu":null, "event":"driver-gone","cpu":null, '
evs=$(sed 1d /tmp/hm | sed 's/^{"seq":[0-9]*,"ts":"[^"]*",//')
t_is "the vCPU's LP.INIT: failed, step, errno and TDX status" \
	"$(printf '%s\n' "$evs" | grep '"event":"cpu-enable","cpu":4,')" \
	'"event":"cpu-enable","cpu":4,"data":{"result":"failed","step":"lp_init","errno":5,"errno_name":"EIO","tdx_status":"0xc000050b00000000"}}'
t_is "its online: refused with EIO, not initialized" \
	"$(printf '%s\n' "$evs" | grep '"event":"cpu-online","cpu":4,')" \
	'"event":"cpu-online","cpu":4,"data":{"initialized":false,"refused":true,"errno":5,"errno_name":"EIO"}}'
