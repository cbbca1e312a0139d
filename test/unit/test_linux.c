#include <stdlib.h>
#include <string.h>

#include "boot/handoff_record.h"
#include "boot/linux.h"
#include "fake_alloc.h"
#include "harness.h"
#include "image_util.h"
#include "memmap_util.h"

static struct setup_header *hdr(uint8_t *img)
{
	return (struct setup_header *)(img + SETUP_HEADER_OFFSET);
}

TEST(linux_detects_bzimage_only)
{
	size_t size;
	uint8_t *img = test_bzimage(&size);

	CHECK(linux_detect(img, size));
	CHECK(!linux_detect(img, 0x200));
	hdr(img)->header = 0x53726447;
	CHECK(!linux_detect(img, size));
	free(img);
}

TEST(linux_parse_layout)
{
	size_t size;
	uint8_t *img = test_bzimage(&size);
	struct kernel_layout l;
	struct diag d;

	CHECK_EQ(linux_parse(img, size, &l, &d), 0);
	CHECK_EQ(l.nseg, 1);
	CHECK_EQ(l.seg[0].offset, TEST_BZ_SETUP_BYTES);
	CHECK_EQ(l.seg[0].filesz, TEST_BZ_PAYLOAD);
	CHECK_EQ(l.seg[0].addr, 0x1000000);
	CHECK_EQ(l.seg[0].memsz, 0x3000000);
	CHECK_EQ(l.seg[0].align, 0x200000);
	CHECK(!l.seg[0].zero_fill);
	CHECK_EQ(l.entry, 0x1000200);
	CHECK(!l.place.fixed);
	CHECK_EQ(l.place.pref, 0x1000000);
	CHECK_EQ(l.place.min, 0x1000000);
	CHECK_EQ(l.place.size, 0x3000000);
	CHECK_EQ(l.place.limit, 1ull << 48);
	CHECK_EQ(l.modules.soft_max, 0x7fffffff);
	CHECK_EQ(l.modules.hard_max, UINT64_MAX);
	CHECK(l.modules.concatenate);

	/* without CAN_BE_LOADED_ABOVE_4G everything stays below 4 GiB */
	hdr(img)->xloadflags = XLF_KERNEL_64;
	CHECK_EQ(linux_parse(img, size, &l, &d), 0);
	CHECK_EQ(l.place.limit, 1ull << 32);
	CHECK_EQ(l.modules.hard_max, 0x7fffffff);

	/* setup_sects 0 means 4 */
	hdr(img)->setup_sects = 0;
	CHECK_EQ(linux_parse(img, size, &l, &d), 0);
	CHECK_EQ(l.seg[0].offset, TEST_BZ_SETUP_BYTES);

	/* a non-relocatable kernel must be exactly at pref_address */
	hdr(img)->relocatable_kernel = 0;
	CHECK_EQ(linux_parse(img, size, &l, &d), 0);
	CHECK(l.place.fixed);
	CHECK_EQ(l.place.pref, 0x1000000);
	free(img);
}

/* syssize counts 16-byte paragraphs: a file up to 15 bytes short of it
 * is whole (memtest86+ 6.10 is 8 bytes short), 16 bytes short is not
 * (linux_parse_errors). */
/* parse() reads the first linux_format.head bytes alone (boot/format.h):
 * the boot sequence parses the head of the file before it reads the rest
 * to its place. On a copy of just those bytes, AddressSanitizer would
 * catch a read past them. */
TEST(linux_parse_reads_its_head_alone)
{
	size_t size;
	uint8_t *bz = test_bzimage(&size), *head = malloc(linux_format.head);
	struct kernel_layout l;
	struct diag d;

	memcpy(head, bz, linux_format.head);
	CHECK_EQ(linux_parse(head, size, &l, &d), 0);
	CHECK_EQ(l.nseg, 1);
	CHECK_EQ(l.seg[0].offset, TEST_BZ_SETUP_BYTES);
	CHECK_EQ(l.seg[0].offset + l.seg[0].filesz, size);
	free(head);
	free(bz);
}

TEST(linux_syssize_rounds_up)
{
	size_t size;
	uint8_t *img = test_bzimage(&size);
	struct kernel_layout l;
	struct diag d;

	CHECK_EQ(linux_parse(img, size - 8, &l, &d), 0);
	CHECK_EQ(l.seg[0].filesz, TEST_BZ_PAYLOAD - 8);
	CHECK_EQ(linux_parse(img, size - 15, &l, &d), 0);
	free(img);
}

/* Applies one corruption, expects parse to fail with code and message. */
#define EXPECT_PARSE_ERROR(mutate, code, text)                       \
	do {                                                        \
		size_t size;                                        \
		uint8_t *img = test_bzimage(&size);                 \
		struct kernel_layout l;                             \
		struct diag d;                                      \
		mutate;                                             \
		CHECK_EQ(linux_parse(img, size, &l, &d), code);     \
		CHECK_CONTAINS(d.msg, text);                        \
		free(img);                                          \
	} while (0)

TEST(linux_parse_errors)
{
	EXPECT_PARSE_ERROR(size = 0x200, ERR_BAD_IMAGE, "too small for a Linux setup header");
	EXPECT_PARSE_ERROR(hdr(img)->boot_flag = 0, ERR_BAD_IMAGE, "boot_flag 0x0 at 0x1fe");
	EXPECT_PARSE_ERROR(hdr(img)->version = 0x020b, ERR_UNSUPPORTED, "boot protocol 2.11 is older than 2.12");
	EXPECT_PARSE_ERROR(img[0x201] = 0x40, ERR_BAD_IMAGE, "setup header ends at 0x242");
	EXPECT_PARSE_ERROR(size = TEST_BZ_SETUP_BYTES, ERR_BAD_IMAGE, "truncated: setup code is 0xa00 bytes");
	EXPECT_PARSE_ERROR(hdr(img)->setup_sects = 200, ERR_BAD_IMAGE, "setup_sects 200");
	EXPECT_PARSE_ERROR(hdr(img)->loadflags = 0, ERR_UNSUPPORTED, "zImage");
	EXPECT_PARSE_ERROR(hdr(img)->xloadflags = 0x7e, ERR_UNSUPPORTED, "no 64-bit entry point: xloadflags 0x7e");
	EXPECT_PARSE_ERROR(size -= 16, ERR_BAD_IMAGE, "truncated: syssize says 0x10000 bytes");
	EXPECT_PARSE_ERROR((hdr(img)->payload_offset = 0x100, hdr(img)->payload_length = TEST_BZ_PAYLOAD - 0xff),
			   ERR_BAD_IMAGE, "truncated: payload_offset 0x100 + payload_length");
	EXPECT_PARSE_ERROR(hdr(img)->init_size = 0xffffffff, ERR_BAD_IMAGE, "init_size 0xffffffff is absurd");
	EXPECT_PARSE_ERROR(hdr(img)->init_size = 0x100, ERR_BAD_IMAGE, "init_size 0x100 is absurd");
	EXPECT_PARSE_ERROR(hdr(img)->kernel_alignment = 0x300000, ERR_BAD_IMAGE, "kernel_alignment 0x300000");
	EXPECT_PARSE_ERROR(hdr(img)->pref_address = 0x1001000, ERR_BAD_IMAGE, "pref_address 0x1001000");
	EXPECT_PARSE_ERROR(hdr(img)->pref_address = 0xffffffffffe00000ull, ERR_BAD_IMAGE, "not a usable load address");
}

struct linux_fixture {
	uint8_t *img;
	size_t size;
	struct kernel_layout layout;
	struct platform platform;
	struct module initrd;
	struct cpu_list cpus;
	struct plan plan;
	struct boot_ctx ctx;
	struct fake_alloc alloc;
};

static void fixture(struct linux_fixture *f, const char *cmdline)
{
	struct diag d;

	memset(f, 0, sizeof(*f));
	f->img = test_bzimage(&f->size);
	CHECK_EQ(linux_parse(f->img, f->size, &f->layout, &d), 0);
	fake_alloc_init(&f->alloc);
	f->platform = (struct platform){
		.efi_systab = 0x123456789000ull,
		.acpi_rsdp = 0x3f7fe014,
		.has_fb = true,
		.fb = { .base = 0x480000000ull, .size = 0x300000, .width = 1280,
			.height = 800, .stride = 1280 },
		.secure_boot = SECURE_BOOT_ENABLED,
	};
	fb_set_masks(&f->platform.fb, 0xff0000, 0xff00, 0xff, 0xff000000);
	f->cpus.n = 3;
	f->cpus.cpu[0] = (struct cpu_entry){ 0, CPU_BSP };
	f->cpus.cpu[1] = (struct cpu_entry){ 1, 0 };
	f->cpus.cpu[2] = (struct cpu_entry){ 0x105, 0 };
	f->initrd = (struct module){ .path = "\\initrd", .args = "",
				     .addr = 0x1234500000ull, .size = 0x654321 };
	f->ctx = (struct boot_ctx){
		.image = f->img, .image_size = f->size, .layout = &f->layout,
		.delta = 0x400000, .cmdline = cmdline, .modules = &f->initrd,
		.nmodules = 1, .platform = &f->platform, .cpus = &f->cpus,
		.max_map_entries = 300, .alloc = &f->alloc.a, .plan = &f->plan,
	};
}

static void teardown(struct linux_fixture *f)
{
	fake_alloc_free(&f->alloc);
	free(f->img);
}

static bool has_keep(const struct plan *p, const char *what, uint64_t base)
{
	for (size_t i = 0; i < p->nkeep; i++)
		if (!strcmp(p->keep[i].what, what) && p->keep[i].base == base)
			return true;
	return false;
}

TEST(linux_prepare_fills_boot_params)
{
	struct linux_fixture f;
	struct diag d;

	fixture(&f, "console=ttyS0 root=/dev/vda quiet");
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	uint64_t bp_addr = phys_of(bp);

	CHECK_EQ(f.plan.entry.mode, ENTRY_LONG64);
	CHECK_EQ(f.plan.entry.rip, 0x1000000 + 0x400000 + 0x200);
	CHECK(has_keep(&f.plan, "boot_params", bp_addr));
	/* header copied up to its end and no further */
	CHECK_EQ(bp->hdr.init_size, 0x3000000);
	CHECK_EQ(bp->hdr.kernel_alignment, 0x200000);
	CHECK_EQ(((uint8_t *)bp)[0x26c], 0);
	CHECK_EQ(bp->sentinel, 0);
	CHECK_EQ(bp->hdr.type_of_loader, 0xff);
	CHECK_EQ(bp->hdr.vid_mode, 0xffff);
	/* command line */
	uint64_t cl = bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32;
	CHECK_STR((const char *)(uintptr_t)cl, "console=ttyS0 root=/dev/vda quiet");
	CHECK(has_keep(&f.plan, "cmdline", cl));
	/* initrd, split across the 32-bit and ext_ fields */
	CHECK_EQ(bp->hdr.ramdisk_image, 0x34500000);
	CHECK_EQ(bp->ext_ramdisk_image, 0x12);
	CHECK_EQ(bp->hdr.ramdisk_size, 0x654321);
	CHECK_EQ(bp->ext_ramdisk_size, 0);
	/* ACPI, EFI */
	CHECK_EQ(bp->acpi_rsdp_addr, 0x3f7fe014);
	CHECK_EQ(bp->efi_info.efi_loader_signature, 0x34364c45);
	CHECK_EQ(bp->efi_info.efi_systab, 0x56789000);
	CHECK_EQ(bp->efi_info.efi_systab_hi, 0x1234);
	CHECK_EQ(((uint8_t *)bp)[0x1ec], 3); /* secure_boot: enabled */
	/* framebuffer */
	CHECK_EQ(bp->screen_info.orig_video_isVGA, VIDEO_TYPE_EFI);
	CHECK_EQ(bp->screen_info.lfb_width, 1280);
	CHECK_EQ(bp->screen_info.lfb_height, 800);
	CHECK_EQ(bp->screen_info.lfb_depth, 32);
	CHECK_EQ(bp->screen_info.lfb_linelength, 1280 * 4);
	CHECK_EQ(bp->screen_info.lfb_base, 0x80000000);
	CHECK_EQ(bp->screen_info.ext_lfb_base, 0x4);
	CHECK_EQ(bp->screen_info.lfb_size, 0x300000);
	CHECK_EQ(bp->screen_info.red_pos, 16);
	CHECK_EQ(bp->screen_info.red_size, 8);
	CHECK_EQ(bp->screen_info.blue_pos, 0);
	CHECK_EQ(bp->screen_info.rsvd_pos, 24);
	CHECK_EQ(bp->screen_info.capabilities,
		 VIDEO_CAPABILITY_SKIP_QUIRKS | VIDEO_CAPABILITY_64BIT_BASE);
	/* boot information below 4 GiB for 32-bit readers */
	CHECK_EQ(f.alloc.max[1], 0xffffffff);
	teardown(&f);
}

TEST(linux_prepare_without_initrd_framebuffer_or_acpi_field)
{
	struct linux_fixture f;
	struct diag d;

	fixture(&f, "");
	f.ctx.nmodules = 0;
	f.platform.has_fb = false;
	hdr(f.img)->version = 0x020c; /* 2.12: no acpi_rsdp_addr yet */
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	CHECK_EQ(bp->hdr.ramdisk_image, 0);
	CHECK_EQ(bp->hdr.ramdisk_size, 0);
	CHECK_EQ(bp->acpi_rsdp_addr, 0);
	CHECK_EQ(bp->screen_info.orig_video_isVGA, 0);
	uint64_t cl = bp->hdr.cmd_line_ptr | (uint64_t)bp->ext_cmd_line_ptr << 32;
	CHECK_STR((const char *)(uintptr_t)cl, "");
	teardown(&f);
}

TEST(linux_prepare_rejects_a_long_cmdline_and_no_memory)
{
	struct linux_fixture f;
	struct diag d;
	static char longline[0x801];

	memset(longline, 'a', 0x800);
	fixture(&f, longline);
	CHECK_EQ(linux_prepare(&f.ctx, &d), ERR_USAGE);
	CHECK_CONTAINS(d.msg, "command line is 2048 bytes, the kernel accepts at most 2047");
	teardown(&f);

	fixture(&f, "x");
	f.alloc.fail_after = 1;
	CHECK_EQ(linux_prepare(&f.ctx, &d), ERR_NO_MEMORY);
	CHECK_CONTAINS(d.msg, "no memory for the boot_params");
	teardown(&f);
}

static struct final_state final_state_of(struct memmap *m)
{
	return (struct final_state){ .map = m, .raw_addr = 0x987654321000ull,
				     .raw_size = 0x2580, .desc_size = 48,
				     .desc_version = 1, .flags = 0x32 };
}

/* The setup_data node of the given type in the chain, or NULL. */
static struct setup_data *find_setup_data(const struct boot_params *bp,
					  uint32_t type)
{
	for (uint64_t a = bp->hdr.setup_data; a;) {
		struct setup_data *sd = (struct setup_data *)(uintptr_t)a;
		if (sd->type == type)
			return sd;
		a = sd->next;
	}
	return NULL;
}

TEST(linux_finish_small_map_stays_in_the_zero_page)
{
	struct linux_fixture f;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs = final_state_of(&m);

	fixture(&f, "x");
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	linux_finish(&f.ctx, &fs);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	CHECK_EQ(bp->e820_entries, 5);
	CHECK_EQ(bp->e820_table[1].addr, 0x100000);
	CHECK_EQ(bp->e820_table[1].type, E820_RAM);
	CHECK_EQ(bp->e820_table[4].addr, 0xfec00000);
	CHECK(find_setup_data(bp, SETUP_E820_EXT) == NULL);
	CHECK_EQ(bp->efi_info.efi_memmap, 0x54321000);
	CHECK_EQ(bp->efi_info.efi_memmap_hi, 0x9876);
	CHECK_EQ(bp->efi_info.efi_memmap_size, 0x2580);
	CHECK_EQ(bp->efi_info.efi_memdesc_size, 48);
	CHECK_EQ(bp->efi_info.efi_memdesc_version, 1);
	teardown(&f);
}

TEST(linux_finish_large_map_uses_setup_e820_ext)
{
	struct linux_fixture f;
	struct diag d;
	static struct mem_range r[300];

	for (size_t i = 0; i < 300; i++)
		r[i] = (struct mem_range){ i * 0x2000, 0x1000, 0,
					   i % 2 ? MEM_CONVENTIONAL : MEM_ACPI_NVS };
	struct memmap m = test_map(r, 300);
	struct final_state fs = final_state_of(&m);

	fixture(&f, "x");
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	linux_finish(&f.ctx, &fs);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	CHECK_EQ(bp->e820_entries, 128);
	CHECK_EQ(bp->e820_table[127].addr, 127 * 0x2000);
	struct setup_data *sd = find_setup_data(bp, SETUP_E820_EXT);
	CHECK(sd != NULL);
	if (!sd)
		return;
	CHECK(has_keep(&f.plan, "e820 setup_data", phys_of(sd)));
	CHECK_EQ(sd->len, (300 - 128) * 20);
	struct e820_entry *ext = (struct e820_entry *)sd->data;
	CHECK_EQ(ext[0].addr, 128 * 0x2000);
	CHECK_EQ(ext[0].type, E820_NVS);
	CHECK_EQ(ext[171].addr, 299 * 0x2000);
	CHECK_EQ(ext[171].type, E820_RAM);
	teardown(&f);
}

TEST(linux_delivers_the_flags_word_in_setup_data)
{
	static const uint64_t stamps[HANDOFF_STAMPS] = { 100, 200, 300, 400, 500, 600, 700, 800 };
	static const uint64_t detail[HANDOFF_DETAILS] = { 410, 420, 30 };
	struct linux_fixture f;
	struct diag d;
	struct memmap m = test_typical_map(512);
	struct final_state fs = final_state_of(&m);

	fs.tsc_hz = 2000000000;
	fs.stamps = stamps;
	fs.detail = detail;

	fixture(&f, "x");
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	/* linked at prepare time, so the plan keeps it from the start */
	struct setup_data *sd = find_setup_data(bp, SETUP_EFIKEXEC);
	CHECK(sd != NULL);
	if (!sd)
		return;
	CHECK(has_keep(&f.plan, "efikexec setup_data", phys_of(sd)));
	CHECK_EQ(sd->len, 112 + 3 * 8);
	/* parking marks the list; finish() copies flags and states */
	f.cpus.cpu[1].state = CPU_PARKED | CPU_FLUSHED;
	linux_finish(&f.ctx, &fs);
	const struct efikexec_handoff *h = (const void *)sd->data;
	CHECK_EQ(h->magic, 0x4b494645);
	CHECK(!memcmp(sd->data, "EFIK", 4));
	CHECK_EQ(h->version, 3);
	CHECK_EQ(h->header_size, 112);
	CHECK_EQ(h->flags, 0x32);
	/* the stamps so far; the trampoline's two are left to it */
	CHECK_EQ(h->tsc_hz, 2000000000);
	CHECK_EQ(h->stamp[STAMP_ENTRY], 100);
	CHECK_EQ(h->stamp[STAMP_PARKED], 600);
	CHECK_EQ(h->stamp[STAMP_RELOCATED], 0);
	CHECK_EQ(h->stamp[STAMP_JUMP], 0);
	CHECK_EQ(h->detail[DETAIL_COMMITTED], 410);
	CHECK_EQ(h->detail[DETAIL_LEAVING], 420);
	CHECK_EQ(h->detail[DETAIL_READ_TICKS], 30);
	CHECK(f.ctx.handoff == h);
	CHECK_EQ(h->ncpus, 3);
	CHECK_EQ(h->cpu[0].state, CPU_BSP);
	CHECK_EQ(h->cpu[1].apic_id, 1);
	CHECK_EQ(h->cpu[1].state, CPU_PARKED | CPU_FLUSHED);
	CHECK_EQ(h->cpu[2].apic_id, 0x105);
	CHECK_EQ(h->cpu[2].state, 0);
	teardown(&f);
}

TEST(linux_prepare_ignores_loader_fields_in_the_file)
{
	struct linux_fixture f;
	struct diag d;

	fixture(&f, "x");
	/* a file whose header carries a setup_data pointer, an initrd and a
	 * header length reaching into the EDD buffer */
	hdr(f.img)->setup_data = 0xdeadbeef000ull;
	hdr(f.img)->ramdisk_image = 0x1234;
	hdr(f.img)->ramdisk_size = 0x5678;
	f.img[0x201] = 0xff; /* header "ends" at 0x301 */
	f.ctx.nmodules = 0;
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	struct boot_params *bp = (struct boot_params *)(uintptr_t)f.plan.entry.rsi;
	CHECK_EQ(bp->hdr.ramdisk_image, 0);
	CHECK_EQ(bp->hdr.ramdisk_size, 0);
	/* the chain holds our node only, ending in 0 */
	struct setup_data *sd = (struct setup_data *)(uintptr_t)bp->hdr.setup_data;
	CHECK_EQ(sd->type, SETUP_EFIKEXEC);
	CHECK_EQ(sd->next, 0);
	/* nothing copied past 0x290 */
	for (size_t off = 0x290; off < 0x302; off++)
		CHECK_EQ(((uint8_t *)bp)[off], 0);
	teardown(&f);
}

TEST(linux_5level_firmware_needs_xlf_5level)
{
	struct linux_fixture f;
	struct diag d;

	fixture(&f, "x");
	f.platform.paging_5level = true;
	hdr(f.img)->xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
	CHECK_EQ(linux_prepare(&f.ctx, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "5-level paging");
	CHECK_CONTAINS(d.msg, "xloadflags 0x3 lacks XLF_5LEVEL");
	teardown(&f);
	fixture(&f, "x");
	f.platform.paging_5level = true; /* the synthetic image has 0x7f */
	CHECK_EQ(linux_prepare(&f.ctx, &d), 0);
	teardown(&f);
}
