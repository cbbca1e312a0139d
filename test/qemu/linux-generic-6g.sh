#!/bin/sh
# Debian's generic (XZ-compressed) kernel with 6 GiB: the kernel must see
# all of it, including the 4 GiB above the PCI hole at 2-4 GiB.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-amd64/efivarfs.ko"
cmdline="console=ttyS0 quiet"

startup "fs0:" \
	"efikexec.efi --initrd=\\initrd.img \\vmlinuz $cmdline" \
	"echo efikexec returned %lasterror%"
boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" -- -smp 2 -m 6144

expect_probe kernel "$(sed 's/^linux-image-//' "$CACHE/linux-amd64/package")"
expect_probe cmdline "$cmdline"
expect_probe cpus_online "0-1"
expect_probe efivars registered
# The firmware keeps a few MiB (ACPI, runtime services, its reserved
# ranges); everything else of the 6 GiB must reach the kernel as RAM.
ram=$(probe e820_ram_bytes)
min=$(( (6144 - 32) * 1048576 ))
if [ "${ram:-0}" -ge "$min" ]; then pass "e820 RAM $ram bytes"; else fail "e820 RAM '$ram' bytes, want at least $min"; fi
kb=$(probe memtotal_kb)
if [ "${kb:-0}" -ge $((5800 * 1024)) ]; then pass "MemTotal $kb kB"; else fail "MemTotal '$kb' kB, want at least $((5800 * 1024))"; fi
expect_log "efikexec-probe: done"
finish
