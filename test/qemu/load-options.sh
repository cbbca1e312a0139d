#!/bin/sh
# Firmware that passes load options of its own: U-Boot's bootefi gives
# its bootargs (by default "root=/dev/sdb3 init=/sbin/init rootwait ro") as
# LoadOptions. The first boot writes a Boot#### entry for efikexec through
# the shell (setvar, as efibootmgr would: EFI_LOAD_OPTION of UEFI 2.10
# §3.1.3) with that text as its optional data, in UTF-16 with its NUL as
# U-Boot passes it, first in BootOrder; the second boot, on the same
# variable store, starts that entry: efikexec must say what it ignored and
# boot its Boot Loader Specification entry (the Multiboot2 probe) instead
# of failing on 'root=/dev/sdb3'.
. "$(dirname "$0")/lib.sh"

bootargs="root=/dev/sdb3 init=/sbin/init rootwait ro"
printf '%s\n' "title Probe" "efikexec-kernel /probe.elf" \
	"options probe.cpus=2 entry=default" > "$WORK/probe.conf"
global=8be4df61-93ca-11d2-aa0d-00e098032b8c
# attributes LOAD_OPTION_ACTIVE; the file path list is 54 bytes: ACPI (12),
# PCI (6), the file (4 + 2 * 14) and the end node (4)
startup "fs0:" \
	"setvar Boot0100 -guid $global -bs -rt -nv =H01000000 =H3600 =L\"efikexec-uboot-like\" =H0000 =--PciRoot(0x0)/Pci(0x2,0x0)/\\efikexec.efi =L\"$bootargs\" =H0000" \
	"setvar BootOrder -guid $global =H0001" "bcfg boot dump -v" "reset -s"
VARS=$WORK/vars.fd TIMEOUT=120 boot probe.elf="$ROOT/build/probe/multiboot2.elf" \
	loader/entries/probe.conf="$WORK/probe.conf" -- -smp 2 -m 1024
expect_log "efikexec-uboot-like"
mv "$WORK/serial.txt" "$WORK/serial-first.txt"

# the same disk and variables: the firmware starts Boot#### first
VARS=$WORK/vars.fd TIMEOUT=120 run_qemu "$WORK/esp.img" -smp 2 -m 1024
expect_log "efikexec: warning: ignoring load options '$bootargs': kernel parameters, not efikexec's"
expect_no_log "efikexec: error"
expect_probe_passed
expect_log "probe: cmdline=probe.cpus=2 entry=default"
finish
