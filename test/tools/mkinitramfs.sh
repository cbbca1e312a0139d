#!/bin/sh
# mkinitramfs.sh OUT [MODULE.ko | NAME=FILE]...
#
# A tiny initramfs: static busybox, test/initramfs/init, and the given
# kernel modules under /lib/modules (the init loads them). NAME=FILE puts
# FILE at /NAME, its directories made as needed, its mode kept (an
# executable, a shared library, a payload).
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
	case $m in
	*=*)
		mkdir -p "$(dirname "$tmp/${m%%=*}")"
		cp "${m#*=}" "$tmp/${m%%=*}" ;;
	*) cp "$m" "$tmp/lib/modules/" ;;
	esac
done
(cd "$tmp" && find . | sort | cpio -o -H newc --quiet) > "$out"
