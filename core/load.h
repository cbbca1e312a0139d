/* Reading the kernel and its modules into memory. */
#ifndef CORE_LOAD_H
#define CORE_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "core/options.h"
#include "lib/diag.h"

/* Every file read for a boot, where its bytes are, in the order read: what
 * is measured into the TPM (efi/tpm.c). */
struct loaded_file {
	const char *what; /* "kernel", "initrd", "module" */
	const char *path;
	const void *data;
	uint64_t size;
	uint64_t tsc_start, tsc_end; /* around the read */
};

struct load_record {
	struct loaded_file file[1 + OPT_MAX_MODULES];
	size_t n;
};

/* Reads the whole kernel file into fresh pages, or takes it where it
 * already is in memory (file_in_memory()). */
int load_kernel(const char *path, const uint8_t **image, size_t *size,
		struct load_record *rec, struct diag *d);

/* Reads a whole text file of at most max bytes into fresh zeroed pages,
 * with room for a NUL after it. */
int load_text(const char *what, const char *path, size_t max, char **text,
	      size_t *len, struct diag *d);

/* When the image's buffer overlaps its destination [dst, dst + size),
 * moves it to fresh pages, as kexec does, keeping the old pages taken so
 * that nothing else lands there before the copy. */
int load_move_out_of(const uint8_t **image, size_t size, uint64_t dst,
		     uint64_t dst_size, struct diag *d);

/* Takes the parts of [base, base + size) that are free now, so that no
 * later allocation lands in a destination. */
int load_claim(const struct memmap *m, uint64_t base, uint64_t size,
	       struct diag *d);

/* Reads the modules as the policy says, each straight into its final
 * place, below soft_max if it fits there, else below hard_max:
 * concatenated (each padded to 4 bytes) into one module named after the
 * first ("initrd"), or one page-aligned module each ("module"). Sets *nout
 * to the number of modules written to out. */
int load_modules(const struct module_policy *pol, const struct opt_module *in,
		 size_t n, struct module *out, size_t *nout,
		 struct load_record *rec, struct diag *d);

#endif
