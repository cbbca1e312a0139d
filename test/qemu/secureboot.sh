#!/bin/sh
# Secure Boot (OVMF's Secure Boot build with the snakeoil keys enrolled):
# efikexec, signed with the snakeoil key and started as BOOTX64.EFI, is
# given four boot entries in turn (each failure counts down to the next):
# a Multiboot kernel (no signature: refused), Debian's kernel with its
# signature removed (refused), Debian's kernel as Debian signed it (a key
# this firmware does not trust: refused), and Debian's kernel signed with
# the snakeoil key, which boots and reports Secure Boot on, as
# boot_params told it, and the lockdown that follows.
#
# That Linux, root under lockdown, then plants a non-volatile
# MokSBStateRT = 1 through efivarfs: the forgery that once made efikexec
# take Secure Boot as off (shim makes only a volatile one, and there is no
# shim here). A second boot on the same variable store, the forged
# variable still there, must refuse the same three kernels and boot the
# signed one with Secure Boot on.
#
# That Linux also plants a boot option that starts efikexec with a dry
# run of the signed kernel, and BootNext pointing at it. The second boot,
# with a TPM (swtpm), runs that dry run first: it must leave the kernel's
# signature unchecked, saying why, since verifying would measure it. (Its
# initrd is missing, so that it fails after that point: the firmware goes
# on to the boot order only after a boot option that failed.) Then PCR 4
# must hold the kernel's Authenticode digest exactly once: from the boot
# that happened, none from the dry run, none from Debian's signed kernel
# (the same digest), which the firmware refused.
#
# The drop-in drivers (\EFI\systemd\drivers) are verified as the firmware
# verifies every image: the test's driver (test/driver/), unsigned at the
# first boot, is refused with a warning and does not run; signed with the
# snakeoil key at the second, it runs (the variable it sets is there for
# the kernel).
#
# A third boot does the same for unified kernel images (below).
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
mok=MokSBStateRT-605dab50-e046-4300-abb6-3dd810dd8b23
openssl pkey -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil \
	-out "$WORK/snakeoil.key"
cert=/usr/share/ovmf/PkKek-1-snakeoil.pem
sign() { sbsign --key "$WORK/snakeoil.key" --cert "$cert" --output "$2" "$1" 2>/dev/null; }
sign "$ROOT/build/efikexec.efi" "$WORK/efikexec.efi"
cp "$vmlinuz" "$WORK/unsigned"
sbattach --remove "$WORK/unsigned"
sign "$WORK/unsigned" "$WORK/signed"
sign "$ROOT/build/test-driver.efi" "$WORK/driver-signed.efi"
driver_var=EfikexecTestDriver-3c1b4a53-5f06-4b0e-9d4c-7a2e8f1d6b90

# boot_secure DRIVER OPTIONS [QEMU_ARGS]: boots the four entries on the
# variable store kept in $WORK/vars.fd, with the test's driver as
# \EFI\systemd\drivers\test_x64.efi (file DRIVER), the signed kernel with
# OPTIONS added
boot_secure() {
	driver=$1
	shift
	mkdir -p "$WORK/entries"
	printf '%s\n' "title Multiboot probe" "efikexec-kernel /probe.elf" > "$WORK/entries/4-multiboot.conf"
	for e in 3-unsigned:unsigned 2-debian-signed:vmlinuz 1-snakeoil-signed:signed; do
		printf '%s\n' "title ${e%%:*}" "linux /${e#*:}" "initrd /initrd.img" \
			"options console=ttyS0 efikexec.entry=${e%%:*}" > "$WORK/entries/${e%%:*}.conf"
	done
	echo "options $1" >> "$WORK/entries/1-snakeoil-signed.conf"
	files="probe.elf=$ROOT/build/probe/multiboot2.elf vmlinuz=$vmlinuz"
	files="$files unsigned=$WORK/unsigned signed=$WORK/signed initrd.img=$WORK/initrd.img"
	files="$files EFI/systemd/drivers/test_x64.efi=$driver"
	for f in "$WORK"/entries/*.conf; do
		files="$files loader/entries/$(basename "$f")=$f"
	done
	# shellcheck disable=SC2086
	VARS=$WORK/vars.fd EFIKEXEC=$WORK/efikexec.efi SECURE_BOOT=1 TIMEOUT=400 \
		firmware_boot $files -- -smp 2 -m 1024 ${2:-}
}

# hex STRING: STRING in UTF-16LE with its NUL, in hex
hex16() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/../&00/g'
	printf '0000'
}

# A boot option (UEFI 2.10 §3.1.3 EFI_LOAD_OPTION) that starts
# \EFI\BOOT\BOOTX64.EFI with the load options below, as efivarfs
# takes it: the variable's attributes (NV, BS, RT), the option's
# (LOAD_OPTION_ACTIVE), the path's 52 bytes, a description; the path, a
# short-form file path the firmware looks for on every volume (a media
# file node of 4 + 2 * 22 bytes, the end node); the load options.
global=8be4df61-93ca-11d2-aa0d-00e098032b8c
dry_option=07000000010000003400$(hex16 "efikexec dry run")
dry_option=${dry_option}04043000$(hex16 '\EFI\BOOT\BOOTX64.EFI')7fff0400
dry_option=$dry_option$(hex16 '--dry-run --initrd \missing.img \signed')

# expect_secure_boot: three refusals, then the signed kernel, locked down
expect_secure_boot() {
	expect_log "efikexec: error: \\loader\\entries\\4-multiboot.conf: Secure Boot is on, and '/probe.elf' is a multiboot2 kernel, which carries no signature"
	expect_log "efikexec: error: \\loader\\entries\\3-unsigned.conf: Secure Boot is on, and kernel '/unsigned' is not signed by a key the firmware trusts"
	expect_log "efikexec: error: \\loader\\entries\\2-debian-signed.conf: Secure Boot is on, and kernel '/vmlinuz' is not signed by a key the firmware trusts"
	expect_probe secureboot "Secure boot enabled"
	case $(probe lockdown) in
	*"[integrity]"* | *"[confidentiality]"*) pass "lockdown=$(probe lockdown)" ;;
	*) fail "the kernel is not locked down: lockdown='$(probe lockdown)'" ;;
	esac
	expect_log "efikexec-probe: done"
}

printf 'first boot: plant a non-volatile %s = 1, and a dry run to boot next\n' "$mok"
plant="efikexec.setvar=$mok=0700000001 efikexec.setvar=Boot0100-$global=$dry_option"
plant="$plant efikexec.setvar=BootNext-$global=070000000001"
plant="$plant efikexec.getvar=$driver_var"
boot_secure "$ROOT/build/test-driver.efi" "$plant"
expect_secure_boot
expect_probe cmdline "console=ttyS0 efikexec.entry=1-snakeoil-signed $plant"
expect_log "efikexec: warning: the firmware does not load driver '\\EFI\\systemd\\drivers\\test_x64.efi': Access Denied; the boot goes on without it"
expect_probe "getvar $driver_var" ""
expect_probe "setvar $mok" ok
expect_probe "setvar Boot0100-$global" ok
expect_probe "setvar BootNext-$global" ok
mv "$WORK/serial.txt" "$WORK/serial-first.txt"

printf 'second boot, same variables: the forgery must change nothing; the dry run measures nothing\n'
boot_secure "$WORK/driver-signed.efi" \
	"efikexec.getvar=$mok efikexec.getvar=$driver_var" "$(tpm_args)"
expect_secure_boot
# attributes NV|BS|RT, value 1: the forged variable was there all along
expect_probe "getvar $mok" 0700000001
expect_probe cmdline "console=ttyS0 efikexec.entry=1-snakeoil-signed efikexec.getvar=$mok efikexec.getvar=$driver_var"
# the signed driver ran: boot service and runtime access (6), "started"
expect_probe "getvar $driver_var" 0600000073746172746564
expect_no_log "does not load driver"
# the dry run, before the boot
expect_log "efikexec: dry run: Secure Boot is on, but the signature of kernel '\\signed' is not checked: the firmware would measure it into PCR 4"
expect_log "efikexec: error: cannot open initrd '\\missing.img'"
probe tpm_log | base64 -d > "$WORK/tpm.log"
"$ROOT/build/tools/tcglog" events "$WORK/tpm.log" > "$WORK/tpm-events.txt" ||
	fail "Linux's copy of the event log does not parse"
expect_probe pcr4 "$("$ROOT/build/tools/tcglog" replay "$WORK/tpm.log" 4)"
# EV_EFI_BOOT_SERVICES_APPLICATION events in PCR 4 with the Authenticode
# digest of the kernel (signed with the snakeoil key or by Debian: the
# same bytes); the firmware measures the image it verifies for efikexec
digest=$(osslsigncode verify -in "$WORK/signed" 2>/dev/null |
	sed -n 's/^Calculated message digest *: *\([0-9A-Fa-f]*\).*/\1/p' | tr 'A-F' 'a-f')
n=$(grep -c "^pcr=4 type=0x80000003 sha256=$digest " "$WORK/tpm-events.txt" || true)
if [ -n "$digest" ] && [ "$n" = 1 ]; then
	pass "PCR 4 measured the kernel once: $digest"
else
	fail "PCR 4 measured the kernel (Authenticode digest '$digest') $n times, not once"
fi
mv "$WORK/serial.txt" "$WORK/serial-second.txt"

# Unified kernel images are verified whole, as the PEs they are: an
# unsigned one (a Type #2 entry) is refused; one signed with the snakeoil
# key (a Type #1 entry's `uki`) boots with what it carries, the options
# the entry gives ignored with a warning (systemd-stub's rule).
printf 'third boot: unified kernel images, unsigned and signed\n'
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' ID=debian > "$WORK/os-release"
"$TOOLS/mkuki.sh" "$WORK/uki.efi" "$vmlinuz" "$WORK/initrd.img" \
	"console=ttyS0 efikexec.uki=signed" "$WORK/os-release"
sign "$WORK/uki.efi" "$WORK/uki-signed.efi"
printf '%s\n' "title Signed UKI" "uki /uki-signed.efi" "options efikexec.given=1" \
	> "$WORK/uki.conf"
VARS=$WORK/vars.fd EFIKEXEC=$WORK/efikexec.efi SECURE_BOOT=1 TIMEOUT=400 \
	firmware_boot EFI/Linux/unsigned.efi="$WORK/uki.efi" \
	uki-signed.efi="$WORK/uki-signed.efi" loader/entries/uki.conf="$WORK/uki.conf" \
	-- -smp 2 -m 1024
expect_log "efikexec: error: \\EFI\\Linux\\unsigned.efi: Secure Boot is on, and kernel '\\EFI\\Linux\\unsigned.efi' is not signed by a key the firmware trusts"
expect_log "efikexec: warning: Secure Boot is on: '/uki-signed.efi' boots with its own command line and initrds, the ones given are ignored"
expect_probe cmdline "console=ttyS0 efikexec.uki=signed"
expect_probe secureboot "Secure boot enabled"
expect_log "efikexec-probe: done"
finish
