#include "efi/efi.h"

const char *efi_status_text(EFI_STATUS s)
{
	/* UEFI 2.10 Appendix D, status codes. */
	switch (s) {
	case EFI_SUCCESS: return "Success";
	case EFI_LOAD_ERROR: return "Load Error";
	case EFI_INVALID_PARAMETER: return "Invalid Parameter";
	case EFI_UNSUPPORTED: return "Unsupported";
	case EFI_BAD_BUFFER_SIZE: return "Bad Buffer Size";
	case EFI_BUFFER_TOO_SMALL: return "Buffer Too Small";
	case EFI_NOT_READY: return "Not Ready";
	case EFI_DEVICE_ERROR: return "Device Error";
	case EFI_WRITE_PROTECTED: return "Write Protected";
	case EFI_OUT_OF_RESOURCES: return "Out of Resources";
	case EFI_VOLUME_CORRUPTED: return "Volume Corrupted";
	case EFI_NO_MEDIA: return "No Media";
	case EFI_MEDIA_CHANGED: return "Media Changed";
	case EFI_NOT_FOUND: return "Not Found";
	case EFI_ACCESS_DENIED: return "Access Denied";
	case EFI_SECURITY_VIOLATION: return "Security Violation";
	default: return "Unknown Error";
	}
}

EFI_STATUS efi_status_of(int err)
{
	switch (err) {
	case ERR_OK: return EFI_SUCCESS;
	case ERR_USAGE: return EFI_INVALID_PARAMETER;
	case ERR_NOT_FOUND: return EFI_NOT_FOUND;
	case ERR_IO: return EFI_DEVICE_ERROR;
	case ERR_BAD_IMAGE: return EFI_LOAD_ERROR;
	case ERR_UNSUPPORTED: return EFI_UNSUPPORTED;
	case ERR_NO_MEMORY: return EFI_OUT_OF_RESOURCES;
	case ERR_ABORTED: return EFI_ABORTED;
	default: return EFI_ABORTED;
	}
}
