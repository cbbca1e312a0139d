/* Half-open physical address ranges [base, base + size). */
#ifndef LIB_RANGE_H
#define LIB_RANGE_H

#include <stdbool.h>
#include <stdint.h>

struct range {
	uint64_t base;
	uint64_t size;
};

/* True when base + size does not wrap past 2^64 (the range's end, which is
 * one past its last byte, may be exactly 2^64 only for size 0: rejected). */
static inline bool range_valid(uint64_t base, uint64_t size)
{
	return size == 0 || base + size > base;
}

static inline bool ranges_overlap(uint64_t a, uint64_t asz, uint64_t b,
				  uint64_t bsz)
{
	return asz && bsz && a < b + bsz && b < a + asz;
}

static inline bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* align must be a power of two; callers check values that come from files. */
static inline uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline uint64_t align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

#endif
