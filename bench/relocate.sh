#!/bin/sh
# The handoff against plan size, two ways, ROUNDS times each, interleaved:
#   initrd  the Linux-protocol probe kernel with an initrd of N MiB: read
#           straight into its final place, so nothing should move
#   elf64   the ELF64 probe kernel linked with N MiB more data: read into
#           a buffer and copied into place by the trampoline after
#           ExitBootServices (kexec's case)
# The probe kernels print efikexec's stage stamps (handoff record) and,
# with probe.memcpy=N, the ticks for copying N MiB with REP MOVSQ
# in the same VM, cold and warm. Writes build/bench/relocate.md
# and relocate.dat.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
probe=$root/build/probe
efi=${EFIKEXEC:-$root/build/efikexec.efi}
rounds=${ROUNDS:-3}
sizes=${SIZES:-16 64 256 1024}
mkdir -p "$work"

for n in $sizes; do
	# the data the ELF64 probe carries: N MiB less the probe itself
	truncate -s 0 "$work/pad.bin"
	truncate -s $((n * 1048576 - 262144)) "$work/pad.bin"
	(cd "$work" && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.data.pad pad.bin pad.o)
	ld --no-warn-rwx-segments -z noexecstack -T "$root/test/probe/probe64.ld" -o "$work/elf64.elf" \
		"$probe/64/entry-elf64.o" "$probe/64/elf64_probe.o" "$probe/64/probe.o" \
		"$probe/64/ap.o" "$probe/64/mem.o" "$work/pad.o"
	rm -f "$work/pad.bin" "$work/pad.o"
	printf '%s\r\n' "fs0:" "efikexec.efi \\elf64.elf probe.cpus=2 probe.memcpy=$n" \
		> "$work/startup.nsh"
	"$tools/mkesp.sh" "$work/esp-elf64-$n.img" efikexec.efi="$efi" \
		elf64.elf="$work/elf64.elf" startup.nsh="$work/startup.nsh"
	head -c $((n * 1048576)) /dev/urandom > "$work/initrd.img"
	printf '%s\r\n' "fs0:" "efikexec.efi --initrd \\initrd.img \\linux.bzImage probe.cpus=2" \
		> "$work/startup.nsh"
	"$tools/mkesp.sh" "$work/esp-initrd-$n.img" efikexec.efi="$efi" \
		linux.bzImage="$probe/linux.bzImage" initrd.img="$work/initrd.img" \
		startup.nsh="$work/startup.nsh"
	rm -f "$work/elf64.elf" "$work/initrd.img" "$work/startup.nsh"
done

# one_boot KIND N: "KIND N read parked relocation handoff memcpy memcpy2",
# microseconds; read = every file, parked = ExitBootServices to parked,
# relocation = parked to copied, handoff = ExitBootServices to the jump
one_boot() {
	log=$work/serial-$1-$2.log
	TIMEOUT=300 "$tools/qemu.sh" "$work/esp-$1-$2.img" "$log" -smp 2 -m 4096 || true
	tr -d '\r' < "$log" | awk -v kind="$1" -v n="$2" '
		/^probe: tsc_hz=/ {
			split($2, h, "="); hz = h[2]
			split($3, s, "="); split(s[2], t, ",")
		}
		/^probe: memcpy_tsc=/ { split($2, m, "="); split(m[2], c, ",") }
		END {
			if (!hz) exit 1
			us = 1000000 / hz
			printf "%s %d %d %d %d %d %s %s\n", kind, n, t[2] * us,
				(t[5] - t[4]) * us, (t[6] - t[5]) * us, (t[7] - t[4]) * us,
				c[1] ? int(c[1] * us) : "-", c[2] ? int(c[2] * us) : "-"
		}'
}

run_rounds "initrd elf64" "$sizes"

med() { # med KIND N COLUMN
	awk -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n { print $c }' "$work/samples" | grep -v '^-$' | median
}
{
	echo "# Handoff against plan size (QEMU TCG, -smp 2 -m 4096, $(nproc) host cores)"
	echo
	echo "Median of $rounds interleaved boots, microseconds, from efikexec's stage"
	echo "stamps as the probe kernels received them. \"read\": every file, from"
	echo "efikexec's start; \"park\": ExitBootServices to the APs parked;"
	echo "\"relocation\": the trampoline's copies and zero-fill; \"handoff\":"
	echo "ExitBootServices to the jump. \"memcpy\": the same number of bytes copied"
	echo "with a plain copy (rep movsq) inside the booted VM, the"
	echo "first time and again; \"ratio\": handoff / memcpy (warm)."
	echo
	echo "| plan | MiB | read | park | relocation | handoff | memcpy | memcpy again | ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for kind in initrd elf64; do
		for n in $sizes; do
			h=$(med "$kind" "$n" 6)
			m2=$(med "$kind" "$n" 8)
			echo "| $kind | $n | $(med "$kind" "$n" 3) | $(med "$kind" "$n" 4) | $(med "$kind" "$n" 5) | $h | $(med "$kind" "$n" 7) | $m2 | $(ratio "$h" "$m2") |"
		done
	done
	echo
	echo "initrd: the Linux-protocol probe kernel with an initrd of that size, read"
	echo "straight into its final place (only the small kernel moves). elf64: the"
	echo "ELF64 probe kernel carrying that much data, which must move after"
	echo "ExitBootServices, as in kexec; memcpy is timed in the same VM (where there"
	echo "is room for twice the size below 4 GiB)."
} > "$out/relocate.md"
for kind in initrd elf64; do
	for n in $sizes; do
		echo "$kind $n $(med "$kind" "$n" 5) $(med "$kind" "$n" 6) $(med "$kind" "$n" 8)"
	done
done > "$out/relocate.dat"
rm -f "$work/samples"
cat "$out/relocate.md"
