#!/bin/sh
# add-sections.sh STUB OUT NAME=FILE...
#
# OUT: the PE image STUB with each FILE added as section NAME by objcopy,
# in the order given, each at its own address past the end of the stub's
# last section and 64 KiB apart (objcopy takes addresses, and from
# systemd 254 on the stubs are linked high: ImageBase 0x14df90000 for
# bookworm-backports'). What mkuki.sh and mkaddon.sh build with, as the
# classic way (systemd-stub(7), before ukify) does.
#
# A NAME may repeat, as a multi-profile image's do (systemd 257: .profile
# and each profile's sections after it): objcopy takes one name once, so
# each repeat is added under a name of its own and renamed in the section
# table afterwards.
set -eu
stub=$1 out=$2
shift 2

# past the end of the stub's last section (objdump -h: size, then VMA)
next=0
for end in $(objdump -h "$stub" | awk '$1 ~ /^[0-9]+$/ { print "0x" $4 "+0x" $3 }'); do
	[ $(($end)) -gt "$next" ] && next=$(($end))
done
args="" renames="" seen=" " n=0
for s in "$@"; do
	name=${s%%=*} file=${s#*=}
	n=$((n + 1))
	case $seen in
	*" $name "*)
		renames="$renames .rep$n=$name"
		name=.rep$n ;;
	esac
	seen="$seen$name "
	next=$(((next + 0xffff) & ~0xffff))
	args="$args --add-section $name=$file --change-section-vma $name=$(printf 0x%x "$next")"
	next=$((next + $(stat -c %s "$file")))
done
# shellcheck disable=SC2086
objcopy $args "$stub" "$out"
[ -z "$renames" ] && exit 0
# shellcheck disable=SC2086
python3 - "$out" $renames <<'PY'
import struct, sys
path, renames = sys.argv[1], dict(r.split("=") for r in sys.argv[2:])
f = bytearray(open(path, "rb").read())
pe = struct.unpack_from("<I", f, 0x3c)[0]
nsec, optsize = struct.unpack_from("<H", f, pe + 6)[0], struct.unpack_from("<H", f, pe + 20)[0]
table = pe + 24 + optsize
for i in range(nsec):
    at = table + 40 * i
    name = bytes(f[at:at + 8]).rstrip(b"\0").decode()
    if name in renames:
        f[at:at + 8] = renames[name].encode().ljust(8, b"\0")
open(path, "wb").write(f)
PY
