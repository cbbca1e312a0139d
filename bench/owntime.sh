#!/bin/sh
# efikexec.efi's own time, start to jump, besides the firmware's reads and
# its ExitBootServices: Debian's cloud kernel and the test initramfs from
# the UEFI shell, `efikexec.efi --initrd \initrd.img \vmlinuz ...` without
# -v (nothing printed that a quiet boot does not print), ROUNDS boots
# (5), -smp 2 -m 1024 (SMP= another CPU count). With BASELINE=path to
# another build of efikexec.efi that hands over the same record (version
# 3), the same boot through it, interleaved round by round.
# Nothing is timed by printing: efikexec keeps its TSC stamps in the
# handoff record (docs/handoff.md) and the initramfs reports them. Per
# boot, microseconds:
#   startup     start to every file read, less the reads: the TSC's
#               calibration, the options, the CPUs, the memory map,
#               placing the kernel
#   planning    every file read to the plan made and checked
#   publishing  planned to committed: measured boot (PCRs 8 and 9), the
#               Boot Loader Interface variables, the random seed
#   console     committed to leaving: the console lines of a quiet boot,
#               the trampoline's preparation, page protections
#   parking     ExitBootServices returned to the APs parked
#   relocation  parked to relocated (the trampoline's copies)
#   jump        relocated to the jump
#   own         the sum of those: start to jump, less the reads and
#               ExitBootServices
# and, for reference, reads (the firmware's Open() and Read() of every
# file) and ebs (leaving to ExitBootServices returned: the final memory
# map and the firmware's ExitBootServices), and the TSC's rate efikexec
# measured (Hz).
# Writes build/bench/owntime.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
smp=${SMP:-2}
mkdir -p "$work"

kernel=$(debian_kernel)
"$tools/mkinitramfs.sh" "$work/initrd.img"
ways=efikexec
[ -n "${BASELINE:-}" ] && ways="baseline efikexec"
for way in $ways; do
	efi=$root/build/efikexec.efi
	[ "$way" = baseline ] && efi=$BASELINE
	printf '%s\r\n' "fs0:" "efikexec.efi --initrd \\initrd.img \\vmlinuz $cmdline" \
		> "$work/startup.nsh"
	"$tools/mkesp.sh" "$work/esp-$way.img" efikexec.efi="$efi" \
		vmlinuz="$kernel" initrd.img="$work/initrd.img" \
		startup.nsh="$work/startup.nsh"
done
rm -f "$work/startup.nsh"

stages="startup planning publishing console parking relocation jump own reads ebs tsc_hz"

# one_boot WAY N: "WAY N" and the stages' microseconds, in $stages' order
one_boot() {
	log=$work/serial-$1-$2.log
	TIMEOUT=300 "$tools/qemu.sh" "$work/esp-$1.img" "$log" -smp "$smp" -m 1024 || true
	tr -d '\r' < "$log" | awk -v way="$1" -v n="$2" '
		/^efikexec-probe: handoff_(stages|detail)_us=/ {
			sub(/^efikexec-probe: handoff_(stages|detail)_us=/, "")
			for (i = 1; i <= NF; i++) { split($i, kv, ":"); t[kv[1]] = kv[2] }
		}
		END {
			if (!t["jump"] || !t["leaving"]) exit 1
			ebs = t["exit_boot_services"] - t["leaving"]
			printf "%s %s %d %d %d %d %d %d %d %d %d %d %s\n", way, n,
				t["modules_read"] - t["reads"],
				t["planned"] - t["modules_read"],
				t["committed"] - t["planned"],
				t["leaving"] - t["committed"],
				t["parked"] - t["exit_boot_services"],
				t["relocated"] - t["parked"],
				t["jump"] - t["relocated"],
				t["jump"] - t["reads"] - ebs, t["reads"], ebs, t["tsc_hz"]
		}'
}

run_rounds "$ways" "$smp"

med() { # med WAY COLUMN
	awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$work/samples" | median
}
{
	echo "# efikexec.efi's own time (QEMU TCG, -smp $smp -m 1024, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release) and the test initramfs, efikexec.efi"
	echo "from the shell without -v; median of $rounds boots (interleaved with"
	echo "the baseline's), microseconds, from the handoff record's stamps."
	echo "\"own\": start to jump less the reads and ExitBootServices."
	echo
	header="| stage |"
	rule="|---|"
	for way in $ways; do header="$header $way |"; rule="$rule---:|"; done
	echo "$header"
	echo "$rule"
	c=3
	for stage in $stages; do
		row="| $stage |"
		for way in $ways; do row="$row $(med "$way" "$c") |"; done
		echo "$row"
		c=$((c + 1))
	done
	echo
	echo "Each boot (way, smp, then the stages in the order above):"
	echo
	sed 's/^/    /' "$work/samples"
} > "$out/owntime.md"
rm -f "$work/samples"
cat "$out/owntime.md"
