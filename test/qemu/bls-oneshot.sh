#!/bin/sh
# `bootctl set-oneshot` and `systemctl reboot --boot-loader-menu=0` through
# the UEFI shell, and the menu's keys typed on QEMU's keyboard (its
# monitor's sendkey). The kernel is the Multiboot2 probe.
# 1. LoaderEntryOneShot set (setvar, as bootctl writes it): a dry run
#    shows the choice without consuming the variable.
# 2. LoaderConfigTimeoutOneShot=0 too: the menu comes up and waits, the
#    one-shot entry selected. PageUp (to probe-2, sorted first), d
#    (LoaderEntryDefault), + + (the timeout: from menu-hidden to 2 s,
#    LoaderConfigTimeout), h (help), Esc: back to the shell.
# 3. LoaderConfigTimeoutOneShot=0 again: the menu marks LoaderEntryDefault's
#    entry and selects it; p shows both variables as written; PageDown
#    (to the last entry, auto-firmware's), Up (to probe-1); e edits its
#    command line, and Enter boots it.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/entries"
for n in 1 2; do
	printf '%s\n' "title Probe $n" "efikexec-kernel /probe.elf" \
		"options probe.cpus=2 entry=$n" > "$WORK/entries/probe-$n.conf"
done
bli=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
menu_now="setvar LoaderConfigTimeoutOneShot -guid $bli -bs -rt -nv =L\"0\""
startup "fs0:" \
	"setvar LoaderEntryOneShot -guid $bli -bs -rt -nv =L\"probe-1.conf\"" \
	"efikexec.efi --dry-run" "echo dry-run returned %lasterror%" \
	"$menu_now" "efikexec.efi" "echo menu returned %lasterror%" \
	"$menu_now" "efikexec.efi" "echo efikexec returned %lasterror%" "reset -s"
menu="efikexec: Up/Down choose"
"$TOOLS/sendkeys.py" "$WORK/monitor.sock" "$LOG" \
	"wait=$menu" pgup d shift-equal shift-equal h esc \
	"wait=$menu" p "wait=a key for the next page" q \
	"wait=$menu" pgdn up e spc e d i t e d equal y e s ret &
keys=$!
TIMEOUT=240
boot probe.elf="$ROOT/build/probe/multiboot2.elf" \
	loader/entries/probe-1.conf="$WORK/entries/probe-1.conf" \
	loader/entries/probe-2.conf="$WORK/entries/probe-2.conf" \
	-- -smp 2 -m 1024 -monitor unix:"$WORK/monitor.sock",server,nowait
kill "$keys" 2>/dev/null || true # QEMU has ended: nothing left to type into

dry=$(sed -n '/efikexec.efi --dry-run/,/^dry-run returned/p' "$WORK/serial.txt")
case $dry in
*"efikexec: booting 'Probe 1' from \\loader\\entries\\probe-1.conf"*"dry-run returned 0x0"*)
	pass "the dry run chose probe-1.conf" ;;
*) fail "dry run: $dry" ;;
esac
expect_log "  >  Probe 1"
expect_log "efikexec: LoaderEntryDefault: probe-2.conf"
expect_log "efikexec: LoaderConfigTimeout: 2 s"
expect_log "efikexec: d default, +/- timeout, e edit"
expect_log "menu returned 0x15" # EFI_ABORTED
expect_log "default (LoaderEntryDefault): probe-2.conf"
expect_log "timeout (LoaderConfigTimeout): 2"
expect_log "  >* Probe 2"
expect_probe_passed
expect_log "probe: cmdline=probe.cpus=2 entry=1 edited=yes"
finish
