#!/bin/bash
# bench/enable-time.sh [--build DIR] [--smp "1 2 4 8"] [--runs N] [--latency LEAF=US,...]
#
# TDX module enable time in QEMU guests (the emulated TDX module, Debian's
# 6.1 kernel by default: whatever kernel DIR was configured for), at several
# vCPU counts.  Ratios are against the floor measured in the same run: the
# 1-vCPU guest, and, per vCPU count, the serial (per-CPU ioctl) path against
# the driver's parallel path.  Guest times come from the driver's own step
# timers (struct tdx_host_status.step_ns) and from the guest clock around
# the ioctls; medians over N runs.  Under TCG these are emulation times:
# compare ratios, not absolute numbers, with real hardware.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build smps="1 2 4 8" runs=3 latency=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift ;;
	--smp) smps=$2; shift ;;
	--runs) runs=$2; shift ;;
	--latency) latency=$2; shift ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "enable-time: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ -f "$build/tests/vm/guest.env" ] || { echo "enable-time: $build has no guest tests configured (see README: tools/prepare-kernels.sh, meson setup)" >&2; exit 1; }
# shellcheck source=/dev/null
. "$build/tests/vm/guest.env"
ninja -C "$build" >/dev/null

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for smp in $smps; do
	extra=" tdxbench.runs=$runs"
	[ -n "$latency" ] && extra+=" tdxbench.latency=$latency"
	VM_EXTRA_APPEND="$extra" tests/vm/run-group.sh --script /tests/bench/enable.sh \
		--name "bench-smp$smp" --spec "smp=$smp,mem=1024" --kernel "$GUEST_KERNEL" --initrd "$INITRAMFS" \
		--tcg-thread "$TCG_THREAD" --slow "$SLOW" --logdir "$build/bench-logs" |
		grep '^RESULT' >> "$out" || { echo "enable-time: guest at smp=$smp failed; see $build/bench-logs" >&2; exit 1; }
done

python3 - "$out" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1])]
def med(smp, mode, key):
    return statistics.median(int(r[key]) for r in rows if r["smp"] == smp and r["mode"] == mode)
smps = sorted({r["smp"] for r in rows}, key=int)
floor = med(smps[0], "parallel", "wall_us")
r0 = rows[0]
print(f"TDX module enable, emulated TDX module, {r0['tdmrs']} TDMR(s), PAMT {r0['pamt_kb']} KiB, median of {sum(1 for r in rows if r['smp']==smps[0] and r['mode']=='parallel')} runs")
print(f"{'vCPUs':>5} {'parallel ms':>12} {'serial ms':>10} {'serial/parallel':>16} {'parallel vs ' + smps[0] + ' vCPU':>18} {'LP.INIT ms':>11} {'CONFIG ms':>10} {'TDMR.INIT ms':>13}")
for s in smps:
    p, q = med(s, "parallel", "wall_us"), med(s, "serial", "wall_us")
    print(f"{s:>5} {p/1000:12.1f} {q/1000:10.1f} {q/p:16.2f} {p/floor:18.2f} "
          f"{med(s,'parallel','lp_init_us')/1000:11.1f} {med(s,'parallel','config_us')/1000:10.1f} {med(s,'parallel','tdmr_init_us')/1000:13.1f}")
PY
