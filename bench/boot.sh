#!/bin/sh
# End to end: the same Debian kernel and initramfs, booted from the UEFI
# shell four ways, ROUNDS times, interleaved:
#   stub          the kernel's own EFI stub (fs0:\vmlinuz initrd=...)
#   efikexec      efikexec.efi --initrd ... \vmlinuz ...
#   grub          a standalone grubx64.efi (grub-mkstandalone), its
#                 grub.cfg inside, finding the kernel with search --file
#   systemd-boot  systemd-bootx64.efi with a BLS entry and timeout 0
# and, when WAYS= names them, the same kernel, initramfs and command line
# in a unified kernel image (Debian's systemd-stub, test/tools/mkuki.sh):
#   uki-stub      the image run from the shell: its stub boots the kernel
#   uki           efikexec.efi \EFI\Linux\bench.efi: efikexec boots the
#                 kernel from it without running the stub
#   vmlinux       efikexec.efi --initrd ... \vmlinux ...: the same kernel's
#                 uncompressed ELF, taken out of the bzImage, entered
#                 without the decompressor
# and, with BASELINE=path to another build of efikexec.efi (an older
# commit's, say), the same command as efikexec through that build:
#   baseline      baseline.efi --initrd ... \vmlinuz ...
# (WAYS= chooses, SMP= the CPU count: 2 by default, KERNEL= the kernel
# flavour: bench/helpers.sh.)
# For each boot, bench/bootclock notes when the serial line of the script's
# first command ("bench: shell") and the initramfs's first line arrived,
# in microseconds after QEMU started. The shell's 5 s countdown is the same
# for every way; "shell to initramfs" leaves it and the firmware out.
# Writes build/bench/NAME.md and the samples (NAME.dat; NAME= chooses it,
# boot by default) for the plot.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/helpers.sh"
rounds=${ROUNDS:-5}
ways=${WAYS:-stub efikexec grub systemd-boot}
smp=${SMP:-2}
name=${NAME:-boot}
mkdir -p "$work"

kernel=$(debian_kernel)
"$tools/mkinitramfs.sh" "$work/initrd.img"

cat > "$work/grub.cfg" <<EOF
set timeout=0
search --no-floppy --file --set=root /vmlinuz
linux /vmlinuz $cmdline
initrd /initrd.img
boot
EOF
grub-mkstandalone -O x86_64-efi -o "$work/grubx64.efi" \
	--install-modules="normal search search_fs_file fat part_gpt part_msdos linux echo test" \
	--modules="search search_fs_file fat part_gpt part_msdos linux" \
	--locales= --fonts= --themes= "boot/grub/grub.cfg=$work/grub.cfg"
printf 'timeout 0\ndefault bench.conf\n' > "$work/loader.conf"
printf 'title bench\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$cmdline" \
	> "$work/bench.conf"
case " $ways " in
*" vmlinux "*) debian_vmlinux "$work/vmlinux" ;;
esac
case " $ways " in
*" uki"*)
	printf 'ID=bench\n' > "$work/os-release"
	"$tools/mkuki.sh" "$work/bench.efi" "$kernel" "$work/initrd.img" "$cmdline" \
		"$work/os-release" ;;
esac

# every way gets the same volume, but for its own startup.nsh
for way in $ways; do
	case $way in
	stub) run="vmlinuz initrd=\\initrd.img $cmdline" ;;
	efikexec) run="efikexec.efi --initrd \\initrd.img \\vmlinuz $cmdline" ;;
	grub) run="grubx64.efi" ;;
	systemd-boot) run="systemd-bootx64.efi" ;;
	uki-stub) run="EFI\\Linux\\bench.efi" ;;
	uki) run="efikexec.efi \\EFI\\Linux\\bench.efi" ;;
	vmlinux) run="efikexec.efi --initrd \\initrd.img \\vmlinux $cmdline" ;;
	baseline) run="baseline.efi --initrd \\initrd.img \\vmlinuz $cmdline" ;;
	*) echo "boot.sh: no way '$way'" >&2; exit 2 ;;
	esac
	# (the other images only on the volumes that boot them)
	extra=""
	case $way in uki*) extra=EFI/Linux/bench.efi=$work/bench.efi ;; esac
	case $way in vmlinux) extra=vmlinux=$work/vmlinux ;; esac
	case $way in baseline) extra="baseline.efi=${BASELINE:?BASELINE= names the other efikexec.efi}" ;; esac
	printf '%s\r\n' "fs0:" "echo bench: shell" "$run" > "$work/startup-$way.nsh"
	# shellcheck disable=SC2086
	"$tools/mkesp.sh" "$work/esp-$way.img" vmlinuz="$kernel" \
		initrd.img="$work/initrd.img" efikexec.efi="$root/build/efikexec.efi" \
		grubx64.efi="$work/grubx64.efi" \
		systemd-bootx64.efi=/usr/lib/systemd/boot/efi/systemd-bootx64.efi \
		loader/loader.conf="$work/loader.conf" \
		loader/entries/bench.conf="$work/bench.conf" \
		$extra startup.nsh="$work/startup-$way.nsh"
done

: > "$work/samples"
for r in $(seq "$rounds"); do
	for way in $ways; do
		log=$work/serial-$way-$r.log
		# the echoed command line holds the marker too; its line comes first
		if t=$(TIMEOUT=180 "$bootclock" "$log" "bench: shell" "efikexec-probe: kernel=" -- \
			"$tools/qemu.sh" "$work/esp-$way.img" /dev/stdout -smp "$smp" -m 1024); then
			set -- $t
			echo "$way $1 $2" >> "$work/samples"
			echo "boot: $way round $r: initramfs at $2 us, $(($2 - $1)) us after the shell's script started" >&2
		else
			echo "boot: $way round $r: no initramfs line (log: $log)" >&2
		fi
		case $way in efikexec | vmlinux)
			sed -n 's/^efikexec-probe: handoff_stages_us=//p' "$log" | tr -d '\r' >> "$work/stages-$way"
		esac
	done
done

{
	echo "# Boot to the initramfs (QEMU TCG, -smp $smp -m 1024, $(nproc) host cores)"
	echo
	echo "Debian's $(debian_release) and a busybox initramfs, command"
	echo "line \`$cmdline\`, each way started from the UEFI shell; median of"
	echo "$rounds interleaved boots. \"QEMU start\": until the initramfs's first"
	echo "serial line. \"shell\": from the startup script's first command (after"
	echo "the shell's 5 s countdown) to that line. Ratios: to the EFI stub's median."
	echo
	echo "| way | QEMU start to initramfs, ms | ratio | shell to initramfs, ms | ratio | boots |"
	echo "|---|---:|---:|---:|---:|---:|"
	stub_total=$(col stub 3 | median)
	stub_shell=$(awk '$1 == "stub" { print $3 - $2 }' "$work/samples" | median)
	for way in $ways; do
		total=$(col "$way" 3 | median)
		shell=$(awk -v w="$way" '$1 == w { print $3 - $2 }' "$work/samples" | median)
		echo "| $way | $(ms "$total") | $(ratio "$total" "$stub_total") | $(ms "$shell") | $(ratio "$shell" "$stub_shell") | $(col "$way" 1 | wc -l) |"
	done
	for way in efikexec vmlinux; do
		[ -s "$work/stages-$way" ] || continue
		echo
		echo "efikexec's stages in the $way boots, as the kernel received them"
		echo "(handoff record, median microseconds after efikexec started, and each"
		echo "stage's own share):"
		echo
		stage_table "$work/stages-$way"
	done
} > "$out/$name.md"
awk '{ print $1, $3 / 1000, ($3 - $2) / 1000 }' "$work/samples" > "$out/$name.dat"
rm -f "$work/samples" "$work"/stages-*
cat "$out/$name.md"
