#!/bin/sh
# mkpayload.sh OUT SIZE_BYTES
#
# A second initrd: a cpio archive holding /payload/random.bin of SIZE_BYTES
# random bytes. Prints the file's SHA-256, which the booted initramfs must
# report back.
set -eu
out=$1
size=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/payload"
head -c "$size" /dev/urandom > "$tmp/payload/random.bin"
(cd "$tmp" && find payload | cpio -o -H newc --quiet) > "$out"
sha256sum "$tmp/payload/random.bin" | cut -d' ' -f1
