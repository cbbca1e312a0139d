/* Reading the kernel and its modules into memory. */
#ifndef CORE_LOAD_H
#define CORE_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "boot/format.h"
#include "core/options.h"
#include "lib/diag.h"
#include "lib/pin.h"

struct open_file;

/* Every file read for a boot, where its bytes are, in the order read: what
 * is measured into the TPM (efi/tpm.c). */
struct loaded_file {
	const char *what; /* "kernel", "initrd", "module" */
	const char *path;
	const void *data;
	uint64_t size;
	uint64_t tsc_start, tsc_end; /* around the read */
	const struct pin *pin; /* its "#sha256=", checked once it is read */
};

struct load_record {
	struct loaded_file file[1 + OPT_MAX_MODULES];
	size_t n;
};

/* The bytes of a kernel file read before the rest: every format's
 * signature lies in them (a Multiboot 2 header within the first 32 KiB,
 * Multiboot2 §3.1.1; a Linux setup header before 0x301, boot.rst), and
 * the PE headers and section table that tell a unified kernel image. */
#define KERNEL_HEAD_SIZE (64u << 10)

/* Opens the kernel file, the first one read (rec->file[0]), and reads its
 * first KERNEL_HEAD_SIZE bytes (all of a smaller file) into fresh pages;
 * *have is how many bytes *image holds. A file in memory already
 * (file_in_memory()) is taken whole where it is, checked against its
 * pin and closed, *have 0; else f stays open for load_kernel_rest(). */
int load_kernel_head(const char *path, const struct pin *pin,
		     struct open_file *f, const uint8_t **image, size_t *have,
		     struct load_record *rec, struct diag *d);

/* Reads the rest of the kernel file into buf (its place, where the
 * format lays the file out as it is) or, with buf NULL, into fresh
 * pages, behind a copy of the `have` bytes of its head; *image then
 * points at buf. Closes f, and checks the whole file against its pin. */
int load_kernel_rest(struct open_file *f, size_t have, uint8_t *buf,
		     const uint8_t **image, struct load_record *rec,
		     struct diag *d);

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
 * place and checked against its pin, below soft_max if it fits there,
 * else below hard_max:
 * concatenated (each padded to 4 bytes) into one module named after the
 * first ("initrd"), or one page-aligned module each ("module"). Sets *nout
 * to the number of modules written to out. */
int load_modules(const struct module_policy *pol, const struct opt_module *in,
		 size_t n, struct module *out, size_t *nout,
		 struct load_record *rec, struct diag *d);

#endif
