#include <string.h>

#include "cpu/madt.h"
#include "harness.h"

/* Synthetic ACPI tables: RSDP -> XSDT (or RSDT) -> [FACP, APIC]. */
static uint8_t rsdp[36], xsdt[36 + 16], rsdt[36 + 8], facp[36], madt[256];

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	memcpy(t + 4, &len, 4);
}

static size_t add(size_t off, const uint8_t *e, size_t n)
{
	memcpy(madt + off, e, n);
	return off + n;
}

static void build(int revision)
{
	uint64_t p;
	uint32_t p32;
	size_t off = 44;

	memset(madt, 0, sizeof(madt));
	/* Local APIC: processor 0 APIC 0 enabled; 1 APIC 2 enabled;
	 * 2 APIC 4 disabled (online-capable only) */
	off = add(off, (const uint8_t[]){ 0, 8, 0, 0, 1, 0, 0, 0 }, 8);
	off = add(off, (const uint8_t[]){ 0, 8, 1, 2, 1, 0, 0, 0 }, 8);
	off = add(off, (const uint8_t[]){ 0, 8, 2, 4, 2, 0, 0, 0 }, 8);
	/* an I/O APIC, skipped */
	off = add(off, (const uint8_t[]){ 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 }, 12);
	/* x2APIC 0x1234, enabled */
	off = add(off, (const uint8_t[]){ 9, 16, 0, 0, 0x34, 0x12, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0 }, 16);
	header(madt, "APIC", (uint32_t)off);
	header(facp, "FACP", 36);
	header(xsdt, "XSDT", sizeof(xsdt));
	p = (uint64_t)(uintptr_t)facp;
	memcpy(xsdt + 36, &p, 8);
	p = (uint64_t)(uintptr_t)madt;
	memcpy(xsdt + 44, &p, 8);
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = (uint8_t)revision;
	if (revision >= 2) {
		p = (uint64_t)(uintptr_t)xsdt;
		memcpy(rsdp + 24, &p, 8);
	} else {
		/* 32-bit pointers only work for tables below 4 GiB: test the
		 * RSDT walk only where the host put them there */
		header(rsdt, "RSDT", sizeof(rsdt));
		p32 = (uint32_t)(uintptr_t)facp;
		memcpy(rsdt + 36, &p32, 4);
		p32 = (uint32_t)(uintptr_t)madt;
		memcpy(rsdt + 40, &p32, 4);
		p32 = (uint32_t)(uintptr_t)rsdt;
		memcpy(rsdp + 16, &p32, 4);
	}
}

TEST(madt_lists_enabled_apic_and_x2apic_cpus)
{
	static struct cpu_list cpus;
	struct diag d;

	build(2);
	CHECK_EQ(madt_cpus(rsdp, 2, &cpus, &d), 0);
	CHECK_EQ(cpus.n, 3);
	CHECK_EQ(cpus.cpu[0].apic_id, 0);
	CHECK_EQ(cpus.cpu[0].state, 0);
	CHECK_EQ(cpus.cpu[1].apic_id, 2);
	CHECK_EQ(cpus.cpu[1].state, CPU_BSP);
	CHECK_EQ(cpus.cpu[2].apic_id, 0x1234);
}

TEST(madt_through_rsdt)
{
	static struct cpu_list cpus;
	struct diag d;

	if ((uintptr_t)madt >> 32 || (uintptr_t)rsdt >> 32)
		return; /* not reachable through 32-bit pointers here */
	build(0);
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), 0);
	CHECK_EQ(cpus.n, 3);
}

TEST(madt_errors)
{
	static struct cpu_list cpus;
	struct diag d;

	build(2);
	rsdp[0] = 'X';
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "RSDP has a bad signature");
	build(2);
	memcpy(madt, "NOPE", 4);
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no MADT");
	build(2);
	madt[44 + 1] = 0; /* an entry of length 0 would loop forever */
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "MADT entry at offset 44 has length 0");
	build(2);
	madt[44 + 4] = 0; /* every CPU disabled */
	madt[52 + 4] = 0;
	madt[80 + 8] = 0;
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "no enabled CPU");
}

TEST(madt_list_must_hold_the_bsp_once)
{
	static struct cpu_list cpus;
	struct diag d;

	build(2);
	/* the BSP found under its APIC ID or its x2APIC ID */
	CHECK_EQ(madt_cpus(rsdp, 2, &cpus, &d), 0);
	CHECK_EQ(cpu_list_check(&cpus, 2, "ACPI MADT", &d), 0);
	CHECK_EQ(madt_cpus(rsdp, 0x1234, &cpus, &d), 0);
	CHECK_EQ(cpus.cpu[2].state, CPU_BSP);
	CHECK_EQ(cpu_list_check(&cpus, 0x1234, "ACPI MADT", &d), 0);
	/* leaf 1's 8-bit ID of that x2APIC CPU matches no entry: parking
	 * would send INIT to every entry, the BSP's among them */
	CHECK_EQ(madt_cpus(rsdp, 0x34, &cpus, &d), 0);
	CHECK_EQ(cpu_list_check(&cpus, 0x34, "ACPI MADT", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "ACPI MADT lists no CPU with the BSP's APIC ID 0x34");
	/* a disabled entry is not the running BSP */
	CHECK_EQ(madt_cpus(rsdp, 4, &cpus, &d), 0);
	CHECK_EQ(cpu_list_check(&cpus, 4, "ACPI MADT", &d), ERR_UNSUPPORTED);
	/* one CPU in a local APIC and an x2APIC entry */
	madt[80 + 4] = 2;
	madt[80 + 5] = 0;
	CHECK_EQ(madt_cpus(rsdp, 0, &cpus, &d), 0);
	CHECK_EQ(cpu_list_check(&cpus, 0, "ACPI MADT", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "ACPI MADT lists APIC ID 0x2 twice");
	/* ... the BSP's among them */
	CHECK_EQ(madt_cpus(rsdp, 2, &cpus, &d), 0);
	CHECK_EQ(cpu_list_check(&cpus, 2, "ACPI MADT", &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "APIC ID 0x2 twice");
}
