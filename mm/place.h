/* Choosing where a kernel image goes, kexec-style: in memory that will be
 * RAM once boot services are gone, clear of what must be kept. The
 * destination is only written after ExitBootServices; whatever holds it
 * now (boot-services data, the image's own file buffer) is the caller's
 * business. */
#ifndef MM_PLACE_H
#define MM_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/diag.h"
#include "lib/range.h"
#include "mm/memmap.h"

struct place_req {
	const char *what; /* for messages: "kernel" */
	uint64_t size;
	uint64_t pref;  /* the address asked for */
	bool fixed;     /* only pref will do */
	uint64_t align; /* power of two; for the search when not fixed */
	uint64_t min;   /* lowest acceptable base (search only) */
	uint64_t limit; /* the placed range must end at or below this */
	/* only memory that is free now will do: the firmware keeps running
	 * (and using its boot-services memory) until the kernel exits it */
	bool now_only;
	/* bytes right below the base that memory free now must hold too,
	 * when the image goes there (the part of a file before what is
	 * placed, read there with it: core/boot_sequence.c) */
	uint64_t below;
};

/* Picks a base for req whose range overlaps nothing in avoid.
 *
 * A fixed image goes to pref if that range is free after
 * ExitBootServices. A relocatable one first looks in memory that is free
 * now, with req->below bytes free under it (pref if it is aligned and in
 * [min, limit - size], else the lowest aligned base there), so that
 * no boot-services data is overwritten that the firmware or the OS may
 * still read (configuration tables such as the ESRT live there, and some
 * firmware touches it in SetVirtualAddressMap: Linux's KASLR uses only
 * conventional memory for this reason); only then in memory that is free
 * after ExitBootServices. With now_only, memory free now is the only kind
 * either may use. */
int place_find(const struct memmap *m, const struct range *avoid,
	       size_t navoid, const struct place_req *req, uint64_t *out,
	       struct diag *d);

#endif
