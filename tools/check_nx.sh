#!/bin/sh
# check_nx.sh PE: fails unless the PE image is what firmware that enforces
# no-execute can map (Microsoft's UEFI CA memory mitigation requirements,
# docs/secure-boot.md "NX"): IMAGE_DLLCHARACTERISTICS_NX_COMPAT set, a
# SectionAlignment of 4 KiB, every section at a 4 KiB boundary, and no
# section both writable and executable. Read with binutils, not by the
# tool that wrote the image (tools/elf_to_pe.py).
set -eu
[ $# = 1 ] || { echo "usage: $0 PE" >&2; exit 2; }
objdump -p "$1" | awk -v pe="$1" '
	$1 == "SectionAlignment" { align = $2 }
	$1 == "DllCharacteristics" { dll = $2 }
	END {
		if (align != "00001000") fail("SectionAlignment " align ", not 00001000")
		# IMAGE_DLLCHARACTERISTICS_NX_COMPAT, 0x0100
		if (substr(dll, length(dll) - 2, 1) !~ /[13579bdfBDF]/)
			fail("DllCharacteristics " dll " without NX_COMPAT (0x100)")
	}
	function fail(why) { print pe ": " why > "/dev/stderr"; exit 1 }'
# objdump -h: a header line (index, name, size, VMA, ...), then its flags;
# binutils shows an executable section as CODE, one without
# IMAGE_SCN_MEM_WRITE as READONLY
objdump -h "$1" | awk -v pe="$1" '
	$1 ~ /^[0-9]+$/ { name = $2; vma = $4; next }
	name != "" {
		if (vma !~ /000$/) fail(name " at 0x" vma ", not at a 4 KiB boundary")
		if ($0 ~ /CODE/ && $0 !~ /READONLY/) fail(name " is both writable and executable")
		name = ""
	}
	function fail(why) { print pe ": " why > "/dev/stderr"; bad = 1; exit 1 }
	END { exit bad }'
