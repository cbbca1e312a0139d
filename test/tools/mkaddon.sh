#!/bin/sh
# mkaddon.sh OUT.efi CMDLINE [SECTION=FILE]...
#
# A systemd-stub add-on made as ukify makes one: the add-on stub STUB
# (addonx64.efi.stub, from systemd-boot-efi 254 on) with the command line
# CMDLINE (the text itself) and any more SECTION=FILE given (.uname=...)
# added as sections by objcopy, each at its own address past the stub's
# image, 64 KiB apart (objcopy takes addresses, as in mkuki.sh).
set -eu
out=$1
printf '%s' "$2" > "$out.cmdline"
shift 2

next=0
for end in $(objdump -h "$STUB" | awk '$1 ~ /^[0-9]+$/ { print "0x" $4 "+0x" $3 }'); do
	[ $(($end)) -gt "$next" ] && next=$(($end))
done
args=""
add() { # add NAME FILE
	next=$(((next + 0xffff) & ~0xffff))
	args="$args --add-section $1=$2 --change-section-vma $1=$(printf 0x%x "$next")"
	next=$((next + $(stat -c %s "$2")))
}
add .cmdline "$out.cmdline"
for s in "$@"; do
	add "${s%%=*}" "${s#*=}"
done
# shellcheck disable=SC2086
objcopy $args "$STUB" "$out"
