#!/bin/sh
# fetch-kernel.sh FLAVOUR OUTDIR
#
# Downloads Debian's current linux-image package for FLAVOUR ("cloud-amd64"
# or "amd64") with `apt-get download` and unpacks it without installing it.
# Leaves OUTDIR/vmlinuz and OUTDIR/efivarfs.ko; does nothing when they are
# already there.
set -eu
flavour=$1
out=$2

[ -s "$out/vmlinuz" ] && [ -s "$out/efivarfs.ko" ] && exit 0
mkdir -p "$out"
# the metapackage names the versioned image package, e.g.
# linux-image-cloud-amd64 -> linux-image-6.1.0-56-cloud-amd64
resolve() {
	apt-cache depends "linux-image-$flavour" 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
pkg=$(resolve)
if [ -z "$pkg" ]; then # a fresh machine has no package lists yet
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	echo "fetch-kernel: no linux-image-$flavour in Debian's package lists" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download drops privileges to _apt
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1 || apt-get download "$pkg")
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
cp "$tmp"/root/boot/vmlinuz-* "$out/vmlinuz"
find "$tmp/root/lib/modules" -name efivarfs.ko -exec cp {} "$out/efivarfs.ko" \;
echo "$pkg" > "$out/package"
echo "fetch-kernel: $pkg -> $out/vmlinuz"
