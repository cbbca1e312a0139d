#include "mb/info.h"

#include "boot/multiboot.h"
#include "lib/bytes.h"
#include "lib/mem.h"
#include "lib/sizes.h"
#include "mm/e820.h"

const void *mb_phys_at(const struct mb_phys *w, uint64_t addr, uint64_t size)
{
	if (addr < w->base || addr - w->base > w->size ||
	    size > w->size - (addr - w->base))
		return NULL;
	return (const void *)(w->host + (uintptr_t)(addr - w->base));
}

/* The NUL-terminated string at addr, at most `max` bytes with its NUL. */
static const char *phys_string(const struct mb_phys *w, uint64_t addr,
			       size_t max, size_t *len)
{
	const char *s = mb_phys_at(w, addr, 1);
	uint64_t avail;

	if (!s)
		return NULL;
	avail = w->size - (addr - w->base);
	if (avail < max)
		max = (size_t)avail;
	for (size_t i = 0; i < max; i++) {
		if (!s[i]) {
			*len = i + 1;
			return s;
		}
	}
	return NULL;
}

static void keep(struct mb_info *mi, uint64_t base, uint64_t size)
{
	if (size && mi->nkeep < MB_KEEP_MAX)
		mi->keep[mi->nkeep++] = (struct range){ base, size };
}

static int add_module(struct mb_info *mi, uint32_t start, uint32_t end,
		      const char *string, struct diag *d)
{
	if (mi->nmod == MB_MODULES_MAX)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Multiboot information: more than %d modules",
				 MB_MODULES_MAX);
	/* MB1 §3.3, MB2 §3.6.6: mod_end is one past the last byte, as GRUB,
	 * QEMU and kexec-tools all write it */
	if (end < start)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot module %zu: mod_end 0x%x below mod_start 0x%x",
				 mi->nmod + 1, end, start);
	mi->mod[mi->nmod++] = (struct mb_module){ start, end, string };
	return 0;
}

/* ---- Multiboot 1 ---- */

/* MB1 §3.3: info fields up to vbe_* (88 bytes) unless the framebuffer
 * fields are present; QEMU writes only those 88 bytes. */
#define MB1_INFO_BASE_SIZE 88

static int mb1_string(struct mb_info *mi, const struct mb_phys *w,
		      uint32_t addr, const char *what, const char **out,
		      struct diag *d)
{
	size_t len;

	*out = phys_string(w, addr, MB_STRING_MAX, &len);
	if (!*out)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot information: %s at 0x%x is outside memory or has no end within %u bytes",
				 what, addr, MB_STRING_MAX);
	keep(mi, addr, len);
	return 0;
}

static int mb1_parse(struct mb_info *mi, const struct mb_phys *w,
		     uint32_t info, struct diag *d)
{
	const uint8_t *p = mb_phys_at(w, info, 4);
	uint32_t flags, size;
	int rc;

	if (!p)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot information at 0x%x is outside memory", info);
	flags = get32(p);
	size = flags & MB1_INFO_FRAMEBUFFER ? sizeof(struct mb1_info)
					    : MB1_INFO_BASE_SIZE;
	p = mb_phys_at(w, info, size);
	if (!p)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot information at 0x%x (%u bytes) runs outside memory",
				 info, size);
	mi->size = size;
	keep(mi, info, size);

	if ((flags & MB1_INFO_CMDLINE) &&
	    (rc = mb1_string(mi, w, get32(p + offsetof(struct mb1_info, cmdline)),
			     "the command line", &mi->cmdline, d)))
		return rc;
	if ((flags & MB1_INFO_LOADER_NAME) &&
	    (rc = mb1_string(mi, w,
			     get32(p + offsetof(struct mb1_info, boot_loader_name)),
			     "the boot loader name", &mi->loader, d)))
		return rc;

	if (flags & MB1_INFO_MODS) {
		uint32_t n = get32(p + offsetof(struct mb1_info, mods_count));
		uint32_t at = get32(p + offsetof(struct mb1_info, mods_addr));
		const uint8_t *m;

		if (n > MB_MODULES_MAX)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "Multiboot information: %u modules, at most %d supported",
					 n, MB_MODULES_MAX);
		m = mb_phys_at(w, at, (uint64_t)n * sizeof(struct mb1_module));
		if (!m)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot information: the %u module entries at 0x%x run outside memory",
					 n, at);
		keep(mi, at, (uint64_t)n * sizeof(struct mb1_module));
		for (uint32_t i = 0; i < n; i++, m += sizeof(struct mb1_module)) {
			const char *s = "";
			uint32_t str = get32(m + offsetof(struct mb1_module, string));

			/* §3.3 allows a module without a string: 0 */
			if (str && (rc = mb1_string(mi, w, str, "a module string",
						    &s, d)))
				return rc;
			if ((rc = add_module(mi, get32(m), get32(m + 4), s, d)))
				return rc;
		}
	}

	if (flags & MB1_INFO_MEM_MAP) {
		uint32_t len = get32(p + offsetof(struct mb1_info, mmap_length));
		uint32_t at = get32(p + offsetof(struct mb1_info, mmap_addr));
		const uint8_t *m;

		if (len > MB_INFO_MAX)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot information: mmap_length %u is over %u",
					 len, MB_INFO_MAX);
		m = mb_phys_at(w, at, len);
		if (!m)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot information: the memory map at 0x%x (%u bytes) runs outside memory",
					 at, len);
		/* §3.3: each entry's size field counts the bytes after it;
		 * the next entry starts size + 4 bytes on */
		for (uint32_t off = 0, n = 0; off < len; n++) {
			uint32_t esz;

			if (n == MB_E820_MAX)
				return diag_fail(d, ERR_UNSUPPORTED,
						 "Multiboot memory map: more than %d entries",
						 MB_E820_MAX);
			if (len - off < 4 ||
			    (esz = get32(m + off)) < sizeof(struct mb1_mmap_entry) - 4 ||
			    esz > len - off - 4)
				return diag_fail(d, ERR_BAD_IMAGE,
						 "Multiboot memory map: the entry at offset %u (of %u bytes) is malformed",
						 off, len);
			off += esz + 4;
		}
		mi->e820 = m;
		mi->e820_len = len;
		mi->e820_stride = 0;
		keep(mi, at, len);
	}

	if (flags & MB1_INFO_FRAMEBUFFER) {
		mi->has_fb = true;
		mi->fb.addr = get64(p + offsetof(struct mb1_info, framebuffer_addr));
		mi->fb.pitch = get32(p + offsetof(struct mb1_info, framebuffer_pitch));
		mi->fb.width = get32(p + offsetof(struct mb1_info, framebuffer_width));
		mi->fb.height = get32(p + offsetof(struct mb1_info, framebuffer_height));
		mi->fb.bpp = p[offsetof(struct mb1_info, framebuffer_bpp)];
		mi->fb.type = p[offsetof(struct mb1_info, framebuffer_bpp) + 1];
		p += offsetof(struct mb1_info, red_pos);
		mi->fb.red = (struct color_field){ p[1], p[0] };
		mi->fb.green = (struct color_field){ p[3], p[2] };
		mi->fb.blue = (struct color_field){ p[5], p[4] };
	}
	return 0;
}

/* ---- Multiboot 2 ---- */

#define MB2_TAG_ALIGN 8

static bool rsdp_valid(const uint8_t *p, size_t avail, bool v1_only,
		       size_t *len);

static bool has_nul(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

/* The string in a tag's bytes [from, size) of the tag at t. */
static int mb2_string(const uint8_t *t, uint32_t from, uint32_t size,
		      uint32_t off, const char **out, struct diag *d)
{
	const char *s = (const char *)t + from;

	if (size > from && has_nul(s, size - from)) {
		*out = s;
		return 0;
	}
	return diag_fail(d, ERR_BAD_IMAGE,
			 "Multiboot 2 tag %u at offset %u: its string has no end",
			 get32(t), off);
}

static int mb2_tag(struct mb_info *mi, const uint8_t *t, uint32_t type,
		   uint32_t size, uint32_t off, struct diag *d)
{
	int rc;

	switch (type) {
	case MB2_IT_CMDLINE: /* §3.6.5 */
		if (!mi->cmdline)
			return mb2_string(t, 8, size, off, &mi->cmdline, d);
		return 0;
	case MB2_IT_LOADER_NAME: /* §3.6.9 */
		if (!mi->loader)
			return mb2_string(t, 8, size, off, &mi->loader, d);
		return 0;
	case MB2_IT_MODULE: { /* §3.6.6 */
		const char *s;

		if (size < 16)
			break;
		if ((rc = mb2_string(t, 16, size, off, &s, d)))
			return rc;
		return add_module(mi, get32(t + 8), get32(t + 12), s, d);
	}
	case MB2_IT_MMAP: { /* §3.6.8 */
		uint32_t esz;

		if (size < 16)
			break;
		esz = get32(t + 8);
		/* entry_size is a multiple of 8 and covers our 24 bytes;
		 * entries added by later versions go after them */
		if (esz < sizeof(struct mb2_mmap_entry) || esz % 8 || esz > 4096)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 memory map tag: entry_size %u", esz);
		if ((size - 16) / esz > MB_E820_MAX)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "Multiboot 2 memory map: more than %d entries",
					 MB_E820_MAX);
		if (!mi->e820) {
			mi->e820 = t + 16;
			mi->e820_len = (size - 16) / esz * esz;
			mi->e820_stride = esz;
		}
		return 0;
	}
	case MB2_IT_FRAMEBUFFER: { /* §3.6.12 */
		const uint8_t *c = t + 32;

		/* GRUB's struct multiboot_tag_framebuffer_common: the type
		 * byte is followed by a u16 reserved, then the colour info */
		if (size < 32)
			break;
		mi->has_fb = true;
		mi->fb.addr = get64(t + 8);
		mi->fb.pitch = get32(t + 16);
		mi->fb.width = get32(t + 20);
		mi->fb.height = get32(t + 24);
		mi->fb.bpp = t[28];
		mi->fb.type = t[29];
		if (mi->fb.type == MB_FB_RGB) {
			if (size < 38)
				break;
			mi->fb.red = (struct color_field){ c[1], c[0] };
			mi->fb.green = (struct color_field){ c[3], c[2] };
			mi->fb.blue = (struct color_field){ c[5], c[4] };
		}
		return 0;
	}
	case MB2_IT_EFI64: /* §3.6.14 */
		if (size < 16)
			break;
		mi->efi_systab = get64(t + 8);
		return 0;
	case MB2_IT_ACPI_OLD: /* §3.6.16, §3.6.17: a copy of the RSDP */
	case MB2_IT_ACPI_NEW: {
		size_t len;

		/* The newer (XSDT) copy wins over the older. Tag 14 may hold
		 * the first 20 bytes of a revision 2 RSDP (GRUB copies the
		 * ACPI 1.0 part): only those are checked. A copy that does not
		 * check out is ignored: the search below may still find the
		 * original. */
		if (mi->rsdp && !(type == MB2_IT_ACPI_NEW && mi->rsdp_len < 36))
			return 0;
		if (!rsdp_valid(t + 8, size - 8, type == MB2_IT_ACPI_OLD, &len))
			return 0;
		mi->rsdp = (uint64_t)mi->addr + off + 8;
		mi->rsdp_len = len;
		mi->rsdp_is_copy = true;
		mi->rsdp_source = "Multiboot 2 ACPI tag (a copy)";
		return 0;
	}
	case MB2_IT_EFI_MMAP: { /* §3.6.19 */
		uint32_t dsz;

		if (size < 16)
			break;
		dsz = get32(t + 8);
		if (dsz < sizeof(struct efi_mem_desc) || dsz % 8 || dsz > 4096)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 EFI memory map tag: descriptor size %u",
					 dsz);
		mi->efi_map = t + 16;
		mi->efi_desc_size = dsz;
		mi->efi_desc_version = get32(t + 12);
		mi->efi_map_size = (size - 16) / dsz * dsz;
		return 0;
	}
	case MB2_IT_EFI_BS: /* §3.6.20 */
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the loader left EFI boot services running (Multiboot 2 tag 18): efikexec.mb runs only after ExitBootServices; start efikexec.efi from the firmware instead");
	default: /* §3.6.2: a tag we do not know is skipped */
		return 0;
	}
	return diag_fail(d, ERR_BAD_IMAGE,
			 "Multiboot 2 tag %u at offset %u: %u bytes is too short",
			 type, off, size);
}

static int mb2_parse(struct mb_info *mi, const struct mb_phys *w,
		     uint32_t info, struct diag *d)
{
	const uint8_t *p = mb_phys_at(w, info, 8);
	uint32_t total, limit, off;
	int rc;

	if (!p)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot 2 information at 0x%x is outside memory", info);
	total = get32(p);
	if (total < 8 || total > MB_INFO_MAX)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot 2 information at 0x%x: total_size %u", info,
				 total);
	/* §3.6.1: total_size includes the end tag. kexec-tools 2.0.25
	 * (kexec-mb2-x86.c, multiboot2_get_mbi_size) counts each module tag
	 * without its padding to 8 bytes, so its total_size stops up to 7
	 * bytes per module short of the tags it wrote, and its end tag lies
	 * past total_size (its buffer is that short, the rest of the page is
	 * zeros): a module tag lets the walk go 8 bytes further, and reaching
	 * the limit without an end tag is accepted. */
	limit = total;
	mi->no_end_tag = true;
	for (off = 8; off <= limit - 8; ) {
		const uint8_t *t = mb_phys_at(w, (uint64_t)info + off, 8);
		uint32_t type, size;

		if (!t)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 information: the tag at offset %u is outside memory",
					 off);
		type = get32(t);
		size = get32(t + 4);
		if (type == MB2_IT_END) {
			/* §3.6.2 wants size 8; kexec-tools' zeros say 0 */
			mi->no_end_tag = size != 8;
			off += 8;
			break;
		}
		if (type == MB2_IT_MODULE)
			limit += MB2_TAG_ALIGN;
		if (size < 8 || size > limit - off)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 tag %u at offset %u: size %u runs past the information's %u bytes",
					 type, off, size, total);
		t = mb_phys_at(w, (uint64_t)info + off, size);
		if (!t)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 tag %u at offset %u is outside memory",
					 type, off);
		if ((rc = mb2_tag(mi, t, type, size, off, d)))
			return rc;
		off += size;
		if (off % MB2_TAG_ALIGN)
			off += MB2_TAG_ALIGN - off % MB2_TAG_ALIGN;
	}
	mi->size = off > total ? off : total;
	keep(mi, info, mi->size);
	return 0;
}

/* ---- ACPI ---- */

static uint8_t byte_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static bool rsdp_valid(const uint8_t *p, size_t avail, bool v1_only,
		       size_t *len)
{
	size_t n;

	if (avail < 20 || memcmp(p, "RSD PTR ", 8) || byte_sum(p, 20))
		return false;
	n = 20;
	if (p[15] >= 2 && !v1_only) {
		n = get32(p + 20);
		if (n < 36 || n > 4096 || n > avail || byte_sum(p, n))
			return false;
	}
	*len = n;
	return true;
}

bool mb_rsdp_valid(const uint8_t *p, size_t avail, size_t *len)
{
	return rsdp_valid(p, avail, false, len);
}

/* ACPI 6.5 §5.2.5.1: on 16-byte boundaries in the first KiB of the
 * extended BIOS data area, whose segment is the word at 0x40E, then in
 * 0xE0000-0xFFFFF: Linux's acpi_find_root_pointer, GRUB's
 * grub_machine_acpi_get_rsdpv*, and ACPICA all search in this order. With
 * a copy from the loader, the original is the one with the same bytes. */
static uint64_t bios_rsdp(const struct mb_phys *w, const uint8_t *copy,
			  size_t copy_len, size_t *len)
{
	const uint8_t *bda = mb_phys_at(w, 0x40e, 2);
	uint64_t areas[2][2] = { { 0, 0 }, { 0xe0000, 0x20000 } };

	if (bda) {
		uint64_t ebda = (uint64_t)get16(bda) << 4;

		/* an EBDA lies below the 640 KiB boundary and above the BDA */
		if (ebda >= 0x500 && ebda < LOW_MEMORY_END)
			areas[0][0] = ebda, areas[0][1] = 1024;
	}
	for (int a = 0; a < 2; a++) {
		const uint8_t *p = mb_phys_at(w, areas[a][0], areas[a][1]);

		for (uint64_t o = 0; p && areas[a][1] && o < areas[a][1]; o += 16)
			if (mb_rsdp_valid(p + o, areas[a][1] - o, len) &&
			    (!copy || (*len >= copy_len &&
				       !memcmp(p + o, copy, copy_len))))
				return areas[a][0] + o;
	}
	return 0;
}

/* UEFI 2.10 §4.6: EFI_ACPI_20_TABLE_GUID, then ACPI_TABLE_GUID, in the
 * configuration table the system table points to (§4.3: the count at
 * offset 104, the array at 112 in the 64-bit table). */
static const uint8_t acpi20_guid[16] = {
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0xc3, 0xb4, 0xfd,
};
static const uint8_t acpi10_guid[16] = {
	0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
};

#define EFI_SYSTAB_SIGNATURE 0x5453595320494249ull /* "IBI SYST" */
#define EFI_CONFIG_MAX 1024

static uint64_t efi_rsdp(const struct mb_phys *w, uint64_t systab)
{
	const uint8_t *st = mb_phys_at(w, systab, 120), *ct;
	uint64_t n, found = 0;

	if (!st || get64(st) != EFI_SYSTAB_SIGNATURE)
		return 0;
	n = get64(st + 104);
	if (n > EFI_CONFIG_MAX ||
	    !(ct = mb_phys_at(w, get64(st + 112), n * 24)))
		return 0;
	for (uint64_t i = 0; i < n; i++, ct += 24) {
		if (!memcmp(ct, acpi20_guid, 16))
			return get64(ct + 16);
		if (!found && !memcmp(ct, acpi10_guid, 16))
			found = get64(ct + 16);
	}
	return found;
}

/* Where the kernel should look for ACPI: a physical RSDP that outlives the
 * information. The MB2 tags (and only they) hold a copy; the original is
 * in the EFI configuration table on UEFI and in the BIOS areas on a PC
 * BIOS, where every kernel would search for it itself. Only when neither
 * has it does the front end keep the copy (rsdp_is_copy). */
static void find_rsdp(struct mb_info *mi, const struct mb_phys *w)
{
	const uint8_t *copy = mi->rsdp ? mb_phys_at(w, mi->rsdp, mi->rsdp_len)
				       : NULL;
	uint64_t at;
	size_t len;

	if (mi->efi_systab && (at = efi_rsdp(w, mi->efi_systab))) {
		const uint8_t *p = mb_phys_at(w, at, 20);

		/* beyond the window (above 4 GiB) it cannot be checked, but
		 * the firmware's own table is still the one to use */
		len = 36;
		if (!p || mb_rsdp_valid(p, (size_t)(w->size - (at - w->base)), &len)) {
			mi->rsdp = at;
			mi->rsdp_len = len;
			mi->rsdp_is_copy = false;
			mi->rsdp_source = "EFI configuration table";
			return;
		}
	}
	if ((at = bios_rsdp(w, copy, mi->rsdp_len, &len))) {
		mi->rsdp = at;
		mi->rsdp_len = len;
		mi->rsdp_is_copy = false;
		mi->rsdp_source = "BIOS area";
	}
}

int mb_info_parse(struct mb_info *mi, const struct mb_phys *w, uint32_t magic,
		  uint32_t info, struct diag *d)
{
	int rc;

	memset(mi, 0, sizeof(*mi));
	mi->addr = info;
	if (magic == MB1_LOADER_MAGIC) {
		mi->version = 1;
		rc = mb1_parse(mi, w, info, d);
	} else if (magic == MB2_LOADER_MAGIC) {
		mi->version = 2;
		if (info % 4)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot 2 information at 0x%x is not aligned",
					 info);
		rc = mb2_parse(mi, w, info, d);
	} else {
		return diag_fail(d, ERR_UNSUPPORTED,
				 "not started by a Multiboot loader: EAX is 0x%x, not 0x%x (Multiboot) or 0x%x (Multiboot 2)",
				 magic, MB1_LOADER_MAGIC, MB2_LOADER_MAGIC);
	}
	if (rc)
		return rc;
	find_rsdp(mi, w);
	return 0;
}

/* ---- the memory map ---- */

/* One range of the e820 map, in EFI terms, page-granular: RAM shrunk to
 * the pages it covers entirely, anything else grown to the pages it
 * touches. False when nothing is left. */
static bool e820_range(const struct mb_info *mi, size_t off,
		       struct mem_range *r)
{
	const uint8_t *e = mi->e820 + off + (mi->e820_stride ? 0 : 4);
	uint64_t base = get64(e), len = get64(e + 8), end;
	uint32_t type = get32(e + 16);

	end = base + len < base ? UINT64_MAX : base + len;
	switch (type) {
	case E820_RAM:
		r->type = MEM_CONVENTIONAL;
		base = base > UINT64_MAX - (PAGE_SIZE - 1) ? UINT64_MAX
			: (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		end &= ~(PAGE_SIZE - 1);
		break;
	case E820_ACPI:
		r->type = MEM_ACPI_RECLAIM;
		goto grow;
	case E820_NVS:
		r->type = MEM_ACPI_NVS;
		goto grow;
	case E820_UNUSABLE:
		r->type = MEM_UNUSABLE;
		goto grow;
	default:
		r->type = MEM_RESERVED;
	grow:
		base &= ~(PAGE_SIZE - 1);
		if (end & (PAGE_SIZE - 1))
			end = end > UINT64_MAX - PAGE_SIZE ? UINT64_MAX & ~(PAGE_SIZE - 1)
				: (end | (PAGE_SIZE - 1)) + 1;
		break;
	}
	r->base = base;
	r->size = end > base ? end - base : 0;
	r->attr = 0;
	return r->size != 0;
}

/* Where two BIOS entries overlap, the one that keeps the OS off the
 * memory wins: RAM loses to everything. */
static int type_rank(uint32_t t)
{
	switch (t) {
	case MEM_CONVENTIONAL:
		return 0;
	case MEM_ACPI_RECLAIM:
		return 1;
	case MEM_ACPI_NVS:
		return 2;
	case MEM_UNUSABLE:
		return 3;
	default:
		return 4;
	}
}

static size_t e820_next(const struct mb_info *mi, size_t off)
{
	if (mi->e820_stride)
		return off + mi->e820_stride;
	return off + 4 + get32(mi->e820 + off);
}

int mb_info_memmap(const struct mb_info *mi, struct memmap *out,
		   struct diag *d)
{
	uint64_t at = 0;

	if (mi->efi_map)
		return memmap_from_efi(out, mi->efi_map, mi->efi_map_size,
				       mi->efi_desc_size, d);
	out->n = 0;
	if (!mi->e820)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the Multiboot information has no memory map (efikexec does not guess from mem_upper)");
	/* A sweep over the boundaries: each step finds the lowest boundary
	 * above `at` and the winning type of the piece between (quadratic,
	 * for a map of at most a few hundred entries, without memory). */
	for (;;) {
		uint64_t next = UINT64_MAX;
		uint32_t type = MEM_ABSENT;
		struct mem_range r;
		bool any = false;

		for (size_t o = 0; o < mi->e820_len; o = e820_next(mi, o)) {
			if (!e820_range(mi, o, &r) || r.base + r.size <= at)
				continue;
			any = true;
			if (r.base > at) {
				if (r.base < next)
					next = r.base;
				continue;
			}
			if (r.base + r.size < next)
				next = r.base + r.size;
			if (type == MEM_ABSENT || type_rank(r.type) > type_rank(type))
				type = r.type;
		}
		if (!any)
			break;
		if (type != MEM_ABSENT) {
			struct mem_range *last = out->n ? &out->r[out->n - 1] : NULL;

			if (last && last->type == type &&
			    last->base + last->size == at) {
				last->size += next - at;
			} else {
				if (out->n == out->cap)
					return diag_fail(d, ERR_NO_MEMORY,
							 "the Multiboot memory map has more than %zu ranges",
							 out->cap);
				out->r[out->n++] = (struct mem_range){
					.base = at, .size = next - at, .type = type };
			}
		}
		if (next == UINT64_MAX)
			break;
		at = next;
	}
	return 0;
}

bool mb_info_framebuffer(const struct mb_info *mi, struct framebuffer *fb)
{
	const struct mb_fb *f = &mi->fb;
	uint32_t bytes = f->bpp / 8;

	if (!mi->has_fb || f->type != MB_FB_RGB || f->bpp % 8 || !bytes ||
	    bytes > 4 || f->pitch % bytes || f->pitch / bytes < f->width ||
	    !f->width || !f->height)
		return false;
	memset(fb, 0, sizeof(*fb));
	fb->base = f->addr;
	fb->size = (uint64_t)f->pitch * f->height;
	fb->width = f->width;
	fb->height = f->height;
	fb->stride = f->pitch / bytes;
	fb->bpp = f->bpp;
	fb->red = f->red;
	fb->green = f->green;
	fb->blue = f->blue;
	return true;
}
