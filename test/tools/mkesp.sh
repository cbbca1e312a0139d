#!/bin/sh
# mkesp.sh IMAGE NAME=FILE... [startup.nsh=FILE]
#
# A FAT EFI system partition image holding the given files at \NAME; NAME
# may have directories ("loader/entries/a.conf"), made as needed.
set -eu
img=$1
shift
bytes=0
for spec in "$@"; do
	bytes=$((bytes + $(stat -c %s "${spec#*=}")))
done
# room for FAT32 (at least 33 MiB) plus 25% and 8 MiB of slack
mib=$(( (bytes * 5 / 4) / 1048576 + 8 ))
[ "$mib" -ge 40 ] || mib=40
rm -f "$img"
truncate -s "${mib}M" "$img"
mformat -i "$img" -F -v EFIKEXEC ::
for spec in "$@"; do
	name=${spec%%=*}
	dir=$(dirname "$name")
	path=""
	while [ "$dir" != . ] && [ -n "${dir%%/*}" ]; do
		path="$path/${dir%%/*}"
		mmd -i "$img" "::$path" 2>/dev/null || true
		case $dir in */*) dir=${dir#*/} ;; *) dir=. ;; esac
	done
	mcopy -i "$img" "${spec#*=}" "::/$name"
done
