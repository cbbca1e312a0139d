/* The CPU facts (cpu/facts.h) of the CPU this code runs on, through the
 * real CPUID and RDMSR instructions: what each front end's
 * machine_cpu_facts() (core/machine.h) returns on a real machine. */
#ifndef CPU_PROBE_HW_H
#define CPU_PROBE_HW_H

#include "cpu/facts.h"

void cpu_read_hw_facts(struct cpu_facts *f);

/* Whether lib/sha256.c may use the SHA extensions here: the CPU has them
 * (cpu_has_sha_ni()) and SSE is enabled, CR4.OSFXSR set and CR0.EM and
 * CR0.TS clear (Intel SDM Vol. 3A, "Initialization of the SSE
 * Extensions"), as UEFI leaves an x64 machine and mb/start.asm sets it
 * up. */
bool cpu_hw_sha_ni(void);

#endif
