/* The pin any path or URL may end in, "#sha256=<64 hex digits>": the
 * file's SHA-256, checked once it is read; a file that does not match is
 * refused. Pure. */
#ifndef LIB_PIN_H
#define LIB_PIN_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/diag.h"
#include "lib/sha256.h"

struct pin {
	bool set;
	uint8_t sha256[SHA256_SIZE];
};

/* Takes a trailing "#sha256=..." off path (in place) into *pin; a path
 * without one leaves pin->set false. A "#sha256=" not followed by
 * exactly 64 hex digits to the end is an error, never part of a name. */
int pin_split(char *path, struct pin *pin, struct diag *d);

/* With pin->set, whether the size bytes at data have the pinned SHA-256;
 * the error gives both digests, after `what` and path. */
int pin_check(const struct pin *pin, const char *what, const char *path,
	      const void *data, uint64_t size, struct diag *d);

#endif
