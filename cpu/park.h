/* Moving the application processors out of the firmware, into our park
 * code below 1 MiB, with INIT-SIPI-SIPI. */
#ifndef CPU_PARK_H
#define CPU_PARK_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpus.h"
#include "cpu/park_layout.h"

/* Bytes the park area needs for n CPUs (a multiple of 4 KiB). */
size_t park_area_size(uint32_t ncpus);

/* Copies the park code into `area` (its physical address, 4 KiB aligned
 * and below 1 MiB) and sets up its IVT and data. Before
 * ExitBootServices. */
void park_prepare(void *area, uint32_t ncpus, int flush);

struct park_timing {
	uint64_t tsc_hz;
	uint32_t init_delay_us;
	uint32_t sipi_delay_us;
	uint32_t timeout_us; /* for all records together */
};

/* The area's data block (its records). */
struct park_data *park_data_of(void *area);

/* TSC ticks from the first INIT */
struct park_times {
	uint64_t ipis;  /* until the last SIPI (and its wait) was sent */
	uint64_t total; /* until every AP had a record, or the timeout */
};

/* Sends INIT to every AP, waits once, sends two rounds of SIPIs, and waits
 * (bounded) until every AP that got INIT has a record. Marks the list from
 * the records. Never sends to the CPU the local APIC says is running
 * (lapic_may_target()). After ExitBootServices; never fails, never hangs. */
struct park_times park_aps(void *area, struct cpu_list *cpus,
			   const struct park_timing *t);

/* Pure: marks CPU_PARKED / CPU_FLUSHED on the list's APs from the area's
 * records; returns how many APs parked. */
uint32_t park_collect(const struct park_data *data, struct cpu_list *cpus);

#endif
