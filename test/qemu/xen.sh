#!/bin/sh
# A real Multiboot kernel with modules: Xen 4.17 from Debian's
# xen-hypervisor-4.17-amd64, with Debian's generic Linux kernel as dom0 and
# an initramfs, all given as Multiboot2 modules, and Xen's command line as
# a GRUB user writes it (no no-real-mode). Xen's header carries the EFI
# boot services and EFI amd64 entry tags, so efikexec enters it as GRUB on
# UEFI does: boot services kept, Xen exits them itself and finds ACPI and
# EFI through them. Checked from dom0's initramfs: all 4 CPUs online, its
# exact command line, ACPI tables, /sys/firmware/efi and EFI variables.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel amd64)
"$TOOLS/fetch-xen.sh" "$CACHE/xen" >&2
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"
dom0_cmdline="console=hvc0 earlyprintk=xen"
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all sync_console"

startup "fs0:" \
	"efikexec.efi --module \"\\vmlinuz $dom0_cmdline\" --module \\initrd.img \\xen $xen_cmdline" \
	"echo efikexec returned %lasterror%" "reset -s"
boot xen="$CACHE/xen/xen" vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
	-- -smp 4 -m 2048

expect_log "efikexec: handoff format=multiboot2"
expect_log "boot-services=kept"
expect_log "(XEN) Bootloader: efikexec (GRUB 2 command line convention)"
expect_log "(XEN) Command line: $xen_cmdline"
expect_log "(XEN) Brought up 4 CPUs"
expect_probe cmdline "$dom0_cmdline"
expect_probe cpus_online "0-3"
for table in APIC DSDT FACP; do
	case " $(probe acpi_tables) " in
	*" $table "*) pass "dom0 sees ACPI table $table" ;;
	*) fail "dom0 lacks ACPI table $table: '$(probe acpi_tables)'" ;;
	esac
done
expect_probe efi "64-bit"
expect_probe efivars registered
expect_log "efikexec-probe: done"
finish
