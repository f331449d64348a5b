#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# redact_prop.sh - redaction never changes a verdict, and leaves no planted
# identifier.  For every fixture in tests/fixtures, twice (a random host
# and user name; then names that are TDX/KVM vocabulary: tdx, kvm, vmx,
# tdx_host in turn), identifiers are planted in every form diag redacts:
# the hostname as an FQDN, a user in /etc/passwd, kernel log lines with
# the hostname field, /home paths (also of a user not in /etc/passwd),
# MACs as aa:bb.., AA-BB.., 001b21aabbcc, 001b.21aa.bbcd and 20-byte IPoIB,
# ip:port, [IPv6]:port, upper-case UUIDs, a name in the host's domain, the
# ip= kernel parameter in the log and in proc/cmdline, a module parameter.
# Then: the replay of the bundle (check --json, status --json) equals a
# direct run on the planted tree, and no planted identifier is left.
#
# usage: redact_prop.sh TDXCTL [SEED]
set -u

TDXCTL=$1
SEED=${2:-$RANDOM}
RANDOM=$SEED
. "$(dirname "$0")/tap.sh"

fixtures=()
for f in "$FIXTURES"/*/; do fixtures+=("$(basename "$f")"); done
tap_begin redact $((2 * ${#fixtures[@]} * 3))
echo "# seed $SEED (redact_prop.sh TDXCTL $SEED reruns this one)"

tdx() {
	timeout 60 ${TDXCTL_WRAP:-} "$TDXCTL" "$@" > "$W/out" 2> "$W/err"
	rc=$?
}


rnd() { printf 'zq%04x%04x' $RANDOM $RANDOM; }
vocab=(tdx kvm vmx tdx_host)
k=0
for f in "${fixtures[@]}"; do
	for round in random vocabulary; do
		if [ $round = random ]; then H=$(rnd); U=$(rnd); else
			H=${vocab[$((k % 4))]}; U=${vocab[$(((k + 1) % 4))]}; k=$((k + 1)); fi
		G=ghost$(rnd) DOM=corp$(rnd).example.net
		T=$W/$f-$round
		mkfixture "$f" "$T"
		mkdir -p "$T/proc/sys/kernel" "$T/etc" "$T/dev"
		echo "$H.$DOM" > "$T/proc/sys/kernel/hostname"
		printf 'root:x:0:0:root:/root:/bin/bash\n%s:x:1000:1000::/home/%s:/bin/bash\n' "$U" "$U" > "$T/etc/passwd"
		ip="ip=198.51.100.8::198.51.100.1:255.255.255.0:$H:eth0:off"
		{
			echo "6,900,9000,-;kvm: Hostname set to <$H>."
			echo "6,901,9001,-;kvm_intel: image /home/$U/vm.qcow2, /home/$G/x"
			echo "6,902,9002,-;kvm: nic 00:1b:21:aa:bb:c1 00-1B-21-AA-BB-C2 001b21aabbc3 001b.21aa.bbc4 ib 80:00:02:08:fe:80:00:00:00:00:00:00:00:1b:21:aa:bb:cc:dd:c5"
			echo "6,903,9003,-;kvm: peer 198.51.100.7:8443 [2001:db8::77]:443 disk 3F2504E0-4F89-11D3-9A0C-0305E82C3301 at $H.$DOM and node9.$DOM"
			echo "6,904,9004,-;Kernel command line: $ip kvm_intel.tdx=1"
		} >> "$T/dev/kmsg"
		if [ -f "$T/proc/cmdline" ]; then
			printf '%s %s root=UUID=3F2504E0-4F89-11D3-9A0C-0305E82C3302 BOOT_IMAGE=/home/%s/vmlinuz\n' \
				"$(head -c 2000 "$T/proc/cmdline" | tr -d '\n')" "$ip" "$U" > "$T/proc/cmdline.new"
			mv "$T/proc/cmdline.new" "$T/proc/cmdline"
		fi
		for p in "$T"/sys/module/kvm*/parameters; do
			[ -d "$p" ] && echo "198.51.100.9 /home/$U" > "$p/zz_planted"
		done
		name="$f ($round: host $H, user $U)"

		tdx --sysroot="$T" diag -o "$W/b.tar.gz"
		if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
			notok "$name: diag exit $rc"; diag < "$W/err"; notok "$name: (not run)"; notok "$name: (not run)"; continue
		fi
		rm -rf "$W/ex"; mkdir "$W/ex"; tar xzf "$W/b.tar.gz" -C "$W/ex"
		top=$(echo "$W/ex"/tdxctl-diag-*)
		same=0
		: > "$W/vdiff"
		for c in check status; do
			tdx --json --sysroot="$T" $c; verdicts "$W/out" "$T" > "$W/direct"
			tdx --json --sysroot="$top" $c; verdicts "$W/out" "$top" > "$W/replay"
			diff "$W/direct" "$W/replay" >> "$W/vdiff" || same=1
		done
		if [ $same = 0 ]; then ok "$name: check and status replayed equal the original"; else
			notok "$name: replay differs"; head -20 "$W/vdiff" | diag; fi

		gzip -dc "$W/b.tar.gz" > "$W/b.tar"
		ids="$G|$DOM|198\.51\.100\.|2001:db8::77|3F2504E0|3f2504e0|00:1b:21:aa:bb:c1|00-1B-21-AA-BB-C2|001b21aabbc3|001b\.21aa\.bbc4|dd:c5|<$H>|:$H:eth0|/home/$U|$H\.$DOM"
		[ $round = random ] && ids="$ids|$H|$U"
		if ! grep -aqE "$ids" "$W/b.tar"; then ok "$name: no planted identifier left"; else
			notok "$name: planted identifiers left"; grep -aoE "$ids" "$W/b.tar" | sort | uniq -c | diag; fi
		# the planted kernel log lines are all in the bundle, redacted
		if [ "$(grep -c '^6,90[0-4],90' "$top/dev/kmsg" 2>/dev/null)" = 5 ] && grep -q 'Hostname set to <REDACTED-HOSTNAME>' "$top/dev/kmsg"; then
			ok "$name: the planted log lines are kept, redacted"; else
			notok "$name: planted log lines missing"; grep -n 'kvm' "$top/dev/kmsg" 2>/dev/null | tail -5 | diag; fi
	done
done
tap_end
