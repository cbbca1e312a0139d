#!/bin/sh
# Nothing leaks: in one boot, 100 failing runs of efikexec (failing at
# every stage: no file, a bad image, a plan that cannot be placed, an
# initrd there is no memory for, after the kernel was placed and claimed)
# and 100 dry runs leave the firmware's memory map as they found it: the
# shell's memmap shows the same free, boot-services and loader pages
# before and after.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"
"$TOOLS/mkmalformed.sh" "$WORK/m" "$ROOT/test/malformed/cases.txt" "$vmlinuz" \
	"$ROOT/build/probe"
truncate -s 320M "$WORK/big.img"

# one round of everything first: what the firmware and the shell keep
# from a first use (caches, a message table) is not efikexec's
runs() { # runs N: N rounds of the five failures, and 5N dry runs
	startup_add "for %a run (1 $1)" \
		"  efikexec.efi \\missing.img" \
		"  efikexec.efi \\m\\elf-overlap" \
		"  efikexec.efi \\m\\linux-fixed-in-mmio" \
		"  efikexec.efi \\m\\linux-syssize-huge" \
		"  efikexec.efi --initrd \\big.img \\vmlinuz" \
		"endfor" \
		"for %a run (1 $(($1 * 5)))" \
		"  efikexec.efi --dry-run --initrd \\initrd.img \\vmlinuz console=ttyS0" \
		"endfor"
}
startup "fs0:"
runs 1
startup_add "echo memmap-before" "memmap"
runs 20
startup_add "echo memmap-after" "memmap" "reset -s"
TIMEOUT=600 boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" big.img="$WORK/big.img" \
	m/elf-overlap="$WORK/m/elf-overlap" \
	m/linux-fixed-in-mmio="$WORK/m/linux-fixed-in-mmio" \
	m/linux-syssize-huge="$WORK/m/linux-syssize-huge" -- -smp 2 -m 256

# pages TYPE WHEN: the memmap summary's page count for TYPE (before/after)
pages() {
	sed -n "/^memmap-$2\$/,\$p" "$WORK/serial.txt" |
		sed -n "s/^ *$1 *: *\\([0-9,]*\\) Pages.*/\\1/p" | head -n 1 | tr -d ,
}
failures=$(grep -c '^efikexec: error: ' "$WORK/serial.txt")
dry=$(grep -c '^efikexec: dry run: plan is valid' "$WORK/serial.txt")
if [ "$failures" = 105 ] && [ "$dry" = 105 ]; then
	pass "100 failing runs and 100 dry runs"
else
	fail "$failures failing runs and $dry dry runs, want 105 and 105 (5 of each to warm up)"
fi
for type in Available BS_Data LoaderData LoaderCode; do
	before=$(pages "$type" before)
	after=$(pages "$type" after)
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		pass "$type: $before pages before and after"
	else
		fail "$type: '$before' pages before, '$after' after"
	fi
done
finish
