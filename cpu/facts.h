/* What the CPU says about itself, as plain data.
 *
 * cpu_read_facts() asks through a probe (the real CPUID and RDMSR
 * instructions in the UEFI image, recorded snapshots in the host tests), so
 * the rules about which MSRs may be read are tested too: an MSR is read only
 * where CPUID says it exists, and host-only MSRs only on bare metal (no
 * hypervisor bit, and no SEV or TDX guest either), because a #GP under the
 * firmware's handler is an outage, not an answer. */
#ifndef CPU_FACTS_H
#define CPU_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/x86.h"

struct cpu_probe {
	struct cpuid_regs (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf);
	uint64_t (*rdmsr)(void *ctx, uint32_t msr);
	void *ctx;
};

/* MSRs (AMD APM Vol. 2 §7.10, §15.34; Intel SDM Vol. 4 table 2-2). */
#define MSR_AMD_SYSCFG 0xc0010010u
#define SYSCFG_MEM_ENCRYPT_EN (1ull << 23)      /* SME active */
#define MSR_AMD_SEV_STATUS 0xc0010131u
#define SEV_STATUS_SEV (1ull << 0)
#define SEV_STATUS_SEV_ES (1ull << 1)
#define SEV_STATUS_SNP (1ull << 2)
#define MSR_IA32_TME_ACTIVATE 0x982u
#define TME_ACTIVATE_LOCKED (1ull << 0)
#define TME_ACTIVATE_ENABLED (1ull << 1)
/* [35:32] MK_TME_KEYID_BITS: KeyID bits activated for TME-MK and TDX */
#define TME_ACTIVATE_KEYID_BITS(v) (((v) >> 32) & 0xf)
#define MSR_IA32_MKTME_KEYID_PARTITIONING 0x87u /* [63:32] TDX private KeyIDs */

/* Hygon's parts are AMD Zen licensed to Hygon, with AMD's SME and SEV
 * (CPUID 0x8000001F, SYSCFG, SEV_STATUS), as Linux treats them. */
enum cpu_vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD, VENDOR_HYGON };

struct cpu_facts {
	enum cpu_vendor vendor;
	uint32_t family, model, stepping; /* display values (SDM Vol. 2A CPUID) */
	bool hypervisor;      /* CPUID.1:ECX[31]: the hypervisor's say-so */
	bool page_1g;         /* CPUID.80000001H:EDX[26] */
	uint32_t apic_id;     /* of the CPU that read the facts */

	/* AMD and Hygon, CPUID 0x8000001F EAX/EBX */
	bool sme_supported;   /* EAX[0] */
	bool sev_supported;   /* EAX[1] */
	uint8_t c_bit;        /* EBX[5:0] */
	bool syscfg_read;     /* AMD/Hygon host with SME: MSR_AMD_SYSCFG */
	uint64_t syscfg;
	bool sev_status_read; /* SEV in CPUID: MSR_AMD_SEV_STATUS */
	uint64_t sev_status;

	/* Intel */
	bool tdx_guest;       /* CPUID 0x21.0: "IntelTDX    " */
	bool tme_supported;   /* CPUID.(7,0):ECX[13] */
	bool pconfig;         /* CPUID.(7,0):EDX[18] */
	bool tme_activate_read; /* host with TME: MSR_IA32_TME_ACTIVATE */
	uint64_t tme_activate;
	bool keyid_partitioning_read; /* ... locked, enabled, KeyIDs, PCONFIG */
	uint64_t keyid_partitioning;
};

void cpu_read_facts(const struct cpu_probe *probe, struct cpu_facts *f);

/* The SHA extensions (CPUID.(7,0):EBX[29]) and SSSE3 (CPUID.1:ECX[9]),
 * which lib/sha256.c's SHA-NI code uses beside them. */
bool cpu_has_sha_ni(const struct cpu_probe *probe);

/* Derived facts. */
bool cpu_sme_active(const struct cpu_facts *f);
bool cpu_tdx_host(const struct cpu_facts *f);    /* TDX enabled by BIOS */
bool cpu_sev_guest(const struct cpu_facts *f);
bool cpu_sev_es_guest(const struct cpu_facts *f); /* SEV-ES or SEV-SNP */
/* A guest: the hypervisor bit, or a SEV or TDX guest whatever that bit
 * says; the bit is the hypervisor's to set or clear, and a confidential
 * guest does not take the hypervisor's word. Decides every "not on bare
 * metal" rule. */
bool cpu_guest(const struct cpu_facts *f);
/* IN/OUT trap after ExitBootServices (#VE in a TDX guest, #VC in a SEV-ES
 * or SEV-SNP guest) with no handler left: no serial output then. */
bool cpu_port_io_traps(const struct cpu_facts *f);

#endif
