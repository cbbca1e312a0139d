/* The efikexec handoff record: the flags word and what became of each CPU,
 * in the same layout for every format that carries it (docs/handoff.md).
 * Linux finds it as a setup_data node of type SETUP_EFIKEXEC, which Linux
 * itself skips as an unknown type. */
#ifndef BOOT_HANDOFF_RECORD_H
#define BOOT_HANDOFF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpus.h"

#define EFIKEXEC_HANDOFF_MAGIC 0x4b494645u /* "EFIK" in memory order */
#define EFIKEXEC_HANDOFF_VERSION 3
/* Linux setup_data type: the magic, clear of SETUP_INDIRECT (bit 31). */
#define SETUP_EFIKEXEC EFIKEXEC_HANDOFF_MAGIC

struct efikexec_cpu {
	uint32_t apic_id;
	uint32_t state; /* CPU_BSP, CPU_PARKED, CPU_FLUSHED (cpu/cpus.h) */
};

/* When each stage of efikexec ended, as TSC values (0: not taken). The
 * trampoline writes the last two itself. */
enum handoff_stamp {
	STAMP_ENTRY,              /* efikexec started */
	STAMP_KERNEL_READ,        /* the kernel file was read */
	STAMP_MODULES_READ,       /* every initrd or module was read */
	STAMP_PLANNED,            /* the plan was made and checked */
	STAMP_EXIT_BOOT_SERVICES, /* ExitBootServices returned */
	STAMP_PARKED,             /* the APs were parked */
	STAMP_RELOCATED,          /* the segments were copied */
	STAMP_JUMP,               /* the jump to the kernel */
	HANDOFF_STAMPS,
};

/* What the stamps alone cannot tell apart: how much of efikexec's time
 * is the firmware's reads and ExitBootServices, and how much its own
 * (docs/bench.md), without printing anything to find out. */
enum handoff_detail {
	DETAIL_COMMITTED,  /* TSC: measured, variables and seed published */
	DETAIL_LEAVING,    /* TSC: the final memory map and ExitBootServices next */
	DETAIL_READ_TICKS, /* TSC ticks in opening and reading every file */
	HANDOFF_DETAILS,
};

struct efikexec_handoff {
	uint32_t magic;
	uint16_t version;
	uint16_t header_size; /* offset of cpu[] */
	uint32_t flags;       /* the efikexec flags word */
	uint32_t ncpus;
	uint64_t tsc_hz;      /* the TSC's rate, measured; 0: unknown */
	uint64_t stamp[HANDOFF_STAMPS];
	uint64_t detail[HANDOFF_DETAILS]; /* version 3 on */
	struct efikexec_cpu cpu[];
};

_Static_assert(sizeof(struct efikexec_cpu) == 8, "efikexec_cpu");
_Static_assert(offsetof(struct efikexec_handoff, flags) == 8, "flags");
_Static_assert(offsetof(struct efikexec_handoff, ncpus) == 12, "ncpus");
_Static_assert(offsetof(struct efikexec_handoff, tsc_hz) == 16, "tsc_hz");
_Static_assert(offsetof(struct efikexec_handoff, stamp) == 24, "stamp");
_Static_assert(offsetof(struct efikexec_handoff, detail) == 88, "detail");
_Static_assert(offsetof(struct efikexec_handoff, cpu) == 112, "cpu");

size_t handoff_size(uint32_t ncpus);

/* Fills a record of handoff_size(cpus->n) bytes, with the stamps taken
 * so far (stamps[STAMP_RELOCATED] on are the trampoline's to write) and
 * the details (either NULL: none taken). */
void handoff_fill(struct efikexec_handoff *h, uint32_t flags,
		  const struct cpu_list *cpus, uint64_t tsc_hz,
		  const uint64_t *stamps, const uint64_t *detail);

#endif
