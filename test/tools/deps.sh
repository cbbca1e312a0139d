#!/bin/sh
# Installs the Debian 12 packages efikexec needs to build and boot in QEMU,
# only those that are missing. Used by `make run` and .ci/run; `deps.sh
# fuzz` adds what `make fuzz` needs (clang and libFuzzer), `deps.sh bench`
# what `make bench` compares efikexec with (GRUB, systemd-boot) and plots
# with.
set -eu

need=""
want() { # want PACKAGE FILE: the package that provides FILE
	[ -e "$2" ] || need="$need $1"
}
if [ "${1:-}" = fuzz ]; then
	want clang /usr/bin/clang
	[ -n "$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
		need="$need libclang-rt-14-dev"
fi
if [ "${1:-}" = bench ]; then
	want gnuplot-nox /usr/bin/gnuplot
fi
want gnu-efi /usr/lib/crt0-efi-x86_64.o
want nasm /usr/bin/nasm
want qemu-system-x86 /usr/bin/qemu-system-x86_64
want ovmf /usr/share/OVMF/OVMF_CODE_4M.fd
want mtools /usr/bin/mcopy
want busybox-static /bin/busybox
want cpio /usr/bin/cpio
want gcc /usr/bin/gcc
want make /usr/bin/make
want binutils /usr/bin/objcopy
# tools/elf_to_pe.py writes efikexec.efi from the linked ELF
want python3 /usr/bin/python3
want fdisk /sbin/sfdisk
want swtpm /usr/bin/swtpm
want sbsigntool /usr/bin/sbsign
# the Authenticode digest of a kernel, as the firmware measures it
want osslsigncode /usr/bin/osslsigncode
want openssl /usr/bin/openssl
want memtest86+ /boot/memtest86+x64.bin
# the Multiboot loaders efikexec.mb is tested under (test/qemu/mb-*.sh):
# SeaBIOS for QEMU's own, Debian's GRUB for BIOS (a CD image) and UEFI,
# Debian's kexec-tools (only its /usr/sbin/kexec goes into an initramfs)
want seabios /usr/share/seabios/bios-256k.bin
want grub-common /usr/bin/grub-mkrescue
want grub-pc-bin /usr/lib/grub/i386-pc/multiboot2.mod
want grub-efi-amd64-bin /usr/lib/grub/x86_64-efi/multiboot2.mod
want xorriso /usr/bin/xorriso
want kexec-tools /usr/sbin/kexec
# unified kernel images are made from Debian's systemd-stub (also the
# bench's systemd-boot), and PCR 11 predicted by systemd-measure
want systemd-boot-efi /usr/lib/systemd/boot/efi/linuxx64.efi.stub
want systemd /lib/systemd/systemd-measure
# shim's own PE/COFF loader starts efikexec.efi in test/qemu/shim.sh
want shim-unsigned /usr/lib/shim/shimx64.efi
# the Debian 12 system efikexec-install installs on (test/tools/mkdebian.sh)
want mmdebstrap /usr/bin/mmdebstrap
want dosfstools /sbin/mkfs.vfat
want e2fsprogs /sbin/mke2fs

[ -n "$need" ] || exit 0
echo "deps: installing$need"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
# the package lists are empty on a fresh machine
if [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ]; then
	$sudo apt-get update -qq
fi
# kexec-tools would otherwise take over the host's reboots (its debconf
# default); the tests only copy the binary
case " $need " in
*" kexec-tools "*)
	echo "kexec-tools kexec-tools/load_kexec boolean false" | $sudo debconf-set-selections ;;
esac
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
