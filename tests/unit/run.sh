#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh PROGRAM [ARGS...]: run a unit test program under $TDXCTL_WRAP
exec ${TDXCTL_WRAP:-} "$@"
