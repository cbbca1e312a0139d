/* The park area: where application processors wait for the next kernel.
 *
 * INIT-SIPI-SIPI starts each AP in real mode at the area's first byte (the
 * SIPI vector is the area's page number, so the area is 4 KiB aligned below
 * 1 MiB). Shared between cpu/park.c and cpu/park_code.asm, whose offsets the
 * build generates from this header. */
#ifndef CPU_PARK_LAYOUT_H
#define CPU_PARK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* area offsets */
#define PARK_IVT 0x200        /* real-mode interrupt vectors 0-31 */
#define PARK_IVT_VECTORS 32
#define PARK_STACK_TOP 0x400  /* for a stray NMI's frame; never returns */
#define PARK_DATA 0x400       /* struct park_data */

/* park_record.state */
#define PARK_STATE_PARKED (1u << 0)
#define PARK_STATE_FLUSHED (1u << 1) /* WBINVD ran before the record */

struct park_record {
	uint32_t apic_id;
	uint32_t state;
};

struct park_data {
	uint32_t flush;    /* written by the BSP: nonzero = WBINVD */
	uint32_t count;    /* records claimed (LOCK XADD by each AP) */
	uint32_t capacity; /* records there is room for */
	uint32_t reserved;
	struct park_record rec[];
};

_Static_assert(sizeof(struct park_record) == 8, "park_record");
_Static_assert(offsetof(struct park_data, rec) == 16, "park_data");
_Static_assert(PARK_IVT + PARK_IVT_VECTORS * 4 <= PARK_STACK_TOP - 0x100,
	       "IVT below the NMI stack");

#define PARK_LAYOUT_FIELDS(X)                                     \
	X(PK_IVT, PARK_IVT)                                       \
	X(PK_IVT_LIMIT, PARK_IVT_VECTORS * 4 - 1)                 \
	X(PK_STACK_TOP, PARK_STACK_TOP)                           \
	X(PK_FLUSH, PARK_DATA + offsetof(struct park_data, flush)) \
	X(PK_COUNT, PARK_DATA + offsetof(struct park_data, count)) \
	X(PK_CAPACITY, PARK_DATA + offsetof(struct park_data, capacity)) \
	X(PK_RECORDS, PARK_DATA + offsetof(struct park_data, rec)) \
	X(PK_RECORD_SIZE, sizeof(struct park_record))             \
	X(PK_REC_APIC_ID, offsetof(struct park_record, apic_id))  \
	X(PK_REC_STATE, offsetof(struct park_record, state))      \
	X(PK_STATE_PARKED, PARK_STATE_PARKED)                     \
	X(PK_STATE_FLUSHED, PARK_STATE_FLUSHED)

#endif
