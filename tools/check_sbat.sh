#!/bin/sh
# check_sbat.sh PE VERSION: fails unless the PE image has exactly one
# .sbat section and it holds what shim needs to start it (shim's SBAT.md
# and its CSV parser): the line of the SBAT format itself first, then
# efikexec's own with a generation from 1 up and VERSION as its version,
# every line six fields, none empty; nothing after the text but zero
# padding. Read with binutils, not by the tool that wrote the section.
set -eu
[ $# = 2 ] || { echo "usage: $0 PE VERSION" >&2; exit 2; }
n=$(objdump -h "$1" | awk '$2 == ".sbat"' | wc -l)
if [ "$n" != 1 ]; then
	echo "$1: $n .sbat sections, not one: shim refuses to start it" >&2
	exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
objcopy --dump-section .sbat="$dir/sbat" "$1" "$dir/copy"
# shim reads up to the first NUL: past it, only the padding may follow
od -An -v -tu1 "$dir/sbat" | awk '
	{ for (i = 1; i <= NF; i++) if ($i == 0) z = 1; else if (z) exit 1 }' || {
	echo "$1: .sbat holds more after its first NUL" >&2; exit 1; }
tr -d '\0' < "$dir/sbat" > "$dir/text"
awk -F, -v version="$2" -v pe="$1" '
	{ sub(/\r$/, "") }
	$0 == "" { next }
	{
		n++
		if (NF != 6) fail("line " n " has " NF " fields, not 6")
		for (i = 1; i <= 6; i++)
			if ($i == "") fail("line " n " has an empty field " i)
	}
	n == 1 && $0 != "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md" {
		fail("the first line is not the SBAT format line")
	}
	n > 1 && $1 == "efikexec" {
		mine++
		if ($2 !~ /^[1-9][0-9]*$/) fail("generation \"" $2 "\" is not a number from 1 up")
		if ($5 != version) fail("version \"" $5 "\", not \"" version "\"")
	}
	function fail(why) { print pe ": .sbat: " why > "/dev/stderr"; bad = 1; exit 1 }
	END {
		if (bad) exit 1
		if (mine != 1) { print pe ": .sbat: " (mine + 0) " efikexec lines, not one" > "/dev/stderr"; exit 1 }
	}' "$dir/text"
