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

# boot_secure OPTIONS: boots the four entries on the variable store kept
# in $WORK/vars.fd, the signed kernel with OPTIONS added
boot_secure() {
	mkdir -p "$WORK/entries"
	printf '%s\n' "title Multiboot probe" "efikexec-kernel /probe.elf" > "$WORK/entries/4-multiboot.conf"
	for e in 3-unsigned:unsigned 2-debian-signed:vmlinuz 1-snakeoil-signed:signed; do
		printf '%s\n' "title ${e%%:*}" "linux /${e#*:}" "initrd /initrd.img" \
			"options console=ttyS0 efikexec.entry=${e%%:*}" > "$WORK/entries/${e%%:*}.conf"
	done
	echo "options $1" >> "$WORK/entries/1-snakeoil-signed.conf"
	files="probe.elf=$ROOT/build/probe/multiboot2.elf vmlinuz=$vmlinuz"
	files="$files unsigned=$WORK/unsigned signed=$WORK/signed initrd.img=$WORK/initrd.img"
	for f in "$WORK"/entries/*.conf; do
		files="$files loader/entries/$(basename "$f")=$f"
	done
	# shellcheck disable=SC2086
	VARS=$WORK/vars.fd EFIKEXEC=$WORK/efikexec.efi SECURE_BOOT=1 TIMEOUT=400 \
		firmware_boot $files -- -smp 2 -m 1024
}

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

printf 'first boot: plant a non-volatile %s = 1\n' "$mok"
boot_secure "efikexec.setvar=$mok=0700000001"
expect_secure_boot
expect_probe cmdline "console=ttyS0 efikexec.entry=1-snakeoil-signed efikexec.setvar=$mok=0700000001"
expect_probe "setvar $mok" ok
mv "$WORK/serial.txt" "$WORK/serial-first.txt"

printf 'second boot, same variables: the forgery must change nothing\n'
boot_secure "efikexec.getvar=$mok"
expect_secure_boot
# attributes NV|BS|RT, value 1: the forged variable was there all along
expect_probe "getvar $mok" 0700000001
expect_probe cmdline "console=ttyS0 efikexec.entry=1-snakeoil-signed efikexec.getvar=$mok"
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
