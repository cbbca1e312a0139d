#include "core/machine.h"

#include "efi/efi.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

struct taken {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
};

/* Every allocation, for pages_release(): a table that starts here and
 * moves to pool memory twice its size whenever it fills, so that no count
 * of files (boot entries, say) runs into a limit of its own. */
static struct taken first_table[256];
static struct taken *taken = first_table;
static size_t ntaken, capacity = sizeof(first_table) / sizeof(first_table[0]);

static bool grow_table(void)
{
	struct taken *bigger;

	if (EFI_ERROR(efi.bs->AllocatePool(EfiLoaderData,
					   2 * capacity * sizeof(*taken),
					   (void **)&bigger)))
		return false;
	memcpy(bigger, taken, ntaken * sizeof(*taken));
	if (taken != first_table)
		efi.bs->FreePool(taken);
	taken = bigger;
	capacity *= 2;
	return true;
}

static UINTN pages_of(uint64_t size)
{
	return (UINTN)(align_up(size, PAGE_SIZE) / PAGE_SIZE);
}

static EFI_STATUS take(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type,
		       UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	EFI_STATUS s;

	if (ntaken == capacity && !grow_table())
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

/* EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10 §37.7), which gnu-efi does
 * not declare. Firmware that has it may map loader memory no-execute,
 * code included, until asked otherwise; x86 OVMF has it from
 * edk2-stable202502, Debian 12's does not. */
#define MEMORY_ATTRIBUTE_PROTOCOL_GUID \
	{ 0xf4560cf6, 0x40ec, 0x4b4a, \
	  { 0xa1, 0x92, 0xbf, 0x1d, 0x57, 0xd0, 0xb1, 0x89 } }

struct memory_attribute_protocol {
	EFI_STATUS(EFIAPI *get)(struct memory_attribute_protocol *this,
				EFI_PHYSICAL_ADDRESS base, UINT64 length,
				UINT64 *attributes);
	EFI_STATUS(EFIAPI *set)(struct memory_attribute_protocol *this,
				EFI_PHYSICAL_ADDRESS base, UINT64 length,
				UINT64 attributes);
	EFI_STATUS(EFIAPI *clear)(struct memory_attribute_protocol *this,
				  EFI_PHYSICAL_ADDRESS base, UINT64 length,
				  UINT64 attributes);
};

int machine_protect(const struct mem_protect *r, size_t n, struct diag *d)
{
	static EFI_GUID guid = MEMORY_ATTRIBUTE_PROTOCOL_GUID;
	struct memory_attribute_protocol *mem = efi_protocol(NULL, &guid);
	EFI_STATUS s = EFI_SUCCESS;

	for (size_t i = 0; mem && i < n; i++) {
		if (r[i].clear)
			s = mem->clear(mem, r[i].base, r[i].size, r[i].clear);
		if (!EFI_ERROR(s) && r[i].set)
			s = mem->set(mem, r[i].base, r[i].size, r[i].set);
		if (EFI_ERROR(s))
			return diag_fail(d, ERR_UNSUPPORTED,
					 "cannot set the memory attributes of the %s at 0x%lx-0x%lx: %s",
					 r[i].what, r[i].base,
					 r[i].base + r[i].size - 1, efi_status_text(s));
	}
	return 0;
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
	/* all given back: the firmware gets the grown table back too */
	if (!ntaken && taken != first_table) {
		efi.bs->FreePool(taken);
		taken = first_table;
		capacity = sizeof(first_table) / sizeof(first_table[0]);
	}
}
