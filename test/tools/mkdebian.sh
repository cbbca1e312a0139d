#!/bin/sh
# mkdebian.sh DISK
#
# A minimal Debian 12 system on a GPT disk image, booted by its own
# systemd-boot: what test/qemu/install.sh installs efikexec on. mmdebstrap
# builds the root file system from Debian's archive, with its updates and
# security updates as an installed system has them (systemd, systemd-boot,
# the cloud kernel, initramfs-tools, efibootmgr); in it `bootctl install`
# puts systemd-boot on the EFI system partition, mounted at /boot/efi, and
# `kernel-install` writes the kernel's Boot Loader Specification entry
# there, with a boot counter (/etc/kernel/tries). No loop device is
# mounted: the two file systems are made from directories (mkfs.vfat and
# mtools for the ESP, mke2fs -d for the root) and put into the disk
# image with dd.
#
# A oneshot service, efikexec-step, runs at each boot: if a disk with the
# serial "efikstep" is attached, it runs step.sh from it as root with its
# output on ttyS0, then powers the machine off. test/qemu/install.sh
# writes one step.sh per boot; this image holds nothing of efikexec, so
# it is built once and cached by the hash of this file.
#
# Needs root (mmdebstrap's root mode and mke2fs keep the files' owners):
# run as root, or sudo is used.
set -eu
disk=$1

# fixed identities, so that the kernel command line and fstab can name
# them before the disk exists, and kernel-install's entry token is known
ESP_UUID=5f0d7c1e-8a61-4b8e-9a55-e1f1c0ffee02
ROOT_UUID=5f0d7c1e-8a61-4b8e-9a55-e1f1c0ffee03
MACHINE_ID=e1f1c0ffee0a4b8e9a555f0d7c1e8a61
ESP_MIB=128
ROOT_MIB=1536

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
tmp=$(mktemp -d)
trap '$sudo rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir "$tmp/esp"

# The service and the script it runs; step.sh's last word is its own
# (it powers off), the poweroff here only catches a step.sh that fails.
cat > "$tmp/efikexec-step" <<'END'
#!/bin/sh
dev=/dev/disk/by-id/virtio-efikstep
i=0
while [ ! -e "$dev" ] && [ "$i" -lt 20 ]; do
	sleep 1
	i=$((i + 1))
done
[ -e "$dev" ] || exit 0
mkdir -p /run/efikstep
mount -o ro "$dev" /run/efikstep
sh /run/efikstep/step.sh
echo "efikexec-step: step.sh ended with $?"
systemctl poweroff
END
cat > "$tmp/efikexec-step.service" <<'END'
[Unit]
Description=efikexec test step (step.sh from the disk with serial efikstep)
After=multi-user.target systemd-bless-boot.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/efikexec-step
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0

[Install]
WantedBy=default.target
END

# Run in the new system (chroot) before it is packed: systemd-boot and
# the kernel's entry on the ESP, as a Debian installation has them.
cat > "$tmp/customize.sh" <<END
set -eu
systemctl enable efikexec-step.service
# a getty on ttyS0 would hang the tty up under efikexec-step's output
systemctl mask serial-getty@ttyS0.service
echo $MACHINE_ID > /etc/machine-id
echo debian-efikexec-test > /etc/hostname
printf '%s\\n' "PARTUUID=$ROOT_UUID / ext4 rw 0 1" \\
	"PARTUUID=$ESP_UUID /boot/efi vfat umask=0077 0 2" > /etc/fstab
mkdir -p /etc/kernel
echo "root=PARTUUID=$ROOT_UUID rw console=ttyS0" > /etc/kernel/cmdline
echo 3 > /etc/kernel/tries
# /boot/efi is a tmpfs here, not yet the FAT file system bootctl wants
SYSTEMD_RELAX_ESP_CHECKS=1 bootctl install --esp-path=/boot/efi --no-variables
for v in /boot/vmlinuz-*; do
	ver=\${v#/boot/vmlinuz-}
	SYSTEMD_RELAX_ESP_CHECKS=1 kernel-install add "\$ver" "\$v" "/boot/initrd.img-\$ver"
done
find /boot/efi -type f
grep -r . /boot/efi/loader/entries
END

$sudo mmdebstrap --variant=apt --mode=root \
	--aptopt='APT::Install-Recommends "false"' \
	--include=systemd,systemd-sysv,systemd-boot,udev,linux-image-cloud-amd64,initramfs-tools,efibootmgr \
	--customize-hook="cp '$tmp/efikexec-step' \"\$1/usr/local/sbin/\"" \
	--customize-hook="chmod 755 \"\$1/usr/local/sbin/efikexec-step\"" \
	--customize-hook="cp '$tmp/efikexec-step.service' \"\$1/etc/systemd/system/\"" \
	--customize-hook="cp '$tmp/customize.sh' \"\$1/tmp/\"" \
	--customize-hook='mkdir -p "$1/boot/efi" && mount -t tmpfs tmpfs "$1/boot/efi"' \
	--customize-hook='chroot "$1" sh /tmp/customize.sh' \
	--customize-hook="cp -r \"\$1/boot/efi/.\" '$tmp/esp/'" \
	--customize-hook='umount "$1/boot/efi"' \
	--customize-hook='rm "$1/tmp/customize.sh"' \
	bookworm "$root" \
	"deb http://deb.debian.org/debian bookworm main" \
	"deb http://deb.debian.org/debian bookworm-updates main" \
	"deb http://deb.debian.org/debian-security bookworm-security main"

# the ESP's files (copied out of the tmpfs above) go to its own file
# system, the rest to the root's
rm -f "$tmp/esp.img" "$tmp/root.img"
truncate -s "${ESP_MIB}M" "$tmp/esp.img"
mkfs.vfat -F 32 -n ESP "$tmp/esp.img" >/dev/null
$sudo mcopy -s -i "$tmp/esp.img" "$tmp"/esp/* ::/
truncate -s "${ROOT_MIB}M" "$tmp/root.img"
$sudo mke2fs -q -t ext4 -L root -d "$root" "$tmp/root.img"

rm -f "$disk.new"
truncate -s $(( (1 + ESP_MIB + ROOT_MIB + 1) * 1048576 )) "$disk.new"
sfdisk --quiet "$disk.new" <<END
label: gpt
start=2048, size=$((ESP_MIB * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_UUID, name="EFI system partition"
size=$((ROOT_MIB * 2048)), type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=$ROOT_UUID, name="root"
END
dd if="$tmp/esp.img" of="$disk.new" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$tmp/root.img" of="$disk.new" bs=1M seek=$((1 + ESP_MIB)) conv=notrunc,sparse status=none
mv "$disk.new" "$disk"
