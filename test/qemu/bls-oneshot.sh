#!/bin/sh
# `bootctl set-oneshot` through the UEFI shell: with LoaderEntryOneShot set
# (setvar, as bootctl writes it), efikexec started without a kernel boots
# that entry rather than the first one; a dry run first shows the choice
# without consuming the variable. The kernel is the Multiboot2 probe.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/entries"
for n in 1 2; do
	printf '%s\n' "title Probe $n" "efikexec-kernel /probe.elf" \
		"options probe.cpus=2 entry=$n" > "$WORK/entries/probe-$n.conf"
done
bli=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
startup "fs0:" \
	"setvar LoaderEntryOneShot -guid $bli -bs -rt -nv =L\"probe-1.conf\"" \
	"efikexec.efi --dry-run" "echo dry-run returned %lasterror%" \
	"efikexec.efi" "echo efikexec returned %lasterror%" "reset -s"
TIMEOUT=120
boot probe.elf="$ROOT/build/probe/multiboot2.elf" \
	loader/entries/probe-1.conf="$WORK/entries/probe-1.conf" \
	loader/entries/probe-2.conf="$WORK/entries/probe-2.conf" \
	-- -smp 2 -m 1024

dry=$(sed -n '/efikexec.efi --dry-run/,/^dry-run returned/p' "$WORK/serial.txt")
case $dry in
*"efikexec: booting 'Probe 1' from \\loader\\entries\\probe-1.conf"*"dry-run returned 0x0"*)
	pass "the dry run chose probe-1.conf" ;;
*) fail "dry run: $dry" ;;
esac
expect_probe_passed
expect_log "probe: cmdline=probe.cpus=2 entry=1"
finish
