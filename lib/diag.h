/* Error reporting for pure code.
 *
 * A function that can fail returns 0 or a negative enum err and, on failure,
 * fills a struct diag with one line that says what failed, where, and which
 * value: the user sees it after "efikexec: error: ". */
#ifndef LIB_DIAG_H
#define LIB_DIAG_H

#include <stddef.h>

enum err {
	ERR_OK = 0,
	ERR_USAGE = -1,       /* bad command line */
	ERR_NOT_FOUND = -2,   /* a file or volume does not exist */
	ERR_IO = -3,          /* reading failed */
	ERR_BAD_IMAGE = -4,   /* a file's contents are malformed */
	ERR_UNSUPPORTED = -5, /* well-formed, but not something we can boot */
	ERR_NO_MEMORY = -6,   /* no memory where it is needed */
	ERR_PLAN = -7,        /* the plan breaks a rule of the kexec model */
	ERR_ABORTED = -8,     /* the user chose not to boot */
};

/* room for a URL and two SHA-256 digests in hex (lib/pin.c) */
#define DIAG_MSG_MAX 512

struct diag {
	int code;
	char msg[DIAG_MSG_MAX];
};

/* Records the failure and returns code, so callers can write
 * `return diag_fail(d, ERR_BAD_IMAGE, "...", ...);`. */
int diag_fail(struct diag *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts "<prefix>" before the message (the file and line an error came
 * from, say), keeping the code. */
void diag_prefix(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
