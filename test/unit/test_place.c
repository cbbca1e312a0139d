#include "harness.h"
#include "memmap_util.h"
#include "mm/place.h"

static struct place_req kernel_req(uint64_t size)
{
	return (struct place_req){
		.what = "kernel", .size = size, .pref = MiB(16),
		.align = MiB(2), .min = MiB(16), .limit = GiB(4),
	};
}

TEST(place_prefers_memory_free_now_over_boot_services_data)
{
	struct memmap m = test_typical_map(512);
	struct place_req req = kernel_req(MiB(50));
	uint64_t base = 0;
	struct diag d;

	/* 16-24 MiB is boot-services data now: the first conventional
	 * range above pref wins */
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(24));
}

/* req.below: the bytes under the base that must be free now too (the
 * setup code of a kernel read to its place with it) */
TEST(place_keeps_room_below_in_memory_free_now)
{
	struct mem_range r[] = {
		{ MiB(8), MiB(8), 0, MEM_BS_DATA },
		{ MiB(16), MiB(100), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 2);
	struct place_req req = kernel_req(MiB(50));
	struct range keep[] = { { MiB(20) - 4096, 4096 } };
	uint64_t base = 0;
	struct diag d;

	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(16));
	/* boot-services data under pref: the next aligned base up */
	req.below = 0x2a00;
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(18));
	/* a kept page in the room below 20 MiB, not in the range above */
	req.min = MiB(20);
	req.pref = MiB(20);
	CHECK_EQ(place_find(&m, keep, 1, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(22));
	/* no room with it in memory free now: without it, after leaving */
	req.size = MiB(99);
	req.pref = req.min = MiB(16);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(16));
}

TEST(place_falls_back_to_boot_services_memory)
{
	struct mem_range r[] = {
		{ 0x100000, MiB(15), 0, MEM_CONVENTIONAL },
		{ MiB(16), MiB(40), 0, MEM_BS_DATA },
		{ MiB(56), MiB(20), 0, MEM_CONVENTIONAL },
		{ MiB(76), MiB(4), 0, MEM_ACPI_NVS },
	};
	struct memmap m = test_map(r, 4);
	struct place_req req = kernel_req(MiB(50));
	uint64_t base = 0;
	struct diag d;

	/* no 50 MiB of conventional memory: RAM after EBS will do, at pref */
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(16));
}

TEST(place_avoids_what_is_kept)
{
	struct memmap m = test_typical_map(512);
	struct place_req req = kernel_req(MiB(50));
	struct range keep[] = { { MiB(30), 4096 }, { MiB(100), MiB(1) } };
	uint64_t base = 0;
	struct diag d;

	/* 24 MiB would cover the page at 30 MiB: next 2 MiB boundary after
	 * it is 32 MiB, and 32+50 MiB is below 100 MiB */
	CHECK_EQ(place_find(&m, keep, 2, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(32));
	keep[0].size = MiB(40); /* now 30-70 MiB: 70+50 hits 100 MiB */
	CHECK_EQ(place_find(&m, keep, 2, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(102));

	req.fixed = true;
	req.pref = MiB(60);
	CHECK_EQ(place_find(&m, keep, 2, &req, &base, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "where efikexec keeps 0x6400000-0x64fffff");
}

TEST(place_never_uses_runtime_ranges)
{
	struct mem_range r[] = {
		{ MiB(16), MiB(64), MEM_ATTR_RUNTIME, MEM_BS_DATA },
		{ MiB(80), MiB(64), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 2);
	struct place_req req = kernel_req(MiB(50));
	uint64_t base = 0;
	struct diag d;

	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(80));
}

TEST(place_searches_aligned_above_min_when_pref_is_taken)
{
	struct mem_range r[] = {
		{ 0x100000, MiB(17), 0, MEM_CONVENTIONAL },
		{ MiB(18), MiB(1), MEM_ATTR_RUNTIME, MEM_RT_CODE },
		{ MiB(19), MiB(500), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 3);
	struct place_req req = kernel_req(MiB(50));
	uint64_t base = 0;
	struct diag d;

	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(20)); /* first 2 MiB boundary after the runtime code */
	CHECK_EQ(base % req.align, 0);
}

TEST(place_never_goes_below_min)
{
	struct mem_range r[] = {
		{ 0x100000, MiB(100), 0, MEM_CONVENTIONAL },
		{ MiB(101), MiB(100), 0, MEM_RESERVED },
	};
	struct memmap m = test_map(r, 2);
	struct place_req req = kernel_req(MiB(90));
	uint64_t base;
	struct diag d;

	/* 90 MiB fits at 2 MiB, but min is 16 MiB and 16+90 > 101 */
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_NO_MEMORY);
	CHECK_CONTAINS(d.msg, "no free RAM for 0x5a00000 bytes aligned to 0x200000");
}

TEST(place_respects_the_limit)
{
	struct mem_range r[] = {
		{ MiB(16), MiB(8), MEM_ATTR_RUNTIME, MEM_RT_DATA },
		{ MiB(24), GiB(4), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 2);
	struct place_req req = kernel_req(MiB(64));
	uint64_t base;
	struct diag d;

	req.limit = MiB(80);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_NO_MEMORY);
	req.limit = MiB(88);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(24));
}

TEST(place_fixed_image_names_what_is_in_the_way)
{
	struct memmap m = test_typical_map(512);
	struct place_req req = kernel_req(MiB(8));
	uint64_t base;
	struct diag d;

	req.fixed = true;
	req.pref = MiB(506);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "must be at 0x1fa00000-0x201fffff");
	CHECK_CONTAINS(d.msg, "ACPI tables memory at 0x1fc00000");

	req.pref = 0x80000; /* across the legacy hole */
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "absent (no memory) memory at 0xa0000-0xfffff");

	/* a fixed image where boot-services data is now: fine */
	req.pref = MiB(16);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(16));
}

TEST(place_rejects_impossible_requests)
{
	struct memmap m = test_typical_map(512);
	struct place_req req = kernel_req(0);
	uint64_t base;
	struct diag d;

	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_BAD_IMAGE);
	req = kernel_req(MiB(1));
	req.pref = UINT64_MAX - 4095;
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_BAD_IMAGE);
	req = kernel_req(MiB(600));
	req.align = 3 * MiB(1);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_BAD_IMAGE);
	CHECK_CONTAINS(d.msg, "not a power of two");
}

/* A Multiboot 2 kernel linked at 2 MiB whose relocatable tag says
 * min_addr 32 MiB, align 16 MiB: the link address satisfies neither, and
 * must not be taken just because it is free. */
TEST(place_link_address_obeys_min_and_align)
{
	struct memmap m = test_typical_map(512);
	struct place_req req = {
		.what = "kernel", .size = MiB(1), .pref = MiB(2),
		.align = MiB(16), .min = MiB(32), .limit = GiB(4),
	};
	uint64_t base = 0;
	struct diag d;

	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(32));
	/* above min but misaligned: the next aligned base */
	req.pref = MiB(40);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(32));
	/* aligned and above min: the link address itself */
	req.pref = MiB(48);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(48));
}

/* A kernel that exits boot services itself runs beside the firmware: no
 * boot-services memory, which the firmware still uses, will do. */
TEST(place_now_only_keeps_off_boot_services_memory)
{
	struct mem_range r[] = {
		{ 0x100000, MiB(15), 0, MEM_CONVENTIONAL },
		{ MiB(16), MiB(40), 0, MEM_BS_DATA },
		{ MiB(56), MiB(20), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 3);
	struct place_req req = kernel_req(MiB(30));
	uint64_t base = 0;
	struct diag d;

	/* 30 MiB fit only over the boot-services data: fine once boot
	 * services are gone, never while they run */
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(16));
	req.now_only = true;
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_NO_MEMORY);
	req.size = MiB(10);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), 0);
	CHECK_EQ(base, MiB(56));
	/* a fixed image over it is refused, naming what is there */
	req.fixed = true;
	req.pref = MiB(20);
	CHECK_EQ(place_find(&m, NULL, 0, &req, &base, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "boot-services data");
}
