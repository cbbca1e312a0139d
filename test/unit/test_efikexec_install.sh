#!/bin/sh
# installer/efikexec-install against a fake machine: the ESP is a
# directory, and the tools that tell the script about the machine or
# change it are stubs first on PATH. findmnt answers from a mount table
# the test writes (so the ESP can be FAT or not, read-only or not,
# efivarfs there or not), df reports the free space the test chooses,
# lsblk the ESP's disk, bootctl the ESP's path, sbsign appends a
# "signature", and efibootmgr keeps the firmware's boot entries in files
# and logs every call. Each case checks what the script left on the ESP
# and in the boot entries, byte for byte against a snapshot where an
# error must leave everything as it was. test/qemu/install.sh runs the
# same script on a real Debian system with the real tools.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/installer/efikexec-install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
bin=$tmp/bin
ESP=$tmp/esp
NV=$tmp/nvram
mkdir -p "$bin" "$NV"

fail() {
	printf "FAIL efikexec-install: %s\n" "$*" >&2
	failures=$((failures + 1))
}

# ---- the stubs ----

# findmnt -rn -o TARGET,FSTYPE,OPTIONS,SOURCE -T PATH: the longest TARGET
# in $tmp/mounts ("TARGET FSTYPE OPTIONS SOURCE" lines) that holds PATH
cat > "$bin/findmnt" <<'STUB'
#!/bin/sh
[ "$*" = "-rn -o TARGET,FSTYPE,OPTIONS,SOURCE -T $5" ] || {
	echo "findmnt stub: unexpected arguments: $*" >&2; exit 99; }
awk -v p="$5" '
	{ t = $1; if ((p == t || index(p, t == "/" ? "/" : t "/") == 1) && length(t) > length(best)) { best = t; line = $0 } }
	END { if (line == "") exit 1; print line }' "$STUB_DIR/mounts"
STUB

# df -Pk PATH: $tmp/free KiB available
cat > "$bin/df" <<'END'
#!/bin/sh
[ "$1" = -Pk ] || { echo "df stub: unexpected arguments: $*" >&2; exit 99; }
echo "Filesystem 1024-blocks Used Available Capacity Mounted on"
echo "/dev/vda1 131072 1000 $(cat "$STUB_DIR/free") 1% $2"
END

# lsblk -rndo PKNAME DEV: the disk of a partition, by its name
cat > "$bin/lsblk" <<'END'
#!/bin/sh
[ "$1" = -rndo ] && [ "$2" = PKNAME ] || { echo "lsblk stub: unexpected arguments: $*" >&2; exit 99; }
case "$3" in
/dev/nvme0n1p*) echo nvme0n1 ;;
/dev/vda*) echo vda ;;
*) exit 1 ;;
esac
END

cat > "$bin/bootctl" <<'END'
#!/bin/sh
case "$1" in
--print-esp-path | --print-boot-path) cat "$STUB_DIR/bootctl-esp" ;;
*) echo "bootctl stub: unexpected arguments: $*" >&2; exit 99 ;;
esac
END

cat > "$bin/sbsign" <<'END'
#!/bin/sh
[ "$1 $3 $5" = "--key --cert --output" ] || { echo "sbsign stub: unexpected arguments: $*" >&2; exit 99; }
{ cat "$7"; echo "signed with $2 $4"; } > "$6"
END

# efibootmgr: entries in $NV/entries ("NNNN LABEL LOADER"), BootOrder in
# $NV/order, BootCurrent in $NV/current; every call in $NV/log
cat > "$bin/efibootmgr" <<'END'
#!/bin/sh
nv=$STUB_DIR/nvram
printf "efibootmgr %s\n" "$*" >> "$nv/log"
list() {
	echo "BootCurrent: $(cat "$nv/current")"
	echo "Timeout: 0 seconds"
	echo "BootOrder: $(cat "$nv/order")"
	while read -r n label loader; do
		if [ "$1" = -v ]; then
			printf 'Boot%s* %s\tHD(1,GPT,5f0d7c1e-8a61-4b8e-9a55-e1f1c0ffee02,0x800,0x40000)/File(%s)\n' "$n" "$label" "$loader"
		else
			printf 'Boot%s* %s\n' "$n" "$label"
		fi
	done < "$nv/entries"
}
quiet=0 create=0 delete=0 num="" disk="" part="" loader="" label="" order=""
[ $# -gt 0 ] || { list; exit 0; }
while [ $# -gt 0 ]; do
	case "$1" in
	-v) list -v; exit 0 ;;
	-q) quiet=1 ;;
	-c) create=1 ;;
	-B) delete=1 ;;
	-b) num=$2; shift ;;
	-d) disk=$2; shift ;;
	-p) part=$2; shift ;;
	-l) loader=$2; shift ;;
	-L) label=$2; shift ;;
	-o) order=$2; shift ;;
	*) echo "efibootmgr stub: unexpected argument $1" >&2; exit 99 ;;
	esac
	shift
done
if [ "$create" = 1 ]; then
	[ -z "${STUB_CREATE_FAILS:-}" ] || { echo "efibootmgr: Could not prepare Boot variable: No space left on device" >&2; exit 5; }
	[ "$disk $part" = "/dev/vda 1" ] || { echo "efibootmgr stub: disk '$disk' part '$part'" >&2; exit 99; }
	n=0
	while grep -q "^$(printf %04X $n) " "$nv/entries"; do n=$((n + 1)); done
	n=$(printf %04X $n)
	printf "%s %s %s\n" "$n" "$label" "$loader" >> "$nv/entries"
	o=$(cat "$nv/order")
	echo "$n${o:+,$o}" > "$nv/order"
elif [ "$delete" = 1 ]; then
	grep -q "^$num " "$nv/entries" || { echo "efibootmgr: Boot$num not found" >&2; exit 5; }
	grep -v "^$num " "$nv/entries" > "$nv/entries.new" || true
	mv "$nv/entries.new" "$nv/entries"
	tr , '\n' < "$nv/order" | grep -vx "$num" | paste -sd, - > "$nv/order.new" || true
	mv "$nv/order.new" "$nv/order"
elif [ -n "$order" ]; then
	echo "$order" > "$nv/order"
else
	echo "efibootmgr stub: nothing to do" >&2; exit 99
fi
[ "$quiet" = 1 ] || list
END
chmod +x "$bin"/*
export STUB_DIR="$tmp"

# ---- the machine ----

EFI_MOUNTS="/sys/firmware/efi/efivars efivarfs rw,nosuid efivarfs"
# fresh [FSTYPE [OPTIONS]]: a new machine: an ESP with systemd-boot as
# \EFI\BOOT\BOOTX64.EFI and a kernel-install entry, firmware entries
# 0000 (UiApp) and 0001 (the disk), BootOrder 0001,0000, 100 MiB free
fresh() {
	rm -rf "$ESP" "$NV"
	mkdir -p "$ESP/EFI/BOOT" "$ESP/EFI/systemd" "$ESP/loader/entries" "$NV"
	echo "systemd-boot 252 fake" > "$ESP/EFI/BOOT/BOOTX64.EFI"
	cp "$ESP/EFI/BOOT/BOOTX64.EFI" "$ESP/EFI/systemd/systemd-bootx64.efi"
	printf '%s\n' "#timeout 3" > "$ESP/loader/loader.conf"
	printf '%s\n' "title Debian" "linux /m/6.1/linux" > "$ESP/loader/entries/m-6.1+3.conf"
	printf '%s\n' "$ESP ${1:-vfat} ${2:-rw,relatime,fmask=0077} /dev/vda1" "$EFI_MOUNTS" \
		"/ ext4 rw /dev/vda2" > "$tmp/mounts"
	echo 102400 > "$tmp/free"
	echo "$ESP" > "$tmp/bootctl-esp"
	printf '%s\n' "0000 UiApp FvFile(462caa21)" "0001 UEFI-disk PciRoot(0x0)" > "$NV/entries"
	echo 0001,0000 > "$NV/order"
	echo 0001 > "$NV/current"
	: > "$NV/log"
}

# efikexec.efi as the script knows it: a file with efikexec's sentence
mkdir -p "$tmp/lib" "$tmp/old" "$tmp/shim"
echo "efikexec 0.1: '%s' is not a kernel efikexec can boot" > "$tmp/lib/efikexec.efi"
echo "efikexec 0.0: '%s' is not a kernel efikexec can boot" > "$tmp/old/efikexec.efi"
echo "UEFI SHIM fake" > "$tmp/shim/shimx64.efi"
echo "MokManager fake" > "$tmp/shim/mmx64.efi"

# run ARGS...: the script on the fake machine; its output in $tmp/out,
# its exit status in $status
run() {
	status=0
	PATH="$bin:$PATH" "$script" "$@" --esp "$ESP" --from "$tmp/lib" > "$tmp/out" 2>&1 || status=$?
}

# snapshot: every file on the ESP with its SHA-256, and the firmware's
# entries and order, to compare with after an error
snapshot() {
	(cd "$ESP" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then echo "$f $(sha256sum < "$f")"; else echo "$f/"; fi
	done)
	cat "$NV/entries" "$NV/order"
}

expect_status() { # expect_status CASE WANT
	[ "$status" = "$2" ] || { fail "$1: exit status $status, want $2:"; cat "$tmp/out" >&2; }
}

expect_out() { # expect_out CASE TEXT: the output holds TEXT
	grep -qF -- "$2" "$tmp/out" || { fail "$1: no '$2' in:"; cat "$tmp/out" >&2; }
}

expect_no_out() {
	! grep -qF -- "$2" "$tmp/out" || { fail "$1: '$2' in:"; cat "$tmp/out" >&2; }
}

expect_file() { # expect_file CASE PATH SOURCE: PATH on the ESP is SOURCE's bytes
	cmp -s "$ESP/$2" "$3" || fail "$1: $2 is not $3"
}

expect_no_file() {
	[ ! -e "$ESP/$2" ] || fail "$1: $2 is there"
}

expect_order() { # expect_order CASE ORDER
	[ "$(cat "$NV/order")" = "$2" ] || fail "$1: BootOrder $(cat "$NV/order"), want $2"
}

expect_entry() { # expect_entry CASE NNNN LOADER
	grep -qxF "$2 efikexec $3" "$NV/entries" || fail "$1: no Boot$2 for $3 in: $(cat "$NV/entries")"
}

# expect_unchanged CASE: the ESP and the entries are as in the snapshot,
# and efibootmgr changed nothing
expect_unchanged() {
	snapshot > "$tmp/after"
	cmp -s "$tmp/before" "$tmp/after" || {
		fail "$1: changed:"
		diff "$tmp/before" "$tmp/after" >&2 || true
	}
	! grep -q -e ' -B' -e ' -o' "$NV/log" || fail "$1: efibootmgr was asked to change something: $(cat "$NV/log")"
	[ "${ALLOW_CREATE:-}" = 1 ] || ! grep -q -e ' -c' "$NV/log" ||
		fail "$1: efibootmgr was asked to change something: $(cat "$NV/log")"
}

# ---- install, status, remove ----

fresh
snapshot > "$tmp/before"
run install
expect_status "install" 0
expect_file "install" EFI/efikexec/efikexec.efi "$tmp/lib/efikexec.efi"
expect_entry "install" 0002 '\EFI\efikexec\efikexec.efi'
expect_order "install" 0002,0001,0000
grep -q -- '-c -d /dev/vda -p 1 -l \\EFI\\efikexec\\efikexec.efi -L efikexec' "$NV/log" ||
	fail "install: efibootmgr was not asked for the entry: $(cat "$NV/log")"
grep -qx "boot 0002" "$ESP/EFI/efikexec/installed.txt" ||
	fail "install: the manifest does not name Boot0002"
grep -qx '#timeout 3' "$ESP/loader/loader.conf" || fail "install: loader.conf was overwritten"
[ "$(find "$ESP" -name '*.new')" = "" ] || fail "install: temporary files left: $(find "$ESP" -name '*.new')"
expect_out "install" 'Boot0002 "efikexec" starts \EFI\efikexec\efikexec.efi, first in BootOrder'
expect_no_out "install" "no Boot Loader Specification entries"

echo 0002 > "$NV/current"
run status
expect_status "status" 0
expect_out "status" "installed: \\EFI\\efikexec\\efikexec.efi"
expect_out "status" "boot entry: Boot0002: efikexec"
expect_out "status" "(first in BootOrder) (booted now: BootCurrent)"
expect_out "status" "\\EFI\\BOOT\\BOOTX64.EFI is systemd-boot"
expect_out "status" "Boot Loader Specification entries: 1"

# installing again changes nothing but the order, when that changed
echo 0001,0002,0000 > "$NV/order"
: > "$NV/log"
run
expect_status "install again" 0
expect_order "install again" 0002,0001,0000
! grep -q -- ' -c' "$NV/log" || fail "install again: a second entry was created"
[ "$(grep -c efikexec "$NV/entries")" = 1 ] || fail "install again: $(cat "$NV/entries")"

# an update: a newer efikexec.efi replaces the installed one
cp "$tmp/old/efikexec.efi" "$tmp/lib/efikexec.efi.keep"
cp "$tmp/lib/efikexec.efi" "$tmp/new.efi"
echo "efikexec 0.2: '%s' is not a kernel efikexec can boot" > "$tmp/lib/efikexec.efi"
run
expect_status "update" 0
expect_file "update" EFI/efikexec/efikexec.efi "$tmp/lib/efikexec.efi"
cp "$tmp/new.efi" "$tmp/lib/efikexec.efi"
rm -f "$tmp/lib/efikexec.efi.keep" "$tmp/new.efi"

run remove
expect_status "remove" 0
expect_out "remove" "deleted Boot0002"
echo 0001 > "$NV/current"
: > "$NV/log"
expect_unchanged "remove leaves the machine as it was"

run remove
expect_status "remove again" 0
expect_out "remove again" "nothing to remove"

run status
expect_out "status, removed" "not installed"

# a machine without entries gets a warning; the ESP is found by bootctl
fresh
rm "$ESP/loader/entries/m-6.1+3.conf"
status=0
PATH="$bin:$PATH" "$script" --from "$tmp/lib" > "$tmp/out" 2>&1 || status=$?
expect_status "found by bootctl" 0
expect_file "found by bootctl" EFI/efikexec/efikexec.efi "$tmp/lib/efikexec.efi"
expect_out "found by bootctl" "no Boot Loader Specification entries on $ESP"

# an NVMe disk's partition names: nvme0n1p1 is partition 1 of nvme0n1
fresh
sed -i "s,/dev/vda1,/dev/nvme0n1p1," "$tmp/mounts"
sed -i 's,"/dev/vda 1","/dev/nvme0n1 1",' "$bin/efibootmgr"
run
expect_status "nvme" 0
expect_entry "nvme" 0002 '\EFI\efikexec\efikexec.efi'
sed -i 's,"/dev/nvme0n1 1","/dev/vda 1",' "$bin/efibootmgr"

# ---- --fallback ----

# the slot holds systemd-boot: refused, nothing changed
fresh
snapshot > "$tmp/before"
run --fallback
expect_status "fallback, slot taken" 1
expect_out "fallback, slot taken" "error: \\EFI\\BOOT\\BOOTX64.EFI is systemd-boot's, which efikexec-install does not overwrite; nothing was written"
expect_unchanged "fallback, slot taken"

# the slot is free: efikexec there, no boot entry, no efivarfs needed;
# loader.conf written as there is none; remove leaves the ESP as it was
fresh
rm -r "$ESP/EFI/BOOT" "$ESP/loader/loader.conf"
grep -v efivarfs "$tmp/mounts" > "$tmp/mounts.new" && mv "$tmp/mounts.new" "$tmp/mounts"
snapshot > "$tmp/before"
run --fallback
expect_status "fallback, slot free" 0
expect_file "fallback, slot free" EFI/BOOT/BOOTX64.EFI "$tmp/lib/efikexec.efi"
expect_file "fallback, slot free" EFI/efikexec/efikexec.efi "$tmp/lib/efikexec.efi"
grep -qx "timeout 3" "$ESP/loader/loader.conf" || fail "fallback, slot free: no loader.conf written"
[ ! -s "$NV/log" ] || fail "fallback, slot free: efibootmgr ran: $(cat "$NV/log")"
run status
expect_out "fallback status" "\\EFI\\BOOT\\BOOTX64.EFI is efikexec"
run remove
expect_status "fallback remove" 0
expect_unchanged "fallback remove"

# the slot holds an older efikexec: replaced
fresh
cp "$tmp/old/efikexec.efi" "$ESP/EFI/BOOT/BOOTX64.EFI"
run --fallback
expect_status "fallback over efikexec" 0
expect_file "fallback over efikexec" EFI/BOOT/BOOTX64.EFI "$tmp/lib/efikexec.efi"

# `bootctl update` put systemd-boot back over efikexec's BOOTX64.EFI:
# remove leaves systemd-boot's file and says so, and takes the rest
fresh
rm "$ESP/EFI/BOOT/BOOTX64.EFI"
run --fallback
echo "systemd-boot 252 fake" > "$ESP/EFI/BOOT/BOOTX64.EFI"
run remove
expect_status "remove after bootctl update" 0
expect_out "remove after bootctl update" "\\EFI\\BOOT\\BOOTX64.EFI changed since efikexec-install wrote it (now systemd-boot's): left as it is"
grep -q systemd-boot "$ESP/EFI/BOOT/BOOTX64.EFI" || fail "remove after bootctl update: systemd-boot's file went"
expect_no_file "remove after bootctl update" EFI/efikexec

# ---- --shim and --sign ----

fresh
snapshot > "$tmp/before"
run --shim="$tmp/shim/shimx64.efi" --sign "$tmp/db.key" "$tmp/db.crt"
expect_status "sign without a key" 1
expect_out "sign without a key" "cannot read the key $tmp/db.key"
expect_unchanged "sign without a key"

echo key > "$tmp/db.key"
echo cert > "$tmp/db.crt"
run --shim="$tmp/shim/shimx64.efi" --sign "$tmp/db.key" "$tmp/db.crt"
expect_status "shim, signed" 0
expect_file "shim, signed" EFI/efikexec/shimx64.efi "$tmp/shim/shimx64.efi"
expect_file "shim, signed" EFI/efikexec/mmx64.efi "$tmp/shim/mmx64.efi"
grep -q "signed with $tmp/db.key $tmp/db.crt" "$ESP/EFI/efikexec/grubx64.efi" ||
	fail "shim, signed: grubx64.efi is not the signed efikexec"
expect_no_file "shim, signed" EFI/efikexec/efikexec.efi
expect_entry "shim, signed" 0002 '\EFI\efikexec\shimx64.efi'
expect_order "shim, signed" 0002,0001,0000
expect_out "shim, signed" "no .sbat section"

# from shim to plain: shim's files and entry go, efikexec's come
run
expect_status "shim to plain" 0
expect_no_file "shim to plain" EFI/efikexec/shimx64.efi
expect_no_file "shim to plain" EFI/efikexec/grubx64.efi
# made before the old one goes, so it takes the next number
expect_entry "shim to plain" 0003 '\EFI\efikexec\efikexec.efi'
expect_order "shim to plain" 0003,0001,0000
[ "$(grep -c efikexec "$NV/entries")" = 1 ] || fail "shim to plain: $(cat "$NV/entries")"
run remove
: > "$NV/log"
expect_unchanged "shim to plain, removed"

# another loader's file in efikexec's directory is not overwritten
fresh
mkdir -p "$ESP/EFI/efikexec"
echo "GNU GRUB fake" > "$ESP/EFI/efikexec/grubx64.efi"
snapshot > "$tmp/before"
run --shim="$tmp/shim/shimx64.efi"
expect_status "shim over GRUB" 1
expect_out "shim over GRUB" "\\EFI\\efikexec\\grubx64.efi is GRUB's"
expect_unchanged "shim over GRUB"

# ---- bad input: an error, and nothing changed ----

# bad CASE NEEDLE ARGS...: on the machine as it is now
bad() {
	name=$1 needle=$2
	shift 2
	snapshot > "$tmp/before"
	: > "$NV/log"
	run "$@"
	expect_status "$name" 1
	expect_out "$name" "$needle"
	expect_unchanged "$name"
	expect_no_file "$name" EFI/efikexec
}

fresh ext4
bad "not FAT" "is a ext4 file system, not FAT (vfat)"
fresh vfat ro,relatime
bad "read-only" "is mounted read-only"
fresh
echo 30 > "$tmp/free"
bad "full" "has 30 KiB free, and efikexec needs"
fresh
grep -v efivarfs "$tmp/mounts" > "$tmp/mounts.new" && mv "$tmp/mounts.new" "$tmp/mounts"
bad "no efivarfs" "efivarfs is not mounted at /sys/firmware/efi/efivars"
fresh
sed -i "s,^$ESP ,$tmp ," "$tmp/mounts"
bad "not a mount point" "is not a mount point (it is on $tmp)"
fresh
STUB_CREATE_FAILS=1
export STUB_CREATE_FAILS
ALLOW_CREATE=1
bad "efibootmgr fails" "efibootmgr could not create a boot entry"
unset STUB_CREATE_FAILS ALLOW_CREATE
fresh
echo "not efikexec" > "$tmp/lib/efikexec.efi"
bad "not efikexec" "is not an efikexec.efi"
echo "efikexec 0.1: '%s' is not a kernel efikexec can boot" > "$tmp/lib/efikexec.efi"

run --bogus
expect_status "unknown option" 2
run status --fallback
expect_status "status --fallback" 2
status=0
"$script" --help > "$tmp/out" 2>&1 || status=$?
expect_status "--help" 0
expect_out "--help" "SYNOPSIS"

[ -z "${KEEP:-}" ] || { trap - EXIT; echo "kept $tmp"; }
if [ "$failures" -gt 0 ]; then
	echo "test_efikexec_install: $failures failed" >&2
	exit 1
fi
echo "test_efikexec_install: all passed"
