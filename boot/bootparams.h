/* The Linux/x86 boot protocol's structures: the setup header in a bzImage
 * and the "zero page" (struct boot_params) handed to the kernel in RSI.
 * Layouts per Documentation/arch/x86/boot.rst and zero-page.rst; only the
 * fields efikexec reads or writes are named, the rest is padding. */
#ifndef BOOT_BOOTPARAMS_H
#define BOOT_BOOTPARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "mm/e820.h"

/* boot.rst "The real-mode kernel header" (offsets in the file and in the
 * zero page are the same). */
struct setup_header {
	uint8_t setup_sects;          /* 0x1f1 */
	uint16_t root_flags;          /* 0x1f2 */
	uint32_t syssize;             /* 0x1f4, 16-byte paragraphs */
	uint16_t ram_size;            /* 0x1f8 */
	uint16_t vid_mode;            /* 0x1fa */
	uint16_t root_dev;            /* 0x1fc */
	uint16_t boot_flag;           /* 0x1fe, 0xAA55 */
	uint16_t jump;                /* 0x200 */
	uint32_t header;              /* 0x202, "HdrS" */
	uint16_t version;             /* 0x206 */
	uint32_t realmode_swtch;      /* 0x208 */
	uint16_t start_sys_seg;       /* 0x20c */
	uint16_t kernel_version;      /* 0x20e */
	uint8_t type_of_loader;       /* 0x210 */
	uint8_t loadflags;            /* 0x211 */
	uint16_t setup_move_size;     /* 0x212 */
	uint32_t code32_start;        /* 0x214 */
	uint32_t ramdisk_image;       /* 0x218 */
	uint32_t ramdisk_size;        /* 0x21c */
	uint32_t bootsect_kludge;     /* 0x220 */
	uint16_t heap_end_ptr;        /* 0x224 */
	uint8_t ext_loader_ver;       /* 0x226 */
	uint8_t ext_loader_type;      /* 0x227 */
	uint32_t cmd_line_ptr;        /* 0x228 */
	uint32_t initrd_addr_max;     /* 0x22c */
	uint32_t kernel_alignment;    /* 0x230 */
	uint8_t relocatable_kernel;   /* 0x234 */
	uint8_t min_alignment;        /* 0x235 */
	uint16_t xloadflags;          /* 0x236 */
	uint32_t cmdline_size;        /* 0x238 */
	uint32_t hardware_subarch;    /* 0x23c */
	uint64_t hardware_subarch_data; /* 0x240 */
	uint32_t payload_offset;      /* 0x248 */
	uint32_t payload_length;      /* 0x24c */
	uint64_t setup_data;          /* 0x250 */
	uint64_t pref_address;        /* 0x258 */
	uint32_t init_size;           /* 0x260 */
	uint32_t handover_offset;     /* 0x264 */
	uint32_t kernel_info_offset;  /* 0x268 */
} __attribute__((packed));

#define SETUP_HEADER_OFFSET 0x1f1
#define HDR_OFF(field) (SETUP_HEADER_OFFSET + offsetof(struct setup_header, field))

_Static_assert(sizeof(struct setup_header) == 0x26c - 0x1f1, "setup_header");
_Static_assert(HDR_OFF(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(HDR_OFF(header) == 0x202, "header");
_Static_assert(HDR_OFF(version) == 0x206, "version");
_Static_assert(HDR_OFF(type_of_loader) == 0x210, "type_of_loader");
_Static_assert(HDR_OFF(loadflags) == 0x211, "loadflags");
_Static_assert(HDR_OFF(ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(HDR_OFF(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(HDR_OFF(initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(HDR_OFF(kernel_alignment) == 0x230, "kernel_alignment");
_Static_assert(HDR_OFF(xloadflags) == 0x236, "xloadflags");
_Static_assert(HDR_OFF(cmdline_size) == 0x238, "cmdline_size");
_Static_assert(HDR_OFF(setup_data) == 0x250, "setup_data");
_Static_assert(HDR_OFF(pref_address) == 0x258, "pref_address");
_Static_assert(HDR_OFF(init_size) == 0x260, "init_size");

#define BOOT_FLAG_MAGIC 0xAA55
#define HDRS_MAGIC 0x53726448u /* "HdrS" */

/* loadflags (boot.rst) */
#define LOADED_HIGH (1u << 0)
/* xloadflags (boot.rst, protocol 2.12) */
#define XLF_KERNEL_64 (1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define XLF_5LEVEL (1u << 5) /* can be entered with 5-level paging on */

/* boot.rst "type_of_loader": 0xFF for a loader without an assigned ID. */
#define LOADER_TYPE_UNDEFINED 0xFF
/* boot.rst "vid_mode": 0xFFFF = "normal" (80x25), no mode change. */
#define VID_MODE_NORMAL 0xFFFF

/* boot.rst "Details of header fields" / setup_data types. */
struct setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;
	uint8_t data[];
} __attribute__((packed));
_Static_assert(sizeof(struct setup_data) == 16, "setup_data");

#define SETUP_E820_EXT 1

/* include/uapi/linux/screen_info.h */
struct screen_info {
	uint8_t _pad0[0x0f];
	uint8_t orig_video_isVGA;     /* 0x0f */
	uint16_t _pad1;
	uint16_t lfb_width;           /* 0x12 */
	uint16_t lfb_height;          /* 0x14 */
	uint16_t lfb_depth;           /* 0x16 */
	uint32_t lfb_base;            /* 0x18 */
	uint32_t lfb_size;            /* 0x1c */
	uint16_t _pad2[2];
	uint16_t lfb_linelength;      /* 0x24 */
	uint8_t red_size, red_pos;    /* 0x26 */
	uint8_t green_size, green_pos; /* 0x28 */
	uint8_t blue_size, blue_pos;  /* 0x2a */
	uint8_t rsvd_size, rsvd_pos;  /* 0x2c */
	uint16_t _pad3[2];
	uint16_t pages;               /* 0x32 */
	uint16_t vesa_attributes;     /* 0x34 */
	uint32_t capabilities;        /* 0x36 */
	uint32_t ext_lfb_base;        /* 0x3a */
	uint8_t _pad4[2];
} __attribute__((packed));

_Static_assert(sizeof(struct screen_info) == 0x40, "screen_info");
_Static_assert(offsetof(struct screen_info, orig_video_isVGA) == 0x0f, "isVGA");
_Static_assert(offsetof(struct screen_info, lfb_base) == 0x18, "lfb_base");
_Static_assert(offsetof(struct screen_info, lfb_linelength) == 0x24, "linelength");
_Static_assert(offsetof(struct screen_info, rsvd_pos) == 0x2d, "rsvd_pos");
_Static_assert(offsetof(struct screen_info, pages) == 0x32, "pages");
_Static_assert(offsetof(struct screen_info, capabilities) == 0x36, "capabilities");
_Static_assert(offsetof(struct screen_info, ext_lfb_base) == 0x3a, "ext_lfb_base");

#define VIDEO_TYPE_EFI 0x70
#define VIDEO_CAPABILITY_SKIP_QUIRKS (1u << 0)
#define VIDEO_CAPABILITY_64BIT_BASE (1u << 1)

/* zero-page.rst efi_info */
struct efi_info {
	uint32_t efi_loader_signature;
	uint32_t efi_systab;
	uint32_t efi_memdesc_size;
	uint32_t efi_memdesc_version;
	uint32_t efi_memmap;
	uint32_t efi_memmap_size;
	uint32_t efi_systab_hi;
	uint32_t efi_memmap_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct efi_info) == 32, "efi_info");

#define EFI64_LOADER_SIGNATURE 0x34364c45u /* "EL64" */

#define E820_MAX_ENTRIES_ZEROPAGE 128

/* zero-page.rst: struct boot_params, 4 KiB. */
struct boot_params {
	struct screen_info screen_info;       /* 0x000 */
	uint8_t _pad0[0x070 - 0x040];
	uint64_t acpi_rsdp_addr;              /* 0x070, protocol 2.14 */
	uint8_t _pad1[0x0c0 - 0x078];
	uint32_t ext_ramdisk_image;           /* 0x0c0 */
	uint32_t ext_ramdisk_size;            /* 0x0c4 */
	uint32_t ext_cmd_line_ptr;            /* 0x0c8 */
	uint8_t _pad2[0x1c0 - 0x0cc];
	struct efi_info efi_info;             /* 0x1c0 */
	uint8_t _pad3[0x1e8 - 0x1e0];
	uint8_t e820_entries;                 /* 0x1e8 */
	uint8_t _pad4[0x1ec - 0x1e9];
	uint8_t secure_boot;                  /* 0x1ec: enum secure_boot_mode */
	uint8_t _pad4b[0x1ef - 0x1ed];
	uint8_t sentinel;                     /* 0x1ef, must stay 0 */
	uint8_t _pad5;
	struct setup_header hdr;              /* 0x1f1 */
	uint8_t _pad6[0x290 - 0x26c];         /* future header fields */
	uint8_t _pad6b[0x2d0 - 0x290];        /* edd_mbr_sig_buffer */
	struct e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE]; /* 0x2d0 */
	uint8_t _pad7[0x1000 - 0xcd0];
} __attribute__((packed));

_Static_assert(sizeof(struct boot_params) == 4096, "boot_params");
_Static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "rsdp");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_image) == 0x0c0, "ext_ramdisk_image");
_Static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, efi_info) == 0x1c0, "efi_info");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(offsetof(struct boot_params, secure_boot) == 0x1ec, "secure_boot");
_Static_assert(offsetof(struct boot_params, sentinel) == 0x1ef, "sentinel");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "hdr");
/* The setup header may grow up to here (the EDD signature buffer). */
#define SETUP_HEADER_LIMIT 0x290
_Static_assert(offsetof(struct boot_params, _pad6b) == SETUP_HEADER_LIMIT, "limit");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table");

#endif
