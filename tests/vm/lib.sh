# Shell helpers for guest test cases (busybox sh).  Sourced by every case.
#
# A case prints one line per check on stdout:
#   1..N                 its plan (t_plan), before its first check
#   ok - NAME            the check passed
#   not ok - NAME        the check failed
#   # TEXT               diagnostics (shown in the log, kept on failure)
# The guest's /init numbers the lines, tags them with the case name and
# sends them to the host, where they become TAP subtests.  /init sums the
# plans a case declares (its own, and those of the programs it runs through
# t_prog) and fails the case when it reports more or fewer checks, when it
# declares no plan before its first check, or when it exits non-zero.
set -o pipefail

TDX_KO=/lib/modules/tdxctl.ko		# the driver: core, backend registry
EMU_KO=/lib/modules/tdxctl_emu.ko	# the emulated TDX platform (test module)
TDX_DEV=/dev/tdx_host
T=/tests/bin/tdx-ioctl		# the driver's ioctls, key=value output
D=/sys/kernel/debug/tdxctl_emu	# the emulated platform's debugfs

# kv KEY OUTPUT: the value of KEY= in tdx-ioctl OUTPUT (first one)
kv() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n 1; }
# calls LEAF: how often the emulated TDX module saw LEAF (debugfs calls)
calls() { sed -n "s/^$1 //p" "$D/calls"; }
# wait_calls LEAF N: until the TDX module saw N calls of LEAF (30 s at most)
wait_calls() {
	_i=0
	while [ "$(calls "$1")" -lt "$2" ] && [ "$_i" -lt 300 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	[ "$(calls "$1")" -ge "$2" ]
}
# alive PID: the process exists and is not a zombie waiting to be reaped
alive() { [ -r /proc/$1/stat ] && [ "$(cut -d' ' -f3 /proc/$1/stat)" != Z ]; }
# gone PID SECONDS: the process ended within SECONDS
gone() {
	_i=0
	while alive "$1" && [ "$_i" -lt $(($2 * 10)) ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	! alive "$1"
}

# t_plan N: this case reports exactly N checks of its own (each t_prog
# counts as one; the program's own checks come with the program's plan)
t_plan() { echo "1..$1"; }

t_pass() { echo "ok - $*"; }
t_fail() { echo "not ok - $*"; }
t_diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# t_ok NAME CMD...: passes when CMD exits 0; on failure its output is shown
t_ok() {
	_n=$1; shift
	if _out=$("$@" 2>&1); then
		t_pass "$_n"
	else
		_rc=$?
		t_fail "$_n"
		t_diag "command: $*" "exit: $_rc" "$_out"
	fi
}

# t_fails NAME CMD...: passes when CMD exits non-zero
t_fails() {
	_n=$1; shift
	if _out=$("$@" 2>&1); then
		t_fail "$_n"
		t_diag "command unexpectedly succeeded: $*" "$_out"
	else
		t_pass "$_n"
	fi
}

# t_rc NAME WANT CMD...: passes when CMD exits with status WANT
t_rc() {
	_n=$1; _want=$2; shift 2
	_out=$("$@" 2>&1); _rc=$?
	if [ "$_rc" = "$_want" ]; then
		t_pass "$_n"
	else
		t_fail "$_n"
		t_diag "command: $*" "exit: $_rc, wanted $_want" "$_out"
	fi
}

# t_prog LABEL CMD...: run a test program that prints a TAP plan ("1..N")
# before its "ok - " lines.  Its plan and checks are passed on (names
# prefixed with LABEL), then one check of its own: the program exited 0
# after exactly its planned checks (a crash, a signal or an early exit
# fails it, named).
t_prog() {
	_tp_label=$1; shift
	_tp_out=/tmp/t_prog.$$
	"$@" > "$_tp_out" 2>&1
	_tp_rc=$?
	_tp_plan=$(sed -n '/^\(ok\|not ok\) - /q; s/^1\.\.\([0-9][0-9]*\)$/\1/p' "$_tp_out" | head -n 1)
	_tp_ran=$(grep -cE '^(ok|not ok) - ' "$_tp_out")
	[ -n "$_tp_plan" ] && echo "1..$_tp_plan"
	sed -e '/^1\.\.[0-9]*$/d' -e "s/^\(ok\|not ok\) - /\1 - $_tp_label: /" \
	    -e '/^\(ok\|not ok\|#\) /!s/^/# /' "$_tp_out"
	rm -f "$_tp_out"
	_tp_why=
	if [ "$_tp_rc" -gt 128 ]; then
		_tp_why="killed by signal $((_tp_rc - 128))"
	elif [ "$_tp_rc" != 0 ]; then
		_tp_why="exit status $_tp_rc"
	fi
	if [ -z "$_tp_plan" ]; then
		_tp_why="${_tp_why:+$_tp_why, }no plan before its first check"
	elif [ "$_tp_ran" != "$_tp_plan" ]; then
		_tp_why="${_tp_why:+$_tp_why, }ran $_tp_ran of $_tp_plan planned checks"
	fi
	if [ -z "$_tp_why" ]; then
		t_pass "$_tp_label: exited 0 after its $_tp_plan planned checks"
	else
		t_fail "$_tp_label: exited 0 after its planned checks ($_tp_why)"
	fi
}

# t_is NAME GOT WANT
t_is() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1"
		t_diag "got:  '$2'" "want: '$3'"
	fi
}

# t_match NAME STRING PATTERN (grep -E)
t_match() {
	# (no pipe: with pipefail, grep -q leaving early would SIGPIPE printf)
	if grep -qE -- "$3" <<EOF_T_MATCH
$2
EOF_T_MATCH
	then
		t_pass "$1"
	else
		t_fail "$1"
		t_diag "no match for /$3/ in:" "$2"
	fi
}

# load_driver [PARAM=VALUE...]: tdxctl.ko with backend=emulated, then the
# emulated TDX platform with PARAMs; if that fails, nothing stays loaded
load_driver() {
	insmod "$TDX_KO" backend=emulated || return 1
	insmod "$EMU_KO" "$@" && return 0
	rmmod tdxctl
	return 1
}

# unload_driver: the emulated platform, then the driver (what is loaded)
unload_driver() {
	if grep -q '^tdxctl_emu ' /proc/modules 2>/dev/null; then
		rmmod tdxctl_emu || return 1
	fi
	grep -q '^tdxctl ' /proc/modules 2>/dev/null || return 0
	rmmod tdxctl
}

# cpu_set N 0|1: offline/online a CPU through sysfs
cpu_set() {
	echo "$2" > "/sys/devices/system/cpu/cpu$1/online"
}

# online_all: bring every present CPU online again
online_all() {
	for _f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat "$_f")" = 1 ] || echo 1 > "$_f" 2>/dev/null
	done
	return 0
}

# dmesg_since MARK: kernel log lines after the last line containing MARK
dmesg_mark() { echo "tdxctl-test-mark: $1" > /dev/kmsg; }
dmesg_since() { dmesg | sed -n "/tdxctl-test-mark: $1\$/,\$p" | sed 1d; }

# hotadd_cpu: ask the host to plug one more vCPU (guest booted with
# "# vm: maxcpus=N"); prints the new CPU's number once sysfs shows it.
# The CPU stays offline until the caller onlines it (there is no udev).
hotadd_cpu() {
	_before=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
	echo "HOTADD-REQUEST" > /dev/ttyS1
	_i=0
	while [ "$_i" -lt 100 ]; do
		_now=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
		if [ "$_now" -gt "$_before" ]; then
			ls -d /sys/devices/system/cpu/cpu[0-9]* | sed 's/.*cpu//' | sort -n | tail -n 1
			return 0
		fi
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# json_save DOC: send one JSON document to the host, which validates it
# against cli/schema/ (each becomes a "schema:" subtest of the boot).
# Documents travel on a serial port of their own (ttyS2), framed with
# their length and SHA-256, one write each; /init tells the host how
# many were sent.
json_save() {
	_js_doc=$(printf '%s' "$1" | tr -d '\n')
	_js_sum=$(printf '%s' "$_js_doc" | sha256sum | cut -d' ' -f1)
	_js_len=$(printf '%s' "$_js_doc" | wc -c)
	printf 'JSONDOC %s %s %s\n' "$_js_len" "$_js_sum" "$_js_doc" > /dev/ttyS2
	echo x >> /tmp/jsondoc.sent
}

# jx CMD...: run a tdxctl --json command, pass its stdout through and send
# it to the host for schema validation; keeps CMD's exit status
jx() {
	_jx_out=$("$@"); _jx_rc=$?
	printf '%s\n' "$_jx_out"
	json_save "$_jx_out"
	return $_jx_rc
}

# file_save NAME FILE: send a file (binary is fine) to the host, where it
# lands as NAME beside the boot's JSON documents (run-group.sh: replays
# diag bundles).  The frame on ttyS2 carries the file's length and SHA-256
# and its bytes in base64, on one line; /init tells the host how many were
# sent.  NAME: letters, digits, '.', '_', '-'.
file_save() {
	_fs_len=$(wc -c < "$2") || return 1
	_fs_sum=$(sha256sum < "$2" | cut -d' ' -f1)
	{ printf 'FILEDOC %s %s %s ' "$_fs_len" "$_fs_sum" "$1"; base64 -w 0 "$2"; echo; } > /dev/ttyS2
	echo x >> /tmp/filedoc.sent
}

# tdmr_plan: the TDMRs the kernel's rule gives for this guest's memory map,
# worked out here from /proc/iomem and /proc/zoneinfo (not from the driver): System
# RAM above 1 MiB, split by NUMA node; one TDMR per run of a node's memory,
# rounded out to 1 GiB, grown over the node's next run when that starts in
# or right after its last GiB.  Prints "TDMRS COVERED_BYTES PAMT_BYTES"
# (PAMT with 16-byte entries, each of the 4K/2M/1G parts 4K-aligned).
# tdmr_plan 1: TDMRs of 1 GiB each (a kernel without a contiguous
# allocator, where the driver says "one TDMR per GiB").
# Holes never exceed the reserved-area budget in the test guests.
tdmr_plan() {
	_cap=${1:-0}
	{
		# node spans: the zones of each node (/proc/zoneinfo, there
		# on kernels without memory hotplug too)
		awk '/^Node [0-9]+, zone/ { n = $2 + 0; sp = 0 }
		     $1 == "spanned" { sp = $2 }
		     $1 == "start_pfn:" && sp > 0 { printf "blk %d %.0f %.0f\n", n, $2 * 4096, ($2 + sp) * 4096 }' /proc/zoneinfo
		for _r in $(grep ' : System RAM$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
			echo "ram $(( 0x${_r%-*} )) $(( 0x${_r#*-} + 1 ))"
		done
	} | awk -v G=1073741824 -v cap="$_cap" '
	$1 == "blk" { if (!($2 in lo) || $3 < lo[$2]) lo[$2] = $3
		      if (!($2 in hi) || $4 > hi[$2]) hi[$2] = $4; next }
	$1 == "ram" { rs[++nr] = ($2 < 1048576 ? 1048576 : $2); re[nr] = $3 }
	function pg(x) { return int((x + 4095) / 4096) * 4096 }
	END {
		n = 0
		for (i = 1; i <= nr; i++) for (d in lo) {
			s = rs[i] > lo[d] ? rs[i] : lo[d]; e = re[i] < hi[d] ? re[i] : hi[d]
			if (s < e) { n++; ms[n] = s; me[n] = e; mn[n] = d }
		}
		for (i = 2; i <= n; i++) for (j = i; j > 1 && ms[j] < ms[j-1]; j--) {
			t = ms[j]; ms[j] = ms[j-1]; ms[j-1] = t
			t = me[j]; me[j] = me[j-1]; me[j-1] = t
			t = mn[j]; mn[j] = mn[j-1]; mn[j-1] = t
		}
		c = 0
		for (i = 1; i <= n; i++) {
			st = int(ms[i] / G) * G; en = int((me[i] + G - 1) / G) * G
			if (c) {
				if (en <= tend) continue
				if (mn[i] == tn && st <= tend) { tsz[c] += en - tend; tend = en; continue }
				if (st < tend) st = tend
			}
			c++; tsz[c] = en - st; tend = en; tn = mn[i]
		}
		if (cap) {
			k = 0
			for (i = 1; i <= c; i++) for (j = 0; j < tsz[i] / G; j++) one[++k] = G
			c = k
			for (i = 1; i <= c; i++) tsz[i] = one[i]
		}
		cov = 0; pamt = 0
		for (i = 1; i <= c; i++) {
			cov += tsz[i]
			pamt += pg(tsz[i] / 256) + pg(tsz[i] / 131072) + pg(tsz[i] / 67108864)
		}
		printf "%d %.0f %.0f\n", c, cov, pamt
	}'
}

# big_host_checks: module enable on a big guest, 6 checks (t_plan them).
# The TDMRs and PAMT must be what tdmr_plan works out; the PAMT must also
# be RAM/256 within 1%: the 4K PAMT is 1/256 of what the TDMRs cover, the
# 2M part adds 1/512 of that (0.2%), the 1G parts a page per TDMR, and
# rounding each run out to 1 GiB covers at most 1 GiB more per TDMR than
# there is RAM (in these guests about 1 MiB: RAM below the PCI hole ends
# 128 KiB short of 3 GiB).  Prints the TDMR count, PAMT and times.
big_host_checks() {
	_ram_kb=0
	for _r in $(grep ' : System RAM$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
		_s=$((0x${_r%-*})) _e=$((0x${_r#*-}))
		[ $_s -lt 1048576 ] && _s=1048576
		[ $_s -le $_e ] && _ram_kb=$(( _ram_kb + (_e + 1 - _s) / 1024 ))
	done
	_plan=$(tdmr_plan)
	load_driver || { t_fail "load"; return 1; }
	_t0=$(cut -d' ' -f1 /proc/uptime)
	_out=$($T enable --all-cpus); _rc=$?
	_t1=$(cut -d' ' -f1 /proc/uptime)
	_st=$($T status)
	t_is "module enable on $(( (_ram_kb + 524288) >> 20 )) GiB" "$_rc $(kv state "$_out")" "0 initialized"
	t_is "TDMRs: one per run of memory ($_plan)" "$(kv nr_tdmrs "$_st")" "${_plan%% *}"
	t_is "PAMT as the TDMRs need it" "$(kv pamt_kb "$_st")" "$(( $(echo $_plan | cut -d' ' -f3) / 1024 ))"
	_ppm=$(( ($(kv pamt_kb "$_st") * 256 - _ram_kb) * 1000000 / _ram_kb ))
	t_match "PAMT = RAM/256 within 1% (+${_ppm} ppm)" "$_ppm" '^[0-9]{1,4}$'
	t_is "debugfs agrees on PAMT bytes" "$(cat $D/pamt_bytes)" "$(( $(kv pamt_kb "$_st") * 1024 ))"
	t_diag "RAM $_ram_kb kB; $(kv nr_tdmrs "$_st") TDMRs cover $(kv tdx_memory_kb "$_st") kB; PAMT $(kv pamt_kb "$_st") kB; enable $(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.2f", b - a }') s" \
		"$(printf '%s\n' "$_st" | grep '^step_ns_' | tr '\n' ' ')" "$(grep -v '^reserved' $D/tdmrs)"
	dmesg_mark big1
	unload_driver
	t_is "unload: nothing leaked" "$(dmesg_since big1 | grep -c 'leak at unload')" 0
}

# hotadd_mem MIB: ask the host to plug a DIMM of MIB MiB (guest booted
# with "# vm: maxmem=M"); prints the new memory block numbers once sysfs
# shows all of them.  The memory stays offline (memhp_default_state=offline)
# until the caller onlines it: mem_online N.
hotadd_mem() {
	_hm_bs=$(( 0x$(cat /sys/devices/system/memory/block_size_bytes) ))
	_hm_want=$(( $1 * 1048576 / _hm_bs ))
	ls -d /sys/devices/system/memory/memory[0-9]* | sed 's/.*memory//' | sort -n > /tmp/hm.before
	echo "HOTADD-MEM-REQUEST $1" > /dev/ttyS1
	_i=0
	while [ "$_i" -lt 100 ]; do
		ls -d /sys/devices/system/memory/memory[0-9]* | sed 's/.*memory//' | sort -n > /tmp/hm.now
		if [ "$(grep -cvxF -f /tmp/hm.before /tmp/hm.now)" -ge "$_hm_want" ]; then
			grep -vxF -f /tmp/hm.before /tmp/hm.now | tr '\n' ' '
			return 0
		fi
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# mem_online N...: online memory blocks N... through sysfs (fails on the
# first one refused); mem_state N: a block's state
mem_online() {
	for _b in "$@"; do
		echo online > "/sys/devices/system/memory/memory$_b/state" || return 1
	done
}
mem_state() { cat "/sys/devices/system/memory/memory$1/state"; }

# kb_sticky LEAF STATUS_NAME STATUS_HEX: (kernel backend, tdxctl_emu
# hook=1) the emulated TDX module fails LEAF with STATUS during the
# kernel's tdx_enable(): the kernel logs the SEAMCALL and the failed
# initialization and keeps it; tdxctl enable fails, status, monitor,
# explain and diag say error with the kernel's errno, and a retry without
# the fault fails still.  Loads and unloads both modules; KB_CALLS keeps
# the emulated module's calls file.  15 checks.
kb_sticky() {
	_kb_d=/sys/kernel/debug/tdxctl_emu
	kb_load
	echo "$1 $2" > $_kb_d/inject
	kb_fail_enable "$1 failing ($2)"
	t_match "the kernel: the SEAMCALL failed with $2" "$_kb_log" "virt/tdx: SEAMCALL \\(0x[0-9a-f]+\\) failed: 0x0*$3"
	t_match "enable names the kernel log's cause: the step, $2" "$_kb_out" \
		"TDX module initialization failed \\(EIO\\); kernel log: TDH\\.SYS\\.[A-Z_.]+( \\(per package\\))? failed: $2 0x0*$3"
	kb_verdicts EIO 5
	echo clear > $_kb_d/inject
	kb_retry_fails
}

# kb_load: both modules (tdxctl.ko on the kernel backend, tdxctl_emu.ko
# hook=1) and a monitor of the driver's events in /tmp/kb-mon (2 checks)
kb_load() {
	t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
	t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
	tdxctl --json monitor > /tmp/kb-mon 2> /tmp/kb-mon.err &
	_kb_mon=$!
	# the monitor has joined the group once it is reading: give it a moment
	sleep 1
}

# kb_fail_enable WHAT: tdxctl enable fails; its output in $_kb_out, the
# kernel log since in $_kb_log (1 check)
kb_fail_enable() {
	dmesg_mark kb-fail
	_kb_out=$(/bin/tdxctl enable 2>&1); _kb_rc=$?
	_kb_log=$(dmesg_since kb-fail)
	t_diag "$_kb_out" "$_kb_log"
	t_fails "enable with $1: fails" test "$_kb_rc" = 0
}

# kb_verdicts ERRNO N: the kernel said "module initialization failed
# (-N)"; status, monitor, explain and diag all say ERRNO, sticky (7 checks)
kb_verdicts() {
	t_match "the kernel: module initialization failed (-$2)" "$_kb_log" "virt/tdx: module initialization failed \\(-$2\\)"
	_kb_st=$(/bin/tdxctl status --json)
	json_save "$_kb_st"
	t_diag "$_kb_st"
	t_match "status: error, $1, as the kernel log says" "$_kb_st" "\"state\":\"error\".*\"errno\":\"$1\""
	_kb_txt=$(/bin/tdxctl status 2>&1)
	t_match "status (text): failed, $1, sticky until reboot" "$_kb_txt" "$1.*(sticky|reboot)"
	_kb_ex=$(/bin/tdxctl explain "$1" 2>&1)
	t_match "explain $1: decodes the errno" "$_kb_ex" "^name: +$1$"
	sleep 0.5
	kill "$_kb_mon" 2>/dev/null
	wait "$_kb_mon" 2>/dev/null
	while IFS= read -r _kb_l; do json_save "$_kb_l"; done < /tmp/kb-mon
	t_diag "$(cat /tmp/kb-mon /tmp/kb-mon.err)"
	t_match "monitor: the state went to error with $1 ($2)" "$(grep '"event":"state"' /tmp/kb-mon)" \
		"\"new\":\"error\".*\"errno\":$2,\"errno_name\":\"$1\""
	rm -f /tmp/kb-diag.tar.gz; rm -rf /tmp/kb-ex; mkdir /tmp/kb-ex
	/bin/tdxctl diag -o /tmp/kb-diag.tar.gz > /dev/null 2>&1
	tar xzf /tmp/kb-diag.tar.gz -C /tmp/kb-ex 2> /dev/null
	_kb_top=$(echo /tmp/kb-ex/tdxctl-diag-*)
	t_match "diag: the bundle's replay says error, $1" "$(/bin/tdxctl -j --sysroot="$_kb_top" status 2>&1)" \
		"\"state\":\"error\".*\"errno\":\"$1\""
	t_match "diag: the bundle's kernel log has the kernel's failure" "$(cat "$_kb_top/dev/kmsg" 2>&1)" \
		"virt/tdx: module initialization failed \\(-$2\\)"
	rm -rf /tmp/kb-ex /tmp/kb-diag.tar.gz /tmp/kb-mon /tmp/kb-mon.err
}

# kb_retry_fails: without the fault, enable fails still (the kernel keeps
# its failure); both modules unloaded (3 checks)
kb_retry_fails() {
	_kb_out=$(/bin/tdxctl enable 2>&1); _kb_rc=$?
	t_diag "$_kb_out"
	t_fails "a retry without the fault: fails still (the kernel keeps it)" test "$_kb_rc" = 0
	KB_CALLS=$(cat /sys/kernel/debug/tdxctl_emu/calls)
	t_ok "unload tdxctl_emu" rmmod tdxctl_emu
	t_ok "unload tdxctl" rmmod tdxctl
}

# ---- TDX module runtime update (Linux 7.2's interface, emulated) ----
TH=/sys/devices/faux/tdx_host		# the tdx_host device
FWU=/sys/class/firmware/tdx_module	# its firmware upload
BLOBS=/tests/blobs			# update images (mkblobs.sh)
# blob VERSION: the good image of VERSION, rewritten for this CPU, as
# /tmp/tdx_module_VERSION.blob; prints that path
blob() {
	_b_mm=${1%.*}
	/tests/bin/blobcpu "$BLOBS/joined_files/$_b_mm/tdx_module_$1.blob" \
		"/tmp/tdx_module_$1.blob" && echo "/tmp/tdx_module_$1.blob"
}
# blob_as IN OUT: IN rewritten for this CPU as OUT; prints OUT
blob_as() { /tests/bin/blobcpu "$1" "$2" && echo "$2"; }
# fw_upload FILE: the raw firmware-upload flow (loading 1, data, loading
# 0, status until idle, 60 s at most); prints what error then says
fw_upload() {
	echo 1 > "$FWU/loading" || return 1
	if ! cat "$1" > "$FWU/data"; then
		echo 1 > "$FWU/cancel" 2>/dev/null
		return 1
	fi
	echo 0 > "$FWU/loading" || return 1
	_fw_i=0
	while [ "$(cat "$FWU/status")" != idle ] && [ "$_fw_i" -lt 600 ]; do
		sleep 0.1; _fw_i=$((_fw_i + 1))
	done
	cat "$FWU/error"
}
# upd_state: what an update must not change, one line per fact (the
# driver's status but for the version, the CPU table, the model's state)
upd_state() {
	$T status | grep -v '^version'
	$T table
	grep -v '^calls' "$D/model"
	cat "$D/tdmrs" "$D/pamt_bytes"
}
# upd_json: tdxctl status --json without what an update changes (the
# TDX module's version wherever it shows, the updates left)
upd_json() {
	tdxctl --json status 2>&1 |
		sed -E 's/"remaining_updates":[0-9]+//; s/1\.5\.[0-9][0-9]//g'
}
