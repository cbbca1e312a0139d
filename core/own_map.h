/* The machine's memory map (fw_map_init(), fw_map_read(): core/machine.h)
 * for a front end that keeps the map itself and hands out pages from it:
 * efikexec.mb (mb/mb_machine.c) and the fuzzers' simulated firmware. The map
 * goes to the next kernel as EFI memory descriptors (what efi_info and the
 * Multiboot 2 EFI memory map tag carry, and what the formats' e820 and
 * Multiboot maps are made from), one per range of the front end's map. */
#ifndef CORE_OWN_MAP_H
#define CORE_OWN_MAP_H

#include "core/machine.h"

/* The memory type an allocation for `use` gets in the map, as
 * AllocatePages() would record it. */
uint32_t own_map_type(enum page_use use);

/* Buffers for up to `entries` ranges, from pages_alloc(). */
int own_map_init(struct fw_map *m, size_t entries, struct diag *d);

/* `map` as it is now, into m's buffers. */
int own_map_read(struct fw_map *m, const struct memmap *map, struct diag *d);

#endif
