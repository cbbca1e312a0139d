#include "memmap.h"

#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

static void sort_by_base(struct mem_range *r, size_t n)
{
	/* Insertion sort: firmware maps are short and nearly sorted already. */
	for (size_t i = 1; i < n; i++) {
		struct mem_range key = r[i];
		size_t j = i;
		while (j > 0 && r[j - 1].base > key.base) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = key;
	}
}

int memmap_from_efi(struct memmap *out, const void *buf, size_t map_size,
		    size_t desc_size, struct diag *d)
{
	const unsigned char *p = buf;

	out->n = 0;
	if (desc_size < sizeof(struct efi_mem_desc))
		return diag_fail(d, ERR_IO,
				 "memory map descriptor size %zu is smaller than %zu",
				 desc_size, sizeof(struct efi_mem_desc));
	size_t count = map_size / desc_size;
	if (count > out->cap)
		return diag_fail(d, ERR_NO_MEMORY,
				 "memory map has %zu descriptors, room for %zu",
				 count, out->cap);
	for (size_t i = 0; i < count; i++) {
		struct efi_mem_desc desc;
		memcpy(&desc, p + i * desc_size, sizeof(desc));
		if (desc.pages > (UINT64_MAX >> 12) ||
		    !range_valid(desc.phys_start, desc.pages << 12))
			return diag_fail(d, ERR_IO,
					 "memory map descriptor %zu at 0x%lx has an impossible size of 0x%lx pages",
					 i, desc.phys_start, desc.pages);
		out->r[i] = (struct mem_range){
			.base = desc.phys_start,
			.size = desc.pages << 12,
			.attr = desc.attr,
			.type = desc.type,
		};
	}
	out->n = count;
	sort_by_base(out->r, out->n);
	for (size_t i = 1; i < out->n; i++) {
		const struct mem_range *a = &out->r[i - 1], *b = &out->r[i];
		if (ranges_overlap(a->base, a->size, b->base, b->size))
			return diag_fail(d, ERR_IO,
					 "memory map ranges overlap: 0x%lx+0x%lx and 0x%lx+0x%lx",
					 a->base, a->size, b->base, b->size);
	}
	return 0;
}

bool mem_free_after_ebs(const struct mem_range *r)
{
	/* specific-purpose memory, and anything the OS must map for runtime
	 * services whatever its type says */
	if (r->attr & (MEM_ATTR_SP | MEM_ATTR_RUNTIME))
		return false;
	switch (r->type) {
	case MEM_CONVENTIONAL:
	case MEM_LOADER_CODE:
	case MEM_LOADER_DATA:
	case MEM_BS_CODE:
	case MEM_BS_DATA:
		return true;
	default:
		return false;
	}
}

bool mem_free_now(const struct mem_range *r)
{
	return r->type == MEM_CONVENTIONAL && mem_free_after_ebs(r);
}

const char *mem_type_name(uint32_t type)
{
	static const char *const names[MEM_TYPE_COUNT] = {
		[MEM_RESERVED] = "reserved",
		[MEM_LOADER_CODE] = "loader code",
		[MEM_LOADER_DATA] = "loader data",
		[MEM_BS_CODE] = "boot-services code",
		[MEM_BS_DATA] = "boot-services data",
		[MEM_RT_CODE] = "runtime-services code",
		[MEM_RT_DATA] = "runtime-services data",
		[MEM_CONVENTIONAL] = "conventional",
		[MEM_UNUSABLE] = "unusable",
		[MEM_ACPI_RECLAIM] = "ACPI tables",
		[MEM_ACPI_NVS] = "ACPI NVS",
		[MEM_MMIO] = "MMIO",
		[MEM_MMIO_PORT] = "MMIO port space",
		[MEM_PAL_CODE] = "PAL code",
		[MEM_PERSISTENT] = "persistent",
		[MEM_UNACCEPTED] = "unaccepted",
	};

	if (type == MEM_ABSENT)
		return "absent (no memory)";
	if (type >= MEM_TYPE_COUNT)
		return "unknown type";
	return names[type];
}

bool memmap_find_blocker(const struct memmap *m, uint64_t base, uint64_t size,
			 bool (*pred)(const struct mem_range *),
			 struct mem_range *blocker)
{
	uint64_t pos = base, end = base + size;

	/* a range that wraps past 2^64 is in nothing's way only by its
	 * arithmetic: it is blocked, from base on */
	if (!range_valid(base, size)) {
		*blocker = (struct mem_range){ .base = base, .size = -base,
					       .type = MEM_ABSENT };
		return true;
	}
	for (size_t i = 0; i < m->n && pos < end; i++) {
		const struct mem_range *r = &m->r[i];
		uint64_t rend = r->base + r->size;

		if (rend <= pos)
			continue;
		if (r->base > pos) {
			/* a hole before this range */
			*blocker = (struct mem_range){
				.base = pos,
				.size = (r->base < end ? r->base : end) - pos,
				.type = MEM_ABSENT,
			};
			return true;
		}
		if (!pred(r)) {
			*blocker = *r;
			return true;
		}
		pos = rend;
	}
	if (pos < end) {
		*blocker = (struct mem_range){
			.base = pos, .size = end - pos, .type = MEM_ABSENT
		};
		return true;
	}
	return false;
}

uint64_t memmap_top_of_memory(const struct memmap *m)
{
	uint64_t top = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct mem_range *r = &m->r[i];
		if (r->type == MEM_MMIO || r->type == MEM_MMIO_PORT ||
		    r->type == MEM_RESERVED || r->type == MEM_UNUSABLE)
			continue;
		if (r->base + r->size > top)
			top = r->base + r->size;
	}
	return top;
}

int memmap_set_type(struct memmap *m, uint64_t base, uint64_t size,
		    uint32_t type, struct diag *d)
{
	uint64_t end = base + size;

	for (size_t i = 0; i < m->n; i++) {
		struct mem_range r = m->r[i];
		uint64_t rend = r.base + r.size;
		uint64_t lo = r.base > base ? r.base : base;
		uint64_t hi = rend < end ? rend : end;
		size_t parts, j = i;

		if (lo >= hi)
			continue;
		parts = (r.base < lo) + 1 + (hi < rend);
		if (m->n + parts - 1 > m->cap)
			return diag_fail(d, ERR_NO_MEMORY,
					 "the memory map outgrew its %zu entries",
					 m->cap);
		memmove(&m->r[i + parts], &m->r[i + 1],
			(m->n - i - 1) * sizeof(m->r[0]));
		if (r.base < lo)
			m->r[j++] = (struct mem_range){ r.base, lo - r.base, r.attr, r.type };
		m->r[j++] = (struct mem_range){ lo, hi - lo, r.attr, type };
		if (hi < rend)
			m->r[j++] = (struct mem_range){ hi, rend - hi, r.attr, r.type };
		m->n += parts - 1;
		i = j - 1;
	}
	return 0;
}

uint64_t memmap_take_top(struct memmap *m, uint64_t size, uint64_t min,
			 uint64_t max, uint32_t type)
{
	uint64_t bytes = align_up(size ? size : 1, PAGE_SIZE);
	struct diag ignored;

	for (size_t i = m->n; i-- > 0;) {
		const struct mem_range *r = &m->r[i];
		uint64_t lo = align_up(r->base > min ? r->base : min, PAGE_SIZE);
		uint64_t last = r->base + r->size - 1, base;

		/* (an empty range has no last byte) */
		if (!mem_free_now(r) || !r->size)
			continue;
		if (last > max)
			last = max;
		if (last < lo || last - lo < bytes - 1)
			continue;
		/* the highest pages that end at or below last */
		base = align_down(last - (bytes - 1), PAGE_SIZE);
		if (base < lo)
			continue;
		if (memmap_set_type(m, base, bytes, type, &ignored))
			return 0;
		return base;
	}
	return 0;
}
