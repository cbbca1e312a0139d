/* Multiboot 1 (Multiboot Specification 0.6.96) and Multiboot 2 (Multiboot2
 * Specification 2.0) structures, and what the two formats share. */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "mm/e820.h"

/* The name both formats report (MB1 §3.3 boot_loader_name, MB2 §3.6.5).
 * Xen strips the first word of the command line unless the loader calls
 * itself "GRUB 2": efikexec passes command lines as GRUB 2 does (without
 * the image's name), and says so. */
#define MULTIBOOT_LOADER_NAME "efikexec (GRUB 2 command line convention)"

/* ---- Multiboot 1 ---- */

#define MB1_HEADER_MAGIC 0x1badb002u
#define MB1_LOADER_MAGIC 0x2badb002u
#define MB1_SEARCH 8192 /* §3.1.1: within the first 8192 bytes, 4-aligned */

/* §3.1.2 header flags; bits 0-15 are requirements */
#define MB1_PAGE_ALIGN (1u << 0)
#define MB1_MEMORY_INFO (1u << 1)
#define MB1_VIDEO_MODE (1u << 2)
#define MB1_AOUT_KLUDGE (1u << 16)
#define MB1_KNOWN_REQUIREMENTS (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_VIDEO_MODE)

/* The address fields: Multiboot 1's a.out kludge (§3.1.3), Multiboot 2's
 * address tag (§3.1.5). */
struct mb_address {
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
};

struct mb1_header {
	uint32_t magic, flags, checksum;
	struct mb_address addr;
	uint32_t entry_addr;
	uint32_t mode_type, width, height, depth;
};
_Static_assert(sizeof(struct mb1_header) == 48, "mb1_header");

/* §3.3 info flags */
#define MB1_INFO_MEMORY (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_MEM_MAP (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_INFO_FRAMEBUFFER (1u << 12)

#define MB1_FRAMEBUFFER_RGB 1

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB from 0 and from 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch, framebuffer_width, framebuffer_height;
	uint8_t framebuffer_bpp, framebuffer_type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_info) == 116, "mb1_info");
_Static_assert(offsetof(struct mb1_info, mmap_length) == 44, "mmap_length");
_Static_assert(offsetof(struct mb1_info, boot_loader_name) == 64, "loader name");
_Static_assert(offsetof(struct mb1_info, framebuffer_addr) == 88, "framebuffer");
_Static_assert(offsetof(struct mb1_info, framebuffer_bpp) == 108, "bpp");
_Static_assert(offsetof(struct mb1_info, red_pos) == 110, "color info");

struct mb1_module {
	uint32_t mod_start, mod_end, string, reserved;
};
_Static_assert(sizeof(struct mb1_module) == 16, "mb1_module");

/* §3.3 memory map entry: size excludes the size field itself */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "mb1_mmap_entry");

/* ---- Multiboot 2 ---- */

#define MB2_HEADER_MAGIC 0xe85250d6u
#define MB2_LOADER_MAGIC 0x36d76289u
#define MB2_SEARCH 32768 /* §3.1.1: within the first 32768 bytes, 8-aligned */
#define MB2_ARCH_I386 0
#define MB2_TAG_OPTIONAL 1u

/* §3.1.3-3.1.15 header tags */
enum {
	MB2_HT_END = 0,
	MB2_HT_INFO_REQUEST = 1,
	MB2_HT_ADDRESS = 2,
	MB2_HT_ENTRY = 3,
	MB2_HT_CONSOLE = 4,
	MB2_HT_FRAMEBUFFER = 5,
	MB2_HT_MODULE_ALIGN = 6,
	MB2_HT_EFI_BS = 7,
	MB2_HT_ENTRY_EFI32 = 8,
	MB2_HT_ENTRY_EFI64 = 9,
	MB2_HT_RELOCATABLE = 10,
};

/* §3.6 information tags */
enum {
	MB2_IT_END = 0,
	MB2_IT_CMDLINE = 1,
	MB2_IT_LOADER_NAME = 2,
	MB2_IT_MODULE = 3,
	MB2_IT_MEMINFO = 4,
	MB2_IT_BOOTDEV = 5,
	MB2_IT_MMAP = 6,
	MB2_IT_VBE = 7,
	MB2_IT_FRAMEBUFFER = 8,
	MB2_IT_ELF_SECTIONS = 9,
	MB2_IT_APM = 10,
	MB2_IT_EFI32 = 11,
	MB2_IT_EFI64 = 12,
	MB2_IT_SMBIOS = 13,
	MB2_IT_ACPI_OLD = 14,
	MB2_IT_ACPI_NEW = 15,
	MB2_IT_NETWORK = 16,
	MB2_IT_EFI_MMAP = 17,
	MB2_IT_EFI_BS = 18,
	MB2_IT_EFI32_IH = 19,
	MB2_IT_EFI64_IH = 20,
	MB2_IT_LOAD_BASE = 21,
	/* efikexec's own tag: the handoff record (boot/handoff_record.h) */
	MB2_IT_EFIKEXEC = 0x4b494645,
};

struct mb2_header {
	uint32_t magic, architecture, header_length, checksum;
};
_Static_assert(sizeof(struct mb2_header) == 16, "mb2_header");

struct mb2_tag {
	uint16_t type;
	uint16_t flags; /* header tags only */
	uint32_t size;
};
_Static_assert(sizeof(struct mb2_tag) == 8, "mb2_tag");

/* §3.1.10 relocatable header tag */
struct mb2_relocatable {
	struct mb2_tag tag;
	uint32_t min_addr, max_addr, align, preference;
};
_Static_assert(sizeof(struct mb2_relocatable) == 24, "mb2_relocatable");

/* §3.6.8 memory map entry */
struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type, zero;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2_mmap_entry");

/* §3.6.11 framebuffer info (direct RGB colour) */
struct mb2_framebuffer {
	struct mb2_tag tag;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint16_t reserved;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));
_Static_assert(sizeof(struct mb2_framebuffer) == 38, "mb2_framebuffer");

/* ---- shared ---- */

/* Where a BIOS-era kernel looks for its machine's data. ACPI 6.5 §5.2.5.1:
 * the RSDP is in the first KiB of the extended BIOS data area (whose
 * segment the BIOS data area holds at 0x40e) or in 0xe0000-0xfffff. UEFI
 * firmware without a compatibility module keeps the RSDP elsewhere and the
 * BDA empty, and a Multiboot kernel given no EFI tags (Xen, for one: it
 * also places its AP trampoline below the EBDA) finds nothing. When the
 * RSDP is above 1 MiB, add an EBDA page (reserved) holding a copy of it,
 * and a segment writing a BDA that points to it. */
int mb_legacy_bios(struct boot_ctx *ctx, struct diag *d);

/* The bytes of the RSDP at rsdp: 20 before ACPI 2.0, else its length
 * field (ACPI 6.5 §5.2.5.3), within sane bounds. */
size_t mb_rsdp_length(const uint8_t *rsdp);

/* BIOS data area fields (the IBM PC BIOS; what kernels read of it) */
#define BDA_ADDR 0x400
#define BDA_SIZE 0x100
#define BDA_COM1 0x00      /* u16 I/O port */
#define BDA_COM2 0x02
#define BDA_EBDA_SEG 0x0e  /* u16 real-mode segment of the EBDA */
#define BDA_BASE_MEM 0x13  /* u16 KiB of memory below the EBDA */

/* The offset of the first `magic` at an `align` multiple within the first
 * `search` bytes. */
bool mb_find_magic(const uint8_t *img, size_t size, uint32_t magic,
		   size_t search, size_t align, size_t *off);

/* The same, failing with "no NAME header ..." where there is none. */
int mb_header_at(const char *name, const uint8_t *img, size_t size,
		 uint32_t magic, size_t search, size_t align, size_t *off,
		 struct diag *d);

/* The one segment the address fields of the header at file offset off
 * describe, loaded at `load` (load_addr, or what the field's -1 means):
 * it must lie in the file and below 4 GiB. name ("Multiboot",
 * "Multiboot2") starts the messages. */
int mb_address_layout(const char *name, size_t size, size_t off,
		      const struct mb_address *a, uint32_t load,
		      struct kernel_layout *l, struct diag *d);

/* The span of l's segments as l->place, at its link address and below
 * 4 GiB, and modules below 4 GiB: where both formats start. */
void mb_place(struct kernel_layout *l);

/* The framebuffer information both versions give (MB1 §3.3 from
 * framebuffer_addr, MB2 §3.6.12 after the tag's header): address,
 * pitch, width, height, bpp, type (direct RGB), then `gap` bytes left as
 * they are (Multiboot 2's reserved field) and the colour fields. */
void mb_framebuffer(uint8_t *p, const struct framebuffer *fb, size_t gap);

/* For a kernel that requires what only a framebuffer gives, where there is
 * none: "the NAME kernel requires WHAT and there is no framebuffer". */
#define MB_NO_FB "the %s kernel requires %s and there is no framebuffer (GOP)"

/* mem_lower and mem_upper (KiB of RAM from 0 and from 1 MiB, MB1 §3.3,
 * MB2 §3.6.4). */
struct mb_limits {
	uint32_t lower, upper;
};

/* The map as at most cap memory map entries of 24 bytes (MB1 §3.3, MB2
 * §3.6.8), each an e820 entry `at` bytes in: Multiboot 1's follows its
 * size field (set to 20 here), Multiboot 2's is followed by a zero word
 * (the buffer is zeroed). Sets *l from them; returns how many. */
size_t mb_mmap(const struct memmap *m, uint8_t *out, size_t at, size_t cap,
	       struct mb_limits *l);

#endif
