#!/bin/sh
# QEMU's own loaders under SeaBIOS, the same Debian kernel and initramfs
# both ways, ROUNDS pairs, interleaved (the order alternating by round):
#   direct       -kernel vmlinuz -initrd initrd.img -append CMDLINE: QEMU's
#                Linux loader, the limit for any loader
#   efikexec.mb  -kernel efikexec.mb -initrd "vmlinuz CMDLINE,initrd.img":
#                QEMU's Multiboot loader starts efikexec.mb, which boots
#                the first module with the second as its initrd
# (SMP= the CPU count: 2 by default.) For each boot, bench/bootclock notes
# when the initramfs's first line arrived, in microseconds after QEMU
# started; the efikexec.mb boots also yield its stages, from the handoff
# record the kernel received. An efikexec.mb boot with -v before them,
# not timed, keeps efikexec.mb's own account ("efikexec: time:" lines).
# Writes build/bench/mb.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
smp=${SMP:-2}
mkdir -p "$work"

# make bench builds efikexec.efi; this part needs efikexec.mb too
make -C "$root" --no-print-directory build/efikexec.mb >&2
kernel=$(debian_kernel)
# QEMU passes module paths as written: boot from $work, by relative names
# (and no commas in the command line: -initrd separates modules with them)
cd "$work"
ln -sfn "$kernel" vmlinuz
ln -sfn "$root/build/efikexec.mb" efikexec.mb
"$tools/mkinitramfs.sh" initrd.img

# one_boot WAY LOG [-v]: boots WAY with the serial port in LOG and prints
# when the initramfs's first line arrived (microseconds after QEMU started)
one_boot() {
	way=$1 log=$2
	shift 2
	case $way in
	direct) set -- -kernel vmlinuz -initrd initrd.img -append "$cmdline" ;;
	efikexec.mb) set -- -kernel efikexec.mb ${1:+-append "$1"} \
		-initrd "vmlinuz $cmdline,initrd.img" ;;
	esac
	BIOS=1 TIMEOUT=180 "$bootclock" "$log" "efikexec-probe: kernel=" -- \
		"$tools/qemu.sh" "" /dev/stdout -smp "$smp" -m 1024 "$@"
}

# first, untimed: efikexec.mb's own account with -v, and a boot that pays
# for the host's cold caches (QEMU, SeaBIOS, the files), which would
# otherwise fall on the first timed boot
one_boot efikexec.mb "$work/serial-verbose.log" -v > /dev/null ||
	echo "mb: the -v boot did not reach the initramfs (log: $work/serial-verbose.log)" >&2
: > "$work/samples"
: > "$work/stages"
for r in $(seq "$rounds"); do
	ways="direct efikexec.mb"
	[ $((r % 2)) = 1 ] || ways="efikexec.mb direct"
	for way in $ways; do
		log=$work/serial-$way-$r.log
		if t=$(one_boot "$way" "$log"); then
			echo "$way $r $t" >> "$work/samples"
			echo "mb: $way round $r: initramfs at $t us" >&2
		else
			echo "mb: $way round $r: no initramfs line (log: $log)" >&2
		fi
		if [ "$way" = efikexec.mb ]; then
			sed -n 's/^efikexec-probe: handoff_stages_us=//p' "$log" | tr -d '\r' >> "$work/stages"
		fi
	done
done

{
	echo "# QEMU -kernel, direct and through efikexec.mb (QEMU TCG, SeaBIOS, -smp $smp -m 1024, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release) and a busybox initramfs, command line"
	echo "\`$cmdline\`, started by QEMU's own loaders under SeaBIOS:"
	echo "\"direct\", \`-kernel vmlinuz -initrd initrd.img\` (QEMU's Linux loader,"
	echo "the limit for any loader), and \"efikexec.mb\", \`-kernel efikexec.mb"
	echo "-initrd \"vmlinuz ...,initrd.img\"\` (QEMU's Multiboot loader starts"
	echo "efikexec.mb, which boots the first module with the second as its"
	echo "initrd). From QEMU's start to the initramfs's first serial line; median"
	echo "of $rounds interleaved pairs, the order alternating by round. Ratio: to"
	echo "direct's median."
	echo
	echo "| way | QEMU start to initramfs, ms | ratio | boots |"
	echo "|---|---:|---:|---:|"
	direct=$(col direct 3 | median)
	for way in direct efikexec.mb; do
		total=$(col "$way" 3 | median)
		echo "| $way | $(ms "$total") | $(ratio "$total" "$direct") | $(col "$way" 1 | wc -l) |"
	done
	echo
	echo "Each pair:"
	echo
	echo "| round | direct, ms | efikexec.mb, ms | ratio |"
	echo "|---:|---:|---:|---:|"
	for r in $(seq "$rounds"); do
		a=$(awk -v r="$r" '$1 == "direct" && $2 == r { print $3 }' "$work/samples")
		b=$(awk -v r="$r" '$1 == "efikexec.mb" && $2 == r { print $3 }' "$work/samples")
		echo "| $r | $(ms "${a:--}") | $(ms "${b:--}") | $(ratio "${b:--}" "${a:--}") |"
	done
	if [ -s "$work/stages" ]; then
		echo
		echo "efikexec.mb's stages, as the kernel received them (handoff record,"
		echo "median microseconds after efikexec.mb's entry, and each stage's own"
		echo "share; there are no boot services to exit under SeaBIOS, and"
		echo "exit_boot_services marks the same point, just before the APs are"
		echo "parked). From entry to the jump: $(ms "$(stage_at jump "$work/stages")") ms."
		echo
		stage_table "$work/stages"
	fi
	if grep -q "efikexec: time:" "$work/serial-verbose.log"; then
		echo
		echo "efikexec.mb's own account, from a boot with \`-append -v\` before the"
		echo "timed ones:"
		echo
		tr -d '\r' < "$work/serial-verbose.log" | sed -n 's/^efikexec: time:/    &/p'
	fi
} > "$out/mb.md"
rm -f "$work/samples" "$work/stages"
cat "$out/mb.md"
