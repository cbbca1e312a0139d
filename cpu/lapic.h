/* Sending interprocessor interrupts through the local APIC, in xAPIC
 * (MMIO) or x2APIC (MSR) mode, whichever the firmware left on. */
#ifndef CPU_LAPIC_H
#define CPU_LAPIC_H

#include <stdint.h>

/* ICR delivery modes (SDM Vol. 3A §11.6.1) */
#define ICR_INIT_ASSERT 0x0000c500u /* INIT, level-triggered, assert */
#define ICR_STARTUP 0x00000600u     /* | vector (page number) */

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);

#endif
