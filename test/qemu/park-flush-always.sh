#!/bin/sh
# --flush always under a hypervisor: efikexec says so, every AP flushes in
# the park code, and the kernel is told CACHE_FLUSHED along with GUEST.
. "$(dirname "$0")/lib.sh"

park_boot 4 "" "--flush always"
expect_log "efikexec: warning: --flush always: executing WBINVD under a hypervisor"
expect_parking 4 0x30 6
expect_log "efikexec: parked 3/3, 3 flushed"
expect_log "efikexec-probe: done"
finish
