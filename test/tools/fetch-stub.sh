#!/bin/sh
# fetch-stub.sh SUITE MAJOR OUTDIR
#
# Downloads systemd-boot-efi from Debian's SUITE (bookworm-backports) with
# `apt-get download`, through an apt configuration of its own in OUTDIR
# (the machine's sources are left alone), and unpacks its systemd-stub as
# OUTDIR/linuxx64.efi.stub, and from 254 on its add-on stub as
# OUTDIR/addonx64.efi.stub, checking that the package is systemd MAJOR.
# Does nothing when the stubs are already there. Exits 2 when the archive
# cannot be reached (the caller skips what needs the stub), 1 on any other
# failure.
set -eu
suite=$1 major=$2 out=$3

[ -s "$out/linuxx64.efi.stub" ] &&
	{ [ "$major" -lt 254 ] || [ -s "$out/addonx64.efi.stub" ]; } && exit 0
mkdir -p "$out/apt/lists/partial" "$out/apt/cache/archives/partial"
echo "deb http://deb.debian.org/debian $suite main" > "$out/apt/sources.list"
apt() { # apt COMMAND ARGS...: apt-get or apt-cache on OUTDIR's configuration
	cmd=$1
	shift
	"$cmd" -q -o Dir::Etc::SourceList="$out/apt/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$out/apt/lists" \
		-o Dir::Cache="$out/apt/cache" -o Dir::State::status=/dev/null \
		-o APT::Sandbox::User=root "$@"
}
if ! apt apt-get update > "$out/apt/update.log" 2>&1 ||
	grep -q '^[WE]:' "$out/apt/update.log"; then
	echo "fetch-stub: $suite cannot be reached:" >&2
	cat "$out/apt/update.log" >&2
	exit 2
fi
version=$(apt apt-cache show systemd-boot-efi 2>/dev/null |
	sed -n 's/^Version: //p' | sort -V | tail -n 1)
case $version in
"$major".*) ;;
*)
	echo "fetch-stub: $suite has systemd-boot-efi '$version', not $major" >&2
	exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download drops privileges to _apt
(cd "$tmp" && apt apt-get download "systemd-boot-efi=$version" > /dev/null)
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
cp "$tmp/root/usr/lib/systemd/boot/efi/linuxx64.efi.stub" "$out/"
if [ "$major" -ge 254 ]; then
	cp "$tmp/root/usr/lib/systemd/boot/efi/addonx64.efi.stub" "$out/"
fi
echo "$version" > "$out/version"
echo "fetch-stub: systemd-boot-efi $version from $suite -> $out/linuxx64.efi.stub"
