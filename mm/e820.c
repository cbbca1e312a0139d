#include "e820.h"

uint32_t e820_type_of(const struct mem_range *r)
{
	switch (r->type) {
	case MEM_LOADER_CODE:
	case MEM_LOADER_DATA:
	case MEM_BS_CODE:
	case MEM_BS_DATA:
	case MEM_CONVENTIONAL:
		return (r->attr & MEM_ATTR_SP) ? E820_SOFT_RESERVED : E820_RAM;
	case MEM_ACPI_RECLAIM:
		return E820_ACPI;
	case MEM_ACPI_NVS:
		return E820_NVS;
	case MEM_UNUSABLE:
		return E820_UNUSABLE;
	case MEM_PERSISTENT:
		return E820_PMEM;
	default:
		/* reserved, runtime code/data, MMIO, PAL code, unaccepted and
		 * types newer than this code: keep the OS's hands off. */
		return E820_RESERVED;
	}
}

/* Calls emit for each e820 entry of the map; returns how many. */
static size_t e820_each(const struct memmap *m,
			void (*emit)(void *ctx, const struct e820_entry *e),
			void *ctx)
{
	size_t n = 0;
	struct e820_entry cur = { 0 };

	for (size_t i = 0; i < m->n; i++) {
		const struct mem_range *r = &m->r[i];
		uint32_t type = e820_type_of(r);

		if (n && cur.type == type && cur.addr + cur.size == r->base) {
			cur.size += r->size;
			continue;
		}
		if (n)
			emit(ctx, &cur);
		cur = (struct e820_entry){ r->base, r->size, type };
		n++;
	}
	if (n)
		emit(ctx, &cur);
	return n;
}

struct table {
	unsigned char *out;
	size_t stride, cap, n;
};

static void to_table(void *ctx, const struct e820_entry *e)
{
	struct table *t = ctx;

	if (t->n < t->cap)
		*(struct e820_entry *)(t->out + t->n * t->stride) = *e;
	t->n++;
}

size_t e820_from_memmap(const struct memmap *m, void *out, size_t stride,
			size_t cap)
{
	struct table t = { out, stride, cap, 0 };

	return e820_each(m, to_table, &t);
}
