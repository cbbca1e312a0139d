#!/bin/sh
# Unified kernel images (docs/bls.md, "Unified kernel images"), made the
# classic way from Debian's systemd-stub, EFI applications, boot counting
# and the saved entry.
#
# First boot, as the firmware's boot entry with a TPM (swtpm) and
# loader.conf's "default @saved" (nothing saved yet): the menu holds a
# Type #1 entry with the `efi` key (Debian's bare stub, an EFI application
# that returns an error: it has no kernel), sorted first, and the UKI as a
# Type #2 entry in \EFI\Linux of the disk's Extended Boot Loader partition
# (XBOOTLDR), named to count tries (debian+3.efi).
# efikexec starts the stub, reports what it returned, counts down to the
# next entry and boots the UKI itself, without its stub: the kernel
# reports the UKI's command line, PCR 11 as systemd-measure predicts it
# for the UKI's sections (Debian's systemd 252), the Boot Loader Interface
# variables (the entry saved, the renamed file), and the file is renamed
# on the XBOOTLDR partition (debian+2-1.efi).
#
# Second boot, same disk and variables: "@saved" picks the UKI at once,
# and the try is counted again (debian+1-2.efi).
#
# Third boot, from the shell with a TPM: the bare stub given as KERNEL (an
# EFI application: started, what it returned reported, back to the shell
# with an error status); then the UKI given as KERNEL with a
# command line of its own, which replaces the embedded one (Secure Boot is
# off, systemd-stub's rule): PCR 11 is as before, and the command line is
# in PCR 12 (UTF-16 with its NUL), as systemd-stub measures it.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' 'ID=debian' \
	'VERSION_ID="12"' > "$WORK/os-release"
uki=$WORK/debian.efi
embedded="console=ttyS0 panic=-1 efikexec.uki=embedded"
"$TOOLS/mkuki.sh" "$uki" "$vmlinuz" "$WORK/initrd.img" "$embedded" "$WORK/os-release"
printf '%s\n' "title Bare systemd-stub" "sort-key a" "efi /stub.efi" \
	"options efikexec.chained=1" > "$WORK/stub.conf"
printf '%s\n' "timeout 0" "default @saved" > "$WORK/loader.conf"

# xbootldr_has NAME...: the XBOOTLDR partition of $WORK/disk.img
# (mkdisk.sh: right after the ESP) holds exactly these files in \EFI\Linux
xbootldr_has() {
	got=$(mdir -b -i "$WORK/disk.img@@$(((2048 + ESP_SECTORS) * 512))" ::/EFI/Linux |
		sed 's|.*/||' | sort | tr '\n' ' ')
	if [ "$got" = "$* " ]; then pass "\\EFI\\Linux holds $*"; else fail "\\EFI\\Linux holds '$got', want '$* '"; fi
}

VARS=$WORK/vars.fd
export VARS
XBOOTLDR=EFI/Linux/debian+3.efi=$uki firmware_boot stub.efi="$stub" \
	loader/entries/stub.conf="$WORK/stub.conf" loader/loader.conf="$WORK/loader.conf" \
	-- -smp 2 -m 1024 $(tpm_args)

expect_log "efikexec: starting EFI application '/stub.efi'"
expect_log "efikexec: error: \\loader\\entries\\stub.conf: EFI application '/stub.efi' returned "
expect_log "efikexec: booting 'Debian GNU/Linux 12 (bookworm)' from xbootldr:\\EFI\\Linux\\debian+3.efi"
expect_probe cmdline "$embedded"
expect_probe "bli LoaderEntries" "stub.conf|debian.efi|auto-reboot-to-firmware-setup"
expect_probe "bli LoaderEntrySelected" "debian.efi"
expect_probe "bli LoaderEntryLastBooted" "debian.efi"
expect_probe "bli LoaderBootCountPath" '\EFI\Linux\debian+2-1.efi'
# timeouts, one-shot timeouts, default and one-shot entries, boot
# counting, XBOOTLDR, the random seed, drivers, sort-key, @saved,
# devicetree, menu-disabled, the network boot URL, Type #1 `uki` and
# `uki-url`
expect_probe "bli LoaderFeatures" 0x000000000003e7ff
xbootldr_has debian+2-1.efi
pcr11=$(/lib/systemd/systemd-measure calculate --bank=sha256 --phase= \
	--linux="$vmlinuz" --osrel="$uki.osrel" --cmdline="$uki.cmdline" \
	--initrd="$WORK/initrd.img" 2>/dev/null | sed -n 's/^11:sha256=//p' |
	tr a-f A-F)
expect_probe pcr11 "$pcr11"
expect_probe "bli StubPcrKernelImage" 11
expect_probe pcr12 "0000000000000000000000000000000000000000000000000000000000000000"
expect_log "efikexec-probe: done"
mv "$WORK/serial.txt" "$WORK/serial-entries.txt"

run_qemu "$WORK/disk.img" -smp 2 -m 1024
expect_no_log "efikexec: starting EFI application"
expect_probe cmdline "$embedded"
expect_probe "bli LoaderBootCountPath" '\EFI\Linux\debian+1-2.efi'
expect_log "efikexec-probe: done"
xbootldr_has debian+1-2.efi
mv "$WORK/serial.txt" "$WORK/serial-saved.txt"
unset VARS

startup "fs0:"
add_case stub "\\stub.efi"
startup_add "efikexec.efi \\EFI\\Linux\\debian.efi console=ttyS0 efikexec.uki=shell" \
	"echo efikexec returned %lasterror%"
boot EFI/Linux/debian.efi="$uki" stub.efi="$stub" -- -smp 2 -m 1024 $(tpm_args)
# the bare stub as KERNEL: started, its status reported, back to the shell
expect_error stub "EFI application '\\stub.efi' returned Not Found"
given="console=ttyS0 efikexec.uki=shell"
expect_probe cmdline "$given"
expect_probe pcr11 "$pcr11"
given_sum=$({ printf '%s' "$given" | iconv -t UTF-16LE; printf '\0\0'; } | sha256sum | cut -c1-64)
expect_probe pcr12 "$("$ROOT/build/tools/tcglog" extend "$given_sum")"
expect_probe "bli StubPcrKernelParameters" 12
expect_log "efikexec-probe: done"
finish
