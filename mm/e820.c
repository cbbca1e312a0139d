#include "e820.h"

uint32_t e820_type_of(const struct mem_range *r)
{
	/* by EFI type; reserved, runtime code/data, MMIO, PAL code,
	 * unaccepted and types newer than this code keep the OS's hands off */
	static const uint32_t types[MEM_TYPE_COUNT] = {
		[MEM_LOADER_CODE] = E820_RAM,
		[MEM_LOADER_DATA] = E820_RAM,
		[MEM_BS_CODE] = E820_RAM,
		[MEM_BS_DATA] = E820_RAM,
		[MEM_CONVENTIONAL] = E820_RAM,
		[MEM_ACPI_RECLAIM] = E820_ACPI,
		[MEM_ACPI_NVS] = E820_NVS,
		[MEM_UNUSABLE] = E820_UNUSABLE,
		[MEM_PERSISTENT] = E820_PMEM,
	};
	uint32_t t = r->type < MEM_TYPE_COUNT ? types[r->type] : 0;

	if (!t)
		return E820_RESERVED;
	return t == E820_RAM && (r->attr & MEM_ATTR_SP) ? E820_SOFT_RESERVED : t;
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
