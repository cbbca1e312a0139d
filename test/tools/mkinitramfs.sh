#!/bin/sh
# mkinitramfs.sh OUT [MODULE.ko...]
#
# A tiny initramfs: static busybox, test/initramfs/init, and the given
# kernel modules under /lib/modules (the init loads them).
set -eu
out=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/bin" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/lib/modules"
cp /bin/busybox "$tmp/bin/busybox"
cp "$here/initramfs/init" "$tmp/init"
chmod 755 "$tmp/init"
for m in "$@"; do
	cp "$m" "$tmp/lib/modules/"
done
(cd "$tmp" && find . | sort | cpio -o -H newc --quiet) > "$out"
