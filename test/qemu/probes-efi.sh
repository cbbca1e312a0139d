#!/bin/sh
# The Multiboot 2 probe that asks to keep EFI boot services (header tags 7
# and 9: test/probe/mb2efi.c), booted through efikexec with 2 CPUs under
# the default CPU. efikexec must enter it at its EFI amd64 entry address
# with boot services running and no AP parked; the probe, relocatable,
# lands wherever memory is free then, and checks the
# machine state and the tags, calls GetMemoryMap and ExitBootServices with
# the system table and image handle it was given, and ends QEMU with status
# 99 when every check passed. The test compares what it saw with what it
# was given: the command line, every module's size, CRC-32 and string, the
# loader's name and the flags word.
. "$(dirname "$0")/lib.sh"

head -c 70001 /dev/urandom > "$WORK/m1.bin"
head -c 12345 /dev/urandom > "$WORK/m2.bin"
cmdline='probe.cpus=2 quoted="a  b" last'
# a probe ends QEMU itself; if efikexec returns, so does the test
startup "fs0:" \
	"efikexec.efi --module \"\\m1.bin first module\" --module m2.bin \\probe-efi.elf $cmdline" \
	"echo efikexec returned %lasterror%" "reset -s"
TIMEOUT=120 boot probe-efi.elf="$ROOT/build/probe/multiboot2-efi.elf" \
	m1.bin="$WORK/m1.bin" m2.bin="$WORK/m2.bin" -- -smp 2 -m 1024
expect_probe_passed
expect_log "probe: format=multiboot2-efi"
expect_log "probe: cmdline=$cmdline"
expect_log "probe: loader=efikexec (GRUB 2 command line convention)"
expect_log "probe: module0 size=70001 crc32=$(crc32 "$WORK/m1.bin") string=first module"
expect_log "probe: module1 size=12345 crc32=$(crc32 "$WORK/m2.bin") string="
expect_log "probe: flags=0x20"
# the checks that make this path what it is, each by its line
expect_log "probe: ok: entered at the EFI amd64 entry address"
expect_log "probe: ok: the EFI boot services not terminated tag is there"
expect_log "probe: ok: no EFI memory map tag"
expect_log "probe: ok: the image handle is a loaded image of that system table"
expect_log "probe: ok: GetMemoryMap: status 0x0"
expect_log "probe: ok: ExitBootServices: status 0x0"
expect_log "probe: ok: the handoff record shows no AP parked or flushed"
# efikexec leaves the APs and the caches to the kernel here
expect_log "efikexec: parked 0/1 (boot-services=kept)"
expect_log "probe: ok: no ExitBootServices or parking stamp"
expect_log "probe: ok: the copy and jump stamps are taken"
finish
