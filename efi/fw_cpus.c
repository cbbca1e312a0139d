#include "core/machine.h"

#include "cpu/probe_hw.h"
#include "efi/efi.h"
#include "efi/mp.h"

static EFI_GUID mp_guid = EFI_MP_SERVICES_PROTOCOL_GUID;

static int from_mp_services(EFI_MP_SERVICES_PROTOCOL *mp, struct cpu_list *out,
			    struct diag *d)
{
	UINTN total, enabled;
	EFI_STATUS s = mp->GetNumberOfProcessors(mp, &total, &enabled);

	if (EFI_ERROR(s))
		return diag_fail(d, ERR_IO, "MP services cannot count the CPUs: %s",
				 efi_status_text(s));
	out->n = 0;
	for (UINTN i = 0; i < total; i++) {
		EFI_PROCESSOR_INFORMATION info;

		s = mp->GetProcessorInfo(mp, i, &info);
		if (EFI_ERROR(s))
			return diag_fail(d, ERR_IO, "MP services: no information on CPU %lu: %s",
					 i, efi_status_text(s));
		/* a disabled CPU is not running firmware code: leave it */
		if (!(info.StatusFlag & PROCESSOR_ENABLED_BIT))
			continue;
		if (out->n == CPU_MAX)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "%lu CPUs: efikexec parks at most %d",
					 total, CPU_MAX);
		out->cpu[out->n++] = (struct cpu_entry){
			.apic_id = (uint32_t)info.ProcessorId,
			.state = (info.StatusFlag & PROCESSOR_AS_BSP_BIT) ? CPU_BSP : 0,
		};
	}
	return 0;
}

void machine_cpu_facts(struct cpu_facts *f)
{
	cpu_read_hw_facts(f);
}

int cpus_enumerate(uint64_t acpi_rsdp, uint32_t bsp_apic_id,
		   struct cpu_list *out, const char **source, struct diag *d)
{
	EFI_MP_SERVICES_PROTOCOL *mp;
	int rc;

	if (!(mp = efi_protocol(NULL, &mp_guid)))
		return cpus_from_acpi(acpi_rsdp, bsp_apic_id, out, source, d);
	*source = "MP services";
	rc = from_mp_services(mp, out, d);
	/* After ExitBootServices every entry but the BSP's gets INIT: find
	 * out now, while there is a console to say so, if the BSP is not
	 * on the list as itself. */
	return rc ? rc : cpu_list_check(out, bsp_apic_id, *source, d);
}
