/* Waking the APs into the park area (hardware; after ExitBootServices). */
#include "cpu/park.h"

#include "cpu/lapic.h"
#include "cpu/x86.h"

static void delay_us(uint64_t us, uint64_t tsc_hz)
{
	uint64_t end = rdtsc() + us * tsc_hz / 1000000;

	while (rdtsc() < end)
		__asm__ volatile("pause");
}

struct park_times park_aps(void *area, struct cpu_list *cpus,
			   const struct park_timing *t)
{
	struct park_times times = { 0, 0 };
	volatile struct park_data *data = park_data_of(area);
	uint32_t vector = (uint32_t)(uintptr_t)area >> 12;
	uint32_t aps = 0;
	uint64_t start = rdtsc(), deadline;

	/* Belt and braces: the list was checked to hold the BSP once, but
	 * lapic_send_ipi() also refuses the ID the local APIC answers to as
	 * it sends, and IDs xAPIC mode cannot address; await a record only
	 * from the APs that got INIT. */
	for (uint32_t i = 0; i < cpus->n; i++)
		if (!(cpus->cpu[i].state & CPU_BSP))
			aps += lapic_send_ipi(cpus->cpu[i].apic_id,
					      ICR_INIT_ASSERT);
	if (!aps)
		return times;
	/* One wait serves every AP: the INITs all went out first. */
	delay_us(t->init_delay_us, t->tsc_hz);
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < cpus->n; i++)
			if (!(cpus->cpu[i].state & CPU_BSP))
				lapic_send_ipi(cpus->cpu[i].apic_id,
					       ICR_STARTUP | vector);
		delay_us(t->sipi_delay_us, t->tsc_hz);
	}
	times.ipis = rdtsc() - start;
	deadline = start + (uint64_t)t->timeout_us * t->tsc_hz / 1000000;
	while (data->count < aps && rdtsc() < deadline)
		__asm__ volatile("pause");
	/* A late AP may still be writing its record: give the stores of the
	 * ones that counted themselves a moment to land. */
	while (rdtsc() < deadline) {
		uint32_t n = data->count < data->capacity ? data->count : data->capacity;
		uint32_t written = 0;
		for (uint32_t i = 0; i < n; i++)
			written += data->rec[i].state != 0;
		if (written == n)
			break;
		__asm__ volatile("pause");
	}
	park_collect((const struct park_data *)data, cpus);
	times.total = rdtsc() - start;
	return times;
}
