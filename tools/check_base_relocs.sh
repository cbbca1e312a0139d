#!/bin/sh
# check_base_relocs.sh ELF PE: fails unless the PE image's .reloc holds
# one DIR64 base relocation for each dynamic relocation of the ELF it was
# written from (tools/elf_to_pe.py), both counted by binutils rather than
# by the tool that wrote them.
set -eu
[ $# = 2 ] || { echo "usage: $0 ELF PE" >&2; exit 2; }
elf=$(readelf -rW "$1" | grep -c ' R_X86_64_') || true
pe=$(objdump -p "$2" | grep -c '] DIR64$') || true
if [ "$elf" != "$pe" ]; then
	echo "$2: $pe base relocations for the $elf relocations of $1" >&2
	exit 1
fi
