/* The Multiboot information efikexec.mb is started with, as plain data
 * (pure; tested on the host and fuzzed).
 *
 * A loader enters efikexec.mb with EAX = 0x2BADB002 and EBX = a Multiboot 1
 * information structure (Multiboot 0.6.96 §3.2, §3.3), or EAX = 0x36D76289
 * and EBX = Multiboot 2 information tags (Multiboot2 2.0 §3.2, §3.6).
 * Every field of it is input: each pointer, length and count is checked
 * against the memory the parser may read and against sane maxima, and a
 * malformed information gives a diag, never a read out of bounds.
 *
 * Pointers in the information are physical addresses. The parser reads
 * physical memory only through a window (struct mb_phys): efikexec.mb's
 * window is its identity map of 0-4 GiB; the host tests' and the fuzzer's
 * is a buffer standing in for some physical range. */
#ifndef MB_INFO_H
#define MB_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/platform.h"
#include "lib/diag.h"
#include "lib/range.h"
#include "mm/memmap.h"

/* The physical range [base, base + size) the parser may read, found at
 * host address `host`. */
struct mb_phys {
	uint64_t base;
	uint64_t size;
	uintptr_t host;
};

/* Where [addr, addr + size) is readable, or NULL when any of it is
 * outside the window. */
const void *mb_phys_at(const struct mb_phys *w, uint64_t addr, uint64_t size);

/* Sane maxima: far above what any loader produces, low enough that a
 * corrupt length cannot make a walk run over gigabytes. */
#define MB_INFO_MAX (1u << 20)    /* bytes of MB2 tags, of an MB1 map */
#define MB_STRING_MAX (1u << 16)  /* a command line or module string */
#define MB_MODULES_MAX 64
#define MB_E820_MAX 1024          /* entries of a BIOS memory map */
#define MB_KEEP_MAX (8 + MB_MODULES_MAX)

struct mb_module {
	uint32_t start, end; /* [start, end): the module's bytes */
	const char *string;  /* as the loader gave it; "" for none */
};

/* Multiboot 1 §3.3 framebuffer_type, Multiboot2 §3.6.12 */
enum {
	MB_FB_INDEXED = 0,
	MB_FB_RGB = 1,
	MB_FB_EGA_TEXT = 2,
};

struct mb_fb {
	uint64_t addr;
	uint32_t pitch;         /* bytes per line */
	uint32_t width, height; /* pixels, or characters for EGA text */
	uint8_t bpp, type;
	struct color_field red, green, blue; /* MB_FB_RGB only */
};

struct mb_info {
	int version;        /* 1 or 2 */
	uint32_t addr;      /* EBX */
	uint32_t size;      /* bytes of the structure itself (MB2: the tags
			       walked, which may exceed total_size) */
	bool no_end_tag;    /* MB2 ended without an end tag (kexec-tools) */
	const char *loader; /* NULL: the loader gave no name */
	const char *cmdline; /* NULL: no command line */
	struct mb_module mod[MB_MODULES_MAX];
	size_t nmod;

	/* The memory map. e820-style entries (MB1 §3.3 mmap_*, MB2 §3.6.8
	 * tag 6): e820_stride is 0 for MB1 (each entry says its size).
	 * efi_map: MB2 §3.6.19 tag 17, the EFI memory map a UEFI loader
	 * read as it exited boot services; preferred when present, since it
	 * has the runtime types the next kernel needs. */
	const uint8_t *e820;
	size_t e820_len, e820_stride;
	const uint8_t *efi_map;
	size_t efi_map_size, efi_desc_size;
	uint32_t efi_desc_version;

	/* ACPI: the physical address of an RSDP (0: none found) and its
	 * length. rsdp_is_copy: the only RSDP is the copy inside the MB2
	 * ACPI tag, which lives only as long as the information does: the
	 * front end copies it into memory it reserves before handing its
	 * address on. */
	uint64_t rsdp;
	size_t rsdp_len;
	bool rsdp_is_copy;
	const char *rsdp_source; /* "EFI configuration table", ... */

	bool has_fb;
	struct mb_fb fb;

	uint64_t efi_systab; /* MB2 §3.6.14 tag 12; 0 when absent */

	/* What the information occupies (the structure, the arrays and
	 * strings it points to, not the modules): none of it may be a
	 * destination until efikexec has read what it needs. */
	struct range keep[MB_KEEP_MAX];
	size_t nkeep;
};

/* Parses the information at physical address `info` for a loader that
 * passed `magic` in EAX. Fails on another magic, on any pointer, length or
 * count outside the window or above the maxima, on a string without its
 * NUL, and on MB2 tag 18 (EFI boot services not terminated): efikexec.mb
 * carries no EFI boot-services header tag and cannot run beside the
 * firmware (efikexec.efi is the way to boot from UEFI). The result points
 * into the window. */
int mb_info_parse(struct mb_info *mi, const struct mb_phys *w, uint32_t magic,
		  uint32_t info, struct diag *d);

/* The memory map as struct memmap (out->r and out->cap set by the
 * caller), sorted, without overlaps. From the EFI map when there is one
 * (memmap_from_efi); else e820 types become EFI types: 1 available ->
 * conventional, 3 ACPI -> ACPI reclaim, 4 NVS -> ACPI NVS, 5 bad ->
 * unusable, anything else reserved. BIOS maps are byte-granular and may
 * overlap: RAM is shrunk to whole pages, anything else grown to them, and
 * where two entries overlap the more restrictive type wins (as Linux's
 * e820__update_table does). mem_upper and mem_lower are never used: GRUB
 * on UEFI was seen reporting 7 MiB of upper memory on a 1 GiB machine. */
int mb_info_memmap(const struct mb_info *mi, struct memmap *out,
		   struct diag *d);

/* A direct-colour framebuffer as the formats want it (struct framebuffer);
 * false for EGA text, indexed colour or a geometry that does not add up. */
bool mb_info_framebuffer(const struct mb_info *mi, struct framebuffer *fb);

/* Whether bytes hold a valid RSDP (ACPI 6.5 §5.2.5.3: signature, the
 * 20-byte checksum, and for revision 2 and later the extended one) within
 * `avail` bytes; *len gets its length. */
bool mb_rsdp_valid(const uint8_t *p, size_t avail, size_t *len);

#endif
