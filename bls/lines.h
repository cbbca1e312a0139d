/* The line syntax shared by loader.conf and Type #1 entries (UAPI.1 Boot
 * Loader Specification, "Type #1 Boot Loader Entry Keys"): one "key value"
 * per line, separated by white space; '#' starts a comment line; white
 * space around the value is dropped, and so are quotes around all of it. */
#ifndef BLS_LINES_H
#define BLS_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/diag.h"

struct bls_lines {
	char *p, *end;
	const char *file; /* for messages */
	unsigned line;    /* of the pair last returned */
};

/* Iterates over text[0, len), which it changes in place; text[len] must
 * be writable too (room for the last line's NUL). */
void bls_lines_init(struct bls_lines *it, char *text, size_t len,
		    const char *file);

/* The next key and value (value "" when the line has only a key):
 * returns 1, 0 at the end, or an error for a NUL byte in the text. */
int bls_lines_next(struct bls_lines *it, char **key, char **value,
		   struct diag *d);

#endif
