#!/bin/sh
# efikexec.mb started by QEMU's own Multiboot loader under SeaBIOS
# (-kernel build/efikexec.mb -initrd "FILE ARGS,FILE..."):
# - Debian's cloud kernel as the first module, its arguments the kernel
#   command line, two initrds after it: the kernel brings every CPU
#   online (-smp 4, parked by efikexec.mb on a BIOS machine), sees
#   exactly that command line, and finds a random file of 3 MiB in the
#   second initrd intact;
# - the probe kernels of every format, named on efikexec.mb's command
#   line with their modules (QEMU's convention: a module's string is its
#   path, then its arguments); the ELF64 one with --verify, which must
#   find its copies intact and boot it;
# - a missing module and a kernel module that is no kernel: one
#   "efikexec: error:" line on COM1, then a halt (the machine is still
#   there, not reset); with --on-error=reboot, the line, then a reset
#   5 s later;
# - the two errors before efikexec.mb writes its .bss, each one line and
#   a halt: a CPU without long mode (-cpu qemu32), and a loader that puts
#   the information in .bss.
. "$(dirname "$0")/lib.sh"

cd "$WORK" # QEMU passes module paths as written: keep the host's out
cp "$(kernel cloud-amd64)" vmlinuz
"$TOOLS/mkinitramfs.sh" initrd.img
sum=$("$TOOLS/mkpayload.sh" payload.img $((3 * 1048576 + 1)))
mb=$ROOT/build/efikexec.mb
# no commas: QEMU's -initrd separates modules with them
cmdline='console=ttyS0 efikexec.test="two  spaces" panic=-1'

echo "-- Linux, the modules alone"
mb_qemu_boot "$mb" "-v" "vmlinuz $cmdline,initrd.img,payload.img" -- -smp 4 -m 1024
cp serial.txt serial-debian.txt
expect_log "efikexec: handoff format=linux"
expect_probe kernel "$(cd "$CACHE/linux-cloud-amd64" && sed 's/^linux-image-//' package)"
expect_probe cmdline "$cmdline"
# a guest: parked, not flushed
expect_parking 4 0x20 2
if [ "$(sed -n 's/^efikexec-probe: payload random.bin sha256=//p' serial.txt)" = "$sum" ]; then
	pass "the second initrd arrived intact"
else
	fail "the second initrd's file is not intact"
fi
for t in APIC DSDT FACP; do
	case " $(probe acpi_tables) " in
	*" $t "*) pass "ACPI table $t" ;;
	*) fail "ACPI table $t missing (have: $(probe acpi_tables))" ;;
	esac
done
expect_log "efikexec: time: ExitBootServices done at "
expect_log "efikexec-probe: done"
# CHECK=1: Linux only
if [ "${CHECK:-0}" = 1 ]; then
	finish
	exit 0
fi

# The probes: each checks its entry state and ends QEMU with 99
head -c 70001 /dev/urandom > m1.bin
head -c 12345 /dev/urandom > m2.bin
cp m1.bin initrd.bin
pad=$(( (4 - $(stat -c %s m1.bin) % 4) % 4 ))
head -c "$pad" /dev/zero >> initrd.bin
cat m2.bin >> initrd.bin
pcmd='probe.cpus=2 quoted="a  b" last'
TIMEOUT=120
for fmt in multiboot1 multiboot2 elf64 linux; do
	echo "-- the $fmt probe"
	if [ "$fmt" = linux ]; then
		cp "$ROOT/build/probe/linux.bzImage" probe
		mods='--initrd m1.bin --initrd m2.bin'
	else
		cp "$ROOT/build/probe/$fmt.elf" probe
		mods='--module "m1.bin first module" --module m2.bin'
	fi
	# the ELF64 probe with --verify: its segments are copied out of
	# QEMU's module, then checked by the trampoline before the jump
	verify=""
	[ "$fmt" = elf64 ] && verify="--verify "
	mb_qemu_boot "$mb" "$verify$mods probe $pcmd" "probe,m1.bin,m2.bin" -- -smp 2 -m 1024
	cp serial.txt "serial-$fmt.txt"
	if [ -n "$verify" ]; then
		if grep -aq "^efikexec: handoff format=elf64 .* verify" serial.txt; then
			pass "--verify: the handoff line says so"
		else
			fail "--verify: no handoff line ending in verify"
		fi
		expect_no_log "efikexec: verify:"
	fi
	expect_probe_passed
	expect_log "probe: format=$fmt"
	expect_log "probe: cmdline=$pcmd"
	if [ "$fmt" = linux ]; then
		expect_log "probe: module0 size=$(stat -c %s initrd.bin) crc32=$(crc32 initrd.bin) string=initrd"
	else
		expect_log "probe: module0 size=70001 crc32=$(crc32 m1.bin) string=first module"
		expect_log "probe: module1 size=12345 crc32=$(crc32 m2.bin) string="
	fi
done

# Errors: the message, then a halt that keeps the machine (UNTIL: the
# log shows it, and QEMU_ALIVE says QEMU still ran 3 s later)
echo "-- a missing module"
UNTIL="efikexec: halted" TIMEOUT=60 mb_qemu_boot "$mb" \
	"--initrd nothere.img vmlinuz console=ttyS0" "vmlinuz,initrd.img" -- -m 1024
expect_log "efikexec: error: no module named 'nothere.img'"
if [ "$QEMU_ALIVE" = 1 ]; then pass "halted, not reset"; else fail "QEMU ended: reset or exit"; fi
echo "-- a missing module, with --on-error=reboot"
TIMEOUT=60 mb_qemu_boot "$mb" "--on-error=reboot --initrd nothere.img vmlinuz console=ttyS0" \
	"vmlinuz,initrd.img" -- -m 1024
expect_log "efikexec: error: no module named 'nothere.img'"
expect_log "efikexec: rebooting in 5 s (--on-error=reboot)"
# QEMU runs with -no-reboot: a reset ends it
if [ "$QEMU_STATUS" = 0 ]; then pass "reset after the message"; else fail "QEMU ended with $QEMU_STATUS, not by a reset"; fi
echo "-- a kernel module that is no kernel"
head -c 100000 /dev/urandom > junk
UNTIL="efikexec: halted" TIMEOUT=60 mb_qemu_boot "$mb" "" "junk console=ttyS0" -- -m 1024
expect_log "efikexec: error: 'junk' is not a kernel efikexec can boot"
if [ "$QEMU_ALIVE" = 1 ]; then pass "halted, not reset"; else fail "QEMU ended: reset or exit"; fi
echo "-- a CPU without long mode"
UNTIL="efikexec: halted" TIMEOUT=60 mb_qemu_boot "$mb" "" "junk console=ttyS0" -- -m 1024 -cpu qemu32
expect_log "efikexec: error: this CPU has no 64-bit long mode (CPUID 0x80000001 EDX bit 29 clear): efikexec.mb needs an x86-64 CPU"
expect_log "efikexec: halted"
if [ "$QEMU_ALIVE" = 1 ]; then pass "halted, not reset"; else fail "QEMU ended: reset or exit"; fi
echo "-- a loader that puts the information in .bss"
# A Multiboot 1 header whose bss_end_addr is load_end_addr (the header is
# the segment's first bytes: the Makefile checks it): QEMU's loader then
# takes the file's bytes for all of efikexec.mb and puts the module list,
# the strings and the modules right after them, page-aligned: in .bss,
# the module list first (hw/i386/multiboot.c)
set -- $(readelf -lW "$mb" | awk '$1 == "LOAD" { print $2, $3, $5, $6 }')
off=$1 vaddr=$2 filesz=$3 memsz=$4
cp "$mb" nobss.mb
dd if="$mb" of=nobss.mb bs=1 skip=$((off + 20)) seek=$((off + 24)) count=4 conv=notrunc 2>/dev/null
bss=$(((vaddr + filesz + 4095) / 4096 * 4096))
UNTIL="efikexec: halted" TIMEOUT=60 mb_qemu_boot nobss.mb "" "junk console=ttyS0" -- -m 1024
expect_log "$(printf "efikexec: error: the loader put the module list at 0x%08x-0x%08x, inside efikexec.mb's .bss at 0x%08x-0x%08x, which it must zero" \
	"$bss" $((bss + 15)) "$bss" $((vaddr + memsz - 1)))"
expect_log "efikexec: halted"
if [ "$QEMU_ALIVE" = 1 ]; then pass "halted, not reset"; else fail "QEMU ended: reset or exit"; fi
finish
