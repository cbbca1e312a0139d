#!/bin/sh
# Debian's memtest86+ (6.10, /boot/memtest86+x64.bin: a Linux boot
# protocol image fixed at 1 MiB, its file 8 bytes short of what syssize
# says) from the shell with 2 CPUs. memtest86+ wakes the APs itself from
# where efikexec parked them; its serial console shows how many threads
# it started and that its tests run on all of them.
. "$(dirname "$0")/lib.sh"

memtest=/boot/memtest86+x64.bin
[ -e "$memtest" ] || { fail "$memtest is missing (test/tools/deps.sh installs memtest86+)"; finish; }
startup "fs0:" "efikexec.efi \\memtest.bin console=ttyS0,115200 nopause" \
	"echo efikexec returned %lasterror%"
# memtest86+ never ends: stop once a test runs on every core (its first
# tests run on one core at a time)
UNTIL="Using: All Cores" TIMEOUT=240 boot memtest.bin="$memtest" -- -smp 2 -m 256

expect_log "efikexec: parked 1/1"
expect_log "SMP: 2T (PAR)"
expect_log "Using: All Cores"
expect_log "Status: Testing"
expect_no_log "efikexec returned"
finish
