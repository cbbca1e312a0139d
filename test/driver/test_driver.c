/* A test's EFI boot service driver (test/qemu/bls.sh): efikexec must load
 * and start it from \EFI\systemd\drivers as systemd-boot does. Started,
 * it sets a volatile variable with runtime access, so that the booted
 * kernel sees that it ran, and stays loaded, as a driver does. */
#include <efi.h>

/* the test's own vendor GUID 3c1b4a53-5f06-4b0e-9d4c-7a2e8f1d6b90 */
static EFI_GUID test_guid = { 0x3c1b4a53, 0x5f06, 0x4b0e,
			      { 0x9d, 0x4c, 0x7a, 0x2e, 0x8f, 0x1d, 0x6b, 0x90 } };

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static const char started[] = "started";

	(void)image;
	return st->RuntimeServices->SetVariable(
		L"EfikexecTestDriver", &test_guid,
		EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS,
		sizeof(started) - 1, (void *)started);
}
