#!/bin/sh
# gen_sbat.sh SBAT_TXT VERSION_H: prints the contents of efikexec.efi's
# .sbat section, the CSV that shim checks against its revocation list
# (shim's SBAT.md): the line of the SBAT format itself, then efikexec's
# own, from its generation and URL (SBAT_TXT, efi/sbat.txt) and its
# version (VERSION_H, lib/version.h). Fails, printing nothing, on a
# generation that is not a number from 1 up, or on a field that is empty
# or holds a comma or a line break (a CSV field cannot).
set -eu
[ $# = 2 ] || { echo "usage: $0 SBAT_TXT VERSION_H" >&2; exit 2; }
field() { awk -v k="$1" '$1 == k { sub(/^[^ ]+ +/, ""); print; exit }' "$2"; }
generation=$(field generation "$1")
url=$(field url "$1")
version=$(sed -n 's/^#define EFIKEXEC_VERSION "\(.*\)"$/\1/p' "$2")
case $generation in
'' | 0* | *[!0-9]*)
	echo "$1: generation '$generation' is not a number from 1 up" >&2
	exit 1 ;;
esac
for f in "url:$url" "EFIKEXEC_VERSION:$version"; do
	case ${f#*:} in
	'' | *,* | *'
'*)
		echo "gen_sbat.sh: ${f%%:*} '${f#*:}' is empty or holds a comma" >&2
		exit 1 ;;
	esac
done
echo "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md"
echo "efikexec,$generation,efikexec,efikexec,$version,$url"
