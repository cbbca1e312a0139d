#!/bin/sh
# Everything that must be refused is refused before ExitBootServices: one
# "efikexec: error:" line naming the problem, a non-zero %lasterror%, and a
# shell that still runs the next command. --dry-run prints the plan and
# returns 0. All cases run in one boot. (Malformed kernels of every format
# are test/qemu/malformed.sh's.)
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

: > "$WORK/empty.img"
head -c 1048576 /dev/urandom > "$WORK/random.img"
head -c $(( $(stat -c %s "$vmlinuz") / 2 )) "$vmlinuz" > "$WORK/truncated.img"
cp "$vmlinuz" "$WORK/initsize.img"
poke "$WORK/initsize.img" $((0x260)) 255 255 255 255
cp "$vmlinuz" "$WORK/no64.img"
poke "$WORK/no64.img" $((0x236)) $(( $(peek "$vmlinuz" $((0x236))) & 0xfe ))

startup "fs0:"
add_case missing-kernel "\\nonexistent.img console=ttyS0"
add_case missing-initrd "--initrd \\missing-initrd.img \\vmlinuz"
add_case empty "\\empty.img"
add_case random "\\random.img"
add_case truncated "\\truncated.img"
add_case init-size "\\initsize.img"
add_case no-64bit-entry "\\no64.img"
add_case bad-option "--frobnicate \\vmlinuz"
add_case linux-with-module "--module \\initrd.img \\vmlinuz"
add_case no-kernel-no-entries ""
add_case dry-run "--dry-run --initrd \\initrd.img \\vmlinuz console=ttyS0"
add_case below-offset "--dry-run \\below.img"
startup_add "echo shell-still-works" "reset -s"

boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" empty.img="$WORK/empty.img" \
	random.img="$WORK/random.img" truncated.img="$WORK/truncated.img" \
	initsize.img="$WORK/initsize.img" no64.img="$WORK/no64.img" \
	below.img="$ROOT/test/fuzz/seeds/linux/read-to-place-wrap" \
	-- -smp 2 -m 512

expect_error missing-kernel "cannot open kernel '\\nonexistent.img': Not Found"
expect_error missing-initrd "cannot open initrd '\\missing-initrd.img': Not Found"
expect_error empty "kernel '\\empty.img' is empty (0 bytes)"
expect_error random "'\\random.img' is not a kernel efikexec can boot"
expect_error truncated "truncated: syssize says"
expect_error init-size "init_size 0xffffffff is absurd"
expect_error no-64bit-entry "no 64-bit entry point: xloadflags 0x7e"
expect_error bad-option "unknown option '--frobnicate'"
expect_error linux-with-module "--module is for Multiboot and ELF64 kernels"
expect_error no-kernel-no-entries "no kernel given and no boot entries in \\loader\\entries"

expect_block dry-run "dry run printed the plan, status 0" \
	'^efikexec: plan: format=linux entry=0x' \
	'^efikexec:   segment 1 initrd   in place' \
	'^efikexec: dry run: plan is valid' \
	"$(ended_well dry-run)"
# a fixed kernel whose place lies below its own file offset: copied after
# ExitBootServices, never read to its place minus the offset (an address
# that wrapped below 0)
expect_block below-offset "kernel placed below its file offset: copied, dry run valid" \
	'^efikexec:   segment 0 kernel   copy 0x[0-9a-f]* -> 0x1000 size 0x4000' \
	"^efikexec: dry run: the kernel is copied to its place after ExitBootServices: the file before the kernel does not fit below its place" \
	"$(ended_well below-offset)"
expect_log "shell-still-works"
finish
