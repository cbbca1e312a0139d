/* The real probe: CPUID and RDMSR on the running CPU, and the facts it
 * gives the boot sequence on a real machine (core/machine.h). */
#include "core/machine.h"
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

static const struct cpu_probe cpu_probe_hw = { hw_cpuid, hw_rdmsr, NULL };

void machine_cpu_facts(struct cpu_facts *f)
{
	cpu_read_facts(&cpu_probe_hw, f);
}
