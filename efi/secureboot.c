#include "efi/secureboot.h"

#include "efi/efi.h"
#include "lib/mem.h"

static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;
/* shim's MOK variables and its SHIM_LOCK protocol (shim's shim.h) */
static EFI_GUID shim_guid = { 0x605dab50, 0xe046, 0x4300,
			      { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } };

struct shim_lock {
	EFI_STATUS(EFIAPI *verify)(void *buffer, UINT32 size);
};

static bool read_u8(CHAR16 *name, EFI_GUID *guid, uint8_t *v)
{
	UINTN size = sizeof(*v);

	return !EFI_ERROR(efi.rt->GetVariable(name, guid, NULL, &size, v)) &&
	       size == sizeof(*v);
}

enum secure_boot_mode secureboot_mode(void)
{
	uint8_t secure, setup, mok_off;

	if (!read_u8(L"SecureBoot", &global_guid, &secure) ||
	    !read_u8(L"SetupMode", &global_guid, &setup))
		return SECURE_BOOT_UNKNOWN;
	if (!secure || setup)
		return SECURE_BOOT_DISABLED;
	/* `mokutil --disable-validation`: shim no longer verifies */
	if (read_u8(L"MokSBStateRT", &shim_guid, &mok_off) && mok_off)
		return SECURE_BOOT_DISABLED;
	return SECURE_BOOT_ENABLED;
}

/* The firmware's verification of a PE/COFF image (UEFI 2.10 §32.5, and
 * §7.4.1 LoadImage: EFI_SECURITY_VIOLATION or EFI_ACCESS_DENIED when the
 * signature is not in db or is in dbx). The image is loaded and unloaded,
 * never started. */
static EFI_STATUS firmware_verify(const uint8_t *image, size_t size)
{
	EFI_HANDLE loaded = NULL;
	EFI_STATUS s = efi.bs->LoadImage(FALSE, efi.image, NULL, (void *)image,
					 size, &loaded);

	if (!EFI_ERROR(s))
		efi.bs->UnloadImage(loaded);
	return s;
}

int secureboot_check(const struct boot_format *fmt, const char *path,
		     const uint8_t *image, size_t size, struct diag *d)
{
	struct shim_lock *shim;
	EFI_STATUS s;

	if (secureboot_mode() != SECURE_BOOT_ENABLED)
		return 0;
	/* Policy (README, "Secure Boot"): only a kernel that can carry a
	 * signature is booted; a Multiboot or ELF64 kernel cannot. */
	if (strcmp(fmt->name, "linux"))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Secure Boot is on, and '%s' is a %s kernel, which carries no signature the firmware could check",
				 path, fmt->name);
	if (!EFI_ERROR(efi.bs->LocateProtocol(&shim_guid, NULL, (void **)&shim)))
		s = shim->verify((void *)image, (UINT32)size);
	else
		s = firmware_verify(image, size);
	if (s == EFI_SECURITY_VIOLATION || s == EFI_ACCESS_DENIED)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Secure Boot is on, and kernel '%s' is not signed by a key the firmware trusts (%s)",
				 path, efi_status_text(s));
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Secure Boot is on, and kernel '%s' cannot be verified: it is not a signed EFI image (%s)",
				 path, efi_status_text(s));
	return 0;
}
