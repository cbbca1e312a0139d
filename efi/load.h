/* Reading the kernel and its modules into memory. */
#ifndef EFI_LOAD_H
#define EFI_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "lib/diag.h"

/* Reads the whole kernel file into fresh pages. */
int load_kernel(const char *path, uint8_t **image, size_t *size,
		struct diag *d);

/* When the image's buffer overlaps its destination [dst, dst + size),
 * moves it to fresh pages, as kexec does, keeping the old pages taken so
 * that nothing else lands there before the copy. */
int load_move_out_of(uint8_t **image, size_t size, uint64_t dst,
		     uint64_t dst_size, struct diag *d);

/* Takes the parts of [base, base + size) that are free now, so that no
 * later allocation lands in a destination. */
int load_claim(const struct memmap *m, uint64_t base, uint64_t size,
	       struct diag *d);

/* Reads the initrds as the policy says: concatenated (each padded to 4
 * bytes) into one buffer below soft_max, else below hard_max. Fills *out
 * with the result; `paths` holds n paths. */
int load_initrds(const struct module_policy *pol, const char *const *paths,
		 size_t n, struct module *out, struct diag *d);

#endif
