#!/bin/sh
# mkgrubefi.sh OUT.efi GRUB.CFG
#
# A standalone GRUB for x86-64 UEFI from Debian's packages (grub-mkstandalone,
# packages grub-common and grub-efi-amd64-bin): one EFI executable holding
# GRUB's modules and GRUB.CFG in its memory disk, to be put on an EFI system
# partition as \EFI\BOOT\BOOTX64.EFI. Its root is the memory disk, so
# GRUB.CFG must find the files it boots itself (insmod part_gpt, insmod fat,
# search --set=root --file /NAME).
set -eu
out=$1
cfg=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkstandalone -O x86_64-efi -o "$out" "boot/grub/grub.cfg=$cfg" > "$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
