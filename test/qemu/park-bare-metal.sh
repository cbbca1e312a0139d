#!/bin/sh
# The bare-metal path: with the hypervisor bit hidden, efikexec flushes
# every CPU (WBINVD in each AP's park code and on the BSP after the last
# copy) and tells the kernel so: CACHE_FLUSHED set, GUEST clear, every AP
# parked and flushed.
. "$(dirname "$0")/lib.sh"

park_boot 4 "-cpu max,-hypervisor" ""
expect_parking 4 0x10 6
expect_log "efikexec: parked 3/3, 3 flushed"
expect_log "efikexec-probe: done"
finish
