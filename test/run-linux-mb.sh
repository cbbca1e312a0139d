#!/bin/sh
# make run-mb: boots a real Linux kernel through efikexec.mb, started by
# QEMU's own Multiboot loader under SeaBIOS.
#
# Like make run (test/run-linux.sh) it fetches Debian's cloud kernel
# (unless KERNEL is given) and builds the same busybox initramfs (unless
# INITRD is given); then, from build/run-mb, where vmlinuz, initrd.img and
# efikexec.mb are links to those files, it runs
#     qemu-system-x86_64 -kernel efikexec.mb -append "$MBARGS" \
#         -initrd "vmlinuz $CMDLINE,initrd.img" -smp 4 ...
# QEMU passes each module's path as written, so the names are relative:
# efikexec.mb, given no KERNEL, boots the first module with the rest of
# its string as the command line, and the second as its initrd. QEMU's
# -initrd separates modules with commas: a comma in CMDLINE is passed
# doubled (",,"), which QEMU reads as one comma. The serial console is
# this terminal. Overrides:
#   KERNEL=path INITRD=path CMDLINE="..." SMP=4 MEM=1024 MBARGS="-v" make run-mb
# MBARGS are efikexec.mb's own options (-v, --dry-run, --flush ...).
set -eu
work=$(cd "$(dirname "$0")/.." && pwd)/build/run-mb
. "$(dirname "$0")/tools/run-inputs.sh"
abs() { # the absolute path of an existing file
	(cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}
KERNEL=$(abs "$KERNEL")
INITRD=$(abs "$INITRD")
cmdline=${CMDLINE:-console=ttyS0}

cd "$work"
ln -sfn "$root/build/efikexec.mb" efikexec.mb
ln -sfn "$KERNEL" vmlinuz
[ "$INITRD" = "$work/initrd.img" ] || ln -sfn "$INITRD" initrd.img
mods="vmlinuz $(printf '%s' "$cmdline" | sed 's/,/,,/g'),initrd.img"
echo "run-mb: booting $KERNEL through efikexec.mb with ${SMP:-4} CPUs and ${MEM:-1024} MiB (QEMU -kernel, SeaBIOS)"
exec qemu-system-x86_64 -accel tcg -machine q35 -smp "${SMP:-4}" -m "${MEM:-1024}" \
	-kernel efikexec.mb -append "${MBARGS:-}" -initrd "$mods" \
	-display none -monitor none -net none -no-reboot -serial stdio
