#!/bin/sh
# Chained by shim, whose own PE/COFF loader (not the firmware's) maps the
# second stage: Debian's shim as the firmware's boot entry, efikexec.efi
# beside it as grubx64.efi, the second stage shim starts when it has no
# options (Secure Boot off: shim loads without verifying). shim loads
# efikexec.efi into its own allocation and applies its base relocations
# (.reloc, docs/architecture.md), and efikexec boots its default entry,
# the Multiboot2 probe.
. "$(dirname "$0")/lib.sh"

shim=/usr/lib/shim/shimx64.efi
[ -f "$shim" ] || fail "$shim is missing (package shim-unsigned, test/tools/deps.sh)"
printf '%s\n' "title Probe" "efikexec-kernel /probe.elf" \
	"options probe.cpus=2 efikexec.chained=shim" > "$WORK/probe.conf"
EFIKEXEC=$shim TIMEOUT=120 firmware_boot \
	EFI/BOOT/grubx64.efi="$ROOT/build/efikexec.efi" \
	probe.elf="$ROOT/build/probe/multiboot2.elf" \
	loader/entries/probe.conf="$WORK/probe.conf" \
	-- -smp 2 -m 1024
expect_log "efikexec: booting 'Probe' from \\loader\\entries\\probe.conf"
expect_probe_passed
expect_log "probe: cmdline=probe.cpus=2 efikexec.chained=shim"
finish
