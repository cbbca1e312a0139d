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
	uint64_t entry;      /* e_entry */
	uint64_t entry_phys; /* its physical address (translated if virtual) */
	uint64_t lo, hi;     /* physical span of the loaded segments */
};

/* What e_entry is: the gABI's virtual address, translated through the
 * segment holding it, or a physical address already (Linux's vmlinux). */
enum elf_entry { ELF_ENTRY_VIRTUAL, ELF_ENTRY_PHYSICAL };

/* The fields efikexec uses of a program header, whatever the class. */
struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

#define PT_LOAD 1

bool elf_detect(const uint8_t *img, size_t size);

/* Program header i of an ELF file elf_detect() accepted, when the first
 * `size` bytes hold it whole and i is below e_phnum: for a look at the
 * headers before the whole file is read. */
bool elf_phdr_at(const uint8_t *img, size_t size, uint16_t i,
		 struct elf_phdr *ph);

/* Checks the headers and fills out->seg[] (what, offset, sizes, physical
 * address, zero fill) and *info, e_entry read as `how` says. Refuses anything a loader cannot place
 * safely: headers or segments outside the file, sizes that wrap, segments
 * that overlap, no loadable segment, an entry outside every segment, a
 * machine not in `machines` (EM_386 and/or EM_X86_64, 0-terminated). */
int elf_parse(const uint8_t *img, size_t size, const uint16_t *machines,
	      enum elf_entry how, struct kernel_layout *out,
	      struct elf_image *info, struct diag *d);

/* A 64-bit kernel loaded exactly at its segments' physical addresses and
 * entered at its physical entry under efikexec's identity map: out's
 * entry and place for what elf_parse() found; refused (naming the kernel
 * as `kind`) when it ends beyond that map. */
int elf_place_fixed(const struct elf_image *e, const char *kind,
		    struct kernel_layout *out, struct diag *d);

#endif
