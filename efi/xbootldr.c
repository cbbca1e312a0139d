/* The Extended Boot Loader partition (UAPI.1 Boot Loader Specification,
 * "The Partitions"): GPT partition type bc13c2ff-59e6-4262-a352-b275fd6f7172
 * on the disk efikexec was loaded from, whose entries are read beside the
 * ESP's. The partition's type comes from EFI_PARTITION_INFO_PROTOCOL
 * (UEFI 2.10 §13.18), which the firmware's partition driver installs. */
#include "efi/xbootldr.h"

#include "efi/efi.h"
#include "lib/mem.h"

#include <efidevp.h>
#include <stdbool.h>

static EFI_GUID partition_info_guid = { 0x8cf2f62c, 0xbc9b, 0x4821,
	{ 0x80, 0x8d, 0xec, 0x9e, 0xc4, 0x21, 0xa1, 0xa0 } };
static EFI_GUID xbootldr_type = { 0xbc13c2ff, 0x59e6, 0x4262,
	{ 0xa3, 0x52, 0xb2, 0x75, 0xfd, 0x6f, 0x71, 0x72 } };

/* EFI_PARTITION_INFO_PROTOCOL (packed): the GPT entry, whose first field
 * is the partition type, at offset 16 */
#define PARTITION_TYPE_GPT 2
struct partition_info {
	UINT32 revision;
	UINT32 type;
	UINT8 system, reserved[7];
	EFI_GUID gpt_type;
};

/* The bytes of the volume's device path before its hard drive node (the
 * disk), or 0 when it has none. */
static size_t disk_prefix(EFI_HANDLE volume, const uint8_t **dp)
{
	const EFI_DEVICE_PATH *p;

	if (!(*dp = efi_protocol(volume, &efi_device_path_guid)))
		return 0;
	for (p = (const EFI_DEVICE_PATH *)*dp; !IsDevicePathEnd(p) &&
	     DevicePathNodeLength(p) >= 4; p = NextDevicePathNode(p))
		if (DevicePathType(p) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(p) == MEDIA_HARDDRIVE_DP)
			return (size_t)((const uint8_t *)p - *dp);
	return 0;
}

EFI_HANDLE xbootldr_volume(void)
{
	static bool looked;
	static EFI_HANDLE found;
	const uint8_t *own, *other;
	size_t n = disk_prefix(efi.loaded->DeviceHandle, &own);
	EFI_HANDLE *handles;
	UINTN count;

	if (looked || !n)
		return found;
	looked = true;
	if (!(handles = efi_handles(&efi_file_system_guid, &count)))
		return NULL;
	for (UINTN i = 0; i < count && !found; i++) {
		struct partition_info *pi;

		if ((pi = efi_protocol(handles[i], &partition_info_guid)) &&
		    pi->type == PARTITION_TYPE_GPT &&
		    !memcmp(&pi->gpt_type, &xbootldr_type, sizeof(EFI_GUID)) &&
		    disk_prefix(handles[i], &other) == n && !memcmp(own, other, n))
			found = handles[i];
	}
	efi.bs->FreePool(handles);
	return found;
}
