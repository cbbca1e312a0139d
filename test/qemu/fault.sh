#!/bin/sh
# After ExitBootServices a fault must not be a silent reset: with
# --fault-test the trampoline raises #UD (vector 6) as soon as its own IDT
# is loaded, and its handler reports vector, error code and RIP on COM1
# and halts. The machine is still there (halted) afterwards.
#
# Nor may a segment that changed after it was loaded be jumped into: with
# --verify-test the trampoline inverts a byte of the first segment's
# destination after its copies, and --verify's check reports the segment
# and both digests on COM1 and halts. With --verify alone a kernel (the
# Multiboot 1 probe: the check runs before the trampoline leaves long
# mode) boots as it would without it.
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

printf '%s\n' "-- --verify-test"
startup "fs0:" "efikexec.efi --verify-test \\probe.elf" "echo efikexec returned %lasterror%"
UNTIL="; halted" TIMEOUT=120 boot probe.elf="$ROOT/build/probe/elf64.elf" -- -smp 2 -m 512

expect_log "efikexec: handoff format=elf64"
report=$(grep -a "efikexec: verify:" "$WORK/serial.txt" | head -n 1)
hex64='[0-9a-f]\{64\}'
then=$(printf '%s\n' "$report" | sed -n "s/.* sha256 \($hex64\) now $hex64; halted\$/\1/p")
now=$(printf '%s\n' "$report" | sed -n "s/.* sha256 $hex64 now \($hex64\); halted\$/\1/p")
# what they must be: the SHA-256 of the probe's one segment as its file
# holds it, and of the same with its first byte inverted
elf=$ROOT/build/probe/elf64.elf
# shellcheck disable=SC2046
set -- $(readelf -lW "$elf" | awk '$1 == "LOAD" { print $2, $5; exit }')
segment() { tail -c +$(($1 + 1)) "$elf" | head -c $(($2)); }
first=$(segment "$1" "$2" | od -An -tu1 -N1 | tr -d ' ')
want_then=$(segment "$1" "$2" | sha256sum | cut -d' ' -f1)
want_now=$({ printf '%b' "\\0$(printf %o $((255 - first)))"; segment "$1" "$2" | tail -c +2; } |
	sha256sum | cut -d' ' -f1)
case $report in
"efikexec: verify: segment 0x0000000000000000 at 0x0000000001000000 changed after loading: sha256 "*)
	if [ "$then" = "$want_then" ] && [ "$now" = "$want_now" ]; then
		pass "$report"
	else
		fail "digests '$then' and '$now', want '$want_then' and '$want_now'"
	fi ;;
*) fail "no report of the changed segment (got '$report')" ;;
esac
if [ "$QEMU_ALIVE" = 1 ]; then pass "the machine halted (no reset)"; else fail "QEMU ended: the machine reset or shut down"; fi
expect_no_log "probe: "

printf '%s\n' "-- --verify"
head -c 70001 /dev/urandom > "$WORK/m1.bin"
startup "fs0:" \
	"efikexec.efi --verify --dry-run --module \"\\m1.bin first\" \\probe probe.cpus=2" \
	"efikexec.efi --verify --module \"\\m1.bin first\" \\probe probe.cpus=2" \
	"echo efikexec returned %lasterror%" "reset -s"
TIMEOUT=120 boot probe="$ROOT/build/probe/multiboot1.elf" m1.bin="$WORK/m1.bin" \
	-- -smp 2 -m 512
expect_log "  keep efikexec "
handoff=$(grep -a "^efikexec: handoff format=multiboot1 " "$WORK/serial.txt" | head -n 1)
case $handoff in
*" verify") pass "$handoff" ;;
*) fail "the handoff line does not say verify: '$handoff'" ;;
esac
expect_no_log "efikexec: verify:"
expect_probe_passed
expect_log "probe: module0 size=70001 crc32=$(crc32 "$WORK/m1.bin") string=first"
finish
