#!/bin/sh
# vm: smp=3
# vm-lines: 6.1
# Debian's 6.1 has no faux bus and no CONFIG_FW_UPLOAD: the tdx_host
# device is at the same path with its three attributes, and there is no
# tdx_module upload, so no update.
. /tests/lib.sh
t_plan 8

t_ok "load with backend=emulated" load_driver
t_is "tdx_host: attribute modes" \
	"$(stat -c '%n %a' $TH/version $TH/seamldr_version $TH/num_remaining_updates | sed 's|.*/||')" \
	"version 444
seamldr_version 400
num_remaining_updates 400"
t_match "version before enable: ENXIO" "$(cat $TH/version 2>&1)" 'No such device or address'
t_fails "no firmware-upload tdx_module (no CONFIG_FW_UPLOAD)" test -e $FWU
out=$($T enable --all-cpus)
t_is "module enable" "$(kv state "$out")" initialized
t_is "version after enable" "$(cat $TH/version)" 1.5.08
t_is "P-SEAMLDR: version and updates left" \
	"$(cat $TH/seamldr_version $TH/num_remaining_updates)" "1.5.02
8"
t_ok "unload" unload_driver
