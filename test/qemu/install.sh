#!/bin/sh
# efikexec-install on a real Debian 12 system (test/tools/mkdebian.sh:
# systemd, systemd-boot installed by bootctl, the cloud kernel's entry
# written by kernel-install with a boot counter), as a user installs it:
# from `make install`'s files, with the firmware's variables kept from one
# boot to the next. Each boot runs a step.sh from a second disk as root
# and powers off (the image's efikexec-step service):
#  1. systemd-boot boots the system. efikexec-install refuses, each with
#     its error and nothing written, an ESP that is not FAT, a read-only
#     ESP, a full ESP and a system without efivarfs; then installs.
#     kernel-install then adds a newer kernel version (the same kernel
#     under a new version, with its own options): what a kernel update
#     does after efikexec is installed.
#  2. The firmware starts efikexec from its Boot#### entry (BootCurrent
#     names it, bootctl says efikexec), which boots the new kernel's
#     entry: its options on /proc/cmdline, its try counted, and
#     systemd-bless-boot marks the boot good. `efikexec-install remove`.
#  Boots 1 and 2 record the features `bootctl status` lists for the boot
#  loader: each that systemd-boot has, efikexec must have too.
#  3. systemd-boot boots the system again. efikexec-install --fallback
#     refuses to overwrite its \EFI\BOOT\BOOTX64.EFI.
# At each boot `bootctl list` marks as selected the entry the loader
# booted (at boot 2, the entry's own file), and once the boot has
# finished systemd-analyze time shows the firmware's and the loader's
# times if the loader set LoaderTimeInitUSec and LoaderTimeExecUSec: at
# boot 2 efikexec sets them and systemd shows them; systemd-boot 252 sets
# neither in a virtual machine, so at boots 1 and 3 it shows neither.
# The disk image is built once and kept in the fixture cache outside the
# tree (test/tools/cache-dir.sh), named by the hash of the recipe; each
# run boots a copy.
. "$(dirname "$0")/lib.sh"

image=$CACHE/debian12-$(sha256sum < "$TOOLS/mkdebian.sh" | cut -c 1-16).img
if [ ! -f "$image" ]; then
	rm -f "$CACHE"/debian12-*.img # an earlier recipe's
	built=$(date +%s)
	"$TOOLS/mkdebian.sh" "$image" > "$WORK/mkdebian.log" 2>&1 || {
		tail -n 30 "$WORK/mkdebian.log"
		fail "mkdebian.sh failed (its log: $WORK/mkdebian.log)"
		finish
	}
	echo "  built $image in $(($(date +%s) - built)) s"
fi
cp --sparse=always "$image" "$WORK/disk.img"

# what `make install` installs, unpacked into the system at step 1
make -s -C "$ROOT" install DESTDIR="$WORK/dest" PREFIX=/usr
tar -C "$WORK/dest" -cf "$WORK/install.tar" .

# step N: boots once with step N's script; the log in serial-N.txt
step() {
	# what every boot reports: who booted it, from which Boot####, with
	# which command line; then the step's own, then the end
	cat > "$WORK/step.sh" <<'END'
r() { printf 'efikexec-step: %s\n' "$*"; }
r "product=$(bootctl status 2>/dev/null | sed -n 's/^ *Product: //p' | head -n 1)"
cur=$(efibootmgr | sed -n 's/^BootCurrent: //p')
r "current=$(efibootmgr -v | grep "^Boot$cur" | tr '\t' ' ')"
r "cmdline=$(cat /proc/cmdline)"
# the boot loader's features as `bootctl status` lists them, one line
# each, "+ NAME" or "- NAME" (its marks in the C locale)
LC_ALL=C bootctl status 2>/dev/null |
	sed -n '/^Current Boot Loader:/,/^$/s/^ *\(Features: \)\{0,1\}\([+-]\) \(.*\)$/\2 \3/p' |
	while read -r f; do r "feature=$f"; done
# var NAME: the Boot Loader Interface variable NAME as efivarfs shows it,
# its 4 bytes of attributes (little-endian) and its value, in hex; "unset"
# (read through a pipe: efivarfs files cannot seek)
var() {
	f=/sys/firmware/efi/efivars/$1-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
	if [ -e "$f" ]; then
		cat "$f" | od -An -tx1 | tr -d ' \n' | sed 's/^.\{8\}/& /'
	else
		echo unset
	fi
}
# LoaderEntrySelected: 4 bytes of attributes, then UTF-16
r "selected=$(cat /sys/firmware/efi/efivars/LoaderEntrySelected-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f | tail -c +5 | tr -d '\0')"
# the entry `bootctl list` marks "(selected)": its id, and whether bootctl
# found it only among the entries the loader reported (no file has its id)
r "listed-selected=$(timeout 30 bootctl list --no-pager 2>&1 |
	awk '/^$/ { s = 0 }
	/\(selected\)/ { s = 1; a = /reported\/absent/ ? " (reported/absent)" : "" }
	s && $1 == "id:" { print $2 a }')"
END
	cat "$WORK/step$1.sh" >> "$WORK/step.sh"
	cat >> "$WORK/step.sh" <<'END'
# The firmware's and the loader's times. PID 1 took them from
# LoaderTimeInitUSec and LoaderTimeExecUSec when it started, but
# systemd-analyze shows them only once the boot has finished, that is
# once no job is left; and this step is one: the start job of the
# oneshot efikexec-step.service lasts as long as this script. Cancelling
# that job (the service goes on running) lets the boot finish. Every wait
# is bounded: a boot that does not finish is reported, not waited for.
job=$(timeout 10 systemctl show -p Job --value efikexec-step.service)
[ -z "$job" ] || timeout 10 systemctl cancel "$job"
r "cancel=job '$job': rc $?"
i=0
while [ "$(timeout 10 systemctl is-system-running)" = starting ] && [ "$i" -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
r "system=$(timeout 10 systemctl is-system-running) after $i s"
r "analyze=$(timeout 30 systemd-analyze time 2>&1 | head -n 1)"
r "timestamps=$(timeout 10 systemctl show -p FirmwareTimestampMonotonic -p LoaderTimestampMonotonic | tr '\n' ' ')"
r "time-init=$(var LoaderTimeInitUSec)"
r "time-exec=$(var LoaderTimeExecUSec)"
r "step done"
systemctl poweroff
END
	"$TOOLS/mkesp.sh" "$WORK/step.img" step.sh="$WORK/step.sh" install.tar="$WORK/install.tar"
	VARS=$WORK/vars.fd TIMEOUT=240 run_qemu "$WORK/disk.img" \
		-drive if=none,id=step,format=raw,file="$WORK/step.img" \
		-device virtio-blk-pci,drive=step,serial=efikstep -smp 2 -m 1024
	cp "$WORK/serial.txt" "$WORK/serial-$1.txt"
	printf '  boot %s: QEMU ran %d s\n' "$1" $((QEMU_MS / 1000))
	if ! grep -q '^efikexec-step: step done' "$WORK/serial.txt"; then
		# the next boots would only wait for their timeouts
		fail "boot $1: step.sh did not finish (log: $WORK/serial-$1.txt)"
		finish
	fi
}

# each line step.sh reported with "r KEY=...": the value
got() {
	sed -n "s/^efikexec-step: $1=//p" "$WORK/serial.txt" | head -n 1
}

# got_at BOOT KEY: the same from boot BOOT's log
got_at() {
	sed -n "s/^efikexec-step: $2=//p" "$WORK/serial-$1.txt" | head -n 1
}

# listed_selected BOOT: `bootctl list` marks as selected the entry the
# boot loader named in LoaderEntrySelected (systemd-boot 252 names it
# with its file's counter, "+3", so bootctl finds it only among the
# entries the loader reported)
listed_selected() {
	sel=$(got_at "$1" selected)
	listed=$(got_at "$1" listed-selected)
	if [ -n "$sel" ] && [ "${listed% (reported/absent)}" = "$sel" ]; then
		pass "boot $1: bootctl list marks the entry booted as selected: $listed"
	else
		fail "boot $1: bootctl list marks '$listed' as selected, LoaderEntrySelected is '$sel'"
	fi
}

# usec BOOT KEY: the number in LoaderTimeInitUSec or LoaderTimeExecUSec
# as boot BOOT reported it (var in step.sh), if it is stored as the Boot
# Loader Interface stores numbers and systemd-boot writes these two:
# volatile, boot and runtime access (attributes 6), decimal digits in
# UTF-16 ending in a NUL; empty otherwise
usec() {
	v=$(got_at "$1" "$2")
	[ "${v%% *}" = 06000000 ] || return 0
	printf '%s\n' "${v#* }" | sed -n 's/^\(\(3[0-9]00\)\{1,\}\)0000$/\1/p' |
		sed 's/3\([0-9]\)00/\1/g'
}

# no_loader_times BOOT: boot BOOT's loader (systemd-boot 252) set neither
# time, and systemd-analyze shows neither the firmware's nor the loader's:
# systemd-boot reads the TSC only on bare metal (its ticks_read() is 0
# under a hypervisor, and QEMU's CPUs say they are under one): where
# loader_times (below) would fail, as it must.
no_loader_times() {
	a=$(got_at "$1" analyze)
	t="$(got_at "$1" time-init) $(got_at "$1" time-exec)"
	case $a in
	"Startup finished in "*"(firmware)"* | "Startup finished in "*"(loader)"*)
		fail "boot $1: systemd-analyze shows loader times ($a), variables: $t" ;;
	"Startup finished in "*)
		if [ "$t" = "unset unset" ]; then
			pass "boot $1: no LoaderTime variables, no loader times: $a"
		else
			fail "boot $1: LoaderTime variables ($t) but no loader times: $a"
		fi ;;
	*) fail "boot $1: systemd-analyze time: '$a' ($(got_at "$1" system))" ;;
	esac
}

# loader_times BOOT: boot BOOT's loader set both times as the interface
# stores them, PID 1 took its firmware's and loader's timestamps from
# them (systemd 252: the firmware's is LoaderTimeExecUSec before the
# kernel, the loader's the difference) and systemd-analyze shows both
loader_times() {
	init_us=$(usec "$1" time-init)
	exec_us=$(usec "$1" time-exec)
	if [ -z "$init_us" ] || [ -z "$exec_us" ]; then
		fail "boot $1: LoaderTimeInitUSec '$(got_at "$1" time-init)', LoaderTimeExecUSec '$(got_at "$1" time-exec)'"
		return
	fi
	ts=$(got_at "$1" timestamps)
	want="FirmwareTimestampMonotonic=$exec_us LoaderTimestampMonotonic=$((exec_us - init_us)) "
	if [ "$ts" = "$want" ]; then
		pass "boot $1: systemd took the loader's times: $ts"
	else
		fail "boot $1: systemd has '$ts', want '$want'"
	fi
	a=$(got_at "$1" analyze)
	case $a in
	"Startup finished in "*" (firmware) + "*" (loader) + "*)
		pass "boot $1: systemd-analyze shows them: $a" ;;
	*) fail "boot $1: systemd-analyze time: '$a' ($(got_at "$1" system))" ;;
	esac
}

expect_got() { # expect_got KEY FIXED-STRING: the value contains it
	v=$(got "$1")
	case "$v" in
	*"$2"*) pass "$1: $v" ;;
	*) fail "$1: got '$v', want '$2' in it" ;;
	esac
}

# ---- 1: systemd-boot; errors, the install, a kernel update ----
cat > "$WORK/step1.sh" <<'END'
tar -C / -xf /run/efikstep/install.tar
order=$(efibootmgr | sed -n 's/^BootOrder: //p')
# bad NAME ARGS...: efikexec-install fails, and leaves no file
bad() {
	name=$1
	shift
	out=$(efikexec-install "$@" 2>&1)
	rc=$?
	r "bad-$name=rc $rc: $(printf '%s\n' "$out" | grep 'error:' | head -n 1)"
	[ ! -e /boot/efi/EFI/efikexec ] || r "bad-$name-left=\\EFI\\efikexec is there"
}
mkdir -p /run/notfat
mount -t tmpfs tmpfs /run/notfat
bad notfat --esp /run/notfat
mount -o remount,ro /boot/efi
bad readonly
mount -o remount,rw /boot/efi
umount /sys/firmware/efi/efivars
bad noefivarfs
mount -t efivarfs efivarfs /sys/firmware/efi/efivars
dd if=/dev/zero of=/boot/efi/fill bs=1M 2>/dev/null
bad full
rm /boot/efi/fill
r "order-after-bad=$(efibootmgr | sed -n 's/^BootOrder: //p'), was $order"

efikexec-install
r "install=rc $?"
efikexec-install status | sed 's/^/efikexec-step: status1: /'

# a kernel update: kernel-install adds a newer version's entry
ver=$(uname -r)
new=$(echo "$ver" | awk -F- -v OFS=- '{ $2 = $2 + 1; print }')
sed -i 's/$/ efikexec.test=updated/' /etc/kernel/cmdline
kernel-install add "$new" "/boot/vmlinuz-$ver" "/boot/initrd.img-$ver"
r "new-entry=$(ls /boot/efi/loader/entries | grep -F -- "-$new+")"
END
step 1
expect_got product "systemd-boot 252"
listed_selected 1
no_loader_times 1
expect_got bad-notfat "rc 1: efikexec-install: error: /run/notfat is a tmpfs file system, not FAT (vfat)"
expect_got bad-readonly "rc 1: efikexec-install: error: /boot/efi is mounted read-only"
expect_got bad-noefivarfs "rc 1: efikexec-install: error: efivarfs is not mounted at /sys/firmware/efi/efivars"
expect_got bad-full "rc 1: efikexec-install: error: the ESP /boot/efi has"
for b in notfat readonly noefivarfs full; do
	[ -z "$(got "bad-$b-left")" ] || fail "bad-$b left: $(got "bad-$b-left")"
done
order=$(got order-after-bad)
if [ "${order%, was *}" = "${order#*, was }" ]; then
	pass "BootOrder unchanged: $order"
else
	fail "BootOrder after the errors: $order"
fi
expect_got install "rc 0"
expect_log 'efikexec-install: installed \EFI\efikexec\efikexec.efi on /boot/efi'
new_entry=$(got new-entry)
if [ -n "$new_entry" ]; then
	pass "kernel-install wrote $new_entry"
else
	fail "kernel-install wrote no entry with a counter"
fi

# ---- 2: efikexec from its Boot#### entry; remove ----
cat > "$WORK/step2.sh" <<'END'
r "bless=$(/lib/systemd/systemd-bless-boot status)"
r "entries=$(ls /boot/efi/loader/entries | tr '\n' ' ')"
# what the systemd-boot package runs when it is upgraded
bootctl update >/dev/null 2>&1
first=$(efibootmgr | sed -n 's/^BootOrder: //p' | cut -d, -f1)
r "first-after-update=$(efibootmgr -v | grep "^Boot$first" | tr '\t' ' ')"
efikexec-install status | sed 's/^/efikexec-step: status2: /'
efikexec-install remove
r "remove=rc $?"
r "after-remove=$(efibootmgr -v | grep -ci efikexec) efikexec entries, EFI: $(ls /boot/efi/EFI | tr '\n' ' ')"
END
step 2
expect_got product "efikexec 0.1"
expect_got current '* efikexec'
expect_got current 'File(\EFI\efikexec\efikexec.efi)'
expect_got cmdline "efikexec.test=updated"
expect_got bless "good"
# bless-boot renamed NAME+2-1.conf (efikexec's count) to NAME.conf
expect_got entries "${new_entry%%+*}.conf"
expect_got selected "${new_entry%%+*}.conf"
# the entry's own file, not only the loader's report of it
listed_selected 2
if [ "$(got listed-selected)" = "${new_entry%%+*}.conf" ]; then
	pass "bootctl list: the selected entry is its file's"
else
	fail "bootctl list: selected '$(got listed-selected)', want ${new_entry%%+*}.conf"
fi
loader_times 2
expect_got first-after-update 'File(\EFI\efikexec\efikexec.efi)'
expect_log 'efikexec-step: status2: efikexec-install: installed: \EFI\efikexec\efikexec.efi'
expect_no_log 'efikexec-step: status2: efikexec-install: installed: \EFI\efikexec\efikexec.efi: changed'
expect_log "efikexec-step: status2: efikexec-install: boot entry: Boot"
# every feature systemd-boot has at boot 1, efikexec has at boot 2
features() { sed -n 's/^efikexec-step: feature=//p' "$WORK/serial-$1.txt"; }
sd_features=$(features 1)
ek_features=$(features 2)
[ -n "$sd_features" ] || fail "boot 1: bootctl status listed no features of systemd-boot"
old_ifs=$IFS
IFS='
'
for f in $sd_features; do
	case $f in
	"+ "*)
		if printf '%s\n' "$ek_features" | grep -qxF -- "$f"; then
			pass "feature of systemd-boot and efikexec: ${f#+ }"
		else
			fail "feature of systemd-boot, not of efikexec: ${f#+ } (efikexec: '$(printf '%s\n' "$ek_features" | grep -F -- "${f#+ }")')"
		fi ;;
	esac
done
IFS=$old_ifs
expect_got remove "rc 0"
expect_got after-remove "0 efikexec entries, EFI: BOOT Linux systemd "

# ---- 3: systemd-boot again ----
cat > "$WORK/step3.sh" <<'END'
out=$(efikexec-install --fallback 2>&1)
r "fallback=rc $?: $out"
END
step 3
expect_got product "systemd-boot 252"
listed_selected 3
no_loader_times 3
expect_got cmdline "efikexec.test=updated"
expect_got fallback 'rc 1: efikexec-install: error: \EFI\BOOT\BOOTX64.EFI is systemd-boot'"'"'s'
rm -f "$WORK/disk.img"
finish
