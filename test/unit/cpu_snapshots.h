/* Recorded CPUID leaves and MSR values of the machines the flags policy
 * must handle, replayed through a cpu_probe. The values follow the
 * documented CPUID signatures of each part (SDM Vol. 2A, AMD APM Vol. 3,
 * the TDX GHCI spec); an MSR missing from a snapshot does not exist there,
 * so reading it fails the test as it would #GP on the machine. */
#ifndef TEST_CPU_SNAPSHOTS_H
#define TEST_CPU_SNAPSHOTS_H

#include <stddef.h>

#include "cpu/facts.h"

struct leaf {
	uint32_t leaf, sub;
	struct cpuid_regs r;
};

struct msr_value {
	uint32_t msr;
	uint64_t value;
};

struct snapshot {
	const char *name;
	const struct leaf *leaves;
	size_t nleaves;
	const struct msr_value *msrs;
	size_t nmsrs;
};

/* The replaying probe; records every MSR read. */
struct replay {
	const struct snapshot *snap;
	uint32_t read[8];
	size_t nread;
	bool bad_read; /* an MSR the machine does not have */
};

struct cpu_probe replay_probe(struct replay *r, const struct snapshot *s);

extern const struct snapshot snap_amd_sme_inactive, snap_amd_sme_active,
	snap_amd_sev_guest, snap_amd_sev_es_guest, snap_amd_sev_snp_guest,
	snap_intel_tdx_host, snap_intel_tdx_guest, snap_kvm_guest,
	snap_intel_bare, snap_intel_tme_off, snap_amd_bare, snap_spr_tdx_host,
	snap_emr_tdx_host, snap_spr_no_tdx, snap_amd_sev_guest_no_hv,
	snap_amd_sev_snp_guest_no_hv, snap_amd_sev_es_guest_no_hv_sme,
	snap_intel_tdx_guest_no_hv, snap_hygon_sme_active, snap_intel_tme_only,
	snap_intel_tme_mk_no_pconfig;

#endif
