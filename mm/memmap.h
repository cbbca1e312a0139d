/* The firmware memory map, as plain data.
 *
 * A front end fetches the map (core/machine.h); everything that reasons about it (is this range RAM
 * after ExitBootServices? what does Linux see as e820?) works on this form
 * and is tested on the host. */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

/* EFI_MEMORY_TYPE, UEFI 2.10 §7.2.1 (AllocatePages) table 7.5. */
enum mem_type {
	MEM_RESERVED = 0,
	MEM_LOADER_CODE = 1,
	MEM_LOADER_DATA = 2,
	MEM_BS_CODE = 3,
	MEM_BS_DATA = 4,
	MEM_RT_CODE = 5,
	MEM_RT_DATA = 6,
	MEM_CONVENTIONAL = 7,
	MEM_UNUSABLE = 8,
	MEM_ACPI_RECLAIM = 9,
	MEM_ACPI_NVS = 10,
	MEM_MMIO = 11,
	MEM_MMIO_PORT = 12,
	MEM_PAL_CODE = 13,
	MEM_PERSISTENT = 14,
	MEM_UNACCEPTED = 15,
	MEM_TYPE_COUNT,
	MEM_ABSENT = 0xFFFFFFFFu, /* not a firmware type: a hole in the map */
};

/* EFI_MEMORY_SP (UEFI 2.10 §7.2.3): specific-purpose memory, which Linux
 * keeps out of general use ("soft reserved"). */
#define MEM_ATTR_SP 0x40000ull
/* EFI_MEMORY_XP and EFI_MEMORY_RO: no-execute and read-only, the
 * attributes EFI_MEMORY_ATTRIBUTE_PROTOCOL sets and clears (UEFI 2.10
 * §7.2.3, §37.7). */
#define MEM_ATTR_XP 0x4000ull
#define MEM_ATTR_RO 0x20000ull
/* EFI_MEMORY_RUNTIME: the OS must map this range for runtime services. */
#define MEM_ATTR_RUNTIME 0x8000000000000000ull

struct mem_range {
	uint64_t base;
	uint64_t size;
	uint64_t attr;
	uint32_t type;
};

struct memmap {
	struct mem_range *r; /* sorted by base, non-overlapping */
	size_t n;
	size_t cap;
};

/* The layout of one EFI_MEMORY_DESCRIPTOR (UEFI 2.10 §7.2.3, GetMemoryMap).
 * Firmware may use a larger descriptor stride; only this prefix is read. */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attr;
};
_Static_assert(sizeof(struct efi_mem_desc) == 40, "EFI_MEMORY_DESCRIPTOR");
_Static_assert(__builtin_offsetof(struct efi_mem_desc, phys_start) == 8,
	       "PhysicalStart");
_Static_assert(__builtin_offsetof(struct efi_mem_desc, pages) == 24,
	       "NumberOfPages");

/* Parses a raw GetMemoryMap() buffer into out (whose r/cap the caller set),
 * sorted by base. Fails on a descriptor stride smaller than the structure,
 * more descriptors than out can hold, ranges that wrap or overlap. Never
 * allocates: it runs after ExitBootServices too. */
int memmap_from_efi(struct memmap *out, const void *buf, size_t map_size,
		    size_t desc_size, struct diag *d);

/* Memory that nobody owns once boot services are gone and the loader has
 * jumped: conventional, boot-services and loader code and data. Specific-
 * purpose memory and ranges marked for runtime services are excluded.
 * (UEFI 2.10 §7.4.6: after ExitBootServices the OS owns all boot-services
 * memory; loader memory is the loader's own.) */
bool mem_free_after_ebs(const struct mem_range *r);

/* Memory that is free for new allocations right now. */
bool mem_free_now(const struct mem_range *r);

/* The type's name, for messages ("ACPI NVS", "conventional"). */
const char *mem_type_name(uint32_t type);

/* Finds the first part of [base, base + size) that is not covered by ranges
 * satisfying pred. Returns false when the whole range is covered; otherwise
 * returns true and describes the offending part in *blocker (type
 * MEM_ABSENT for a hole in the map, and for all of a range that wraps
 * past 2^64). */
bool memmap_find_blocker(const struct memmap *m, uint64_t base, uint64_t size,
			 bool (*pred)(const struct mem_range *),
			 struct mem_range *blocker);

/* One past the highest byte of any range that holds memory someone uses:
 * RAM, ACPI, runtime services, persistent memory; not MMIO, MMIO port
 * space, reserved or unusable ranges, holes. (SeaBIOS's e820 on QEMU
 * reserves the last 12 GiB below 1 TiB, the HyperTransport hole: an
 * identity map up to there took 4 MiB of page tables and 13 ms to build
 * under TCG.) efikexec's own reserved allocations (the AP park area, a
 * legacy EBDA) lie below 1 MiB. */
uint64_t memmap_top_of_memory(const struct memmap *m);

/* For a front end that hands out memory itself (efikexec.mb; the fuzzers'
 * simulated firmware): gives [base, base + size) the type `type`,
 * splitting the ranges it cuts and keeping their attributes; holes stay
 * holes. Fails when the map would outgrow its capacity. */
int memmap_set_type(struct memmap *m, uint64_t base, uint64_t size,
		    uint32_t type, struct diag *d);

/* AllocatePages(AllocateMaxAddress) over the map: the highest free pages
 * (mem_free_now()) that lie in [min, max], given the type `type`. Returns
 * their base, or 0 when there are none (min must be above 0). */
uint64_t memmap_take_top(struct memmap *m, uint64_t size, uint64_t min,
			 uint64_t max, uint32_t type);

#endif
