#!/bin/sh
# efikexec.mb started by Debian's GRUB:
# - GRUB for BIOS from a CD under SeaBIOS, `multiboot2 /efikexec.mb` with
#   the kernel and its initrd as `module2`s (no KERNEL: the first module
#   is the kernel, its string the command line), -smp 4;
# - GRUB for BIOS, `multiboot /efikexec.mb --initrd initrd vmlinuz ...`
#   with modules named by a first word of the user's (`module /vmlinuz
#   vmlinuz`), as GRUB passes no file names;
# - Xen 4.17 with Debian's generic kernel as dom0, through GRUB for BIOS
#   and efikexec.mb: with no boot services to keep, efikexec.mb enters Xen
#   at its 32-bit Multiboot 2 entry, as GRUB itself would;
# - GRUB for UEFI (OVMF) `multiboot2 /efikexec.mb`: GRUB exits boot
#   services and passes the EFI system table and memory map, and Linux
#   gets them: its EFI runtime services work (it reads EFI variables) and
#   it finds the ACPI tables.
# Each kernel reports from its initramfs; GRUB re-quotes every word of a
# command line, so these use no quotes.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
mb=$ROOT/build/efikexec.mb
cmdline="console=ttyS0 efikexec.test=grub panic=-1"

# expect_tables: the ACPI tables the kernel found
expect_tables() {
	for t in APIC DSDT FACP; do
		case " $(probe acpi_tables) " in
		*" $t "*) pass "ACPI table $t" ;;
		*) fail "ACPI table $t missing (have: $(probe acpi_tables))" ;;
		esac
	done
}

echo "-- GRUB for BIOS, multiboot2, the modules alone"
mb_grub_boot bios "multiboot2 /efikexec.mb -v
module2 /vmlinuz $cmdline
module2 /initrd.img" \
	efikexec.mb="$mb" vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
	-- -smp 4 -m 1024
cp "$WORK/serial.txt" "$WORK/serial-bios-mb2.txt"
expect_log "efikexec: Multiboot 2 information at"
expect_log "efikexec: handoff format=linux"
expect_probe cmdline "$cmdline"
expect_parking 4 0x20 2
expect_tables
expect_log "efikexec-probe: done"

echo "-- GRUB for BIOS, multiboot, KERNEL and initrd named"
mb_grub_boot bios "multiboot /efikexec.mb -v --initrd initrd vmlinuz $cmdline
module /vmlinuz vmlinuz
module /initrd.img initrd" \
	efikexec.mb="$mb" vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
	-- -smp 2 -m 1024
cp "$WORK/serial.txt" "$WORK/serial-bios-mb1.txt"
expect_log "efikexec: Multiboot 1 information at"
expect_probe cmdline "$cmdline"
expect_parking 2 0x20 2
expect_log "efikexec-probe: done"

echo "-- Xen and dom0, through GRUB for BIOS"
dom0=$(kernel amd64)
"$TOOLS/fetch-xen.sh" "$CACHE/xen" >&2
"$TOOLS/mkinitramfs.sh" "$WORK/dom0-initrd.img"
dom0_cmdline="console=hvc0 earlyprintk=xen"
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all sync_console"
mb_grub_boot bios "multiboot2 /efikexec.mb
module2 /xen $xen_cmdline
module2 /vmlinuz $dom0_cmdline
module2 /initrd.img" \
	efikexec.mb="$mb" xen="$CACHE/xen/xen" vmlinuz="$dom0" \
	initrd.img="$WORK/dom0-initrd.img" -- -smp 4 -m 2048
cp "$WORK/serial.txt" "$WORK/serial-xen.txt"
expect_log "efikexec: handoff format=multiboot2"
expect_no_log "boot-services=kept"
expect_log "(XEN) Bootloader: efikexec (GRUB 2 command line convention)"
expect_log "(XEN) Command line: $xen_cmdline"
expect_log "(XEN) Brought up 4 CPUs"
expect_probe cmdline "$dom0_cmdline"
expect_probe cpus_online "0-3"
expect_tables
expect_log "efikexec-probe: done"

echo "-- GRUB for UEFI, multiboot2"
mb_grub_boot efi "multiboot2 /efikexec.mb -v
module2 /vmlinuz $cmdline
module2 /initrd.img" \
	efikexec.mb="$mb" vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
	-- -smp 2 -m 1024
cp "$WORK/serial.txt" "$WORK/serial-uefi.txt"
expect_log "efikexec: Multiboot 2 information at"
expect_probe cmdline "$cmdline"
expect_probe cpus_online "0-1"
expect_probe efivars registered
n=$(probe efivars_read)
if [ "${n:-0}" -gt 0 ]; then pass "read $n EFI variables"; else fail "read no EFI variables (got '$n')"; fi
expect_tables
expect_log "efikexec-probe: done"
finish
