#include <stdlib.h>
#include <string.h>

#include "boot/elf64.h"
#include "boot/elf64_protocol.h"
#include "boot/handoff_record.h"
#include "boot/linux.h"
#include "boot/multiboot.h"
#include "boot/multiboot1.h"
#include "boot/multiboot2.h"
#include "boot/vmlinux.h"
#include "elf_util.h"
#include "fake_alloc.h"
#include "harness.h"
#include "memmap_util.h"

#define IMG 0x3000

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* An ELF32 kernel at 4 MiB whose first loaded page holds a header. */
static uint8_t *elf_kernel(void)
{
	const struct test_phdr ph[] = {
		{ 1, 0x1000, 0x400000, 0x400000, 0x2000, 0x3000 },
	};
	return test_elf(false, 3, 0x400100, ph, 1, IMG);
}

static void mb1_header(uint8_t *img, uint32_t off, uint32_t flags)
{
	put32(img + off, MB1_HEADER_MAGIC);
	put32(img + off + 4, flags);
	put32(img + off + 8, 0u - MB1_HEADER_MAGIC - flags);
}

/* ---- a shared fixture for prepare() and finish() ---- */

struct fx {
	uint8_t *img;
	struct kernel_layout layout;
	struct platform pf;
	struct cpu_list cpus;
	struct module mods[2];
	struct plan plan;
	struct boot_ctx ctx;
	struct fake_alloc alloc;
	uint8_t rsdp[36];
	uint8_t raw_map[96];
};

static void fx_init(struct fx *f, uint8_t *img, const char *cmdline)
{
	memset(f, 0, sizeof(*f));
	f->img = img;
	fake_alloc_init(&f->alloc);
	memcpy(f->rsdp, "RSD PTR ", 8);
	f->rsdp[15] = 2;
	put32(f->rsdp + 20, 36);
	f->pf = (struct platform){ .efi_systab = 0x7f000000, .acpi_rsdp = phys_of(f->rsdp),
				   .has_fb = true,
				   .fb = { .base = 0x80000000, .size = 0x300000, .width = 1024,
					   .height = 768, .stride = 1024 } };
	fb_set_masks(&f->pf.fb, 0xff0000, 0xff00, 0xff, 0xff000000);
	f->cpus.n = 2;
	f->cpus.cpu[0] = (struct cpu_entry){ 0, CPU_BSP };
	f->cpus.cpu[1] = (struct cpu_entry){ 1, 0 };
	f->mods[0] = (struct module){ "\\a", "first one", 0x10000000, 0x1234 };
	f->mods[1] = (struct module){ "\\b", "", 0x10002000, 0x10 };
	f->ctx = (struct boot_ctx){
		.image = img, .image_size = IMG, .layout = &f->layout,
		.cmdline = cmdline, .modules = f->mods, .nmodules = 2,
		.platform = &f->pf, .cpus = &f->cpus, .max_map_entries = 16,
		.max_map_bytes = sizeof(f->raw_map), .alloc = &f->alloc.a,
		.plan = &f->plan,
	};
}

static struct final_state fx_final(struct fx *f, struct memmap *m)
{
	memset(f->raw_map, 0x5a, sizeof(f->raw_map));
	return (struct final_state){ .map = m, .raw_addr = phys_of(f->raw_map),
				     .raw_size = 80, .desc_size = 40,
				     .desc_version = 1, .flags = 0x30 };
}

/* the request that produced p */
static size_t request_of(const struct fx *f, const void *p)
{
	for (size_t i = 0; i < f->alloc.n; i++)
		if (f->alloc.ptr[i] == p)
			return i;
	return SIZE_MAX;
}

static void fx_free(struct fx *f)
{
	fake_alloc_free(&f->alloc);
	free(f->img);
}

/* ---- Multiboot 1 ---- */

TEST(mb1_elf_kernel)
{
	struct fx f;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs;

	fx_init(&f, elf_kernel(), "console=com1 x");
	mb1_header(f.img, 0x1000, MB1_PAGE_ALIGN | MB1_MEMORY_INFO);
	CHECK(mb1_detect(f.img, IMG));
	CHECK_EQ(mb1_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK_EQ(f.layout.nseg, 1);
	CHECK_EQ(f.layout.entry, 0x400100);
	CHECK(f.layout.place.fixed);
	CHECK_EQ(f.layout.place.pref, 0x400000);
	CHECK_EQ(f.layout.place.size, 0x3000);
	CHECK(!f.layout.modules.concatenate);
	CHECK_EQ(f.layout.modules.hard_max, 0xffffffff);

	CHECK_EQ(mb1_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.entry.mode, ENTRY_PROT32);
	CHECK_EQ(f.plan.entry.rip, 0x400100);
	CHECK_EQ(f.plan.entry.rax, MB1_LOADER_MAGIC);
	const struct mb1_info *info = (const void *)(uintptr_t)f.plan.entry.rbx;
	CHECK_EQ(f.alloc.max[request_of(&f, info)], 0xffffffff);
	CHECK_EQ(info->flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
				      MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME |
				      MB1_INFO_FRAMEBUFFER);
	CHECK_STR((const char *)(uintptr_t)info->cmdline, "console=com1 x");
	CHECK_STR((const char *)(uintptr_t)info->boot_loader_name, MULTIBOOT_LOADER_NAME);
	CHECK_EQ(info->mods_count, 2);
	const struct mb1_module *mods = (const void *)(uintptr_t)info->mods_addr;
	CHECK_EQ(mods[0].mod_start, 0x10000000);
	CHECK_EQ(mods[0].mod_end, 0x10001234);
	CHECK_STR((const char *)(uintptr_t)mods[0].string, "first one");
	CHECK_STR((const char *)(uintptr_t)mods[1].string, "");
	CHECK_EQ(info->framebuffer_addr, 0x80000000);
	CHECK_EQ(info->framebuffer_pitch, 4096);
	CHECK_EQ(info->framebuffer_bpp, 32);
	CHECK_EQ(info->red_pos, 16);

	fs = fx_final(&f, &m);
	mb1_finish(&f.ctx, &fs);
	CHECK_EQ(info->mmap_length, 5 * 24);
	const struct mb1_mmap_entry *e = (const void *)(uintptr_t)info->mmap_addr;
	CHECK_EQ(e[0].size, 20);
	CHECK_EQ(e[1].addr, 0x100000);
	CHECK_EQ(e[1].type, 1);
	CHECK_EQ(e[2].type, 3);
	CHECK_EQ(info->mem_lower, 640);
	CHECK_EQ(info->mem_upper, (508 - 1) * 1024);
	fx_free(&f);
}

/* The strings behind the information structure fit the room it was
 * given: with a command line that makes the rest exactly a page, the last
 * string's NUL is still inside what the plan keeps. */
TEST(mb1_strings_fit_their_room)
{
	struct fx f;
	struct diag d;
	static char cmdline[3512];
	const struct keep *k = NULL;

	memset(cmdline, 'x', sizeof(cmdline) - 1);
	fx_init(&f, elf_kernel(), cmdline);
	mb1_header(f.img, 0x1000, 0);
	CHECK_EQ(mb1_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK_EQ(mb1_prepare(&f.ctx, &d), 0);
	const struct mb1_info *info = (const void *)(uintptr_t)f.plan.entry.rbx;
	const struct mb1_module *mods = (const void *)(uintptr_t)info->mods_addr;
	for (size_t i = 0; i < f.plan.nkeep; i++)
		if (f.plan.keep[i].base == phys_of(info))
			k = &f.plan.keep[i];
	CHECK(k != NULL);
	CHECK_STR((const char *)(uintptr_t)info->cmdline, cmdline);
	CHECK_STR((const char *)(uintptr_t)mods[1].string, "");
	CHECK(mods[1].string + 1 <= k->base + k->size);
	fx_free(&f);
}

TEST(mb1_aout_kludge)
{
	uint8_t *img = calloc(1, IMG);
	struct kernel_layout l;
	struct diag d;
	uint32_t flags = MB1_AOUT_KLUDGE | MB1_PAGE_ALIGN;

	/* the file's first byte loads at 1 MiB; 0x1800 bytes, bss to 0x3000 */
	mb1_header(img, 0x40, flags);
	put32(img + 0x4c, 0x100040); /* header_addr */
	put32(img + 0x50, 0x100000); /* load_addr */
	put32(img + 0x54, 0x101800); /* load_end_addr */
	put32(img + 0x58, 0x103000); /* bss_end_addr */
	put32(img + 0x5c, 0x100060); /* entry_addr */
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), 0);
	CHECK_EQ(l.nseg, 1);
	CHECK_EQ(l.seg[0].offset, 0);
	CHECK_EQ(l.seg[0].filesz, 0x1800);
	CHECK_EQ(l.seg[0].memsz, 0x3000);
	CHECK(l.seg[0].zero_fill);
	CHECK_EQ(l.entry, 0x100060);

	put32(img + 0x5c, 0x104000); /* entry beyond the bss */
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "entry_addr 0x104000 lies outside the image 0x100000-0x102fff");
	put32(img + 0x5c, 0x100060);
	put32(img + 0x54, 0x104000); /* more than the file holds */
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "load_end_addr 0x104000 asks for 0x4000 bytes from offset 0x0, the file has 0x3000");
	put32(img + 0x54, 0x101800);
	put32(img + 0x50, 0x100080); /* load_addr above header_addr */
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "header_addr 0x100040 but load_addr 0x100080");
	free(img);
}

TEST(mb1_refusals)
{
	uint8_t *img = elf_kernel();
	struct kernel_layout l;
	struct diag d;

	CHECK(!mb1_detect(img, IMG));
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "no Multiboot header");
	mb1_header(img, 0x1000, 0);
	put32(img + 0x1008, 0x12345678);
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "bad checksum");
	mb1_header(img, 0x1000, 1u << 3); /* a requirement we do not know */
	CHECK_EQ(mb1_parse(img, IMG, &l, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "flags 0x8 require features efikexec does not know (0x8)");
	free(img);

	/* video information required, no framebuffer */
	struct fx f;
	fx_init(&f, elf_kernel(), "");
	mb1_header(f.img, 0x1000, MB1_VIDEO_MODE);
	CHECK_EQ(mb1_parse(f.img, IMG, &f.layout, &d), 0);
	f.pf.has_fb = false;
	CHECK_EQ(mb1_prepare(&f.ctx, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires video mode information");
	fx_free(&f);
}

TEST(mb_legacy_bios_data_for_kernels_without_efi)
{
	struct fx f;
	struct diag d;

	fx_init(&f, elf_kernel(), "");
	mb1_header(f.img, 0x1000, 0);
	CHECK_EQ(mb1_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK_EQ(mb1_prepare(&f.ctx, &d), 0);
	/* a reserved page below 640 KiB holding the RSDP ... */
	size_t e = SIZE_MAX;
	for (size_t i = 0; i < f.alloc.n; i++)
		if (f.alloc.kind[i] == ALLOC_RESERVED)
			e = i;
	CHECK(e != SIZE_MAX);
	if (e == SIZE_MAX)
		return;
	uint64_t ebda = phys_of(f.alloc.ptr[e]);
	CHECK(ebda + 4096 <= 640 * 1024);
	CHECK(!memcmp(f.alloc.ptr[e], f.rsdp, 36));
	/* ... and a BDA pointing to it, written to 0x400 */
	const struct segment *s = NULL;
	for (size_t i = 0; i < f.plan.nseg; i++)
		if (f.plan.seg[i].dst == BDA_ADDR)
			s = &f.plan.seg[i];
	CHECK(s && s->bufsz == BDA_SIZE && s->memsz == BDA_SIZE);
	if (s) {
		const uint8_t *bda = (const uint8_t *)(uintptr_t)s->src;
		uint16_t seg16, kib, com1;
		memcpy(&seg16, bda + BDA_EBDA_SEG, 2);
		memcpy(&kib, bda + BDA_BASE_MEM, 2);
		memcpy(&com1, bda + BDA_COM1, 2);
		CHECK_EQ(seg16, ebda >> 4);
		CHECK_EQ(kib, ebda / 1024);
		CHECK_EQ(com1, 0x3f8);
	}
	fx_free(&f);

	/* firmware with the RSDP where a legacy scan finds it: nothing */
	fx_init(&f, elf_kernel(), "");
	mb1_header(f.img, 0x1000, 0);
	f.pf.acpi_rsdp = 0xf0000;
	CHECK_EQ(mb1_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK_EQ(mb1_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.nseg, 0);
	for (size_t i = 0; i < f.alloc.n; i++)
		CHECK_EQ(f.alloc.kind[i], ALLOC_RAM);
	fx_free(&f);
}

/* ---- Multiboot 2 ---- */

struct mb2_builder {
	uint8_t *img;
	uint32_t off, len;
};

static void mb2_begin(struct mb2_builder *b, uint8_t *img, uint32_t off)
{
	b->img = img;
	b->off = off;
	b->len = 16;
}

static void mb2_tag(struct mb2_builder *b, uint16_t type, uint16_t flags,
		    const uint32_t *words, uint32_t nwords)
{
	uint8_t *t = b->img + b->off + b->len;
	uint32_t size = 8 + 4 * nwords;

	memcpy(t, &type, 2);
	memcpy(t + 2, &flags, 2);
	put32(t + 4, size);
	if (nwords)
		memcpy(t + 8, words, 4 * nwords);
	b->len += (size + 7) & ~7u;
}

static void mb2_end(struct mb2_builder *b)
{
	uint8_t *h = b->img + b->off;

	mb2_tag(b, 0, 0, NULL, 0);
	put32(h, MB2_HEADER_MAGIC);
	put32(h + 4, 0);
	put32(h + 8, b->len);
	put32(h + 12, 0u - MB2_HEADER_MAGIC - b->len);
}

/* walks the information structure; returns the tag of `type` or NULL */
static const uint8_t *find_tag(const uint8_t *mbi, uint32_t type)
{
	uint32_t total = get32(mbi);

	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t t = get32(mbi + off), size = get32(mbi + off + 4);
		if (t == type)
			return mbi + off;
		if (!t || size < 8)
			return NULL;
		off += (size + 7) & ~7u;
	}
	return NULL;
}

TEST(mb2_elf_kernel_and_information)
{
	struct fx f;
	struct mb2_builder b;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs;
	const uint32_t req[] = { 1, 2, 3, 4, 6 };
	const uint32_t reloc[] = { 0x200000, 0xffffffff, 0x200000, 2 };

	fx_init(&f, elf_kernel(), "cmd line");
	mb2_begin(&b, f.img, 0x1000);
	mb2_tag(&b, MB2_HT_INFO_REQUEST, 0, req, 5);
	mb2_tag(&b, MB2_HT_MODULE_ALIGN, 0, NULL, 0);
	mb2_tag(&b, MB2_HT_RELOCATABLE, MB2_TAG_OPTIONAL, reloc, 4);
	mb2_tag(&b, MB2_HT_EFI_BS, MB2_TAG_OPTIONAL, NULL, 0);
	mb2_end(&b);
	CHECK(mb2_detect(f.img, IMG));
	CHECK_EQ(mb2_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK(!f.layout.place.fixed);
	CHECK_EQ(f.layout.place.align, 0x200000);
	CHECK_EQ(f.layout.place.min, 0x200000);
	CHECK_EQ(f.layout.place.limit, 0x100000000ull);
	CHECK_EQ(f.layout.entry, 0x400100);

	f.ctx.delta = 0x200000; /* placed 2 MiB higher */
	CHECK_EQ(mb2_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.entry.mode, ENTRY_PROT32);
	CHECK_EQ(f.plan.entry.rip, 0x600100);
	CHECK_EQ(f.plan.entry.rax, MB2_LOADER_MAGIC);
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)f.plan.entry.rbx;
	CHECK_EQ((uintptr_t)mbi % 8, 0);

	fs = fx_final(&f, &m);
	mb2_finish(&f.ctx, &fs);
	CHECK_EQ(get32(mbi) % 8, 0);
	CHECK_EQ(f.alloc.max[request_of(&f, mbi)], 0xffffffff);
	const uint8_t *t = find_tag(mbi, MB2_IT_LOAD_BASE);
	CHECK(t && get32(t + 8) == 0x600000);
	t = find_tag(mbi, MB2_IT_CMDLINE);
	CHECK(t && !strcmp((const char *)t + 8, "cmd line"));
	t = find_tag(mbi, MB2_IT_LOADER_NAME);
	CHECK(t && !strcmp((const char *)t + 8, MULTIBOOT_LOADER_NAME));
	t = find_tag(mbi, MB2_IT_MODULE);
	CHECK(t && get32(t + 8) == 0x10000000 && get32(t + 12) == 0x10001234 &&
	      !strcmp((const char *)t + 16, "first one"));
	t = find_tag(mbi, MB2_IT_MMAP);
	CHECK(t && get32(t + 4) == 16 + 5 * 24 && get32(t + 8) == 24 && get32(t + 12) == 0);
	t = find_tag(mbi, MB2_IT_MEMINFO);
	CHECK(t && get32(t + 8) == 640 && get32(t + 12) == 507 * 1024);
	t = find_tag(mbi, MB2_IT_ACPI_NEW);
	CHECK(t && get32(t + 4) == 8 + 36 && !memcmp(t + 8, "RSD PTR ", 8));
	CHECK(find_tag(mbi, MB2_IT_ACPI_OLD) != NULL);
	t = find_tag(mbi, MB2_IT_FRAMEBUFFER);
	CHECK(t && get32(t + 8) == 0x80000000 && get32(t + 16) == 4096);
	/* boot services end, so no EFI tags unless asked for */
	CHECK(find_tag(mbi, MB2_IT_EFI64) == NULL);
	CHECK(find_tag(mbi, MB2_IT_EFI_MMAP) == NULL);
	CHECK(find_tag(mbi, MB2_IT_EFI_BS) == NULL);
	t = find_tag(mbi, MB2_IT_EFIKEXEC);
	CHECK(t && get32(t + 8) == EFIKEXEC_HANDOFF_MAGIC && get32(t + 16) == 0x30 &&
	      get32(t + 20) == 2);
	t = find_tag(mbi, MB2_IT_END);
	CHECK(t && get32(t + 4) == 8 && t + 8 == mbi + get32(mbi));
	fx_free(&f);
}

TEST(mb2_efi_tags_when_requested)
{
	struct fx f;
	struct mb2_builder b;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs;
	const uint32_t req[] = { 12, 17 };

	fx_init(&f, elf_kernel(), "");
	mb2_begin(&b, f.img, 0x1000);
	mb2_tag(&b, MB2_HT_INFO_REQUEST, 0, req, 2);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK(f.layout.place.fixed);
	CHECK_EQ(mb2_prepare(&f.ctx, &d), 0);
	fs = fx_final(&f, &m);
	mb2_finish(&f.ctx, &fs);
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)f.plan.entry.rbx;
	const uint8_t *t = find_tag(mbi, MB2_IT_EFI64);
	CHECK(t && get32(t + 8) == 0x7f000000);
	t = find_tag(mbi, MB2_IT_EFI_MMAP);
	CHECK(t && get32(t + 4) == 16 + 80 && get32(t + 8) == 40 && get32(t + 12) == 1 &&
	      t[16] == 0x5a && t[16 + 79] == 0x5a);
	CHECK(find_tag(mbi, MB2_IT_LOAD_BASE) == NULL);
	fx_free(&f);
}

/* §3.1.12 + §3.1.8 (Xen): with the boot services tag and the amd64 entry,
 * the kernel is entered there with boot services kept (§3.5): placed only
 * in memory free now, told so (tag 18), given the system table and the
 * image handle, and no BIOS-era data or EFI memory map. */
TEST(mb2_boot_services_kept_with_the_efi_amd64_entry)
{
	struct fx f;
	struct mb2_builder b;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs;
	const uint32_t req[] = { 12, 17 }, efi64_entry[] = { 0x400200 };

	fx_init(&f, elf_kernel(), "xen");
	f.pf.efi_image = 0x7e000000;
	mb2_begin(&b, f.img, 0x1000);
	mb2_tag(&b, MB2_HT_INFO_REQUEST, 0, req, 2);
	mb2_tag(&b, MB2_HT_EFI_BS, MB2_TAG_OPTIONAL, NULL, 0);
	mb2_tag(&b, MB2_HT_ENTRY_EFI64, MB2_TAG_OPTIONAL, efi64_entry, 1);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK(f.layout.boot_services);
	CHECK(f.layout.place.now_only);
	CHECK(!f.layout.boot_services_required);
	CHECK_EQ(f.layout.efi64_entry, 0x400200);
	CHECK_EQ(f.layout.entry, 0x400100); /* without boot services */
	CHECK_EQ(mb2_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.entry.mode, ENTRY_EFI64);
	CHECK_EQ(f.plan.entry.rip, 0x400200);
	CHECK_EQ(f.plan.entry.rax, MB2_LOADER_MAGIC);
	CHECK_EQ(f.plan.nseg, 0); /* no BIOS data area under the firmware */
	fs = fx_final(&f, &m);
	mb2_finish(&f.ctx, &fs);
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)f.plan.entry.rbx;
	const uint8_t *t = find_tag(mbi, MB2_IT_EFI_BS);
	CHECK(t && get32(t + 4) == 8);
	t = find_tag(mbi, MB2_IT_EFI64);
	CHECK(t && get32(t + 8) == 0x7f000000);
	t = find_tag(mbi, MB2_IT_EFI64_IH);
	CHECK(t && get32(t + 4) == 16 && get32(t + 8) == 0x7e000000);
	CHECK(find_tag(mbi, MB2_IT_EFI_MMAP) == NULL); /* as GRUB: none */
	CHECK(find_tag(mbi, MB2_IT_MMAP) != NULL);
	t = find_tag(mbi, MB2_IT_END);
	CHECK(t && t + 8 == mbi + get32(mbi));
	fx_free(&f);

	/* the boot services tag alone (no amd64 entry): the kexec path */
	fx_init(&f, elf_kernel(), "");
	mb2_begin(&b, f.img, 0x1000);
	mb2_tag(&b, MB2_HT_EFI_BS, MB2_TAG_OPTIONAL, NULL, 0);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK(!f.layout.boot_services);
	CHECK(!f.layout.place.now_only);
	CHECK_EQ(mb2_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.entry.mode, ENTRY_PROT32);
	fx_free(&f);
}

static int mb2_try(const uint32_t *words, uint32_t n, uint16_t type,
		   uint16_t flags, struct diag *d)
{
	uint8_t *img = elf_kernel();
	struct mb2_builder b;
	struct kernel_layout l;
	int rc;

	mb2_begin(&b, img, 0x1000);
	mb2_tag(&b, type, flags, words, n);
	mb2_end(&b);
	rc = mb2_parse(img, IMG, &l, d);
	free(img);
	return rc;
}

TEST(mb2_refusals)
{
	struct diag d;
	const uint32_t vbe[] = { 7 }, efi64_ih[] = { 20 }, unknown[] = { 30 };

	CHECK_EQ(mb2_try(NULL, 0, MB2_HT_EFI_BS, 0, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires EFI boot services to keep running");
	CHECK_EQ(mb2_try(vbe, 1, MB2_HT_INFO_REQUEST, 0, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires information tag 7 (VBE info)");
	CHECK_EQ(mb2_try(efi64_ih, 1, MB2_HT_INFO_REQUEST, 0, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires information tag 20 (EFI 64-bit image handle)");
	CHECK_EQ(mb2_try(unknown, 1, MB2_HT_INFO_REQUEST, 0, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires information tag 30 (unknown)");
	CHECK_EQ(mb2_try(vbe, 1, MB2_HT_INFO_REQUEST, MB2_TAG_OPTIONAL, &d), 0);
	CHECK_EQ(mb2_try(NULL, 0, 42, 0, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "requires header tag 42");
	CHECK_EQ(mb2_try(NULL, 0, 42, MB2_TAG_OPTIONAL, &d), 0);
	CHECK_EQ(mb2_try(NULL, 0, MB2_HT_EFI_BS, MB2_TAG_OPTIONAL, &d), 0);

	uint8_t *img = elf_kernel();
	struct mb2_builder b;
	struct kernel_layout l;
	mb2_begin(&b, img, 0x1000);
	mb2_end(&b);
	put32(img + 0x100c, 0x1234); /* checksum */
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "bad checksum");
	mb2_begin(&b, img, 0x1000);
	mb2_end(&b);
	put32(img + 0x1014, 0x100); /* end tag size past the header */
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "has size 0x100 (0x8 bytes left in the header)");
	/* a header whose length runs past the end of the file */
	mb2_begin(&b, img, 0x1000);
	mb2_end(&b);
	put32(img + 0x1008, 0x2010);
	put32(img + 0x100c, 0u - MB2_HEADER_MAGIC - 0x2010);
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "header_length 0x2010 does not fit");
	/* architecture MIPS */
	mb2_begin(&b, img, 0x1000);
	mb2_end(&b);
	put32(img + 0x1004, 4);
	put32(img + 0x100c, 0u - MB2_HEADER_MAGIC - 4 - 24);
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "architecture 4");
	free(img);
}

/* An entry between two ELF segments lies inside the image's span but in
 * no segment: plan_validate() would refuse the plan only at the end,
 * after parse and prepare accepted it. parse() refuses it, naming the
 * entry (the fuzzers' seed test/fuzz/seeds/multiboot2/plan-invalid is
 * such a file: an entry address tag of 0x1 past a one-byte segment). */
TEST(mb2_entry_between_segments)
{
	static const struct test_phdr ph[] = {
		{ 1, 0x1000, 0x400000, 0x400000, 0x1000, 0x1000 },
		{ 1, 0x2000, 0x402000, 0x402000, 0x1000, 0x1000 },
	};
	uint8_t *img = test_elf(false, 3, 0x400100, ph, 2, IMG);
	struct mb2_builder b;
	struct kernel_layout l;
	struct diag d;
	uint32_t entry[] = { 0x401800 };

	mb2_begin(&b, img, 0x1000);
	mb2_tag(&b, MB2_HT_ENTRY, 0, entry, 1);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "entry address (tag 3) 0x401800 lies outside every segment of the image (0x400000-0x402fff)");
	entry[0] = 0x402800;
	mb2_begin(&b, img, 0x1000);
	mb2_tag(&b, MB2_HT_ENTRY, 0, entry, 1);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), 0);
	CHECK_EQ(l.entry, 0x402800);
	/* the EFI amd64 entry, the one used with boot services */
	entry[0] = 0x401000;
	mb2_begin(&b, img, 0x1000);
	mb2_tag(&b, MB2_HT_EFI_BS, MB2_TAG_OPTIONAL, NULL, 0);
	mb2_tag(&b, MB2_HT_ENTRY_EFI64, 0, entry, 1);
	mb2_end(&b);
	CHECK_EQ(mb2_parse(img, IMG, &l, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "EFI amd64 entry (tag 9) 0x401000 lies outside every segment");
	free(img);
}

/* ---- ELF64 ---- */

TEST(elf64_boot_info)
{
	const struct test_phdr ph[] = {
		{ 1, 0x1000, 0x1000000, 0x1000000, 0x2000, 0x3000 },
	};
	struct fx f;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs;

	fx_init(&f, test_elf(true, 62, 0x1000040, ph, 1, IMG), "hello");
	CHECK(elf64_detect(f.img, IMG));
	CHECK_EQ(elf64_parse(f.img, IMG, &f.layout, &d), 0);
	CHECK_EQ(elf64_prepare(&f.ctx, &d), 0);
	CHECK_EQ(f.plan.entry.mode, ENTRY_LONG64);
	CHECK_EQ(f.plan.entry.rip, 0x1000040);
	CHECK_EQ(f.plan.entry.rax, EFIKEXEC_BOOT_MAGIC);
	const struct efikexec_boot_info *b = (const void *)(uintptr_t)f.plan.entry.rdi;
	fs = fx_final(&f, &m);
	elf64_finish(&f.ctx, &fs);
	CHECK_EQ(b->magic, EFIKEXEC_BOOT_MAGIC);
	CHECK_EQ(b->version, 1);
	CHECK_EQ(b->size, sizeof(*b));
	CHECK_EQ(b->flags, 0x30);
	CHECK_STR((const char *)(uintptr_t)b->cmdline, "hello");
	CHECK_EQ(b->image_start, 0x1000000);
	CHECK_EQ(b->image_end, 0x1003000);
	CHECK_EQ(b->memmap_count, 5);
	const struct efikexec_memory_range *mr = (const void *)(uintptr_t)b->memmap;
	CHECK_EQ(mr[1].base, 0x100000);
	CHECK_EQ(mr[1].type, 1);
	CHECK_EQ(b->module_count, 2);
	const struct efikexec_module *mo = (const void *)(uintptr_t)b->modules;
	CHECK_EQ(mo[0].start, 0x10000000);
	CHECK_EQ(mo[0].size, 0x1234);
	CHECK_STR((const char *)(uintptr_t)mo[0].string, "first one");
	CHECK_EQ(b->efi_system_table, 0x7f000000);
	CHECK_EQ(b->efi_memmap, phys_of(f.raw_map));
	CHECK_EQ(b->efi_memmap_size, 80);
	CHECK_EQ(b->efi_desc_size, 40);
	CHECK_EQ(b->acpi_rsdp, phys_of(f.rsdp));
	CHECK_EQ(b->framebuffer.addr, 0x80000000);
	CHECK_EQ(b->framebuffer.pitch, 4096);
	const struct efikexec_handoff *h = (const void *)(uintptr_t)b->handoff;
	CHECK_EQ(h->flags, 0x30);
	CHECK_EQ(h->ncpus, 2);
	CHECK_EQ(b->handoff % 8, 0);
	CHECK_EQ(b->modules % 8, 0);
	CHECK_EQ(b->memmap % 8, 0);
	fx_free(&f);

	/* an ELF32 file is no ELF64 kernel */
	uint8_t *img = elf_kernel();
	struct kernel_layout l;
	CHECK(!elf64_detect(img, IMG));
	CHECK_EQ(elf64_parse(img, IMG, &l, &d), ERR_UNSUPPORTED);
	free(img);
}

TEST(format_detection_order)
{
	uint8_t *img = elf_kernel();

	CHECK(format_detect(img, IMG) == NULL); /* ELF32 without a header */
	mb1_header(img, 0x1000, 0);
	CHECK(format_detect(img, IMG) == &multiboot1_format);
	struct mb2_builder b;
	mb2_begin(&b, img, 0x1800);
	mb2_end(&b);
	CHECK(format_detect(img, IMG) == &multiboot2_format); /* Xen has both */
	CHECK(format_by_name("multiboot1") == &multiboot1_format);
	CHECK(format_by_name("nope") == NULL);
	CHECK_STR(format_names(), "linux, multiboot2, multiboot1, vmlinux, elf64");
	/* every format in the table, found by its name, with every
	 * function the boot sequence calls; only Linux can be signed */
	const struct boot_format *all[] = { &linux_format, &multiboot2_format,
					    &multiboot1_format, &vmlinux_format,
					    &elf64_format };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CHECK(format_by_name(all[i]->name) == all[i]);
		CHECK(strstr(format_names(), all[i]->name) != NULL);
		CHECK(all[i]->detect && all[i]->parse && all[i]->prepare &&
		      all[i]->finish);
		CHECK(all[i]->signed_pe == (all[i] == &linux_format));
	}
	free(img);
}
