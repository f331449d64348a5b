#!/bin/sh
# vm: smp=8 mem=1024
# The happy path, hotplug and the concurrency test on 8 vCPUs.  Each case
# sourced here declares its own plan; the plans add up.
. /tests/cases/drv-10-basic.sh
. /tests/cases/drv-20-hotplug.sh
. /tests/cases/drv-80-stress.sh
