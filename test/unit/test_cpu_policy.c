#include <stdio.h>
#include <string.h>

#include "cpu/policy.h"
#include "cpu_snapshots.h"
#include "harness.h"

#define F_INCOHERENT EFIKEXEC_CACHE_INCOHERENT
#define F_SME EFIKEXEC_HOST_MEM_ENC_ACTIVE
#define F_TDXH EFIKEXEC_TDX_HOST
#define F_FLUSHED EFIKEXEC_CACHE_FLUSHED
#define F_GUEST EFIKEXEC_GUEST
#define F_SEV EFIKEXEC_SEV_GUEST
#define F_TDXG EFIKEXEC_TDX_GUEST

struct expect {
	const struct snapshot *snap;
	uint32_t flags;  /* with --flush auto */
	bool flush, park;
	uint32_t msrs[3]; /* the MSRs read, in order, 0-terminated */
};

static const struct expect table[] = {
	{ &snap_amd_sme_inactive, F_INCOHERENT | F_FLUSHED, true, true,
	  { MSR_AMD_SEV_STATUS, MSR_AMD_SYSCFG } },
	{ &snap_amd_sme_active, F_INCOHERENT | F_SME | F_FLUSHED, true, true,
	  { MSR_AMD_SEV_STATUS, MSR_AMD_SYSCFG } },
	{ &snap_amd_sev_guest, F_GUEST | F_SEV, false, true,
	  { MSR_AMD_SEV_STATUS } },
	{ &snap_amd_sev_es_guest, F_GUEST | F_SEV, false, false,
	  { MSR_AMD_SEV_STATUS } },
	{ &snap_amd_sev_snp_guest, F_GUEST | F_SEV, false, false,
	  { MSR_AMD_SEV_STATUS } },
	/* a confidential guest is a guest whatever the hypervisor bit says:
	 * no WBINVD, no host-only MSRs, no INIT-SIPI where it was refused */
	{ &snap_amd_sev_guest_no_hv, F_GUEST | F_SEV, false, true,
	  { MSR_AMD_SEV_STATUS } },
	{ &snap_amd_sev_snp_guest_no_hv, F_GUEST | F_SEV, false, false,
	  { MSR_AMD_SEV_STATUS } },
	{ &snap_amd_sev_es_guest_no_hv_sme, F_INCOHERENT | F_GUEST | F_SEV,
	  false, false, { MSR_AMD_SEV_STATUS } },
	{ &snap_intel_tdx_guest_no_hv, F_GUEST | F_TDXG, false, false, { 0 } },
	{ &snap_intel_tdx_host, F_INCOHERENT | F_TDXH | F_FLUSHED, true, true,
	  { MSR_IA32_TME_ACTIVATE, MSR_IA32_MKTME_KEYID_PARTITIONING } },
	{ &snap_intel_tdx_guest, F_GUEST | F_TDXG, false, false, { 0 } },
	{ &snap_kvm_guest, F_GUEST, false, true, { 0 } },
	{ &snap_intel_bare, F_FLUSHED, true, true, { 0 } },
	{ &snap_intel_tme_off, F_FLUSHED, true, true, { MSR_IA32_TME_ACTIVATE } },
	/* 0x87 only where TDX can be on: KeyIDs activated and PCONFIG */
	{ &snap_intel_tme_only, F_FLUSHED, true, true, { MSR_IA32_TME_ACTIVATE } },
	{ &snap_intel_tme_mk_no_pconfig, F_FLUSHED, true, true,
	  { MSR_IA32_TME_ACTIVATE } },
	{ &snap_amd_bare, F_FLUSHED, true, true, { 0 } },
	{ &snap_hygon_sme_active, F_INCOHERENT | F_SME | F_FLUSHED, true, true,
	  { MSR_AMD_SEV_STATUS, MSR_AMD_SYSCFG } },
	{ &snap_spr_no_tdx, F_FLUSHED, true, true, { MSR_IA32_TME_ACTIVATE } },
};

static void facts_of(const struct snapshot *s, struct cpu_facts *f,
		     struct replay *r)
{
	struct cpu_probe p = replay_probe(r, s);

	cpu_read_facts(&p, f);
}

TEST(cpu_snapshots_flags_and_msr_reads)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct expect *e = &table[i];
		struct cpu_facts f;
		struct replay r;
		struct handoff_opts o = { .flush = FLUSH_AUTO };
		struct handoff_policy pol;
		struct diag d;
		size_t want = 0;

		bool ok = true;

		facts_of(e->snap, &f, &r);
		ok &= CHECK(!r.bad_read);
		while (want < 3 && e->msrs[want])
			want++;
		ok &= CHECK_EQ(r.nread, want);
		for (size_t k = 0; k < want && k < r.nread; k++)
			ok &= CHECK_EQ(r.read[k], e->msrs[k]);
		ok &= CHECK_EQ(cpu_handoff_policy(&f, &o, &pol, &d), 0);
		ok &= CHECK_EQ(pol.flags, e->flags);
		ok &= CHECK_EQ(pol.flush, e->flush);
		ok &= CHECK_EQ(pol.park, e->park);
		ok &= CHECK(pol.park || pol.why_not_parked);
		ok &= CHECK(!(pol.flags & EFIKEXEC_PRESERVE_CONTEXT));
		if (!ok)
			printf("  ^ in snapshot \"%s\"\n", e->snap->name);
	}
}

TEST(cpu_facts_decode_signatures)
{
	struct cpu_facts f;
	struct replay r;

	facts_of(&snap_amd_sme_inactive, &f, &r);
	CHECK_EQ(f.vendor, VENDOR_AMD);
	CHECK_EQ(f.family, 0x19);
	CHECK_EQ(f.model, 0x01);
	CHECK_EQ(f.c_bit, 51);
	CHECK_EQ(f.apic_id, 0x02); /* x2APIC ID from leaf 0xB */
	CHECK(f.page_1g);
	facts_of(&snap_kvm_guest, &f, &r);
	CHECK(!f.page_1g);
	CHECK(f.hypervisor);
	facts_of(&snap_spr_tdx_host, &f, &r);
	CHECK_EQ(f.vendor, VENDOR_INTEL);
	CHECK_EQ(f.family, 6);
	CHECK_EQ(f.model, 0x8f);
	CHECK_EQ(f.stepping, 8);
	CHECK(f.page_1g);
	CHECK_EQ(f.apic_id, 0); /* no leaf 0xB: CPUID.1:EBX[31:24] */
	facts_of(&snap_emr_tdx_host, &f, &r);
	CHECK_EQ(f.model, 0xcf);
	facts_of(&snap_intel_tdx_host, &f, &r);
	CHECK_EQ(f.model, 0xad);
	CHECK(f.tme_supported);
	CHECK(f.pconfig);
	CHECK_EQ(TME_ACTIVATE_KEYID_BITS(f.tme_activate), 6);
	CHECK_EQ(f.apic_id, 0x40);
	facts_of(&snap_amd_bare, &f, &r);
	CHECK_EQ(f.family, 0x15);
	CHECK_EQ(f.model, 0x01);
	facts_of(&snap_hygon_sme_active, &f, &r);
	CHECK_EQ(f.vendor, VENDOR_HYGON);
	CHECK_EQ(f.family, 0x18);
	CHECK_EQ(f.model, 0x02);
	CHECK_EQ(f.c_bit, 47);
}

TEST(cpu_tdx_erratum_refused_unless_allowed)
{
	const struct snapshot *snaps[] = { &snap_spr_tdx_host, &snap_emr_tdx_host };

	for (size_t i = 0; i < 2; i++) {
		struct cpu_facts f;
		struct replay r;
		struct handoff_opts o = { .flush = FLUSH_AUTO };
		struct handoff_policy pol;
		struct diag d;

		facts_of(snaps[i], &f, &r);
		CHECK(cpu_has_tdx_partial_write_erratum(&f));
		CHECK_EQ(cpu_handoff_policy(&f, &o, &pol, &d), ERR_UNSUPPORTED);
		CHECK_CONTAINS(d.msg, "TDX partial-write erratum");
		CHECK_CONTAINS(d.msg, "--allow-tdx-erratum");
		o.allow_tdx_erratum = true;
		CHECK_EQ(cpu_handoff_policy(&f, &o, &pol, &d), 0);
		CHECK_EQ(pol.flags, F_INCOHERENT | F_TDXH | F_FLUSHED);
		CHECK(pol.flush);
	}
}

TEST(cpu_flush_policies)
{
	struct cpu_facts f;
	struct replay r;
	struct handoff_policy pol;
	struct diag d;
	struct handoff_opts never = { .flush = FLUSH_NEVER };
	struct handoff_opts always = { .flush = FLUSH_ALWAYS };

	/* never on bare metal: no flush, a warning where lines can be
	 * incoherent, none where they cannot */
	facts_of(&snap_amd_sme_active, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &never, &pol, &d), 0);
	CHECK(!pol.flush);
	CHECK_EQ(pol.flags, F_INCOHERENT | F_SME);
	CHECK(pol.warning && strstr(pol.warning, "--flush never"));
	facts_of(&snap_intel_bare, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &never, &pol, &d), 0);
	CHECK_EQ(pol.flags, 0);
	CHECK(!pol.warning);

	/* always under a plain hypervisor: flush, and say so */
	facts_of(&snap_kvm_guest, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), 0);
	CHECK(pol.flush);
	CHECK_EQ(pol.flags, F_GUEST | F_FLUSHED);
	CHECK(pol.warning && strstr(pol.warning, "under a hypervisor"));
	/* ... and in a plain SEV guest (WBINVD exits to the hypervisor) */
	facts_of(&snap_amd_sev_guest, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), 0);
	CHECK(pol.flush);
	/* but never where WBINVD raises #VE / #VC, hypervisor bit or not */
	facts_of(&snap_intel_tdx_guest, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "TDX guest: WBINVD raises #VE");
	facts_of(&snap_intel_tdx_guest_no_hv, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "TDX guest: WBINVD raises #VE");
	facts_of(&snap_amd_sev_snp_guest, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "SEV-ES/SEV-SNP guest: WBINVD raises #VC");
	facts_of(&snap_amd_sev_snp_guest_no_hv, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), ERR_UNSUPPORTED);
	CHECK_CONTAINS(d.msg, "SEV-ES/SEV-SNP guest: WBINVD raises #VC");
	/* ... and a plain SEV guest without the bit is warned as a guest */
	facts_of(&snap_amd_sev_guest_no_hv, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), 0);
	CHECK(pol.warning && strstr(pol.warning, "under a hypervisor"));
	/* always on bare metal: the same as auto, without a warning */
	facts_of(&snap_intel_tdx_host, &f, &r);
	CHECK_EQ(cpu_handoff_policy(&f, &always, &pol, &d), 0);
	CHECK(pol.flush);
	CHECK(!pol.warning);
}

TEST(cpu_startup_waits_follow_linux)
{
	struct cpu_facts f;
	struct replay r;
	struct handoff_policy pol;
	struct handoff_opts o = { .flush = FLUSH_AUTO };
	struct diag d;

	facts_of(&snap_intel_bare, &f, &r);
	cpu_handoff_policy(&f, &o, &pol, &d);
	CHECK_EQ(pol.init_delay_us, 0);
	CHECK_EQ(pol.sipi_delay_us, 10);
	f.family = 5; /* a Pentium still wants the classic waits */
	cpu_handoff_policy(&f, &o, &pol, &d);
	CHECK_EQ(pol.init_delay_us, 10000);
	CHECK_EQ(pol.sipi_delay_us, 200);
	f.hypervisor = true;
	cpu_handoff_policy(&f, &o, &pol, &d);
	CHECK_EQ(pol.init_delay_us, 0);
	/* Hygon from family 0x18, as Linux's smp_set_init_udelay() */
	facts_of(&snap_hygon_sme_active, &f, &r);
	cpu_handoff_policy(&f, &o, &pol, &d);
	CHECK_EQ(pol.init_delay_us, 0);
	CHECK_EQ(pol.sipi_delay_us, 10);
}

TEST(cpu_port_io_traps_in_tdx_and_sev_es_guests)
{
	static const struct {
		const struct snapshot *snap;
		bool guest, traps;
	} t[] = {
		{ &snap_intel_tdx_guest, true, true },
		{ &snap_intel_tdx_guest_no_hv, true, true },
		{ &snap_amd_sev_es_guest, true, true },
		{ &snap_amd_sev_snp_guest, true, true },
		{ &snap_amd_sev_snp_guest_no_hv, true, true },
		{ &snap_amd_sev_es_guest_no_hv_sme, true, true },
		/* plain SEV: IN/OUT exit to the hypervisor as in any guest */
		{ &snap_amd_sev_guest, true, false },
		{ &snap_amd_sev_guest_no_hv, true, false },
		{ &snap_kvm_guest, true, false },
		{ &snap_amd_sme_active, false, false },
		{ &snap_intel_tdx_host, false, false },
		{ &snap_intel_bare, false, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cpu_facts f;
		struct replay r;
		bool ok = true;

		facts_of(t[i].snap, &f, &r);
		ok &= CHECK_EQ(cpu_guest(&f), t[i].guest);
		ok &= CHECK_EQ(cpu_port_io_traps(&f), t[i].traps);
		if (!ok)
			printf("  ^ in snapshot \"%s\"\n", t[i].snap->name);
	}
}

/* The SHA extensions with SSSE3 (lib/sha256.c's SHA-NI path): Zen and
 * Alder Lake and Sapphire Rapids have them, Skylake-SP and the Opteron
 * not; the leaf 7 bit without SSSE3, or beyond the maximum basic leaf,
 * does not count. */
TEST(cpu_has_sha_ni_needs_sha_and_ssse3)
{
	/* CPUID.1:ECX without SSSE3 (bit 9); leaf 7 with SHA (EBX[29]) */
	static const struct leaf no_ssse3[] = {
		{ 0, 0, { 0x10, 0x68747541, 0x444d4163, 0x69746e65 } },
		{ 1, 0, { 0x00a00f11, 0x02000800, 0x7ed8300b, 0x178bfbff } },
		{ 7, 0, { 0, 0x219c97a9, 0x0040069c, 0x00000010 } },
	};
	/* the same leaves with SSSE3, but leaf 7 past the maximum of 6 */
	static const struct leaf max_leaf_6[] = {
		{ 0, 0, { 6, 0x68747541, 0x444d4163, 0x69746e65 } },
		{ 1, 0, { 0x00a00f11, 0x02000800, 0x7ed8320b, 0x178bfbff } },
		{ 7, 0, { 0, 0x219c97a9, 0x0040069c, 0x00000010 } },
	};
	static const struct snapshot snap_no_ssse3 = {
		"SHA without SSSE3", no_ssse3, 3, NULL, 0
	};
	static const struct snapshot snap_max_leaf_6 = {
		"SHA in leaf 7 past the maximum leaf", max_leaf_6, 3, NULL, 0
	};
	static const struct {
		const struct snapshot *snap;
		bool sha_ni;
	} t[] = {
		{ &snap_amd_sme_inactive, true },
		{ &snap_intel_tme_off, true },
		{ &snap_spr_no_tdx, true },
		{ &snap_intel_bare, false },
		{ &snap_kvm_guest, false },
		{ &snap_amd_bare, false },
		{ &snap_no_ssse3, false },
		{ &snap_max_leaf_6, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct replay r;
		struct cpu_probe p = replay_probe(&r, t[i].snap);

		if (!CHECK_EQ(cpu_has_sha_ni(&p), t[i].sha_ni))
			printf("  ^ in snapshot \"%s\"\n", t[i].snap->name);
	}
}
