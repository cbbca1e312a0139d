#!/bin/sh
# Debian's cloud kernel boots through efikexec from the shell with 4 CPUs
# and two initrds, one on another volume (fs1:); the kernel reports every
# CPU online, exactly the command line given, EFI runtime services, ACPI
# tables, the GOP framebuffer and the Boot Loader Interface variables, and
# the initramfs finds a random file of over 16 MiB intact (efikexec shows
# its progress reading that). With -v efikexec prints its stage times,
# and the kernel receives them ascending in the handoff record. A dry run
# first shows the plan: the kernel file read straight to its place,
# nothing for the trampoline to copy; the boot that follows shows the
# kernel so read is whole.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
# not a multiple of 4 bytes: the initrds' padding must not disturb it
sum=$("$TOOLS/mkpayload.sh" "$WORK/payload.img" $((17 * 1048576 + 3)))
cmdline='console=ttyS0 efikexec.test="two  spaces" rd.x=1,2 panic=-1'

volume "$WORK/data.img" payload.img="$WORK/payload.img"
startup "fs0:" \
	"efikexec.efi --dry-run --initrd initrd.img \\vmlinuz" \
	"efikexec.efi -v --initrd initrd.img --initrd fs1:\\payload.img \\vmlinuz $cmdline" \
	"echo efikexec returned %lasterror%"
boot vmlinuz="$vmlinuz" initrd.img="$WORK/initrd.img" \
	-- -smp 4 -m 1024 -drive if=virtio,format=raw,file="$WORK/data.img"

expect_log "efikexec: handoff format=linux"
expect_log "efikexec:   segment 0 kernel   in place at 0x"
expect_no_log "the kernel is copied to its place"
expect_probe kernel "$(cd "$CACHE/linux-cloud-amd64" && sed 's/^linux-image-//' package)"
expect_probe cmdline "$cmdline"
# parked by efikexec, woken by Linux; under a hypervisor, no WBINVD
expect_parking 4 0x20 2
expect_probe efivars registered
n=$(probe efivars_read)
if [ "${n:-0}" -gt 0 ]; then pass "read $n EFI variables"; else fail "read no EFI variables (got '$n')"; fi
tables=$(probe acpi_tables)
for t in APIC DSDT FACP; do
	case " $tables " in
	*" $t "*) pass "ACPI table $t" ;;
	*) fail "ACPI table $t missing (have: $tables)" ;;
	esac
done
# QEMU's standard VGA at OVMF's default mode, 32 bits per pixel
expect_probe fb "EFI VGA 1280,800 32bpp"
sed -n 's/^efikexec-probe: payload random.bin sha256=//p' "$WORK/serial.txt" > "$WORK/payload.sum"
if [ "$(cat "$WORK/payload.sum")" = "$sum" ]; then pass "payload arrived intact"; else fail "payload checksum '$(cat "$WORK/payload.sum")', want '$sum'"; fi
expect_log "efikexec: reading initrd 'fs1:\\payload.img' (17 MiB): 100%"
# the Boot Loader Interface, from the shell too: no entries were involved
expect_probe "bli LoaderInfo" "efikexec 0.1"
expect_probe "bli LoaderImageIdentifier" '\efikexec.efi'
if [ -z "$(probe "bli LoaderEntries")" ]; then pass "no LoaderEntries"; else fail "LoaderEntries set from the shell"; fi
# -v: each file's read, the stages before ExitBootServices on the console,
# the two after it on the serial port
expect_log "efikexec: time: read initrd 'fs1:\\payload.img' (17408 KiB) in "
expect_log "efikexec: time: kernel read at "
expect_log "efikexec: time: ExitBootServices done at "
stages=$(probe handoff_stages_us)
if echo "$stages" | tr ' ' '\n' | awk -F: '
	{ n++; if ($2 !~ /^[0-9]+$/ || $2 < last) bad = 1; last = $2 }
	END { exit !(n == 8 && !bad && last > 0) }'; then
	pass "eight stage times, ascending: $stages"
else
	fail "stage times not eight ascending values: '$stages'"
fi
expect_log "efikexec-probe: done"
finish
