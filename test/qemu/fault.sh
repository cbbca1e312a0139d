#!/bin/sh
# After ExitBootServices a fault must not be a silent reset: with
# --fault-test the trampoline raises #UD (vector 6) as soon as its own IDT
# is loaded, and its handler reports vector, error code and RIP on COM1
# and halts. The machine is still there (halted) afterwards.
. "$(dirname "$0")/lib.sh"

startup "fs0:" "efikexec.efi --fault-test \\probe.elf" "echo efikexec returned %lasterror%"
UNTIL="; halted" TIMEOUT=120 boot probe.elf="$ROOT/build/probe/elf64.elf" -- -smp 2 -m 512

expect_log "efikexec: handoff format=elf64"
report=$(grep -a "efikexec: fault in the trampoline" "$WORK/serial.txt" | head -n 1)
case $report in
"efikexec: fault in the trampoline: vector 0x0000000000000006 error 0x0000000000000000 rip 0x"*"; halted")
	pass "$report" ;;
*) fail "no fault report for #UD (got '$report')" ;;
esac
if [ "$QEMU_ALIVE" = 1 ]; then pass "the machine halted (no reset)"; else fail "QEMU ended: the machine reset or shut down"; fi
expect_no_log "probe: "
finish
