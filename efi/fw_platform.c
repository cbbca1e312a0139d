#include "core/machine.h"

#include "boot/smbios.h"
#include "core/boot_sequence.h"
#include "cpu/paging.h"
#include "efi/efi.h"
#include "efi/secure_boot_check.h"

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID smbios_guid = SMBIOS_TABLE_GUID;
static EFI_GUID smbios3_guid = SMBIOS3_TABLE_GUID;
static EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;

/* UEFI 2.10 §12.9: the GOP's current mode as a linear framebuffer. */
static bool gather_framebuffer(struct framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;

	if (!(gop = efi_protocol(NULL, &gop_guid)) ||
	    !gop->Mode || !gop->Mode->Info)
		return false;
	info = gop->Mode->Info;
	*fb = (struct framebuffer){
		.base = gop->Mode->FrameBufferBase,
		.size = gop->Mode->FrameBufferSize,
		.width = info->HorizontalResolution,
		.height = info->VerticalResolution,
		.stride = info->PixelsPerScanLine,
	};
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb_set_masks(fb, 0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000);
		return true;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb_set_masks(fb, 0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000);
		return true;
	case PixelBitMask:
		fb_set_masks(fb, info->PixelInformation.RedMask,
			     info->PixelInformation.GreenMask,
			     info->PixelInformation.BlueMask,
			     info->PixelInformation.ReservedMask);
		return true;
	default: /* PixelBltOnly: no framebuffer to hand over */
		return false;
	}
}

/* The structure table of SMBIOS 3.0's entry point, else of 2.1's, as
 * systemd's stub looks for them */
static void gather_smbios(struct platform *p)
{
	const uint8_t *ep3 = efi_config_table(&smbios3_guid);
	const uint8_t *ep2 = efi_config_table(&smbios_guid);

	/* (each entry point is read within its layout's size) */
	if (!(ep3 && smbios3_table(ep3, SMBIOS3_ENTRY_SIZE, &p->smbios_table,
				   &p->smbios_size)) &&
	    !(ep2 && smbios2_table(ep2, SMBIOS2_ENTRY_SIZE, &p->smbios_table,
				   &p->smbios_size)))
		p->smbios_table = p->smbios_size = 0;
}

const char *efi_smbios_string(const char *name)
{
	struct platform p = { 0 };

	gather_smbios(&p);
	return platform_smbios_string(&p, name);
}

void platform_gather(struct platform *p)
{
	void *rsdp = efi_config_table(&acpi20_guid);

	if (!rsdp)
		rsdp = efi_config_table(&acpi10_guid);
	*p = (struct platform){
		.boot_services = true,
		.efi_systab = (uint64_t)(uintptr_t)efi.st,
		.efi_image = (uint64_t)(uintptr_t)efi.image,
		.acpi_rsdp = (uint64_t)(uintptr_t)rsdp,
		.paging_5level = cpu_paging_5level(),
		.secure_boot = efi_secure_boot_mode(),
	};
	p->has_fb = gather_framebuffer(&p->fb);
	gather_smbios(p);
}
