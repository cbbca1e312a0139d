/* The real probe (cpu/probe_hw.h): CPUID and RDMSR on the running CPU. */
#include "cpu/probe_hw.h"

#include <stddef.h>

static struct cpuid_regs hw_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf)
{
	(void)ctx;
	return cpuid(leaf, subleaf);
}

static uint64_t hw_rdmsr(void *ctx, uint32_t index)
{
	(void)ctx;
	return rdmsr(index);
}

static const struct cpu_probe probe = { hw_cpuid, hw_rdmsr, NULL };

void cpu_read_hw_facts(struct cpu_facts *f)
{
	cpu_read_facts(&probe, f);
}

bool cpu_hw_sha_ni(void)
{
	return cpu_has_sha_ni(&probe) && (read_cr4() & CR4_OSFXSR) &&
	       !(read_cr0() & (CR0_EM | CR0_TS));
}
