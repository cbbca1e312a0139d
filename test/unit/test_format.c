#include <string.h>

#include "boot/format.h"
#include "boot/linux.h"
#include "fake_alloc.h"
#include "harness.h"

TEST(boot_add_segments_applies_delta_and_keeps_modules_in_place)
{
	static uint8_t image[0x3000];
	struct kernel_layout l = {
		.nseg = 2,
		.seg = {
			{ .what = "text", .offset = 0x1000, .filesz = 0x800,
			  .addr = 0x100000, .memsz = 0x1000 },
			{ .what = "data", .offset = 0x2000, .filesz = 0x100,
			  .addr = 0x102000, .memsz = 0x4000, .zero_fill = true },
		},
		.modules = { .concatenate = true },
	};
	struct module m = { .path = "i", .args = "", .addr = 0x40000000, .size = 0x1801 };
	struct plan p = { 0 };
	struct boot_ctx ctx = { .image = image, .image_size = sizeof(image),
				.layout = &l, .delta = 0x200000, .modules = &m,
				.nmodules = 1, .plan = &p };
	struct diag d;

	CHECK_EQ(boot_add_segments(&ctx, &d), 0);
	CHECK_EQ(p.nseg, 3);
	CHECK_EQ(p.seg[0].src, phys_of(image) + 0x1000);
	CHECK_EQ(p.seg[0].dst, 0x300000);
	CHECK_EQ(p.seg[1].dst, 0x302000);
	CHECK(p.seg[1].zero_fill);
	CHECK_STR(p.seg[2].what, "initrd");
	CHECK_EQ(p.seg[2].src, 0x40000000);
	CHECK_EQ(p.seg[2].dst, 0x40000000);
	CHECK_EQ(p.seg[2].bufsz, 0x1801);
	CHECK_EQ(p.seg[2].memsz, 0x2000);
}

TEST(boot_alloc_keeps_what_it_allocates)
{
	struct fake_alloc fa;
	struct plan p = { 0 };
	struct boot_ctx ctx = { .alloc = &fa.a, .plan = &p };
	struct diag d;

	fake_alloc_init(&fa);
	void *x = boot_alloc(&ctx, "info", 5000, 0xffffffff, &d);
	CHECK(x != NULL);
	CHECK_EQ(p.nkeep, 1);
	CHECK_STR(p.keep[0].what, "info");
	CHECK_EQ(p.keep[0].base, phys_of(x));
	CHECK_EQ(p.keep[0].size, 8192);
	CHECK_EQ(fa.max[0], 0xffffffff);
	fa.fail_after = 2;
	CHECK(boot_alloc(&ctx, "more", 1, UINT64_MAX, &d) == NULL);
	CHECK_EQ(d.code, ERR_NO_MEMORY);
	CHECK_CONTAINS(d.msg, "no memory for the more (0x1 bytes");
	fake_alloc_free(&fa);
}

TEST(format_detection)
{
	static uint8_t junk[4096];

	memset(junk, 0x5a, sizeof(junk));
	CHECK(format_detect(junk, sizeof(junk)) == NULL);
	junk[0x1fe] = 0x55;
	junk[0x1ff] = 0xaa;
	memcpy(junk + 0x202, "HdrS", 4);
	CHECK(format_detect(junk, sizeof(junk)) == &linux_format);
}
