/* The CPU facts (cpu/facts.h) of the CPU this code runs on, through the
 * real CPUID and RDMSR instructions: what each front end's
 * machine_cpu_facts() (core/machine.h) returns on a real machine. */
#ifndef CPU_PROBE_HW_H
#define CPU_PROBE_HW_H

#include "cpu/facts.h"

void cpu_read_hw_facts(struct cpu_facts *f);

#endif
