#!/bin/sh
# mkuki.sh OUT.efi VMLINUZ INITRD CMDLINE OS-RELEASE
#
# A unified kernel image made the classic way (systemd-stub(7), before
# ukify): Debian's stub linuxx64.efi.stub (package systemd-boot-efi) with
# the kernel, the initrd, the command line and the os-release added as
# sections by objcopy, each at its own address above the stub's. CMDLINE
# is the text itself; the files it is made of are kept next to OUT
# (OUT.cmdline, OUT.osrel) for systemd-measure.
set -eu
out=$1
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
printf '%s' "$4" > "$out.cmdline"
cp "$5" "$out.osrel"
objcopy \
	--add-section .osrel="$out.osrel" --change-section-vma .osrel=0x20000 \
	--add-section .cmdline="$out.cmdline" --change-section-vma .cmdline=0x30000 \
	--add-section .linux="$2" --change-section-vma .linux=0x2000000 \
	--add-section .initrd="$3" --change-section-vma .initrd=0x3000000 \
	"$stub" "$out"
