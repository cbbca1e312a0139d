#!/bin/sh
# qemu.sh ESP LOG [QEMU ARGS...]
#
# Boots OVMF (a fresh copy of its variable store each time) from the ESP
# image with the serial port in LOG, under TCG, and waits for QEMU to end
# (the guest powers off, or TIMEOUT seconds pass: default 300).
# Extra arguments go to QEMU (e.g. -smp 4 -m 1024 -cpu max,-hypervisor).
# SECURE_BOOT=1 boots OVMF's Secure Boot build (it needs SMM) with the
# snakeoil keys enrolled: PkKek-1-snakeoil signs what it may start.
# VARS=FILE keeps the variable store in FILE across boots (made fresh when
# FILE does not exist yet), for tests whose second boot must see what the
# first one wrote.
# BIOS=1 boots QEMU's default BIOS (SeaBIOS) instead: no flash and no
# variable store. ESP may then be empty, attaching no disk, for boots
# whose extra arguments say what to start (-kernel, -cdrom).
set -eu
esp=$1
log=$2
shift 2
[ -z "$esp" ] || set -- -drive if=virtio,format=raw,file="$esp" "$@"
machine=q35
if [ "${BIOS:-0}" != 1 ]; then
	vars=${VARS:-}
	if [ -z "$vars" ]; then
		vars=$(mktemp)
		trap 'rm -f "$vars"' EXIT
		rm -f "$vars"
	fi
	code=/usr/share/OVMF/OVMF_CODE_4M.fd
	if [ "${SECURE_BOOT:-0}" = 1 ]; then
		code=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
		[ -e "$vars" ] || cp /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd "$vars"
		machine=q35,smm=on
		set -- -global driver=cfi.pflash01,property=secure,value=on "$@"
	elif [ ! -e "$vars" ]; then
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
	fi
	set -- -drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
		-drive if=pflash,format=raw,unit=1,file="$vars" "$@"
fi
rc=0
timeout "${TIMEOUT:-300}" qemu-system-x86_64 \
	-accel tcg -machine "$machine" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-display none -monitor none -net none -no-reboot \
	-serial file:"$log" "$@" || rc=$?
[ "$rc" = 124 ] && echo "qemu.sh: timed out after ${TIMEOUT:-300} s" >&2
exit "$rc"
