#include "boot/handoff_record.h"

size_t handoff_size(uint32_t ncpus)
{
	return sizeof(struct efikexec_handoff) +
	       (size_t)ncpus * sizeof(struct efikexec_cpu);
}

void handoff_fill(struct efikexec_handoff *h, uint32_t flags,
		  const struct cpu_list *cpus, uint64_t tsc_hz,
		  const uint64_t *stamps, const uint64_t *detail)
{
	h->magic = EFIKEXEC_HANDOFF_MAGIC;
	h->version = EFIKEXEC_HANDOFF_VERSION;
	h->header_size = (uint16_t)offsetof(struct efikexec_handoff, cpu);
	h->flags = flags;
	h->ncpus = cpus->n;
	h->tsc_hz = tsc_hz;
	for (int i = 0; i < HANDOFF_STAMPS; i++)
		h->stamp[i] = i < STAMP_RELOCATED && stamps ? stamps[i] : 0;
	for (int i = 0; i < HANDOFF_DETAILS; i++)
		h->detail[i] = detail ? detail[i] : 0;
	for (uint32_t i = 0; i < cpus->n; i++)
		h->cpu[i] = (struct efikexec_cpu){ cpus->cpu[i].apic_id,
						   cpus->cpu[i].state };
}
