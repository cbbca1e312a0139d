/* Choosing where a kernel image goes, kexec-style: in memory that will be
 * RAM once boot services are gone. Whatever holds that memory now (boot-
 * services data, the image's own file buffer) is dealt with by the caller:
 * the destination is only written after ExitBootServices. */
#ifndef MM_PLACE_H
#define MM_PLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/diag.h"
#include "mm/memmap.h"

struct place_req {
	const char *what; /* for messages: "kernel" */
	uint64_t size;
	uint64_t pref;  /* the address asked for */
	bool fixed;     /* only pref will do */
	uint64_t align; /* power of two; for the search when not fixed */
	uint64_t min;   /* lowest acceptable base (search only) */
	uint64_t limit; /* the placed range must end at or below this */
};

/* Picks a base for req: pref when [pref, pref + size) is free after
 * ExitBootServices; otherwise (not fixed) the lowest aligned base in
 * [min, limit - size] whose range is. */
int place_find(const struct memmap *m, const struct place_req *req,
	       uint64_t *out, struct diag *d);

#endif
