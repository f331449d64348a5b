#!/bin/bash
# tools/soak.sh: the driver's soak on the debug kernel line (lockdep,
# KASAN, UBSAN, kmemleak, fault injection: tests/vm/debug-guest.config).
# Runs the guest cases named soak-* (tests/vm/cases/) at full scale, only
# those, each group in one guest boot, and prints their figures:
#
#   soak-10-failnth     fail-nth over module enable (a fresh driver per
#                       fault point) and over every ioctl and genl op
#   soak-20-hotplug     1,000 CPU offline/online cycles on 8 vCPUs while
#                       enable, CPU enable, STATUS, the CPU table and genl
#                       run concurrently
#   soak-30-loadunload  100 load/unload cycles of both modules (both
#                       orders, a monitor listening, an fd open), kmemleak
#   soak-40-fuzz        10,000 random ioctls and 10,000 random genl
#                       messages against a model of their errnos
#
# The same cases run in CI at a small scale (the vm-debug suite): the
# scale comes from the kernel command line (tdxsoak.scale=full).  Not
# part of CI: a full soak takes an hour or more under TCG.
#
# usage: tools/soak.sh [--build DIR] [--seed N] [--only CASE,...] [--small] [--cache DIR]
#   --build DIR   meson build dir configured for the debug line (default
#                 build-soak: configured here, the line prepared first)
#   --seed N      seed of the random calls (default: the date, printed)
#   --only CASES  run only these soak cases (comma list of names)
#   --small       the scale CI runs (minutes, not hours): the same figures
#   --cache DIR   kernel cache (default $TDXCTL_CACHE or /var/cache/tdxctl)
#
# Output: one line per figure the cases print ("soak: ..."), then the sum:
# "soak: cycles=N calls=N splats=N leaks=N mismatches=N" -- all but the
# counts must be 0.  Exit status: 0 when every check passed and splats,
# leaks and mismatches are 0; 1 otherwise; 2 usage or setup error.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
build=$root/build-soak seed=$(date +%Y%m%d) only= scale=full

die() { echo "soak: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift ;;
	--seed) [ $# -ge 2 ] || die "--seed needs a number"; seed=$2; shift
		[[ $seed =~ ^[0-9]+$ ]] || die "--seed: '$seed' is not a number" ;;
	--only) [ $# -ge 2 ] || die "--only needs case names"; only=$2; shift ;;
	--small) scale=small ;;
	--cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache=$2; shift ;;
	-h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

env=$cache/lines/debug.env
if [ ! -f "$build/build.ninja" ]; then
	"$root/tools/prepare-kernels.sh" --cache "$cache" debug >&2 || die "preparing the debug line failed"
	(
		. "$env"
		meson setup "$build" "$root" -Dwerror=true -Dkmod=enabled -Dvm_tests=enabled \
			-Dkernel_dir="$KDIR" -Dguest_kernel="$IMAGE" -Dguest_line=debug
	) > "$build.setup.log" 2>&1 || { cat "$build.setup.log" >&2; die "meson setup $build failed"; }
fi
ninja -C "$build" >&2 || die "build failed"

# the guest groups holding soak cases, and the command that boots each
plan=$(python3 - "$build" "$only" <<'EOF'
import json, subprocess, sys
build, only = sys.argv[1], [c for c in sys.argv[2].split(',') if c]
tests = json.loads(subprocess.run(['meson', 'introspect', '--tests', build],
                                  check=True, capture_output=True, text=True).stdout)
seen = set()
for t in tests:
    cmd = t['cmd']
    if '--cases' not in cmd:
        continue
    i = cmd.index('--cases') + 1
    cases = [c for c in cmd[i].split(',') if c.startswith('soak-') and (not only or c in only)]
    if not cases:
        continue
    seen.update(cases)
    cmd[i] = ','.join(cases)
    print(json.dumps({'name': t['name'], 'cmd': cmd, 'env': t.get('env') or {}}))
missing = [c for c in only if c not in seen]
if missing:
    sys.exit('no soak case ' + ', '.join(missing) + ' in ' + build)
EOF
) || die "reading the tests of $build failed"
[ -n "$plan" ] || die "no soak case in $build (is it configured for the debug line?)"

logdir=$build/soak-logs
mkdir -p "$logdir"
rm -f "$logdir"/*.figures "$logdir"/*.tap "$logdir"/*.err
echo "soak: seed $seed, scale $scale, kernel line debug, logs in $logdir"
fails=0 splats=0
while IFS= read -r t; do
	name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["name"])' "$t")
	mapfile -d '' -t cmd < <(python3 -c 'import json,sys; sys.stdout.write("\0".join(json.loads(sys.argv[1])["cmd"]))' "$t")
	mapfile -t envs < <(python3 -c 'import json,sys; [print(k + "=" + v) for k, v in json.loads(sys.argv[1])["env"].items()]' "$t")
	echo "soak: $name: $(python3 -c 'import json,sys; c=json.loads(sys.argv[1])["cmd"]; print(c[c.index("--cases") + 1])' "$t")" >&2
	( cd "$build" && env "${envs[@]}" VM_TIMEOUT=14400 \
		VM_EXTRA_APPEND=" tdxsoak.scale=$scale tdxsoak.seed=$seed" "${cmd[@]}" ) \
		> "$logdir/$name.tap" 2> "$logdir/$name.err"
	rc=$?
	nfail=$(grep -c '^not ok' "$logdir/$name.tap")
	grep -q '^not ok .*kernel: kernel log has no' "$logdir/$name.tap" && splats=$((splats + 1))
	[ "$rc" = 0 ] && [ "$nfail" = 0 ] || {
		fails=$((fails + 1))
		echo "soak: $name: exit $rc, $nfail checks failed:" >&2
		grep '^not ok' "$logdir/$name.tap" | head -n 20 >&2
	}
	# the figures the cases print as diagnostics ("# soak: ...")
	grep -o 'soak: .*' "$build/vm-logs/$name.result" > "$logdir/$name.figures"
	cat "$logdir/$name.figures"
done <<< "$plan"

# the sum over every figure line
cat "$logdir"/*.figures | awk -v splats="$splats" -v fails="$fails" '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
	END {
		mism = v["mismatches"] + v["unexpected"] + v["state_changes"] + v["state_errors"]
		printf "soak: cycles=%d calls=%d fault_points=%d splats=%d leaks=%d mismatches=%d failed_groups=%d\n",
			v["cycles"], v["calls"], v["points"], splats, v["leaks"], mism, fails
		exit (splats || v["leaks"] || mism || fails) ? 1 : 0
	}'
