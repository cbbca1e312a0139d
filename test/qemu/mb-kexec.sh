#!/bin/sh
# efikexec.mb started by Debian's kexec-tools from a running Debian kernel:
# the first kernel's initramfs runs
#     kexec -l /efikexec.mb --type multiboot2-x86 (or multiboot-x86)
#         --module "/vmlinuz ..." --module /initrd.img && kexec -e
# and efikexec.mb boots the module kernel with every CPU online: the APs
# come from the first kernel halted (x2APIC or not, whatever it used), and
# efikexec.mb parks them again. kexec-tools 2.0.25's Multiboot 2
# information ends without a well-formed end tag and its modules lie low
# (from 1 MiB): efikexec.mb takes both. What the second kernel reports
# comes after the first's "kexec=loaded".
. "$(dirname "$0")/lib.sh"

vmlinuz=$(kernel cloud-amd64)
"$TOOLS/mkinitramfs.sh" "$WORK/initrd.img"
cmdline='console=ttyS0 efikexec.test="two  spaces" panic=-1'

# second KEY WANT: what the second kernel reported
second() {
	got=$(sed -n '/^efikexec-probe: kexec=loaded/,$p' "$WORK/serial.txt" |
		sed -n "s/^efikexec-probe: $1=//p" | head -n 1)
	if [ "$got" = "$2" ]; then pass "second kernel: $1=$2"; else fail "second kernel: $1: got '$got', want '$2'"; fi
}

for type in multiboot2-x86 multiboot-x86; do
	echo "-- kexec-tools, $type"
	smp=4 version=2
	[ "$type" = multiboot-x86 ] && smp=2 version=1
	mb_kexec_boot "/efikexec.mb --type $type --command-line=-v --module '/vmlinuz $cmdline' --module /initrd.img" \
		efikexec.mb="$ROOT/build/efikexec.mb" vmlinuz="$vmlinuz" \
		initrd.img="$WORK/initrd.img" -- -smp "$smp" -m 1024
	cp "$WORK/serial.txt" "$WORK/serial-$type.txt"
	expect_log "efikexec-probe: kexec=loaded"
	expect_log "efikexec: Multiboot $version information at"
	expect_log "from 'kexec 2.0.25'"
	[ "$type" = multiboot2-x86 ] && expect_log "(no end tag)"
	expect_log "efikexec: handoff format=linux"
	expect_log "efikexec: parked $((smp - 1))/$((smp - 1))"
	second cmdline "$cmdline"
	second cpus_online "0-$((smp - 1))"
	if sed -n '/^efikexec-probe: kexec=loaded/,$p' "$WORK/serial.txt" |
		grep -q '^efikexec-probe: done'; then
		pass "the second kernel's initramfs ran to its end"
	else
		fail "the second kernel's initramfs did not report done"
	fi
done
finish
