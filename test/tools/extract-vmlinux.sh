#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT
#
# Writes to OUT the ELF a Linux bzImage's decompressor would unpack, found
# as the kernel's scripts/extract-vmlinux finds it: at each place a
# compressor's magic occurs, decompress what follows; the first ELF wins.
# Prints which compressor and where ("xz -dc at offset 21196"); exits 1
# when no ELF is found.
set -u
for m in '\xfd7zXZ\x00:xz -dc' '\x02\x21\x4c\x18:lz4 -dc' \
	'\x28\xb5\x2f\xfd:zstd -dc' '\x1f\x8b\x08:gzip -dc'; do
	for pos in $(LC_ALL=C grep -obUaP "${m%%:*}" "$1" | cut -d: -f1); do
		# (a compressor complains of the bytes after its stream)
		tail -c +$((pos + 1)) "$1" | ${m#*:} > "$2" 2>/dev/null || true
		if [ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			echo "${m#*:} at offset $pos"
			exit 0
		fi
	done
done
exit 1
