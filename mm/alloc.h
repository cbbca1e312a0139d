/* How pure code asks for physical memory without knowing the firmware.
 *
 * The boot sequence implements it over the machine's pages_alloc()
 * (core/machine.h: AllocatePages under UEFI, efikexec.mb's own allocator
 * under Multiboot); host tests use the C heap. In all of them a pointer is
 * also the physical address (UEFI runs identity mapped, UEFI 2.10 §2.3.4;
 * efikexec.mb maps itself so). */
#ifndef MM_ALLOC_H
#define MM_ALLOC_H

#include <stdint.h>

/* How the next kernel's memory map shows an allocation. */
enum alloc_kind {
	ALLOC_RAM,      /* RAM: the kernel reclaims it when done with it */
	ALLOC_RESERVED, /* reserved: the kernel leaves it alone */
};

struct allocator {
	/* Zeroed, page-aligned memory whose last byte is at or below
	 * max_addr; NULL when there is none. Freed by the owner of the
	 * allocator when the boot is abandoned. */
	void *(*pages)(struct allocator *a, uint64_t size, uint64_t max_addr,
		       enum alloc_kind kind);
};

static inline uint64_t phys_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#endif
