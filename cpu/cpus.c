/* Checking the processor list before anything is sent to it. */
#include "cpu/cpus.h"

#include "cpu/madt.h"

int cpu_list_check(const struct cpu_list *l, uint32_t bsp_apic_id,
		   const char *source, struct diag *d)
{
	bool bsp = false;

	for (uint32_t i = 0; i < l->n; i++) {
		const struct cpu_entry *c = &l->cpu[i];

		/* two entries for one CPU: INIT-SIPI-SIPI twice, and a
		 * record awaited that never comes; if it is the BSP's ID,
		 * the BSP is among them */
		for (uint32_t j = 0; j < i; j++)
			if (l->cpu[j].apic_id == c->apic_id)
				return diag_fail(d, ERR_UNSUPPORTED,
						 "%s lists APIC ID 0x%x twice",
						 source, c->apic_id);
		if (!(c->state & CPU_BSP))
			continue;
		/* MP services flags its own BSP: it must be this CPU, or
		 * this CPU would be an AP on the list */
		if (c->apic_id != bsp_apic_id)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "%s says the BSP is APIC ID 0x%x; CPUID says 0x%x",
					 source, c->apic_id, bsp_apic_id);
		bsp = true;
	}
	/* none: this CPU's ID is not on the list as the firmware wrote it
	 * (an 8-bit xAPIC ID against x2APIC entries, say), and nothing
	 * would keep parking from sending INIT to it */
	if (!bsp)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "%s lists no CPU with the BSP's APIC ID 0x%x: parking could send it INIT",
				 source, bsp_apic_id);
	return 0;
}

int cpus_from_acpi(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d)
{
	int rc;

	if (!acpi_rsdp) {
		*source = "none (no MP services, no ACPI): the BSP alone";
		out->n = 1;
		out->cpu[0] = (struct cpu_entry){ .apic_id = bsp_apic_id,
						  .state = CPU_BSP };
		return 0;
	}
	*source = "ACPI MADT";
	rc = madt_cpus((const void *)(uintptr_t)acpi_rsdp, bsp_apic_id, out, d);
	return rc ? rc : cpu_list_check(out, bsp_apic_id, *source, d);
}
