#include "pagetable.h"

#include "lib/range.h"
#include "lib/sizes.h"

#define TWO_MIB (UINT64_C(1) << 21) /* a large page */
/* Gigabytes below this get 2 MiB pages even with 1 GiB pages available. */
#define SMALL_GIB 4

static uint64_t gigabytes(const struct idmap_shape *s)
{
	return align_up(s->top, ONE_GIB) / ONE_GIB;
}

static uint64_t pdpts(const struct idmap_shape *s)
{
	return (gigabytes(s) + 511) / 512;
}

/* gigabytes mapped through a page directory (2 MiB pages) */
static uint64_t pds(const struct idmap_shape *s)
{
	uint64_t gb = gigabytes(s);

	return s->huge_1g && gb > SMALL_GIB ? SMALL_GIB : gb;
}

size_t idmap_pages(const struct idmap_shape *s)
{
	/* (PML5) + PML4 + PDPTs + PDs + one page table for the first 2 MiB */
	return (s->five_level ? 2 : 1) + pdpts(s) + pds(s) + 1;
}

uint64_t idmap_build(uint64_t *tables, uint64_t phys,
		     const struct idmap_shape *s)
{
	const uint64_t flags = PTE_PRESENT | PTE_WRITE | s->enc_mask;
	uint64_t gb = gigabytes(s), npdpt = pdpts(s), npd = pds(s);
	uint64_t cr3 = phys;

	if (s->five_level) {
		/* PML5[0] -> the PML4 in the next page */
		tables[0] = (phys + PAGE_SIZE) | flags;
		tables += 512;
		phys += PAGE_SIZE;
	}

	uint64_t *pml4 = tables, *pdpt = pml4 + 512, *pd = pdpt + 512 * npdpt;
	uint64_t *pt = pd + 512 * npd;
	uint64_t pdpt_phys = phys + PAGE_SIZE;
	uint64_t pd_phys = pdpt_phys + npdpt * PAGE_SIZE;
	uint64_t pt_phys = pd_phys + npd * PAGE_SIZE;

	for (uint64_t i = 0; i < npdpt; i++)
		pml4[i] = (pdpt_phys + i * PAGE_SIZE) | flags;
	for (uint64_t g = 0; g < gb; g++) {
		if (g >= npd) {
			pdpt[g] = (g * ONE_GIB) | flags | PTE_LARGE;
			continue;
		}
		pdpt[g] = (pd_phys + g * PAGE_SIZE) | flags;
		for (uint64_t j = 0; j < 512; j++)
			pd[g * 512 + j] = (g * ONE_GIB + j * TWO_MIB) | flags | PTE_LARGE;
	}
	pd[0] = pt_phys | flags;
	for (uint64_t j = 0; j < 512; j++)
		pt[j] = (j * PAGE_SIZE) | flags;
	return cr3;
}
