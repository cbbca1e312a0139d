#!/bin/sh
# 16 CPUs under a hypervisor: every AP parked (no WBINVD: GUEST set,
# CACHE_FLUSHED clear), and the kernel wakes all of them from our park code.
. "$(dirname "$0")/lib.sh"

park_boot 16 "" ""
expect_parking 16 0x20 2
expect_log "efikexec-probe: done"
finish
