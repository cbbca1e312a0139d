/* Sending interprocessor interrupts through the local APIC, in xAPIC
 * (MMIO) or x2APIC (MSR) mode, whichever the firmware left on. */
#ifndef CPU_LAPIC_H
#define CPU_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* ICR delivery modes (SDM Vol. 3A §11.6.1) */
#define ICR_INIT_ASSERT 0x0000c500u /* INIT, level-triggered, assert */
#define ICR_STARTUP 0x00000600u     /* | vector (page number) */

/* Pure: whether an IPI may go to APIC ID dest from the CPU whose local
 * APIC answers to self: never to itself (an INIT would reset the CPU
 * running efikexec), and in xAPIC mode never to an ID over 0xff, which
 * the 8-bit destination field (SDM Vol. 3A §11.6.1) would turn into
 * another CPU's, maybe this one's. */
static inline bool lapic_may_target(uint32_t dest, uint32_t self, bool x2apic)
{
	return dest != self && (x2apic || dest <= 0xff);
}

/* Sends icr_low to apic_id if lapic_may_target() allows it, with the ID
 * the local APIC answers to as it sends; returns whether it sent. */
bool lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);

#endif
