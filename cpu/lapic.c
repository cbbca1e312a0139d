#include "cpu/lapic.h"

#include "cpu/x86.h"

#define MSR_IA32_APIC_BASE 0x1bu
#define APIC_BASE_X2APIC (1ull << 10)
#define MSR_X2APIC_ICR 0x830u
#define XAPIC_ICR_LOW 0x300
#define XAPIC_ICR_HIGH 0x310
#define ICR_DELIVERY_PENDING (1u << 12)
#define SPIN_LIMIT 1000000

static volatile uint32_t *xapic_reg(uint64_t base, unsigned off)
{
	return (volatile uint32_t *)(uintptr_t)(base + off);
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if (base & APIC_BASE_X2APIC) {
		/* SDM Vol. 3A §11.12.9: one 64-bit write, destination in
		 * bits 63:32; no delivery status to wait for. */
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | icr_low);
		return;
	}
	base &= 0x000ffffffffff000ull;
	for (int i = 0; i < SPIN_LIMIT &&
			(*xapic_reg(base, XAPIC_ICR_LOW) & ICR_DELIVERY_PENDING);
	     i++)
		__asm__ volatile("pause");
	*xapic_reg(base, XAPIC_ICR_HIGH) = apic_id << 24;
	*xapic_reg(base, XAPIC_ICR_LOW) = icr_low;
}
