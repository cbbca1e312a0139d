#!/bin/sh
# mkdisk.sh DISK ESP PARTUUID [XBOOTLDR]
#
# A GPT disk whose first partition, the EFI system partition with the
# given unique partition GUID, holds the FAT image ESP (made by
# mkesp.sh): what a machine that boots without a shell has. XBOOTLDR, a
# second FAT image, becomes an Extended Boot Loader partition (UAPI.1
# Boot Loader Specification, type bc13c2ff-59e6-4262-a352-b275fd6f7172)
# right after it.
set -eu
disk=$1
esp=$2
uuid=$3
xbootldr=${4:-}
sectors=$(( $(stat -c %s "$esp") / 512 ))
xsectors=0
[ -z "$xbootldr" ] || xsectors=$(( $(stat -c %s "$xbootldr") / 512 ))
rm -f "$disk"
# 1 MiB before the partitions, and room for the backup GPT after them
truncate -s $(( (sectors + xsectors + 2048 + 64) * 512 )) "$disk"
{
	echo "label: gpt"
	echo "start=2048, size=$sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$uuid, name=\"EFI system partition\""
	[ -z "$xbootldr" ] ||
		echo "start=$((2048 + sectors)), size=$xsectors, type=BC13C2FF-59E6-4262-A352-B275FD6F7172, name=\"Extended Boot Loader partition\""
} | sfdisk --quiet "$disk"
dd if="$esp" of="$disk" bs=1M seek=1 conv=notrunc status=none
[ -z "$xbootldr" ] ||
	dd if="$xbootldr" of="$disk" bs=512 seek=$((2048 + sectors)) conv=notrunc status=none
