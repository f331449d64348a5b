#!/bin/bash
# run-group.sh --name G --spec smp=4,mem=1024[,numa=2][,sockets=2][,maxcpus=N][,maxmem=M][,tdxhost=1][,boot=N] --cases a,b
#              --kernel IMAGE --initrd INITRAMFS [--tcg-thread single|multi]
#              [--slow N] [--logdir DIR] [--script GUEST-PATH | --demo]
#              [--schemas DIR --validator validate.py] [--tdxctl HOST-TDXCTL]
#
# Boot one QEMU guest, run the cases in it, print TAP on stdout.  The guest
# reports over a second serial port; its console (kernel log included) is
# kept in LOGDIR/G.console.log.  With --script, the guest runs that one
# script (--demo: /tests/demo.sh) and its output is printed instead of TAP.
# Guest RAM is sparse (memory-backend-ram,reserve=off): a 192 GiB guest
# costs the host only the pages it touches.  maxmem=M (MiB) leaves room
# for two hot-added DIMMs, plugged on guest request like vCPUs (maxcpus=);
# hot-added memory stays offline until the guest onlines it.  tdxhost=1
# gives the kernel a KeyID partitioning (tdx_test_keyids=15,48: TDX KeyIDs
# [16, 64), what tdxctl_emu's TDX module has by default), which only the
# kernels with the test-only patch of tests/kernel/ understand; keyids=N
# (with tdxhost=1) gives N TDX KeyIDs instead of 48.
# Guests never run concurrently: a lock on
# /tmp/tdxctl-vm.lock serialises them (2 cores are all there is).
# Files the cases send (lib.sh file_save) land in LOGDIR/G.files/; with
# --tdxctl, every diag bundle among them is replayed on the host
# (replay-diag.py).
# Environment: ACCEL=auto|kvm|tcg (default auto), VM_TIMEOUT=seconds,
# VM_BOOT_TIMEOUT=seconds until the tests must have started (default 60),
# VM_EXTRA_APPEND=" more kernel parameters".
set -uo pipefail

name= spec= cases= kernel= initrd= tcg_thread=multi slow=1 logdir=. script=
schemas= validator= host_tdxctl=
while [ $# -gt 0 ]; do
	case "$1" in
	--name) name=$2; shift ;;
	--spec) spec=$2; shift ;;
	--cases) cases=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--tcg-thread) tcg_thread=$2; shift ;;
	--slow) slow=$2; shift ;;
	--logdir) logdir=$2; shift ;;
	--demo) script=/tests/demo.sh ;;
	--script) script=$2; shift ;;
	--schemas) schemas=$2; shift ;;
	--validator) validator=$2; shift ;;
	--tdxctl) host_tdxctl=$2; shift ;;
	*) echo "run-group: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

smp=4 mem=1024 numa= maxcpus= sockets= maxmem= tdxhost= keyids=48
IFS=, read -ra kv <<< "$spec"
for p in "${kv[@]}"; do
	case "$p" in
	smp=*) smp=${p#*=} ;;
	mem=*) mem=${p#*=} ;;
	numa=*) numa=${p#*=} ;;
	maxcpus=*) maxcpus=${p#*=} ;;
	sockets=*) sockets=${p#*=} ;;
	maxmem=*) maxmem=${p#*=} ;;
	tdxhost=*) tdxhost=${p#*=} ;;
	keyids=*) keyids=${p#*=} ;;
	esac
done

mkdir -p "$logdir"
console="$logdir/$name.console.log"
result="$logdir/$name.result"
docraw="$logdir/$name.jsondocs"
: > "$result"

ncases=$(tr ',' '\n' <<< "$cases" | grep -c .)
case_timeout=$(( 90 * slow ))
total=${VM_TIMEOUT:-$(( (ncases * 90 + 60 + mem / 2048) * slow ))}
[ -n "$script" ] && total=${VM_TIMEOUT:-$(( 300 * slow ))}

accel=tcg
if [ "${ACCEL:-auto}" = kvm ] || { [ "${ACCEL:-auto}" = auto ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	grep -qE '\b(vmx|svm)\b' /proc/cpuinfo && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; }; then
	accel=kvm
fi

memarg=${mem}M
[ -n "$maxmem" ] && memarg+=",slots=2,maxmem=${maxmem}M"
qargs=(-nodefaults -no-user-config -display none -no-reboot
	-m "$memarg" -kernel "$kernel" -initrd "$initrd"
	-serial "file:$console" -serial "file:$result" -serial "file:$docraw")
# One NUMA node per socket (a node boundary inside a socket's shared cache
# makes the kernel warn about an insane topology).
[ -n "$numa" ] && [ -z "$sockets" ] && sockets=$numa
smparg=$smp
[ -n "$maxcpus" ] && smparg+=",maxcpus=$maxcpus"
if [ -n "$sockets" ]; then
	total_cpus=${maxcpus:-$smp}
	smparg+=",sockets=$sockets,cores=$(( total_cpus / sockets )),threads=1"
fi
qargs+=(-smp "$smparg")
append="console=ttyS0 panic=-1 oops=panic tdxtest.timeout=$case_timeout tdxtest.cases=$cases"
# hot-added memory waits for the case to online it, on every kernel line
[ -n "$maxmem" ] && append+=" memhp_default_state=offline"
[ "$tdxhost" = 1 ] && append+=" tdx_test_keyids=15,$keyids"
[ -n "$script" ] && append+=" tdxtest.script=$script loglevel=4"
append+=${VM_EXTRA_APPEND:-}
if [ "$accel" = kvm ]; then
	qargs+=(-accel kvm -cpu host)
else
	qargs+=(-accel "tcg,thread=$tcg_thread" -cpu qemu64)
	append+=" lpj=10000000"
fi
if [ -n "$numa" ]; then
	per=$(( mem / numa ))
	for ((n = 0; n < numa; n++)); do
		qargs+=(-object "memory-backend-ram,id=m$n,size=${per}M,reserve=off"
			-numa "node,nodeid=$n,memdev=m$n")
	done
	for ((s = 0; s < sockets; s++)); do
		qargs+=(-numa "cpu,node-id=$(( s * numa / sockets )),socket-id=$s")
	done
else
	qargs+=(-object "memory-backend-ram,id=ram0,size=${mem}M,reserve=off"
		-machine memory-backend=ram0)
fi
qargs+=(-append "$append")
qmp_helper=
if [ -n "$maxcpus" ] || [ -n "$maxmem" ]; then
	# room for hot-added vCPUs or DIMMs: a QMP helper plugs one per guest request
	qmp_sock="$logdir/$name.qmp"
	rm -f "$qmp_sock"
	qargs+=(-qmp "unix:$qmp_sock,server=on,wait=off")
	qmp_helper="$(dirname "$0")/qmp-hotadd.py"
fi

# One boot.  A guest whose payload has not started (no HARNESS-START on the
# result port) within $boot_limit seconds is stopped: under TCG, kernels
# >= 6.9 now and then hang in secondary CPU bring-up (QEMU 7.2).  Such a
# boot is retried once, and said so in the TAP output (a TODO line); a
# guest that started its payload is never retried.
# A big guest takes longer: its memory map is initialized at boot (one
# second more per 2 GiB).
boot_limit=${VM_BOOT_TIMEOUT:-$(( (60 + mem / 2048) * slow ))}
boot_once() {
	: > "$result"
	: > "$docraw"
	timeout -k 5 "$total" qemu-system-x86_64 "${qargs[@]}" </dev/null >"$logdir/$name.qemu.log" 2>&1 &
	qpid=$!
	hpid=
	if [ -n "$qmp_helper" ]; then
		rm -f "$qmp_sock"
		python3 "$qmp_helper" "$qmp_sock" "$result" 2>>"$logdir/$name.qemu.log" &
		hpid=$!
	fi
	waited=0 hung=0
	while kill -0 "$qpid" 2>/dev/null; do
		if [ "$waited" -ge "$boot_limit" ] && ! grep -q '^HARNESS-START' "$result"; then
			hung=1
			pkill -KILL -P "$qpid" 2>/dev/null
			kill "$qpid" 2>/dev/null
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$qpid" 2>/dev/null
	echo $? > "$logdir/$name.qemu.rc"
	[ "$hung" = 1 ] && echo hung > "$logdir/$name.qemu.rc"
	# the helper must never outlive QEMU
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null
	wait 2>/dev/null
	return "$hung"
}

rm -f "$logdir/$name.hung.console.log"
(
	flock 9
	date +%s.%N > "$logdir/$name.start"
	if ! boot_once; then
		mv "$console" "$logdir/$name.hung.console.log"
		boot_once || true
	fi
) 9>/tmp/tdxctl-vm.lock
qrc=$(cat "$logdir/$name.qemu.rc" 2>/dev/null || echo 1)
# guest wall time, not counting the wait for the lock
wall=$(awk -v a="$(date +%s.%N)" -v b="$(cat "$logdir/$name.start" 2>/dev/null || date +%s)" 'BEGIN { printf "%.1f", a - b }')

if [ -n "$script" ]; then
	sed -n 's/^OUT script //p; s/^TEST script //p' "$result" | tr -d '\r'
	grep -q '^HARNESS-RESULT' "$result" || { echo "guest did not finish (qemu exit $qrc); console: $console" >&2; exit 1; }
	exit 0
fi

echo "TAP version 13"
n=0 fails=0
while IFS= read -r line; do
	line=${line%$'\r'}
	case "$line" in
	"TEST "*)
		rest=${line#TEST }; c=${rest%% *}; verdict=${rest#* }
		n=$((n + 1))
		case "$verdict" in
		"ok - "*) echo "ok $n - $c: ${verdict#ok - }" ;;
		*) fails=$((fails + 1)); echo "not ok $n - $c: ${verdict#not ok - }"
		   grep "^OUT $c " "$result" | tail -n 40 | sed "s/^OUT $c /# /" ;;
		esac ;;
	esac
done < "$result"

# every case ran to its end (its plan was checked in the guest)
for c in $(tr ',' ' ' <<< "$cases"); do
	grep -q "^CASE-END $c"$'\r'"\?\$" "$result" && continue
	n=$((n + 1)) fails=$((fails + 1))
	echo "not ok $n - $c: ran to its end (no end-of-case report)"
done

# JSON documents the cases sent (json_save in lib.sh) arrive framed on a
# port of their own: unpack them, then validate each one against the
# CLI's schemas.  The count is of documents that validated.
docs="$logdir/$name.json"
files="$logdir/$name.files"
rm -rf "$docs" "$files"
if [ -n "$schemas" ] && [ -n "$validator" ]; then
	sent=$(sed -n 's/^JSONDOC-SENT \([0-9]*\).*/\1/p' "$result" | tail -n 1)
	fsent=$(sed -n 's/^FILEDOC-SENT \([0-9]*\).*/\1/p' "$result" | tail -n 1)
	ndocs=0 nvalid=0
	jout=$(python3 "$(dirname "$0")/jsondocs.py" "$docraw" "${sent:--}" "$docs" "${fsent:--}" "$files" 2>&1)
	jrc=$?
	[ "$jrc" = 0 ] || jout+=$'\n'"not ok - JSON documents unpacked (jsondocs.py exit $jrc)"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)) fails=$((fails + 1)); echo "not ok $n - ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <<< "$jout"
	ndocs=$(find "$docs" -type f -name '*.json' 2>/dev/null | wc -l)
	if [ "$ndocs" -gt 0 ]; then
		vout=$(/usr/bin/python3 "$validator" "$schemas" "$docs"/*.json 2>&1)
		vrc=$?
		while IFS= read -r line; do
			case "$line" in
			"ok - "*) n=$((n + 1)) nvalid=$((nvalid + 1)); echo "ok $n - ${line#ok - }" ;;
			"not ok - "*) n=$((n + 1)) fails=$((fails + 1)); echo "not ok $n - ${line#not ok - }" ;;
			*) echo "# $line" ;;
			esac
		done <<< "$vout"
		n=$((n + 1))
		if [ "$vrc" = 0 ] && [ "$nvalid" = "$ndocs" ]; then
			echo "ok $n - schema: all $ndocs JSON documents validated"
		else
			fails=$((fails + 1))
			echo "not ok $n - schema: all $ndocs JSON documents validated ($nvalid did, validator exit $vrc)"
		fi
	fi
fi

# diag bundles the guest sent, replayed here with this build's tdxctl
if [ -n "$host_tdxctl" ] && [ -d "$files" ]; then
	rout=$(python3 "$(dirname "$0")/replay-diag.py" "$host_tdxctl" "$files" 2>&1)
	rrc=$?
	[ "$rrc" = 0 ] || rout+=$'\n'"not ok - diag bundles replayed (replay-diag.py exit $rrc)"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)) fails=$((fails + 1)); echo "not ok $n - ${line#not ok - }" ;;
		'') ;;
		*) echo "# $line" ;;
		esac
	done <<< "$rout"
fi

if [ -f "$logdir/$name.hung.console.log" ]; then
	n=$((n + 1))
	echo "not ok $n - first boot reached the tests within ${boot_limit}s # TODO QEMU TCG hang in CPU bring-up; booted again"
	tail -n 3 "$logdir/$name.hung.console.log" | tr -d '\r' | sed 's/^/# /'
	echo "# console of the hung boot: $logdir/$name.hung.console.log"
fi

n=$((n + 1))
if grep -q '^HARNESS-RESULT' "$result" && [ "$qrc" = 0 ]; then
	echo "ok $n - guest finished ($(grep -m1 '^HARNESS-START' "$result" | cut -d' ' -f2-), ${wall}s wall, accel $accel)"
else
	fails=$((fails + 1))
	why="qemu exit status $qrc"
	[ "$qrc" = 124 ] && why="timed out after ${total}s"
	[ "$qrc" = hung ] && why="the tests did not start within ${boot_limit}s: hung boot"
	echo "not ok $n - guest finished ($why)"
	grep -E 'Kernel panic|BUG:|Oops|WARNING:' "$console" 2>/dev/null | head -n 20 | sed 's/^/# /'
	tail -n 20 "$logdir/$name.qemu.log" 2>/dev/null | sed 's/^/# qemu: /'
fi
echo "1..$n"
[ "$fails" = 0 ] || echo "# logs: $console $result" >&2
exit 0
