/* Building synthetic firmware memory maps for tests. */
#ifndef TEST_MEMMAP_UTIL_H
#define TEST_MEMMAP_UTIL_H

#include "mm/memmap.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* A map from ranges given in any order (sorted here, as the real parser
 * does). */
struct memmap test_map(struct mem_range *r, size_t n);

/* A typical QEMU/OVMF-like map of `ram_mib` MiB below 3 GiB: low RAM,
 * a legacy hole, boot-services data at 16-24 MiB, ACPI and runtime ranges
 * near the top, MMIO at 0xfec00000. */
struct memmap test_typical_map(uint64_t ram_mib);

#endif
