/* Multiboot 1 (Multiboot Specification 0.6.96): ELF images, or any image
 * with the a.out kludge's address fields; entered in 32-bit protected mode
 * with paging off, EAX = 0x2BADB002, EBX = the information structure. */
#include "boot/multiboot1.h"

#include "boot/elf.h"
#include "boot/multiboot.h"
#include "lib/mem.h"
#include "lib/sizes.h"

static bool find_header(const uint8_t *img, size_t size, size_t *off)
{
	return mb_find_magic(img, size, MB1_HEADER_MAGIC, MB1_SEARCH, 4, off);
}

bool mb1_detect(const uint8_t *img, size_t size)
{
	size_t off;

	return find_header(img, size, &off);
}

static const uint16_t elf_machines[] = { EM_386, EM_X86_64, 0 };

static int elf_layout(const uint8_t *img, size_t size, struct kernel_layout *l,
		      struct diag *d)
{
	struct elf_image e;
	int rc = elf_parse(img, size, elf_machines, ELF_ENTRY_VIRTUAL, l, &e, d);

	if (rc)
		return rc;
	if (e.hi > FOUR_GIB || e.entry_phys >= FOUR_GIB)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "ELF image 0x%lx-0x%lx (entry 0x%lx) is not below 4 GiB, where a 32-bit entry reaches",
				 e.lo, e.hi - 1, e.entry_phys);
	l->entry = e.entry_phys;
	return 0;
}

int mb1_parse(const uint8_t *img, size_t size, struct kernel_layout *l,
	      struct diag *d)
{
	struct mb1_header h = { 0 };
	size_t off = 0; /* (set by mb_header_at(); GCC cannot tell) */
	uint32_t unknown;
	int rc;

	if ((rc = mb_header_at("Multiboot", img, size, MB1_HEADER_MAGIC,
			       MB1_SEARCH, 4, &off, d)))
		return rc;
	memcpy(&h, img + off, size - off < sizeof(h) ? size - off : sizeof(h));
	if (size - off < 12 || h.magic + h.flags + h.checksum != 0)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot header at 0x%zx has a bad checksum: magic 0x%x + flags 0x%x + checksum 0x%x is not 0",
				 off, h.magic, h.flags, h.checksum);
	/* §3.1.2: the boot loader must refuse requirements it does not
	 * know (bits 0-15). */
	unknown = h.flags & 0xffff & ~MB1_KNOWN_REQUIREMENTS;
	if (unknown)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "Multiboot header flags 0x%x require features efikexec does not know (0x%x)",
				 h.flags, unknown);
	if ((h.flags & MB1_AOUT_KLUDGE) && size - off < 32)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "Multiboot header at 0x%zx is cut off before its address fields",
				 off);
	*l = (struct kernel_layout){ 0 };
	if (h.flags & MB1_AOUT_KLUDGE) {
		/* §3.1.3: the a.out kludge's address fields say where the
		 * image goes */
		const struct mb_address *a = &h.addr;

		if ((rc = mb_address_layout("Multiboot", size, off, a,
					    a->load_addr, l, d)))
			return rc;
		if (!layout_holds(l, h.entry_addr))
			return diag_fail(d, ERR_BAD_IMAGE,
					 "Multiboot entry_addr 0x%x lies outside the image 0x%x-0x%lx",
					 h.entry_addr, a->load_addr,
					 a->load_addr + l->seg[0].memsz - 1);
		l->entry = h.entry_addr;
	} else if ((rc = elf_layout(img, size, l, d))) {
		return rc;
	}
	/* Multiboot 1 images are never relocated. */
	mb_place(l);
	return 0;
}

/* The header parse() accepted. */
static struct mb1_header header_of(const uint8_t *img, size_t size)
{
	struct mb1_header h = { 0 };
	size_t off = 0;

	find_header(img, size, &off);
	memcpy(&h, img + off, size - off < sizeof(h) ? size - off : sizeof(h));
	return h;
}

struct mb1_state {
	struct mb1_info *info;
	struct mb1_mmap_entry *mmap;
	size_t mmap_cap;
};
_Static_assert(sizeof(struct mb1_state) <= BOOT_STATE_SIZE, "mb1_state");

static uint32_t addr32(const void *p)
{
	return (uint32_t)phys_of(p);
}

int mb1_prepare(struct boot_ctx *ctx, struct diag *d)
{
	struct mb1_state *st = (struct mb1_state *)ctx->state;
	const struct platform *pf = ctx->platform;
	size_t size;
	struct mb1_info *info;
	struct mb1_module *mods;
	char *area;

	int rc;

	/* §3.1.2 bit 2: video information must be available. */
	if ((header_of(ctx->image, ctx->image_size).flags & MB1_VIDEO_MODE) &&
	    !pf->has_fb)
		return diag_fail(d, ERR_UNSUPPORTED, MB_NO_FB, "Multiboot",
				 "video mode information");
	if ((rc = mb_legacy_bios(ctx, d)))
		return rc;
	st->mmap_cap = ctx->max_map_entries;
	/* the strings: the command line, the loader's name, the modules' */
	size = sizeof(*info) + ctx->nmodules * sizeof(*mods) +
	       st->mmap_cap * sizeof(*st->mmap) + boot_strings_size(ctx) +
	       sizeof(MULTIBOOT_LOADER_NAME);
	/* §3.3: every address in it is 32-bit */
	info = boot_alloc(ctx, "multiboot info", size, FOUR_GIB - 1, d);
	if (!info)
		return d->code;
	mods = (struct mb1_module *)(info + 1);
	st->info = info;
	st->mmap = (struct mb1_mmap_entry *)(mods + ctx->nmodules);
	area = (char *)(st->mmap + st->mmap_cap);

	info->flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
		      MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME;
	info->cmdline = (uint32_t)boot_put_string(&area, ctx->cmdline);
	info->boot_loader_name = (uint32_t)boot_put_string(&area, MULTIBOOT_LOADER_NAME);
	info->mods_count = (uint32_t)ctx->nmodules;
	info->mods_addr = addr32(mods);
	for (size_t i = 0; i < ctx->nmodules; i++) {
		const struct module *m = &ctx->modules[i];
		mods[i] = (struct mb1_module){
			.mod_start = (uint32_t)m->addr,
			.mod_end = (uint32_t)(m->addr + m->size),
			.string = (uint32_t)boot_put_string(&area, m->args),
		};
	}
	info->mmap_addr = addr32(st->mmap);
	if (pf->has_fb) {
		info->flags |= MB1_INFO_FRAMEBUFFER;
		mb_framebuffer((uint8_t *)info +
				       offsetof(struct mb1_info, framebuffer_addr),
			       &pf->fb, 0);
	}
	ctx->plan->entry = (struct entry_state){
		.mode = ENTRY_PROT32,
		.rip = ctx->layout->entry + ctx->delta,
		.rax = MB1_LOADER_MAGIC,
		.rbx = phys_of(info),
	};
	return 0;
}

void mb1_finish(struct boot_ctx *ctx, const struct final_state *fs)
{
	struct mb1_state *st = (struct mb1_state *)ctx->state;
	struct mb_limits l;
	size_t n = mb_mmap(fs->map, (uint8_t *)st->mmap, 4, st->mmap_cap, &l);

	st->info->mmap_length = (uint32_t)(n * sizeof(*st->mmap));
	st->info->mem_lower = l.lower;
	st->info->mem_upper = l.upper;
}

const struct boot_format multiboot1_format = {
	.name = "multiboot1",
	.detect = mb1_detect,
	.parse = mb1_parse,
	.prepare = mb1_prepare,
	.finish = mb1_finish,
};
