/* From CPU facts and the user's wishes to what efikexec does about caches
 * and application processors, and the flags word that tells the kernel.
 * Pure: every rule here is covered by the snapshot tests. */
#ifndef CPU_POLICY_H
#define CPU_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/facts.h"
#include "lib/diag.h"

/* The efikexec flags word (docs/handoff.md). Bits 0 and 1 have the
 * meaning and position of Linux's RELOC_KERNEL_PRESERVE_CONTEXT and
 * RELOC_KERNEL_CACHE_INCOHERENT. */
#define EFIKEXEC_PRESERVE_CONTEXT (1u << 0)     /* reserved, always 0 */
#define EFIKEXEC_CACHE_INCOHERENT (1u << 1)     /* SME supported or TDX on */
#define EFIKEXEC_HOST_MEM_ENC_ACTIVE (1u << 2)  /* SME active */
#define EFIKEXEC_TDX_HOST (1u << 3)             /* TDX enabled by BIOS */
#define EFIKEXEC_CACHE_FLUSHED (1u << 4)        /* WBINVD on every running CPU */
#define EFIKEXEC_GUEST (1u << 5)                /* cpu_guest(): hypervisor bit, SEV or TDX */
#define EFIKEXEC_SEV_GUEST (1u << 6)
#define EFIKEXEC_TDX_GUEST (1u << 7)

enum flush_policy { FLUSH_AUTO, FLUSH_ALWAYS, FLUSH_NEVER };

struct handoff_opts {
	enum flush_policy flush;
	bool allow_tdx_erratum; /* boot even where Linux refuses kexec */
};

struct handoff_policy {
	uint32_t flags;  /* CACHE_FLUSHED is a promise until the APs report */
	bool flush;      /* WBINVD on every CPU */
	bool park;       /* move the APs into our park code */
	const char *why_not_parked; /* when !park */
	const char *warning;        /* something the user should read, or NULL */
	/* INIT-SIPI-SIPI waits, each once for all APs (SDM Vol. 3A §9.4.4) */
	uint32_t init_delay_us;
	uint32_t sipi_delay_us;
};

int cpu_handoff_policy(const struct cpu_facts *f, const struct handoff_opts *o,
		       struct handoff_policy *out, struct diag *d);

/* Sapphire Rapids and Emerald Rapids Xeons: a partial write to TDX private
 * memory poisons it, so Linux refuses kexec when TDX is enabled there
 * (X86_BUG_TDX_PW_MCE). */
bool cpu_has_tdx_partial_write_erratum(const struct cpu_facts *f);

#endif
