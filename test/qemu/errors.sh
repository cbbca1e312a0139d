#!/bin/sh
# Everything that must be refused is refused before ExitBootServices: one
# "efikexec: error:" line naming the problem, a non-zero %lasterror%, and a
# shell that still runs the next command. --dry-run prints the plan and
# returns 0. All cases run in one boot. The malformed Multiboot and ELF
# images are the probe kernels (test/probe) with one field broken.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"

# poke FILE OFFSET BYTE...: overwrite bytes in place
poke() {
	f=$1
	off=$2
	shift 2
	for b in "$@"; do
		printf "\\$(printf %o "$b")" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
		off=$((off + 1))
	done
}
peek() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
# poke32 FILE OFFSET VALUE: a little-endian 32-bit field
poke32() {
	poke "$1" "$2" $(($3 & 255)) $((($3 >> 8) & 255)) $((($3 >> 16) & 255)) \
		$((($3 >> 24) & 255))
}
# offset FILE MAGIC ALIGN: where a header magic (hex bytes) starts
offset() {
	od -An -tx1 -v -w"$3" "$1" | head -c 400000 |
		awk -v m="$2" '{ gsub(/ /, ""); if (substr($0, 1, 8) == m) { print (NR - 1) * '"$3"'; exit } }'
}

: > "$WORK/empty.img"
head -c 1048576 /dev/urandom > "$WORK/random.img"
head -c $(( $(stat -c %s "$vmlinuz") / 2 )) "$vmlinuz" > "$WORK/truncated.img"
cp "$vmlinuz" "$WORK/initsize.img"
poke "$WORK/initsize.img" $((0x260)) 255 255 255 255
cp "$vmlinuz" "$WORK/no64.img"
poke "$WORK/no64.img" $((0x236)) $(( $(peek "$vmlinuz" $((0x236))) & 0xfe ))

probes=$ROOT/build/probe
mb1=$(offset "$probes/multiboot1.elf" 02b0ad1b 4)
cp "$probes/multiboot1.elf" "$WORK/mb1-checksum.elf"
poke32 "$WORK/mb1-checksum.elf" $((mb1 + 8)) 0x12345678
mb2=$(offset "$probes/multiboot2.elf" d65052e8 8)
cp "$probes/multiboot2.elf" "$WORK/mb2-tag.elf"
poke32 "$WORK/mb2-tag.elf" $((mb2 + 16 + 4)) 0xfff0 # first tag's size
# ELF32 program header 0 at 52: p_offset +4, p_paddr +12, p_memsz +20
cp "$probes/multiboot1.elf" "$WORK/mb1-size.elf"
poke32 "$WORK/mb1-size.elf" $((52 + 20)) 0xfff00000
# ELF64 program headers: e_phoff at 32, e_phnum at 56, 56 bytes each
# (p_type +0, p_offset +8, p_paddr +24, p_memsz +40); the first is the
# text's PT_LOAD at 16 MiB, the last PT_GNU_STACK
le() { od -An -tu"$2" -j "$3" -N"$2" "$1" | tr -d ' '; }
phoff=$(le "$probes/elf64.elf" 8 32)
last=$((phoff + ($(le "$probes/elf64.elf" 2 56) - 1) * 56))
cp "$probes/elf64.elf" "$WORK/elf-outside.elf"
poke32 "$WORK/elf-outside.elf" $((phoff + 8)) 0x7ff000
cp "$probes/elf64.elf" "$WORK/elf-overlap.elf"
poke32 "$WORK/elf-overlap.elf" "$last" 1 # PT_GNU_STACK -> PT_LOAD ...
poke32 "$WORK/elf-overlap.elf" $((last + 24)) 0x1000800 # ... inside the text
poke32 "$WORK/elf-overlap.elf" $((last + 40)) 0x1000
cp "$probes/elf64.elf" "$WORK/elf-entry.elf"
poke32 "$WORK/elf-entry.elf" 24 0x3000000 # e_entry

# add_case NAME ARGS...: runs efikexec between markers that record its status
add_case() {
	name=$1
	shift
	startup_add "echo case-begin $name" "efikexec.efi $*" \
		"echo case-end $name status=%lasterror%"
}
startup "fs0:"
add_case missing-kernel "\\nonexistent.img console=ttyS0"
add_case missing-initrd "--initrd \\missing-initrd.img \\vmlinuz"
add_case empty "\\empty.img"
add_case random "\\random.img"
add_case truncated "\\truncated.img"
add_case init-size "\\initsize.img"
add_case no-64bit-entry "\\no64.img"
add_case bad-option "--frobnicate \\vmlinuz"
add_case mb1-checksum "\\mb1-checksum.elf"
add_case mb2-tag-overflow "\\mb2-tag.elf"
add_case mb1-absurd-size "\\mb1-size.elf"
add_case elf-outside-file "\\elf-outside.elf"
add_case elf-overlap "\\elf-overlap.elf"
add_case elf-entry "\\elf-entry.elf"
add_case linux-with-module "--module \\initrd.img \\vmlinuz"
add_case no-kernel-no-entries ""
add_case dry-run "--dry-run --initrd \\initrd.img \\vmlinuz console=ttyS0"
startup_add "echo shell-still-works" "reset -s"

boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" empty.img="$WORK/empty.img" \
	random.img="$WORK/random.img" truncated.img="$WORK/truncated.img" \
	initsize.img="$WORK/initsize.img" no64.img="$WORK/no64.img" \
	mb1-checksum.elf="$WORK/mb1-checksum.elf" mb2-tag.elf="$WORK/mb2-tag.elf" \
	mb1-size.elf="$WORK/mb1-size.elf" elf-outside.elf="$WORK/elf-outside.elf" \
	elf-overlap.elf="$WORK/elf-overlap.elf" elf-entry.elf="$WORK/elf-entry.elf" \
	-- -smp 2 -m 512

# block NAME: what the shell printed between the case's markers
block() {
	sed -n "/^case-begin $1\$/,/^case-end $1 /p" "$WORK/serial.txt"
}
# expect_error NAME TEXT: one error line containing TEXT, non-zero status
expect_error() {
	b=$(block "$1")
	status=$(printf '%s\n' "$b" | sed -n "s/^case-end $1 status=//p")
	errors=$(printf '%s\n' "$b" | grep -c '^efikexec: error: ' || true)
	if [ "$errors" = 1 ] && printf '%s\n' "$b" | grep -q "^efikexec: error: .*$2"; then
		pass "$1: $(printf '%s\n' "$b" | grep '^efikexec: error: ')"
	else
		fail "$1: want one 'efikexec: error: ...$2...' line, got: $b"
	fi
	case "$status" in
	"" | 0 | 0x0) fail "$1: status '$status', want non-zero" ;;
	*) pass "$1: status $status" ;;
	esac
}

expect_error missing-kernel "cannot open kernel '\\\\nonexistent.img': Not Found"
expect_error missing-initrd "cannot open initrd '\\\\missing-initrd.img': Not Found"
expect_error empty "kernel '\\\\empty.img' is empty (0 bytes)"
expect_error random "'\\\\random.img' is not a kernel efikexec can boot"
expect_error truncated "truncated: syssize says"
expect_error init-size "init_size 0xffffffff is absurd"
expect_error no-64bit-entry "no 64-bit entry point: xloadflags 0x7e"
expect_error bad-option "unknown option '--frobnicate'"
expect_error mb1-checksum "Multiboot header at 0x$(printf %x "$mb1") has a bad checksum"
expect_error mb2-tag-overflow "Multiboot2 header tag 1 at offset 0x$(printf %x $((mb2 + 16))) has size 0xfff0"
expect_error mb1-absurd-size "is not below 4 GiB"
expect_error elf-outside-file "ELF segment 0: bytes 0x7ff000+0x"
expect_error elf-overlap "at 0x1000800+0x1000 overlaps another at 0x1000000+"
expect_error elf-entry "ELF entry point 0x3000000 lies outside every loadable segment"
expect_error linux-with-module "--module is for Multiboot and ELF64 kernels"
expect_error no-kernel-no-entries "no kernel given and no boot entries in \\\\loader\\\\entries"

dry=$(block dry-run)
if printf '%s\n' "$dry" | grep -q '^efikexec: plan: format=linux entry=0x' &&
	printf '%s\n' "$dry" | grep -q '^efikexec:   segment 1 initrd   in place' &&
	printf '%s\n' "$dry" | grep -q '^efikexec: dry run: plan is valid'; then
	pass "dry run printed the plan"
else
	fail "dry run output: $dry"
fi
case "$(printf '%s\n' "$dry" | sed -n 's/^case-end dry-run status=//p')" in
0 | 0x0) pass "dry run: status 0" ;;
*) fail "dry run: non-zero status" ;;
esac
expect_log "shell-still-works"
finish
