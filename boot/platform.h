/* Facts about the machine that a front end gathers before the point of no
 * return (platform_gather(), core/machine.h) and the formats hand on to the
 * kernel. Plain data. */
#ifndef BOOT_PLATFORM_H
#define BOOT_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

struct color_field {
	uint8_t size; /* bits */
	uint8_t pos;  /* lowest bit */
};

/* A linear framebuffer (from the Graphics Output Protocol). */
struct framebuffer {
	uint64_t base;
	uint64_t size;
	uint32_t width, height;
	uint32_t stride; /* pixels per scan line */
	uint8_t bpp;
	struct color_field red, green, blue, rsvd;
};

/* Fills bpp and the colour fields from channel bit masks (UEFI 2.10 §12.9,
 * EFI_PIXEL_BITMASK). */
void fb_set_masks(struct framebuffer *fb, uint32_t red, uint32_t green,
		  uint32_t blue, uint32_t reserved);

/* Bytes per scan line. */
uint32_t fb_pitch(const struct framebuffer *fb);

/* The first n colour fields (red, green, blue, reserved) as position and
 * size bytes, the order of the Multiboot and ELF64 boot protocols. */
void fb_put_colors(uint8_t *p, const struct framebuffer *fb, unsigned n);

/* Linux's enum efi_secureboot_mode (include/linux/efi.h), which
 * boot_params.secure_boot carries (zero-page.rst, 0x1ec). */
enum secure_boot_mode {
	SECURE_BOOT_UNSET = 0,
	SECURE_BOOT_UNKNOWN = 1,
	SECURE_BOOT_DISABLED = 2,
	SECURE_BOOT_ENABLED = 3,
};

struct platform {
	bool boot_services;   /* the firmware's boot services are running */
	uint64_t efi_systab;  /* EFI_SYSTEM_TABLE, for runtime services */
	uint64_t efi_image;   /* efikexec's image handle */
	uint64_t acpi_rsdp;   /* 0 when the firmware has no ACPI table */
	bool has_fb;
	struct framebuffer fb;
	bool paging_5level;   /* the firmware runs with CR4.LA57 */
	/* the SMBIOS structure table and its size (boot/smbios.h; 0: the
	 * firmware has none) */
	uint64_t smbios_table, smbios_size;
	enum secure_boot_mode secure_boot;
};

#endif
