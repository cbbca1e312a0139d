#!/bin/sh
# The Multiboot probe kernels (test/probe) booted with two modules through
# the real loaders efikexec.mb will run under (issue 13): QEMU's own
# -kernel loader (Multiboot 1) under SeaBIOS, Debian's GRUB for BIOS
# (multiboot2/module2 and multiboot/module) from a CD, Debian's GRUB for
# UEFI (multiboot2/module2) as OVMF's boot entry, and Debian's kexec-tools
# from a running Debian kernel (multiboot2-x86 and multiboot-x86). Each
# probe checks its entry state and ends QEMU with 99 when every check
# passed; the test also checks what each loader passed: its name, the
# command line and each module's size, CRC-32 and string, in that
# loader's own convention. Two loaders deviate from the protocol, and the
# probe fails exactly one check for each: GRUB on UEFI passes the EFI
# system table tag after exiting boot services, kexec-tools 2.0.25 ends
# the Multiboot 2 information without a well-formed end tag.
. "$(dirname "$0")/lib.sh"

cd "$WORK" # QEMU passes module paths as written: keep the host's out
head -c 70001 /dev/urandom > m1.bin
head -c 12345 /dev/urandom > m2.bin
cmdline='probe.cpus=2 quoted="a  b" last'
TIMEOUT=120 # each boot ends within seconds
qemu="-smp 2 -m 1024"

# expect_modules PREFIX STRING2: the modules' sizes and CRCs, their
# strings PREFIX"first module" and STRING2
expect_modules() {
	expect_log "probe: modules=2"
	expect_log "probe: module0 size=70001 crc32=$(crc32 m1.bin) string=${1}first module"
	expect_log "probe: module1 size=12345 crc32=$(crc32 m2.bin) string=$2"
}
# expect_entry FORMAT LOADER CMDLINE: what the probe reports of its loader
expect_entry() {
	cp serial.txt "serial-$step.txt"
	expect_log "probe: format=$1"
	expect_log "probe: loader=$2"
	expect_log "probe: cmdline=$3"
	expect_log "probe: ok: 1 of 1 APs answered a fresh INIT-SIPI-SIPI"
}

step="qemu-multiboot1"
echo "-- QEMU -kernel, Multiboot 1"
cp "$ROOT/build/probe/multiboot1.elf" probe
# shellcheck disable=SC2086
mb_qemu_boot probe "$cmdline" "m1.bin first module,m2.bin" -- $qemu
expect_probe_passed
expect_entry multiboot1 qemu "probe $cmdline"
expect_modules "m1.bin " m2.bin

# GRUB's parser takes the quotes out and quotes each word with a space
grub_cmdline='probe.cpus=2 "quoted=a  b" last'
for mb in multiboot2 multiboot1; do
	step=grub-bios-$mb
	echo "-- GRUB for BIOS, $mb"
	kcmd=multiboot2 mcmd=module2
	[ "$mb" = multiboot1 ] && kcmd=multiboot mcmd=module
	# shellcheck disable=SC2086
	mb_grub_bios_boot "$kcmd /probe $cmdline
$mcmd /m1.bin first module
$mcmd /m2.bin" \
		probe="$ROOT/build/probe/$mb.elf" m1.bin=m1.bin m2.bin=m2.bin -- $qemu
	expect_probe_passed
	expect_entry "$mb" "GRUB 2.06-13+deb12u2" "$grub_cmdline"
	expect_modules "" ""
done

step=grub-efi-multiboot2
echo "-- GRUB for UEFI, multiboot2"
# shellcheck disable=SC2086
mb_grub_efi_boot "multiboot2 /probe $cmdline
module2 /m1.bin first module
module2 /m2.bin" \
	probe="$ROOT/build/probe/multiboot2.elf" m1.bin=m1.bin m2.bin=m2.bin -- $qemu
expect_probe_failed_only "no EFI boot-services tags"
expect_entry multiboot2 "GRUB 2.06-13+deb12u2" "$grub_cmdline"
expect_modules "" ""

for mb in multiboot2 multiboot1; do
	step=kexec-$mb
	echo "-- kexec-tools, $mb"
	type=multiboot2-x86
	[ "$mb" = multiboot1 ] && type=multiboot-x86
	# shellcheck disable=SC2086
	mb_kexec_boot "/probe --type $type --command-line='$cmdline' --module '/m1.bin first module' --module /m2.bin" \
		probe="$ROOT/build/probe/$mb.elf" m1.bin=m1.bin m2.bin=m2.bin -- $qemu
	expect_log "efikexec-probe: kexec=loaded"
	if [ "$mb" = multiboot2 ]; then
		expect_probe_failed_only "the tags end with an end tag"
	else
		expect_probe_passed
	fi
	expect_entry "$mb" "kexec 2.0.25" "/probe $cmdline"
	expect_modules "/m1.bin " /m2.bin
done
finish
