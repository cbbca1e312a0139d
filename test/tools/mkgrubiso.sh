#!/bin/sh
# mkgrubiso.sh OUT.iso GRUB.CFG [NAME=FILE...]
#
# A BIOS-bootable CD image (El Torito) made by Debian's GRUB
# (grub-mkrescue, packages grub-pc-bin, xorriso, mtools) holding
# GRUB.CFG as /boot/grub/grub.cfg and each FILE at /NAME (directories
# made as needed). Only GRUB's i386-pc platform goes in, even where
# grub-efi-amd64-bin is installed too: boot it under SeaBIOS with
# -cdrom OUT.iso.
set -eu
out=$1
cfg=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/iso/boot/grub"
cp "$cfg" "$tmp/iso/boot/grub/grub.cfg"
for spec in "$@"; do
	mkdir -p "$(dirname "$tmp/iso/${spec%%=*}")"
	cp "${spec#*=}" "$tmp/iso/${spec%%=*}"
done
rm -f "$out"
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$tmp/iso" > "$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	exit 1
fi
