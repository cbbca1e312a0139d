#include "cpu/facts.h"

#include "lib/mem.h"

static struct cpuid_regs ask(const struct cpu_probe *p, uint32_t leaf,
			     uint32_t sub)
{
	return p->cpuid(p->ctx, leaf, sub);
}

static uint64_t msr(const struct cpu_probe *p, uint32_t index)
{
	return p->rdmsr(p->ctx, index);
}

/* CPUID spells its 12-byte signatures (the vendor in leaf 0, "IntelTDX    "
 * in leaf 0x21) in EBX, EDX, ECX. */
static bool spells(struct cpuid_regs r, const char *sig)
{
	uint32_t w[3] = { r.ebx, r.edx, r.ecx };

	return !memcmp(w, sig, sizeof(w));
}

static enum cpu_vendor vendor_of(struct cpuid_regs r)
{
	if (spells(r, "GenuineIntel"))
		return VENDOR_INTEL;
	if (spells(r, "AuthenticAMD"))
		return VENDOR_AMD;
	if (spells(r, "HygonGenuine"))
		return VENDOR_HYGON;
	return VENDOR_OTHER;
}

/* SDM Vol. 2A CPUID leaf 1: display family and model. */
static void signature(uint32_t eax, struct cpu_facts *f)
{
	uint32_t family = (eax >> 8) & 0xf, model = (eax >> 4) & 0xf;

	if (family == 0xf)
		family += (eax >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((eax >> 16) & 0xf) << 4;
	f->family = family;
	f->model = model;
	f->stepping = eax & 0xf;
}

static bool is_tdx_guest(const struct cpu_probe *p, uint32_t max_leaf)
{
	/* Intel TDX Guest-Hypervisor Communication Interface §2.4.1:
	 * CPUID 0x21 subleaf 0 returns "IntelTDX    " in EBX, EDX, ECX. */
	return max_leaf >= 0x21 && spells(ask(p, 0x21, 0), "IntelTDX    ");
}

bool cpu_has_sha_ni(const struct cpu_probe *p)
{
	return ask(p, 0, 0).eax >= 7 && (ask(p, 1, 0).ecx & (1u << 9)) &&
	       (ask(p, 7, 0).ebx & (1u << 29));
}

void cpu_read_facts(const struct cpu_probe *p, struct cpu_facts *f)
{
	struct cpuid_regs r0 = ask(p, 0, 0), r1;
	uint32_t max_leaf = r0.eax, max_ext;

	memset(f, 0, sizeof(*f));
	f->vendor = vendor_of(r0);
	if (max_leaf >= 1) {
		r1 = ask(p, 1, 0);
		signature(r1.eax, f);
		f->hypervisor = r1.ecx & (1u << 31);
		f->apic_id = r1.ebx >> 24;
	}
	if (max_leaf >= 0xb && ask(p, 0xb, 0).ebx) /* x2APIC ID */
		f->apic_id = ask(p, 0xb, 0).edx;
	if (max_leaf >= 7) {
		struct cpuid_regs r7 = ask(p, 7, 0);
		f->tme_supported = r7.ecx & (1u << 13);
		f->pconfig = r7.edx & (1u << 18);
	}
	/* Not behind the hypervisor bit, which the hypervisor sets or clears
	 * as it likes: Linux, too, looks at leaf 0x21 whenever the maximum
	 * basic leaf reaches it. */
	f->tdx_guest = is_tdx_guest(p, max_leaf);

	max_ext = ask(p, 0x80000000, 0).eax;
	if (max_ext >= 0x80000001)
		f->page_1g = ask(p, 0x80000001, 0).edx & (1u << 26);
	if ((f->vendor == VENDOR_AMD || f->vendor == VENDOR_HYGON) &&
	    max_ext >= 0x8000001f) {
		struct cpuid_regs r = ask(p, 0x8000001f, 0);
		f->sme_supported = r.eax & 1;
		f->sev_supported = r.eax & 2;
		f->c_bit = r.ebx & 0x3f;
	}

	if (f->sev_supported) {
		/* SEV_STATUS exists wherever CPUID says SEV does, on a host
		 * (which reads 0) as in every SEV mode of a guest (AMD APM
		 * Vol. 2 §15.34.10). Linux's sme_enable() reads it whatever
		 * the hypervisor bit says (commit eab696d8e8b9), once CPUID
		 * 0x8000001F says SME or SEV (commit 009767dbf42a: the read
		 * raised #GP on first-generation Hygon Dhyana); SEV alone, the
		 * narrower condition, is what every SEV guest has. */
		f->sev_status_read = true;
		f->sev_status = msr(p, MSR_AMD_SEV_STATUS);
	}

	if (cpu_guest(f))
		return;
	/* host-only MSRs, each only where CPUID says it exists */
	if (f->sme_supported) {
		f->syscfg_read = true;
		f->syscfg = msr(p, MSR_AMD_SYSCFG);
	}
	if (f->vendor == VENDOR_INTEL && f->tme_supported) {
		const uint64_t on = TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED;

		f->tme_activate_read = true;
		f->tme_activate = msr(p, MSR_IA32_TME_ACTIVATE);
		/* CPUID.(7,0):ECX[13] enumerates IA32_TME_CAPABILITY,
		 * _ACTIVATE, _EXCLUDE_MASK and _EXCLUDE_BASE (SDM Vol. 2A,
		 * CPUID leaf 07H), not 0x87, which Linux reads only with
		 * rdmsr_safe(). So read it only where TDX can be on: TDX
		 * private KeyIDs are carved from the KeyIDs TME_ACTIVATE
		 * activated (MK_TME_KEYID_BITS), and the TDX module programs
		 * their keys with PCONFIG; a TDX host has both, and TME
		 * locked and enabled. */
		if ((f->tme_activate & on) == on &&
		    TME_ACTIVATE_KEYID_BITS(f->tme_activate) && f->pconfig) {
			f->keyid_partitioning_read = true;
			f->keyid_partitioning =
				msr(p, MSR_IA32_MKTME_KEYID_PARTITIONING);
		}
	}
}

bool cpu_sme_active(const struct cpu_facts *f)
{
	return f->syscfg_read && (f->syscfg & SYSCFG_MEM_ENCRYPT_EN);
}

bool cpu_tdx_host(const struct cpu_facts *f)
{
	return f->keyid_partitioning_read && (f->keyid_partitioning >> 32);
}

bool cpu_sev_guest(const struct cpu_facts *f)
{
	return f->sev_status_read && (f->sev_status & SEV_STATUS_SEV);
}

bool cpu_sev_es_guest(const struct cpu_facts *f)
{
	return f->sev_status_read &&
	       (f->sev_status & (SEV_STATUS_SEV_ES | SEV_STATUS_SNP));
}

bool cpu_guest(const struct cpu_facts *f)
{
	return f->hypervisor || f->tdx_guest || cpu_sev_guest(f) ||
	       cpu_sev_es_guest(f);
}

bool cpu_port_io_traps(const struct cpu_facts *f)
{
	/* TDX: IN/OUT raise #VE and go to the host by TDG.VP.VMCALL
	 * <Instruction.IO> (Intel TDX GHCI); SEV-ES/SNP: IOIO is intercepted
	 * and raises #VC, answered through the GHCB (AMD APM Vol. 2 §15.35,
	 * GHCB specification). Either needs a handler that ExitBootServices
	 * took away. */
	return f->tdx_guest || cpu_sev_es_guest(f);
}
