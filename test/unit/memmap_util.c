#include "memmap_util.h"

#include <stdlib.h>
#include <string.h>

static int by_base(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

struct memmap test_map(struct mem_range *r, size_t n)
{
	qsort(r, n, sizeof(*r), by_base);
	return (struct memmap){ .r = r, .n = n, .cap = n };
}

struct memmap test_typical_map(uint64_t ram_mib)
{
	static struct mem_range r[8];
	uint64_t top = MiB(ram_mib);

	r[0] = (struct mem_range){ 0, 0xa0000, 0, MEM_CONVENTIONAL };
	r[1] = (struct mem_range){ 0x100000, MiB(15), 0, MEM_CONVENTIONAL };
	r[2] = (struct mem_range){ MiB(16), MiB(8), 0, MEM_BS_DATA };
	r[3] = (struct mem_range){ MiB(24), top - MiB(24) - MiB(4), 0, MEM_CONVENTIONAL };
	r[4] = (struct mem_range){ top - MiB(4), MiB(1), 0, MEM_ACPI_RECLAIM };
	r[5] = (struct mem_range){ top - MiB(3), MiB(2), MEM_ATTR_RUNTIME, MEM_RT_DATA };
	r[6] = (struct mem_range){ top - MiB(1), MiB(1), 0, MEM_RESERVED };
	r[7] = (struct mem_range){ 0xfec00000, 0x1000, MEM_ATTR_RUNTIME, MEM_MMIO };
	return test_map(r, 8);
}
