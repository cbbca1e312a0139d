/* Listing the processors before ExitBootServices. */
#ifndef EFI_FW_CPUS_H
#define EFI_FW_CPUS_H

#include <stdint.h>

#include "cpu/cpus.h"
#include "lib/diag.h"

/* From the PI MP services protocol, else from the ACPI MADT (acpi_rsdp,
 * 0 if none), else the BSP alone. *source says which. */
int cpus_enumerate(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d);

#endif
