#include "efi/efi.h"

#include "lib/mem.h"

void *efi_protocol(EFI_HANDLE handle, EFI_GUID *guid)
{
	void *p;
	EFI_STATUS s = handle ? efi.bs->HandleProtocol(handle, guid, &p)
			      : efi.bs->LocateProtocol(guid, NULL, &p);

	return EFI_ERROR(s) ? NULL : p;
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

/* The low byte of a status code (its number, UEFI 2.10 Appendix D) */
#define CODE(s) ((uint8_t)((s) & 0xff))

const char *efi_status_text(EFI_STATUS s)
{
	/* the codes with a name, and the names in the same order: a byte
	 * table and one string (a switch took a jump table and a return
	 * per name) */
	static const uint8_t codes[] = {
		CODE(EFI_SUCCESS), CODE(EFI_LOAD_ERROR),
		CODE(EFI_INVALID_PARAMETER), CODE(EFI_UNSUPPORTED),
		CODE(EFI_BAD_BUFFER_SIZE), CODE(EFI_BUFFER_TOO_SMALL),
		CODE(EFI_NOT_READY), CODE(EFI_DEVICE_ERROR),
		CODE(EFI_WRITE_PROTECTED), CODE(EFI_OUT_OF_RESOURCES),
		CODE(EFI_VOLUME_CORRUPTED), CODE(EFI_NO_MEDIA),
		CODE(EFI_MEDIA_CHANGED), CODE(EFI_NOT_FOUND),
		CODE(EFI_ACCESS_DENIED), CODE(EFI_SECURITY_VIOLATION),
	};
	static const char names[] =
		"Success\0Load Error\0Invalid Parameter\0Unsupported\0"
		"Bad Buffer Size\0Buffer Too Small\0Not Ready\0Device Error\0"
		"Write Protected\0Out of Resources\0Volume Corrupted\0"
		"No Media\0Media Changed\0Not Found\0Access Denied\0"
		"Security Violation\0Unknown Error";
	const char *p = names;

	for (size_t i = 0; i < sizeof(codes); i++) {
		/* every code but EFI_SUCCESS is an error: the high bit set */
		if (s == (codes[i] ? EFIERR(codes[i]) : EFI_SUCCESS))
			return p;
		while (*p++)
			;
	}
	return p; /* "Unknown Error" */
}

EFI_STATUS efi_status_of(int err)
{
	/* by -err, the number of the status (a byte table: a switch took a
	 * table of 8-byte statuses); the rest, ERR_PLAN and ERR_ABORTED
	 * among them, is EFI_ABORTED */
	static const uint8_t codes[] = {
		[-ERR_USAGE] = CODE(EFI_INVALID_PARAMETER),
		[-ERR_NOT_FOUND] = CODE(EFI_NOT_FOUND),
		[-ERR_IO] = CODE(EFI_DEVICE_ERROR),
		[-ERR_BAD_IMAGE] = CODE(EFI_LOAD_ERROR),
		[-ERR_UNSUPPORTED] = CODE(EFI_UNSUPPORTED),
		[-ERR_NO_MEMORY] = CODE(EFI_OUT_OF_RESOURCES),
	};
	unsigned i = 0u - (unsigned)err;

	if (!err)
		return EFI_SUCCESS;
	return i < sizeof(codes) ? EFIERR(codes[i]) : EFI_ABORTED;
}
