#!/bin/sh
# The kernel read straight to its place: Debian's cloud kernel
# and the test initramfs, started from the UEFI shell with
# `efikexec.efi -v`, the kernel file as it is and padded with PADS MiB
# more (random bytes after the image, which the kernel never looks at:
# its syssize and payload are unchanged), ROUNDS times each, interleaved.
# Per boot, from efikexec's own `-v` lines (each file's read, as the
# firmware did it) and the stage stamps the initramfs reports (handoff
# record):
#   reads       the time in the firmware's Open() and Read() for every file
#   jump        efikexec's start to the jump into the kernel
#   relocation  parked to relocated: what the trampoline copies
# Each size is booted once more with --verify (VERIFY=0: not), and
#   verify      relocated to the jump: the trampoline's SHA-256 check of
#               every segment at its destination (with the cache flush)
#   digests     the growth of planned to ExitBootServices, where the
#               digests of what was loaded are taken
# Writes build/bench/kernel.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-3}
pads=${PADS:-0 64 256}
verify=${VERIFY:-1}
mkdir -p "$work"

kernel=$(debian_kernel)
"$tools/mkinitramfs.sh" "$work/initrd.img"
kinds=plain
[ "$verify" = 1 ] && kinds="plain verify"
for pad in $pads; do
	cp "$kernel" "$work/vmlinuz"
	head -c $((pad * 1048576)) /dev/urandom >> "$work/vmlinuz"
	for kind in $kinds; do
		opt=""
		[ "$kind" = verify ] && opt="--verify "
		printf '%s\r\n' "fs0:" \
			"efikexec.efi -v $opt--initrd \\initrd.img \\vmlinuz $cmdline" \
			> "$work/startup.nsh"
		"$tools/mkesp.sh" "$work/esp-$kind-$pad.img" efikexec.efi="$root/build/efikexec.efi" \
			vmlinuz="$work/vmlinuz" initrd.img="$work/initrd.img" \
			startup.nsh="$work/startup.nsh"
	done
done
size0=$(stat -c %s "$kernel")
rm -f "$work/vmlinuz" "$work/startup.nsh"

# one_boot KIND PAD: "KIND PAD reads jump relocation check leaving",
# microseconds
one_boot() {
	log=$work/serial-$1-$2.log
	TIMEOUT=300 "$tools/qemu.sh" "$work/esp-$1-$2.img" "$log" -smp 2 -m 2048 || true
	tr -d '\r' < "$log" | awk -v kind="$1" -v pad="$2" '
		/^efikexec: time: read / {
			for (i = 1; i < NF; i++) if ($(i + 1) == "us,") reads += $i
		}
		/^efikexec-probe: handoff_stages_us=/ {
			sub(/^efikexec-probe: handoff_stages_us=/, "")
			for (i = 1; i <= NF; i++) { split($i, kv, ":"); t[kv[1]] = kv[2] }
		}
		END {
			if (!t["jump"] || !reads) exit 1
			printf "%s %d %d %d %d %d %d\n", kind, pad, reads, t["jump"],
				t["relocated"] - t["parked"], t["jump"] - t["relocated"],
				t["exit_boot_services"] - t["planned"]
		}'
}

run_rounds "$kinds" "$pads"

med() { # med KIND PAD COLUMN
	awk -v k="$1" -v p="$2" -v c="$3" '$1 == k && $2 == p { print $c }' "$work/samples" | median
}
{
	echo "# The kernel read to its place (QEMU TCG, -smp 2 -m 2048, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release) ($((size0 / 1048576)) MiB) and the test"
	echo "initramfs, the kernel file padded with that many MiB; median of $rounds"
	echo "interleaved boots, microseconds. \"reads\": the firmware's Open() and Read() of every"
	echo "file (efikexec -v); \"jump\": efikexec's start to the jump; \"jump / reads\":"
	echo "what efikexec adds to the I/O; \"relocation\": the trampoline's copies"
	echo "(parked to relocated)."
	echo
	echo "| kernel file, MiB | reads | jump | jump / reads | relocation |"
	echo "|---:|---:|---:|---:|---:|"
	for pad in $pads; do
		reads=$(med plain "$pad" 3)
		jump=$(med plain "$pad" 4)
		echo "| $(((size0 + pad * 1048576) / 1048576)) | $reads | $jump | $(ratio "$jump" "$reads") | $(med plain "$pad" 5) |"
	done
	if [ "$verify" = 1 ]; then
		echo
		echo "With --verify: \"check\", relocated to the jump (the SHA-256 of every"
		echo "segment at its destination, kernel and initrd); \"digests\": how much"
		echo "longer planned to ExitBootServices is than without (the digests of"
		echo "what was loaded, taken there); per MiB of the kernel file and the"
		echo "initrd."
		echo
		echo "| kernel file, MiB | check | digests | check per MiB | digests per MiB |"
		echo "|---:|---:|---:|---:|---:|"
		mib0=$(( ($(stat -c %s "$work/initrd.img") + size0) / 1048576 ))
		for pad in $pads; do
			check=$(med verify "$pad" 6)
			dig=$(( $(med verify "$pad" 7) - $(med plain "$pad" 7) ))
			mib=$((mib0 + pad))
			echo "| $(((size0 + pad * 1048576) / 1048576)) | $check | $dig | $((check / mib)) | $((dig / mib)) |"
		done
	fi
} > "$out/kernel.md"
rm -f "$work/samples"
cat "$out/kernel.md"
