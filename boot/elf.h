/* ELF32/ELF64 executables as kernel images: PT_LOAD program headers become
 * segments at their physical addresses (System V gABI, "Program Header";
 * Multiboot loads by p_paddr as GRUB does). */
#ifndef BOOT_ELF_H
#define BOOT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "lib/diag.h"

#define EM_386 3
#define EM_X86_64 62

struct elf_image {
	bool is64;
	uint16_t machine;
	uint64_t entry;      /* e_entry, a virtual address */
	uint64_t entry_phys; /* translated through the PT_LOAD holding it */
	uint64_t lo, hi;     /* physical span of the loaded segments */
};

bool elf_detect(const uint8_t *img, size_t size);

/* Checks the headers and fills out->seg[] (what, offset, sizes, physical
 * address, zero fill) and *info. Refuses anything a loader cannot place
 * safely: headers or segments outside the file, sizes that wrap, segments
 * that overlap, no loadable segment, an entry outside every segment, a
 * machine not in `machines` (EM_386 and/or EM_X86_64, 0-terminated). */
int elf_parse(const uint8_t *img, size_t size, const uint16_t *machines,
	      struct kernel_layout *out, struct elf_image *info,
	      struct diag *d);

#endif
