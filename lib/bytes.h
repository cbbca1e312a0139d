/* Little-endian fields at any alignment, as files and firmware tables
 * store them (x86 is little-endian: a copy is the conversion). */
#ifndef LIB_BYTES_H
#define LIB_BYTES_H

#include <stdint.h>

#include "lib/mem.h"

static inline uint16_t get16(const void *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static inline uint32_t get32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t get64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline void put16(void *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static inline void put32(void *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

#endif
