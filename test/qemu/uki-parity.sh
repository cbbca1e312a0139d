#!/bin/sh
# Measured boot of a unified kernel image equal to its own stub's
# (docs/bls.md, "What each systemd-stub release does"), on two releases:
# Debian 12's systemd-stub 252 and bookworm-backports' 254 (fetched into
# the cache; skipped, saying so, when the archive cannot be reached).
#
# The same sections on each stub: .osrel, .cmdline, .uname, a .ucode (a
# cpio holding /payload/ucode.bin, which the booted init reports if it
# gets it), .linux and .initrd, and the stub's own .sbat. Each image is
# booted twice from the shell with the same command line given, each time
# on a fresh TPM (swtpm): by its own stub, then by efikexec. Both boots
# must give the same PCRs 11, 12 and 13, the same events in them (digests
# and event data byte for byte), the same StubPcr* variables and the same
# kernel command line; PCR 11 must be what the release measures (252:
# .linux .osrel .cmdline .initrd; 254: and .uname .sbat), PCR 12 the given
# line in UTF-16 with its NUL; and neither release loads the .ucode.
. "$(dirname "$0")/lib.sh"

tcglog=$ROOT/build/tools/tcglog
vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' 'ID=debian' \
	'VERSION_ID="12"' > "$WORK/os-release"
printf '6.1.0-parity-cloud-amd64' > "$WORK/uname"
mkdir -p "$WORK/ucode/payload"
printf 'not microcode\n' > "$WORK/ucode/payload/ucode.bin"
(cd "$WORK/ucode" && find . | sort | cpio -o -H newc --quiet) > "$WORK/ucode.cpio"
embedded="console=ttyS0 panic=-1 efikexec.uki=embedded"
given="console=ttyS0 panic=-1 efikexec.uki=given"
given_sum=$({ printf '%s' "$given" | iconv -t UTF-16LE; printf '\0\0'; } | sha256sum | cut -c1-64)

# section_sums UKI NAME...: the digests a stub extends into PCR 11 for
# each section, in order: of its name with the NUL, then of its contents
section_sums() {
	uki=$1
	shift
	for s in "$@"; do
		printf '%s\0' "$s" | sha256sum | cut -c1-64
		objcopy -O binary --only-section="$s" "$uki" "$WORK/section"
		sha256sum < "$WORK/section" | cut -c1-64
	done
}

# boot_as LABEL HOW LINE: boots $WORK/LABEL.efi from the shell as
# \debian.efi with LINE, on a fresh TPM; keeps what the kernel reported
# in LABEL-HOW.*
boot_as() {
	startup "fs0:" "$3" "echo returned %lasterror%"
	boot debian.efi="$WORK/$1.efi" -- -smp 2 -m 1024 $(tpm_args)
	for key in cmdline pcr11 pcr12 pcr13 "bli StubPcrKernelImage" \
		"bli StubPcrKernelParameters"; do
		printf '%s=%s\n' "$key" "$(probe "$key")"
	done > "$WORK/$1-$2.probes"
	probe tpm_log | base64 -d > "$WORK/$1-$2.log"
	"$tcglog" raw "$WORK/$1-$2.log" | grep -E '^pcr=(11|12|13) ' > "$WORK/$1-$2.events" || true
	expect_log "efikexec-probe: done"
	expect_no_log "efikexec-probe: payload ucode.bin"
	cp "$WORK/serial.txt" "$WORK/serial-$1-$2.txt"
}

# parity LABEL STUB SECTION...: the image on STUB, booted by it and by
# efikexec; SECTION... what the release measures into PCR 11, in order
parity() {
	label=$1 stub=$2
	shift 2
	STUB=$stub "$TOOLS/mkuki.sh" "$WORK/$label.efi" "$vmlinuz" "$WORK/initrd.img" \
		"$embedded" "$WORK/os-release" .uname="$WORK/uname" .ucode="$WORK/ucode.cpio"
	# shellcheck disable=SC2046
	pcr11=$("$tcglog" extend $(section_sums "$WORK/$label.efi" "$@"))
	pcr12=$("$tcglog" extend "$given_sum")

	echo "  $label: booted by its stub"
	boot_as "$label" stub "debian.efi $given"
	echo "  $label: booted by efikexec"
	boot_as "$label" efikexec "efikexec.efi \\debian.efi $given"
	expect_log "efikexec: measured"

	got=$(sed -n 's/^pcr11=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr11" ]; then pass "$label: its stub's PCR 11 is $*"; else fail "$label: its stub's PCR 11 is $got, want $pcr11 ($*)"; fi
	got=$(sed -n 's/^pcr12=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr12" ]; then pass "$label: its stub's PCR 12 is the given line"; else fail "$label: its stub's PCR 12 is $got, want $pcr12"; fi
	if cmp -s "$WORK/$label-stub.probes" "$WORK/$label-efikexec.probes"; then
		pass "$label: same PCRs 11, 12, 13, StubPcr* variables and command line: $(tr '\n' ' ' < "$WORK/$label-efikexec.probes")"
	else
		fail "$label: the stub and efikexec differ: $(diff "$WORK/$label-stub.probes" "$WORK/$label-efikexec.probes" | grep '^[<>]' | tr '\n' ' ')"
	fi
	if [ -s "$WORK/$label-stub.events" ] &&
		cmp -s "$WORK/$label-stub.events" "$WORK/$label-efikexec.events"; then
		pass "$label: the same $(wc -l < "$WORK/$label-stub.events") events in PCRs 11, 12, 13, event data and all"
	else
		fail "$label: the events in PCRs 11, 12, 13 differ (< stub, > efikexec): $(diff "$WORK/$label-stub.events" "$WORK/$label-efikexec.events" | grep '^[<>]' | cut -c1-200 | tr '\n' ' ')"
	fi
}

parity 252 /usr/lib/systemd/boot/efi/linuxx64.efi.stub .linux .osrel .cmdline .initrd

rc=0
"$TOOLS/fetch-stub.sh" bookworm-backports 254 "$CACHE/systemd-stub-254" || rc=$?
if [ "$rc" = 2 ]; then
	echo "  SKIP 254: bookworm-backports cannot be reached for its systemd-boot-efi"
elif [ "$rc" != 0 ]; then
	fail "254: no systemd-stub 254 from bookworm-backports"
else
	parity 254 "$CACHE/systemd-stub-254/linuxx64.efi.stub" \
		.linux .osrel .cmdline .initrd .uname .sbat
fi
finish
