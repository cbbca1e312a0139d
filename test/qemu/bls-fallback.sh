#!/bin/sh
# Started by the firmware, efikexec boots the default Boot Loader
# Specification entry; when that fails (here: a module that is not there)
# it names the entry file and line, and the menu counts down the configured
# timeout (2 s) to the next entry: one whose `devicetree` is malformed,
# refused before the boot begins, and then to the next, which boots. The
# failed entries' memory is given back: the malformed devicetree's 8 MiB
# (ACPI reclaimable, where a devicetree goes) is not in the memory map the
# kernel gets. An
# entry with a line efikexec cannot use is reported
# with its file and line and left out. The kernel is the Multiboot2 probe
# (test/probe), named with efikexec's own keys.
. "$(dirname "$0")/lib.sh"

head -c 4099 /dev/urandom > "$WORK/m1.bin"
mkdir -p "$WORK/entries"
printf '%s\n' "timeout 2" "default probe-missing-module" > "$WORK/loader.conf"
printf '%s\n' "title Probe with a missing module" \
	"efikexec-kernel /probe.elf" \
	"efikexec-format multiboot2" \
	"efikexec-module /missing.bin gone" \
	"options probe.cpus=2 entry=missing" > "$WORK/entries/probe-missing-module.conf"
printf '%s\n' "title Probe" \
	"# the format is detected" \
	"efikexec-kernel /probe.elf" \
	"efikexec-module /m1.bin first module" \
	"options probe.cpus=2" "options entry=ok" > "$WORK/entries/probe-ok.conf"
# (its sort-key puts it first: the next after the default's failure)
printf '%s\n' "title Probe with a malformed devicetree" "sort-key a" \
	"efikexec-kernel /probe.elf" "devicetree /bad.dtb" \
	"options probe.cpus=2 entry=bad-dtb" > "$WORK/entries/probe-bad-dtb.conf"
{
	printf 'not a devicetree, but long enough for the header of one'
	head -c 8M /dev/zero
} > "$WORK/bad.dtb"
printf '%s\n' "title Probe with a typo" "efikexec-kernel" \
	> "$WORK/entries/probe-typo.conf"

TIMEOUT=120 # the probe ends QEMU within seconds of the countdowns
firmware_boot probe.elf="$ROOT/build/probe/multiboot2.elf" m1.bin="$WORK/m1.bin" \
	bad.dtb="$WORK/bad.dtb" \
	loader/entries/probe-bad-dtb.conf="$WORK/entries/probe-bad-dtb.conf" \
	loader/loader.conf="$WORK/loader.conf" \
	loader/entries/probe-missing-module.conf="$WORK/entries/probe-missing-module.conf" \
	loader/entries/probe-ok.conf="$WORK/entries/probe-ok.conf" \
	loader/entries/probe-typo.conf="$WORK/entries/probe-typo.conf" \
	-- -smp 2 -m 1024

expect_log 'efikexec: warning: \loader\entries\probe-typo.conf:2: '"'efikexec-kernel' needs a value; the entry cannot boot"
expect_log 'efikexec: error: \loader\entries\probe-missing-module.conf:4: '"cannot open module '/missing.bin': Not Found"
expect_log 'efikexec: error: \loader\entries\probe-bad-dtb.conf:4: '"devicetree '/bad.dtb' is no flattened devicetree (magic 0x6e6f7420, not 0xd00dfeed)"
expect_probe_passed
expect_log "probe: cmdline=probe.cpus=2 entry=ok"
# OVMF's own ACPI tables take well under 1 MiB of it
reclaim=$(sed -n 's/^probe: acpi-reclaim=\([0-9]*\) KiB.*/\1/p' "$WORK/serial.txt")
if [ -n "$reclaim" ] && [ "$reclaim" -lt 4096 ]; then
	pass "the failed entries' memory is given back (ACPI reclaimable: $reclaim KiB)"
else
	fail "ACPI reclaimable memory is '$reclaim' KiB, 4 MiB or more: the malformed devicetree's 8 MiB kept?"
fi
expect_log "probe: module0 size=4099 crc32=$(crc32 "$WORK/m1.bin") string=first module"
finish
