#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=50
# vm-lines: tdx tdx-6.18
# tdxctl monitor on the kernel backend (the tdx_host family exists
# whatever the backend): it sees the whole enable through the kernel's
# own tdx.c, a failed per-CPU init (the CPU, EIO) and its retry, the
# backend's and the driver's unload, and ends by itself.
. /tests/lib.sh
t_plan 9
D=/sys/kernel/debug/tdxctl_emu
M=/tmp/mon

insmod "$TDX_KO" || { t_fail "insmod tdxctl (kernel backend)"; exit 1; }
insmod "$EMU_KO" hook=1 || t_fail "insmod tdxctl_emu hook=1"
tdxctl --json monitor --status > $M 2> $M.err &
pid=$!
i=0
while [ ! -s $M ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t_match "the monitor listens on the kernel backend" "$(cat $M)" '"backend":"kernel"'

echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2 count=1" > $D/inject
tdxctl enable > /dev/null 2>&1
t_ok "the retry: exit 0" tdxctl enable
rmmod tdxctl_emu || t_fail "rmmod tdxctl_emu"
rmmod tdxctl || t_fail "rmmod tdxctl"
( sleep 60; kill -9 "$pid" 2>/dev/null ) &
w=$!
wait "$pid"; rc=$?
kill "$w" 2>/dev/null
t_is "the monitor ended by itself when tdxctl.ko went: exit 0" "$rc" 0

while IFS= read -r l; do json_save "$l"; done < $M
ev=$(sed 1d $M | sed 's/^{"seq":[0-9]*,"ts":"[^"]*",//')
t_diag "$ev"
t_match "CPU 2's failed per-CPU init: EIO" "$ev" '"event":"cpu-enable","cpu":2,"data":\{"result":"failed",.*"errno_name":"EIO"'
t_is "CPUs enabled: 0, 1, 3, then 2 on the retry" \
	"$(printf '%s\n' "$ev" | sed -n 's/^"event":"cpu-enable","cpu":\([0-9]*\),"data":{"result":"enabled".*/\1/p' | tr '\n' ' ')" \
	"0 1 3 2 "
t_match "state: uninitialized -> initializing -> initialized" "$(printf '%s\n' "$ev" | grep '"event":"state"' | tr '\n' ' ')" \
	'"old":"uninitialized","new":"initializing".*"old":"initializing","new":"initialized"'
t_match "the backend went, then the driver" "$ev" '"event":"backend","cpu":null,"data":\{"backend":"kernel","present":false\}'
t_match "... driver-gone last" "$(printf '%s\n' "$ev" | tail -n 1)" '"event":"driver-gone"'
t_match "the kernel log: module initialized" "$(dmesg)" 'virt/tdx: module initialized'
