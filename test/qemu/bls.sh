#!/bin/sh
# The firmware starts efikexec (\EFI\BOOT\BOOTX64.EFI, no shell, no
# countdown), which boots Debian's kernel from Boot Loader Specification
# entries laid out as kernel-install writes them. Of the entries, the
# newest version must come first (the older one names a kernel that is not
# there), the one for another architecture is left out, and the broken one
# is reported with its file and line. The kernel reports the command line
# it got (the entry's 'options' lines joined, then the SMBIOS OEM string
# io.systemd.boot.kernel-cmdline-extra, as systemd-boot 256 appends it to
# a `linux` entry's; not the stub's string: the kernel is no UKI), the
# Boot Loader Interface variables as efikexec set them, and, with a TPM
# (swtpm) attached, PCRs 8 and 9 and the event log: the log replayed
# gives the PCRs, and its events are the digests of the kernel, the
# initrd and the command line. Of systemd-boot's drop-in drivers
# (\EFI\systemd\drivers), efikexec must have started the test's
# (test/driver/), which sets a variable the kernel reads, and warned
# about one the firmware does not load, booting on. The entry's
# `devicetree` must be the firmware's devicetree table as the kernel finds
# the tables.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
version=$(sed 's/^linux-image-//' "$CACHE/linux-cloud-amd64/package")
mid=0d3a6e4f9c8b4b21a6c04e5b7f1d2c3e
e=$WORK/entries
mkdir -p "$e"
printf '%s\n' "timeout 0" "default *" > "$WORK/loader.conf"
entry() { # entry FILE VERSION [MORE LINES...]: an entry for Debian's kernel
	f=$1
	v=$2
	shift 2
	printf '%s\n' "# Boot Loader Specification type#1 entry" \
		"title      Debian GNU/Linux 12 (bookworm)" \
		"version    $v" "machine-id $mid" "sort-key   debian" \
		"options    console=ttyS0 panic=-1" \
		"linux      /$mid/$v/linux" "initrd     /$mid/$v/initrd.img.gz" \
		"$@" > "$e/$f"
}
driver_var=EfikexecTestDriver-3c1b4a53-5f06-4b0e-9d4c-7a2e8f1d6b90
entry newest.conf "$version" "options efikexec.entry=newest efikexec.getvar=$driver_var" \
	"devicetree /dtb/empty.dtb"
entry older.conf 6.1.0-0-cloud-amd64 "options efikexec.entry=older"
entry arm.conf "$version" "architecture aa64" "sort-key a"
printf '%s\n' "title Broken" "initrd" "linux /vmlinuz" > "$e/broken.conf"
printf 'no PE image' > "$WORK/brokenx64.efi"
# the devicetree dtc makes of "/ { };": header, empty reservation map,
# the root node
python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack(">10I", 0xd00dfeed, 72, 56, 72, 40, 17, 16, 0, 0, 16) + bytes(16) + struct.pack(">4I", 1, 0, 2, 9))' > "$WORK/empty.dtb"

firmware_boot "$mid/$version/linux=$vmlinuz" \
	"$mid/$version/initrd.img.gz=$WORK/initrd.img" \
	loader/loader.conf="$WORK/loader.conf" \
	"loader/entries/$mid-$version.conf=$e/newest.conf" \
	"loader/entries/$mid-6.1.0-0-cloud-amd64.conf=$e/older.conf" \
	"loader/entries/$mid-arm64.conf=$e/arm.conf" \
	loader/entries/broken.conf="$e/broken.conf" \
	EFI/systemd/drivers/test_x64.efi="$ROOT/build/test-driver.efi" \
	EFI/systemd/drivers/brokenx64.efi="$WORK/brokenx64.efi" \
	dtb/empty.dtb="$WORK/empty.dtb" \
	-- -smp 2 -m 1024 $(tpm_args) -smbios \
	"type=11,value=io.systemd.stub.kernel-cmdline-extra=efikexec.smbios=stub,value=io.systemd.boot.kernel-cmdline-extra=efikexec.smbios=boot"

expect_probe cmdline "console=ttyS0 panic=-1 efikexec.entry=newest efikexec.getvar=$driver_var efikexec.smbios=boot"
# boot service and runtime access (6), then "started"
expect_probe "getvar $driver_var" 0600000073746172746564
# EFI_DTB_TABLE_GUID b1b621d5-f19c-41a5-830b-d9152c69aae0 as it lies in memory
case " $(probe efi_tables) " in
*" d521b6b19cf1a541830bd9152c69aae0 "*) pass "the devicetree is a configuration table" ;;
*) fail "no devicetree among the configuration tables '$(probe efi_tables)'" ;;
esac
expect_log "efikexec: warning: the firmware does not load driver '\\EFI\\systemd\\drivers\\brokenx64.efi': "
expect_log 'efikexec: warning: \loader\entries\broken.conf:2: '"'initrd' needs a value; the entry cannot boot"
expect_no_log "efikexec: error"
expect_no_log "Shell>"
expect_no_log "efikexec: Up/Down choose"
newest=$mid-$version.conf
# OVMF reboots into its setup on request: systemd-boot's entry for that comes last
expect_probe "bli LoaderEntries" "$newest|$mid-6.1.0-0-cloud-amd64.conf|auto-reboot-to-firmware-setup"
expect_probe "bli LoaderEntrySelected" "$newest"
expect_probe "bli LoaderDevicePartUUID" "$PARTUUID"
expect_probe "bli LoaderImageIdentifier" '\EFI\BOOT\BOOTX64.EFI'
expect_probe "bli LoaderInfo" "efikexec 0.1"
expect_probe "bli LoaderFirmwareType" "UEFI 2.70"
expect_probe "bli LoaderFirmwareInfo" "EDK II 1.00"
# timeouts, one-shot timeouts, default and one-shot entries, boot
# counting, XBOOTLDR, the random seed, drivers, sort-key, @saved,
# devicetree, menu-disabled, the network boot URL, Type #1 `uki` and
# `uki-url`
expect_probe "bli LoaderFeatures" 0x000000000003e7ff
init=$(probe "bli LoaderTimeInitUSec")
exec=$(probe "bli LoaderTimeExecUSec")
if [ "${init:-0}" -gt 0 ] && [ "${exec:-0}" -gt "${init:-0}" ]; then
	pass "LoaderTimeInitUSec $init < LoaderTimeExecUSec $exec"
else
	fail "LoaderTimeInitUSec '$init', LoaderTimeExecUSec '$exec'"
fi
# Measured boot: PCR 9 the files, PCR 8 the command line (docs/bls.md)
tcglog=$ROOT/build/tools/tcglog
probe tpm_log | base64 -d > "$WORK/tpm.log"
"$tcglog" events "$WORK/tpm.log" > "$WORK/tpm-events.txt" ||
	fail "Linux's copy of the event log does not parse"
sum() { sha256sum "$1" | cut -c1-64; }
kernel_sum=$(sum "$vmlinuz")
initrd_sum=$(sum "$WORK/initrd.img")
cmdline="console=ttyS0 panic=-1 efikexec.entry=newest efikexec.getvar=$driver_var efikexec.smbios=boot"
cmdline_sum=$(printf '%s' "$cmdline" | sha256sum | cut -c1-64)
for want in "pcr=9 type=0xd sha256=$kernel_sum data=/$mid/$version/linux" \
	"pcr=9 type=0xd sha256=$initrd_sum data=/$mid/$version/initrd.img.gz" \
	"pcr=8 type=0xd sha256=$cmdline_sum data=kernel_cmdline: $cmdline"; do
	if grep -qxF -- "$want" "$WORK/tpm-events.txt"; then pass "event log: $want"; else fail "event log lacks '$want'"; fi
done
expect_probe pcr9 "$("$tcglog" extend "$kernel_sum" "$initrd_sum")"
expect_probe pcr8 "$("$tcglog" extend "$cmdline_sum")"
for p in 8 9; do
	expect_probe "pcr$p" "$("$tcglog" replay "$WORK/tpm.log" "$p")"
done
expect_log "efikexec-probe: done"
finish
