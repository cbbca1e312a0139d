#!/bin/sh
# Debian's cloud kernel as a vmlinux: the ELF its bzImage's decompressor
# would unpack, taken out of the bzImage (test/tools/extract-vmlinux.sh).
# No decompressor runs. It boots with the test initrd and a second one
# holding a random file:
# - through efikexec.efi under OVMF with 4 CPUs;
# - through efikexec.mb under SeaBIOS (QEMU's Multiboot loader) with 1 CPU.
# Each time the kernel reports what it reports booted from its bzImage in
# linux-cloud and mb-qemu: its release, exactly the command line given,
# the random file intact, every CPU online (the APs parked by efikexec
# with 4), the e820 RAM of the machine, the ACPI tables;
# under OVMF, booted from 64-bit EFI with runtime services (efivars
# registered, variables read). efikexec says, with -v, that there is no
# KASLR.
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
release=$(cd "$CACHE/linux-cloud-amd64" && sed 's/^linux-image-//' package)

if how=$("$TOOLS/extract-vmlinux.sh" "$vmlinuz" "$WORK/vmlinux"); then
	pass "vmlinux extracted ($how, $(stat -c %s "$WORK/vmlinux") bytes)"
else
	fail "no vmlinux found in $vmlinuz"
	finish
	exit 1
fi
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img" "$CACHE/linux-cloud-amd64/efivarfs.ko"
sum=$("$TOOLS/mkpayload.sh" "$WORK/payload.img" $((3 * 1048576 + 1)))
# no commas: QEMU's -initrd separates modules with them
cmdline='console=ttyS0 efikexec.test="two  spaces" panic=-1'
ram_mib=1024

# expect_kernel CPUS: what the kernel saw, the same as from its bzImage
expect_kernel() {
	expect_log "efikexec: handoff format=vmlinux"
	expect_log "efikexec: vmlinux kernel: no KASLR"
	expect_probe kernel "$release"
	expect_probe cmdline "$cmdline"
	if [ "$1" = 1 ]; then
		expect_probe cpus_online 0
	else # parked by efikexec, woken by Linux; under a hypervisor, no WBINVD
		expect_parking "$1" 0x20 2
	fi
	if [ "$(probe "payload random.bin sha256")" = "$sum" ]; then
		pass "the second initrd arrived intact"
	else
		fail "the second initrd's file is not intact: '$(probe "payload random.bin sha256")'"
	fi
	# the e820 map efikexec built: most of the machine's RAM, no more
	ram=$(probe e820_ram_bytes)
	if [ "${ram:-0}" -gt $(((ram_mib - 64) * 1048576)) ] &&
		[ "${ram:-0}" -le $((ram_mib * 1048576)) ]; then
		pass "e820 RAM $ram bytes of $ram_mib MiB"
	else
		fail "e820 RAM '$ram' bytes, for a machine of $ram_mib MiB"
	fi
	for t in APIC DSDT FACP; do
		case " $(probe acpi_tables) " in
		*" $t "*) pass "ACPI table $t" ;;
		*) fail "ACPI table $t missing (have: $(probe acpi_tables))" ;;
		esac
	done
	expect_log "efikexec-probe: done"
}

echo "-- efikexec.efi under OVMF, 4 CPUs"
startup "fs0:" \
	"efikexec.efi -v --initrd initrd.img --initrd payload.img \\vmlinux $cmdline" \
	"echo efikexec returned %lasterror%"
boot vmlinux="$WORK/vmlinux" initrd.img="$WORK/initrd.img" payload.img="$WORK/payload.img" \
	-- -smp 4 -m $ram_mib
cp "$WORK/serial.txt" "$WORK/serial-ovmf.txt"
expect_kernel 4
expect_probe efi 64-bit
expect_probe efivars registered
n=$(probe efivars_read)
if [ "${n:-0}" -gt 0 ]; then pass "read $n EFI variables"; else fail "read no EFI variables (got '$n')"; fi

echo "-- efikexec.mb under SeaBIOS, 1 CPU"
cd "$WORK" # QEMU passes module paths as written: keep the host's out
mb_qemu_boot "$ROOT/build/efikexec.mb" "-v" "vmlinux $cmdline,initrd.img,payload.img" \
	-- -smp 1 -m $ram_mib
cp serial.txt serial-mb.txt
expect_kernel 1
if [ -z "$(probe efi)" ]; then pass "no EFI on a BIOS machine"; else fail "EFI on a BIOS machine: $(probe efi)"; fi
finish
