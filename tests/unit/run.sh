#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh PROGRAM [ARGS...]: run a unit test program under $TDXCTL_WRAPPER
exec ${TDXCTL_WRAPPER:-} "$@"
