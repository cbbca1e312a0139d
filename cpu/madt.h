/* The processors listed in the ACPI MADT, for firmware without the PI MP
 * services protocol. Pure: reads tables through plain pointers (firmware
 * memory is identity mapped). */
#ifndef CPU_MADT_H
#define CPU_MADT_H

#include <stdint.h>

#include "cpu/cpus.h"
#include "lib/diag.h"

/* Lists the enabled local APIC and x2APIC entries of the MADT reached from
 * the RSDP, marking bsp_apic_id as the BSP; cpu_list_check() then says
 * whether one entry was. */
int madt_cpus(const void *rsdp, uint32_t bsp_apic_id, struct cpu_list *out,
	      struct diag *d);

#endif
