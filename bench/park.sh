#!/bin/sh
# Parking time against CPU count: boots efikexec with Debian's cloud
# kernel at each CPU count, ROUNDS times, interleaved, and reads the time
# efikexec measured between the first INIT and the last AP's record
# ("efikexec: parked N/M, ... in T us"). Each boot stops once that line is
# out. Writes build/bench/park.md and park.dat (for the plot).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
counts=${CPUS:-2 4 8 16}
mkdir -p "$work"

kernel=$(debian_kernel)
"$tools/mkinitramfs.sh" "$work/initrd.img"
printf '%s\r\n' "fs0:" "efikexec.efi --initrd \\initrd.img \\vmlinuz console=ttyS0" \
	> "$work/startup.nsh"
"$tools/mkesp.sh" "$work/esp.img" efikexec.efi="$root/build/efikexec.efi" \
	vmlinuz="$kernel" \
	initrd.img="$work/initrd.img" startup.nsh="$work/startup.nsh"

# one_boot CPUS CPU_MODEL: prints "total ipis", the parking time and the
# part spent sending IPIs, in microseconds
one_boot() {
	log=$work/serial-$1.log
	rm -f "$log"
	TIMEOUT=120 "$tools/qemu.sh" "$work/esp.img" "$log" -smp "$1" -m 1024 $2 &
	pid=$!
	i=0
	while [ $i -lt 1200 ] && ! grep -q "efikexec: parked" "$log" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	# QEMU runs under qemu.sh's timeout(1): end it by its serial log path
	pkill -f "serial file:$log" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	sed -n 's/.*efikexec: parked [0-9]*\/[0-9]*, [0-9]* flushed, in \([0-9]*\) us (IPIs sent in \([0-9]*\) us).*/\1 \2/p' "$log" | head -n 1
}

for model in "" "-cpu max,-hypervisor"; do
	for r in $(seq "$rounds"); do
		for n in $counts; do
			t=$(one_boot "$n" "$model")
			echo "$model|$n|${t% *}|${t#* }" >> "$work/samples"
			echo "park: ${model:-default cpu} -smp $n round $r: ${t:-no line} (total, IPIs) us" >&2
		done
	done
done

{
	echo "# Parking time (efikexec, QEMU TCG, $(nproc) host cores)"
	echo
	echo "Time from the first INIT to the last AP's record (total), and the part"
	echo "of it spent sending the INITs and SIPIs with their two waits (IPIs),"
	echo "measured by efikexec with the TSC; median of $rounds interleaved boots."
	echo
	echo "| vCPUs | APs | default CPU: total us | IPIs us | -cpu max,-hypervisor (WBINVD): total us | IPIs us |"
	echo "|---:|---:|---:|---:|---:|---:|"
	for n in $counts; do
		a=$(grep "^|$n|" "$work/samples" | cut -d'|' -f3 | median)
		ai=$(grep "^|$n|" "$work/samples" | cut -d'|' -f4 | median)
		b=$(grep "^-cpu max,-hypervisor|$n|" "$work/samples" | cut -d'|' -f3 | median)
		bi=$(grep "^-cpu max,-hypervisor|$n|" "$work/samples" | cut -d'|' -f4 | median)
		echo "| $n | $((n - 1)) | $a | $ai | $b | $bi |"
	done
} > "$out/park.md"
for n in $counts; do
	echo "$n $(grep "^|$n|" "$work/samples" | cut -d'|' -f3 | median) $(grep "^-cpu max,-hypervisor|$n|" "$work/samples" | cut -d'|' -f3 | median)"
done > "$out/park.dat"
rm -f "$work/samples"
cat "$out/park.md"
