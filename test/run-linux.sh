#!/bin/sh
# make run: boots a real Linux kernel through efikexec in QEMU.
#
# Installs what is missing, fetches Debian's cloud kernel (unless KERNEL is
# given), builds a tiny busybox initramfs (unless INITRD is given) and an
# ESP, and starts OVMF's shell, whose startup.nsh runs efikexec with 4 CPUs.
# The serial console is this terminal. Overrides:
#   KERNEL=path INITRD=path CMDLINE="..." SMP=4 MEM=1024 make run
set -eu
work=$(cd "$(dirname "$0")/.." && pwd)/build/run
. "$(dirname "$0")/tools/run-inputs.sh"
cmdline=${CMDLINE:-console=ttyS0}

printf '%s\r\n' "fs0:" "efikexec.efi --initrd \\initrd.img \\vmlinuz $cmdline" > "$work/startup.nsh"
"$tools/mkesp.sh" "$work/esp.img" efikexec.efi="$root/build/efikexec.efi" \
	vmlinuz="$KERNEL" initrd.img="$INITRD" startup.nsh="$work/startup.nsh"
echo "run: booting $KERNEL with ${SMP:-4} CPUs and ${MEM:-1024} MiB (the shell waits 5 s before startup.nsh)"
vars=$(mktemp)
trap 'rm -f "$vars"' EXIT
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
qemu-system-x86_64 -accel tcg -machine q35 -smp "${SMP:-4}" -m "${MEM:-1024}" \
	-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,unit=1,file="$vars" \
	-drive if=virtio,format=raw,file="$work/esp.img" \
	-display none -monitor none -net none -no-reboot -serial stdio
