#include <string.h>

#include "harness.h"
#include "memmap_util.h"
#include "mm/memmap.h"

/* Firmware descriptors with a stride larger than the structure, as real
 * firmware uses (OVMF: 48 bytes). */
#define STRIDE 48

static void put_desc(unsigned char *buf, size_t i, uint32_t type,
		     uint64_t base, uint64_t pages, uint64_t attr)
{
	struct efi_mem_desc d = { .type = type, .phys_start = base,
				  .virt_start = 0xdead, .pages = pages,
				  .attr = attr };
	memcpy(buf + i * STRIDE, &d, sizeof(d));
	memset(buf + i * STRIDE + sizeof(d), 0xcc, STRIDE - sizeof(d));
}

TEST(memmap_parses_and_sorts_descriptors)
{
	unsigned char buf[3 * STRIDE];
	struct mem_range r[4];
	struct memmap m = { .r = r, .cap = 4 };
	struct diag d;

	put_desc(buf, 0, MEM_CONVENTIONAL, 0x100000, 16, 0xf);
	put_desc(buf, 1, MEM_RT_DATA, 0x1000, 1, MEM_ATTR_RUNTIME);
	put_desc(buf, 2, MEM_BS_DATA, 0x200000, 2, 0);
	CHECK_EQ(memmap_from_efi(&m, buf, sizeof(buf), STRIDE, &d), 0);
	CHECK_EQ(m.n, 3);
	CHECK_EQ(r[0].base, 0x1000);
	CHECK_EQ(r[0].type, MEM_RT_DATA);
	CHECK_EQ(r[0].attr, MEM_ATTR_RUNTIME);
	CHECK_EQ(r[1].base, 0x100000);
	CHECK_EQ(r[1].size, 16 * 4096);
	CHECK_EQ(r[2].size, 2 * 4096);
}

TEST(memmap_rejects_bad_maps)
{
	unsigned char buf[2 * STRIDE];
	struct mem_range r[1];
	struct memmap m = { .r = r, .cap = 1 };
	struct diag d;

	put_desc(buf, 0, MEM_CONVENTIONAL, 0x100000, 16, 0);
	put_desc(buf, 1, MEM_CONVENTIONAL, 0x108000, 16, 0);
	CHECK_EQ(memmap_from_efi(&m, buf, sizeof(buf), STRIDE, &d), ERR_NO_MEMORY);
	CHECK_CONTAINS(d.msg, "room for 1");

	struct mem_range r2[2];
	m = (struct memmap){ .r = r2, .cap = 2 };
	CHECK_EQ(memmap_from_efi(&m, buf, sizeof(buf), STRIDE, &d), ERR_IO);
	CHECK_CONTAINS(d.msg, "overlap");

	CHECK_EQ(memmap_from_efi(&m, buf, sizeof(buf), 24, &d), ERR_IO);
	CHECK_CONTAINS(d.msg, "descriptor size 24");

	put_desc(buf, 0, MEM_CONVENTIONAL, 0xfffffffffffff000ull, 2, 0);
	CHECK_EQ(memmap_from_efi(&m, buf, STRIDE, STRIDE, &d), ERR_IO);
	CHECK_CONTAINS(d.msg, "impossible size");
}

TEST(memmap_free_after_ebs_types)
{
	struct mem_range r = { 0, 4096, 0, 0 };
	static const uint32_t free_types[] = { MEM_CONVENTIONAL, MEM_LOADER_CODE,
		MEM_LOADER_DATA, MEM_BS_CODE, MEM_BS_DATA };

	for (uint32_t t = 0; t < MEM_TYPE_COUNT + 2; t++) {
		bool want = false;
		for (size_t i = 0; i < sizeof(free_types) / sizeof(free_types[0]); i++)
			want |= free_types[i] == t;
		r.type = t;
		CHECK_EQ(mem_free_after_ebs(&r), want);
		CHECK_EQ(mem_free_now(&r), t == MEM_CONVENTIONAL);
	}
	r.type = MEM_CONVENTIONAL;
	r.attr = MEM_ATTR_SP;
	CHECK(!mem_free_after_ebs(&r));
	CHECK(!mem_free_now(&r));
	/* a firmware bug we do not step on: runtime memory typed as free */
	r.type = MEM_BS_DATA;
	r.attr = MEM_ATTR_RUNTIME;
	CHECK(!mem_free_after_ebs(&r));
	r.type = MEM_CONVENTIONAL;
	CHECK(!mem_free_now(&r));
}

TEST(memmap_blocker_reports_holes_and_types)
{
	struct memmap m = test_typical_map(512);
	struct mem_range b;

	/* all of it free after EBS, across the boot-services data */
	CHECK(!memmap_find_blocker(&m, MiB(8), MiB(32), mem_free_after_ebs, &b));
	/* ...but not free now */
	CHECK(memmap_find_blocker(&m, MiB(8), MiB(32), mem_free_now, &b));
	CHECK_EQ(b.base, MiB(16));
	CHECK_EQ(b.type, MEM_BS_DATA);
	/* the legacy hole */
	CHECK(memmap_find_blocker(&m, 0x9f000, 0x2000, mem_free_after_ebs, &b));
	CHECK_EQ(b.base, 0xa0000);
	CHECK_EQ(b.size, 0x1000);
	CHECK_EQ(b.type, MEM_ABSENT);
	/* ACPI tables at the top */
	CHECK(memmap_find_blocker(&m, MiB(500), MiB(12), mem_free_after_ebs, &b));
	CHECK_EQ(b.type, MEM_ACPI_RECLAIM);
	CHECK_EQ(b.base, MiB(508));
	/* beyond the end of the map */
	CHECK(memmap_find_blocker(&m, GiB(8), 4096, mem_free_after_ebs, &b));
	CHECK_EQ(b.type, MEM_ABSENT);
	CHECK_EQ(b.base, GiB(8));
	/* a range that wraps past 2^64, as a kernel placed below its file
	 * offset asked for one: blocked, not measured by its wrapped end */
	CHECK(memmap_find_blocker(&m, -0x200ull, MiB(8), mem_free_after_ebs, &b));
	CHECK_EQ(b.base, -0x200ull);
	CHECK_EQ(b.type, MEM_ABSENT);
	CHECK_STR(mem_type_name(MEM_RESERVED), "reserved");
	CHECK_STR(mem_type_name(MEM_RT_DATA), "runtime-services data");
	CHECK_STR(mem_type_name(MEM_UNACCEPTED), "unaccepted");
	CHECK_STR(mem_type_name(MEM_ABSENT), "absent (no memory)");
	CHECK_STR(mem_type_name(99), "unknown type");
	/* every type has a name of its own in the table */
	for (uint32_t t = 0; t < MEM_TYPE_COUNT; t++)
		CHECK(mem_type_name(t) && *mem_type_name(t));
}

TEST(memmap_top_ignores_mmio)
{
	struct memmap m = test_typical_map(512);

	/* its last MiB is reserved: not memory to map */
	CHECK_EQ(memmap_top_of_memory(&m), MiB(511));
	/* a reserved range far above RAM (QEMU's e820 near 1 TiB) is no
	 * memory to map */
	struct mem_range r[3] = {
		{ 0, MiB(512), 0, MEM_CONVENTIONAL },
		{ 0xfd00000000ull, 0x300000000ull, 0, MEM_RESERVED },
		{ 0xfec00000, 0x1000, 0, MEM_MMIO },
	};
	struct memmap big = { r, 3, 3 };
	CHECK_EQ(memmap_top_of_memory(&big), MiB(512));
	r[1].type = MEM_ACPI_NVS;
	CHECK_EQ(memmap_top_of_memory(&big), 0x10000000000ull);
}

TEST(memmap_set_type_and_take_top)
{
	struct mem_range r[7] = {
		{ 0x0, 0xa0000, 0, MEM_CONVENTIONAL },
		{ 0x100000, 0x700000, 0, MEM_CONVENTIONAL },
	};
	struct memmap m = { r, 2, 7 };
	struct diag d;

	/* a cut in the middle splits the range in three */
	CHECK_EQ(memmap_set_type(&m, 0x200000, 0x1000, MEM_BS_DATA, &d), 0);
	CHECK_EQ(m.n, 4);
	CHECK_EQ(r[1].size, 0x100000);
	CHECK(r[2].base == 0x200000 && r[2].size == 0x1000 && r[2].type == MEM_BS_DATA);
	CHECK(r[3].base == 0x201000 && r[3].type == MEM_CONVENTIONAL);
	/* the highest free pages below the limit, never below min */
	CHECK_EQ(memmap_take_top(&m, 0x1800, 0x1000, 0xfffff, MEM_LOADER_DATA), 0x9e000);
	CHECK_EQ(m.n, 5);
	CHECK_EQ(r[1].type, MEM_LOADER_DATA);
	CHECK_EQ(memmap_take_top(&m, 0x1000, 0x1000, 0x1fff, MEM_LOADER_DATA), 0x1000);
	CHECK_EQ(m.n, 7);
	CHECK_EQ(memmap_take_top(&m, 0x1000, 0x1000, 0x1fff, MEM_LOADER_DATA), 0);
	/* an empty range at 0 gives nothing (it has no last byte) */
	struct mem_range e[3] = { { 0, 0, 0, MEM_CONVENTIONAL } };
	struct memmap em = { e, 1, 3 };
	CHECK_EQ(memmap_take_top(&em, 0x1000, 0x1000, 0xffffffff, MEM_LOADER_DATA), 0);
	/* a range that ends at the top of the address space */
	e[0] = (struct mem_range){ 0xfffffffffff00000ull, 0xfffff, 0, MEM_CONVENTIONAL };
	CHECK_EQ(memmap_take_top(&em, 0x1000, 0x1000, UINT64_MAX, MEM_LOADER_DATA),
		 0xffffffffffffe000ull);
	/* a map at its capacity refuses to split */
	CHECK_EQ(memmap_set_type(&m, 0x300000, 0x1000, MEM_BS_DATA, &d), ERR_NO_MEMORY);
}
