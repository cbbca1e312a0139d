/* The identity map the relocation trampoline runs on and hands to 64-bit
 * kernels: every address below `top` mapped to itself, writable and
 * executable; 4-level, or 5-level when the firmware already runs with LA57
 * (which cannot be switched while paging is on).
 *
 * Page sizes follow where memory types change (Intel SDM Vol. 3A §11.11.9:
 * a large page over ranges of different MTRR types is undefined): 4 KiB
 * pages for the first 2 MiB (legacy VGA and ROM holes), 2 MiB pages up to
 * 4 GiB (the MMIO hole), 1 GiB pages above when the CPU has them. */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One PML4 reaches 256 TiB; with LA57 we still map no more than that. */
#define IDMAP_MAX_TOP (1ull << 48)

struct idmap_shape {
	uint64_t top;      /* map [0, top), rounded up to 1 GiB; <= IDMAP_MAX_TOP */
	bool huge_1g;      /* 1 GiB leaves above 4 GiB */
	bool five_level;   /* add a PML5 above the PML4 */
	uint64_t enc_mask; /* OR-ed into every entry: a SEV guest's C-bit */
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
