#!/bin/sh
# mkmalformed.sh OUT CASES VMLINUZ PROBE_DIR
#
# Builds the malformed kernels test/malformed/cases.txt describes into OUT,
# plus truncations of every base at many offsets, and writes OUT/cases.list:
# one "NAME|EXTRA ARGUMENTS|EXPECT" line per image (EXPECT empty: any
# error will do).
set -eu
out=$1
cases=$2
mkdir -p "$out"
cp "$3" "$out/base-linux"
cp "$4/linux.bzImage" "$out/base-plinux"
for b in multiboot1:mb1 multiboot2:mb2 elf64:elf64; do
	cp "$4/${b%%:*}.elf" "$out/base-${b#*:}"
done
: > "$out/cases.list"

le() { # le FILE BYTES OFFSET: a little-endian field
	od -An -tu"$2" -j "$3" -N"$2" "$1" | tr -d ' '
}
# offset FILE MAGIC ALIGN: where a header magic (hex bytes) starts
offset() {
	od -An -tx1 -v -w"$3" "$1" | head -c 400000 |
		awk -v m="$2" '{ gsub(/ /, ""); if (substr($0, 1, 8) == m) { print (NR - 1) * '"$3"'; exit } }'
}
poke() { # poke FILE OFFSET BYTES VALUE: little-endian, any width
	v=$4
	i=0
	while [ "$i" -lt "$3" ]; do
		printf "\\$(printf %o $((v & 255)))" |
			dd of="$1" bs=1 seek=$(($2 + i)) conv=notrunc 2>/dev/null
		v=$((v >> 8))
		i=$((i + 1))
	done
}

# the variables EDITS may use, for one base image
vars() {
	f=$out/base-$1
	size=$(stat -c %s "$f")
	mb1=$(offset "$f" 02b0ad1b 4)
	mb1=${mb1:-0}
	mb1flags=$(le "$f" 4 $((mb1 + 4)))
	mb2=$(offset "$f" d65052e8 8)
	mb2=${mb2:-0}
	mb2len=$(le "$f" 4 $((mb2 + 8)))
	phoff=0 ph0=0 phlast=0 entry=0 setup=0 loadend=$size
	case $1 in
	linux | plinux)
		sects=$(le "$f" 1 $((0x1f1)))
		[ "$sects" = 0 ] && sects=4
		setup=$(((sects + 1) * 512))
		loadend=$((setup + $(le "$f" 4 $((0x1f4))) * 16))
		;;
	*)
		entry=$(le "$f" 4 24)
		if [ "$(le "$f" 1 4)" = 2 ]; then # ELF64
			phoff=$(le "$f" 8 32)
			phnum=$(le "$f" 2 56)
			ph0=$phoff
			phlast=$((phoff + (phnum - 1) * 56))
			loadend=0
			i=0
			while [ "$i" -lt "$phnum" ]; do
				p=$((phoff + i * 56))
				if [ "$(le "$f" 4 "$p")" = 1 ]; then
					e=$(($(le "$f" 8 $((p + 8))) + $(le "$f" 8 $((p + 32)))))
					[ "$e" -gt "$loadend" ] && loadend=$e
				fi
				i=$((i + 1))
			done
		else # ELF32: the program headers at e_phoff, 32 bytes each
			phoff=$(le "$f" 4 28)
			phnum=$(le "$f" 2 44)
			ph0=$phoff
			phlast=$((phoff + (phnum - 1) * 32))
			loadend=$(($(le "$f" 4 $((phoff + 4))) + $(le "$f" 4 $((phoff + 16)))))
		fi
		;;
	esac
}

trim() { printf '%s' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }

grep -v -e '^#' -e '^[[:space:]]*$' "$cases" | while IFS=';' read -r name base edits args expect; do
	name=$(trim "$name")
	base=$(trim "$base")
	vars "$base"
	cp "$out/base-$base" "$out/$name"
	for e in $edits; do
		case $e in
		trunc=*)
			truncate -s $(($(echo "${e#trunc=}"))) "$out/$name" ;;
		u8@* | u16@* | u32@* | u64@*)
			width=${e%%@*}
			where=${e#*@}
			poke "$out/$name" $((${where%%=*})) $((${width#u} / 8)) $((${where#*=})) ;;
		*)
			echo "mkmalformed: $name: unknown edit '$e'" >&2
			exit 1 ;;
		esac
	done
	printf '%s|%s|%s\n' "$name" "$(trim "$args")" "$(trim "$expect")" >> "$out/cases.list"
done

# Truncations: the header cut at several places, then the loadable part
for base in linux plinux mb1 mb2 elf64; do
	vars "$base"
	# the last byte of what must be loaded; for the Linux protocol the last
	# 16: syssize counts paragraphs, rounded up (boot.rst), so a file up to
	# 15 bytes short of it is whole (memtest86+'s is), one paragraph is not
	last=$((loadend - 1))
	case $base in linux | plinux) last=$((loadend - 16)) ;; esac
	for at in 1 16 52 64 0x1f0 0x202 0x230 0x263 $((mb1 + 6)) $((mb2 + 10)) \
		$((setup - 1)) $((setup + 1)) $((loadend / 2)) $last; do
		at=$((at))
		[ "$at" -gt 0 ] && [ "$at" -lt "$loadend" ] || continue
		name=trunc-$base-$at
		[ -e "$out/$name" ] && continue
		head -c "$at" "$out/base-$base" > "$out/$name"
		printf '%s||\n' "$name" >> "$out/cases.list"
	done
done
rm -f "$out"/base-*
