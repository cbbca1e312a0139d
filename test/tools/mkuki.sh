#!/bin/sh
# mkuki.sh OUT.efi VMLINUZ INITRD CMDLINE OS-RELEASE [SECTION=FILE]...
#
# A unified kernel image made the classic way (systemd-stub(7), before
# ukify): a systemd-stub, STUB or by default Debian's linuxx64.efi.stub
# (package systemd-boot-efi), with the os-release, the command line, any
# more SECTION=FILE given (.uname=..., .ucode=...), the kernel and the
# initrd added as sections, in that order (add-sections.sh). CMDLINE is
# the text itself; the files it is made of are kept next to OUT
# (OUT.cmdline, OUT.osrel) for systemd-measure.
set -eu
out=$1 linux=$2 initrd=$3
stub=${STUB:-/usr/lib/systemd/boot/efi/linuxx64.efi.stub}
printf '%s' "$4" > "$out.cmdline"
cp "$5" "$out.osrel"
shift 5

"$(dirname "$0")/add-sections.sh" "$stub" "$out" .osrel="$out.osrel" \
	.cmdline="$out.cmdline" "$@" .linux="$linux" .initrd="$initrd"
