/* A host allocator for boot information in tests: page-aligned memory
 * that honours max_addr like the firmware's (below 4 GiB through mmap's
 * MAP_32BIT), with a log of every request. */
#ifndef TEST_FAKE_ALLOC_H
#define TEST_FAKE_ALLOC_H

#include <stddef.h>

#include "mm/alloc.h"

struct fake_alloc {
	struct allocator a;
	void *ptr[64];
	size_t bytes[64];
	uint64_t max[64];
	enum alloc_kind kind[64];
	size_t n;
	size_t fail_after; /* 0: never fail; k: the k-th request fails */
};

void fake_alloc_init(struct fake_alloc *f);
void fake_alloc_free(struct fake_alloc *f);

#endif
