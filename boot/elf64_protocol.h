/* The efikexec ELF64 boot protocol, version 1 (docs/elf64-protocol.md):
 * the structure a plain ELF64 kernel receives in RDI. Every field is
 * little-endian; every address is physical; the structure and everything it
 * points to lie below 4 GiB. */
#ifndef BOOT_ELF64_PROTOCOL_H
#define BOOT_ELF64_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define EFIKEXEC_BOOT_MAGIC 0x424b4645u /* "EFKB" in memory order; also RAX */
#define EFIKEXEC_BOOT_VERSION 1

struct efikexec_memory_range {
	uint64_t base, size;
	uint32_t type; /* e820 / ACPI address range type: 1 RAM, 2 reserved,
			  3 ACPI, 4 ACPI NVS, 5 unusable, 7 persistent */
	uint32_t reserved;
};

struct efikexec_module {
	uint64_t start, size;
	uint64_t string; /* NUL-terminated; "" when none */
};

struct efikexec_framebuffer {
	uint64_t addr; /* 0: no framebuffer */
	uint64_t size;
	uint32_t width, height, pitch; /* pitch in bytes */
	uint32_t bpp;
	uint8_t red_pos, red_size, green_pos, green_size;
	uint8_t blue_pos, blue_size, reserved_pos, reserved_size;
};

struct efikexec_boot_info {
	uint32_t magic;
	uint16_t version;
	uint16_t size;      /* of this structure */
	uint32_t flags;     /* the efikexec flags word (docs/handoff.md) */
	uint32_t reserved0;
	uint64_t cmdline;
	uint64_t image_start, image_end; /* the kernel as loaded */
	uint64_t memmap;    /* struct efikexec_memory_range[], sorted */
	uint32_t memmap_count, memmap_entry_size;
	uint64_t modules;   /* struct efikexec_module[] */
	uint32_t module_count, module_entry_size;
	uint64_t efi_system_table;
	uint64_t efi_memmap; /* the final EFI memory map, for runtime services */
	uint32_t efi_memmap_size, efi_desc_size;
	uint32_t efi_desc_version, reserved1;
	uint64_t acpi_rsdp; /* 0: none */
	struct efikexec_framebuffer framebuffer;
	uint64_t handoff;   /* struct efikexec_handoff (boot/handoff_record.h) */
};

_Static_assert(sizeof(struct efikexec_memory_range) == 24, "memory range");
_Static_assert(sizeof(struct efikexec_module) == 24, "module");
_Static_assert(sizeof(struct efikexec_framebuffer) == 40, "framebuffer");
_Static_assert(offsetof(struct efikexec_boot_info, cmdline) == 16, "cmdline");
_Static_assert(offsetof(struct efikexec_boot_info, memmap) == 40, "memmap");
_Static_assert(offsetof(struct efikexec_boot_info, modules) == 56, "modules");
_Static_assert(offsetof(struct efikexec_boot_info, efi_system_table) == 72, "systab");
_Static_assert(offsetof(struct efikexec_boot_info, acpi_rsdp) == 104, "rsdp");
_Static_assert(offsetof(struct efikexec_boot_info, framebuffer) == 112, "fb");
_Static_assert(offsetof(struct efikexec_boot_info, handoff) == 152, "handoff");
_Static_assert(sizeof(struct efikexec_boot_info) == 160, "boot info");

#endif
