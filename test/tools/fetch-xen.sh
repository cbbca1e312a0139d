#!/bin/sh
# fetch-xen.sh OUTDIR
#
# Downloads Debian's Xen 4.17 hypervisor package with `apt-get download`
# and unpacks it without installing it; leaves OUTDIR/xen, the Multiboot
# image (/boot/xen-4.17-amd64.gz, uncompressed). Does nothing when it is
# already there.
set -eu
out=$1
pkg=xen-hypervisor-4.17-amd64

[ -s "$out/xen" ] && exit 0
mkdir -p "$out"
if [ -z "$(apt-cache policy "$pkg" 2>/dev/null | grep Candidate: | grep -v none)" ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download drops privileges to _apt
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1 || apt-get download "$pkg")
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
gunzip -c "$tmp"/root/boot/xen-*-amd64.gz > "$out/xen"
echo "fetch-xen: $pkg -> $out/xen"
