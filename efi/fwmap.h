/* The firmware memory map and ExitBootServices. */
#ifndef EFI_FWMAP_H
#define EFI_FWMAP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "mm/memmap.h"

struct fw_map {
	void *raw;          /* GetMemoryMap() buffer (kept: Linux reads it) */
	size_t raw_cap;     /* bytes */
	size_t raw_size;    /* bytes of the last map read */
	uintptr_t key;
	size_t desc_size;
	uint32_t desc_version;
	struct memmap map;  /* parsed, sorted */
};

/* Allocates the buffers, with room for the map to grow by the allocations
 * still to come. */
int fw_map_init(struct fw_map *m, struct diag *d);

/* Reads the current map into the buffers (no allocation). */
int fw_map_read(struct fw_map *m, struct diag *d);

/* Reads the final map and exits boot services, retrying once with a fresh
 * map when the key is stale (UEFI 2.10 §7.4.6). Returns an error only while
 * nothing has changed yet; once a call to ExitBootServices has failed,
 * boot services may be half gone, so a second failure is fatal(). */
int fw_exit_boot_services(struct fw_map *m, struct diag *d);

#endif
