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
# SHELL_KEY=1 answers the UEFI shell's startup.nsh countdown ("Press ESC
# in 5 seconds to skip startup.nsh or any other key to continue") with a
# space on the serial line as soon as the log shows it, instead of
# waiting the 5 s out; LOG must then be a file of its own.
set -eu
# what to end and remove when QEMU has ended, or this script is ended
# (a signal ends it through exit, so that the EXIT trap runs)
writer="" pipe="" tmpvars=""
cleanup() {
	[ -z "$writer" ] || kill "$writer" 2>/dev/null || true
	[ -z "$pipe" ] || rm -rf "$pipe"
	[ -z "$tmpvars" ] || rm -f "$tmpvars"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
esp=$1
log=$2
shift 2
[ -z "$esp" ] || set -- -drive if=virtio,format=raw,file="$esp" "$@"
machine=q35
if [ "${BIOS:-0}" != 1 ]; then
	vars=${VARS:-}
	if [ -z "$vars" ]; then
		vars=$(mktemp)
		tmpvars=$vars
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
serial=file:$log
if [ "${SHELL_KEY:-0}" = 1 ]; then
	# QEMU's pipe backend reads PATH.in and writes PATH.out (QEMU 7.2's
	# file backend takes no input); it opens both without creating them
	pipe=$(mktemp -d)
	mkfifo "$pipe/serial.in"
	: > "$log"
	ln -s "$(realpath "$log")" "$pipe/serial.out"
	serial=pipe:$pipe/serial
	# the shell reads the key once its countdown has begun, and takes it
	# off the line (no later reader of the console sees it); the writer
	# gives up when this script is gone
	(
		until grep -qaF "any other key to continue" "$log"; do
			kill -0 $$ 2>/dev/null || exit 0
			sleep 0.2
		done
		printf ' ' 1<>"$pipe/serial.in"
	) &
	writer=$!
fi
rc=0
timeout "${TIMEOUT:-300}" qemu-system-x86_64 \
	-accel tcg -machine "$machine" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-display none -monitor none -net none -no-reboot \
	-serial "$serial" "$@" || rc=$?
[ "$rc" = 124 ] && echo "qemu.sh: timed out after ${TIMEOUT:-300} s" >&2
exit "$rc"
