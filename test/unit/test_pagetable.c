#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "memmap_util.h"
#include "mm/pagetable.h"

/* How the walk below found an address. */
static int leaf_level;
static uint64_t leaf_enc;

/* Walks the tables like the MMU does; returns the physical address, or
 * UINT64_MAX when the address is not mapped or not writable. enc is the
 * shape's C-bit, which every entry must carry and which is not part of an
 * address. */
static uint64_t walk(uint64_t *tables, uint64_t phys, uint64_t cr3,
		     const struct idmap_shape *s, uint64_t va)
{
	uint64_t table = cr3;
	int levels = s->five_level ? 5 : 4;

	for (int level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);
		uint64_t *t = tables + (table - phys) / 8;
		uint64_t e = t[(va >> shift) & 511];
		if (!(e & PTE_PRESENT) || !(e & PTE_WRITE) ||
		    (e & s->enc_mask) != s->enc_mask)
			return UINT64_MAX;
		uint64_t addr = e & 0x000ffffffffff000ull & ~s->enc_mask;
		if (e & PTE_LARGE || level == 1) {
			if (level > 3)
				return UINT64_MAX;
			leaf_level = level;
			leaf_enc = e & s->enc_mask;
			return addr + (va & ((1ull << shift) - 1));
		}
		table = addr;
	}
	return UINT64_MAX;
}

static void check_identity(const struct idmap_shape *s, size_t want_pages)
{
	const uint64_t phys = 0x7000000;
	size_t pages = idmap_pages(s);
	uint64_t *t = aligned_alloc(4096, pages * 4096);
	static const uint64_t probes[] = { 0, 0x1234, MiB(2) - 1, MiB(16) + 5,
		GiB(1), GiB(3) + 0xfec00000 % GiB(1), GiB(4) - 1 };

	CHECK_EQ(pages, want_pages);
	memset(t, 0, pages * 4096);
	uint64_t cr3 = idmap_build(t, phys, s);
	CHECK_EQ(cr3, phys);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		CHECK_EQ(walk(t, phys, cr3, s, probes[i]), probes[i]);
	uint64_t end = (s->top + GiB(1) - 1) & ~(GiB(1) - 1);
	CHECK_EQ(walk(t, phys, cr3, s, end - 1), end - 1);
	CHECK_EQ(walk(t, phys, cr3, s, end), UINT64_MAX);
	/* page sizes: 4 KiB in the first 2 MiB, 2 MiB up to 4 GiB, 1 GiB
	 * above when asked for */
	walk(t, phys, cr3, s, 0xb8000);
	CHECK_EQ(leaf_level, 1);
	walk(t, phys, cr3, s, MiB(2));
	CHECK_EQ(leaf_level, 2);
	walk(t, phys, cr3, s, GiB(4) - 1);
	CHECK_EQ(leaf_level, 2);
	if (end > GiB(4)) {
		walk(t, phys, cr3, s, GiB(4));
		CHECK_EQ(leaf_level, s->huge_1g ? 3 : 2);
	}
	CHECK_EQ(leaf_enc, s->enc_mask);
	free(t);
}

/* page counts: (PML5) + PML4 + PDPTs + page directories + 1 page table */
TEST(idmap_2m_pages)
{
	struct idmap_shape s = { .top = GiB(4) };
	check_identity(&s, 1 + 1 + 4 + 1);
}

TEST(idmap_1g_pages_above_4g)
{
	struct idmap_shape s = { .top = GiB(8), .huge_1g = true };
	check_identity(&s, 1 + 1 + 4 + 1);
}

TEST(idmap_rounds_top_up_to_a_gigabyte)
{
	struct idmap_shape s = { .top = GiB(6) + 1 };
	check_identity(&s, 1 + 1 + 7 + 1);
	CHECK_EQ(s.top, GiB(6) + 1);
}

TEST(idmap_five_level_and_beyond_512g)
{
	struct idmap_shape s = { .top = GiB(600), .huge_1g = true, .five_level = true };
	check_identity(&s, 2 + 2 + 4 + 1);
	uint64_t *t = aligned_alloc(4096, 9 * 4096);
	memset(t, 0, 9 * 4096);
	uint64_t cr3 = idmap_build(t, 0x100000, &s);
	CHECK_EQ(walk(t, 0x100000, cr3, &s, GiB(599) + 77), GiB(599) + 77);
	free(t);
}

TEST(idmap_sev_c_bit_in_every_entry)
{
	struct idmap_shape s = { .top = GiB(6), .huge_1g = true,
				 .enc_mask = 1ull << 51 };
	check_identity(&s, 1 + 1 + 4 + 1);
}
