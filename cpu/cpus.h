/* The processors the firmware reports, and what became of each. */
#ifndef CPU_CPUS_H
#define CPU_CPUS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/diag.h"

#define CPU_MAX 2048

/* cpu_entry.state */
#define CPU_BSP (1u << 0)     /* the CPU running efikexec */
#define CPU_PARKED (1u << 1)  /* answered INIT-SIPI-SIPI in our park code */
#define CPU_FLUSHED (1u << 2) /* executed WBINVD there */

struct cpu_entry {
	uint32_t apic_id;
	uint32_t state;
};

struct cpu_list {
	uint32_t n;
	struct cpu_entry cpu[CPU_MAX];
};

/* Pure; before ExitBootServices, whichever source gave the list. Parking
 * sends INIT to every entry but the BSP's, so the list must hold the BSP
 * exactly once, under the APIC ID it reads from CPUID (bsp_apic_id), and
 * no APIC ID twice; the kernel's handoff record repeats the list. `source`
 * names where the list came from, for the message. */
int cpu_list_check(const struct cpu_list *l, uint32_t bsp_apic_id,
		   const char *source, struct diag *d);

/* From the ACPI MADT reached from acpi_rsdp (0: none), else the BSP alone,
 * then checked by cpu_list_check(): for a machine without the PI MP
 * services protocol. *source says which. */
int cpus_from_acpi(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d);

#endif
