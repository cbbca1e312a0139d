#include "pagetable.h"

#include "lib/range.h"

#define GIB (1ull << 30)
#define MIB2 (1ull << 21)

static uint64_t gigabytes(const struct idmap_shape *s)
{
	return align_up(s->top, GIB) / GIB;
}

static uint64_t pdpts(const struct idmap_shape *s)
{
	return (gigabytes(s) + 511) / 512;
}

size_t idmap_pages(const struct idmap_shape *s)
{
	return (s->five_level ? 2 : 1) + pdpts(s) +
	       (s->huge_1g ? 0 : gigabytes(s));
}

uint64_t idmap_build(uint64_t *tables, uint64_t tables_phys,
		     const struct idmap_shape *s)
{
	const uint64_t flags = PTE_PRESENT | PTE_WRITE;
	uint64_t gb = gigabytes(s), npdpt = pdpts(s);
	uint64_t cr3 = tables_phys;

	if (s->five_level) {
		/* PML5[0] -> the PML4 in the next page */
		tables[0] = (tables_phys + PAGE_SIZE) | flags;
		tables += 512;
		tables_phys += PAGE_SIZE;
	}

	uint64_t *pml4 = tables;
	uint64_t *pdpt = tables + 512;
	uint64_t *pd = pdpt + 512 * npdpt;
	uint64_t pdpt_phys = tables_phys + PAGE_SIZE;
	uint64_t pd_phys = pdpt_phys + npdpt * PAGE_SIZE;

	for (uint64_t i = 0; i < npdpt; i++)
		pml4[i] = (pdpt_phys + i * PAGE_SIZE) | flags;
	for (uint64_t g = 0; g < gb; g++) {
		if (s->huge_1g) {
			pdpt[g] = (g * GIB) | flags | PTE_LARGE;
			continue;
		}
		pdpt[g] = (pd_phys + g * PAGE_SIZE) | flags;
		for (uint64_t j = 0; j < 512; j++)
			pd[g * 512 + j] = (g * GIB + j * MIB2) | flags | PTE_LARGE;
	}
	return cr3;
}
