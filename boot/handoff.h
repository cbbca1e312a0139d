/* The efikexec handoff record: the flags word and what became of each CPU,
 * in the same layout for every format that carries it (docs/handoff.md).
 * Linux finds it as a setup_data node of type SETUP_EFIKEXEC, which Linux
 * itself skips as an unknown type. */
#ifndef BOOT_HANDOFF_H
#define BOOT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpus.h"

#define EFIKEXEC_HANDOFF_MAGIC 0x4b494645u /* "EFIK" in memory order */
#define EFIKEXEC_HANDOFF_VERSION 1
/* Linux setup_data type: the magic, clear of SETUP_INDIRECT (bit 31). */
#define SETUP_EFIKEXEC EFIKEXEC_HANDOFF_MAGIC

struct efikexec_cpu {
	uint32_t apic_id;
	uint32_t state; /* CPU_BSP, CPU_PARKED, CPU_FLUSHED (cpu/cpus.h) */
};

struct efikexec_handoff {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size; /* offset of cpu[] */
	uint32_t flags;       /* the efikexec flags word */
	uint32_t ncpus;
	struct efikexec_cpu cpu[];
};

_Static_assert(sizeof(struct efikexec_cpu) == 8, "efikexec_cpu");
_Static_assert(offsetof(struct efikexec_handoff, flags) == 8, "flags");
_Static_assert(offsetof(struct efikexec_handoff, ncpus) == 12, "ncpus");
_Static_assert(offsetof(struct efikexec_handoff, cpu) == 16, "cpu");

size_t handoff_size(uint32_t ncpus);

/* Fills a record of handoff_size(cpus->n) bytes. */
void handoff_fill(struct efikexec_handoff *h, uint32_t flags,
		  const struct cpu_list *cpus);

#endif
