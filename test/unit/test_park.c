#include <stdlib.h>
#include <string.h>

#include "cpu/lapic.h"
#include "cpu/park.h"
#include "harness.h"

extern const unsigned char park_start[], park_halt[], park_ivt_base[],
	park_end[];

TEST(park_area_size_grows_with_cpus)
{
	CHECK_EQ(park_area_size(1), 4096);
	CHECK_EQ(park_area_size((4096 - PARK_DATA - 16) / 8), 4096);
	CHECK_EQ(park_area_size((4096 - PARK_DATA - 16) / 8 + 1), 8192);
	CHECK_EQ(park_area_size(CPU_MAX) % 4096, 0);
	/* real-mode offsets must stay inside the 64 KiB segment */
	CHECK(park_area_size(CPU_MAX) <= 65536);
}

TEST(park_prepare_lays_out_code_ivt_and_data)
{
	/* pretend the area sits at 0x9a000 (host addresses are not below
	 * 1 MiB, so only the offsets and the patched values are checked) */
	unsigned char *area = aligned_alloc(4096, 8192);
	size_t code = (size_t)(park_end - park_start);
	uint32_t base = (uint32_t)(uintptr_t)area;

	CHECK(code <= PARK_IVT);
	park_prepare(area, 600, 1);
	CHECK(!memcmp(area, park_start, park_ivt_base - park_start));
	uint32_t ivt_base;
	memcpy(&ivt_base, area + (park_ivt_base - park_start), 4);
	CHECK_EQ(ivt_base, base + PARK_IVT);
	for (int v = 0; v < PARK_IVT_VECTORS; v++) {
		uint16_t off, seg;
		memcpy(&off, area + PARK_IVT + v * 4, 2);
		memcpy(&seg, area + PARK_IVT + v * 4 + 2, 2);
		CHECK_EQ(off, park_halt - park_start);
		CHECK_EQ(seg, (uint16_t)(base >> 4));
	}
	struct park_data *d = park_data_of(area);
	CHECK_EQ((unsigned char *)d - area, PARK_DATA);
	CHECK_EQ(d->flush, 1);
	CHECK_EQ(d->count, 0);
	CHECK_EQ(d->capacity, 600);
	park_prepare(area, 2, 0);
	CHECK_EQ(d->flush, 0);
	free(area);
}

TEST(park_collect_matches_records_to_cpus)
{
	static struct cpu_list cpus;
	unsigned char *area = aligned_alloc(4096, 4096);
	struct park_data *d;

	park_prepare(area, 5, 1);
	d = park_data_of(area);
	cpus.n = 5;
	cpus.cpu[0] = (struct cpu_entry){ 0, CPU_BSP };
	cpus.cpu[1] = (struct cpu_entry){ 2, 0 };
	cpus.cpu[2] = (struct cpu_entry){ 4, 0 };
	cpus.cpu[3] = (struct cpu_entry){ 0x100, 0 };
	cpus.cpu[4] = (struct cpu_entry){ 6, CPU_PARKED }; /* stale mark */
	/* records in arrival order; APIC 4 answered without flushing, 6 never
	 * answered, and an unknown CPU (9) parked too */
	d->rec[0] = (struct park_record){ 0x100, PARK_STATE_PARKED | PARK_STATE_FLUSHED };
	d->rec[1] = (struct park_record){ 9, PARK_STATE_PARKED | PARK_STATE_FLUSHED };
	d->rec[2] = (struct park_record){ 2, PARK_STATE_PARKED | PARK_STATE_FLUSHED };
	d->rec[3] = (struct park_record){ 4, PARK_STATE_PARKED };
	d->count = 4;
	CHECK_EQ(park_collect(d, &cpus), 3);
	CHECK_EQ(cpus.cpu[0].state, CPU_BSP);
	CHECK_EQ(cpus.cpu[1].state, CPU_PARKED | CPU_FLUSHED);
	CHECK_EQ(cpus.cpu[2].state, CPU_PARKED);
	CHECK_EQ(cpus.cpu[3].state, CPU_PARKED | CPU_FLUSHED);
	CHECK_EQ(cpus.cpu[4].state, 0);
	/* an AP that counted itself past the capacity has no record */
	d->count = 9;
	d->capacity = 2;
	CHECK_EQ(park_collect(d, &cpus), 1);
	CHECK_EQ(cpus.cpu[3].state, CPU_PARKED | CPU_FLUSHED);
	CHECK_EQ(cpus.cpu[1].state, 0);
	free(area);
}

TEST(cpu_list_check_as_mp_services_reports)
{
	static struct cpu_list l;
	struct diag d;

	/* MP services flags the BSP itself */
	l.n = 3;
	l.cpu[0] = (struct cpu_entry){ 0, CPU_BSP };
	l.cpu[1] = (struct cpu_entry){ 2, 0 };
	l.cpu[2] = (struct cpu_entry){ 0x100, 0 };
	CHECK_EQ(cpu_list_check(&l, 0, "MP services", &d), 0);
	/* ... on a CPU other than the one CPUID says is running: this one
	 * would be an AP, and get INIT */
	CHECK_EQ(cpu_list_check(&l, 2, "MP services", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "MP services says the BSP is APIC ID 0x0; CPUID says 0x2");
	/* ... twice */
	l.cpu[1].state = CPU_BSP;
	CHECK_EQ(cpu_list_check(&l, 0, "MP services", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "BSP is APIC ID 0x2; CPUID says 0x0");
	/* ... not at all */
	l.cpu[0].state = l.cpu[1].state = 0;
	CHECK_EQ(cpu_list_check(&l, 0, "MP services", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no CPU with the BSP's APIC ID 0x0: parking could send it INIT");
	/* one APIC ID for two processors */
	l.cpu[0].state = CPU_BSP;
	l.cpu[2].apic_id = 2;
	CHECK_EQ(cpu_list_check(&l, 0, "MP services", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "MP services lists APIC ID 0x2 twice");
	/* the BSP alone, when nothing lists the CPUs */
	l.n = 1;
	CHECK_EQ(cpu_list_check(&l, 0, "none", &d), 0);
}

TEST(lapic_never_targets_itself_nor_an_alias)
{
	/* x2APIC mode: 32-bit IDs, all but our own */
	CHECK(lapic_may_target(2, 0, true));
	CHECK(lapic_may_target(0x1234, 0, true));
	CHECK(!lapic_may_target(0x1234, 0x1234, true));
	/* xAPIC mode: 8-bit IDs; 0x100 would be sent to APIC ID 0 */
	CHECK(lapic_may_target(0xff, 0, false));
	CHECK(!lapic_may_target(0x100, 0, false));
	CHECK(!lapic_may_target(0x102, 0, false));
	CHECK(!lapic_may_target(0, 0, false));
	/* the list's BSP mark came from CPUID; an entry marked as an AP
	 * with the ID the local APIC answers to is still this CPU */
	CHECK(!lapic_may_target(7, 7, false));
}
