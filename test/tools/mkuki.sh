#!/bin/sh
# mkuki.sh OUT.efi VMLINUZ INITRD CMDLINE OS-RELEASE [SECTION=FILE]...
#
# A unified kernel image made the classic way (systemd-stub(7), before
# ukify): a systemd-stub, STUB or by default Debian's linuxx64.efi.stub
# (package systemd-boot-efi), with the os-release, the command line, any
# more SECTION=FILE given (.uname=..., .ucode=...), the kernel and the
# initrd added as sections by objcopy, in that order, each at its own
# address past the stub's image (objcopy takes addresses: from 254 on the
# stub is linked high, ImageBase 0x14df90000 for bookworm-backports'). CMDLINE is
# the text itself; the files it is made of are kept next to OUT
# (OUT.cmdline, OUT.osrel) for systemd-measure.
set -eu
out=$1 linux=$2 initrd=$3
stub=${STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}
printf '%s' "$4" > "$out.cmdline"
cp "$5" "$out.osrel"
shift 5

# past the end of the stub's last section (objdump -h: size, then VMA),
# 64 KiB apart
next=0
for end in $(objdump -h "$stub" | awk '$1 ~ /^[0-9]+$/ { print "0x" $4 "+0x" $3 }'); do
	[ $(($end)) -gt "$next" ] && next=$(($end))
done
args=""
add() { # add NAME FILE
	next=$(((next + 0xffff) & ~0xffff))
	args="$args --add-section $1=$2 --change-section-vma $1=$(printf 0x%x "$next")"
	next=$((next + $(stat -c %s "$2")))
}
add .osrel "$out.osrel"
add .cmdline "$out.cmdline"
for s in "$@"; do
	add "${s%%=*}" "${s#*=}"
done
add .linux "$linux"
add .initrd "$initrd"
# shellcheck disable=SC2086
objcopy $args "$stub" "$out"
