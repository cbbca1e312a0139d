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
# .linux .osrel .cmdline .initrd .pcrpkey; 254: .uname .sbat before
# .pcrpkey); and neither release loads the .ucode.
#
# With the sidecars the stub hands the initrd under /.extra: the image
# carries a .pcrsig and a .pcrpkey, the ESP a credential, a system
# extension and a configuration extension in \debian.efi.extra.d (and a
# file neither takes) and a credential in \loader\credentials. The
# initramfs must see each (path, mode, size, digest) under the stub as
# its sources say, and the same tree under efikexec. PCR 12 must be the
# given line in UTF-16 with its NUL, then the archive of the image's
# credentials and that of the global ones, PCR 13 the archive of the
# system extensions (both releases take *.confext.raw for one), each
# archive as test/tools/mkextracpio.py writes it from the stub's cpio.c.
#
# With what 254 appends to the command line: add-ons made from its add-on
# stub (addonx64.efi.stub), one in \loader\addons, one in
# \debian.efi.extra.d and one there for another kernel (.uname), and the
# SMBIOS OEM string io.systemd.stub.kernel-cmdline-extra on QEMU's command
# line. 254 must boot the given line, the global add-on's and the image's
# add-on's, then the SMBIOS string, and measure each into PCR 12 before
# the credentials; 252 takes none of them, and neither does efikexec for
# it. Both boots must also leave the same StubInfo and StubFeatures. The
# image's add-on also has a .dtb (an empty devicetree), and both add-ons
# a .ucode, the image's an .initrd too, archives with a file of their own
# and one file of the same name in each, none of which 254 takes.
#
# And a multi-profile image on trixie's systemd-stub 257 (fetched, skipped
# when the archive cannot be reached): the sections above, then two
# profiles (.profile), the second with a .cmdline of its own, booted as
# "@1" by the stub from the shell, and by efikexec from its menu, where
# the image in \EFI\Linux is an entry for each profile, titled and named
# as systemd-boot 257 names them, the second the default. The stub must
# boot the second profile's .cmdline (and what it appends), measure that
# profile into PCR 12 and into PCR 11 the base's sections with that
# .cmdline and that .profile, and the image's add-on's .dtb into PCR 12
# (a tagged event named by its file, after the SMBIOS line), then the
# add-ons' .ucode (the image's add-on's first) and the .initrd, each a
# tagged event, and hand the kernel the files of all three, the .initrd's
# unpacked last; efikexec must leave the same PCRs, events, /.extra,
# Stub* variables, command line and files from the add-ons.
. "$(dirname "$0")/lib.sh"

tcglog=$ROOT/build/tools/tcglog
vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
printf '%s\n' 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' 'ID=debian' \
	'VERSION_ID="12"' > "$WORK/os-release"
printf '6.1.0-parity-cloud-amd64' > "$WORK/uname"
printf '{"sha256":[{"pcrs":[11],"pkfp":"00","pol":"00","sig":"00"}]}\n' > "$WORK/pcrsig.json"
printf -- '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA0000000000000000000000000000000000000000000=\n-----END PUBLIC KEY-----\n' > "$WORK/pcrpkey.pem"
printf 'a credential\n' > "$WORK/local.cred"
printf 'a global credential\n' > "$WORK/global.cred"
head -c 5000 /dev/urandom > "$WORK/test.raw"
printf 'not a configuration extension\n' > "$WORK/etc.confext.raw"
sidecars="debian.efi.extra.d/local.cred=$WORK/local.cred
debian.efi.extra.d/test.raw=$WORK/test.raw
debian.efi.extra.d/etc.confext.raw=$WORK/etc.confext.raw
debian.efi.extra.d/ignored.txt=$WORK/local.cred
loader/credentials/global.cred=$WORK/global.cred"

# the add-ons, when bookworm-backports' systemd-boot-efi 254 can be had
rc254=0
"$TOOLS/fetch-stub.sh" bookworm-backports 254 "$CACHE/systemd-stub-254" || rc254=$?
addon_global="efikexec.addon=global"
addon_local="efikexec.addon=local"
smbios="efikexec.smbios=1"
if [ "$rc254" = 0 ]; then
	printf '5.10.0-other' > "$WORK/other-uname"
	# archives for the add-ons' .initrd and .ucode, which only 257
	# takes: each holds /payload/addon-order.txt, of which the booted
	# init sees the last one unpacked, and a file of its own
	payload_cpio() { # payload_cpio NAME FILE ORDER
		rm -rf "$WORK/cpio"
		mkdir -p "$WORK/cpio/payload"
		printf '%s\n' "$1" > "$WORK/cpio/payload/$2"
		printf '%s\n' "$3" > "$WORK/cpio/payload/addon-order.txt"
		(cd "$WORK/cpio" && find . | sort | cpio -o -H newc --quiet) > "$WORK/$1.cpio"
	}
	payload_cpio global-ucode global-ucode.bin "the global add-on's .ucode"
	payload_cpio local-ucode local-ucode.bin "the image's add-on's .ucode"
	payload_cpio local-initrd local-initrd.bin "the image's add-on's .initrd"
	# (with a tab at its end, which 254 cleans off its directory's
	# line and 257 off the add-on's before joining it to the next, but
	# 255 and 256 would turn into a space between them)
	STUB=$CACHE/systemd-stub-254/addonx64.efi.stub "$TOOLS/mkaddon.sh" \
		"$WORK/global.addon.efi" "$(printf '%s\t' "$addon_global")" \
		.ucode="$WORK/global-ucode.cpio"
	# (the newline at its end the stub cleans off; its devicetree, an
	# empty one, only 255 on take)
	python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack(">10I", 0xd00dfeed, 72, 56, 72, 40, 17, 16, 0, 0, 16) + bytes(16) + struct.pack(">4I", 1, 0, 2, 9))' > "$WORK/addon.dtb"
	STUB=$CACHE/systemd-stub-254/addonx64.efi.stub "$TOOLS/mkaddon.sh" \
		"$WORK/local.addon.efi" "$addon_local
" .dtb="$WORK/addon.dtb" .initrd="$WORK/local-initrd.cpio" \
		.ucode="$WORK/local-ucode.cpio"
	STUB=$CACHE/systemd-stub-254/addonx64.efi.stub "$TOOLS/mkaddon.sh" \
		"$WORK/other.addon.efi" "efikexec.addon=other-kernel" \
		.uname="$WORK/other-uname"
	sidecars="$sidecars
loader/addons/global.addon.efi=$WORK/global.addon.efi
debian.efi.extra.d/local.addon.efi=$WORK/local.addon.efi
debian.efi.extra.d/other.addon.efi=$WORK/other.addon.efi"
fi
# what the stub must hand the initrd: each directory's mode, each file's
# mode, size and digest, in the initramfs's order (sorted paths)
extra_line() { # extra_line PATH MODE FILE
	printf 'extra %s %s %s %s\n' "$1" "$2" "$(stat -c %s "$3")" \
		"$(sha256sum < "$3" | cut -c1-64)"
}
{
	echo "extra /.extra dir 555"
	echo "extra /.extra/credentials dir 500"
	extra_line /.extra/credentials/local.cred 400 "$WORK/local.cred"
	echo "extra /.extra/global_credentials dir 500"
	extra_line /.extra/global_credentials/global.cred 400 "$WORK/global.cred"
	echo "extra /.extra/sysext dir 555"
	extra_line /.extra/sysext/etc.confext.raw 444 "$WORK/etc.confext.raw"
	extra_line /.extra/sysext/test.raw 444 "$WORK/test.raw"
	extra_line /.extra/tpm2-pcr-public-key.pem 444 "$WORK/pcrpkey.pem"
	extra_line /.extra/tpm2-pcr-signature.json 444 "$WORK/pcrsig.json"
} > "$WORK/extra.want"
mkdir -p "$WORK/ucode/payload"
printf 'not microcode\n' > "$WORK/ucode/payload/ucode.bin"
(cd "$WORK/ucode" && find . | sort | cpio -o -H newc --quiet) > "$WORK/ucode.cpio"
embedded="console=ttyS0 panic=-1 efikexec.uki=embedded"
given="console=ttyS0 panic=-1 efikexec.uki=given"
# a line as the stub measures load options: UTF-16 with its NUL
line_sum() {
	{ printf '%s' "$1" | iconv -t UTF-16LE; printf '\0\0'; } | sha256sum | cut -c1-64
}
given_sum=$(line_sum "$given")
# the archives the stub measures, after the given line: the credentials
# into PCR 12, the system extensions into PCR 13
archive_sum() { # archive_sum DIR DIR_MODE FILE_MODE NAME=FILE...
	python3 "$TOOLS/mkextracpio.py" "$@" | sha256sum | cut -c1-64
}
creds_sum=$(archive_sum .extra/credentials 500 400 local.cred="$WORK/local.cred")
global_sum=$(archive_sum .extra/global_credentials 500 400 global.cred="$WORK/global.cred")
sysext_sum=$(archive_sum .extra/sysext 555 444 test.raw="$WORK/test.raw" \
	etc.confext.raw="$WORK/etc.confext.raw")

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

# file_sums NAME=FILE...: the same, for sections holding those files
file_sums() {
	for s in "$@"; do
		printf '%s\0' "${s%%=*}" | sha256sum | cut -c1-64
		sha256sum < "${s#*=}" | cut -c1-64
	done
}

# boot_as LABEL HOW LINE: boots $WORK/LABEL.efi from the shell as
# \debian.efi with LINE, on a fresh TPM; keeps what the kernel reported
# in LABEL-HOW.*
boot_as() {
	startup "fs0:" "$3" "echo returned %lasterror%"
	# shellcheck disable=SC2086,SC2046
	boot debian.efi="$WORK/$1.efi" $sidecars -- -smp 2 -m 1024 $(tpm_args) \
		-smbios "type=11,value=io.systemd.stub.kernel-cmdline-extra=$smbios"
	for key in cmdline pcr11 pcr12 pcr13 "bli StubPcrKernelImage" \
		"bli StubPcrKernelParameters" "bli StubPcrInitRDSysExts" \
		"bli StubInfo" "bli StubFeatures" "bli StubProfile" \
		"bli StubDevicePartUUID" "bli StubImageIdentifier"; do
		printf '%s=%s\n' "$key" "$(probe "$key")"
	done > "$WORK/$1-$2.probes"
	sed -n 's/^efikexec-probe: \(extra .*\)/\1/p' "$WORK/serial.txt" | tr -d '\r' > "$WORK/$1-$2.extra"
	sed -n 's/^efikexec-probe: \(payload .*\)/\1/p' "$WORK/serial.txt" > "$WORK/$1-$2.payload"
	probe tpm_log | base64 -d > "$WORK/$1-$2.log"
	"$tcglog" raw "$WORK/$1-$2.log" | grep -E '^pcr=(11|12|13) ' > "$WORK/$1-$2.events" || true
	expect_log "efikexec-probe: done"
	expect_no_log "efikexec-probe: payload ucode.bin"
	cp "$WORK/serial.txt" "$WORK/serial-$1-$2.txt"
}

# both_same LABEL KIND WHAT: the stub's boot and efikexec's reported the
# same (LABEL-stub.KIND and LABEL-efikexec.KIND, not empty), WHAT says what
both_same() {
	a=$WORK/$1-stub.$2
	b=$WORK/$1-efikexec.$2
	if [ -s "$a" ] && cmp -s "$a" "$b"; then
		pass "$1: the same $3 under efikexec ($(grep -c . "$a") lines)"
	else
		fail "$1: $3 differ (< stub, > efikexec): $(diff "$a" "$b" | grep '^[<>]' | cut -c1-200 | tr '\n' ' ')"
	fi
}

# parity LABEL STUB APPENDED SECTION...: the image on STUB, booted by it
# and by efikexec; APPENDED the lines the release appends to the given
# one, each measured into PCR 12 after it ("|" between them); SECTION...
# what it measures into PCR 11, in order
parity() {
	label=$1 stub=$2 appended=$3
	shift 3
	STUB=$stub "$TOOLS/mkuki.sh" "$WORK/$label.efi" "$vmlinuz" "$WORK/initrd.img" \
		"$embedded" "$WORK/os-release" .uname="$WORK/uname" .ucode="$WORK/ucode.cpio" \
		.pcrsig="$WORK/pcrsig.json" .pcrpkey="$WORK/pcrpkey.pem"
	# shellcheck disable=SC2046
	pcr11=$("$tcglog" extend $(section_sums "$WORK/$label.efi" "$@"))
	want_cmdline=$given appended_sums=""
	if [ -n "$appended" ]; then
		want_cmdline="$given $(printf '%s' "$appended" | tr '|' ' ')"
		appended_sums=$(printf '%s\n' "$appended" | tr '|' '\n' |
			while IFS= read -r l; do line_sum "$l"; done)
	fi
	# shellcheck disable=SC2086
	pcr12=$("$tcglog" extend "$given_sum" $appended_sums "$creds_sum" "$global_sum")
	pcr13=$("$tcglog" extend "$sysext_sum")

	echo "  $label: booted by its stub"
	boot_as "$label" stub "debian.efi $given"
	echo "  $label: booted by efikexec"
	boot_as "$label" efikexec "efikexec.efi \\debian.efi $given"
	expect_log "efikexec: measured"

	got=$(sed -n 's/^pcr11=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr11" ]; then pass "$label: its stub's PCR 11 is $*"; else fail "$label: its stub's PCR 11 is $got, want $pcr11 ($*)"; fi
	got=$(sed -n 's/^pcr12=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr12" ]; then pass "$label: its stub's PCR 12 is the given line, ${appended:+the lines it appends, }then the credentials' archives"; else fail "$label: its stub's PCR 12 is $got, want $pcr12"; fi
	got=$(sed -n 's/^cmdline=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$want_cmdline" ]; then pass "$label: its stub boots '$got'"; else fail "$label: its stub boots '$got', want '$want_cmdline'"; fi
	if [ -n "$appended" ]; then
		if grep -q "add-on '.*other.addon.efi' is for another kernel" "$WORK/serial-$label-efikexec.txt"; then
			pass "$label: efikexec leaves out the add-on for another kernel, and says so"
		else
			fail "$label: efikexec did not say it left out other.addon.efi"
		fi
	fi
	got=$(sed -n 's/^pcr13=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr13" ]; then pass "$label: its stub's PCR 13 is the system extensions' archive"; else fail "$label: its stub's PCR 13 is $got, want $pcr13"; fi
	both_same "$label" probes "PCRs 11, 12, 13, Stub* variables and command line"
	if cmp -s "$WORK/extra.want" "$WORK/$label-stub.extra"; then
		pass "$label: its stub hands the initrd /.extra as the stub's sources say: $(grep -c . "$WORK/extra.want") paths, modes, sizes and digests"
	else
		fail "$label: its stub's /.extra differs from what its sources say (< want, > got): $(diff "$WORK/extra.want" "$WORK/$label-stub.extra" | grep '^[<>]' | cut -c1-120 | tr '\n' ' ')"
	fi
	both_same "$label" extra "/.extra (paths, modes, sizes, digests)"
	both_same "$label" events "events in PCRs 11, 12, 13, event data and all"
	for how in stub efikexec; do
		if grep -q addon-order "$WORK/$label-$how.payload"; then
			fail "$label: $how: the add-ons' .initrd or .ucode reached the initrd: $(tr '\n' ' ' < "$WORK/$label-$how.payload")"
		else
			pass "$label: $how: the add-ons' .initrd and .ucode are not taken"
		fi
	done
}

# 252: no add-ons, no SMBIOS line
parity 252 /usr/lib/systemd/boot/efi/linuxx64.efi.stub "" \
	.linux .osrel .cmdline .initrd .pcrpkey

if [ "$rc254" = 2 ]; then
	echo "  SKIP 254: bookworm-backports cannot be reached for its systemd-boot-efi"
elif [ "$rc254" != 0 ]; then
	fail "254: no systemd-stub 254 from bookworm-backports"
else
	# the global add-on's line, the image's (not the other kernel's),
	# each measured on its own, then the SMBIOS string
	parity 254 "$CACHE/systemd-stub-254/linuxx64.efi.stub" \
		"$addon_global|$addon_local|$smbios" \
		.linux .osrel .cmdline .initrd .uname .sbat .pcrpkey
fi

# tagged TAG NAME FILE: the line of the event by which 257 measures FILE,
# a section of the add-on NAME, into PCR 12: a tagged event (TAG's bytes
# as they stand in it, then the size of NAME in UTF-16 with its NUL, then
# that)
tagged() {
	size=$(printf '%08x' $(( (${#2} + 1) * 2 )) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
	name=$({ printf '%s' "$2" | iconv -t UTF-16LE; printf '\0\0'; } | od -An -tx1 | tr -d ' \n')
	printf 'pcr=12 type=0x6 sha256=%s data=%s%s%s\n' \
		"$(sha256sum < "$3" | cut -c1-64)" "$1" "$size" "$name"
}

# profiles LABEL STUB: the multi-profile image on STUB, its second
# profile booted by it and by efikexec
profiles() {
	label=$1 stub=$2
	printf 'ID=default\nTITLE=Default\n' > "$WORK/profile0"
	printf 'ID=rescue\nTITLE=Rescue\n' > "$WORK/profile1"
	printf '%s' "console=ttyS0 panic=-1 efikexec.uki=profile1" > "$WORK/cmdline1"
	printf '%s' "$embedded" > "$WORK/cmdline0"
	"$TOOLS/add-sections.sh" "$stub" "$WORK/$label.efi" .osrel="$WORK/os-release" \
		.cmdline="$WORK/cmdline0" .uname="$WORK/uname" .linux="$vmlinuz" \
		.initrd="$WORK/initrd.img" .profile="$WORK/profile0" \
		.profile="$WORK/profile1" .cmdline="$WORK/cmdline1"
	# 257's order: the base's, the profile's .cmdline and .profile
	# in their places
	# shellcheck disable=SC2046
	pcr11=$("$tcglog" extend $(file_sums .linux="$vmlinuz" \
		.osrel="$WORK/os-release" .cmdline="$WORK/cmdline1" \
		.initrd="$WORK/initrd.img" .uname="$WORK/uname") \
		$(section_sums "$WORK/$label.efi" .sbat) \
		$(file_sums .profile="$WORK/profile1"))
	want_cmdline="$(cat "$WORK/cmdline1")"
	[ "$rc254" = 0 ] && want_cmdline="$want_cmdline $addon_global $addon_local"
	want_cmdline="$want_cmdline $smbios"

	echo "  $label: profile 1 booted by its stub"
	boot_as "$label" stub "debian.efi @1"
	# efikexec from its menu: the image in \EFI\Linux, listed once for
	# each profile, the second the default by its id
	echo "  $label: profile 1 booted by efikexec, from its menu"
	printf 'timeout 0\ndefault debian.efi@rescue\n' > "$WORK/loader.conf"
	saved=$sidecars
	sidecars="$sidecars
EFI/Linux/debian.efi=$WORK/$label.efi
loader/loader.conf=$WORK/loader.conf
$(printf '%s\n' "$saved" | sed -n 's|^debian.efi.extra.d/|EFI/Linux/debian.efi.extra.d/|p')"
	boot_as "$label" efikexec "efikexec.efi"
	sidecars=$saved
	title="Debian GNU/Linux 12 (bookworm) (Rescue)"
	if grep -q "efikexec: booting '$title' from " "$WORK/serial-$label-efikexec.txt" &&
		grep -q "efikexec-probe: bli LoaderEntrySelected=debian.efi@rescue" "$WORK/serial-$label-efikexec.txt"; then
		pass "$label: efikexec lists profile 1 as systemd-boot 257 does: '$title', id debian.efi@rescue"
	else
		fail "$label: efikexec did not boot '$title' (debian.efi@rescue) from its menu"
	fi

	got=$(sed -n 's/^pcr11=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$pcr11" ]; then pass "$label: its stub's PCR 11 is the base's sections with profile 1's .cmdline and .profile"; else fail "$label: its stub's PCR 11 is $got, want $pcr11"; fi
	got=$(sed -n 's/^cmdline=//p' "$WORK/$label-stub.probes")
	if [ "$got" = "$want_cmdline" ]; then pass "$label: its stub boots profile 1's line: '$got'"; else fail "$label: its stub boots '$got', want '$want_cmdline'"; fi
	# the profile, as a tagged event (0x13aed6db, 4 bytes: "1" in
	# UTF-16 with its NUL) into PCR 12
	if grep -q '^pcr=12 type=0x6 .* data=dbd6ae130400000031000000$' "$WORK/$label-stub.events"; then
		pass "$label: its stub measures profile 1 into PCR 12, a tagged event"
	else
		fail "$label: its stub measured no tagged event for profile 1 into PCR 12"
	fi
	# the image's add-on's devicetree, as a tagged event (0x6c46f751,
	# 32 bytes: its file name in UTF-16 with the NUL) into PCR 12
	if [ "$rc254" = 0 ]; then
		want=$(tagged 51f7466c local.addon.efi "$WORK/addon.dtb")
		if grep -qx "$want" "$WORK/$label-stub.events"; then
			pass "$label: its stub measures the .dtb of local.addon.efi into PCR 12, a tagged event"
		else
			fail "$label: its stub measured no tagged event for the .dtb of local.addon.efi into PCR 12"
		fi
		if grep -q "add-on '.*local.addon.efi': its .dtb is measured, not installed" "$WORK/serial-$label-efikexec.txt"; then
			pass "$label: efikexec says it measures the add-on's .dtb but does not install it"
		else
			fail "$label: efikexec did not say that it does not install the add-on's .dtb"
		fi
		# the add-ons' .ucode (0xdac08e1a) first, the image's add-on's
		# before the global one's, then its .initrd (0x49dffe0f), each a
		# tagged event named by its file into PCR 12; the .initrd
		# unpacked last
		{
			tagged 1a8ec0da local.addon.efi "$WORK/local-ucode.cpio"
			tagged 1a8ec0da global.addon.efi "$WORK/global-ucode.cpio"
			tagged 0ffedf49 local.addon.efi "$WORK/local-initrd.cpio"
		} > "$WORK/addon-parts.want"
		grep -e '=1a8ec0da' -e '=0ffedf49' "$WORK/$label-stub.events" > "$WORK/addon-parts.got" || true
		if cmp -s "$WORK/addon-parts.want" "$WORK/addon-parts.got"; then
			pass "$label: its stub measures the add-ons' .ucode, the image's add-on's first, then its .initrd, tagged events into PCR 12"
		else
			fail "$label: its stub's tagged events for the add-ons' .ucode and .initrd differ (< want, > got): $(diff "$WORK/addon-parts.want" "$WORK/addon-parts.got" | grep '^[<>]' | cut -c1-160 | tr '\n' ' ')"
		fi
		order=$(printf "the image's add-on's .initrd\n" | sha256sum | cut -c1-64)
		missing=""
		for f in global-ucode.bin local-ucode.bin local-initrd.bin "addon-order.txt sha256=$order"; do
			grep -q "^payload $f" "$WORK/$label-stub.payload" || missing="$missing '$f'"
		done
		if [ -z "$missing" ]; then
			pass "$label: its stub hands the kernel the add-ons' .ucode and .initrd, the .initrd unpacked last"
		else
			fail "$label: its stub's initrd lacks /payload/:$missing (of the add-ons' .ucode and .initrd, the .initrd unpacked last)"
		fi
		both_same "$label" payload "files from the add-ons' .ucode and .initrd"
	fi
	# StubFeatures but for the bit efikexec does not do: 7 (devicetree
	# add-ons)
	features=$(sed -n 's/^bli StubFeatures=//p' "$WORK/$label-stub.probes")
	want=$(printf '0x%016x' $((features & ~0x80)))
	got=$(sed -n 's/^bli StubFeatures=//p' "$WORK/$label-efikexec.probes")
	if [ "$got" = "$want" ]; then pass "$label: StubFeatures $features but bit 7: $got"; else fail "$label: efikexec's StubFeatures is $got, want $want (the stub's $features)"; fi
	# the path of the image as each boot found it (the stub run as
	# \debian.efi, efikexec's menu entry from \EFI\Linux); its partition
	# (StubDevicePartUUID: none, the shell's volume is a bare FAT image)
	# is compared with the rest below
	for how in stub efikexec; do
		want_path='\debian.efi'
		[ "$how" = stub ] || want_path='\EFI\Linux\debian.efi'
		got=$(sed -n 's/^bli StubImageIdentifier=//p' "$WORK/$label-$how.probes")
		if [ "$got" = "$want_path" ]; then pass "$label: $how: StubImageIdentifier $got"; else fail "$label: $how: StubImageIdentifier '$got', want '$want_path'"; fi
		grep -v -e '^bli StubFeatures=' -e '^bli StubImageIdentifier=' \
			"$WORK/$label-$how.probes" > "$WORK/$label-$how.same"
	done
	both_same "$label" same "PCRs 11, 12, 13, other Stub* variables and command line"
	both_same "$label" extra "/.extra (paths, modes, sizes, digests)"
	both_same "$label" events "events in PCRs 11, 12, 13, event data and all"
}

rc257=0
"$TOOLS/fetch-stub.sh" trixie 257 "$CACHE/systemd-stub-257" || rc257=$?
if [ "$rc257" = 2 ]; then
	echo "  SKIP 257: trixie cannot be reached for its systemd-boot-efi"
elif [ "$rc257" != 0 ]; then
	fail "257: no systemd-stub 257 from trixie"
else
	profiles 257-profiles "$CACHE/systemd-stub-257/linuxx64.efi.stub"
fi
finish
