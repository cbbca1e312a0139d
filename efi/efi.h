/* The firmware, for efi/ only: gnu-efi's headers and the handles every
 * firmware call needs. No other directory includes this. */
#ifndef EFI_EFI_H
#define EFI_EFI_H

#include <efi.h>

#include "lib/diag.h"

/* The statuses of UEFI 2.10 Appendix D that gnu-efi lacks */
#define EFI_HTTP_ERROR EFIERR(35)
#define EFI_CONNECTION_FIN EFIERR(104)
#define EFI_CONNECTION_RESET EFIERR(105)
#define EFI_CONNECTION_REFUSED EFIERR(106)

struct efi_env {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *st;
	EFI_BOOT_SERVICES *bs;
	EFI_RUNTIME_SERVICES *rt;
	EFI_LOADED_IMAGE *loaded; /* our own image */
};

extern struct efi_env efi;

/* The interface guid names on handle, or with a NULL handle the first
 * one installed (LocateProtocol()); NULL when there is none. One call
 * for the many places that look a protocol up. */
void *efi_protocol(EFI_HANDLE handle, EFI_GUID *guid);

/* The handles with the interface guid, or with a NULL guid every handle,
 * in pool memory to be freed; NULL with *n 0 when there are none. */
EFI_HANDLE *efi_handles(EFI_GUID *guid, UINTN *n);

/* Connects the drivers to every handle with the interface guid (NULL:
 * every handle), and to the handles they make (UEFI 2.10 §7.3.12), where
 * the firmware left them unconnected. */
void efi_connect(EFI_GUID *guid);

/* pages_alloc(size, UINT64_MAX, PAGES_DATA): zeroed pages anywhere. */
void *efi_alloc(uint64_t size);

/* The configuration table guid names, NULL when there is none. */
void *efi_config_table(EFI_GUID *guid);

/* The GUIDs that more than one file here looks up, each defined once
 * (efi/status.c) */
extern EFI_GUID efi_loaded_image_guid;    /* EFI_LOADED_IMAGE_PROTOCOL */
extern EFI_GUID efi_device_path_guid;     /* EFI_DEVICE_PATH_PROTOCOL */
extern EFI_GUID efi_file_system_guid;     /* EFI_SIMPLE_FILE_SYSTEM_PROTOCOL */
extern EFI_GUID efi_global_variable_guid; /* SecureBoot, OsIndications, ... */
extern EFI_GUID efi_tcg2_guid;            /* EFI_TCG2_PROTOCOL */

/* The value of the SMBIOS OEM string name in the firmware's SMBIOS
 * tables, as platform_smbios_string() (core/boot_sequence.h) gives it. */
const char *efi_smbios_string(const char *name);

/* "Not Found" for EFI_NOT_FOUND, for messages. */
const char *efi_status_text(EFI_STATUS s);

/* The status efikexec returns to the shell for a failure of this kind. */
EFI_STATUS efi_status_of(int err);

#endif
