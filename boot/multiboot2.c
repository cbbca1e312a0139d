/* Multiboot 2 (Multiboot2 Specification 2.0): ELF images or the address
 * tag, optionally relocatable; entered in 32-bit protected mode with paging
 * off, EAX = 0x36D76289, EBX = the information structure. A kernel whose
 * header carries the EFI boot services tag and the EFI amd64 entry tag
 * (§3.1.12, §3.1.8; Xen does) is entered there instead, in 64-bit mode
 * with boot services running (§3.5), and exits them itself, as GRUB on
 * UEFI does it. */
#include "boot/multiboot2.h"

#include "boot/elf.h"
#include "boot/handoff_record.h"
#include "boot/multiboot.h"
#include "lib/bytes.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

#define TAG_ALIGN 8

/* What the header asks for, as parse() found it. */
struct mb2_request {
	size_t off;                /* of the header in the file */
	bool address, entry, relocatable;
	struct mb_address addr;
	uint32_t entry_addr;
	struct mb2_relocatable reloc;
	bool need_fb;              /* a required framebuffer or console tag */
	bool efi_bs;               /* tag 7: may keep boot services */
	bool efi_bs_required;      /* ... and is not optional */
	bool efi64_entry;          /* tag 9 */
	uint32_t efi64_entry_addr;
	bool want_efi64, want_efi_mmap; /* information requests */
};

static bool find_header(const uint8_t *img, size_t size, size_t *off)
{
	return mb_find_magic(img, size, MB2_HEADER_MAGIC, MB2_SEARCH, 8, off);
}

bool mb2_detect(const uint8_t *img, size_t size)
{
	size_t off;

	return find_header(img, size, &off);
}

/* The name of an information tag efikexec cannot give. */
static const char *info_name(uint32_t type)
{
	static const char *const names[] = {
		[MB2_IT_BOOTDEV] = "BIOS boot device",
		[MB2_IT_VBE] = "VBE info",
		[MB2_IT_ELF_SECTIONS] = "ELF sections",
		[MB2_IT_APM] = "APM table",
		[MB2_IT_EFI32] = "EFI 32-bit system table",
		[MB2_IT_SMBIOS] = "SMBIOS tables",
		[MB2_IT_NETWORK] = "network information",
		[MB2_IT_EFI_BS] = "EFI boot services not terminated",
		[MB2_IT_EFI32_IH] = "EFI 32-bit image handle",
		[MB2_IT_EFI64_IH] = "EFI 64-bit image handle",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

/* The information tags efikexec gives (§3.6): what a kernel requests of
 * them is there. */
#define GIVEN ((1u << MB2_IT_CMDLINE) | (1u << MB2_IT_LOADER_NAME) | \
	       (1u << MB2_IT_MODULE) | (1u << MB2_IT_MEMINFO) |        \
	       (1u << MB2_IT_MMAP) | (1u << MB2_IT_FRAMEBUFFER) |      \
	       (1u << MB2_IT_ACPI_OLD) | (1u << MB2_IT_ACPI_NEW) |     \
	       (1u << MB2_IT_LOAD_BASE))

/* §3.1.4: requested information the loader cannot give fails the boot
 * unless the tag is optional. */
static int info_request(const struct mb2_tag *t, const uint8_t *body,
			struct mb2_request *r, struct diag *d)
{
	for (uint32_t i = 0; i + 4 <= t->size - sizeof(*t); i += 4) {
		uint32_t type = get32(body + i);

		if (type == MB2_IT_EFI64)
			r->want_efi64 = true;
		else if (type == MB2_IT_EFI_MMAP)
			r->want_efi_mmap = true;
		else if ((type >= 32 || !(GIVEN >> type & 1)) &&
			 !(t->flags & MB2_TAG_OPTIONAL))
			return diag_fail(d, ERR_UNSUPPORTED,
					 "the Multiboot2 kernel requires information tag %u (%s), which efikexec cannot provide",
					 type, info_name(type));
	}
	return 0;
}

/* Walks the header tags (§3.1.3-3.1.15) into r. */
static int read_tags(const uint8_t *img, size_t hdr, size_t len,
		     struct mb2_request *r, struct diag *d)
{
	size_t pos = hdr + sizeof(struct mb2_header), end = hdr + len;
	int rc;

	for (;;) {
		struct mb2_tag t;
		const uint8_t *body;

		if (end - pos < sizeof(t))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot2 header tags run past the header's 0x%zx bytes without an end tag",
					 len);
		memcpy(&t, img + pos, sizeof(t));
		if (t.size < sizeof(t) || t.size > end - pos)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot2 header tag %u at offset 0x%zx has size 0x%x (0x%zx bytes left in the header)",
					 t.type, pos, t.size, end - pos);
		body = img + pos + sizeof(t);
		switch (t.type) {
		case MB2_HT_END:
			return 0;
		case MB2_HT_INFO_REQUEST:
			if ((rc = info_request(&t, body, r, d)))
				return rc;
			break;
		case MB2_HT_ADDRESS:
			if (t.size < 24)
				goto short_tag;
			r->address = true;
			memcpy(&r->addr, body, sizeof(r->addr));
			break;
		case MB2_HT_ENTRY:
			if (t.size < 12)
				goto short_tag;
			r->entry = true;
			r->entry_addr = get32(body);
			break;
		case MB2_HT_CONSOLE:
			/* bit 0: a console must be available and described */
			if (t.size >= 12 && (get32(body) & 1) &&
			    !(t.flags & MB2_TAG_OPTIONAL))
				r->need_fb = true;
			break;
		case MB2_HT_FRAMEBUFFER:
			if (!(t.flags & MB2_TAG_OPTIONAL))
				r->need_fb = true;
			break;
		case MB2_HT_MODULE_ALIGN: /* modules are always page-aligned */
		case MB2_HT_ENTRY_EFI32:  /* a 32-bit firmware's */
			break;
		case MB2_HT_ENTRY_EFI64:
			if (t.size < 12)
				goto short_tag;
			r->efi64_entry = true;
			r->efi64_entry_addr = get32(body);
			break;
		case MB2_HT_EFI_BS:
			r->efi_bs = true;
			r->efi_bs_required = !(t.flags & MB2_TAG_OPTIONAL);
			break;
		case MB2_HT_RELOCATABLE:
			if (t.size < sizeof(r->reloc))
				goto short_tag;
			r->relocatable = true;
			memcpy(&r->reloc, img + pos, sizeof(r->reloc));
			break;
		default:
			if (!(t.flags & MB2_TAG_OPTIONAL))
				return diag_fail(d, ERR_UNSUPPORTED,
						 "the Multiboot2 kernel requires header tag %u, which efikexec does not know",
						 t.type);
		}
		pos += align_up(t.size, TAG_ALIGN);
		if (pos > end)
			pos = end;
	}
short_tag:
	return diag_fail(d, ERR_BAD_IMAGE,
			 "Multiboot2 header tag at offset 0x%zx is too short (0x%x bytes)",
			 pos, get32(img + pos + 4));
}

static int read_header(const uint8_t *img, size_t size, struct mb2_request *r,
		       struct diag *d)
{
	struct mb2_header h;
	int rc;

	*r = (struct mb2_request){ 0 };
	if ((rc = mb_header_at("Multiboot2", img, size, MB2_HEADER_MAGIC,
			       MB2_SEARCH, 8, &r->off, d)))
		return rc;
	if (size - r->off < sizeof(h))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 header at 0x%zx is cut off by the end of the file",
				 r->off);
	memcpy(&h, img + r->off, sizeof(h));
	if (h.magic + h.architecture + h.header_length + h.checksum != 0)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 header at 0x%zx has a bad checksum: 0x%x + 0x%x + 0x%x + 0x%x is not 0",
				 r->off, h.magic, h.architecture,
				 h.header_length, h.checksum);
	if (h.architecture != MB2_ARCH_I386)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Multiboot2 header is for architecture %u, not i386 (0)",
				 h.architecture);
	if (h.header_length < sizeof(h) + sizeof(struct mb2_tag) ||
	    h.header_length > size - r->off)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 header_length 0x%x does not fit in the 0x%zx bytes from the header to the end of the file",
				 h.header_length, size - r->off);
	rc = read_tags(img, r->off, h.header_length, r, d);
	/* §3.1.8: the amd64 entry counts only with the boot services tag;
	 * boot services kept without it would need a 32-bit firmware */
	if (!rc && r->efi_bs_required && !r->efi64_entry)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the Multiboot2 kernel requires EFI boot services to keep running (tag 7) without an EFI amd64 entry (tag 9)");
	return rc;
}

/* §3.1.5: the address tag, like Multiboot 1's a.out kludge. */
static int address_layout(size_t size, const struct mb2_request *r,
			  struct kernel_layout *l, struct diag *d)
{
	uint32_t load = r->addr.load_addr;

	if (!r->entry)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 address tag without an entry address tag");
	/* load_addr -1: load the file from its beginning */
	if (load == UINT32_MAX && r->addr.header_addr >= r->off)
		load = r->addr.header_addr - (uint32_t)r->off;
	return mb_address_layout("Multiboot2", size, r->off, &r->addr, load, l, d);
}

static const uint16_t elf_machines[] = { EM_386, EM_X86_64, 0 };

int mb2_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
	      struct diag *d)
{
	struct mb2_request r;
	struct elf_image e = { 0 };
	uint64_t lo, hi;
	int rc;

	if ((rc = read_header(img, size, &r, d)))
		return rc;
	*l = (struct kernel_layout){ 0 };
	if (r.address)
		rc = address_layout(size, &r, l, d);
	else
		rc = elf_parse(img, size, elf_machines, ELF_ENTRY_VIRTUAL, l, &e, d);
	if (rc)
		return rc;
	l->entry = r.entry ? r.entry_addr : e.entry_phys;
	/* §3.1.8: with boot services kept, the ELF and entry tag entries
	 * are ignored for the amd64 one */
	l->boot_services = r.efi_bs && r.efi64_entry;
	l->boot_services_required = r.efi_bs_required;
	l->efi64_entry = r.efi64_entry_addr;

	mb_place(l);
	lo = l->place.pref;
	hi = lo + l->place.size;
	if (hi > FOUR_GIB)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 image 0x%lx-0x%lx does not end below 4 GiB, where a 32-bit entry reaches",
				 lo, hi - 1);
	/* The entry that will be used, the usual one unless boot services
	 * are kept (§3.1.8), must lie inside a segment, not merely between
	 * the lowest and the highest: an entry address tag may point into a
	 * gap between ELF segments. Where the boot sequence falls back to
	 * the usual entry without boot services, it checks that one. */
	if (!layout_holds(l, l->boot_services ? l->efi64_entry : l->entry))
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot2 %s 0x%lx lies outside every segment of the image (0x%lx-0x%lx)",
				 l->boot_services ? "EFI amd64 entry (tag 9)" :
				 r.entry ? "entry address (tag 3)" : "ELF entry",
				 l->boot_services ? l->efi64_entry : l->entry,
				 lo, hi - 1);
	if (r.relocatable) {
		/* §3.1.12: anywhere in [min_addr, max_addr], aligned; efikexec
		 * prefers the link address, then the lowest fit, whatever
		 * the preference field says. */
		if (!is_pow2(r.reloc.align) || r.reloc.max_addr < r.reloc.min_addr)
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot2 relocatable tag: align 0x%x, range 0x%x-0x%x",
					 r.reloc.align, r.reloc.min_addr,
					 r.reloc.max_addr);
		l->place.fixed = false;
		l->place.align = r.reloc.align > PAGE_SIZE ? r.reloc.align : PAGE_SIZE;
		l->place.min = r.reloc.min_addr;
		l->place.limit = (uint64_t)r.reloc.max_addr + 1;
	}
	l->place.now_only = l->boot_services;
	return 0;
}

/* The information structure under construction. */
struct mbi {
	uint8_t *buf;
	size_t len, cap;
};

/* Appends an information tag (§3.6: u32 type, u32 size, body, padding to
 * 8 bytes) and returns its body. */
static void *tag_add(struct mbi *m, uint32_t type, size_t body)
{
	uint8_t *t = m->buf + m->len;
	uint32_t size = (uint32_t)(8 + body);

	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	m->len += align_up(8 + body, TAG_ALIGN);
	return t + 8;
}

/* Appends a tag whose body is a copy of n bytes at src. */
static void tag_copy(struct mbi *m, uint32_t type, const void *src, size_t n)
{
	memcpy(tag_add(m, type, n), src, n);
}

static void tag_string(struct mbi *m, uint32_t type, const char *s)
{
	tag_copy(m, type, s, strlen(s) + 1);
}

/* Bytes a tag with a body of n bytes takes. */
static size_t tag_size(size_t n)
{
	return align_up(8 + n, TAG_ALIGN);
}

struct mb2_state {
	struct mbi mbi;
	bool efi_mmap;
	bool boot_services;
	size_t mmap_cap;
};
_Static_assert(sizeof(struct mb2_state) <= BOOT_STATE_SIZE, "mb2_state");

int mb2_prepare(struct boot_ctx *ctx, struct diag *d)
{
	struct mb2_state *st = (struct mb2_state *)ctx->state;
	const struct platform *pf = ctx->platform;
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)pf->acpi_rsdp;
	bool rsdp_v2 = rsdp && rsdp[15] >= 2;
	struct mb2_request r;
	struct mbi *m = &st->mbi;
	size_t cap;
	int rc;

	if ((rc = read_header(ctx->image, ctx->image_size, &r, d)))
		return rc;
	if (r.need_fb && !pf->has_fb)
		return diag_fail(d, ERR_UNSUPPORTED, MB_NO_FB, "Multiboot2",
				 "a framebuffer or console");
	st->boot_services = ctx->layout->boot_services;
	/* a BIOS-era kernel's view of ACPI: not for one that takes over from
	 * the firmware, which writes the low memory it lives in */
	if (!st->boot_services && (rc = mb_legacy_bios(ctx, d)))
		return rc;
	/* Without boot services, an EFI system table tag tells some kernels
	 * that boot services were kept (Xen halts on it): give EFI tags only
	 * to kernels that ask for them. With boot services the kernel reads
	 * the memory map from them when it exits them, and GRUB gives no EFI
	 * memory map tag either. */
	st->efi_mmap = r.want_efi_mmap && !st->boot_services && pf->efi_systab;
	st->mmap_cap = ctx->max_map_entries;

	cap = 8 + tag_size(4) /* load base */ + tag_size(strlen(ctx->cmdline) + 1) +
	      tag_size(sizeof(MULTIBOOT_LOADER_NAME)) +
	      tag_size(sizeof(struct mb2_framebuffer) - 8) + tag_size(20) +
	      tag_size(64) + tag_size(8) + tag_size(8) /* meminfo */ +
	      tag_size(8 + st->mmap_cap * sizeof(struct mb2_mmap_entry)) +
	      tag_size(8 + ctx->max_map_bytes) +
	      tag_size(handoff_size(ctx->cpus->n)) + tag_size(0) +
	      tag_size(0) + tag_size(8) /* boot services, image handle */;
	for (size_t i = 0; i < ctx->nmodules; i++)
		cap += tag_size(8 + strlen(ctx->modules[i].args) + 1);
	/* §3.6: 8-byte aligned; every address in it is 32-bit */
	m->buf = boot_alloc(ctx, "multiboot2 info", cap, FOUR_GIB - 1, d);
	if (!m->buf)
		return d->code;
	m->cap = cap;
	m->len = 8; /* total_size and reserved, written in finish() */

	if (r.relocatable) {
		uint32_t base = (uint32_t)(ctx->layout->place.pref + ctx->delta);
		tag_copy(m, MB2_IT_LOAD_BASE, &base, 4);
	}
	tag_string(m, MB2_IT_CMDLINE, ctx->cmdline);
	tag_string(m, MB2_IT_LOADER_NAME, MULTIBOOT_LOADER_NAME);
	for (size_t i = 0; i < ctx->nmodules; i++) {
		const struct module *mod = &ctx->modules[i];
		size_t slen = strlen(mod->args) + 1;
		uint8_t *b = tag_add(m, MB2_IT_MODULE, 8 + slen);
		uint32_t start = (uint32_t)mod->addr;
		uint32_t end = (uint32_t)(mod->addr + mod->size);
		memcpy(b, &start, 4);
		memcpy(b + 4, &end, 4);
		memcpy(b + 8, mod->args, slen);
	}
	if (pf->has_fb) /* (the buffer is zeroed: reserved is 0) */
		mb_framebuffer(tag_add(m, MB2_IT_FRAMEBUFFER,
				       sizeof(struct mb2_framebuffer) - 8),
			       &pf->fb, 2);
	if (rsdp) {
		/* §3.6.14/15: copies of the RSDP, version 1 and 2 */
		tag_copy(m, MB2_IT_ACPI_OLD, rsdp, 20);
		if (rsdp_v2)
			tag_copy(m, MB2_IT_ACPI_NEW, rsdp, mb_rsdp_length(rsdp));
	}
	if ((r.want_efi64 && pf->efi_systab) || st->boot_services)
		tag_copy(m, MB2_IT_EFI64, &pf->efi_systab, 8);
	if (st->boot_services) {
		/* §3.6.18-19: boot services still up, and the handle the
		 * kernel passes to ExitBootServices(): the loader's own */
		tag_add(m, MB2_IT_EFI_BS, 0);
		tag_copy(m, MB2_IT_EFI64_IH, &pf->efi_image, 8);
	}

	ctx->plan->entry = (struct entry_state){
		.mode = st->boot_services ? ENTRY_EFI64 : ENTRY_PROT32,
		.rip = (st->boot_services ? ctx->layout->efi64_entry :
					    ctx->layout->entry) + ctx->delta,
		.rax = MB2_LOADER_MAGIC,
		.rbx = phys_of(m->buf),
	};
	return 0;
}

void mb2_finish(struct boot_ctx *ctx, const struct final_state *fs)
{
	struct mb2_state *st = (struct mb2_state *)ctx->state;
	struct mbi *m = &st->mbi;
	size_t mmap_at = m->len;
	uint32_t entry_size = sizeof(struct mb2_mmap_entry), version = 0;
	struct mb_limits l;
	uint32_t word[2];
	uint8_t *b;
	size_t n;

	/* §3.6.8 memory map: entry_size, entry_version, entries; its size is
	 * set once the entries are counted */
	b = tag_add(m, MB2_IT_MMAP, 8);
	memcpy(b, &entry_size, 4);
	memcpy(b + 4, &version, 4);
	n = mb_mmap(fs->map, b + 8, 0, st->mmap_cap, &l);
	word[0] = MB2_IT_MMAP;
	word[1] = (uint32_t)(16 + n * entry_size);
	memcpy(m->buf + mmap_at, word, 8);
	m->len = mmap_at + align_up(word[1], TAG_ALIGN);

	tag_copy(m, MB2_IT_MEMINFO, &l, 8);

	if (st->efi_mmap) {
		/* §3.6.16: descriptor size and version, then the map */
		b = tag_add(m, MB2_IT_EFI_MMAP, 8 + fs->raw_size);
		memcpy(b, &fs->desc_size, 4);
		memcpy(b + 4, &fs->desc_version, 4);
		memcpy(b + 8, (const void *)(uintptr_t)fs->raw_addr, fs->raw_size);
	}
	ctx->handoff = (struct efikexec_handoff *)tag_add(m, MB2_IT_EFIKEXEC,
							   handoff_size(ctx->cpus->n));
	handoff_fill(ctx->handoff, fs->flags, ctx->cpus, fs->tsc_hz, fs->stamps,
		     fs->detail);
	tag_add(m, MB2_IT_END, 0);
	word[0] = (uint32_t)m->len;
	word[1] = 0;
	memcpy(m->buf, word, 8);
}

const struct boot_format multiboot2_format = {
	.name = "multiboot2",
	.detect = mb2_detect,
	.parse = mb2_parse,
	.prepare = mb2_prepare,
	.finish = mb2_finish,
};
