#include "core/machine.h"

#include "efi/efi.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

#define MAX_ALLOCATIONS 256

static struct {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
} taken[MAX_ALLOCATIONS];
static size_t ntaken;

static UINTN pages_of(uint64_t size)
{
	return (UINTN)(align_up(size, PAGE_SIZE) / PAGE_SIZE);
}

static EFI_STATUS take(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type,
		       UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	EFI_STATUS s;

	if (ntaken == MAX_ALLOCATIONS)
		return EFI_OUT_OF_RESOURCES;
	s = efi.bs->AllocatePages(how, type, pages, addr);
	if (EFI_ERROR(s))
		return s;
	taken[ntaken].addr = *addr;
	taken[ntaken].pages = pages;
	ntaken++;
	return EFI_SUCCESS;
}

void *pages_alloc(uint64_t size, uint64_t max_addr, enum page_use use)
{
	static const EFI_MEMORY_TYPE types[] = {
		[PAGES_DATA] = EfiLoaderData,
		[PAGES_FILE] = EfiLoaderData,
		[PAGES_CODE] = EfiLoaderCode,
		[PAGES_RESERVED] = EfiReservedMemoryType,
		[PAGES_ACPI_RECLAIM] = EfiACPIReclaimMemory,
	};
	EFI_MEMORY_TYPE type = types[use];
	EFI_PHYSICAL_ADDRESS addr = max_addr;
	UINTN pages = pages_of(size);

	if (!size || size > UINT64_MAX - PAGE_SIZE)
		return NULL;
	if (EFI_ERROR(take(max_addr == UINT64_MAX ? AllocateAnyPages :
						    AllocateMaxAddress,
			   type, pages, &addr)))
		return NULL;
	if (use != PAGES_FILE)
		memset((void *)(uintptr_t)addr, 0, pages * PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

void *efi_alloc(uint64_t size)
{
	return pages_alloc(size, UINT64_MAX, PAGES_DATA);
}

int pages_claim(uint64_t base, uint64_t size, struct diag *d)
{
	EFI_PHYSICAL_ADDRESS addr = base;
	EFI_STATUS s = take(AllocateAddress, EfiLoaderData, pages_of(size), &addr);

	if (EFI_ERROR(s))
		return diag_fail(d, ERR_NO_MEMORY,
				 "cannot reserve 0x%lx-0x%lx: %s",
				 base, base + size - 1, efi_status_text(s));
	return 0;
}

size_t pages_mark(void)
{
	return ntaken;
}

void pages_release(size_t mark)
{
	while (ntaken > mark) {
		ntaken--;
		efi.bs->FreePages(taken[ntaken].addr, taken[ntaken].pages);
	}
}
