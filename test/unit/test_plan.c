#include <string.h>

#include "harness.h"
#include "memmap_util.h"
#include "relocate/plan.h"

/* A valid plan on the typical 512 MiB map: a copied kernel at 16 MiB, an
 * initrd in place at 400 MiB, boot_params kept at 300 MiB. */
static struct plan good_plan(void)
{
	struct plan p = { .format = "test" };
	struct diag d;

	plan_add_segment(&p, &(struct segment){ .what = "kernel",
		.src = MiB(200), .bufsz = MiB(10), .dst = MiB(16),
		.memsz = MiB(50), .align = MiB(2) }, &d);
	plan_add_segment(&p, &(struct segment){ .what = "initrd",
		.src = MiB(400), .bufsz = 12345, .dst = MiB(400),
		.memsz = 16384 }, &d);
	plan_add_keep(&p, "boot_params", MiB(300), 4096, &d);
	p.entry = (struct entry_state){ .mode = ENTRY_LONG64,
					.rip = MiB(16) + 0x200, .rsi = MiB(300) };
	p.map_top = GiB(4);
	return p;
}

TEST(plan_valid)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	CHECK_EQ(plan_validate(&p, &m, &d), 0);
}

TEST(plan_rejects_overlapping_destinations)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.seg[1].dst = p.seg[1].src = MiB(65) + 4096; /* inside 16+50 MiB */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "segment kernel destination 0x1000000+0x3200000 overlaps segment initrd destination");
}

TEST(plan_rejects_destinations_outside_ram)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.seg[0].dst = MiB(480); /* runs into ACPI tables at 508 MiB */
	p.entry.rip = p.seg[0].dst;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "hits ACPI tables memory at 0x1fc00000-0x1fcfffff");

	p = good_plan();
	p.seg[0].dst = 0x80000; /* legacy hole */
	p.seg[0].align = 0;
	p.entry.rip = p.seg[0].dst;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "absent (no memory)");

	p = good_plan();
	p.seg[1].dst = p.seg[1].src = MiB(510); /* runtime-services data */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "runtime-services data");

	p = good_plan();
	p.seg[1].dst = p.seg[1].src = GiB(2); /* past the end of RAM */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "absent (no memory)");
}

TEST(plan_rejects_sources_and_kept_ranges_in_destinations)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.seg[0].src = MiB(400) + 8192; /* kernel source inside the initrd */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "overlaps the source of segment kernel");

	p = good_plan();
	p.seg[0].src = MiB(20); /* its own destination: not in place */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "segment kernel destination 0x1000000+0x3200000 overlaps the source of segment kernel");

	p = good_plan();
	p.keep[0].base = MiB(40);
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "overlaps boot_params at 0x2800000+0x1000");
}

TEST(plan_checks_alignment_and_shape)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.seg[0].dst = MiB(17);
	p.entry.rip = MiB(17);
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "not aligned to 0x200000");

	p = good_plan();
	p.seg[0].align = 3;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);

	p = good_plan();
	p.seg[1].bufsz = 20000; /* more than memsz 16384 */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "copies 0x4e20 bytes into 0x4000");

	p = good_plan();
	p.seg[1].memsz = 0;
	p.seg[1].bufsz = 0;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "is empty");

	p = good_plan();
	p.seg[0].dst = UINT64_MAX - MiB(1) + 1;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "wraps");
}

TEST(plan_everything_inside_the_identity_map)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.map_top = MiB(400) + 16384; /* the initrd's last byte is the last mapped */
	CHECK_EQ(plan_validate(&p, &m, &d), 0);
	p.map_top -= 1;
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "segment initrd (0x19000000 -> 0x19000000+0x4000) is out of reach (below 0x19003fff for a long64 entry)");
	p = good_plan();
	p.map_top = MiB(300);
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "boot_params at 0x12c00000+0x1000 is out of reach");
	p = good_plan();
	p.seg[0].src = GiB(5); /* a source above the map */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "segment kernel (0x140000000 -> 0x1000000+0x3200000)");
}

TEST(plan_prot32_reaches_only_4g)
{
	struct mem_range r[] = {
		{ 0x100000, GiB(3), 0, MEM_CONVENTIONAL },
		{ GiB(4), GiB(4), 0, MEM_CONVENTIONAL },
	};
	struct memmap m = test_map(r, 2);
	struct plan p = good_plan();
	struct diag d;

	p.map_top = GiB(8);
	p.entry.mode = ENTRY_PROT32;
	CHECK_EQ(plan_validate(&p, &m, &d), 0);
	p.seg[1].src = p.seg[1].dst = GiB(4) - 8192; /* ends exactly at 4 GiB */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN); /* not RAM in this map */
	p.seg[1].src = p.seg[1].dst = GiB(5);
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "out of reach (below 0x100000000 for a prot32 entry)");
	p.entry.mode = ENTRY_LONG64;
	CHECK_EQ(plan_validate(&p, &m, &d), 0);
}

TEST(plan_entry_must_be_inside_a_segment)
{
	struct memmap m = test_typical_map(512);
	struct plan p = good_plan();
	struct diag d;

	p.entry.rip = MiB(66); /* one past the kernel's memsz */
	CHECK_EQ(plan_validate(&p, &m, &d), ERR_PLAN);
	CHECK_CONTAINS(d.msg, "entry point 0x4200000 lies outside every segment");
	p.entry.rip = MiB(66) - 1;
	CHECK_EQ(plan_validate(&p, &m, &d), 0);
}

TEST(plan_capacity_is_enforced)
{
	struct plan p = { 0 };
	struct diag d;
	struct segment s = { .what = "x", .memsz = 1 };

	for (int i = 0; i < PLAN_MAX_SEGMENTS; i++)
		CHECK_EQ(plan_add_segment(&p, &s, &d), 0);
	CHECK_EQ(plan_add_segment(&p, &s, &d), ERR_UNSUPPORTED);
	for (int i = 0; i < PLAN_MAX_KEEP; i++)
		CHECK_EQ(plan_add_keep(&p, "k", 0, 1, &d), 0);
	CHECK_EQ(plan_add_keep(&p, "k", 0, 1, &d), ERR_UNSUPPORTED);
}

static char described[2048];

static void collect(void *ctx, const char *text)
{
	(void)ctx;
	strcat(described, text);
	strcat(described, "\n");
}

TEST(plan_describe_lists_everything)
{
	struct plan p = good_plan();

	described[0] = '\0';
	plan_describe(&p, collect, NULL);
	CHECK_CONTAINS(described, "plan: format=test entry=0x1000200 mode=long64 segments=2");
	CHECK_CONTAINS(described, "segment 0 kernel   copy 0xc800000 -> 0x1000000 size 0xa00000 mem 0x3200000");
	CHECK_CONTAINS(described, "segment 1 initrd   in place at 0x19000000 size 0x3039");
	CHECK_CONTAINS(described, "keep boot_params          0x12c00000 size 0x1000");
}
