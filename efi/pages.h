/* Page allocations that efikexec remembers, so that every path that gives
 * up (an error, --dry-run) can free exactly what it took. */
#ifndef EFI_PAGES_H
#define EFI_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "mm/alloc.h"

enum page_use {
	PAGES_DATA, /* EfiLoaderData */
	PAGES_CODE, /* EfiLoaderCode: executable under firmware NX policies */
	PAGES_RESERVED, /* EfiReservedMemoryType: the next kernel keeps off */
	PAGES_ACPI_RECLAIM, /* EfiACPIReclaimMemory: kept until the OS read it */
};

/* Zeroed pages whose last byte is at or below max_addr (UINT64_MAX: any). */
void *pages_alloc(uint64_t size, uint64_t max_addr, enum page_use use);

/* Takes [base, base + size) at exactly that address. */
int pages_claim(uint64_t base, uint64_t size, struct diag *d);

/* A point in the record of allocations: pages_release(mark) frees,
 * newest first, everything taken after it; pages_release(0) everything. */
size_t pages_mark(void);
void pages_release(size_t mark);

/* The allocator interface for pure code (boot information). */
extern struct allocator pages_allocator;

#endif
