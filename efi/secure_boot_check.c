#include "efi/secure_boot_check.h"

#include "boot/secure_boot_mode.h"
#include "core/console.h"
#include "core/machine.h"
#include "efi/efi.h"
#include "lib/mem.h"

/* shim's MOK variables and its SHIM_LOCK protocol (shim's shim.h) */
static EFI_GUID shim_guid = { 0x605dab50, 0xe046, 0x4300,
			      { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } };

/* shim's SHIM_LOCK protocol (shim's shim.h: SHIM_LOCK, with Verify,
 * Hash and Context). Its functions use the System V calling convention
 * on x86-64, not EFIAPI: shim's typedefs carry no EFIAPI while shim
 * itself is built with ms_abi for everything else, so under
 * -DGNU_EFI_USE_MS_ABI the members must say sysv_abi (systemd-boot
 * declares them so), or shim reads the buffer and size from the wrong
 * registers. Only Verify is called. */
#define SHIM_ABI __attribute__((sysv_abi))

struct shim_lock {
	EFI_STATUS(SHIM_ABI *verify)(void *buffer, UINT32 size);
};

static struct var_u8 read_u8(CHAR16 *name, EFI_GUID *guid)
{
	struct var_u8 v = { VAR_FAILED, 0, 0 };
	UINT32 attributes = 0;
	UINTN size = sizeof(v.value);
	EFI_STATUS s = efi.rt->GetVariable(name, guid, &attributes, &size,
					   &v.value);

	if (s == EFI_NOT_FOUND)
		v.answer = VAR_NOT_FOUND;
	else if (!EFI_ERROR(s) && size == sizeof(v.value))
		v = (struct var_u8){ VAR_READ, attributes, v.value };
	return v;
}

static struct shim_lock *shim_lock(void)
{
	return efi_protocol(NULL, &shim_guid);
}

/* The measured-boot protocols besides EFI_TCG2_PROTOCOL (efi_tcg2_guid):
 * TCG EFI Protocol 1.20's EFI_TCG_PROTOCOL; UEFI 2.10 §38.3's
 * EFI_CC_MEASUREMENT_PROTOCOL */
static EFI_GUID tcg_guid = { 0xf541796d, 0xa62e, 0x4954,
			     { 0xa7, 0x75, 0x95, 0x84, 0xf6, 0x1b, 0x9c, 0xdd } };
static EFI_GUID cc_guid = { 0x96751a3d, 0x72f4, 0x41a6,
			    { 0xa7, 0x94, 0xed, 0x5d, 0x0e, 0x67, 0xae, 0x6b } };

/* Whether verifying an image would measure it. shim's Verify() extends
 * PCR 4 with every image it is given, before it checks the signature
 * (shim's verify.c, shim_verify()). EDK2's LoadImage() runs its
 * Security2 handlers in the order the platform registered them and stops
 * at the first that fails: OVMF registers the signature check
 * (DxeImageVerificationLib) before the measurement
 * (DxeTpm2MeasureBootLib, PCR 4 for an application), so a refused image
 * is not measured there, but an accepted one is. Both measure only where
 * one of these protocols is installed. */
static bool verifying_measures(void)
{
	return efi_protocol(NULL, &efi_tcg2_guid) ||
	       efi_protocol(NULL, &tcg_guid) || efi_protocol(NULL, &cc_guid);
}

enum secure_boot_mode efi_secure_boot_mode(void)
{
	struct secure_boot_vars v = {
		.secure_boot = read_u8(L"SecureBoot", &efi_global_variable_guid),
		.setup_mode = read_u8(L"SetupMode", &efi_global_variable_guid),
		.mok_sb_state_rt = read_u8(L"MokSBStateRT", &shim_guid),
		.shim_lock = shim_lock() != NULL,
	};

	return secure_boot_mode_of(&v);
}

/* The firmware's verification of a PE/COFF image (UEFI 2.10 §32.5, and
 * §7.4.1 LoadImage: EFI_ACCESS_DENIED when the image was not loaded for
 * the platform's policy; EFI_SECURITY_VIOLATION when it was loaded, with
 * a handle, but may not be started: that handle must be unloaded too).
 * The image is never started. */
static EFI_STATUS firmware_verify(const uint8_t *image, size_t size)
{
	EFI_HANDLE loaded = NULL;
	EFI_STATUS s = efi.bs->LoadImage(FALSE, efi.image, NULL, (void *)image,
					 size, &loaded);

	if (loaded)
		efi.bs->UnloadImage(loaded);
	return s;
}

int secure_boot_check(const struct boot_format *fmt, const char *path,
		      const uint8_t *image, size_t size, bool dry_run,
		      struct diag *d)
{
	enum secure_boot_mode mode = efi_secure_boot_mode();
	/* An unknown state is verified as if Secure Boot were on: it must
	 * never be a way to skip verification. */
	const char *state = secure_boot_reason(mode);
	struct shim_lock *shim;
	EFI_STATUS s;

	if (mode == SECURE_BOOT_DISABLED)
		return 0;
	/* Policy (docs/secure-boot.md): only a kernel that can carry a
	 * signature is booted; a Multiboot or ELF64 kernel cannot. */
	if (!fmt->signed_pe)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s, and '%s' is a %s kernel, which carries no signature the firmware could check",
				 state, path, fmt->name);
	shim = shim_lock();
	/* shim's Verify() takes a 32-bit size and refuses one with the sign
	 * bit set (shim_verify(): (INT32)size < 0) */
	if (shim && size > INT32_MAX)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s, and kernel '%s' is %zu bytes: shim cannot verify a file of 2 GiB or more",
				 state, path, size);
	/* A dry run extends no PCR (docs/measured-boot.md): no verifier
	 * measures without verifying, nor verifies without measuring. */
	if (dry_run && verifying_measures()) {
		con_note("dry run: %s, but the signature of kernel '%s' is not checked: %s would measure it into PCR 4",
			 state, path, shim ? "shim" : "the firmware");
		return 0;
	}
	s = shim ? shim->verify((void *)image, (UINT32)size) :
		   firmware_verify(image, size);
	if (s == EFI_SECURITY_VIOLATION || s == EFI_ACCESS_DENIED)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s, and kernel '%s' is not signed by a key the firmware trusts (%s)",
				 state, path, efi_status_text(s));
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s, and kernel '%s' cannot be verified: it is not a signed EFI image (%s)",
				 state, path, efi_status_text(s));
	return 0;
}
