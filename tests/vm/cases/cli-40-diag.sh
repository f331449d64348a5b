#!/bin/sh
# vm: smp=2 mem=1024
# vm-timeout: 120
# tdxctl diag after an injected failure: the bundle holds the driver's
# replies, verifies, and replays in the guest; it is sent to the host
# (file_save) with what status and check printed live, and the host
# replays it with its own tdxctl (run-group.sh, replay-diag.py): the
# verdicts must be the same.
. /tests/lib.sh
t_plan 17
X=/bin/tdxctl
B=/tmp/diag.tar.gz
unload_driver

t_ok "load the driver" load_driver
echo "config TDX_INVALID_PAMT" > $D/inject
t_rc "enable, CONFIG fails (injected): exit 1" 1 $X enable
live_status=$(jx $X -j status --cpus)
t_match "live status: error, TDX_INVALID_PAMT" "$live_status" '"state":"error".*"name":"TDX_INVALID_PAMT"'
live_check=$(jx $X -j check -v)
printf '%s\n' "$live_status" > /tmp/live-status.json
printf '%s\n' "$live_check" > /tmp/live-check.json

start=$(cut -d' ' -f1 /proc/uptime)
out=$(jx $X -j diag -o $B); rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
t_diag "diag: exit $rc, $(wc -c < $B) bytes, $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"
t_is "diag: exit 0 (every source collected)" "$rc" 0
t_rc "diag --verify in the guest: exit 0" 0 $X diag --verify $B
list=$(tar tzvf $B)
t_diag "$list"
t_match "the bundle carries the driver's STATUS reply" "$list" '/dev/tdx_host/status$'
t_match "the bundle carries the driver's CPU table" "$list" '/dev/tdx_host/cpu_table$'
t_match "the bundle carries the kernel log" "$list" '/dev/kmsg$'
man=$(tar xzOf $B '*/manifest.json')
t_diag "$man"
t_match "manifest: the driver was open, its replies described" "$man" '"ioctl": "TDX_HOST_IOC_STATUS"'
t_match "manifest: the kernel log came from /dev/kmsg" "$man" '"source": "kmsg"'

# replay in the guest too (the host's replay is the proof that counts)
rm -rf /tmp/ex && mkdir /tmp/ex && tar xzf $B -C /tmp/ex
top=$(echo /tmp/ex/tdxctl-diag-*)
rep=$($X -j --sysroot="$top" status --cpus | sed "s|$top||g")
t_match "replay in the guest: the sticky error, from the saved replies" "$rep" '"state":"error".*"name":"TDX_INVALID_PAMT"'
strip() { sed 's/"elapsed_ns":[0-9]*//g'; }
t_is "replay in the guest: status --cpus equals the live run" "$(printf '%s\n' "$rep" | strip)" "$(printf '%s\n' "$live_status" | strip)"
t_rc "replay: enable is refused" 1 $X --sysroot="$top" enable

t_ok "send the bundle to the host" file_save diag.diag.tar.gz $B
t_ok "send the live status" file_save diag.live-status.json /tmp/live-status.json
t_ok "send the live check" file_save diag.live-check.json /tmp/live-check.json
t_ok "unload" unload_driver
rm -rf /tmp/ex /tmp/live-*.json $B
