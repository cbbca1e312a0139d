#!/bin/sh
# add-sections.sh STUB OUT NAME=FILE...
#
# OUT: the PE image STUB with each FILE added as section NAME by objcopy,
# in the order given, each at its own address past the end of the stub's
# last section and 64 KiB apart (objcopy takes addresses, and from
# systemd 254 on the stubs are linked high: ImageBase 0x14df90000 for
# bookworm-backports'). What mkuki.sh and mkaddon.sh build with, as the
# classic way (systemd-stub(7), before ukify) does.
set -eu
stub=$1 out=$2
shift 2

# past the end of the stub's last section (objdump -h: size, then VMA)
next=0
for end in $(objdump -h "$stub" | awk '$1 ~ /^[0-9]+$/ { print "0x" $4 "+0x" $3 }'); do
	[ $(($end)) -gt "$next" ] && next=$(($end))
done
args=""
for s in "$@"; do
	name=${s%%=*} file=${s#*=}
	next=$(((next + 0xffff) & ~0xffff))
	args="$args --add-section $name=$file --change-section-vma $name=$(printf 0x%x "$next")"
	next=$((next + $(stat -c %s "$file")))
done
# shellcheck disable=SC2086
objcopy $args "$stub" "$out"
