#include "cpu/policy.h"

/* Intel family 6 models (SDM Vol. 4 §2.1). */
#define MODEL_SAPPHIRERAPIDS_X 0x8f
#define MODEL_EMERALDRAPIDS_X 0xcf

bool cpu_has_tdx_partial_write_erratum(const struct cpu_facts *f)
{
	return f->vendor == VENDOR_INTEL && f->family == 6 &&
	       (f->model == MODEL_SAPPHIRERAPIDS_X ||
		f->model == MODEL_EMERALDRAPIDS_X);
}

static uint32_t flags_of(const struct cpu_facts *f)
{
	uint32_t flags = 0;

	if (f->sme_supported || cpu_tdx_host(f))
		flags |= EFIKEXEC_CACHE_INCOHERENT;
	if (cpu_sme_active(f))
		flags |= EFIKEXEC_HOST_MEM_ENC_ACTIVE;
	if (cpu_tdx_host(f))
		flags |= EFIKEXEC_TDX_HOST;
	if (cpu_guest(f))
		flags |= EFIKEXEC_GUEST;
	if (cpu_sev_guest(f))
		flags |= EFIKEXEC_SEV_GUEST;
	if (f->tdx_guest)
		flags |= EFIKEXEC_TDX_GUEST;
	return flags;
}

/* Linux (arch/x86/kernel/smpboot.c) skips the 10 ms wait after INIT on
 * CPUs that do not need it: Intel family 6 and later, AMD family 0xF and
 * later, Hygon family 0x18 and later, and under a hypervisor. */
static bool modern_startup(const struct cpu_facts *f, bool guest)
{
	return guest ||
	       (f->vendor == VENDOR_INTEL && f->family >= 6) ||
	       (f->vendor == VENDOR_AMD && f->family >= 0xf) ||
	       (f->vendor == VENDOR_HYGON && f->family >= 0x18);
}

int cpu_handoff_policy(const struct cpu_facts *f, const struct handoff_opts *o,
		       struct handoff_policy *out, struct diag *d)
{
	/* TDX and SEV-ES/SNP guests take a #VE/#VC on WBINVD, which nothing
	 * can handle once the firmware's IDT is gone. */
	bool wbinvd_faults = f->tdx_guest || cpu_sev_es_guest(f);
	bool guest = cpu_guest(f);

	*out = (struct handoff_policy){ .flags = flags_of(f) };
	if (cpu_tdx_host(f) && cpu_has_tdx_partial_write_erratum(f) &&
	    !o->allow_tdx_erratum)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "TDX is enabled on a CPU (family 6 model 0x%x) with the TDX partial-write erratum: leftover TDX private memory could raise machine checks in the next kernel, so Linux refuses kexec here; --allow-tdx-erratum boots anyway",
				 f->model);

	switch (o->flush) {
	case FLUSH_AUTO:
		out->flush = !guest;
		break;
	case FLUSH_ALWAYS:
		if (wbinvd_faults)
			return diag_fail(d, ERR_UNSUPPORTED,
					 "--flush always in a %s guest: WBINVD raises %s there, which nothing can handle after ExitBootServices",
					 f->tdx_guest ? "TDX" : "SEV-ES/SEV-SNP",
					 f->tdx_guest ? "#VE" : "#VC");
		out->flush = true;
		if (guest)
			out->warning = "--flush always: executing WBINVD under a hypervisor";
		break;
	case FLUSH_NEVER:
		out->flush = false;
		if (out->flags & EFIKEXEC_CACHE_INCOHERENT)
			out->warning = "--flush never on a platform that can hold incoherent cache lines (SME/TDX): the next kernel may see corrupted memory";
		break;
	}
	if (out->flush)
		out->flags |= EFIKEXEC_CACHE_FLUSHED;

	/* APs of TDX and SEV-ES/SNP guests cannot be started with
	 * INIT-SIPI-SIPI: they wait in the firmware's ACPI MP wakeup mailbox
	 * or need the GHCB AP jump table, and stay where they are. */
	out->park = !wbinvd_faults;
	if (!out->park)
		out->why_not_parked = f->tdx_guest ?
			"TDX guest: the APs stay in the firmware's MP wakeup mailbox" :
			"SEV-ES/SNP guest: the APs stay where the firmware put them";
	out->init_delay_us = modern_startup(f, guest) ? 0 : 10000;
	out->sipi_delay_us = modern_startup(f, guest) ? 10 : 200;
	return 0;
}
