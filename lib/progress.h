/* The progress line of a download that takes more than a second: when to
 * write it and what it says. Pure: the caller gives the time. */
#ifndef LIB_PROGRESS_H
#define LIB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The line appears once a download has taken this long, and is written
 * again at most this often: a serial console gets two lines a second,
 * not one per packet. */
#define PROGRESS_AFTER_US 1000000
#define PROGRESS_EVERY_US 500000

struct progress {
	uint64_t start_us;
	uint64_t shown_us; /* when the line was last written */
	bool shown;        /* it was, at least once */
};

void progress_start(struct progress *p, uint64_t now_us);

/* Whether the line is to be written at now_us; if so, it counts as
 * written then. */
bool progress_due(struct progress *p, uint64_t now_us);

/* The line's figures: "9.5 of 13.2 MiB (71%), 4.1 MiB/s" for `got` bytes
 * of `total` (0: not known, "9.5 MiB, 4.1 MiB/s") in `us` microseconds.
 * Returns the length, as fmt_snprintf(). */
size_t progress_format(char *buf, size_t cap, uint64_t got, uint64_t total,
		       uint64_t us);

#endif
