#!/bin/sh
# mkdisk.sh DISK ESP PARTUUID
#
# A GPT disk whose one partition, the EFI system partition with the
# given unique partition GUID, holds the FAT image ESP (made by
# mkesp.sh): what a machine that boots without a shell has.
set -eu
disk=$1
esp=$2
uuid=$3
sectors=$(( $(stat -c %s "$esp") / 512 ))
rm -f "$disk"
# 1 MiB before the partition, and room for the backup GPT after it
truncate -s $(( (sectors + 2048 + 64) * 512 )) "$disk"
sfdisk --quiet "$disk" <<END
label: gpt
start=2048, size=$sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$uuid, name="EFI system partition"
END
dd if="$esp" of="$disk" bs=1M seek=1 conv=notrunc status=none
