#!/bin/sh
# The chain a distribution boots under Secure Boot: OVMF's Secure Boot
# build with the snakeoil keys in db starts Debian's shim (shim-unsigned,
# signed here with the snakeoil key) as \EFI\BOOT\BOOTX64.EFI; shim
# verifies, SBAT included, and starts efikexec.efi (signed with the same
# key) as grubx64.efi beside it; efikexec boots the BLS entries of the ESP
# and has shim verify each kernel (SHIM_LOCK's Verify()).
#
# The variable store holds a MokList before the first boot: the
# certificate of a key of this test's own, which only shim trusts. Four
# boots on it:
#   1. the entries: an unsigned kernel (refused, counting down to the
#      next) and a kernel signed with that key, trusted only through
#      MokList, which boots and reports Secure Boot on;
#   2. the entry of a kernel signed with the snakeoil key (db), which
#      boots the same way;
#   3. a boot option (BootNext) that starts shim with the load options
#      "\EFI\BOOT\grubx64.efi /unsigned": efikexec refuses the unsigned
#      kernel and returns, to shim, which reports it and returns to the
#      firmware;
#   4. efikexec with its .sbat section removed (and signed again): shim
#      refuses to start it, which shows that this chain reaches shim's
#      SBAT check (shim's SHIM_VERBOSE says why it refused).
# CHECK=1: boot 1 only.
. "$(dirname "$0")/lib.sh"

shim=/usr/lib/shim/shimx64.efi
[ -f "$shim" ] || fail "$shim is missing (package shim-unsigned, test/tools/deps.sh)"
vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
shim_guid=605dab50-e046-4300-abb6-3dd810dd8b23
global_guid=8be4df61-93ca-11d2-aa0d-00e098032b8c

# the snakeoil key OVMF enrolled in db, and a key of the test's own
openssl pkey -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil \
	-out "$WORK/snakeoil.key"
cp /usr/share/ovmf/PkKek-1-snakeoil.pem "$WORK/snakeoil.pem"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=efikexec test MOK" \
	-keyout "$WORK/mok.key" -out "$WORK/mok.pem" 2>/dev/null
openssl x509 -in "$WORK/mok.pem" -outform DER -out "$WORK/mok.der"
# sign KEY IN OUT: signed with $WORK/KEY.key and .pem
sign() {
	sbsign --key "$WORK/$1.key" --cert "$WORK/$1.pem" --output "$3" "$2" 2>/dev/null
}
sign snakeoil "$shim" "$WORK/shimx64.efi"
sign snakeoil "$ROOT/build/efikexec.efi" "$WORK/efikexec.efi"
cp "$vmlinuz" "$WORK/unsigned"
sbattach --remove "$WORK/unsigned"
sign snakeoil "$WORK/unsigned" "$WORK/db-signed"
sign mok "$WORK/unsigned" "$WORK/mok-signed"
objcopy --remove-section .sbat "$ROOT/build/efikexec.efi" "$WORK/nosbat.efi"
sign snakeoil "$WORK/nosbat.efi" "$WORK/efikexec-nosbat.efi"

# setvar NAME GUID ATTRIBUTES KIND ARG...: into the next boot's store
setvar() {
	"$TOOLS/ovmf-setvar.py" "$WORK/vars.fd" "$@"
}

# chain_boot SECOND_STAGE ENTRY...: a fresh variable store with the
# MokList (and what $EXTRA_VARS, a function, adds), shim as BOOTX64.EFI,
# SECOND_STAGE as grubx64.efi, the kernels, and an entry per
# NAME:KERNEL, each "linux /KERNEL"; boots it
chain_boot() {
	second=$1
	shift
	rm -rf "$WORK/entries"
	mkdir -p "$WORK/entries"
	files="EFI/BOOT/grubx64.efi=$second loader/loader.conf=$WORK/loader.conf"
	for e in "$@"; do
		printf '%s\n' "title ${e%%:*}" "linux /${e#*:}" "initrd /initrd.img" \
			"options console=ttyS0 efikexec.entry=${e%%:*}" > "$WORK/entries/${e%%:*}.conf"
		files="$files loader/entries/${e%%:*}.conf=$WORK/entries/${e%%:*}.conf"
	done
	for k in unsigned db-signed mok-signed initrd.img; do
		files="$files $k=$WORK/$k"
	done
	# shellcheck disable=SC2086
	EFIKEXEC=$WORK/shimx64.efi firmware_disk $files
	rm -f "$WORK/vars.fd"
	cp /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd "$WORK/vars.fd"
	setvar MokList "$shim_guid" 3 x509 "$WORK/mok.der"
	${EXTRA_VARS:-true}
	VARS=$WORK/vars.fd SECURE_BOOT=1 TIMEOUT=${TIMEOUT:-400} \
		run_qemu "$WORK/disk.img" -smp 2 -m 1024
}
printf '%s\n' "timeout 0" > "$WORK/loader.conf"

# expect_booted ENTRY: the kernel of that entry booted, Secure Boot on
expect_booted() {
	expect_log "efikexec: booting '$1' from \\loader\\entries\\$1.conf"
	expect_probe cmdline "console=ttyS0 efikexec.entry=$1"
	expect_probe secureboot "Secure boot enabled"
	expect_log "efikexec-probe: done"
}

unsigned_refused="Secure Boot is on, and kernel '/unsigned' is not signed by a key the firmware trusts"

printf 'first boot: an unsigned kernel, then one signed with a key in MokList\n'
chain_boot "$WORK/efikexec.efi" 2-unsigned:unsigned 1-mok-signed:mok-signed
expect_log "efikexec: error: \\loader\\entries\\2-unsigned.conf: $unsigned_refused"
expect_booted 1-mok-signed
[ "${CHECK:-0}" = 1 ] && finish && exit 0
mv "$WORK/serial.txt" "$WORK/serial-mok.txt"

printf 'second boot: a kernel signed with the key in db\n'
chain_boot "$WORK/efikexec.efi" 1-db-signed:db-signed
expect_booted 1-db-signed
mv "$WORK/serial.txt" "$WORK/serial-db.txt"

# shim, started with options naming its second stage and that stage's
# options, as a Boot#### whose optional data holds them (shim's
# load-options.c), at once (BootNext)
printf 'third boot: efikexec given an unsigned kernel returns to shim\n'
boot_option() {
	setvar Boot0100 "$global_guid" 7 load-option "shim chain" "$PARTUUID" 2048 \
		"$ESP_SECTORS" '\EFI\BOOT\BOOTX64.EFI' '\EFI\BOOT\grubx64.efi /unsigned'
	setvar BootNext "$global_guid" 7 u16 0x0100
}
EXTRA_VARS=boot_option UNTIL="start_image() returned" TIMEOUT=200 \
	chain_boot "$WORK/efikexec.efi"
expect_log "efikexec: error: $unsigned_refused"
# (shim's own report of what its second stage returned, after it)
if awk -v e="$unsigned_refused" 'index($0, e) { seen = 1 }
	seen && index($0, "start_image() returned") { found = 1 }
	END { exit !found }' "$WORK/serial.txt"; then
	pass "shim reports efikexec's return after its error"
else
	fail "no report from shim after efikexec's error"
fi
# and shim returned to the firmware's boot manager, its caller
expect_log 'BdsDxe: failed to start Boot0100 "shim chain"'
expect_no_log "efikexec-probe:"
mv "$WORK/serial.txt" "$WORK/serial-return.txt"

printf 'fourth boot: efikexec without .sbat\n'
verbose() { printf '\001' > "$WORK/one"; setvar SHIM_VERBOSE "$shim_guid" 3 file "$WORK/one"; }
EXTRA_VARS=verbose UNTIL="start_image() returned" TIMEOUT=200 \
	chain_boot "$WORK/efikexec-nosbat.efi" 1-db-signed:db-signed
# (SHIM_VERBOSE's lines: the signature is good, the missing .sbat is not)
expect_log "AuthenticodeVerify() succeeded"
expect_log "verify_sbat_section() No .sbat section data"
expect_log "Verification failed: Security Policy Violation"
expect_no_log "efikexec:"
finish
