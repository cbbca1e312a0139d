#include "efi/efi.h"

#include "lib/mem.h"

EFI_GUID efi_loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
EFI_GUID efi_device_path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
EFI_GUID efi_file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
EFI_GUID efi_global_variable_guid = EFI_GLOBAL_VARIABLE;
/* TCG EFI Protocol Specification 1.22, §6: EFI_TCG2_PROTOCOL (gnu-efi has
 * no definition of it) */
EFI_GUID efi_tcg2_guid = { 0x607f766c, 0x7455, 0x42be,
			   { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } };

void *efi_protocol(EFI_HANDLE handle, EFI_GUID *guid)
{
	void *p;
	EFI_STATUS s = handle ? efi.bs->HandleProtocol(handle, guid, &p)
			      : efi.bs->LocateProtocol(guid, NULL, &p);

	return EFI_ERROR(s) ? NULL : p;
}

EFI_HANDLE *efi_handles(EFI_GUID *guid, UINTN *n)
{
	EFI_HANDLE *h = NULL;

	if (EFI_ERROR(efi.bs->LocateHandleBuffer(guid ? ByProtocol : AllHandles,
						 guid, NULL, n, &h)))
		*n = 0;
	return h;
}

void efi_connect(EFI_GUID *guid)
{
	UINTN n;
	EFI_HANDLE *h = efi_handles(guid, &n);

	for (UINTN i = 0; i < n; i++)
		efi.bs->ConnectController(h[i], NULL, NULL, TRUE);
	if (h)
		efi.bs->FreePool(h);
}

void *efi_config_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < efi.st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi.st->ConfigurationTable[i];
		if (!memcmp(&t->VendorGuid, guid, sizeof(*guid)))
			return t->VendorTable;
	}
	return NULL;
}

const char *efi_status_text(EFI_STATUS s)
{
	static const struct {
		EFI_STATUS status;
		const char *name;
	} names[] = {
		{ EFI_SUCCESS, "Success" },
		{ EFI_LOAD_ERROR, "Load Error" },
		{ EFI_INVALID_PARAMETER, "Invalid Parameter" },
		{ EFI_UNSUPPORTED, "Unsupported" },
		{ EFI_BAD_BUFFER_SIZE, "Bad Buffer Size" },
		{ EFI_BUFFER_TOO_SMALL, "Buffer Too Small" },
		{ EFI_NOT_READY, "Not Ready" },
		{ EFI_DEVICE_ERROR, "Device Error" },
		{ EFI_WRITE_PROTECTED, "Write Protected" },
		{ EFI_OUT_OF_RESOURCES, "Out of Resources" },
		{ EFI_VOLUME_CORRUPTED, "Volume Corrupted" },
		{ EFI_NO_MEDIA, "No Media" },
		{ EFI_MEDIA_CHANGED, "Media Changed" },
		{ EFI_NOT_FOUND, "Not Found" },
		{ EFI_ACCESS_DENIED, "Access Denied" },
		{ EFI_SECURITY_VIOLATION, "Security Violation" },
		/* the network's (efi/net.c) */
		{ EFI_NO_RESPONSE, "No Response" },
		{ EFI_NO_MAPPING, "No Mapping" },
		{ EFI_TIMEOUT, "Timeout" },
		{ EFI_ABORTED, "Aborted" },
		{ EFI_ICMP_ERROR, "ICMP Error" },
		{ EFI_TFTP_ERROR, "TFTP Error" },
		{ EFI_PROTOCOL_ERROR, "Protocol Error" },
		{ EFI_HTTP_ERROR, "HTTP Error" },
		{ EFI_CONNECTION_FIN, "Connection Closed" },
		{ EFI_CONNECTION_RESET, "Connection Reset" },
		{ EFI_CONNECTION_REFUSED, "Connection Refused" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].status == s)
			return names[i].name;
	return "Unknown Error";
}

EFI_STATUS efi_status_of(int err)
{
	/* by -err; the rest, ERR_PLAN and ERR_ABORTED among them, is
	 * EFI_ABORTED */
	static const EFI_STATUS statuses[] = {
		[-ERR_USAGE] = EFI_INVALID_PARAMETER,
		[-ERR_NOT_FOUND] = EFI_NOT_FOUND,
		[-ERR_IO] = EFI_DEVICE_ERROR,
		[-ERR_BAD_IMAGE] = EFI_LOAD_ERROR,
		[-ERR_UNSUPPORTED] = EFI_UNSUPPORTED,
		[-ERR_NO_MEMORY] = EFI_OUT_OF_RESOURCES,
	};
	unsigned i = 0u - (unsigned)err;

	if (!err)
		return EFI_SUCCESS;
	if (i < sizeof(statuses) / sizeof(statuses[0]) && statuses[i])
		return statuses[i];
	return EFI_ABORTED;
}
