#include "cpu/lapic.h"

#include "cpu/x86.h"

#define MSR_IA32_APIC_BASE 0x1bu
#define APIC_BASE_X2APIC (1ull << 10)
#define MSR_X2APIC_ID 0x802u
#define MSR_X2APIC_ICR 0x830u
#define XAPIC_ID 0x20
#define XAPIC_ICR_LOW 0x300
#define XAPIC_ICR_HIGH 0x310
#define ICR_DELIVERY_PENDING (1u << 12)
#define SPIN_LIMIT 1000000

static volatile uint32_t *xapic_reg(uint64_t base, unsigned off)
{
	return (volatile uint32_t *)(uintptr_t)(base + off);
}

bool lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	bool x2apic = base & APIC_BASE_X2APIC;
	uint32_t self;

	base &= 0x000ffffffffff000ull;
	/* Whom the list calls the BSP came from CPUID and the firmware;
	 * the local APIC says who is sending now. CPUID reports the initial
	 * APIC ID even where software rewrote the xAPIC ID register (SDM
	 * Vol. 3A §11.4.6, Figure 11-6: bits 31:24 at offset 20H in xAPIC
	 * mode, MSR 802H in x2APIC mode). */
	self = x2apic ? (uint32_t)rdmsr(MSR_X2APIC_ID) :
			*xapic_reg(base, XAPIC_ID) >> 24;
	if (!lapic_may_target(apic_id, self, x2apic))
		return false;
	if (x2apic) {
		/* SDM Vol. 3A §11.12.9: one 64-bit write, destination in
		 * bits 63:32; no delivery status to wait for. */
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | icr_low);
		return true;
	}
	for (int i = 0; i < SPIN_LIMIT &&
			(*xapic_reg(base, XAPIC_ICR_LOW) & ICR_DELIVERY_PENDING);
	     i++)
		__asm__ volatile("pause");
	*xapic_reg(base, XAPIC_ICR_HIGH) = apic_id << 24;
	*xapic_reg(base, XAPIC_ICR_LOW) = icr_low;
	return true;
}
