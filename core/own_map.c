#include "core/own_map.h"

#include "lib/sizes.h"

uint32_t own_map_type(enum page_use use)
{
	static const uint32_t types[] = {
		[PAGES_DATA] = MEM_LOADER_DATA,
		[PAGES_FILE] = MEM_LOADER_DATA,
		[PAGES_CODE] = MEM_LOADER_CODE,
		[PAGES_RESERVED] = MEM_RESERVED,
		[PAGES_ACPI_RECLAIM] = MEM_ACPI_RECLAIM,
	};

	return types[use];
}

int own_map_init(struct fw_map *m, size_t entries, struct diag *d)
{
	*m = (struct fw_map){ .raw_cap = entries * sizeof(struct efi_mem_desc),
			      .desc_size = sizeof(struct efi_mem_desc),
			      .desc_version = 1 };
	m->raw = pages_alloc(m->raw_cap, UINT64_MAX, PAGES_DATA);
	m->map.r = pages_alloc(entries * sizeof(struct mem_range), UINT64_MAX,
			       PAGES_DATA);
	m->map.cap = entries;
	if (!m->raw || !m->map.r)
		return diag_fail(d, ERR_NO_MEMORY,
				 "no memory for a memory map of %zu entries",
				 entries);
	return 0;
}

int own_map_read(struct fw_map *m, const struct memmap *map, struct diag *d)
{
	struct efi_mem_desc *raw = m->raw;

	if (map->n > m->map.cap)
		return diag_fail(d, ERR_NO_MEMORY,
				 "the memory map has %zu entries, room for %zu",
				 map->n, m->map.cap);
	for (size_t i = 0; i < map->n; i++)
		raw[i] = (struct efi_mem_desc){ .type = map->r[i].type,
						.phys_start = map->r[i].base,
						.pages = map->r[i].size / PAGE_SIZE,
						.attr = map->r[i].attr };
	m->raw_size = map->n * sizeof(*raw);
	return memmap_from_efi(&m->map, raw, m->raw_size, m->desc_size, d);
}
