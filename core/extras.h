/* What systemd-stub hands the initrd under /.extra besides a unified
 * kernel image's own initrd (boot/systemd_stub.h): efikexec makes the
 * same cpio archives (boot/cpio.h), from the image's sections and from
 * the files beside it, so that they reach the initrd, and are measured,
 * as under the stub. */
#ifndef CORE_EXTRAS_H
#define CORE_EXTRAS_H

#include <stddef.h>
#include <stdint.h>

#include "boot/systemd_stub.h"
#include "boot/uki.h"

struct extra_archive {
	enum stub_extra_id id;
	const char *name; /* where its files go: ".extra/credentials" */
	const uint8_t *data;
	size_t size;
	uint8_t pcr; /* 0: not measured */
	const char *description;
};

/* The archives the stub `r` makes for the image u (its bytes at file,
 * read from path), in its order, into out; returns how many. A set
 * whose directory cannot be read, or a file that cannot be, is left out
 * with a warning, as the stub leaves it out. */
size_t extras_make(const char *path, const uint8_t *file, const struct uki *u,
		   const struct stub_release *r, struct extra_archive out[EXTRA_N]);

#endif
