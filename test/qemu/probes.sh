#!/bin/sh
# The probe kernels (test/probe), one per format, booted through efikexec
# with 4 CPUs under the default CPU and under -cpu max,-hypervisor. Each
# checks on entry everything its boot protocol and efikexec promise, and
# ends QEMU with status 99 when every check passed. The test also compares
# what each probe saw with what it was given: the command line, every
# module's size, CRC-32 and string, and the flags word.
. "$(dirname "$0")/lib.sh"

head -c 70001 /dev/urandom > "$WORK/m1.bin"
head -c 12345 /dev/urandom > "$WORK/m2.bin"
# the Linux probe gets both as initrds: concatenated, each padded to 4 bytes
cp "$WORK/m1.bin" "$WORK/initrd.bin"
pad=$(( (4 - $(stat -c %s "$WORK/m1.bin") % 4) % 4 ))
head -c "$pad" /dev/zero >> "$WORK/initrd.bin"
cat "$WORK/m2.bin" >> "$WORK/initrd.bin"

cmdline='probe.cpus=4 quoted="a  b" last'
TIMEOUT=120 # a probe ends QEMU within seconds
cpus="default bare-metal" formats="multiboot1 multiboot2 elf64 linux"
# CHECK=1: the Multiboot 2 probe under the default CPU
[ "${CHECK:-0}" != 1 ] || cpus=default formats=multiboot2
for cpu in $cpus; do
	case $cpu in
	default) qemu_cpu="" flags=0x20 ;;
	*) qemu_cpu="-cpu max,-hypervisor" flags=0x10 ;;
	esac
	for fmt in $formats; do
		printf '%s\n' "-- $fmt, $cpu CPU"
		image=$ROOT/build/probe/$fmt.elf
		[ "$fmt" = linux ] && image=$ROOT/build/probe/linux.bzImage
		if [ "$fmt" = linux ]; then
			mods='--initrd \m1.bin --initrd m2.bin'
		else
			mods='--module "\m1.bin first module" --module m2.bin'
		fi
		# a probe ends QEMU itself; if efikexec returns, so does the test
		startup "fs0:" "efikexec.efi $mods \\probe $cmdline" \
			"echo efikexec returned %lasterror%" "reset -s"
		# shellcheck disable=SC2086
		boot probe="$image" m1.bin="$WORK/m1.bin" m2.bin="$WORK/m2.bin" \
			-- -smp 4 -m 1024 $qemu_cpu
		cp "$WORK/serial.txt" "$WORK/serial-$fmt-$cpu.txt"
		expect_probe_passed
		expect_log "probe: format=$fmt"
		expect_log "probe: cmdline=$cmdline"
		if [ "$fmt" = linux ]; then
			expect_log "probe: module0 size=$(stat -c %s "$WORK/initrd.bin") crc32=$(crc32 "$WORK/initrd.bin") string=initrd"
		else
			expect_log "probe: module0 size=70001 crc32=$(crc32 "$WORK/m1.bin") string=first module"
			expect_log "probe: module1 size=12345 crc32=$(crc32 "$WORK/m2.bin") string="
		fi
		[ "$fmt" = multiboot1 ] || expect_log "probe: flags=$flags"
		# boot services were exited: no tag may say otherwise
		[ "$fmt" != multiboot2 ] || expect_log "probe: ok: no EFI boot-services tags"
		expect_log "probe: ok: 3 of 3 APs answered a fresh INIT-SIPI-SIPI"
	done
done
finish
