/* The processors the firmware reports, and what became of each. */
#ifndef CPU_CPUS_H
#define CPU_CPUS_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_MAX 2048

/* cpu_entry.state */
#define CPU_BSP (1u << 0)     /* the CPU running efikexec */
#define CPU_PARKED (1u << 1)  /* answered INIT-SIPI-SIPI in our park code */
#define CPU_FLUSHED (1u << 2) /* executed WBINVD there */

struct cpu_entry {
	uint32_t apic_id;
	uint32_t state;
};

struct cpu_list {
	uint32_t n;
	struct cpu_entry cpu[CPU_MAX];
};

#endif
