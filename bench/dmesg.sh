#!/bin/sh
# Where the time goes after the jump, by the host's clock:
# the same kernel and initramfs as bench/boot.sh, booted from the UEFI
# shell through its EFI stub and through efikexec, ROUNDS times,
# interleaved, at SMP= CPUs (4 by default), with the kernel talking
# (earlyprintk on COM1, loglevel=7, printk.time=1; EXTRA= adds words, e.g.
# EXTRA=nokaslr or EXTRA=initcall_debug).
#
# Per boot, when each of these lines reached the host (bench/bootclock; the
# console is synchronous, so that is when the kernel printed it), in ms
# after the kernel's first line (earlyprintk, early in setup_arch):
#   loader   the shell's "echo bench: shell" to the kernel's first line
#            (the stub or efikexec, ExitBootServices, the jump, the
#            decompressor)
#   ioapic   "APIC: Switch to symmetric I/O mode" (the BSP alone so far)
#   smp_start, smp_done  "smp: Bringing up secondary CPUs", "smp: Brought up"
#   clocksource  "clocksource: Switched to clocksource"
#   run_init "Run /init as init process"
#   user     "Run /init" to the initramfs's first line
#   total    the shell to the initramfs's first line
# and the kernel's own timestamp of "Run /init" (k_run_init). With more
# than one vCPU (qemu64, TCG) the kernel finds the TSCs unsynchronized,
# and until it switches to the HPET its clock follows jiffies, which can
# lose ticks when the host is short of cores: its timestamps are not
# real time (docs/bench.md).
# Writes build/bench/dmesg.md, and each boot's log in build/bench/dmesg/.
# QEMU runs under flock /tmp/qemu.lock, one at a time.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
ways=${WAYS:-stub efikexec}
smp=${SMP:-4}
kcmd="console=ttyS0 earlyprintk=serial,ttyS0,115200 loglevel=7 printk.time=1 panic=-1${EXTRA:+ $EXTRA}"
mkdir -p "$work"

kernel=$(debian_kernel)
"$tools/mkinitramfs.sh" "$work/initrd.img"
for way in $ways; do
	case $way in
	stub) run="vmlinuz initrd=\\initrd.img $kcmd" ;;
	efikexec) run="efikexec.efi --initrd \\initrd.img \\vmlinuz $kcmd" ;;
	*) echo "dmesg.sh: no way '$way'" >&2; exit 2 ;;
	esac
	printf '%s\r\n' "fs0:" "echo bench: shell" "$run" > "$work/startup-$way.nsh"
	"$tools/mkesp.sh" "$work/esp-$way.img" vmlinuz="$kernel" \
		initrd.img="$work/initrd.img" efikexec.efi="$root/build/efikexec.efi" \
		startup.nsh="$work/startup-$way.nsh"
done

# kts LOG TEXT: the kernel's timestamp (ms) of the first line holding TEXT
kts() {
	tr -d '\r' < "$1" | awk -v s="$2" 'index($0, s) && match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
		t = substr($0, RSTART + 1, RLENGTH - 2); sub(/^ */, "", t); printf "%.1f\n", t * 1000; exit }'
}

pats="bench: shell|Linux version|APIC: Switch to symmetric I/O mode|smp: Bringing up secondary CPUs|smp: Brought up|clocksource: Switched to clocksource|Run /init as init process|efikexec-probe: kernel="
: > "$work/samples"
for r in $(seq "$rounds"); do
	for way in $ways; do
		log=$work/serial-$way-$r.log
		IFS='|'
		set -- $pats
		unset IFS
		if ! t=$(flock /tmp/qemu.lock "$bootclock" "$log" "$@" -- \
			env TIMEOUT=180 "$tools/qemu.sh" "$work/esp-$way.img" /dev/stdout \
			-smp "$smp" -m 1024); then
			echo "dmesg: $way round $r: a line is missing (log: $log)" >&2
			continue
		fi
		set -- $t
		k=$2
		line="$way loader=$(($2 - $1)) ioapic=$(($3 - k)) smp_start=$(($4 - k))"
		line="$line smp_done=$(($5 - k)) clocksource=$(($6 - k)) run_init=$(($7 - k))"
		line="$line user=$(($8 - $7)) total=$(($8 - $1)) k_run_init=$(kts "$log" "Run /init as init process")"
		echo "$line" >> "$work/samples"
		echo "dmesg: round $r: $line" >&2
	done
done

# med WAY KEY: the median of KEY=V over WAY's samples
med() {
	awk -v w="$1" -v k="$2" '$1 == w { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) print substr($i, length(k) + 2) }' \
		"$work/samples" | sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

{
	echo "# After the jump, by the host's clock (QEMU TCG, -smp $smp -m 1024, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release), command line \`$kcmd\`,"
	echo "from the UEFI shell; medians of $rounds interleaved boots, in ms."
	echo "loader: the shell's first command to the kernel's first line; then"
	echo "when each line was printed, after the kernel's first line (host"
	echo "clock, bench/bootclock); user: \"Run /init\" to the initramfs's first"
	echo "line; total: shell to that line; k_run_init: the kernel's own"
	echo "timestamp of \"Run /init\" (not real time, see bench/dmesg.sh)."
	echo
	printf '| ms |'
	for way in $ways; do printf ' %s |' "$way"; done
	echo
	printf '|---|'
	for way in $ways; do printf -- '---:|'; done
	echo
	for k in loader ioapic smp_start smp_done clocksource run_init user total k_run_init; do
		printf '| %s |' "$k"
		for way in $ways; do
			v=$(med "$way" "$k")
			case $k in k_run_init) ;; *) v=$(ms "$v") ;; esac
			printf ' %s |' "$v"
		done
		echo
	done
} > "$out/dmesg.md"
cat "$out/dmesg.md"
