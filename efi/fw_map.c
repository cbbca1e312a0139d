/* The firmware's memory map under UEFI: fw_map_init() and fw_map_read()
 * (core/machine.h) over GetMemoryMap(), and ExitBootServices
 * (efi/fw_map.h). */
#include "efi/fw_map.h"

#include "efi/efi.h"
#include "lib/serial.h"

/* Each allocation still to come can split one descriptor into three. */
#define SLACK_DESCRIPTORS 64

static EFI_STATUS get_map(struct fw_map *m)
{
	UINTN size = m->raw_cap, key, desc_size;
	UINT32 version;
	EFI_STATUS s = efi.bs->GetMemoryMap(&size, m->raw, &key, &desc_size,
					    &version);

	if (!EFI_ERROR(s)) {
		m->raw_size = size;
		m->key = key;
		m->desc_size = desc_size;
		m->desc_version = version;
	}
	return s;
}

int fw_map_init(struct fw_map *m, struct diag *d)
{
	UINTN size = 0, key, desc_size;
	UINT32 version;
	EFI_STATUS s = efi.bs->GetMemoryMap(&size, NULL, &key, &desc_size,
					    &version);
	size_t entries;

	if (s != EFI_BUFFER_TOO_SMALL || !desc_size)
		return diag_fail(d, ERR_IO, "cannot size the memory map: %s",
				 efi_status_text(s));
	entries = size / desc_size + SLACK_DESCRIPTORS;
	*m = (struct fw_map){ .raw_cap = entries * desc_size };
	m->raw = efi_alloc(m->raw_cap);
	m->map.r = efi_alloc(entries * sizeof(struct mem_range));
	m->map.cap = entries;
	if (!m->raw || !m->map.r)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for a %zu-entry memory map", entries);
	return 0;
}

int fw_map_read(struct fw_map *m, struct diag *d)
{
	EFI_STATUS s = get_map(m);

	if (EFI_ERROR(s))
		return diag_fail(d, ERR_IO, "GetMemoryMap failed: %s",
				 efi_status_text(s));
	return memmap_from_efi(&m->map, m->raw, m->raw_size, m->desc_size, d);
}

int fw_exit_boot_services(struct fw_map *m, struct diag *d)
{
	EFI_STATUS s;
	int rc;

	if ((rc = fw_map_read(m, d)))
		return rc;
	s = efi.bs->ExitBootServices(efi.image, m->key);
	if (!EFI_ERROR(s))
		return 0;
	/* The map changed under us: read it again (only memory services are
	 * allowed now) and try once more. */
	s = get_map(m);
	if (!EFI_ERROR(s))
		s = efi.bs->ExitBootServices(efi.image, m->key);
	if (EFI_ERROR(s))
		fatal("ExitBootServices failed twice: %s", efi_status_text(s));
	if (memmap_from_efi(&m->map, m->raw, m->raw_size, m->desc_size, d))
		fatal("final memory map: %s", d->msg);
	return 0;
}
