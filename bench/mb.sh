#!/bin/sh
# QEMU's own loaders under SeaBIOS, the same Debian kernel and initramfs
# two ways, ROUNDS pairs, interleaved (the order alternating by round):
#   direct       -kernel vmlinuz -initrd initrd.img -append CMDLINE: QEMU's
#                Linux loader, the limit for any loader
#   efikexec.mb  -kernel efikexec.mb -initrd "vmlinuz CMDLINE,initrd.img":
#                QEMU's Multiboot loader starts efikexec.mb, which boots
#                the first module with the second as its initrd
# or, with WAYS="pvh vmlinux.mb", the kernel's uncompressed ELF (taken out
# of the bzImage) without its decompressor:
#   pvh          -kernel vmlinux -initrd initrd.img -append CMDLINE: QEMU
#                enters the ELF at its PVH entry point
#   vmlinux.mb   -kernel efikexec.mb -initrd "vmlinux CMDLINE,initrd.img":
#                efikexec.mb enters it by the 64-bit boot protocol
# (SMP= the CPU count: 2 by default; KERNEL= the flavour, NAME= the
# result's name: mb.) For each boot, bench/bootclock notes
# when the initramfs's first line arrived, in microseconds after QEMU
# started; the efikexec.mb boots also yield its stages, from the handoff
# record the kernel received. An efikexec.mb boot with -v before them,
# not timed, keeps efikexec.mb's own account ("efikexec: time:" lines).
# Writes build/bench/NAME.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
smp=${SMP:-2}
set -- ${WAYS:-direct efikexec.mb}
ref=$1 other=$2 # the ratios are to the first
name=${NAME:-mb}
work=$out/$name
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
case "$ref $other" in *vmlinux* | *pvh*) debian_vmlinux vmlinux ;; esac

# one_boot WAY LOG [-v]: boots WAY with the serial port in LOG and prints
# when the initramfs's first line arrived (microseconds after QEMU started)
one_boot() {
	way=$1 log=$2
	shift 2
	case $way in
	direct) set -- -kernel vmlinuz -initrd initrd.img -append "$cmdline" ;;
	efikexec.mb) set -- -kernel efikexec.mb ${1:+-append "$1"} \
		-initrd "vmlinuz $cmdline,initrd.img" ;;
	pvh) set -- -kernel vmlinux -initrd initrd.img -append "$cmdline" ;;
	vmlinux.mb) set -- -kernel efikexec.mb ${1:+-append "$1"} \
		-initrd "vmlinux $cmdline,initrd.img" ;;
	esac
	BIOS=1 TIMEOUT=180 "$bootclock" "$log" "efikexec-probe: kernel=" -- \
		"$tools/qemu.sh" "" /dev/stdout -smp "$smp" -m 1024 "$@"
}

# first, untimed: efikexec.mb's own account with -v, and a boot that pays
# for the host's cold caches (QEMU, SeaBIOS, the files), which would
# otherwise fall on the first timed boot
one_boot "$other" "$work/serial-verbose.log" -v > /dev/null ||
	echo "mb: the -v boot did not reach the initramfs (log: $work/serial-verbose.log)" >&2
: > "$work/samples"
: > "$work/stages"
for r in $(seq "$rounds"); do
	ways="$ref $other"
	[ $((r % 2)) = 1 ] || ways="$other $ref"
	for way in $ways; do
		log=$work/serial-$way-$r.log
		if t=$(one_boot "$way" "$log"); then
			echo "$way $r $t" >> "$work/samples"
			echo "mb: $way round $r: initramfs at $t us" >&2
		else
			echo "mb: $way round $r: no initramfs line (log: $log)" >&2
		fi
		if [ "$way" = "$other" ]; then
			sed -n 's/^efikexec-probe: handoff_stages_us=//p' "$log" | tr -d '\r' >> "$work/stages"
		fi
	done
done

{
	echo "# QEMU -kernel: $ref and $other (QEMU TCG, SeaBIOS, -smp $smp -m 1024, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release) and a busybox initramfs, command line"
	echo "\`$cmdline\`, started by QEMU's own loaders under SeaBIOS:"
	for way in $ref $other; do
		case $way in
		direct) echo "\"direct\", \`-kernel vmlinuz -initrd initrd.img\` (QEMU's Linux loader,"
			echo "the limit for any loader);" ;;
		efikexec.mb) echo "\"efikexec.mb\", \`-kernel efikexec.mb -initrd \"vmlinuz ...,initrd.img\"\`"
			echo "(QEMU's Multiboot loader starts efikexec.mb, which boots the first"
			echo "module with the second as its initrd);" ;;
		pvh) echo "\"pvh\", \`-kernel vmlinux -initrd initrd.img\`: the kernel's ELF, taken"
			echo "out of its bzImage, entered by QEMU at its PVH entry point;" ;;
		vmlinux.mb) echo "\"vmlinux.mb\", \`-kernel efikexec.mb -initrd \"vmlinux ...,initrd.img\"\`:"
			echo "efikexec.mb enters the same ELF by the 64-bit boot protocol;" ;;
		esac
	done
	echo "from QEMU's start to the initramfs's first serial line; median"
	echo "of $rounds interleaved pairs, the order alternating by round. Ratio: to"
	echo "$ref's median."
	echo
	echo "| way | QEMU start to initramfs, ms | ratio | boots |"
	echo "|---|---:|---:|---:|"
	base=$(col "$ref" 3 | median)
	for way in $ref $other; do
		total=$(col "$way" 3 | median)
		echo "| $way | $(ms "$total") | $(ratio "$total" "$base") | $(col "$way" 1 | wc -l) |"
	done
	echo
	echo "Each pair:"
	echo
	echo "| round | $ref, ms | $other, ms | ratio |"
	echo "|---:|---:|---:|---:|"
	for r in $(seq "$rounds"); do
		a=$(awk -v w="$ref" -v r="$r" '$1 == w && $2 == r { print $3 }' "$work/samples")
		b=$(awk -v w="$other" -v r="$r" '$1 == w && $2 == r { print $3 }' "$work/samples")
		echo "| $r | $(ms "${a:--}") | $(ms "${b:--}") | $(ratio "${b:--}" "${a:--}") |"
	done
	if [ -s "$work/stages" ]; then
		echo
		echo "$other's stages, as the kernel received them (handoff record,"
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
} > "$out/$name.md"
rm -f "$work/samples" "$work/stages"
cat "$out/$name.md"
