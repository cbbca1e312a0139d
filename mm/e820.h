/* The BIOS e820 view of memory that Linux (boot_params) and Multiboot
 * (memory map tags) expect, derived from the EFI memory map. */
#ifndef MM_E820_H
#define MM_E820_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

/* ACPI 6.5 §15.1 address range types (as used by Linux's e820 and the
 * Multiboot memory map), plus Linux's soft-reserved type. */
enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
	E820_PMEM = 7,
	E820_SOFT_RESERVED = 0xefffffff,
};

/* Linux boot.rst "zero page" e820_table entry layout (boot_e820_entry). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "boot_e820_entry");

/* The e820 type an EFI range becomes. After ExitBootServices, loader and
 * boot-services memory is the OS's RAM; runtime code and data, MMIO and
 * reserved memory stay reserved so the OS can still call runtime services. */
uint32_t e820_type_of(const struct mem_range *r);

/* Writes the map as e820 entries in address order, neighbours of the same
 * type merged, one every `stride` bytes from out (boot protocols that wrap
 * the 20 bytes in a larger record: the rest of each is left as it is).
 * Returns the number of entries the whole map needs, never more than
 * m->n; only the first `cap` are written. */
size_t e820_from_memmap(const struct memmap *m, void *out, size_t stride,
			size_t cap);

#endif
