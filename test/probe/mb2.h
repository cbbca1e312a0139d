/* The Multiboot 2 information structure as both Multiboot 2 probes read
 * it: the 32-bit one (entered without boot services) and the 64-bit one
 * (entered with them, mb2efi.c). */
#ifndef PROBE_MB2_H
#define PROBE_MB2_H

#include "probe.h"

#define MB2_PROBE_TAGS 32 /* information tag types it keeps track of */

struct mb2_tags {
	/* the body and size of the first tag of each type below
	 * MB2_PROBE_TAGS, or NULL */
	const uint8_t *body[MB2_PROBE_TAGS];
	uint32_t size[MB2_PROBE_TAGS];
	bool ended; /* an end tag closed the list */
};

/* Walks the structure at mbi (§3.6), checking its shape, into v (command
 * line, loader name, modules, memory map, ACPI, efikexec's record) and t. */
void mb2_read_info(uint64_t mbi, struct probe_view *v, struct mb2_tags *t);

uint32_t mb2_u32(const uint8_t *p);

#endif
