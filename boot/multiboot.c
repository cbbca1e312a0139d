/* What Multiboot 1 and 2 share. */
#include "boot/multiboot.h"

#include <stdbool.h>

#include "lib/bytes.h"
#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

int mb_legacy_bios(struct boot_ctx *ctx, struct diag *d)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)ctx->platform->acpi_rsdp;
	uint8_t *ebda, *bda;
	uint32_t at;
	struct segment seg;

	const struct place_req *k = &ctx->layout->place;

	if (!rsdp || ctx->platform->acpi_rsdp < ONE_MIB)
		return 0; /* no ACPI, or already where a scan finds it */
	/* A kernel loaded over the BIOS data area owns that memory: it is
	 * not a kernel that scans the BIOS areas for ACPI. */
	if (ranges_overlap(k->pref + ctx->delta, k->size, BDA_ADDR, BDA_SIZE))
		return 0;
	ebda = boot_alloc_reserved(ctx, "legacy EBDA", PAGE_SIZE,
				   LOW_MEMORY_END - 1, d);
	bda = boot_alloc(ctx, "legacy BDA", BDA_SIZE, UINT64_MAX, d);
	if (!ebda || !bda)
		return d->code;
	memcpy(ebda, rsdp, mb_rsdp_length(rsdp)); /* 16-aligned, as a scan wants */
	at = (uint32_t)phys_of(ebda);
	put16(bda + BDA_COM1, 0x3f8);
	put16(bda + BDA_COM2, 0x2f8);
	put16(bda + BDA_EBDA_SEG, (uint16_t)(at >> 4));
	put16(bda + BDA_BASE_MEM, (uint16_t)(at / 1024));
	seg = (struct segment){ .what = "BIOS data area", .src = phys_of(bda),
				.bufsz = BDA_SIZE, .dst = BDA_ADDR,
				.memsz = BDA_SIZE };
	return plan_add_segment(ctx->plan, &seg, d);
}

size_t mb_rsdp_length(const uint8_t *rsdp)
{
	uint32_t len;

	if (rsdp[15] < 2) /* ACPI 1.0: 20 bytes */
		return 20;
	len = get32(rsdp + 20);
	return len < 36 || len > 64 ? 36 : len;
}

bool mb_find_magic(const uint8_t *img, size_t size, uint32_t magic,
		   size_t search, size_t align, size_t *off)
{
	size_t end = size < search ? size : search;

	for (size_t o = 0; o + 4 <= end; o += align) {
		uint32_t v;
		memcpy(&v, img + o, 4);
		if (v == magic) {
			*off = o;
			return true;
		}
	}
	return false;
}

int mb_header_at(const char *name, const uint8_t *img, size_t size,
		 uint32_t magic, size_t search, size_t align, size_t *off,
		 struct diag *d)
{
	if (mb_find_magic(img, size, magic, search, align, off))
		return 0;
	return diag_fail(d, ERR_BAD_IMAGE,
			 "no %s header (0x%x) in the first %zu bytes", name,
			 magic, search);
}

int mb_address_layout(const char *name, size_t size, size_t off,
		      const struct mb_address *a, uint32_t load,
		      struct kernel_layout *l, struct diag *d)
{
	uint64_t file_off, filesz, memsz;

	if (load > a->header_addr || a->header_addr - load > off)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s header at file offset 0x%zx says header_addr 0x%x but load_addr 0x%x",
				 name, off, a->header_addr, a->load_addr);
	file_off = off - (a->header_addr - load);
	if (a->load_end_addr && a->load_end_addr <= load)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s load_end_addr 0x%x is not above load_addr 0x%x",
				 name, a->load_end_addr, load);
	filesz = a->load_end_addr ? a->load_end_addr - load : size - file_off;
	if (filesz > size - file_off)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s load_end_addr 0x%x asks for 0x%lx bytes from offset 0x%lx, the file has 0x%lx",
				 name, a->load_end_addr, filesz, file_off,
				 size - file_off);
	if (a->bss_end_addr && a->bss_end_addr < load + filesz)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s bss_end_addr 0x%x lies below the end of the loaded image 0x%lx",
				 name, a->bss_end_addr, load + filesz);
	memsz = a->bss_end_addr ? a->bss_end_addr - load : filesz;
	if (!range_valid(load, memsz) || load + memsz > FOUR_GIB)
		return diag_fail(d, ERR_BAD_IMAGE,
				 "%s image 0x%x+0x%lx does not fit below 4 GiB",
				 name, load, memsz);
	l->nseg = 1;
	l->seg[0] = (struct image_seg){
		.what = "kernel", .offset = file_off, .filesz = filesz,
		.addr = load, .memsz = memsz, .zero_fill = memsz > filesz,
	};
	return 0;
}

void mb_place(struct kernel_layout *l)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (size_t i = 0; i < l->nseg; i++) {
		if (l->seg[i].addr < lo)
			lo = l->seg[i].addr;
		if (l->seg[i].addr + l->seg[i].memsz > hi)
			hi = l->seg[i].addr + l->seg[i].memsz;
	}
	l->place = (struct place_req){
		.what = "kernel", .size = hi - lo, .pref = lo, .fixed = true,
		.align = PAGE_SIZE, .min = lo, .limit = FOUR_GIB,
	};
	l->modules = (struct module_policy){
		.soft_max = FOUR_GIB - 1, .hard_max = FOUR_GIB - 1,
	};
}

void mb_framebuffer(uint8_t *p, const struct framebuffer *fb, size_t gap)
{
	uint32_t w[3] = { fb_pitch(fb), fb->width, fb->height };

	memcpy(p, &fb->base, 8);
	memcpy(p + 8, w, sizeof(w));
	p[20] = fb->bpp;
	p[21] = MB1_FRAMEBUFFER_RGB;
	fb_put_colors(p + 22 + gap, fb, 3);
}

static void limits_add(struct mb_limits *l, const struct e820_entry *e)
{
	uint64_t end = e->addr + e->size;

	if (e->type != E820_RAM)
		return;
	if (e->addr == 0) {
		uint64_t low = end < LOW_MEMORY_END ? end : LOW_MEMORY_END;
		l->lower = (uint32_t)(low / 1024);
	}
	if (e->addr <= ONE_MIB && end > ONE_MIB) {
		uint64_t kib = (end - ONE_MIB) / 1024;
		l->upper = kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
	}
}

size_t mb_mmap(const struct memmap *m, uint8_t *out, size_t at, size_t cap,
	       struct mb_limits *l)
{
	size_t n = e820_from_memmap(m, out + at, 24, cap);

	if (n > cap)
		n = cap; /* cannot happen: cap is the map's own */
	*l = (struct mb_limits){ 0, 0 };
	for (size_t i = 0; i < n; i++, out += 24) {
		limits_add(l, (const struct e820_entry *)(out + at));
		if (at)
			put32(out, 20);
	}
	return n;
}
