#!/bin/sh
# vm: smp=4 mem=1024
# The tdx_host generic netlink family: there from tdxctl.ko's load, with or
# without a backend; its GET ops against the ioctls; an unknown and a
# missing attribute each refused with an extended ACK; and nothing breaks
# when nobody listens (enable, hotplug, an injected failure).
. /tests/lib.sh
t_plan 12

t_rc "monitor without the driver: exit 4" 4 tdxctl monitor --timeout 5
out=$(jx tdxctl --json monitor --timeout 5); rc=$?
t_is "--json: one document, error not-supported" "$rc $(printf '%s' "$out" | grep -c '"name":"not-supported"')" "4 1"

insmod "$TDX_KO" backend=emulated || { t_fail "insmod tdxctl"; exit 1; }
t_prog nobackend /tests/bin/tdx-genl nobackend
insmod "$EMU_KO" || { t_fail "insmod tdxctl_emu"; rmmod tdxctl; exit 1; }
t_prog ops /tests/bin/tdx-genl ops

# nobody listens
out=$($T enable --all-cpus); rc=$?
t_is "enable with nobody listening" "$rc $(kv state "$out")" "0 initialized"
t_ok "CPU 2 offline with nobody listening" cpu_set 2 0
t_ok "and online again" cpu_set 2 1
t_is "4 CPUs enabled" "$(kv cpus_enabled "$($T status)")" 4
t_rc "monitor --timeout 1 with nothing happening: exit 7" 7 tdxctl monitor --timeout 1
unload_driver

load_driver || { t_fail "reload"; exit 1; }
echo "config TDX_INVALID_PAMT" > "$D/inject"
t_rc "injected CONFIG failure with nobody listening: EIO" 5 $T enable --all-cpus
t_is "sticky error recorded" "$(kv state "$($T status)") $(kv err_step "$($T status)")" "error config"
t_ok "unload" unload_driver
