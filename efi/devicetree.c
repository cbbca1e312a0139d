#include "efi/devicetree.h"

#include "boot/devicetree.h"
#include "core/machine.h"
#include "efi/efi.h"
#include "lib/mem.h"

/* EFI_DTB_TABLE_GUID b1b621d5-f19c-41a5-830b-d9152c69aae0 (the EBBR
 * specification's devicetree configuration table) */
static EFI_GUID dtb_guid = { 0xb1b621d5, 0xf19c, 0x41a5,
			     { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } };
/* EFI_DT_FIXUP_PROTOCOL_GUID e617d64c-fe08-46da-f4dc-bbd5870c7300 (U-Boot's
 * specification of it, which systemd-boot uses) */
static EFI_GUID fixup_guid = { 0xe617d64c, 0xfe08, 0x46da,
			       { 0xf4, 0xdc, 0xbb, 0xd5, 0x87, 0x0c, 0x73, 0x00 } };

#define DT_APPLY_FIXUPS 0x1
#define DT_RESERVE_MEMORY 0x2

struct dt_fixup {
	UINT64 revision;
	EFI_STATUS(EFIAPI *fixup)(struct dt_fixup *self, void *fdt,
				  UINTN *buffer_size, UINT32 flags);
};

static struct {
	bool installed;
	void *orig; /* the firmware's table; NULL: none */
} dt;

/* The firmware's fixups (its memory, its CPUs, its reserved ranges) on
 * the blob in buf (room bytes): in a bigger buffer when it asks for one. */
static int fix_up(uint8_t **buf, size_t size, size_t room, const char *path,
		  struct diag *d)
{
	struct dt_fixup *fixup = efi_protocol(NULL, &fixup_guid);
	UINTN want = room;
	EFI_STATUS s;
	uint8_t *bigger;

	if (!fixup)
		return 0;
	s = fixup->fixup(fixup, *buf, &want, DT_APPLY_FIXUPS | DT_RESERVE_MEMORY);
	if (s == EFI_BUFFER_TOO_SMALL) {
		if (!(bigger = pages_alloc(want, UINT64_MAX, PAGES_ACPI_RECLAIM)))
			return diag_fail(d, ERR_NO_MEMORY,
					 "no memory for devicetree '%s'", path);
		memcpy(bigger, *buf, size);
		*buf = bigger;
		s = fixup->fixup(fixup, *buf, &want,
				 DT_APPLY_FIXUPS | DT_RESERVE_MEMORY);
	}
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the firmware does not fix devicetree '%s' up: %s",
				 path, efi_status_text(s));
	return 0;
}

int devicetree_install(const char *path, bool dry_run, struct diag *d)
{
	struct open_file f;
	uint8_t *buf;
	size_t room;
	EFI_STATUS s;
	int rc;

	if ((rc = file_open(&f, "devicetree", path, d)))
		return rc;
	if (f.size > DTB_MAX_SIZE) {
		file_close(&f);
		return diag_fail(d, ERR_BAD_IMAGE,
				 "devicetree '%s' is %lu bytes, over the %u systemd-boot takes",
				 path, f.size, DTB_MAX_SIZE);
	}
	/* where the kernel reads it, after efikexec is gone: memory the
	 * firmware's map keeps for the OS, as systemd-boot allocates it */
	room = (f.size + 4095) & ~(size_t)4095;
	if (!(buf = pages_alloc(room, UINT64_MAX, PAGES_ACPI_RECLAIM))) {
		file_close(&f);
		return diag_fail(d, ERR_NO_MEMORY, "no memory for devicetree '%s'", path);
	}
	if ((rc = file_read_from(&f, 0, buf, d)) ||
	    (rc = dtb_check(buf, f.size, path, d)))
		return rc;
	if (dry_run)
		return 0;
	if ((rc = fix_up(&buf, f.size, room, path, d)))
		return rc;
	dt.orig = efi_config_table(&dtb_guid);
	s = efi.bs->InstallConfigurationTable(&dtb_guid, buf);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the firmware does not install devicetree '%s': %s",
				 path, efi_status_text(s));
	dt.installed = true;
	return 0;
}

void devicetree_restore(void)
{
	if (!dt.installed)
		return;
	/* (NULL removes the table: the firmware had none) */
	efi.bs->InstallConfigurationTable(&dtb_guid, dt.orig);
	dt.installed = false;
}
