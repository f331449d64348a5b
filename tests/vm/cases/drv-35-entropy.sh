#!/bin/sh
# vm: smp=4 mem=1024
# TDX_RND_NO_ENTROPY is retried as Linux does: 10 calls in all.
. /tests/lib.sh
t_plan 16

for leaf in sys_init lp_init config key_config; do
	# LP.INIT retries are per CPU: aim at CPU1
	[ "$leaf" = lp_init ] && on=" cpu=1" || on=
	load_driver
	echo "$leaf TDX_RND_NO_ENTROPY count=9$on" > $D/inject
	out=$($T enable --all-cpus); rc=$?
	t_is "$leaf: 9 x RND_NO_ENTROPY then success" "$rc $(kv state "$out")" "0 initialized"
	[ "$leaf" = lp_init ] && want=13 || want=10
	[ "$leaf" = key_config ] && want=10
	t_is "$leaf: 10 calls" "$(calls $leaf)" "$want"
	unload_driver

	load_driver
	echo "$leaf TDX_RND_NO_ENTROPY count=10$on" > $D/inject
	out=$($T enable --all-cpus); rc=$?
	case $leaf in
	lp_init) t_is "$leaf: 10 x RND_NO_ENTROPY fails (per CPU)" "$rc $(kv step "$out") $(kv tdx_status "$out") $(kv state "$out")" "5 lp_init 0x8000020300000000 uninitialized" ;;
	*) t_is "$leaf: 10 x RND_NO_ENTROPY fails, sticky" "$rc $(kv step "$out") $(kv tdx_status "$out") $(kv state "$out")" "5 $leaf 0x8000020300000000 error" ;;
	esac
	t_is "$leaf: no 11th call" "$(calls $leaf)" "$( [ $leaf = lp_init ] && echo 13 || echo 10 )"
	unload_driver
done
