/* The park area's contents and records (pure; tested on the host). */
#include "cpu/park.h"

#include "lib/mem.h"
#include "lib/range.h"
#include "lib/sizes.h"

/* cpu/park_code.asm; hidden: the image reaches them RIP-relative, with no
 * GOT entry to relocate */
#define HIDDEN __attribute__((visibility("hidden")))
extern const unsigned char park_start[] HIDDEN, park_halt[] HIDDEN,
	park_ivt_base[] HIDDEN, park_end[] HIDDEN;

size_t park_area_size(uint32_t ncpus)
{
	return align_up(PARK_DATA + sizeof(struct park_data) +
				(size_t)ncpus * sizeof(struct park_record),
			PAGE_SIZE);
}

struct park_data *park_data_of(void *area)
{
	return (struct park_data *)((unsigned char *)area + PARK_DATA);
}

void park_prepare(void *area, uint32_t ncpus, int flush)
{
	unsigned char *a = area;
	uint32_t phys = (uint32_t)(uintptr_t)area;
	uint32_t base = phys + PARK_IVT;
	struct park_data *data = park_data_of(area);

	memset(a, 0, park_area_size(ncpus));
	memcpy(a, park_start, (size_t)(park_end - park_start));
	memcpy(a + (park_ivt_base - park_start), &base, sizeof(base));
	/* every vector: park_halt, in the area's real-mode segment */
	for (int v = 0; v < PARK_IVT_VECTORS; v++) {
		uint16_t vec[2] = { (uint16_t)(park_halt - park_start),
				    (uint16_t)(phys >> 4) };
		memcpy(a + PARK_IVT + v * 4, vec, sizeof(vec));
	}
	data->flush = flush ? 1 : 0;
	data->capacity = ncpus;
}

uint32_t park_collect(const struct park_data *data, struct cpu_list *cpus)
{
	uint32_t n = data->count < data->capacity ? data->count : data->capacity;
	uint32_t parked = 0;

	for (uint32_t i = 0; i < cpus->n; i++) {
		struct cpu_entry *c = &cpus->cpu[i];
		if (c->state & CPU_BSP)
			continue;
		c->state &= ~(CPU_PARKED | CPU_FLUSHED);
		for (uint32_t r = 0; r < n; r++) {
			if (data->rec[r].apic_id != c->apic_id ||
			    !(data->rec[r].state & PARK_STATE_PARKED))
				continue;
			c->state |= CPU_PARKED;
			if (data->rec[r].state & PARK_STATE_FLUSHED)
				c->state |= CPU_FLUSHED;
			parked++;
			break;
		}
	}
	return parked;
}
