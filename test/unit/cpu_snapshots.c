#include "cpu_snapshots.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SNAP(id, label, l, m) \
	const struct snapshot id = { label, l, N(l), m, N(m) }
#define NO_MSRS ((const struct msr_value *)0)
#define SNAP0(id, label, l) \
	const struct snapshot id = { label, l, N(l), NO_MSRS, 0 }

/* vendor strings in EBX, EDX, ECX */
#define INTEL 0x756e6547, 0x6c65746e, 0x49656e69
#define AMD 0x68747541, 0x444d4163, 0x69746e65
#define HYGON 0x6f677948, 0x656e6975, 0x6e65476e
#define HV (1u << 31) /* CPUID.1:ECX hypervisor */
#define PDPE1GB (1u << 26)
#define TME (1u << 13)
#define PCONFIG (1u << 18) /* CPUID.(7,0):EDX */

/* L(leaf, subleaf, eax, ebx, ecx, edx); the vendor macros give ebx, ecx,
 * edx */
#define L(leaf, sub, ...) { leaf, sub, { __VA_ARGS__ } }
#define V0(max, ...) L(0, 0, max, __VA_ARGS__)

/* AMD EPYC 7763 (Milan, family 0x19 model 0x01), SME and SEV supported */
static const struct leaf milan[] = {
	V0(0x10, AMD),
	L(1, 0, 0x00a00f11, 0x02000800, 0x7ed8320b, 0x178bfbff),
	L(7, 0, 0, 0x219c97a9, 0x0040069c, 0x00000010),
	L(0xb, 0, 1, 2, 0x100, 0x02),
	L(0x80000000, 0, 0x80000023, AMD),
	L(0x80000001, 0, 0x00a00f11, 0, 0x75c237ff, 0x2fd3fbff),
	L(0x8000001f, 0, 0x0101fdff, 0x00004173, 0x000001fd, 0x00000001),
};
/* SEV supported: SEV_STATUS exists on the host too, and reads 0 there */
static const struct msr_value syscfg_off[] = {
	{ MSR_AMD_SEV_STATUS, 0 }, { MSR_AMD_SYSCFG, 0x00740000 },
};
static const struct msr_value syscfg_on[] = {
	{ MSR_AMD_SEV_STATUS, 0 }, { MSR_AMD_SYSCFG, 0x00f40000 },
};
SNAP(snap_amd_sme_inactive, "AMD EPYC, SME supported, inactive", milan, syscfg_off);
SNAP(snap_amd_sme_active, "AMD EPYC, SME active", milan, syscfg_on);

/* SEV guests of that host under KVM: the hypervisor bit, SEV in
 * 0x8000001F, and SEV_STATUS saying which kind */
static const struct leaf sev_guest[] = {
	V0(0x10, AMD),
	L(1, 0, 0x00a00f11, 0x00000800, 0xfed83203 | HV, 0x178bfbff),
	L(0x80000000, 0, 0x8000001f, AMD),
	L(0x80000001, 0, 0x00a00f11, 0, 0x000003f3, 0x2fd3fbff),
	L(0x8000001f, 0, 0x0000001a, 0x00000173, 0, 0),
};
static const struct msr_value sev_on[] = { { MSR_AMD_SEV_STATUS, 0x1 } };
static const struct msr_value sev_es_on[] = { { MSR_AMD_SEV_STATUS, 0x3 } };
static const struct msr_value sev_snp_on[] = { { MSR_AMD_SEV_STATUS, 0x7 } };
SNAP(snap_amd_sev_guest, "SEV guest", sev_guest, sev_on);
SNAP(snap_amd_sev_es_guest, "SEV-ES guest", sev_guest, sev_es_on);
SNAP(snap_amd_sev_snp_guest, "SEV-SNP guest", sev_guest, sev_snp_on);

/* The same guests with the hypervisor bit cleared (QEMU's -hypervisor, or
 * a hypervisor that wants the guest to take the bare-metal path); the
 * SEV-ES one also sees SME in 0x8000001F EAX[0], as a host would, and the
 * guest has no SYSCFG to read: any read of it would be a #VC the firmware
 * forwards as a #GP. */
static const struct leaf sev_guest_no_hv[] = {
	V0(0x10, AMD),
	L(1, 0, 0x00a00f11, 0x00000800, 0x7ed83203, 0x178bfbff),
	L(0x80000000, 0, 0x8000001f, AMD),
	L(0x80000001, 0, 0x00a00f11, 0, 0x000003f3, 0x2fd3fbff),
	L(0x8000001f, 0, 0x0000001a, 0x00000173, 0, 0),
};
static const struct leaf sev_es_guest_no_hv_sme[] = {
	V0(0x10, AMD),
	L(1, 0, 0x00a00f11, 0x00000800, 0x7ed83203, 0x178bfbff),
	L(0x80000000, 0, 0x8000001f, AMD),
	L(0x80000001, 0, 0x00a00f11, 0, 0x000003f3, 0x2fd3fbff),
	L(0x8000001f, 0, 0x0000001b, 0x00000173, 0, 0),
};
SNAP(snap_amd_sev_guest_no_hv, "SEV guest, no hypervisor bit", sev_guest_no_hv,
     sev_on);
SNAP(snap_amd_sev_snp_guest_no_hv, "SEV-SNP guest, no hypervisor bit",
     sev_guest_no_hv, sev_snp_on);
SNAP(snap_amd_sev_es_guest_no_hv_sme,
     "SEV-ES guest, no hypervisor bit, SME in CPUID", sev_es_guest_no_hv_sme,
     sev_es_on);

/* Intel Xeon 6 (Granite Rapids, family 6 model 0xad) with TDX enabled by
 * the BIOS: TME locked and enabled, 63 TDX private KeyIDs */
static const struct leaf gnr[] = {
	V0(0x23, INTEL),
	L(1, 0, 0x000a06d1, 0x00400800, 0x7ffefbff, 0xbfebfbff),
	L(7, 0, 2, 0xf3bfbfbf, 0x1b417ffe | TME, 0xbc18c410 | PCONFIG),
	L(0xb, 0, 1, 2, 0x100, 0x40),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
static const struct msr_value tdx_on[] = {
	{ MSR_IA32_TME_ACTIVATE, 0x0000000600000003ull },
	{ MSR_IA32_MKTME_KEYID_PARTITIONING, 0x0000003f00000000ull },
};
SNAP(snap_intel_tdx_host, "Intel Xeon 6, TDX enabled", gnr, tdx_on);

/* Where TDX cannot be on, IA32_MKTME_KEYID_PARTITIONING (0x87) may not
 * exist: a snapshot without it fails the test if it is read. TME locked
 * and enabled with no KeyID bits activated (TME without TME-MK, as on
 * client parts), and TME-MK activated on a part whose CPUID has no
 * PCONFIG, without which no TDX module can program a key. */
static const struct leaf gnr_no_pconfig[] = {
	V0(0x23, INTEL),
	L(1, 0, 0x000a06d1, 0x00400800, 0x7ffefbff, 0xbfebfbff),
	L(7, 0, 2, 0xf3bfbfbf, 0x1b417ffe | TME, 0xbc18c410),
	L(0xb, 0, 1, 2, 0x100, 0x40),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
static const struct msr_value tme_only[] = {
	{ MSR_IA32_TME_ACTIVATE, 0x0000000000000003ull },
};
static const struct msr_value tme_mk_on[] = {
	{ MSR_IA32_TME_ACTIVATE, 0x0000000600000003ull },
};
SNAP(snap_intel_tme_mk_no_pconfig, "Intel, TME-MK on, no PCONFIG in CPUID",
     gnr_no_pconfig, tme_mk_on);

/* Sapphire Rapids (0x8f) and Emerald Rapids (0xcf): the TDX
 * partial-write erratum */
static const struct leaf spr[] = {
	V0(0x20, INTEL),
	L(1, 0, 0x000806f8, 0x00800800, 0x7ffefbff, 0xbfebfbff),
	L(7, 0, 2, 0xf3bfbfbf, 0x1b417ffe | TME, 0xbc18c410 | PCONFIG),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
static const struct leaf emr[] = {
	V0(0x20, INTEL),
	L(1, 0, 0x000c06f2, 0x00800800, 0x7ffefbff, 0xbfebfbff),
	L(7, 0, 2, 0xf3bfbfbf, 0x1b417ffe | TME, 0xbc18c410 | PCONFIG),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
static const struct msr_value tme_unlocked[] = {
	{ MSR_IA32_TME_ACTIVATE, 0 },
};
SNAP(snap_spr_tdx_host, "Sapphire Rapids, TDX enabled", spr, tdx_on);
SNAP(snap_emr_tdx_host, "Emerald Rapids, TDX enabled", emr, tdx_on);
SNAP(snap_spr_no_tdx, "Sapphire Rapids, TME off", spr, tme_unlocked);

/* A TDX guest: the hypervisor bit and "IntelTDX    " in leaf 0x21 */
static const struct leaf tdx_guest[] = {
	V0(0x21, INTEL),
	L(1, 0, 0x000806f8, 0x00000800, 0xfffab223 | HV, 0x1f8bfbff),
	L(7, 0, 2, 0xf1bf07ab, 0x1b415f6e, 0xbc00c410),
	L(0x21, 0, 0, 0x65746e49, 0x20202020, 0x5844546c),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
SNAP0(snap_intel_tdx_guest, "TDX guest", tdx_guest);

/* ... without the hypervisor bit, and with TME in leaf 7: a TDX guest has
 * no TME MSRs (reading one raises #VE) */
static const struct leaf tdx_guest_no_hv[] = {
	V0(0x21, INTEL),
	L(1, 0, 0x000806f8, 0x00000800, 0x7ffab223, 0x1f8bfbff),
	L(7, 0, 2, 0xf1bf07ab, 0x1b415f6e | TME, 0xbc00c410),
	L(0x21, 0, 0, 0x65746e49, 0x20202020, 0x5844546c),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
SNAP0(snap_intel_tdx_guest_no_hv, "TDX guest, no hypervisor bit, TME in CPUID",
      tdx_guest_no_hv);

/* A plain KVM guest (Skylake-SP host model) */
static const struct leaf kvm[] = {
	V0(0xd, INTEL),
	L(1, 0, 0x00050654, 0x00000800, 0xfffab223 | HV, 0x0f8bfbff),
	L(7, 0, 0, 0xd19f4fbb, 0x0000000c, 0xac000400),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800),
};
SNAP0(snap_kvm_guest, "KVM guest", kvm);

/* Bare-metal Skylake-SP without TME; an Alder Lake with TME not locked */
static const struct leaf skx[] = {
	V0(0x16, INTEL),
	L(1, 0, 0x00050654, 0x06400800, 0x7ffefbff, 0xbfebfbff),
	L(7, 0, 0, 0xd19ffffb, 0x00000008, 0xbc002e00),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
static const struct leaf adl[] = {
	V0(0x20, INTEL),
	L(1, 0, 0x00090672, 0x00800800, 0x7ffafbff, 0xbfebfbff),
	L(7, 0, 0, 0x239ca7eb, 0x98c027ac | TME, 0xfc1cc410),
	L(0x80000000, 0, 0x80000008, 0, 0, 0),
	L(0x80000001, 0, 0, 0, 0x00000121, 0x28100800 | PDPE1GB),
};
SNAP0(snap_intel_bare, "bare-metal Intel Xeon (Skylake-SP)", skx);
SNAP(snap_intel_tme_off, "bare-metal Intel with TME not activated", adl, tme_unlocked);
SNAP(snap_intel_tme_only, "bare-metal Intel with TME on, no KeyIDs", adl, tme_only);

/* Hygon Dhyana (family 0x18 model 0x02), bare metal: AMD's SME and SEV
 * under Hygon's vendor string */
static const struct leaf dhyana[] = {
	V0(0xd, HYGON),
	L(1, 0, 0x00900f22, 0x00200800, 0x7cd83209, 0x178bfbff),
	L(0xb, 0, 1, 2, 0x100, 0x04),
	L(0x80000000, 0, 0x8000001f, HYGON),
	L(0x80000001, 0, 0x00900f22, 0, 0x35c233ff, 0x2fd3fbff | PDPE1GB),
	L(0x8000001f, 0, 0x0000000f, 0x0000016f, 0x0000000f, 0),
};
SNAP(snap_hygon_sme_active, "Hygon Dhyana, SME active", dhyana, syscfg_on);

/* Bare-metal AMD Opteron (family 0x15): no 0x8000001F at all */
static const struct leaf opteron[] = {
	V0(0xd, AMD),
	L(1, 0, 0x00600f12, 0x00100800, 0x1e98220b, 0x178bfbff),
	L(0x80000000, 0, 0x8000001e, AMD),
	L(0x80000001, 0, 0x00600f12, 0, 0x01c9bfff, 0x2fd3fbff | PDPE1GB),
};
SNAP0(snap_amd_bare, "bare-metal AMD Opteron", opteron);

static struct cpuid_regs replay_cpuid(void *ctx, uint32_t leaf, uint32_t sub)
{
	const struct replay *r = ctx;

	for (size_t i = 0; i < r->snap->nleaves; i++)
		if (r->snap->leaves[i].leaf == leaf && r->snap->leaves[i].sub == sub)
			return r->snap->leaves[i].r;
	return (struct cpuid_regs){ 0, 0, 0, 0 };
}

static uint64_t replay_rdmsr(void *ctx, uint32_t msr)
{
	struct replay *r = ctx;

	if (r->nread < N(r->read))
		r->read[r->nread++] = msr;
	for (size_t i = 0; i < r->snap->nmsrs; i++)
		if (r->snap->msrs[i].msr == msr)
			return r->snap->msrs[i].value;
	r->bad_read = true;
	return 0;
}

struct cpu_probe replay_probe(struct replay *r, const struct snapshot *s)
{
	*r = (struct replay){ .snap = s };
	return (struct cpu_probe){ replay_cpuid, replay_rdmsr, r };
}
