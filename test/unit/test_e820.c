#include "harness.h"
#include "memmap_util.h"
#include "mm/e820.h"

TEST(e820_types_follow_the_efi_stub_mapping)
{
	struct mem_range r = { 0, 4096, 0, 0 };
	static const struct {
		uint32_t efi, e820;
	} cases[] = {
		{ MEM_RESERVED, E820_RESERVED },   { MEM_LOADER_CODE, E820_RAM },
		{ MEM_LOADER_DATA, E820_RAM },     { MEM_BS_CODE, E820_RAM },
		{ MEM_BS_DATA, E820_RAM },         { MEM_RT_CODE, E820_RESERVED },
		{ MEM_RT_DATA, E820_RESERVED },    { MEM_CONVENTIONAL, E820_RAM },
		{ MEM_UNUSABLE, E820_UNUSABLE },   { MEM_ACPI_RECLAIM, E820_ACPI },
		{ MEM_ACPI_NVS, E820_NVS },        { MEM_MMIO, E820_RESERVED },
		{ MEM_MMIO_PORT, E820_RESERVED },  { MEM_PAL_CODE, E820_RESERVED },
		{ MEM_PERSISTENT, E820_PMEM },     { MEM_UNACCEPTED, E820_RESERVED },
		{ 0x70000000, E820_RESERVED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.type = cases[i].efi;
		CHECK_EQ(e820_type_of(&r), cases[i].e820);
	}
	r.type = MEM_CONVENTIONAL;
	r.attr = MEM_ATTR_SP;
	CHECK_EQ(e820_type_of(&r), E820_SOFT_RESERVED);
}

TEST(e820_merges_adjacent_ranges_of_one_type)
{
	struct memmap m = test_typical_map(512);
	struct e820_entry e[8];
	size_t n = e820_from_memmap(&m, e, sizeof(*e), 8);

	/* low RAM | hole | 1 MiB .. top-4 MiB (conventional + BS data merged)
	 * | ACPI | runtime + reserved merged | MMIO apart (not adjacent) */
	CHECK_EQ(n, 5);
	CHECK_EQ(e[0].addr, 0);
	CHECK_EQ(e[0].size, 0xa0000);
	CHECK_EQ(e[0].type, E820_RAM);
	CHECK_EQ(e[1].addr, 0x100000);
	CHECK_EQ(e[1].size, MiB(508) - 0x100000);
	CHECK_EQ(e[1].type, E820_RAM);
	CHECK_EQ(e[2].type, E820_ACPI);
	CHECK_EQ(e[3].addr, MiB(509));
	CHECK_EQ(e[3].size, MiB(3));
	CHECK_EQ(e[3].type, E820_RESERVED);
	CHECK_EQ(e[4].addr, 0xfec00000);
	CHECK_EQ(e[4].type, E820_RESERVED);
}

TEST(e820_counts_beyond_capacity)
{
	struct mem_range r[300];
	struct e820_entry e[4];

	for (size_t i = 0; i < 300; i++)
		r[i] = (struct mem_range){ i * 0x2000, 0x1000, 0,
					   i % 2 ? MEM_CONVENTIONAL : MEM_ACPI_NVS };
	struct memmap m = test_map(r, 300);
	CHECK_EQ(e820_from_memmap(&m, e, sizeof(*e), 4), 300);
	CHECK_EQ(e[3].addr, 3 * 0x2000);
	CHECK_EQ(e[3].type, E820_RAM);
}
