#!/bin/sh
# vm: smp=2 mem=8192
# vm-timeout: 180
# vm-lines: 6.1 6.12 7.x
# TDMRs sized for the contiguous memory a host has.  The emulated
# platform's contig_max plays a fragmented host: the contiguous
# allocator finds no run larger than that.  A PAMT piece above it fails
# with ENOMEM; module enable then builds the TDMRs again, half the size
# of the one that failed (at least 1 GiB), and succeeds.  Exactly the
# size needed is no failure (no retry); a page less is.  Without a limit,
# TDMRs are capped so that no PAMT piece exceeds 1 GiB (256 GiB TDMRs
# with 16-byte entries).
# Not on the debug line: 8 GiB of KASAN shadow is more than CI spares.
. /tests/lib.sh
t_plan 19

# tdmr_sizes: the TDMR sizes in use, in GiB, one line
tdmr_sizes() { sed -n 's/^tdmr [0-9]* .* size=\(0x[0-9a-f]*\) .*/\1/p' $D/tdmrs | while read -r s; do echo $((s >> 30)); done | tr '\n' ' '; }
# largest_4k: the largest 4K PAMT piece the TDMRs have, in bytes
largest_4k() { sed -n 's/^tdmr .* pamt_4k=0x[0-9a-f]*+\(0x[0-9a-f]*\) .*/\1/p' $D/tdmrs | while read -r s; do echo $((s)); done | sort -n | tail -n 1; }
# enable_with LIMIT MARK: module enable with contig_max=LIMIT; prints
# "RC STATE TDMRS RETRIES"
enable_with() {
	load_driver || { echo "load failed"; return; }
	echo "$1" > $D/contig_max
	dmesg_mark "$2"
	_o=$($T enable --all-cpus); _r=$?
	echo "$_r $(kv state "$_o") $(kv nr_tdmrs "$($T status)") $(dmesg_since "$2" | grep -c 'retrying with TDMRs of at most')"
}

# 1. no limit: one TDMR per run of memory, the plan's count and PAMT
plan=$(tdmr_plan)
plan1=$(tdmr_plan 1)
t_diag "plan: $plan; with 1 GiB TDMRs: $plan1"
r=$(enable_with 0 r0)
t_is "no limit: enabled, the planned TDMRs, no retry" "$r" "0 initialized ${plan%% *} 0"
t_is "the TDMR cap is 256 GiB (1 GiB PAMT pieces, 16-byte entries)" "$(sed -n 's/^tdmr_max_size //p' $D/tdmrs)" $((256 << 30))
big=$(largest_4k)
sizes=$(tdmr_sizes)
t_diag "TDMRs (GiB): $sizes; largest 4K PAMT $big bytes"
t_match "a TDMR larger than 2 GiB (its 4K PAMT from the contiguous allocator)" "$sizes" '(^| )([3-9]|[1-9][0-9]+) '
unload_driver

# 2. exactly the largest piece: nothing fails, nothing retried
r=$(enable_with "$big" r1)
t_is "contig_max = the largest piece ($big): no retry" "$r" "0 initialized ${plan%% *} 0"
unload_driver

# 3. a page less: the largest TDMR's PAMT fails, TDMRs half its size
r=$(enable_with $((big - 4096)) r2)
log=$(dmesg_since r2)
t_diag "$(printf '%s\n' "$log" | grep -E 'tdxctl_emu: (TDMR|no contiguous)')"
t_match "a page less: enabled after one retry" "$r" '^0 initialized [0-9]+ 1$'
t_match "the kernel log names the PAMT that did not fit" "$log" "TDMR \[0x[0-9a-f]+, 0x[0-9a-f]+\): no $(( big >> 10 )) KiB of contiguous memory for its PAMT on node 0"
max=$(sed -n 's/^tdmr_max_size //p' $D/tdmrs)
# the TDMR that failed had a 4K PAMT of 1/256 of it: half of it, in GiB
half=$(( big * 256 / 2 >> 30 ))
t_is "TDMRs half the size of the one that failed ($half GiB)" "$((max >> 30))" "$half"
t_match "... and the kernel log says so" "$log" "no contiguous memory for the PAMT of a $(( big * 256 >> 30 )) GiB TDMR: retrying with TDMRs of at most $half GiB"
sizes=$(tdmr_sizes)
t_diag "TDMRs (GiB): $sizes"
ok=1
for s in $sizes; do [ "$s" -le $((max >> 30)) ] || ok=0; done
t_is "every TDMR within the new size ($((max >> 30)) GiB)" "$ok" 1
t_is "no 4K PAMT piece above the limit" "$([ "$(largest_4k)" -le $((big - 4096)) ] && echo yes)" yes
t_is "STATUS PAMT = debugfs PAMT bytes" "$(( $(kv pamt_kb "$($T status)") * 1024 ))" "$(cat $D/pamt_bytes)"
dmesg_mark r2u
unload_driver
t_is "unload: nothing leaked" "$(dmesg_since r2u | grep -c 'leak at unload')" 0

# 4. no run above 4 MiB: every TDMR of 1 GiB, whose PAMTs the page
# allocator gives; as many as the 1-GiB plan has
r=$(enable_with 4194304 r3)
t_is "contig_max 4 MiB: enabled with 1 GiB TDMRs after retries" "$(echo "$r" | cut -d' ' -f1-3)" "0 initialized ${plan1%% *}"
t_is "TDMR size 1 GiB" "$(sed -n 's/^tdmr_max_size //p' $D/tdmrs)" 1073741824
t_is "PAMT as the 1 GiB plan needs it" "$(cat $D/pamt_bytes)" "$(echo $plan1 | cut -d' ' -f3)"
unload_driver

# 5. a PAMT of a 1 GiB TDMR that cannot be had is no reason to retry:
# ENOMEM before CONFIG, nothing changed, and the next enable succeeds.
# PAMT allocations: #1 the first TDMR's 4K piece (above 4 MiB: refused),
# then two per 1 GiB TDMR; #3 is the 2M+1G piece of the first of them.
load_driver || t_fail "load (5)"
echo 4194304 > $D/contig_max
echo 3 > $D/fail_pamt_alloc
dmesg_mark r4
out=$($T enable --all-cpus); rc=$?
t_is "1 GiB TDMR without its PAMT: ENOMEM at the TDMR build, not sticky" \
	"$rc $(kv step "$out") $(kv err_errno "$out") $(kv state "$out") $(dmesg_since r4 | grep -c 'retrying with')" "12 tdmr_build 12 uninitialized 1"
t_is "PAMT freed, the TDX module never saw CONFIG" "$(cat $D/pamt_bytes) $(sed -n 's/^config //p' $D/calls)" "0 0"
out=$($T enable --all-cpus); rc=$?
t_is "enable again: succeeds" "$rc $(kv state "$out")" "0 initialized"
unload_driver
t_is "guest left as found: driver unloaded" "$(grep -c '^tdxctl' /proc/modules)" 0
