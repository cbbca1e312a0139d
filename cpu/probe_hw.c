/* The real probe: CPUID and RDMSR on the running CPU. */
#include "cpu/facts.h"

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

const struct cpu_probe cpu_probe_hw = { hw_cpuid, hw_rdmsr, NULL };
