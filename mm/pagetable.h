/* The identity map the relocation trampoline runs on and hands to 64-bit
 * kernels: every address below `top` mapped to itself, writable and
 * executable, with 1 GiB pages when the CPU has them and 2 MiB pages
 * otherwise; 4-level, or 5-level when the firmware already runs with LA57
 * (which cannot be switched while paging is on). */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One PML4 reaches 256 TiB; with LA57 we still map no more than that. */
#define IDMAP_MAX_TOP (1ull << 48)

struct idmap_shape {
	uint64_t top;     /* map [0, top), rounded up to 1 GiB; <= IDMAP_MAX_TOP */
	bool huge_1g;     /* 1 GiB leaves instead of 2 MiB ones */
	bool five_level;  /* add a PML5 above the PML4 */
};

/* Number of 4 KiB table pages the map needs. */
size_t idmap_pages(const struct idmap_shape *s);

/* Builds the map into `tables` (idmap_pages() zeroed pages at physical
 * address tables_phys) and returns the value to load into CR3. */
uint64_t idmap_build(uint64_t *tables, uint64_t tables_phys,
		     const struct idmap_shape *s);

/* Page-table entry bits (Intel SDM Vol. 3A §4.5, tables 4-15 to 4-19). */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_LARGE (1ull << 7)

#endif
